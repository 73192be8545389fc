// Errors of the epcis module, as values. Kinds follow the exception types of the
// EPCIS 2.0 standard (§8.2.7, §12.3) so the HTTP layer can map them one to one.
#pragma once

#include <cstddef>
#include <string>

#include "common/result.h"

namespace serialtrack::epcis {

enum class ErrorKind : uint8_t {
  kValidation,         // ValidationException: the document breaks the standard's rules
  kQueryParameter,     // QueryParameterException
  kUnsupportedFormat,  // not JSON, JSON-LD or XML; unparsable syntax
  kImplementation,     // ImplementationException: our fault
};

// What failed and where: the event (index in its document, or -1 for the document
// itself), the field's path ("epcList[2]", "sensorElementList[0].sensorReport[1].value"),
// the line and column of the input where known (1-based; 0 = unknown).
struct Error {
  ErrorKind kind = ErrorKind::kValidation;
  std::string message;
  long event_index = -1;
  std::string field;
  size_t line = 0;
  size_t column = 0;
};

template <typename T>
using Result = serialtrack::Result<T, Error>;

inline Error validation_error(std::string message, long event_index = -1, std::string field = {}) {
  return Error{ErrorKind::kValidation, std::move(message), event_index, std::move(field), 0, 0};
}

}  // namespace serialtrack::epcis

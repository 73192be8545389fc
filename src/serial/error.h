// Errors of the serial module: what failed (ErrorCode), where (a character position in
// the input when there is one), in words. Values, never exceptions (DESIGN.md "Errors").
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "common/result.h"

namespace serialtrack::serial {

#define SERIALTRACK_SERIAL_ERRORS(X)                                                          \
  /* formats */                                                                               \
  X(INVALID_ALPHABET)                                                                         \
  X(INVALID_LENGTH) X(INVALID_PREFIX) X(TOO_LONG)                                             \
      X(CHECK_NOT_APPLICABLE) /* ciphers (NIST SP 800-38G) */                                 \
      X(INVALID_KEY) X(INVALID_RADIX) X(INVALID_TWEAK) X(DOMAIN_TOO_SMALL) X(INVALID_NUMERAL) \
          X(CRYPTO_FAILURE) /* serials and generators */                                      \
      X(WRONG_LENGTH) X(WRONG_PREFIX) X(NOT_IN_ALPHABET) X(INCORRECT_CHECK_CHARACTER)         \
          X(NOT_IN_RANGE) X(INVALID_STEP) X(TOO_MANY_COLLISIONS) X(GUESS_PROBABILITY_TOO_HIGH)

enum class ErrorCode : std::uint8_t {
#define X(name) name,
  SERIALTRACK_SERIAL_ERRORS(X)
#undef X
};

// The name of an ErrorCode, e.g. "DOMAIN_TOO_SMALL".
inline std::string_view error_name(ErrorCode code) {
  switch (code) {
#define X(name)         \
  case ErrorCode::name: \
    return #name;
    SERIALTRACK_SERIAL_ERRORS(X)
#undef X
  }
  return "UNKNOWN";
}

struct Error {
  ErrorCode code;
  std::size_t position = 0;  // offset of the offending character in the input, if any
  std::string message;       // one sentence for a person; never contains key material

  std::string_view name() const { return error_name(code); }
};

template <typename T>
using Result = serialtrack::Result<T, Error>;

inline Error make_error(ErrorCode code, std::string message, std::size_t position = 0) {
  return Error{code, position, std::move(message)};
}

}  // namespace serialtrack::serial

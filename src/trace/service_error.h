// The error of a trace service that answers requests (recall, inventory): what kind,
// so that the CLI picks an exit status and HTTP a status code, and one sentence.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"
#include "store/store.h"

namespace serialtrack::trace {

struct ServiceError {
  enum class Kind : uint8_t {
    kInvalidArgument,  // the request is wrong (HTTP 400); nothing was changed
    kNotFound,         // no such recall (HTTP 404)
    kStore,            // the store failed (HTTP 500)
  };
  Kind kind = Kind::kStore;
  std::string message;
};

template <typename T>
using ServiceResult = serialtrack::Result<T, ServiceError>;

inline ServiceError store_failure(const store::Error& e) {
  return {ServiceError::Kind::kStore, e.message};
}

inline ServiceError invalid_argument(std::string message) {
  return {ServiceError::Kind::kInvalidArgument, std::move(message)};
}

}  // namespace serialtrack::trace

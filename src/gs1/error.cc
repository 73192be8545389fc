#include "gs1/error.h"

#include <array>

namespace serialtrack::gs1 {
namespace {

constexpr std::string_view kLintNames[] = {
#define X(name) #name,
    SERIALTRACK_GS1_LINTS(X)
#undef X
};

constexpr std::string_view kErrorNames[] = {
#define X(name) #name,
    SERIALTRACK_GS1_ERRORS(X)
#undef X
};

// A default sentence per error, where the name alone says too little.
std::string default_message(ErrorCode code, std::string_view ai) {
  std::string a = ai.empty() ? std::string() : " (" + std::string(ai) + ")";
  switch (code) {
    case ErrorCode::AI_DATA_EMPTY:
    case ErrorCode::AI_DATA_IS_EMPTY: return "the input is empty";
    case ErrorCode::NOT_AI_DATA: return "the input is not GS1 AI element string data";
    case ErrorCode::AI_PARSE_FAILED: return "the element string could not be parsed";
    case ErrorCode::AI_UNRECOGNISED: return "unknown application identifier" + a;
    case ErrorCode::NO_AI_FOR_PREFIX: return "no application identifier starts with these digits";
    case ErrorCode::AI_DATA_HAS_INCORRECT_LENGTH: return "value of AI" + a + " has the wrong length";
    case ErrorCode::AI_DATA_IS_TOO_LONG: return "the element string is too long";
    case ErrorCode::AI_VALUE_IS_TOO_LONG: return "value of AI" + a + " is too long";
    case ErrorCode::AI_VALUE_IS_TOO_SHORT: return "value of AI" + a + " is too short";
    case ErrorCode::AI_CONTAINS_ILLEGAL_CARAT_CHARACTER: return "a value contains '^'";
    case ErrorCode::AI_LINTER_ERROR: return "value of AI" + a + " fails a content check";
    case ErrorCode::REQUIRED_AIS_NOT_SATISFIED: return "AI" + a + " requires another AI that is missing";
    case ErrorCode::INVALID_AI_PAIRS: return "AI" + a + " may not appear together with another AI present";
    case ErrorCode::INSTANCES_OF_AI_HAVE_DIFFERENT_VALUES: return "AI" + a + " appears more than once with different values";
    case ErrorCode::SERIAL_NOT_PRESENT: return "a digital signature (8030) needs a serialised key";
    default: return std::string(error_name(code)) + a;
  }
}

}  // namespace

std::string_view lint_name(Lint code) {
  auto i = static_cast<size_t>(code);
  return i < std::size(kLintNames) ? kLintNames[i] : std::string_view("UNKNOWN_LINT");
}

std::string_view error_name(ErrorCode code) {
  auto i = static_cast<size_t>(code);
  return i < std::size(kErrorNames) ? kErrorNames[i] : std::string_view("UNKNOWN_ERROR");
}

Error make_error(ErrorCode code, std::string_view ai, size_t position, size_t length,
                 std::string message) {
  Error e;
  e.code = code;
  e.ai = std::string(ai);
  e.position = position;
  e.length = length;
  e.message = message.empty() ? default_message(code, ai) : std::move(message);
  return e;
}

}  // namespace serialtrack::gs1

// Linter pcenc: percent-encoded values.
#include <algorithm>

#include "gs1/lint/lint.h"

namespace serialtrack::gs1::lint {
namespace {

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

}  // namespace

// GS1 GenSpecs (AIs 4300-4320, 7253...) and RFC 3986 §2.1: every "%" starts a "%HH" escape.
Outcome pcenc(std::string_view data) {
  for (size_t i = 0; i < data.size(); ++i) {
    if (data[i] != '%') continue;
    if (i + 2 >= data.size() || !is_hex(data[i + 1]) || !is_hex(data[i + 2]))
      return fail(Lint::INVALID_PERCENT_SEQUENCE, i, std::min<size_t>(3, data.size() - i));
    i += 2;
  }
  return pass();
}

}  // namespace serialtrack::gs1::lint

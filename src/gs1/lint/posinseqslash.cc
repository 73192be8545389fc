// Linter posinseqslash: "position/end" of AI 7258.
#include "gs1/lint/lint.h"

namespace serialtrack::gs1::lint {
namespace {

bool all_digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

// GS1 GenSpecs AI 7258 (baby birth sequence indicator): "<pos>/<end>", two numbers without
// leading zeros, the position not exceeding the end.
Outcome posinseqslash(std::string_view data) {
  size_t slash = data.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == data.size() ||
      !all_digits(data.substr(0, slash)) || !all_digits(data.substr(slash + 1)))
    return fail(Lint::POSITION_IN_SEQUENCE_MALFORMED, 0, data.size());
  std::string_view pos = data.substr(0, slash);
  std::string_view end = data.substr(slash + 1);
  if (pos[0] == '0') return fail(Lint::ILLEGAL_ZERO_PREFIX, 0, pos.size());
  if (end[0] == '0') return fail(Lint::ILLEGAL_ZERO_PREFIX, slash + 1, end.size());
  // Without leading zeros, the longer number is the larger.
  if (pos.size() > end.size() || (pos.size() == end.size() && pos > end))
    return fail(Lint::POSITION_EXCEEDS_END, 0, data.size());
  return pass();
}

}  // namespace serialtrack::gs1::lint

// Linter csumalpha: the check character pair of a GMN (AI 8013) and similar keys.
#include "gs1/check_digit.h"
#include "gs1/lint/lint.h"

namespace serialtrack::gs1::lint {

// Longest body the check character pair is computed for: there are 97 prime weights,
// enough for the longest AI value (99 characters including the pair).
constexpr size_t kMaxCheckPairBody = 97;

// GS1 GenSpecs 7.9.5: the last two characters are the check character pair of the CSET 82
// body before them.
Outcome csumalpha(std::string_view data) {
  if (data.size() < 2) return fail(Lint::TOO_SHORT_FOR_CHECK_PAIR, 0, data.size());
  size_t body_len = data.size() - 2;
  if (body_len > kMaxCheckPairBody)
    return fail(Lint::TOO_LONG_FOR_CHECK_PAIR_IMPLEMENTATION, 0, data.size());
  if (auto bad = cset82(data.substr(0, body_len)); !bad.ok()) return bad;
  // GenSpecs 7.9.5 on an empty body: the weighted sum is 0, which is the pair "22".
  bool valid = body_len == 0 ? data == "22" : check_character_pair_valid(data);
  if (!valid) return fail(Lint::INCORRECT_CHECK_PAIR, body_len, 2);
  return pass();
}

}  // namespace serialtrack::gs1::lint

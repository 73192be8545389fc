// Linter csum: the mod-10 check digit of a GS1 key.
#include "gs1/check_digit.h"
#include "gs1/lint/lint.h"

namespace serialtrack::gs1::lint {

// GS1 GenSpecs 7.9.1: the last digit is the mod-10 check digit of the digits before it.
Outcome csum(std::string_view data) {
  if (data.empty()) return fail(Lint::TOO_SHORT_FOR_CHECK_DIGIT, 0, 0);
  if (auto bad = csetnumeric(data); !bad.ok()) return bad;
  // A lone digit has an empty body, whose weighted sum (and so check digit) is 0.
  if (data.size() == 1 ? data[0] != '0' : !mod10_valid(data))
    return fail(Lint::INCORRECT_CHECK_DIGIT, data.size() - 1, 1);
  return pass();
}

}  // namespace serialtrack::gs1::lint

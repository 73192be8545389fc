// Linter mediatype: AIDC media type of AI 7241.
#include "gs1/lint/lint.h"

namespace serialtrack::gs1::lint {

// GS1 GenSpecs AI 7241 (AIDC media type): two digits, 01-10 assigned by GS1, 80-99 for
// company-internal use.
Outcome mediatype(std::string_view data) {
  if (data.size() == 2 && data[0] >= '0' && data[0] <= '9' && data[1] >= '0' && data[1] <= '9') {
    int n = (data[0] - '0') * 10 + (data[1] - '0');
    if ((n >= 1 && n <= 10) || n >= 80) return pass();
  }
  return fail(Lint::INVALID_MEDIA_TYPE, 0, data.size());
}

}  // namespace serialtrack::gs1::lint

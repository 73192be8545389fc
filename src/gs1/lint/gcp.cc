// GS1 Company Prefix linters: key, gcppos1, gcppos2. There is no GCP lookup source here,
// so only the form of a GCP is checked: its first four characters are digits.
#include "gs1/lint/lint.h"

namespace serialtrack::gs1::lint {

// The shortest GS1 Company Prefix has four digits (GS1 GenSpecs, "GS1 Company Prefix").
constexpr size_t kMinGcpLength = 4;

// GS1 GenSpecs, GS1 Company Prefix: the data starts with a GS1 Company Prefix.
Outcome gcppos1(std::string_view data) {
  if (data.size() < kMinGcpLength) return fail(Lint::TOO_SHORT_FOR_GCP, 0, data.size());
  for (size_t i = 0; i < kMinGcpLength; ++i)
    if (data[i] < '0' || data[i] > '9') return fail(Lint::INVALID_GCP_PREFIX, i, 1);
  return pass();
}

// GS1 GenSpecs, GS1 Company Prefix: the data has a GS1 Company Prefix from its second character
// (after an indicator or extension digit, e.g. AI 8003 GRAI's leading zero).
Outcome gcppos2(std::string_view data) {
  if (data.size() < 2) return fail(Lint::TOO_SHORT_FOR_GCP, 0, data.size());
  Outcome inner = gcppos1(data.substr(1));
  if (!inner.ok()) return fail(inner.code, inner.position + 1, inner.length);
  return pass();
}

// GS1 GenSpecs, GS1 Company Prefix: a GS1 key starts with a GS1 Company Prefix.
Outcome key(std::string_view data) {
  return gcppos1(data);
}

}  // namespace serialtrack::gs1::lint

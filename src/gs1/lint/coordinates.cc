// Coordinate linters of AI 4309: latitude, longitude.
#include "gs1/lint/lint.h"

namespace serialtrack::gs1::lint {
namespace {

// Ten digits, at most max (equal-width digit strings compare as their numbers do).
Outcome ten_digits_at_most(std::string_view data, std::string_view max, Lint bad_length,
                           Lint out_of_range) {
  if (data.size() != 10) return fail(bad_length, 0, data.size());
  if (auto bad = csetnumeric(data); !bad.ok()) return bad;
  if (data > max) return fail(out_of_range, 0, data.size());
  return pass();
}

}  // namespace

// GS1 GenSpecs AI 4309: latitude as 10 digits, degrees x 10^7 offset by +90, so 0..180.
Outcome latitude(std::string_view data) {
  return ten_digits_at_most(data, "1800000000", Lint::LATITUDE_INVALID_LENGTH,
                            Lint::INVALID_LATITUDE);
}

// GS1 GenSpecs AI 4309: longitude as 10 digits, degrees x 10^7 offset by +180, so 0..360.
Outcome longitude(std::string_view data) {
  return ten_digits_at_most(data, "3600000000", Lint::LONGITUDE_INVALID_LENGTH,
                            Lint::INVALID_LONGITUDE);
}

}  // namespace serialtrack::gs1::lint

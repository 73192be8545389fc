#include "sim/calendar.h"

#include <cstdio>

namespace serialtrack::sim {

int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// H. Hinnant, "chrono-Compatible Low-Level Date Algorithms": civil_from_days.
CivilDate civil_date(int64_t z) {
  z += 719468;
  int64_t era = floor_div(z, 146097);
  unsigned doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned d = doy - (153 * mp + 2) / 5 + 1;
  unsigned m = mp < 10 ? mp + 3 : mp - 9;
  int y = static_cast<int>(static_cast<int64_t>(yoe) + era * 400 + (m <= 2));
  char iso[32], short_form[32];
  std::snprintf(iso, sizeof iso, "%04d-%02u-%02u", y, m, d);
  std::snprintf(short_form, sizeof short_form, "%02d%02u%02u", y % 100, m, d);
  return {iso, short_form};
}

int64_t in_opening_hours(int64_t t, int16_t offset_minutes, int64_t not_before) {
  int64_t offset = offset_minutes * kMinute;
  int64_t local = t + offset;
  int64_t day = floor_div(local, kDay);
  int64_t into_day = local - day * kDay;
  int64_t result = day * kDay + 8 * kHour + into_day / 24 * 11 - offset;
  while (result < not_before + kMinute) result += kDay;
  return result;
}

}  // namespace serialtrack::sim

// Calendar arithmetic the simulator's timing needs: civil dates of days since the
// epoch, and moving a moment into a shop's opening hours. Times are unix nanoseconds.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace serialtrack::sim {

inline constexpr int64_t kSecond = 1'000'000'000;
inline constexpr int64_t kMinute = 60 * kSecond;
inline constexpr int64_t kHour = 60 * kMinute;
inline constexpr int64_t kDay = 24 * kHour;

// a / b rounded towards minus infinity (b > 0).
int64_t floor_div(int64_t a, int64_t b);

// The civil date of days since 1970-01-01 as "YYYY-MM-DD" (xsd:date, as ILMD
// itemExpirationDate holds it) and as "YYMMDD" (GS1 AI (17), GenSpecs 3.4.9).
struct CivilDate {
  std::string iso, yymmdd;
};
CivilDate civil_date(int64_t days_since_epoch);

// The moment t moved into opening hours, 08:00-19:00 local (offset in minutes): the
// day's 24 hours are squeezed into its 11 opening hours, order kept; never earlier than
// one minute after not_before (a day later when it would be).
int64_t in_opening_hours(int64_t t, int16_t offset_minutes, int64_t not_before);

}  // namespace serialtrack::sim

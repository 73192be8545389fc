// Date linters: yymmd0, yymmdd, yyyymmd0, yyyymmdd.
#include "gs1/lint/lint.h"

namespace serialtrack::gs1::lint {
namespace {

int two_digits(std::string_view s, size_t at) {
  return (s[at] - '0') * 10 + (s[at + 1] - '0');
}

// Gregorian calendar: every fourth year, except centuries not divisible by 400.
bool is_leap_year(int year) {
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

int days_in_month(int year, int month) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : kDays[month - 1];
}

// A date of `width` digits: YY or YYYY, then MM, then DD. day_zero: DD may be 00.
Outcome check_date(std::string_view data, size_t width, bool day_zero) {
  if (data.size() != width)
    return fail(data.size() < width ? Lint::DATE_TOO_SHORT : Lint::DATE_TOO_LONG, 0, data.size());
  if (auto bad = csetnumeric(data); !bad.ok()) return bad;
  size_t mm = width - 4;
  int year = width == 8 ? two_digits(data, 0) * 100 + two_digits(data, 2)
                        // GenSpecs 7.12: YY lies within 49 years back and 50 ahead, so for
                        // any year this century (or last) leap years are those with YY % 4 == 0.
                        : 2000 + two_digits(data, 0);
  int month = two_digits(data, mm);
  if (month < 1 || month > 12) return fail(Lint::ILLEGAL_MONTH, mm, 2);
  int day = two_digits(data, mm + 2);
  if ((day == 0 && !day_zero) || day > days_in_month(year, month))
    return fail(Lint::ILLEGAL_DAY, mm + 2, 2);
  return pass();
}

}  // namespace

// GS1 GenSpecs 7.12: YYMMDD; DD = 00 means the last day of the month (e.g. AI 15, 17).
Outcome yymmd0(std::string_view data) {
  return check_date(data, 6, true);
}
// GS1 GenSpecs 7.12: YYMMDD, a real calendar day.
Outcome yymmdd(std::string_view data) {
  return check_date(data, 6, false);
}
// GS1 GenSpecs 7.12 (four-digit year form, e.g. AI 7250): YYYYMMDD with DD = 00 allowed.
Outcome yyyymmd0(std::string_view data) {
  return check_date(data, 8, true);
}
// GS1 GenSpecs 7.12 (four-digit year form): YYYYMMDD, a real calendar day.
Outcome yyyymmdd(std::string_view data) {
  return check_date(data, 8, false);
}

}  // namespace serialtrack::gs1::lint

#include "epcis/time.h"

#include <cstdio>

namespace serialtrack::epcis {
namespace {

constexpr int64_t kNanosPerSecond = 1'000'000'000;

bool digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

std::string format(const Timestamp& t, bool utc) {
  int64_t local = t.unix_nanos + (utc ? 0 : int64_t{t.offset_minutes} * 60 * kNanosPerSecond);
  int64_t secs = local / kNanosPerSecond, nanos = local % kNanosPerSecond;
  if (nanos < 0) {
    nanos += kNanosPerSecond;
    --secs;
  }
  int64_t days = secs / 86400, rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02d", static_cast<long long>(y),
                        m, d, static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60),
                        static_cast<int>(rem % 60));
  std::string s(buf, static_cast<size_t>(n));
  if (nanos != 0) {
    char frac[16];
    std::snprintf(frac, sizeof frac, "%09lld", static_cast<long long>(nanos));
    std::string f(frac);
    while (!f.empty() && f.back() == '0') f.pop_back();
    s += '.';
    s += f;
  }
  s += utc ? std::string("Z") : format_offset(t.offset_minutes);
  return s;
}

}  // namespace

std::optional<int16_t> parse_offset(std::string_view s) {
  int hh, mm;
  if (s.size() != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':' || !digits(s, 1, 2, hh) ||
      !digits(s, 4, 2, mm) || hh > 14 || mm > 59)
    return std::nullopt;
  int v = hh * 60 + mm;
  return static_cast<int16_t>(s[0] == '-' ? -v : v);
}

std::string format_offset(int16_t offset_minutes) {
  int v = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  char buf[8];
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", offset_minutes < 0 ? '-' : '+', v / 60, v % 60);
  return buf;
}

std::optional<Timestamp> parse_timestamp(std::string_view s) {
  int y, mo, d, h, mi, se;
  if (!digits(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, mo) ||
      s[7] != '-' || !digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't') ||
      !digits(s, 11, 2, h) || s[13] != ':' || !digits(s, 14, 2, mi) || s[16] != ':' ||
      !digits(s, 17, 2, se))
    return std::nullopt;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1] + (mo == 2 && leap(y)) || h > 23 ||
      mi > 59 || se > 60)
    return std::nullopt;
  size_t p = 19;
  int64_t nanos = 0;
  if (p < s.size() && s[p] == '.') {
    size_t start = ++p;
    int64_t scale = 100'000'000;
    while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
      nanos += (s[p] - '0') * scale;  // digits beyond nanoseconds are dropped
      scale /= 10;
      ++p;
    }
    if (p == start) return std::nullopt;
  }
  Timestamp t;
  std::string_view zone = s.substr(p);
  if (zone == "Z" || zone == "z") {
    t.offset_minutes = 0;
  } else if (auto off = parse_offset(zone)) {
    t.offset_minutes = *off;
  } else {
    return std::nullopt;
  }
  int64_t secs = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
                 h * 3600 + mi * 60 + se - int64_t{t.offset_minutes} * 60;
  // Nanoseconds since 1970 in 64 bits cover the years 1678 to 2262; beyond is refused.
  if (__builtin_mul_overflow(secs, kNanosPerSecond, &t.unix_nanos) ||
      __builtin_add_overflow(t.unix_nanos, nanos, &t.unix_nanos))
    return std::nullopt;
  return t;
}

std::string format_timestamp(const Timestamp& t) { return format(t, false); }
std::string format_timestamp_utc(const Timestamp& t) { return format(t, true); }

}  // namespace serialtrack::epcis

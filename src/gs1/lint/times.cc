// Time-of-day linters: hh, mi, ss, hhmi.
#include "gs1/lint/lint.h"

namespace serialtrack::gs1::lint {
namespace {

struct TwoDigitField {
  int max;
  Lint too_short, too_long, illegal;
};

// Two digits whose value is at most field.max.
Outcome check_two_digits(std::string_view data, const TwoDigitField& field) {
  if (data.size() != 2)
    return fail(data.size() < 2 ? field.too_short : field.too_long, 0, data.size());
  if (auto bad = csetnumeric(data); !bad.ok()) return bad;
  if ((data[0] - '0') * 10 + (data[1] - '0') > field.max) return fail(field.illegal, 0, 2);
  return pass();
}

}  // namespace

// GS1 GenSpecs 7.12: HH, hours 00-23.
Outcome hh(std::string_view data) {
  return check_two_digits(data,
                          {23, Lint::HOUR_TOO_SHORT, Lint::HOUR_TOO_LONG, Lint::ILLEGAL_HOUR});
}

// GS1 GenSpecs 7.12: MI (or MM of a time), minutes 00-59.
Outcome mi(std::string_view data) {
  return check_two_digits(
      data, {59, Lint::MINUTE_TOO_SHORT, Lint::MINUTE_TOO_LONG, Lint::ILLEGAL_MINUTE});
}

// GS1 GenSpecs 7.12: SS, seconds 00-59.
Outcome ss(std::string_view data) {
  return check_two_digits(
      data, {59, Lint::SECOND_TOO_SHORT, Lint::SECOND_TOO_LONG, Lint::ILLEGAL_SECOND});
}

// GS1 GenSpecs 7.12: HHMI, hours 00-23 then minutes 00-59 (e.g. AI 8008, 4324).
Outcome hhmi(std::string_view data) {
  if (data.size() != 4)
    return fail(
        data.size() < 4 ? Lint::HOUR_WITH_MINUTE_TOO_SHORT : Lint::HOUR_WITH_MINUTE_TOO_LONG, 0,
        data.size());
  if (auto bad = csetnumeric(data); !bad.ok()) return bad;
  if (auto bad = hh(data.substr(0, 2)); !bad.ok()) return bad;
  if (auto bad = mi(data.substr(2, 2)); !bad.ok())
    return fail(bad.code, 2 + bad.position, bad.length);
  return pass();
}

}  // namespace serialtrack::gs1::lint

// Timestamps as EPCIS documents write them (EPCIS 2.0 §7.3.2, XML Schema dateTime /
// RFC 3339): "2005-04-03T20:33:31.116-06:00", "2019-10-07T14:00:00Z", fractions of any
// length (kept to nanoseconds), and the separate eventTimeZoneOffset ("+02:00").
// Pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "epcis/event.h"

namespace serialtrack::epcis {

// Parses a dateTime with a time zone ("Z" or "+hh:mm"); nullopt when malformed, when
// the zone is missing, or outside the years 1678-2262 (nanoseconds in 64 bits).
// offset_minutes is the zone it was written in.
std::optional<Timestamp> parse_timestamp(std::string_view text);

// Parses "+hh:mm" / "-hh:mm" (eventTimeZoneOffset) into minutes; nullopt when malformed.
std::optional<int16_t> parse_offset(std::string_view text);

// "2005-04-03T20:33:31.116-06:00": in the timestamp's own offset, with the shortest
// fraction that keeps its precision (none when whole seconds).
std::string format_timestamp(const Timestamp& t);

// The same instant in UTC with "Z" ("2005-04-04T02:33:31.116Z").
std::string format_timestamp_utc(const Timestamp& t);

// "+hh:mm" / "-hh:mm".
std::string format_offset(int16_t offset_minutes);

}  // namespace serialtrack::epcis

#include "trace/pack_status.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace serialtrack::trace {
namespace {

constexpr std::string_view kCbvDisp = "urn:epcglobal:cbv:disp:";

struct StatusEntry {
  PackStatus status;
  std::string_view name;
  bool cbv;                      // the disposition is CBV's (else ours)
  std::string_view disposition;  // its local name; "" when no event makes it
};

constexpr StatusEntry kStatuses[] = {
    {PackStatus::kUnknown, "UNKNOWN", true, ""},
    {PackStatus::kActive, "ACTIVE", true, "active"},
    {PackStatus::kSupplied, "SUPPLIED", true, "dispensed"},
    {PackStatus::kDestroyed, "DESTROYED", true, "destroyed"},
    {PackStatus::kStolen, "STOLEN", true, "stolen"},
    {PackStatus::kSample, "SAMPLE", false, "sample"},
    {PackStatus::kFreeSample, "FREE_SAMPLE", false, "free_sample"},
    {PackStatus::kExported, "EXPORTED", false, "exported"},
    {PackStatus::kLocked, "LOCKED", false, "locked"},
    {PackStatus::kCheckedOut, "CHECKED_OUT", false, "checked_out"},
    {PackStatus::kExpired, "EXPIRED", true, ""},
    {PackStatus::kRecalled, "RECALLED", true, "recalled"},
    {PackStatus::kWithdrawn, "WITHDRAWN", false, "withdrawn"},
};

const StatusEntry& entry(PackStatus status) {
  return kStatuses[static_cast<size_t>(status)];
}

std::string cbv_disposition(std::string_view word) {
  return std::string(kCbvDisp) + std::string(word);
}

// The status a disposition URI names, when it names one.
std::optional<PackStatus> status_of_disposition(const std::string& d) {
  if (d.empty()) return std::nullopt;
  // CBV 2.0 §7.2: retail_sold and disposed are the retail and waste words for the same ends.
  if (d == cbv_disposition("retail_sold")) return PackStatus::kSupplied;
  if (d == cbv_disposition("disposed")) return PackStatus::kDestroyed;
  if (d == cbv_disposition("expired")) return PackStatus::kExpired;
  for (const auto& e : kStatuses)
    if (!e.disposition.empty() && d == disposition_of(e.status)) return e.status;
  return std::nullopt;
}

bool has(const ItemState& s, const std::string& disposition) {
  return s.disposition == disposition ||
         std::find(s.persistent_dispositions.begin(), s.persistent_dispositions.end(),
                   disposition) != s.persistent_dispositions.end();
}

std::chrono::year_month_day day_of(int64_t unix_nanos) {
  using namespace std::chrono;
  return year_month_day(floor<days>(sys_time<nanoseconds>(nanoseconds(unix_nanos))));
}

std::string format_day(const std::chrono::year_month_day& d) {
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return out;
}

bool all_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int number(std::string_view s) {
  int n = 0;
  for (char c : s) n = n * 10 + (c - '0');
  return n;
}

}  // namespace

std::string_view pack_status_name(PackStatus status) {
  return entry(status).name;
}

std::string pack_status_words(PackStatus status) {
  switch (status) {
    case PackStatus::kUnknown:
      return "unknown";
    case PackStatus::kActive:
      return "active";
    case PackStatus::kSupplied:
      return "supplied (dispensed)";
    case PackStatus::kDestroyed:
      return "destroyed";
    case PackStatus::kStolen:
      return "reported stolen";
    case PackStatus::kSample:
      return "taken as a sample";
    case PackStatus::kFreeSample:
      return "given as a free sample";
    case PackStatus::kExported:
      return "exported";
    case PackStatus::kLocked:
      return "locked";
    case PackStatus::kCheckedOut:
      return "checked out";
    case PackStatus::kExpired:
      return "expired";
    case PackStatus::kRecalled:
      return "recalled";
    case PackStatus::kWithdrawn:
      return "withdrawn";
  }
  return "unknown";
}

std::optional<PackStatus> pack_status_from_name(std::string_view name) {
  for (const auto& e : kStatuses)
    if (e.name == name) return e.status;
  return std::nullopt;
}

std::string reactivating_biz_step() {
  return std::string(kPackBizStepNs) + "reactivating";
}

std::string disposition_of(PackStatus status) {
  const StatusEntry& e = entry(status);
  if (e.disposition.empty()) return {};
  return e.cbv ? cbv_disposition(e.disposition)
               : std::string(kPackDispositionNs) + std::string(e.disposition);
}

PackStatus pack_status(const ItemState& state, int64_t now_unix_nanos) {
  if (!state.commissioned) return PackStatus::kUnknown;
  // A recall marks the pack with disposition and persistent disposition `recalled`
  // (EPCIS 2.0 §7.3.5.5): either one keeps it recalled whatever happens after.
  if (has(state, disposition_of(PackStatus::kRecalled))) return PackStatus::kRecalled;
  if (has(state, disposition_of(PackStatus::kWithdrawn))) return PackStatus::kWithdrawn;
  if (auto s = status_of_disposition(state.disposition); s && *s != PackStatus::kActive) return *s;
  // CBV 2.0 §7.2: its life ended (decommissioning, an ObjectEvent DELETE, or a later event
  // after destroying / dispensing that the undo of a supply did not make): it can never
  // be supplied again, whatever disposition came after.
  if (state.decommissioned) return PackStatus::kDestroyed;
  if (auto expiry = expiry_date(state.expiry, now_unix_nanos);
      expiry && *expiry < utc_date(now_unix_nanos))
    return PackStatus::kExpired;
  return PackStatus::kActive;
}

std::optional<std::string> expiry_date(std::string_view text, int64_t now_unix_nanos) {
  using namespace std::chrono;
  int y, m, d;
  if (text.size() == 10 && text[4] == '-' && text[7] == '-' && all_digits(text.substr(0, 4)) &&
      all_digits(text.substr(5, 2)) && all_digits(text.substr(8, 2))) {
    y = number(text.substr(0, 4));
    m = number(text.substr(5, 2));
    d = number(text.substr(8, 2));
  } else if (text.size() == 6 && all_digits(text)) {
    // GS1 GenSpecs 7.12: determination of the century in dates.
    int current = static_cast<int>(day_of(now_unix_nanos).year());
    int yy = number(text.substr(0, 2));
    int diff = yy - current % 100;
    int century = current / 100;
    if (diff >= 51)
      --century;
    else if (diff <= -50)
      ++century;
    y = century * 100 + yy;
    m = number(text.substr(2, 2));
    d = number(text.substr(4, 2));
    if (d == 0 && m >= 1 && m <= 12)  // GS1 GenSpecs 7.12: DD 00 is the month's last day
      d = static_cast<int>(static_cast<unsigned>(
          year_month_day_last(year(y), month_day_last(month(static_cast<unsigned>(m)))).day()));
  } else {
    return std::nullopt;
  }
  year_month_day day{year(y), month(static_cast<unsigned>(m)),
                     std::chrono::day(static_cast<unsigned>(d))};
  if (!day.ok()) return std::nullopt;
  return format_day(day);
}

std::string utc_date(int64_t unix_nanos) {
  return format_day(day_of(unix_nanos));
}

}  // namespace serialtrack::trace

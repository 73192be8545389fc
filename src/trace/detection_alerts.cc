#include "trace/detection_alerts.h"

#include <algorithm>

#include "epcis/identifiers.h"
#include "epcis/time.h"
#include "trace/detection.h"

namespace serialtrack::trace {
namespace {

constexpr std::string_view kSeverities[] = {"low", "medium", "high", "critical"};

ServiceError not_found(int64_t id) {
  return {ServiceError::Kind::kNotFound, "no alert " + std::to_string(id)};
}

std::string utc(int64_t nanos) {
  return epcis::format_timestamp_utc(epcis::Timestamp{nanos, 0});
}

}  // namespace

ServiceResult<std::vector<store::DetectionAlert>> list_alerts(store::AlertBook& book,
                                                              const AlertQuery& q) {
  store::AlertFilter f;
  if (!q.kind.empty()) {
    if (std::find(std::begin(kDetectionKinds), std::end(kDetectionKinds), q.kind) ==
        std::end(kDetectionKinds))
      return unexpected(invalid_argument("kind: unknown alert kind '" + q.kind + "'"));
    f.kind = q.kind;
  }
  if (!q.state.empty()) {
    f.state = store::alert_state_from_name(q.state);
    if (!f.state)
      return unexpected(
          invalid_argument("state: '" + q.state + "' is not new, investigating or closed"));
  }
  if (!q.severity.empty()) {
    if (std::find(std::begin(kSeverities), std::end(kSeverities), q.severity) ==
        std::end(kSeverities))
      return unexpected(
          invalid_argument("severity: '" + q.severity + "' is not low, medium, high or critical"));
    f.severity = q.severity;
  }
  f.item_prefixes = q.item_prefixes;
  if (!q.item.empty()) {
    auto key = epcis::canonical_key(q.item);
    f.item = key ? *key : q.item;  // a client id is not an identifier: as given
  }
  if (!q.since.empty()) {
    auto t = epcis::parse_timestamp(q.since);
    if (!t) return unexpected(invalid_argument("since: '" + q.since + "' is not an RFC 3339 time"));
    f.since_unix_nanos = t->unix_nanos;
  }
  if (q.limit == 0 || q.limit > 10'000)
    return unexpected(invalid_argument("limit: must be between 1 and 10000"));
  f.limit = q.limit;
  f.after_id = q.after_id;
  auto r = book.list(f);
  if (!r) return unexpected(store_failure(r.error()));
  return std::move(*r);
}

ServiceResult<store::DetectionAlert> get_alert(store::AlertBook& book, int64_t id) {
  auto r = book.get(id);
  if (!r) return unexpected(store_failure(r.error()));
  if (!*r) return unexpected(not_found(id));
  return std::move(**r);
}

ServiceResult<store::DetectionAlert> move_alert(store::AlertBook& book, int64_t id,
                                                const std::string& state,
                                                const std::string& reason) {
  auto to = store::alert_state_from_name(state);
  if (!to || *to == store::AlertState::kNew)
    return unexpected(invalid_argument("state: '" + state + "' is not investigating or closed"));
  if (*to == store::AlertState::kClosed && reason.empty())
    return unexpected(invalid_argument("reason: closing an alert needs a reason"));
  auto r = book.set_state(id, *to, reason);
  if (!r) {
    if (r.error().kind == store::Error::Kind::kInvalidQuery)
      return unexpected(invalid_argument(r.error().message));
    return unexpected(store_failure(r.error()));
  }
  if (!*r) return unexpected(not_found(id));
  return std::move(**r);
}

ServiceResult<std::map<std::string, store::AlertBook::KindCount>> alert_counts(
    store::AlertBook& book) {
  auto r = book.counts_by_kind();
  if (!r) return unexpected(store_failure(r.error()));
  for (std::string_view k : kDetectionKinds) (*r)[std::string(k)];
  return std::move(*r);
}

boost::json::object alert_json(const store::DetectionAlert& a) {
  boost::json::object o;
  o["id"] = a.id;
  o["kind"] = a.kind;
  o["severity"] = a.severity;
  o["state"] = store::alert_state_name(a.state);
  if (a.state == store::AlertState::kClosed) o["closeReason"] = a.close_reason;
  o["message"] = a.message;
  boost::json::array items(a.items.begin(), a.items.end());
  o["items"] = std::move(items);
  boost::json::object evidence;
  evidence["eventIDs"] = boost::json::array(a.event_ids.begin(), a.event_ids.end());
  evidence["verifications"] =
      boost::json::array(a.verification_ids.begin(), a.verification_ids.end());
  o["evidence"] = std::move(evidence);
  o["time"] = utc(a.time_unix_nanos);
  o["created"] = utc(a.created_unix_nanos);
  if (auto c = claimed_anomaly(a.kind); !c.empty()) o["claims"] = c;
  return o;
}

}  // namespace serialtrack::trace

// The alert workflow as a service (issue 7, "Alerts"): what `GET /alerts`, `POST
// /alerts/{id}` and `serialtrack alerts` call. Alerts are raised by detection
// (trace/detection.h) into the alert book (store/alert_book.h); here they are listed
// with filters, read, moved new -> investigating -> closed, counted, and rendered as JSON.
// Thread-safe as the AlertBook is.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "store/alert_book.h"
#include "trace/service_error.h"

namespace serialtrack::trace {

// A listing's filters as a request gives them (each "" when not given).
struct AlertQuery {
  std::string kind;      // a detection kind (kDetectionKinds)
  std::string state;     // "new", "investigating", "closed"
  std::string item;      // an item in any identifier form, or a client id
  std::string since;     // RFC 3339: raised at or after
  std::string severity;  // "low", "medium", "high", "critical"
  // When not empty: only alerts naming an item whose canonical key starts with one of
  // these (store::AlertFilter::item_prefixes; a manufacturer's view).
  std::vector<std::string> item_prefixes;
  size_t limit = 100;
  int64_t after_id = 0;  // cursor: alerts with a larger id
};

// The alerts matching query, oldest first. Error kInvalidArgument for an unknown kind,
// state or severity, a since that is not RFC 3339, or a limit of 0 or above 10,000.
ServiceResult<std::vector<store::DetectionAlert>> list_alerts(store::AlertBook& book,
                                                              const AlertQuery& query);

// One alert. Error kNotFound when there is none.
ServiceResult<store::DetectionAlert> get_alert(store::AlertBook& book, int64_t id);

// Moves an alert to "investigating" or "closed" (reason required); returns it as it is
// now. Error kNotFound for no such alert, kInvalidArgument for an unknown state, a
// missing reason, or a move the workflow does not allow (closed stays closed).
ServiceResult<store::DetectionAlert> move_alert(store::AlertBook& book, int64_t id,
                                                const std::string& state,
                                                const std::string& reason);

// Alerts raised per kind, total and not closed, every detection kind present (0 when
// none): what /metrics exports as serialtrack_alerts_total{kind} and
// serialtrack_alerts_open{kind}.
ServiceResult<std::map<std::string, store::AlertBook::KindCount>> alert_counts(
    store::AlertBook& book);

// The JSON object of an alert: id, kind, severity, state, closeReason (closed only),
// message, items [..], evidence {eventIDs [..], verifications [log sequence numbers]},
// time (RFC 3339 UTC, the anomaly's event time), created (RFC 3339 UTC), claims (the
// anomaly kind the rule stands for, absent when none).
boost::json::object alert_json(const store::DetectionAlert& alert);

}  // namespace serialtrack::trace

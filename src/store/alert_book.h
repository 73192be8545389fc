// The alert book: detection alerts as a workflow (issue 7, "Detection"). Each alert has
// a kind (what rule raised it), a severity, the items it names, its evidence (the
// eventIDs and verification log sequence numbers involved), the event time of the
// anomaly, when it was raised, and a state: new -> investigating -> closed (with a
// reason). The lifecycle alerts of capture (Store::alerts) stay where they are; the
// detection layer (trace/detection.h) copies the ones it builds on into this book with
// their evidence.
//
// In SQLite it lives in the event store's file, on a connection of its own, in tables of
// its own (detection_alerts, detection_alert_items) with its own schema version
// (detection_alerts_meta), like the verification log.
//
// Thread-safety: an AlertBook is safe for concurrent use from many threads without
// external synchronisation (calls are serialised on its connection).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "store/store.h"

namespace serialtrack::store {

enum class AlertState : uint8_t { kNew, kInvestigating, kClosed };
// "new", "investigating", "closed" and back (nullopt for any other word).
std::string_view alert_state_name(AlertState state);
std::optional<AlertState> alert_state_from_name(std::string_view name);

struct DetectionAlert {
  int64_t id = 0;                         // assigned by the book (1, 2, ...)
  std::string kind;                       // the rule: "impossible_travel", "diversion"...
  std::string severity;                   // "low", "medium", "high", "critical"
  std::vector<std::string> items;         // canonical keys (Digital Link URIs) or client ids
  std::vector<std::string> event_ids;     // evidence: EPCIS eventIDs
  std::vector<int64_t> verification_ids;  // evidence: verification log sequence numbers
  int64_t time_unix_nanos = 0;            // event time of the anomaly (its latest evidence)
  int64_t created_unix_nanos = 0;         // when it was raised (wall clock)
  AlertState state = AlertState::kNew;
  std::string close_reason;  // for kClosed
  std::string message;       // one sentence for a person
  bool operator==(const DetectionAlert&) const = default;
};

// What list() returns: every given field must hold. Newest (highest id) last.
struct AlertFilter {
  std::optional<std::string> kind;
  std::optional<AlertState> state;
  std::optional<std::string> item;      // an item (canonical key) the alert names
  std::optional<std::string> severity;  // "low", "medium", "high", "critical"
  // When not empty: only alerts naming an item whose key starts with one of these (a
  // manufacturer's own company prefix: one index range per prefix).
  std::vector<std::string> item_prefixes;
  std::optional<int64_t> since_unix_nanos;  // created at or after
  size_t limit = 1000;
  int64_t after_id = 0;  // cursor: only alerts with a larger id
};

class AlertBook {
 public:
  virtual ~AlertBook() = default;

  // Stores new alerts (their ids and states are ignored: the book assigns the next ids
  // and kNew) in one durable transaction: all of them or, on error, none. Returns their
  // ids in order; error kIo when the database cannot be written.
  virtual Result<std::vector<int64_t>> raise(std::span<const DetectionAlert> alerts) = 0;

  // The alert with this id; nullopt when there is none.
  virtual Result<std::optional<DetectionAlert>> get(int64_t id) = 0;

  // The alerts matching filter, in id order, at most filter.limit.
  virtual Result<std::vector<DetectionAlert>> list(const AlertFilter& filter) = 0;

  // Moves an alert to state (reason recorded for kClosed, required non-empty then).
  // Allowed: new -> investigating, new -> closed, investigating -> closed. Returns the
  // alert as it is now; nullopt when there is no such alert. Error kInvalidQuery for a
  // move that is not allowed (nothing changes).
  virtual Result<std::optional<DetectionAlert>> set_state(int64_t id, AlertState state,
                                                          const std::string& reason) = 0;

  // How many alerts of each kind were ever raised, and how many of them are not closed:
  // kind -> {total, open}. For /metrics (Prometheus counters and gauges).
  struct KindCount {
    uint64_t total = 0, open = 0;
    bool operator==(const KindCount&) const = default;
  };
  virtual Result<std::map<std::string, KindCount>> counts_by_kind() = 0;
};

// Opens (creating when absent) the alert book in the SQLite database at path, the
// event store's file. Error kIo when the file cannot be opened, kCorrupt when its
// schema is newer than this program's.
Result<std::unique_ptr<AlertBook>> open_sqlite_alert_book(const std::string& path);

}  // namespace serialtrack::store

// The event store: where captured EPCIS events live, durably, with the indexes the
// EPCIS query language needs. One interface, two implementations: SQLite (embedded,
// the default, open_sqlite) and PostgreSQL (later). Capture is a write of events;
// everything derived from them (item state, inventory, alerts) is written in the same
// transaction by the caller's projection (see trace/), so a reader never sees an event
// without its effects.
//
// Thread-safety: a Store is safe for concurrent use from many threads without external
// synchronisation; concurrent captures are serialised by the store.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "epcis/event.h"

namespace serialtrack::store {

struct Error {
  enum class Kind : uint8_t {
    kIo,              // the database could not be opened, read or written
    kCorrupt,         // the file is not a serialtrack database, or is damaged
    kInvalidQuery,    // a query parameter the store cannot answer (QueryParameterException)
    kInvalidEvent,    // an event the store cannot store (e.g. no eventID)
  };
  Kind kind = Kind::kIo;
  std::string message;
  long event_index = -1;  // for kInvalidEvent: the event of the capture
};

template <typename T>
using Result = serialtrack::Result<T, Error>;

// What a capture did. Events already stored (same eventID) are duplicates: reported,
// never stored twice (idempotent capture, EPCIS 2.0 §8.2.7).
struct CaptureOutcome {
  size_t accepted = 0;
  size_t duplicates = 0;
  std::vector<int64_t> sequence;  // per event of the capture: its store sequence number
};

// An event as stored: the store's sequence number orders captures (recordTime order)
// and makes cursors stable under concurrent inserts.
struct StoredEvent {
  int64_t sequence = 0;
  epcis::Event event;
};

// A subset of the EPCIS 2.0 query language (§8.2.7.1) answered on indexes.
// Empty fields do not constrain. Times are [ge, lt).
struct EventQuery {
  std::vector<epcis::EventType> event_types;
  std::optional<int64_t> ge_event_time, lt_event_time;    // unix nanos
  std::optional<int64_t> ge_record_time, lt_record_time;
  std::vector<epcis::Action> actions;
  std::vector<std::string> biz_steps, dispositions, read_points, biz_locations;
  std::vector<std::string> event_ids;
  std::vector<std::string> match_epc;         // epcList / childEPCs
  std::vector<std::string> match_parent_id;
  std::vector<std::string> match_input_epc, match_output_epc;
  std::vector<std::string> match_any_epc;     // any of the above roles
  std::vector<std::string> transformation_ids;
  std::optional<bool> exists_error_declaration;
  size_t limit = 1000;                        // page size (eventCountLimit / perPage)
  int64_t after_sequence = 0;                 // cursor: only events after this sequence
};

struct QueryPage {
  std::vector<StoredEvent> events;           // in sequence order
  std::optional<int64_t> next_after;         // cursor for the next page, when there is one
};

// Per-item records a capture's projection reads and writes inside the capture's
// transaction (trace/ decides what the record holds; the store only keeps it). Ids
// are matched in any form (URN or Digital Link), like queries.
class ItemTable {
 public:
  virtual ~ItemTable() = default;
  // The record of an item, or nullopt when it has none.
  virtual std::optional<std::string> get(const std::string& id) = 0;
  // Writes an item's record and its container ("" for none).
  virtual void put(const std::string& id, const std::string& parent, const std::string& record) = 0;
  // The ids of the items whose container is parent.
  virtual std::vector<std::string> children_of(const std::string& parent) = 0;
};

// Something a projection found wrong with an event (a lifecycle rule broken).
struct AlertRecord {
  std::string kind, item, event_id, reason;
  int64_t sequence = 0;  // assigned by the store
};

// Runs once per newly stored event, in order, inside the capture's transaction: if the
// capture rolls back, so does everything the projection wrote.
class Projection {
 public:
  virtual ~Projection() = default;
  virtual void apply(const epcis::Event& event, ItemTable& items, std::vector<AlertRecord>& alerts) = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Stores the events in one transaction: all of them or, on error, none. Each event
  // must carry its eventID (a capture service assigns the CBV 2.0 §8.9 hash to those
  // without one). The transaction is durable when this returns (synchronous commit).
  // With a projection, each stored event is also applied to the item records and the
  // alerts it raises are stored, all in the same transaction.
  virtual Result<CaptureOutcome> capture(std::span<const epcis::Event> events,
                                         Projection* projection = nullptr) = 0;

  // The record of an item (any identifier form), or nullopt when it has none.
  virtual Result<std::optional<std::string>> item(const std::string& id) = 0;

  // The ids of the items directly inside a container.
  virtual Result<std::vector<std::string>> children(const std::string& parent) = 0;

  // Alerts raised about an item (any form), oldest first; all alerts when id is empty.
  virtual Result<std::vector<AlertRecord>> alerts(const std::string& id, size_t limit = 1000) = 0;

  // Records an error declaration (EPCIS 2.0 §7.4.1.2) for an event already stored: the
  // event is kept (events are facts) but marked erroneous, and with a projection the
  // records of the items it named are rebuilt from their remaining events in eventTime
  // order (alerts from the rebuild are not raised again). One transaction. Returns false
  // when no event with that eventID is stored.
  virtual Result<bool> declare_error(const std::string& event_id,
                                     const epcis::ErrorDeclaration& declaration,
                                     Projection* projection) = 0;

  // The event with this eventID; nullopt when there is none ("not found" is no error).
  virtual Result<std::optional<StoredEvent>> event(const std::string& event_id) = 0;

  // Events matching query, in sequence order, at most query.limit.
  virtual Result<QueryPage> query(const EventQuery& query) = 0;

  // Number of events stored.
  virtual Result<int64_t> event_count() = 0;
};

struct SqliteOptions {
  bool durable = true;   // synchronous=FULL: an acknowledged capture survives power loss
};

// Opens (creating when absent) the SQLite database at path and migrates its schema to
// the current version. The caller owns the Store.
Result<std::unique_ptr<Store>> open_sqlite(const std::string& path, const SqliteOptions& options = {});

}  // namespace serialtrack::store

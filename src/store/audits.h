// Physical audits kept in the store (issue 6, cycle counts): each count's record — the
// location, when, the count event's eventID, how many items were seen and expected —
// with its discrepancies, and the audit schedule per location (every N days), from
// which "last audited" and the overdue locations follow. On a second connection to the
// event store's file, in tables prefixed audit_ (schema version in audit_meta).
//
// Thread-safety: an Audits is safe for concurrent use from many threads without
// external synchronisation (one connection, serialised by a mutex).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/store.h"

namespace serialtrack::store {

// One thing a count found wrong with an item (trace/audit.h decides the values).
struct AuditDiscrepancy {
  std::string kind;         // "missing", "unexpected" or "wrong_state"
  std::string item;         // canonical identifier (GS1 Digital Link)
  std::string location;     // where the system had the item ("" when unknown)
  std::string disposition;  // its disposition in the system
  std::string status;       // its status (trace/pack_status.h names: "ACTIVE"...)
  std::string custodian;    // possessor, else owner
  std::string reason;       // one sentence
  bool operator==(const AuditDiscrepancy&) const = default;
};

struct AuditRecord {
  int64_t id = 0;         // assigned by add (1, 2, ...)
  std::string location;   // as given to the count
  int64_t counted = 0;    // unix nanos: the count event's eventTime
  std::string event_id;   // the count event's eventID
  uint64_t seen = 0;      // items counted as seen (scanned, and in sealed containers)
  uint64_t expected = 0;  // items the system had in stock there
  std::vector<AuditDiscrepancy> discrepancies;  // in the order given to add
};

// A location's schedule and when it was last audited (its latest count, if any).
struct AuditSchedule {
  std::string location;
  int64_t every_days = 0;
  std::optional<int64_t> last_audited;  // unix nanos
  bool operator==(const AuditSchedule&) const = default;
};

class Audits {
 public:
  virtual ~Audits() = default;

  // Stores a count with its discrepancies in one transaction; returns its new id.
  virtual Result<int64_t> add(const AuditRecord& record) = 0;

  // The count with this id, with its discrepancies; nullopt when there is none.
  virtual Result<std::optional<AuditRecord>> get(int64_t id) = 0;

  // The counts of a location ("" for every location), newest first, with their
  // discrepancies.
  virtual Result<std::vector<AuditRecord>> list(const std::string& location) = 0;

  // Sets (replacing) a location's schedule; every_days 0 removes it.
  virtual Result<void*> set_schedule(const std::string& location, int64_t every_days) = 0;

  // Every schedule, by location, each with the time of the location's latest count.
  virtual Result<std::vector<AuditSchedule>> schedules() = 0;
};

// Opens (creating its tables when absent) the audits of the database at path.
Result<std::unique_ptr<Audits>> open_sqlite_audits(const std::string& path);

}  // namespace serialtrack::store

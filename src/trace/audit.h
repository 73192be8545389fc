// Physical audits (issue 6, cycle counts): the serials seen at a location — a scan list
// or an EPCIS ObjectEvent with bizStep cycle_counting (CBV 2.0 §7.1) — compared with
// what the system has in stock there (the location and its sub-locations in the
// master-data hierarchy, store/stock.h). A sealed container scanned counts for what it
// holds (EPCIS 2.0 §7.4.3) unless something inside it was scanned too; then it was
// opened, and only what was scanned counts.
//
// The report lists, once each and sorted by kind then item: items expected but not
// seen (missing), items seen that the system had elsewhere or never knew (unexpected,
// with where it had them and their state), and items seen whose state forbids them to
// be on a shelf (wrong_state: not ACTIVE in pack_status.h terms — supplied, destroyed,
// stolen, recalled, expired... — or in another party's custody than the count's).
//
// The count is captured as one ObjectEvent OBSERVE, bizStep cycle_counting, readPoint
// and bizLocation the location, of the items seen (opened containers left out: an event
// on one would apply to all it held), through trace::capture, so item state follows
// what was seen; each discrepancy is raised as an alert ("audit_missing",
// "audit_unexpected", "audit_wrong_state") naming the count event, and the count is
// kept with its discrepancies in store/audits.h. Schedules give each location a
// period; a location is overdue when never audited or last audited longer ago.
//
// Shared by the CLI and HTTP. Thread-safe as the Store, StockCounts and Audits are.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "epcis/event.h"
#include "store/audits.h"
#include "store/stock.h"
#include "store/store.h"
#include "trace/service_error.h"

namespace serialtrack::trace {

// CBV 2.0 §7.1 cycle_counting.
inline constexpr std::string_view kCycleCounting = "urn:epcglobal:cbv:bizstep:cycle_counting";

// The identifiers of a scan list, one a line in any form gs1::identify accepts (element
// strings, scan data, GS1 Digital Link, EPC URIs), canonical (GS1 Digital Link), in
// order, repeats kept once. Blank lines and lines starting with '#' are skipped; spaces
// and a trailing CR are trimmed. Error kInvalidArgument "line N: <gs1 error>" for the
// first line that does not parse, or names no single item (a GTIN without serial).
ServiceResult<std::vector<std::string>> read_scan_list(std::string_view text);

// A count to make at a location.
struct CountRequest {
  std::string location;           // the SGLN counted (URN or Digital Link, as events name it)
  std::vector<std::string> seen;  // items scanned, any identifier form
  // The party that holds stock here (PGLN, as events name custodians); items seen in
  // another party's custody are wrong_state. "": not checked.
  std::string custodian;
  std::optional<int64_t> now;  // unix nanos: the count's time; nullopt: the clock
  // An uploaded count event (read_count_document): captured as it is, its eventID and
  // eventTime kept; seen must be its epcList then.
  std::optional<epcis::Event> event;
};

// The count of an EPCIS document (JSON-LD or XML) holding one ObjectEvent OBSERVE with
// bizStep cycle_counting: seen is its epcList, location its bizLocation (else its
// readPoint; location, when given, must be the same). Error kInvalidArgument when the
// document does not decode, holds another number or kind of event, names no location,
// or an EPC that is no item identifier.
ServiceResult<CountRequest> read_count_document(std::string_view text, const std::string& location);

// Counts: compares, captures the count event, raises the alerts and stores the record.
// Returns the record with its id and discrepancies. Error kInvalidArgument (nothing
// stored) for a location that is no SGLN, an item that is no identifier, nothing seen,
// a count event already captured, or an uploaded event whose location differs; kStore
// when the store fails.
ServiceResult<store::AuditRecord> count(store::Store& store, store::StockCounts& counts,
                                        store::Audits& audits, const CountRequest& request);

// Every count of a location ("" all), newest first.
ServiceResult<std::vector<store::AuditRecord>> list_audits(store::Audits& audits,
                                                           const std::string& location);

// One count. Error kNotFound for an unknown id.
ServiceResult<store::AuditRecord> audit(store::Audits& audits, int64_t id);

// Sets a location's schedule: audited every every_days days (0 removes it). Error
// kInvalidArgument for a location that is no SGLN or a negative period.
ServiceResult<void*> set_audit_schedule(store::Audits& audits, const std::string& location,
                                        int64_t every_days);

// A schedule with its due time.
struct ScheduleStatus {
  store::AuditSchedule schedule;
  std::optional<int64_t> due;  // unix nanos: last audited + period; nullopt: never audited
  bool overdue = false;        // never audited, or due before now
};

// Every schedule with its state at now (nullopt: the clock), by location.
ServiceResult<std::vector<ScheduleStatus>> audit_schedules(store::Audits& audits,
                                                           std::optional<int64_t> now = {});
// The overdue ones of audit_schedules, by location.
ServiceResult<std::vector<ScheduleStatus>> overdue_audits(store::Audits& audits,
                                                          std::optional<int64_t> now = {});

// True when the record has a discrepancy.
inline bool has_discrepancies(const store::AuditRecord& r) {
  return !r.discrepancies.empty();
}

// JSON renderings shared by the CLI and HTTP. Field names:
//   AuditRecord: {"id", "location", "counted" (RFC 3339), "eventID", "seen", "expected",
//     "missing": n, "unexpected": n, "wrongState": n,
//     "discrepancies": [{"kind" ("missing"|"unexpected"|"wrong_state"), "item",
//       "location", "disposition", "status", "custodian", "reason"}]}
//   list: [AuditRecord...]
//   ScheduleStatus list: [{"location", "everyDays", "lastAudited" (RFC 3339 | null),
//     "due" (RFC 3339 | null), "overdue"}]
std::string audit_json(const store::AuditRecord& record);
std::string audits_json(const std::vector<store::AuditRecord>& records);
std::string audit_schedules_json(const std::vector<ScheduleStatus>& schedules);

}  // namespace serialtrack::trace

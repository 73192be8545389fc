// Recalls (issue 6): a recall is defined by what it takes back (a GTIN, lots, serials,
// serial ranges, an expiry window, or any EPCIS query), with a reason, a severity and
// instructions, and stored with an id. Running it finds the affected items — the
// matching items and everything made from one (TransformationEvent outputs, EPCIS 2.0
// §7.4.5, followed on) — and marks each of them RECALLED once, by capturing ObjectEvents
// OBSERVE with disposition recalled and persistentDisposition set recalled (CBV 2.0
// §7.2, EPCIS 2.0 §7.3.5.5: it stays whatever events follow). The containers an
// affected item is in now (cases, pallets) are in the report as affected too, but are
// not marked: an event on a container applies to all it holds (EPCIS 2.0 §7.4.3), and
// its other contents are not recalled.
//
// Progress is derived from item state and the events after the recall: each affected
// item is destroyed (its life ended), returned (a receiving event since the recall, with
// disposition recalled or returned, named it or a container it is in), located (seen in
// another event since the recall) or still in the field — one of the four, per
// custodian (the possessing party, else the owning party).
//
// Shared by the CLI and HTTP: each request is a struct, each answer a struct with a
// JSON / CSV / EPCIS rendering. Thread-safe as the Store and Recalls are.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "epcis/event.h"
#include "store/recalls.h"
#include "store/store.h"
#include "store/warranty_records.h"
#include "trace/item_state.h"
#include "trace/service_error.h"

namespace serialtrack::trace {

// FDA 21 CFR 7.3(m): class I (serious harm likely), II (temporary or remote), III
// (unlikely to cause harm).
enum class RecallSeverity : uint8_t { kClassI, kClassII, kClassIII };
// "I", "II", "III", and back (also "1".."3", "class-i"...; nullopt: unknown).
std::string_view recall_severity_name(RecallSeverity severity);
std::optional<RecallSeverity> recall_severity_from_name(std::string_view name);

// Serials first..last of the recall's GTIN: numerically when both are digits, else in
// text order.
struct SerialRange {
  std::string first, last;
  bool operator==(const SerialRange&) const = default;
};

// What a recall takes back: every given constraint must hold. The items looked at are
// those of serials when given, else those the query's events name, else every item of
// the GTIN. At least one of gtin, serials, query.
struct RecallDefinition {
  std::string gtin;                        // 14 digits
  std::vector<std::string> lots;           // any of them
  std::vector<std::string> serials;        // items in any identifier form
  std::vector<SerialRange> serial_ranges;  // any of them (needs gtin)
  std::string expiry_from, expiry_to;      // "YYYY-MM-DD", inclusive; "" open
  // EPCIS query parameters (query.h, "EQ_bizStep" -> "commissioning"): the items named
  // by its events (epcList, childEPCs, input and output EPCs).
  std::vector<std::pair<std::string, std::string>> query;
  std::string reason;  // required
  RecallSeverity severity = RecallSeverity::kClassII;
  std::string instructions;
  bool operator==(const RecallDefinition&) const = default;
};

struct Recall {
  int64_t id = 0;
  int64_t created = 0;  // unix nanos: "since the recall" counts from here
  RecallDefinition definition;
};

// Called during long work with how much is done of how much (items).
using WorkProgress = std::function<void(size_t done, size_t total)>;

// What running a recall did.
struct RecallRun {
  size_t members = 0;         // affected items (matched and derived), containers not counted
  size_t newly_marked = 0;    // marked RECALLED by this run
  size_t already_marked = 0;  // carried the recalled persistent disposition already
  size_t not_marked = 0;      // life already ended (destroyed, consumed...): nothing to mark
  std::vector<std::string> not_found;  // serials of the definition the store has never seen
};

// Validates and stores a recall, then runs it (run_recall). Error kInvalidArgument (and
// nothing stored) for a definition with no item source, a GTIN not of 14 digits, ranges
// without GTIN, a malformed date, an identifier or query parameter that does not parse,
// or no reason.
ServiceResult<std::pair<Recall, RecallRun>> create_recall(store::Store& store,
                                                          store::Recalls& recalls,
                                                          const RecallDefinition& definition,
                                                          const WorkProgress& progress = {});

// Finds the recall's affected items (adding new ones to its members) and marks those
// not yet recalled, in events of up to 1000 items, ten to a capture transaction.
// Idempotent: a second run marks nothing already marked. Error kNotFound for an
// unknown id.
ServiceResult<RecallRun> run_recall(store::Store& store, store::Recalls& recalls, int64_t id,
                                    const WorkProgress& progress = {});

enum class RecallStatus : uint8_t { kInField, kLocated, kReturned, kDestroyed };
// "in_field", "located", "returned", "destroyed".
std::string_view recall_status_name(RecallStatus status);

// One affected item as it is now.
struct AffectedItem {
  std::string id;    // canonical (epcis::canonical_key: GS1 Digital Link for GS1 keys)
  std::string role;  // "matched", "derived" (made from via), "container" (holds via)
  std::string via;
  std::vector<std::string> containers;  // the item's container, its container... now (canonical)
  std::optional<ItemState> state;       // nullopt: the store has no state for it
  std::string custodian;                // possessor, else owner
  std::optional<RecallStatus> status;   // for matched and derived items
  // The customer reference of the item's warranty registration (store/warranty_records.h:
  // opaque, no personal data), so the manufacturer can reach the consumer; "" when the
  // item is not registered or the report was made without warranty records.
  std::string customer_reference;
};

struct RecallCounts {
  std::string custodian;  // "" in the totals, and for items with no known custodian
  uint64_t total = 0, located = 0, returned = 0, destroyed = 0, in_field = 0;
  bool operator==(const RecallCounts&) const = default;
};

struct RecallReport {
  Recall recall;
  std::vector<AffectedItem> items;  // members in order, then the containers
  RecallCounts totals;
  std::vector<RecallCounts> per_custodian;  // by custodian
};

// The recall with its affected items as they are now and the progress counts.
// Error kNotFound for an unknown id.
ServiceResult<RecallReport> recall_report(store::Store& store, store::Recalls& recalls, int64_t id,
                                          const WorkProgress& progress = {});

// As above, with each affected item's warranty registration: its customer reference
// (AffectedItem::customer_reference) where the warranty records hold one, so that the
// consumers who registered a recalled item are reached too. Error kStore when the
// records cannot be read.
ServiceResult<RecallReport> recall_report(store::Store& store, store::Recalls& recalls,
                                          store::WarrantyRecords& warranty, int64_t id,
                                          const WorkProgress& progress = {});

// What one custodian may see of a report (issue 6 access: each custodian sees its own
// items only): the items and containers whose custodian names the party (a 13-digit GLN,
// the custodian in any form store::party_gln reads), the progress of those custodians
// alone, and no customer references (the warrantor's data, not the custodian's).
RecallReport custodian_view(RecallReport report, const std::string& party_gln);

// One recall's definition. Error kNotFound for an unknown id.
ServiceResult<Recall> find_recall(store::Recalls& recalls, int64_t id);

// Every recall, by id.
ServiceResult<std::vector<Recall>> list_recalls(store::Recalls& recalls);

// The recall's events (the marking ObjectEvents) as an EPCIS document, for regulators
// and partners. Error kNotFound for an unknown id.
ServiceResult<epcis::Document> recall_document(store::Store& store, store::Recalls& recalls,
                                               int64_t id);

// Renderings shared by the CLI and HTTP. JSON field names:
//   Recall: {"id", "created" (RFC 3339), "gtin", "lots": [], "serials": [],
//            "serialRanges": [{"first","last"}], "expiryFrom", "expiryTo",
//            "query": [{"name","value"}], "reason", "severity" ("I"|"II"|"III"),
//            "instructions"}
//   RecallRun: {"members","newlyMarked","alreadyMarked","notMarked","notFound": []}
//   RecallReport: {"recall": Recall, "items": [{"id","role","via","containers": [],
//            "custodian","owner","possessor","location","disposition",
//            "persistentDispositions": [],"lot","expiry","lastEventTime","status",
//            "customerReference"? (only when registered)}],
//            "progress": {"total","located","returned","destroyed","inField",
//            "perCustodian": [{"custodian","total","located","returned","destroyed","inField"}]}}
std::string recall_json(const Recall& recall);
// The definition in a JSON object of recall_json's fields ("id" and "created" ignored;
// absent fields empty, severity II by default). Error kInvalidArgument naming the first
// field of the wrong type or unknown name; the definition itself is checked by
// create_recall.
ServiceResult<RecallDefinition> recall_definition_from_json(std::string_view text);
std::string recalls_json(const std::vector<Recall>& recalls);
std::string recall_run_json(const RecallRun& run);
std::string recall_report_json(const RecallReport& report);
// CSV of the affected items: id,role,via,containers (";"-separated),custodian,location,
// disposition,status,lot,expiry,last_event_time,customer_reference.
std::string recall_report_csv(const RecallReport& report);

// The extension field naming the recall in its marking events ("<ns>#recallID").
inline constexpr std::string_view kRecallNamespace = "urn:serialtrack:epcis:";
inline constexpr std::string_view kRecallNamespacePrefix = "serialtrack";
inline constexpr std::string_view kRecallIdField = "recallID";

}  // namespace serialtrack::trace

// Warranty and service: is this item under warranty, and what service has it had?
// (issue 6). Terms per product or family, registration of an item to an owner with
// proof checks, coverage status, claims with automatic fraud checks and replacements,
// and service records (repairs, inspections, part replacements, firmware updates)
// kept as EPCIS events on the item, so they show in its history like every other step.
//
// Owners are opaque customer references (warranty_records.h); they never go into an
// EPCIS event. Times are unix seconds, `now` passed in (tests and replays set it).
// Thread-safe as the Store and WarrantyRecords are.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/store.h"
#include "store/warranty_records.h"
#include "trace/item_state.h"

namespace serialtrack::trace {

struct WarrantyFailure {
  enum class Kind : std::uint8_t {
    kInvalidInput,       // an identifier that does not parse, an empty owner, a bad plan...
    kUnknownItem,        // no event ever named the item
    kNotGenuine,         // not commissioned, or commissioned twice (a suspected clone)
    kVoid,               // destroyed, stolen, or replaced: it can carry no warranty
    kNotSold,            // the terms need a sale (retail_selling / dispensing) first
    kNoTerms,            // no warranty terms for the item's product
    kAlreadyRegistered,  // registered to another owner (transfer is its own operation)
    kNotRegistered,      // transfer / claim on an item never registered
    kNotFound,           // no such claim
    kConflict,           // a claim decision that its state does not allow
    kStore,              // the store failed (I/O): nothing was changed
  };
  Kind kind = Kind::kInvalidInput;
  std::string message;  // one sentence for a person
};

template <typename T>
using WarrantyOutcome = serialtrack::Result<T, WarrantyFailure>;

// "invalid_input", "unknown_item", "not_genuine"... (for JSON and problem types).
std::string_view warranty_failure_name(WarrantyFailure::Kind kind);

// The canonical key an item is registered under (its GS1 Digital Link URI with the
// stem https://id.gs1.org), from any identifier form gs1::identify or EPCIS accepts.
WarrantyOutcome<std::string> warranty_item_key(const std::string& given);

// Stores the terms of a product or family, replacing those with the same key.
// kInvalidInput (nothing stored) for a product key that is not 1 to 14 digits, a duration
// that is not positive, or a plan without a name or with no extra days.
WarrantyOutcome<store::WarrantyTerms> set_warranty_terms(store::WarrantyRecords& records,
                                                         const store::WarrantyTerms& terms);

struct RegistrationRequest {
  std::string item;   // any identifier form
  std::string owner;  // opaque customer reference
  std::string plan;   // "" or an extended plan's name
  std::int64_t now = 0;
};

// Registers an item to an owner after the proof checks: the item exists, is genuine,
// is not void, has terms, has been sold unless its terms say otherwise, and is not
// registered already (kAlreadyRegistered names no owner). Coverage starts as the
// terms' start rule says and lasts duration + the plan's extra days. Nothing is stored
// on failure.
WarrantyOutcome<store::Registration> register_warranty(store::Store& events,
                                                       store::WarrantyRecords& records,
                                                       const RegistrationRequest& request);

// Gives a registered item a new owner (a sale between customers); the coverage stays.
WarrantyOutcome<store::Registration> transfer_warranty(store::Store& events,
                                                       store::WarrantyRecords& records,
                                                       const std::string& item,
                                                       const std::string& new_owner,
                                                       std::int64_t now);

enum class Coverage : std::uint8_t {
  kCovered,          // registered, within [start, end)
  kExpired,          // registered, past its end
  kNeverRegistered,  // known item, no registration (terms may exist: `terms`)
  kVoid,             // stolen, destroyed, or replaced under a claim
};
// "covered", "expired", "never_registered", "void".
std::string_view coverage_name(Coverage c);

struct WarrantyStatus {
  std::string item;  // canonical key
  Coverage coverage = Coverage::kNeverRegistered;
  std::string reason;  // why, in words ("replaced by …", "stolen", "ended 2027-01-01")
  std::optional<store::Registration> registration;
  std::optional<store::WarrantyTerms> terms;
  std::vector<store::Claim> claims;
};

// The warranty status of any item; kUnknownItem when no event ever named it.
WarrantyOutcome<WarrantyStatus> warranty_status(store::Store& events,
                                                store::WarrantyRecords& records,
                                                const std::string& item, std::int64_t now);

// Fraud-check findings a claim may carry (ClaimFinding names them in Claim::flags).
// Any of the first five rejects the claim at once; repeated claims open it for review.
inline constexpr std::string_view kFlagUnknownSerial = "unknown_serial";
inline constexpr std::string_view kFlagSuspectedCounterfeit = "suspected_counterfeit";
inline constexpr std::string_view kFlagStolenOrDestroyed = "stolen_or_destroyed";
inline constexpr std::string_view kFlagExpired = "warranty_expired";
inline constexpr std::string_view kFlagAlreadyReplaced = "already_replaced";
inline constexpr std::string_view kFlagNotRegistered = "not_registered";
inline constexpr std::string_view kFlagRepeatedClaims = "repeated_claims";

struct ClaimRequest {
  std::string item;  // any identifier form
  std::string description;
  std::int64_t now = 0;
};

// Opens a claim after the automatic fraud checks. The claim is always recorded (an
// attempt on a stolen serial is evidence too): with a rejecting finding it is stored
// kRejected with its flags and resolution; with repeated claims beyond the terms'
// limit it is kOpen and flagged for review. kInvalidInput only when the identifier
// itself does not parse (then nothing is stored).
WarrantyOutcome<store::Claim> open_claim(store::Store& events, store::WarrantyRecords& records,
                                         const ClaimRequest& request);

struct ClaimDecision {
  enum class Verdict : std::uint8_t { kApprove, kReject, kClose };
  Verdict verdict = Verdict::kApprove;
  std::string resolution;   // why
  std::string replacement;  // kApprove: the replacement item (any form), or "" for a repair
  std::string party;        // who replaces (a PGLN/SGLN URI), recorded in the event
  std::string location;     // where (an SGLN URI), recorded in the event
  std::int64_t now = 0;
};

// Decides a claim: open → approved/rejected, approved/rejected → closed. An approval
// with a replacement checks the replacement (exists, genuine, not void, not registered),
// records an EPCIS ObjectEvent (CBV bizStep `replacing`, both items in its epcList, the
// claim as an `rma` business transaction) and moves the warranty to the new item for
// the rest of the coverage. kConflict for a decision the claim's state does not allow.
WarrantyOutcome<store::Claim> decide_claim(store::Store& events, store::WarrantyRecords& records,
                                           std::int64_t claim_id, const ClaimDecision& decision);

// Service records, stored as EPCIS events on the item (CBV 2.0 bizSteps):
//   repair           ObjectEvent OBSERVE, bizStep repairing
//   inspection       ObjectEvent OBSERVE, bizStep inspecting
//   part replacement AssociationEvent DELETE (bizStep removing) of the old parts and
//                    AssociationEvent ADD (bizStep installing) of the new ones, with the
//                    item as parentID (EPCIS 2.0 §7.4.5)
//   firmware update  ObjectEvent OBSERVE, bizStep kFirmwareUpdating (ours; CBV has
//                    none), the version in the extension field st:firmwareVersion
enum class ServiceKind : std::uint8_t { kRepair, kInspection, kPartReplacement, kFirmwareUpdate };
std::string_view service_kind_name(
    ServiceKind kind);  // "repair", "inspection", "part_replacement", "firmware_update"
std::optional<ServiceKind> service_kind_from_name(std::string_view name);

inline constexpr std::string_view kSerialtrackNamespace = "https://serialtrack.dev/epcis/";
inline constexpr std::string_view kFirmwareUpdating =
    "https://serialtrack.dev/bizstep/firmware_updating";

struct ServiceRecord {
  std::string item;  // any identifier form
  ServiceKind kind = ServiceKind::kRepair;
  std::vector<std::string> parts_removed, parts_installed;  // serialised parts (any form)
  std::string firmware_version;
  std::string note;      // the technician's words (no personal data), st:serviceNote
  std::string location;  // SGLN URI of the workshop, readPoint and bizLocation
  std::int64_t now = 0;
};

// Records a service on a known item; returns the eventIDs captured. kUnknownItem for
// an item never seen; kInvalidInput for a part replacement without parts or a firmware
// update without a version.
WarrantyOutcome<std::vector<std::string>> record_service(store::Store& events,
                                                         const ServiceRecord& record);

struct ServiceEntry {
  ServiceKind kind = ServiceKind::kRepair;
  store::StoredEvent event;
};

// The service events of an item, oldest first (from its history).
WarrantyOutcome<std::vector<ServiceEntry>> service_history(store::Store& events,
                                                           const std::string& item);

}  // namespace serialtrack::trace

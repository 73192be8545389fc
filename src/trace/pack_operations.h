// Operations that change a pack's status (EU FMD decommissioning, Delegated Regulation
// (EU) 2016/161 Art. 22, 25, and its reversal, Art. 13), each recorded as one EPCIS
// ObjectEvent OBSERVE captured through trace::capture, so that item state, alerts and
// history follow:
//
//   operation    bizStep                     disposition          status after
//   supply       cbv dispensing              cbv dispensed        SUPPLIED
//   destroy      cbv destroying              cbv destroyed        DESTROYED
//   stolen       ours reporting_stolen       cbv stolen           STOLEN
//   sample       cbv sampling                ours sample          SAMPLE
//   free-sample  ours free_sampling          ours free_sample     FREE_SAMPLE
//   export       cbv shipping                ours exported        EXPORTED
//   lock         cbv holding                 ours locked          LOCKED
//   checkout     ours checking_out           ours checked_out     CHECKED_OUT
//   undo         ours reactivating           cbv active           ACTIVE
// ("cbv" = urn:epcglobal:cbv:bizstep: / urn:epcglobal:cbv:disp:, "ours" =
// kPackBizStepNs / kPackDispositionNs of pack_status.h.) readPoint and bizLocation are
// the caller's location; the operating party is the event's source of type
// possessing_party (CBV 2.0 §8.4), which is how undo knows who did the operation.
//
// Rules: the pack is verified first (lot and expiry given must match: A24 / A52); an
// unknown pack (A2 / A3) or one no longer ACTIVE (A68) is refused; an operation whose
// status the pack already has answers A7 and records nothing. Undo brings a pack back to
// ACTIVE only within 10 days of the operation, only for the party that did it, and
// never from DESTROYED, STOLEN, EXPIRED, RECALLED or WITHDRAWN (Art. 13(1)). A refused
// operation captures nothing. Every operation asked is appended to the verification log.
//
// Thread-safe: operations are serialised within the process (check and capture are one
// step); two processes operating on one database are not serialised with each other.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "trace/verify.h"

namespace serialtrack::trace {

class Detector;

enum class PackOperation : uint8_t {
  kSupply,
  kDestroy,
  kStolen,
  kSample,
  kFreeSample,
  kExport,
  kLock,
  kCheckOut,
  kUndo,
};
// "supply", "destroy", "stolen", "sample", "free-sample", "export", "lock", "checkout",
// "undo"; and back (nullopt for any other word).
std::string_view pack_operation_name(PackOperation operation);
std::optional<PackOperation> pack_operation_from_name(std::string_view name);
// The status the operation puts an ACTIVE pack in (undo: ACTIVE).
PackStatus pack_operation_status(PackOperation operation);

// Why an operation was refused (absent when it was done).
enum class Refusal : uint8_t {
  kUnknownPack,        // A2 / A3
  kLotMismatch,        // A24
  kExpiryMismatch,     // A52
  kNotActive,          // A68: the pack is in another inactive status
  kAlreadyInState,     // A7: the pack already has the status asked (undo: already ACTIVE)
  kNotReversible,      // undo from DESTROYED, STOLEN, EXPIRED, RECALLED or WITHDRAWN
  kUndoPeriodOver,     // undo more than 10 days after the operation
  kUndoByOtherParty,   // undo by a party other than the one that did the operation
  kNoOperationToUndo,  // no pack operation event to undo was found
};
// "unknown_pack", "lot_mismatch", "expiry_mismatch", "not_active", "already_in_state",
// "not_reversible", "undo_period_over", "undo_by_other_party", "no_operation_to_undo".
std::string_view refusal_name(Refusal refusal);

// How long an operation stays undoable (Delegated Regulation Art. 13(1)(b): ten days).
inline constexpr int64_t kUndoPeriodNanos = 10LL * 24 * 3600 * 1'000'000'000;

struct PackOperationRequest {
  PackOperation operation = PackOperation::kSupply;
  PackQuery pack;
  Caller caller;  // party required (it is recorded and undo checks it); location optional
  int64_t now_unix_nanos = 0;  // the event's time (injected for tests)
};

struct PackOperationAnswer {
  PackOperation operation = PackOperation::kSupply;
  bool done = false;               // an event was captured
  std::optional<Refusal> refusal;  // why not, when not done
  std::optional<AlertCode> alert;
  std::string message;                       // plain words
  PackStatus status = PackStatus::kUnknown;  // the pack's status after the request
  std::string event_id;       // the captured event's id (CBV 2.0 §8.9 hash), when done
  VerifyAnswer verification;  // the verification made before acting
};

// Performs the operation on the pack for the caller at request.now_unix_nanos. Returns
// the answer (a refusal is an answer, not an error); error kInvalidInput for a request
// that does not parse or names no party (nothing captured, nothing logged), kStore when
// the store or the log fails (nothing captured when the capture failed). With a
// detector, the event is captured through Detector::capture (the detection rules run).
VerifyResult<PackOperationAnswer> operate_pack(store::Store& store, store::VerificationLog& log,
                                               const PackOperationRequest& request,
                                               Detector* detector = nullptr);

// The JSON object a pack operation answers (the server route, `serialtrack pack … --json`):
//   operation, done (bool), status, refusal?, alert?, message, eventID?, and
//   verification (the verify_answer_json object).
boost::json::object pack_operation_answer_json(const PackOperationAnswer& answer);

}  // namespace serialtrack::trace

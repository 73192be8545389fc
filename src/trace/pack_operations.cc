#include "trace/pack_operations.h"

#include <boost/json.hpp>
#include <mutex>

#include "epcis/event_hash.h"
#include "trace/capture.h"
#include "trace/detection.h"

namespace serialtrack::trace {
namespace {

constexpr std::string_view kCbvBizStep = "urn:epcglobal:cbv:bizstep:";
constexpr std::string_view kPossessingParty = "urn:epcglobal:cbv:sdt:possessing_party";

struct OperationEntry {
  PackOperation operation;
  std::string_view name;
  bool cbv_step;              // the bizStep is CBV's (else ours)
  std::string_view biz_step;  // local name
  PackStatus status;          // the status it puts the pack in
};

constexpr OperationEntry kOperations[] = {
    {PackOperation::kSupply, "supply", true, "dispensing", PackStatus::kSupplied},
    {PackOperation::kDestroy, "destroy", true, "destroying", PackStatus::kDestroyed},
    {PackOperation::kStolen, "stolen", false, "reporting_stolen", PackStatus::kStolen},
    {PackOperation::kSample, "sample", true, "sampling", PackStatus::kSample},
    {PackOperation::kFreeSample, "free-sample", false, "free_sampling", PackStatus::kFreeSample},
    {PackOperation::kExport, "export", true, "shipping", PackStatus::kExported},
    {PackOperation::kLock, "lock", true, "holding", PackStatus::kLocked},
    {PackOperation::kCheckOut, "checkout", false, "checking_out", PackStatus::kCheckedOut},
    {PackOperation::kUndo, "undo", false, "reactivating", PackStatus::kActive},
};

const OperationEntry& entry(PackOperation op) {
  return kOperations[static_cast<size_t>(op)];
}

std::string biz_step_of(PackOperation op) {
  const OperationEntry& e = entry(op);
  return std::string(e.cbv_step ? kCbvBizStep : kPackBizStepNs) + std::string(e.biz_step);
}

// Delegated Regulation Art. 13(1)(c)-(d): these can never be reverted to active.
bool reversible(PackStatus s) {
  return s != PackStatus::kDestroyed && s != PackStatus::kStolen && s != PackStatus::kExpired &&
         s != PackStatus::kRecalled && s != PackStatus::kWithdrawn && s != PackStatus::kUnknown;
}

PackOperationAnswer refuse(PackOperationAnswer a, Refusal refusal, std::optional<AlertCode> alert,
                           std::string message) {
  a.refusal = refusal;
  a.alert = alert;
  a.message = std::move(message);
  return a;
}

// The latest event on the pack itself that set its current disposition: the operation
// an undo would revert.
store::Result<std::optional<epcis::Event>> last_operation(store::Store& store,
                                                          const std::string& item,
                                                          const std::string& disposition) {
  store::EventQuery q;
  q.match_epc = {item};
  q.dispositions = {disposition};
  q.order_by = store::EventQuery::OrderBy::kEventTime;
  q.descending = true;
  q.limit = 1;
  auto page = store.query(q);
  if (!page) return unexpected(std::move(page).error());
  if (page->events.empty()) return std::optional<epcis::Event>();
  return std::optional<epcis::Event>(std::move(page->events.front().event));
}

std::string operator_of(const epcis::Event& e) {
  for (const auto& s : e.sources)
    if (s.type == kPossessingParty) return s.value;
  return {};
}

// Checks an undo; nullopt when it may go ahead.
VerifyResult<std::optional<PackOperationAnswer>> check_undo(store::Store& store,
                                                            const PackOperationAnswer& a,
                                                            const PackKey& pack,
                                                            const std::string& party, int64_t now) {
  PackStatus s = a.verification.status;
  if (s == PackStatus::kActive)
    return std::optional(refuse(a, Refusal::kAlreadyInState, AlertCode::kAlreadyInState,
                                "Nothing to undo: the pack is already active."));
  const PackDetails& d = *a.verification.details;
  bool expired = !d.expiry.empty() && d.expiry < utc_date(now);
  if (!reversible(s) || expired)
    return std::optional(refuse(a, Refusal::kNotReversible, std::nullopt,
                                "Cannot undo: a pack that is " +
                                    pack_status_words(expired ? PackStatus::kExpired : s) +
                                    " can never be made active again."));
  auto op = last_operation(store, pack.item, disposition_of(s));
  if (!op) return unexpected(VerifyError{VerifyError::Kind::kStore, "", op.error().message});
  if (!*op || operator_of(**op).empty())
    return std::optional(refuse(
        a, Refusal::kNoOperationToUndo, std::nullopt,
        "Cannot undo: no pack operation recorded the pack as " + pack_status_words(s) + "."));
  if (now - (*op)->event_time.unix_nanos > kUndoPeriodNanos)
    return std::optional(
        refuse(a, Refusal::kUndoPeriodOver, std::nullopt,
               "Cannot undo: the pack became " + pack_status_words(s) + " more than 10 days ago."));
  if (operator_of(**op) != party)
    return std::optional(refuse(a, Refusal::kUndoByOtherParty, std::nullopt,
                                "Cannot undo: only the party that made the pack " +
                                    pack_status_words(s) + " (" + operator_of(**op) +
                                    ") may undo it."));
  return std::optional<PackOperationAnswer>();
}

// Checks any other operation; nullopt when it may go ahead.
std::optional<PackOperationAnswer> check_operation(const PackOperationAnswer& a) {
  PackStatus target = entry(a.operation).status;
  PackStatus s = a.verification.status;
  if (s == target)
    return refuse(a, Refusal::kAlreadyInState, AlertCode::kAlreadyInState,
                  "Already done: the pack is already " + pack_status_words(s) + ".");
  if (s != PackStatus::kActive)
    return refuse(a, Refusal::kNotActive, AlertCode::kNotActive,
                  "Refused: the pack is no longer active (" + pack_status_words(s) + ").");
  return std::nullopt;
}

epcis::Event operation_event(PackOperation op, const PackKey& pack, const std::string& party,
                             const std::string& location, int64_t now) {
  epcis::Event e;
  e.type = epcis::EventType::kObject;
  e.action = epcis::Action::kObserve;
  e.event_time = {now, 0};
  e.epc_list = {pack.item};
  e.biz_step = biz_step_of(op);
  e.disposition = disposition_of(entry(op).status);
  e.read_point = location;
  e.biz_location = location;
  e.sources = {{std::string(kPossessingParty), party}};
  e.event_id = epcis::event_hash_id(e);  // CBV 2.0 §8.9
  return e;
}

}  // namespace

std::string_view pack_operation_name(PackOperation operation) {
  return entry(operation).name;
}

std::optional<PackOperation> pack_operation_from_name(std::string_view name) {
  for (const auto& e : kOperations)
    if (e.name == name) return e.operation;
  return std::nullopt;
}

PackStatus pack_operation_status(PackOperation operation) {
  return entry(operation).status;
}

std::string_view refusal_name(Refusal refusal) {
  switch (refusal) {
    case Refusal::kUnknownPack:
      return "unknown_pack";
    case Refusal::kLotMismatch:
      return "lot_mismatch";
    case Refusal::kExpiryMismatch:
      return "expiry_mismatch";
    case Refusal::kNotActive:
      return "not_active";
    case Refusal::kAlreadyInState:
      return "already_in_state";
    case Refusal::kNotReversible:
      return "not_reversible";
    case Refusal::kUndoPeriodOver:
      return "undo_period_over";
    case Refusal::kUndoByOtherParty:
      return "undo_by_other_party";
    case Refusal::kNoOperationToUndo:
      return "no_operation_to_undo";
  }
  return "";
}

VerifyResult<PackOperationAnswer> operate_pack(store::Store& store, store::VerificationLog& log,
                                               const PackOperationRequest& request,
                                               Detector* detector) {
  auto pack = resolve_pack(request.pack);
  if (!pack) return unexpected(std::move(pack).error());
  if (request.caller.party.empty())
    return unexpected(VerifyError{VerifyError::Kind::kInvalidInput, "party",
                                  "party: a pack operation needs the GLN of the party doing it"});
  auto party = party_uri(request.caller.party);
  if (!party) return unexpected(std::move(party).error());
  auto location = location_uri(request.caller.location);
  if (!location) return unexpected(std::move(location).error());
  const int64_t now = request.now_unix_nanos;
  // The check and the capture must not interleave with another operation's, or two
  // concurrent supplies of one pack would both pass the check and both be recorded.
  static std::mutex operations;
  std::lock_guard serialised(operations);
  auto verification = inspect_pack(store, *pack, now);
  if (!verification) return unexpected(std::move(verification).error());

  PackOperationAnswer a;
  a.operation = request.operation;
  a.status = verification->status;
  a.verification = std::move(*verification);
  const VerifyAnswer& v = a.verification;
  std::optional<PackOperationAnswer> refused;
  if (v.alert == AlertCode::kUnknownSerial || v.alert == AlertCode::kUnknownProduct)
    refused = refuse(a, Refusal::kUnknownPack, v.alert, "Refused: " + v.message);
  else if (v.alert == AlertCode::kLotMismatch)
    refused = refuse(a, Refusal::kLotMismatch, v.alert, "Refused: " + v.message);
  else if (v.alert == AlertCode::kExpiryMismatch)
    refused = refuse(a, Refusal::kExpiryMismatch, v.alert, "Refused: " + v.message);
  else if (request.operation == PackOperation::kUndo) {
    auto undo = check_undo(store, a, *pack, *party, now);
    if (!undo) return unexpected(std::move(undo).error());
    refused = std::move(*undo);
  } else {
    refused = check_operation(a);
  }
  if (refused) {
    a = std::move(*refused);
  } else {
    epcis::Event e = operation_event(request.operation, *pack, *party, *location, now);
    auto failed = [](const store::Error& error) {
      return unexpected(VerifyError{VerifyError::Kind::kStore, "", error.message});
    };
    if (detector) {
      if (auto captured = detector->capture(store, std::span(&e, 1)); !captured)
        return failed(captured.error());
    } else if (auto captured = capture(store, std::span(&e, 1)); !captured) {
      return failed(captured.error());
    }
    a.done = true;
    a.event_id = e.event_id;
    a.status = entry(request.operation).status;
    a.message = request.operation == PackOperation::kUndo
                    ? "Undone: the pack is active again."
                    : "Done: the pack is now " + pack_status_words(a.status) + ".";
  }
  if (request.caller.is_public) a.verification.details.reset();
  store::VerificationRecord record{now,
                                   pack->item,
                                   request.caller.client,
                                   *party,
                                   *location,
                                   std::string(pack_operation_name(request.operation)),
                                   std::string(pack_status_name(a.status)),
                                   a.alert ? std::string(alert_code_name(*a.alert)) : ""};
  auto logged = log.append(record);
  if (!logged)
    return unexpected(VerifyError{VerifyError::Kind::kStore, "", logged.error().message});
  return a;
}

boost::json::object pack_operation_answer_json(const PackOperationAnswer& a) {
  boost::json::object o;
  o["operation"] = pack_operation_name(a.operation);
  o["done"] = a.done;
  o["status"] = pack_status_name(a.status);
  if (a.refusal) o["refusal"] = refusal_name(*a.refusal);
  if (a.alert) o["alert"] = alert_code_name(*a.alert);
  o["message"] = a.message;
  if (!a.event_id.empty()) o["eventID"] = a.event_id;
  o["verification"] = verify_answer_json(a.verification);
  return o;
}

}  // namespace serialtrack::trace

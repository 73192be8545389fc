#include "trace/warranty.h"

#include <algorithm>

#include "epcis/event_hash.h"
#include "epcis/time.h"
#include "gs1/digital_link.h"
#include "gs1/identify.h"
#include "trace/capture.h"
#include "trace/history.h"

namespace serialtrack::trace {
namespace {

using Kind = WarrantyFailure::Kind;
using store::Claim;
using store::ClaimState;
using store::Registration;
using store::RegistrationState;

constexpr std::int64_t kDay = 86'400;
constexpr std::string_view kBizStep = "urn:epcglobal:cbv:bizstep:";
constexpr std::string_view kDisp = "urn:epcglobal:cbv:disp:";

Unexpected<WarrantyFailure> fail(Kind kind, std::string message) {
  return unexpected(WarrantyFailure{kind, std::move(message)});
}
template <typename E>
Unexpected<WarrantyFailure> store_failure(const E& e) {
  return fail(Kind::kStore, e.message);
}

bool is_cbv(const std::string& uri, std::string_view prefix, std::string_view word) {
  return uri.size() == prefix.size() + word.size() && uri.starts_with(prefix) &&
         uri.ends_with(word);
}

// What the event store knows of an item that the warranty rules need.
struct ItemFacts {
  std::string key;   // canonical DL URI
  std::string gtin;  // 14 digits
  ItemReport report;
  std::optional<std::int64_t> sold_at;  // unix seconds of its first selling/dispensing event
  std::optional<std::int64_t> made_at;  // of its commissioning
  bool suspected_clone = false;         // commissioned twice, or never (CBV 2.0 §7.1)
  std::string void_reason;              // "stolen", "destroyed": no warranty can hold
};

WarrantyOutcome<ItemFacts> facts_of(store::Store& events, const std::string& given) {
  auto g = gs1::identify(given);
  if (!g || !g->gtin() || !g->serial())
    return fail(Kind::kInvalidInput,
                "'" + given + "' is not a serialised trade item (GTIN + serial)");
  ItemFacts f;
  f.gtin = std::string(*g->gtin());
  f.key = std::string(gs1::kCanonicalDlStem) + "/01/" + f.gtin + "/21/" +
          gs1::uri_escape(*g->serial(), gs1::UriComponent::kPath);
  auto report = item_report(events, f.key);
  if (!report) return store_failure(report.error());
  f.report = std::move(*report);
  if (!f.report.state)
    return fail(Kind::kUnknownItem, f.key + " is unknown: no event ever named it");
  const ItemState& s = *f.report.state;
  for (const auto& a : f.report.alerts)
    if (a.kind == alert_kind_name(AlertKind::kRecommissioned) ||
        a.kind == alert_kind_name(AlertKind::kNotCommissioned))
      f.suspected_clone = true;
  if (!s.commissioned) f.suspected_clone = true;
  for (const auto& e : f.report.history) {
    const auto& ev = e.event;
    std::int64_t t = ev.event_time.unix_nanos / 1'000'000'000;
    if (!f.sold_at && (is_cbv(ev.biz_step, kBizStep, "retail_selling") ||
                       is_cbv(ev.biz_step, kBizStep, "dispensing")))
      f.sold_at = t;
    if (!f.made_at && is_cbv(ev.biz_step, kBizStep, "commissioning")) f.made_at = t;
  }
  if (!f.made_at && s.first_seen) f.made_at = s.first_seen->unix_nanos / 1'000'000'000;
  if (is_cbv(s.disposition, kDisp, "stolen")) f.void_reason = "stolen";
  if (is_cbv(s.disposition, kDisp, "destroyed") || is_cbv(s.disposition, kDisp, "disposed"))
    f.void_reason = "destroyed";
  return f;
}

std::string date_of(std::int64_t unix_seconds) {
  epcis::Timestamp t{unix_seconds * 1'000'000'000, 0};
  return epcis::format_timestamp(t).substr(0, 10);
}

const store::WarrantyPlan* find_plan(const store::WarrantyTerms& terms, const std::string& name) {
  for (const auto& p : terms.plans)
    if (p.name == name) return &p;
  return nullptr;
}

// Captures events made here (they carry no eventID: the CBV 2.0 §8.9 hash is theirs).
WarrantyOutcome<std::vector<std::string>> capture_made(store::Store& events,
                                                       std::vector<epcis::Event> made) {
  std::vector<std::string> ids;
  for (auto& e : made) {
    e.event_id = epcis::event_hash_id(e, {});
    ids.push_back(e.event_id);
  }
  auto r = capture(events, made);
  if (!r) return store_failure(r.error());
  return ids;
}

epcis::Event observe(const std::vector<std::string>& epcs, std::string_view biz_step,
                     const std::string& location, std::int64_t now) {
  epcis::Event e;
  e.type = epcis::EventType::kObject;
  e.action = epcis::Action::kObserve;
  e.event_time = {now * 1'000'000'000, 0};
  e.epc_list = epcs;
  e.biz_step = std::string(biz_step);
  e.read_point = location;
  e.biz_location = location;
  return e;
}

epcis::Extension field(std::string_view name, const std::string& value) {
  epcis::Extension x;
  x.ns = std::string(kSerialtrackNamespace);
  x.prefix = "st";
  x.name = std::string(name);
  x.value = value;
  return x;
}

}  // namespace

std::string_view warranty_failure_name(WarrantyFailure::Kind kind) {
  switch (kind) {
    case Kind::kInvalidInput:
      return "invalid_input";
    case Kind::kUnknownItem:
      return "unknown_item";
    case Kind::kNotGenuine:
      return "not_genuine";
    case Kind::kVoid:
      return "void";
    case Kind::kNotSold:
      return "not_sold";
    case Kind::kNoTerms:
      return "no_terms";
    case Kind::kAlreadyRegistered:
      return "already_registered";
    case Kind::kNotRegistered:
      return "not_registered";
    case Kind::kNotFound:
      return "not_found";
    case Kind::kConflict:
      return "conflict";
    case Kind::kStore:
      return "store";
  }
  return "unknown";
}

std::string_view coverage_name(Coverage c) {
  switch (c) {
    case Coverage::kCovered:
      return "covered";
    case Coverage::kExpired:
      return "expired";
    case Coverage::kNeverRegistered:
      return "never_registered";
    case Coverage::kVoid:
      return "void";
  }
  return "unknown";
}

WarrantyOutcome<std::string> warranty_item_key(const std::string& given) {
  auto g = gs1::identify(given);
  if (!g || !g->gtin() || !g->serial())
    return fail(Kind::kInvalidInput,
                "'" + given + "' is not a serialised trade item (GTIN + serial)");
  return std::string(gs1::kCanonicalDlStem) + "/01/" + std::string(*g->gtin()) + "/21/" +
         gs1::uri_escape(*g->serial(), gs1::UriComponent::kPath);
}

WarrantyOutcome<store::WarrantyTerms> set_warranty_terms(store::WarrantyRecords& records,
                                                         const store::WarrantyTerms& t) {
  if (t.product.empty() || t.product.size() > 14 ||
      t.product.find_first_not_of("0123456789") != std::string::npos)
    return fail(
        Kind::kInvalidInput,
        "the product is a GTIN-14 or a leading part of one (digits), not '" + t.product + "'");
  if (t.duration_days <= 0) return fail(Kind::kInvalidInput, "the duration must be positive");
  for (const auto& p : t.plans)
    if (p.name.empty() || p.extra_days <= 0)
      return fail(Kind::kInvalidInput, "a plan has a name and a positive number of extra days");
  if (auto r = records.put_terms(t); !r) return store_failure(r.error());
  return t;
}

WarrantyOutcome<Registration> register_warranty(store::Store& events,
                                                store::WarrantyRecords& records,
                                                const RegistrationRequest& request) {
  if (request.owner.empty()) return fail(Kind::kInvalidInput, "an owner reference is required");
  auto f = facts_of(events, request.item);
  if (!f) return unexpected(std::move(f).error());
  if (f->suspected_clone)
    return fail(Kind::kNotGenuine,
                f->key + " is not genuine: its commissioning is missing or repeated");
  if (!f->void_reason.empty()) return fail(Kind::kVoid, f->key + " is " + f->void_reason);
  auto terms = records.terms_for(f->gtin);
  if (!terms) return store_failure(terms.error());
  if (!*terms) return fail(Kind::kNoTerms, "no warranty terms for GTIN " + f->gtin);
  const auto& t = **terms;
  const store::WarrantyPlan* plan = nullptr;
  if (!request.plan.empty() && (plan = find_plan(t, request.plan)) == nullptr)
    return fail(Kind::kInvalidInput, "no plan '" + request.plan + "' in the terms for " + f->gtin);
  if ((t.requires_sale || t.start == store::WarrantyStart::kSale) && !f->sold_at)
    return fail(Kind::kNotSold, f->key + " has no selling or dispensing event");
  auto existing = records.registration(f->key);
  if (!existing) return store_failure(existing.error());
  if (*existing) {
    if ((*existing)->state == RegistrationState::kReplaced)
      return fail(Kind::kVoid, f->key + " was replaced by " + (*existing)->moved_to);
    return fail(Kind::kAlreadyRegistered, f->key + ((*existing)->owner == request.owner
                                                        ? " is registered to this owner already"
                                                        : " is registered to another owner"));
  }
  Registration r;
  r.item = f->key;
  r.owner = request.owner;
  r.plan = request.plan;
  r.registered_at = request.now;
  switch (t.start) {
    case store::WarrantyStart::kSale:
      r.start = *f->sold_at;
      break;
    case store::WarrantyStart::kRegistration:
      r.start = request.now;
      break;
    case store::WarrantyStart::kManufacture:
      r.start = f->made_at.value_or(request.now);
      break;
  }
  r.end = r.start + (t.duration_days + (plan ? plan->extra_days : 0)) * kDay;
  if (auto put = records.add_registration(r); !put) {
    if (put.error().kind == store::WarrantyError::Kind::kConflict)
      return fail(Kind::kAlreadyRegistered, f->key + " is registered to another owner");
    return store_failure(put.error());
  }
  return r;
}

WarrantyOutcome<Registration> transfer_warranty(store::Store& events,
                                                store::WarrantyRecords& records,
                                                const std::string& item,
                                                const std::string& new_owner, std::int64_t now) {
  if (new_owner.empty()) return fail(Kind::kInvalidInput, "a new owner reference is required");
  auto f = facts_of(events, item);
  if (!f) return unexpected(std::move(f).error());
  auto reg = records.registration(f->key);
  if (!reg) return store_failure(reg.error());
  if (!*reg) return fail(Kind::kNotRegistered, f->key + " is not registered");
  if ((*reg)->state == RegistrationState::kReplaced)
    return fail(Kind::kVoid, f->key + " was replaced by " + (*reg)->moved_to);
  if (auto t = records.transfer(f->key, new_owner, now); !t) return store_failure(t.error());
  Registration r = **reg;
  r.owner = new_owner;
  return r;
}

WarrantyOutcome<WarrantyStatus> warranty_status(store::Store& events,
                                                store::WarrantyRecords& records,
                                                const std::string& item, std::int64_t now) {
  auto f = facts_of(events, item);
  if (!f) return unexpected(std::move(f).error());
  WarrantyStatus st;
  st.item = f->key;
  auto terms = records.terms_for(f->gtin);
  if (!terms) return store_failure(terms.error());
  st.terms = std::move(*terms);
  auto reg = records.registration(f->key);
  if (!reg) return store_failure(reg.error());
  st.registration = std::move(*reg);
  auto claims = records.claims_of(f->key);
  if (!claims) return store_failure(claims.error());
  st.claims = std::move(*claims);
  if (!f->void_reason.empty()) {
    st.coverage = Coverage::kVoid;
    st.reason = f->void_reason;
  } else if (st.registration && st.registration->state == RegistrationState::kReplaced) {
    st.coverage = Coverage::kVoid;
    st.reason = "replaced by " + st.registration->moved_to;
  } else if (!st.registration) {
    st.coverage = Coverage::kNeverRegistered;
    st.reason =
        st.terms ? "never registered" : "never registered; no warranty terms for its product";
  } else if (now >= st.registration->end) {
    st.coverage = Coverage::kExpired;
    st.reason = "ended " + date_of(st.registration->end);
  } else {
    st.coverage = Coverage::kCovered;
    st.reason = "covered until " + date_of(st.registration->end);
  }
  return st;
}

WarrantyOutcome<Claim> open_claim(store::Store& events, store::WarrantyRecords& records,
                                  const ClaimRequest& request) {
  auto key = warranty_item_key(request.item);
  if (!key) return unexpected(std::move(key).error());
  Claim c;
  c.item = *key;
  c.opened_at = c.updated_at = request.now;
  c.description = request.description;
  std::vector<std::string> reasons;
  auto reject = [&](std::string_view flag, std::string why) {
    c.flags.emplace_back(flag);
    reasons.push_back(std::move(why));
  };
  auto f = facts_of(events, request.item);
  if (!f && f.error().kind != Kind::kUnknownItem) return unexpected(std::move(f).error());
  if (!f) {
    reject(kFlagUnknownSerial, "no event ever named this serial");
  } else {
    if (f->suspected_clone)
      reject(kFlagSuspectedCounterfeit, "its commissioning is missing or repeated");
    if (!f->void_reason.empty()) reject(kFlagStolenOrDestroyed, "it is " + f->void_reason);
    auto reg = records.registration(c.item);
    if (!reg) return store_failure(reg.error());
    if (!*reg) {
      reject(kFlagNotRegistered, "it was never registered");
    } else {
      c.owner = (*reg)->owner;
      if ((*reg)->state == RegistrationState::kReplaced)
        reject(kFlagAlreadyReplaced, "it was replaced by " + (*reg)->moved_to);
      else if (request.now >= (*reg)->end)
        reject(kFlagExpired, "its warranty ended " + date_of((*reg)->end));
    }
  }
  if (reasons.empty()) {
    auto earlier = records.claims_of(c.item);
    if (!earlier) return store_failure(earlier.error());
    auto terms = records.terms_for(f->gtin);
    if (!terms) return store_failure(terms.error());
    std::uint32_t limit = *terms ? (*terms)->claim_limit : 3;
    if (earlier->size() >= limit) {
      c.flags.emplace_back(kFlagRepeatedClaims);
      c.resolution = "review: " + std::to_string(earlier->size()) + " earlier claims (limit " +
                     std::to_string(limit) + ")";
    }
  } else {
    c.state = ClaimState::kRejected;
    c.resolution = "rejected automatically: ";
    for (size_t i = 0; i < reasons.size(); ++i) c.resolution += (i ? "; " : "") + reasons[i];
  }
  auto stored = records.add_claim(std::move(c));
  if (!stored) return store_failure(stored.error());
  return std::move(*stored);
}

WarrantyOutcome<Claim> decide_claim(store::Store& events, store::WarrantyRecords& records,
                                    std::int64_t claim_id, const ClaimDecision& decision) {
  auto found = records.claim(claim_id);
  if (!found) return store_failure(found.error());
  if (!*found) return fail(Kind::kNotFound, "no claim " + std::to_string(claim_id));
  Claim c = **found;
  using V = ClaimDecision::Verdict;
  bool allowed = decision.verdict == V::kClose
                     ? c.state == ClaimState::kApproved || c.state == ClaimState::kRejected
                     : c.state == ClaimState::kOpen;
  if (!allowed)
    return fail(Kind::kConflict,
                "claim " + std::to_string(claim_id) + " cannot be " +
                    (decision.verdict == V::kClose ? "closed before a decision" : "decided again"));
  c.state = decision.verdict == V::kApprove  ? ClaimState::kApproved
            : decision.verdict == V::kReject ? ClaimState::kRejected
                                             : ClaimState::kClosed;
  if (!decision.resolution.empty()) c.resolution = decision.resolution;
  c.updated_at = decision.now;
  std::optional<epcis::Event> replacing;
  if (decision.verdict == V::kApprove && !decision.replacement.empty()) {
    auto r = facts_of(events, decision.replacement);
    if (!r) return unexpected(std::move(r).error());
    if (r->suspected_clone)
      return fail(Kind::kNotGenuine, "replacement " + r->key + " is not genuine");
    if (!r->void_reason.empty())
      return fail(Kind::kVoid, "replacement " + r->key + " is " + r->void_reason);
    if (r->key == c.item) return fail(Kind::kInvalidInput, "an item cannot replace itself");
    auto reg = records.registration(r->key);
    if (!reg) return store_failure(reg.error());
    if (*reg)
      return fail(Kind::kAlreadyRegistered, "replacement " + r->key + " is registered already");
    c.replacement = r->key;
    // CBV 2.0 §7.1 bizStep replacing; the claim is the RMA business transaction.
    replacing = observe({c.item, r->key}, "urn:epcglobal:cbv:bizstep:replacing", decision.location,
                        decision.now);
    replacing->biz_transactions.push_back(
        {"urn:epcglobal:cbv:btt:rma", "https://serialtrack.dev/claim/" + std::to_string(c.id)});
    if (!decision.party.empty())
      replacing->sources.push_back({"urn:epcglobal:cbv:sdt:possessing_party", decision.party});
  }
  // The records first: a replacement registered meanwhile is refused before any event.
  auto updated = records.update_claim(c);
  if (!updated) {
    if (updated.error().kind == store::WarrantyError::Kind::kConflict)
      return fail(Kind::kAlreadyRegistered, updated.error().message);
    return store_failure(updated.error());
  }
  if (replacing) {
    auto ids = capture_made(events, {*replacing});
    if (!ids) return unexpected(std::move(ids).error());
  }
  return c;
}

std::string_view service_kind_name(ServiceKind kind) {
  switch (kind) {
    case ServiceKind::kRepair:
      return "repair";
    case ServiceKind::kInspection:
      return "inspection";
    case ServiceKind::kPartReplacement:
      return "part_replacement";
    case ServiceKind::kFirmwareUpdate:
      return "firmware_update";
  }
  return "unknown";
}

std::optional<ServiceKind> service_kind_from_name(std::string_view name) {
  for (auto k : {ServiceKind::kRepair, ServiceKind::kInspection, ServiceKind::kPartReplacement,
                 ServiceKind::kFirmwareUpdate})
    if (service_kind_name(k) == name) return k;
  return std::nullopt;
}

WarrantyOutcome<std::vector<std::string>> record_service(store::Store& events,
                                                         const ServiceRecord& record) {
  auto f = facts_of(events, record.item);
  if (!f) return unexpected(std::move(f).error());
  // Parts and the item are named as their events name them elsewhere: canonical DL.
  auto keys =
      [](const std::vector<std::string>& given) -> WarrantyOutcome<std::vector<std::string>> {
    std::vector<std::string> out;
    for (const auto& p : given) {
      auto k = warranty_item_key(p);
      if (!k) return unexpected(std::move(k).error());
      out.push_back(std::move(*k));
    }
    return out;
  };
  std::vector<epcis::Event> made;
  switch (record.kind) {
    case ServiceKind::kRepair:
    case ServiceKind::kInspection:
      made.push_back(observe({f->key},
                             record.kind == ServiceKind::kRepair
                                 ? "urn:epcglobal:cbv:bizstep:repairing"
                                 : "urn:epcglobal:cbv:bizstep:inspecting",
                             record.location, record.now));
      break;
    case ServiceKind::kFirmwareUpdate:
      if (record.firmware_version.empty())
        return fail(Kind::kInvalidInput, "a firmware update needs the new version");
      made.push_back(observe({f->key}, kFirmwareUpdating, record.location, record.now));
      made.back().extensions.push_back(field("firmwareVersion", record.firmware_version));
      break;
    case ServiceKind::kPartReplacement: {
      if (record.parts_removed.empty() && record.parts_installed.empty())
        return fail(Kind::kInvalidInput, "a part replacement names the parts removed or installed");
      auto removed = keys(record.parts_removed);
      if (!removed) return unexpected(std::move(removed).error());
      auto installed = keys(record.parts_installed);
      if (!installed) return unexpected(std::move(installed).error());
      // EPCIS 2.0 §7.4.5: an AssociationEvent ties parts to the item they are in.
      for (auto [parts, action, step] :
           {std::tuple{&*removed, epcis::Action::kDelete, "urn:epcglobal:cbv:bizstep:removing"},
            std::tuple{&*installed, epcis::Action::kAdd, "urn:epcglobal:cbv:bizstep:installing"}}) {
        if (parts->empty()) continue;
        epcis::Event e = observe(*parts, step, record.location, record.now);
        e.type = epcis::EventType::kAssociation;
        e.action = action;
        e.parent_id = f->key;
        made.push_back(std::move(e));
      }
      break;
    }
  }
  if (!record.note.empty()) made.front().extensions.push_back(field("serviceNote", record.note));
  return capture_made(events, std::move(made));
}

WarrantyOutcome<std::vector<ServiceEntry>> service_history(store::Store& events,
                                                           const std::string& item) {
  auto f = facts_of(events, item);
  if (!f) return unexpected(std::move(f).error());
  std::vector<ServiceEntry> out;
  for (auto& e : f->report.history) {
    const auto& step = e.event.biz_step;
    std::optional<ServiceKind> kind;
    if (is_cbv(step, kBizStep, "repairing"))
      kind = ServiceKind::kRepair;
    else if (is_cbv(step, kBizStep, "inspecting"))
      kind = ServiceKind::kInspection;
    else if (step == kFirmwareUpdating)
      kind = ServiceKind::kFirmwareUpdate;
    else if (e.event.type == epcis::EventType::kAssociation &&
             (is_cbv(step, kBizStep, "removing") || is_cbv(step, kBizStep, "installing")))
      kind = ServiceKind::kPartReplacement;
    if (kind) out.push_back({*kind, std::move(e)});
  }
  return out;
}

}  // namespace serialtrack::trace

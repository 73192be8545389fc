#include "trace/warranty_json.h"

#include <algorithm>

#include "epcis/time.h"

namespace serialtrack::trace {
namespace {

std::string rfc3339(std::int64_t unix_seconds) {
  return epcis::format_timestamp_utc({unix_seconds * 1'000'000'000, 0});
}

}  // namespace

std::string_view claim_state_name(store::ClaimState state) {
  switch (state) {
    case store::ClaimState::kOpen:
      return "open";
    case store::ClaimState::kApproved:
      return "approved";
    case store::ClaimState::kRejected:
      return "rejected";
    case store::ClaimState::kClosed:
      return "closed";
  }
  return "unknown";
}

std::string_view warranty_start_name(store::WarrantyStart start) {
  switch (start) {
    case store::WarrantyStart::kSale:
      return "sale";
    case store::WarrantyStart::kRegistration:
      return "registration";
    case store::WarrantyStart::kManufacture:
      return "manufacture";
  }
  return "unknown";
}

std::optional<store::WarrantyStart> warranty_start_from_name(std::string_view name) {
  for (auto s : {store::WarrantyStart::kSale, store::WarrantyStart::kRegistration,
                 store::WarrantyStart::kManufacture})
    if (warranty_start_name(s) == name) return s;
  return std::nullopt;
}

WarrantyOutcome<store::WarrantyTerms> terms_from_json(const boost::json::object& o) {
  using Kind = WarrantyFailure::Kind;
  auto bad = [](std::string message) {
    return serialtrack::unexpected(WarrantyFailure{Kind::kInvalidInput, std::move(message)});
  };
  static constexpr std::string_view kFields[] = {
      "product", "duration_days", "start", "requires_sale", "coverage", "claim_limit", "plans"};
  for (const auto& [k, v] : o)
    if (std::find(std::begin(kFields), std::end(kFields), std::string_view(k)) == std::end(kFields))
      return bad("unknown field \"" + std::string(k) + "\"");
  store::WarrantyTerms t;
  const auto* product = o.if_contains("product");
  if (!product || !product->is_string()) return bad("product: a GTIN-14 or a family prefix");
  t.product = std::string(product->as_string());
  if (const auto* v = o.if_contains("duration_days")) {
    if (!v->is_int64()) return bad("duration_days: an integer");
    t.duration_days = v->as_int64();
  }
  if (const auto* v = o.if_contains("start")) {
    auto start = v->is_string() ? warranty_start_from_name(v->as_string()) : std::nullopt;
    if (!start) return bad("start: sale, registration or manufacture");
    t.start = *start;
  }
  if (const auto* v = o.if_contains("requires_sale")) {
    if (!v->is_bool()) return bad("requires_sale: true or false");
    t.requires_sale = v->as_bool();
  }
  if (const auto* v = o.if_contains("coverage")) {
    if (!v->is_string()) return bad("coverage: text");
    t.coverage = std::string(v->as_string());
  }
  if (const auto* v = o.if_contains("claim_limit")) {
    if (!v->is_int64() || v->as_int64() < 0 || v->as_int64() > UINT32_MAX)
      return bad("claim_limit: a non-negative integer");
    t.claim_limit = static_cast<std::uint32_t>(v->as_int64());
  }
  if (const auto* v = o.if_contains("plans")) {
    if (!v->is_array()) return bad("plans: an array of {name, extra_days}");
    for (const auto& p : v->as_array()) {
      const auto* po = p.if_object();
      const auto* name = po ? po->if_contains("name") : nullptr;
      const auto* extra = po ? po->if_contains("extra_days") : nullptr;
      if (!name || !name->is_string() || !extra || !extra->is_int64())
        return bad("plans: an array of {name, extra_days}");
      t.plans.push_back({std::string(name->as_string()), extra->as_int64()});
    }
  }
  return t;
}

boost::json::object to_json(const store::Registration& r) {
  boost::json::object o{
      {"item", r.item},
      {"owner", r.owner},
      {"plan", r.plan},
      {"registered_at", rfc3339(r.registered_at)},
      {"start", rfc3339(r.start)},
      {"end", rfc3339(r.end)},
      {"state", r.state == store::RegistrationState::kActive ? "active" : "replaced"}};
  if (!r.moved_to.empty()) o["moved_to"] = r.moved_to;
  if (!r.replaces.empty()) o["replaces"] = r.replaces;
  return o;
}

boost::json::object to_json(const store::WarrantyTerms& t) {
  boost::json::array plans;
  for (const auto& p : t.plans) plans.push_back({{"name", p.name}, {"extra_days", p.extra_days}});
  return {{"product", t.product},
          {"duration_days", t.duration_days},
          {"start", warranty_start_name(t.start)},
          {"requires_sale", t.requires_sale},
          {"coverage", t.coverage},
          {"claim_limit", t.claim_limit},
          {"plans", std::move(plans)}};
}

boost::json::object to_json(const store::Claim& c) {
  boost::json::array flags;
  for (const auto& f : c.flags) flags.push_back(boost::json::string(f));
  boost::json::object o{{"id", c.id},
                        {"item", c.item},
                        {"owner", c.owner},
                        {"opened_at", rfc3339(c.opened_at)},
                        {"description", c.description},
                        {"state", claim_state_name(c.state)},
                        {"flags", std::move(flags)},
                        {"resolution", c.resolution}};
  if (!c.replacement.empty()) o["replacement"] = c.replacement;
  return o;
}

boost::json::object to_json(const WarrantyStatus& s) {
  boost::json::array claims;
  for (const auto& c : s.claims) claims.push_back(to_json(c));
  boost::json::object o{{"item", s.item},
                        {"coverage", coverage_name(s.coverage)},
                        {"reason", s.reason},
                        {"claims", std::move(claims)}};
  if (s.registration) o["registration"] = to_json(*s.registration);
  if (s.terms) o["terms"] = to_json(*s.terms);
  return o;
}

boost::json::object to_json(const ServiceEntry& e) {
  const auto& ev = e.event.event;
  boost::json::object o{{"kind", service_kind_name(e.kind)},
                        {"event_id", ev.event_id},
                        {"event_time", epcis::format_timestamp(ev.event_time)},
                        {"biz_step", ev.biz_step}};
  if (!ev.biz_location.empty()) o["location"] = ev.biz_location;
  if (ev.type == epcis::EventType::kAssociation) {
    boost::json::array parts;
    for (const auto& p : ev.epc_list) parts.push_back(boost::json::string(p));
    o[ev.action == epcis::Action::kDelete ? "parts_removed" : "parts_installed"] = std::move(parts);
  }
  for (const auto& x : ev.extensions)
    if (x.ns == kSerialtrackNamespace) o[x.name] = x.value;
  return o;
}

}  // namespace serialtrack::trace

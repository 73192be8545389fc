#include "server/warranty_routes.h"

#include <boost/json.hpp>
#include <chrono>
#include <memory>

#include "server/auth.h"
#include "server/business_http.h"
#include "server/epcis_http.h"
#include "trace/warranty.h"
#include "trace/warranty_json.h"

namespace serialtrack::server {
namespace {

namespace json = boost::json;

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Response answer(const RequestContext& ctx, http::status status, const json::value& body) {
  return json_response(ctx, status, body, "application/json");
}

// The strings of an optional array field; a 400 when it is not an array of strings.
serialtrack::Result<std::vector<std::string>, Problem> strings_field(const json::object& body,
                                                                     std::string_view name) {
  std::vector<std::string> out;
  const json::value* v = body.if_contains(name);
  if (!v) return out;
  if (!v->is_array())
    return unexpected(validation_exception(std::string(name) + ": an array of identifiers"));
  for (const auto& x : v->as_array()) {
    if (!x.is_string())
      return unexpected(validation_exception(std::string(name) + ": an array of identifiers"));
    out.emplace_back(x.as_string());
  }
  return out;
}

// A manufacturer gives warranty terms for its own products only: a GTIN-14, or a
// family (leading digits of GTIN-14s), whose digits after the indicator begin with its
// company prefix; a shorter family would reach other companies' products. nullopt when
// allowed, or when the product is no digits at all (set_warranty_terms answers 400).
std::optional<Problem> outside_own_products(const RequestContext& ctx, const std::string& product) {
  if (!ctx.principal || ctx.principal->role != Role::kManufacturer) return std::nullopt;
  if (product.empty() || product.size() > 14 ||
      product.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  const std::string& gcp = ctx.principal->company_prefix;
  if (!gcp.empty() && product.size() >= 1 + gcp.size() && product.compare(1, gcp.size(), gcp) == 0)
    return std::nullopt;
  return forbidden_exception("a manufacturer gives warranty terms only for products of its "
                             "company prefix " +
                             gcp + " (indicator digit, then the prefix)");
}

class WarrantyApi {
 public:
  explicit WarrantyApi(const WarrantyServices& s) : s_(s) {}

  Response terms_list(RequestContext& ctx) {
    auto all = s_.records.all_terms();
    if (!all) return problem(ctx, implementation_exception(all.error().message));
    json::array a;
    for (const auto& t : *all) a.push_back(trace::to_json(t));
    return answer(ctx, http::status::ok, a);
  }

  Response terms_set(RequestContext& ctx) {
    auto body = json_object_body(ctx, "{product, duration_days?, start?, ...}");
    if (!body) return problem(ctx, body.error());
    auto terms = trace::terms_from_json(*body);
    if (!terms) return problem(ctx, warranty_problem(terms.error()));
    if (auto refusal = outside_own_products(ctx, terms->product)) return problem(ctx, *refusal);
    auto stored = trace::set_warranty_terms(s_.records, *terms);
    if (!stored) return problem(ctx, warranty_problem(stored.error()));
    return answer(ctx, http::status::created, trace::to_json(*stored));
  }

  Response terms_of(RequestContext& ctx) {
    const std::string& gtin = ctx.param("gtin");
    if (gtin.size() != 14 || gtin.find_first_not_of("0123456789") != std::string::npos)
      return problem(ctx, validation_exception("'" + gtin + "' is not a GTIN-14"));
    auto t = s_.records.terms_for(gtin);
    if (!t) return problem(ctx, implementation_exception(t.error().message));
    if (!*t) return problem(ctx, no_such_resource_exception("no warranty terms for GTIN " + gtin));
    return answer(ctx, http::status::ok, trace::to_json(**t));
  }

  Response register_item(RequestContext& ctx) {
    auto body = json_object_body(ctx, "{item, owner, plan?}");
    if (!body) return problem(ctx, body.error());
    auto item = string_field(*body, "item", true);
    auto owner = item ? string_field(*body, "owner", true) : item;
    auto plan = owner ? string_field(*body, "plan") : owner;
    if (!plan) return problem(ctx, plan.error());
    auto r = trace::register_warranty(s_.events, s_.records, {*item, *owner, *plan, now_seconds()});
    if (!r) return problem(ctx, warranty_problem(r.error()));
    return answer(ctx, http::status::created, trace::to_json(*r));
  }

  Response transfer(RequestContext& ctx) {
    auto body = json_object_body(ctx, "{item, owner}");
    if (!body) return problem(ctx, body.error());
    auto item = string_field(*body, "item", true);
    auto owner = item ? string_field(*body, "owner", true) : item;
    if (!owner) return problem(ctx, owner.error());
    if (owner->empty()) return problem(ctx, validation_exception("owner: a customer reference"));
    auto r = trace::transfer_warranty(s_.events, s_.records, *item, *owner, now_seconds());
    if (!r) return problem(ctx, warranty_problem(r.error()));
    return answer(ctx, http::status::ok, trace::to_json(*r));
  }

  Response status(RequestContext& ctx) {
    auto st = trace::warranty_status(s_.events, s_.records, ctx.param("item"), now_seconds());
    if (!st) return problem(ctx, warranty_problem(st.error()));
    return answer(ctx, http::status::ok, trace::to_json(*st));
  }

  Response claim_open(RequestContext& ctx) {
    auto body = json_object_body(ctx, "{item, description}");
    if (!body) return problem(ctx, body.error());
    auto item = string_field(*body, "item", true);
    auto description = item ? string_field(*body, "description", true) : item;
    if (!description) return problem(ctx, description.error());
    auto c = trace::open_claim(s_.events, s_.records, {*item, *description, now_seconds()});
    if (!c) return problem(ctx, warranty_problem(c.error()));
    Response res = answer(ctx, http::status::created, trace::to_json(*c));
    res.set(http::field::location, "/claims/" + std::to_string(c->id));
    return res;
  }

  Response claims_of(RequestContext& ctx) {
    auto item = ctx.query_value("item");
    if (!item)
      return problem(ctx, query_parameter_exception("item: the item whose claims to list"));
    auto key = trace::warranty_item_key(*item);
    if (!key) return problem(ctx, query_parameter_exception(key.error().message));
    auto claims = s_.records.claims_of(*key);
    if (!claims) return problem(ctx, implementation_exception(claims.error().message));
    json::array a;
    for (const auto& c : *claims) a.push_back(trace::to_json(c));
    return answer(ctx, http::status::ok, a);
  }

  Response claim(RequestContext& ctx) {
    auto id = record_id(ctx, "claimID", "claim");
    if (!id) return problem(ctx, id.error());
    auto c = s_.records.claim(*id);
    if (!c) return problem(ctx, implementation_exception(c.error().message));
    if (!*c) return problem(ctx, no_such_resource_exception("no claim " + std::to_string(*id)));
    return answer(ctx, http::status::ok, trace::to_json(**c));
  }

  Response decide(RequestContext& ctx) {
    using V = trace::ClaimDecision::Verdict;
    const std::string& name = ctx.param("decision");
    std::optional<V> verdict = name == "approve"  ? std::optional(V::kApprove)
                               : name == "reject" ? std::optional(V::kReject)
                               : name == "close"  ? std::optional(V::kClose)
                                                  : std::nullopt;
    if (!verdict)
      return problem(ctx, no_such_resource_exception("no claim decision " + name +
                                                     " (approve, reject, close)"));
    auto id = record_id(ctx, "claimID", "claim");
    if (!id) return problem(ctx, id.error());
    auto body = json_object_body(ctx, "{resolution?, replacement?, party?, location?}");
    if (!body) return problem(ctx, body.error());
    trace::ClaimDecision d;
    d.verdict = *verdict;
    for (auto [field, out] :
         {std::pair{"resolution", &d.resolution}, std::pair{"replacement", &d.replacement},
          std::pair{"party", &d.party}, std::pair{"location", &d.location}}) {
      auto v = string_field(*body, field);
      if (!v) return problem(ctx, v.error());
      *out = std::move(*v);
    }
    if (*verdict != V::kApprove && !d.replacement.empty())
      return problem(ctx, validation_exception("replacement: only an approval replaces"));
    d.now = now_seconds();
    auto c = trace::decide_claim(s_.events, s_.records, *id, d);
    if (!c) return problem(ctx, warranty_problem(c.error()));
    return answer(ctx, http::status::ok, trace::to_json(*c));
  }

  Response service_record(RequestContext& ctx) {
    auto body =
        json_object_body(ctx,
                         "{item, kind, parts_removed?, parts_installed?, firmware_version?, note?, "
                         "location?}");
    if (!body) return problem(ctx, body.error());
    trace::ServiceRecord r;
    auto kind = string_field(*body, "kind", true);
    if (!kind) return problem(ctx, kind.error());
    auto k = trace::service_kind_from_name(*kind);
    if (!k)
      return problem(ctx, validation_exception(
                              "kind: repair, inspection, part_replacement or firmware_update"));
    r.kind = *k;
    for (auto [field, out] :
         {std::pair{"item", &r.item}, std::pair{"firmware_version", &r.firmware_version},
          std::pair{"note", &r.note}, std::pair{"location", &r.location}}) {
      auto v = string_field(*body, field, std::string_view(field) == "item");
      if (!v) return problem(ctx, v.error());
      *out = std::move(*v);
    }
    auto removed = strings_field(*body, "parts_removed");
    if (!removed) return problem(ctx, removed.error());
    auto installed = strings_field(*body, "parts_installed");
    if (!installed) return problem(ctx, installed.error());
    r.parts_removed = std::move(*removed);
    r.parts_installed = std::move(*installed);
    r.now = now_seconds();
    auto ids = trace::record_service(s_.events, r);
    if (!ids) return problem(ctx, warranty_problem(ids.error()));
    return answer(ctx, http::status::created,
                  json::object{{"eventIDs", json::array(ids->begin(), ids->end())}});
  }

  Response service_history(RequestContext& ctx) {
    auto h = trace::service_history(s_.events, ctx.param("item"));
    if (!h) return problem(ctx, warranty_problem(h.error()));
    json::array a;
    for (const auto& e : *h) a.push_back(trace::to_json(e));
    return answer(ctx, http::status::ok, a);
  }

 private:
  WarrantyServices s_;
};

}  // namespace

void add_warranty_routes(Router& router, const WarrantyServices& services) {
  auto api = std::make_shared<WarrantyApi>(services);
  using V = http::verb;
  router.add(V::get, "/warranty/terms", "Every warranty terms record (per GTIN or family)",
             member_handler(api, &WarrantyApi::terms_list));
  router.add(V::post, "/warranty/terms",
             "Store the warranty terms of a GTIN or family {product, duration_days, start, "
             "requires_sale, coverage, claim_limit, plans}",
             member_handler(api, &WarrantyApi::terms_set));
  router.add(V::get, "/warranty/terms/{gtin}", "The warranty terms that apply to a GTIN-14",
             member_handler(api, &WarrantyApi::terms_of));
  router.add(V::post, "/warranty/registrations",
             "Register an item to an owner after the proof checks {item, owner, plan?}",
             member_handler(api, &WarrantyApi::register_item));
  router.add(V::post, "/warranty/transfers", "Give a registered item a new owner {item, owner}",
             member_handler(api, &WarrantyApi::transfer));
  router.add(V::get, "/warranty/items/{item}",
             "Warranty status of any identifier: coverage, registration, terms, claims",
             member_handler(api, &WarrantyApi::status));
  router.add(V::post, "/claims",
             "Open a warranty claim {item, description}; the fraud checks' flags in the answer",
             member_handler(api, &WarrantyApi::claim_open));
  router.add(V::get, "/claims", "The claims on an item (item=any identifier form)",
             member_handler(api, &WarrantyApi::claims_of));
  router.add(V::get, "/claims/{claimID}", "One warranty claim",
             member_handler(api, &WarrantyApi::claim));
  router.add(V::post, "/claims/{claimID}/{decision}",
             "Decide a claim: approve {resolution, replacement?, party?, location?}, reject, "
             "close",
             member_handler(api, &WarrantyApi::decide));
  router.add(V::post, "/service",
             "Record a repair, inspection, part replacement or firmware update (EPCIS events)",
             member_handler(api, &WarrantyApi::service_record));
  router.add(V::get, "/service/{item}", "The service history of an item",
             member_handler(api, &WarrantyApi::service_history));
}

}  // namespace serialtrack::server

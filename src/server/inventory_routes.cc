#include "server/inventory_routes.h"

#include <boost/json.hpp>
#include <memory>

#include "server/access.h"
#include "server/business_http.h"
#include "server/epcis_http.h"
#include "trace/audit.h"
#include "trace/inventory.h"

namespace serialtrack::server {
namespace {

namespace json = boost::json;

constexpr int64_t kMaxDays = 36'500;
constexpr int64_t kMaxListed = 10'000;

// The listing parameters of /inventory/ageing and /inventory/expiring: days (default:
// the request's) and limit (default 100) into days and limit; the problem when one is
// out of range (nothing is changed then).
std::optional<Problem> read_listing(const RequestContext& ctx, int& days, size_t& limit) {
  auto d = integer_param(ctx, "days", days, 0, kMaxDays);
  if (!d) return d.error();
  auto l = integer_param(ctx, "limit", 100, 1, kMaxListed);
  if (!l) return l.error();
  days = static_cast<int>(*d);
  limit = static_cast<size_t>(*l);
  return std::nullopt;
}

// The stock filter of the query parameters, restricted to the caller's own stock when
// its role sees only its party's.
store::StockFilter stock_filter(const RequestContext& ctx) {
  store::StockFilter f;
  for (auto [name, out] :
       {std::pair{"gtin", &f.gtin}, std::pair{"lot", &f.lot}, std::pair{"location", &f.location},
        std::pair{"custodian", &f.custodian}, std::pair{"disposition", &f.disposition}})
    *out = ctx.query_value(name).value_or("");
  f.custodian_party = visible_party(ctx);
  return f;
}

class InventoryApi {
 public:
  explicit InventoryApi(const InventoryServices& s) : s_(s) {}

  Response stock(RequestContext& ctx) {
    trace::StockRequest r;
    r.filter = stock_filter(ctx);
    if (auto by = ctx.query_value("by")) {
      r.by.clear();
      std::string_view rest = *by;
      while (!rest.empty()) {
        size_t comma = rest.find(',');
        std::string_view name = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? "" : rest.substr(comma + 1);
        auto facet = trace::stock_facet_from_name(name);
        if (!facet)
          return problem(ctx, query_parameter_exception(
                                  "by: \"" + std::string(name) +
                                  "\" is not product, lot, location, custodian or disposition"));
        r.by.push_back(*facet);
      }
    }
    auto as_of = time_param(ctx, "asOf");
    if (!as_of) return problem(ctx, as_of.error());
    r.as_of = *as_of;
    auto format = answer_format(ctx, {"json", "csv"});
    if (!format) return problem(ctx, format.error());
    auto report = trace::stock(s_.events, s_.stock, r);
    if (!report) return problem(ctx, service_problem(report.error(), true));
    if (*format == "csv")
      return epcis_response(ctx, http::status::ok, trace::stock_report_csv(*report),
                            "text/csv; charset=utf-8");
    return json_text_response(ctx, http::status::ok, trace::stock_report_json(*report));
  }

  Response ageing(RequestContext& ctx) {
    trace::AgeingRequest r;
    r.filter = stock_filter(ctx);
    if (auto bad = read_listing(ctx, r.days, r.limit)) return problem(ctx, *bad);
    auto now = time_param(ctx, "now");
    if (!now) return problem(ctx, now.error());
    r.now = *now;
    auto items = trace::ageing(s_.stock, r);
    if (!items) return problem(ctx, service_problem(items.error(), true));
    return json_text_response(ctx, http::status::ok, trace::stock_items_json(*items));
  }

  Response expiring(RequestContext& ctx) {
    trace::ExpiryRequest r;
    r.filter = stock_filter(ctx);
    if (auto bad = read_listing(ctx, r.days, r.limit)) return problem(ctx, *bad);
    r.today = ctx.query_value("today").value_or("");
    auto items = trace::expiring(s_.stock, r);
    if (!items) return problem(ctx, service_problem(items.error(), true));
    return json_text_response(ctx, http::status::ok, trace::stock_items_json(*items));
  }

  Response minimums(RequestContext& ctx) {
    auto only_short = ctx.query_value("short").value_or("false");
    if (only_short != "true" && only_short != "false")
      return problem(ctx, query_parameter_exception("short: true or false"));
    auto checks = trace::check_minimums(s_.stock);
    if (!checks) return problem(ctx, service_problem(checks.error()));
    if (only_short == "true")
      std::erase_if(*checks, [](const trace::MinimumCheck& c) { return !c.short_of_minimum(); });
    return json_text_response(ctx, http::status::ok, trace::minimum_checks_json(*checks));
  }

  Response set_minimum(RequestContext& ctx) {
    auto body = json_object_body(ctx, "{gtin, location?, minimum}");
    if (!body) return problem(ctx, body.error());
    auto gtin = string_field(*body, "gtin", true);
    auto location = gtin ? string_field(*body, "location") : gtin;
    if (!location) return problem(ctx, location.error());
    const json::value* minimum = body->if_contains("minimum");
    if (!minimum || !minimum->is_int64() || minimum->as_int64() < 0)
      return problem(ctx, validation_exception("minimum: a non-negative integer (0 removes)"));
    store::StockMinimum m{*gtin, *location, static_cast<uint64_t>(minimum->as_int64())};
    auto r = trace::set_minimum(s_.stock, m);
    if (!r) return problem(ctx, service_problem(r.error()));
    return json_response(
        ctx, http::status::ok,
        json::object{{"gtin", m.gtin}, {"location", m.location}, {"minimum", m.minimum}},
        "application/json");
  }

  Response count(RequestContext& ctx) {
    std::string location = ctx.query_value("location").value_or("");
    std::string type = ctx.header("Content-Type");
    trace::CountRequest request;
    if (type.starts_with("text/plain")) {
      auto seen = trace::read_scan_list(ctx.request.body());
      if (!seen) return problem(ctx, service_problem(seen.error()));
      request.location = location;
      request.seen = std::move(*seen);
    } else if (type.starts_with("application/ld+json") || type.starts_with("application/json") ||
               type.starts_with("application/xml") || type.starts_with("text/xml")) {
      auto r = trace::read_count_document(ctx.request.body(), location);
      if (!r) return problem(ctx, service_problem(r.error()));
      request = std::move(*r);
    } else {
      return problem(ctx, unsupported_media_type_exception(
                              "a count is a scan list (text/plain) or an EPCIS document "
                              "(application/ld+json, application/json, application/xml)"));
    }
    request.custodian = ctx.query_value("custodian").value_or("");
    auto record = trace::count(s_.events, s_.stock, s_.audits, request);
    if (!record) return problem(ctx, service_problem(record.error()));
    Response res = json_text_response(ctx, http::status::created, trace::audit_json(*record));
    res.set(http::field::location, "/audits/" + std::to_string(record->id));
    return res;
  }

  Response audits(RequestContext& ctx) {
    auto list = trace::list_audits(s_.audits, ctx.query_value("location").value_or(""));
    if (!list) return problem(ctx, service_problem(list.error(), true));
    return json_text_response(ctx, http::status::ok, trace::audits_json(*list));
  }

  Response audit(RequestContext& ctx) {
    auto id = record_id(ctx, "auditID", "audit");
    if (!id) return problem(ctx, id.error());
    auto r = trace::audit(s_.audits, *id);
    if (!r) return problem(ctx, service_problem(r.error()));
    return json_text_response(ctx, http::status::ok, trace::audit_json(*r));
  }

  Response schedules(RequestContext& ctx) { return schedules_answer(ctx, false); }
  Response overdue(RequestContext& ctx) { return schedules_answer(ctx, true); }

  Response set_schedule(RequestContext& ctx) {
    auto body = json_object_body(ctx, "{location, everyDays}");
    if (!body) return problem(ctx, body.error());
    auto location = string_field(*body, "location", true);
    if (!location) return problem(ctx, location.error());
    const json::value* every = body->if_contains("everyDays");
    if (!every || !every->is_int64())
      return problem(ctx, validation_exception("everyDays: days between audits (0 removes)"));
    auto r = trace::set_audit_schedule(s_.audits, *location, every->as_int64());
    if (!r) return problem(ctx, service_problem(r.error()));
    return json_response(ctx, http::status::ok,
                         json::object{{"location", *location}, {"everyDays", every->as_int64()}},
                         "application/json");
  }

 private:
  // Every schedule, or the overdue ones, at the query's now (default the clock).
  Response schedules_answer(RequestContext& ctx, bool overdue_only) {
    auto now = time_param(ctx, "now");
    if (!now) return problem(ctx, now.error());
    auto list = overdue_only ? trace::overdue_audits(s_.audits, *now)
                             : trace::audit_schedules(s_.audits, *now);
    if (!list) return problem(ctx, service_problem(list.error(), true));
    return json_text_response(ctx, http::status::ok, trace::audit_schedules_json(*list));
  }

  InventoryServices s_;
};

}  // namespace

void add_inventory_routes(Router& router, const InventoryServices& services) {
  auto api = std::make_shared<InventoryApi>(services);
  using V = http::verb;
  router.add(V::get, "/inventory",
             "Stock now or asOf a time, by product, lot, location, custodian, disposition "
             "(filters gtin, lot, location, custodian, disposition; JSON or CSV)",
             member_handler(api, &InventoryApi::stock));
  router.add(V::get, "/inventory/ageing",
             "Slow movers: items in stock with no event in `days` days, per location",
             member_handler(api, &InventoryApi::ageing));
  router.add(V::get, "/inventory/expiring",
             "Items in stock expiring within `days` days (or expired), per location",
             member_handler(api, &InventoryApi::expiring));
  router.add(V::get, "/inventory/minimums",
             "Every stock minimum with its stock (short=true: those below their minimum)",
             member_handler(api, &InventoryApi::minimums));
  router.add(V::post, "/inventory/minimums",
             "Set a product's minimum at a location {gtin, location?, minimum} (0 removes)",
             member_handler(api, &InventoryApi::set_minimum));
  router.add(V::post, "/audits",
             "Post a physical count: a scan list (text/plain, location=) or an EPCIS "
             "cycle_counting document",
             member_handler(api, &InventoryApi::count));
  router.add(V::get, "/audits", "Counts made, newest first (location= to narrow)",
             member_handler(api, &InventoryApi::audits));
  router.add(V::get, "/audits/schedules", "Every audit schedule with its due time",
             member_handler(api, &InventoryApi::schedules));
  router.add(V::post, "/audits/schedules",
             "Audit a location every N days {location, everyDays} (0 removes)",
             member_handler(api, &InventoryApi::set_schedule));
  router.add(V::get, "/audits/overdue", "The locations whose audit is due",
             member_handler(api, &InventoryApi::overdue));
  router.add(V::get, "/audits/{auditID}", "One count with its discrepancies",
             member_handler(api, &InventoryApi::audit));
}

}  // namespace serialtrack::server

#include "server/alert_routes.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <memory>

#include "server/auth.h"
#include "server/business_http.h"
#include "server/epcis_http.h"
#include "trace/detection_alerts.h"
#include "trace/verify.h"

namespace serialtrack::server {
namespace {

namespace json = boost::json;

// The query parameters naming a pack (trace::pack_query_from_params).
constexpr std::string_view kPackParameters[] = {"gtin", "serial", "dl", "scan", "id"};
constexpr std::string_view kListParameters[] = {"kind", "state",  "severity", "since",
                                                "epc",  "client", "perPage",  "nextPageToken"};

bool is_one_of(std::string_view name, std::span<const std::string_view> names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Whom the caller's alerts are restricted to: a manufacturer to its company prefix.
struct AlertView {
  bool restricted = false;
  std::vector<std::string> prefixes;  // when restricted (none: it sees no alert)
};

AlertView view_of(const RequestContext& ctx) {
  AlertView v;
  if (ctx.principal && ctx.principal->role == Role::kManufacturer) {
    v.restricted = true;
    v.prefixes = owned_key_prefixes(*ctx.principal);
  }
  return v;
}

bool visible(const RequestContext& ctx, const AlertView& view, const store::DetectionAlert& a) {
  if (!view.restricted) return true;
  return std::any_of(a.items.begin(), a.items.end(), [&](const std::string& item) {
    return owns_identifier(*ctx.principal, item);
  });
}

std::optional<int64_t> alert_id(const std::string& text) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

class AlertApi {
 public:
  AlertApi(store::AlertBook& book, size_t default_page, size_t max_page)
      : book_(book), default_page_(default_page), max_page_(max_page) {}

  // GET /alerts
  Response list(RequestContext& ctx) {
    auto n = per_page(ctx, default_page_, max_page_);
    if (!n) return problem(ctx, n.error());
    trace::AlertQuery q;
    std::vector<std::pair<std::string, std::string>> pack;
    for (const auto& [k, v] : ctx.query) {
      if (is_one_of(k, kPackParameters))
        pack.emplace_back(k, v);
      else if (!is_one_of(k, kListParameters))
        return problem(ctx, query_parameter_exception(k + ": not a parameter of /alerts"));
    }
    q.kind = ctx.query_value("kind").value_or("");
    q.state = ctx.query_value("state").value_or("");
    q.severity = ctx.query_value("severity").value_or("");
    q.since = ctx.query_value("since").value_or("");
    auto epc = ctx.query_value("epc"), client = ctx.query_value("client");
    if ((epc ? 1 : 0) + (client ? 1 : 0) + (pack.empty() ? 0 : 1) > 1)
      return problem(ctx, query_parameter_exception(
                              "epc, client and a pack (gtin and serial, dl, scan, id): give one"));
    if (epc) q.item = *epc;
    if (client) q.item = *client;
    if (!pack.empty()) {
      auto bad_pack = [&](const trace::VerifyError& e) {
        return problem(ctx, query_parameter_exception(e.message));  // the message names it
      };
      auto query = trace::pack_query_from_params(pack);
      if (!query) return bad_pack(query.error());
      auto key = trace::resolve_pack(*query);
      if (!key) return bad_pack(key.error());
      q.item = key->item;
    }
    if (auto token = ctx.query_value("nextPageToken")) {
      auto cursor = parse_text_token(*token);
      auto after = cursor ? alert_id(*cursor) : std::nullopt;
      if (!after)
        return problem(ctx, query_parameter_exception("nextPageToken: '" + *token +
                                                      "' is not a token this server issued"));
      q.after_id = *after;
    }
    AlertView view = view_of(ctx);
    json::array members;
    bool more = false;
    if (!view.restricted || !view.prefixes.empty()) {
      q.item_prefixes = view.prefixes;
      q.limit = *n + 1;  // one more than the page: is there a next page?
      auto alerts = trace::list_alerts(book_, q);
      if (!alerts) return problem(ctx, service_problem(alerts.error(), true));
      more = alerts->size() > *n;
      if (more) alerts->pop_back();
      for (const auto& a : *alerts) members.push_back(trace::alert_json(a));
      if (more) q.after_id = alerts->back().id;
    }
    Response res = json_response(ctx, http::status::ok,
                                 json::object{{"alerts", std::move(members)}}, "application/json");
    if (more) res.set(http::field::link, next_link(ctx, text_token(std::to_string(q.after_id))));
    return res;
  }

  // GET /alerts/{alertID}
  Response get(RequestContext& ctx) {
    auto a = find(ctx);
    if (!a) return std::move(a).error();
    return json_response(ctx, http::status::ok, trace::alert_json(*a), "application/json");
  }

  // POST /alerts/{alertID}/state {"state": "investigating"|"closed", "reason": "..."}
  Response move(RequestContext& ctx) {
    boost::system::error_code ec;
    json::value body = json::parse(ctx.request.body(), ec);
    if (ec || !body.is_object())
      return problem(ctx, validation_exception("the body is not a JSON object {\"state\": "
                                               "\"investigating\"|\"closed\", \"reason\"}"));
    const auto& o = body.as_object();
    auto* state = o.if_contains("state");
    auto* reason = o.if_contains("reason");
    if (!state || !state->is_string())
      return problem(ctx,
                     validation_exception("state: \"investigating\" or \"closed\" is required"));
    if (reason && !reason->is_string())
      return problem(ctx, validation_exception("reason: must be a string"));
    auto a = find(ctx);  // a manufacturer moves only the alerts it sees
    if (!a) return std::move(a).error();
    auto moved = trace::move_alert(book_, a->id, std::string(state->as_string()),
                                   reason ? std::string(reason->as_string()) : std::string());
    if (!moved) return problem(ctx, service_problem(moved.error(), false));
    return json_response(ctx, http::status::ok, trace::alert_json(*moved), "application/json");
  }

 private:
  // The alert of the path, or the 404 / 500 answer (404 also for one the caller may not see).
  serialtrack::Result<store::DetectionAlert, Response> find(RequestContext& ctx) {
    const std::string& text = ctx.param("alertID");
    auto id = alert_id(text);
    auto absent = [&] { return problem(ctx, no_such_resource_exception("no alert " + text)); };
    if (!id) return unexpected(absent());
    auto a = trace::get_alert(book_, *id);
    if (!a) {
      if (a.error().kind == trace::ServiceError::Kind::kNotFound) return unexpected(absent());
      return unexpected(problem(ctx, service_problem(a.error(), false)));
    }
    if (!visible(ctx, view_of(ctx), *a)) return unexpected(absent());
    return std::move(*a);
  }

  store::AlertBook& book_;
  size_t default_page_, max_page_;
};

}  // namespace

void add_alert_routes(Router& router, store::AlertBook& book, size_t default_page,
                      size_t max_page) {
  auto api = std::make_shared<AlertApi>(book, default_page, max_page);
  using V = http::verb;
  router.add(V::get, "/alerts",
             "Detection alerts, oldest first (paged): kind, state, severity, since, epc (or "
             "gtin and serial, dl, scan, id), client, perPage, nextPageToken",
             member_handler(api, &AlertApi::list));
  router.add(V::get, "/alerts/{alertID}", "One detection alert with its evidence",
             member_handler(api, &AlertApi::get));
  router.add(V::post, "/alerts/{alertID}/state",
             "Move an alert: {state: investigating | closed, reason} (new -> investigating -> "
             "closed; closing needs a reason)",
             member_handler(api, &AlertApi::move));
}

}  // namespace serialtrack::server

#include "server/service_routes.h"

#include <boost/json.hpp>
#include <map>

#include "server/epcis_http.h"
#include "trace/detection_alerts.h"

namespace serialtrack::server {
namespace {

namespace json = boost::json;

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

json::object problem_answer(const char* description) {
  return json::object{
      {"description", description},
      {"content",
       json::object{
           {"application/problem+json",
            json::object{{"schema", json::object{{"$ref", "#/components/schemas/Problem"}}}}}}}};
}

}  // namespace

std::string openapi_document(const Router& router) {
  json::object paths;
  for (const auto& route : router.routes()) {
    auto& item = paths[route.path];
    if (!item.is_object()) item = json::object();
    auto& ops = item.as_object();
    json::array params;
    for (const auto& seg : route.segments)
      if (seg.size() > 2 && seg.front() == '{')
        params.push_back(json::object{{"name", seg.substr(1, seg.size() - 2)},
                                      {"in", "path"},
                                      {"required", true},
                                      {"schema", json::object{{"type", "string"}}}});
    json::object op{{"summary", route.summary},
                    {"responses", json::object{{"2XX", json::object{{"description", "Success"}}},
                                               {"default", problem_answer("RFC 9457 problem")}}}};
    if (!params.empty()) op["parameters"] = params;
    ops[lower(http::to_string(route.method))] = std::move(op);
    if (!ops.contains("options"))
      ops["options"] = json::object{
          {"summary", "The methods this path allows (Allow header)"},
          {"responses", json::object{{"204", json::object{{"description", "No content"}}}}}};
  }
  json::object doc{
      {"openapi", "3.0.3"},
      {"info", json::object{{"title", "serialtrack EPCIS 2.0 repository"},
                            {"version", "0.1.0"},
                            {"description",
                             "GS1 EPCIS 2.0 REST binding (capture, events, top-level resources, "
                             "named queries) and operator routes. Errors are RFC 9457 "
                             "problem+json with EPCIS exception types."}}},
      {"paths", std::move(paths)},
      {"components",
       json::object{
           {"schemas",
            json::object{
                {"Problem",
                 json::object{{"type", "object"},
                              {"required", json::array{"type", "title"}},
                              {"properties",
                               json::object{{"type", json::object{{"type", "string"}}},
                                            {"title", json::object{{"type", "string"}}},
                                            {"status", json::object{{"type", "integer"}}},
                                            {"detail", json::object{{"type", "string"}}}}}}}}}}}};
  return json::serialize(doc);
}

void add_service_routes(Router& router, Metrics& metrics, store::Store& store,
                        store::AlertBook* alerts) {
  router.add(http::verb::get, "/health", "Liveness: ok, and the number of events stored",
             [&store](RequestContext& ctx) {
               auto n = store.event_count();
               if (!n) return problem(ctx, implementation_exception(n.error().message));
               return json_response(ctx, http::status::ok,
                                    json::object{{"status", "ok"}, {"events", *n}},
                                    "application/json");
             });
  router.add(http::verb::get, "/metrics", "Prometheus metrics (text format 0.0.4)",
             [&metrics, alerts](RequestContext& ctx) {
               std::string text = metrics.prometheus();
               if (alerts) {
                 auto counts = trace::alert_counts(*alerts);
                 if (!counts) return problem(ctx, implementation_exception(counts.error().message));
                 text += alerts_prometheus(*counts);
               }
               return epcis_response(ctx, http::status::ok, std::move(text),
                                     "text/plain; version=0.0.4");
             });
  router.add(
      http::verb::get, "/openapi.json", "This OpenAPI document", [&router](RequestContext& ctx) {
        return epcis_response(ctx, http::status::ok, openapi_document(router), "application/json");
      });
}

}  // namespace serialtrack::server

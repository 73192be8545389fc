#include "server/business_http.h"

#include <boost/json.hpp>
#include <charconv>

#include "epcis/time.h"
#include "server/epcis_http.h"

namespace serialtrack::server {

namespace json = boost::json;

Problem service_problem(const trace::ServiceError& error, bool from_query) {
  using K = trace::ServiceError::Kind;
  switch (error.kind) {
    case K::kInvalidArgument:
      return from_query ? query_parameter_exception(error.message)
                        : validation_exception(error.message);
    case K::kNotFound:
      return no_such_resource_exception(error.message);
    case K::kStore:
      break;
  }
  return implementation_exception(error.message);
}

Problem warranty_problem(const trace::WarrantyFailure& failure) {
  using K = trace::WarrantyFailure::Kind;
  switch (failure.kind) {
    case K::kInvalidInput:
      return validation_exception(failure.message);
    case K::kUnknownItem:
    case K::kNotFound:
      return no_such_resource_exception(failure.message);
    case K::kStore:
      return implementation_exception(failure.message);
    default:
      // RFC 9110 §15.5.10: the request conflicts with the item's or claim's state.
      return Problem{
          http::status::conflict, "about:blank", "Conflict",
          std::string(trace::warranty_failure_name(failure.kind)) + ": " + failure.message};
  }
}

serialtrack::Result<json::object, Problem> json_object_body(const RequestContext& ctx,
                                                            std::string_view shape) {
  boost::system::error_code ec;
  json::value v = json::parse(ctx.request.body(), ec);
  if (ec || !v.is_object())
    return unexpected(validation_exception("the body is not a JSON object " + std::string(shape)));
  return std::move(v.as_object());
}

serialtrack::Result<std::string, Problem> string_field(const json::object& body,
                                                       std::string_view name, bool required) {
  const json::value* v = body.if_contains(name);
  if (!v) {
    if (required) return unexpected(validation_exception(std::string(name) + " is required"));
    return std::string();
  }
  if (!v->is_string()) return unexpected(validation_exception(std::string(name) + ": a string"));
  return std::string(v->as_string());
}

serialtrack::Result<int64_t, Problem> record_id(const RequestContext& ctx, std::string_view param,
                                                std::string_view what) {
  const std::string& text = ctx.param(param);
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0)
    return unexpected(no_such_resource_exception("no " + std::string(what) + " " + text));
  return id;
}

serialtrack::Result<int64_t, Problem> integer_param(const RequestContext& ctx,
                                                    std::string_view name, int64_t fallback,
                                                    int64_t min, int64_t max) {
  auto text = ctx.query_value(name);
  if (!text) return fallback;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || end != text->data() + text->size() || v < min || v > max)
    return unexpected(query_parameter_exception(std::string(name) + ": an integer from " +
                                                std::to_string(min) + " to " +
                                                std::to_string(max)));
  return v;
}

serialtrack::Result<std::optional<int64_t>, Problem> time_param(const RequestContext& ctx,
                                                                std::string_view name) {
  auto text = ctx.query_value(name);
  if (!text) return std::optional<int64_t>();
  auto t = epcis::parse_timestamp(*text);
  if (!t)
    return unexpected(query_parameter_exception(std::string(name) + ": \"" + *text +
                                                "\" is not a time like 2026-01-31T12:00:00Z"));
  return std::optional<int64_t>(t->unix_nanos);
}

serialtrack::Result<std::string, Problem> answer_format(
    const RequestContext& ctx, std::initializer_list<std::string_view> allowed) {
  std::string names;
  for (auto a : allowed) names += (names.empty() ? "" : ", ") + std::string(a);
  if (auto f = ctx.query_value("format")) {
    for (auto a : allowed)
      if (*f == a) return *f;
    return unexpected(query_parameter_exception("format: one of " + names));
  }
  std::string accept = ctx.header("Accept");
  auto media = [](std::string_view f) {
    return f == "csv" ? "text/csv" : f == "epcis" ? "application/ld+json" : "application/json";
  };
  for (auto a : allowed)
    if (accept.find(media(a)) != std::string::npos) return std::string(a);
  return std::string(*allowed.begin());
}

Response json_text_response(const RequestContext& ctx, http::status status, std::string body) {
  return epcis_response(ctx, status, std::move(body), "application/json");
}

}  // namespace serialtrack::server

#include "server/problem.h"

#include <boost/json.hpp>

namespace serialtrack::server {
namespace {

Problem make(http::status status, const char* type, const char* title, std::string detail) {
  return Problem{status, type, title, std::move(detail)};
}

}  // namespace

Problem validation_exception(std::string detail) {
  return make(http::status::bad_request, "epcisException:ValidationException",
              "The request is not valid EPCIS", std::move(detail));
}
Problem query_parameter_exception(std::string detail) {
  return make(http::status::bad_request, "epcisException:QueryParameterException",
              "Invalid query parameter", std::move(detail));
}
Problem subscription_controls_exception(std::string detail) {
  return make(http::status::bad_request, "epcisException:SubscriptionControlsException",
              "Subscription error", std::move(detail));
}
Problem unauthorised_exception(std::string detail) {
  return make(http::status::unauthorized, "epcisException:SecurityException",
              "Unauthorised request", std::move(detail));
}
Problem forbidden_exception(std::string detail) {
  return make(http::status::forbidden, "epcisException:SecurityException",
              "Access to resource forbidden", std::move(detail));
}
Problem no_such_resource_exception(std::string detail) {
  return make(http::status::not_found, "epcisException:NoSuchResourceException",
              "Resource not found", std::move(detail));
}
Problem method_not_allowed(std::string detail) {
  return make(http::status::method_not_allowed, "about:blank", "Method Not Allowed",
              std::move(detail));
}
Problem not_acceptable_exception(std::string detail) {
  return make(http::status::not_acceptable, "epcisException:NotAcceptableException",
              "Conflicting request and response headers", std::move(detail));
}
Problem resource_already_exists_exception(std::string detail) {
  return make(http::status::conflict, "epcisException:ResourceAlreadyExistsException",
              "A resource with the provided identifier already exists", std::move(detail));
}
Problem capture_limit_exceeded_exception(std::string detail) {
  return make(http::status::payload_too_large, "epcisException:CaptureLimitExceededException",
              "Capture payload too large", std::move(detail));
}
Problem query_too_large_exception(std::string detail) {
  return make(http::status::payload_too_large, "epcisException:QueryTooLargeException",
              "Query result too large", std::move(detail));
}
Problem payload_too_large(std::string detail) {
  return make(http::status::payload_too_large, "about:blank", "Payload Too Large",
              std::move(detail));
}
Problem uri_too_long_exception(std::string detail) {
  return make(http::status::uri_too_long, "epcisException:URITooLongException", "URI too long",
              std::move(detail));
}
Problem unsupported_media_type_exception(std::string detail) {
  return make(http::status::unsupported_media_type, "epcisException:UnsupportedMediaTypeException",
              "Unsupported Media Type", std::move(detail));
}
Problem bad_request(std::string detail) {
  return make(http::status::bad_request, "about:blank", "Bad Request", std::move(detail));
}
Problem implementation_exception(std::string detail) {
  return make(http::status::internal_server_error, "epcisException:ImplementationException",
              "A server-side error occurred", std::move(detail));
}

Response problem_response(const Problem& problem, unsigned version, bool keep_alive) {
  boost::json::object body;
  body["type"] = problem.type;
  body["title"] = problem.title;
  body["status"] = static_cast<int>(problem.status);
  if (!problem.detail.empty()) body["detail"] = problem.detail;
  Response res{problem.status, version};
  res.set(http::field::content_type, "application/problem+json");
  res.body() = boost::json::serialize(body);
  res.keep_alive(keep_alive);
  res.prepare_payload();
  return res;
}

}  // namespace serialtrack::server

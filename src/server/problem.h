// Errors as HTTP answers: RFC 9457 problem details (application/problem+json), typed
// with the exception names of the EPCIS 2.0 REST binding (§12.3; the GS1 OpenAPI's
// components/responses) wherever the standard names one, "about:blank" otherwise.
// Pure functions; thread-safe.
#pragma once

#include <string>

#include "server/http.h"

namespace serialtrack::server {

struct Problem {
  http::status status = http::status::internal_server_error;
  std::string type;    // "epcisException:ValidationException", or "about:blank"
  std::string title;   // the same for every problem of this type
  std::string detail;  // what was wrong with this request
};

// 400: the document or event breaks the standard's rules.
Problem validation_exception(std::string detail);
// 400: a query parameter is unknown or malformed (detail names it).
Problem query_parameter_exception(std::string detail);
// 400: a subscription request is unusable (SubscriptionControlsException).
Problem subscription_controls_exception(std::string detail);
// 401 (no or unknown credentials) / 403 (known caller, not allowed).
Problem unauthorised_exception(std::string detail);
Problem forbidden_exception(std::string detail);
// 404: the resource (event, query, capture job, path) does not exist.
Problem no_such_resource_exception(std::string detail);
// 405: the path exists, the method does not (about:blank; Allow lists the methods).
Problem method_not_allowed(std::string detail);
// 406: no representation the Accept header allows.
Problem not_acceptable_exception(std::string detail);
// 409: a resource with this identifier exists already (an event, a named query).
Problem resource_already_exists_exception(std::string detail);
// 413: a capture beyond GS1-EPCIS-Capture-Limit / GS1-EPCIS-Capture-File-Size-Limit.
Problem capture_limit_exceeded_exception(std::string detail);
// 413: a query matching more events than maxEventCount.
Problem query_too_large_exception(std::string detail);
// 413: a request body beyond the server's body limit (about:blank).
Problem payload_too_large(std::string detail);
// 414: a request target beyond the server's limit.
Problem uri_too_long_exception(std::string detail);
// 415: a body in a media type the route does not read.
Problem unsupported_media_type_exception(std::string detail);
// 400: a request that is not well-formed HTTP or has an unparsable target (about:blank).
Problem bad_request(std::string detail);
// 500: our fault.
Problem implementation_exception(std::string detail);

// The problem as a response to a request of this HTTP version (keep-alive as asked).
Response problem_response(const Problem& problem, unsigned version, bool keep_alive);

}  // namespace serialtrack::server

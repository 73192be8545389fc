// HTTP conventions shared by the routes over trace services (warranty, claims, service,
// recalls, inventory, audits, alerts): the trace services' errors as RFC 9457 problems, JSON
// request bodies, and the typed query parameters those routes read. Pure functions;
// thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "server/problem.h"
#include "server/router.h"
#include "trace/service_error.h"
#include "trace/warranty.h"

namespace serialtrack::server {

// A service error as a problem: kInvalidArgument -> 400 (QueryParameterException when the
// input came from the query string, else ValidationException), kNotFound -> 404
// NoSuchResourceException, kStore -> 500 ImplementationException.
Problem service_problem(const trace::ServiceError& error, bool from_query = false);

// A warranty failure as a problem: kInvalidInput -> 400 ValidationException; kUnknownItem,
// kNotFound -> 404; the refusals (not genuine, void, not sold, no terms, already or not
// registered, a decision the claim's state does not allow) -> 409 with the failure's
// name in the detail; kStore -> 500.
Problem warranty_problem(const trace::WarrantyFailure& failure);

// The request body as a JSON object; a 400 ValidationException saying shape (e.g.
// "{item, owner, plan?}") when it is not one.
serialtrack::Result<boost::json::object, Problem> json_object_body(const RequestContext& ctx,
                                                                   std::string_view shape);

// The string field name of a body ("" when absent); a 400 when it is not a string, or
// is absent and required.
serialtrack::Result<std::string, Problem> string_field(const boost::json::object& body,
                                                       std::string_view name,
                                                       bool required = false);

// A path parameter that is a record id (a positive decimal integer); 404
// NoSuchResourceException naming what otherwise (no such record can exist).
serialtrack::Result<int64_t, Problem> record_id(const RequestContext& ctx, std::string_view param,
                                                std::string_view what);

// The query parameter name as an integer in [min, max] (fallback when absent); 400
// QueryParameterException otherwise.
serialtrack::Result<int64_t, Problem> integer_param(const RequestContext& ctx,
                                                    std::string_view name, int64_t fallback,
                                                    int64_t min, int64_t max);

// The query parameter name as an RFC 3339 time in unix nanoseconds (nullopt when absent);
// 400 QueryParameterException when it does not parse.
serialtrack::Result<std::optional<int64_t>, Problem> time_param(const RequestContext& ctx,
                                                                std::string_view name);

// The answer format asked for: the `format` query parameter when given (one of allowed,
// else 400), else the first of allowed whose media type the Accept header names
// ("json" application/json, "csv" text/csv, "epcis" application/ld+json), else
// allowed's first.
serialtrack::Result<std::string, Problem> answer_format(
    const RequestContext& ctx, std::initializer_list<std::string_view> allowed);

// A JSON text answer (application/json) with the EPCIS headers.
Response json_text_response(const RequestContext& ctx, http::status status, std::string body);

}  // namespace serialtrack::server

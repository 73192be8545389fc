// The EPCIS 2.0 REST binding's HTTP conventions (§12), shared by its routes: content
// negotiation by Accept (JSON-LD, JSON, XML), the GS1-EPC-Format / GS1-CBV-XML-Format
// request headers, the headers every EPCIS response carries, rendering events as an
// EPCISQueryDocument, and pagination (perPage, an opaque nextPageToken, Link rel="next").
// Pure functions; thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "epcis/event.h"
#include "epcis/identifiers.h"
#include "server/problem.h"
#include "server/router.h"
#include "store/store.h"

namespace serialtrack::server {

inline constexpr const char* kEpcisVersion = "2.0.0";
inline constexpr const char* kCbvVersion = "2.0.0";

// How a response is to be written, from the request's headers.
struct ResponseFormat {
  enum class Media : uint8_t { kJsonLd, kJson, kXml };
  Media media = Media::kJsonLd;
  epcis::EpcFormat epc_format = epcis::EpcFormat::kAlwaysDigitalLink;  // §12.5 default
  // GS1-CBV-XML-Format: Always_Web_URI writes CBV values as GS1 web URIs in XML;
  // otherwise (Always_URN, No_Preference, Never_Translates) as URNs.
  bool cbv_web_uris = false;
};

// Reads Accept (xml_allowed: whether the route can answer in XML), GS1-EPC-Format and
// GS1-CBV-XML-Format. Errors: 406 NotAcceptableException when no acceptable media type
// is offered, 400 ValidationException for an unknown header value.
serialtrack::Result<ResponseFormat, Problem> negotiate(const RequestContext& ctx, bool xml_allowed);

// A response with the body, its content type and the EPCIS headers (GS1-EPCIS-Version,
// GS1-CBV-Version, and GS1-EPC-Format / GS1-Extensions echoed from the request).
Response epcis_response(const RequestContext& ctx, http::status status, std::string body,
                        std::string content_type);
// As epcis_response, the value serialised as JSON (media application/json or ld+json).
Response json_response(const RequestContext& ctx, http::status status,
                       const boost::json::value& body,
                       std::string content_type = "application/ld+json");
// A problem with the EPCIS headers.
Response problem(const RequestContext& ctx, const Problem& problem);

// The events as an EPCISQueryDocument (queryName SimpleEventQuery, or the named query's
// name) in format.
std::string query_document(std::vector<epcis::Event> events, const ResponseFormat& format,
                           const std::string& query_name);

// The opaque token of a query cursor, and back (nullopt: not a token we issued).
std::string page_token(int64_t after_sequence, std::optional<int64_t> after_key);
std::optional<std::pair<int64_t, std::optional<int64_t>>> parse_page_token(
    const std::string& token);
// The token of a listing cursor (any bytes), and back.
std::string text_token(const std::string& cursor);
std::optional<std::string> parse_text_token(const std::string& token);

// The Link header value pointing at the next page: the request's path and query with
// nextPageToken replaced by token.
std::string next_link(const RequestContext& ctx, const std::string& token);

// perPage from the query (default_page when absent; at most max_page), or a 400
// QueryParameterException.
serialtrack::Result<size_t, Problem> per_page(const RequestContext& ctx, size_t default_page,
                                              size_t max_page);

// A new resource id (capture jobs, subscriptions): 128 random bits as lowercase hex,
// URL-safe; nullopt when the CSPRNG fails.
std::optional<std::string> new_resource_id();

// A store error as a problem: kInvalidQuery -> 400 QueryParameterException,
// kQueryTooLarge -> 413 QueryTooLargeException, others 500 ImplementationException.
Problem store_problem(const store::Error& error);

}  // namespace serialtrack::server

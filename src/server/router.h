// Routing: which handler answers a request, by method and path template
// ("/events/{eventID}": literal segments and {params}, one segment each, matched
// against the percent-decoded segments of the path, so an identifier URI travels as
// one encoded segment). The route table is also what OPTIONS, 405's Allow header and
// /openapi.json are answered from, so they can never disagree with what is served.
//
// Thread-safety: add routes before serving; afterwards a Router is only read and is
// safe for concurrent use.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/http.h"

namespace serialtrack::server {

struct Route;
struct Principal;  // auth.h

// What a handler receives: the request, the route that matched and its decoded path
// and query parameters. The one place every request passes through on its way to a
// handler (Dispatcher::handle), so that a check for all routes (access control: the
// caller's identity goes here) is made once.
struct RequestContext {
  const Request& request;
  const Route& route;
  std::vector<std::pair<std::string, std::string>> path_params;  // decoded, by template order
  std::vector<std::pair<std::string, std::string>> query;        // decoded, in order; '+' is '+'
  std::string path;  // the request's path as sent (percent-encoded), without the query
  // Where a handler puts the taker of an upgraded connection (answering 101); null when
  // the connection cannot be upgraded.
  Upgrade* upgrade = nullptr;
  // The client's IP address as text ("" when not known).
  std::string remote_address;
  // Who the request comes from, set by the guard (access.h); null before it ran or when
  // no guard is installed.
  std::shared_ptr<const Principal> principal;

  // The path parameter called name ("" when the route has none of that name).
  const std::string& param(std::string_view name) const;
  // The first query parameter called name, or nullopt.
  std::optional<std::string> query_value(std::string_view name) const;
  // A request header's value ("" when absent).
  std::string header(std::string_view name) const;
};

using Handler = std::function<Response(RequestContext&)>;

// The handler of a route that calls api's member f (api shared by all its routes).
template <typename Api>
Handler member_handler(std::shared_ptr<Api> api, Response (Api::*f)(RequestContext&)) {
  return [api = std::move(api), f](RequestContext& ctx) { return ((*api).*f)(ctx); };
}

struct Route {
  http::verb method = http::verb::get;
  std::string path;     // the template, e.g. "/events/{eventID}" (also the metrics label)
  std::string summary;  // one line for /openapi.json
  Handler handler;
  std::vector<std::string> segments;  // path split at '/'; "{name}" marks a parameter
};

class Router {
 public:
  // Adds a route. A template is "/" or "/seg/{param}/..." with one {param} per segment.
  void add(http::verb method, std::string path, std::string summary, Handler handler);

  struct Match {
    const Route* route = nullptr;                                  // null: no route
    std::vector<std::pair<std::string, std::string>> path_params;  // decoded
    // The methods the path has (empty: no template matches the path at all).
    std::vector<http::verb> allowed;
    std::string template_path;  // the template that matched the path ("" when none)
  };
  // The route for method and path (percent-encoded, without the query string).
  Match match(http::verb method, std::string_view encoded_path) const;

  // Every route, in the order added.
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// The value of an Allow header for methods: OPTIONS always included, comma separated.
std::string allow_header(const std::vector<http::verb>& methods);

}  // namespace serialtrack::server

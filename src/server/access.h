// Access control applied to every HTTP route (issue 5): the table saying which
// Permission each route asks for, and the Dispatcher guard that enforces it. The guard
// authenticates the `Authorization: Bearer <key>` header (auth.h; 401 SecurityException
// with WWW-Authenticate: Bearer when missing or refused), checks the route's permission
// (403 SecurityException naming role and permission), and puts the Principal in
// RequestContext::principal for the handler (visibility, ownership, the verification
// answer's detail).
//
// A route absent from the table is refused to everyone (403): a new route is closed until
// it is given a rule here. Open routes (/health, /openapi.json) ask for no key. The
// verification routes (GET/POST /verify) accept a request without a key as the public role
// (anonymous consumers scanning a pack), rate limited per remote address.
//
// Thread-safety: the table is constant; the guard is as thread-safe as the ApiKeys it reads.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "server/auth.h"
#include "server/dispatcher.h"
#include "server/router.h"
#include "store/api_keys.h"
#include "store/named_queries.h"

namespace serialtrack::server {

// Who may call one route (method + path template as given to Router::add).
struct RouteAccess {
  http::verb method = http::verb::get;
  std::string_view path;
  std::optional<Permission> permission;  // nullopt: open to everyone, no key asked
  bool anonymous_is_public = false;      // no Authorization header: the public role
};

// Every route the server has, with its rule (access.cc; a test walks it).
std::span<const RouteAccess> route_access_table();

// The rule of the route method + path template, or null when the table has none.
const RouteAccess* route_access(http::verb method, std::string_view path);

// The guard for Dispatcher::set_guard. keys must outlive it. open: no access control
// (local development, `serialtrack serve --open`): every request is an admin with no party.
Dispatcher::Guard access_guard(store::ApiKeys& keys, bool open);

// The party the request's queries are restricted to (visibility_party of its principal);
// "" when the caller sees all events or no guard ran.
std::string visible_party(const RequestContext& ctx);

// Whether the request's caller owns a resource of owner_party (owns_resource: a named
// query, a subscription); true when no guard ran.
bool caller_owns(const RequestContext& ctx, std::string_view owner_party);

// The named query of the route's {queryName} when the caller owns it. Errors: 404
// NoSuchResourceException when there is none or it is another party's (its existence is
// not told), 500 when the store fails.
serialtrack::Result<store::NamedQuery, Problem> find_owned_query(store::NamedQueries& queries,
                                                                 const RequestContext& ctx);

}  // namespace serialtrack::server

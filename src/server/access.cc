#include "server/access.h"

#include <array>
#include <memory>

#include "server/epcis_http.h"
#include "server/problem.h"

namespace serialtrack::server {
namespace {

using V = http::verb;
using P = Permission;

// The rules, route by route (README.md "Access control" explains each choice).
const std::array kRules = {
    // Service routes.
    RouteAccess{V::get, "/health", std::nullopt},
    RouteAccess{V::get, "/openapi.json", std::nullopt},
    RouteAccess{V::get, "/metrics", P::kMonitor},
    // EPCIS 2.0 capture (§12.4) and capture jobs. Jobs are not kept per party, so the list
    // of all jobs is the operator's; one job is read by its unguessable id.
    RouteAccess{V::post, "/capture", P::kCaptureEvents},
    RouteAccess{V::get, "/capture", P::kMonitor},
    RouteAccess{V::get, "/capture/{captureID}", P::kCaptureEvents},
    RouteAccess{V::post, "/events", P::kCaptureEvents},
    // Events and the top-level resources: queries carry the caller's visibility. The value
    // listings (/epcs...) span all parties' events, so they are the operator's.
    RouteAccess{V::get, "/", P::kQueryEvents},
    RouteAccess{V::get, "/events", P::kQueryEvents},
    RouteAccess{V::get, "/events/{eventID}", P::kQueryEvents},
    RouteAccess{V::get, "/eventTypes", P::kQueryEvents},
    RouteAccess{V::get, "/eventTypes/{eventType}", P::kQueryEvents},
    RouteAccess{V::get, "/eventTypes/{eventType}/events", P::kQueryEvents},
    RouteAccess{V::get, "/epcs", P::kMonitor},
    RouteAccess{V::get, "/epcs/{epc}", P::kQueryEvents},
    RouteAccess{V::get, "/epcs/{epc}/events", P::kQueryEvents},
    RouteAccess{V::get, "/bizSteps", P::kMonitor},
    RouteAccess{V::get, "/bizSteps/{bizStep}", P::kQueryEvents},
    RouteAccess{V::get, "/bizSteps/{bizStep}/events", P::kQueryEvents},
    RouteAccess{V::get, "/bizLocations", P::kMonitor},
    RouteAccess{V::get, "/bizLocations/{bizLocation}", P::kQueryEvents},
    RouteAccess{V::get, "/bizLocations/{bizLocation}/events", P::kQueryEvents},
    RouteAccess{V::get, "/readPoints", P::kMonitor},
    RouteAccess{V::get, "/readPoints/{readPoint}", P::kQueryEvents},
    RouteAccess{V::get, "/readPoints/{readPoint}/events", P::kQueryEvents},
    RouteAccess{V::get, "/dispositions", P::kMonitor},
    RouteAccess{V::get, "/dispositions/{disposition}", P::kQueryEvents},
    RouteAccess{V::get, "/dispositions/{disposition}/events", P::kQueryEvents},
    // Named queries (§12.6): each belongs to the party that made it (others get 404, admin
    // sees all); their events, and the pushes of subscriptions, carry the caller's visibility.
    RouteAccess{V::post, "/queries", P::kQueryEvents},
    RouteAccess{V::get, "/queries", P::kQueryEvents},
    RouteAccess{V::get, "/queries/{queryName}", P::kQueryEvents},
    RouteAccess{V::delete_, "/queries/{queryName}", P::kQueryEvents},
    RouteAccess{V::get, "/queries/{queryName}/events", P::kQueryEvents},
    RouteAccess{V::post, "/queries/{queryName}/subscriptions", P::kQueryEvents},
    RouteAccess{V::get, "/queries/{queryName}/subscriptions", P::kQueryEvents},
    RouteAccess{V::get, "/queries/{queryName}/subscriptions/{subscriptionID}", P::kQueryEvents},
    RouteAccess{V::delete_, "/queries/{queryName}/subscriptions/{subscriptionID}", P::kQueryEvents},
    // Verification (EU FMD Art. 11, 25; DSCSA VRS) and pack operations (Art. 22, 13).
    RouteAccess{V::get, "/verify", P::kVerify, true},
    RouteAccess{V::post, "/verify", P::kVerify, true},
    RouteAccess{V::get, "/dscsa/verify", P::kVerify},
    RouteAccess{V::post, "/packs/{operation}", P::kChangePackState},
    // Detection alerts (issue 7): a manufacturer sees and moves only the alerts naming an
    // identifier of its company prefix (alert_routes.h).
    RouteAccess{V::get, "/alerts", P::kReadAlerts},
    RouteAccess{V::get, "/alerts/{alertID}", P::kReadAlerts},
    RouteAccess{V::post, "/alerts/{alertID}/state", P::kManageAlerts},
    // Business routes (issue 6). Warranty, claims and service records: the warrantor's
    // (manufacturer), read by auditors. Recalls: created and run by manufacturers (of
    // their own prefix), read by all supply-chain roles, each custodian seeing its own
    // items. Stock and audits: the caller's own stock unless it sees all; minimums and
    // audit schedules count every party's stock, so they are the operator's.
    RouteAccess{V::get, "/warranty/terms", P::kReadWarranty},
    RouteAccess{V::post, "/warranty/terms", P::kWarranty},
    RouteAccess{V::get, "/warranty/terms/{gtin}", P::kReadWarranty},
    RouteAccess{V::post, "/warranty/registrations", P::kWarranty},
    RouteAccess{V::post, "/warranty/transfers", P::kWarranty},
    RouteAccess{V::get, "/warranty/items/{item}", P::kReadWarranty},
    RouteAccess{V::post, "/claims", P::kWarranty},
    RouteAccess{V::get, "/claims", P::kReadWarranty},
    RouteAccess{V::get, "/claims/{claimID}", P::kReadWarranty},
    RouteAccess{V::post, "/claims/{claimID}/{decision}", P::kWarranty},
    RouteAccess{V::post, "/service", P::kWarranty},
    RouteAccess{V::get, "/service/{item}", P::kReadWarranty},
    RouteAccess{V::get, "/recalls", P::kReadRecalls},
    RouteAccess{V::post, "/recalls", P::kManageRecalls},
    RouteAccess{V::get, "/recalls/{recallID}", P::kReadRecalls},
    RouteAccess{V::post, "/recalls/{recallID}/run", P::kManageRecalls},
    RouteAccess{V::get, "/inventory", P::kReadInventory},
    RouteAccess{V::get, "/inventory/ageing", P::kReadInventory},
    RouteAccess{V::get, "/inventory/expiring", P::kReadInventory},
    RouteAccess{V::get, "/inventory/minimums", P::kMonitor},
    RouteAccess{V::post, "/inventory/minimums", P::kMonitor},
    RouteAccess{V::post, "/audits", P::kReadInventory},
    RouteAccess{V::get, "/audits", P::kReadInventory},
    RouteAccess{V::get, "/audits/schedules", P::kReadInventory},
    RouteAccess{V::post, "/audits/schedules", P::kMonitor},
    RouteAccess{V::get, "/audits/overdue", P::kReadInventory},
    RouteAccess{V::get, "/audits/{auditID}", P::kReadInventory},
    // Serial numbers (issue 4's ranges): a manufacturer only for its own company prefix's
    // GTINs (serial_routes.h).
    RouteAccess{V::get, "/serials/formats", P::kAllocateSerials},
    RouteAccess{V::post, "/serials/formats", P::kAllocateSerials},
    RouteAccess{V::get, "/serials/gtins/{gtin}", P::kAllocateSerials},
    RouteAccess{V::put, "/serials/gtins/{gtin}", P::kAllocateSerials},
    RouteAccess{V::post, "/serials/allocations", P::kAllocateSerials},
    RouteAccess{V::get, "/serials/allocations", P::kAllocateSerials},
    RouteAccess{V::post, "/serials/ranges/{rangeID}/returns", P::kAllocateSerials},
    RouteAccess{V::get, "/serials/guess-probability", P::kAllocateSerials},
};

}  // namespace

std::span<const RouteAccess> route_access_table() {
  return kRules;
}

const RouteAccess* route_access(http::verb method, std::string_view path) {
  for (const auto& rule : kRules)
    if (rule.method == method && rule.path == path) return &rule;
  return nullptr;
}

Dispatcher::Guard access_guard(store::ApiKeys& keys, bool open) {
  auto admin = std::make_shared<const Principal>(Principal{"open", Role::kAdmin, "", ""});
  return [&keys, open, admin](RequestContext& ctx) -> std::optional<Problem> {
    const RouteAccess* rule = route_access(ctx.route.method, ctx.route.path);
    if (!rule)
      return forbidden_exception(ctx.route.path + " has no access rule: refused to everyone");
    if (open) {
      ctx.principal = admin;
      return std::nullopt;
    }
    if (!rule->permission) return std::nullopt;
    std::string authorization = ctx.header("Authorization");
    if (authorization.empty() && rule->anonymous_is_public) {
      ctx.principal = std::make_shared<const Principal>(Principal{"", Role::kPublic, "", ""});
      return std::nullopt;
    }
    auto principal = authenticate(keys, authorization);
    if (!principal) {
      if (principal.error().kind == AuthError::Kind::kStore)
        return implementation_exception(principal.error().message);
      return unauthorised_exception(principal.error().message);
    }
    if (!permits(*principal, *rule->permission))
      return forbidden_exception(
          "the " + std::string(role_name(principal->role)) + " role may not " +
          std::string(permission_name(*rule->permission)) + " (" +
          std::string(http::to_string(ctx.route.method)) + " " + ctx.route.path + ")");
    ctx.principal = std::make_shared<const Principal>(std::move(*principal));
    return std::nullopt;
  };
}

std::string visible_party(const RequestContext& ctx) {
  return ctx.principal ? visibility_party(*ctx.principal) : std::string();
}

bool caller_owns(const RequestContext& ctx, std::string_view owner_party) {
  return !ctx.principal || owns_resource(*ctx.principal, owner_party);
}

serialtrack::Result<store::NamedQuery, Problem> find_owned_query(store::NamedQueries& queries,
                                                                 const RequestContext& ctx) {
  auto q = queries.query(ctx.param("queryName"));
  if (!q) return unexpected(store_problem(q.error()));
  if (!*q || !caller_owns(ctx, (*q)->owner))
    return unexpected(no_such_resource_exception("no query named " + ctx.param("queryName")));
  return std::move(**q);
}

}  // namespace serialtrack::server

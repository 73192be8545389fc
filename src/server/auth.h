// Access control (issue 5): who a request comes from, and what it may do and see. The
// HTTP server calls these once per request; nothing here knows HTTP. A request presents
// an API key (store/api_keys.h) as `Authorization: Bearer <key>` (RFC 6750 §2.1); the
// key names a party (a GLN) and a role, and the role's permissions are one table
// (role_permits). Beyond the role:
//  - visibility: a party sees only the events it is a party to (it captured them, or
//    names them as source or destination, EPCIS 2.0 §7.3.5.4); admin and auditor see all
//    (visibility_party for queries, can_see for one event);
//  - ownership: a manufacturer captures events and allocates serials only for
//    identifiers of its own GS1 Company Prefix (owns_identifier, event_within_prefix).
//
// A party's company prefix cannot be read off its GLN (GS1 GenSpecs 1.4.4: the length
// is not in the key), so it is fixed when the key is created (`serialtrack keys create
// --gcp-length N`, or `--gcp-file` with a gs1/gcp_length.h table) and carried by the
// Principal; checks need no table at request time.
//
// Pure functions, thread-safe; authenticate is as thread-safe as the ApiKeys it reads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "epcis/event.h"
#include "store/api_keys.h"
#include "store/store.h"

namespace serialtrack::server {

enum class Role : std::uint8_t {
  kAdmin,
  kManufacturer,
  kDistributor,
  kDispenser,
  kAuditor,
  kPublic
};
inline constexpr std::size_t kRoleCount = 6;

// "admin", "manufacturer", "distributor", "dispenser", "auditor", "public", and back
// (nullopt for any other text; names are lower case).
std::string_view role_name(Role role);
std::optional<Role> role_from_name(std::string_view name);

// Who a request comes from: the key it presented, that key's role and party.
struct Principal {
  std::string key_id;
  Role role = Role::kPublic;
  std::string party;           // the party's GLN, 13 digits
  std::string company_prefix;  // the party's GS1 Company Prefix; "" when its key has none
};

struct AuthError {
  enum class Kind : std::uint8_t {
    kMissing,     // no Authorization header (or an empty one)
    kMalformed,   // not "Bearer <key>", or the key is not of the key format
    kUnknownKey,  // no stored key has this id and secret
    kRevoked,     // the key was revoked
    kStore,       // the key store failed (I/O), or holds a role this program does not know
  };
  Kind kind = Kind::kMissing;
  std::string message;  // one sentence for a person; never contains the presented key
};

// The principal of a request from its Authorization header value ("" when absent):
// "Bearer <key>" (scheme case-insensitive, RFC 9110 §11.1), key looked up in keys. Every
// error but kStore is a refusal (the server answers 401 SecurityException); kStore is the
// server's fault (500 ImplementationException).
Result<Principal, AuthError> authenticate(store::ApiKeys& keys,
                                          std::string_view authorization_header);

// What a request may do. The server maps each route to one permission.
enum class Permission : std::uint8_t {
  kCaptureEvents,    // POST /capture, POST /events
  kQueryEvents,      // GET /events, queries, subscriptions (restricted by visibility)
  kVerify,           // GET/POST /verify: the minimal answer (genuine or not)
  kVerifyDetailed,   // the verification answer with status, alert, custody details
  kChangePackState,  // supply/dispense, destroy, stolen, sample, export, lock... and undo
  kAllocateSerials,  // /serials: number ranges and allocations
  kReadAlerts,       // alerts (clone, diversion, enumeration probes)
  kManageKeys,       // create, list, revoke API keys
  kReadInventory,    // stock by location
  kManageRecalls,    // start and end recalls
  kReadRecalls,      // which lots are recalled
  kWarranty,         // warranty records: terms, registrations, transfers, claims and
                     // their decisions, service records
  kMonitor,          // the operator's view across all parties: metrics, every capture job,
                     // the values all events use (/epcs...), webhook subscriptions
  kManageAlerts,     // move alerts through their workflow (investigating, closed)
  kReadWarranty,     // read warranty terms, an item's warranty status, claims, service
};
inline constexpr std::size_t kPermissionCount = 15;

// "capture_events", "query_events", ... (snake case of the enumerator).
std::string_view permission_name(Permission permission);

// Whether role has permission: the one permission table (auth.cc).
bool role_permits(Role role, Permission permission);

// Whether principal has permission (role_permits of its role).
bool permits(const Principal& principal, Permission permission);

// Whether the identifier's GS1 key lies within the principal's company prefix: an EPC
// URN or class/pattern URN, a Digital Link URI, an element string or scan data, or a
// bare GTIN (8, 12, 13 or 14 digits with a valid check digit). False when the principal
// has no company prefix, or the identifier is not a GS1 key.
bool owns_identifier(const Principal& principal, std::string_view epc_or_gtin);

// The canonical key prefixes (https://id.gs1.org/<primary key AI>/…, epcis::canonical_key)
// of the identifiers within the principal's company prefix: a canonical key starting with
// one of them is one owns_identifier accepts. Empty when the principal has no company
// prefix. For listings in the store (a manufacturer's alerts).
std::vector<std::string> owned_key_prefixes(const Principal& principal);
// Whether the principal may act on the identifier (capture events naming it, allocate
// serials of a GTIN): only manufacturers are held to their company prefix
// (owns_identifier); every other role may.
bool within_own_prefix(const Principal& principal, std::string_view epc_or_gtin);

// For a capture: the first identifier of event (epcList / childEPCs, parentID, input and
// output EPCs, the classes of quantity lists) the principal may not capture, or nullopt
// when it may capture them all. Only manufacturers are held to their company prefix:
// other roles capture events about other companies' products (shipping, receiving,
// dispensing) and get nullopt.
std::optional<std::string> identifier_outside_prefix(const Principal& principal,
                                                     const epcis::Event& event);

// identifier_outside_prefix(principal, event) is nullopt.
bool event_within_prefix(const Principal& principal, const epcis::Event& event);

// The party to restrict the principal's queries to (store::EventQuery::visible_to_party):
// "" for admin and auditor (they see all), the principal's GLN otherwise.
std::string visibility_party(const Principal& principal);

// Whether the principal may see and delete a resource owned by a party (a named query,
// a subscription): the owner's keys and admin. owner_party "" (made before owners were
// recorded, or by an admin without a party): admin only.
bool owns_resource(const Principal& principal, std::string_view owner_party);

// Whether the key a subscription recorded (its key id) may still be pushed to: true for
// "" (no key: the operator, or a server run with --open), false when the key was revoked
// or is gone. Answered as authenticate is (a revocation by `serialtrack keys revoke` is
// seen within store::kApiKeyCacheTime). Error kStore when the key store fails.
Result<bool, AuthError> key_in_force(store::ApiKeys& keys, const std::string& key_id);

// Whether the principal may see one stored event (e.g. fetched by eventID): admin and
// auditor always; others when they captured it or it names them (store::named_parties).
bool can_see(const Principal& principal, const store::StoredEvent& event);

}  // namespace serialtrack::server

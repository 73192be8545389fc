#include "server/auth.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "epcis/identifiers.h"
#include "gs1/check_digit.h"
#include "gs1/identify.h"

namespace serialtrack::server {
namespace {

constexpr std::array<std::string_view, kRoleCount> kRoleNames = {
    "admin", "manufacturer", "distributor", "dispenser", "auditor", "public"};

constexpr std::array<std::string_view, kPermissionCount> kPermissionNames = {
    "capture_events",   "query_events", "verify",      "verify_detailed", "change_pack_state",
    "allocate_serials", "read_alerts",  "manage_keys", "read_inventory",  "manage_recalls",
    "read_recalls",     "warranty",     "monitor",     "manage_alerts",   "read_warranty"};

// The permission table (issue 5 "Access control"): one row per role, one column per
// Permission, in enum order. Columns:
//   capture query verify detailed packstate serials alerts keys inventory recalls readrecalls
//   warranty monitor managealerts readwarranty
constexpr bool X = true, _ = false;
constexpr bool kTable[kRoleCount][kPermissionCount] = {
    // admin: everything.
    {X, X, X, X, X, X, X, X, X, X, X, X, X, X, X},
    // manufacturer: its own products' events and serials, recalls, warranty (it gives it);
    // the alerts on its own company prefix, which it investigates (EU FMD: the marketing
    // authorisation holder investigates alerts on its packs).
    {X, X, X, X, _, X, X, _, _, X, X, X, _, X, X},
    // distributor (wholesaler): its events, pack state changes (export, lock...), stock;
    // reads recalls to quarantine stock.
    {X, X, X, X, X, _, _, _, X, _, X, _, _, _, _},
    // dispenser (pharmacy, hospital): its events, pack state changes (supply, dispense,
    // destroy...); reads recalls to stop dispensing.
    {X, X, X, X, X, _, _, _, _, _, X, _, _, _, _},
    // auditor: reads everything (warranty records too), changes no record; triages
    // alerts (investigating, closed with a reason), which changes no event, item or pack.
    {_, X, X, X, _, _, X, _, X, _, X, _, X, X, X},
    // public (consumers, apps): verification with the minimal answer only.
    {_, _, X, _, _, _, _, _, _, _, _, _, _, _, _},
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

AuthError refusal(AuthError::Kind kind, std::string message) {
  return AuthError{kind, std::move(message)};
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The primary keys of GS1 Digital Link (DL URI Syntax §4.2) and where their company
// prefix starts (after a GTIN's or ITIP's indicator digit, an SSCC's extension digit, a
// GRAI's leading zero: TDS 7.x).
constexpr std::pair<std::string_view, size_t> kKeys[] = {
    {"01", 1},   {"00", 1},  {"8006", 1}, {"8003", 1}, {"02", 1},
    {"414", 0},  {"417", 0}, {"8004", 0}, {"8010", 0}, {"8017", 0},
    {"8018", 0}, {"253", 0}, {"255", 0},  {"401", 0},  {"402", 0}};

// The digits of id's GS1 key from where its company prefix starts (after a GTIN's or
// ITIP's indicator digit, an SSCC's extension digit, a GRAI's leading zero: TDS 7.x);
// nullopt when id is not a GS1 key.
std::optional<std::string> key_digits_from_prefix(std::string_view id) {
  if (all_digits(id)) {  // a bare GTIN-8/12/13/14 (GS1 GenSpecs 3.3.2)
    auto gtin = gs1::gtin14(id);
    if (!gtin) return std::nullopt;
    return gtin->substr(1);
  }
  std::string text(id);
  if (id.starts_with("urn:")) {  // EPC URNs, LGTIN classes, idpat, PGLN -> Digital Link
    auto canonical = epcis::canonical_key(id);
    if (!canonical) return std::nullopt;
    text = std::move(*canonical);
  }
  auto identified = gs1::identify(text);
  if (!identified) return std::nullopt;
  for (const auto& [ai, offset] : kKeys)
    if (auto v = identified->ais.get(ai); v && v->size() > offset)
      return std::string(v->substr(offset));
  return std::nullopt;
}

}  // namespace

std::string_view role_name(Role role) {
  return kRoleNames[static_cast<size_t>(role)];
}

std::optional<Role> role_from_name(std::string_view name) {
  for (size_t i = 0; i < kRoleCount; ++i)
    if (kRoleNames[i] == name) return static_cast<Role>(i);
  return std::nullopt;
}

std::string_view permission_name(Permission permission) {
  return kPermissionNames[static_cast<size_t>(permission)];
}

Result<Principal, AuthError> authenticate(store::ApiKeys& keys,
                                          std::string_view authorization_header) {
  using Kind = AuthError::Kind;
  std::string_view header = trim(authorization_header);
  if (header.empty())
    return unexpected(
        refusal(Kind::kMissing, "an API key is required: Authorization: Bearer <key>"));
  size_t space = header.find_first_of(" \t");
  if (space == std::string_view::npos || !iequals(header.substr(0, space), "Bearer"))
    return unexpected(refusal(Kind::kMalformed, "the Authorization header is not 'Bearer <key>'"));
  std::string_view key = trim(header.substr(space + 1));
  if (!store::api_key_id_of(key))
    return unexpected(refusal(Kind::kMalformed, "the bearer token is not a serialtrack API key"));
  auto found = keys.find(key);
  if (!found)
    return unexpected(refusal(Kind::kStore, "reading API keys: " + found.error().message));
  if (!*found) return unexpected(refusal(Kind::kUnknownKey, "unknown API key"));
  const store::ApiKeyRecord& rec = **found;
  if (rec.revoked)
    return unexpected(refusal(Kind::kRevoked, "API key " + rec.key_id + " has been revoked"));
  auto role = role_from_name(rec.role);
  if (!role)
    return unexpected(
        refusal(Kind::kStore, "API key " + rec.key_id + " has an unknown role '" + rec.role + "'"));
  return Principal{rec.key_id, *role, rec.party, rec.company_prefix};
}

bool role_permits(Role role, Permission permission) {
  return kTable[static_cast<size_t>(role)][static_cast<size_t>(permission)];
}

bool permits(const Principal& principal, Permission permission) {
  return role_permits(principal.role, permission);
}

bool owns_identifier(const Principal& principal, std::string_view epc_or_gtin) {
  if (principal.company_prefix.empty()) return false;
  auto digits = key_digits_from_prefix(epc_or_gtin);
  return digits && digits->starts_with(principal.company_prefix);
}

std::vector<std::string> owned_key_prefixes(const Principal& principal) {
  std::vector<std::string> out;
  if (principal.company_prefix.empty()) return out;
  for (const auto& [ai, offset] : kKeys) {
    std::string stem = "https://id.gs1.org/" + std::string(ai) + "/";
    if (offset == 0)
      out.push_back(stem + principal.company_prefix);
    else  // the digit before the prefix (indicator, extension) is any digit
      for (char d = '0'; d <= '9'; ++d) out.push_back(stem + d + principal.company_prefix);
  }
  return out;
}

bool within_own_prefix(const Principal& principal, std::string_view epc_or_gtin) {
  return principal.role != Role::kManufacturer || owns_identifier(principal, epc_or_gtin);
}

std::optional<std::string> identifier_outside_prefix(const Principal& principal,
                                                     const epcis::Event& event) {
  if (principal.role != Role::kManufacturer) return std::nullopt;
  auto outside = [&](const std::string& id) { return !within_own_prefix(principal, id); };
  for (const auto* list : {&event.epc_list, &event.input_epc_list, &event.output_epc_list})
    for (const auto& id : *list)
      if (outside(id)) return id;
  if (!event.parent_id.empty() && outside(event.parent_id)) return event.parent_id;
  for (const auto* list :
       {&event.quantity_list, &event.input_quantity_list, &event.output_quantity_list})
    for (const auto& q : *list)
      if (outside(q.epc_class)) return q.epc_class;
  return std::nullopt;
}

bool event_within_prefix(const Principal& principal, const epcis::Event& event) {
  return !identifier_outside_prefix(principal, event);
}

std::string visibility_party(const Principal& principal) {
  bool sees_all = principal.role == Role::kAdmin || principal.role == Role::kAuditor;
  return sees_all ? std::string() : principal.party;
}

bool owns_resource(const Principal& principal, std::string_view owner_party) {
  if (principal.role == Role::kAdmin) return true;
  return !owner_party.empty() && principal.party == owner_party;
}

bool can_see(const Principal& principal, const store::StoredEvent& event) {
  std::string party = visibility_party(principal);
  if (party.empty()) return true;
  if (event.captured_by == party) return true;
  auto named = store::named_parties(event.event);
  return std::binary_search(named.begin(), named.end(), party);
}

Result<bool, AuthError> key_in_force(store::ApiKeys& keys, const std::string& key_id) {
  if (key_id.empty()) return true;
  auto found = keys.record(key_id);
  if (!found)
    return unexpected(
        AuthError{AuthError::Kind::kStore, "reading API keys: " + found.error().message});
  return found->has_value() && !(*found)->revoked;
}

}  // namespace serialtrack::server

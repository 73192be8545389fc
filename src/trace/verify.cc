#include "trace/verify.h"

#include <boost/json.hpp>

#include "epcis/identifiers.h"
#include "epcis/time.h"
#include "gs1/digital_link.h"
#include "gs1/identify.h"
#include "trace/capture.h"

namespace serialtrack::trace {
namespace {

constexpr std::string_view kDlStem = "https://id.gs1.org/";

VerifyError invalid(std::string field, std::string message) {
  return VerifyError{VerifyError::Kind::kInvalidInput, std::move(field), std::move(message)};
}

VerifyError store_error(const store::Error& e) {
  return VerifyError{VerifyError::Kind::kStore, "", e.message};
}

// The request field an AI came from, for error reports.
std::string field_of_ai(std::string_view ai) {
  if (ai == "01") return "gtin";
  if (ai == "21") return "serial";
  if (ai == "10") return "lot";
  if (ai == "17") return "expiry";
  return "id";
}

std::string path_escaped(std::string_view value) {
  return gs1::uri_escape(value, gs1::UriComponent::kPath);
}

// CBV 2.0 §10 master data: the product's name as its EPCClass vocabulary gives it.
store::Result<std::string> product_name(store::Store& store, const std::string& gtin) {
  auto md = store.master_data(std::string(kDlStem) + "01/" + gtin);
  if (!md) return unexpected(std::move(md).error());
  if (!*md) return std::string();
  std::string name;
  for (const auto& [attribute, value] : **md) {
    if (attribute == "urn:epcglobal:cbv:mda#regulatedProductName") return value;
    if (attribute == "urn:epcglobal:cbv:mda#name" ||
        attribute == "urn:epcglobal:cbv:mda#tradeItemDescription")
      name = value;
  }
  return name;
}

// A GLN-keyed URI in canonical Digital Link form, with one of the allowed primary AIs.
VerifyResult<std::string> gln_uri(const std::string& given, std::string_view bare_ai,
                                  std::initializer_list<std::string_view> allowed,
                                  const std::string& field) {
  if (given.empty()) return std::string();
  std::string uri = given;
  if (given.size() == 13 && given.find_first_not_of("0123456789") == std::string::npos)
    uri = std::string(kDlStem) + std::string(bare_ai) + "/" + given;
  auto key = epcis::canonical_key(uri);
  if (!key) return unexpected(invalid(field, field + ": " + key.error().message));
  auto id = gs1::identify(*key);
  if (!id) return unexpected(invalid(field, field + " " + given + ": " + id.error().message));
  for (auto ai : allowed)
    if (id->ais.size() > 0 && id->ais[0].ai == ai) return std::move(*key);
  return unexpected(invalid(field, field + " " + given + " is not a GLN of the right kind"));
}

}  // namespace

std::string_view alert_code_name(AlertCode code) {
  switch (code) {
    case AlertCode::kUnknownSerial:
      return "A2";
    case AlertCode::kUnknownProduct:
      return "A3";
    case AlertCode::kLotMismatch:
      return "A24";
    case AlertCode::kExpiryMismatch:
      return "A52";
    case AlertCode::kNotActive:
      return "A68";
    case AlertCode::kAlreadyInState:
      return "A7";
  }
  return "";
}

VerifyResult<std::string> party_uri(const std::string& party) {
  // EPCIS 2.0 §8.3.2: parties are PGLNs (AI 417); a location GLN (414) is accepted too.
  return gln_uri(party, "417", {"417", "414"}, "party");
}

VerifyResult<std::string> location_uri(const std::string& location) {
  return gln_uri(location, "414", {"414"}, "location");
}

VerifyResult<PackQuery> pack_query_from_params(
    const std::vector<std::pair<std::string, std::string>>& params) {
  PackQuery q;
  std::string lot, expiry;
  bool has_lot = false, has_expiry = false;
  for (const auto& [name, value] : params) {
    std::string* target = name == "gtin"                                   ? &q.gtin
                          : name == "serial"                               ? &q.serial
                          : name == "lot"                                  ? &lot
                          : name == "expiry"                               ? &expiry
                          : name == "dl" || name == "scan" || name == "id" ? &q.id
                                                                           : nullptr;
    if (!target) continue;
    if (!target->empty() && *target != value)
      return unexpected(invalid(name, name + ": given twice, with different values"));
    *target = value;
    has_lot |= name == "lot";
    has_expiry |= name == "expiry";
  }
  if (!q.id.empty() && (!q.gtin.empty() || !q.serial.empty()))
    return unexpected(
        invalid("id", "id: give either an identifier (dl, scan, id) or gtin and serial"));
  if (has_lot) q.lot = lot;
  if (has_expiry) q.expiry = expiry;
  return q;
}

VerifyResult<PackQuery> pack_query_from_json(const boost::json::object& body) {
  std::vector<std::pair<std::string, std::string>> params;
  for (const auto& member : body) {
    std::string name(member.key());
    if (!member.value().is_string()) return unexpected(invalid(name, name + ": must be a string"));
    params.emplace_back(name, std::string(member.value().get_string()));
  }
  return pack_query_from_params(params);
}

VerifyResult<PackKey> resolve_pack(const PackQuery& q) {
  PackKey key;
  std::optional<std::string> lot, expiry;
  if (!q.id.empty()) {
    auto id = gs1::identify(q.id);
    if (!id) return unexpected(invalid("id", "id: " + id.error().message));
    auto gtin = id->gtin();
    auto serial = id->serial();
    if (!gtin || !serial)
      return unexpected(invalid("id", "id: not a pack identifier (it needs a GTIN and a serial)"));
    key.gtin = *gtin;
    key.serial = *serial;
    if (auto l = id->lot()) lot = std::string(*l);
    if (auto e = id->expiry()) expiry = std::string(*e);
  } else {
    if (q.gtin.empty()) return unexpected(invalid("gtin", "gtin: missing (or give an id)"));
    if (q.serial.empty()) return unexpected(invalid("serial", "serial: missing"));
    // GS1 GenSpecs 3.3.2: a GTIN-8, -12 or -13 is written as a GTIN-14 with leading zeros.
    if (q.gtin.size() > 14 || q.gtin.find_first_not_of("0123456789") != std::string::npos)
      return unexpected(invalid("gtin", "gtin: " + q.gtin + " is not a GTIN (up to 14 digits)"));
    key.gtin = std::string(14 - q.gtin.size(), '0') + q.gtin;
    key.serial = q.serial;
  }
  if (q.lot) lot = q.lot;
  if (q.expiry) expiry = q.expiry;
  // One validation for every field: the GS1 Digital Link parser checks each AI's
  // syntax and linter (check digit, CSET 82, date) and reports the AI that failed.
  std::string dl = std::string(kDlStem) + "01/" + key.gtin;
  if (lot) dl += "/10/" + path_escaped(*lot);
  dl += "/21/" + path_escaped(key.serial);
  if (expiry) dl += "?17=" + gs1::uri_escape(*expiry, gs1::UriComponent::kQuery);
  auto checked = gs1::identify(dl);
  if (!checked) {
    std::string field = field_of_ai(checked.error().ai);
    return unexpected(invalid(field, field + ": " + checked.error().message));
  }
  key.item = std::string(kDlStem) + "01/" + key.gtin + "/21/" + path_escaped(key.serial);
  key.lot = std::move(lot);
  key.expiry = std::move(expiry);
  return key;
}

VerifyResult<VerifyAnswer> inspect_pack(store::Store& store, const PackKey& pack, int64_t now,
                                        std::optional<ItemState>* state_read) {
  VerifyAnswer a;
  a.gtin = pack.gtin;
  a.serial = pack.serial;
  a.item = pack.item;
  auto state = item_state(store, pack.item);
  if (!state) return unexpected(store_error(state.error()));
  if (state_read) *state_read = *state;
  if (!*state || !(*state)->commissioned) {
    // EMVS: A3 when the product code itself is unknown, A2 when only the serial is.
    auto known = store.any_item_of_gtin(pack.gtin);
    if (!known) return unexpected(store_error(known.error()));
    if (*known) {
      a.alert = AlertCode::kUnknownSerial;
      a.message = "Unknown serial number: product " + pack.gtin + " is known, serial " +
                  pack.serial + " was never commissioned.";
    } else {
      a.alert = AlertCode::kUnknownProduct;
      a.message = "Unknown product code: no pack of GTIN " + pack.gtin + " is known.";
    }
    return a;
  }
  const ItemState& s = **state;
  a.status = pack_status(s, now);
  // Delegated Regulation Art. 11: the unique identifier is verified as a whole, so the
  // lot and expiry given must be the ones commissioned.
  a.lot_matches = !pack.lot || *pack.lot == s.lot;
  auto commissioned_expiry = expiry_date(s.expiry, now);
  a.expiry_matches = !pack.expiry || expiry_date(*pack.expiry, now) == commissioned_expiry;
  if (!a.lot_matches) {
    a.alert = AlertCode::kLotMismatch;
    a.message =
        "Lot mismatch: lot " + *pack.lot + " is not the lot this pack was commissioned with";
  } else if (!a.expiry_matches) {
    a.alert = AlertCode::kExpiryMismatch;
    a.message = "Expiry mismatch: " + *pack.expiry +
                " is not the expiry date this pack was commissioned with";
  }
  if (a.alert) {
    a.message += a.status == PackStatus::kActive
                     ? "."
                     : "; the pack is " + pack_status_words(a.status) + ".";
  } else if (a.status == PackStatus::kActive) {
    a.verified = true;
    a.message = "The pack is genuine and active.";
  } else if (a.status == PackStatus::kExpired) {
    a.message =
        "The pack is genuine but expired on " + commissioned_expiry.value_or(s.expiry) + ".";
  } else {
    a.message = "The pack is genuine but not active: " + pack_status_words(a.status) + ".";
  }
  PackDetails d;
  d.gtin = pack.gtin;
  auto name = product_name(store, pack.gtin);
  if (!name) return unexpected(store_error(name.error()));
  d.product_name = std::move(*name);
  d.lot = s.lot;
  d.expiry = commissioned_expiry.value_or(s.expiry);
  d.last_location = s.biz_location.empty() ? s.read_point : s.biz_location;
  d.custodian = s.possessor.empty() ? s.owner : s.possessor;
  d.last_event_time = s.last_seen;
  a.details = std::move(d);
  return a;
}

VerifyResult<VerifyAnswer> verify_pack(store::Store& store, store::VerificationLog& log,
                                       const VerifyRequest& request) {
  auto resolved = resolve_request(request);
  if (!resolved) return unexpected(std::move(resolved).error());
  return verify_pack(store, log, *resolved);
}

VerifyResult<ResolvedVerifyRequest> resolve_request(const VerifyRequest& request) {
  auto pack = resolve_pack(request.pack);
  if (!pack) return unexpected(std::move(pack).error());
  return ResolvedVerifyRequest{std::move(*pack), request.caller, request.now_unix_nanos};
}

VerifyResult<VerifyAnswer> verify_pack(store::Store& store, store::VerificationLog& log,
                                       const ResolvedVerifyRequest& request,
                                       std::optional<ItemState>* state) {
  const PackKey& pack = request.pack;
  auto party = party_uri(request.caller.party);
  if (!party) return unexpected(std::move(party).error());
  auto location = location_uri(request.caller.location);
  if (!location) return unexpected(std::move(location).error());
  auto answer = inspect_pack(store, pack, request.now_unix_nanos, state);
  if (!answer) return answer;
  if (request.caller.is_public) answer->details.reset();
  store::VerificationRecord record{
      request.now_unix_nanos,
      pack.item,
      request.caller.client,
      *party,
      *location,
      "verify",
      std::string(pack_status_name(answer->status)),
      answer->alert ? std::string(alert_code_name(*answer->alert)) : ""};
  auto logged = log.append(record);
  if (!logged) return unexpected(store_error(logged.error()));
  answer->log_sequence = *logged;
  return answer;
}

boost::json::object verify_answer_json(const VerifyAnswer& a) {
  boost::json::object o;
  o["verified"] = a.verified;
  o["status"] = pack_status_name(a.status);
  if (a.alert) o["alert"] = alert_code_name(*a.alert);
  o["message"] = a.message;
  o["gtin"] = a.gtin;
  o["serial"] = a.serial;
  o["item"] = a.item;
  if (a.suspected_clone) o["suspectedClone"] = true;
  if (!a.details) return o;
  const PackDetails& d = *a.details;
  o["lotMatches"] = a.lot_matches;
  o["expiryMatches"] = a.expiry_matches;
  boost::json::object product{{"gtin", d.gtin}};
  if (!d.product_name.empty()) product["name"] = d.product_name;
  o["product"] = std::move(product);
  auto put = [&o](const char* name, const std::string& v) {
    if (!v.empty()) o[name] = v;
  };
  put("lot", d.lot);
  put("expiry", d.expiry);
  put("lastLocation", d.last_location);
  put("custodian", d.custodian);
  if (d.last_event_time) o["lastEventTime"] = epcis::format_timestamp(*d.last_event_time);
  return o;
}

}  // namespace serialtrack::trace

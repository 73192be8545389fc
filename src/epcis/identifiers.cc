#include "epcis/identifiers.h"

#include <algorithm>
#include <cctype>

#include "gs1/ai_data.h"
#include "gs1/ai_table.h"
#include "gs1/check_digit.h"
#include "gs1/digital_link.h"
#include "gs1/epc.h"
#include "gs1/gcp_length.h"

namespace serialtrack::epcis {
namespace {

constexpr std::string_view kIdPrefix = "urn:epc:id:";
constexpr std::string_view kClassPrefix = "urn:epc:class:";
constexpr std::string_view kIdpatSgtin = "urn:epc:idpat:sgtin:";
constexpr std::string_view kPglnPrefix = "urn:epc:id:pgln:";

Error from_gs1(const gs1::Error& e, std::string_view what, std::string_view id) {
  std::string msg = "invalid ";
  msg += what;
  msg += " '";
  msg += id;
  msg += "': ";
  msg += e.name();
  if (!e.message.empty()) {
    msg += " (";
    msg += e.message;
    msg += ")";
  }
  return validation_error(std::move(msg));
}

Error invalid(std::string_view what, std::string_view id, std::string_view why) {
  std::string msg = "invalid ";
  msg += what;
  msg += " '";
  msg += id;
  msg += "': ";
  msg += why;
  return validation_error(std::move(msg));
}

bool all_digits(std::string_view s) {
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return !s.empty();
}

bool looks_like_http(std::string_view id) {
  return id.starts_with("http://") || id.starts_with("https://") || id.starts_with("HTTP://") ||
         id.starts_with("HTTPS://");
}

// Adds a digit-string key with its check digit (GS1 GenSpecs 7.9.1) to data.
std::optional<Error> add_key(gs1::AiData& data, std::string_view ai, std::string body,
                             std::string_view id) {
  auto check = gs1::mod10_check_digit(body);
  if (!check) return invalid("EPC URN", id, "not a digit string");
  body += *check;
  data.add(ai, body, gs1::find_ai(ai));
  return std::nullopt;
}

// The element string of a URN that gs1::parse_epc_uri does not cover: PGLN (TDS 2.0
// §6.3.18, a party GLN as AI 417) and the GTIN pattern "urn:epc:idpat:sgtin:C.I.*" (a
// class of trade items, EPCIS 2.0 §8.3.3).
Result<gs1::AiData> urn_to_ai_data(std::string_view id) {
  gs1::AiData data;
  if (id.starts_with(kPglnPrefix)) {
    std::string_view rest = id.substr(kPglnPrefix.size());
    auto dot = rest.find('.');
    if (dot == std::string_view::npos) return unexpected(invalid("PGLN", id, "expected C.P"));
    std::string_view cp = rest.substr(0, dot), pr = rest.substr(dot + 1);
    if (!all_digits(cp) || (!pr.empty() && !all_digits(pr)) || cp.size() + pr.size() != 12 ||
        cp.size() < 6)
      return unexpected(invalid("PGLN", id, "company prefix + party reference must be 12 digits"));
    if (auto e = add_key(data, "417", std::string(cp) + std::string(pr), id)) return unexpected(*e);
    return data;
  }
  if (id.starts_with(kIdpatSgtin)) {
    std::string_view rest = id.substr(kIdpatSgtin.size());
    auto d1 = rest.find('.');
    auto d2 = d1 == std::string_view::npos ? d1 : rest.find('.', d1 + 1);
    if (d2 == std::string_view::npos || rest.substr(d2 + 1) != "*")
      return unexpected(invalid("EPC pattern", id, "only C.I.* GTIN patterns convert"));
    std::string_view cp = rest.substr(0, d1), ir = rest.substr(d1 + 1, d2 - d1 - 1);
    if (!all_digits(cp) || !all_digits(ir) || cp.size() + ir.size() != 13)
      return unexpected(
          invalid("EPC pattern", id, "company prefix + item reference must be 13 digits"));
    // TDS §7.1.2: indicator digit first, then the company prefix, then the rest.
    std::string body(1, ir[0]);
    body += cp;
    body += ir.substr(1);
    if (auto e = add_key(data, "01", std::move(body), id)) return unexpected(*e);
    return data;
  }
  auto epc = gs1::parse_epc_uri(id);
  if (!epc) return unexpected(from_gs1(epc.error(), "EPC URN", id));
  auto ais = gs1::to_ai_data(*epc);
  if (!ais) return unexpected(from_gs1(ais.error(), "EPC URN", id));
  return std::move(*ais);
}

Result<std::string> urn_to_dl(std::string_view id) {
  auto data = urn_to_ai_data(id);
  if (!data) return unexpected(data.error());
  auto dl = gs1::to_digital_link(*data);
  if (!dl) return unexpected(from_gs1(dl.error(), "EPC URN", id));
  return std::move(*dl);
}

// The URN of DL data whose GCP length the table gives; nullopt when it does not
// (the caller keeps the DL form).
Result<std::optional<std::string>> dl_to_urn(const gs1::AiData& data, std::string_view id,
                                             const gs1::GcpLengthTable& table) {
  // PGLN and the GTIN class, which gs1::epc_from_ai_data does not produce.
  auto gtin = data.get("01");
  if (auto party = data.get("417")) {
    auto len = table.lookup(*party);
    if (!len) return std::optional<std::string>();
    std::string urn(kPglnPrefix);
    urn += party->substr(0, *len);
    urn += '.';
    urn += party->substr(*len, 12 - *len);
    return std::optional<std::string>(std::move(urn));
  }
  if (gtin && !data.has("21") && !data.has("10") && gtin->size() == 14) {
    auto len = table.lookup(gtin->substr(1));
    if (!len) return std::optional<std::string>();
    std::string urn(kIdpatSgtin);
    urn += gtin->substr(1, *len);
    urn += '.';
    urn += (*gtin)[0];
    urn += gtin->substr(1 + *len, 12 - *len);
    urn += ".*";
    return std::optional<std::string>(std::move(urn));
  }
  auto epc = gs1::epc_from_ai_data(data, table);
  if (!epc) {
    if (epc.error().code == gs1::ErrorCode::UNKNOWN_COMPANY_PREFIX_LENGTH)
      return std::optional<std::string>();
    return unexpected(from_gs1(epc.error(), "GS1 Digital Link URI", id));
  }
  return std::optional<std::string>(gs1::to_epc_uri(*epc));
}

bool is_urn_form(IdentifierForm f) {
  return f == IdentifierForm::kEpcUrn || f == IdentifierForm::kEpcClassUrn ||
         f == IdentifierForm::kEpcPattern;
}

}  // namespace

std::string_view epc_format_name(EpcFormat format) {
  switch (format) {
    case EpcFormat::kAlwaysDigitalLink:
      return "Always_GS1_Digital_Link";
    case EpcFormat::kAlwaysEpcUrn:
      return "Always_EPC_URN";
    case EpcFormat::kNoPreference:
      return "No_Preference";
  }
  return "";
}

std::optional<EpcFormat> epc_format_from_name(std::string_view name) {
  for (auto f : {EpcFormat::kAlwaysDigitalLink, EpcFormat::kAlwaysEpcUrn, EpcFormat::kNoPreference})
    if (epc_format_name(f) == name) return f;
  return std::nullopt;
}

bool is_uri(std::string_view s) {
  auto colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == s.size()) return false;
  if (!std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (size_t i = 1; i < colon; ++i) {
    char c = s[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.')
      return false;
  }
  for (char c : s)
    if (static_cast<unsigned char>(c) <= 0x20 || c == '"' || c == '<' || c == '>' || c == '\\')
      return false;
  return true;
}

bool is_ncname(std::string_view s) {
  if (s.empty()) return false;
  auto start = [](unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; };
  if (!start(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin() + 1, s.end(), [&](char ch) {
    auto c = static_cast<unsigned char>(ch);
    return start(c) || std::isdigit(c) || c == '-' || c == '.';
  });
}

bool is_extension_prefix(std::string_view s) {
  return is_ncname(s) && s != "xml" && s != "xmlns";
}

std::optional<IriName> split_full_iri(std::string_view s) {
  if (s.find("://") == std::string_view::npos && !s.starts_with("urn:")) return std::nullopt;
  size_t cut = s.find_last_of("/#:");
  return IriName{s.substr(0, cut + 1), s.substr(cut + 1)};
}

bool is_namespace_name(std::string_view s) {
  if (s.ends_with(':')) return is_uri(std::string(s) + "x");
  return is_uri(s);
}

bool is_hex_binary(std::string_view s) {
  return !s.empty() && s.size() % 2 == 0 && std::all_of(s.begin(), s.end(), [](char ch) {
    return std::isxdigit(static_cast<unsigned char>(ch)) != 0;
  });
}

bool is_rec20_code(std::string_view s) {
  return s.size() >= 2 && s.size() <= 3 && std::all_of(s.begin(), s.end(), [](char ch) {
           auto c = static_cast<unsigned char>(ch);
           return std::isupper(c) || std::isdigit(c);
         });
}

std::string epc_problem(std::string_view id) {
  if (!is_uri(id)) return " must be a URI: '" + std::string(id) + "'";
  if (!id.starts_with("urn:epc:id:")) return {};
  auto parsed = gs1::parse_epc_uri(id);
  if (parsed || parsed.error().code == gs1::ErrorCode::UNSUPPORTED_SCHEME) return {};
  return " is not a valid EPC URN: '" + std::string(id) + "' (" +
         std::string(parsed.error().name()) + ")";
}

IdentifierForm identifier_form(std::string_view id) {
  if (id.starts_with(kIdPrefix)) return IdentifierForm::kEpcUrn;
  if (id.starts_with(kClassPrefix)) return IdentifierForm::kEpcClassUrn;
  if (id.starts_with("urn:epc:idpat:")) return IdentifierForm::kEpcPattern;
  if (looks_like_http(id)) {
    gs1::AiData data;
    if (!gs1::parse_digital_link_into(id, data)) return IdentifierForm::kDigitalLink;
  }
  return IdentifierForm::kOther;
}

Result<std::string> convert_identifier(std::string_view id, EpcFormat format,
                                       const gs1::GcpLengthTable* gcp_table) {
  if (format == EpcFormat::kNoPreference) return std::string(id);
  if (id.starts_with("urn:epc:")) {
    if (format == EpcFormat::kAlwaysEpcUrn) return std::string(id);
    IdentifierForm form = identifier_form(id);
    // Patterns other than a whole GTIN class have no DL form (EPCIS 2.0 §8.3.3).
    if (form == IdentifierForm::kEpcPattern && !id.starts_with(kIdpatSgtin)) return std::string(id);
    if (!is_urn_form(form)) return std::string(id);
    return urn_to_dl(id);
  }
  if (!looks_like_http(id)) return std::string(id);
  if (format == EpcFormat::kAlwaysDigitalLink) return std::string(id);
  gs1::AiData data;
  if (gs1::parse_digital_link_into(id, data)) return std::string(id);  // not a DL: a plain URI
  // DL -> URN needs the GCP length (TDS §7.1); without a table the DL form stays.
  if (gcp_table == nullptr) return std::string(id);
  auto urn = dl_to_urn(data, id, *gcp_table);
  if (!urn) return unexpected(urn.error());
  if (!urn->has_value()) return std::string(id);
  return std::move(**urn);
}

Result<std::string> canonical_key(std::string_view id) {
  if (id.starts_with("urn:epc:")) {
    IdentifierForm form = identifier_form(id);
    if (form == IdentifierForm::kEpcPattern && !id.starts_with(kIdpatSgtin)) return std::string(id);
    return urn_to_dl(id);
  }
  if (!looks_like_http(id)) return std::string(id);
  gs1::AiData data;
  gs1::DigitalLinkParts parts;
  if (gs1::parse_digital_link_into(id, data, &parts)) return std::string(id);
  // Primary key and its qualifiers only (GS1 DL URI Syntax 1.x §4.4); attributes such
  // as expiry describe the item but do not identify it.
  gs1::AiData path;
  for (size_t i = 0; i < parts.path_ai_count && i < data.size(); ++i) {
    auto el = data[i];
    path.add(el.ai, el.value, el.entry, el.position);
  }
  auto dl = gs1::to_digital_link(path);
  if (!dl) return unexpected(from_gs1(dl.error(), "GS1 Digital Link URI", id));
  return std::move(*dl);
}

}  // namespace serialtrack::epcis

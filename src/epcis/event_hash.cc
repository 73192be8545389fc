#include "epcis/event_hash.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>
#include <system_error>

#include "crypto/sha256.h"

#include "epcis/cbv.h"
#include "epcis/time.h"
#include "gs1/ai_data.h"
#include "gs1/check_digit.h"
#include "gs1/digital_link.h"
#include "gs1/epc.h"

namespace serialtrack::epcis {
namespace {

// One element of the pre-hash tree: a field name ("epc", "{ns}local" for a user
// extension), its text (already normalised) and its nested fields. A `pair` node is a
// typed reference (bizTransaction, source, destination): its children are the type
// and the value, written in that order and never matched by name.
struct Node {
  std::string name;
  std::string text;
  std::vector<Node> children;
  bool pair = false;
};

// CBV 2.0 §8.9 step 2: the order in which fields (and the fields inside them) are
// written; anything not named here is written after them, sorted.
struct FieldOrder {
  std::string_view name;
  const std::vector<FieldOrder>* inner;
};

const std::vector<FieldOrder>& quantity_element_order() {
  static const std::vector<FieldOrder> kOrder = {
      {"epcClass", nullptr}, {"quantity", nullptr}, {"uom", nullptr}};
  return kOrder;
}
const std::vector<FieldOrder>& quantity_list_order() {
  static const std::vector<FieldOrder> kOrder = {{"quantityElement", &quantity_element_order()}};
  return kOrder;
}
const std::vector<FieldOrder>& epc_list_order() {
  static const std::vector<FieldOrder> kOrder = {{"epc", nullptr}};
  return kOrder;
}
const std::vector<FieldOrder>& persistent_disposition_order() {
  static const std::vector<FieldOrder> kOrder = {{"set", nullptr}, {"unset", nullptr}};
  return kOrder;
}
const std::vector<FieldOrder>& location_order() {
  static const std::vector<FieldOrder> kOrder = {{"id", nullptr}};
  return kOrder;
}
const std::vector<FieldOrder>& sensor_metadata_order() {
  static const std::vector<FieldOrder> kOrder = {{"time", nullptr},
                                                 {"startTime", nullptr},
                                                 {"endTime", nullptr},
                                                 {"deviceID", nullptr},
                                                 {"deviceMetadata", nullptr},
                                                 {"rawData", nullptr},
                                                 {"dataProcessingMethod", nullptr},
                                                 {"bizRules", nullptr}};
  return kOrder;
}
const std::vector<FieldOrder>& sensor_report_order() {
  // bizRules is absent here, as in the reference implementation (see event_hash.h).
  static const std::vector<FieldOrder> kOrder = {{"type", nullptr},
                                                 {"exception", nullptr},
                                                 {"deviceID", nullptr},
                                                 {"deviceMetadata", nullptr},
                                                 {"rawData", nullptr},
                                                 {"dataProcessingMethod", nullptr},
                                                 {"time", nullptr},
                                                 {"microorganism", nullptr},
                                                 {"chemicalSubstance", nullptr},
                                                 {"value", nullptr},
                                                 {"component", nullptr},
                                                 {"stringValue", nullptr},
                                                 {"booleanValue", nullptr},
                                                 {"hexBinaryValue", nullptr},
                                                 {"uriValue", nullptr},
                                                 {"minValue", nullptr},
                                                 {"maxValue", nullptr},
                                                 {"meanValue", nullptr},
                                                 {"sDev", nullptr},
                                                 {"percRank", nullptr},
                                                 {"percValue", nullptr},
                                                 {"uom", nullptr},
                                                 {"coordinateReferenceSystem", nullptr}};
  return kOrder;
}
const std::vector<FieldOrder>& sensor_element_order() {
  static const std::vector<FieldOrder> kOrder = {{"sensorMetadata", &sensor_metadata_order()},
                                                 {"sensorReport", &sensor_report_order()}};
  return kOrder;
}
const std::vector<FieldOrder>& sensor_element_list_order() {
  static const std::vector<FieldOrder> kOrder = {{"sensorElement", &sensor_element_order()}};
  return kOrder;
}
// bizTransactionList, sourceList and destinationList are in the standard's order too,
// but the reference implementation writes them with the remainder (sorted), and its
// vectors are what every implementation agrees on.
const std::vector<FieldOrder>& event_order() {
  static const std::vector<FieldOrder> kOrder = {
      {"eventTime", nullptr},
      {"eventTimeZoneOffset", nullptr},
      {"certificationInfo", nullptr},
      {"parentID", nullptr},
      {"epcList", &epc_list_order()},
      {"inputEPCList", &epc_list_order()},
      {"childEPCs", &epc_list_order()},
      {"quantityList", &quantity_list_order()},
      {"childQuantityList", &quantity_list_order()},
      {"inputQuantityList", &quantity_list_order()},
      {"outputEPCList", &epc_list_order()},
      {"outputQuantityList", &quantity_list_order()},
      {"action", nullptr},
      {"transformationID", nullptr},
      {"bizStep", nullptr},
      {"disposition", nullptr},
      {"persistentDisposition", &persistent_disposition_order()},
      {"readPoint", &location_order()},
      {"bizLocation", &location_order()},
      {"sensorElementList", &sensor_element_list_order()},
  };
  return kOrder;
}

// --- value normalisation --------------------------------------------------------------

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view strip(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
}

// CBV 2.0 §8.9: CBV URNs are written as their web vocabulary URIs, wherever they occur.
void cbv_urns_to_web_uris(std::string& s) {
  if (s.find("urn:epcglobal:cbv:") == std::string::npos) return;
  replace_all(s, "urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-");
  replace_all(s, "urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-");
  replace_all(s, "urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-");
  replace_all(s, "urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-");
  replace_all(s, "urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-");
}

// The shortest text that reads back as d, the way the reference implementation
// (Python) writes a float: integral values as integers, others in fixed notation unless
// the exponent is below -4 ("1e-05").
std::string number_text(double d) {
  char buf[400];
  if (d == 0) return "0";
  if (d == std::trunc(d)) {
    auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed, 0);
    return std::string(buf, r.ptr);
  }
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(r.ptr - buf));
  std::string out;
  if (sci.front() == '-') {
    out.push_back('-');
    sci.remove_prefix(1);
  }
  size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e))
    if (c != '.') digits.push_back(c);
  int exponent = 0;
  std::string_view exp_text = sci.substr(e + 1);
  if (!exp_text.empty() && exp_text.front() == '+') exp_text.remove_prefix(1);
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exponent);
  int point = exponent + 1;  // digits before the decimal point
  if (point > -4 && point <= 16) {
    if (point <= 0) {
      out += "0.";
      out.append(static_cast<size_t>(-point), '0');
      out += digits;
    } else {
      out += digits.substr(0, static_cast<size_t>(point));
      out.push_back('.');
      out += digits.substr(static_cast<size_t>(point));
    }
    return out;
  }
  out.push_back(digits[0]);
  if (digits.size() > 1) {
    out.push_back('.');
    out += digits.substr(1);
  }
  char exp_buf[16];
  std::snprintf(exp_buf, sizeof exp_buf, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
  return out + exp_buf;
}

// A decimal number as the reference implementation reads one (Python float(): optional
// sign, digits with optional '_' between them, fraction, exponent); nullopt otherwise,
// and for infinities and NaN, which it leaves as written.
std::optional<double> read_number(std::string_view s) {
  std::string clean;
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) clean.push_back(s[i++]);
  if (!clean.empty() && clean[0] == '+') clean.clear();
  size_t mantissa_digits = 0;
  auto digits = [&](bool& ok) {
    size_t n = 0;
    while (i < s.size()) {
      char c = s[i];
      if (c >= '0' && c <= '9') {
        clean.push_back(c);
        ++n;
        ++i;
      } else if (c == '_' && n > 0 && i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '9') {
        ++i;
      } else {
        break;
      }
    }
    ok = true;
    return n;
  };
  bool ok = false;
  mantissa_digits += digits(ok);
  if (i < s.size() && s[i] == '.') {
    clean.push_back('.');
    ++i;
    mantissa_digits += digits(ok);
  }
  if (mantissa_digits == 0) return std::nullopt;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    clean.push_back('e');
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) clean.push_back(s[i++]);
    if (digits(ok) == 0) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  double d = 0;
  auto r = std::from_chars(clean.data(), clean.data() + clean.size(), d);
  if (r.ec == std::errc::result_out_of_range) {
    // Overflow reads as infinity (left as written); underflow as zero.
    if (clean.find("e-") != std::string::npos) return 0.0;
    return std::nullopt;
  }
  if (r.ec != std::errc() || r.ptr != clean.data() + clean.size() || !std::isfinite(d))
    return std::nullopt;
  return d;
}

// Percent-encodes a GS1 value for a Digital Link path (GS1 DL URI Syntax §4.5 as the
// reference implementation applies it): the characters EPC URIs escape and
// ! ( ) * + , : besides, upper-case hex; ' ; = - . _ stay.
std::string dl_escape(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : value) {
    auto c = static_cast<unsigned char>(ch);
    bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '.' || c == '_' || c == '~' || c == '\'' || c == ';' || c == '=';
    if (keep) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

constexpr std::string_view kDlStem = "https://id.gs1.org";

bool all_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// body + its GS1 mod-10 check digit (GS1 GenSpecs 7.9.1).
std::optional<std::string> with_check_digit(std::string_view body) {
  auto cd = gs1::mod10_check_digit(body);
  if (!cd) return std::nullopt;
  return std::string(body) + *cd;
}

// "<gcp>.<ref>" with a GS1 Company Prefix of 6-12 digits and gcp + ref of total digits.
std::optional<std::pair<std::string_view, std::string_view>> split_gcp(std::string_view s,
                                                                       size_t total) {
  size_t dot = s.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  std::string_view gcp = s.substr(0, dot), ref = s.substr(dot + 1);
  if (gcp.size() < 6 || gcp.size() > 12 || !all_digits(gcp) || !all_digits(ref) ||
      gcp.size() + ref.size() != total)
    return std::nullopt;
  return std::pair{gcp, ref};
}

// EPC URIs that gs1/ has no scheme for (TDS 6.3.14-6.3.18): PGLN, GINC, GSIN, UPUI.
std::optional<std::string> other_urn_to_dl(std::string_view uri) {
  auto take = [&](std::string_view prefix, std::string_view& rest) {
    if (!uri.starts_with(prefix)) return false;
    rest = uri.substr(prefix.size());
    return true;
  };
  std::string_view rest;
  if (take("urn:epc:id:pgln:", rest)) {
    auto p = split_gcp(rest, 12);
    if (!p) return std::nullopt;
    auto gln = with_check_digit(std::string(p->first) + std::string(p->second));
    if (!gln) return std::nullopt;
    return std::string(kDlStem) + "/417/" + *gln;
  }
  if (take("urn:epc:id:gsin:", rest)) {
    auto p = split_gcp(rest, 16);
    if (!p) return std::nullopt;
    auto gsin = with_check_digit(std::string(p->first) + std::string(p->second));
    if (!gsin) return std::nullopt;
    return std::string(kDlStem) + "/402/" + *gsin;
  }
  if (take("urn:epc:id:ginc:", rest)) {
    size_t dot = rest.find('.');
    if (dot == std::string_view::npos || dot < 6 || dot > 12 || !all_digits(rest.substr(0, dot)))
      return std::nullopt;
    auto ref = gs1::uri_unescape(rest.substr(dot + 1), gs1::UriComponent::kPath);
    if (!ref || ref->empty() || dot + ref->size() > 30) return std::nullopt;
    return std::string(kDlStem) + "/401/" + std::string(rest.substr(0, dot)) + dl_escape(*ref);
  }
  if (take("urn:epc:id:upui:", rest)) {
    size_t dot = rest.find('.', rest.find('.') + 1);
    if (dot == std::string_view::npos) return std::nullopt;
    auto p = split_gcp(rest.substr(0, dot), 13);
    auto tpx = gs1::uri_unescape(rest.substr(dot + 1), gs1::UriComponent::kPath);
    if (!p || !tpx || tpx->empty() || tpx->size() > 28) return std::nullopt;
    std::string body = std::string(p->second.substr(0, 1)) + std::string(p->first) +
                       std::string(p->second.substr(1));
    auto gtin = with_check_digit(body);
    if (!gtin) return std::nullopt;
    return std::string(kDlStem) + "/01/" + *gtin + "/235/" + dl_escape(*tpx);
  }
  return std::nullopt;
}

// EPC pattern URIs of a whole class (TDS 8): "urn:epc:idpat:sgtin:<gcp>.<ref>.*" is the
// GTIN; likewise GRAI, GDTI, SGCN asset/document/coupon types, ITIP, UPUI and CPI.
std::optional<std::string> idpat_to_dl(std::string_view uri) {
  constexpr std::string_view kPrefix = "urn:epc:idpat:";
  std::string_view rest = uri.substr(kPrefix.size());
  size_t colon = rest.find(':');
  if (colon == std::string_view::npos || !rest.ends_with(".*")) return std::nullopt;
  std::string_view scheme = rest.substr(0, colon);
  std::string_view body = rest.substr(colon + 1, rest.size() - colon - 3);
  auto gtin_of = [](std::pair<std::string_view, std::string_view> p) {
    return with_check_digit(std::string(p.second.substr(0, 1)) + std::string(p.first) +
                            std::string(p.second.substr(1)));
  };
  if (scheme == "sgtin" || scheme == "upui") {
    auto p = split_gcp(body, 13);
    if (!p) return std::nullopt;
    auto gtin = gtin_of(*p);
    if (!gtin) return std::nullopt;
    return std::string(kDlStem) + "/01/" + *gtin;
  }
  if (scheme == "itip") {
    // <gcp>.<ref>.<piece>.<total>
    size_t dot = body.find('.', body.find('.') + 1);
    if (dot == std::string_view::npos) return std::nullopt;
    auto p = split_gcp(body.substr(0, dot), 13);
    std::string_view pt = body.substr(dot + 1);
    if (!p || pt.size() != 5 || pt[2] != '.' || !all_digits(pt.substr(0, 2)) ||
        !all_digits(pt.substr(3)))
      return std::nullopt;
    auto gtin = gtin_of(*p);
    if (!gtin) return std::nullopt;
    return std::string(kDlStem) + "/8006/" + *gtin + std::string(pt.substr(0, 2)) +
           std::string(pt.substr(3));
  }
  if (scheme == "grai" || scheme == "gdti" || scheme == "sgcn") {
    auto p = split_gcp(body, 12);
    if (!p) return std::nullopt;
    std::string key = std::string(p->first) + std::string(p->second);
    if (scheme == "grai") key = "0" + key;
    auto full = with_check_digit(key);
    if (!full) return std::nullopt;
    std::string_view ai = scheme == "grai" ? "8003" : scheme == "gdti" ? "253" : "255";
    return std::string(kDlStem) + "/" + std::string(ai) + "/" + *full;
  }
  if (scheme == "cpi") {
    size_t dot = body.find('.');
    if (dot == std::string_view::npos || dot < 6 || dot > 12 || !all_digits(body.substr(0, dot)))
      return std::nullopt;
    auto ref = gs1::uri_unescape(body.substr(dot + 1), gs1::UriComponent::kPath);
    if (!ref) return std::nullopt;
    return std::string(kDlStem) + "/8010/" + dl_escape(std::string(body.substr(0, dot)) + *ref);
  }
  return std::nullopt;
}

// An EPC pure-identity or LGTIN class URI as its Digital Link URI: the element string
// of TDS §7 (gs1::to_ai_data), each AI a path segment.
std::optional<std::string> urn_to_dl(std::string_view uri) {
  auto epc = gs1::parse_epc_uri(uri);
  if (!epc) return other_urn_to_dl(uri);
  gs1::AiData data;
  if (gs1::to_ai_data(*epc, data)) return std::nullopt;
  std::string out(kDlStem);
  for (auto el : data) {
    out.push_back('/');
    out += el.ai;
    out.push_back('/');
    out += dl_escape(el.value);
  }
  return out;
}

// GS1 DL URI Syntax §4.4 characters allowed unescaped in the reference implementation's
// canonical form (a value holding anything else is left as written).
bool dl_value_chars(std::string_view s, size_t max) {
  if (s.size() > max) return false;
  for (char c : s) {
    bool ok = c == '"' || c == '\'' || c == '-' || c == '.' || (c >= '0' && c <= '9') ||
              (c >= ';' && c <= '?') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (c >= 'a' && c <= 'z');
    if (!ok) return false;
  }
  return true;
}

bool digits_n(std::string_view s, size_t n) {
  return s.size() == n && all_digits(s);
}

// A GS1 Digital Link URI reduced to its canonical form (CBV 2.0 §8.9 step 1): stem
// https://id.gs1.org, AI numbers for short names, GTINs as 14 digits, no query, no CPV
// (22), no lot (10) when a serial (21) is present.
std::optional<std::string> dl_to_canonical(std::string_view uri) {
  std::string u(uri);
  if (size_t q = u.find('?'); q != std::string::npos) u.resize(q);
  static constexpr std::pair<std::string_view, std::string_view> kShortNames[] = {
      {"/gtin/", "/01/"},   {"/itip/", "/8006/"},  {"/cpid/", "/8010/"}, {"/gln/", "/414/"},
      {"/party/", "/417/"}, {"/gsrnp/", "/8017/"}, {"/gsrn/", "/8018/"}, {"/gcn/", "/255/"},
      {"/sscc/", "/00/"},   {"/gdti/", "/253/"},   {"/ginc/", "/401/"},  {"/gsin/", "/402/"},
      {"/grai/", "/8003/"}, {"/giai/", "/8004/"},  {"/cpv/", "/22/"},    {"/lot/", "/10/"},
      {"/ser/", "/21/"}};
  for (auto [from, to] : kShortNames) replace_all(u, from, to);
  // The primary key: the first of these found, in this order of preference.
  static constexpr std::string_view kKeys[] = {"00",   "01",   "253",  "255",  "401",
                                               "402",  "414",  "417",  "8003", "8004",
                                               "8006", "8010", "8017", "8018"};
  std::string path;
  std::string prefix = std::string(kDlStem) + "/";
  bool canonical_stem = false;
  if (u.starts_with(prefix)) {
    std::string_view after = std::string_view(u).substr(prefix.size());
    for (auto key : kKeys)
      if (after.starts_with(key) && after.size() > key.size() && after[key.size()] == '/')
        canonical_stem = true;
  }
  if (canonical_stem) {
    path = u.substr(prefix.size());
  } else {
    bool found = false;
    for (auto key : kKeys) {
      std::string needle = "/" + std::string(key) + "/";
      if (size_t pos = u.find(needle); pos != std::string::npos) {
        path = u.substr(pos + 1);
        found = true;
        break;
      }
    }
    if (!found) return std::nullopt;
  }
  // Segments: key, value, then qualifier AI/value pairs. CPI values may hold '/'.
  std::vector<std::string> seg;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    seg.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  if (seg.size() < 2) return std::nullopt;
  const std::string& ai = seg[0];
  if (ai == "01" && (seg[1].size() == 8 || seg[1].size() == 12 || seg[1].size() == 13) &&
      all_digits(seg[1]))
    seg[1].insert(0, 14 - seg[1].size(), '0');
  if (ai == "8010") {
    // The CPI value runs to "/8011/" (GS1 AI 8010 admits '/').
    std::string rest = path.substr(5);
    size_t q = rest.find("/8011/");
    std::string cpi = q == std::string::npos ? rest : rest.substr(0, q);
    bool ok = cpi.size() <= 30 && std::all_of(cpi.begin(), cpi.end(), [](char c) {
                return c == '#' || c == '-' || c == '/' || (c >= '0' && c <= '9') ||
                       (c >= 'A' && c <= 'Z');
              });
    if (!ok) return std::nullopt;
    if (q == std::string::npos) return std::string(kDlStem) + "/8010/" + cpi;
    std::string serial = rest.substr(q + 6);
    if (serial.size() > 12 || !all_digits(serial)) return std::nullopt;
    return std::string(kDlStem) + "/8010/" + cpi + "/8011/" + serial;
  }
  // Qualifiers: (AI, value) pairs after the key.
  std::vector<std::pair<std::string, std::string>> qual;
  for (size_t i = 2; i + 1 < seg.size(); i += 2) qual.emplace_back(seg[i], seg[i + 1]);
  if (seg.size() % 2 != 0) return std::nullopt;  // a dangling segment (or trailing '/')
  if (ai == "01" || ai == "8006") {
    std::erase_if(qual, [](const auto& q) { return q.first == "22"; });
    bool has_serial =
        std::any_of(qual.begin(), qual.end(), [](auto& q) { return q.first == "21"; });
    if (has_serial) std::erase_if(qual, [](const auto& q) { return q.first == "10"; });
  }
  const std::string& v = seg[1];
  bool ok = false;
  if (qual.size() > 1) return std::nullopt;
  std::string q_ai = qual.empty() ? "" : qual[0].first;
  const std::string q_v = qual.empty() ? "" : qual[0].second;
  if (ai == "00") ok = qual.empty() && digits_n(v, 18);
  if (ai == "01")
    ok = digits_n(v, 14) &&
         (qual.empty() || ((q_ai == "21" || q_ai == "10") && dl_value_chars(q_v, 20)) ||
          (q_ai == "235" && dl_value_chars(q_v, 28)));
  if (ai == "8006")
    ok = digits_n(v, 18) &&
         (qual.empty() || ((q_ai == "21" || q_ai == "10") && dl_value_chars(q_v, 20)));
  if (ai == "253")
    ok = qual.empty() && v.size() >= 13 && all_digits(v.substr(0, 13)) &&
         dl_value_chars(v.substr(13), 17);
  if (ai == "255") ok = qual.empty() && v.size() >= 13 && v.size() <= 25 && all_digits(v);
  if (ai == "401" || ai == "8004") ok = qual.empty() && dl_value_chars(v, 30);
  if (ai == "402") ok = qual.empty() && digits_n(v, 17);
  if (ai == "414")
    ok = digits_n(v, 13) && (qual.empty() || (q_ai == "254" && dl_value_chars(q_v, 20)));
  if (ai == "417") ok = qual.empty() && digits_n(v, 13);
  if (ai == "8003")
    ok = qual.empty() && v.size() >= 14 && all_digits(v.substr(0, 14)) &&
         dl_value_chars(v.substr(14), 16);
  if (ai == "8017" || ai == "8018") ok = qual.empty() && digits_n(v, 18);
  if (!ok) return std::nullopt;
  std::string out = std::string(kDlStem) + "/" + ai + "/" + v;
  if (!qual.empty()) out += "/" + q_ai + "/" + q_v;
  return out;
}

// CBV 2.0 §8.9 step 1: a GS1 identifier in any of its URI forms as its canonical DL URI;
// nullopt for anything else.
std::optional<std::string> canonical_dl(std::string_view uri) {
  if (uri.find('.') == std::string_view::npos) return std::nullopt;
  if (uri.starts_with("urn:epc:idpat:")) return idpat_to_dl(uri);
  if (uri.starts_with("urn:epc:")) return urn_to_dl(uri);
  if (uri.starts_with("http://") || uri.starts_with("https://")) return dl_to_canonical(uri);
  return std::nullopt;
}

// Every value: CBV URNs as web URIs, numbers in shortest form, GS1 identifiers as
// canonical DL URIs (CBV 2.0 §8.9 step 1), in that order.
std::string canonical_value(std::string_view raw) {
  std::string text(strip(raw));
  cbv_urns_to_web_uris(text);
  if (auto d = read_number(text)) text = number_text(*d);
  if (auto dl = canonical_dl(text)) return std::move(*dl);
  return text;
}

// A CURIE value expanded as the syntax it came in reads it (see HashContext::Syntax).
std::string expand_curie(std::string_view value, const HashContext& ctx) {
  std::string s(value);
  if (ctx.syntax == HashContext::Syntax::kJsonLd) {
    size_t colon = s.find(':');
    if (colon == std::string::npos) return s;
    std::string_view prefix = std::string_view(s).substr(0, colon);
    for (const auto& [p, uri] : ctx.namespaces)
      if (p == prefix) return uri + s.substr(colon + 1);
    return s;
  }
  static constexpr std::pair<std::string_view, std::string_view> kPrefixes[] = {
      {"gs1:", kGs1VocPrefix}, {"cbv:", kCbvWebPrefix}};
  for (auto [prefix, uri] : kPrefixes)
    if (s.starts_with(prefix)) replace_all(s, prefix, uri);
  return s;
}

// A timestamp in UTC with milliseconds (CBV 2.0 §8.9 step 1): microseconds rounded to
// milliseconds half to even, finer digits dropped, as the reference does.
std::string utc_millis(const Timestamp& t) {
  int64_t secs = t.unix_nanos / 1'000'000'000;
  int64_t nanos = t.unix_nanos % 1'000'000'000;
  if (nanos < 0) {
    nanos += 1'000'000'000;
    --secs;
  }
  int64_t micros = nanos / 1000;
  int64_t millis = micros / 1000;
  int64_t rem = micros % 1000;
  if (rem > 500 || (rem == 500 && millis % 2 == 1)) ++millis;
  if (millis == 1000) {
    millis = 0;
    ++secs;
  }
  int64_t days = secs / 86400;
  int64_t sod = secs % 86400;
  if (sod < 0) {
    sod += 86400;
    --days;
  }
  // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ",
                static_cast<long long>(y), static_cast<long long>(m), static_cast<long long>(d),
                static_cast<long long>(sod / 3600), static_cast<long long>(sod / 60 % 60),
                static_cast<long long>(sod % 60), static_cast<long long>(millis));
  return buf;
}

// XML Schema instance attributes (xsi:type) on extension elements: no JSON-LD equivalent.
constexpr std::string_view kXsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";

// --- the tree of an event --------------------------------------------------------------

class TreeBuilder {
 public:
  explicit TreeBuilder(const HashContext& ctx) : ctx_(ctx) {}

  // A field whose value is text: CURIE expansion, then every normalisation.
  void text(std::vector<Node>& out, std::string_view name, std::string_view value) const {
    if (strip(value).empty()) return;
    out.push_back(Node{std::string(name), canonical_value(expand_curie(value, ctx_)), {}, false});
  }
  void cbv(std::vector<Node>& out, std::string_view name, CbvKind kind,
           std::string_view value) const {
    if (value.empty()) return;
    text(out, name, expand_cbv(kind, value));
  }
  static void number(std::vector<Node>& out, std::string_view name,
                     const std::optional<double>& v) {
    if (v) out.push_back(Node{std::string(name), number_text(*v), {}, false});
  }
  static void time(std::vector<Node>& out, std::string_view name,
                   const std::optional<Timestamp>& t) {
    if (t) out.push_back(Node{std::string(name), utc_millis(*t), {}, false});
  }

  Node extension(const Extension& e) const {
    Node n;
    n.name = e.ns.empty() ? e.name : "{" + e.ns + "}" + e.name;
    switch (e.kind) {
      // JSON literals read as the reference's Python does.
      case Extension::Kind::kBoolean:
        n.text = e.value == "true" ? "True" : "False";
        break;
      case Extension::Kind::kNull:
        n.text = "None";
        break;
      default:
        if (!strip(e.value).empty()) n.text = canonical_value(expand_curie(e.value, ctx_));
    }
    for (const auto& a : e.attributes) {
      if (a.ns == kXsiNamespace) continue;  // xsi:type annotates XML syntax, not content
      std::string name = a.ns.empty() ? a.name : "{" + a.ns + "}" + a.name;
      Node attr{std::move(name), {}, {}, false};
      if (!strip(a.value).empty()) attr.text = canonical_value(expand_curie(a.value, ctx_));
      n.children.push_back(std::move(attr));
    }
    for (const auto& c : e.children)
      if (!is_comment(c)) n.children.push_back(extension(c));
    return n;
  }

  void extensions(std::vector<Node>& out, const std::vector<Extension>& list,
                  bool event_level = false) const {
    for (const auto& e : list) {
      if (is_comment(e)) continue;
      if (event_level && ignored(e)) continue;
      out.push_back(extension(e));
    }
  }

  void epcs(std::vector<Node>& out, std::string_view name,
            const std::vector<std::string>& list) const {
    if (list.empty()) return;
    Node n{std::string(name), {}, {}, false};
    for (const auto& epc : list) text(n.children, "epc", epc);
    out.push_back(std::move(n));
  }

  void quantities(std::vector<Node>& out, std::string_view name,
                  const std::vector<QuantityElement>& list) const {
    if (list.empty()) return;
    Node n{std::string(name), {}, {}, false};
    for (const auto& q : list) {
      Node qe{"quantityElement", {}, {}, false};
      text(qe.children, "epcClass", q.epc_class);
      number(qe.children, "quantity", q.quantity);
      text(qe.children, "uom", q.uom);
      n.children.push_back(std::move(qe));
    }
    out.push_back(std::move(n));
  }

  void location(std::vector<Node>& out, std::string_view name, const std::string& id,
                const std::vector<Extension>& ext) const {
    if (id.empty() && ext.empty()) return;
    Node n{std::string(name), {}, {}, false};
    text(n.children, "id", id);
    extensions(n.children, ext);
    out.push_back(std::move(n));
  }

  void typed_refs(std::vector<Node>& out, std::string_view list_name, std::string_view name,
                  CbvKind kind, const std::vector<TypedRef>& refs) const {
    if (refs.empty()) return;
    Node n{std::string(list_name), {}, {}, false};
    for (const auto& r : refs) {
      Node p{{}, {}, {}, true};
      cbv(p.children, "type", kind, r.type);
      Node value{std::string(name), {}, {}, false};
      if (!strip(r.value).empty()) value.text = canonical_value(expand_curie(r.value, ctx_));
      p.children.push_back(std::move(value));
      n.children.push_back(std::move(p));
    }
    out.push_back(std::move(n));
  }

  void sensors(std::vector<Node>& out, const std::vector<SensorElement>& elements) const {
    if (elements.empty()) return;
    Node list{"sensorElementList", {}, {}, false};
    for (const auto& se : elements) {
      Node el{"sensorElement", {}, {}, false};
      if (se.metadata) {
        const SensorMetadata& m = *se.metadata;
        Node md{"sensorMetadata", {}, {}, false};
        time(md.children, "time", m.time);
        time(md.children, "startTime", m.start_time);
        time(md.children, "endTime", m.end_time);
        text(md.children, "deviceID", m.device_id);
        text(md.children, "deviceMetadata", m.device_metadata);
        text(md.children, "rawData", m.raw_data);
        text(md.children, "dataProcessingMethod", m.data_processing_method);
        text(md.children, "bizRules", m.biz_rules);
        extensions(md.children, m.extensions);
        el.children.push_back(std::move(md));
      }
      for (const auto& r : se.reports) {
        Node rep{"sensorReport", {}, {}, false};
        cbv(rep.children, "type", CbvKind::kMeasurementType, r.type);
        cbv(rep.children, "exception", CbvKind::kSensorAlertType, r.exception);
        text(rep.children, "deviceID", r.device_id);
        text(rep.children, "deviceMetadata", r.device_metadata);
        text(rep.children, "rawData", r.raw_data);
        text(rep.children, "dataProcessingMethod", r.data_processing_method);
        text(rep.children, "bizRules", r.biz_rules);
        time(rep.children, "time", r.time);
        text(rep.children, "microorganism", r.microorganism);
        text(rep.children, "chemicalSubstance", r.chemical_substance);
        text(rep.children, "coordinateReferenceSystem", r.coordinate_reference_system);
        number(rep.children, "value", r.value);
        number(rep.children, "minValue", r.min_value);
        number(rep.children, "maxValue", r.max_value);
        number(rep.children, "meanValue", r.mean_value);
        number(rep.children, "sDev", r.s_dev);
        number(rep.children, "percRank", r.perc_rank);
        number(rep.children, "percValue", r.perc_value);
        cbv(rep.children, "component", CbvKind::kComponent, r.component);
        text(rep.children, "stringValue", r.string_value);
        if (r.boolean_value)
          rep.children.push_back(
              Node{"booleanValue", *r.boolean_value ? "true" : "false", {}, false});
        text(rep.children, "hexBinaryValue", r.hex_binary_value);
        text(rep.children, "uriValue", r.uri_value);
        text(rep.children, "uom", r.uom);
        extensions(rep.children, r.extensions);
        el.children.push_back(std::move(rep));
      }
      extensions(el.children, se.extensions);
      list.children.push_back(std::move(el));
    }
    out.push_back(std::move(list));
  }

  // The event's fields; eventID, recordTime and errorDeclaration are left out (CBV 2.0
  // §8.9 step 2).
  std::vector<Node> event(const Event& e) const {
    std::vector<Node> out;
    bool aggregation_like = e.type == EventType::kAggregation || e.type == EventType::kAssociation;
    out.push_back(Node{"eventTime", utc_millis(e.event_time), {}, false});
    out.push_back(
        Node{"eventTimeZoneOffset", format_offset(e.event_time.offset_minutes), {}, false});
    for (const auto& c : e.certification_info) text(out, "certificationInfo", c);
    text(out, "parentID", e.parent_id);
    epcs(out, aggregation_like ? "childEPCs" : "epcList", e.epc_list);
    quantities(out, aggregation_like ? "childQuantityList" : "quantityList", e.quantity_list);
    epcs(out, "inputEPCList", e.input_epc_list);
    quantities(out, "inputQuantityList", e.input_quantity_list);
    epcs(out, "outputEPCList", e.output_epc_list);
    quantities(out, "outputQuantityList", e.output_quantity_list);
    if (e.action != Action::kNone)
      out.push_back(Node{"action", std::string(action_name(e.action)), {}, false});
    text(out, "transformationID", e.transformation_id);
    cbv(out, "bizStep", CbvKind::kBizStep, e.biz_step);
    cbv(out, "disposition", CbvKind::kDisposition, e.disposition);
    if (!e.persistent_disposition.empty()) {
      Node pd{"persistentDisposition", {}, {}, false};
      for (const auto& s : e.persistent_disposition.set)
        cbv(pd.children, "set", CbvKind::kDisposition, s);
      for (const auto& s : e.persistent_disposition.unset)
        cbv(pd.children, "unset", CbvKind::kDisposition, s);
      out.push_back(std::move(pd));
    }
    location(out, "readPoint", e.read_point, e.read_point_extensions);
    location(out, "bizLocation", e.biz_location, e.biz_location_extensions);
    typed_refs(out, "bizTransactionList", "bizTransaction", CbvKind::kBizTransactionType,
               e.biz_transactions);
    typed_refs(out, "sourceList", "source", CbvKind::kSourceDestType, e.sources);
    typed_refs(out, "destinationList", "destination", CbvKind::kSourceDestType, e.destinations);
    sensors(out, e.sensor_elements);
    if (e.ilmd) {
      Node ilmd{"ilmd", {}, {}, false};
      extensions(ilmd.children, *e.ilmd);
      out.push_back(std::move(ilmd));
    }
    extensions(out, e.extensions, /*event_level=*/true);
    return out;
  }

 private:
  // JSON-LD comments ("rdfs:comment") describe the document, not the event.
  static bool is_comment(const Extension& e) {
    return e.name == "comment" &&
           (e.prefix == "rdfs" || e.ns == "http://www.w3.org/2000/01/rdf-schema#");
  }
  bool ignored(const Extension& e) const {
    for (const auto& [ns, name] : ctx_.ignored_fields)
      if (e.ns == ns && e.name == name) return true;
    return false;
  }

  const HashContext& ctx_;
};

// --- writing the pre-hash string (CBV 2.0 §8.9 steps 2-3) ----------------------------------

std::string remainder_text(std::vector<Node>& nodes);

// A node with its nested fields written in any order: name, "=" value, children sorted
// (typed references keep type before value).
std::string node_text(Node& n) {
  if (n.pair) return remainder_text(n.children);
  std::string s = n.name;
  if (!n.text.empty()) s += "=" + n.text;
  return s + remainder_text(n.children);
}

std::string remainder_text(std::vector<Node>& nodes) {
  std::vector<std::string> parts;
  parts.reserve(nodes.size());
  bool sort = nodes.size() > 1;
  for (auto& n : nodes) {
    if (!n.pair && (n.name == "bizTransaction" || n.name == "source" || n.name == "destination"))
      sort = false;
    parts.push_back(node_text(n));
  }
  if (sort) std::sort(parts.begin(), parts.end());
  std::string out;
  for (const auto& p : parts) out += p;
  return out;
}

std::string ordered_text(std::vector<Node>& nodes, const std::vector<FieldOrder>& order);

// One field written by the order: its value, then its own fields in their order.
std::string ordered_node_text(Node& n, const FieldOrder& f) {
  std::string inner = f.inner ? ordered_text(n.children, *f.inner) : "";
  if (n.text.empty() && inner.empty()) return "";
  std::string s = n.name;
  if (!n.text.empty()) s += "=" + n.text;
  return s + inner;
}

// User extensions nested in an element (readPoint, sensorReport...) follow its standard
// fields, sorted; as in the reference, only when the element has more than one field,
// none named like eventTime/action, and only extensions whose namespace ends in '/'.
std::vector<Node> take_nested_extensions(std::vector<Node>& nodes) {
  std::vector<Node> taken;
  if (nodes.size() <= 1) return taken;
  for (const auto& n : nodes)
    if (!n.pair && (n.name.find("eventTime") != std::string::npos ||
                    n.name.find("action") != std::string::npos))
      return taken;
  auto is_ext = [](const Node& n) {
    return !n.pair && n.name.find('{') != std::string::npos &&
           n.name.find("/}") != std::string::npos;
  };
  std::vector<Node> kept;
  for (auto& n : nodes) (is_ext(n) ? taken : kept).push_back(std::move(n));
  nodes = std::move(kept);
  return taken;
}

// Fields in order; written fields without nested leftovers are consumed, so that what
// stays in nodes is the remainder written after them.
std::string ordered_text(std::vector<Node>& nodes, const std::vector<FieldOrder>& order) {
  std::vector<Node> nested_ext = take_nested_extensions(nodes);
  std::string out;
  for (const auto& f : order) {
    std::vector<std::string> values;
    std::vector<bool> consumed(nodes.size(), false);
    for (size_t i = 0; i < nodes.size(); ++i) {
      Node& n = nodes[i];
      if (n.pair || n.name != f.name) continue;
      std::string s = ordered_node_text(n, f);
      if (!s.empty()) values.push_back(std::move(s));
      consumed[i] = n.children.empty();
    }
    std::vector<Node> kept;
    for (size_t i = 0; i < nodes.size(); ++i)
      if (!consumed[i]) kept.push_back(std::move(nodes[i]));
    nodes = std::move(kept);
    std::sort(values.begin(), values.end());
    for (const auto& v : values) out += v;
  }
  if (!nested_ext.empty()) out += remainder_text(nested_ext);
  return out;
}

}  // namespace

std::string event_prehash(const Event& event, const HashContext& context) {
  TreeBuilder builder(context);
  std::vector<Node> fields = builder.event(event);
  std::string type = event.extension_type.empty() ? std::string(event_type_name(event.type))
                                                  : event.extension_type;
  std::string out = "eventType=" + type;
  out += ordered_text(fields, event_order());
  out += remainder_text(fields);
  return out;
}

std::string hash_id_of_prehash(std::string_view prehash) {
  // CBV 2.0 §8.9: the ni: URI (RFC 6920) of the SHA-256 of the pre-hash string.
  return "ni:///sha-256;" + crypto::to_hex(crypto::sha256(prehash)) + "?ver=CBV2.0";
}

std::string event_hash_id(const Event& event, const HashContext& context) {
  return hash_id_of_prehash(event_prehash(event, context));
}

}  // namespace serialtrack::epcis

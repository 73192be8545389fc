#include "server/epcis_http.h"

#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <charconv>

#include "crypto/aes.h"
#include "epcis/cbv.h"
#include "epcis/json_codec.h"
#include "epcis/xml_codec.h"

namespace serialtrack::server {
namespace {

std::string_view trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64url(std::string_view in) {
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  if (i + 1 == in.size()) {
    uint32_t v = uint8_t(in[i]) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (i + 2 == in.size()) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    for (int s = 18; s >= 6; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  return out;
}

std::optional<std::string> unbase64url(std::string_view in) {
  std::string out;
  uint32_t v = 0;
  int bits = 0;
  for (char c : in) {
    const char* p = std::char_traits<char>::find(kAlphabet, 64, c);
    if (!p) return std::nullopt;
    v = (v << 6) | static_cast<uint32_t>(p - kAlphabet);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((v >> bits) & 0xFF);
    }
  }
  if (bits >= 6) return std::nullopt;  // a lone sextet: not our encoding
  return out;
}

bool parse_int(std::string_view s, int64_t& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size() && !s.empty();
}

void web_uris(epcis::Event& e) {
  using epcis::CbvKind;
  auto web = [](CbvKind k, std::string& v) {
    if (!v.empty()) v = epcis::cbv_web_uri(k, v);
  };
  web(CbvKind::kBizStep, e.biz_step);
  web(CbvKind::kDisposition, e.disposition);
  for (auto& d : e.persistent_disposition.set) web(CbvKind::kDisposition, d);
  for (auto& d : e.persistent_disposition.unset) web(CbvKind::kDisposition, d);
  for (auto& t : e.biz_transactions) web(CbvKind::kBizTransactionType, t.type);
  for (auto& t : e.sources) web(CbvKind::kSourceDestType, t.type);
  for (auto& t : e.destinations) web(CbvKind::kSourceDestType, t.type);
}

}  // namespace

serialtrack::Result<ResponseFormat, Problem> negotiate(const RequestContext& ctx,
                                                       bool xml_allowed) {
  ResponseFormat f;
  std::string accept = ctx.header("Accept");
  if (!trim(accept).empty()) {
    double best = 0;
    bool found = false;
    std::string_view rest = accept;
    while (!rest.empty()) {
      size_t comma = rest.find(',');
      std::string_view range = rest.substr(0, comma);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      size_t semi = range.find(';');
      std::string_view type = trim(range.substr(0, semi));
      double q = 1;
      while (semi != std::string_view::npos) {
        std::string_view params = range.substr(semi + 1);
        semi = params.find(';');
        std::string_view p = trim(params.substr(0, semi));
        if (p.size() > 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
          q = std::strtod(std::string(p.substr(2)).c_str(), nullptr);
        range = params;
      }
      std::optional<ResponseFormat::Media> media;
      if (iequals(type, "application/ld+json") || iequals(type, "*/*") ||
          iequals(type, "application/*"))
        media = ResponseFormat::Media::kJsonLd;
      else if (iequals(type, "application/json"))
        media = ResponseFormat::Media::kJson;
      else if (xml_allowed && (iequals(type, "application/xml") || iequals(type, "text/xml")))
        media = ResponseFormat::Media::kXml;
      if (media && q > 0 && q > best) {
        best = q;
        f.media = *media;
        found = true;
      }
    }
    if (!found)
      return unexpected(not_acceptable_exception(
          std::string("this resource is available as application/ld+json, application/json") +
          (xml_allowed ? " and application/xml" : "") + ", not " + accept));
  }
  std::string epc = std::string(trim(ctx.header("GS1-EPC-Format")));
  if (!epc.empty()) {
    if (epc == "Never_Translates") {
      f.epc_format = epcis::EpcFormat::kNoPreference;
    } else if (auto e = epcis::epc_format_from_name(epc)) {
      f.epc_format = *e;
    } else {
      return unexpected(validation_exception(
          "GS1-EPC-Format: '" + epc +
          "' is not Always_GS1_Digital_Link, Always_EPC_URN, No_Preference or Never_Translates"));
    }
  }
  std::string cbv = std::string(trim(ctx.header("GS1-CBV-XML-Format")));
  if (!cbv.empty()) {
    if (cbv == "Always_Web_URI")
      f.cbv_web_uris = true;
    else if (cbv != "Always_URN" && cbv != "No_Preference" && cbv != "Never_Translates")
      return unexpected(validation_exception(
          "GS1-CBV-XML-Format: '" + cbv +
          "' is not Always_Web_URI, Always_URN, No_Preference or Never_Translates"));
  }
  return f;
}

Response epcis_response(const RequestContext& ctx, http::status status, std::string body,
                        std::string content_type) {
  Response res{status, ctx.request.version()};
  res.set("GS1-EPCIS-Version", kEpcisVersion);
  res.set("GS1-CBV-Version", kCbvVersion);
  if (auto epc = ctx.header("GS1-EPC-Format"); !epc.empty()) res.set("GS1-EPC-Format", epc);
  if (auto ext = ctx.header("GS1-Extensions"); !ext.empty()) res.set("GS1-Extensions", ext);
  if (!content_type.empty()) res.set(http::field::content_type, content_type);
  res.body() = std::move(body);
  res.keep_alive(ctx.request.keep_alive());
  res.prepare_payload();
  return res;
}

Response json_response(const RequestContext& ctx, http::status status,
                       const boost::json::value& body, std::string content_type) {
  return epcis_response(ctx, status, boost::json::serialize(body), std::move(content_type));
}

Response problem(const RequestContext& ctx, const Problem& p) {
  Response res = problem_response(p, ctx.request.version(), ctx.request.keep_alive());
  res.set("GS1-EPCIS-Version", kEpcisVersion);
  res.set("GS1-CBV-Version", kCbvVersion);
  return res;
}

std::string query_document(std::vector<epcis::Event> events, const ResponseFormat& format,
                           const std::string& query_name) {
  epcis::Document doc;
  doc.kind = epcis::Document::Kind::kQueryDocument;
  doc.query_name = query_name;
  doc.events = std::move(events);
  if (format.media == ResponseFormat::Media::kXml) {
    for (auto& e : doc.events) {
      for (auto* id : {&e.parent_id}) {
        if (id->empty()) continue;
        if (auto c = epcis::convert_identifier(*id, format.epc_format)) *id = *c;
      }
      for (auto* list : {&e.epc_list, &e.input_epc_list, &e.output_epc_list})
        for (auto& id : *list)
          if (auto c = epcis::convert_identifier(id, format.epc_format)) id = *c;
      if (format.cbv_web_uris) web_uris(e);
    }
    return epcis::encode_xml(doc, {.indent = false});
  }
  return epcis::encode_json(doc, {.epc_format = format.epc_format});
}

std::string page_token(int64_t after_sequence, std::optional<int64_t> after_key) {
  std::string raw(1, 's');
  raw.append(std::to_string(after_sequence));
  if (after_key) raw.append(1, 'k').append(std::to_string(*after_key));
  return base64url(raw);
}

std::optional<std::pair<int64_t, std::optional<int64_t>>> parse_page_token(
    const std::string& token) {
  auto raw = unbase64url(token);
  if (!raw || raw->size() < 2 || (*raw)[0] != 's') return std::nullopt;
  std::string_view body(*raw);
  body.remove_prefix(1);
  size_t k = body.find('k');
  int64_t seq = 0, key = 0;
  if (!parse_int(body.substr(0, k), seq) || seq < 0) return std::nullopt;
  if (k == std::string_view::npos) return std::make_pair(seq, std::optional<int64_t>());
  if (!parse_int(body.substr(k + 1), key)) return std::nullopt;
  return std::make_pair(seq, std::optional<int64_t>(key));
}

std::string text_token(const std::string& cursor) {
  return base64url("v" + cursor);
}

std::optional<std::string> parse_text_token(const std::string& token) {
  auto raw = unbase64url(token);
  if (!raw || raw->empty() || (*raw)[0] != 'v') return std::nullopt;
  return raw->substr(1);
}

std::string next_link(const RequestContext& ctx, const std::string& token) {
  std::string out = "<" + ctx.path;
  char sep = '?';
  auto encode = [](const std::string& s) {
    return boost::urls::encode(s, boost::urls::unreserved_chars);
  };
  for (const auto& [k, v] : ctx.query) {
    if (k == "nextPageToken") continue;
    out += sep + encode(k) + "=" + encode(v);
    sep = '&';
  }
  out += sep + std::string("nextPageToken=") + encode(token) + ">; rel=\"next\"";
  return out;
}

serialtrack::Result<size_t, Problem> per_page(const RequestContext& ctx, size_t default_page,
                                              size_t max_page) {
  auto v = ctx.query_value("perPage");
  if (!v) return default_page;
  int64_t n = 0;
  if (!parse_int(*v, n) || n <= 0)
    return unexpected(query_parameter_exception("perPage: '" + *v + "' is not a positive integer"));
  if (static_cast<size_t>(n) > max_page)
    return unexpected(
        query_parameter_exception("perPage: at most " + std::to_string(max_page) + " per page"));
  return static_cast<size_t>(n);
}

std::optional<std::string> new_resource_id() {
  std::uint8_t bytes[16];
  if (crypto::random_bytes(bytes)) return std::nullopt;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (auto b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

Problem store_problem(const store::Error& error) {
  switch (error.kind) {
    case store::Error::Kind::kInvalidQuery:
      return query_parameter_exception(error.message);
    case store::Error::Kind::kQueryTooLarge:
      return query_too_large_exception(error.message);
    case store::Error::Kind::kInvalidEvent:
      return validation_exception(error.message);
    default:
      return implementation_exception(error.message);
  }
}

}  // namespace serialtrack::server

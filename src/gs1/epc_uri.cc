// EPC pure-identity, class and tag URIs and their element strings (TDS 6, 7, 12).
#include <algorithm>
#include <array>

#include "gs1/ai_table.h"
#include "gs1/check_digit.h"
#include "gs1/epc.h"
#include "gs1/gcp_length.h"

namespace serialtrack::gs1 {

namespace {

struct SchemeInfo {
  EpcScheme scheme;
  std::string_view name;
  uint8_t components;  // dot-separated components after "<scheme>:" (TDS 6.3)
};

constexpr SchemeInfo kSchemes[] = {
    {EpcScheme::SGTIN, "sgtin", 3}, {EpcScheme::SSCC, "sscc", 2}, {EpcScheme::SGLN, "sgln", 3},
    {EpcScheme::GRAI, "grai", 3},   {EpcScheme::GIAI, "giai", 2}, {EpcScheme::GSRN, "gsrn", 2},
    {EpcScheme::GSRNP, "gsrnp", 2}, {EpcScheme::GDTI, "gdti", 3}, {EpcScheme::CPI, "cpi", 3},
    {EpcScheme::SGCN, "sgcn", 3},   {EpcScheme::ITIP, "itip", 5}, {EpcScheme::GID, "gid", 3},
    {EpcScheme::LGTIN, "lgtin", 3},
};

const SchemeInfo& info(EpcScheme s) {
  return kSchemes[static_cast<size_t>(s)];
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool all_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), is_digit);
}

// GS1 GenSpecs Figure 7.11-1: CSET 82.
bool is_cset82(char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c)) return true;
  return std::string_view("!\"%&'()*+,-./:;<=>?_").find(c) != std::string_view::npos;
}

// GS1 GenSpecs Figure 7.11-2: CSET 39 (CPI component/part reference).
bool is_cset39(char c) {
  return (c >= 'A' && c <= 'Z') || is_digit(c) || c == '#' || c == '-' || c == '/';
}

// TDS Table A-1: CSET 82 characters written %-escaped in an EPC URI ('#' only in CPI).
bool must_escape(char c) {
  return std::string_view("\"%&/<>?#").find(c) != std::string_view::npos;
}

int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

void append_escaped(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : s) {
    if (must_escape(c)) {
      out += '%';
      out += kHex[(static_cast<unsigned char>(c) >> 4) & 0xF];
      out += kHex[static_cast<unsigned char>(c) & 0xF];
    } else {
      out += c;
    }
  }
}

// Unescapes a URI component into out (TDS A: "%" HexChar HexChar). position is the
// component's offset in the URI, for errors. max is the capacity of the target.
template <size_t N>
std::optional<Error> unescape_into(std::string_view in, size_t position, InlineString<N>& out,
                                   ErrorCode too_long) {
  char buffer[N];
  size_t n = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    size_t at = position + i;
    if (c == '%') {
      int hi = i + 1 < in.size() ? hex_value(in[i + 1]) : -1;
      int lo = i + 2 < in.size() ? hex_value(in[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return make_error(ErrorCode::INVALID_ESCAPE, {}, at, std::min<size_t>(3, in.size() - i),
                          "'%' must be followed by two hex digits");
      }
      c = static_cast<char>(hi * 16 + lo);
      if (!is_cset82(c) && c != '#') {  // '#' only in a CPI reference, checked later
        return make_error(ErrorCode::INVALID_CHARACTER, {}, at, 3,
                          "escaped character is not in GS1 CSET 82");
      }
      i += 2;
    } else if (!is_cset82(c) || must_escape(c)) {
      return make_error(ErrorCode::INVALID_CHARACTER, {}, at, 1,
                        "character not allowed here in an EPC URI");
    }
    if (n == N) return make_error(too_long, {}, position, in.size());
    buffer[n++] = c;
  }
  out.assign(std::string_view(buffer, n));
  return std::nullopt;
}

// A decimal integer without leading zeros (TDS 6.3.12 GID), below limit.
bool decimal_below(std::string_view s, uint64_t limit) {
  if (s.empty() || s.size() > 19 || !all_digits(s) || (s.size() > 1 && s[0] == '0')) return false;
  uint64_t v = 0;
  for (char c : s) v = v * 10 + static_cast<uint64_t>(c - '0');
  return v < limit;
}

Error component_error(ErrorCode code, size_t position, size_t length, const char* message) {
  return make_error(code, {}, position, length, message);
}

// Digits of GCP + reference that together form a key (TDS 6.3: GCP length 6-12).
size_t key_digits(EpcScheme s) {
  switch (s) {
    case EpcScheme::SGTIN:
    case EpcScheme::ITIP:
    case EpcScheme::LGTIN:
      return 13;  // TDS 6.3.1: indicator + item ref + GCP = 13
    case EpcScheme::SSCC:
    case EpcScheme::GSRN:
    case EpcScheme::GSRNP:
      return 17;  // TDS 6.3.2, 6.3.6, 6.3.7
    case EpcScheme::SGLN:
    case EpcScheme::GRAI:
    case EpcScheme::GDTI:
    case EpcScheme::SGCN:
      return 12;  // TDS 6.3.3, 6.3.4, 6.3.8, 6.3.10
    default:
      return 0;
  }
}

// Maximum serial length and whether one is required, per scheme (TDS 6.3).
size_t max_serial(EpcScheme s, size_t gcp_length) {
  switch (s) {
    case EpcScheme::SGTIN:
    case EpcScheme::SGLN:
    case EpcScheme::ITIP:
    case EpcScheme::LGTIN:
      return 20;  // AI (21), (254), (10): X..20
    case EpcScheme::GRAI:
      return 16;  // AI (8003) serial X..16
    case EpcScheme::GDTI:
      return 17;  // AI (253) serial X..17
    case EpcScheme::GIAI:
      return 30 - gcp_length;  // AI (8004): X..30 in all
    case EpcScheme::SGCN:
    case EpcScheme::CPI:
      return 12;  // AI (255) serial N..12, AI (8011) N..12
    default:
      return 0;
  }
}

// Checks the components of an Epc given as views (unescaped), positions for errors.
struct Components {
  std::string_view gcp, ref, serial, piece, total;
  size_t gcp_at = 0, ref_at = 0, serial_at = 0, piece_at = 0, total_at = 0;
};

std::optional<Error> check_components(EpcScheme s, const Components& c) {
  if (s == EpcScheme::GID) {
    // TDS 6.3.12: manager 28 bits, class 24 bits, serial 36 bits, decimal, no leading zeros.
    if (!decimal_below(c.gcp, uint64_t{1} << 28)) {
      return component_error(ErrorCode::INVALID_COMPANY_PREFIX, c.gcp_at, c.gcp.size(),
                             "GID manager number must be a decimal below 2^28");
    }
    if (!decimal_below(c.ref, uint64_t{1} << 24)) {
      return component_error(ErrorCode::REFERENCE_OUT_OF_RANGE, c.ref_at, c.ref.size(),
                             "GID object class must be a decimal below 2^24");
    }
    if (!decimal_below(c.serial, uint64_t{1} << 36)) {
      return component_error(ErrorCode::INVALID_NUMERIC_SERIAL, c.serial_at, c.serial.size(),
                             "GID serial must be a decimal below 2^36");
    }
    return std::nullopt;
  }
  // TDS 6.3: the GS1 Company Prefix has 6 to 12 digits.
  if (c.gcp.size() < 6 || c.gcp.size() > 12 || !all_digits(c.gcp)) {
    return component_error(ErrorCode::INVALID_COMPANY_PREFIX, c.gcp_at, c.gcp.size(),
                           "a GS1 Company Prefix has 6-12 digits");
  }
  size_t digits = key_digits(s);
  if (digits != 0) {
    if (!all_digits(c.ref)) {
      return component_error(ErrorCode::INVALID_CHARACTER, c.ref_at, c.ref.size(),
                             "the reference must be digits");
    }
    if (c.gcp.size() + c.ref.size() != digits) {
      return component_error(ErrorCode::INVALID_REFERENCE_LENGTH, c.ref_at, c.ref.size(),
                             "company prefix and reference have the wrong number of digits");
    }
  }
  if (s == EpcScheme::CPI) {
    // TDS 6.3.9: component/part reference, CSET 39, with the GCP at most 30 characters.
    if (c.ref.empty() || c.gcp.size() + c.ref.size() > 30) {
      return component_error(ErrorCode::INVALID_REFERENCE_LENGTH, c.ref_at, c.ref.size(),
                             "CPI component/part reference has the wrong length");
    }
    for (size_t i = 0; i < c.ref.size(); ++i) {
      if (!is_cset39(c.ref[i])) {
        return component_error(ErrorCode::INVALID_CHARACTER, c.ref_at + i, 1,
                               "CPI component/part reference allows only GS1 CSET 39");
      }
    }
  }
  if (s == EpcScheme::ITIP) {
    // TDS 6.3.11: piece and total, two digits each (AI 8006).
    if (c.piece.size() != 2 || !all_digits(c.piece)) {
      return component_error(ErrorCode::INVALID_CHARACTER, c.piece_at, c.piece.size(),
                             "ITIP piece number must be two digits");
    }
    if (c.total.size() != 2 || !all_digits(c.total)) {
      return component_error(ErrorCode::INVALID_CHARACTER, c.total_at, c.total.size(),
                             "ITIP total must be two digits");
    }
  }
  if (s == EpcScheme::SSCC || s == EpcScheme::GSRN || s == EpcScheme::GSRNP) return std::nullopt;
  if (c.serial.empty()) {
    return component_error(ErrorCode::EMPTY_SERIAL, c.serial_at, 0, "the serial is empty");
  }
  if (s == EpcScheme::SGCN || s == EpcScheme::CPI) {
    // TDS 6.3.10 SGCN serial component: 1-12 digits; TDS 6.3.9 CPI serial: 1-12 digits,
    // no leading zeros (AI 8011).
    bool leading_zero = s == EpcScheme::CPI && c.serial.size() > 1 && c.serial[0] == '0';
    if (!all_digits(c.serial) || c.serial.size() > 12 || leading_zero) {
      return component_error(ErrorCode::INVALID_NUMERIC_SERIAL, c.serial_at, c.serial.size(),
                             "the serial must be 1-12 digits");
    }
    return std::nullopt;
  }
  if (c.serial.size() > max_serial(s, c.gcp.size())) {
    return component_error(ErrorCode::SERIAL_TOO_LONG, c.serial_at, c.serial.size(),
                           "the serial is too long for this identifier");
  }
  for (size_t i = 0; i < c.serial.size(); ++i) {
    if (!is_cset82(c.serial[i])) {
      return component_error(ErrorCode::INVALID_CHARACTER, c.serial_at + i, 1,
                             "the serial allows only GS1 CSET 82");
    }
  }
  return std::nullopt;
}

std::optional<Error> check_epc(const Epc& e) {
  Components c;
  c.gcp = e.company_prefix.view();
  c.ref = e.reference.view();
  c.serial = e.serial.view();
  c.piece = e.piece.view();
  c.total = e.total.view();
  return check_components(e.scheme, c);
}

// Parses "<gcp>.<ref>...": the body of a pure-identity or tag URI after the scheme (and
// filter). The last component takes the rest, dots included (a serial may hold '.').
std::optional<Error> parse_body(EpcScheme s, std::string_view body, size_t at, Epc& out) {
  size_t count = info(s).components;
  std::array<std::string_view, 5> part;
  std::array<size_t, 5> part_at{};
  size_t start = 0;
  for (size_t i = 0; i + 1 < count; ++i) {
    size_t dot = body.find('.', start);
    if (dot == std::string_view::npos) {
      return make_error(ErrorCode::WRONG_NUMBER_OF_COMPONENTS, {}, at, body.size(),
                        "the EPC URI has too few components");
    }
    part[i] = body.substr(start, dot - start);
    part_at[i] = at + start;
    start = dot + 1;
  }
  part[count - 1] = body.substr(start);
  part_at[count - 1] = at + start;

  out = Epc{};
  out.scheme = s;
  Components c;
  c.gcp = part[0];
  c.gcp_at = part_at[0];
  // Fixed-size numeric components: refuse oversize before copying into inline storage.
  size_t gcp_cap = s == EpcScheme::GID ? 10 : 12;
  if (c.gcp.size() > gcp_cap) {
    return component_error(ErrorCode::INVALID_COMPANY_PREFIX, c.gcp_at, c.gcp.size(),
                           "a GS1 Company Prefix has 6-12 digits");
  }
  // TDS 6.3: SSCC, GSRN and GSRNP end with their reference; GIAI has no reference.
  bool keyed_only = s == EpcScheme::SSCC || s == EpcScheme::GSRN || s == EpcScheme::GSRNP;
  if (count >= 3 || keyed_only) {
    c.ref = part[1];
    c.ref_at = part_at[1];
  }
  if (s == EpcScheme::ITIP) {
    c.piece = part[2];
    c.piece_at = part_at[2];
    c.total = part[3];
    c.total_at = part_at[3];
  }
  if (s == EpcScheme::CPI) {
    // TDS 6.3.9: the component/part reference is %-escaped ('#' and '/').
    if (auto err =
            unescape_into(c.ref, c.ref_at, out.reference, ErrorCode::INVALID_REFERENCE_LENGTH)) {
      return err;
    }
    c.ref = out.reference.view();
  } else if (c.ref.size() > out.reference.capacity) {
    return component_error(ErrorCode::INVALID_REFERENCE_LENGTH, c.ref_at, c.ref.size(),
                           "the reference is too long");
  }
  if (c.piece.size() > 2 || c.total.size() > 2) {
    return component_error(ErrorCode::INVALID_CHARACTER, c.piece_at, c.piece.size(),
                           "ITIP piece and total are two digits each");
  }
  if (!keyed_only) {
    c.serial_at = part_at[count - 1];
    if (auto err =
            unescape_into(part[count - 1], c.serial_at, out.serial, ErrorCode::SERIAL_TOO_LONG)) {
      return err;
    }
    c.serial = out.serial.view();
  }
  if (auto err = check_components(s, c)) return err;
  out.company_prefix.assign(c.gcp);
  if (s != EpcScheme::CPI) out.reference.assign(c.ref);
  out.piece.assign(c.piece);
  out.total.assign(c.total);
  return std::nullopt;
}

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

void append_body(const Epc& e, std::string& out) {
  out.append(e.company_prefix.view());
  const EpcScheme s = e.scheme;
  if (s == EpcScheme::GIAI) {
    out += '.';
    append_escaped(out, e.serial.view());
    return;
  }
  out += '.';
  append_escaped(out, e.reference.view());
  if (s == EpcScheme::SSCC || s == EpcScheme::GSRN || s == EpcScheme::GSRNP) return;
  if (s == EpcScheme::ITIP) {
    out += '.';
    out.append(e.piece.view());
    out += '.';
    out.append(e.total.view());
  }
  out += '.';
  append_escaped(out, e.serial.view());
}

// Key with its mod-10 check digit appended (GS1 GenSpecs 7.9.1).
void append_with_check_digit(std::string& key) {
  key += mod10_check_digit(key).value_or('0');
}

void add_ai(AiData& out, std::string_view ai, std::string_view value) {
  out.add(ai, value, find_ai(ai), 0);
}

// Splits a key into the digits of the company prefix position and the rest.
struct KeyAi {
  std::string_view ai;
  EpcScheme scheme;
  size_t gcp_offset;  // where the GCP starts in the value
};

constexpr KeyAi kKeyAis[] = {
    {"01", EpcScheme::SGTIN, 1},   {"00", EpcScheme::SSCC, 1},   {"414", EpcScheme::SGLN, 0},
    {"8003", EpcScheme::GRAI, 1},  {"8004", EpcScheme::GIAI, 0}, {"8018", EpcScheme::GSRN, 0},
    {"8017", EpcScheme::GSRNP, 0}, {"253", EpcScheme::GDTI, 0},  {"8010", EpcScheme::CPI, 0},
    {"255", EpcScheme::SGCN, 0},   {"8006", EpcScheme::ITIP, 1},
};

// The first element of data that is the key of an EPC (TDS 7), or nullptr.
const KeyAi* find_key(const AiData& data, std::string_view& value) {
  for (AiElement el : data) {
    for (const KeyAi& k : kKeyAis) {
      if (el.ai == k.ai) {
        value = el.value;
        return &k;
      }
    }
  }
  return nullptr;
}

Error no_epc(std::string_view ai, const char* why) {
  return make_error(ErrorCode::NO_EPC_FOR_DATA, ai, 0, 0, why);
}

}  // namespace

std::string_view epc_scheme_name(EpcScheme scheme) {
  return info(scheme).name;
}

std::optional<Error> validate_epc(const Epc& epc) {
  return check_epc(epc);
}

Result<Epc> parse_epc_uri(std::string_view uri) {
  // TDS 6.3: "urn:epc:id:<scheme>:<body>"; TDS 6.4: "urn:epc:class:lgtin:<body>".
  constexpr std::string_view kId = "urn:epc:id:";
  constexpr std::string_view kClass = "urn:epc:class:";
  size_t at;
  bool is_class = false;
  if (starts_with(uri, kId)) {
    at = kId.size();
  } else if (starts_with(uri, kClass)) {
    at = kClass.size();
    is_class = true;
  } else {
    return unexpected(make_error(ErrorCode::NOT_AN_EPC_URI, {}, 0, uri.size(),
                                 "an EPC URI starts with urn:epc:id: or urn:epc:class:"));
  }
  size_t colon = uri.find(':', at);
  if (colon == std::string_view::npos) {
    return unexpected(make_error(ErrorCode::WRONG_NUMBER_OF_COMPONENTS, {}, at, uri.size() - at,
                                 "the EPC URI has no components"));
  }
  std::string_view name = uri.substr(at, colon - at);
  const SchemeInfo* found = nullptr;
  for (const SchemeInfo& si : kSchemes) {
    if (si.name == name && (si.scheme == EpcScheme::LGTIN) == is_class) found = &si;
  }
  if (!found) {
    return unexpected(
        make_error(ErrorCode::UNSUPPORTED_SCHEME, {}, at, name.size(), "unknown EPC scheme"));
  }
  Epc epc;
  if (auto err = parse_body(found->scheme, uri.substr(colon + 1), colon + 1, epc)) {
    return unexpected(std::move(*err));
  }
  return epc;
}

std::string to_epc_uri(const Epc& epc) {
  std::string out;
  out.reserve(64);
  out += epc.scheme == EpcScheme::LGTIN ? "urn:epc:class:" : "urn:epc:id:";
  out += epc_scheme_name(epc.scheme);
  out += ':';
  append_body(epc, out);
  return out;
}

Result<EpcTag> parse_tag_uri(std::string_view uri) {
  // TDS 12.3: "urn:epc:tag:<scheme>-<bits>:<filter>.<body>" (GID-96 has no filter).
  constexpr std::string_view kTag = "urn:epc:tag:";
  if (!starts_with(uri, kTag)) {
    return unexpected(make_error(ErrorCode::NOT_A_TAG_URI, {}, 0, uri.size(),
                                 "an EPC tag URI starts with urn:epc:tag:"));
  }
  size_t at = kTag.size();
  size_t colon = uri.find(':', at);
  if (colon == std::string_view::npos) {
    return unexpected(make_error(ErrorCode::WRONG_NUMBER_OF_COMPONENTS, {}, at, uri.size() - at,
                                 "the tag URI has no components"));
  }
  std::string_view name = uri.substr(at, colon - at);
  auto scheme = tag_scheme_from_name(name);
  if (!scheme || *scheme == TagScheme::AUTO) {
    return unexpected(make_error(ErrorCode::UNSUPPORTED_SCHEME, {}, at, name.size(),
                                 "unknown EPC binary scheme"));
  }
  size_t body_at = colon + 1;
  uint8_t filter = 0;
  if (*scheme != TagScheme::GID_96) {
    size_t dot = uri.find('.', body_at);
    std::string_view f = uri.substr(body_at, dot == std::string_view::npos ? 0 : dot - body_at);
    if (dot == std::string_view::npos) {
      return unexpected(make_error(ErrorCode::WRONG_NUMBER_OF_COMPONENTS, {}, body_at,
                                   uri.size() - body_at, "the tag URI has too few components"));
    }
    // TDS 10.1: the filter value is one digit 0-7.
    if (f.size() != 1 || f[0] < '0' || f[0] > '7') {
      return unexpected(make_error(ErrorCode::INVALID_FILTER, {}, body_at, f.size(),
                                   "the filter value must be 0-7"));
    }
    filter = static_cast<uint8_t>(f[0] - '0');
    body_at = dot + 1;
  }
  Epc epc;
  EpcScheme identity = tag_scheme_identity(*scheme);
  if (auto err = parse_body(identity, uri.substr(body_at), body_at, epc)) {
    return unexpected(std::move(*err));
  }
  return make_tag(epc, *scheme, filter);
}

std::string to_tag_uri(const EpcTag& tag) {
  std::string out;
  out.reserve(72);
  out += "urn:epc:tag:";
  out += tag_scheme_name(tag.scheme);
  out += ':';
  if (tag.scheme != TagScheme::GID_96) {
    out += static_cast<char>('0' + (tag.filter & 7));
    out += '.';
  }
  append_body(tag.epc, out);
  return out;
}

std::optional<Error> to_ai_data(const Epc& e, AiData& out) {
  out.clear();
  std::string key;
  key.reserve(32);
  std::string_view gcp = e.company_prefix.view();
  std::string_view ref = e.reference.view();
  std::string_view serial = e.serial.view();
  // TDS 7.1-7.11: the key digits are rearranged with the indicator / extension digit first.
  auto indicator_key = [&] {
    key += ref.substr(0, 1);
    key += gcp;
    key += ref.substr(std::min<size_t>(1, ref.size()));
    append_with_check_digit(key);
  };
  switch (e.scheme) {
    case EpcScheme::SGTIN:  // TDS 7.1
    case EpcScheme::LGTIN:  // TDS 7.12
      indicator_key();
      add_ai(out, "01", key);
      add_ai(out, e.scheme == EpcScheme::SGTIN ? "21" : "10", serial);
      break;
    case EpcScheme::SSCC:  // TDS 7.2
      indicator_key();
      add_ai(out, "00", key);
      break;
    case EpcScheme::SGLN:  // TDS 7.3: extension "0" means no (254)
      key.append(gcp).append(ref);
      append_with_check_digit(key);
      add_ai(out, "414", key);
      if (serial != "0") add_ai(out, "254", serial);
      break;
    case EpcScheme::GRAI:  // TDS 7.4: (8003) = '0' + GRAI-13 + serial
      key += '0';
      key.append(gcp).append(ref);
      append_with_check_digit(key);
      key.append(serial);
      add_ai(out, "8003", key);
      break;
    case EpcScheme::GIAI:  // TDS 7.5
      key.append(gcp).append(serial);
      add_ai(out, "8004", key);
      break;
    case EpcScheme::GSRN:   // TDS 7.6
    case EpcScheme::GSRNP:  // TDS 7.7
      key.append(gcp).append(ref);
      append_with_check_digit(key);
      add_ai(out, e.scheme == EpcScheme::GSRN ? "8018" : "8017", key);
      break;
    case EpcScheme::GDTI:  // TDS 7.8
    case EpcScheme::SGCN:  // TDS 7.10
      key.append(gcp).append(ref);
      append_with_check_digit(key);
      key.append(serial);
      add_ai(out, e.scheme == EpcScheme::GDTI ? "253" : "255", key);
      break;
    case EpcScheme::CPI:  // TDS 7.9
      key.append(gcp).append(ref);
      add_ai(out, "8010", key);
      add_ai(out, "8011", serial);
      break;
    case EpcScheme::ITIP:  // TDS 7.11: (8006) = GTIN + piece + total
      indicator_key();
      key.append(e.piece.view()).append(e.total.view());
      add_ai(out, "8006", key);
      add_ai(out, "21", serial);
      break;
    case EpcScheme::GID:
      return make_error(ErrorCode::UNSUPPORTED_SCHEME, {}, 0, 0, "a GID has no GS1 element string");
  }
  return std::nullopt;
}

Result<AiData> to_ai_data(const Epc& epc) {
  AiData data;
  if (auto err = to_ai_data(epc, data)) return unexpected(std::move(*err));
  return data;
}

Result<Epc> epc_from_ai_data(const AiData& data, size_t gcp_length) {
  std::string_view v;
  const KeyAi* k = find_key(data, v);
  if (!k) return unexpected(no_epc({}, "the element string has no key with an EPC"));
  // TDS 7: a GS1 Company Prefix has 6-12 digits and lies inside the key.
  if (gcp_length < 6 || gcp_length > 12 || v.size() < k->gcp_offset + gcp_length) {
    return unexpected(make_error(ErrorCode::INVALID_COMPANY_PREFIX, k->ai, k->gcp_offset,
                                 gcp_length, "a GS1 Company Prefix has 6-12 digits"));
  }
  Epc e;
  e.scheme = k->scheme;
  std::string_view gcp = v.substr(k->gcp_offset, gcp_length);
  char ref[32];
  size_t ref_len = 0;
  std::string_view serial;
  // Digit keys with a check digit at key_end - 1 (GenSpecs 7.9.1; weights run from the
  // right, so the leading '0' of (8003) does not change the GRAI's check digit).
  auto check = [&](size_t key_end) -> std::optional<Error> {
    if (v.size() < key_end || !all_digits(v.substr(0, key_end))) {
      return no_epc(k->ai, "the key has the wrong length");
    }
    if (!mod10_valid(v.substr(0, key_end))) {
      Error err = make_error(ErrorCode::AI_LINTER_ERROR, k->ai, key_end - 1, 1);
      err.lint = Lint::INCORRECT_CHECK_DIGIT;
      return err;
    }
    return std::nullopt;
  };
  auto take_ref = [&](std::string_view digits) {
    for (char c : digits) ref[ref_len++] = c;
  };
  std::optional<Error> err;
  switch (k->scheme) {
    case EpcScheme::SGTIN:
    case EpcScheme::ITIP:
      if ((err = check(14))) break;
      ref[ref_len++] = v[0];
      take_ref(v.substr(1 + gcp_length, 12 - gcp_length));
      if (k->scheme == EpcScheme::ITIP) {
        if (v.size() != 18) {
          err = no_epc(k->ai, "(8006) has 18 digits");
          break;
        }
        e.piece.assign(v.substr(14, 2));
        e.total.assign(v.substr(16, 2));
      }
      if (auto s = data.get("21")) {
        serial = *s;
      } else if (auto lot = data.get("10"); lot && k->scheme == EpcScheme::SGTIN) {
        e.scheme = EpcScheme::LGTIN;  // TDS 6.4: GTIN + lot is the LGTIN class
        serial = *lot;
      } else {
        err = no_epc(k->ai, "a GTIN needs a serial (21) or a lot (10) for an EPC");
      }
      break;
    case EpcScheme::SSCC:
      if ((err = check(18))) break;
      ref[ref_len++] = v[0];
      take_ref(v.substr(1 + gcp_length, 16 - gcp_length));
      break;
    case EpcScheme::SGLN:
      if ((err = check(13))) break;
      take_ref(v.substr(gcp_length, 12 - gcp_length));
      serial = data.get("254").value_or("0");  // TDS 6.3.3: no extension is written "0"
      break;
    case EpcScheme::GRAI:
      if (v[0] != '0') {
        err = no_epc(k->ai, "(8003) starts with 0");
        break;
      }
      if ((err = check(14))) break;
      take_ref(v.substr(1 + gcp_length, 12 - gcp_length));
      serial = v.substr(14);
      if (serial.empty()) err = no_epc(k->ai, "a GRAI needs a serial for an EPC");
      break;
    case EpcScheme::GIAI:
      serial = v.substr(gcp_length);
      break;
    case EpcScheme::GSRN:
    case EpcScheme::GSRNP:
      if ((err = check(18))) break;
      take_ref(v.substr(gcp_length, 17 - gcp_length));
      break;
    case EpcScheme::GDTI:
    case EpcScheme::SGCN:
      if ((err = check(13))) break;
      take_ref(v.substr(gcp_length, 12 - gcp_length));
      serial = v.substr(13);
      if (serial.empty()) err = no_epc(k->ai, "a GDTI or GCN needs a serial for an EPC");
      break;
    case EpcScheme::CPI:
      if (v.size() - gcp_length > sizeof(ref)) {
        err = no_epc(k->ai, "(8010) is too long");
        break;
      }
      take_ref(v.substr(gcp_length));
      if (auto s = data.get("8011")) {
        serial = *s;
      } else {
        err = no_epc(k->ai, "a CPI needs a serial (8011) for an EPC");
      }
      break;
    case EpcScheme::GID:
    case EpcScheme::LGTIN:
      break;
  }
  if (err) return unexpected(std::move(*err));
  if (!all_digits(gcp)) {
    return unexpected(make_error(ErrorCode::INVALID_COMPANY_PREFIX, k->ai, k->gcp_offset,
                                 gcp_length, "a GS1 Company Prefix has 6-12 digits"));
  }
  if (!e.reference.assign(std::string_view(ref, ref_len))) {
    return unexpected(no_epc(k->ai, "the reference is too long"));
  }
  if (!e.serial.assign(serial)) {
    return unexpected(make_error(ErrorCode::SERIAL_TOO_LONG, k->ai, 0, serial.size()));
  }
  e.company_prefix.assign(gcp);
  if (auto bad = check_epc(e)) return unexpected(std::move(*bad));
  return e;
}

Result<Epc> epc_from_ai_data(const AiData& data, const GcpLengthTable& table) {
  std::string_view v;
  const KeyAi* k = find_key(data, v);
  if (!k) return unexpected(no_epc({}, "the element string has no key with an EPC"));
  auto length = table.lookup(v.substr(std::min(v.size(), k->gcp_offset)));
  if (!length) {
    return unexpected(make_error(ErrorCode::UNKNOWN_COMPANY_PREFIX_LENGTH, k->ai, k->gcp_offset, 0,
                                 "no GS1 Company Prefix length is known for this key"));
  }
  return epc_from_ai_data(data, *length);
}

}  // namespace serialtrack::gs1

#include "gs1/digital_link.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include "gs1/element_string.h"

namespace serialtrack::gs1 {
namespace {

// AIs one message may hold, as GS1's reference implementation bounds it.
constexpr size_t kMaxAis = 64;
// No AI value is longer (GenSpecs 3.2: at most 90 characters).
constexpr size_t kMaxValueLength = 90;

// A table of 256 flags, built at compile time.
struct ByteSet {
  std::array<bool, 256> in{};
  constexpr explicit ByteSet(std::string_view chars) {
    for (char c : chars) in[static_cast<unsigned char>(c)] = true;
  }
  constexpr bool operator()(char c) const { return in[static_cast<unsigned char>(c)]; }
};

// RFC 3986 §2 characters, with '%' (GS1 DL URI Syntax 1.x §4.1 restricts DL URIs to them).
constexpr ByteSet kUriCharacter(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%");
// URI characters that may not appear in a host (RFC 3986 §3.2.2, no IPv6 zone ids).
constexpr ByteSet kBadDomainCharacter("_~?#@!$&'()*+,;=%");
// Characters the first pass over a URI notes: delimiters, and what needs decoding.
constexpr ByteSet kDelimiter("/?#%+");
// RFC 3986 §2.3 unreserved characters: never percent-encoded.
constexpr ByteSet kUnreserved("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~");

constexpr int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool all_digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// Decodes into buf (capacity kMaxValueLength + 1 is enough: longer is an error
// anyway). Returns the decoded length, or npos for a %00, or kMaxValueLength + 1
// when the value is longer than any AI value may be.
constexpr size_t kNul = static_cast<size_t>(-1);
size_t unescape_into(char* buf, std::string_view in, bool query) {
  size_t j = 0;
  for (size_t i = 0; i < in.size(); ++i, ++j) {
    if (j > kMaxValueLength) return j;
    char c = in[i];
    int hi, lo;
    if (c == '%' && i + 2 < in.size() && (hi = hex_value(in[i + 1])) >= 0 &&
        (lo = hex_value(in[i + 2])) >= 0) {
      c = static_cast<char>(hi * 16 + lo);
      if (c == '\0') return kNul;
      i += 2;
    } else if (query && c == '+') {
      c = ' ';
    }
    buf[j] = c;
  }
  return j;
}

// Deprecated DL 1.0 short names of keys and qualifiers (GS1 DL URI Syntax 1.x §A, the
// "convenience alphas"), sorted by name.
struct ConvenienceAlpha {
  std::string_view name;
  std::string_view ai;
};
constexpr ConvenienceAlpha kConvenienceAlphas[] = {
    {"cpid", "8010"}, {"cpsn", "8011"}, {"cpv", "22"},    {"gcn", "255"},    {"gdti", "253"},
    {"giai", "8004"}, {"ginc", "401"},  {"gln", "414"},   {"glnx", "254"},   {"gmn", "8013"},
    {"grai", "8003"}, {"gsin", "402"},  {"gsrn", "8018"}, {"gsrnp", "8017"}, {"gtin", "01"},
    {"itip", "8006"}, {"lot", "10"},    {"party", "417"}, {"refno", "8020"}, {"ser", "21"},
    {"srin", "8019"}, {"sscc", "00"},
};

// The entry of a path segment naming an AI: digits, or with the option a short name.
const AiEntry* path_ai_entry(std::string_view ai, const Options& options) {
  if (options.convenience_alphas && ai.size() >= 3 && ai.size() <= 5 &&
      !(ai[0] >= '0' && ai[0] <= '9')) {
    for (const auto& a : kConvenienceAlphas)
      if (a.name == ai) return find_ai(a.ai);
  }
  if (ai.size() < 2 || ai.size() > 4) return nullptr;
  return lookup_ai(ai, ai.size(), options.permit_unknown_ais);
}

const AiEntry* query_ai_entry(std::string_view ai, const Options& options) {
  if (ai.size() < 2 || ai.size() > 4) return nullptr;
  return lookup_ai(ai, ai.size(), options.permit_unknown_ais);
}

// An AI outside the table (a stand-in entry, or none).
bool unknown(const AiEntry* entry) {
  return entry == nullptr || is_unknown_ai(entry);
}

// True when entry may start a DL path (the "dlpkey" flag; GS1 DL URI Syntax 1.x §4.5).
bool is_primary_key(const AiEntry* entry) {
  return !unknown(entry) && entry->dl_primary_key;
}

// True when the path AIs [key, qualifiers...] follow one of the key's qualifier
// lists in order, each qualifier optional (GS1 DL URI Syntax 1.x §4.5, "dlpkey=").
bool is_valid_key_qualifier_sequence(const AiEntry* const* seq, size_t n) {
  if (n == 0 || !is_primary_key(seq[0])) return false;
  if (n == 1) return true;
  std::string_view lists = seq[0]->dl_qualifiers;
  while (!lists.empty()) {
    size_t bar = lists.find('|');
    std::string_view list = lists.substr(0, bar);
    lists = bar == std::string_view::npos ? std::string_view() : lists.substr(bar + 1);
    size_t k = 1;
    while (k < n && !list.empty()) {
      size_t comma = list.find(',');
      std::string_view token = list.substr(0, comma);
      list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
      if (seq[k] != nullptr && seq[k]->ai == token) ++k;
    }
    if (k == n) return true;
  }
  return false;
}

// True when candidate is named in one of key's qualifier lists.
bool is_qualifier_of(const AiEntry* key, const AiEntry* candidate) {
  if (unknown(candidate)) return false;
  std::string_view lists = key->dl_qualifiers, ai = candidate->ai;
  for (size_t at = lists.find(ai); at != std::string_view::npos; at = lists.find(ai, at + 1)) {
    size_t after = at + ai.size();
    bool starts = at == 0 || lists[at - 1] == ',' || lists[at - 1] == '|';
    bool ends = after == lists.size() || lists[after] == ',' || lists[after] == '|';
    if (starts && ends) return true;
  }
  return false;
}

bool is_data_attribute(const AiEntry* entry, const Options& options) {
  if (unknown(entry)) return options.unknown_ai_dl_attr;
  return entry->dl_data_attribute;
}

// GS1 DL URI Syntax 1.x §4.5: a GTIN-8/12/13 in a DL URI, left-padded to GTIN-14.
size_t pad_zero_suppressed_gtin(char* buf, size_t len) {
  if (len != 8 && len != 12 && len != 13) return len;
  std::copy_backward(buf, buf + len, buf + 14);
  std::fill(buf, buf + (14 - len), '0');
  return 14;
}

// Length and the FNC1 character, checked as each value is read, before the content
// checks (which would report a misleading check digit for a value of wrong length).
bool looks_compressed(std::string_view path) {
  // A compressed DL URI ends in one long base64url segment (DL 1.1 §"compression").
  size_t slash = path.rfind('/');
  std::string_view last = path.substr(slash == std::string_view::npos ? 0 : slash + 1);
  if (last.size() < 10) return false;
  for (char c : last)
    if (!(kUnreserved(c) && c != '.' && c != '~')) return false;
  return true;
}

}  // namespace

void append_uri_escaped(std::string& out, std::string_view value, UriComponent component) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : value) {
    if (kUnreserved(c)) {
      out += c;
    } else if (c == ' ' && component == UriComponent::kQuery) {
      out += '+';
    } else {
      auto b = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0x0F];
    }
  }
}

std::string uri_escape(std::string_view value, UriComponent component) {
  std::string out;
  out.reserve(value.size());
  append_uri_escaped(out, value, component);
  return out;
}

bool append_uri_unescaped(std::string& out, std::string_view text, UriComponent component) {
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    int hi, lo;
    if (c == '%' && i + 2 < text.size() && (hi = hex_value(text[i + 1])) >= 0 &&
        (lo = hex_value(text[i + 2])) >= 0) {
      c = static_cast<char>(hi * 16 + lo);
      if (c == '\0') return false;
      i += 2;
    } else if (component == UriComponent::kQuery && c == '+') {
      c = ' ';
    }
    out += c;
  }
  return true;
}

std::optional<std::string> uri_unescape(std::string_view text, UriComponent component) {
  std::string out;
  out.reserve(text.size());
  if (!append_uri_unescaped(out, text, component)) return std::nullopt;
  return out;
}

std::optional<Error> parse_digital_link_into(std::string_view uri, AiData& out,
                                             DigitalLinkParts* parts, const Options& options) {
  out.clear();
  if (parts != nullptr) parts->clear();

  // GS1 DL URI Syntax 1.x §4.1: the scheme is http or https, in one case.
  size_t p;
  if (uri.starts_with("https://") || uri.starts_with("HTTPS://")) {
    p = 8;
  } else if (uri.starts_with("http://") || uri.starts_with("HTTP://")) {
    p = 7;
  } else {
    return make_error(ErrorCode::NOT_A_DL_URI, {}, 0, 0,
                      "not a GS1 Digital Link URI: it must begin http:// or https://");
  }

  // RFC 3986 §2: only URI characters; anything else must be percent-encoded. One pass
  // also finds the delimiters and whether any value needs decoding.
  size_t path_start = std::string_view::npos, first_query = std::string_view::npos;
  size_t end = uri.size();
  bool escapes = false;
  for (size_t i = p; i < uri.size(); ++i) {
    char c = uri[i];
    if (!kUriCharacter(c)) return make_error(ErrorCode::URI_CONTAINS_ILLEGAL_CHARACTERS, {}, i, 1);
    if (!kDelimiter(c)) continue;
    if (c == '/') {
      if (path_start == std::string_view::npos) path_start = i;
    } else if (c == '?') {
      if (first_query == std::string_view::npos && end == uri.size()) first_query = i;
    } else if (c == '#') {
      if (end == uri.size()) end = i;
    } else {
      escapes = true;  // '%' or '+'
    }
  }

  // RFC 3986 §3.2: the authority runs to the first '/', which begins the path.
  if (path_start == std::string_view::npos || path_start == p)
    return make_error(ErrorCode::URI_MISSING_DOMAIN_AND_PATH_INFO, {}, p, 0);
  for (size_t i = p; i < path_start; ++i)
    if (kBadDomainCharacter(uri[i]))
      return make_error(ErrorCode::DOMAIN_CONTAINS_ILLEGAL_CHARACTERS, {}, i, 1);

  // RFC 3986 §3.4, §3.5: '#' ends the data, '?' ends the path.
  size_t path_end = first_query == std::string_view::npos ? end : first_query;
  size_t query_start = first_query == std::string_view::npos ? end : first_query + 1;
  if (parts != nullptr && end < uri.size()) parts->fragment = uri.substr(end + 1);

  // The path's '/' from the end: segment k (from the end) runs from slash[k] + 1 to
  // slash[k - 1] (or the path's end). Pairs "/AI/value" need no more than these.
  constexpr size_t kMaxSlashes = 2 * kMaxAis + 2;
  std::array<uint32_t, kMaxSlashes> slash;
  size_t slashes = 0;
  for (size_t i = path_end; i > path_start && slashes < kMaxSlashes;)
    if (uri[--i] == '/') slash[slashes++] = static_cast<uint32_t>(i);
  auto segment = [&](size_t k) {
    size_t b = slash[k] + 1, e = k == 0 ? path_end : slash[k - 1];
    return uri.substr(b, e - b);
  };

  // GS1 DL URI Syntax 1.x §4.5: walking back from the end of the path pair by pair,
  // "/AI/value" pairs of known AIs lead to the rightmost primary key; anything before
  // it is a custom stem.
  std::array<const AiEntry*, kMaxAis + 1> entry_of_pair;
  size_t key_pair = kMaxAis + 1;
  for (size_t j = 0; 2 * j + 1 < slashes && j < kMaxAis; ++j) {
    const AiEntry* entry = path_ai_entry(segment(2 * j + 1), options);
    if (entry == nullptr) break;
    entry_of_pair[j] = entry;
    if (is_primary_key(entry)) {
      key_pair = j;
      break;
    }
  }
  if (key_pair > kMaxAis) {
    std::string message = "no GS1 primary key AI found in the URI path";
    if (looks_compressed(uri.substr(path_start, path_end - path_start)))
      message += "; compressed GS1 Digital Link URIs are not supported";
    return make_error(ErrorCode::NO_GS1_DL_KEYS_FOUND_IN_PATH_INFO, {}, path_start,
                      path_end - path_start, std::move(message));
  }
  size_t key_start = slash[2 * key_pair + 1];
  if (parts != nullptr) parts->stem = uri.substr(0, key_start);

  char buf[kMaxValueLength + 16];
  // A value as decoded (GS1 DL URI Syntax 1.x §4.7); npos for a %00.
  auto decode = [&](std::string_view raw, bool query, std::string_view ai) -> std::string_view {
    bool gtin = options.permit_zero_suppressed_gtin && ai == "01";
    if (!escapes && !gtin) return raw;
    size_t len = unescape_into(buf, raw, query);
    if (len == kNul) return {};
    // GS1 DL URI Syntax 1.x §4.5: a GTIN-8/12/13 in a DL URI, left-padded to GTIN-14.
    if (gtin) len = pad_zero_suppressed_gtin(buf, len);
    return std::string_view(buf, std::min(len, kMaxValueLength + 1));
  };

  std::array<const AiEntry*, kMaxAis + 1> path_seq;
  size_t path_count = 0;

  // The path: key, then qualifiers, each "/AI/value" (GS1 DL URI Syntax 1.x §4.5).
  for (size_t j = key_pair + 1; j-- > 0;) {
    std::string_view ai_text = segment(2 * j + 1), raw = segment(2 * j);
    size_t ai_begin = slash[2 * j + 1] + 1, value_begin = slash[2 * j] + 1;
    const AiEntry* entry = entry_of_pair[j];
    std::string_view ai = is_unknown_ai(entry) ? ai_text : entry->ai;
    if (raw.empty())
      return make_error(ErrorCode::AI_VALUE_PATH_ELEMENT_IS_EMPTY, ai, ai_begin, ai_text.size());
    // GS1 DL URI Syntax 1.x §4.7: path values are percent-encoded; '+' is itself.
    std::string_view value = decode(raw, false, ai);
    if (value.empty())
      return make_error(ErrorCode::DECODED_AI_FROM_DL_PATH_INFO_CONTAINS_ILLEGAL_NULL, ai,
                        value_begin, raw.size());
    if (auto e = check_value_length(*entry, ai, value, value_begin, raw.size())) return e;
    out.add(ai, value, entry, value_begin);
    path_seq[path_count++] = entry;
  }
  if (parts != nullptr) parts->path_ai_count = path_count;

  // The query: AI attributes and other parameters, '&'-separated (GS1 DL URI Syntax 1.x §4.6).
  for (size_t q = query_start; q < end;) {
    size_t amp = q;
    while (amp < end && uri[amp] != '&') ++amp;
    std::string_view param = uri.substr(q, amp - q);
    size_t param_start = q;
    q = amp + 1;
    if (param.empty()) continue;
    size_t eq = param.find('=');
    std::string_view name = param.substr(0, eq);
    const AiEntry* entry = nullptr;
    if (eq != std::string_view::npos) {
      entry = query_ai_entry(name, options);
      // §4.6: a numeric parameter name is an AI, so it must be a known one.
      if (entry == nullptr && all_digits(name))
        return make_error(ErrorCode::UNKNOWN_AI_IN_QUERY_PARAMS, name, param_start, name.size());
    }
    if (entry == nullptr) {  // not an AI: kept aside, undecoded ("linkType", "singleton")
      if (parts != nullptr)
        parts->other_query_params.emplace_back(
            name, eq == std::string_view::npos ? std::string_view() : param.substr(eq + 1));
      continue;
    }
    std::string_view ai = is_unknown_ai(entry) ? name : entry->ai;
    std::string_view raw = param.substr(eq + 1);
    size_t value_begin = param_start + eq + 1;
    if (raw.empty())
      return make_error(ErrorCode::AI_VALUE_QUERY_ELEMENT_IN_EMPTY, ai, param_start, name.size());
    // §4.7: query values are percent-encoded and '+' is a space (HTML form encoding).
    std::string_view value = decode(raw, true, ai);
    if (value.empty())
      return make_error(ErrorCode::DECODED_AI_VALUE_FROM_QUERY_PARAMS_CONTAINS_ILLEGAL_NULL, ai,
                        value_begin, raw.size());
    if (auto e = check_value_length(*entry, ai, value, value_begin, raw.size())) return e;
    if (out.size() >= kMaxAis) return make_error(ErrorCode::TOO_MANY_AIS, ai, param_start);
    out.add(ai, value, entry, value_begin);
  }

  // §4.5: the path AIs form one of the key's qualifier sequences, in order.
  if (!is_valid_key_qualifier_sequence(path_seq.data(), path_count))
    return make_error(ErrorCode::INVALID_KEY_QUALIFIER_SEQUENCE, {}, key_start,
                      path_end - key_start);

  // §4.6: each attribute once, a valid data attribute, and not a qualifier that
  // belongs in the path.
  for (size_t i = path_count; i < out.size(); ++i) {
    AiElement el = out[i];
    size_t name_position = el.position - el.ai.size() - 1;
    for (size_t j = 0; j < i; ++j)
      if (out[j].ai == el.ai)
        return make_error(ErrorCode::DUPLICATE_AI, el.ai, name_position, el.ai.size());
    if (!is_data_attribute(el.entry, options))
      return make_error(ErrorCode::AI_IS_NOT_VALID_DATA_ATTRIBUTE, el.ai, name_position,
                        el.ai.size());
    if (!is_qualifier_of(path_seq[0], el.entry)) continue;
    std::array<const AiEntry*, kMaxAis + 2> trial;
    for (size_t at = 1; at <= path_count; ++at) {
      std::copy(path_seq.begin(), path_seq.begin() + at, trial.begin());
      trial[at] = el.entry;
      std::copy(path_seq.begin() + at, path_seq.begin() + path_count, trial.begin() + at + 1);
      if (is_valid_key_qualifier_sequence(trial.data(), path_count + 1))
        return make_error(ErrorCode::AI_SHOULD_BE_IN_PATH_INFO, el.ai, name_position, el.ai.size());
    }
  }

  // Then the checks of every element string: each value, then the associations.
  for (AiElement el : out) {
    if (el.entry == nullptr) continue;
    if (auto e = check_ai_value(*el.entry, el.value, el.position)) {
      if (e->ai.empty()) e->ai = std::string(el.ai);
      return e;
    }
  }
  return validate_associations(out, options);
}

Result<DigitalLink> parse_digital_link(std::string_view uri, const Options& options) {
  DigitalLink dl;
  DigitalLinkParts parts;
  if (auto e = parse_digital_link_into(uri, dl.data, &parts, options)) return unexpected(*e);
  dl.stem = std::string(parts.stem);
  dl.fragment = std::string(parts.fragment);
  dl.path_ai_count = parts.path_ai_count;
  for (auto& [name, value] : parts.other_query_params)
    dl.other_query_params.emplace_back(std::string(name), std::string(value));
  return dl;
}

namespace {

bool has_ai(const AiData& data, std::string_view ai) {
  for (AiElement el : data)
    if (!unknown(el.entry) && el.entry->ai == ai) return true;
  return false;
}

// Indexes of the path elements for data that did not come from a DL URI: the key,
// then the longest qualifier sequence of the key that the data holds in full, ties to
// the first of "key q1 q2..." in lexicographic order, as GS1's reference
// implementation chooses (GS1 DL URI Syntax 1.x §4.5).
std::vector<size_t> choose_path(const AiData& data, size_t key_index) {
  const AiEntry& key = *data[key_index].entry;
  std::vector<std::string_view> best;
  std::string best_text;
  std::string_view lists = key.dl_qualifiers;
  while (!lists.empty()) {
    size_t bar = lists.find('|');
    std::string_view list = lists.substr(0, bar);
    lists = bar == std::string_view::npos ? std::string_view() : lists.substr(bar + 1);
    // Within one list the longest sequence held is every qualifier present, in order.
    std::vector<std::string_view> held;
    std::string text(key.ai);
    while (!list.empty()) {
      size_t comma = list.find(',');
      std::string_view token = list.substr(0, comma);
      list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
      if (!has_ai(data, token)) continue;
      held.push_back(token);
      text += ' ';
      text += token;
    }
    if (held.size() > best.size() ||
        (!held.empty() && held.size() == best.size() && text < best_text)) {
      best = std::move(held);
      best_text = std::move(text);
    }
  }
  std::vector<size_t> path{key_index};
  for (std::string_view ai : best)
    for (size_t i = 0; i < data.size(); ++i)
      if (!unknown(data[i].entry) && data[i].entry->ai == ai) {
        path.push_back(i);
        break;
      }
  return path;
}

Result<std::string> generate(const AiData& data, const std::vector<size_t>& path,
                             std::string_view stem, const Options& options) {
  auto emitted_before = [&](size_t i, size_t limit) {
    for (size_t j = 0; j < limit; ++j)
      if (data[j].ai == data[i].ai) return true;
    return false;
  };
  auto in_path = [&](size_t i) {
    for (size_t p : path)
      if (data[p].ai == data[i].ai) return true;
    return false;
  };
  auto fnc1_required = [](const AiElement& el) {
    return el.entry == nullptr || el.entry->fnc1_required;
  };

  std::string uri(stem);
  if (!uri.empty() && uri.back() == '/') uri.pop_back();
  for (size_t p : path) {
    AiElement el = data[p];
    uri += '/';
    uri += el.ai;
    uri += '/';
    append_uri_escaped(uri, el.value, UriComponent::kPath);
  }
  // GS1 DL URI Syntax 1.x §4.6: the rest as attributes, predefined-length AIs first,
  // each AI once.
  char separator = '?';
  for (bool fixed : {true, false}) {
    for (size_t i = 0; i < data.size(); ++i) {
      AiElement el = data[i];
      if (fnc1_required(el) == fixed || in_path(i) || emitted_before(i, i)) continue;
      if (!is_data_attribute(el.entry, options))
        return unexpected(make_error(
            ErrorCode::AI_IS_NOT_VALID_DATA_ATTRIBUTE, el.ai, el.position, 0,
            "AI (" + std::string(el.ai) + ") may not be a GS1 Digital Link data attribute"));
      uri += separator;
      separator = '&';
      uri += el.ai;
      uri += '=';
      append_uri_escaped(uri, el.value, UriComponent::kQuery);
    }
  }
  return uri;
}

}  // namespace

Result<std::string> to_digital_link(const AiData& data, std::string_view stem,
                                    const Options& options) {
  // GS1 DL URI Syntax 1.x §4.4: the first AI that is a primary key leads the path.
  for (size_t i = 0; i < data.size(); ++i)
    if (is_primary_key(data[i].entry)) return generate(data, choose_path(data, i), stem, options);
  return unexpected(make_error(ErrorCode::CANNOT_CREATE_DL_URI_WITHOUT_PRIMARY_KEY_AI, {}, 0, 0,
                               "no AI of the data is a GS1 Digital Link primary key"));
}

Result<std::string> to_digital_link(const DigitalLink& dl, std::string_view stem,
                                    const Options& options) {
  if (dl.path_ai_count == 0 || dl.path_ai_count > dl.data.size())
    return to_digital_link(dl.data, stem, options);
  std::vector<size_t> path(dl.path_ai_count);
  for (size_t i = 0; i < path.size(); ++i) path[i] = i;
  return generate(dl.data, path, stem, options);
}

}  // namespace serialtrack::gs1

// Element strings: GS1 GenSpecs 3 (AIs), 7.8 (element string processing) and the
// processing rules of GS1's reference parser, whose error codes we keep.
#include "gs1/element_string.h"

#include <cstring>

namespace serialtrack::gs1 {
namespace {

constexpr char kGS = '\x1D';

bool is_fnc1(char c) { return c == '^' || c == kGS; }

// The character-set linter that applies before a component's own linters.
lint::Linter cset_linter(Cset cset) {
  switch (cset) {
    case Cset::N: return lint::csetnumeric;
    case Cset::X: return lint::cset82;
    case Cset::Y: return lint::cset39;
    case Cset::Z: return lint::cset64;
  }
  return lint::cset82;
}

Error lint_error(const AiEntry& entry, std::string_view ai, lint::Outcome o, size_t position) {
  Error e = make_error(ErrorCode::AI_LINTER_ERROR, ai, position + o.position, o.length);
  e.lint = o.code;
  e.message = "AI (" + std::string(ai) + "): " + std::string(lint_name(o.code));
  (void)entry;
  return e;
}

// Checks the components of one AI's data, starting at data[0] and running at most to
// data.size() (the next FNC1 or the end). Returns how much was consumed, or an error.
// GenSpecs 7.8: each component takes up to its maximum; an optional component may
// be absent only once the data is exhausted.
Result<size_t> check_components(const AiEntry& entry, std::string_view ai, std::string_view data,
                                size_t position) {
  if (data.empty())
    return unexpected(make_error(ErrorCode::AI_DATA_IS_EMPTY, ai, position, 0,
                                 "AI (" + std::string(ai) + ") data is empty"));
  size_t p = 0;
  for (size_t c = 0; c < entry.component_count; ++c) {
    const AiComponent& part = entry.components[c];
    size_t len = std::min<size_t>(data.size() - p, part.max);
    if (part.optional && len == 0) continue;
    if (len < part.min)
      return unexpected(make_error(ErrorCode::AI_DATA_HAS_INCORRECT_LENGTH, ai, position + p, len,
                                   "AI (" + std::string(ai) + ") data has incorrect length"));
    std::string_view comp = data.substr(p, len);
    if (auto o = cset_linter(part.cset)(comp); !o.ok())
      return unexpected(lint_error(entry, ai, o, position + p));
    for (lint::Linter l : part.linters) {
      if (l == nullptr) break;
      if (auto o = l(comp); !o.ok()) return unexpected(lint_error(entry, ai, o, position + p));
    }
    p += len;
  }
  return p;
}

// Splits "linear|composite" (GenSpecs 5.11: a 2D component follows the linear one).
// Returns the position of '|' or npos.
size_t composite_separator(std::string_view input) { return input.find('|'); }

std::optional<Error> parse_bracketed_part(std::string_view in, size_t base, AiData& out,
                                          const Options& options, std::string& scratch) {
  size_t p = 0;
  const size_t n = in.size();
  if (n == 0)
    return make_error(ErrorCode::AI_PARSE_FAILED, {}, base, 0, "empty element string");
  // First pass: split into AIs and values; check lengths and '^' (as the reference
  // parser does, so a value that is too long is reported before its check digit).
  size_t first = out.size();
  while (p < n) {
    if (in[p] != '(')
      return make_error(ErrorCode::AI_PARSE_FAILED, {}, base + p, 1,
                        "expected '(' to start an AI at position " + std::to_string(base + p));
    size_t ai_start = ++p;
    size_t close = in.find(')', p);
    if (close == std::string_view::npos)
      return make_error(ErrorCode::AI_PARSE_FAILED, {}, base + ai_start - 1, n - ai_start + 1,
                        "AI is not closed by ')'");
    std::string_view ai = in.substr(ai_start, close - ai_start);
    const AiEntry* entry = lookup_ai(in.substr(ai_start), ai.size(), options.permit_unknown_ais);
    if (entry == nullptr)
      return make_error(ErrorCode::AI_UNRECOGNISED, ai, base + ai_start, ai.size(),
                        "unrecognised AI (" + std::string(ai) + ")");
    size_t v = close + 1;
    if (v == n)
      return make_error(ErrorCode::AI_PARSE_FAILED, ai, base + v, 0,
                        "AI (" + std::string(ai) + ") has no value");
    // The value runs to the next unescaped '('; "\(" is a literal bracket.
    size_t b = in.find('(', v);
    if (b == std::string_view::npos) b = n;
    std::string_view value = in.substr(v, b - v);
    if (b < n && in[b - 1] == '\\') {  // rare: unescape into scratch
      scratch.clear();
      size_t r = v;
      for (;;) {
        if (b < n && b > r && in[b - 1] == '\\') {
          scratch.append(in.substr(r, b - 1 - r));
          scratch.push_back('(');
          r = b + 1;
          b = in.find('(', r);
          if (b == std::string_view::npos) b = n;
          continue;
        }
        scratch.append(in.substr(r, b - r));
        break;
      }
      value = scratch;
    }
    p = b;
    if (auto e = check_value_length(*entry, ai, value, base + v, p - v)) return e;
    out.add(ai, value, entry, base + v);
  }
  // Second pass: the components and their linters.
  for (size_t i = first; i < out.size(); ++i) {
    AiElement el = out[i];
    auto consumed = check_components(*el.entry, el.ai, el.value, el.position);
    if (!consumed) return std::move(consumed).error();
  }
  return std::nullopt;
}

std::optional<Error> parse_unbracketed_part(std::string_view in, size_t base, AiData& out,
                                            const Options& options) {
  if (in.empty() || !is_fnc1(in[0]))
    return make_error(ErrorCode::NOT_AI_DATA, {}, base, 0,
                      "not GS1 AI data: the message does not start with FNC1");
  size_t p = 1;
  const size_t n = in.size();
  if (p == n) return make_error(ErrorCode::AI_DATA_EMPTY, {}, base, 1, "the AI data is empty");
  while (p < n) {
    const AiEntry* entry = lookup_ai(in.substr(p), 0, options.permit_unknown_ais);
    if (entry == nullptr)
      return make_error(ErrorCode::NO_AI_FOR_PREFIX, {}, base + p, std::min<size_t>(4, n - p),
                        "no known AI is a prefix of \"" + std::string(in.substr(p, 4)) + "...\"");
    size_t ai_len = entry->ai.empty() ? ai_length_for_prefix(in.substr(p)) : entry->ai.size();
    std::string_view ai = in.substr(p, ai_len);
    p += ai_len;
    size_t r = p;
    while (r < n && !is_fnc1(in[r])) ++r;
    auto consumed = check_components(*entry, ai, in.substr(p, r - p), base + p);
    if (!consumed) return std::move(consumed).error();
    out.add(ai, in.substr(p, *consumed), entry, base + p);
    p += *consumed;
    if (entry->fnc1_required && p != r)
      return make_error(ErrorCode::AI_DATA_IS_TOO_LONG, ai, base + p, r - p,
                        "AI (" + std::string(ai) + ") data is too long");
    if (p < n && is_fnc1(in[p])) ++p;  // also after a fixed-length AI
  }
  return std::nullopt;
}

template <typename PartParser>
std::optional<Error> parse_with_composite(std::string_view input, AiData& out,
                                          const Options& options, PartParser&& part) {
  out.clear();
  size_t bar = options.composite_separator ? composite_separator(input) : std::string_view::npos;
  if (bar == std::string_view::npos) {
    if (auto e = part(input, 0)) return e;
  } else {
    if (auto e = part(input.substr(0, bar), 0)) return e;
    out.mark_composite_start();
    if (auto e = part(input.substr(bar + 1), bar + 1)) return e;
  }
  if (options.check_associations) return validate_associations(out, options);
  return std::nullopt;
}

}  // namespace

std::optional<Error> check_value_length(const AiEntry& entry, std::string_view ai,
                                        std::string_view value, size_t position, size_t span) {
  if (value.size() < entry.min_length())
    return make_error(ErrorCode::AI_VALUE_IS_TOO_SHORT, ai, position, span,
                      "value of AI (" + std::string(ai) + ") is too short");
  if (value.size() > entry.max_length())
    return make_error(ErrorCode::AI_VALUE_IS_TOO_LONG, ai, position, span,
                      "value of AI (" + std::string(ai) + ") is too long");
  if (auto caret = value.find('^'); caret != std::string_view::npos) {
    // Point at the '^' itself when the value is the input's text as it stands.
    bool verbatim = value.size() == span;
    return make_error(ErrorCode::AI_CONTAINS_ILLEGAL_CARAT_CHARACTER, ai,
                      verbatim ? position + caret : position, verbatim ? 1 : span,
                      "value of AI (" + std::string(ai) + ") contains '^'");
  }
  return std::nullopt;
}

std::optional<Error> check_ai_value(const AiEntry& entry, std::string_view value,
                                    size_t position) {
  std::string_view ai = entry.ai;
  if (auto e = check_value_length(entry, ai, value, position, value.size())) return e;
  auto consumed = check_components(entry, ai, value, position);
  if (!consumed) return std::move(consumed).error();
  return std::nullopt;
}

std::optional<Error> parse_bracketed_into(std::string_view input, AiData& out,
                                          const Options& options) {
  thread_local std::string scratch;
  return parse_with_composite(input, out, options, [&](std::string_view part, size_t base) {
    return parse_bracketed_part(part, base, out, options, scratch);
  });
}

std::optional<Error> parse_unbracketed_into(std::string_view input, AiData& out,
                                            const Options& options) {
  if (input.empty())
    return make_error(ErrorCode::NOT_AI_DATA, {}, 0, 0, "the input is empty");
  return parse_with_composite(input, out, options, [&](std::string_view part, size_t base) {
    return parse_unbracketed_part(part, base, out, options);
  });
}

Result<AiData> parse_bracketed(std::string_view input, const Options& options) {
  AiData d;
  if (auto e = parse_bracketed_into(input, d, options)) return unexpected(std::move(*e));
  return d;
}

Result<AiData> parse_unbracketed(std::string_view input, const Options& options) {
  AiData d;
  if (auto e = parse_unbracketed_into(input, d, options)) return unexpected(std::move(*e));
  return d;
}

std::string to_bracketed(const AiData& data) {
  std::string s;
  for (size_t i = 0; i < data.size(); ++i) {
    if (i == data.composite_start() && i != 0) s += '|';
    AiElement el = data[i];
    s += '(';
    s += el.ai;
    s += ')';
    for (char c : el.value) {
      if (c == '(') s += '\\';
      s += c;
    }
  }
  return s;
}

std::string to_unbracketed(const AiData& data, char fnc1) {
  std::string s;
  s += fnc1;
  for (size_t i = 0; i < data.size(); ++i) {
    AiElement el = data[i];
    s += el.ai;
    s += el.value;
    bool last_of_part = i + 1 == data.size() || i + 1 == data.composite_start();
    if (last_of_part && i + 1 < data.size()) {
      s += '|';
      s += fnc1;
    } else if (!last_of_part && (el.entry == nullptr || el.entry->fnc1_required)) {
      s += fnc1;
    }
  }
  return s;
}

std::vector<std::string> to_hri(const AiData& data, bool with_titles) {
  std::vector<std::string> lines;
  lines.reserve(data.size());
  for (AiElement el : data) {
    std::string line;
    std::string_view title = el.entry != nullptr ? el.entry->title : std::string_view();
    if (with_titles && !title.empty()) {  // coupons (8110, 8112) have no title
      line += title;
      line += ' ';
    }
    line += '(';
    line += el.ai;
    line += ") ";
    line += el.value;
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace serialtrack::gs1

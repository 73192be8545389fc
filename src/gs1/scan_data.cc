#include "gs1/scan_data.h"

#include "gs1/check_digit.h"
#include "gs1/digital_link.h"
#include "gs1/element_string.h"

namespace serialtrack::gs1 {
namespace {

constexpr char kGs = '\x1D';

struct SymbologyName {
  Symbology symbology;
  std::string_view name;
};
constexpr SymbologyName kNames[] = {
    {Symbology::kNone, "NONE"},
    {Symbology::kDataBarOmni, "DataBarOmni"},
    {Symbology::kDataBarTruncated, "DataBarTruncated"},
    {Symbology::kDataBarStacked, "DataBarStacked"},
    {Symbology::kDataBarStackedOmni, "DataBarStackedOmni"},
    {Symbology::kDataBarLimited, "DataBarLimited"},
    {Symbology::kDataBarExpanded, "DataBarExpanded"},
    {Symbology::kUpcA, "UPCA"},
    {Symbology::kUpcE, "UPCE"},
    {Symbology::kEan13, "EAN13"},
    {Symbology::kEan8, "EAN8"},
    {Symbology::kGs1_128_CCA, "GS1_128_CCA"},
    {Symbology::kGs1_128_CCC, "GS1_128_CCC"},
    {Symbology::kQr, "QR"},
    {Symbology::kDataMatrix, "DM"},
    {Symbology::kDotCode, "DotCode"},
};

// AIM symbology identifiers (ISO/IEC 15424; GS1 GenSpecs Figure 5.1.2-1) as read:
// the first symbology that sends each one, and whether its data is GS1 AI data.
struct SymbologyId {
  std::string_view id;
  Symbology symbology;
  bool gs1;
};
constexpr SymbologyId kIds[] = {
    {"C1", Symbology::kGs1_128_CCA, true}, {"E0", Symbology::kEan13, false},
    {"E4", Symbology::kEan8, false},       {"e0", Symbology::kDataBarExpanded, true},
    {"d1", Symbology::kDataMatrix, false}, {"d2", Symbology::kDataMatrix, true},
    {"Q1", Symbology::kQr, false},         {"Q3", Symbology::kQr, true},
    {"J0", Symbology::kDotCode, false},    {"J1", Symbology::kDotCode, true},
};

bool all_digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

bool is_dl_scheme(std::string_view s) {
  return s.starts_with("https://") || s.starts_with("HTTPS://") || s.starts_with("http://") ||
         s.starts_with("HTTP://");
}

// Moves an error of a parser that read text starting at offset of the caller's input.
Error shifted(Error e, size_t offset) {
  e.position += offset;
  return e;
}

// Appends a message part as a reader sends it: GS1 data without its leading FNC1 and
// with GS for each later FNC1; plain data with an escaped leading "\^" unescaped.
void append_transmitted(std::string& out, std::string_view part) {
  if (!part.empty() && part[0] == '^') {
    for (char c : part.substr(1)) out += c == '^' ? kGs : c;
    return;
  }
  size_t r = 0;
  while (r < part.size() && part[r] == '\\') ++r;
  if (r < part.size() && part[r] == '^') part.remove_prefix(1);
  out += part;
}

// GS1 GenSpecs 7.9.1: the primary data of EAN/UPC and GS1 DataBar is a GTIN of length
// digits whose last is the mod-10 check digit (computed with add_check_digit).
Result<std::string> primary_data(std::string_view digits, size_t length, bool add_check_digit) {
  if (digits.size() != (add_check_digit ? length - 1 : length)) {
    if (add_check_digit)
      return unexpected(make_error(
          ErrorCode::PRIMARY_DATA_MUST_BE_N_DIGITS_WITHOUT_CHECK_DIGIT, {}, 0, digits.size(),
          "primary data must be " + std::to_string(length - 1) + " digits without check digit"));
    return unexpected(make_error(ErrorCode::PRIMARY_DATA_MUST_BE_N_DIGITS, {}, 0, digits.size(),
                                 "primary data must be " + std::to_string(length) + " digits"));
  }
  if (!all_digits(digits))
    return unexpected(make_error(ErrorCode::PRIMARY_DATA_MUST_BE_ALL_DIGITS, {}, 0, digits.size()));
  std::string primary(digits);
  if (add_check_digit) {
    primary += *mod10_check_digit(digits);
  } else if (!mod10_valid(digits)) {
    return unexpected(
        make_error(ErrorCode::PRIMARY_DATA_CHECK_DIGIT_IS_INCORRECT, {}, digits.size() - 1, 1));
  }
  return primary;
}

Error needs_gs1_data(std::string_view what) {
  return make_error(ErrorCode::NOT_AI_DATA, {}, 0, 0,
                    std::string(what) + " needs GS1 AI data beginning with FNC1 ('^')");
}

}  // namespace

std::string_view symbology_name(Symbology symbology) {
  for (const auto& n : kNames)
    if (n.symbology == symbology) return n.name;
  return "NONE";
}

std::optional<Symbology> symbology_from_name(std::string_view name) {
  for (const auto& n : kNames)
    if (n.name == name) return n.symbology;
  return std::nullopt;
}

std::optional<Error> parse_scan_data_into(std::string_view scan, ScanData& out,
                                          const Options& options) {
  out.symbology = Symbology::kNone;
  out.message.clear();
  out.data.clear();
  out.digital_link = false;

  // ISO/IEC 15424: "]" then the symbology character and a modifier.
  if (scan.size() < 3 || scan[0] != ']')
    return make_error(ErrorCode::MISSING_SYMBOLOGY_IDENTIFIER, {}, 0,
                      std::min<size_t>(3, scan.size()));
  const SymbologyId* sym = nullptr;
  for (const auto& s : kIds)
    if (s.id == scan.substr(1, 2)) sym = &s;
  if (sym == nullptr) return make_error(ErrorCode::UNSUPPORTED_SYMBOLOGY_IDENTIFIER, {}, 0, 3);
  std::string_view data = scan.substr(3);
  size_t offset = 3;  // of data in scan
  bool gs1 = sym->gs1;

  // GS1 GenSpecs 5.1.2: EAN/UPC send the primary GTIN digits; a composite component
  // follows as a second message "|]e0...".
  if (sym->symbology == Symbology::kEan13 || sym->symbology == Symbology::kEan8) {
    size_t length = sym->symbology == Symbology::kEan13 ? 13 : 8;
    if (data.size() < length)
      return make_error(ErrorCode::PRIMARY_SCAN_DATA_IS_TOO_SHORT, {}, offset, data.size());
    bool composite = data.substr(length, 4) == "|]e0";
    if (!composite && data.size() > length)
      return make_error(ErrorCode::PRIMARY_MESSAGE_IS_TOO_LONG, {}, offset + length,
                        data.size() - length);
    std::string_view primary = data.substr(0, length);
    if (!all_digits(primary))
      return make_error(ErrorCode::PRIMARY_MESSAGE_MAY_ONLY_CONTAIN_DIGITS, {}, offset, length);
    if (!mod10_valid(primary))
      return make_error(ErrorCode::PRIMARY_MESSAGE_CHECK_DIGIT_IS_INCORRECT, {},
                        offset + length - 1, 1);
    out.message = primary;
    if (!composite) {
      out.symbology = sym->symbology;
      return std::nullopt;
    }
    out.message += '|';
    data = data.substr(length + 4);
    offset += length + 4;
    gs1 = true;
  }

  if (gs1) {
    // GS1 GenSpecs 7.8.3: '^' is not a CSET 82 character; here it would pass for FNC1.
    if (size_t caret = data.find('^'); caret != std::string_view::npos)
      return make_error(ErrorCode::SCAN_DATA_CONTAINS_ILLEGAL_CARAT, {}, offset + caret, 1);
    size_t start = out.message.size();
    out.message += '^';
    for (char c : data) out.message += c == kGs ? '^' : c;
    Options transmitted = options;
    transmitted.composite_separator = false;  // a '|' sent by the reader is data
    if (auto e = parse_unbracketed_into(std::string_view(out.message).substr(start), out.data,
                                        transmitted))
      return shifted(std::move(*e), offset - 1);
    out.symbology = sym->symbology;
    return std::nullopt;
  }

  // Plain data: a leading '^' (after any backslashes) is escaped so that it is not
  // taken for FNC1 in GS1's notation.
  size_t r = 0;
  while (r < data.size() && data[r] == '\\') ++r;
  if (r < data.size() && data[r] == '^') out.message += '\\';
  out.message += data;
  // GS1 DL URI Syntax 1.x §4.1: plain data that is an http(s) URI is read as a DL URI.
  if (is_dl_scheme(data)) {
    if (auto e = parse_digital_link_into(data, out.data, nullptr, options))
      return shifted(std::move(*e), offset);
    out.digital_link = true;
  }
  out.symbology = sym->symbology;
  return std::nullopt;
}

Result<ScanData> parse_scan_data(std::string_view scan, const Options& options) {
  ScanData s;
  if (auto e = parse_scan_data_into(scan, s, options)) return unexpected(std::move(*e));
  return s;
}

Result<std::string> to_scan_data(Symbology symbology, std::string_view message,
                                 const Options& options) {
  size_t bar = message.find('|');
  std::string_view linear = message.substr(0, bar);
  std::string_view composite =
      bar == std::string_view::npos ? std::string_view() : message.substr(bar + 1);
  bool has_composite = bar != std::string_view::npos;
  bool gs1 = !linear.empty() && linear[0] == '^';

  // GS1 data is validated as an element string (linear and composite together).
  AiData data;
  if (gs1) {
    if (auto e = parse_unbracketed_into(message, data, options)) return unexpected(std::move(*e));
  } else if (has_composite && !composite.empty() && composite[0] == '^' &&
             symbology != Symbology::kQr && symbology != Symbology::kDataMatrix &&
             symbology != Symbology::kDotCode) {
    if (auto e = parse_unbracketed_into(composite, data, options))
      return unexpected(shifted(std::move(*e), bar + 1));
  }
  auto require_gs1_composite = [&]() -> std::optional<Error> {
    if (has_composite && (composite.empty() || composite[0] != '^'))
      return needs_gs1_data("a composite component");
    return std::nullopt;
  };

  std::string out;
  switch (symbology) {
    case Symbology::kQr:
    case Symbology::kDataMatrix:
    case Symbology::kDotCode: {
      // GS1 GenSpecs 5.1.2: the modifier says GS1 data (FNC1 first) or plain data.
      const char* ids[3][2] = {{"]Q1", "]Q3"}, {"]d1", "]d2"}, {"]J0", "]J1"}};
      int row = symbology == Symbology::kQr ? 0 : symbology == Symbology::kDataMatrix ? 1 : 2;
      out = ids[row][gs1 ? 1 : 0];
      if (!gs1) {
        if (is_dl_scheme(message))
          if (auto e = parse_digital_link_into(message, data, nullptr, options))
            return unexpected(std::move(*e));
        append_transmitted(out, message);  // '|' is data here
        return out;
      }
      if (has_composite)
        return unexpected(make_error(ErrorCode::NOT_AI_DATA, {}, bar, 1,
                                     "a 2D symbology has no composite component"));
      append_transmitted(out, linear);
      return out;
    }
    case Symbology::kGs1_128_CCA:
    case Symbology::kGs1_128_CCC:
      if (!has_composite) {
        if (!gs1) return unexpected(needs_gs1_data("GS1-128"));
        out = "]C1";
        append_transmitted(out, linear);
        return out;
      }
      [[fallthrough]];  // GS1 GenSpecs 5.1.2: GS1-128 with a composite sends "]e0"
    case Symbology::kDataBarExpanded: {
      if (!gs1) return unexpected(needs_gs1_data(symbology_name(symbology)));
      if (auto e = require_gs1_composite()) return unexpected(std::move(*e));
      out = "]e0";
      append_transmitted(out, linear);
      if (has_composite) {
        // An FNC1 separates the components after a variable-length AI (GenSpecs 7.8.5).
        size_t last =
            data.composite_start() == AiData::kNoComposite ? data.size() : data.composite_start();
        if (last > 0) {
          const AiEntry* entry = data[last - 1].entry;
          if (entry == nullptr || entry->fnc1_required) out += kGs;
        }
        append_transmitted(out, composite);
      }
      return out;
    }
    case Symbology::kDataBarOmni:
    case Symbology::kDataBarTruncated:
    case Symbology::kDataBarStacked:
    case Symbology::kDataBarStackedOmni:
    case Symbology::kDataBarLimited: {
      // GS1 GenSpecs 5.5.2: GS1 DataBar linear symbols hold a GTIN-14, sent as AI (01).
      std::string_view digits = linear.starts_with("^01") ? linear.substr(3) : linear;
      auto primary = primary_data(digits, 14, options.add_check_digit);
      if (!primary) return unexpected(std::move(primary).error());
      // GS1 GenSpecs 5.5.2.4: GS1 DataBar Limited holds GTINs below 2000000000000x.
      if (symbology == Symbology::kDataBarLimited && (*primary)[0] > '1')
        return unexpected(make_error(ErrorCode::PRIMARY_DATA_IS_TOO_LARGE, "01", 0, 14));
      if (auto e = require_gs1_composite()) return unexpected(std::move(*e));
      out = "]e001";
      out += *primary;
      if (has_composite) append_transmitted(out, composite);
      return out;
    }
    case Symbology::kUpcA:
    case Symbology::kUpcE:
    case Symbology::kEan13:
    case Symbology::kEan8: {
      // GS1 GenSpecs 5.2: EAN-13 and UPC send 13 digits ("]E0", UPC with a leading
      // 0), EAN-8 sends 8 ("]E4"); a composite follows as a new message "|]e0".
      size_t length = symbology == Symbology::kEan13 ? 13 : symbology == Symbology::kEan8 ? 8 : 12;
      size_t ai_zeros = 17 - length;  // "^01" and the GTIN-14's leading zeros
      std::string_view digits = linear;
      if (linear.size() >= ai_zeros &&
          linear.substr(0, ai_zeros) == std::string_view("^01000000").substr(0, ai_zeros))
        digits = linear.substr(ai_zeros);
      auto primary = primary_data(digits, length, options.add_check_digit);
      if (!primary) return unexpected(std::move(primary).error());
      if (auto e = require_gs1_composite()) return unexpected(std::move(*e));
      out = symbology == Symbology::kEan8 ? "]E4" : "]E0";
      if (length == 12) out += '0';
      out += *primary;
      if (has_composite) {
        out += "|]e0";
        append_transmitted(out, composite);
      }
      return out;
    }
    case Symbology::kNone:
      break;
  }
  return unexpected(
      make_error(ErrorCode::UNSUPPORTED_SYMBOLOGY_IDENTIFIER, {}, 0, 0, "no symbology given"));
}

}  // namespace serialtrack::gs1

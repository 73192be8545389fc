// EPC binary encodings of the GS1 EPC Tag Data Standard 1.13, section 14: header,
// filter, partition table, and the integer, string and numeric-string fields.
#include <algorithm>
#include <array>

#include "gs1/epc.h"

namespace serialtrack::gs1 {

namespace {

// The partition tables of TDS 14.5: GS1 Company Prefix bits/digits per partition value
// are common to all schemes (Tables 14-2 ... 14-21); what follows the GCP differs.
constexpr uint8_t kGcpBits[7] = {40, 37, 34, 30, 27, 24, 20};

enum class Partition : uint8_t {
  NONE,     // GID-96 has no partition
  GTIN13,   // TDS Table 14-2 SGTIN / 14-29 ITIP: indicator + item reference
  SSCC17,   // TDS Table 14-5 SSCC, 14-14 GSRN: extension digit + serial reference
  GLN12,    // TDS Table 14-7 SGLN, 14-17 GDTI, 14-20 SGCN: reference, 0-6 digits
  GRAI12,   // TDS Table 14-9 GRAI: asset type, 0-6 digits, wider field
  GIAI96,   // TDS Table 14-12 GIAI-96: integer asset reference
  GIAI202,  // TDS Table 14-13 GIAI-202: 7-bit string asset reference
  CPI96,    // TDS Table 14-23 CPI-96: integer component/part reference
  CPIVAR,   // TDS Table 14-24 CPI-var: 6-bit string component/part reference
};

struct PartitionTable {
  uint8_t ref_bits[7];
  uint8_t ref_digits0;  // digits (or characters) at partition 0; +1 per partition
};

constexpr PartitionTable kPartitions[] = {
    {{0, 0, 0, 0, 0, 0, 0}, 0},                 // NONE
    {{4, 7, 10, 14, 17, 20, 24}, 1},            // GTIN13
    {{18, 21, 24, 28, 31, 34, 38}, 5},          // SSCC17
    {{1, 4, 7, 11, 14, 17, 21}, 0},             // GLN12
    {{4, 7, 10, 14, 17, 20, 24}, 0},            // GRAI12
    {{42, 45, 48, 52, 55, 58, 62}, 13},         // GIAI96
    {{148, 151, 154, 158, 161, 164, 168}, 18},  // GIAI202
    {{11, 14, 17, 21, 24, 27, 31}, 3},          // CPI96
    {{114, 120, 126, 132, 138, 144, 150}, 18},  // CPIVAR
};

enum class Field : uint8_t {
  NONE,          // no serial: SSCC, GSRN, GSRNP (24 reserved bits instead)
  INTEGER,       // TDS 14.3.1 integer: decimal without leading zeros
  STRING7,       // TDS 14.3.2 string: 7-bit characters, zero-terminated / zero-filled
  NUMSTR,        // TDS 14.3.8 numeric string: '1' + digits as an integer (SGCN)
  IN_PARTITION,  // GIAI: the asset reference is the partitioned field itself
};

struct Layout {
  TagScheme tag;
  EpcScheme epc;
  std::string_view name;
  uint8_t header;  // TDS Table 14-1
  uint16_t bits;
  Partition partition;
  Field serial;
  uint8_t serial_bits;
  uint8_t max_chars;      // STRING7 serial: maximum characters
  uint8_t reserved_bits;  // zero bits after the reference
};

// TDS 14.5.x: the layout of each scheme, in TagScheme order.
constexpr Layout kLayouts[] = {
    {TagScheme::SGTIN_96, EpcScheme::SGTIN, "sgtin-96", 0x30, 96, Partition::GTIN13, Field::INTEGER,
     38, 0, 0},
    {TagScheme::SGTIN_198, EpcScheme::SGTIN, "sgtin-198", 0x36, 198, Partition::GTIN13,
     Field::STRING7, 140, 20, 0},
    {TagScheme::SSCC_96, EpcScheme::SSCC, "sscc-96", 0x31, 96, Partition::SSCC17, Field::NONE, 0, 0,
     24},
    {TagScheme::SGLN_96, EpcScheme::SGLN, "sgln-96", 0x32, 96, Partition::GLN12, Field::INTEGER, 41,
     0, 0},
    {TagScheme::SGLN_195, EpcScheme::SGLN, "sgln-195", 0x39, 195, Partition::GLN12, Field::STRING7,
     140, 20, 0},
    {TagScheme::GRAI_96, EpcScheme::GRAI, "grai-96", 0x33, 96, Partition::GRAI12, Field::INTEGER,
     38, 0, 0},
    {TagScheme::GRAI_170, EpcScheme::GRAI, "grai-170", 0x37, 170, Partition::GRAI12, Field::STRING7,
     112, 16, 0},
    {TagScheme::GIAI_96, EpcScheme::GIAI, "giai-96", 0x34, 96, Partition::GIAI96,
     Field::IN_PARTITION, 0, 0, 0},
    {TagScheme::GIAI_202, EpcScheme::GIAI, "giai-202", 0x38, 202, Partition::GIAI202,
     Field::IN_PARTITION, 0, 0, 0},
    {TagScheme::GSRN_96, EpcScheme::GSRN, "gsrn-96", 0x2D, 96, Partition::SSCC17, Field::NONE, 0, 0,
     24},
    {TagScheme::GSRNP_96, EpcScheme::GSRNP, "gsrnp-96", 0x2E, 96, Partition::SSCC17, Field::NONE, 0,
     0, 24},
    {TagScheme::GDTI_96, EpcScheme::GDTI, "gdti-96", 0x2C, 96, Partition::GLN12, Field::INTEGER, 41,
     0, 0},
    {TagScheme::GDTI_174, EpcScheme::GDTI, "gdti-174", 0x3E, 174, Partition::GLN12, Field::STRING7,
     119, 17, 0},
    {TagScheme::SGCN_96, EpcScheme::SGCN, "sgcn-96", 0x3F, 96, Partition::GLN12, Field::NUMSTR, 41,
     12, 0},
    {TagScheme::CPI_96, EpcScheme::CPI, "cpi-96", 0x3C, 96, Partition::CPI96, Field::INTEGER, 31, 0,
     0},
    {TagScheme::CPI_VAR, EpcScheme::CPI, "cpi-var", 0x3D, 244, Partition::CPIVAR, Field::INTEGER,
     40, 0, 0},
    {TagScheme::ITIP_110, EpcScheme::ITIP, "itip-110", 0x40, 110, Partition::GTIN13, Field::INTEGER,
     38, 0, 0},
    {TagScheme::ITIP_212, EpcScheme::ITIP, "itip-212", 0x41, 212, Partition::GTIN13, Field::STRING7,
     140, 20, 0},
    {TagScheme::GID_96, EpcScheme::GID, "gid-96", 0x35, 96, Partition::NONE, Field::INTEGER, 36, 0,
     0},
};

const Layout* layout_for_header(uint8_t header) {
  for (const Layout& l : kLayouts) {
    if (l.header == header) return &l;
  }
  return nullptr;
}

const Layout& layout(TagScheme s) {
  return kLayouts[static_cast<size_t>(s)];
}

constexpr uint64_t kPow10[] = {1ULL,
                               10ULL,
                               100ULL,
                               1000ULL,
                               10000ULL,
                               100000ULL,
                               1000000ULL,
                               10000000ULL,
                               100000000ULL,
                               1000000000ULL,
                               10000000000ULL,
                               100000000000ULL,
                               1000000000000ULL,
                               10000000000000ULL,
                               100000000000000ULL,
                               1000000000000000ULL,
                               10000000000000000ULL,
                               100000000000000000ULL,
                               1000000000000000000ULL,
                               10000000000000000000ULL};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// GS1 GenSpecs Figure 7.11-1: CSET 82.
bool is_cset82(char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c)) return true;
  return std::string_view("!\"%&'()*+,-./:;<=>?_").find(c) != std::string_view::npos;
}

int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

constexpr size_t kMaxBytes = 40;  // 320 bits: room for the longest scheme (CPI-var, 244)

// Big-endian bit access to the EPC bank (TDS 15.1: bit 0x20 is the MSB of the header).
class Bits {
 public:
  uint64_t read(size_t n) {  // n <= 64
    if (n > 32) {
      uint64_t hi = read(n - 32);
      return (hi << 32) | read(32);
    }
    uint64_t v = 0;
    size_t byte = pos_ >> 3;
    // Load 5 bytes (40 bits) covering any 32-bit field at any bit offset.
    for (size_t i = 0; i < 5; ++i) {
      v = (v << 8) | (byte + i < kMaxBytes ? bytes_[byte + i] : 0);
    }
    size_t shift = 40 - (pos_ & 7) - n;
    pos_ += n;
    return (v >> shift) & ((n == 64 ? 0 : (uint64_t{1} << n)) - 1);
  }
  void write(uint64_t v, size_t n) {
    for (size_t i = n; i-- > 0;) {
      if ((v >> i) & 1) bytes_[pos_ >> 3] |= static_cast<uint8_t>(0x80 >> (pos_ & 7));
      ++pos_;
    }
  }
  size_t pos() const { return pos_; }
  uint8_t* bytes() { return bytes_.data(); }

 private:
  std::array<uint8_t, kMaxBytes> bytes_{};
  size_t pos_ = 0;
};

Error error(ErrorCode code, const char* message, size_t bit = 0, size_t bits = 0) {
  // Positions of binary errors count hex digits of the input.
  return make_error(code, {}, bit / 4, (bits + 3) / 4, message);
}

// Writes v as exactly width digits (zero-padded), or as few as needed when width is 0.
template <size_t N>
void assign_decimal(InlineString<N>& out, uint64_t v, size_t width) {
  char buf[20];
  size_t n = 0;
  do {
    buf[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n < width) buf[n++] = '0';
  std::reverse(buf, buf + n);
  out.assign(std::string_view(buf, n));
}

// Parses a decimal without leading zeros (TDS 14.3.1), below 2^bits.
std::optional<Error> parse_integer(std::string_view s, size_t bits, uint64_t& v, const char* what) {
  if (s.empty() || !std::all_of(s.begin(), s.end(), is_digit) || (s.size() > 1 && s[0] == '0')) {
    return error(ErrorCode::INVALID_NUMERIC_SERIAL, what);
  }
  if (s.size() > 19) return error(ErrorCode::VALUE_TOO_LARGE, what);
  v = 0;
  for (char c : s) v = v * 10 + static_cast<uint64_t>(c - '0');
  if (bits < 64 && v >= (uint64_t{1} << bits)) return error(ErrorCode::VALUE_TOO_LARGE, what);
  return std::nullopt;
}

uint64_t digits_value(std::string_view s) {
  uint64_t v = 0;
  for (char c : s) v = v * 10 + static_cast<uint64_t>(c - '0');
  return v;
}

// TDS 14.4.2 / 14.3.2: decodes a 7-bit string field of field_bits, at most max_chars.
template <size_t N>
std::optional<Error> read_string7(Bits& in, size_t field_bits, size_t max_chars,
                                  InlineString<N>& out) {
  size_t start = in.pos();
  size_t end = start + field_bits;
  char buf[N];
  size_t n = 0;
  while (n < max_chars && n < N && in.pos() + 7 <= end) {
    char c = static_cast<char>(in.read(7));
    if (c == 0) break;
    if (!is_cset82(c)) {
      return error(ErrorCode::INVALID_CHARACTER, "the string has a character outside CSET 82",
                   in.pos() - 7, 7);
    }
    buf[n++] = c;
  }
  // Everything after the last character must be zero (TDS 14.3.2 zero fill).
  while (in.pos() < end) {
    size_t take = std::min<size_t>(32, end - in.pos());
    if (in.read(take) != 0) {
      return error(ErrorCode::NON_ZERO_PADDING, "non-zero bits after the end of the string",
                   in.pos() - take, take);
    }
  }
  if (n == 0) return error(ErrorCode::EMPTY_SERIAL, "the string is empty", start, field_bits);
  out.assign(std::string_view(buf, n));
  return std::nullopt;
}

void write_string7(Bits& out, std::string_view s, size_t field_bits) {
  size_t end = out.pos() + field_bits;
  for (char c : s) out.write(static_cast<uint8_t>(c) & 0x7F, 7);
  while (out.pos() < end) out.write(0, std::min<size_t>(32, end - out.pos()));
}

// TDS 14.3.9 / 14.4.9: 6-bit CSET 39 string, zero-terminated unless it fills the field.
template <size_t N>
std::optional<Error> read_string6(Bits& in, size_t max_chars, size_t available,
                                  InlineString<N>& out) {
  char buf[N];
  size_t n = 0;
  while (n < max_chars && n < N) {
    if (in.pos() + 6 > available) return error(ErrorCode::TOO_SHORT, "the hex is too short");
    auto v = static_cast<char>(in.read(6));
    if (v == 0) break;
    char c = v < 32 ? static_cast<char>(0x40 | v) : v;  // A-Z are 1-26, the rest ASCII
    bool ok = (c >= 'A' && c <= 'Z') || is_digit(c) || c == '#' || c == '-' || c == '/';
    if (!ok) {
      return error(ErrorCode::INVALID_CHARACTER, "the string has a character outside CSET 39",
                   in.pos() - 6, 6);
    }
    buf[n++] = c;
  }
  if (n == 0) return error(ErrorCode::EMPTY_SERIAL, "the reference is empty", in.pos(), 6);
  out.assign(std::string_view(buf, n));
  return std::nullopt;
}

// Encodes the fields after the header (TDS 14.5), or says why the values do not fit.
std::optional<Error> encode(const EpcTag& tag, Bits& out) {
  const Layout& l = layout(tag.scheme);
  const Epc& e = tag.epc;
  out.write(l.header, 8);
  if (l.partition == Partition::NONE) {  // GID-96, TDS 14.5.13
    out.write(digits_value(e.company_prefix.view()), 28);
    out.write(digits_value(e.reference.view()), 24);
    out.write(digits_value(e.serial.view()), 36);
    return std::nullopt;
  }
  if (tag.filter > 7) return error(ErrorCode::INVALID_FILTER, "the filter value must be 0-7");
  out.write(tag.filter, 3);
  size_t p = 12 - e.company_prefix.size();  // TDS 14.5: partition from the GCP length
  out.write(p, 3);
  out.write(digits_value(e.company_prefix.view()), kGcpBits[p]);
  const PartitionTable& pt = kPartitions[static_cast<size_t>(l.partition)];
  size_t ref_bits = pt.ref_bits[p];
  size_t ref_digits = pt.ref_digits0 + p;
  switch (l.partition) {
    case Partition::GIAI96: {  // TDS 14.5.5: integer asset reference, no leading zeros
      uint64_t v;
      if (auto err = parse_integer(e.serial.view(), ref_bits, v,
                                   "the GIAI-96 asset reference must be an integer that fits")) {
        return err;
      }
      out.write(v, ref_bits);
      break;
    }
    case Partition::GIAI202:  // TDS 14.5.6
      if (e.serial.size() > ref_digits) {
        return error(ErrorCode::SERIAL_TOO_LONG, "the GIAI-202 asset reference is too long");
      }
      write_string7(out, e.serial.view(), ref_bits);
      break;
    case Partition::CPI96: {  // TDS 14.5.10: integer component/part reference
      std::string_view r = e.reference.view();
      if (r.empty() || r.size() > ref_digits || !std::all_of(r.begin(), r.end(), is_digit) ||
          (r.size() > 1 && r[0] == '0')) {
        return error(ErrorCode::REFERENCE_OUT_OF_RANGE,
                     "CPI-96 needs a reference of digits without leading zeros that fits");
      }
      out.write(digits_value(r), ref_bits);
      break;
    }
    case Partition::CPIVAR: {  // TDS 14.5.11: 6-bit reference, terminated if short
      std::string_view r = e.reference.view();
      if (r.size() > ref_digits) {
        return error(ErrorCode::INVALID_REFERENCE_LENGTH, "the CPI reference is too long");
      }
      for (char c : r) out.write(static_cast<uint8_t>(c) & 0x3F, 6);
      if (r.size() < ref_digits) out.write(0, 6);
      break;
    }
    default:  // fixed-width digit reference (TDS 14.3.3 integer, zero-padded on decode)
      out.write(digits_value(e.reference.view()), ref_bits);
      break;
  }
  if (l.epc == EpcScheme::ITIP) {  // TDS 14.5.12: piece and total, 7 bits each
    out.write(digits_value(e.piece.view()), 7);
    out.write(digits_value(e.total.view()), 7);
  }
  switch (l.serial) {
    case Field::INTEGER: {  // TDS 14.3.1: no leading zeros, below 2^bits
      uint64_t v;
      if (l.tag == TagScheme::CPI_VAR && e.serial.size() > 12) {
        return error(ErrorCode::SERIAL_TOO_LONG, "the CPI serial has at most 12 digits");
      }
      if (auto err = parse_integer(e.serial.view(), l.serial_bits, v,
                                   "the serial must be an integer without leading zeros")) {
        return err;
      }
      out.write(v, l.serial_bits);
      break;
    }
    case Field::STRING7:  // TDS 14.3.2
      if (e.serial.size() > l.max_chars) {
        return error(ErrorCode::SERIAL_TOO_LONG, "the serial is too long for this scheme");
      }
      write_string7(out, e.serial.view(), l.serial_bits);
      break;
    case Field::NUMSTR: {  // TDS 14.3.8: "1" + digits as an integer
      std::string_view s = e.serial.view();
      if (s.empty() || s.size() > l.max_chars || !std::all_of(s.begin(), s.end(), is_digit)) {
        return error(ErrorCode::INVALID_NUMERIC_SERIAL, "the serial must be 1-12 digits");
      }
      out.write(kPow10[s.size()] + digits_value(s), l.serial_bits);
      break;
    }
    case Field::NONE:
    case Field::IN_PARTITION:
      break;
  }
  out.write(0, l.reserved_bits);
  return std::nullopt;
}

// The identifier of each scheme's short and long forms, for AUTO (TDS 14.5).
std::pair<TagScheme, TagScheme> auto_schemes(EpcScheme s) {
  switch (s) {
    case EpcScheme::SGTIN:
      return {TagScheme::SGTIN_96, TagScheme::SGTIN_198};
    case EpcScheme::SSCC:
      return {TagScheme::SSCC_96, TagScheme::SSCC_96};
    case EpcScheme::SGLN:
      return {TagScheme::SGLN_96, TagScheme::SGLN_195};
    case EpcScheme::GRAI:
      return {TagScheme::GRAI_96, TagScheme::GRAI_170};
    case EpcScheme::GIAI:
      return {TagScheme::GIAI_96, TagScheme::GIAI_202};
    case EpcScheme::GSRN:
      return {TagScheme::GSRN_96, TagScheme::GSRN_96};
    case EpcScheme::GSRNP:
      return {TagScheme::GSRNP_96, TagScheme::GSRNP_96};
    case EpcScheme::GDTI:
      return {TagScheme::GDTI_96, TagScheme::GDTI_174};
    case EpcScheme::CPI:
      return {TagScheme::CPI_96, TagScheme::CPI_VAR};
    case EpcScheme::SGCN:
      return {TagScheme::SGCN_96, TagScheme::SGCN_96};
    case EpcScheme::ITIP:
      return {TagScheme::ITIP_110, TagScheme::ITIP_212};
    case EpcScheme::GID:
      return {TagScheme::GID_96, TagScheme::GID_96};
    case EpcScheme::LGTIN:
      break;
  }
  return {TagScheme::AUTO, TagScheme::AUTO};
}

}  // namespace

std::string_view tag_scheme_name(TagScheme scheme) {
  return scheme == TagScheme::AUTO ? std::string_view("auto") : layout(scheme).name;
}

std::optional<TagScheme> tag_scheme_from_name(std::string_view name) {
  if (name == "auto") return TagScheme::AUTO;
  for (const Layout& l : kLayouts) {
    if (l.name == name) return l.tag;
  }
  return std::nullopt;
}

size_t tag_scheme_bits(TagScheme scheme) {
  return scheme == TagScheme::AUTO ? 0 : layout(scheme).bits;
}

EpcScheme tag_scheme_identity(TagScheme scheme) {
  return scheme == TagScheme::AUTO ? EpcScheme::SGTIN : layout(scheme).epc;
}

Result<EpcTag> make_tag(const Epc& epc, TagScheme scheme, uint8_t filter) {
  if (auto err = validate_epc(epc)) return unexpected(std::move(*err));
  if (filter > 7) return unexpected(error(ErrorCode::INVALID_FILTER, "the filter must be 0-7"));
  EpcTag tag{epc, scheme, filter};
  if (scheme == TagScheme::AUTO) {
    auto [short_form, long_form] = auto_schemes(epc.scheme);
    if (short_form == TagScheme::AUTO) {
      return unexpected(error(ErrorCode::UNSUPPORTED_SCHEME, "an LGTIN has no binary encoding"));
    }
    tag.scheme = short_form;
    Bits probe;
    if (encode(tag, probe)) tag.scheme = long_form;
  } else if (layout(scheme).epc != epc.scheme) {
    return unexpected(error(ErrorCode::UNSUPPORTED_SCHEME,
                            "the binary scheme does not encode this kind of identifier"));
  }
  if (tag.scheme == TagScheme::GID_96) tag.filter = 0;
  Bits probe;
  if (auto err = encode(tag, probe)) return unexpected(std::move(*err));
  return tag;
}

Result<std::string> encode_epc_hex(const EpcTag& tag) {
  if (tag.scheme == TagScheme::AUTO) {
    return unexpected(error(ErrorCode::UNSUPPORTED_SCHEME, "choose a binary scheme"));
  }
  if (layout(tag.scheme).epc != tag.epc.scheme) {
    return unexpected(error(ErrorCode::UNSUPPORTED_SCHEME,
                            "the binary scheme does not encode this kind of identifier"));
  }
  if (auto err = validate_epc(tag.epc)) return unexpected(std::move(*err));
  Bits bits;
  if (auto err = encode(tag, bits)) return unexpected(std::move(*err));
  // TDS 15.1.1: the EPC bank holds whole 16-bit words; pad with zeros.
  size_t size = tag.scheme == TagScheme::CPI_VAR ? bits.pos() : layout(tag.scheme).bits;
  size_t hex_digits = (size + 15) / 16 * 4;
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out(hex_digits, '0');
  for (size_t i = 0; i < hex_digits; ++i) {
    uint8_t byte = bits.bytes()[i / 2];
    out[i] = kHex[i % 2 == 0 ? byte >> 4 : byte & 0xF];
  }
  return out;
}

Result<EpcTag> decode_epc_hex(std::string_view hex) {
  if (hex.empty()) return unexpected(error(ErrorCode::INVALID_HEX, "the hex is empty"));
  Bits in;
  for (size_t i = 0; i < hex.size(); ++i) {
    int v = hex_value(hex[i]);
    if (v < 0) {
      return unexpected(make_error(ErrorCode::INVALID_HEX, {}, i, 1, "not a hex digit"));
    }
    if (i / 2 < kMaxBytes) in.bytes()[i / 2] |= static_cast<uint8_t>(i % 2 == 0 ? v << 4 : v);
  }
  size_t available = std::min(hex.size(), kMaxBytes * 2) * 4;
  if (available < 8) return unexpected(error(ErrorCode::TOO_SHORT, "the hex has no header"));
  auto header = static_cast<uint8_t>(in.read(8));
  const Layout* l = layout_for_header(header);
  if (!l) {
    return unexpected(error(ErrorCode::UNKNOWN_HEADER, "not a GS1 EPC header", 0, 8));
  }
  // TDS 15.1: a fixed-size scheme needs all its bits; CPI-var is checked as it is read.
  size_t needed = l->tag == TagScheme::CPI_VAR ? 8 + 3 + 3 + 20 : l->bits;
  if (available < needed) {
    return unexpected(error(ErrorCode::TOO_SHORT, "the hex is shorter than its scheme"));
  }
  EpcTag tag;
  tag.scheme = l->tag;
  Epc& e = tag.epc;
  e.scheme = l->epc;
  if (l->partition == Partition::NONE) {  // GID-96, TDS 14.5.13
    assign_decimal(e.company_prefix, in.read(28), 0);
    assign_decimal(e.reference, in.read(24), 0);
    assign_decimal(e.serial, in.read(36), 0);
    return tag;
  }
  tag.filter = static_cast<uint8_t>(in.read(3));
  auto p = static_cast<size_t>(in.read(3));
  if (p > 6) {
    return unexpected(error(ErrorCode::INVALID_PARTITION, "partition value 7 is reserved", 8, 8));
  }
  // TDS 14.4.3: the GCP integer must have at most its partition's digits.
  size_t gcp_at = in.pos();
  uint64_t gcp = in.read(kGcpBits[p]);
  if (gcp >= kPow10[12 - p]) {
    return unexpected(error(ErrorCode::COMPANY_PREFIX_OUT_OF_RANGE,
                            "the company prefix field exceeds its partition's digits", gcp_at,
                            kGcpBits[p]));
  }
  assign_decimal(e.company_prefix, gcp, 12 - p);
  const PartitionTable& pt = kPartitions[static_cast<size_t>(l->partition)];
  size_t ref_bits = pt.ref_bits[p];
  size_t ref_digits = pt.ref_digits0 + p;
  size_t ref_at = in.pos();
  switch (l->partition) {
    case Partition::GIAI96:  // TDS 14.5.5: integer asset reference
      assign_decimal(e.serial, in.read(ref_bits), 0);
      break;
    case Partition::GIAI202:  // TDS 14.5.6: string asset reference
      if (auto err = read_string7(in, ref_bits, ref_digits, e.serial)) {
        return unexpected(std::move(*err));
      }
      break;
    case Partition::CPI96: {  // TDS 14.5.10: integer, no padding
      uint64_t v = in.read(ref_bits);
      if (v >= kPow10[ref_digits]) {
        return unexpected(error(ErrorCode::REFERENCE_OUT_OF_RANGE,
                                "the reference field exceeds its partition's digits", ref_at,
                                ref_bits));
      }
      assign_decimal(e.reference, v, 0);
      break;
    }
    case Partition::CPIVAR:  // TDS 14.5.11
      if (auto err = read_string6(in, ref_digits, available, e.reference)) {
        return unexpected(std::move(*err));
      }
      if (in.pos() + 40 > available) {
        return unexpected(error(ErrorCode::TOO_SHORT, "the hex is shorter than its scheme"));
      }
      break;
    default: {  // TDS 14.4.3: fixed-width digits, the value below 10^digits
      uint64_t v = in.read(ref_bits);
      if (v >= kPow10[ref_digits]) {
        return unexpected(error(ErrorCode::REFERENCE_OUT_OF_RANGE,
                                "the reference field exceeds its partition's digits", ref_at,
                                ref_bits));
      }
      assign_decimal(e.reference, v, ref_digits);
      if (ref_digits == 0) e.reference.assign({});
      break;
    }
  }
  if (l->epc == EpcScheme::ITIP) {  // TDS 14.5.12: two-digit piece and total
    uint64_t piece = in.read(7);
    uint64_t total = in.read(7);
    if (piece > 99 || total > 99) {
      return unexpected(error(ErrorCode::REFERENCE_OUT_OF_RANGE,
                              "ITIP piece and total have two digits", in.pos() - 14, 14));
    }
    assign_decimal(e.piece, piece, 2);
    assign_decimal(e.total, total, 2);
  }
  switch (l->serial) {
    case Field::INTEGER: {
      uint64_t v = in.read(l->serial_bits);
      if (l->tag == TagScheme::CPI_VAR && v >= kPow10[12]) {
        return unexpected(error(ErrorCode::VALUE_TOO_LARGE, "the CPI serial has 12 digits at most",
                                in.pos() - 40, 40));
      }
      assign_decimal(e.serial, v, 0);
      break;
    }
    case Field::STRING7:
      if (auto err = read_string7(in, l->serial_bits, l->max_chars, e.serial)) {
        return unexpected(std::move(*err));
      }
      break;
    case Field::NUMSTR: {  // TDS 14.4.8: the integer's digits after a leading '1'
      uint64_t v = in.read(l->serial_bits);
      InlineString<20> digits;
      assign_decimal(digits, v, 0);
      std::string_view d = digits.view();
      if (d.size() < 2 || d[0] != '1' || d.size() > 13) {
        return unexpected(error(ErrorCode::INVALID_NUMERIC_SERIAL,
                                "the numeric-string serial must start with a 1 and have 1-12 "
                                "digits after it",
                                in.pos() - l->serial_bits, l->serial_bits));
      }
      e.serial.assign(d.substr(1));
      break;
    }
    case Field::NONE:
    case Field::IN_PARTITION:
      break;
  }
  if (l->reserved_bits != 0 && in.read(l->reserved_bits) != 0) {  // TDS 14.5.2: reserved zero
    return unexpected(error(ErrorCode::NON_ZERO_PADDING, "reserved bits are not zero",
                            in.pos() - l->reserved_bits, l->reserved_bits));
  }
  if (auto err = validate_epc(e)) return unexpected(std::move(*err));
  return tag;
}

}  // namespace serialtrack::gs1

// EPC identifiers of the GS1 EPC Tag Data Standard (TDS 1.13): pure-identity URIs
// ("urn:epc:id:sgtin:0614141.812345.6789"), the LGTIN class URI
// ("urn:epc:class:lgtin:4012345.012345.998877"), EPC tag URIs with a filter value
// ("urn:epc:tag:sgtin-96:3.0614141.812345.6789"), RFID binary encodings (hex), and
// their GS1 element strings ((01)+(21), (00), (414)+(254), ...).
//
//   hex ──decode_epc_hex──▶ EpcTag ──to_tag_uri──▶ "urn:epc:tag:..."
//   EpcTag.epc ──to_epc_uri──▶ "urn:epc:id:..." ──to_ai_data──▶ AiData
//   AiData ──epc_from_ai_data(gcp length)──▶ Epc ──make_tag(scheme, filter)──▶ EpcTag
//   EpcTag ──encode_epc_hex──▶ hex
//
// Values are held unescaped in fixed inline buffers, so decoding allocates nothing.
// Every function is pure and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gs1/ai_data.h"
#include "gs1/error.h"

namespace serialtrack::gs1 {

class GcpLengthTable;

// A string of at most N characters kept inline (no heap). Not NUL-terminated.
template <size_t N>
class InlineString {
 public:
  static constexpr size_t capacity = N;
  // False (and unchanged) when s is longer than N.
  bool assign(std::string_view s) {
    if (s.size() > N) return false;
    for (size_t i = 0; i < s.size(); ++i) data_[i] = s[i];
    size_ = static_cast<uint8_t>(s.size());
    return true;
  }
  std::string_view view() const { return {data_, size_}; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  bool operator==(const InlineString& o) const { return view() == o.view(); }

 private:
  char data_[N] = {};
  uint8_t size_ = 0;
};

// The kind of identifier (TDS 6.3). LGTIN is the class (GTIN + lot) of TDS 6.4.
enum class EpcScheme : uint8_t {
  SGTIN,
  SSCC,
  SGLN,
  GRAI,
  GIAI,
  GSRN,
  GSRNP,
  GDTI,
  CPI,
  SGCN,
  ITIP,
  GID,
  LGTIN
};

// "sgtin", "sscc", ... as written in URIs.
std::string_view epc_scheme_name(EpcScheme scheme);

// One EPC pure identity (or LGTIN class). Components are unescaped:
//   company_prefix  GS1 Company Prefix (6-12 digits); GID: the manager number
//   reference       SGTIN/ITIP/LGTIN: indicator digit + item reference; SSCC: extension
//                   digit + serial reference; SGLN: location reference; GRAI: asset type;
//                   GSRN/GSRNP: service reference; GDTI: document type; SGCN: coupon
//                   reference; CPI: component/part reference; GID: object class;
//                   GIAI: empty
//   serial          SGTIN/ITIP/GRAI/GDTI/SGCN/CPI/GID serial, SGLN extension ("0": none),
//                   GIAI asset reference, LGTIN lot; empty for SSCC/GSRN/GSRNP
//   piece, total    ITIP only: two digits each
struct Epc {
  EpcScheme scheme = EpcScheme::SGTIN;
  InlineString<12> company_prefix;
  InlineString<24> reference;
  InlineString<30> serial;
  InlineString<2> piece;
  InlineString<2> total;

  bool operator==(const Epc&) const = default;
};

// RFID binary encodings (TDS 14.5). AUTO is only an argument of make_tag.
enum class TagScheme : uint8_t {
  SGTIN_96,
  SGTIN_198,
  SSCC_96,
  SGLN_96,
  SGLN_195,
  GRAI_96,
  GRAI_170,
  GIAI_96,
  GIAI_202,
  GSRN_96,
  GSRNP_96,
  GDTI_96,
  GDTI_174,
  SGCN_96,
  CPI_96,
  CPI_VAR,
  ITIP_110,
  ITIP_212,
  GID_96,
  AUTO
};

// "sgtin-96", ... ; tag_scheme_from_name also accepts "auto". nullopt when unknown.
std::string_view tag_scheme_name(TagScheme scheme);
std::optional<TagScheme> tag_scheme_from_name(std::string_view name);
// Number of significant bits of a binary encoding (CPI-VAR: its maximum).
size_t tag_scheme_bits(TagScheme scheme);
// The identifier a binary scheme encodes (SGTIN_198: SGTIN).
EpcScheme tag_scheme_identity(TagScheme scheme);

// An EPC as written to a tag: the identity, the binary scheme and the filter value.
struct EpcTag {
  Epc epc;
  TagScheme scheme = TagScheme::SGTIN_96;
  uint8_t filter = 0;  // 0-7 (TDS 10.1); GID-96 has none

  bool operator==(const EpcTag&) const = default;
};

// --- URIs (epc_uri.cc) -------------------------------------------------------------

// Parses a pure-identity URI "urn:epc:id:<scheme>:..." or an LGTIN class URI
// "urn:epc:class:lgtin:...", checking each component (TDS 6.3, 6.4). Errors:
// NOT_AN_EPC_URI, UNSUPPORTED_SCHEME, WRONG_NUMBER_OF_COMPONENTS, INVALID_COMPANY_PREFIX,
// INVALID_REFERENCE_LENGTH, INVALID_CHARACTER, INVALID_ESCAPE, SERIAL_TOO_LONG, ...
Result<Epc> parse_epc_uri(std::string_view uri);

// Checks the components of an Epc built by hand, as parse_epc_uri would. nullopt: valid.
std::optional<Error> validate_epc(const Epc& epc);

// The pure-identity (or class) URI, string components %-escaped (TDS Table A-1).
std::string to_epc_uri(const Epc& epc);

// Parses "urn:epc:tag:<scheme>-<bits>:<filter>.<...>" and checks that the values fit
// the binary scheme (TDS 12.3). Errors as parse_epc_uri plus NOT_A_TAG_URI,
// INVALID_FILTER, INVALID_NUMERIC_SERIAL, VALUE_TOO_LARGE.
Result<EpcTag> parse_tag_uri(std::string_view uri);

// The tag URI of an EpcTag.
std::string to_tag_uri(const EpcTag& tag);

// --- binary (epc_binary.cc) -----------------------------------------------------------

// Builds an EpcTag for a binary scheme (AUTO: the short scheme when the values fit, else
// the long one) and filter, checking that the values fit. Errors: UNSUPPORTED_SCHEME
// (scheme of another identifier, or LGTIN), INVALID_FILTER, INVALID_NUMERIC_SERIAL,
// VALUE_TOO_LARGE, SERIAL_TOO_LONG.
Result<EpcTag> make_tag(const Epc& epc, TagScheme scheme = TagScheme::AUTO, uint8_t filter = 0);

// Decodes the hex of an EPC memory bank (from bit 0x20, upper or lower case). Bits
// after the scheme's size (word padding) are ignored. Allocates nothing on success. Errors:
// INVALID_HEX, TOO_SHORT, UNKNOWN_HEADER, INVALID_PARTITION, COMPANY_PREFIX_OUT_OF_RANGE,
// REFERENCE_OUT_OF_RANGE, NON_ZERO_PADDING, EMPTY_SERIAL, INVALID_CHARACTER.
Result<EpcTag> decode_epc_hex(std::string_view hex);

// Encodes to upper-case hex, zero-padded to a 16-bit word (TDS 15.1.1). Errors as
// make_tag.
Result<std::string> encode_epc_hex(const EpcTag& tag);

// --- element strings (epc_uri.cc) -------------------------------------------------------

// The GS1 element string of an EPC (TDS 7), check digits computed: SGTIN (01)+(21),
// SSCC (00), SGLN (414)[+(254)], GRAI (8003), GIAI (8004), GSRN (8018), GSRNP (8017),
// GDTI (253), CPI (8010)+(8011), SGCN (255), ITIP (8006)+(21), LGTIN (01)+(10).
// Error UNSUPPORTED_SCHEME for GID, which has none. out is cleared first.
std::optional<Error> to_ai_data(const Epc& epc, AiData& out);
Result<AiData> to_ai_data(const Epc& epc);

// The EPC of an element string, given the length of its GS1 Company Prefix (6-12).
// (01) with (21) gives an SGTIN, (01) with (10) but no (21) an LGTIN. Errors:
// NO_EPC_FOR_DATA (no EPC key, or a key without the serial its EPC needs),
// INVALID_COMPANY_PREFIX, AI_LINTER_ERROR (INCORRECT_CHECK_DIGIT), INVALID_CHARACTER.
Result<Epc> epc_from_ai_data(const AiData& data, size_t gcp_length);

// The same, looking the GCP length up in table; UNKNOWN_COMPANY_PREFIX_LENGTH when the
// table has no prefix of the key.
Result<Epc> epc_from_ai_data(const AiData& data, const GcpLengthTable& table);

}  // namespace serialtrack::gs1

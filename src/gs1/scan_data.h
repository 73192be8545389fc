// Scan data: what a barcode reader transmits, an AIM symbology identifier (ISO/IEC
// 15424) then the message, with GS (0x1D) for FNC1 separators (GS1 GenSpecs 5.1.2,
// Figure 5.1.2-1). "]d2" GS1 DataMatrix, "]Q3" GS1 QR Code, "]J1" GS1 DotCode, "]C1"
// GS1-128, "]e0" GS1 DataBar and composites, "]E0" EAN-13/UPC-A/UPC-E, "]E4" EAN-8;
// "]d1", "]Q1", "]J0" carry plain data, possibly a GS1 Digital Link URI.
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gs1/ai_data.h"
#include "gs1/error.h"

namespace serialtrack::gs1 {

// The barcode symbologies that carry GS1 data, named as GS1's reference
// implementation names them (symbology_name).
enum class Symbology : uint8_t {
  kNone,
  kDataBarOmni,
  kDataBarTruncated,
  kDataBarStacked,
  kDataBarStackedOmni,
  kDataBarLimited,
  kDataBarExpanded,
  kUpcA,
  kUpcE,
  kEan13,
  kEan8,
  kGs1_128_CCA,
  kGs1_128_CCC,
  kQr,
  kDataMatrix,
  kDotCode,
};

// "QR", "DM", "DotCode", "DataBarExpanded", "GS1_128_CCA", "EAN13", "UPCA"...
std::string_view symbology_name(Symbology symbology);
// The symbology of such a name, or nullopt.
std::optional<Symbology> symbology_from_name(std::string_view name);

// What a scan holds.
struct ScanData {
  Symbology symbology = Symbology::kNone;
  // The message in GS1's notation: GS1 data as "^0109520123456788^10ABC" ('^' is FNC1);
  // plain data as sent, a leading '^' written "\^"; EAN/UPC digits, then
  // "|^99..." for a composite component.
  std::string message;
  // The AIs: of GS1 data, of an EAN/UPC composite component, or of a GS1 Digital
  // Link URI in plain data (empty for other plain data).
  AiData data;
  bool digital_link = false;  // the plain data is a DL URI (its AIs are in data)
};

// Reads scan data and validates what it carries: GS1 data as element strings are
// (check_ai_value, validate_associations), EAN/UPC check digits, a DL URI in plain
// data as parse_digital_link does. Errors: MISSING_SYMBOLOGY_IDENTIFIER,
// UNSUPPORTED_SYMBOLOGY_IDENTIFIER, SCAN_DATA_CONTAINS_ILLEGAL_CARAT,
// PRIMARY_SCAN_DATA_IS_TOO_SHORT..., and those of the AI and DL parsers.
Result<ScanData> parse_scan_data(std::string_view scan, const Options& options = {});

// The same into out (reset first), reusing its capacity. nullopt on success.
std::optional<Error> parse_scan_data_into(std::string_view scan, ScanData& out,
                                          const Options& options = {});

// The scan data a reader should transmit for a symbology and a message in GS1's
// notation (as ScanData::message: "^01...^10ABC", "linear|^composite", plain data
// with a leading "\^" for '^'). GS1 data is validated. For EAN/UPC and the DataBar
// linear symbologies the primary data may be the bare digits or "^01" + GTIN-14;
// options.add_check_digit computes its check digit instead of checking it.
Result<std::string> to_scan_data(Symbology symbology, std::string_view message,
                                 const Options& options = {});

}  // namespace serialtrack::gs1

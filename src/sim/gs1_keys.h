// GS1 keys the simulator issues, built with their check digits (GS1 GenSpecs 7.9.1)
// through gs1/, and the EPC URIs EPCIS events name them by (GS1 TDS 6.3). Every
// company prefix here is 7 digits. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace serialtrack::sim {

// The GS1 company prefix length the simulator uses for every company.
inline constexpr size_t kCompanyPrefixLength = 7;

// GTIN-14: indicator digit + company prefix (7) + item reference (5) + check digit.
std::string make_gtin14(char indicator, std::string_view company_prefix, uint32_t item_reference);
// GLN-13: company prefix (7) + location reference (5) + check digit.
std::string make_gln(std::string_view company_prefix, uint32_t location_reference);
// SSCC-18: extension digit + company prefix (7) + serial reference (9) + check digit.
std::string make_sscc(char extension, std::string_view company_prefix, uint64_t serial_reference);

// urn:epc:id:sgtin:CP.IIIIII.SERIAL (serial characters outside the URI's unreserved set
// %-escaped, TDS 7.1).
std::string sgtin_urn(std::string_view gtin14, std::string_view serial);
// urn:epc:idpat:sgtin:CP.IIIIII.*: every serial of a GTIN (the product's EPC class).
std::string gtin_pattern_urn(std::string_view gtin14);
// urn:epc:id:sscc:CP.ESSSSSSSSS
std::string sscc_urn(std::string_view sscc);
// urn:epc:id:sgln:CP.LLLLL.EXT (extension "0": the location itself).
std::string sgln_urn(std::string_view gln, std::string_view extension);
// urn:epc:id:pgln:CP.LLLLL: the party (a legal entity) of a GLN (CBV 2.0 §8.4).
std::string pgln_urn(std::string_view gln);

// The element string a pack's GS1 DataMatrix carries (EU FMD: GTIN, expiry, lot,
// serial): "(01)GTIN(17)YYMMDD(10)LOT(21)SERIAL".
std::string pack_element_string(std::string_view gtin14, std::string_view expiry_yymmdd,
                                std::string_view lot, std::string_view serial);

}  // namespace serialtrack::sim

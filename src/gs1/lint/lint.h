// The GS1 Barcode Syntax Tests ("linters"): one content check per function, each
// in its own file under lint/, named as the GS1 Barcode Syntax Dictionary names it.
// A linter looks at one component of an AI value and answers OK or the first fault,
// with the span of the offending characters so a user interface can highlight them.
// Every function is pure and thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "gs1/error.h"

namespace serialtrack::gs1::lint {

// Result of a linter: the code and the offending span within the checked data.
struct Outcome {
  Lint code = Lint::OK;
  uint16_t position = 0;
  uint16_t length = 0;
  bool ok() const { return code == Lint::OK; }
};

inline Outcome pass() { return {}; }
inline Outcome fail(Lint code, size_t position, size_t length) {
  return {code, static_cast<uint16_t>(position), static_cast<uint16_t>(length)};
}

using Linter = Outcome (*)(std::string_view data);

// Character sets (GS1 GenSpecs 7.11, Figures 7.11-1 to 7.11-3).
Outcome csetnumeric(std::string_view data);   // digits only
Outcome cset82(std::string_view data);        // GS1 AI encodable character set 82
Outcome cset39(std::string_view data);        // GS1 AI encodable character set 39
Outcome cset64(std::string_view data);        // file-safe/URI-safe base64 (AI 8030)

// Check digits and check characters (GenSpecs 7.9.1, 7.9.5).
Outcome csum(std::string_view data);          // mod-10 check digit, last digit
Outcome csumalpha(std::string_view data);     // check character pair, last two
Outcome key(std::string_view data);           // a GS1 key: GCP starts with a digit...
Outcome gcppos1(std::string_view data);       // GCP at position 1 (no lookup source: OK)
Outcome gcppos2(std::string_view data);       // GCP at position 2 (no lookup source: OK)

// Simple value rules.
Outcome hasnondigit(std::string_view data);
Outcome nozeroprefix(std::string_view data);
Outcome nonzero(std::string_view data);
Outcome zero(std::string_view data);
Outcome yesno(std::string_view data);
Outcome hyphen(std::string_view data);
Outcome winding(std::string_view data);
Outcome iso5218(std::string_view data);
Outcome packagetype(std::string_view data);   // UN/ECE Rec 21 package type codes
Outcome mediatype(std::string_view data);     // AIDC media type, AI 7241
Outcome importeridx(std::string_view data);   // AI 7040 importer index
Outcome pcenc(std::string_view data);         // percent-encoding, AIs 4300.. 7253..
Outcome pieceoftotal(std::string_view data);  // AIs 8006/8026 piece of total
Outcome posinseqslash(std::string_view data); // AI 7258 position "n/m"

// Codes from other standards.
Outcome iso3166(std::string_view data);       // ISO 3166-1 numeric
Outcome iso3166999(std::string_view data);    // ISO 3166-1 numeric or 999
Outcome iso3166alpha2(std::string_view data); // ISO 3166-1 alpha-2
Outcome iso4217(std::string_view data);       // ISO 4217 numeric currency
Outcome iban(std::string_view data);          // ISO 13616 IBAN with mod-97 check

// Dates and times (GenSpecs 7.12).
Outcome yymmd0(std::string_view data);        // YYMMDD, DD may be 00
Outcome yymmdd(std::string_view data);
Outcome yyyymmd0(std::string_view data);
Outcome yyyymmdd(std::string_view data);
Outcome hh(std::string_view data);
Outcome mi(std::string_view data);
Outcome ss(std::string_view data);
Outcome hhmi(std::string_view data);

// Coordinates (AI 4309).
Outcome latitude(std::string_view data);
Outcome longitude(std::string_view data);

// Coupons (North American coupon codes, AIs 8110 and 8112).
Outcome couponcode(std::string_view data);
Outcome couponposoffer(std::string_view data);

// The linter of that name ("csum", "yymmd0"...), or nullptr when there is none.
Linter by_name(std::string_view name);

}  // namespace serialtrack::gs1::lint

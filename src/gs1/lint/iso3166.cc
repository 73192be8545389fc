// Country code linters: iso3166, iso3166999, iso3166alpha2.
#include <array>
#include <cstdint>

#include "gs1/lint/lint.h"

namespace serialtrack::gs1::lint {
namespace {

// ISO 3166-1 numeric ("num-3") country codes, as the GS1 Barcode Syntax Tests list them.
constexpr uint16_t kNumeric[] = {
    4,   8,   10,  12,  16,  20,  24,  28,  31,  32,  36,  40,  44,  48,  50,  51,  52,  56,
    60,  64,  68,  70,  72,  74,  76,  84,  86,  90,  92,  96,  100, 104, 108, 112, 116, 120,
    124, 132, 136, 140, 144, 148, 152, 156, 158, 162, 166, 170, 174, 175, 178, 180, 184, 188,
    191, 192, 196, 203, 204, 208, 212, 214, 218, 222, 226, 231, 232, 233, 234, 238, 239, 242,
    246, 248, 250, 254, 258, 260, 262, 266, 268, 270, 275, 276, 288, 292, 296, 300, 304, 308,
    312, 316, 320, 324, 328, 332, 334, 336, 340, 344, 348, 352, 356, 360, 364, 368, 372, 376,
    380, 384, 388, 392, 398, 400, 404, 408, 410, 414, 417, 418, 422, 426, 428, 430, 434, 438,
    440, 442, 446, 450, 454, 458, 462, 466, 470, 474, 478, 480, 484, 492, 496, 498, 499, 500,
    504, 508, 512, 516, 520, 524, 528, 531, 533, 534, 535, 540, 548, 554, 558, 562, 566, 570,
    574, 578, 580, 581, 583, 584, 585, 586, 591, 598, 600, 604, 608, 612, 616, 620, 624, 626,
    630, 634, 638, 642, 643, 646, 652, 654, 659, 660, 662, 663, 666, 670, 674, 678, 682, 686,
    688, 690, 694, 702, 703, 704, 705, 706, 710, 716, 724, 728, 729, 732, 740, 744, 748, 752,
    756, 760, 762, 764, 768, 772, 776, 780, 784, 788, 792, 795, 796, 798, 800, 804, 807, 818,
    826, 831, 832, 833, 834, 840, 850, 854, 858, 860, 862, 876, 882, 887, 894};

// ISO 3166-1 alpha-2 country codes, as the GS1 Barcode Syntax Tests list them.
constexpr std::string_view kAlpha2 =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN "
    "BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ "
    "DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL "
    "GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM "
    "JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME "
    "MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP "
    "NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD "
    "SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO "
    "TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW ";

// Bit n set when n (000-999) is a num-3 code.
constexpr std::array<uint64_t, 16> kNumericSet = [] {
  std::array<uint64_t, 16> bits{};
  for (uint16_t code : kNumeric) bits[code / 64] |= uint64_t{1} << (code % 64);
  return bits;
}();

// Bit (first - 'A') * 26 + (second - 'A') set for each alpha-2 code.
constexpr std::array<uint64_t, 11> kAlpha2Set = [] {
  std::array<uint64_t, 11> bits{};
  for (size_t i = 0; i + 1 < kAlpha2.size(); i += 3) {
    int n = (kAlpha2[i] - 'A') * 26 + (kAlpha2[i + 1] - 'A');
    bits[n / 64] |= uint64_t{1} << (n % 64);
  }
  return bits;
}();

bool is_numeric_code(std::string_view data) {
  if (data.size() != 3) return false;
  int n = 0;
  for (char c : data) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + (c - '0');
  }
  return (kNumericSet[n / 64] >> (n % 64)) & 1;
}

}  // namespace

// ISO 3166-1: a three-digit numeric country code.
Outcome iso3166(std::string_view data) {
  return is_numeric_code(data) ? pass() : fail(Lint::NOT_ISO3166, 0, data.size());
}

// ISO 3166-1 numeric, or 999 for "unknown / several countries" (GS1 GenSpecs, AI 422-427).
Outcome iso3166999(std::string_view data) {
  if (data == "999" || is_numeric_code(data)) return pass();
  return fail(Lint::NOT_ISO3166_OR_999, 0, data.size());
}

// ISO 3166-1: a two-letter alpha-2 country code (upper case).
Outcome iso3166alpha2(std::string_view data) {
  if (data.size() == 2 && data[0] >= 'A' && data[0] <= 'Z' && data[1] >= 'A' && data[1] <= 'Z') {
    int n = (data[0] - 'A') * 26 + (data[1] - 'A');
    if ((kAlpha2Set[n / 64] >> (n % 64)) & 1) return pass();
  }
  return fail(Lint::NOT_ISO3166_ALPHA2, 0, data.size());
}

}  // namespace serialtrack::gs1::lint

// Unit tests of the GS1 Barcode Syntax Tests ("linters"), one test per rule family.
#include "gs1/lint/lint.h"

#include <gtest/gtest.h>

#include "gs1/check_digit.h"

namespace serialtrack::gs1::lint {
namespace {

void expect_fail(const Outcome& o, Lint code, size_t position, size_t length) {
  EXPECT_EQ(lint_name(o.code), lint_name(code));
  EXPECT_EQ(o.position, position);
  EXPECT_EQ(o.length, length);
}

TEST(CharacterSets, FirstCharacterOutsideTheSetIsHighlighted) {
  EXPECT_TRUE(csetnumeric("0123456789").ok());
  expect_fail(csetnumeric("12a4"), Lint::NON_DIGIT_CHARACTER, 2, 1);
  EXPECT_TRUE(cset82("ABC-abc_!%").ok());
  expect_fail(cset82("AB C"), Lint::INVALID_CSET82_CHARACTER, 2, 1);
  EXPECT_TRUE(cset39("#-/09AZ").ok());
  expect_fail(cset39("ABc"), Lint::INVALID_CSET39_CHARACTER, 2, 1);
}

TEST(CharacterSets, Cset64PaddingCompletesAMultipleOfThree) {
  EXPECT_TRUE(cset64("AZaz09-_").ok());
  EXPECT_TRUE(cset64("12=").ok());
  EXPECT_TRUE(cset64("1==").ok());
  expect_fail(cset64("123="), Lint::INVALID_CSET64_PADDING, 3, 1);
  expect_fail(cset64("==="), Lint::INVALID_CSET64_PADDING, 0, 3);
  expect_fail(cset64("1=3"), Lint::INVALID_CSET64_CHARACTER, 1, 1);
  expect_fail(cset64("AB+"), Lint::INVALID_CSET64_CHARACTER, 2, 1);
}

TEST(CheckDigit, LastDigitIsTheMod10CheckDigit) {
  EXPECT_TRUE(csum("09520123456788").ok());
  expect_fail(csum("09520123456789"), Lint::INCORRECT_CHECK_DIGIT, 13, 1);
  expect_fail(csum(""), Lint::TOO_SHORT_FOR_CHECK_DIGIT, 0, 0);
  expect_fail(csum("0952012345678 "), Lint::NON_DIGIT_CHARACTER, 13, 1);
  EXPECT_EQ(mod10_check_digit("0952012345678"), '8');
}

TEST(CheckCharacterPair, GenSpecsExampleGmnIsValid) {
  // GS1 GenSpecs 7.9.5 worked example: body "1987654Ad4X4bL5ttr2310c", pair "2K".
  EXPECT_EQ(check_character_pair("1987654Ad4X4bL5ttr2310c"), "2K");
  EXPECT_TRUE(check_character_pair_valid("1987654Ad4X4bL5ttr2310c2K"));
  EXPECT_TRUE(csumalpha("1987654Ad4X4bL5ttr2310c2K").ok());
  expect_fail(csumalpha("1987654Ad4X4bL5ttr2310cXK"), Lint::INCORRECT_CHECK_PAIR, 23, 2);
}

TEST(CheckCharacterPair, ShortLongAndNonCset82Bodies) {
  expect_fail(csumalpha("2"), Lint::TOO_SHORT_FOR_CHECK_PAIR, 0, 1);
  EXPECT_TRUE(csumalpha("22").ok());  // empty body: sum 0
  expect_fail(csumalpha("33"), Lint::INCORRECT_CHECK_PAIR, 0, 2);
  expect_fail(csumalpha("12 4NT"), Lint::INVALID_CSET82_CHARACTER, 2, 1);
  std::string too_long(98, '1');
  too_long += "ZZ";
  expect_fail(csumalpha(too_long), Lint::TOO_LONG_FOR_CHECK_PAIR_IMPLEMENTATION, 0, 100);
}

TEST(CompanyPrefix, FirstFourCharactersAreDigits) {
  EXPECT_TRUE(key("0123A").ok());
  expect_fail(key("012"), Lint::TOO_SHORT_FOR_GCP, 0, 3);
  expect_fail(gcppos1("01A3"), Lint::INVALID_GCP_PREFIX, 2, 1);
  EXPECT_TRUE(gcppos2("I0123").ok());
  expect_fail(gcppos2("I01A3"), Lint::INVALID_GCP_PREFIX, 3, 1);
  expect_fail(gcppos2("I"), Lint::TOO_SHORT_FOR_GCP, 0, 1);
  expect_fail(gcppos2("I012"), Lint::TOO_SHORT_FOR_GCP, 1, 3);
}

TEST(Dates, DayZeroAllowedOnlyInYymmd0) {
  EXPECT_TRUE(yymmd0("250600").ok());
  expect_fail(yymmdd("250600"), Lint::ILLEGAL_DAY, 4, 2);
  EXPECT_TRUE(yyyymmd0("20250600").ok());
  expect_fail(yyyymmdd("20250600"), Lint::ILLEGAL_DAY, 6, 2);
}

TEST(Dates, LeapYearsFollowTheGregorianCalendar) {
  EXPECT_TRUE(yymmdd("240229").ok());
  expect_fail(yymmdd("250229"), Lint::ILLEGAL_DAY, 4, 2);
  EXPECT_TRUE(yyyymmdd("20000229").ok());
  expect_fail(yyyymmdd("21000229"), Lint::ILLEGAL_DAY, 6, 2);
}

TEST(Dates, LengthDigitsAndMonthAreCheckedInThatOrder) {
  expect_fail(yymmdd("2501"), Lint::DATE_TOO_SHORT, 0, 4);
  expect_fail(yymmdd("2501011"), Lint::DATE_TOO_LONG, 0, 7);
  expect_fail(yymmdd("25x101"), Lint::NON_DIGIT_CHARACTER, 2, 1);
  expect_fail(yymmdd("251301"), Lint::ILLEGAL_MONTH, 2, 2);
}

TEST(Times, HoursMinutesAndSecondsInRange) {
  EXPECT_TRUE(hh("23").ok());
  expect_fail(hh("24"), Lint::ILLEGAL_HOUR, 0, 2);
  expect_fail(mi("60"), Lint::ILLEGAL_MINUTE, 0, 2);
  expect_fail(ss("1"), Lint::SECOND_TOO_SHORT, 0, 1);
  EXPECT_TRUE(hhmi("2359").ok());
  expect_fail(hhmi("2360"), Lint::ILLEGAL_MINUTE, 2, 2);
  expect_fail(hhmi("123"), Lint::HOUR_WITH_MINUTE_TOO_SHORT, 0, 3);
}

TEST(SimpleValues, FlagsAndPlaceholders) {
  expect_fail(hasnondigit("123"), Lint::REQUIRES_NON_DIGIT_CHARACTER, 0, 3);
  EXPECT_TRUE(hasnondigit("12A").ok());
  expect_fail(nozeroprefix("012"), Lint::ILLEGAL_ZERO_PREFIX, 0, 1);
  expect_fail(nonzero("000"), Lint::ILLEGAL_ZERO_VALUE, 0, 3);
  EXPECT_TRUE(zero("000").ok());
  expect_fail(zero("010"), Lint::NOT_ZERO, 0, 3);
  EXPECT_TRUE(yesno("1").ok());
  expect_fail(yesno("2"), Lint::NOT_ZERO_OR_ONE, 0, 1);
  EXPECT_TRUE(hyphen("--").ok());
  expect_fail(hyphen("-X"), Lint::NOT_HYPHEN, 0, 2);
  EXPECT_TRUE(winding("9").ok());
  expect_fail(winding("2"), Lint::INVALID_WINDING_DIRECTION, 0, 1);
  EXPECT_TRUE(iso5218("9").ok());
  expect_fail(iso5218("3"), Lint::INVALID_BIOLOGICAL_SEX_CODE, 0, 1);
  EXPECT_TRUE(importeridx("_").ok());
  expect_fail(importeridx("."), Lint::INVALID_IMPORT_IDX_CHARACTER, 0, 1);
  expect_fail(importeridx("AB"), Lint::IMPORTER_IDX_MUST_BE_ONE_CHARACTER, 0, 2);
}

TEST(CodeLists, CountryCurrencyPackageAndMediaCodes) {
  EXPECT_TRUE(iso3166("276").ok());
  expect_fail(iso3166("999"), Lint::NOT_ISO3166, 0, 3);
  EXPECT_TRUE(iso3166999("999").ok());
  EXPECT_TRUE(iso3166alpha2("DE").ok());
  expect_fail(iso3166alpha2("de"), Lint::NOT_ISO3166_ALPHA2, 0, 2);
  EXPECT_TRUE(iso4217("978").ok());
  expect_fail(iso4217("979 "), Lint::NOT_ISO4217, 0, 4);
  EXPECT_TRUE(packagetype("8").ok());
  EXPECT_TRUE(packagetype("X20").ok());
  expect_fail(packagetype("X21"), Lint::INVALID_PACKAGE_TYPE, 0, 3);
  EXPECT_TRUE(mediatype("10").ok());
  expect_fail(mediatype("11"), Lint::INVALID_MEDIA_TYPE, 0, 2);
}

TEST(Iban, Mod97CheckAndCountryCode) {
  EXPECT_TRUE(iban("GB98MIDL07009312345678").ok());
  expect_fail(iban("BE71096123456760"), Lint::INCORRECT_IBAN_CHECKSUM, 2, 2);
  expect_fail(iban("XX361234567890"), Lint::ILLEGAL_IBAN_COUNTRY_CODE, 0, 2);
  expect_fail(iban("BE71"), Lint::IBAN_TOO_SHORT, 0, 4);
  expect_fail(iban("BE710961x3456769"), Lint::INVALID_IBAN_CHARACTER, 8, 1);
}

TEST(Sequences, PieceOfTotalAndPositionInSequence) {
  EXPECT_TRUE(pieceoftotal("0103").ok());
  expect_fail(pieceoftotal("0403"), Lint::PIECE_NUMBER_EXCEEDS_TOTAL, 0, 4);
  expect_fail(pieceoftotal("0300"), Lint::ZERO_TOTAL_PIECES, 2, 2);
  expect_fail(pieceoftotal("123"), Lint::INVALID_LENGTH_FOR_PIECE_OF_TOTAL, 0, 3);
  EXPECT_TRUE(posinseqslash("9/10").ok());
  expect_fail(posinseqslash("10/9"), Lint::POSITION_EXCEEDS_END, 0, 4);
  expect_fail(posinseqslash("1/02"), Lint::ILLEGAL_ZERO_PREFIX, 2, 2);
  expect_fail(posinseqslash("1//2"), Lint::POSITION_IN_SEQUENCE_MALFORMED, 0, 4);
}

TEST(PercentEncoding, EscapesNeedTwoHexDigits) {
  EXPECT_TRUE(pcenc("A%20b%fF").ok());
  expect_fail(pcenc("AB%2"), Lint::INVALID_PERCENT_SEQUENCE, 2, 2);
  expect_fail(pcenc("AB%g0C"), Lint::INVALID_PERCENT_SEQUENCE, 2, 3);
}

TEST(Coordinates, LatitudeAndLongitudeRanges) {
  EXPECT_TRUE(latitude("1800000000").ok());
  expect_fail(latitude("1800000001"), Lint::INVALID_LATITUDE, 0, 10);
  EXPECT_TRUE(longitude("3600000000").ok());
  expect_fail(longitude("360000000"), Lint::LONGITUDE_INVALID_LENGTH, 0, 9);
}

TEST(Coupons, NorthAmericanCouponCodeFields) {
  EXPECT_TRUE(couponcode("012345612345611110123").ok());
  expect_fail(couponcode("0123456"), Lint::COUPON_TRUNCATED_OFFER_CODE, 0, 7);
  expect_fail(couponcode("71234567890123"), Lint::COUPON_INVALID_GCP_LENGTH, 0, 1);
  // Optional field 3 (expiry 251231) then field 4 (start 260101): start after expiry.
  expect_fail(couponcode("0123456123456111101233251231426010"),
              Lint::COUPON_TOO_SHORT_FOR_START_DATE, 29, 5);
  expect_fail(couponcode("01234561234561111012332512314260101"),
              Lint::COUPON_EXPIRATION_BEFORE_START, 21, 14);
  expect_fail(couponcode("0123456123456111101237"), Lint::COUPON_EXCESS_DATA, 21, 1);
}

TEST(Coupons, PositiveOfferFileCouponFields) {
  EXPECT_TRUE(couponposoffer("001234561234560123456").ok());
  expect_fail(couponposoffer("201234561234560123456"), Lint::COUPON_INVALID_FORMAT_CODE, 0, 1);
  expect_fail(couponposoffer("0012345612345601234567"), Lint::COUPON_EXCESS_DATA, 21, 1);
}

TEST(ByName, KnowsEveryDictionaryLinterAndNothingElse) {
  EXPECT_EQ(by_name("csum"), &csum);
  EXPECT_EQ(by_name("yyyymmd0"), &yyyymmd0);
  EXPECT_EQ(by_name("zero"), &zero);
  EXPECT_EQ(by_name("couponcode"), &couponcode);
  EXPECT_EQ(by_name("nosuchlinter"), nullptr);
  EXPECT_EQ(by_name(""), nullptr);
}

}  // namespace
}  // namespace serialtrack::gs1::lint

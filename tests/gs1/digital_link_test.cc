// Unit tests of GS1 Digital Link parsing and generation and of scan data, one rule
// per test, named for the behaviour (GS1 DL URI Syntax 1.x).
#include "gs1/digital_link.h"

#include <gtest/gtest.h>

#include <string>

#include "gs1/element_string.h"
#include "gs1/scan_data.h"

namespace serialtrack::gs1 {
namespace {

ErrorCode error_of(std::string_view uri, const Options& o = {}) {
  auto r = parse_digital_link(uri, o);
  EXPECT_FALSE(r.ok()) << uri;
  return r.ok() ? ErrorCode::UNRECOGNISED_INPUT : r.error().code;
}

std::string bracketed(std::string_view uri, const Options& o = {}) {
  auto r = parse_digital_link(uri, o);
  EXPECT_TRUE(r.ok()) << uri << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? to_bracketed(r->data) : std::string();
}

TEST(DigitalLinkParse, AcceptsHttpAndHttpsInOneCaseOnly) {
  EXPECT_EQ(bracketed("http://a/01/09520123456788"), "(01)09520123456788");
  EXPECT_EQ(bracketed("HTTPS://a/01/09520123456788"), "(01)09520123456788");
  EXPECT_EQ(error_of("Https://a/01/09520123456788"), ErrorCode::NOT_A_DL_URI);
  EXPECT_EQ(error_of("ftp://a/01/09520123456788"), ErrorCode::NOT_A_DL_URI);
  EXPECT_EQ(error_of("(01)09520123456788"), ErrorCode::NOT_A_DL_URI);
}

TEST(DigitalLinkParse, RejectsCharactersOutsideUrisAndPointsAtThem) {
  auto r = parse_digital_link("https://a/01/09520123456788/10/A B");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::URI_CONTAINS_ILLEGAL_CHARACTERS);
  EXPECT_EQ(r.error().position, 32u);
}

TEST(DigitalLinkParse, NeedsADomainAndAPath) {
  EXPECT_EQ(error_of("https://"), ErrorCode::URI_MISSING_DOMAIN_AND_PATH_INFO);
  EXPECT_EQ(error_of("https://example.com"), ErrorCode::URI_MISSING_DOMAIN_AND_PATH_INFO);
  EXPECT_EQ(error_of("https:///01/09520123456788"), ErrorCode::URI_MISSING_DOMAIN_AND_PATH_INFO);
  EXPECT_EQ(error_of("https://a@b/01/09520123456788"),
            ErrorCode::DOMAIN_CONTAINS_ILLEGAL_CHARACTERS);
}

TEST(DigitalLinkParse, KeepsTheCustomStemBeforeTheRightmostPrimaryKey) {
  std::string uri = "https://brand.example/a/00/b/01/09520123456788/10/X?linkType=all&x#frag";
  AiData data;
  DigitalLinkParts parts;
  ASSERT_FALSE(parse_digital_link_into(uri, data, &parts).has_value());
  EXPECT_EQ(parts.stem, "https://brand.example/a/00/b");
  EXPECT_EQ(parts.fragment, "frag");
  EXPECT_EQ(parts.path_ai_count, 2u);
  ASSERT_EQ(parts.other_query_params.size(), 2u);
  EXPECT_EQ(parts.other_query_params[0].first, "linkType");
  EXPECT_EQ(parts.other_query_params[0].second, "all");
  EXPECT_EQ(parts.other_query_params[1].first, "x");
  EXPECT_EQ(to_bracketed(data), "(01)09520123456788(10)X");
}

TEST(DigitalLinkParse, OwningResultCopiesTheExtraParts) {
  auto r = parse_digital_link("https://id.example/s/01/09520123456788?thngId=U5&17=251231");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->stem, "https://id.example/s");
  ASSERT_EQ(r->other_query_params.size(), 1u);
  EXPECT_EQ(r->other_query_params[0].first, "thngId");
  EXPECT_EQ(r->other_query_params[0].second, "U5");
  EXPECT_EQ(r->path_ai_count, 1u);
}

TEST(DigitalLinkParse, FindsNoKeyWhenThePathHasNoPrimaryKeyPair) {
  EXPECT_EQ(error_of("https://a/10/ABC"), ErrorCode::NO_GS1_DL_KEYS_FOUND_IN_PATH_INFO);
  EXPECT_EQ(error_of("https://a/01/09520123456788/"), ErrorCode::NO_GS1_DL_KEYS_FOUND_IN_PATH_INFO);
}

TEST(DigitalLinkParse, SaysCompressedUrisAreNotSupported) {
  auto r = parse_digital_link("https://dlnkd.tn.gg/HxHKVAdpQgZzjr-hCDKigI");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::NO_GS1_DL_KEYS_FOUND_IN_PATH_INFO);
  EXPECT_NE(r.error().message.find("compressed"), std::string::npos);
}

TEST(DigitalLinkParse, PlusIsASpaceOnlyInTheQuery) {
  EXPECT_EQ(bracketed("https://a/01/09520123456788/22/A+B"), "(01)09520123456788(22)A+B");
  auto r = parse_digital_link("https://a/01/09520123456788?99=A+B");
  ASSERT_FALSE(r.ok());  // a space is not CSET 82
  EXPECT_EQ(r.error().name(), "INVALID_CSET82_CHARACTER");
}

TEST(DigitalLinkParse, DecodesPercentEscapesAndRejectsNul) {
  EXPECT_EQ(bracketed("https://a/01/09520123456788/22/A%2fB?99=%41"),
            "(01)09520123456788(22)A/B(99)A");
  EXPECT_EQ(error_of("https://a/01/09520123456788/22/A%00"),
            ErrorCode::DECODED_AI_FROM_DL_PATH_INFO_CONTAINS_ILLEGAL_NULL);
  EXPECT_EQ(error_of("https://a/01/09520123456788?99=%00"),
            ErrorCode::DECODED_AI_VALUE_FROM_QUERY_PARAMS_CONTAINS_ILLEGAL_NULL);
  EXPECT_EQ(error_of("https://a/01/09520123456788/22/%5E"),
            ErrorCode::AI_CONTAINS_ILLEGAL_CARAT_CHARACTER);
}

TEST(DigitalLinkParse, RejectsEmptyValues) {
  EXPECT_EQ(error_of("https://a/01/09520123456788/10/"), ErrorCode::AI_VALUE_PATH_ELEMENT_IS_EMPTY);
  EXPECT_EQ(error_of("https://a/01/09520123456788?99="),
            ErrorCode::AI_VALUE_QUERY_ELEMENT_IN_EMPTY);
}

TEST(DigitalLinkParse, NumericQueryNamesMustBeKnownAis) {
  EXPECT_EQ(error_of("https://a/01/09520123456788?999=X"), ErrorCode::UNKNOWN_AI_IN_QUERY_PARAMS);
  EXPECT_EQ(bracketed("https://a/01/09520123456788?9x=X"), "(01)09520123456788");
}

TEST(DigitalLinkParse, QualifiersFollowTheKeysOrder) {
  EXPECT_EQ(bracketed("https://a/01/09520123456788/22/A/10/B/21/C"),
            "(01)09520123456788(22)A(10)B(21)C");
  EXPECT_EQ(error_of("https://a/01/09520123456788/21/C/10/B"),
            ErrorCode::INVALID_KEY_QUALIFIER_SEQUENCE);
  EXPECT_EQ(error_of("https://a/00/006141411234567890/10/B"),
            ErrorCode::INVALID_KEY_QUALIFIER_SEQUENCE);
  // An alternative qualifier list: 235 instead of 22, 10, 21.
  EXPECT_EQ(bracketed("https://a/01/09520123456788/235/X"), "(01)09520123456788(235)X");
  EXPECT_EQ(error_of("https://a/01/09520123456788/235/X/21/C"),
            ErrorCode::INVALID_KEY_QUALIFIER_SEQUENCE);
}

TEST(DigitalLinkParse, QualifiersInTheQueryBelongInThePath) {
  EXPECT_EQ(error_of("https://a/01/09520123456788?10=B"), ErrorCode::AI_SHOULD_BE_IN_PATH_INFO);
  EXPECT_EQ(bracketed("https://a/01/09520123456788/235/X?10=B"), "(01)09520123456788(235)X(10)B");
}

TEST(DigitalLinkParse, RejectsDuplicateAis) {
  EXPECT_EQ(error_of("https://a/01/09520123456788?99=A&99=A"), ErrorCode::DUPLICATE_AI);
  EXPECT_EQ(error_of("https://a/01/09520123456788/10/A?10=A"), ErrorCode::DUPLICATE_AI);
}

TEST(DigitalLinkParse, AttributesMustBeDataAttributes) {
  EXPECT_EQ(error_of("https://a/01/09520123456788?8200=http%3A%2F%2Fx"),
            ErrorCode::AI_IS_NOT_VALID_DATA_ATTRIBUTE);
  Options unknown;
  unknown.permit_unknown_ais = true;
  EXPECT_EQ(error_of("https://a/01/09520123456788?89=A", unknown),
            ErrorCode::AI_IS_NOT_VALID_DATA_ATTRIBUTE);
  unknown.unknown_ai_dl_attr = true;
  EXPECT_EQ(bracketed("https://a/01/09520123456788?89=A", unknown), "(01)09520123456788(89)A");
}

TEST(DigitalLinkParse, ZeroSuppressedGtinsOnlyWithTheOption) {
  EXPECT_EQ(error_of("https://a/01/9520123456788"), ErrorCode::AI_VALUE_IS_TOO_SHORT);
  Options o;
  o.permit_zero_suppressed_gtin = true;
  EXPECT_EQ(bracketed("https://a/01/9520123456788", o), "(01)09520123456788");
  EXPECT_EQ(bracketed("https://a/01/02345673", o), "(01)00000002345673");
  EXPECT_EQ(bracketed("https://a/8004/9520614141234567?01=416000336108", o),
            "(8004)9520614141234567(01)00416000336108");
}

TEST(DigitalLinkParse, ConvenienceAlphasOnlyWithTheOption) {
  EXPECT_EQ(error_of("https://a/gtin/09520123456788/ser/A"),
            ErrorCode::NO_GS1_DL_KEYS_FOUND_IN_PATH_INFO);
  Options o;
  o.convenience_alphas = true;
  EXPECT_EQ(bracketed("https://a/gtin/09520123456788/ser/A", o), "(01)09520123456788(21)A");
}

TEST(DigitalLinkParse, StructuralErrorsComeBeforeContentErrors) {
  // A bad check digit and a misordered path: the DL rule is reported first.
  EXPECT_EQ(error_of("https://a/01/09520123456789/21/C/10/B"),
            ErrorCode::INVALID_KEY_QUALIFIER_SEQUENCE);
  // A length error is reported as the value is read.
  EXPECT_EQ(error_of("https://a/01/0952012345678/21/C/10/B"), ErrorCode::AI_VALUE_IS_TOO_SHORT);
}

TEST(DigitalLinkParse, ChecksValuesAndAssociationsLikeElementStrings) {
  auto r = parse_digital_link("https://a/01/09520123456789");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().name(), "INCORRECT_CHECK_DIGIT");
  EXPECT_EQ(r.error().ai, "01");
  EXPECT_EQ(error_of("https://a/00/006141411234567890?10=A"),
            ErrorCode::REQUIRED_AIS_NOT_SATISFIED);
  Options o;
  o.check_requisites = false;
  EXPECT_EQ(bracketed("https://a/00/006141411234567890?10=A", o), "(00)006141411234567890(10)A");
}

TEST(DigitalLinkParse, ReusesTheOutputAcrossParses) {
  AiData data;
  DigitalLinkParts parts;
  ASSERT_FALSE(parse_digital_link_into("https://a/01/09520123456788/10/A?x=1", data, &parts));
  ASSERT_FALSE(parse_digital_link_into("https://b/00/006141411234567890", data, &parts));
  EXPECT_EQ(to_bracketed(data), "(00)006141411234567890");
  EXPECT_TRUE(parts.other_query_params.empty());
  EXPECT_EQ(parts.stem, "https://b");
}

TEST(DigitalLinkGenerate, UsesTheCanonicalStemAndTrimsASlash) {
  auto data = parse_bracketed("(01)09520123456788(10)A/B(17)251231");
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(*to_digital_link(*data), "https://id.gs1.org/01/09520123456788/10/A%2FB?17=251231");
  EXPECT_EQ(*to_digital_link(*data, "https://r.example/x/"),
            "https://r.example/x/01/09520123456788/10/A%2FB?17=251231");
}

TEST(DigitalLinkGenerate, QueryEscapesPlusAndPutsFixedLengthAisFirst) {
  auto data = parse_bracketed("(01)09520123456788(99)A+B(17)251231");
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(*to_digital_link(*data), "https://id.gs1.org/01/09520123456788?17=251231&99=A%2BB");
}

TEST(DigitalLinkGenerate, NeedsAPrimaryKey) {
  auto data = parse_bracketed("(99)A");
  ASSERT_TRUE(data.ok());
  auto r = to_digital_link(*data);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::CANNOT_CREATE_DL_URI_WITHOUT_PRIMARY_KEY_AI);
}

TEST(DigitalLinkGenerate, RoundTripsAParsedUriKeepingItsPath) {
  auto dl = parse_digital_link("https://x.example/01/09520123456788/235/ABC?10=DEF");
  ASSERT_TRUE(dl.ok());
  EXPECT_EQ(*to_digital_link(*dl), "https://id.gs1.org/01/09520123456788/235/ABC?10=DEF");
  // From plain AI data the (22),(10),(21) list wins the tie, and (235) cannot be an attribute.
  EXPECT_FALSE(to_digital_link(dl->data).ok());
}

TEST(UriEscaping, EscapesAllButUnreservedInUpperCaseHex) {
  EXPECT_EQ(uri_escape("a-._~/é", UriComponent::kPath), "a-._~%2F%C3%A9");
  EXPECT_EQ(uri_escape("a b", UriComponent::kPath), "a%20b");
  EXPECT_EQ(uri_escape("a b", UriComponent::kQuery), "a+b");
}

TEST(UriEscaping, UnescapeLeavesBrokenEscapesAndRejectsNul) {
  EXPECT_EQ(*uri_unescape("%4g%2", UriComponent::kPath), "%4g%2");
  EXPECT_EQ(*uri_unescape("a+%2B", UriComponent::kQuery), "a +");
  EXPECT_FALSE(uri_unescape("a%00", UriComponent::kPath).has_value());
}

TEST(ScanData, ReadsGs1DataMatrixWithGroupSeparators) {
  auto r = parse_scan_data(
      "]d201095201234567881724123110ABC\x1D"
      "21XYZ");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->symbology, Symbology::kDataMatrix);
  EXPECT_EQ(to_bracketed(r->data), "(01)09520123456788(17)241231(10)ABC(21)XYZ");
}

TEST(ScanData, ReadsADigitalLinkInAPlainQrCode) {
  auto r = parse_scan_data("]Q1https://id.gs1.org/01/09520123456788/21/X");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->digital_link);
  EXPECT_EQ(to_bracketed(r->data), "(01)09520123456788(21)X");
}

TEST(ScanData, ShiftsDigitalLinkErrorPositionsToTheScan) {
  auto r = parse_scan_data("]Q1https://a/01/09520123456788/10/A B");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::URI_CONTAINS_ILLEGAL_CHARACTERS);
  EXPECT_EQ(r.error().position, 35u);
}

TEST(ScanData, ChecksEanCheckDigitsAndComposites) {
  EXPECT_EQ(parse_scan_data("]E09520123456781").error().code,
            ErrorCode::PRIMARY_MESSAGE_CHECK_DIGIT_IS_INCORRECT);
  auto r = parse_scan_data("]E09520123456788|]e099A");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->message, "9520123456788|^99A");
}

TEST(ScanData, GeneratesWhatAReaderSends) {
  EXPECT_EQ(*to_scan_data(Symbology::kDataMatrix, "^010952012345678810A^17241231"),
            "]d2010952012345678810A\x1D"
            "17241231");
  EXPECT_FALSE(to_scan_data(Symbology::kDataMatrix, "^0109520123456788|^10A").ok());
  EXPECT_EQ(*to_scan_data(Symbology::kUpcA, "^0100416000336108"), "]E00416000336108");
  EXPECT_EQ(to_scan_data(Symbology::kNone, "X").error().code,
            ErrorCode::UNSUPPORTED_SYMBOLOGY_IDENTIFIER);
}

}  // namespace
}  // namespace serialtrack::gs1

// Element strings: one test per rule and error class, named for the behaviour.
#include "gs1/element_string.h"

#include <gtest/gtest.h>

#include "gs1/ai_table.h"

namespace serialtrack::gs1 {
namespace {

std::string error_of(Result<AiData> r) {
  return r ? "OK" : std::string(r.error().name());
}

TEST(AiTable, HasEveryAiOfTheDictionaryWithRangesExpanded) {
  EXPECT_EQ(all_ais().size(), 541u);
  ASSERT_NE(find_ai("01"), nullptr);
  EXPECT_EQ(find_ai("01")->title, "GTIN");
  EXPECT_FALSE(find_ai("01")->fnc1_required);
  EXPECT_TRUE(find_ai("10")->fnc1_required);
  ASSERT_NE(find_ai("3103"), nullptr);
  EXPECT_EQ(find_ai("3103")->ex, "310n");
  EXPECT_EQ(find_ai("01")->dl_qualifiers, "22,10,21|235");
  EXPECT_EQ(find_ai("3106"), nullptr);  // 3100-3105 only
  EXPECT_EQ(find_ai("1"), nullptr);
  EXPECT_EQ(find_ai("0A"), nullptr);
}

TEST(AiTable, AiPrefixesAreUnambiguous) {
  // GenSpecs 3.2: AIs sharing two leading digits share a length, so a message splits
  // into AIs without separators.
  for (const AiEntry& e : all_ais()) EXPECT_EQ(ai_length_for_prefix(e.ai), e.ai.size()) << e.ai;
  EXPECT_EQ(match_ai_prefix("0109520123456788")->ai, "01");
  EXPECT_EQ(match_ai_prefix("8006123")->ai, "8006");
  EXPECT_EQ(match_ai_prefix("89123"), nullptr);
}

TEST(AiTable, UnknownAisTakeTheirLengthFromThePrefixTable) {
  EXPECT_EQ(lookup_ai("89", 2, false), nullptr);
  EXPECT_TRUE(is_unknown_ai(lookup_ai("89", 2, true)));
  EXPECT_EQ(lookup_ai("399", 3, true), nullptr);  // "39" AIs have 4 digits
  EXPECT_TRUE(is_unknown_ai(lookup_ai("3999", 4, true)));
  EXPECT_EQ(lookup_ai("419", 3, true)->max_length(), 13u);  // "41": predefined 13
  EXPECT_FALSE(lookup_ai("419", 3, true)->fnc1_required);
  EXPECT_EQ(lookup_ai("89123", 0, true), nullptr);  // length unknowable in a message
}

TEST(Bracketed, ParsesAisAndValuesInOrder) {
  auto r = parse_bracketed("(01)09520123456788(17)251231(10)ABC(21)XYZ");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 4u);
  EXPECT_EQ((*r)[0].ai, "01");
  EXPECT_EQ((*r)[3].value, "XYZ");
  EXPECT_EQ(r->get("17"), "251231");
}

TEST(Bracketed, EscapedBracketIsData) {
  auto r = parse_bracketed("(01)09520123456788(10)AB\\(C");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->get("10"), "AB(C");
  EXPECT_EQ(to_bracketed(*r), "(01)09520123456788(10)AB\\(C");
}

TEST(Bracketed, StructureErrorsAreParseErrors) {
  EXPECT_EQ(error_of(parse_bracketed("")), "AI_PARSE_FAILED");
  EXPECT_EQ(error_of(parse_bracketed("01)0952")), "AI_PARSE_FAILED");
  EXPECT_EQ(error_of(parse_bracketed("(01")), "AI_PARSE_FAILED");
  EXPECT_EQ(error_of(parse_bracketed("(01)")), "AI_PARSE_FAILED");
  EXPECT_EQ(error_of(parse_bracketed("(0A)12")), "AI_UNRECOGNISED");
  EXPECT_EQ(error_of(parse_bracketed("(89)12")), "AI_UNRECOGNISED");
}

TEST(Bracketed, LengthErrorsComeBeforeContentErrors) {
  EXPECT_EQ(error_of(parse_bracketed("(01)0952012345678")), "AI_VALUE_IS_TOO_SHORT");
  // Too long AND a bad check digit: the length is reported.
  EXPECT_EQ(error_of(parse_bracketed("(01)095201234567899")), "AI_VALUE_IS_TOO_LONG");
  EXPECT_EQ(error_of(parse_bracketed("(10)A^B(01)09520123456788")),
            "AI_CONTAINS_ILLEGAL_CARAT_CHARACTER");
}

TEST(Bracketed, ContentErrorsNameTheLinterAndPointAtTheCharacters) {
  std::string in = "(01)09520123456788(17)251332";
  auto r = parse_bracketed(in);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::AI_LINTER_ERROR);
  EXPECT_EQ(r.error().name(), "ILLEGAL_MONTH");
  EXPECT_EQ(r.error().ai, "17");
  EXPECT_EQ(in.substr(r.error().position, r.error().length), "13");

  auto cd = parse_bracketed("(01)09520123456787");
  ASSERT_FALSE(cd);
  EXPECT_EQ(cd.error().name(), "INCORRECT_CHECK_DIGIT");
  EXPECT_EQ(cd.error().position, 17u);
  EXPECT_EQ(cd.error().length, 1u);
}

TEST(Bracketed, ExpiryDayZeroMeansEndOfMonth) {
  // GenSpecs 7.12: DD = 00 in AI (17) stands for the last day of the month.
  EXPECT_TRUE(parse_bracketed("(01)09520123456788(17)251200"));
  EXPECT_EQ(error_of(parse_bracketed("(01)09520123456788(17)250230")), "ILLEGAL_DAY");
}

TEST(Unbracketed, FixedLengthAisNeedNoSeparator) {
  auto r = parse_unbracketed(
      "^01095201234567881725123110ABC\x1D"
      "21XYZ");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(to_bracketed(*r), "(01)09520123456788(17)251231(10)ABC(21)XYZ");
  EXPECT_EQ(to_unbracketed(*r), "^01095201234567881725123110ABC^21XYZ");
  EXPECT_EQ(to_unbracketed(*r, '\x1D'),
            "\x1D"
            "01095201234567881725123110ABC\x1D"
            "21XYZ");
}

TEST(Unbracketed, NeedsFnc1InFirstPosition) {
  EXPECT_EQ(error_of(parse_unbracketed("0109520123456788")), "NOT_AI_DATA");
  EXPECT_EQ(error_of(parse_unbracketed("^")), "AI_DATA_EMPTY");
  EXPECT_EQ(error_of(parse_unbracketed("^89123")), "NO_AI_FOR_PREFIX");
}

TEST(Unbracketed, LengthErrorsOfAMessage) {
  EXPECT_EQ(error_of(parse_unbracketed("^010952012345678")), "AI_DATA_HAS_INCORRECT_LENGTH");
  EXPECT_EQ(error_of(parse_unbracketed("^10")), "AI_DATA_IS_EMPTY");
  EXPECT_EQ(error_of(parse_unbracketed("^01095201234567882112345678901234567890123")),
            "AI_DATA_IS_TOO_LONG");
}

TEST(Associations, RequisiteAisMustBePresent) {
  // GenSpecs 4.14: a serial (21) needs its GTIN (01), (03) or ITIP (8006).
  auto r = parse_bracketed("(21)ABC");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::REQUIRED_AIS_NOT_SATISFIED);
  EXPECT_EQ(r.error().ai, "21");
  Options lax;
  lax.check_requisites = false;
  EXPECT_TRUE(parse_bracketed("(21)ABC", lax));
}

TEST(Associations, MutuallyExclusiveAisAreRejected) {
  EXPECT_EQ(error_of(parse_bracketed("(01)09520123456788(02)09520123456788(37)1")),
            "INVALID_AI_PAIRS");
  // Patterns: two net weights (310n) of different precision.
  EXPECT_EQ(error_of(parse_bracketed("(01)09520123456788(3102)000100(3103)000100")),
            "INVALID_AI_PAIRS");
}

TEST(Associations, RepeatedAisMustAgree) {
  EXPECT_TRUE(parse_bracketed("(01)09520123456788(01)09520123456788"));
  EXPECT_EQ(error_of(parse_bracketed("(01)09520123456788(10)A(10)B")),
            "INSTANCES_OF_AI_HAVE_DIFFERENT_VALUES");
}

TEST(Associations, DigitalSignatureNeedsASerialisedKey) {
  EXPECT_EQ(error_of(parse_bracketed("(253)9520123456788(8030)ABC")), "SERIAL_NOT_PRESENT");
  EXPECT_TRUE(parse_bracketed("(253)9520123456788X(8030)ABC"));
}

TEST(Composite, LinearAndTwoDimensionalComponentsKeepTheirSeparator) {
  auto r = parse_bracketed("(01)09520123456788(10)ABC|(21)XYZ");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->composite_start(), 2u);
  EXPECT_EQ(to_bracketed(*r), "(01)09520123456788(10)ABC|(21)XYZ");
  EXPECT_EQ(to_unbracketed(*r), "^010952012345678810ABC|^21XYZ");
}

TEST(Hri, OneLinePerAiWithOptionalTitles) {
  auto r = parse_bracketed("(01)09520123456788(10)ABC");
  ASSERT_TRUE(r);
  EXPECT_EQ(to_hri(*r), (std::vector<std::string>{"(01) 09520123456788", "(10) ABC"}));
  EXPECT_EQ(to_hri(*r, true)[1], "BATCH/LOT (10) ABC");
}

TEST(Reuse, OneAiDataServesManyParses) {
  AiData d;
  ASSERT_FALSE(parse_bracketed_into("(01)09520123456788(21)A", d));
  ASSERT_FALSE(parse_bracketed_into("(00)952012345678912345", d));
  EXPECT_EQ(d.size(), 1u);
  EXPECT_EQ(d.get("00"), "952012345678912345");
  EXPECT_FALSE(d.has("01"));
}

}  // namespace
}  // namespace serialtrack::gs1

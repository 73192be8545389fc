// The one entry point: every input form is recognised and normalised to the same AIs.
#include <gtest/gtest.h>

#include "gs1/element_string.h"
#include "gs1/identify.h"

namespace serialtrack::gs1 {
namespace {

constexpr const char* kExpected = "(01)09520123456788(21)12345";

TEST(Identify, EveryFormOfOneItemGivesTheSameAis) {
  struct Case {
    const char* input;
    InputForm form;
  } cases[] = {
      {"(01)09520123456788(21)12345", InputForm::BRACKETED},
      {"^01095201234567882112345", InputForm::UNBRACKETED},
      {"\x1D" "01095201234567882112345", InputForm::UNBRACKETED},
      {"]d201095201234567882112345", InputForm::SCAN},
      {"https://id.gs1.org/01/09520123456788/21/12345", InputForm::DIGITAL_LINK},
      {"https://example.com/some/stem/01/09520123456788/21/12345?linkType=all",
       InputForm::DIGITAL_LINK},
      {"urn:epc:id:sgtin:9520123.045678.12345", InputForm::EPC_URI},
      {"urn:epc:tag:sgtin-96:1.9520123.045678.12345", InputForm::EPC_TAG_URI},
  };
  for (const auto& c : cases) {
    auto r = identify(c.input);
    ASSERT_TRUE(r) << c.input << ": " << r.error().name() << " " << r.error().message;
    EXPECT_EQ(r->form, c.form) << c.input;
    EXPECT_EQ(to_bracketed(r->ais), kExpected) << c.input;
    EXPECT_EQ(r->gtin(), "09520123456788") << c.input;
    EXPECT_EQ(r->serial(), "12345") << c.input;
  }
}

TEST(Identify, EpcHexRoundTripsThroughItsTag) {
  auto tag = identify("urn:epc:tag:sgtin-96:1.9520123.045678.12345");
  ASSERT_TRUE(tag && tag->tag);
  auto hex = encode_epc_hex(*tag->tag);
  ASSERT_TRUE(hex);
  auto r = identify(*hex);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->form, InputForm::EPC_HEX);
  EXPECT_EQ(to_bracketed(r->ais), kExpected);
  ASSERT_TRUE(r->epc);
  EXPECT_EQ(to_epc_uri(*r->epc), "urn:epc:id:sgtin:9520123.045678.12345");
}

TEST(Identify, EpcNeedsTheCompanyPrefixLength) {
  auto without = identify("(01)09520123456788(21)12345");
  ASSERT_TRUE(without);
  EXPECT_FALSE(without->epc);
  IdentifyOptions o;
  o.gcp_length = 7;
  auto with = identify("(01)09520123456788(21)12345", o);
  ASSERT_TRUE(with && with->epc);
  EXPECT_EQ(to_epc_uri(*with->epc), "urn:epc:id:sgtin:9520123.045678.12345");
}

TEST(Identify, DigitalLinkKeepsNonGs1QueryParameters) {
  auto r = identify("https://example.com/01/09520123456788?linkType=gs1:pip");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->other_query_params.size(), 1u);
  EXPECT_EQ(r->other_query_params[0].first, "linkType");
}

TEST(Identify, UnknownTextIsRejectedWithItsSpan) {
  auto r = identify("hello world");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::UNRECOGNISED_INPUT);
  EXPECT_EQ(r.error().length, 11u);
  EXPECT_EQ(identify("").error().code, ErrorCode::UNRECOGNISED_INPUT);
  EXPECT_EQ(identify(std::string(5000, '(')).error().code, ErrorCode::INPUT_TOO_LONG);
}

TEST(Identify, ErrorsOfTheFormsParserPointIntoTheInput) {
  std::string in = "https://id.gs1.org/01/09520123456789";
  auto r = identify(in);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().name(), "INCORRECT_CHECK_DIGIT");
  EXPECT_EQ(in.substr(r.error().position, r.error().length), "9");
}

TEST(Identify, PlainScanDataIsNotAnIdentifier) {
  auto r = identify("]Q1HELLO");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::NOT_AI_DATA);
}

}  // namespace
}  // namespace serialtrack::gs1

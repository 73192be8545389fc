// Unit tests of EPC URIs, binary encodings and the GCP length table, one behaviour each.
#include "gs1/epc.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "gs1/ai_table.h"
#include "gs1/gcp_length.h"

namespace serialtrack::gs1 {
namespace {

std::string code_of(const Error& e) {
  return std::string(e.name());
}

template <typename T>
std::string error_of(const Result<T>& r) {
  return r.ok() ? "OK" : code_of(r.error());
}

AiData ai(std::initializer_list<std::pair<std::string_view, std::string_view>> elements) {
  AiData data;
  for (auto [a, v] : elements) data.add(a, v, find_ai(a), 0);
  return data;
}

std::string hex_of(std::string_view tag_uri) {
  auto tag = parse_tag_uri(tag_uri);
  if (!tag.ok()) return "error " + code_of(tag.error());
  auto hex = encode_epc_hex(*tag);
  return hex.ok() ? *hex : "error " + code_of(hex.error());
}

std::string tag_uri_of(std::string_view hex) {
  auto tag = decode_epc_hex(hex);
  return tag.ok() ? to_tag_uri(*tag) : "error " + code_of(tag.error());
}

// --- pure identity URIs, per scheme (TDS 6.3) ----------------------------------------

TEST(EpcUri, SgtinParsesIntoCompanyPrefixReferenceAndSerial) {
  auto epc = parse_epc_uri("urn:epc:id:sgtin:0614141.812345.6789");
  ASSERT_TRUE(epc.ok());
  EXPECT_EQ(epc->scheme, EpcScheme::SGTIN);
  EXPECT_EQ(epc->company_prefix.view(), "0614141");
  EXPECT_EQ(epc->reference.view(), "812345");
  EXPECT_EQ(epc->serial.view(), "6789");
  EXPECT_EQ(to_epc_uri(*epc), "urn:epc:id:sgtin:0614141.812345.6789");
}

TEST(EpcUri, EverySchemeRoundTripsThroughItsElementString) {
  struct Case {
    const char* uri;
    const char* element_string;
  };
  const Case cases[] = {
      {"urn:epc:id:sgtin:0614141.812345.6789", "(01)80614141123458(21)6789"},
      {"urn:epc:id:sscc:0614141.1234567890", "(00)106141412345678908"},
      {"urn:epc:id:sgln:0614141.12345.5678", "(414)0614141123452(254)5678"},
      {"urn:epc:id:sgln:0614141.12345.0", "(414)0614141123452"},
      {"urn:epc:id:grai:0614141.12345.5678", "(8003)006141411234525678"},
      {"urn:epc:id:giai:0614141.32a%2Fb", "(8004)061414132a/b"},
      {"urn:epc:id:gsrn:0614141.1234567890", "(8018)061414112345678902"},
      {"urn:epc:id:gsrnp:0614141.1234567890", "(8017)061414112345678902"},
      {"urn:epc:id:gdti:0614141.12345.5678", "(253)06141411234525678"},
      {"urn:epc:id:cpi:0614141.5PQ7%2FZ43.12345", "(8010)06141415PQ7/Z43(8011)12345"},
      {"urn:epc:id:sgcn:4012345.67890.04711", "(255)401234567890104711"},
      {"urn:epc:id:itip:4012345.012345.01.02.981", "(8006)040123451234560102(21)981"},
      {"urn:epc:class:lgtin:4012345.012345.998877", "(01)04012345123456(10)998877"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.uri);
    auto epc = parse_epc_uri(c.uri);
    ASSERT_TRUE(epc.ok()) << code_of(epc.error());
    EXPECT_EQ(to_epc_uri(*epc), c.uri);
    auto data = to_ai_data(*epc);
    ASSERT_TRUE(data.ok());
    std::string got;
    for (AiElement el : *data) got.append("(").append(el.ai).append(")").append(el.value);
    EXPECT_EQ(got, c.element_string);
    auto back = epc_from_ai_data(*data, epc->company_prefix.size());
    ASSERT_TRUE(back.ok()) << code_of(back.error());
    EXPECT_EQ(*back, *epc);
  }
}

TEST(EpcUri, GidHasNoElementString) {
  auto epc = parse_epc_uri("urn:epc:id:gid:31415.271828.1414");
  ASSERT_TRUE(epc.ok());
  EXPECT_EQ(error_of(to_ai_data(*epc)), "UNSUPPORTED_SCHEME");
}

TEST(EpcUri, SerialIsUnescapedOnInputAndEscapedOnOutput) {
  auto epc = parse_epc_uri("urn:epc:id:sgtin:0614141.712345.32a%2Fb%25%22%26%3C%3E%3F");
  ASSERT_TRUE(epc.ok());
  EXPECT_EQ(epc->serial.view(), "32a/b%\"&<>?");
  EXPECT_EQ(to_epc_uri(*epc), "urn:epc:id:sgtin:0614141.712345.32a%2Fb%25%22%26%3C%3E%3F");
}

TEST(EpcUri, SafeCharactersAreNotEscaped) {
  auto epc = parse_epc_uri("urn:epc:id:sgtin:0614141.712345.a!'()*+,-.:;=_");
  ASSERT_TRUE(epc.ok());
  EXPECT_EQ(epc->serial.view(), "a!'()*+,-.:;=_");
  EXPECT_EQ(to_epc_uri(*epc), "urn:epc:id:sgtin:0614141.712345.a!'()*+,-.:;=_");
}

TEST(EpcUri, DotsInTheLastComponentBelongToTheSerial) {
  auto epc = parse_epc_uri("urn:epc:id:giai:207989.S.:C");
  ASSERT_TRUE(epc.ok());
  EXPECT_EQ(epc->serial.view(), "S.:C");
}

TEST(EpcUri, BadEscapeIsRejected) {
  EXPECT_EQ(error_of(parse_epc_uri("urn:epc:id:sgtin:0614141.712345.a%2")), "INVALID_ESCAPE");
  EXPECT_EQ(error_of(parse_epc_uri("urn:epc:id:sgtin:0614141.712345.a%G1")), "INVALID_ESCAPE");
}

TEST(EpcUri, UnescapedReservedCharacterIsRejected) {
  auto r = parse_epc_uri("urn:epc:id:sgtin:0614141.712345.a/b");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(code_of(r.error()), "INVALID_CHARACTER");
  EXPECT_EQ(r.error().position, 33u);  // points at the '/'
}

TEST(EpcUri, CharacterOutsideCset82IsRejected) {
  EXPECT_EQ(error_of(parse_epc_uri("urn:epc:id:sgtin:0614141.712345.a%20b")), "INVALID_CHARACTER");
  EXPECT_EQ(error_of(parse_epc_uri("urn:epc:id:sgtin:0614141.712345.a b")), "INVALID_CHARACTER");
}

TEST(EpcUri, StructuralErrorsHaveTheirOwnCodes) {
  EXPECT_EQ(error_of(parse_epc_uri("urn:epc:tag:sgtin-96:3.0614141.812345.6789")),
            "NOT_AN_EPC_URI");
  EXPECT_EQ(error_of(parse_epc_uri("urn:epc:id:sgtinx:0614141.812345.6789")), "UNSUPPORTED_SCHEME");
  EXPECT_EQ(error_of(parse_epc_uri("urn:epc:id:sgtin:0614141.812345")),
            "WRONG_NUMBER_OF_COMPONENTS");
  EXPECT_EQ(error_of(parse_epc_uri("urn:epc:id:sgtin:06141.8123456.1")), "INVALID_COMPANY_PREFIX");
  EXPECT_EQ(error_of(parse_epc_uri("urn:epc:id:sgtin:0614141.81234.1")),
            "INVALID_REFERENCE_LENGTH");
  EXPECT_EQ(error_of(parse_epc_uri("urn:epc:id:sgtin:0614141.812345.")), "EMPTY_SERIAL");
  EXPECT_EQ(error_of(parse_epc_uri("urn:epc:id:sgtin:0614141.812345.123456789012345678901")),
            "SERIAL_TOO_LONG");
  EXPECT_EQ(error_of(parse_epc_uri("urn:epc:id:sgcn:4012345.67890.A1")), "INVALID_NUMERIC_SERIAL");
  EXPECT_EQ(error_of(parse_epc_uri("urn:epc:class:sgtin:0614141.812345.1")), "UNSUPPORTED_SCHEME");
}

// --- tag URIs and binary (TDS 12, 14) ----------------------------------------------------

TEST(EpcTagUri, FilterValueMustBeOneDigitZeroToSeven) {
  EXPECT_EQ(error_of(parse_tag_uri("urn:epc:tag:sgtin-96:8.0614141.812345.6789")),
            "INVALID_FILTER");
  EXPECT_EQ(error_of(parse_tag_uri("urn:epc:tag:sgtin-96:10.0614141.812345.6789")),
            "INVALID_FILTER");
  EXPECT_EQ(error_of(parse_tag_uri("urn:epc:tag:sgtin-96:7.0614141.812345.6789")), "OK");
}

TEST(EpcTagUri, PureIdentityIsNotATagUri) {
  EXPECT_EQ(error_of(parse_tag_uri("urn:epc:id:sgtin:0614141.812345.6789")), "NOT_A_TAG_URI");
}

TEST(EpcBinary, Sgtin96EncodesTheTdsExample) {
  EXPECT_EQ(hex_of("urn:epc:tag:sgtin-96:3.0614141.812345.6789"), "3074257BF7194E4000001A85");
  EXPECT_EQ(tag_uri_of("3074257bf7194e4000001a85"), "urn:epc:tag:sgtin-96:3.0614141.812345.6789");
}

TEST(EpcBinary, NumericSerialOfA96BitSchemeHasNoLeadingZeros) {
  EXPECT_EQ(hex_of("urn:epc:tag:sgtin-96:3.0614141.812345.06789"), "error INVALID_NUMERIC_SERIAL");
  EXPECT_EQ(hex_of("urn:epc:tag:sgtin-96:3.0614141.812345.0"), "3074257BF7194E4000000000");
}

TEST(EpcBinary, NumericSerialMustFitItsField) {
  EXPECT_EQ(hex_of("urn:epc:tag:sgtin-96:3.0614141.812345.274877906943"),
            "3074257BF7194E7FFFFFFFFF");
  EXPECT_EQ(hex_of("urn:epc:tag:sgtin-96:3.0614141.812345.274877906944"), "error VALUE_TOO_LARGE");
  EXPECT_EQ(hex_of("urn:epc:tag:sgtin-96:3.0614141.812345.99999999999999999999"),
            "error VALUE_TOO_LARGE");
}

TEST(EpcBinary, AutoPicksTheShortSchemeWhenTheSerialFits) {
  auto epc = parse_epc_uri("urn:epc:id:sgtin:0614141.812345.6789");
  ASSERT_TRUE(epc.ok());
  auto tag = make_tag(*epc);
  ASSERT_TRUE(tag.ok());
  EXPECT_EQ(tag->scheme, TagScheme::SGTIN_96);
  auto long_serial = parse_epc_uri("urn:epc:id:sgtin:0614141.812345.06789");
  ASSERT_TRUE(long_serial.ok());
  auto tag198 = make_tag(*long_serial, TagScheme::AUTO, 3);
  ASSERT_TRUE(tag198.ok());
  EXPECT_EQ(tag198->scheme, TagScheme::SGTIN_198);
  EXPECT_EQ(to_tag_uri(*tag198), "urn:epc:tag:sgtin-198:3.0614141.812345.06789");
}

TEST(EpcBinary, SchemeMustMatchTheIdentifier) {
  auto epc = parse_epc_uri("urn:epc:id:sscc:0614141.1234567890");
  ASSERT_TRUE(epc.ok());
  EXPECT_EQ(error_of(make_tag(*epc, TagScheme::SGTIN_96)), "UNSUPPORTED_SCHEME");
  EXPECT_EQ(error_of(make_tag(*epc, TagScheme::SSCC_96, 8)), "INVALID_FILTER");
  auto lgtin = parse_epc_uri("urn:epc:class:lgtin:4012345.012345.998877");
  ASSERT_TRUE(lgtin.ok());
  EXPECT_EQ(error_of(make_tag(*lgtin)), "UNSUPPORTED_SCHEME");
}

TEST(EpcBinary, StringSerialIsLimitedToItsSchemeLength) {
  // GRAI-170 holds 16 characters (TDS 14.5.4).
  EXPECT_EQ(hex_of("urn:epc:tag:grai-170:3.0614141.12345.ABCDEFGHIJKLMNOP").substr(0, 4), "3774");
  EXPECT_EQ(hex_of("urn:epc:tag:grai-170:3.0614141.12345.ABCDEFGHIJKLMNOPQ"),
            "error SERIAL_TOO_LONG");
}

TEST(EpcBinary, HexErrorsAreClassified) {
  EXPECT_EQ(tag_uri_of(""), "error INVALID_HEX");
  EXPECT_EQ(tag_uri_of("30x4"), "error INVALID_HEX");
  EXPECT_EQ(tag_uri_of("3"), "error TOO_SHORT");
  EXPECT_EQ(tag_uri_of("3074257BF7194E4000001A8"), "error TOO_SHORT");
  EXPECT_EQ(tag_uri_of("FF74257BF7194E4000001A85"), "error UNKNOWN_HEADER");
  EXPECT_EQ(tag_uri_of("307FFFFFFFFFFFFFFFFFFFFF"), "error INVALID_PARTITION");
}

TEST(EpcBinary, ReservedBitsOfSsccMustBeZero) {
  EXPECT_EQ(tag_uri_of("3174257BF4499602D2000000"), "urn:epc:tag:sscc-96:3.0614141.1234567890");
  EXPECT_EQ(tag_uri_of("3174257BF4499602D2000001"), "error NON_ZERO_PADDING");
}

TEST(EpcBinary, BitsAfterTheSchemeAreIgnored) {
  EXPECT_EQ(tag_uri_of("3074257BF7194E4000001A85FFFF"),
            "urn:epc:tag:sgtin-96:3.0614141.812345.6789");
}

TEST(EpcBinary, Gid96HasNoFilter) {
  EXPECT_EQ(tag_uri_of("350007AB70425D4000000586"), "urn:epc:tag:gid-96:31415.271828.1414");
  EXPECT_EQ(hex_of("urn:epc:tag:gid-96:31415.271828.1414"), "350007AB70425D4000000586");
}

TEST(EpcBinary, SgcnSerialKeepsLeadingZeros) {
  EXPECT_EQ(hex_of("urn:epc:tag:sgcn-96:3.4012345.67890.04711"), "3F74F4E4E612640000019907");
  EXPECT_EQ(tag_uri_of("3F74F4E4E612640000019907"), "urn:epc:tag:sgcn-96:3.4012345.67890.04711");
}

TEST(EpcBinary, DecodeNeedsNoHeapForShortSerials) {
  // Epc keeps its components inline: copying one is a plain memberwise copy.
  static_assert(sizeof(Epc) < 128);
  auto tag = decode_epc_hex("3074257BF7194E4000001A85");
  ASSERT_TRUE(tag.ok());
  Epc copy = tag->epc;
  EXPECT_EQ(copy, tag->epc);
}

// --- element strings -> EPC (TDS 7) ---------------------------------------------------

TEST(EpcFromElementString, GtinWithoutSerialOrLotHasNoEpc) {
  EXPECT_EQ(error_of(epc_from_ai_data(ai({{"01", "80614141123458"}}), 7)), "NO_EPC_FOR_DATA");
  EXPECT_EQ(error_of(epc_from_ai_data(ai({{"10", "ABC"}}), 7)), "NO_EPC_FOR_DATA");
  EXPECT_EQ(error_of(epc_from_ai_data(ai({{"253", "0614141123452"}}), 7)), "NO_EPC_FOR_DATA");
}

TEST(EpcFromElementString, GtinWithLotIsAnLgtinClass) {
  auto epc = epc_from_ai_data(ai({{"01", "04012345123456"}, {"10", "998877"}}), 7);
  ASSERT_TRUE(epc.ok());
  EXPECT_EQ(to_epc_uri(*epc), "urn:epc:class:lgtin:4012345.012345.998877");
}

TEST(EpcFromElementString, SerialWinsOverLot) {
  auto epc = epc_from_ai_data(ai({{"01", "04012345123456"}, {"10", "L1"}, {"21", "S/1"}}), 7);
  ASSERT_TRUE(epc.ok());
  EXPECT_EQ(to_epc_uri(*epc), "urn:epc:id:sgtin:4012345.012345.S%2F1");
}

TEST(EpcFromElementString, CompanyPrefixLengthMustBeSixToTwelve) {
  auto data = ai({{"01", "80614141123458"}, {"21", "6789"}});
  EXPECT_EQ(error_of(epc_from_ai_data(data, 5)), "INVALID_COMPANY_PREFIX");
  EXPECT_EQ(error_of(epc_from_ai_data(data, 13)), "INVALID_COMPANY_PREFIX");
  EXPECT_EQ(error_of(epc_from_ai_data(data, 12)), "OK");
}

TEST(EpcFromElementString, WrongCheckDigitIsRejected) {
  auto r = epc_from_ai_data(ai({{"01", "80614141123459"}, {"21", "6789"}}), 7);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(code_of(r.error()), "INCORRECT_CHECK_DIGIT");
}

TEST(EpcFromElementString, CompanyPrefixLengthComesFromTheTable) {
  auto table = GcpLengthTable::parse("0614141\t7\n");
  ASSERT_TRUE(table.ok());
  auto epc = epc_from_ai_data(ai({{"01", "80614141123458"}, {"21", "6789"}}), *table);
  ASSERT_TRUE(epc.ok());
  EXPECT_EQ(to_epc_uri(*epc), "urn:epc:id:sgtin:0614141.812345.6789");
  EXPECT_EQ(error_of(epc_from_ai_data(ai({{"00", "195201234000000013"}}), *table)),
            "UNKNOWN_COMPANY_PREFIX_LENGTH");
}

// --- GCP length table -----------------------------------------------------------------

TEST(GcpLengthTable, LongestMatchingPrefixWins) {
  auto table = GcpLengthTable::parse("401 7\n4012345 7\n40123456\t8\n");
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->lookup("4019999999999"), 7u);
  EXPECT_EQ(table->lookup("4012345000000"), 7u);
  EXPECT_EQ(table->lookup("4012345600000"), 8u);
  EXPECT_EQ(table->lookup("5012345600000"), std::nullopt);
}

TEST(GcpLengthTable, CommentsBlankLinesAndZeroLengthAreUnderstood) {
  auto table = GcpLengthTable::parse("# header\n\n952 7  # demo\n999\t0\r\n");
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->size(), 2u);
  EXPECT_EQ(table->lookup("9520123456788"), 7u);
  EXPECT_EQ(table->lookup("9990000000000"), std::nullopt);
}

TEST(GcpLengthTable, BadLinesAreReportedWithTheirOffset) {
  auto r = GcpLengthTable::parse("952 7\n95x 7\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(code_of(r.error()), "GCP_TABLE_INVALID_LINE");
  EXPECT_EQ(r.error().position, 6u);
  EXPECT_EQ(error_of(GcpLengthTable::parse("952 13\n")), "GCP_TABLE_INVALID_LINE");
  EXPECT_EQ(error_of(GcpLengthTable::parse("952\n")), "GCP_TABLE_INVALID_LINE");
}

TEST(GcpLengthTable, LaterDuplicateReplacesEarlier) {
  auto table = GcpLengthTable::parse("952 7\n952 9\n");
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->lookup("9520000000000"), 9u);
}

TEST(GcpLengthTable, ShippedSampleTableLoads) {
  auto table = GcpLengthTable::load(std::string(SERIALTRACK_TEST_DATA) + "/gcp_prefix_lengths.txt");
  ASSERT_TRUE(table.ok()) << table.error().message;
  EXPECT_EQ(table->lookup("0614141123452"), 7u);
  EXPECT_EQ(table->lookup("4012345612345"), 8u);
  EXPECT_EQ(error_of(GcpLengthTable::load("/nonexistent/gcp.txt")), "GCP_TABLE_UNREADABLE");
}

TEST(GcpLengthTable, ConcurrentLookupsAgree) {
  auto table = GcpLengthTable::parse("401 7\n4012345 7\n40123456 8\n952 7\n");
  ASSERT_TRUE(table.ok());
  const GcpLengthTable& t = *table;
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&t, &wrong, i] {
      for (int n = 0; n < 10000; ++n) {
        if (t.lookup("4012345600000") != 8u || t.lookup("9521") != 7u) ++wrong[i];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int w : wrong) EXPECT_EQ(w, 0);
}

}  // namespace
}  // namespace serialtrack::gs1

// Scan data: rules beyond the reference vectors, named for the behaviour.
#include <gtest/gtest.h>

#include "gs1/element_string.h"
#include "gs1/scan_data.h"

namespace serialtrack::gs1 {
namespace {

TEST(ScanData, GsSeparatorsBecomeFnc1AndTheSymbologyIsNamed) {
  auto r = parse_scan_data("]d201095201234567881725123110ABC\x1D" "21XYZ");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->symbology, Symbology::kDataMatrix);
  EXPECT_EQ(r->message, "^01095201234567881725123110ABC^21XYZ");
  EXPECT_EQ(to_bracketed(r->data), "(01)09520123456788(17)251231(10)ABC(21)XYZ");
}

TEST(ScanData, ABarSentByAReaderIsDataNotACompositeSeparator) {
  // Found by fuzzing: "|" marks a composite only in GS1's notation, never on the wire.
  auto r = parse_scan_data("]J1972|\x1D" "94+1");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().name(), "INVALID_CSET82_CHARACTER");
}

TEST(ScanData, GeneratedScanDataParsesBackToTheSameMessage) {
  auto scan = to_scan_data(Symbology::kQr, "^010952012345678810ABC^21XYZ");
  ASSERT_TRUE(scan);
  EXPECT_EQ(*scan, "]Q3010952012345678810ABC\x1D" "21XYZ");
  auto back = parse_scan_data(*scan);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->message, "^010952012345678810ABC^21XYZ");
}

TEST(ScanData, PlainDataHoldingADigitalLinkYieldsItsAis) {
  auto r = parse_scan_data("]Q1https://id.gs1.org/01/09520123456788/21/XYZ");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->digital_link);
  EXPECT_EQ(to_bracketed(r->data), "(01)09520123456788(21)XYZ");
}

TEST(ScanData, MissingOrUnknownSymbologyIdentifierIsRejected) {
  EXPECT_EQ(parse_scan_data("0109520123456788").error().code,
            ErrorCode::MISSING_SYMBOLOGY_IDENTIFIER);
  EXPECT_EQ(parse_scan_data("]Z9123").error().code, ErrorCode::UNSUPPORTED_SYMBOLOGY_IDENTIFIER);
}

}  // namespace
}  // namespace serialtrack::gs1

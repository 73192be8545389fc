// The GS1 keys the simulator issues carry correct check digits, and their EPC URIs name
// the same keys (GS1 TDS 6.3): checked through gs1::identify, not by recomputing.
#include "sim/gs1_keys.h"

#include <gtest/gtest.h>

#include "gs1/identify.h"

namespace serialtrack::sim {
namespace {

TEST(Gs1Keys, GtinGlnAndSsccValidateAsElementStrings) {
  for (uint32_t ref : {0u, 7u, 31912u, 99999u}) {
    std::string gtin = make_gtin14('0', "4002141", ref);
    std::string gln = make_gln("8401234", ref);
    std::string sscc = make_sscc('3', "5901234", 1000ull * ref + 999);
    ASSERT_EQ(gtin.size(), 14u);
    ASSERT_EQ(gln.size(), 13u);
    ASSERT_EQ(sscc.size(), 18u);
    for (const std::string& scan : {"(01)" + gtin, "(414)" + gln, "(00)" + sscc}) {
      auto r = gs1::identify(scan);
      EXPECT_TRUE(r) << scan << ": " << (r ? "" : r.error().message);
    }
  }
}

TEST(Gs1Keys, EpcUrisNameTheSameKeys) {
  std::string gtin = make_gtin14('0', "4002141", 31912);
  auto unit = gs1::identify(sgtin_urn(gtin, "AB/1%2&"));
  ASSERT_TRUE(unit) << unit.error().message;
  EXPECT_EQ(unit->gtin(), gtin);
  EXPECT_EQ(unit->serial(), "AB/1%2&") << "escaped in the URI, whole again once parsed";
  std::string sscc = make_sscc('1', "4002141", 123456789);
  auto pallet = gs1::identify(sscc_urn(sscc));
  ASSERT_TRUE(pallet) << pallet.error().message;
  EXPECT_EQ(pallet->sscc(), sscc);
  std::string gln = make_gln("4002141", 42);
  auto site = gs1::identify(sgln_urn(gln, "3"));
  ASSERT_TRUE(site) << site.error().message;
  EXPECT_EQ(site->gln(), gln);
  EXPECT_EQ(pgln_urn(gln), "urn:epc:id:pgln:4002141.00042");
  EXPECT_EQ(gtin_pattern_urn(gtin), "urn:epc:idpat:sgtin:4002141.031912.*");
  auto pack = gs1::identify(pack_element_string(gtin, "270708", "L100001", "7016274115238"));
  ASSERT_TRUE(pack) << pack.error().message;
  EXPECT_EQ(pack->expiry(), "270708");
}

}  // namespace
}  // namespace serialtrack::sim

// DSCSA Verification Router Service answers (GS1 Lightweight Messaging Standard): the
// product identifier matches or not, with LMS failure reasons and plain-word reasons.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "trace/dscsa.h"
#include "trace/pack_fixture.h"

namespace serialtrack::trace {
namespace {

using namespace serialtrack::testing;

VrsRequest request(const std::string& serial, const std::string& lot = kLot,
                   const std::string& expiry = kExpiry) {
  VrsRequest r;
  r.gtin = kGtin;
  r.serial = serial;
  r.lot = lot;
  r.expiry = expiry;
  r.requestor_gln = kPartyB;
  r.correlation_id = "1e1bc4a4-4a6b-4f3a-9a0f-6e2c3d4e5f60";
  r.client = "vrs";
  r.now_unix_nanos = kNow;
  return r;
}

VrsResponse answer(PackStore& p, const VrsRequest& r) {
  auto a = verify_dscsa(*p.store, *p.log, r);
  EXPECT_TRUE(a) << a.error().message;
  return a ? *a : VrsResponse{};
}

TEST(DscsaVerification, AMatchingActivePackIsVerified) {
  PackStore p("dscsa_verified");
  p.commission({"PACK1"});
  VrsResponse r = answer(p, request("PACK1"));
  EXPECT_TRUE(r.verified);
  EXPECT_EQ(r.failure_reason, "");
  EXPECT_TRUE(r.reasons.empty());
  EXPECT_EQ(r.correlation_id, "1e1bc4a4-4a6b-4f3a-9a0f-6e2c3d4e5f60");
}

TEST(DscsaVerification, NoRecordOfTheSerial) {
  PackStore p("dscsa_no_record");
  p.commission({"PACK1"});
  VrsResponse r = answer(p, request("NOSUCH"));
  EXPECT_FALSE(r.verified);
  EXPECT_EQ(r.failure_reason, "No_match_GTIN_Serial");
  EXPECT_EQ(r.reasons, std::vector<std::string>{"no record of this serial"});
}

TEST(DscsaVerification, LotAndExpiryMismatchesAreNamed) {
  PackStore p("dscsa_mismatch");
  p.commission({"PACK1"});
  VrsResponse lot = answer(p, request("PACK1", "LOT43"));
  EXPECT_FALSE(lot.verified);
  EXPECT_EQ(lot.failure_reason, "No_match_GTIN_Serial_Lot");
  EXPECT_EQ(lot.reasons, std::vector<std::string>{"lot mismatch"});
  VrsResponse expiry = answer(p, request("PACK1", kLot, "280101"));
  EXPECT_EQ(expiry.failure_reason, "No_match_GTIN_Serial_Expiry");
  EXPECT_EQ(expiry.reasons, std::vector<std::string>{"expiry mismatch"});
  VrsResponse both = answer(p, request("PACK1", "LOT43", "280101"));
  EXPECT_EQ(both.failure_reason, "No_match_GTIN_Serial_Lot_Expiry");
  EXPECT_EQ(both.reasons, (std::vector<std::string>{"lot mismatch", "expiry mismatch"}));
}

TEST(DscsaVerification, ARecalledPackIsNotForRedistribution) {
  PackStore p("dscsa_recalled");
  p.commission({"PACK1"});
  const std::string recalled = "urn:epcglobal:cbv:disp:recalled";
  p.observe("PACK1", recalled, kNow - kDay, {recalled});
  VrsResponse r = answer(p, request("PACK1"));
  EXPECT_FALSE(r.verified);
  EXPECT_EQ(r.failure_reason, "Not_for_re-distribution");
  EXPECT_EQ(r.additional_info, "Recalled");
  EXPECT_EQ(r.reasons, std::vector<std::string>{"status: recalled"});
}

TEST(DscsaVerification, AnExpiredPackSaysExpired) {
  PackStore p("dscsa_expired");
  p.commission({"OLD"}, kLot, "2026-01-31");
  VrsResponse r = answer(p, request("OLD", kLot, "260131"));
  EXPECT_FALSE(r.verified);
  EXPECT_EQ(r.additional_info, "Expired");
  EXPECT_EQ(r.reasons, std::vector<std::string>{"status: expired"});
}

TEST(DscsaVerification, EachRequestIsLoggedAsTheRequestorsVerification) {
  PackStore p("dscsa_log");
  p.commission({"PACK1"});
  answer(p, request("PACK1"));
  auto rows = p.log->of_item(item_key("PACK1"));
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].party, "https://id.gs1.org/417/" + kPartyB);
  EXPECT_EQ((*rows)[0].client, "vrs");
  EXPECT_EQ((*rows)[0].action, "verify");
}

TEST(DscsaVerification, TheLmsJsonResponse) {
  PackStore p("dscsa_json");
  p.commission({"PACK1"});
  VrsRequest req = request("PACK1", "LOT43");
  req.responder_gln = kPartyA;
  auto json = vrs_response_json(answer(p, req));
  EXPECT_EQ(json.at("corrUUID").as_string(), "1e1bc4a4-4a6b-4f3a-9a0f-6e2c3d4e5f60");
  EXPECT_EQ(json.at("responderGLN").as_string(), kPartyA);
  EXPECT_EQ(json.at("verificationTimestamp").as_string(), "2026-06-01T12:00:00Z");
  EXPECT_EQ(json.at("data").at("verified"), false);
  EXPECT_EQ(json.at("data").at("verificationFailureReason").as_string(),
            "No_match_GTIN_Serial_Lot");
  EXPECT_FALSE(json.at("data").as_object().contains("additionalInfo"));
  EXPECT_EQ(json.at("reasons").as_array().size(), 1u);
  EXPECT_EQ(json.at("status").as_string(), "ACTIVE");
}

TEST(DscsaVerification, RequestParametersAreTheLmsNamesAndAllFourAreRequired) {
  auto r = vrs_request_from_params({{"gtin", kGtin},
                                    {"serialNumber", "PACK1"},
                                    {"lotNumber", kLot},
                                    {"expirationDate", kExpiry},
                                    {"reqGLN", kPartyB},
                                    {"corrUUID", "abc"},
                                    {"linkType", "verificationService"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->serial, "PACK1");
  EXPECT_EQ(r->requestor_gln, kPartyB);
  EXPECT_EQ(r->correlation_id, "abc");
  auto missing =
      vrs_request_from_params({{"gtin", kGtin}, {"serialNumber", "PACK1"}, {"lotNumber", kLot}});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().field, "expirationDate");
}

}  // namespace
}  // namespace serialtrack::trace

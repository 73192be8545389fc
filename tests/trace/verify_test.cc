// Pack verification: statuses from captured events, EMVS-style alert codes, lot and
// expiry checks, the answer's JSON, and the verification log.
#include "trace/verify.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <tuple>
#include <utility>
#include <vector>

#include "trace/pack_fixture.h"

namespace serialtrack::trace {
namespace {

using namespace serialtrack::testing;

VerifyAnswer verify(PackStore& p, PackQuery q, int64_t now = kNow, bool is_public = false) {
  VerifyRequest r;
  r.pack = std::move(q);
  r.caller = {"test-client", kPartyA, kPartyA, is_public};
  r.now_unix_nanos = now;
  auto a = verify_pack(*p.store, *p.log, r);
  EXPECT_TRUE(a) << a.error().message;
  return a ? *a : VerifyAnswer{};
}

PackQuery fields(const std::string& serial, std::optional<std::string> lot = kLot,
                 std::optional<std::string> expiry = kExpiry) {
  PackQuery q;
  q.gtin = kGtin;
  q.serial = serial;
  q.lot = std::move(lot);
  q.expiry = std::move(expiry);
  return q;
}

PackQuery id(const std::string& text) {
  PackQuery q;
  q.id = text;
  return q;
}

std::string text(const boost::json::value& v) {
  return std::string(v.as_string());
}

TEST(VerifyPack, AnActivePackWithItsLotAndExpiryIsVerified) {
  PackStore p("verify_active");
  p.commission({"PACK1"});
  VerifyAnswer a = verify(p, fields("PACK1"));
  EXPECT_TRUE(a.verified);
  EXPECT_EQ(a.status, PackStatus::kActive);
  EXPECT_FALSE(a.alert);
  EXPECT_EQ(a.item, item_key("PACK1"));
  ASSERT_TRUE(a.details);
  EXPECT_EQ(a.details->lot, kLot);
  EXPECT_EQ(a.details->expiry, "2027-12-31");
  EXPECT_EQ(a.details->last_location, "urn:epc:id:sgln:9520123.00001.0");
}

TEST(VerifyPack, EveryIdentifierFormNamesThePack) {
  PackStore p("verify_forms");
  p.commission({"PACK1"});
  for (const std::string& form :
       {std::string("(01)09520123456788(21)PACK1(10)LOT42(17)271231"),
        std::string("]d2010952012345678821PACK1\x1d") + "10LOT42\x1d" + "17271231",
        std::string("https://id.gs1.org/01/09520123456788/10/LOT42/21/PACK1?17=271231"),
        sgtin("PACK1")}) {
    VerifyAnswer a = verify(p, id(form));
    EXPECT_TRUE(a.verified) << form << ": " << a.message;
    EXPECT_EQ(a.item, item_key("PACK1")) << form;
  }
}

TEST(VerifyPack, AnUnknownSerialOfAKnownProductIsA2) {
  PackStore p("verify_a2");
  p.commission({"PACK1"});
  VerifyAnswer a = verify(p, fields("NOSUCH"));
  EXPECT_FALSE(a.verified);
  EXPECT_EQ(a.status, PackStatus::kUnknown);
  EXPECT_EQ(a.alert, AlertCode::kUnknownSerial);
  EXPECT_FALSE(a.details);
}

TEST(VerifyPack, AnUnknownProductIsA3) {
  PackStore p("verify_a3");
  p.commission({"PACK1"});
  PackQuery q = fields("PACK1");
  q.gtin = kUnknownGtin;
  VerifyAnswer a = verify(p, q);
  EXPECT_FALSE(a.verified);
  EXPECT_EQ(a.alert, AlertCode::kUnknownProduct);
  EXPECT_EQ(alert_code_name(*a.alert), "A3");
}

TEST(VerifyPack, AnItemSeenButNeverCommissionedIsAnUnknownSerial) {
  PackStore p("verify_uncommissioned");
  p.commission({"PACK1"});
  p.observe("GHOST", "urn:epcglobal:cbv:disp:in_transit", kNow - kDay);
  EXPECT_EQ(verify(p, fields("GHOST")).alert, AlertCode::kUnknownSerial);
}

TEST(VerifyPack, ALotOtherThanTheCommissionedOneIsA24) {
  PackStore p("verify_a24");
  p.commission({"PACK1"});
  VerifyAnswer a = verify(p, fields("PACK1", "LOT43"));
  EXPECT_FALSE(a.verified);
  EXPECT_EQ(a.status, PackStatus::kActive);
  EXPECT_EQ(a.alert, AlertCode::kLotMismatch);
  EXPECT_FALSE(a.lot_matches);
  EXPECT_TRUE(a.expiry_matches);
}

TEST(VerifyPack, AnExpiryOtherThanTheCommissionedOneIsA52) {
  PackStore p("verify_a52");
  p.commission({"PACK1"});
  VerifyAnswer a = verify(p, fields("PACK1", kLot, "271130"));
  EXPECT_FALSE(a.verified);
  EXPECT_EQ(a.alert, AlertCode::kExpiryMismatch);
  EXPECT_FALSE(a.expiry_matches);
}

TEST(VerifyPack, ExpiryDay00IsTheLastDayOfTheMonth) {
  PackStore p("verify_day00");
  p.commission({"PACK1"});
  EXPECT_TRUE(verify(p, fields("PACK1", kLot, "271200")).verified);  // GS1 GenSpecs 7.12
}

TEST(VerifyPack, WithoutLotAndExpiryOnlyGtinAndSerialAreChecked) {
  PackStore p("verify_no_lot");
  p.commission({"PACK1"});
  EXPECT_TRUE(verify(p, fields("PACK1", std::nullopt, std::nullopt)).verified);
}

TEST(VerifyPack, APackPastItsExpiryDateIsExpired) {
  PackStore p("verify_expired");
  p.commission({"OLD"}, kLot, "2026-05-31");
  VerifyAnswer a = verify(p, fields("OLD", kLot, "260531"));
  EXPECT_FALSE(a.verified);
  EXPECT_EQ(a.status, PackStatus::kExpired);
  EXPECT_FALSE(a.alert);
  // On its expiry day it is still good.
  EXPECT_TRUE(verify(p, fields("OLD", kLot, "260531"), at("2026-05-31T23:00:00Z")).verified);
}

TEST(VerifyPack, ARecallStaysThroughItsPersistentDisposition) {
  PackStore p("verify_recalled");
  p.commission({"PACK1"});
  const std::string recalled = "urn:epcglobal:cbv:disp:recalled";
  p.observe("PACK1", recalled, kNow - 3 * kDay, {recalled});
  EXPECT_EQ(verify(p, fields("PACK1")).status, PackStatus::kRecalled);
  // A later event moves the disposition on; the persistent disposition still says recalled.
  p.observe("PACK1", "urn:epcglobal:cbv:disp:in_transit", kNow - kDay);
  VerifyAnswer a = verify(p, fields("PACK1"));
  EXPECT_FALSE(a.verified);
  EXPECT_EQ(a.status, PackStatus::kRecalled);
}

TEST(VerifyPack, ARecalledDispositionAloneIsRecalled) {
  PackStore p("verify_recalled_disposition");
  p.commission({"PACK1"});
  p.observe("PACK1", "urn:epcglobal:cbv:disp:recalled", kNow - kDay);
  EXPECT_EQ(verify(p, fields("PACK1")).status, PackStatus::kRecalled);
}

TEST(VerifyPack, CbvAndOurDispositionsGiveTheirStatuses) {
  PackStore p("verify_dispositions");
  struct Case {
    std::string serial, disposition;
    PackStatus status;
  };
  const std::string cbv = "urn:epcglobal:cbv:disp:";
  const std::string ours(kPackDispositionNs);
  std::vector<Case> cases = {
      {"D1", cbv + "dispensed", PackStatus::kSupplied},
      {"D2", cbv + "retail_sold", PackStatus::kSupplied},
      {"D3", cbv + "destroyed", PackStatus::kDestroyed},
      {"D4", cbv + "disposed", PackStatus::kDestroyed},
      {"D5", cbv + "stolen", PackStatus::kStolen},
      {"D6", ours + "sample", PackStatus::kSample},
      {"D7", ours + "free_sample", PackStatus::kFreeSample},
      {"D8", ours + "exported", PackStatus::kExported},
      {"D9", ours + "locked", PackStatus::kLocked},
      {"D10", ours + "checked_out", PackStatus::kCheckedOut},
      {"D11", ours + "withdrawn", PackStatus::kWithdrawn},
      {"D12", cbv + "expired", PackStatus::kExpired},
      {"D13", cbv + "in_transit", PackStatus::kActive},
  };
  std::vector<std::string> serials;
  for (const auto& c : cases) serials.push_back(c.serial);
  p.commission(serials);
  for (const auto& c : cases) {
    p.observe(c.serial, c.disposition, kNow - kDay);
    VerifyAnswer a = verify(p, fields(c.serial));
    EXPECT_EQ(a.status, c.status) << c.disposition;
    EXPECT_EQ(a.verified, c.status == PackStatus::kActive) << c.disposition;
    EXPECT_FALSE(a.alert) << c.disposition;
  }
}

TEST(VerifyPack, APublicCallerSeesNoCustodyData) {
  PackStore p("verify_public");
  p.commission({"PACK1"});
  VerifyAnswer a = verify(p, fields("PACK1"), kNow, /*is_public=*/true);
  EXPECT_TRUE(a.verified);
  EXPECT_FALSE(a.details);
  auto json = verify_answer_json(a);
  EXPECT_FALSE(json.contains("lot"));
  EXPECT_FALSE(json.contains("lastLocation"));
  EXPECT_FALSE(json.contains("custodian"));
}

TEST(VerifyPack, EveryVerificationIsLoggedLatestFirst) {
  PackStore p("verify_log");
  p.commission({"PACK1"});
  verify(p, fields("PACK1"), kNow);
  verify(p, fields("PACK1", "LOT43"), kNow + 1000);
  verify(p, fields("NOSUCH"), kNow + 2000);
  auto rows = p.log->of_item(item_key("PACK1"));
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 2u);
  const store::VerificationRecord& latest = (*rows)[0];
  EXPECT_EQ(latest.time_unix_nanos, kNow + 1000);
  EXPECT_EQ(latest.client, "test-client");
  EXPECT_EQ(latest.party, "https://id.gs1.org/417/" + kPartyA);
  EXPECT_EQ(latest.location, "https://id.gs1.org/414/" + kPartyA);
  EXPECT_EQ(latest.action, "verify");
  EXPECT_EQ(latest.status, "ACTIVE");
  EXPECT_EQ(latest.alert, "A24");
  EXPECT_EQ((*rows)[1].alert, "");
  EXPECT_EQ((*rows)[1].time_unix_nanos, kNow);
  // Unknown serials are logged too: repeated probes are what enumeration looks like.
  auto probes = p.log->of_item(item_key("NOSUCH"));
  ASSERT_TRUE(probes);
  ASSERT_EQ(probes->size(), 1u);
  EXPECT_EQ((*probes)[0].status, "UNKNOWN");
  EXPECT_EQ((*probes)[0].alert, "A2");
}

TEST(VerifyPack, BadInputIsAPreciseErrorAndIsNotLogged) {
  PackStore p("verify_bad_input");
  p.commission({"PACK1"});
  struct Case {
    PackQuery query;
    std::string field;
  };
  PackQuery bad_check_digit = fields("PACK1");
  bad_check_digit.gtin = "09520123456789";
  std::vector<Case> cases = {
      {bad_check_digit, "gtin"},
      {fields("PACK1", kLot, "271340"), "expiry"},
      {fields("PACK1", kLot, "27123"), "expiry"},
      {fields("PACK\x01"), "serial"},
      {fields("PACK1", "LOT 42"), "lot"},
      {fields(""), "serial"},
      {id("(01)09520123456788"), "id"},
      {id("not an identifier"), "id"},
  };
  for (const auto& c : cases) {
    VerifyRequest r;
    r.pack = c.query;
    r.now_unix_nanos = kNow;
    auto a = verify_pack(*p.store, *p.log, r);
    ASSERT_FALSE(a) << c.field;
    EXPECT_EQ(a.error().kind, VerifyError::Kind::kInvalidInput);
    EXPECT_EQ(a.error().field, c.field) << a.error().message;
  }
  VerifyRequest bad_party;
  bad_party.pack = fields("PACK1");
  bad_party.caller.party = "9520123000012";  // wrong check digit
  auto a = verify_pack(*p.store, *p.log, bad_party);
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().field, "party");
  EXPECT_TRUE(p.log->of_item(item_key("PACK1"))->empty());
}

TEST(VerifyPack, TheJsonAnswerHasTheFieldsTheServerExposes) {
  PackStore p("verify_json");
  p.commission({"PACK1"});
  auto json = verify_answer_json(verify(p, fields("PACK1", "LOT43")));
  EXPECT_EQ(json.at("verified"), false);
  EXPECT_EQ(text(json.at("status")), "ACTIVE");
  EXPECT_EQ(text(json.at("alert")), "A24");
  EXPECT_TRUE(json.at("message").is_string());
  EXPECT_EQ(text(json.at("gtin")), kGtin);
  EXPECT_EQ(text(json.at("serial")), "PACK1");
  EXPECT_EQ(json.at("lotMatches"), false);
  EXPECT_EQ(json.at("expiryMatches"), true);
  EXPECT_EQ(text(json.at("product").at("gtin")), kGtin);
  EXPECT_EQ(text(json.at("lot")), kLot);
  EXPECT_EQ(text(json.at("expiry")), "2027-12-31");
  EXPECT_EQ(text(json.at("lastEventTime")), "2026-01-10T08:00:00+00:00");
  auto verified = verify_answer_json(verify(p, fields("PACK1")));
  EXPECT_FALSE(verified.contains("alert"));
}

// The /verify routes resolve a pack to check the request, then verify that resolved pack
// (it used to be resolved a second time inside verify_pack): every answer and log record
// must be the one verify_pack of the query gives.
TEST(VerifyPack, AResolvedPackIsAnsweredAndLoggedAsItsQueryIs) {
  PackStore p("verify_resolved");
  p.commission({"PACK1"});
  const std::vector<std::pair<PackQuery, bool>> cases = {
      {fields("PACK1"), false},
      {fields("PACK1", "LOT43"), false},
      {fields("PACK1", kLot, "271130"), false},
      {fields("PACK1", std::nullopt, std::nullopt), true},
      {fields("NOSUCH"), false},
      {id("https://id.gs1.org/01/09520123456788/10/LOT42/21/PACK1?17=271231"), false},
      {id(sgtin("PACK1")), true},
  };
  int64_t now = kNow;
  for (const auto& [query, is_public] : cases) {
    Caller caller{"test-client", kPartyA, kPartyA, is_public};
    auto by_query = verify_pack(*p.store, *p.log, VerifyRequest{query, caller, now});
    auto key = resolve_pack(query);
    ASSERT_TRUE(key) << key.error().message;
    auto by_key = verify_pack(*p.store, *p.log, ResolvedVerifyRequest{*key, caller, now + 1});
    ASSERT_TRUE(by_query) << by_query.error().message;
    ASSERT_TRUE(by_key) << by_key.error().message;
    EXPECT_EQ(verify_answer_json(*by_key), verify_answer_json(*by_query)) << by_query->message;
    EXPECT_EQ(by_key->log_sequence, by_query->log_sequence + 1);
    auto rows = p.log->of_item(key->item);
    ASSERT_TRUE(rows);
    ASSERT_GE(rows->size(), 2u);
    const store::VerificationRecord &second = (*rows)[0], &first = (*rows)[1];  // latest first
    EXPECT_EQ(second.time_unix_nanos, now + 1);
    EXPECT_EQ(first.time_unix_nanos, now);
    EXPECT_EQ(std::tie(second.item, second.client, second.party, second.location, second.action,
                       second.status, second.alert),
              std::tie(first.item, first.client, first.party, first.location, first.action,
                       first.status, first.alert));
    now += 1000;
  }
  // The caller's party and location are still checked (a bad one logs nothing).
  auto key = resolve_pack(fields("PACK1"));
  ASSERT_TRUE(key);
  auto bad = verify_pack(*p.store, *p.log,
                         ResolvedVerifyRequest{*key, {"test-client", kPartyA, "not-a-gln"}, now});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "location");
}

TEST(VerifyPack, TheProductNameComesFromMasterData) {
  PackStore p("verify_product_name");
  p.commission({"PACK1"});
  epcis::Vocabulary v;
  v.type = "urn:epcglobal:epcis:vtype:EPCClass";
  v.elements.push_back({"https://id.gs1.org/01/" + kGtin,
                        {{"urn:epcglobal:cbv:mda#regulatedProductName", "Paracetamol 500 mg"}},
                        {}});
  ASSERT_TRUE(p.store->put_master_data({v}));
  VerifyAnswer a = verify(p, fields("PACK1"));
  ASSERT_TRUE(a.details);
  EXPECT_EQ(a.details->product_name, "Paracetamol 500 mg");
}

TEST(PackQueryFromParams, ReadsTheVerifyRouteParameters) {
  auto q = pack_query_from_params(
      {{"gtin", kGtin}, {"serial", "PACK1"}, {"lot", kLot}, {"expiry", kExpiry}, {"x", "y"}});
  ASSERT_TRUE(q);
  EXPECT_EQ(q->gtin, kGtin);
  EXPECT_EQ(q->serial, "PACK1");
  EXPECT_EQ(q->lot, kLot);
  EXPECT_EQ(q->expiry, kExpiry);
  auto dl = pack_query_from_params({{"dl", "https://id.gs1.org/01/09520123456788/21/PACK1"}});
  ASSERT_TRUE(dl);
  EXPECT_EQ(dl->id, "https://id.gs1.org/01/09520123456788/21/PACK1");
  EXPECT_FALSE(dl->lot);
  EXPECT_FALSE(pack_query_from_params({{"scan", "]d201..."}, {"gtin", kGtin}}));
  EXPECT_FALSE(pack_query_from_params({{"serial", "A"}, {"serial", "B"}}));
}

TEST(CallerIdentifiers, PartiesAndLocationsInEveryFormBecomeDigitalLinks) {
  const std::string party = "https://id.gs1.org/417/" + kPartyA;
  EXPECT_EQ(*party_uri(kPartyA), party);
  EXPECT_EQ(*party_uri("urn:epc:id:pgln:9520123.00001"), party);
  EXPECT_EQ(*party_uri(party), party);
  EXPECT_EQ(*location_uri(kPartyA), "https://id.gs1.org/414/" + kPartyA);
  EXPECT_EQ(*location_uri("urn:epc:id:sgln:9520123.00001.12"),
            "https://id.gs1.org/414/" + kPartyA + "/254/12");
  EXPECT_EQ(*party_uri(""), "");
  EXPECT_FALSE(location_uri(party));  // a party is not a location
  EXPECT_FALSE(party_uri("9520123000012"));
  EXPECT_EQ(party_uri("not a gln").error().field, "party");
}

TEST(PackQueryFromJson, ReadsAPostVerifyBody) {
  auto body = boost::json::parse(R"({"gtin":"09520123456788","serial":"PACK1","expiry":"271231"})");
  auto q = pack_query_from_json(body.as_object());
  ASSERT_TRUE(q);
  EXPECT_EQ(q->serial, "PACK1");
  EXPECT_EQ(q->expiry, "271231");
  EXPECT_FALSE(q->lot);
  auto bad = pack_query_from_json(boost::json::parse(R"({"serial":12})").as_object());
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "serial");
}

}  // namespace
}  // namespace serialtrack::trace

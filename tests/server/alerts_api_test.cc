// Detection over HTTP (issue 7 "Alerts"): events captured and packs verified through the
// real server run the detection rules; a planted clone is answered as a suspected copy,
// listed by GET /alerts with its evidence, moved through its workflow, and counted in
// /metrics; access follows the permission table and a manufacturer's company prefix.
#include <gtest/gtest.h>

#include <chrono>

#include "epcis/time.h"
#include "server/http_client.h"

namespace serialtrack::testing {
namespace {

const std::string kManufacturerParty = "9520123000004";  // company prefix 9520123
const std::string kPharmacyParty = "0614141000012";
const std::string kGtin = "09520123456788";                       // 9520123.045678
const std::string kPlant = "urn:epc:id:sgln:9520123.00001.0";     // Berlin, DE
const std::string kPharmacy = "urn:epc:id:sgln:0614141.00002.0";  // Lisbon, PT
const std::string kShop = "urn:epc:id:sgln:0614141.00003.0";      // Helsinki, FI
const std::string kClonedPack = "urn:epc:id:sgtin:9520123.045678.PACK2";

// An RFC 3339 time this many hours before now (detection compares event times with the
// verifications' wall-clock time).
std::string hours_ago(double hours) {
  auto now =
      std::chrono::system_clock::now() - std::chrono::duration_cast<std::chrono::nanoseconds>(
                                             std::chrono::duration<double>(hours * 3600));
  int64_t nanos =
      std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
  return epcis::format_timestamp_utc(epcis::Timestamp{nanos / 1'000'000 * 1'000'000, 0});
}

std::string location(const std::string& id, const std::string& country, double lat, double lon) {
  return R"({"id":")" + id + R"(","attributes":[)" +
         R"({"id":"urn:epcglobal:cbv:mda#countryCode","attribute":")" + country + R"("},)" +
         R"({"id":"urn:epcglobal:cbv:mda#latitude","attribute":")" + std::to_string(lat) +
         R"("},)" + R"({"id":"urn:epcglobal:cbv:mda#longitude","attribute":")" +
         std::to_string(lon) + R"("}]})";
}

const std::string kBothPacks = R"("urn:epc:id:sgtin:9520123.045678.PACK1",")" + kClonedPack + "\"";

// An ObjectEvent of the packs (a JSON list's members) as JSON.
std::string event(const std::string& id, const std::string& time, const std::string& packs,
                  const std::string& action, const std::string& step,
                  const std::string& disposition, const std::string& read_point,
                  const std::string& biz_location, const std::string& extra = "") {
  std::string e = R"({"type":"ObjectEvent","eventID":")" + id + R"(","eventTime":")" + time +
                  R"(","eventTimeZoneOffset":"+00:00","epcList":[)" + packs + R"(],"action":")" +
                  action + R"(","bizStep":")" + step + R"(","disposition":")" + disposition +
                  R"(","readPoint":{"id":")" + read_point + R"("})";
  if (!biz_location.empty()) e += R"(,"bizLocation":{"id":")" + biz_location + R"("})";
  return e + extra + "}";
}

// The genuine chain: both packs commissioned in Berlin 10 h ago, shipped, received by the
// Lisbon pharmacy 2 h ago; the sites' coordinates and countries as master data.
std::string genuine_chain() {
  return R"({"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],)"
         R"("type":"EPCISDocument","schemaVersion":"2.0","creationDate":")" +
         hours_ago(0) +
         R"(","epcisHeader":{"epcisMasterData":{"vocabularyList":[{"type":)"
         R"("urn:epcglobal:epcis:vtype:BusinessLocation","vocabularyElementList":[)" +
         location(kPlant, "DE", 52.52, 13.40) + "," + location(kPharmacy, "PT", 38.72, -9.14) +
         "," + location(kShop, "FI", 60.17, 24.94) + R"(]}]}},"epcisBody":{"eventList":[)" +
         event("urn:uuid:chain-1", hours_ago(10), kBothPacks, "ADD", "commissioning", "active",
               kPlant, kPlant,
               R"(,"ilmd":{"cbvmda:lotNumber":"LOT42","cbvmda:itemExpirationDate":"2049-12-31"})") +
         "," +
         event("urn:uuid:chain-2", hours_ago(9), kBothPacks, "OBSERVE", "shipping", "in_transit",
               kPlant, "") +
         "," +
         event("urn:uuid:chain-3", hours_ago(2), kBothPacks, "OBSERVE", "receiving", "in_progress",
               kPharmacy, kPharmacy) +
         "]}}";
}

// The planted clone: PACK2's serial read in Helsinki an hour after Lisbon received it.
std::string clone_sighting() {
  return bare_event(event("urn:uuid:clone-1", hours_ago(1), "\"" + kClonedPack + "\"", "OBSERVE",
                          "inspecting", "active", kShop, ""));
}

const Headers kJson = {{"Content-Type", "application/json"}};

class AlertsApiTest : public ::testing::Test {
 protected:
  AlertsApiTest() {
    manufacturer_key_ = create_api_key(server_.db(), "manufacturer", kManufacturerParty, "9520123");
    other_manufacturer_key_ =
        create_api_key(server_.db(), "manufacturer", kPharmacyParty, "0614141");
    pharmacy_key_ = create_api_key(server_.db(), "dispenser", kPharmacyParty);
    auditor_key_ = create_api_key(server_.db(), "auditor", kManufacturerParty);
    distributor_key_ = create_api_key(server_.db(), "distributor", kPharmacyParty);
    HttpClient manufacturer(server_.port(), manufacturer_key_);
    auto chain = manufacturer.post("/capture", genuine_chain(), kJsonLd);
    EXPECT_EQ(chain.status, 202u) << chain.body;
    EXPECT_TRUE(chain.json().at("success").as_bool()) << chain.body;
    HttpClient pharmacy(server_.port(), pharmacy_key_);
    auto clone = pharmacy.post("/events", clone_sighting(), kJsonLd);
    EXPECT_EQ(clone.status, 201u) << clone.body;
  }

  // The pharmacy verifies a pack at its own counter in Lisbon.
  boost::json::object verify_at_pharmacy(const std::string& serial) {
    HttpClient pharmacy(server_.port(), pharmacy_key_);
    auto a = pharmacy.get("/verify?gtin=" + kGtin + "&serial=" + serial + "&location=" + kPharmacy);
    EXPECT_EQ(a.status, 200u) << a.body;
    return a.json().as_object();
  }

  // The alerts GET /alerts lists for target (admin unless a key is given).
  boost::json::array alerts(const std::string& target, std::string key = "") {
    HttpClient client(server_.port(), key.empty() ? server_.admin_key() : key);
    auto a = client.get(target);
    EXPECT_EQ(a.status, 200u) << a.body;
    return a.status == 200 ? a.json().at("alerts").as_array() : boost::json::array();
  }

  HttpAnswer move(int64_t id, const std::string& body, const std::string& key) {
    return HttpClient(server_.port(), key)
        .post("/alerts/" + std::to_string(id) + "/state", body, kJson);
  }

  std::string state_of(int64_t id) {
    auto a = HttpClient(server_.port(), server_.admin_key()).get("/alerts/" + std::to_string(id));
    EXPECT_EQ(a.status, 200u) << a.body;
    return std::string(a.json().at("state").as_string());
  }

  TestServer server_;
  std::string manufacturer_key_, other_manufacturer_key_, pharmacy_key_, auditor_key_,
      distributor_key_;
};

TEST_F(AlertsApiTest, AGenuinePackVerifiesAndTheCloneIsAnsweredAsASuspectedCopy) {
  auto genuine = verify_at_pharmacy("PACK1");
  EXPECT_TRUE(genuine.at("verified").as_bool());
  EXPECT_FALSE(genuine.contains("suspectedClone"));
  auto copy = verify_at_pharmacy("PACK2");
  EXPECT_FALSE(copy.at("verified").as_bool());
  EXPECT_TRUE(copy.at("suspectedClone").as_bool());
  EXPECT_NE(copy.at("message").as_string().find("Suspected copy"), std::string::npos);
  // Both the capture of the clone's sighting and this verification raised an alert on
  // PACK2, none named PACK1.
  auto on_clone = alerts("/alerts?kind=impossible_travel&epc=" + kClonedPack);
  EXPECT_EQ(on_clone.size(), 2u);
  EXPECT_TRUE(alerts("/alerts?gtin=" + kGtin + "&serial=PACK1").empty());
}

TEST_F(AlertsApiTest, TheCloneIsListedWithItsEvidenceAndReadOneByOne) {
  auto listed = alerts("/alerts?state=new&severity=critical");
  ASSERT_EQ(listed.size(), 1u);
  const auto& a = listed[0].as_object();
  EXPECT_EQ(a.at("kind").as_string(), "impossible_travel");
  EXPECT_EQ(a.at("claims").as_string(), "clone");
  EXPECT_EQ(a.at("items").as_array()[0].as_string(),
            "https://id.gs1.org/01/" + kGtin + "/21/PACK2");
  auto events = a.at("evidence").at("eventIDs").as_array();
  EXPECT_NE(std::find(events.begin(), events.end(), boost::json::value("urn:uuid:clone-1")),
            events.end())
      << boost::json::serialize(a);
  EXPECT_NE(std::find(events.begin(), events.end(), boost::json::value("urn:uuid:chain-3")),
            events.end())
      << boost::json::serialize(a);
  HttpClient admin(server_.port(), server_.admin_key());
  auto one = admin.get("/alerts/" + std::to_string(a.at("id").as_int64()));
  ASSERT_EQ(one.status, 200u) << one.body;
  EXPECT_EQ(one.json().as_object(), a);
  EXPECT_EQ(admin.get("/alerts/999").status, 404u);
  EXPECT_EQ(admin.get("/alerts/x1").status, 404u);
  EXPECT_EQ(admin.get("/alerts?kind=ghost").status, 400u);
  EXPECT_EQ(admin.get("/alerts?severity=dire").status, 400u);
  EXPECT_EQ(admin.get("/alerts?colour=red").status, 400u);
  EXPECT_TRUE(alerts("/alerts?since=2200-01-01T00:00:00Z").empty());
}

TEST_F(AlertsApiTest, AlertsArePagedWithANextLinkLikeEvents) {
  verify_at_pharmacy("PACK2");  // a second alert
  HttpClient admin(server_.port(), server_.admin_key());
  auto first = admin.get("/alerts?perPage=1");
  ASSERT_EQ(first.status, 200u) << first.body;
  ASSERT_EQ(first.json().at("alerts").as_array().size(), 1u);
  std::string link = first.header("Link");
  ASSERT_NE(link.find("rel=\"next\""), std::string::npos) << link;
  std::string next = link.substr(link.find('<') + 1, link.find('>') - link.find('<') - 1);
  next = next.substr(next.find("/alerts"));  // the path and query of the next page
  auto second = admin.get(next);
  ASSERT_EQ(second.status, 200u) << second.body;
  auto page = second.json().at("alerts").as_array();
  ASSERT_EQ(page.size(), 1u);
  EXPECT_GT(page[0].at("id").as_int64(),
            first.json().at("alerts").as_array()[0].at("id").as_int64());
  EXPECT_TRUE(second.header("Link").empty());
  EXPECT_EQ(admin.get("/alerts?nextPageToken=garbage").status, 400u);
}

TEST_F(AlertsApiTest, AnAlertMovesNewInvestigatingClosedAndAnInvalidMoveChangesNothing) {
  auto listed = alerts("/alerts");
  ASSERT_FALSE(listed.empty());
  int64_t id = listed[0].at("id").as_int64();
  auto investigating = move(id, R"({"state":"investigating"})", auditor_key_);
  ASSERT_EQ(investigating.status, 200u) << investigating.body;
  EXPECT_EQ(investigating.json().at("state").as_string(), "investigating");
  auto no_reason = move(id, R"({"state":"closed"})", auditor_key_);
  EXPECT_EQ(no_reason.status, 400u) << no_reason.body;
  EXPECT_EQ(no_reason.header("Content-Type"), "application/problem+json");
  EXPECT_EQ(state_of(id), "investigating");
  EXPECT_EQ(move(id, R"({"state":"open"})", auditor_key_).status, 400u);
  EXPECT_EQ(move(id, "not json", auditor_key_).status, 400u);
  EXPECT_EQ(state_of(id), "investigating");
  auto closed =
      move(id, R"({"state":"closed","reason":"a copy: reported to the authority"})", auditor_key_);
  ASSERT_EQ(closed.status, 200u) << closed.body;
  EXPECT_EQ(closed.json().at("closeReason").as_string(), "a copy: reported to the authority");
  auto reopened = move(id, R"({"state":"investigating"})", server_.admin_key());
  EXPECT_EQ(reopened.status, 400u) << reopened.body;
  EXPECT_EQ(state_of(id), "closed");
  EXPECT_EQ(alerts("/alerts?state=closed").size(), 1u);
  EXPECT_EQ(move(999, R"({"state":"investigating"})", auditor_key_).status, 404u);
}

TEST_F(AlertsApiTest, RolesWithoutThePermissionAre403AndAManufacturerSeesOnlyItsPrefix) {
  HttpClient pharmacy(server_.port(), pharmacy_key_);
  EXPECT_EQ(pharmacy.get("/alerts").status, 403u);
  EXPECT_EQ(pharmacy.get("/alerts/1").status, 403u);
  HttpClient distributor(server_.port(), distributor_key_);
  EXPECT_EQ(distributor.post("/alerts/1/state", R"({"state":"investigating"})", kJson).status,
            403u);
  EXPECT_EQ(HttpClient(server_.port()).get("/alerts").status, 401u);
  EXPECT_EQ(state_of(1), "new");
  // The clone's GTIN is within 9520123: its manufacturer sees and moves the alert, another
  // manufacturer neither lists nor reads it.
  auto own = alerts("/alerts", manufacturer_key_);
  ASSERT_EQ(own.size(), 1u);
  int64_t id = own[0].at("id").as_int64();
  EXPECT_TRUE(alerts("/alerts", other_manufacturer_key_).empty());
  EXPECT_EQ(HttpClient(server_.port(), other_manufacturer_key_)
                .get("/alerts/" + std::to_string(id))
                .status,
            404u);
  EXPECT_EQ(move(id, R"({"state":"investigating"})", other_manufacturer_key_).status, 404u);
  EXPECT_EQ(state_of(id), "new");
  EXPECT_EQ(move(id, R"({"state":"investigating"})", manufacturer_key_).status, 200u);
}

TEST_F(AlertsApiTest, MetricsCountTheAlertsRaisedByKindAndTheOpenOnes) {
  verify_at_pharmacy("PACK2");
  auto metrics = HttpClient(server_.port(), server_.admin_key()).get("/metrics");
  ASSERT_EQ(metrics.status, 200u) << metrics.body;
  EXPECT_NE(metrics.body.find("serialtrack_alerts_total{kind=\"impossible_travel\"} 2\n"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("serialtrack_alerts_total{kind=\"diversion\"} 0\n"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("serialtrack_alerts_open{kind=\"impossible_travel\"} 2\n"),
            std::string::npos);
}

}  // namespace
}  // namespace serialtrack::testing

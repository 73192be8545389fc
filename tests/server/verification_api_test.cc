// The verification routes over HTTP (issue 5 "Verification"): GET/POST /verify, pack
// operations, DSCSA, the rate limit and probe alerts, against the real server.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "server/http_client.h"

namespace serialtrack::testing {
namespace {

const std::string kManufacturerParty = "9520123000004";  // company prefix 9520123
const std::string kDispenserParty = "0614141000012";
const std::string kGtin = "09520123456788";  // 9520123.045678

const char* kCommissioning =
    R"({"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
 "type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-01-10T10:00:00Z",
 "epcisBody":{"eventList":[
  {"type":"ObjectEvent","eventTime":"2026-01-10T09:00:00Z","eventTimeZoneOffset":"+00:00",
   "epcList":["urn:epc:id:sgtin:9520123.045678.PACK1","urn:epc:id:sgtin:9520123.045678.PACK2"],
   "action":"ADD","bizStep":"commissioning","disposition":"active",
   "readPoint":{"id":"urn:epc:id:sgln:9520123.00001.0"},
   "ilmd":{"cbvmda:lotNumber":"LOT42","cbvmda:itemExpirationDate":"2049-12-31"}}]}})";

server::ServeConfig limits(double burst) {
  server::ServeConfig config;
  config.verification_limits.burst = burst;
  config.verification_limits.rate_per_second = 0.001;
  return config;
}

class VerificationApiTest : public ::testing::Test {
 protected:
  explicit VerificationApiTest(server::ServeConfig config = {}) : server_(config) {
    manufacturer_key_ = create_api_key(server_.db(), "manufacturer", kManufacturerParty, "9520123");
    dispenser_key_ = create_api_key(server_.db(), "dispenser", kDispenserParty);
    public_key_ = create_api_key(server_.db(), "public", "9520123000028");
    HttpClient manufacturer(server_.port(), manufacturer_key_);
    auto a = manufacturer.post("/capture", kCommissioning, kJsonLd);
    EXPECT_EQ(a.status, 202u) << a.body;
  }
  std::string verify_target(const std::string& serial, const std::string& extra = "") {
    return "/verify?gtin=" + kGtin + "&serial=" + serial + extra;
  }

  TestServer server_;
  std::string manufacturer_key_, dispenser_key_, public_key_;
};

TEST_F(VerificationApiTest, AGenuineActivePackIsVerifiedWithItsDetails) {
  HttpClient dispenser(server_.port(), dispenser_key_);
  auto a = dispenser.get(verify_target("PACK1", "&lot=LOT42&expiry=491231"));
  ASSERT_EQ(a.status, 200u) << a.body;
  auto v = a.json().as_object();
  EXPECT_TRUE(v.at("verified").as_bool());
  EXPECT_EQ(v.at("status").as_string(), "ACTIVE");
  EXPECT_TRUE(v.contains("product"));
  EXPECT_EQ(v.at("lot").as_string(), "LOT42");
}

TEST_F(VerificationApiTest, ThePublicGetsTheMinimalAnswerWithOrWithoutAKey) {
  for (const std::string& key : {public_key_, std::string()}) {
    HttpClient consumer(server_.port(), key);
    auto a = consumer.get(verify_target("PACK1"));
    ASSERT_EQ(a.status, 200u) << a.body;
    auto v = a.json().as_object();
    EXPECT_TRUE(v.at("verified").as_bool());
    for (const char* custody : {"product", "lot", "expiry", "lastLocation", "custodian"})
      EXPECT_FALSE(v.contains(custody)) << custody << " in " << a.body;
  }
}

TEST_F(VerificationApiTest, AnUnknownSerialIsA2AndAWrongLotA24) {
  HttpClient dispenser(server_.port(), dispenser_key_);
  auto unknown = dispenser.get(verify_target("NOPE"));
  ASSERT_EQ(unknown.status, 200u) << unknown.body;
  EXPECT_FALSE(unknown.json().at("verified").as_bool());
  EXPECT_EQ(unknown.json().at("alert").as_string(), "A2");
  auto lot = dispenser.get(verify_target("PACK1", "&lot=OTHER"));
  EXPECT_FALSE(lot.json().at("verified").as_bool());
  EXPECT_EQ(lot.json().at("alert").as_string(), "A24");
  auto bad = dispenser.get("/verify?gtin=09520123456789&serial=PACK1");
  EXPECT_EQ(bad.status, 400u);
}

TEST_F(VerificationApiTest, ABatchPostIsAnsweredInOrderAndABadElementVerifiesNone) {
  HttpClient dispenser(server_.port(), dispenser_key_);
  auto a = dispenser.post("/verify",
                          R"([{"gtin":")" + kGtin + R"(","serial":"PACK1"},{"gtin":")" + kGtin +
                              R"(","serial":"NOPE"}])",
                          {{"Content-Type", "application/json"}});
  ASSERT_EQ(a.status, 200u) << a.body;
  auto list = a.json().as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_TRUE(list[0].at("verified").as_bool());
  EXPECT_EQ(list[1].at("alert").as_string(), "A2");
  auto bad =
      dispenser.post("/verify", R"([{"gtin":")" + kGtin + R"(","serial":"PACK1"},{"gtin":1}])",
                     {{"Content-Type", "application/json"}});
  EXPECT_EQ(bad.status, 400u) << bad.body;
  EXPECT_NE(bad.body.find("[1]"), std::string::npos) << bad.body;
}

TEST_F(VerificationApiTest, SupplyOverHttpThenVerifyAnswersSupplied) {
  HttpClient dispenser(server_.port(), dispenser_key_);
  auto op = dispenser.post("/packs/supply", R"({"gtin":")" + kGtin + R"(","serial":"PACK2"})",
                           {{"Content-Type", "application/json"}});
  ASSERT_EQ(op.status, 200u) << op.body;
  EXPECT_TRUE(op.json().at("done").as_bool());
  auto v = dispenser.get(verify_target("PACK2"));
  EXPECT_EQ(v.json().at("status").as_string(), "SUPPLIED");
  EXPECT_FALSE(v.json().at("verified").as_bool());
  auto again = dispenser.post("/packs/supply", R"({"gtin":")" + kGtin + R"(","serial":"PACK2"})",
                              {{"Content-Type", "application/json"}});
  EXPECT_EQ(again.status, 409u) << again.body;
  EXPECT_EQ(dispenser.post("/packs/juggle", "{}", {}).status, 404u);
}

TEST_F(VerificationApiTest, DscsaVerifiesByLmsParameters) {
  HttpClient dispenser(server_.port(), dispenser_key_);
  auto a = dispenser.get("/dscsa/verify?gtin=" + kGtin +
                         "&serialNumber=PACK1&lotNumber=LOT42&expirationDate=491231&corrUUID=c1");
  ASSERT_EQ(a.status, 200u) << a.body;
  EXPECT_TRUE(a.json().at("data").at("verified").as_bool());
  EXPECT_EQ(a.json().at("corrUUID").as_string(), "c1");
  auto wrong = dispenser.get("/dscsa/verify?gtin=" + kGtin +
                             "&serialNumber=PACK1&lotNumber=BAD&expirationDate=491231");
  EXPECT_FALSE(wrong.json().at("data").at("verified").as_bool());
  auto metrics = HttpClient(server_.port(), server_.admin_key()).get("/metrics");
  EXPECT_NE(
      metrics.body.find("serialtrack_verifications_total{status=\"ACTIVE\",verified=\"true\"}"),
      std::string::npos)
      << metrics.body;
}

// Captures run on the server's writer threads, not its io threads: with as many
// captures waiting for the store's write lock as there are io threads (2; another
// connection holds the lock), a verification is still answered. Before, both io threads
// sat in the captures and the verification waited for the lock to be released.
class UnlimitedVerificationApiTest : public VerificationApiTest {
 protected:
  UnlimitedVerificationApiTest() : VerificationApiTest(limits(1e9)) {}
};

TEST_F(UnlimitedVerificationApiTest, AVerificationIsAnsweredWhileCapturesWaitForTheStore) {
  HttpClient dispenser(server_.port(), dispenser_key_);  // the server's first verification
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(server_.db().c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  std::atomic<bool> released = false;
  std::vector<std::thread> capturing;
  for (int which = 0; which < 2; ++which)
    capturing.emplace_back([&, which] {
      std::string body = kCommissioning;
      for (auto pos = body.find("PACK"); pos != std::string::npos; pos = body.find("PACK", pos + 5))
        body.replace(pos, 4, "WAIT" + std::to_string(which));
      HttpClient manufacturer(server_.port(), manufacturer_key_);
      auto a = manufacturer.post("/capture", body, kJsonLd);
      EXPECT_EQ(a.status, 202u) << a.body;
      EXPECT_TRUE(released);  // it waited for the lock
    });
  // Both captures reach the store and wait for its write lock; then the verification.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  std::atomic<bool> answered = false;
  std::thread release([&] {  // at once after the answer; after 5 s if it waits
    for (int i = 0; i < 500 && !answered; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    released = true;
    sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  });
  auto a = dispenser.get(verify_target("PACK1"));
  EXPECT_EQ(a.status, 200u) << a.body;
  EXPECT_TRUE(a.json().at("verified").as_bool());
  EXPECT_FALSE(released) << "the verification waited for the captures";
  answered = true;
  release.join();
  for (auto& t : capturing) t.join();
  sqlite3_close(other);
}

class LimitedVerificationApiTest : public VerificationApiTest {
 protected:
  LimitedVerificationApiTest() : VerificationApiTest(limits(3)) {}
};

TEST_F(LimitedVerificationApiTest, VerificationsBeyondTheBurstAre429WithRetryAfter) {
  HttpClient dispenser(server_.port(), dispenser_key_);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(dispenser.get(verify_target("PACK1")).status, 200u);
  auto refused = dispenser.get(verify_target("PACK1"));
  EXPECT_EQ(refused.status, 429u);
  EXPECT_FALSE(refused.header("Retry-After").empty());
  // Another client has its own budget.
  HttpClient other(server_.port(), manufacturer_key_);
  EXPECT_EQ(other.get(verify_target("PACK1")).status, 200u);
}

TEST_F(LimitedVerificationApiTest, RepeatedUnknownSerialsRaiseAProbeAlertInTheAlertBook) {
  HttpClient dispenser(server_.port(), dispenser_key_);
  for (const char* guess : {"GUESS1", "GUESS2", "GUESS3"})
    EXPECT_EQ(dispenser.get(verify_target(guess)).status, 200u);
  auto id = store::api_key_id_of(dispenser_key_);
  ASSERT_TRUE(id);
  // Counted by the client the rate limit names (the key id): serials one after another.
  auto alerts = HttpClient(server_.port(), server_.admin_key()).get("/alerts?client=" + *id);
  ASSERT_EQ(alerts.status, 200u) << alerts.body;
  auto list = alerts.json().at("alerts").as_array();
  ASSERT_EQ(list.size(), 1u) << alerts.body;
  EXPECT_EQ(list[0].at("kind").as_string(), "sequential_guessing");
  EXPECT_EQ(list[0].at("evidence").at("verifications").as_array().size(), 3u);
}

}  // namespace
}  // namespace serialtrack::testing

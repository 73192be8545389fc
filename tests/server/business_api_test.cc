// The business routes over HTTP (issue 6 "Interfaces"): warranty, claims and service,
// recalls, inventory and audits against the real server on a loopback port, with the
// access rules (a distributor sees its own stock, a custodian its own items of a recall)
// and bad inputs answered as problem+json that change nothing.
#include <gtest/gtest.h>

#include <chrono>

#include "epcis/time.h"
#include "server/http_client.h"

namespace serialtrack::testing {
namespace {

namespace json = boost::json;

const std::string kGtin = "09520123456788";  // 9520123.045678
const std::string kManufacturerParty = "9520123000004";
const std::string kDistributorParty = "4012345000009";
const std::string kDispenserParty = "0614141000012";
const std::string kMaker = "urn:epc:id:pgln:9520123.00000";
const std::string kDistributor = "urn:epc:id:pgln:4012345.00000";
const std::string kDispenser = "urn:epc:id:pgln:0614141.00001";
const std::string kFactory = "urn:epc:id:sgln:9520123.00001.0";
const std::string kWarehouse = "urn:epc:id:sgln:4012345.00001.0";
const std::string kPharmacy = "urn:epc:id:sgln:0614141.00002.0";
const std::string kPallet = "urn:epc:id:sscc:9520123.0000000099";
const std::string kPalletDl = "https://id.gs1.org/00/095201230000000998";
const Headers kJson = {{"Content-Type", "application/json"}};

std::string sgtin(const std::string& serial) {
  return "urn:epc:id:sgtin:9520123.045678." + serial;
}
std::string dl(const std::string& serial) {
  return "https://id.gs1.org/01/" + kGtin + "/21/" + serial;
}
// An identifier as one path segment.
std::string segment(const std::string& serial) {
  return "%2801%29" + kGtin + "%2821%29" + serial;
}

std::string list(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& i : ids) out += (out.empty() ? "\"" : ",\"") + i + "\"";
  return out;
}

std::string commissioning(const std::string& time, const std::vector<std::string>& epcs,
                          const std::string& lot) {
  return R"({"type":"ObjectEvent","eventTime":")" + time +
         R"(","eventTimeZoneOffset":"+00:00","epcList":[)" + list(epcs) +
         R"(],"action":"ADD","bizStep":"commissioning","disposition":"active",
   "readPoint":{"id":")" +
         kFactory + R"("},"bizLocation":{"id":")" + kFactory + R"("},
   "destinationList":[{"type":"owning_party","destination":")" +
         kMaker + R"("}],
   "ilmd":{"cbvmda:lotNumber":")" +
         lot + R"(","cbvmda:itemExpirationDate":"2027-01-31"}})";
}

std::string observe(const std::string& time, const std::string& epc, const std::string& step,
                    const std::string& disposition, const std::string& location,
                    const std::string& possessor) {
  std::string e = R"({"type":"ObjectEvent","eventTime":")" + time +
                  R"(","eventTimeZoneOffset":"+00:00","epcList":[")" + epc +
                  R"("],"action":"OBSERVE","bizStep":")" + step + R"(","disposition":")" +
                  disposition + R"(","readPoint":{"id":")" + location +
                  R"("},"bizLocation":{"id":")" + location + "\"}";
  if (!possessor.empty())
    e += R"(,"destinationList":[{"type":"possessing_party","destination":")" + possessor + "\"}]";
  return e + "}";
}

// W1, W2: consumer items (W1 sold); A1, A2 (lot LOT1) and B1 (LOT2) on a pallet shipped to
// and received by the distributor; D1 (LOT1) received by the dispenser.
std::string supply_chain() {
  return epcis_document(
      {commissioning("2026-01-01T10:00:00Z", {sgtin("W1"), sgtin("W2")}, "WLOT"),
       commissioning("2026-01-01T10:01:00Z", {sgtin("A1"), sgtin("A2"), sgtin("D1")}, "LOT1"),
       commissioning("2026-01-01T10:02:00Z", {sgtin("B1")}, "LOT2"),
       R"({"type":"ObjectEvent","eventTime":"2026-01-01T10:03:00Z","eventTimeZoneOffset":"+00:00",
         "epcList":[")" +
           kPallet + R"("],"action":"ADD","bizStep":"commissioning","bizLocation":{"id":")" +
           kFactory + R"("}})",
       R"({"type":"AggregationEvent","eventTime":"2026-01-01T10:04:00Z",
         "eventTimeZoneOffset":"+00:00","parentID":")" +
           kPallet + R"(","childEPCs":[)" + list({sgtin("A1"), sgtin("A2"), sgtin("B1")}) +
           R"(],"action":"ADD","bizStep":"packing","bizLocation":{"id":")" + kFactory + R"("}})",
       observe("2026-01-01T10:05:00Z", kPallet, "shipping", "in_transit", kFactory, kDistributor),
       observe("2026-01-01T10:06:00Z", kPallet, "receiving", "in_progress", kWarehouse,
               kDistributor),
       observe("2026-01-01T10:07:00Z", sgtin("D1"), "receiving", "in_progress", kPharmacy,
               kDispenser),
       observe("2026-01-01T10:08:00Z", sgtin("W1"), "retail_selling", "retail_sold", kFactory,
               "")});
}

std::string now_rfc3339(int seconds_ahead) {
  auto now = std::chrono::system_clock::now() + std::chrono::seconds(seconds_ahead);
  auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch());
  return epcis::format_timestamp_utc({nanos.count(), 0});
}

class BusinessApiTest : public ::testing::Test {
 protected:
  BusinessApiTest() {
    manufacturer_key_ = create_api_key(server_.db(), "manufacturer", kManufacturerParty, "9520123");
    other_manufacturer_key_ =
        create_api_key(server_.db(), "manufacturer", "4099999000005", "4099999");
    distributor_key_ = create_api_key(server_.db(), "distributor", kDistributorParty);
    dispenser_key_ = create_api_key(server_.db(), "dispenser", kDispenserParty);
    auditor_key_ = create_api_key(server_.db(), "auditor", "9520123000011");
    auto a = admin().post("/capture", supply_chain(), kJsonLd);
    EXPECT_EQ(a.status, 202u) << a.body;
    EXPECT_TRUE(a.json().at("success").as_bool()) << a.body;
  }
  HttpClient admin() { return HttpClient(server_.port(), server_.admin_key()); }
  HttpClient manufacturer() { return HttpClient(server_.port(), manufacturer_key_); }
  HttpClient distributor() { return HttpClient(server_.port(), distributor_key_); }
  HttpClient dispenser() { return HttpClient(server_.port(), dispenser_key_); }
  HttpClient auditor() { return HttpClient(server_.port(), auditor_key_); }
  int64_t events() { return server_.app().events().event_count().value(); }

  // The answer is an RFC 9457 problem with this status.
  static void expect_problem(const HttpAnswer& a, unsigned status) {
    EXPECT_EQ(a.status, status) << a.body;
    EXPECT_EQ(a.header("Content-Type"), "application/problem+json") << a.body;
    EXPECT_FALSE(a.problem_type().empty()) << a.body;
  }

  TestServer server_;
  std::string manufacturer_key_, other_manufacturer_key_, distributor_key_, dispenser_key_,
      auditor_key_;
};

TEST_F(BusinessApiTest, RegisterAfterSaleClaimReplaceAndAClaimOnTheOldSerialIsRejected) {
  auto m = manufacturer();
  auto terms = m.post("/warranty/terms",
                      R"({"product":")" + kGtin +
                          R"(","duration_days":730,"start":"sale","coverage":"parts and labour"})",
                      kJson);
  ASSERT_EQ(terms.status, 201u) << terms.body;
  EXPECT_EQ(m.get("/warranty/terms/" + kGtin).json().at("duration_days").as_int64(), 730);

  // W2 was never sold: the registration is refused and nothing is stored.
  auto unsold = m.post("/warranty/registrations",
                       R"({"item":")" + sgtin("W2") + R"(","owner":"customer-2"})", kJson);
  expect_problem(unsold, 409);
  EXPECT_NE(unsold.body.find("not_sold"), std::string::npos) << unsold.body;
  EXPECT_EQ(m.get("/warranty/items/" + segment("W2")).json().at("coverage").as_string(),
            "never_registered");

  auto reg = m.post("/warranty/registrations",
                    R"({"item":"(01))" + kGtin + R"((21)W1","owner":"customer-1"})", kJson);
  ASSERT_EQ(reg.status, 201u) << reg.body;
  EXPECT_EQ(reg.json().at("item").as_string(), dl("W1"));
  auto status = m.get("/warranty/items/" + segment("W1"));
  ASSERT_EQ(status.status, 200u) << status.body;
  EXPECT_EQ(status.json().at("coverage").as_string(), "covered");

  auto transfer = m.post("/warranty/transfers",
                         R"({"item":")" + dl("W1") + R"(","owner":"customer-9"})", kJson);
  ASSERT_EQ(transfer.status, 200u) << transfer.body;
  EXPECT_EQ(transfer.json().at("owner").as_string(), "customer-9");

  auto claim =
      m.post("/claims", R"({"item":")" + dl("W1") + R"(","description":"no power"})", kJson);
  ASSERT_EQ(claim.status, 201u) << claim.body;
  EXPECT_EQ(claim.json().at("state").as_string(), "open");
  std::string id = std::to_string(claim.json().at("id").as_int64());
  EXPECT_EQ(claim.header("Location"), "/claims/" + id);

  int64_t before = events();
  auto approve =
      m.post("/claims/" + id + "/approve",
             R"({"resolution":"replaced","replacement":")" + sgtin("W2") + R"("})", kJson);
  ASSERT_EQ(approve.status, 200u) << approve.body;
  EXPECT_EQ(approve.json().at("state").as_string(), "approved");
  EXPECT_EQ(events(), before + 1);  // the replacing event
  EXPECT_EQ(m.get("/warranty/items/" + segment("W2")).json().at("coverage").as_string(), "covered");
  EXPECT_EQ(m.get("/warranty/items/" + segment("W1")).json().at("coverage").as_string(), "void");
  expect_problem(m.post("/claims/" + id + "/approve", "{}", kJson), 409);  // decided already

  // The replaced serial: the claim is recorded, and rejected by the fraud checks.
  auto again = m.post("/claims", R"({"item":")" + dl("W1") + R"(","description":"again"})", kJson);
  ASSERT_EQ(again.status, 201u) << again.body;
  EXPECT_EQ(again.json().at("state").as_string(), "rejected");
  bool replaced_flag = false;
  auto rejected = again.json();
  for (const auto& f : rejected.at("flags").as_array())
    replaced_flag = replaced_flag || f.as_string() == "already_replaced";
  EXPECT_TRUE(replaced_flag) << again.body;
  auto claims = auditor().get("/claims?item=" + segment("W1"));
  ASSERT_EQ(claims.status, 200u) << claims.body;
  EXPECT_EQ(claims.json().as_array().size(), 2u);
  EXPECT_EQ(m.get("/claims/" + id).json().at("state").as_string(), "approved");

  // Service on the replacement, as the CLI records it.
  auto service = m.post(
      "/service",
      R"({"item":")" + dl("W2") + R"(","kind":"firmware_update","firmware_version":"2.1"})", kJson);
  ASSERT_EQ(service.status, 201u) << service.body;
  EXPECT_EQ(service.json().at("eventIDs").as_array().size(), 1u);
  auto history = m.get("/service/" + segment("W2"));
  ASSERT_EQ(history.status, 200u) << history.body;
  ASSERT_EQ(history.json().as_array().size(), 1u);
  EXPECT_EQ(history.json().as_array()[0].at("kind").as_string(), "firmware_update");

  // Bad inputs: problems, and nothing changes.
  int64_t count = events();
  expect_problem(m.post("/service", R"({"item":")" + dl("W2") + R"(","kind":"juggling"})", kJson),
                 400);
  expect_problem(
      m.post("/service", R"({"item":")" + dl("W2") + R"(","kind":"part_replacement"})", kJson),
      400);
  expect_problem(m.post("/warranty/terms", R"({"product":"12ab"})", kJson), 400);
  expect_problem(m.post("/warranty/terms", R"({"product":")" + kGtin + R"(","days":3})", kJson),
                 400);
  expect_problem(m.post("/warranty/registrations", "not json", kJson), 400);
  expect_problem(m.post("/claims", R"({"item":"nonsense","description":"x"})", kJson), 400);
  expect_problem(m.post("/claims/" + id + "/juggle", "{}", kJson), 404);
  expect_problem(m.get("/claims/999"), 404);
  expect_problem(m.get("/warranty/items/" + segment("NEVER")), 404);
  expect_problem(m.get("/warranty/terms/123"), 400);
  EXPECT_EQ(events(), count);
  EXPECT_EQ(auditor().get("/claims?item=" + segment("W1")).json().as_array().size(), 2u);
  EXPECT_EQ(m.get("/warranty/terms").json().as_array().size(), 1u);
  // Distributors and dispensers have no warranty permission; auditors read and write none.
  expect_problem(distributor().get("/warranty/items/" + segment("W1")), 403);
  EXPECT_EQ(auditor().get("/warranty/items/" + segment("W2")).status, 200u);
  EXPECT_EQ(auditor().get("/service/" + segment("W2")).status, 200u);
  expect_problem(auditor().post("/claims", R"({"item":")" + dl("W2") + R"(","description":"x"})",
                                kJson),
                 403);
  expect_problem(auditor().post("/warranty/terms", R"({"product":")" + kGtin + R"(","duration_days":30})",
                                kJson),
                 403);
  expect_problem(auditor().post("/claims/" + id + "/reject", "{}", kJson), 403);
  // A manufacturer gives terms for its own products only (not another prefix's, nor a
  // family wider than its prefix).
  HttpClient other(server_.port(), other_manufacturer_key_);
  expect_problem(other.post("/warranty/terms", R"({"product":")" + kGtin + R"(","duration_days":30})", kJson),
                 403);
  expect_problem(m.post("/warranty/terms", R"({"product":"0952"})", kJson), 403);
  EXPECT_EQ(events(), count);
  EXPECT_EQ(m.get("/warranty/terms").json().as_array().size(), 1u);
  EXPECT_EQ(m.get("/claims?item=" + segment("W2")).json().as_array().size(), 0u);
}

const json::object* item_of(const json::value& report, const std::string& id) {
  for (const auto& i : report.at("items").as_array())
    if (i.at("id").as_string() == id) return &i.as_object();
  return nullptr;
}

TEST_F(BusinessApiTest, ALotRecalledInsideAShippedPalletIsListedMarkedAndTrackedAsItReturns) {
  auto m = manufacturer();
  // Bad definitions, and another company's recall of these products: nothing stored.
  int64_t count = events();
  expect_problem(m.post("/recalls", R"({"gtin":5,"reason":"x"})", kJson), 400);
  expect_problem(m.post("/recalls", R"({"gtin":")" + kGtin + R"(","lots":["LOT1"]})", kJson),
                 400);  // no reason
  expect_problem(
      m.post("/recalls", R"({"gtin":")" + kGtin + R"(","colour":"red","reason":"x"})", kJson), 400);
  HttpClient other(server_.port(), other_manufacturer_key_);
  expect_problem(other.post("/recalls", R"({"gtin":")" + kGtin + R"(","reason":"x"})", kJson), 403);
  expect_problem(
      distributor().post("/recalls", R"({"gtin":")" + kGtin + R"(","reason":"x"})", kJson), 403);
  EXPECT_EQ(events(), count);
  EXPECT_EQ(m.get("/recalls").json().as_array().size(), 0u);

  auto created = m.post(
      "/recalls",
      R"({"gtin":")" + kGtin + R"(","lots":["LOT1"],"reason":"particles","severity":"I"})", kJson);
  ASSERT_EQ(created.status, 201u) << created.body;
  EXPECT_EQ(created.json().at("run").at("members").as_int64(), 3);  // A1, A2, D1
  std::string id = std::to_string(created.json().at("recall").at("id").as_int64());
  EXPECT_EQ(created.header("Location"), "/recalls/" + id);

  // The manufacturer sees every affected item, the pallet they travel in and its custodian.
  auto report = m.get("/recalls/" + id);
  ASSERT_EQ(report.status, 200u) << report.body;
  auto r = report.json();
  const json::object* pallet = item_of(r, kPalletDl);
  ASSERT_NE(pallet, nullptr) << report.body;
  EXPECT_EQ(pallet->at("role").as_string(), "container");
  EXPECT_EQ(pallet->at("custodian").as_string(), kDistributor);
  ASSERT_NE(item_of(r, dl("D1")), nullptr);
  EXPECT_EQ(item_of(r, dl("D1"))->at("custodian").as_string(), kDispenser);
  EXPECT_EQ(item_of(r, dl("B1")), nullptr);  // the other lot on the same pallet
  EXPECT_EQ(r.at("progress").at("total").as_int64(), 3);
  EXPECT_EQ(r.at("progress").at("returned").as_int64(), 0);

  // Verification answers RECALLED.
  auto verified = dispenser().get("/verify?gtin=" + kGtin + "&serial=A1");
  ASSERT_EQ(verified.status, 200u) << verified.body;
  EXPECT_EQ(verified.json().at("status").as_string(), "RECALLED");
  EXPECT_FALSE(verified.json().at("verified").as_bool());

  // Each custodian sees its own items only.
  auto mine = distributor().get("/recalls/" + id);
  ASSERT_EQ(mine.status, 200u) << mine.body;
  auto d = mine.json();
  EXPECT_NE(item_of(d, dl("A1")), nullptr);
  EXPECT_NE(item_of(d, kPalletDl), nullptr);
  EXPECT_EQ(item_of(d, dl("D1")), nullptr) << mine.body;
  EXPECT_EQ(d.at("progress").at("total").as_int64(), 2);
  auto theirs = dispenser().get("/recalls/" + id);
  ASSERT_EQ(theirs.status, 200u);
  EXPECT_EQ(theirs.json().at("items").as_array().size(), 1u) << theirs.body;
  EXPECT_NE(item_of(theirs.json(), dl("D1")), nullptr);
  EXPECT_EQ(auditor().get("/recalls/" + id).json().at("items").as_array().size(),
            r.at("items").as_array().size());
  // The EPCIS document names everyone's items: not for a custodian.
  expect_problem(distributor().get("/recalls/" + id + "?format=epcis"), 403);

  // Exports: CSV by Accept, the marking events as an EPCIS document by format.
  auto csv = m.get("/recalls/" + id, {{"Accept", "text/csv"}});
  ASSERT_EQ(csv.status, 200u);
  EXPECT_EQ(csv.header("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(csv.body.substr(0, 8), "id,role,");
  auto doc = m.get("/recalls/" + id + "?format=epcis");
  ASSERT_EQ(doc.status, 200u) << doc.body;
  EXPECT_EQ(doc.json().at("type").as_string(), "EPCISDocument");
  EXPECT_EQ(doc.json().at("epcisBody").at("eventList").as_array().size(), 1u);
  expect_problem(m.get("/recalls/" + id + "?format=pdf"), 400);
  expect_problem(m.get("/recalls/999"), 404);
  expect_problem(m.get("/recalls/abc"), 404);

  // The distributor sends the pallet back: progress moves.
  auto back = admin().post(
      "/capture",
      epcis_document({observe(now_rfc3339(1), kPallet, "receiving", "returned", kFactory, kMaker)}),
      kJsonLd);
  ASSERT_EQ(back.status, 202u) << back.body;
  auto after = m.get("/recalls/" + id).json();
  EXPECT_EQ(after.at("progress").at("returned").as_int64(), 2) << after;
  EXPECT_EQ(item_of(after, dl("A1"))->at("status").as_string(), "returned");

  // Running again marks nothing twice.
  auto run = m.post("/recalls/" + id + "/run", "", {});
  ASSERT_EQ(run.status, 200u) << run.body;
  EXPECT_EQ(run.json().at("newlyMarked").as_int64(), 0);
  expect_problem(other.post("/recalls/" + id + "/run", "", {}), 403);
}

TEST_F(BusinessApiTest, StockPerLocationAndADistributorSeesOnlyItsOwn) {
  auto all = admin().get("/inventory?by=location");
  ASSERT_EQ(all.status, 200u) << all.body;
  auto total = all.json().at("total").as_int64();
  EXPECT_GE(total, 5);  // A1, A2, B1, D1, W2 at least
  bool warehouse = false;
  auto lines = all.json();
  for (const auto& l : lines.at("lines").as_array())
    if (l.at("location").as_string() == kWarehouse) {
      warehouse = true;
      EXPECT_EQ(l.at("count").as_int64(), 3);
    }
  EXPECT_TRUE(warehouse) << all.body;

  auto own = distributor().get("/inventory?by=custodian");
  ASSERT_EQ(own.status, 200u) << own.body;
  EXPECT_EQ(own.json().at("total").as_int64(), 3);
  auto own_lines = own.json();
  for (const auto& l : own_lines.at("lines").as_array())
    EXPECT_EQ(l.at("custodian").as_string(), kDistributor);
  // Asking for another party's stock shows none of it.
  EXPECT_EQ(distributor().get("/inventory?custodian=" + kDispenser).json().at("total").as_int64(),
            0);
  EXPECT_EQ(auditor().get("/inventory").json().at("total").as_int64(), total);
  // As of a time before the pallet was shipped the distributor had nothing.
  EXPECT_EQ(distributor().get("/inventory?asOf=2026-01-01T10:04:30Z").json().at("total").as_int64(),
            0);
  EXPECT_EQ(
      admin().get("/inventory?asOf=2026-01-01T10:02:30Z&by=product").json().at("total").as_int64(),
      6);
  auto csv = distributor().get("/inventory?by=lot&format=csv");
  EXPECT_EQ(csv.body.substr(0, csv.body.find('\n')), "lot,count");

  auto slow = distributor().get("/inventory/ageing?days=1");
  ASSERT_EQ(slow.status, 200u) << slow.body;
  EXPECT_EQ(slow.json().at("items").as_array().size(), 3u);
  auto expiring = distributor().get("/inventory/expiring?days=30&today=2027-01-15&gtin=" + kGtin);
  ASSERT_EQ(expiring.status, 200u) << expiring.body;
  EXPECT_EQ(expiring.json().at("items").as_array().size(), 3u);

  // Minimums are the operator's.
  auto set = admin().post(
      "/inventory/minimums",
      R"({"gtin":")" + kGtin + R"(","location":")" + kWarehouse + R"(","minimum":5})", kJson);
  ASSERT_EQ(set.status, 200u) << set.body;
  auto shortages = auditor().get("/inventory/minimums?short=true");
  ASSERT_EQ(shortages.status, 200u) << shortages.body;
  ASSERT_EQ(shortages.json().as_array().size(), 1u);
  EXPECT_EQ(shortages.json().as_array()[0].at("stock").as_int64(), 3);
  expect_problem(distributor().get("/inventory/minimums"), 403);
  expect_problem(dispenser().get("/inventory"), 403);

  // Bad inputs.
  expect_problem(admin().get("/inventory?by=colour"), 400);
  expect_problem(admin().get("/inventory?asOf=yesterday"), 400);
  expect_problem(admin().get("/inventory?gtin=123"), 400);
  expect_problem(admin().get("/inventory/ageing?days=-1"), 400);
  expect_problem(admin().get("/inventory/expiring?today=31.12.2027"), 400);
  expect_problem(admin().post("/inventory/minimums", R"({"gtin":"1","minimum":2})", kJson), 400);
  expect_problem(admin().post("/inventory/minimums", R"({"gtin":")" + kGtin + R"("})", kJson), 400);
  EXPECT_EQ(auditor().get("/inventory/minimums").json().as_array().size(), 1u);
}

TEST_F(BusinessApiTest, ACountFromAScanListReportsTheMissingItemAndSchedulesComeDue) {
  auto d = distributor();
  int64_t count = events();
  const Headers text = {{"Content-Type", "text/plain"}};
  expect_problem(
      d.post("/audits?location=" + kWarehouse, "(01)" + kGtin + "(21)A1\ngarbage\n", text), 400);
  expect_problem(d.post("/audits?location=not-a-place", "(01)" + kGtin + "(21)A1\n", text), 400);
  expect_problem(d.post("/audits?location=" + kWarehouse, "x", {{"Content-Type", "image/png"}}),
                 415);
  expect_problem(d.post("/audits", epcis_document({}), kJsonLd), 400);
  EXPECT_EQ(events(), count);
  EXPECT_EQ(d.get("/audits").json().as_array().size(), 0u);

  auto a = d.post("/audits?location=" + kWarehouse,
                  "(01)" + kGtin + "(21)A1\n(01)" + kGtin + "(21)B1\n", text);
  ASSERT_EQ(a.status, 201u) << a.body;
  EXPECT_EQ(a.json().at("missing").as_int64(), 1) << a.body;  // A2
  EXPECT_EQ(events(), count + 1);                             // the cycle count event
  std::string id = std::to_string(a.json().at("id").as_int64());
  EXPECT_EQ(d.get("/audits/" + id).json().at("expected").as_int64(), 3);
  EXPECT_EQ(d.get("/audits?location=" + kWarehouse).json().as_array().size(), 1u);
  expect_problem(d.get("/audits/999"), 404);

  // An EPCIS cycle count document is a count too.
  std::string counted =
      R"({"type":"ObjectEvent","eventTime":")" + now_rfc3339(0) +
      R"(","eventTimeZoneOffset":"+00:00","epcList":[")" + sgtin("D1") +
      R"("],"action":"OBSERVE","bizStep":"cycle_counting","bizLocation":{"id":")" + kPharmacy +
      R"("}})";
  auto b = auditor().post("/audits", epcis_document({counted}), kJsonLd);
  ASSERT_EQ(b.status, 201u) << b.body;
  EXPECT_EQ(b.json().at("location").as_string(), kPharmacy);

  expect_problem(
      d.post("/audits/schedules", R"({"location":")" + kWarehouse + R"(","everyDays":7})", kJson),
      403);
  auto s = admin().post("/audits/schedules",
                        R"({"location":")" + kWarehouse + R"(","everyDays":7})", kJson);
  ASSERT_EQ(s.status, 200u) << s.body;
  ASSERT_EQ(
      admin()
          .post("/audits/schedules", R"({"location":")" + kFactory + R"(","everyDays":7})", kJson)
          .status,
      200u);
  expect_problem(admin().post("/audits/schedules", R"({"location":")" + kFactory + R"("})", kJson),
                 400);
  auto overdue = d.get("/audits/overdue");
  ASSERT_EQ(overdue.status, 200u) << overdue.body;
  ASSERT_EQ(overdue.json().as_array().size(), 1u);  // the factory: never audited
  EXPECT_EQ(overdue.json().as_array()[0].at("location").as_string(), kFactory);
  auto later = d.get("/audits/overdue?now=2099-01-01T00:00:00Z");
  EXPECT_EQ(later.json().as_array().size(), 2u);
  EXPECT_EQ(d.get("/audits/schedules").json().as_array().size(), 2u);
  expect_problem(d.get("/audits/overdue?now=soon"), 400);
}

TEST_F(BusinessApiTest, TheBusinessRoutesAreInTheOpenApiDocument) {
  auto doc = HttpClient(server_.port()).get("/openapi.json");
  ASSERT_EQ(doc.status, 200u);
  auto openapi = doc.json();
  const auto& paths = openapi.at("paths").as_object();
  for (const char* p : {"/warranty/items/{item}", "/claims/{claimID}/{decision}", "/service",
                        "/recalls/{recallID}", "/inventory/expiring", "/audits/overdue"})
    EXPECT_TRUE(paths.contains(p)) << p;
}

}  // namespace
}  // namespace serialtrack::testing

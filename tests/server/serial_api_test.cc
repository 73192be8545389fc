// The /serials routes over HTTP against the real server: allocations idempotent by
// request id, a manufacturer held to its company prefix, bad requests refused without a
// trace, market presets, commissioned counts, returns, formats and guess probability.
#include <gtest/gtest.h>

#include <set>

#include "server/http_client.h"

namespace serialtrack::testing {
namespace {

const Headers kJson = {{"Content-Type", "application/json"}};
const std::string kManufacturerParty = "9520123000004";  // company prefix 9520123
const std::string kOwnGtin = "09520123045678";           // 9520123, item reference 04567
const std::string kOtherGtin = "04012345011111";         // another company's (4012345)
constexpr size_t kLimit = 50;                            // allocation_limit of the server

server::ServeConfig small_limit() {
  server::ServeConfig c;
  c.allocation_limit = kLimit;
  return c;
}

std::vector<std::string> serials_of(const HttpAnswer& a) {
  std::vector<std::string> out;
  auto v = a.json();
  for (const auto& s : v.at("serials").as_array()) out.emplace_back(s.as_string());
  return out;
}

std::string allocation(const std::string& gtin, int count, const std::string& request_id,
                       const std::string& extra = "") {
  return R"({"gtin":")" + gtin + R"(","count":)" + std::to_string(count) +
         (request_id.empty() ? "" : R"(,"requestID":")" + request_id + "\"") + extra + "}";
}

class SerialApiTest : public ::testing::Test {
 protected:
  SerialApiTest()
      : server_(small_limit()),
        admin_(server_.port(), server_.admin_key()),
        manufacturer_(server_.port(),
                      create_api_key(server_.db(), "manufacturer", kManufacturerParty, "9520123")) {
  }

  // Every allocation, as the admin sees them.
  boost::json::array all_allocations() {
    auto a = admin_.get("/serials/allocations");
    EXPECT_EQ(a.status, 200u) << a.body;
    return a.json().as_array();
  }

  TestServer server_;
  HttpClient admin_;
  HttpClient manufacturer_;
};

TEST_F(SerialApiTest, ARetriedRequestIdAnswersTheSameSerialsAndAllocatesNoMore) {
  auto first =
      manufacturer_.post("/serials/allocations", allocation(kOwnGtin, 5, "line-7/001"), kJson);
  ASSERT_EQ(first.status, 201u) << first.body;
  auto serials = serials_of(first);
  ASSERT_EQ(serials.size(), 5u);
  EXPECT_EQ(std::set<std::string>(serials.begin(), serials.end()).size(), 5u);
  EXPECT_EQ(first.json().at("requestID").as_string(), "line-7/001");
  EXPECT_FALSE(first.json().at("replayed").as_bool());

  auto retry =
      manufacturer_.post("/serials/allocations", allocation(kOwnGtin, 5, "line-7/001"), kJson);
  ASSERT_EQ(retry.status, 200u) << retry.body;
  EXPECT_EQ(serials_of(retry), serials);
  EXPECT_TRUE(retry.json().at("replayed").as_bool());

  auto next =
      manufacturer_.post("/serials/allocations", allocation(kOwnGtin, 5, "line-7/002"), kJson);
  ASSERT_EQ(next.status, 201u) << next.body;
  for (const auto& s : serials_of(next))
    EXPECT_EQ(std::count(serials.begin(), serials.end(), s), 0) << s << " handed out twice";

  // The same id with other parameters is a conflict, and allocates nothing.
  auto changed =
      manufacturer_.post("/serials/allocations", allocation(kOwnGtin, 6, "line-7/001"), kJson);
  EXPECT_EQ(changed.status, 409u) << changed.body;
  EXPECT_EQ(changed.problem_type(), "epcisException:ResourceAlreadyExistsException");
  auto listed = all_allocations();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].at("issued").as_int64() + listed[1].at("issued").as_int64(), 10);
}

TEST_F(SerialApiTest, AManufacturerIsRefusedAnotherCompanysGtinWith403AndNothingChanges) {
  auto a = manufacturer_.post("/serials/allocations", allocation(kOtherGtin, 5, "r1"), kJson);
  EXPECT_EQ(a.status, 403u) << a.body;
  EXPECT_EQ(a.problem_type(), "epcisException:SecurityException");
  EXPECT_NE(a.body.find(kOtherGtin), std::string::npos) << a.body;
  EXPECT_EQ(
      manufacturer_
          .request(http::verb::put, "/serials/gtins/" + kOtherGtin, R"({"market":"eu-fmd"})", kJson)
          .status,
      403u);
  EXPECT_EQ(manufacturer_.get("/serials/gtins/" + kOtherGtin).status, 403u);
  EXPECT_EQ(manufacturer_.get("/serials/allocations?gtin=" + kOtherGtin).status, 403u);
  EXPECT_TRUE(all_allocations().empty());
  EXPECT_EQ(admin_.get("/serials/gtins/" + kOtherGtin).status, 404u);

  // The admin allocates for any company; a manufacturer's listing shows its own only.
  ASSERT_EQ(admin_.post("/serials/allocations", allocation(kOtherGtin, 2, "admin-1"), kJson).status,
            201u);
  ASSERT_EQ(
      manufacturer_.post("/serials/allocations", allocation(kOwnGtin, 2, "own-1"), kJson).status,
      201u);
  auto mine = manufacturer_.get("/serials/allocations").json().as_array();
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].at("gtin").as_string(), kOwnGtin);
  EXPECT_EQ(all_allocations().size(), 2u);
}

TEST_F(SerialApiTest, BadAllocationRequestsAre4xxProblemsAndAllocateNothing) {
  struct Case {
    std::string body;
    unsigned status;
  };
  const Case cases[] = {
      {"not json", 400},
      {"[]", 400},
      {allocation(kOwnGtin, 5, "") + "x", 400},
      {R"({"gtin":")" + kOwnGtin + R"(","count":5,"requestId":"typo"})", 400},  // unknown field
      {allocation(kOwnGtin, 0, "c0"), 400},
      {allocation(kOwnGtin, -3, "c-3"), 400},
      {R"({"gtin":")" + kOwnGtin + R"(","count":"5"})", 400},
      {R"({"count":5})", 400},
      {allocation("09520123045679", 5, "bad-check-digit"), 400},
      {allocation(kOwnGtin, 5, "unknown-format", R"(,"format":"nope")"), 404},
      {allocation(kOwnGtin, 5, "unknown-scheme", R"(,"scheme":"rot13")"), 400},
      {allocation(kOwnGtin, 5, "guessable", R"(,"scheme":"sequential")"), 400},
      {allocation(kOwnGtin, 5, "flag", R"(,"allowGuessable":"yes")"), 400},
      {allocation(kOwnGtin, static_cast<int>(kLimit) + 1, "too-many"), 413},
  };
  for (const auto& c : cases) {
    auto a = manufacturer_.post("/serials/allocations", c.body, kJson);
    EXPECT_EQ(a.status, c.status) << c.body << ": " << a.body;
    EXPECT_EQ(a.header("Content-Type"), "application/problem+json") << c.body;
    EXPECT_FALSE(a.json().at("detail").as_string().empty()) << c.body;
  }
  auto over = manufacturer_.post("/serials/allocations",
                                 allocation(kOwnGtin, static_cast<int>(kLimit) + 1, "over"), kJson);
  EXPECT_NE(over.body.find("limit of " + std::to_string(kLimit)), std::string::npos) << over.body;
  EXPECT_TRUE(all_allocations().empty());
  // The refused request ids were not used up: each may still allocate.
  EXPECT_EQ(
      manufacturer_.post("/serials/allocations", allocation(kOwnGtin, 5, "too-many"), kJson).status,
      201u);
}

TEST_F(SerialApiTest, AnEuFmdGtinTakesThePresetFormatAndNeverGuessableSerials) {
  auto assigned = manufacturer_.request(http::verb::put, "/serials/gtins/" + kOwnGtin,
                                        R"({"market":"eu-fmd"})", kJson);
  ASSERT_EQ(assigned.status, 200u) << assigned.body;
  EXPECT_EQ(assigned.json().at("format").as_string(), "eu-fmd");
  auto read = manufacturer_.get("/serials/gtins/" + kOwnGtin);
  ASSERT_EQ(read.status, 200u);
  EXPECT_EQ(read.json().at("market").as_string(), "eu-fmd");

  auto a = manufacturer_.post("/serials/allocations", allocation(kOwnGtin, 3, "fmd-1"), kJson);
  ASSERT_EQ(a.status, 201u) << a.body;
  for (const auto& s : serials_of(a)) EXPECT_EQ(s.size(), 16u) << s;
  auto guessable = manufacturer_.post(
      "/serials/allocations",
      allocation(kOwnGtin, 3, "fmd-2", R"(,"scheme":"sequential","allowGuessable":true)"), kJson);
  EXPECT_EQ(guessable.status, 400u) << guessable.body;
  EXPECT_EQ(all_allocations().size(), 1u);

  auto bad_market = manufacturer_.request(http::verb::put, "/serials/gtins/" + kOwnGtin,
                                          R"({"market":"mars"})", kJson);
  EXPECT_EQ(bad_market.status, 400u);
  EXPECT_EQ(manufacturer_.get("/serials/gtins/" + kOwnGtin).json().at("market").as_string(),
            "eu-fmd");
}

TEST_F(SerialApiTest, TheAllocationListingCountsWhatWasCommissioned) {
  auto a = manufacturer_.post("/serials/allocations", allocation(kOwnGtin, 3, "c-1"), kJson);
  ASSERT_EQ(a.status, 201u) << a.body;
  std::string serial = serials_of(a)[0];
  std::string commissioning =
      R"({"type":"ObjectEvent","eventID":"urn:uuid:c1","eventTime":"2024-01-01T10:00:00Z",)"
      R"("eventTimeZoneOffset":"+00:00","epcList":["urn:epc:id:sgtin:9520123.004567.)" +
      serial +
      R"("],"action":"ADD","bizStep":"commissioning","disposition":"active",)"
      R"("readPoint":{"id":"urn:epc:id:sgln:9520123.00001.0"}})";
  auto captured = manufacturer_.post("/capture", epcis_document({commissioning}), kJsonLd);
  ASSERT_EQ(captured.status, 202u) << captured.body;

  auto listed = manufacturer_.get("/serials/allocations?gtin=" + kOwnGtin);
  ASSERT_EQ(listed.status, 200u) << listed.body;
  auto list = listed.json().as_array();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].at("issued").as_int64(), 3);
  EXPECT_EQ(list[0].at("commissioned").as_int64(), 1);
  EXPECT_EQ(list[0].at("returned").as_int64(), 0);
  EXPECT_EQ(manufacturer_.get("/serials/allocations?gtin=123").status, 400u);
  EXPECT_EQ(manufacturer_.get("/serials/allocations?lot=1").status, 400u);
}

TEST_F(SerialApiTest, UnusedSerialsAreReturnedOnceAndOnlyByTheirOwner) {
  auto a = manufacturer_.post("/serials/allocations", allocation(kOwnGtin, 3, "ret-1"), kJson);
  ASSERT_EQ(a.status, 201u) << a.body;
  std::string range = std::to_string(a.json().at("rangeID").as_int64());
  std::string body = R"({"serials":[")" + serials_of(a)[2] + R"("]})";
  auto returned = manufacturer_.post("/serials/ranges/" + range + "/returns", body, kJson);
  ASSERT_EQ(returned.status, 200u) << returned.body;
  EXPECT_EQ(returned.json().at("returned").as_int64(), 1);
  EXPECT_EQ(manufacturer_.post("/serials/ranges/" + range + "/returns", body, kJson).status, 409u);
  EXPECT_EQ(manufacturer_.post("/serials/ranges/" + range + "/returns", R"({"serials":[]})", kJson)
                .status,
            400u);
  EXPECT_EQ(manufacturer_.post("/serials/ranges/999/returns", body, kJson).status, 404u);

  auto other = admin_.post("/serials/allocations", allocation(kOtherGtin, 2, "ret-2"), kJson);
  ASSERT_EQ(other.status, 201u);
  std::string other_range = std::to_string(other.json().at("rangeID").as_int64());
  auto refused = manufacturer_.post("/serials/ranges/" + other_range + "/returns",
                                    R"({"serials":[")" + serials_of(other)[0] + R"("]})", kJson);
  EXPECT_EQ(refused.status, 403u) << refused.body;
  EXPECT_EQ(all_allocations()[1].at("returned").as_int64(), 0);
}

TEST_F(SerialApiTest, FormatsAreStoredOnceAndTheirGuessProbabilityAnswered) {
  std::string format = R"({"name":"line-12","alphabet":"numeric","length":12})";
  EXPECT_EQ(manufacturer_.post("/serials/formats", format, kJson).status, 201u);
  EXPECT_EQ(manufacturer_.post("/serials/formats", format, kJson).status, 200u);
  EXPECT_EQ(
      manufacturer_
          .post("/serials/formats", R"({"name":"line-12","alphabet":"numeric","length":10})", kJson)
          .status,
      409u);
  EXPECT_EQ(
      manufacturer_
          .post("/serials/formats", R"({"name":"bad","alphabet":"numeric","length":30})", kJson)
          .status,
      400u);
  bool listed = false;
  auto formats = manufacturer_.get("/serials/formats").json();
  for (const auto& f : formats.as_array())
    listed |= f.at("name").as_string() == "line-12" && f.at("alphabet").as_string() == "0123456789";
  EXPECT_TRUE(listed);

  auto guess = manufacturer_.get("/serials/guess-probability?format=line-12&count=1000000");
  ASSERT_EQ(guess.status, 200u) << guess.body;
  EXPECT_DOUBLE_EQ(guess.json().at("probability").as_double(), 1e-6);
  EXPECT_TRUE(guess.json().at("withinEuFmdLimit").as_bool());
  auto above = manufacturer_.get("/serials/guess-probability?format=line-12&count=1000000000");
  EXPECT_FALSE(above.json().at("withinEuFmdLimit").as_bool());
  EXPECT_EQ(manufacturer_.get("/serials/guess-probability?format=line-12").status, 400u);
  EXPECT_EQ(manufacturer_.get("/serials/guess-probability?format=nope&count=1").status, 404u);
}

}  // namespace
}  // namespace serialtrack::testing

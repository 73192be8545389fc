// Access control over HTTP (issue 5): every route of the table, called by every role,
// against the real server; keys refused; visibility and ownership of events.
#include <gtest/gtest.h>

#include <set>

#include "server/access.h"
#include "server/http_client.h"

namespace serialtrack::testing {
namespace {

using server::Role;

const std::string kManufacturerParty = "9520123000004";  // company prefix 9520123
const std::string kDistributorParty = "4012345000009";   // company prefix 4012345
const std::string kDispenserParty = "0614141000012";
const std::string kAuditorParty = "9520123000011";
const std::string kPublicParty = "9520123000028";
const std::string kManufacturerGtin = "09520123045678";  // company prefix 9520123
const std::string kDistributorGtin = "04012345011111";   // company prefix 4012345

// The route's template with each {param} replaced by a value.
std::string target_of(std::string_view path) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] != '{') {
      out += path[i];
      continue;
    }
    size_t end = path.find('}', i);
    std::string_view param = path.substr(i + 1, end - i - 1);
    // Values that pass the routes' own checks, so that a permitted role reaches the
    // handler's answer (a GTIN of the manufacturer's company prefix).
    out += param == "operation" ? "supply" : param == "gtin" ? kManufacturerGtin : "x";
    i = end;
  }
  return out;
}

class AccessApiTest : public ::testing::Test {
 protected:
  AccessApiTest() {
    keys_[Role::kAdmin] = server_.admin_key();
    keys_[Role::kManufacturer] =
        create_api_key(server_.db(), "manufacturer", kManufacturerParty, "9520123");
    keys_[Role::kDistributor] = create_api_key(server_.db(), "distributor", kDistributorParty);
    keys_[Role::kDispenser] = create_api_key(server_.db(), "dispenser", kDispenserParty);
    keys_[Role::kAuditor] = create_api_key(server_.db(), "auditor", kAuditorParty);
    keys_[Role::kPublic] = create_api_key(server_.db(), "public", kPublicParty);
  }
  HttpClient as(Role role) { return HttpClient(server_.port(), keys_.at(role)); }

  TestServer server_;
  std::map<Role, std::string> keys_;
};

TEST_F(AccessApiTest, EveryRouteHasAnAccessRuleAndEveryRuleARoute) {
  std::set<std::pair<int, std::string>> routes, rules;
  for (const auto& r : server_.app().router().routes())
    routes.insert({static_cast<int>(r.method), r.path});
  for (const auto& r : server::route_access_table())
    rules.insert({static_cast<int>(r.method), std::string(r.path)});
  EXPECT_EQ(routes, rules);
}

// Each cell of routes × roles: 403 exactly when the role lacks the route's permission;
// open routes never ask; without a key 401, except where anonymous callers are public.
TEST_F(AccessApiTest, EachRoleGetsEachRouteExactlyAsThePermissionTableSays) {
  const Role roles[] = {Role::kAdmin,     Role::kManufacturer, Role::kDistributor,
                        Role::kDispenser, Role::kAuditor,      Role::kPublic};
  for (const auto& rule : server::route_access_table()) {
    std::string target = target_of(rule.path);
    std::string body =
        rule.method == http::verb::post || rule.method == http::verb::put ? "{}" : "";
    std::string cell = std::string(http::to_string(rule.method)) + " " + std::string(rule.path);
    for (Role role : roles) {
      auto client = as(role);
      auto a = client.request(rule.method, target, body);
      bool allowed = !rule.permission || server::role_permits(role, *rule.permission);
      if (allowed) {
        EXPECT_NE(a.status, 401u) << cell << " as " << server::role_name(role) << ": " << a.body;
        EXPECT_NE(a.status, 403u) << cell << " as " << server::role_name(role) << ": " << a.body;
      } else {
        EXPECT_EQ(a.status, 403u) << cell << " as " << server::role_name(role) << ": " << a.body;
        EXPECT_EQ(a.problem_type(), "epcisException:SecurityException") << cell;
      }
    }
    HttpClient anonymous(server_.port());
    auto a = anonymous.request(rule.method, target, body);
    if (!rule.permission || rule.anonymous_is_public) {
      EXPECT_NE(a.status, 401u) << cell << " without a key";
      EXPECT_NE(a.status, 403u) << cell << " without a key";
    } else {
      EXPECT_EQ(a.status, 401u) << cell << " without a key";
      EXPECT_EQ(a.header("WWW-Authenticate"), "Bearer") << cell;
    }
  }
}

TEST_F(AccessApiTest, AMalformedUnknownOrRevokedKeyIsRefusedWith401) {
  HttpClient malformed(server_.port(), "not-a-key");
  EXPECT_EQ(malformed.get("/events").status, 401u);
  HttpClient basic(server_.port());
  EXPECT_EQ(basic.get("/events", {{"Authorization", "Basic dXNlcjpwdw=="}}).status, 401u);
  std::string unknown = keys_[Role::kAuditor];
  unknown.back() = unknown.back() == 'A' ? 'B' : 'A';
  HttpClient wrong(server_.port(), unknown);
  EXPECT_EQ(wrong.get("/events").status, 401u);

  auto id = store::api_key_id_of(keys_[Role::kAuditor]);
  ASSERT_TRUE(id);
  ASSERT_TRUE(server_.app().keys().revoke(*id).value());
  auto revoked = as(Role::kAuditor).get("/events");
  EXPECT_EQ(revoked.status, 401u);
  EXPECT_EQ(revoked.header("WWW-Authenticate"), "Bearer");
  EXPECT_EQ(revoked.problem_type(), "epcisException:SecurityException");
}

// A shipping event of an SGTIN of this company prefix and item reference.
std::string shipping_event(const std::string& id, const std::string& sgtin) {
  return R"({"type":"ObjectEvent","eventID":")" + id +
         R"(","eventTime":"2024-01-01T10:00:00Z","eventTimeZoneOffset":"+00:00",)"
         R"("epcList":["urn:epc:id:sgtin:)" +
         sgtin +
         R"("],"action":"OBSERVE",)"
         R"("bizStep":"shipping","readPoint":{"id":"urn:epc:id:sgln:4012345.00001.0"}})";
}
std::string distributor_event(const std::string& id) {
  return shipping_event(id, "4012345.011111.1");
}

TEST_F(AccessApiTest, ADistributorSeesOnlyTheEventsItCapturedOrIsNamedIn) {
  auto manufacturer = as(Role::kManufacturer);
  ASSERT_EQ(manufacturer
                .post("/capture",
                      epcis_document({shipping_event("urn:uuid:m1", "9520123.045678.1")}), kJsonLd)
                .status,
            202u);
  auto distributor = as(Role::kDistributor);
  ASSERT_EQ(
      distributor.post("/capture", epcis_document({distributor_event("urn:uuid:d1")}), kJsonLd)
          .status,
      202u);
  auto events = distributor.get("/events");
  ASSERT_EQ(events.status, 200u);
  auto list =
      events.json().at("epcisBody").at("queryResults").at("resultsBody").at("eventList").as_array();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].at("eventID").as_string(), "urn:uuid:d1");
  // Another party's event is absent, not forbidden.
  EXPECT_EQ(distributor.get("/events/urn%3Auuid%3Am1").status, 404u);
  EXPECT_EQ(distributor.get("/events/urn%3Auuid%3Ad1").status, 200u);
  // The auditor sees both.
  auto all = as(Role::kAuditor).get("/events");
  EXPECT_EQ(all.json()
                .at("epcisBody")
                .at("queryResults")
                .at("resultsBody")
                .at("eventList")
                .as_array()
                .size(),
            2u);
}

TEST_F(AccessApiTest, AManufacturerCannotCaptureAnotherCompanysIdentifiers) {
  auto manufacturer = as(Role::kManufacturer);
  auto a =
      manufacturer.post("/capture", epcis_document({distributor_event("urn:uuid:x1")}), kJsonLd);
  EXPECT_EQ(a.status, 403u) << a.body;
  EXPECT_NE(a.body.find("urn:epc:id:sgtin:4012345.011111.1"), std::string::npos) << a.body;
  auto one = manufacturer.post("/events", bare_event(distributor_event("urn:uuid:x2")), kJsonLd);
  EXPECT_EQ(one.status, 403u) << one.body;
  EXPECT_EQ(server_.app().events().event_count().value(), 0);
}

const Headers kJson = {{"Content-Type", "application/json"}};

// The serial routes with real requests, role by role: the roles with allocate_serials
// (admin, manufacturer) get the answer, the others 403; a manufacturer only for its own
// company prefix's GTINs.
TEST_F(AccessApiTest, EachRoleGetsTheSerialRoutesAsPermissionAndCompanyPrefixSay) {
  const Role roles[] = {Role::kAdmin,     Role::kManufacturer, Role::kDistributor,
                        Role::kDispenser, Role::kAuditor,      Role::kPublic};
  int n = 0;
  for (Role role : roles) {
    bool allowed = server::role_permits(role, server::Permission::kAllocateSerials);
    auto client = as(role);
    std::string who = std::string(server::role_name(role));
    auto own = [&](const std::string& gtin) {
      return R"({"gtin":")" + gtin + R"(","count":2,"requestID":"r)" + std::to_string(++n) + "\"}";
    };
    auto allocated = client.post("/serials/allocations", own(kManufacturerGtin), kJson);
    EXPECT_EQ(allocated.status, allowed ? 201u : 403u) << who << ": " << allocated.body;
    auto assigned = client.request(http::verb::put, "/serials/gtins/" + kManufacturerGtin,
                                   R"({"market":"eu-fmd"})", kJson);
    EXPECT_EQ(assigned.status, allowed ? 200u : 403u) << who << ": " << assigned.body;
    EXPECT_EQ(client.get("/serials/allocations").status, allowed ? 200u : 403u) << who;
    EXPECT_EQ(client.get("/serials/formats").status, allowed ? 200u : 403u) << who;
    EXPECT_EQ(client.get("/serials/guess-probability?format=default&count=10").status,
              allowed ? 200u : 403u)
        << who;
    // Another company's GTIN: only the admin (no company prefix to hold to).
    auto other = client.post("/serials/allocations", own(kDistributorGtin), kJson);
    EXPECT_EQ(other.status, role == Role::kAdmin ? 201u : 403u) << who << ": " << other.body;
  }
  auto all = as(Role::kAdmin).get("/serials/allocations").json().as_array();
  EXPECT_EQ(all.size(), 3u);  // admin: own and other; manufacturer: own
}

// A named query belongs to the party whose key made it: other parties are told it does
// not exist (list, read, events, subscriptions, delete); the admin sees and deletes all.
TEST_F(AccessApiTest, ANamedQueryIsSeenAndDeletedOnlyByItsOwnerAndTheAdmin) {
  auto distributor = as(Role::kDistributor);
  auto created = distributor.post(
      "/queries", R"({"name":"my-shipments","query":{"EQ_bizStep":"shipping"}})", kJson);
  ASSERT_EQ(created.status, 201u) << created.body;
  auto names = [](HttpAnswer a) {
    std::set<std::string> out;
    auto v = a.json();
    for (const auto& q : v.as_array()) out.emplace(q.at("name").as_string());
    return out;
  };
  EXPECT_EQ(names(distributor.get("/queries")), std::set<std::string>{"my-shipments"});
  EXPECT_EQ(distributor.get("/queries/my-shipments").status, 200u);
  EXPECT_EQ(distributor.get("/queries/my-shipments/events").status, 200u);

  for (Role role : {Role::kDispenser, Role::kManufacturer, Role::kAuditor}) {
    auto other = as(role);
    std::string who = std::string(server::role_name(role));
    EXPECT_TRUE(names(other.get("/queries")).empty()) << who;
    for (const char* target : {"/queries/my-shipments", "/queries/my-shipments/events",
                               "/queries/my-shipments/subscriptions"}) {
      auto a = other.get(target);
      EXPECT_EQ(a.status, 404u) << who << " " << target;
      EXPECT_EQ(a.problem_type(), "epcisException:NoSuchResourceException") << who << " " << target;
    }
    EXPECT_EQ(other
                  .post("/queries/my-shipments/subscriptions",
                        R"({"dest":"http://127.0.0.1:1/x","signatureToken":"t"})", kJson)
                  .status,
              404u)
        << who;
    EXPECT_EQ(other.request(http::verb::delete_, "/queries/my-shipments").status, 404u) << who;
  }
  EXPECT_EQ(distributor.get("/queries/my-shipments").status, 200u);  // not deleted

  auto admin = as(Role::kAdmin);
  EXPECT_EQ(names(admin.get("/queries")), std::set<std::string>{"my-shipments"});
  EXPECT_EQ(admin.get("/queries/my-shipments").status, 200u);
  EXPECT_EQ(distributor.request(http::verb::delete_, "/queries/my-shipments").status, 204u);
  EXPECT_EQ(admin.get("/queries/my-shipments").status, 404u);

  // The admin deletes another party's query.
  ASSERT_EQ(distributor.post("/queries", R"({"name":"again","query":{}})", kJson).status, 201u);
  EXPECT_EQ(admin.request(http::verb::delete_, "/queries/again").status, 204u);
  EXPECT_EQ(distributor.get("/queries/again").status, 404u);
}

// A query's events keep the caller's visibility: the owner sees only its own events.
TEST_F(AccessApiTest, ANamedQuerysEventsAreThoseItsCallerMaySee) {
  ASSERT_EQ(as(Role::kManufacturer)
                .post("/capture",
                      epcis_document({shipping_event("urn:uuid:m9", "9520123.045678.9")}), kJsonLd)
                .status,
            202u);
  auto distributor = as(Role::kDistributor);
  ASSERT_EQ(
      distributor.post("/capture", epcis_document({distributor_event("urn:uuid:d9")}), kJsonLd)
          .status,
      202u);
  ASSERT_EQ(
      distributor.post("/queries", R"({"name":"shipped","query":{"EQ_bizStep":"shipping"}})", kJson)
          .status,
      201u);
  auto events = distributor.get("/queries/shipped/events");
  ASSERT_EQ(events.status, 200u) << events.body;
  auto list =
      events.json().at("epcisBody").at("queryResults").at("resultsBody").at("eventList").as_array();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].at("eventID").as_string(), "urn:uuid:d9");
}

}  // namespace
}  // namespace serialtrack::testing

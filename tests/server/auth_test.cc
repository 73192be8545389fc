// Access control as the server applies it per request: authentication of bearer keys,
// the permission table cell by cell, company-prefix ownership for manufacturers, and
// event visibility (Store::query with visible_to_party, can_see for one event).
#include "server/auth.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "trace/capture.h"

namespace serialtrack::server {
namespace {

// Parties (GLNs with their check digits).
const std::string kManufacturer = "9520123000004";  // company prefix 9520123
const std::string kDistributor = "4012345000009";   // company prefix 4012345
const std::string kDispenser = "0614141000012";     // company prefix 0614141

std::string temp_db(const std::string& name) {
  auto p = std::filesystem::path(::testing::TempDir()) / ("auth_" + name + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(p.string() + suffix);
  return p.string();
}

class Authentication : public ::testing::Test {
 protected:
  void SetUp() override {
    auto k = store::open_sqlite_api_keys(temp_db("authentication"));
    ASSERT_TRUE(k) << k.error().message;
    keys_ = std::move(*k);
  }
  std::string create(const std::string& role, const std::string& party, const std::string& cp) {
    auto k = keys_->create({role, party, cp});
    EXPECT_TRUE(k) << k.error().message;
    return k ? k->key : "";
  }
  std::unique_ptr<store::ApiKeys> keys_;
};

TEST_F(Authentication, ABearerKeyGivesItsPartyAndRole) {
  std::string key = create("manufacturer", kManufacturer, "9520123");
  for (const std::string& header :
       {"Bearer " + key, "bearer " + key, "BEARER  " + key + " ", "\tBearer\t" + key}) {
    auto p = authenticate(*keys_, header);
    ASSERT_TRUE(p) << header << ": " << p.error().message;
    EXPECT_EQ(p->key_id, key.substr(3, 16));
    EXPECT_EQ(p->role, Role::kManufacturer);
    EXPECT_EQ(p->party, kManufacturer);
    EXPECT_EQ(p->company_prefix, "9520123");
  }
}

TEST_F(Authentication, MissingMalformedUnknownAndRevokedKeysAreRefused) {
  std::string key = create("distributor", kDistributor, "");
  std::string revoked = create("dispenser", kDispenser, "");
  ASSERT_TRUE(*keys_->revoke(revoked.substr(3, 16)));
  std::string wrong = key;
  wrong.back() = wrong.back() == 'x' ? 'y' : 'x';
  using Kind = AuthError::Kind;
  struct Refused {
    std::string header;
    Kind kind;
  };
  for (const Refused& r : {
           Refused{"", Kind::kMissing},
           Refused{"   ", Kind::kMissing},
           Refused{key, Kind::kMalformed},  // no scheme
           Refused{"Basic " + key, Kind::kMalformed},
           Refused{"Bearer", Kind::kMalformed},
           Refused{"Bearer " + key.substr(1), Kind::kMalformed},
           Refused{"Bearer " + key + "x", Kind::kMalformed},
           Refused{"Bearer " + wrong, Kind::kUnknownKey},
           Refused{"Bearer st_0123456789abcdef_" + key.substr(20), Kind::kUnknownKey},
           Refused{"Bearer " + revoked, Kind::kRevoked},
       }) {
    auto p = authenticate(*keys_, r.header);
    ASSERT_FALSE(p) << r.header;
    EXPECT_EQ(p.error().kind, r.kind) << r.header << ": " << p.error().message;
    EXPECT_EQ(p.error().message.find(key.substr(20)), std::string::npos);  // never echoed
  }
}

TEST_F(Authentication, AKeyWithARoleThisProgramDoesNotKnowIsTheStoresFault) {
  std::string key = create("superuser", kDistributor, "");
  auto p = authenticate(*keys_, "Bearer " + key);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().kind, AuthError::Kind::kStore);
}

TEST(Roles, NamesRoundTripAndNothingElseIsARole) {
  for (size_t i = 0; i < kRoleCount; ++i) {
    Role r = static_cast<Role>(i);
    EXPECT_EQ(role_from_name(role_name(r)), r);
  }
  EXPECT_EQ(role_name(Role::kDispenser), "dispenser");
  EXPECT_FALSE(role_from_name("Admin"));
  EXPECT_FALSE(role_from_name("root"));
  EXPECT_FALSE(role_from_name(""));
}

// The permission table, one cell per character ('X' granted, '.' refused), columns:
//   capture_events query_events verify verify_detailed change_pack_state allocate_serials
//   read_alerts manage_keys read_inventory manage_recalls read_recalls warranty monitor
//   manage_alerts read_warranty
TEST(Permissions, EveryRoleHasExactlyItsPermissions) {
  const std::vector<std::pair<Role, std::string>> expected = {
      {Role::kAdmin, "XXXXXXXXXXXXXXX"},         //
      {Role::kManufacturer, "XXXX.XX..XXX.XX"},  // capture, query, verify, serials, recalls,
                                                 // warranty, its own alerts
      {Role::kDistributor, "XXXXX...X.X...."},   // capture, query, verify, pack state, stock
      {Role::kDispenser, "XXXXX.....X...."},     // capture, query, verify, pack state
      {Role::kAuditor, ".XXX..X.X.X.XXX"},       // reads everything, triages alerts
      {Role::kPublic, "..X............"},        // verify, minimal answer
  };
  ASSERT_EQ(expected.size(), kRoleCount);
  const std::vector<std::string> names = {
      "capture_events",   "query_events", "verify",      "verify_detailed", "change_pack_state",
      "allocate_serials", "read_alerts",  "manage_keys", "read_inventory",  "manage_recalls",
      "read_recalls",     "warranty",     "monitor",     "manage_alerts",   "read_warranty"};
  ASSERT_EQ(names.size(), kPermissionCount);
  for (const auto& [role, row] : expected) {
    ASSERT_EQ(row.size(), kPermissionCount);
    Principal p{"k", role, kDistributor, ""};
    for (size_t i = 0; i < kPermissionCount; ++i) {
      Permission perm = static_cast<Permission>(i);
      EXPECT_EQ(permission_name(perm), names[i]);
      EXPECT_EQ(role_permits(role, perm), row[i] == 'X') << role_name(role) << " × " << names[i];
      EXPECT_EQ(permits(p, perm), row[i] == 'X') << role_name(role) << " × " << names[i];
    }
  }
}

TEST(Ownership, AManufacturerOwnsTheIdentifiersOfItsCompanyPrefixInAnyForm) {
  Principal m{"k", Role::kManufacturer, kManufacturer, "9520123"};
  for (const char* own : {
           "urn:epc:id:sgtin:9520123.045678.1",
           "https://id.gs1.org/01/09520123456788/21/ABC",
           "https://example.com/01/09520123456788",  // any Digital Link domain
           "09520123456788",                         // GTIN-14
           "9520123456788",                          // GTIN-13
           "(01)09520123456788(21)X1",
           "urn:epc:class:lgtin:9520123.045678.L1",
           "urn:epc:idpat:sgtin:9520123.045678.*",
           "urn:epc:id:sscc:9520123.0000000001",
           "urn:epc:id:sgln:9520123.00001.0",
       })
    EXPECT_TRUE(owns_identifier(m, own)) << own;
  for (const char* other : {
           "urn:epc:id:sgtin:9520124.011111.1",          // another company
           "https://id.gs1.org/01/09520124000010/21/1",  //
           "09520124000010",
           "09520123456789",  // wrong check digit
           "urn:epc:id:sgtin:4012345.012345.1",
           "urn:uuid:5b2ea0b9-5bb0-4a4c-9c1a-1d6c1b2b3b4b",  // not a GS1 key
           "https://example.com/things/1",
           "",
       })
    EXPECT_FALSE(owns_identifier(m, other)) << other;
  Principal no_prefix{"k", Role::kManufacturer, kManufacturer, ""};
  EXPECT_FALSE(owns_identifier(no_prefix, "urn:epc:id:sgtin:9520123.045678.1"));
}

TEST(Ownership, OnlyManufacturersCaptureWithinTheirPrefix) {
  epcis::Event e;
  e.event_id = "urn:uuid:c";
  e.epc_list = {"urn:epc:id:sgtin:9520123.045678.1", "https://id.gs1.org/01/09520123456788/21/2"};
  e.parent_id = "urn:epc:id:sscc:9520123.0000000001";
  e.quantity_list = {{"urn:epc:class:lgtin:9520123.045678.L1", 4, ""}};
  Principal m{"k", Role::kManufacturer, kManufacturer, "9520123"};
  EXPECT_TRUE(event_within_prefix(m, e));
  EXPECT_EQ(identifier_outside_prefix(m, e), std::nullopt);

  epcis::Event foreign = e;
  foreign.output_epc_list = {"urn:epc:id:sgtin:4012345.012345.9"};
  EXPECT_FALSE(event_within_prefix(m, foreign));
  EXPECT_EQ(identifier_outside_prefix(m, foreign), "urn:epc:id:sgtin:4012345.012345.9");
  epcis::Event foreign_class = e;
  foreign_class.quantity_list.push_back({"urn:epc:idpat:sgtin:4012345.012345.*", 1, ""});
  EXPECT_EQ(identifier_outside_prefix(m, foreign_class), "urn:epc:idpat:sgtin:4012345.012345.*");

  // Distributors and dispensers capture events on other companies' products.
  for (Role r : {Role::kDistributor, Role::kDispenser, Role::kAdmin}) {
    Principal p{"k", r, kDistributor, ""};
    EXPECT_TRUE(event_within_prefix(p, foreign)) << role_name(r);
  }
}

// Visibility: events captured by each party or naming it, through the real store.
class Visibility : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::open_sqlite(temp_db("visibility"));
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
    auto ev = [](const std::string& id, std::vector<epcis::TypedRef> sources,
                 std::vector<epcis::TypedRef> destinations) {
      epcis::Event e;
      e.event_id = id;
      e.action = epcis::Action::kObserve;
      e.epc_list = {"urn:epc:id:sgtin:9520123.045678.1"};
      e.sources = std::move(sources);
      e.destinations = std::move(destinations);
      return e;
    };
    const std::string owning = "urn:epcglobal:cbv:sdt:owning_party";
    const std::string location = "urn:epcglobal:cbv:sdt:location";
    capture(kDistributor, ev("urn:uuid:v1", {}, {}));
    capture(kManufacturer, ev("urn:uuid:v2", {{owning, "urn:epc:id:pgln:4012345.00000"}}, {}));
    capture(kManufacturer,
            ev("urn:uuid:v3", {}, {{location, "https://id.gs1.org/414/4012345000009"}}));
    capture(kManufacturer, ev("urn:uuid:v4", {}, {{location, "urn:epc:id:sgln:4012345.00000.7"}}));
    capture(kDispenser, ev("urn:uuid:v5", {{owning, "urn:epc:id:pgln:061414.100001"}},
                           {{owning, "https://id.gs1.org/417/9520123000004"}}));
    capture("", ev("urn:uuid:v6", {}, {}));  // captured before access control
    // Another GLN of the distributor's company is another party.
    capture(kManufacturer, ev("urn:uuid:v7", {{location, "urn:epc:id:sgln:4012345.00001.0"}}, {}));
  }
  void capture(const std::string& by, const epcis::Event& e) {
    auto r = trace::capture(*store_, std::span(&e, 1), {}, store::CaptureOptions{by});
    ASSERT_TRUE(r) << r.error().message;
  }
  std::vector<std::string> visible(const Principal& p) {
    store::EventQuery q;
    q.visible_to_party = visibility_party(p);
    auto page = store_->query(q);
    EXPECT_TRUE(page) << page.error().message;
    std::vector<std::string> ids;
    if (page)
      for (const auto& e : page->events) ids.push_back(e.event.event_id);
    return ids;
  }
  std::unique_ptr<store::Store> store_;
};

TEST_F(Visibility, APartySeesTheEventsItCapturedOrIsNamedIn) {
  using Ids = std::vector<std::string>;
  Principal distributor{"k", Role::kDistributor, kDistributor, ""};
  Principal dispenser{"k", Role::kDispenser, kDispenser, ""};
  Principal manufacturer{"k", Role::kManufacturer, kManufacturer, "9520123"};
  EXPECT_EQ(visible(distributor),
            (Ids{"urn:uuid:v1", "urn:uuid:v2", "urn:uuid:v3", "urn:uuid:v4"}));
  EXPECT_EQ(visible(dispenser), (Ids{"urn:uuid:v5"}));
  EXPECT_EQ(visible(manufacturer),
            (Ids{"urn:uuid:v2", "urn:uuid:v3", "urn:uuid:v4", "urn:uuid:v5", "urn:uuid:v7"}));
  Ids all = {"urn:uuid:v1", "urn:uuid:v2", "urn:uuid:v3", "urn:uuid:v4",
             "urn:uuid:v5", "urn:uuid:v6", "urn:uuid:v7"};
  for (Role r : {Role::kAdmin, Role::kAuditor}) {
    Principal p{"k", r, kDispenser, ""};
    EXPECT_EQ(visibility_party(p), "");
    EXPECT_EQ(visible(p), all) << role_name(r);
  }
}

TEST_F(Visibility, OneEventFetchedByIdIsVisibleExactlyWhenAQueryWouldShowIt) {
  for (Role r :
       {Role::kAdmin, Role::kManufacturer, Role::kDistributor, Role::kDispenser, Role::kAuditor}) {
    for (const std::string& party : {kManufacturer, kDistributor, kDispenser}) {
      Principal p{"k", r, party, ""};
      std::vector<std::string> shown = visible(p);
      for (int i = 1; i <= 7; ++i) {
        std::string id = "urn:uuid:v" + std::to_string(i);
        auto e = store_->event(id);
        ASSERT_TRUE(e && *e);
        bool listed = std::find(shown.begin(), shown.end(), id) != shown.end();
        EXPECT_EQ(can_see(p, **e), listed) << role_name(r) << " " << party << " " << id;
      }
    }
  }
}

TEST_F(Visibility, TheCapturingPartyIsStoredWithTheEvent) {
  auto e = store_->event("urn:uuid:v1");
  ASSERT_TRUE(e && *e);
  EXPECT_EQ((*e)->captured_by, kDistributor);
  auto legacy = store_->event("urn:uuid:v6");
  ASSERT_TRUE(legacy && *legacy);
  EXPECT_EQ((*legacy)->captured_by, "");
  store::EventQuery q;
  q.event_ids = {"urn:uuid:v2"};
  auto page = store_->query(q);
  ASSERT_TRUE(page && page->events.size() == 1);
  EXPECT_EQ(page->events[0].captured_by, kManufacturer);
}

}  // namespace
}  // namespace serialtrack::server

// Physical audits: a cycle count at a site with sub-locations reports exactly the
// discrepancies planted in a real captured history, captures the count event (item
// state follows it), raises alerts and keeps the record; a rejected upload stores
// nothing; schedules and overdue locations follow an injected clock.
#include "trace/audit.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "epcis/identifiers.h"
#include "trace/capture.h"

namespace serialtrack::trace {
namespace {

using epcis::Action;
using epcis::Event;
using epcis::EventType;

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kDay = 86'400 * kSecond;
constexpr int64_t kT0 = 1'767'225'600 * kSecond;  // 2026-01-01T00:00:00Z
const std::string kFactory = "urn:epc:id:sgln:9520123.00009.0";
const std::string kSite = "urn:epc:id:sgln:9520123.00001.0";
const std::string kDock = "urn:epc:id:sgln:9520123.00001.1";   // part of kSite
const std::string kShelf = "urn:epc:id:sgln:9520123.00001.2";  // part of kSite
const std::string kOther = "urn:epc:id:sgln:9520123.00002.0";  // another site
const std::string kSiteParty = "urn:epc:id:pgln:9520123.00001";

std::string unit(int serial) {
  return "urn:epc:id:sgtin:9520123.045678." + std::to_string(serial);
}
std::string sscc(int n) {
  return "urn:epc:id:sscc:9520123.000000000" + std::to_string(n);
}
std::string key(const std::string& id) {
  return *epcis::canonical_key(id);
}

std::string fresh(const std::string& name) {
  auto p = std::filesystem::path(::testing::TempDir()) / (name + ".db");
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(p.string() + suffix);
  return p.string();
}

Event event(EventType type, Action action, int64_t at, const std::string& id) {
  Event e;
  e.type = type;
  e.action = action;
  e.event_time = {at, 0};
  e.event_id = id;
  return e;
}

Event observe(int64_t at, const std::string& id, std::vector<std::string> epcs,
              const std::string& step, const std::string& disposition,
              const std::string& location) {
  Event e = event(EventType::kObject, Action::kObserve, at, id);
  e.epc_list = std::move(epcs);
  e.biz_step = "urn:epcglobal:cbv:bizstep:" + step;
  e.disposition = "urn:epcglobal:cbv:disp:" + disposition;
  e.biz_location = location;
  return e;
}

// Units 1-4 loose, 5-8 in case 1, 9-10 in case 2: commissioned at the factory, shipped,
// received at the site's dock; units 3 and 4 put on the shelf, unit 4 dispensed there.
// Unit 20 commissioned at another site.
class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string path = fresh(::testing::UnitTest::GetInstance()->current_test_info()->name());
    store = std::move(*store::open_sqlite(path, {.durable = false}));
    counts = std::move(*store::open_sqlite_stock(path));
    audits = std::move(*store::open_sqlite_audits(path));
    epcis::Vocabulary sites;
    sites.type = "urn:epcglobal:epcis:vtype:BusinessLocation";
    sites.elements = {{kSite, {}, {kDock, kShelf}}};

    std::vector<std::string> all;
    for (int i = 1; i <= 10; ++i) all.push_back(unit(i));
    std::vector<std::string> commissioned = all;
    commissioned.push_back(sscc(1));
    commissioned.push_back(sscc(2));
    Event made = event(EventType::kObject, Action::kAdd, kT0, "urn:uuid:made");
    made.epc_list = commissioned;
    made.biz_step = "urn:epcglobal:cbv:bizstep:commissioning";
    made.disposition = "urn:epcglobal:cbv:disp:active";
    made.biz_location = kFactory;
    Event pack1 = event(EventType::kAggregation, Action::kAdd, kT0 + 1 * kSecond, "urn:uuid:p1");
    pack1.parent_id = sscc(1);
    pack1.epc_list = {unit(5), unit(6), unit(7), unit(8)};
    Event pack2 = event(EventType::kAggregation, Action::kAdd, kT0 + 2 * kSecond, "urn:uuid:p2");
    pack2.parent_id = sscc(2);
    pack2.epc_list = {unit(9), unit(10)};
    std::vector<std::string> shipment = {unit(1), unit(2), unit(3), unit(4), sscc(1), sscc(2)};
    Event ship = observe(kT0 + kDay, "urn:uuid:ship", shipment, "shipping", "in_transit", "");
    Event receive =
        observe(kT0 + 2 * kDay, "urn:uuid:receive", shipment, "receiving", "in_progress", kDock);
    Event shelve = observe(kT0 + 3 * kDay, "urn:uuid:shelve", {unit(3), unit(4)}, "stocking",
                           "sellable_accessible", kShelf);
    Event dispense =
        observe(kT0 + 4 * kDay, "urn:uuid:dispense", {unit(4)}, "dispensing", "dispensed", kShelf);
    Event elsewhere = event(EventType::kObject, Action::kAdd, kT0, "urn:uuid:elsewhere");
    elsewhere.epc_list = {unit(20)};
    elsewhere.biz_step = "urn:epcglobal:cbv:bizstep:commissioning";
    elsewhere.disposition = "urn:epcglobal:cbv:disp:active";
    elsewhere.biz_location = kOther;
    std::vector<Event> history = {made, elsewhere, pack1, pack2, ship, receive, shelve, dispense};
    ASSERT_TRUE(capture(*store, history, {sites}));
  }

  ServiceResult<store::AuditRecord> count_at(const std::string& location,
                                             std::vector<std::string> seen, int64_t at) {
    CountRequest r;
    r.location = location;
    r.seen = std::move(seen);
    r.now = at;
    return count(*store, *counts, *audits, r);
  }

  std::unique_ptr<store::Store> store;
  std::unique_ptr<store::StockCounts> counts;
  std::unique_ptr<store::Audits> audits;
};

// On the shelf: units 3, 4 (dispensed) and 20 (from the other site); case 1 opened and
// units 5-7 scanned (8 missing); case 2 sealed. Units 1 and 2 are missing.
const std::vector<std::string> kScanned = {unit(3), unit(4), unit(20), sscc(1),
                                           unit(5), unit(6), unit(7),  sscc(2)};

TEST_F(AuditTest, CountReportsExactlyThePlantedDiscrepancies) {
  auto r = count_at(kSite, kScanned, kT0 + 10 * kDay);
  ASSERT_TRUE(r) << r.error().message;
  std::vector<std::pair<std::string, std::string>> found;
  for (const auto& d : r->discrepancies) found.emplace_back(d.kind, d.item);
  std::vector<std::pair<std::string, std::string>> planted = {{"missing", key(unit(1))},
                                                              {"missing", key(unit(2))},
                                                              {"missing", key(unit(8))},
                                                              {"unexpected", key(unit(20))},
                                                              {"wrong_state", key(unit(4))}};
  std::sort(planted.begin(), planted.end(), [](const auto& a, const auto& b) {
    int ka = a.first == "missing" ? 0 : a.first == "unexpected" ? 1 : 2;
    int kb = b.first == "missing" ? 0 : b.first == "unexpected" ? 1 : 2;
    return ka != kb ? ka < kb : a.second < b.second;
  });
  EXPECT_EQ(found, planted);
  // Expected: units 1-3 and 5-10 (4 was dispensed); seen: 3, 4, 20, case 2, 5-7, 9, 10.
  EXPECT_EQ(r->expected, 9u);
  EXPECT_EQ(r->seen, 9u);
  for (const auto& d : r->discrepancies) {
    if (d.item == key(unit(20))) {
      EXPECT_EQ(d.location, kOther);
      EXPECT_EQ(d.status, "ACTIVE");
    }
    if (d.item == key(unit(4))) {
      EXPECT_EQ(d.status, "SUPPLIED");
      EXPECT_EQ(d.disposition, "urn:epcglobal:cbv:disp:dispensed");
    }
    if (d.item == key(unit(8))) {
      EXPECT_EQ(d.location, kDock);
    }
  }
}

TEST_F(AuditTest, CountIsStoredAsAnEventThatItemStateFollows) {
  auto r = count_at(kSite, kScanned, kT0 + 10 * kDay);
  ASSERT_TRUE(r) << r.error().message;
  auto stored = store->event(r->event_id);
  ASSERT_TRUE(stored && *stored);
  const Event& e = (*stored)->event;
  EXPECT_EQ(e.biz_step, std::string(kCycleCounting));
  EXPECT_EQ(e.action, Action::kObserve);
  EXPECT_EQ(e.biz_location, kSite);
  EXPECT_EQ(e.read_point, kSite);
  // The opened case 1 is not in the event (it would move unit 8 too); sealed case 2 is.
  std::vector<std::string> listed;
  for (const auto& id : e.epc_list) listed.push_back(key(id));
  EXPECT_EQ(std::count(listed.begin(), listed.end(), key(sscc(1))), 0);
  EXPECT_EQ(std::count(listed.begin(), listed.end(), key(sscc(2))), 1);

  auto stray = item_state(*store, unit(20));
  ASSERT_TRUE(stray && *stray);
  EXPECT_EQ((*stray)->biz_location, kSite);  // found here: now here
  EXPECT_EQ((*stray)->last_event_id, r->event_id);
  auto in_sealed_case = item_state(*store, unit(10));
  EXPECT_EQ((**in_sealed_case).last_event_id, r->event_id);
  auto missing = item_state(*store, unit(8));
  EXPECT_EQ((**missing).biz_location, kDock);  // not seen: not moved
  EXPECT_NE((**missing).last_event_id, r->event_id);
}

TEST_F(AuditTest, DiscrepanciesAreAlertsAndTheRecordIsKept) {
  auto r = count_at(kSite, kScanned, kT0 + 10 * kDay);
  ASSERT_TRUE(r) << r.error().message;
  auto alerts = store->alerts("");
  ASSERT_TRUE(alerts);
  size_t audit_alerts = 0;
  for (const auto& a : *alerts)
    if (a.kind.starts_with("audit_")) {
      ++audit_alerts;
      EXPECT_EQ(a.event_id, r->event_id);
    }
  EXPECT_EQ(audit_alerts, 5u);
  auto on_stray = store->alerts(unit(20));
  ASSERT_TRUE(on_stray);
  ASSERT_FALSE(on_stray->empty());
  EXPECT_EQ(on_stray->back().kind, "audit_unexpected");

  auto kept = audit(*audits, r->id);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->discrepancies, r->discrepancies);
  EXPECT_EQ(kept->event_id, r->event_id);
  EXPECT_EQ(kept->counted, kT0 + 10 * kDay);
  auto listed = list_audits(*audits, kSite);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().id, r->id);
  EXPECT_EQ(audit(*audits, r->id + 1).error().kind, ServiceError::Kind::kNotFound);
}

TEST_F(AuditTest, AFullCountOfASealedCaseHasNoDiscrepancy) {
  std::vector<std::string> seen = {unit(1), unit(2), unit(3), sscc(1), sscc(2)};
  auto r = count_at(kSite, seen, kT0 + 10 * kDay);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->discrepancies.empty()) << audit_json(*r);
  EXPECT_FALSE(has_discrepancies(*r));
}

TEST_F(AuditTest, ItemsInAnotherPartysCustodyAreInTheWrongState) {
  Event handed =
      observe(kT0 + 5 * kDay, "urn:uuid:handed", {unit(1)}, "holding", "in_progress", kDock);
  handed.destinations = {
      {"urn:epcglobal:cbv:sdt:possessing_party", "urn:epc:id:pgln:9520123.00007"}};
  ASSERT_TRUE(capture(*store, std::span<const Event>(&handed, 1)));
  CountRequest req;
  req.location = kDock;
  req.seen = {unit(1)};
  req.custodian = kSiteParty;
  req.now = kT0 + 10 * kDay;
  auto r = count(*store, *counts, *audits, req);
  ASSERT_TRUE(r) << r.error().message;
  auto it = std::find_if(r->discrepancies.begin(), r->discrepancies.end(),
                         [](const auto& d) { return d.item == key(unit(1)); });
  ASSERT_NE(it, r->discrepancies.end());
  EXPECT_EQ(it->kind, "wrong_state");
  EXPECT_EQ(it->custodian, "urn:epc:id:pgln:9520123.00007");
  EXPECT_EQ(it->status, "ACTIVE");
}

TEST_F(AuditTest, ABadScanLineIsNamedAndNothingIsStored) {
  auto list = read_scan_list("(01)09520123456788(21)1\n\n(01)09520123456789(21)2\n");
  ASSERT_FALSE(list);
  EXPECT_EQ(list.error().kind, ServiceError::Kind::kInvalidArgument);
  EXPECT_TRUE(list.error().message.starts_with("line 3: ")) << list.error().message;

  auto events_before = store->event_count();
  auto r = count_at(kSite, {unit(1), "not an identifier"}, kT0 + 10 * kDay);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ServiceError::Kind::kInvalidArgument);
  EXPECT_EQ(*store->event_count(), *events_before);
  EXPECT_TRUE(list_audits(*audits, "")->empty());
  EXPECT_EQ(count_at("urn:epc:id:sgtin:9520123.045678.1", {unit(1)}, kT0).error().kind,
            ServiceError::Kind::kInvalidArgument);
  EXPECT_TRUE(list_audits(*audits, "")->empty());
}

TEST_F(AuditTest, ScanListsAcceptEveryIdentifierForm) {
  auto list = read_scan_list(
      "# shelf 2\r\n(01)09520123456788(21)1\r\n]d20109520123456788212\n"
      "https://id.gs1.org/01/09520123456788/21/3\n  urn:epc:id:sgtin:9520123.045678.3  \n"
      "urn:epc:id:sscc:9520123.0000000001\n");
  ASSERT_TRUE(list) << list.error().message;
  EXPECT_EQ(*list,
            (std::vector<std::string>{key(unit(1)), key(unit(2)), key(unit(3)), key(sscc(1))}));
  auto product = read_scan_list("(01)09520123456788\n");
  ASSERT_FALSE(product);
  EXPECT_TRUE(product.error().message.starts_with("line 1: ")) << product.error().message;
}

TEST_F(AuditTest, AnEpcisCountEventIsCapturedAsItIs) {
  const std::string doc =
      R"({"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
 "type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-01-11T10:00:00Z",
 "epcisBody":{"eventList":[
  {"type":"ObjectEvent","eventTime":"2026-01-11T10:00:00Z","eventTimeZoneOffset":"+00:00",
   "epcList":["urn:epc:id:sgtin:9520123.045678.1","urn:epc:id:sgtin:9520123.045678.2",
              "urn:epc:id:sgtin:9520123.045678.3","urn:epc:id:sscc:9520123.0000000001",
              "urn:epc:id:sscc:9520123.0000000002"],
   "action":"OBSERVE","bizStep":"cycle_counting",
   "readPoint":{"id":"urn:epc:id:sgln:9520123.00001.0"},
   "bizLocation":{"id":"urn:epc:id:sgln:9520123.00001.0"}}]}})";
  auto req = read_count_document(doc, kSite);
  ASSERT_TRUE(req) << req.error().message;
  auto r = count(*store, *counts, *audits, *req);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->discrepancies.empty()) << audit_json(*r);
  EXPECT_EQ(r->event_id, req->event->event_id);
  EXPECT_TRUE(*store->event(r->event_id));
  // The same event again is refused, and stores nothing more.
  auto again = count(*store, *counts, *audits, *req);
  ASSERT_FALSE(again);
  EXPECT_EQ(list_audits(*audits, "")->size(), 1u);
  // A count elsewhere, or an event of another kind, is refused.
  EXPECT_FALSE(read_count_document(doc, kOther));
  std::string shipping = doc;
  shipping.replace(shipping.find("cycle_counting"), 14, "shipping");
  EXPECT_FALSE(read_count_document(shipping, kSite));
}

TEST_F(AuditTest, SchedulesListOverdueLocationsByTheClock) {
  ASSERT_TRUE(set_audit_schedule(*audits, kSite, 7));
  ASSERT_TRUE(set_audit_schedule(*audits, kOther, 30));
  EXPECT_FALSE(set_audit_schedule(*audits, kSite, -1));
  EXPECT_FALSE(set_audit_schedule(*audits, "nowhere", 7));
  auto never = overdue_audits(*audits, kT0);
  ASSERT_TRUE(never);
  ASSERT_EQ(never->size(), 2u);  // never audited: both overdue

  ASSERT_TRUE(count_at(kSite, kScanned, kT0 + 10 * kDay));
  auto soon = overdue_audits(*audits, kT0 + 16 * kDay);
  ASSERT_TRUE(soon);
  ASSERT_EQ(soon->size(), 1u);
  EXPECT_EQ(soon->front().schedule.location, kOther);
  auto all = audit_schedules(*audits, kT0 + 16 * kDay);
  ASSERT_EQ(all->size(), 2u);
  const auto& site = all->front().schedule.location == kSite ? all->front() : all->back();
  EXPECT_EQ(site.schedule.last_audited, kT0 + 10 * kDay);
  EXPECT_EQ(site.due, kT0 + 17 * kDay);
  EXPECT_FALSE(site.overdue);
  auto late = overdue_audits(*audits, kT0 + 18 * kDay);
  ASSERT_EQ(late->size(), 2u);

  ASSERT_TRUE(set_audit_schedule(*audits, kOther, 0));  // removed
  EXPECT_EQ(audit_schedules(*audits, kT0)->size(), 1u);
}

}  // namespace
}  // namespace serialtrack::trace

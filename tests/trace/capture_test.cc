// The capture service: events, item state and alerts land in one transaction.
#include <gtest/gtest.h>

#include <filesystem>

#include "trace/capture.h"

namespace serialtrack::trace {
namespace {

using epcis::Action;
using epcis::Event;
using epcis::EventType;

std::unique_ptr<store::Store> fresh(const std::string& name) {
  auto p = std::filesystem::path(::testing::TempDir()) / (name + ".db");
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(p.string() + suffix);
  return std::move(*store::open_sqlite(p.string()));
}

Event ev(EventType type, Action action, int64_t t, const std::string& id) {
  Event e;
  e.type = type;
  e.action = action;
  e.event_time = {t * 1'000'000'000, 0};
  e.event_id = id;
  return e;
}

const std::string kUnit = "urn:epc:id:sgtin:9520123.045678.1";
const std::string kUnitDl = "https://id.gs1.org/01/09520123456788/21/1";
const std::string kCase = "urn:epc:id:sscc:9520123.0000000001";

TEST(Capture, ItemStateIsReadableInAnyIdentifierForm) {
  auto store = fresh("state_forms");
  Event c = ev(EventType::kObject, Action::kAdd, 1, "e1");
  c.epc_list = {kUnit, kCase};
  c.biz_step = "urn:epcglobal:cbv:bizstep:commissioning";
  Event p = ev(EventType::kAggregation, Action::kAdd, 2, "e2");
  p.parent_id = kCase;
  p.epc_list = {kUnitDl};  // the same unit, written as a Digital Link
  Event ship = ev(EventType::kObject, Action::kObserve, 3, "e3");
  ship.epc_list = {kCase};
  ship.disposition = "urn:epcglobal:cbv:disp:in_transit";
  std::vector<Event> events = {c, p, ship};
  auto r = capture(*store, events);
  ASSERT_TRUE(r) << r.error().message;
  auto s = item_state(*store, kUnitDl);
  ASSERT_TRUE(s && *s);
  EXPECT_TRUE((*s)->commissioned);
  EXPECT_EQ((*s)->parent, kCase);
  EXPECT_EQ((*s)->disposition, "urn:epcglobal:cbv:disp:in_transit");
  EXPECT_EQ(*store->children(kCase), std::vector<std::string>{kUnit});
  EXPECT_TRUE(store->alerts("")->empty());
}

TEST(Capture, AlertsAreStoredWithTheirEvents) {
  auto store = fresh("alerts");
  Event seen = ev(EventType::kObject, Action::kObserve, 1, "e1");
  seen.epc_list = {kUnit};
  ASSERT_TRUE(capture(*store, std::span(&seen, 1)));
  auto alerts = store->alerts(kUnitDl);
  ASSERT_TRUE(alerts);
  ASSERT_EQ(alerts->size(), 1u);
  EXPECT_EQ((*alerts)[0].kind, "not_commissioned");
  EXPECT_EQ((*alerts)[0].event_id, "e1");
}

TEST(Capture, ARejectedCaptureLeavesNoStateBehind) {
  auto store = fresh("rollback_state");
  Event good = ev(EventType::kObject, Action::kAdd, 1, "e1");
  good.epc_list = {kUnit};
  Event bad = ev(EventType::kObject, Action::kObserve, 2, "");
  bad.epc_list = {kUnit};
  std::vector<Event> events = {good, bad};
  ASSERT_FALSE(capture(*store, events));
  EXPECT_FALSE(*item_state(*store, kUnit));
  EXPECT_EQ(*store->event_count(), 0);
}

TEST(Capture, DuplicatesDoNotApplyTwice) {
  auto store = fresh("dup_state");
  Event c = ev(EventType::kObject, Action::kAdd, 1, "e1");
  c.epc_list = {kUnit};
  ASSERT_TRUE(capture(*store, std::span(&c, 1)));
  auto again = capture(*store, std::span(&c, 1));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->duplicates, 1u);
  EXPECT_TRUE(store->alerts("")->empty());  // no "recommissioned" from a retried capture
}

TEST(Capture, ItemRecordsRoundTrip) {
  ItemState s;
  s.id = kUnit;
  s.commissioned = true;
  s.lot = "L1";
  s.persistent_dispositions = {"a", "b"};
  s.first_seen = epcis::Timestamp{5, 60};
  EXPECT_EQ(decode_item_state(encode_item_state(s)), s);
  EXPECT_FALSE(decode_item_state("garbage"));
}

}  // namespace
}  // namespace serialtrack::trace

namespace serialtrack::trace {
namespace {

TEST(CaptureErrorDeclaration, AnErroneousEventIsKeptButNoLongerShapesItemState) {
  auto store = fresh("error_declaration");
  Event c = ev(EventType::kObject, Action::kAdd, 1, "e1");
  c.epc_list = {kUnit};
  c.biz_location = "urn:epc:id:sgln:9520123.00001.A";
  Event moved = ev(EventType::kObject, Action::kObserve, 2, "e2");
  moved.epc_list = {kUnit};
  moved.biz_location = "urn:epc:id:sgln:9520123.00001.WRONG";
  moved.disposition = "urn:epcglobal:cbv:disp:stolen";
  std::vector<Event> events = {c, moved};
  ASSERT_TRUE(capture(*store, events));
  EXPECT_EQ((*item_state(*store, kUnit))->disposition, "urn:epcglobal:cbv:disp:stolen");

  // EPCIS 2.0 §7.4.1.2: the same event, now with an errorDeclaration.
  Event declaration = moved;
  declaration.error_declaration = epcis::ErrorDeclaration{{3'000'000'000, 0},
                                                          "urn:epcglobal:cbv:er:incorrect_data", {}, {}};
  auto r = capture(*store, std::span(&declaration, 1));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->accepted, 1u);
  auto s = *item_state(*store, kUnit);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->biz_location, "urn:epc:id:sgln:9520123.00001.A");
  EXPECT_EQ(s->disposition, "");
  EXPECT_EQ(s->last_event_id, "e1");
  auto stored = *store->event("e2");
  ASSERT_TRUE(stored && (*stored).event.error_declaration);  // the fact stays, marked
  store::EventQuery q;
  q.exists_error_declaration = true;
  EXPECT_EQ(store->query(q)->events.size(), 1u);
}

}  // namespace
}  // namespace serialtrack::trace

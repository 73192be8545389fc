// Item state and lifecycle alerts through a unit -> case -> pallet supply chain.
#include <gtest/gtest.h>

#include <map>

#include "trace/item_state.h"

namespace serialtrack::trace {
namespace {

using epcis::Action;
using epcis::Event;
using epcis::EventType;

class MapStates : public ItemStates {
 public:
  std::optional<ItemState> get(const std::string& id) override {
    auto it = m.find(id);
    if (it == m.end()) return std::nullopt;
    return it->second;
  }
  void put(const ItemState& s) override { m[s.id] = s; }
  std::vector<std::string> children_of(const std::string& parent) override {
    std::vector<std::string> v;
    for (auto& [id, s] : m)
      if (s.parent == parent) v.push_back(id);
    return v;
  }
  std::map<std::string, ItemState> m;
};

const std::string kBs = "urn:epcglobal:cbv:bizstep:";
const std::string kDisp = "urn:epcglobal:cbv:disp:";
const std::string kPallet = "urn:epc:id:sscc:9520123.0000000001";
const std::string kCase = "urn:epc:id:sgtin:9520123.145678.C1";
const std::vector<std::string> kUnits = {"urn:epc:id:sgtin:9520123.045678.1",
                                         "urn:epc:id:sgtin:9520123.045678.2",
                                         "urn:epc:id:sgtin:9520123.045678.3"};

Event event(EventType type, Action action, int64_t second, const std::string& id) {
  Event e;
  e.type = type;
  e.action = action;
  e.event_time = {second * 1'000'000'000, 0};
  e.event_id = id;
  return e;
}

Event commission(std::vector<std::string> epcs, int64_t t, const std::string& id) {
  Event e = event(EventType::kObject, Action::kAdd, t, id);
  e.epc_list = std::move(epcs);
  e.biz_step = kBs + "commissioning";
  e.disposition = kDisp + "active";
  e.read_point = "urn:epc:id:sgln:9520123.00001.1";
  e.ilmd = std::vector<epcis::Extension>{
      {"urn:epcglobal:cbv:mda", "cbvmda", "lotNumber", epcis::Extension::Kind::kString, "LOT7", {}, false, {}}};
  return e;
}

Event pack(const std::string& parent, std::vector<std::string> children, Action action, int64_t t,
           const std::string& id) {
  Event e = event(EventType::kAggregation, action, t, id);
  e.parent_id = parent;
  e.epc_list = std::move(children);
  e.biz_step = kBs + (action == Action::kAdd ? "packing" : "unpacking");
  return e;
}

TEST(ItemState, FollowsUnitsThroughCasesAndPallets) {
  MapStates states;
  EXPECT_TRUE(apply_event(commission(kUnits, 1, "e1"), states).empty());
  EXPECT_TRUE(apply_event(commission({kCase}, 2, "e2"), states).empty());
  EXPECT_TRUE(apply_event(commission({kPallet}, 2, "e3"), states).empty());
  EXPECT_TRUE(apply_event(pack(kCase, kUnits, Action::kAdd, 3, "e4"), states).empty());
  EXPECT_TRUE(apply_event(pack(kPallet, {kCase}, Action::kAdd, 4, "e5"), states).empty());
  EXPECT_EQ(states.m[kUnits[0]].parent, kCase);
  EXPECT_EQ(states.m[kUnits[0]].lot, "LOT7");

  // Shipping the pallet moves everything it holds, and names the next owner.
  Event ship = event(EventType::kObject, Action::kObserve, 5, "e6");
  ship.epc_list = {kPallet};
  ship.biz_step = kBs + "shipping";
  ship.disposition = kDisp + "in_transit";
  ship.biz_location = "urn:epc:id:sgln:9520123.00001.0";
  ship.destinations = {{"urn:epcglobal:cbv:sdt:owning_party", "urn:epc:id:pgln:9520999.00000"}};
  EXPECT_TRUE(apply_event(ship, states).empty());
  for (const auto& u : kUnits) {
    EXPECT_EQ(states.m[u].disposition, kDisp + "in_transit") << u;
    EXPECT_EQ(states.m[u].owner, "urn:epc:id:pgln:9520999.00000") << u;
    EXPECT_EQ(states.m[u].last_event_id, "e6") << u;
  }

  // Unpacking the case (DELETE with no children listed empties it).
  EXPECT_TRUE(apply_event(pack(kCase, {}, Action::kDelete, 6, "e7"), states).empty());
  EXPECT_EQ(states.m[kUnits[1]].parent, "");
  EXPECT_EQ(states.m[kCase].parent, kPallet);

  // Dispensing one unit ends its life; a later event on it raises an alert.
  Event dispense = event(EventType::kObject, Action::kObserve, 7, "e8");
  dispense.epc_list = {kUnits[0]};
  dispense.biz_step = kBs + "dispensing";
  dispense.disposition = kDisp + "dispensed";
  EXPECT_TRUE(apply_event(dispense, states).empty());
  EXPECT_TRUE(states.m[kUnits[0]].decommissioned);
  Event after = event(EventType::kObject, Action::kObserve, 8, "e9");
  after.epc_list = {kUnits[0]};
  auto alerts = apply_event(after, states);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].kind, AlertKind::kAfterDecommission);
  EXPECT_FALSE(states.m[kUnits[1]].decommissioned);
}

TEST(ItemState, SecondCommissioningRaisesAnAlert) {
  MapStates states;
  apply_event(commission({kUnits[0]}, 1, "e1"), states);
  auto alerts = apply_event(commission({kUnits[0]}, 2, "e2"), states);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0], (Alert{AlertKind::kRecommissioned, kUnits[0], "e2", "commissioned again by e2"}));
}

TEST(ItemState, EventOnANeverCommissionedItemRaisesAnAlertButIsApplied) {
  MapStates states;
  Event e = event(EventType::kObject, Action::kObserve, 1, "e1");
  e.epc_list = {kUnits[0]};
  e.read_point = "urn:epc:id:sgln:9520123.00001.9";
  auto alerts = apply_event(e, states);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].kind, AlertKind::kNotCommissioned);
  EXPECT_EQ(states.m[kUnits[0]].read_point, "urn:epc:id:sgln:9520123.00001.9");
}

TEST(ItemState, AnOlderEventDoesNotMoveTheItemBackInTime) {
  MapStates states;
  apply_event(commission({kUnits[0]}, 1, "e1"), states);
  Event later = event(EventType::kObject, Action::kObserve, 10, "e2");
  later.epc_list = {kUnits[0]};
  later.biz_location = "urn:epc:id:sgln:9520123.00001.B";
  apply_event(later, states);
  Event older = event(EventType::kObject, Action::kObserve, 5, "e3");
  older.epc_list = {kUnits[0]};
  older.biz_location = "urn:epc:id:sgln:9520123.00001.A";
  auto alerts = apply_event(older, states);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].kind, AlertKind::kOutOfOrder);
  EXPECT_EQ(states.m[kUnits[0]].biz_location, "urn:epc:id:sgln:9520123.00001.B");
  EXPECT_EQ(states.m[kUnits[0]].last_event_id, "e2");
}

TEST(ItemState, PersistentDispositionsAreSetAndUnset) {
  MapStates states;
  apply_event(commission({kUnits[0]}, 1, "e1"), states);
  Event hold = event(EventType::kObject, Action::kObserve, 2, "e2");
  hold.epc_list = {kUnits[0]};
  hold.persistent_disposition.set = {kDisp + "needs_replacement", kDisp + "recalled"};
  apply_event(hold, states);
  Event release = event(EventType::kObject, Action::kObserve, 3, "e3");
  release.epc_list = {kUnits[0]};
  release.persistent_disposition.unset = {kDisp + "needs_replacement"};
  apply_event(release, states);
  EXPECT_EQ(states.m[kUnits[0]].persistent_dispositions, std::vector<std::string>{kDisp + "recalled"});
}

TEST(ItemState, TransformationConsumesInputsAndCreatesOutputs) {
  MapStates states;
  apply_event(commission({kUnits[0], kUnits[1]}, 1, "e1"), states);
  Event t = event(EventType::kTransformation, Action::kNone, 2, "e2");
  t.input_epc_list = {kUnits[0], kUnits[1]};
  t.output_epc_list = {kCase};
  EXPECT_TRUE(apply_event(t, states).empty());
  EXPECT_TRUE(states.m[kUnits[0]].decommissioned);
  EXPECT_TRUE(states.m[kCase].commissioned);
}

}  // namespace
}  // namespace serialtrack::trace

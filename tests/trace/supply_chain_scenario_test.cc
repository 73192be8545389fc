// A whole supply chain through the store: commission 1,000 units, pack them into 10
// cases and 1 pallet, ship, receive, unpack, dispense one unit; every item's state,
// location, custodian and history is checked at each step.
#include <gtest/gtest.h>

#include <filesystem>

#include "trace/capture.h"
#include "trace/history.h"

namespace serialtrack::trace {
namespace {

using epcis::Action;
using epcis::Event;
using epcis::EventType;

const std::string kBs = "urn:epcglobal:cbv:bizstep:";
const std::string kDisp = "urn:epcglobal:cbv:disp:";
const std::string kFactory = "urn:epc:id:sgln:9520123.00001.0";
const std::string kPharmacy = "urn:epc:id:sgln:9520999.00001.0";
const std::string kMaker = "urn:epc:id:pgln:9520123.00000";
const std::string kShop = "urn:epc:id:pgln:9520999.00000";
const std::string kPallet = "urn:epc:id:sscc:9520123.0000000001";

std::string unit(int i) { return "urn:epc:id:sgtin:9520123.045678." + std::to_string(i); }
std::string case_id(int c) { return "urn:epc:id:sgtin:9520123.145678.C" + std::to_string(c); }

class SupplyChain : public ::testing::Test {
 protected:
  void SetUp() override {
    auto p = std::filesystem::path(::testing::TempDir()) / "scenario.db";
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(p.string() + suffix);
    store_ = std::move(*store::open_sqlite(p.string()));
  }
  Event make(EventType type, Action action, const std::string& biz_step) {
    Event e;
    e.type = type;
    e.action = action;
    e.biz_step = kBs + biz_step;
    e.event_time = {(++clock_) * 60'000'000'000LL, 60};
    e.event_id = "urn:uuid:scenario-" + std::to_string(clock_);
    return e;
  }
  void capture_all(std::vector<Event> events) {
    auto r = capture(*store_, events);
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->accepted, events.size());
  }
  ItemState state(const std::string& id) {
    auto s = item_state(*store_, id);
    EXPECT_TRUE(s && *s) << id;
    return s && *s ? **s : ItemState{};
  }
  std::unique_ptr<store::Store> store_;
  int64_t clock_ = 0;
};

TEST_F(SupplyChain, EveryItemIsKnownAtEveryStep) {
  // Commission 1,000 units, 10 cases and the pallet at the factory.
  Event commission = make(EventType::kObject, Action::kAdd, "commissioning");
  for (int i = 0; i < 1000; ++i) commission.epc_list.push_back(unit(i));
  for (int c = 0; c < 10; ++c) commission.epc_list.push_back(case_id(c));
  commission.epc_list.push_back(kPallet);
  commission.disposition = kDisp + "active";
  commission.read_point = kFactory;
  commission.biz_location = kFactory;
  commission.sources = {{"urn:epcglobal:cbv:sdt:owning_party", kMaker}};
  capture_all({commission});
  EXPECT_EQ(state(unit(999)).disposition, kDisp + "active");

  // Pack 100 units per case, the cases onto the pallet.
  std::vector<Event> packing;
  for (int c = 0; c < 10; ++c) {
    Event p = make(EventType::kAggregation, Action::kAdd, "packing");
    p.parent_id = case_id(c);
    for (int i = c * 100; i < (c + 1) * 100; ++i) p.epc_list.push_back(unit(i));
    packing.push_back(p);
  }
  Event palletise = make(EventType::kAggregation, Action::kAdd, "packing");
  palletise.parent_id = kPallet;
  for (int c = 0; c < 10; ++c) palletise.epc_list.push_back(case_id(c));
  packing.push_back(palletise);
  capture_all(packing);
  EXPECT_EQ(state(unit(250)).parent, case_id(2));
  EXPECT_EQ(state(case_id(2)).parent, kPallet);

  // Ship the pallet: every unit on it is in transit to the pharmacy's owner.
  Event ship = make(EventType::kObject, Action::kObserve, "shipping");
  ship.epc_list = {kPallet};
  ship.disposition = kDisp + "in_transit";
  ship.destinations = {{"urn:epcglobal:cbv:sdt:owning_party", kShop},
                       {"urn:epcglobal:cbv:sdt:possessing_party", kShop}};
  capture_all({ship});
  for (int i : {0, 555, 999}) {
    EXPECT_EQ(state(unit(i)).disposition, kDisp + "in_transit") << i;
    EXPECT_EQ(state(unit(i)).owner, kShop) << i;
  }

  // Receive at the pharmacy.
  Event receive = make(EventType::kObject, Action::kObserve, "receiving");
  receive.epc_list = {kPallet};
  receive.disposition = kDisp + "in_progress";
  receive.read_point = kPharmacy;
  receive.biz_location = kPharmacy;
  capture_all({receive});
  EXPECT_EQ(state(unit(42)).biz_location, kPharmacy);

  // Unpack case 0 (all its units), dispense unit 7.
  Event unpack = make(EventType::kAggregation, Action::kDelete, "unpacking");
  unpack.parent_id = case_id(0);
  capture_all({unpack});
  EXPECT_EQ(state(unit(7)).parent, "");
  EXPECT_EQ(state(unit(107)).parent, case_id(1));
  Event dispense = make(EventType::kObject, Action::kObserve, "dispensing");
  dispense.epc_list = {unit(7)};
  dispense.disposition = kDisp + "dispensed";
  capture_all({dispense});
  EXPECT_TRUE(state(unit(7)).decommissioned);
  EXPECT_FALSE(state(unit(8)).decommissioned);

  // The history of a unit still on the pallet includes the pallet's events.
  auto report = item_report(*store_, "(01)09520123456788(21)555");
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_TRUE(report->state);
  EXPECT_EQ(report->containers, (std::vector<std::string>{case_id(5), kPallet}));
  std::vector<std::string> steps;
  for (const auto& e : report->history) steps.push_back(e.event.biz_step.substr(kBs.size()));
  EXPECT_EQ(steps, (std::vector<std::string>{"commissioning", "packing", "packing", "shipping",
                                             "receiving"}));
  auto pallet = item_report(*store_, kPallet);
  ASSERT_TRUE(pallet);
  EXPECT_EQ(pallet->contents.size(), 10u + 900u);  // case 0 was emptied, but is still on it
  EXPECT_TRUE(store_->alerts("")->empty());
}

}  // namespace
}  // namespace serialtrack::trace

// Pack operations: each records its EPCIS event (bizStep, disposition, location, party)
// through capture; repeated, refused and undone operations follow the EU FMD rules.
#include "trace/pack_operations.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "trace/history.h"
#include "trace/pack_fixture.h"

namespace serialtrack::trace {
namespace {

using namespace serialtrack::testing;

const std::string kCbvStep = "urn:epcglobal:cbv:bizstep:";
const std::string kCbvDisp = "urn:epcglobal:cbv:disp:";
const std::string kOurStep(kPackBizStepNs);
const std::string kOurDisp(kPackDispositionNs);
const std::string kPartyAUri = "https://id.gs1.org/417/" + kPartyA;
const std::string kLocationUri = "https://id.gs1.org/414/" + kPartyA;

PackOperationAnswer operate(PackStore& p, PackOperation op, const std::string& serial,
                            int64_t now = kNow, const std::string& party = kPartyA) {
  PackOperationRequest r;
  r.operation = op;
  r.pack.gtin = kGtin;
  r.pack.serial = serial;
  r.caller = {"test-client", party, party, false};
  r.now_unix_nanos = now;
  auto a = operate_pack(*p.store, *p.log, r);
  EXPECT_TRUE(a) << a.error().message;
  return a ? *a : PackOperationAnswer{};
}

PackStatus status(PackStore& p, const std::string& serial, int64_t now = kNow) {
  auto s = item_state(*p.store, item_key(serial));
  EXPECT_TRUE(s && *s);
  return pack_status(**s, now);
}

struct OperationCase {
  PackOperation operation;
  std::string biz_step, disposition;
  PackStatus status;
};

class EachOperation : public ::testing::TestWithParam<OperationCase> {};

TEST_P(EachOperation, RecordsItsEventAndPutsThePackInItsStatus) {
  const OperationCase& c = GetParam();
  std::string name = "operation_";
  name += pack_operation_name(c.operation);
  PackStore p(name);
  p.commission({"PACK1"});
  PackOperationAnswer a = operate(p, c.operation, "PACK1");
  EXPECT_TRUE(a.done) << a.message;
  EXPECT_FALSE(a.refusal);
  EXPECT_FALSE(a.alert);
  EXPECT_EQ(a.status, c.status);
  EXPECT_EQ(status(p, "PACK1"), c.status);
  // The stored event says what was done, where and by whom.
  auto stored = p.store->event(a.event_id);
  ASSERT_TRUE(stored && *stored);
  const epcis::Event& e = (*stored)->event;
  EXPECT_EQ(e.type, epcis::EventType::kObject);
  EXPECT_EQ(e.action, epcis::Action::kObserve);
  EXPECT_EQ(e.biz_step, c.biz_step);
  EXPECT_EQ(e.disposition, c.disposition);
  EXPECT_EQ(e.read_point, kLocationUri);
  EXPECT_EQ(e.biz_location, kLocationUri);
  ASSERT_EQ(e.sources.size(), 1u);
  EXPECT_EQ(e.sources[0].type, "urn:epcglobal:cbv:sdt:possessing_party");
  EXPECT_EQ(e.sources[0].value, kPartyAUri);
  EXPECT_EQ(e.event_time.unix_nanos, kNow);
  // And the pack's history shows it after its commissioning.
  auto report = item_report(*p.store, item_key("PACK1"));
  ASSERT_TRUE(report);
  ASSERT_EQ(report->history.size(), 2u);
  EXPECT_EQ(report->history[1].event.biz_step, c.biz_step);
  EXPECT_TRUE(report->alerts.empty());
  // The operation is in the verification log.
  auto rows = p.log->of_item(item_key("PACK1"));
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].action, pack_operation_name(c.operation));
  EXPECT_EQ((*rows)[0].status, pack_status_name(c.status));
}

INSTANTIATE_TEST_SUITE_P(
    PackOperations, EachOperation,
    ::testing::Values(OperationCase{PackOperation::kSupply, kCbvStep + "dispensing",
                                    kCbvDisp + "dispensed", PackStatus::kSupplied},
                      OperationCase{PackOperation::kDestroy, kCbvStep + "destroying",
                                    kCbvDisp + "destroyed", PackStatus::kDestroyed},
                      OperationCase{PackOperation::kStolen, kOurStep + "reporting_stolen",
                                    kCbvDisp + "stolen", PackStatus::kStolen},
                      OperationCase{PackOperation::kSample, kCbvStep + "sampling",
                                    kOurDisp + "sample", PackStatus::kSample},
                      OperationCase{PackOperation::kFreeSample, kOurStep + "free_sampling",
                                    kOurDisp + "free_sample", PackStatus::kFreeSample},
                      OperationCase{PackOperation::kExport, kCbvStep + "shipping",
                                    kOurDisp + "exported", PackStatus::kExported},
                      OperationCase{PackOperation::kLock, kCbvStep + "holding", kOurDisp + "locked",
                                    PackStatus::kLocked},
                      OperationCase{PackOperation::kCheckOut, kOurStep + "checking_out",
                                    kOurDisp + "checked_out", PackStatus::kCheckedOut}),
    [](const auto& info) {
      std::string name(pack_operation_name(info.param.operation));
      std::erase(name, '-');
      return name;
    });

TEST(PackOperations, ARepeatedOperationIsA7AndRecordsNoSecondEvent) {
  PackStore p("operation_repeated");
  p.commission({"PACK1"});
  ASSERT_TRUE(operate(p, PackOperation::kSupply, "PACK1").done);
  int64_t events = *p.store->event_count();
  PackOperationAnswer again = operate(p, PackOperation::kSupply, "PACK1", kNow + kDay);
  EXPECT_FALSE(again.done);
  EXPECT_EQ(again.refusal, Refusal::kAlreadyInState);
  EXPECT_EQ(again.alert, AlertCode::kAlreadyInState);
  EXPECT_EQ(alert_code_name(*again.alert), "A7");
  EXPECT_EQ(again.status, PackStatus::kSupplied);
  EXPECT_EQ(*p.store->event_count(), events);
  EXPECT_EQ((*p.log->of_item(item_key("PACK1")))[0].alert, "A7");
}

TEST(PackOperations, AnOperationOnAPackNoLongerActiveIsRefusedA68) {
  PackStore p("operation_not_active");
  p.commission({"PACK1", "OLD"});
  ASSERT_TRUE(operate(p, PackOperation::kSupply, "PACK1").done);
  int64_t events = *p.store->event_count();
  PackOperationAnswer a = operate(p, PackOperation::kDestroy, "PACK1");
  EXPECT_FALSE(a.done);
  EXPECT_EQ(a.refusal, Refusal::kNotActive);
  EXPECT_EQ(a.alert, AlertCode::kNotActive);
  EXPECT_EQ(a.status, PackStatus::kSupplied);
  EXPECT_EQ(*p.store->event_count(), events);
  // Expired packs are not active either.
  p.commission({"EXP1"}, kLot, "2026-05-01");
  events = *p.store->event_count();
  EXPECT_EQ(operate(p, PackOperation::kSupply, "EXP1").alert, AlertCode::kNotActive);
  EXPECT_EQ(*p.store->event_count(), events);
}

TEST(PackOperations, AnOperationOnAnUnknownPackIsRefusedAndCapturesNothing) {
  PackStore p("operation_unknown");
  p.commission({"PACK1"});
  int64_t events = *p.store->event_count();
  PackOperationAnswer a = operate(p, PackOperation::kSupply, "NOSUCH");
  EXPECT_FALSE(a.done);
  EXPECT_EQ(a.refusal, Refusal::kUnknownPack);
  EXPECT_EQ(a.alert, AlertCode::kUnknownSerial);
  EXPECT_EQ(*p.store->event_count(), events);
  EXPECT_FALSE(*item_state(*p.store, item_key("NOSUCH")));
}

TEST(PackOperations, AnOperationWithTheWrongLotIsRefusedA24) {
  PackStore p("operation_lot");
  p.commission({"PACK1"});
  PackOperationRequest r;
  r.operation = PackOperation::kSupply;
  r.pack.id = "(01)09520123456788(21)PACK1(10)LOT43(17)271231";
  r.caller.party = kPartyA;
  r.now_unix_nanos = kNow;
  auto a = operate_pack(*p.store, *p.log, r);
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->done);
  EXPECT_EQ(a->refusal, Refusal::kLotMismatch);
  EXPECT_EQ(a->alert, AlertCode::kLotMismatch);
  EXPECT_EQ(status(p, "PACK1"), PackStatus::kActive);
}

TEST(PackOperations, AnOperationNeedsTheOperatingParty) {
  PackStore p("operation_no_party");
  p.commission({"PACK1"});
  PackOperationRequest r;
  r.pack.gtin = kGtin;
  r.pack.serial = "PACK1";
  r.now_unix_nanos = kNow;
  auto a = operate_pack(*p.store, *p.log, r);
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().field, "party");
  EXPECT_EQ(status(p, "PACK1"), PackStatus::kActive);
  EXPECT_TRUE(p.log->of_item(item_key("PACK1"))->empty());
}

TEST(PackUndo, WithinTenDaysTheSamePartyReactivatesASuppliedPack) {
  PackStore p("undo_allowed");
  p.commission({"PACK1"});
  ASSERT_TRUE(operate(p, PackOperation::kSupply, "PACK1").done);
  PackOperationAnswer undo = operate(p, PackOperation::kUndo, "PACK1", kNow + 9 * kDay);
  EXPECT_TRUE(undo.done) << undo.message;
  EXPECT_EQ(undo.status, PackStatus::kActive);
  EXPECT_EQ(status(p, "PACK1", kNow + 9 * kDay), PackStatus::kActive);
  auto e = p.store->event(undo.event_id);
  ASSERT_TRUE(e && *e);
  EXPECT_EQ((*e)->event.biz_step, reactivating_biz_step());
  EXPECT_EQ((*e)->event.disposition, kCbvDisp + "active");
  // The pack lives on: no "event after its life ended" alert, and it can be supplied again.
  EXPECT_TRUE(p.store->alerts(item_key("PACK1"))->empty());
  auto state = item_state(*p.store, item_key("PACK1"));
  EXPECT_FALSE((*state)->decommissioned);
  EXPECT_TRUE(operate(p, PackOperation::kSupply, "PACK1", kNow + 10 * kDay).done);
}

TEST(PackUndo, EveryReversibleStatusCanBeUndone) {
  PackStore p("undo_each");
  const std::vector<PackOperation> ops = {PackOperation::kSample, PackOperation::kFreeSample,
                                          PackOperation::kExport, PackOperation::kLock,
                                          PackOperation::kCheckOut};
  const std::vector<std::string> serials = {"R0", "R1", "R2", "R3", "R4"};
  p.commission(serials);
  for (size_t i = 0; i < ops.size(); ++i) {
    ASSERT_TRUE(operate(p, ops[i], serials[i]).done);
    PackOperationAnswer undo = operate(p, PackOperation::kUndo, serials[i], kNow + kDay);
    EXPECT_TRUE(undo.done) << pack_operation_name(ops[i]) << ": " << undo.message;
    EXPECT_EQ(status(p, serials[i], kNow + kDay), PackStatus::kActive);
  }
}

TEST(PackUndo, AfterTenDaysIsRefused) {
  PackStore p("undo_late");
  p.commission({"PACK1"});
  ASSERT_TRUE(operate(p, PackOperation::kSupply, "PACK1").done);
  int64_t events = *p.store->event_count();
  PackOperationAnswer undo = operate(p, PackOperation::kUndo, "PACK1", kNow + 10 * kDay + 1);
  EXPECT_FALSE(undo.done);
  EXPECT_EQ(undo.refusal, Refusal::kUndoPeriodOver);
  EXPECT_EQ(undo.status, PackStatus::kSupplied);
  EXPECT_EQ(*p.store->event_count(), events);
  // Exactly ten days is still within the period.
  EXPECT_TRUE(operate(p, PackOperation::kUndo, "PACK1", kNow + 10 * kDay).done);
}

TEST(PackUndo, ByAnotherPartyIsRefused) {
  PackStore p("undo_other_party");
  p.commission({"PACK1"});
  ASSERT_TRUE(operate(p, PackOperation::kSupply, "PACK1").done);
  PackOperationAnswer undo = operate(p, PackOperation::kUndo, "PACK1", kNow + kDay, kPartyB);
  EXPECT_FALSE(undo.done);
  EXPECT_EQ(undo.refusal, Refusal::kUndoByOtherParty);
  EXPECT_EQ(status(p, "PACK1", kNow + kDay), PackStatus::kSupplied);
}

TEST(PackUndo, FromDestroyedStolenRecalledWithdrawnOrExpiredIsRefused) {
  PackStore p("undo_irreversible");
  p.commission({"DEST", "STOL", "RECL", "WDRN"});
  p.commission({"EXPD"}, kLot, "2026-06-05");
  ASSERT_TRUE(operate(p, PackOperation::kDestroy, "DEST").done);
  ASSERT_TRUE(operate(p, PackOperation::kStolen, "STOL").done);
  ASSERT_TRUE(operate(p, PackOperation::kSupply, "RECL").done);
  const std::string recalled = kCbvDisp + "recalled";
  p.observe("RECL", recalled, kNow + 1, {recalled});
  p.observe("WDRN", kOurDisp + "withdrawn", kNow);
  ASSERT_TRUE(operate(p, PackOperation::kSupply, "EXPD").done);
  int64_t events = *p.store->event_count();
  for (const std::string serial : {"DEST", "STOL", "RECL", "WDRN", "EXPD"}) {
    PackOperationAnswer undo = operate(p, PackOperation::kUndo, serial, kNow + 5 * kDay);
    EXPECT_FALSE(undo.done) << serial;
    EXPECT_EQ(undo.refusal, Refusal::kNotReversible) << serial << ": " << undo.message;
  }
  EXPECT_EQ(*p.store->event_count(), events);
}

TEST(PackUndo, OfAnActivePackIsA7) {
  PackStore p("undo_active");
  p.commission({"PACK1"});
  PackOperationAnswer undo = operate(p, PackOperation::kUndo, "PACK1");
  EXPECT_FALSE(undo.done);
  EXPECT_EQ(undo.refusal, Refusal::kAlreadyInState);
  EXPECT_EQ(undo.alert, AlertCode::kAlreadyInState);
}

TEST(PackUndo, OfAStatusNoPackOperationMadeIsRefused) {
  PackStore p("undo_foreign_event");
  p.commission({"PACK1"});
  p.observe("PACK1", kOurDisp + "locked", kNow);  // locked by a plain event, no operator
  PackOperationAnswer undo = operate(p, PackOperation::kUndo, "PACK1", kNow + kDay);
  EXPECT_FALSE(undo.done);
  EXPECT_EQ(undo.refusal, Refusal::kNoOperationToUndo);
}

TEST(PackUndo, AnEventCapturedAfterDestructionDoesNotBringThePackBack) {
  PackStore p("undo_raw_event");
  p.commission({"PACK1"});
  ASSERT_TRUE(operate(p, PackOperation::kDestroy, "PACK1").done);
  // Someone captures a reactivation themselves, bypassing the undo rules.
  epcis::Event e;
  e.type = epcis::EventType::kObject;
  e.action = epcis::Action::kObserve;
  e.event_time = {kNow + kDay, 0};
  e.epc_list = {sgtin("PACK1")};
  e.biz_step = reactivating_biz_step();
  e.disposition = kCbvDisp + "active";
  p.capture(e);
  EXPECT_EQ(status(p, "PACK1", kNow + kDay), PackStatus::kDestroyed);
  auto alerts = p.store->alerts(item_key("PACK1"));
  ASSERT_EQ(alerts->size(), 1u);
  EXPECT_EQ((*alerts)[0].kind, "after_decommission");
}

TEST(PackOperations, TheJsonAnswerHasTheFieldsTheServerExposes) {
  PackStore p("operation_json");
  p.commission({"PACK1"});
  auto done = pack_operation_answer_json(operate(p, PackOperation::kSupply, "PACK1"));
  EXPECT_EQ(done.at("operation").as_string(), "supply");
  EXPECT_EQ(done.at("done"), true);
  EXPECT_EQ(done.at("status").as_string(), "SUPPLIED");
  EXPECT_TRUE(done.at("eventID").as_string().starts_with("ni:///sha-256;"));
  EXPECT_FALSE(done.contains("refusal"));
  EXPECT_EQ(done.at("verification").at("status").as_string(), "ACTIVE");
  auto again = pack_operation_answer_json(operate(p, PackOperation::kSupply, "PACK1"));
  EXPECT_EQ(again.at("done"), false);
  EXPECT_EQ(again.at("refusal").as_string(), "already_in_state");
  EXPECT_EQ(again.at("alert").as_string(), "A7");
  EXPECT_FALSE(again.contains("eventID"));
}

TEST(PackOperationNames, RoundTrip) {
  for (auto op : {PackOperation::kSupply, PackOperation::kDestroy, PackOperation::kStolen,
                  PackOperation::kSample, PackOperation::kFreeSample, PackOperation::kExport,
                  PackOperation::kLock, PackOperation::kCheckOut, PackOperation::kUndo})
    EXPECT_EQ(pack_operation_from_name(pack_operation_name(op)), op);
  EXPECT_FALSE(pack_operation_from_name("dispense"));
}

}  // namespace
}  // namespace serialtrack::trace

// Warranty and service history on real captured events: registration with its proof
// checks, status, claims with fraud checks, replacement moving the warranty, and
// service records that show in the item's history.
#include "trace/warranty.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "trace/capture.h"
#include "trace/history.h"

namespace serialtrack::trace {
namespace {

constexpr std::int64_t kDay = 86'400;
constexpr std::int64_t kT0 = 1'780'000'000;  // 2026-05-28: commissioning
const std::string kGtin = "09520123456788";

std::string sgtin(const std::string& serial) {
  return "urn:epc:id:sgtin:9520123.045678." + serial;
}
std::string dl(const std::string& serial) {
  return "https://id.gs1.org/01/" + kGtin + "/21/" + serial;
}

epcis::Event event(const std::vector<std::string>& epcs, epcis::Action action,
                   const std::string& step, std::int64_t at, const std::string& disposition = "") {
  epcis::Event e;
  e.type = epcis::EventType::kObject;
  e.action = action;
  e.event_id = "urn:uuid:w-" + step + "-" + epcs.front() + "-" + std::to_string(at);
  e.event_time = {at * 1'000'000'000, 0};
  e.biz_step = "urn:epcglobal:cbv:bizstep:" + step;
  e.disposition = disposition.empty() ? "" : "urn:epcglobal:cbv:disp:" + disposition;
  e.epc_list = epcs;
  e.read_point = e.biz_location = "urn:epc:id:sgln:9520123.00001.0";
  return e;
}

class Warranty : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::path(::testing::TempDir()) /
             (std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + ".db"))
                .string();
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
    events_ = std::move(*store::open_sqlite(path_));
    auto r = store::open_sqlite_warranty(path_);
    ASSERT_TRUE(r) << r.error().message;
    records_ = std::move(*r);
    store::WarrantyTerms terms;
    terms.product = kGtin;
    terms.duration_days = 365;
    terms.coverage = "parts and labour";
    terms.claim_limit = 2;
    terms.plans = {{"extended", 730}};
    ASSERT_TRUE(records_->put_terms(terms));
    // Five units commissioned; A, B, C and R sold ten days later; U never sold.
    std::vector<std::string> all = {sgtin("A"), sgtin("B"), sgtin("C"), sgtin("R"), sgtin("U")};
    capture_ok({event(all, epcis::Action::kAdd, "commissioning", kT0, "active")});
    for (const char* s : {"A", "B", "C", "R"})
      capture_ok({event({sgtin(s)}, epcis::Action::kObserve, "retail_selling", kT0 + 10 * kDay,
                        "retail_sold")});
  }

  void capture_ok(std::vector<epcis::Event> evs) {
    auto r = capture(*events_, evs);
    ASSERT_TRUE(r) << r.error().message;
  }

  WarrantyOutcome<store::Registration> register_item(const std::string& id,
                                                     const std::string& owner, std::int64_t at,
                                                     const std::string& plan = "") {
    return register_warranty(*events_, *records_, {id, owner, plan, at});
  }

  std::string path_;
  std::unique_ptr<store::Store> events_;
  std::unique_ptr<store::WarrantyRecords> records_;
};

TEST_F(Warranty, RegistrationStartsAtTheSaleAndLastsTheTermsPlusThePlan) {
  auto r = register_item("(01)" + kGtin + "(21)A", "customer-1", kT0 + 20 * kDay);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->item, dl("A"));
  EXPECT_EQ(r->start, kT0 + 10 * kDay);
  EXPECT_EQ(r->end, kT0 + 10 * kDay + 365 * kDay);
  auto extended = register_item(sgtin("B"), "customer-2", kT0 + 20 * kDay, "extended");
  ASSERT_TRUE(extended) << extended.error().message;
  EXPECT_EQ(extended->end, kT0 + 10 * kDay + (365 + 730) * kDay);
  EXPECT_EQ(register_item(sgtin("C"), "customer-3", kT0, "platinum").error().kind,
            WarrantyFailure::Kind::kInvalidInput);
}

TEST_F(Warranty, RegistrationRefusesUnknownUnsoldClonedAndAlreadyRegisteredItems) {
  using K = WarrantyFailure::Kind;
  EXPECT_EQ(register_item(sgtin("NEVER"), "c", kT0).error().kind, K::kUnknownItem);
  EXPECT_EQ(register_item(sgtin("U"), "c", kT0).error().kind, K::kNotSold);
  EXPECT_EQ(register_item("not an identifier", "c", kT0).error().kind, K::kInvalidInput);
  EXPECT_EQ(register_item(sgtin("A"), "", kT0).error().kind, K::kInvalidInput);
  // A second commissioning of C: the serial was copied onto another pack.
  capture_ok({event({sgtin("C")}, epcis::Action::kAdd, "commissioning", kT0 + 11 * kDay)});
  EXPECT_EQ(register_item(sgtin("C"), "c", kT0 + 12 * kDay).error().kind, K::kNotGenuine);
  ASSERT_TRUE(register_item(sgtin("A"), "first", kT0 + 12 * kDay));
  auto again = register_item(dl("A"), "second", kT0 + 13 * kDay);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, K::kAlreadyRegistered);
  EXPECT_EQ(again.error().message.find("first"), std::string::npos)
      << "the other owner is not disclosed";
  // Nothing was stored by the refusals.
  EXPECT_FALSE(*records_->registration(dl("U")));
  EXPECT_EQ((*records_->registration(dl("A")))->owner, "first");
}

TEST_F(Warranty, StatusIsCoveredExpiredNeverRegisteredOrVoid) {
  ASSERT_TRUE(register_item(sgtin("A"), "c", kT0 + 12 * kDay));
  auto covered = warranty_status(*events_, *records_, sgtin("A"), kT0 + 100 * kDay);
  ASSERT_TRUE(covered);
  EXPECT_EQ(covered->coverage, Coverage::kCovered);
  EXPECT_EQ(warranty_status(*events_, *records_, sgtin("A"), kT0 + 400 * kDay)->coverage,
            Coverage::kExpired);
  EXPECT_EQ(warranty_status(*events_, *records_, sgtin("B"), kT0)->coverage,
            Coverage::kNeverRegistered);
  ASSERT_TRUE(register_item(sgtin("B"), "c", kT0 + 12 * kDay));
  capture_ok({event({sgtin("B")}, epcis::Action::kObserve, "holding", kT0 + 50 * kDay, "stolen")});
  auto stolen = warranty_status(*events_, *records_, sgtin("B"), kT0 + 60 * kDay);
  EXPECT_EQ(stolen->coverage, Coverage::kVoid);
  EXPECT_EQ(stolen->reason, "stolen");
  EXPECT_EQ(warranty_status(*events_, *records_, sgtin("NEVER"), kT0).error().kind,
            WarrantyFailure::Kind::kUnknownItem);
}

TEST_F(Warranty, TransferKeepsTheCoverageAndChangesTheOwner) {
  auto r = register_item(sgtin("A"), "first", kT0 + 12 * kDay);
  ASSERT_TRUE(r);
  auto t = transfer_warranty(*events_, *records_, sgtin("A"), "second", kT0 + 30 * kDay);
  ASSERT_TRUE(t) << t.error().message;
  auto now = *records_->registration(dl("A"));
  EXPECT_EQ(now->owner, "second");
  EXPECT_EQ(now->end, r->end);
  EXPECT_EQ(transfer_warranty(*events_, *records_, sgtin("B"), "x", kT0).error().kind,
            WarrantyFailure::Kind::kNotRegistered);
}

TEST_F(Warranty, ReplacementMovesTheWarrantyAndAClaimOnTheOldSerialIsRejected) {
  ASSERT_TRUE(register_item(sgtin("A"), "customer-1", kT0 + 12 * kDay));
  auto claim = open_claim(*events_, *records_, {sgtin("A"), "screen dead", kT0 + 40 * kDay});
  ASSERT_TRUE(claim) << claim.error().message;
  EXPECT_EQ(claim->state, store::ClaimState::kOpen);
  EXPECT_TRUE(claim->flags.empty());
  ClaimDecision approve{
      ClaimDecision::Verdict::kApprove, "replaced at the counter",         sgtin("R"),
      "urn:epc:id:pgln:9520123.00000",  "urn:epc:id:sgln:9520123.00002.0", kT0 + 41 * kDay};
  auto decided = decide_claim(*events_, *records_, claim->id, approve);
  ASSERT_TRUE(decided) << decided.error().message;
  EXPECT_EQ(decided->state, store::ClaimState::kApproved);
  EXPECT_EQ(decided->replacement, dl("R"));
  // The warranty moved to R for the rest of A's coverage; A is void.
  auto old_reg = *records_->registration(dl("A"));
  auto new_reg = *records_->registration(dl("R"));
  ASSERT_TRUE(old_reg && new_reg);
  EXPECT_EQ(old_reg->state, store::RegistrationState::kReplaced);
  EXPECT_EQ(old_reg->moved_to, dl("R"));
  EXPECT_EQ(new_reg->replaces, dl("A"));
  EXPECT_EQ(new_reg->owner, "customer-1");
  EXPECT_EQ(new_reg->end, old_reg->end);
  auto old_status = warranty_status(*events_, *records_, sgtin("A"), kT0 + 42 * kDay);
  auto new_status = warranty_status(*events_, *records_, sgtin("R"), kT0 + 42 * kDay);
  ASSERT_TRUE(old_status && new_status)
      << (old_status ? new_status.error().message : old_status.error().message);
  EXPECT_EQ(old_status->coverage, Coverage::kVoid);
  EXPECT_EQ(new_status->coverage, Coverage::kCovered);
  // Both serials are in one replacing event, with the claim as the RMA.
  auto history = item_report(*events_, sgtin("R"));
  ASSERT_TRUE(history);
  const auto& last = history->history.back().event;
  EXPECT_EQ(last.biz_step, "urn:epcglobal:cbv:bizstep:replacing");
  EXPECT_EQ(last.epc_list, (std::vector<std::string>{dl("A"), dl("R")}));
  ASSERT_EQ(last.biz_transactions.size(), 1u);
  EXPECT_EQ(last.biz_transactions[0].type, "urn:epcglobal:cbv:btt:rma");
  // A claim on the old serial is rejected automatically, and kept as evidence.
  auto old_claim =
      open_claim(*events_, *records_, {sgtin("A"), "screen dead again", kT0 + 50 * kDay});
  ASSERT_TRUE(old_claim);
  EXPECT_EQ(old_claim->state, store::ClaimState::kRejected);
  EXPECT_NE(std::find(old_claim->flags.begin(), old_claim->flags.end(), kFlagAlreadyReplaced),
            old_claim->flags.end());
  EXPECT_EQ(records_->claims_of(dl("A"))->size(), 2u);
  // A decided claim cannot be decided again, only closed.
  auto twice = decide_claim(*events_, *records_, claim->id, approve);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().kind, WarrantyFailure::Kind::kConflict);
  ClaimDecision close{ClaimDecision::Verdict::kClose, "done", "", "", "", kT0 + 43 * kDay};
  auto closed = decide_claim(*events_, *records_, claim->id, close);
  ASSERT_TRUE(closed) << closed.error().message;
  EXPECT_EQ(closed->state, store::ClaimState::kClosed);
}

TEST_F(Warranty, FraudChecksFlagEachSuspiciousClaim) {
  auto flags_of = [&](const std::string& id, std::int64_t at) {
    auto c = open_claim(*events_, *records_, {id, "broken", at});
    EXPECT_TRUE(c) << (c ? "" : c.error().message);
    return c ? std::make_pair(c->state, c->flags)
             : std::make_pair(store::ClaimState::kOpen, std::vector<std::string>{});
  };
  using store::ClaimState;
  auto unknown = flags_of(sgtin("NEVER"), kT0);
  EXPECT_EQ(unknown.first, ClaimState::kRejected);
  EXPECT_EQ(unknown.second, std::vector<std::string>{std::string(kFlagUnknownSerial)});
  EXPECT_EQ(flags_of(sgtin("U"), kT0).second,
            std::vector<std::string>{std::string(kFlagNotRegistered)});
  ASSERT_TRUE(register_item(sgtin("A"), "c", kT0 + 12 * kDay));
  EXPECT_EQ(flags_of(sgtin("A"), kT0 + 400 * kDay).second,
            std::vector<std::string>{std::string(kFlagExpired)});
  ASSERT_TRUE(register_item(sgtin("B"), "c", kT0 + 12 * kDay));
  capture_ok(
      {event({sgtin("B")}, epcis::Action::kObserve, "destroying", kT0 + 20 * kDay, "destroyed")});
  EXPECT_EQ(flags_of(sgtin("B"), kT0 + 30 * kDay).second,
            std::vector<std::string>{std::string(kFlagStolenOrDestroyed)});
  ASSERT_TRUE(register_item(sgtin("C"), "c", kT0 + 12 * kDay));
  capture_ok({event({sgtin("C")}, epcis::Action::kAdd, "commissioning", kT0 + 25 * kDay)});
  EXPECT_EQ(flags_of(sgtin("C"), kT0 + 30 * kDay).second,
            std::vector<std::string>{std::string(kFlagSuspectedCounterfeit)});
  // Repeated claims: beyond the terms' limit of 2 the next is opened for review.
  ASSERT_TRUE(register_item(sgtin("R"), "c", kT0 + 12 * kDay));
  EXPECT_TRUE(flags_of(sgtin("R"), kT0 + 30 * kDay).second.empty());
  EXPECT_TRUE(flags_of(sgtin("R"), kT0 + 31 * kDay).second.empty());
  auto third = flags_of(sgtin("R"), kT0 + 32 * kDay);
  EXPECT_EQ(third.first, ClaimState::kOpen);
  EXPECT_EQ(third.second, std::vector<std::string>{std::string(kFlagRepeatedClaims)});
}

TEST_F(Warranty, ServiceRecordsAreEventsInTheItemsHistory) {
  const std::string part_old = "urn:epc:id:sgtin:9520123.045679.P1",
                    part_new = "urn:epc:id:sgtin:9520123.045679.P2";
  capture_ok({event({part_old, part_new}, epcis::Action::kAdd, "commissioning", kT0)});
  const std::string shop = "urn:epc:id:sgln:9520123.00003.0";
  ServiceRecord repair{sgtin("A"), ServiceKind::kRepair, {},   {},
                       "",         "replaced the fuse",  shop, kT0 + 20 * kDay};
  ASSERT_TRUE(record_service(*events_, repair));
  ServiceRecord parts{
      sgtin("A"),     ServiceKind::kPartReplacement, {part_old}, {part_new}, "", "", shop,
      kT0 + 21 * kDay};
  auto part_ids = record_service(*events_, parts);
  ASSERT_TRUE(part_ids) << part_ids.error().message;
  EXPECT_EQ(part_ids->size(), 2u);
  ServiceRecord firmware{sgtin("A"),     ServiceKind::kFirmwareUpdate, {}, {}, "2.4.1", "", shop,
                         kT0 + 22 * kDay};
  ASSERT_TRUE(record_service(*events_, firmware));
  ServiceRecord inspection{sgtin("A"), ServiceKind::kInspection, {}, {}, "", "",
                           shop,       kT0 + 23 * kDay};
  ASSERT_TRUE(record_service(*events_, inspection));
  // Refusals capture nothing.
  auto before = *events_->event_count();
  ServiceRecord bad_fw{sgtin("A"),     ServiceKind::kFirmwareUpdate, {}, {}, "", "", shop,
                       kT0 + 24 * kDay};
  EXPECT_EQ(record_service(*events_, bad_fw).error().kind, WarrantyFailure::Kind::kInvalidInput);
  ServiceRecord unknown{sgtin("NEVER"), ServiceKind::kRepair, {}, {}, "", "",
                        shop,           kT0 + 24 * kDay};
  EXPECT_EQ(record_service(*events_, unknown).error().kind, WarrantyFailure::Kind::kUnknownItem);
  EXPECT_EQ(*events_->event_count(), before);

  auto h = service_history(*events_, dl("A"));
  ASSERT_TRUE(h);
  std::vector<ServiceKind> kinds;
  for (const auto& e : *h) kinds.push_back(e.kind);
  EXPECT_EQ(kinds,
            (std::vector<ServiceKind>{ServiceKind::kRepair, ServiceKind::kPartReplacement,
                                      ServiceKind::kPartReplacement, ServiceKind::kFirmwareUpdate,
                                      ServiceKind::kInspection}));
  EXPECT_EQ((*h)[1].event.event.action, epcis::Action::kDelete);
  EXPECT_EQ((*h)[1].event.event.epc_list,
            std::vector<std::string>{"https://id.gs1.org/01/09520123456795/21/P1"});
  EXPECT_EQ((*h)[1].event.event.parent_id, dl("A"));
  EXPECT_EQ((*h)[3].event.event.extensions.at(0).value, "2.4.1");
  EXPECT_EQ((*h)[0].event.event.extensions.at(0).value, "replaced the fuse");
  // A part's history shows where it went.
  auto part = item_report(*events_, part_new);
  ASSERT_TRUE(part);
  EXPECT_EQ(part->history.back().event.biz_step, "urn:epcglobal:cbv:bizstep:installing");
}

}  // namespace
}  // namespace serialtrack::trace

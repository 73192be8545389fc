// Each detection rule fires on its planted case and stays silent on its genuine twin,
// with real events through trace::Detector::capture and real scans through
// Detector::verify (verify_pack and its log) on a fresh database.
#include <atomic>
#include <thread>

#include "trace/detection_alerts.h"
#include "trace/detection_fixture.h"

namespace serialtrack::testing {
namespace {

const int64_t kT = t_at("2026-02-01T10:00:00Z");

store::AlertFilter filter_kind(std::string kind) {
  store::AlertFilter f;
  f.kind = std::move(kind);
  return f;
}
store::AlertFilter filter_item(std::string item) {
  store::AlertFilter f;
  f.item = std::move(item);
  return f;
}
trace::AlertQuery query_state(std::string state) {
  trace::AlertQuery q;
  q.state = std::move(state);
  return q;
}
trace::AlertQuery query_item(std::string item) {
  trace::AlertQuery q;
  q.item = std::move(item);
  return q;
}

TEST_F(DetectionTest, ScansFarApartWithinMinutesAreAnImpossibleTravelAndASuspectedClone) {
  commission({"A1"});
  EXPECT_TRUE(verify("A1", &kPharmacy, kT).alerts.empty());
  auto v = verify("A1", &kWholesaler, kT + 20 * kMin);  // Munich -> Hamburg (~610 km)
  EXPECT_EQ(kinds(v.alerts), std::vector<std::string>{"impossible_travel"});
  EXPECT_TRUE(v.answer.suspected_clone);
  EXPECT_FALSE(v.answer.verified);
  EXPECT_EQ(trace::verify_answer_json(v.answer).at("suspectedClone").as_bool(), true);
  auto a = *book_->get(v.alerts.front());
  EXPECT_EQ(a->items, std::vector<std::string>{key("A1")});
  EXPECT_EQ(a->verification_ids.size(), 2u);  // both scans are the evidence
}

TEST_F(DetectionTest, TwoShopsOfOneCityMinutesApartNeverAlarm) {
  commission({"A1"});
  verify("A1", &kPharmacy, kT);
  auto v = verify("A1", &kPharmacyAcrossTown, kT + 2 * kMin);
  EXPECT_TRUE(v.alerts.empty());
  EXPECT_FALSE(v.answer.suspected_clone);
  // And far apart, but with a day between (a truck could do it): silent too.
  EXPECT_TRUE(verify("A1", &kWholesaler, kT + 24 * kHours).alerts.empty());
}

TEST_F(DetectionTest, AConsumerScanNearTheShopAfterDispensingIsGenuine) {
  commission({"A1"});
  verify("A1", &kPharmacy, kT - kMin);
  dispense("A1", kPharmacy, kT);
  auto v = verify("A1", nullptr, kT + 10 * kMin, "consumer:42", trace::GeoPoint{48.15, 11.6});
  EXPECT_TRUE(v.alerts.empty());
  // The same consumer scan 600 km away ten minutes later is a copy.
  auto far = verify("A1", nullptr, kT + 20 * kMin, "consumer:43", trace::GeoPoint{48.86, 2.35});
  EXPECT_TRUE(has(kinds(far.alerts), "impossible_travel"));
}

TEST_F(DetectionTest, ADispensedPackDispensedAgainIsAClone) {
  commission({"A1", "A2"});
  EXPECT_TRUE(dispense("A1", kPharmacy, kT).empty());
  auto scan = verify("A1", &kPharmacyAcrossTown, kT + 3 * 24 * kHours);
  EXPECT_TRUE(has(kinds(scan.alerts), "verified_after_decommission"));
  EXPECT_TRUE(scan.answer.suspected_clone);
  EXPECT_TRUE(
      has(dispense("A1", kPharmacyAcrossTown, kT + 3 * 24 * kHours + kMin), "dispensed_twice"));
  // The twin: dispensed once, verified at the counter before: nothing.
  EXPECT_TRUE(verify("A2", &kPharmacy, kT - kMin).alerts.empty());
  EXPECT_TRUE(dispense("A2", kPharmacy, kT).empty());
  EXPECT_EQ(book_->list(filter_item(key("A2")))->size(), 0u);
}

TEST_F(DetectionTest, ADecommissionedSerialBackInTheChainIsReuse) {
  commission({"A1", "A2"});
  dispense("A1", kPharmacy, kT);
  EXPECT_TRUE(has(receive("A1", kWholesaler, kT + 30 * 24 * kHours), "reuse_after_decommission"));
  receive("A2", kWholesaler, kT);
  EXPECT_TRUE(receive("A2", kPharmacy, kT + 24 * kHours).empty());
}

TEST_F(DetectionTest, AnEventOnANeverCommissionedSerialAlarms) {
  EXPECT_TRUE(has(receive("NEVER1", kWholesaler, kT), "not_commissioned"));
  commission({"A1"});
  EXPECT_TRUE(receive("A1", kWholesaler, kT).empty());
}

// A document's alerts go into the book together (one transaction), each with its own
// id, in the order of the events that raised them.
TEST_F(DetectionTest, ADocumentsAlertsAreBookedTogetherInEventOrder) {
  std::vector<epcis::Event> doc;
  for (const char* serial : {"NEVER1", "NEVER2", "NEVER3"}) {
    doc.push_back(object(epcis::Action::kObserve, {sgtin(serial)}, kWholesaler, kT, "receiving",
                         "in_progress"));
    doc.back().event_id = std::string("urn:uuid:det-doc-") + serial;
  }
  auto r = detector_->capture(*store_, doc, master_data());
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->alerts.size(), 3u);
  EXPECT_LT(r->alerts[0], r->alerts[1]);
  EXPECT_LT(r->alerts[1], r->alerts[2]);
  for (size_t i = 0; i < 3; ++i) {
    auto a = *book_->get(r->alerts[i]);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->kind, "not_commissioned");
    EXPECT_EQ(a->items, std::vector<std::string>{key("NEVER" + std::to_string(i + 1))});
  }
  EXPECT_EQ(book_->list({})->size(), 3u);
}

TEST_F(DetectionTest, SoldInAnotherMarketThanItsShipmentReachedIsDiversion) {
  commission({"A1", "A2"});
  receive("A1", kPharmacy, kT);
  receive("A2", kPharmacy, kT);
  auto scan = verify("A1", &kPharmacyAbroad, kT + 3 * 24 * kHours);
  EXPECT_TRUE(has(kinds(scan.alerts), "diversion"));
  EXPECT_TRUE(has(dispense("A1", kPharmacyAbroad, kT + 3 * 24 * kHours + kMin), "diversion"));
  // The twin: sold in the market it was shipped to.
  EXPECT_TRUE(verify("A2", &kPharmacyAcrossTown, kT + 3 * 24 * kHours).alerts.empty());
  EXPECT_TRUE(dispense("A2", kPharmacyAcrossTown, kT + 3 * 24 * kHours + kMin).empty());
}

TEST_F(DetectionTest, AUnitSeenAloneElsewhereWhileItsCaseHoldsItIsTampering) {
  const std::string kCase = "urn:epc:id:sscc:9520123.0000000001";
  commission({"A1", "A2"});
  epcis::Event pack;
  pack.type = epcis::EventType::kAggregation;
  pack.action = epcis::Action::kAdd;
  pack.event_time = {kT - 24 * kHours, 0};
  pack.parent_id = kCase;
  pack.epc_list = {sgtin("A1"), sgtin("A2")};
  pack.biz_step = "urn:epcglobal:cbv:bizstep:packing";
  pack.biz_location = kWholesaler.sgln;
  capture(pack);
  auto scan = verify("A1", &kPharmacy, kT + kMin);
  EXPECT_TRUE(has(receive("A1", kPharmacy, kT), "unit_outside_case"));
  EXPECT_TRUE(has(kinds(scan.alerts), "unit_outside_case"));
  // The twin: the case unpacked at the pharmacy first, then the unit is seen there.
  epcis::Event unpack = pack;
  unpack.action = epcis::Action::kDelete;
  unpack.event_time = {kT + kHours, 0};
  unpack.epc_list = {sgtin("A2")};
  unpack.biz_location = kPharmacy.sgln;
  capture(unpack);
  EXPECT_TRUE(receive("A2", kPharmacy, kT + 2 * kHours).empty());
  EXPECT_TRUE(verify("A2", &kPharmacy, kT + 2 * kHours).alerts.empty());
}

TEST_F(DetectionTest, AnEventDatedBeforeTheItemsLastOneIsOutOfSequence) {
  commission({"A1", "A2"});
  receive("A1", kPharmacy, kT);
  EXPECT_TRUE(has(capture(object(epcis::Action::kObserve, {sgtin("A1")}, kPharmacy,
                                 kT - 48 * kHours, "stock_taking", "sellable_accessible")),
                  "out_of_sequence"));
  receive("A2", kPharmacy, kT);
  EXPECT_TRUE(capture(object(epcis::Action::kObserve, {sgtin("A2")}, kPharmacy, kT + kHours,
                             "stock_taking", "sellable_accessible"))
                  .empty());
}

TEST_F(DetectionTest, AClientGuessingSerialsOneAfterAnotherIsSequentialGuessing) {
  commission({"A100"});
  std::vector<std::string> raised;
  for (int i = 1; i <= 3; ++i)
    for (auto& k : kinds(
             verify("A10" + std::to_string(i), nullptr, kT + i * 5'000'000'000LL, "consumer:probe")
                 .alerts))
      raised.push_back(k);
  EXPECT_EQ(raised, std::vector<std::string>{"sequential_guessing"});
  auto a = book_->list(filter_kind("sequential_guessing"))->front();
  EXPECT_EQ(a.verification_ids.size(), 3u);
  EXPECT_EQ(a.items.front(), "consumer:probe");
}

TEST_F(DetectionTest, RandomUnknownSerialsFromOneClientAreProbing) {
  commission({"A100"});
  for (const char* s : {"XQ7Z91", "B00PL2", "77KD0A"}) verify(s, nullptr, kT, "consumer:random");
  EXPECT_EQ(all_kinds(), std::vector<std::string>{"probing"});
}

TEST_F(DetectionTest, AnUnknownSerialAmongManyGenuineScansIsATypoNotAProbe) {
  std::vector<std::string> serials;
  for (int i = 0; i < 10; ++i) serials.push_back("G" + std::to_string(i));
  commission(serials);
  int64_t t = kT;
  for (const auto& s : serials) verify(s, &kPharmacy, t += kMin);
  verify("TYPO1", &kPharmacy, t += kMin);
  verify("TYPO2", &kPharmacy, t += kMin);
  verify("TYPO3", &kPharmacy, t += kMin);  // 3 of 13 in the window: under half
  EXPECT_TRUE(all_kinds().empty());
}

TEST_F(DetectionTest, AVerificationSpikeAboveTheBaselineAlarmsAndDailyNoiseDoesNot) {
  std::vector<std::string> serials;
  for (int i = 0; i < 150; ++i) serials.push_back("S" + std::to_string(i));
  commission(serials);
  size_t next = 0;
  const int64_t day = 24 * kHours;
  for (int d = 0; d < 16; ++d)  // 3 to 5 a day, double scans included
    for (int k = 0; k < 3 + d % 3; ++k)
      verify(serials[next++ % 40], &kPharmacy, kT + d * day + k * kMin);
  EXPECT_TRUE(all_kinds().empty());
  std::vector<std::string> raised;
  for (int k = 0; k < 40; ++k)
    for (auto& x :
         kinds(verify(serials[40 + next++ % 100], &kPharmacy, kT + 16 * day + k * kMin).alerts))
      raised.push_back(x);
  EXPECT_EQ(raised, std::vector<std::string>{"verification_spike"});
}

TEST_F(DetectionTest, AlertsMoveNewInvestigatingClosedAndAreCountedPerKind) {
  commission({"A1"});
  verify("A1", &kPharmacy, kT);
  auto id = verify("A1", &kWholesaler, kT + 5 * kMin).alerts.front();
  EXPECT_EQ(trace::list_alerts(*book_, query_state("new"))->size(), 1u);
  EXPECT_EQ(trace::list_alerts(*book_, query_item(sgtin("A1")))->size(), 1u);  // any form
  EXPECT_FALSE(trace::list_alerts(*book_, query_state("open")));
  EXPECT_FALSE(trace::move_alert(*book_, id, "closed", ""));  // a reason is required
  EXPECT_EQ(trace::move_alert(*book_, id, "investigating", "")->state,
            store::AlertState::kInvestigating);
  auto closed = trace::move_alert(*book_, id, "closed", "confirmed counterfeit, reported");
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->close_reason, "confirmed counterfeit, reported");
  auto again = trace::move_alert(*book_, id, "investigating", "");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, trace::ServiceError::Kind::kInvalidArgument);
  EXPECT_EQ(trace::move_alert(*book_, 999, "closed", "x").error().kind,
            trace::ServiceError::Kind::kNotFound);
  auto counts = *trace::alert_counts(*book_);
  EXPECT_EQ(counts["impossible_travel"], (store::AlertBook::KindCount{1, 0}));
  EXPECT_EQ(counts["probing"], (store::AlertBook::KindCount{0, 0}));
  auto json = trace::alert_json(*trace::get_alert(*book_, id));
  EXPECT_EQ(json.at("state").as_string(), "closed");
  EXPECT_EQ(json.at("claims").as_string(), "clone");
  EXPECT_EQ(json.at("evidence").at("verifications").as_array().size(), 2u);
}

// The detector's rules take its lock per event, not for a whole capture: verifications
// are answered while a long capture runs (before, each waited for the capture's end).
TEST_F(DetectionTest, VerificationsAreAnsweredWhileALongCaptureRuns) {
  commission({"1"});
  std::vector<epcis::Event> events;
  for (int i = 0; i < 5000; ++i) {
    std::vector<std::string> epcs;
    for (int k = 0; k < 4; ++k) epcs.push_back(sgtin("b" + std::to_string(4 * i + k)));
    events.push_back(object(epcis::Action::kAdd, epcs, kPlant, t_at("2026-01-11T08:00:00Z"),
                            "commissioning", "active"));
    events.back().event_id = "urn:uuid:long-capture-" + std::to_string(i);
  }
  std::atomic<bool> started = false, done = false;
  std::thread capturing([&] {
    started = true;
    auto r = detector_->capture(*store_, events, master_data());
    EXPECT_TRUE(r) << r.error().message;
    done = true;
  });
  while (!started) std::this_thread::yield();
  int answered_during = 0;
  while (!done) {
    auto v = verify("1", &kPharmacy, t_at("2026-01-12T09:00:00Z"));
    EXPECT_TRUE(v.answer.verified) << v.answer.message;
    if (!done) ++answered_during;
  }
  capturing.join();
  // One verification may slip in before the capture starts; the rest waited, before.
  EXPECT_GE(answered_during, 3) << answered_during;
}

TEST(GeoUri, ParsesRfc5870PointsAndRefusesOthers) {
  auto p = trace::parse_geo_uri("geo:48.13700,11.57500;u=10");
  ASSERT_TRUE(p);
  EXPECT_DOUBLE_EQ(p->latitude, 48.137);
  EXPECT_FALSE(trace::parse_geo_uri("geo:91,0"));
  EXPECT_FALSE(trace::parse_geo_uri("urn:epc:id:sgln:9520123.00003.0"));
  EXPECT_NEAR(trace::great_circle_km({48.137, 11.575}, {48.857, 2.352}), 685, 10);
}

}  // namespace
}  // namespace serialtrack::testing

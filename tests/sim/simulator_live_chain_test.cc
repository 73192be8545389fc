// The simulator as a live feed: stopped at a moment (Config::until_unix_seconds), it
// hands out the chain as it stands then, with labels only of what was handed out; and
// with documents ending at scans (Config::documents_end_at_scans), a receiver that acts
// on arrival sees each scan after the events recorded before it and before the later ones.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "sim/recording_sink.h"
#include "sim/simulator.h"

namespace serialtrack::sim {
namespace {

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kDay = 86'400;

Config chain(uint64_t items) {
  Config c;
  c.items = items;
  c.seed = 5;
  c.anomalies = AnomalyRates::all(0.05);
  return c;
}

RecordingSink run(const Config& config) {
  RecordingSink sink;
  auto r = simulate(config, sink);
  EXPECT_TRUE(r) << r.error().message;
  return sink;
}

// Ids of the events handed out, and of the events some label says are out of sequence
// (dated before the moment they are recorded).
std::set<std::string> event_ids(const RecordingSink& s) {
  std::set<std::string> ids;
  for (const auto& d : s.documents)
    for (const auto& e : d.events) ids.insert(e.event_id);
  return ids;
}
std::set<std::string> late_event_ids(const RecordingSink& s) {
  std::set<std::string> ids;
  for (const auto& l : s.labels)
    if (l.kind == AnomalyKind::kOutOfSequence) ids.insert(l.event_ids.begin(), l.event_ids.end());
  return ids;
}

TEST(SimulatorUntil, HandsOutOnlyWhatIsRecordedBeforeTheMomentAndEverythingThatIs) {
  Config whole = chain(2000);
  Config live = whole;
  live.until_unix_seconds = whole.start_unix_seconds + 12 * kDay;
  RecordingSink all = run(whole), cut = run(live);
  const int64_t until = live.until_unix_seconds * kSecond;

  std::set<std::string> kept = event_ids(cut), late = late_event_ids(all);
  ASSERT_FALSE(kept.empty());
  size_t before = 0;
  for (const auto& d : all.documents)
    for (const auto& e : d.events) {
      if (late.count(e.event_id)) continue;  // dated earlier than recorded: either way
      bool is_kept = kept.count(e.event_id) > 0;
      EXPECT_EQ(is_kept, e.event_time.unix_nanos < until) << e.event_id;
      before += e.event_time.unix_nanos < until ? 1 : 0;
    }
  EXPECT_LT(kept.size(), event_ids(all).size());  // the chain is still going on
  EXPECT_GE(kept.size(), before);

  std::set<std::string> scans;
  for (const auto& v : cut.verifications) {
    EXPECT_LT(v.time.unix_nanos, until) << v.id;
    scans.insert(v.id);
  }
  for (const auto& v : all.verifications) {
    if (v.time.unix_nanos < until) {
      EXPECT_TRUE(scans.count(v.id)) << v.id;
    }
  }

  // Labels name only what was handed out; each label of the whole run that began before
  // the moment is there.
  ASSERT_FALSE(cut.labels.empty());
  for (const auto& l : cut.labels) {
    EXPECT_FALSE(l.event_ids.empty() && l.verification_ids.empty());
    for (const auto& id : l.event_ids) EXPECT_TRUE(kept.count(id)) << id;
    for (const auto& id : l.verification_ids) EXPECT_TRUE(scans.count(id)) << id;
    if (l.kind == AnomalyKind::kProbing) {  // each guessed scan with its verification
      EXPECT_EQ(l.identifiers.size(), l.verification_ids.size());
    }
  }
  size_t begun = 0;
  for (const auto& l : all.labels) begun += l.time.unix_nanos < until ? 1 : 0;
  EXPECT_GE(cut.labels.size(), begun);
  EXPECT_TRUE(cut.truths.empty());  // the truths are the ends of lives not lived yet
}

TEST(SimulatorUntil, AMomentBeforeTheFirstLotHandsOutNothing) {
  Config live = chain(200);
  live.until_unix_seconds = live.start_unix_seconds;
  RecordingSink cut = run(live);
  EXPECT_TRUE(cut.documents.empty());
  EXPECT_TRUE(cut.verifications.empty());
  EXPECT_TRUE(cut.labels.empty());
  live.until_unix_seconds = -1;
  EXPECT_TRUE(validate(live));
}

TEST(SimulatorScanOrder, EachScanArrivesAfterTheEventsBeforeItAndBeforeTheLaterOnes) {
  Config c = chain(40);  // one lot: its steps are in time order
  c.anomalies = AnomalyRates::all(0.2);
  c.consumer_scan_rate = 0.5;
  c.documents_end_at_scans = true;
  RecordingSink sink;
  auto summary = simulate(c, sink);
  ASSERT_TRUE(summary) << summary.error().message;
  ASSERT_EQ(summary->lots, 1u);
  std::set<std::string> late;
  for (const auto& l : sink.labels)
    if (l.kind == AnomalyKind::kOutOfSequence) late.insert(l.event_ids.begin(), l.event_ids.end());

  size_t scans = 0;
  for (size_t i = 0; i < sink.verifications.size(); ++i) {
    const Verification& v = sink.verifications[i];
    ++scans;
    for (size_t j = 0; j < sink.documents.size(); ++j) {
      for (const auto& e : sink.documents[j].events) {
        if (late.count(e.event_id)) continue;
        if (j < sink.documents_before[i])
          EXPECT_LE(e.event_time.unix_nanos, v.time.unix_nanos) << e.event_id << " " << v.id;
        else
          EXPECT_GE(e.event_time.unix_nanos, v.time.unix_nanos) << e.event_id << " " << v.id;
      }
    }
  }
  EXPECT_GT(scans, 10u);

  // The same events and scans as in large documents, in the same order.
  c.documents_end_at_scans = false;
  RecordingSink big = run(c);
  std::vector<std::string> split_events, big_events, split_scans, big_scans;
  for (const auto& d : sink.documents)
    for (const auto& e : d.events) split_events.push_back(e.event_id);
  for (const auto& v : sink.verifications) split_scans.push_back(v.id);
  for (const auto& d : big.documents)
    for (const auto& e : d.events) big_events.push_back(e.event_id);
  for (const auto& v : big.verifications) big_scans.push_back(v.id);
  EXPECT_EQ(split_events, big_events);
  EXPECT_EQ(split_scans, big_scans);
  EXPECT_GT(summary->documents, big.documents.size());
}

}  // namespace
}  // namespace serialtrack::sim

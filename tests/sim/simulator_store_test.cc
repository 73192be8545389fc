// The simulator's chain captured into a real store through trace::capture: the
// genuine items end in the state the simulator planned, the genuine flow raises no
// lifecycle alert, and every alert the store raises names an injected anomaly.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "sim/recording_sink.h"
#include "sim/simulator.h"
#include "trace/capture.h"

namespace serialtrack::sim {
namespace {

std::unique_ptr<store::Store> fresh_store(const std::string& name) {
  auto p = std::filesystem::path(::testing::TempDir()) / (name + ".db");
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(p.string() + suffix);
  auto s = store::open_sqlite(p.string(), {.durable = false});
  EXPECT_TRUE(s) << s.error().message;
  return std::move(*s);
}

// Captures each document as it comes, as `serialtrack simulate --db` does; keeps the
// rest. Stops (refuses) after the document where stop_after says so.
class StoreSink : public RecordingSink {
 public:
  explicit StoreSink(store::Store& store) : store_(store) {}
  std::function<bool(const epcis::Document&)> stop_after;

  std::optional<SinkError> document(const epcis::Document& doc) override {
    auto r = trace::capture(store_, doc.events, doc.master_data);
    if (!r) return SinkError{r.error().message};
    EXPECT_EQ(r->accepted, doc.events.size());
    if (stop_after && stop_after(doc)) return SinkError{"stopped"};
    return std::nullopt;
  }

 private:
  store::Store& store_;
};

// Runs a simulation of items packs (seed, rates) into a fresh store; the sink keeps the rest.
Summary simulate_into(StoreSink& sink, uint64_t items, uint64_t seed, const AnomalyRates& rates,
                      double recall_rate = 0.02, double return_rate = 0.01) {
  Config c;
  c.items = items;
  c.seed = seed;
  c.anomalies = rates;
  c.recall_rate = recall_rate;
  c.return_rate = return_rate;
  auto summary = simulate(c, sink);
  EXPECT_TRUE(summary) << summary.error().message;
  return summary ? *summary : Summary{};
}

trace::ItemState state_of(store::Store& store, const std::string& id) {
  auto s = trace::item_state(store, id);
  EXPECT_TRUE(s && *s) << id;
  return s && *s ? **s : trace::ItemState{};
}

TEST(SimulatorIntoStore, GenuineItemsEndAsPlannedAndRaiseNoAlert) {
  auto store = fresh_store("sim_genuine");
  StoreSink sink(*store);
  // Enough recalls and returns to see them in 3,000 packs.
  auto summary = simulate_into(sink, 3000, 5, AnomalyRates::all(0), 0.3, 0.03);
  EXPECT_GT(summary.recalled_lots, 0u);
  EXPECT_GT(summary.returned, 0u);
  EXPECT_GT(summary.dispensed, 0u);
  EXPECT_GT(summary.sold, 0u);

  auto alerts = store->alerts("");
  ASSERT_TRUE(alerts);
  EXPECT_TRUE(alerts->empty()) << alerts->size() << " alerts, the first: " << alerts->front().kind
                               << " " << alerts->front().item << " " << alerts->front().reason;
  std::map<ItemTruth::Fate, int> fates;
  for (const auto& t : sink.truths) {
    ASSERT_FALSE(t.anomalous);
    trace::ItemState s = state_of(*store, t.id);
    ++fates[t.fate];
    EXPECT_TRUE(s.commissioned) << t.id;
    EXPECT_EQ(s.decommissioned,
              t.fate == ItemTruth::Fate::kDispensed || t.fate == ItemTruth::Fate::kDestroyed)
        << t.id;
    EXPECT_EQ(s.disposition, t.disposition) << t.id;
    EXPECT_EQ(s.biz_location, t.biz_location) << t.id;
    EXPECT_EQ(s.owner, t.owner) << t.id;
    EXPECT_EQ(s.possessor, t.owner) << t.id;
    EXPECT_EQ(s.parent, "") << t.id;  // every case and pallet was unpacked
    if (t.kind == ItemTruth::Kind::kUnit) {
      EXPECT_EQ(s.lot, t.lot) << t.id;
      EXPECT_EQ(s.expiry, t.expiry) << t.id;
    }
  }
  EXPECT_GT(fates[ItemTruth::Fate::kDestroyed], 0);
  EXPECT_EQ(fates[ItemTruth::Fate::kDispensed], static_cast<int>(summary.dispensed));
  EXPECT_EQ(fates[ItemTruth::Fate::kSold], static_cast<int>(summary.sold));
}

TEST(SimulatorIntoStore, APalletInTransitHoldsItsCasesAndTheirUnits) {
  auto store = fresh_store("sim_transit");
  StoreSink sink(*store);
  std::string pallet;
  // One event a document; stop once the first pallet leaves its plant.
  sink.stop_after = [&](const epcis::Document& doc) {
    const auto& e = doc.events[0];
    if (!e.biz_step.ends_with(":shipping")) return false;
    pallet = e.epc_list[0];
    return true;
  };
  Config c;
  c.items = 1500;
  c.events_per_document = 1;
  auto r = simulate(c, sink);
  ASSERT_FALSE(r);
  ASSERT_EQ(r.error().message, "stopped");
  ASSERT_TRUE(pallet.starts_with("urn:epc:id:sscc:"));
  size_t units = 0, cases = 0;
  std::set<std::string> case_ids;
  for (const auto& t : sink.truths) {
    if (t.pallet_id != pallet) continue;
    trace::ItemState s = state_of(*store, t.id);
    EXPECT_EQ(s.disposition, "urn:epcglobal:cbv:disp:in_transit") << t.id;
    EXPECT_FALSE(s.decommissioned);
    if (t.kind == ItemTruth::Kind::kUnit) {
      ++units;
      EXPECT_EQ(s.parent, t.case_id) << t.id;
      EXPECT_EQ(s.lot, t.lot);
      case_ids.insert(t.case_id);
    } else {
      ++cases;
      EXPECT_EQ(s.parent, pallet) << t.id;
    }
  }
  EXPECT_GT(units, 0u);
  EXPECT_EQ(case_ids.size(), cases);
  auto contents = store->children(pallet);
  ASSERT_TRUE(contents);
  EXPECT_EQ(std::set<std::string>(contents->begin(), contents->end()), case_ids);
  trace::ItemState p = state_of(*store, pallet);
  EXPECT_EQ(p.child_count, cases);
  EXPECT_TRUE(store->alerts("")->empty());
}

TEST(SimulatorIntoStore, EveryAlertNamesAnInjectedAnomaly) {
  auto store = fresh_store("sim_anomalies");
  StoreSink sink(*store);
  simulate_into(sink, 4000, 9, AnomalyRates::all(0.01));
  std::map<std::string, std::set<AnomalyKind>> labelled;  // item -> kinds
  for (const auto& l : sink.labels)
    for (const auto& id : l.identifiers) labelled[id].insert(l.kind);
  auto alerts = store->alerts("", 100000);
  ASSERT_TRUE(alerts);
  ASSERT_FALSE(alerts->empty());
  std::map<std::string, std::set<std::string>> alerted;  // item -> alert kinds
  for (const auto& a : *alerts) {
    EXPECT_TRUE(labelled.count(a.item))
        << a.kind << " on " << a.item << ": no anomaly was injected there";
    alerted[a.item].insert(a.kind);
  }
  // The lifecycle rules the store has already catch these kinds on their own items.
  for (const auto& l : sink.labels) {
    const std::string& item = l.identifiers[0];
    if (l.kind == AnomalyKind::kReuse ||
        (l.kind == AnomalyKind::kClone && l.variant == "after_dispense")) {
      EXPECT_TRUE(alerted[item].count("after_decommission"))
          << anomaly_kind_name(l.kind) << " " << item;
    }
    if (l.kind == AnomalyKind::kOutOfSequence) {
      EXPECT_TRUE(alerted[item].count("out_of_order")) << item;
    }
  }
}

}  // namespace
}  // namespace serialtrack::sim

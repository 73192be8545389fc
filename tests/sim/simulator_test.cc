// The simulator on its own: reproducible for a seed, every identifier valid GS1, every
// document valid EPCIS 2.0 JSON with the master data of what it names, each anomaly
// kind at its configured rate with a label that points at real events and scans,
// and memory bounded by the lot, not by the number of items.
#include "sim/simulator.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <map>
#include <set>

#include "epcis/json_codec.h"
#include "gs1/identify.h"
#include "sim/recording_sink.h"
#include "sim/records.h"
#include "sim/world.h"

namespace serialtrack::sim {
namespace {

constexpr int64_t kHour = 3'600'000'000'000;

RecordingSink run(const Config& config) {
  RecordingSink sink;
  auto r = simulate(config, sink);
  EXPECT_TRUE(r) << r.error().message;
  return sink;
}

Config with_anomalies(uint64_t items, double rate, uint64_t seed = 11) {
  Config c;
  c.items = items;
  c.seed = seed;
  c.anomalies = AnomalyRates::all(rate);
  return c;
}

TEST(Simulator, SameSeedGivesByteIdenticalOutput) {
  Config c = with_anomalies(3000, 0.01);
  std::string first = run(c).text(), second = run(c).text();
  EXPECT_GT(first.size(), 1'000'000u);
  EXPECT_EQ(first, second);
}

TEST(Simulator, DifferentSeedGivesDifferentOutput) {
  std::string a = run(with_anomalies(1000, 0.01, 1)).text();
  std::string b = run(with_anomalies(1000, 0.01, 2)).text();
  EXPECT_NE(a, b);
}

TEST(Simulator, GenuineFlowDoesNotDependOnTheAnomalyRates) {
  // The genuine events of a run with anomalies are those of the run without, except
  // the sales that diversion moves elsewhere.
  RecordingSink clean = run(with_anomalies(2000, 0));
  RecordingSink dirty = run(with_anomalies(2000, 0.02));
  std::set<std::string> dirty_ids;
  for (const auto& d : dirty.documents)
    for (const auto& e : d.events) dirty_ids.insert(e.event_id);
  size_t genuine = 0, missing = 0;
  for (const auto& d : clean.documents)
    for (const auto& e : d.events) ++genuine, missing += dirty_ids.count(e.event_id) ? 0 : 1;
  size_t diverted = 0;
  for (const auto& l : dirty.labels) diverted += l.kind == AnomalyKind::kDiversion ? 1 : 0;
  EXPECT_GT(diverted, 0u);
  EXPECT_EQ(missing, diverted) << "of " << genuine;
}

void expect_valid(const std::string& id, gs1::EpcScheme scheme) {
  auto r = gs1::identify(id);
  ASSERT_TRUE(r) << id << ": " << r.error().message;
  ASSERT_TRUE(r->epc) << id;
  EXPECT_EQ(r->epc->scheme, scheme) << id;
}

// PGLN URNs (CBV 2.0 §8.4) are not EPCs: the GLN they carry is the site's SGLN's.
void expect_valid_party(const std::string& party) {
  const std::string prefix = "urn:epc:id:pgln:";
  ASSERT_EQ(party.compare(0, prefix.size(), prefix), 0) << party;
  expect_valid("urn:epc:id:sgln:" + party.substr(prefix.size()) + ".0", gs1::EpcScheme::SGLN);
}

TEST(Simulator, EveryGeneratedIdentifierIsValid) {
  RecordingSink s = run(with_anomalies(2000, 0.02));
  std::set<std::string> seen;  // each distinct identifier checked once
  auto check = [&](const std::string& id, gs1::EpcScheme scheme) {
    if (seen.insert(id).second) expect_valid(id, scheme);
  };
  for (const auto& d : s.documents)
    for (const auto& e : d.events) {
      for (const auto& id : e.epc_list)
        check(id,
              id.starts_with("urn:epc:id:sscc:") ? gs1::EpcScheme::SSCC : gs1::EpcScheme::SGTIN);
      if (!e.parent_id.empty()) check(e.parent_id, gs1::EpcScheme::SSCC);
      check(e.read_point, gs1::EpcScheme::SGLN);
      if (!e.biz_location.empty()) check(e.biz_location, gs1::EpcScheme::SGLN);
      for (const auto* refs : {&e.sources, &e.destinations})
        for (const auto& r : *refs) {
          if (r.type.ends_with(":location"))
            check(r.value, gs1::EpcScheme::SGLN);
          else if (seen.insert(r.value).second)
            expect_valid_party(r.value);
        }
    }
  for (const auto& v : s.verifications) {
    auto r = gs1::identify(v.identifier);
    ASSERT_TRUE(r) << v.identifier << ": " << r.error().message;
    EXPECT_TRUE(r->gtin() && r->serial() && r->lot() && r->expiry()) << v.identifier;
    if (v.role == "consumer") {
      EXPECT_TRUE(v.location.starts_with("geo:")) << v.location;
    } else {
      check(v.location, gs1::EpcScheme::SGLN);
      expect_valid_party(v.client);
    }
  }
  for (const auto& t : s.truths) {
    if (t.kind == ItemTruth::Kind::kUnit) {
      EXPECT_TRUE(gs1::identify(t.scan)) << t.scan;
    }
  }
  EXPECT_GT(seen.size(), 2000u);
}

TEST(Simulator, EveryDocumentDecodesAndCarriesTheMasterDataOfWhatItNames) {
  Config c = with_anomalies(2000, 0.02);
  c.events_per_document = 250;
  RecordingSink s = run(c);
  ASSERT_GT(s.documents.size(), 5u);
  for (size_t i = 0; i < s.documents.size(); ++i) {
    const auto& doc = s.documents[i];
    std::string text = epcis::encode_json(doc);
    auto decoded = epcis::decode_json(text);
    ASSERT_TRUE(decoded) << "document " << i << ": event " << decoded.error().event_index << " "
                         << decoded.error().field << ": " << decoded.error().message;
    EXPECT_EQ(epcis::encode_json(*decoded), text) << "document " << i;
    EXPECT_LE(decoded->events.size(), 250u);
    EXPECT_TRUE(decoded->creation_date);
    // Locations named by events are described in the header, with their read points
    // as children (the location hierarchy).
    std::map<std::string, std::map<std::string, std::string>> described;
    std::set<std::string> children;
    for (const auto& vocabulary : decoded->master_data)
      for (const auto& element : vocabulary.elements) {
        for (const auto& [k, v] : element.attributes) described[element.id][k] = v;
        if (vocabulary.type.ends_with(":BusinessLocation")) {
          EXPECT_EQ(element.children.size(), 3u) << element.id;
          children.insert(element.children.begin(), element.children.end());
        }
      }
    for (const auto& e : decoded->events) {
      EXPECT_FALSE(e.event_id.empty());
      EXPECT_TRUE(e.extensions.empty()) << "labels never go into the events";
      EXPECT_TRUE(children.count(e.read_point)) << e.read_point;
      for (const std::string& location : {e.read_point, e.biz_location}) {
        if (location.empty()) continue;
        const auto& attributes = described[location];
        for (const char* a : {"name", "countryCode", "latitude", "longitude"})
          EXPECT_TRUE(attributes.count(std::string("urn:epcglobal:cbv:mda#") + a))
              << location << " " << a;
      }
    }
  }
}

struct Stream {
  std::map<std::string, const epcis::Event*> events;  // by id
  std::map<std::string, const Verification*> verifications;
  std::map<std::string, std::pair<double, double>> coordinates;  // location -> lat, lon
  std::map<std::string, std::string> country;                    // location -> country code
  std::map<std::string, const ItemTruth*> truth;
};

Stream index(const RecordingSink& s) {
  Stream x;
  for (const auto& d : s.documents) {
    for (const auto& e : d.events) x.events[e.event_id] = &e;
    for (const auto& vocabulary : d.master_data)
      for (const auto& element : vocabulary.elements)
        for (const auto& [k, v] : element.attributes) {
          if (k.ends_with("#latitude")) x.coordinates[element.id].first = std::stod(v);
          if (k.ends_with("#longitude")) x.coordinates[element.id].second = std::stod(v);
          if (k.ends_with("#countryCode")) x.country[element.id] = v;
        }
  }
  for (const auto& v : s.verifications) x.verifications[v.id] = &v;
  for (const auto& t : s.truths) x.truth[t.id] = &t;
  return x;
}

TEST(Simulator, EachAnomalyKindAppearsAtItsConfiguredRateWithALabel) {
  const double rate = 0.01;
  RecordingSink s;
  auto summary = simulate(with_anomalies(20000, rate), s);
  ASSERT_TRUE(summary) << summary.error().message;
  Stream x = index(s);
  std::map<AnomalyKind, uint64_t> labelled;
  for (const auto& l : s.labels) {
    ++labelled[l.kind];
    ASSERT_FALSE(l.identifiers.empty());
    EXPECT_FALSE(l.event_ids.empty() && l.verification_ids.empty());
    for (const auto& id : l.event_ids) EXPECT_TRUE(x.events.count(id)) << id;
    for (const auto& id : l.verification_ids) EXPECT_TRUE(x.verifications.count(id)) << id;
  }
  for (AnomalyKind kind : kAnomalyKinds) {
    const auto& count = summary->anomalies.at(kind);
    EXPECT_EQ(count.injected, labelled[kind]) << anomaly_kind_name(kind);
    EXPECT_GT(count.eligible, summary->items / 2) << anomaly_kind_name(kind);
    double measured = static_cast<double>(count.injected) / static_cast<double>(count.eligible);
    EXPECT_NEAR(measured, rate, rate * 0.25) << anomaly_kind_name(kind);
  }
}

TEST(Simulator, EachLabelDescribesWhatMakesItAnAnomaly) {
  RecordingSink s = run(with_anomalies(10000, 0.01));
  Stream x = index(s);
  std::set<std::string> issued;
  for (const auto& t : s.truths) issued.insert(t.scan);
  std::map<std::string, int> variants;
  for (const auto& l : s.labels) {
    ++variants[std::string(anomaly_kind_name(l.kind)) + "/" + l.variant];
    const ItemTruth* truth = x.truth.count(l.identifiers[0]) ? x.truth[l.identifiers[0]] : nullptr;
    switch (l.kind) {
      case AnomalyKind::kClone: {
        ASSERT_TRUE(truth);
        const Verification& v = *x.verifications[l.verification_ids[0]];
        EXPECT_EQ(v.identifier, truth->scan);
        if (l.variant == "after_dispense") {
          EXPECT_EQ(truth->fate, ItemTruth::Fate::kDispensed);
          EXPECT_TRUE(x.events[l.event_ids[0]]->biz_step.ends_with(":dispensing"));
        } else {
          // Faster than any airliner between the genuine sale and the clone's scan.
          ASSERT_EQ(l.variant, "impossible_travel");
          auto [lat1, lon1] = x.coordinates[v.location];
          auto [lat2, lon2] = x.coordinates[truth->biz_location];
          double km = distance_km(lat1, lon1, lat2, lon2);
          EXPECT_GE(km, 50);
          const epcis::Event* sale = nullptr;
          for (const auto& [id, e] : x.events)
            if (e->epc_list == std::vector<std::string>{truth->id} &&
                e->biz_location == truth->biz_location &&
                (e->biz_step.ends_with(":dispensing") || e->biz_step.ends_with(":retail_selling")))
              sale = e;
          ASSERT_TRUE(sale) << truth->id;
          double hours =
              std::abs(static_cast<double>(v.time.unix_nanos - sale->event_time.unix_nanos)) /
              kHour;
          EXPECT_GT(km / hours, 1000) << truth->id;
        }
        break;
      }
      case AnomalyKind::kProbing:
        for (const auto& scan : l.identifiers) EXPECT_FALSE(issued.count(scan)) << scan;
        for (const auto& id : l.verification_ids)
          EXPECT_EQ(x.verifications[id]->client, x.verifications[l.verification_ids[0]]->client);
        break;
      case AnomalyKind::kDiversion: {
        ASSERT_TRUE(truth);
        const epcis::Event& sale = *x.events[l.event_ids[0]];
        EXPECT_NE(x.country[sale.biz_location], x.country[truth->biz_location]) << truth->id;
        break;
      }
      case AnomalyKind::kReuse:
        ASSERT_TRUE(truth);
        EXPECT_TRUE(truth->fate == ItemTruth::Fate::kDispensed ||
                    truth->fate == ItemTruth::Fate::kDestroyed);
        break;
      case AnomalyKind::kTamper:
        ASSERT_TRUE(truth);
        ASSERT_EQ(l.identifiers.size(), 2u);
        EXPECT_EQ(l.identifiers[1], truth->case_id);
        break;
      case AnomalyKind::kOutOfSequence: {
        ASSERT_TRUE(truth);
        // Dated before the unit's receipt at the pharmacy, which was recorded earlier.
        const epcis::Event& late = *x.events[l.event_ids[0]];
        bool earlier_recorded_later = false;
        for (const auto& d : s.documents)
          for (const auto& e : d.events) {
            if (&e == &late) break;
            if (e.parent_id == truth->case_id &&
                e.event_time.unix_nanos > late.event_time.unix_nanos)
              earlier_recorded_later = true;
          }
        EXPECT_TRUE(earlier_recorded_later) << truth->id;
        break;
      }
    }
  }
  for (const char* v :
       {"clone/after_dispense", "clone/impossible_travel", "probing/sequential", "probing/random",
        "diversion/dispensed_abroad", "diversion/sold_abroad", "reuse/dispensed",
        "tamper/unit_outside_case", "out_of_sequence/clock_behind"})
    EXPECT_GT(variants[v], 0) << v;
}

TEST(Simulator, EachKindHasItsOwnRate) {
  Config c = with_anomalies(5000, 0);
  c.anomalies.clone = 0.03;
  c.anomalies.out_of_sequence = 0.01;
  RecordingSink s;
  auto summary = simulate(c, s);
  ASSERT_TRUE(summary);
  std::map<AnomalyKind, int> kinds;
  for (const auto& l : s.labels) ++kinds[l.kind];
  EXPECT_EQ(kinds.size(), 2u);
  EXPECT_GT(kinds[AnomalyKind::kClone], 2 * kinds[AnomalyKind::kOutOfSequence]);
  EXPECT_GT(kinds[AnomalyKind::kOutOfSequence], 0);
}

// Logs the times of what arrives, a new lot starting at each run of truths.
class TimelineSink : public Sink {
 public:
  std::vector<std::vector<int64_t>> lots;  // per lot: event and scan times in arrival order
  std::optional<SinkError> document(const epcis::Document& doc) override {
    for (const auto& e : doc.events) lots.back().push_back(e.event_time.unix_nanos);
    in_truths_ = false;
    return std::nullopt;
  }
  std::optional<SinkError> verification(const Verification& v) override {
    lots.back().push_back(v.time.unix_nanos);
    in_truths_ = false;
    return std::nullopt;
  }
  std::optional<SinkError> label(const AnomalyLabel&) override { return std::nullopt; }
  std::optional<SinkError> truth(const ItemTruth&) override {
    if (!in_truths_) lots.emplace_back();
    in_truths_ = true;
    return std::nullopt;
  }

 private:
  bool in_truths_ = false;
};

TEST(Simulator, AGenuineLotArrivesInTimeOrderWithHoursAndDaysBetweenSteps) {
  Config c = with_anomalies(3000, 0);
  c.events_per_document = 1;  // so that verifications are not held back behind a document
  TimelineSink s;
  ASSERT_TRUE(simulate(c, s));
  ASSERT_GT(s.lots.size(), 5u);
  for (const auto& lot : s.lots) {
    ASSERT_GT(lot.size(), 100u);
    EXPECT_TRUE(std::is_sorted(lot.begin(), lot.end()));
    double days = static_cast<double>(lot.back() - lot.front()) / (24 * kHour);
    EXPECT_GT(days, 7) << "a lot lives for weeks: plant, distributor, wholesaler, shelves";
    EXPECT_LT(days, 400);
  }
}

TEST(Simulator, ZeroRatesInjectNothing) {
  RecordingSink s = run(with_anomalies(3000, 0));
  EXPECT_TRUE(s.labels.empty());
  for (const auto& t : s.truths) EXPECT_FALSE(t.anomalous);
}

// Counts without keeping anything.
class CountingSink : public Sink {
 public:
  uint64_t events = 0, verifications = 0;
  std::optional<SinkError> document(const epcis::Document& doc) override {
    events += doc.events.size();
    return std::nullopt;
  }
  std::optional<SinkError> verification(const Verification&) override {
    ++verifications;
    return std::nullopt;
  }
  std::optional<SinkError> label(const AnomalyLabel&) override { return std::nullopt; }
};

long peak_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

TEST(Simulator, MemoryStaysBoundedByTheLotNotTheItems) {
  Config small = with_anomalies(20000, 0.01), large = with_anomalies(200000, 0.01);
  CountingSink a, b;
  auto sa = simulate(small, a);
  long before = peak_rss_kib();
  auto sb = simulate(large, b);
  long growth_kib = peak_rss_kib() - before;
  ASSERT_TRUE(sa && sb);
  EXPECT_EQ(sb->items, 200000u);
  EXPECT_EQ(b.events, sb->events);
  EXPECT_GT(sb->events, 250000u);
  // One lot (at most 20 x 10 x 2 units and their events) plus one open document.
  uint64_t bound = 400 * 12 + 400 * 4 + small.events_per_document;
  EXPECT_LE(sa->peak_buffered, bound);
  EXPECT_LE(sb->peak_buffered, bound);
  // The large run holds 10 times the events of the small one over its life, yet its
  // peak memory grows by less than the events of one simulation of 20,000 would take.
  EXPECT_LT(growth_kib, 48 * 1024) << growth_kib << " KiB";
}

TEST(Simulator, RefusesABadConfigBeforeWritingAnything) {
  RecordingSink s;
  Config c;
  c.countries = {"DE", "XX"};
  auto r = simulate(c, s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, SimulateError::Kind::kConfig);
  EXPECT_NE(r.error().message.find("XX"), std::string::npos);
  c = Config{};
  c.items = 0;
  EXPECT_FALSE(simulate(c, s));
  c = Config{};
  c.anomalies.clone = 1.5;
  EXPECT_NE(validate(c)->message.find("clone"), std::string::npos);
  c = Config{};
  c.countries = {"FR", "FR"};
  EXPECT_TRUE(validate(c));
  c = Config{};
  c.shape.units_per_case_min = 30;
  EXPECT_TRUE(validate(c));
  EXPECT_TRUE(s.documents.empty() && s.verifications.empty() && s.truths.empty());
}

class RefusingSink : public RecordingSink {
 public:
  std::optional<SinkError> document(const epcis::Document& doc) override {
    if (documents.size() == 1) return SinkError{"disk full"};
    return RecordingSink::document(doc);
  }
};

TEST(Simulator, StopsWhenTheSinkRefuses) {
  RefusingSink s;
  auto r = simulate(with_anomalies(5000, 0), s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, SimulateError::Kind::kSink);
  EXPECT_EQ(r.error().message, "disk full");
  EXPECT_EQ(s.documents.size(), 1u);
}

}  // namespace
}  // namespace serialtrack::sim

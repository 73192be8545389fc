#include "sim/simulator.h"

#include <algorithm>
#include <set>

#include "sim/lot.h"
#include "sim/world.h"

namespace serialtrack::sim {

double AnomalyRates::of(AnomalyKind kind) const {
  switch (kind) {
    case AnomalyKind::kClone:
      return clone;
    case AnomalyKind::kProbing:
      return probing;
    case AnomalyKind::kDiversion:
      return diversion;
    case AnomalyKind::kReuse:
      return reuse;
    case AnomalyKind::kTamper:
      return tamper;
    case AnomalyKind::kOutOfSequence:
      return out_of_sequence;
  }
  return 0;
}

namespace {

// SSCC serial references hold the lot in 10^6 x 10 extension digits (lot.cc), and the
// 14-digit numeric FF1 serials 10^14 counters of lot << 20 | unit.
constexpr uint64_t kMaxLots = 10'000'000;

}  // namespace

std::optional<ConfigError> validate(const Config& c) {
  if (c.items == 0 || c.items > 1'000'000'000)
    return ConfigError{"items must be between 1 and 1,000,000,000"};
  for (AnomalyKind k : kAnomalyKinds) {
    double r = c.anomalies.of(k);
    if (!(r >= 0 && r <= 1))
      return ConfigError{std::string(anomaly_kind_name(k)) + " rate must be between 0 and 1"};
  }
  for (auto [name, r] : {std::pair<const char*, double>{"recall", c.recall_rate},
                         {"return", c.return_rate},
                         {"consumer scan", c.consumer_scan_rate},
                         {"double scan", c.double_scan_rate}})
    if (!(r >= 0 && r <= 1))
      return ConfigError{std::string(name) + " rate must be between 0 and 1"};
  if (c.events_per_document == 0) return ConfigError{"events per document must be at least 1"};
  const LotShape& s = c.shape;
  if (s.units_per_case_min < 1 || s.cases_per_pallet_min < 1 || s.pallets_per_lot_min < 1 ||
      s.units_per_case_min > s.units_per_case_max ||
      s.cases_per_pallet_min > s.cases_per_pallet_max ||
      s.pallets_per_lot_min > s.pallets_per_lot_max)
    return ConfigError{"lot shape: each minimum must be at least 1 and at most its maximum"};
  if (s.pallets_per_lot_max > 9 || s.cases_per_pallet_max * s.pallets_per_lot_max > 990)
    return ConfigError{"lot shape: at most 9 pallets and 990 cases a lot"};
  if (static_cast<int64_t>(s.units_per_case_max) * s.cases_per_pallet_max * s.pallets_per_lot_max >
      1'000'000)
    return ConfigError{"lot shape: at most 1,000,000 units a lot"};
  uint64_t min_lot =
      static_cast<uint64_t>(s.units_per_case_min) * s.cases_per_pallet_min * s.pallets_per_lot_min;
  if ((c.items + min_lot - 1) / min_lot > kMaxLots)
    return ConfigError{"too many lots: raise the lot shape's minimums or lower items"};
  if (c.lot_interval_seconds < 0) return ConfigError{"lot interval must not be negative"};
  if (c.until_unix_seconds < 0) return ConfigError{"until must not be before 1970"};
  std::set<std::string> seen;
  for (const auto& code : c.countries) {
    const auto& known = known_countries();
    if (std::none_of(known.begin(), known.end(), [&](const Country& k) { return k.code == code; }))
      return ConfigError{"unknown country code '" + code + "'"};
    if (!seen.insert(code).second) return ConfigError{"country '" + code + "' given twice"};
  }
  if (c.countries.empty()) return ConfigError{"no country given"};
  return std::nullopt;
}

namespace {

// Events gathered into documents with their master data; verifications held back until
// the document with the events recorded before them has gone out.
class DocumentWriter {
 public:
  DocumentWriter(const World& world, const Config& config, Sink& sink, Summary& summary)
      : world_(world), config_(config), sink_(sink), summary_(summary) {}

  std::optional<SinkError> event(epcis::Event&& e, size_t product) {
    for (const std::string* location : {&e.read_point, &e.biz_location})
      if (auto s = world_.site_of(*location)) sites_.insert(*s);
    for (const auto* refs : {&e.sources, &e.destinations})
      for (const auto& r : *refs)
        if (auto s = world_.site_of(r.value)) sites_.insert(*s);
    products_.insert(product);
    latest_ = std::max(latest_, e.event_time.unix_nanos);
    doc_.events.push_back(std::move(e));
    if (doc_.events.size() >= config_.events_per_document) return flush();
    return std::nullopt;
  }

  std::optional<SinkError> verification(Verification&& v) {
    if (config_.documents_end_at_scans)
      if (auto e = flush()) return e;
    if (doc_.events.empty()) {
      ++summary_.verifications;
      return sink_.verification(v);
    }
    held_.push_back(std::move(v));
    return std::nullopt;
  }

  std::optional<SinkError> flush() {
    if (!doc_.events.empty()) {
      doc_.creation_date = epcis::Timestamp{latest_, 0};  // reproducible, unlike the clock
      doc_.master_data = world_.master_data(sites_, products_);
      if (auto e = sink_.document(doc_)) return e;
      ++summary_.documents;
      summary_.events += doc_.events.size();
      doc_.events.clear();
      sites_.clear();
      products_.clear();
      latest_ = 0;
    }
    for (const auto& v : held_) {
      ++summary_.verifications;
      if (auto e = sink_.verification(v)) return e;
    }
    held_.clear();
    return std::nullopt;
  }

  size_t buffered() const { return doc_.events.size() + held_.size(); }

 private:
  const World& world_;
  const Config& config_;
  Sink& sink_;
  Summary& summary_;
  epcis::Document doc_;
  std::set<size_t> sites_, products_;
  int64_t latest_ = 0;
  std::vector<Verification> held_;
};

// Keeps of a label only the events and verifications handed out (not in cut); for
// probing, the guessed scans go with their verifications. False when nothing is left.
bool keep_emitted(AnomalyLabel& l, const std::set<std::string>& cut) {
  std::erase_if(l.event_ids, [&](const std::string& id) { return cut.count(id) > 0; });
  bool paired =
      l.kind == AnomalyKind::kProbing && l.identifiers.size() == l.verification_ids.size();
  for (size_t i = l.verification_ids.size(); i-- > 0;)
    if (cut.count(l.verification_ids[i]) > 0) {
      l.verification_ids.erase(l.verification_ids.begin() + static_cast<std::ptrdiff_t>(i));
      if (paired) l.identifiers.erase(l.identifiers.begin() + static_cast<std::ptrdiff_t>(i));
    }
  return !l.event_ids.empty() || !l.verification_ids.empty();
}

}  // namespace

Result<Summary, SimulateError> simulate(const Config& config, Sink& sink,
                                        const Progress& progress) {
  if (auto e = validate(config))
    return unexpected(SimulateError{SimulateError::Kind::kConfig, e->message});
  auto world = make_world({config.seed, config.countries, config.items});
  if (!world) return unexpected(SimulateError{SimulateError::Kind::kConfig, world.error().message});
  Summary summary;
  for (AnomalyKind k : kAnomalyKinds) summary.anomalies[k] = {};
  DocumentWriter writer(*world, config, sink, summary);
  auto refused = [](const SinkError& e) {
    return unexpected(SimulateError{SimulateError::Kind::kSink, e.message});
  };
  const bool cut_off = config.until_unix_seconds > 0;
  const int64_t until = config.until_unix_seconds * 1'000'000'000;
  std::set<std::string> cut;  // ids of the lot's steps recorded at or after until
  LotOutput lot;
  for (uint64_t lot_index = 0; summary.items < config.items; ++lot_index) {
    build_lot(*world, config, lot_index, config.items - summary.items, lot);
    summary.peak_buffered = std::max<uint64_t>(
        summary.peak_buffered, lot.events.size() + lot.verifications.size() + writer.buffered());
    if (!cut_off)
      for (const auto& t : lot.truths)
        if (auto e = sink.truth(t)) return refused(*e);
    cut.clear();
    for (const auto& step : lot.steps) {
      if (cut_off && step.emit >= until) {
        cut.insert(step.is_event ? lot.events[step.index].event_id
                                 : lot.verifications[step.index].id);
        continue;
      }
      auto e = step.is_event ? writer.event(std::move(lot.events[step.index]), lot.product)
                             : writer.verification(std::move(lot.verifications[step.index]));
      if (e) return refused(*e);
    }
    for (auto& l : lot.labels) {
      if (l.kind == AnomalyKind::kProbing && l.identifiers.empty())
        continue;                                           // every guess was skipped
      if (!cut.empty() && !keep_emitted(l, cut)) continue;  // it lies after until
      ++summary.anomalies[l.kind].injected;
      if (auto e = sink.label(l)) return refused(*e);
    }
    for (const auto& [kind, n] : lot.eligible) summary.anomalies[kind].eligible += n;
    summary.items += lot.units;
    summary.cases += lot.cases;
    summary.pallets += lot.pallets;
    ++summary.lots;
    summary.recalled_lots += lot.recalled ? 1 : 0;
    summary.returned += lot.returned;
    summary.dispensed += lot.dispensed;
    summary.sold += lot.sold;
    summary.destroyed += lot.destroyed;
    if (progress) progress(summary.items, config.items);
  }
  if (auto e = writer.flush()) return refused(*e);
  return summary;
}

}  // namespace serialtrack::sim

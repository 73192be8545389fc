// The supply-chain simulator (issue 7): a deterministic stream of EPCIS 2.0 events for
// packs made, packed, shipped, received, dispensed or sold, returned, recalled and
// destroyed across several countries; the verification scans of pharmacies,
// wholesalers and consumers; and labelled anomalies (clones, probing, diversion, reuse
// of decommissioned serials, aggregation tampering, out-of-sequence events) injected
// at configured rates. Everything goes to a Sink (sink.h).
//
// Streaming: the chain is generated lot by lot (one product, one packaging run, a few
// pallets); a lot's whole life is planned, sorted by the time each step is recorded,
// and handed out before the next lot is planned. Memory is bounded by the largest lot
// and one document, whatever the number of items (see README.md).
//
// Deterministic: the same Config gives byte-identical output. Thread-compatible: one
// simulate() call per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "sim/records.h"
#include "sim/sink.h"

namespace serialtrack::sim {

// The share of items (or, for probing, the number of probing sessions per item) that
// carry each anomaly. An item that cannot carry a kind (e.g. reuse needs a
// decommissioned pack) carries none: Summary reports how many could.
struct AnomalyRates {
  double clone = 0, probing = 0, diversion = 0, reuse = 0, tamper = 0, out_of_sequence = 0;
  // Every rate set to r.
  static AnomalyRates all(double r) { return {r, r, r, r, r, r}; }
  double of(AnomalyKind kind) const;
};

// The sizes of a lot: units per case, cases per pallet, pallets per lot (inclusive ranges).
struct LotShape {
  int units_per_case_min = 10, units_per_case_max = 20;
  int cases_per_pallet_min = 4, cases_per_pallet_max = 10;
  int pallets_per_lot_min = 1, pallets_per_lot_max = 2;
};

struct Config {
  uint64_t items = 1000;  // packs (units) to make; 1 .. 10^9
  uint64_t seed = 1;
  std::vector<std::string> countries = {"DE", "FR", "IT", "ES", "NL", "PL"};
  size_t events_per_document = 1000;
  AnomalyRates anomalies;
  double recall_rate = 0.02;                // share of lots recalled
  double return_rate = 0.01;                // share of packs returned unsold by the pharmacy
  double consumer_scan_rate = 0.08;         // share of sold/dispensed packs a consumer scans
  double double_scan_rate = 0.02;           // share of dispensings verified twice at the counter
  int64_t start_unix_seconds = 1767600000;  // 2026-01-05T08:00:00Z, the first lot
  int64_t lot_interval_seconds = 600;       // between the starts of two lots
  // When set, the chain as it stands at this moment: what would be recorded at or after
  // it is not handed out (a live chain: packs on shelves, pallets in transit), and
  // neither are item truths (they are the end of each item's life). 0: every life whole.
  int64_t until_unix_seconds = 0;
  // A document ends where a verification is recorded, so that a receiver acting on
  // arrival (a server, whose clock is the scan's time) gets each scan after exactly the
  // events recorded before it. More, smaller documents; the same events and scans.
  bool documents_end_at_scans = false;
  LotShape shape;
};

struct ConfigError {
  std::string message;
};

// The error of a config simulate() refuses, or nullopt: items 0 or above 10^9, a rate
// outside [0, 1], an unknown or repeated country, events_per_document 0, a bad lot
// shape (min > max, below 1, more than 999 cases a lot, more than 1,000 units a lot).
std::optional<ConfigError> validate(const Config& config);

struct Summary {
  uint64_t items = 0, cases = 0, pallets = 0, lots = 0;
  uint64_t events = 0, documents = 0, verifications = 0;  // handed out
  // As planned for each item's whole life (with Config::until_unix_seconds, also what
  // lies after it).
  uint64_t recalled_lots = 0, returned = 0, dispensed = 0, sold = 0, destroyed = 0;
  struct Count {
    uint64_t eligible = 0;  // items that could carry the kind
    uint64_t injected = 0;  // labels written (with until: those begun before it)
  };
  std::map<AnomalyKind, Count> anomalies;
  // The most events + verifications held at once (one lot's plan plus the open
  // document): bounded by the lot shape, not by items.
  uint64_t peak_buffered = 0;
};

struct SimulateError {
  enum class Kind : uint8_t { kConfig, kSink };
  Kind kind = Kind::kConfig;
  std::string message;
};

// Progress: called after each lot with the items made so far.
using Progress = std::function<void(uint64_t items_done, uint64_t items_total)>;

// Runs the simulation into sink. Errors: kConfig (validate()'s message) before anything
// is written; kSink when the sink refused (what was handed out before stays handed out).
Result<Summary, SimulateError> simulate(const Config& config, Sink& sink,
                                        const Progress& progress = {});

}  // namespace serialtrack::sim

// One lot's whole life, planned at once (internal to the simulator): the genuine flow
// (commissioning, packing, shipping and receiving through a distributor and a
// wholesaler to pharmacies or retailers, dispensing/selling, returns, recall,
// destruction, verification scans) and the anomalies injected into it, as events and
// verifications ordered by the time each is recorded. Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "epcis/event.h"
#include "sim/records.h"
#include "sim/simulator.h"
#include "sim/world.h"

namespace serialtrack::sim {

struct LotOutput {
  // One event or verification, in the order it is recorded (emit, then creation order).
  struct Step {
    int64_t emit = 0;    // unix nanos: when it is recorded (an event's eventTime, unless
                         // it is an out-of-sequence event recorded later)
    uint32_t order = 0;  // creation order, to break ties
    bool is_event = true;
    uint32_t index = 0;  // into events or verifications
  };
  size_t product = 0;
  std::vector<epcis::Event> events;
  std::vector<Verification> verifications;
  std::vector<Step> steps;  // sorted
  std::vector<AnomalyLabel> labels;
  std::vector<ItemTruth> truths;
  uint64_t units = 0, cases = 0, pallets = 0;
  bool recalled = false;
  uint64_t returned = 0, dispensed = 0, sold = 0, destroyed = 0;
  std::map<AnomalyKind, uint64_t> eligible;

  void clear();
};

// Plans lot lot_index (at most max_units units) into out (cleared first; its buffers
// are reused). The world's serial generators must serve counters lot_index << 20 | unit.
void build_lot(const World& world, const Config& config, uint64_t lot_index, uint64_t max_units,
               LotOutput& out);

// Counters of a lot's units: lot_index << kUnitBits | unit index.
inline constexpr int kUnitBits = 20;

}  // namespace serialtrack::sim

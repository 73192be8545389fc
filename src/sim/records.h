// What the simulator hands out besides EPCIS events: verification requests (the scans
// a verification service answers — NOT EPCIS events), the labels of injected anomalies
// (what detection is scored against; never part of the events), and the ground truth
// of each genuine item (what its state must be once every event is captured).
// Plain value types; not thread-safe for concurrent mutation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "epcis/event.h"

namespace serialtrack::sim {

// One verification request: a pack scanned by a pharmacy, a wholesaler or a consumer
// app, asking "is this genuine?" (EU FMD Art. 25-30 verification; consumer apps).
struct Verification {
  std::string id;          // urn:uuid:..., unique in a simulation
  epcis::Timestamp time;   // when the scan was made (its offset: where it was made)
  std::string client;      // who asked: a PGLN URN for a pharmacy/wholesaler, "consumer:<hex>"
  std::string role;        // "pharmacy", "wholesaler" or "consumer"
  std::string location;    // an SGLN URN, or for consumers a geo URI (RFC 5870) "geo:lat,lon"
  std::string identifier;  // what was scanned: "(01)…(17)…(10)…(21)…"
  bool operator==(const Verification&) const = default;
};

// The kinds of anomaly the simulator injects (issue 7).
enum class AnomalyKind : uint8_t {
  kClone,          // a genuine serial on a second pack: two scans that cannot both be right
  kProbing,        // a client verifying serials that were never issued
  kDiversion,      // a pack sold in a market it was not shipped to
  kReuse,          // the serial of a dispensed/destroyed pack back in the supply chain
  kTamper,         // a unit seen outside its sealed case
  kOutOfSequence,  // an event dated before the item's previous event
};
inline constexpr AnomalyKind kAnomalyKinds[] = {
    AnomalyKind::kClone, AnomalyKind::kProbing, AnomalyKind::kDiversion,
    AnomalyKind::kReuse, AnomalyKind::kTamper,  AnomalyKind::kOutOfSequence};
// "clone", "probing", "diversion", "reuse", "tamper", "out_of_sequence" and back.
std::string_view anomaly_kind_name(AnomalyKind kind);
std::optional<AnomalyKind> anomaly_kind_from_name(std::string_view name);

// One injected anomaly and everything that makes it up.
struct AnomalyLabel {
  AnomalyKind kind = AnomalyKind::kClone;
  std::string variant;                        // e.g. clone: "after_dispense" | "impossible_travel"
  std::vector<std::string> identifiers;       // the items (EPC URNs), or the guessed scans
  epcis::Timestamp time;                      // when it happened (its first event or scan)
  std::vector<std::string> event_ids;         // the injected events
  std::vector<std::string> verification_ids;  // the injected verifications
  bool operator==(const AnomalyLabel&) const = default;
};

// What a genuine item's state is after all of its events (trace::ItemState's terms).
struct ItemTruth {
  enum class Kind : uint8_t { kUnit, kCase, kPallet };
  enum class Fate : uint8_t {
    kDispensed,  // dispensed to a patient at a pharmacy (decommissioned)
    kSold,       // sold to a consumer at a retailer (still commissioned)
    kDestroyed,  // returned or recalled, then destroyed at a wholesaler (decommissioned)
    kUnpacked,   // a case or pallet, emptied at its last location
  };
  Kind kind = Kind::kUnit;
  std::string id;                  // EPC URN
  std::string scan;                // units: the element string of the pack's DataMatrix
  std::string lot, expiry;         // units: lot number, expiry date "YYYY-MM-DD"
  std::string case_id, pallet_id;  // the containers it was packed in (URNs; "" for none)
  Fate fate = Fate::kUnpacked;
  std::string disposition;   // the last disposition (CBV URI)
  std::string biz_location;  // the last business location (SGLN URN)
  std::string owner;         // the last owning party (PGLN URN)
  bool recalled = false;     // its lot was recalled before it was sold
  bool anomalous = false;    // an injected anomaly names it: its state may differ
};

// The JSON line of a verification / label / item truth (keys in a fixed order; no
// newline at the end).
std::string verification_json(const Verification& v);
std::string label_json(const AnomalyLabel& label);
std::string truth_json(const ItemTruth& truth);

}  // namespace serialtrack::sim

// Per-item state: what one EPCIS event does to the state of every item it names
// (EPCIS 2.0 §7.4, CBV 2.0 §7 dispositions, §8 source/destination types), and the
// lifecycle rules that raise alerts. Events are facts: an event that breaks a rule is
// still applied as far as it can be, and an Alert records what was wrong.
//
// Pure logic over an ItemStates view supplied by the caller (the store's transaction
// in production, a map in tests). Not thread-safe: one view per transaction.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "epcis/event.h"

namespace serialtrack::trace {

struct ItemState {
  std::string id;                     // the item's identifier as its events name it
  bool commissioned = false;          // seen in an ObjectEvent ADD (CBV commissioning)
  bool decommissioned = false;        // destroyed, dispensed, decommissioned...: no more events
  std::string lot, expiry;            // from ilmd (cbvmda:lotNumber, itemExpirationDate)
  std::string disposition;            // the latest disposition
  std::vector<std::string> persistent_dispositions;
  std::string read_point, biz_location;
  std::string owner, possessor;       // from destinations of type owning/possessing party
  std::string parent;                 // the container it is packed in (AggregationEvent ADD)
  uint32_t child_count = 0;           // how many items are packed in it now
  std::optional<epcis::Timestamp> first_seen, last_seen;
  std::string last_event_id;
  bool operator==(const ItemState&) const = default;
};

enum class AlertKind : uint8_t {
  kNotCommissioned,   // an event on an item never commissioned
  kRecommissioned,    // a second commissioning: a clone, or a reused serial
  kAfterDecommission, // an event on an item already destroyed/dispensed/decommissioned
  kOutOfOrder,        // an event older than the item's last one (applied without moving it back)
};
std::string_view alert_kind_name(AlertKind kind);

struct Alert {
  AlertKind kind;
  std::string item;
  std::string event_id;
  std::string reason;
  bool operator==(const Alert&) const = default;
};

// Where states are read and written during one capture.
class ItemStates {
 public:
  virtual ~ItemStates() = default;
  // The state of an item, or nullopt when it has never been seen.
  virtual std::optional<ItemState> get(const std::string& id) = 0;
  virtual void put(const ItemState& state) = 0;
  // The items whose parent is this container.
  virtual std::vector<std::string> children_of(const std::string& parent) = 0;
};

// Applies one event to every item it names (and, for events on a container, to what
// the container holds, recursively), returning the alerts it raised.
std::vector<Alert> apply_event(const epcis::Event& event, ItemStates& states);

}  // namespace serialtrack::trace

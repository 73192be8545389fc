// The capture service: stores events with their effects on item state and the alerts
// they raise, in one store transaction (DESIGN.md: a reader never sees an event without
// its effects). Also the read side of item state. Thread-safe as the Store is.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>

#include "epcis/event.h"
#include "store/serial_ranges.h"
#include "store/store.h"
#include "trace/item_state.h"

namespace serialtrack::trace {

// Sees each newly stored event inside the capture's transaction, after item state has
// applied it (detection rules, trace/detection.h). Must not call the Store (the capture
// holds it); what it keeps is its own. Not called for the rebuild of an error declaration.
class CaptureObserver {
 public:
  virtual ~CaptureObserver() = default;
  // before: the items the event names directly (epcList, parentID, childEPCs, inputs,
  // outputs) with their states before it (nullopt: never seen); states: the states now;
  // raised: the lifecycle alerts item state raised for it (already stored).
  virtual void observe(const epcis::Event& event,
                       const std::vector<std::pair<std::string, std::optional<ItemState>>>& before,
                       ItemStates& states, const std::vector<Alert>& raised) = 0;
};

// Stores events (each must carry its eventID) and applies them to item state; with
// master data (a document's header), stores it in the same transaction. options carries
// the capturing party (access control: who may see the events). observer, when given,
// sees each newly stored event in the transaction.
store::Result<store::CaptureOutcome> capture(store::Store& store,
                                             std::span<const epcis::Event> events,
                                             const std::vector<epcis::Vocabulary>& master_data = {},
                                             const store::CaptureOptions& options = {},
                                             CaptureObserver* observer = nullptr);

// The current state of an item given in any identifier form; nullopt when never seen.
store::Result<std::optional<ItemState>> item_state(store::Store& store, const std::string& id);

// How many SGTINs of a GTIN that the membership test accepts have been commissioned
// (serial number ranges use it: what was commissioned of what was allocated).
store::Result<uint64_t> count_commissioned(
    store::Store& store, const std::string& gtin14,
    const std::function<bool(std::string_view serial)>& is_member);

// count_commissioned over store as the counter store::SerialRanges::allocations takes
// (a store error counts 0). store must outlive the counter.
store::CommissionedCounter commissioned_counter(store::Store& store);

// The stored record form of an ItemState (exact round trip).
std::string encode_item_state(const ItemState& state);
std::optional<ItemState> decode_item_state(std::string_view record);

}  // namespace serialtrack::trace

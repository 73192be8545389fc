// The capture service: stores events with their effects on item state and the alerts
// they raise, in one store transaction (DESIGN.md: a reader never sees an event without
// its effects). Also the read side of item state. Thread-safe as the Store is.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "epcis/event.h"
#include "store/store.h"
#include "trace/item_state.h"

namespace serialtrack::trace {

// Stores events (each must carry its eventID) and applies them to item state.
store::Result<store::CaptureOutcome> capture(store::Store& store, std::span<const epcis::Event> events);

// The current state of an item given in any identifier form; nullopt when never seen.
store::Result<std::optional<ItemState>> item_state(store::Store& store, const std::string& id);

// The stored record form of an ItemState (exact round trip).
std::string encode_item_state(const ItemState& state);
std::optional<ItemState> decode_item_state(std::string_view record);

}  // namespace serialtrack::trace

// The capture service: stores events with their effects on item state and the alerts
// they raise, in one store transaction (DESIGN.md: a reader never sees an event without
// its effects). Also the read side of item state. Thread-safe as the Store is.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>

#include "epcis/event.h"
#include "store/store.h"
#include "trace/item_state.h"

namespace serialtrack::trace {

// Stores events (each must carry its eventID) and applies them to item state; with
// master data (a document's header), stores it in the same transaction. options carries
// the capturing party (access control: who may see the events).
store::Result<store::CaptureOutcome> capture(store::Store& store, std::span<const epcis::Event> events,
                                             const std::vector<epcis::Vocabulary>& master_data = {},
                                             const store::CaptureOptions& options = {});

// The current state of an item given in any identifier form; nullopt when never seen.
store::Result<std::optional<ItemState>> item_state(store::Store& store, const std::string& id);

// How many SGTINs of a GTIN that the membership test accepts have been commissioned
// (serial number ranges use it: what was commissioned of what was allocated).
store::Result<uint64_t> count_commissioned(store::Store& store, const std::string& gtin14,
                                           const std::function<bool(std::string_view serial)>& is_member);

// The stored record form of an ItemState (exact round trip).
std::string encode_item_state(const ItemState& state);
std::optional<ItemState> decode_item_state(std::string_view record);

}  // namespace serialtrack::trace

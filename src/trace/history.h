// The history of an item: its events in time order, including events that reached it
// through its containers (an event on a pallet happened to every case and unit in it).
// Containers are those the item is in now; an item's past containers are not kept yet.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "store/store.h"
#include "trace/item_state.h"

namespace serialtrack::trace {

struct ItemReport {
  std::optional<ItemState> state;            // nullopt: never seen
  std::vector<std::string> containers;       // parent, grandparent... (nearest first)
  std::vector<std::string> contents;         // what it holds, recursively
  std::vector<store::StoredEvent> history;   // in eventTime order
  std::vector<store::AlertRecord> alerts;
  // Names from master data (CBV 2.0 §10 "name" attribute) of the locations, parties and
  // containers above, by id, where captured.
  std::map<std::string, std::string> names;
};

// Everything known about one item, given in any identifier form.
store::Result<ItemReport> item_report(store::Store& store, const std::string& id);

}  // namespace serialtrack::trace

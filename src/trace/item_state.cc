#include "trace/item_state.h"

#include <algorithm>
#include <unordered_set>

#include "trace/pack_status.h"

namespace serialtrack::trace {
namespace {

using epcis::Action;
using epcis::Event;
using epcis::EventType;

constexpr std::string_view kBizStep = "urn:epcglobal:cbv:bizstep:";
constexpr std::string_view kDisp = "urn:epcglobal:cbv:disp:";

bool is(const std::string& uri, std::string_view prefix, std::string_view word) {
  return uri.size() == prefix.size() + word.size() && uri.compare(0, prefix.size(), prefix) == 0 &&
         uri.compare(prefix.size(), word.size(), word) == 0;
}

// CBV 2.0 §7.2: dispositions after which an instance takes part in no further events.
bool ends_life(const Event& e) {
  for (std::string_view d : {"destroyed", "dispensed", "disposed", "encoded_decommissioned"})
    if (is(e.disposition, kDisp, d)) return true;
  return is(e.biz_step, kBizStep, "decommissioning") || is(e.biz_step, kBizStep, "destroying") ||
         is(e.biz_step, kBizStep, "dispensing") ||
         (e.type == EventType::kObject && e.action == Action::kDelete);
}

// EU FMD undo of a supply (Delegated Regulation (EU) 2016/161 Art. 13): the pack
// operations' reactivating step brings a dispensed pack back into the supply chain.
bool reactivates(const Event& e, const ItemState& s) {
  return s.decommissioned && is(s.disposition, kDisp, "dispensed") && is(e.disposition, kDisp, "active") &&
         e.biz_step == reactivating_biz_step();
}

// CBV 2.0 §7.1: an ObjectEvent ADD brings instances into being (commissioning).
bool commissions(const Event& e) {
  return e.type == EventType::kObject && e.action == Action::kAdd;
}

// The value of an ilmd field by local name (cbvmda:lotNumber, itemExpirationDate).
std::string ilmd_value(const Event& e, std::string_view name) {
  if (!e.ilmd) return {};
  for (const auto& x : *e.ilmd)
    if (x.name == name) return x.value;
  return {};
}

void set_party(ItemState& s, const Event& e) {
  // CBV 2.0 §8.4: destination owning_party / possessing_party name who holds it next.
  for (const auto& d : e.destinations) {
    if (d.type == "urn:epcglobal:cbv:sdt:owning_party") s.owner = d.value;
    if (d.type == "urn:epcglobal:cbv:sdt:possessing_party") s.possessor = d.value;
  }
}

class Applier {
 public:
  Applier(const Event& e, ItemStates& states) : e_(e), states_(states) {}

  std::vector<Alert> run() {
    switch (e_.type) {
      case EventType::kObject:
      case EventType::kTransaction:
        for (const auto& id : e_.epc_list) touch(id, true);
        if (!e_.parent_id.empty()) touch(e_.parent_id, true);
        break;
      case EventType::kAggregation:
      case EventType::kAssociation:
        aggregate();
        break;
      case EventType::kTransformation:
        for (const auto& id : e_.input_epc_list) touch(id, false, /*consumed=*/true);
        for (const auto& id : e_.output_epc_list) touch(id, false, false, /*created=*/true);
        break;
    }
    return std::move(alerts_);
  }

 private:
  void alert(AlertKind kind, const std::string& item, std::string reason) {
    alerts_.push_back({kind, item, e_.event_id, std::move(reason)});
  }

  // Applies the event to one item; with `deep` also to what it contains.
  void touch(const std::string& id, bool deep, bool consumed = false, bool created = false) {
    if (!visited_.insert(id).second) return;  // an item reached twice (container + list)
    std::optional<ItemState> old = states_.get(id);
    ItemState s = old.value_or(ItemState{});
    s.id = id;
    bool newer = !s.last_seen || s.last_seen->unix_nanos <= e_.event_time.unix_nanos;
    if (commissions(e_) || created) {
      if (s.commissioned && commissions(e_))
        alert(AlertKind::kRecommissioned, id, "commissioned again by " + e_.event_id);
      s.commissioned = true;
      if (auto lot = ilmd_value(e_, "lotNumber"); !lot.empty()) s.lot = lot;
      if (auto exp = ilmd_value(e_, "itemExpirationDate"); !exp.empty()) s.expiry = exp;
    } else if (!old) {
      alert(AlertKind::kNotCommissioned, id, "first seen in an event that does not commission it");
    }
    bool revived = newer && reactivates(e_, s);
    if (s.decommissioned && !revived)
      alert(AlertKind::kAfterDecommission, id, "event after the item's life ended");
    if (!newer) alert(AlertKind::kOutOfOrder, id, "event older than the item's last event");
    if (revived) s.decommissioned = false;
    if (!s.first_seen || e_.event_time.unix_nanos < s.first_seen->unix_nanos)
      s.first_seen = e_.event_time;
    if (newer) {  // an older event is a fact, but does not move the item back in time
      s.last_seen = e_.event_time;
      s.last_event_id = e_.event_id;
      if (!e_.disposition.empty()) s.disposition = e_.disposition;
      if (!e_.read_point.empty()) s.read_point = e_.read_point;
      if (!e_.biz_location.empty()) s.biz_location = e_.biz_location;
      set_party(s, e_);
      for (const auto& d : e_.persistent_disposition.set)
        if (std::find(s.persistent_dispositions.begin(), s.persistent_dispositions.end(), d) ==
            s.persistent_dispositions.end())
          s.persistent_dispositions.push_back(d);
      for (const auto& d : e_.persistent_disposition.unset)
        std::erase(s.persistent_dispositions, d);
      if (ends_life(e_) || consumed) s.decommissioned = true;
    }
    states_.put(s);
    // EPCIS 2.0 §7.4.3: an event on a container applies to its contents (looked up only
    // for containers: most items hold nothing).
    if (deep && s.child_count > 0)
      for (const auto& child : states_.children_of(id)) touch(child, true);
  }

  void aggregate() {
    // The parent is observed like any item; the children change containers.
    if (!e_.parent_id.empty()) touch(e_.parent_id, false);
    std::vector<std::string> children = e_.epc_list;
    if (e_.action == Action::kDelete && children.empty() && !e_.parent_id.empty())
      children = states_.children_of(e_.parent_id);  // EPCIS 2.0 §7.4.3: DELETE of all
    for (const auto& child : children) {
      touch(child, true);
      if (e_.type != epcis::EventType::kAggregation) continue;
      ItemState s = *states_.get(child);
      if (e_.action == Action::kAdd && s.parent != e_.parent_id) {
        if (!s.parent.empty()) adjust_count(s.parent, -1);  // moved from another container
        s.parent = e_.parent_id;
        adjust_count(e_.parent_id, +1);
      } else if (e_.action == Action::kDelete && s.parent == e_.parent_id) {
        s.parent.clear();
        adjust_count(e_.parent_id, -1);
      }
      states_.put(s);
    }
  }

  void adjust_count(const std::string& container, int delta) {
    auto c = states_.get(container);
    if (!c) return;  // a container never seen holds nothing we track
    if (delta < 0 && c->child_count == 0) return;
    c->child_count = static_cast<uint32_t>(static_cast<int64_t>(c->child_count) + delta);
    states_.put(*c);
  }

  const Event& e_;
  ItemStates& states_;
  std::vector<Alert> alerts_;
  std::unordered_set<std::string> visited_;
};

}  // namespace

std::string_view alert_kind_name(AlertKind kind) {
  switch (kind) {
    case AlertKind::kNotCommissioned: return "not_commissioned";
    case AlertKind::kRecommissioned: return "recommissioned";
    case AlertKind::kAfterDecommission: return "after_decommission";
    case AlertKind::kOutOfOrder: return "out_of_order";
  }
  return "unknown";
}

std::vector<Alert> apply_event(const epcis::Event& event, ItemStates& states) {
  return Applier(event, states).run();
}

}  // namespace serialtrack::trace

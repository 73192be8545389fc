#include "trace/capture.h"

#include <cstring>

#include "trace/inventory.h"

namespace serialtrack::trace {
namespace {

// ItemStates over the store's item table, inside the capture's transaction.
class TableStates final : public ItemStates {
 public:
  explicit TableStates(store::ItemTable& table) : table_(table) {}
  std::optional<ItemState> get(const std::string& id) override {
    auto rec = table_.get(id);
    if (!rec) return std::nullopt;
    return decode_item_state(*rec);
  }
  // With the facets inventory counts (inventory.h), so stock moves in this transaction.
  void put(const ItemState& s) override {
    table_.put_with_facets(s.id, s.parent, encode_item_state(s), item_facets(s));
  }
  std::vector<std::string> children_of(const std::string& parent) override {
    return table_.children_of(parent);
  }

 private:
  store::ItemTable& table_;
};

class StateProjection final : public store::Projection {
 public:
  explicit StateProjection(CaptureObserver* observer = nullptr) : observer_(observer) {}
  void apply(const epcis::Event& event, store::ItemTable& items,
             std::vector<store::AlertRecord>& alerts) override {
    TableStates states(items);
    std::vector<std::pair<std::string, std::optional<ItemState>>> before;
    if (observer_) {
      auto name = [&](const std::string& id) {
        if (!id.empty()) before.emplace_back(id, states.get(id));
      };
      for (const auto* list : {&event.epc_list, &event.input_epc_list, &event.output_epc_list})
        for (const auto& id : *list) name(id);
      name(event.parent_id);
    }
    std::vector<Alert> raised = apply_event(event, states);
    for (const Alert& a : raised)
      alerts.push_back({std::string(alert_kind_name(a.kind)), a.item, a.event_id, a.reason, 0});
    if (observer_) observer_->observe(event, before, states, raised);
  }

 private:
  CaptureObserver* observer_;
};

void put_string(std::string& out, const std::string& s) {
  uint32_t n = static_cast<uint32_t>(s.size());
  out.append(reinterpret_cast<const char*>(&n), 4);
  out.append(s);
}

bool get_string(std::string_view& in, std::string& s) {
  uint32_t n;
  if (in.size() < 4) return false;
  std::memcpy(&n, in.data(), 4);
  in.remove_prefix(4);
  if (in.size() < n) return false;
  s.assign(in.substr(0, n));
  in.remove_prefix(n);
  return true;
}

void put_time(std::string& out, const std::optional<epcis::Timestamp>& t) {
  out.push_back(t ? 1 : 0);
  if (t) {
    out.append(reinterpret_cast<const char*>(&t->unix_nanos), 8);
    out.append(reinterpret_cast<const char*>(&t->offset_minutes), 2);
  }
}

bool get_time(std::string_view& in, std::optional<epcis::Timestamp>& t) {
  if (in.empty()) return false;
  bool present = in[0] != 0;
  in.remove_prefix(1);
  if (!present) return true;
  if (in.size() < 10) return false;
  epcis::Timestamp v;
  std::memcpy(&v.unix_nanos, in.data(), 8);
  std::memcpy(&v.offset_minutes, in.data() + 8, 2);
  in.remove_prefix(10);
  t = v;
  return true;
}

constexpr char kRecordVersion = 2;  // 2: child_count

}  // namespace

std::string encode_item_state(const ItemState& s) {
  std::string out(1, kRecordVersion);
  out.push_back(static_cast<char>((s.commissioned ? 1 : 0) | (s.decommissioned ? 2 : 0)));
  for (const auto* f : {&s.id, &s.lot, &s.expiry, &s.disposition, &s.read_point, &s.biz_location,
                        &s.owner, &s.possessor, &s.parent, &s.last_event_id})
    put_string(out, *f);
  put_string(out, std::to_string(s.persistent_dispositions.size()));
  for (const auto& d : s.persistent_dispositions) put_string(out, d);
  put_time(out, s.first_seen);
  put_time(out, s.last_seen);
  out.append(reinterpret_cast<const char*>(&s.child_count), 4);
  return out;
}

std::optional<ItemState> decode_item_state(std::string_view in) {
  if (in.size() < 2 || in[0] != kRecordVersion) return std::nullopt;
  ItemState s;
  s.commissioned = in[1] & 1;
  s.decommissioned = in[1] & 2;
  in.remove_prefix(2);
  for (auto* f : {&s.id, &s.lot, &s.expiry, &s.disposition, &s.read_point, &s.biz_location,
                  &s.owner, &s.possessor, &s.parent, &s.last_event_id})
    if (!get_string(in, *f)) return std::nullopt;
  std::string count;
  if (!get_string(in, count)) return std::nullopt;
  size_t n = std::strtoul(count.c_str(), nullptr, 10);
  if (n > in.size()) return std::nullopt;
  s.persistent_dispositions.resize(n);
  for (auto& d : s.persistent_dispositions)
    if (!get_string(in, d)) return std::nullopt;
  if (!get_time(in, s.first_seen) || !get_time(in, s.last_seen) || in.size() != 4)
    return std::nullopt;
  std::memcpy(&s.child_count, in.data(), 4);
  return s;
}

store::Result<store::CaptureOutcome> capture(store::Store& store,
                                             std::span<const epcis::Event> events,
                                             const std::vector<epcis::Vocabulary>& master_data,
                                             const store::CaptureOptions& options,
                                             CaptureObserver* observer) {
  StateProjection projection;  // the rebuild of an error declaration raises nothing new
  StateProjection observed(observer);
  // EPCIS 2.0 §7.4.1.2: an event carrying an errorDeclaration, with the eventID of an
  // event already stored, declares that event erroneous; the rest is a normal capture.
  std::vector<epcis::Event> fresh;
  std::vector<std::optional<int64_t>> declared(events.size());
  bool any = false;
  for (size_t i = 0; i < events.size(); ++i) {
    const epcis::Event& ev = events[i];
    if (ev.error_declaration && !ev.event_id.empty()) {
      auto existing = store.event(ev.event_id);
      if (!existing) return unexpected(std::move(existing).error());
      if (*existing && !(*existing)->event.error_declaration) {
        auto r = store.declare_error(ev.event_id, *ev.error_declaration, &projection);
        if (!r) return unexpected(std::move(r).error());
        declared[i] = (*existing)->sequence;
        any = true;
        continue;
      }
    }
    fresh.push_back(ev);
  }
  if (!any) return store.capture(events, master_data, &observed, options);
  auto r = store.capture(fresh, master_data, &observed, options);
  if (!r) return r;
  store::CaptureOutcome out;
  out.duplicates = r->duplicates;
  out.accepted = r->accepted;
  for (size_t i = 0, j = 0; i < events.size(); ++i) {
    if (declared[i]) {
      out.sequence.push_back(*declared[i]);
      ++out.accepted;
    } else {
      out.sequence.push_back(r->sequence[j++]);
    }
  }
  return out;
}

store::Result<uint64_t> count_commissioned(store::Store& store, const std::string& gtin14,
                                           const std::function<bool(std::string_view)>& is_member) {
  uint64_t n = 0;
  auto r = store.items_of_gtin(gtin14, [&](std::string_view serial, std::string_view record) {
    auto s = decode_item_state(record);
    if (s && s->commissioned && is_member(serial)) ++n;
  });
  if (!r) return unexpected(std::move(r).error());
  return n;
}

store::CommissionedCounter commissioned_counter(store::Store& store) {
  return [&store](std::string_view gtin, const std::function<bool(std::string_view)>& is_member) {
    auto n = count_commissioned(store, std::string(gtin), is_member);
    return n ? *n : 0;
  };
}

store::Result<std::optional<ItemState>> item_state(store::Store& store, const std::string& id) {
  auto rec = store.item(id);
  if (!rec) return unexpected(std::move(rec).error());
  if (!*rec) return std::optional<ItemState>();
  auto s = decode_item_state(**rec);
  if (!s)
    return unexpected(
        store::Error{store::Error::Kind::kCorrupt, "item record of " + id + " cannot be read", -1});
  return std::optional<ItemState>(std::move(*s));
}

}  // namespace serialtrack::trace

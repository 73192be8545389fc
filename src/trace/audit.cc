#include "trace/audit.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <limits>
#include <map>
#include <set>

#include "epcis/cbv.h"
#include "epcis/event_hash.h"
#include "epcis/identifiers.h"
#include "epcis/time.h"
#include "gs1/digital_link.h"
#include "gs1/identify.h"
#include "trace/capture.h"
#include "trace/capture_document.h"
#include "trace/pack_status.h"

namespace serialtrack::trace {
namespace {

namespace json = boost::json;

constexpr int64_t kNanosPerDay = 86'400LL * 1'000'000'000LL;

int64_t clock_nanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The canonical key (GS1 Digital Link) of one item in any form gs1::identify accepts;
// the error in words. An item is a serialised key: SGTIN (01)+(21), SSCC (00), GRAI
// (8003) or GIAI (8004).
std::optional<std::string> item_key(std::string_view text, std::string& error) {
  auto id = gs1::identify(text);
  if (!id) {
    std::string name(id.error().name());
    error = id.error().message;
    if (error.find(name) == std::string::npos) error += " (" + name + ")";
    return std::nullopt;
  }
  bool item =
      (id->gtin() && id->serial()) || id->sscc() || id->ais.get("8003") || id->ais.get("8004");
  if (!item) {
    error = "\"" + std::string(text) + "\" names no single item (a GTIN needs a serial, AI 21)";
    return std::nullopt;
  }
  auto dl = gs1::to_digital_link(id->ais);
  std::optional<std::string> key;
  if (dl)
    if (auto k = epcis::canonical_key(*dl)) key = *k;
  if (!key) {
    error = "\"" + std::string(text) + "\" has no GS1 Digital Link form";
    return std::nullopt;
  }
  return *key;
}

std::string key_of(const std::string& id) {
  auto k = epcis::canonical_key(id);
  return k ? *k : id;
}

bool is_sgln(const std::string& location) {
  auto k = epcis::canonical_key(location);
  return k && k->find("/414/") != std::string::npos;
}

std::string custodian_of(const ItemState& s) {
  return s.possessor.empty() ? s.owner : s.possessor;
}

// Everything inside a container, recursively (canonical keys).
store::Result<std::vector<std::string>> contents(store::Store& store, const std::string& id) {
  std::vector<std::string> out, frontier = {id};
  while (!frontier.empty()) {
    std::vector<std::string> next;
    for (const auto& parent : frontier) {
      auto children = store.children(parent);
      if (!children) return unexpected(std::move(children).error());
      for (const auto& c : *children) {
        out.push_back(key_of(c));
        next.push_back(c);
      }
    }
    frontier = std::move(next);
  }
  return out;
}

store::AuditDiscrepancy discrepancy(std::string kind, const std::string& item,
                                    const std::optional<ItemState>& state, int64_t now,
                                    std::string reason) {
  store::AuditDiscrepancy d;
  d.kind = std::move(kind);
  d.item = item;
  d.reason = std::move(reason);
  d.status = std::string(pack_status_name(state ? pack_status(*state, now) : PackStatus::kUnknown));
  if (state) {
    d.location = state->biz_location;
    d.disposition = state->disposition;
    d.custodian = custodian_of(*state);
  }
  return d;
}

int kind_order(const std::string& kind) {
  return kind == "missing" ? 0 : kind == "unexpected" ? 1 : 2;
}

std::string iso(int64_t nanos) {
  return epcis::format_timestamp_utc({nanos, 0});
}

json::object audit_object(const store::AuditRecord& r) {
  json::object o;
  o["id"] = r.id;
  o["location"] = r.location;
  o["counted"] = iso(r.counted);
  o["eventID"] = r.event_id;
  o["seen"] = r.seen;
  o["expected"] = r.expected;
  uint64_t missing = 0, unexpected_items = 0, wrong = 0;
  json::array list;
  for (const auto& d : r.discrepancies) {
    (d.kind == "missing" ? missing : d.kind == "unexpected" ? unexpected_items : wrong) += 1;
    list.push_back(json::object{{"kind", d.kind},
                                {"item", d.item},
                                {"location", d.location},
                                {"disposition", d.disposition},
                                {"status", d.status},
                                {"custodian", d.custodian},
                                {"reason", d.reason}});
  }
  o["missing"] = missing;
  o["unexpected"] = unexpected_items;
  o["wrongState"] = wrong;
  o["discrepancies"] = std::move(list);
  return o;
}

}  // namespace

ServiceResult<std::vector<std::string>> read_scan_list(std::string_view text) {
  std::vector<std::string> out;
  std::set<std::string> known;
  size_t line_number = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_number;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
      line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty() || line.front() == '#') continue;
    std::string error;
    auto key = item_key(line, error);
    if (!key)
      return unexpected(invalid_argument("line " + std::to_string(line_number) + ": " + error));
    if (known.insert(*key).second) out.push_back(std::move(*key));
  }
  return out;
}

ServiceResult<CountRequest> read_count_document(std::string_view text,
                                                const std::string& location) {
  auto doc = decode_capture_document(text, sniff_syntax(text));
  if (!doc) return unexpected(invalid_argument("the count document: " + describe(doc.error())));
  if (doc->events.size() != 1)
    return unexpected(invalid_argument("a count document holds exactly one event, this one " +
                                       std::to_string(doc->events.size())));
  const epcis::Event& e = doc->events.front();
  if (e.type != epcis::EventType::kObject || e.action != epcis::Action::kObserve ||
      epcis::expand_cbv(epcis::CbvKind::kBizStep, e.biz_step) != kCycleCounting)
    return unexpected(invalid_argument(
        "the count event must be an ObjectEvent OBSERVE with bizStep cycle_counting"));
  CountRequest r;
  r.location = !e.biz_location.empty() ? e.biz_location : e.read_point;
  if (r.location.empty()) r.location = location;
  if (r.location.empty())
    return unexpected(invalid_argument("the count event names no bizLocation or readPoint"));
  if (!location.empty() && key_of(location) != key_of(r.location))
    return unexpected(
        invalid_argument("the count event is at " + r.location + ", not at " + location));
  r.seen = e.epc_list;
  r.now = e.event_time.unix_nanos;
  r.event = e;
  return r;
}

ServiceResult<store::AuditRecord> count(store::Store& store, store::StockCounts& counts,
                                        store::Audits& audits, const CountRequest& request) {
  if (!is_sgln(request.location))
    return unexpected(invalid_argument("\"" + request.location + "\" is not a location (SGLN)"));
  if (request.seen.empty()) return unexpected(invalid_argument("the count names no item"));
  // The scanned items, canonical, once each.
  std::vector<std::string> scanned;
  std::set<std::string> scanned_set;
  for (size_t i = 0; i < request.seen.size(); ++i) {
    std::string error;
    auto key = item_key(request.seen[i], error);
    if (!key) return unexpected(invalid_argument("item " + std::to_string(i + 1) + ": " + error));
    if (scanned_set.insert(*key).second) scanned.push_back(*key);
  }
  const int64_t now = request.now.value_or(clock_nanos());

  std::set<std::string> here;  // the location and its sub-locations, canonical
  auto tree = counts.location_and_descendants(request.location);
  if (!tree) return unexpected(store_failure(tree.error()));
  for (const auto& l : *tree) here.insert(key_of(l));
  store::StockFilter filter;
  filter.location = request.location;
  auto stock = counts.items(filter, static_cast<size_t>(std::numeric_limits<int64_t>::max()));
  if (!stock) return unexpected(store_failure(stock.error()));
  std::set<std::string> expected;
  for (const auto& i : stock->items) expected.insert(key_of(i.id));

  std::map<std::string, std::optional<ItemState>> states;
  auto state_of = [&](const std::string& id) -> store::Result<std::optional<ItemState>> {
    auto it = states.find(id);
    if (it != states.end()) return it->second;
    auto s = item_state(store, id);
    if (!s) return unexpected(std::move(s).error());
    states.emplace(id, *s);
    return *s;
  };

  // Containers: a sealed one counts for what it holds; an opened one (something inside
  // scanned too) for nothing, and stays out of the count event.
  std::vector<std::string> seen, event_items;
  std::set<std::string> seen_set;
  for (const auto& id : scanned) {
    auto s = state_of(id);
    if (!s) return unexpected(store_failure(s.error()));
    std::vector<std::string> inside;
    if (*s && (*s)->child_count > 0) {
      auto c = contents(store, id);
      if (!c) return unexpected(store_failure(c.error()));
      inside = std::move(*c);
    }
    bool opened = std::any_of(inside.begin(), inside.end(),
                              [&](const std::string& i) { return scanned_set.count(i) > 0; });
    if (opened) continue;
    event_items.push_back(id);
    if (seen_set.insert(id).second) seen.push_back(id);
    for (auto& i : inside)
      if (seen_set.insert(i).second) seen.push_back(i);
  }

  store::AuditRecord record;
  record.location = request.location;
  record.counted = now;
  record.seen = seen.size();
  record.expected = expected.size();
  const std::string custodian = request.custodian.empty() ? "" : key_of(request.custodian);
  for (const auto& id : seen) {
    auto s = state_of(id);
    if (!s) return unexpected(store_failure(s.error()));
    const auto& state = *s;
    if (!state || !state->commissioned) {
      record.discrepancies.push_back(
          discrepancy("unexpected", id, state, now, "seen here, but never commissioned"));
      continue;
    }
    PackStatus status = pack_status(*state, now);
    std::string where = state->biz_location.empty() ? "no known location" : state->biz_location;
    if (status != PackStatus::kActive) {
      record.discrepancies.push_back(discrepancy(
          "wrong_state", id, state, now,
          "seen here, but " + pack_status_words(status) + " (system location " + where + ")"));
      continue;
    }
    std::string holder = custodian_of(*state);
    if (!custodian.empty() && !holder.empty() && key_of(holder) != custodian) {
      record.discrepancies.push_back(
          discrepancy("wrong_state", id, state, now, "seen here, but in the custody of " + holder));
      continue;
    }
    if (here.count(key_of(state->biz_location)) == 0)
      record.discrepancies.push_back(discrepancy("unexpected", id, state, now,
                                                 "seen here, but the system had it at " + where));
  }
  for (const auto& id : expected) {
    if (seen_set.count(id) > 0) continue;
    auto s = state_of(id);
    if (!s) return unexpected(store_failure(s.error()));
    record.discrepancies.push_back(discrepancy(
        "missing", id, *s, now,
        "in stock at " + (*s ? (*s)->biz_location : request.location) + ", but not seen"));
  }
  std::stable_sort(record.discrepancies.begin(), record.discrepancies.end(),
                   [](const auto& a, const auto& b) {
                     int ka = kind_order(a.kind), kb = kind_order(b.kind);
                     return ka != kb ? ka < kb : a.item < b.item;
                   });

  epcis::Event event;
  if (request.event) {
    event = *request.event;
  } else {
    event.type = epcis::EventType::kObject;
    event.action = epcis::Action::kObserve;
    event.event_time = {now, 0};
    event.biz_step = std::string(kCycleCounting);
    event.read_point = request.location;
    event.biz_location = request.location;
    event.epc_list = event_items;
    event.event_id = epcis::event_hash_id(event);
  }
  if (event.event_id.empty()) event.event_id = epcis::event_hash_id(event);
  auto before = store.event(event.event_id);
  if (!before) return unexpected(store_failure(before.error()));
  if (*before)
    return unexpected(
        invalid_argument("this count (event " + event.event_id + ") was captured already"));
  record.event_id = event.event_id;

  auto captured = capture(store, std::span<const epcis::Event>(&event, 1));
  if (!captured) return unexpected(store_failure(captured.error()));
  auto id = audits.add(record);
  if (!id) return unexpected(store_failure(id.error()));
  record.id = *id;
  for (const auto& d : record.discrepancies) {
    auto raised = store.raise_alert(
        {"audit_" + d.kind, d.item, event.event_id,
         "audit " + std::to_string(record.id) + " at " + request.location + ": " + d.reason});
    if (!raised) return unexpected(store_failure(raised.error()));
  }
  return record;
}

ServiceResult<std::vector<store::AuditRecord>> list_audits(store::Audits& audits,
                                                           const std::string& location) {
  auto r = audits.list(location);
  if (!r) return unexpected(store_failure(r.error()));
  return std::move(*r);
}

ServiceResult<store::AuditRecord> audit(store::Audits& audits, int64_t id) {
  auto r = audits.get(id);
  if (!r) return unexpected(store_failure(r.error()));
  if (!*r)
    return unexpected(
        ServiceError{ServiceError::Kind::kNotFound, "no audit " + std::to_string(id)});
  return std::move(**r);
}

ServiceResult<void*> set_audit_schedule(store::Audits& audits, const std::string& location,
                                        int64_t every_days) {
  if (!is_sgln(location))
    return unexpected(invalid_argument("\"" + location + "\" is not a location (SGLN)"));
  if (every_days < 0)
    return unexpected(invalid_argument("an audit period is a number of days, 0 or more"));
  auto r = audits.set_schedule(location, every_days);
  if (!r) return unexpected(store_failure(r.error()));
  return nullptr;
}

ServiceResult<std::vector<ScheduleStatus>> audit_schedules(store::Audits& audits,
                                                           std::optional<int64_t> now) {
  auto schedules = audits.schedules();
  if (!schedules) return unexpected(store_failure(schedules.error()));
  const int64_t t = now.value_or(clock_nanos());
  std::vector<ScheduleStatus> out;
  for (auto& s : *schedules) {
    ScheduleStatus status{std::move(s), std::nullopt, true};
    if (status.schedule.last_audited) {
      status.due = *status.schedule.last_audited + status.schedule.every_days * kNanosPerDay;
      status.overdue = *status.due < t;
    }
    out.push_back(std::move(status));
  }
  return out;
}

ServiceResult<std::vector<ScheduleStatus>> overdue_audits(store::Audits& audits,
                                                          std::optional<int64_t> now) {
  auto all = audit_schedules(audits, now);
  if (!all) return all;
  std::erase_if(*all, [](const ScheduleStatus& s) { return !s.overdue; });
  return all;
}

std::string audit_json(const store::AuditRecord& record) {
  return json::serialize(audit_object(record));
}

std::string audits_json(const std::vector<store::AuditRecord>& records) {
  json::array a;
  for (const auto& r : records) a.push_back(audit_object(r));
  return json::serialize(a);
}

std::string audit_schedules_json(const std::vector<ScheduleStatus>& schedules) {
  json::array a;
  for (const auto& s : schedules) {
    json::object o;
    o["location"] = s.schedule.location;
    o["everyDays"] = s.schedule.every_days;
    o["lastAudited"] =
        s.schedule.last_audited ? json::value(iso(*s.schedule.last_audited)) : json::value(nullptr);
    o["due"] = s.due ? json::value(iso(*s.due)) : json::value(nullptr);
    o["overdue"] = s.overdue;
    a.push_back(std::move(o));
  }
  return json::serialize(a);
}

}  // namespace serialtrack::trace

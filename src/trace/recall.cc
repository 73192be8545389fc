#include "trace/recall.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "crypto/sha256.h"
#include "epcis/identifiers.h"
#include "epcis/time.h"
#include "gs1/digital_link.h"
#include "gs1/identify.h"
#include "trace/capture.h"
#include "trace/csv.h"
#include "trace/inventory.h"
#include "trace/query.h"
#include "trace/warranty.h"

namespace serialtrack::trace {
namespace {

namespace json = boost::json;

constexpr std::string_view kRecalled = "urn:epcglobal:cbv:disp:recalled";
constexpr std::string_view kReturned = "urn:epcglobal:cbv:disp:returned";
constexpr std::string_view kReceiving = "urn:epcglobal:cbv:bizstep:receiving";
constexpr std::string_view kDlSgtin = "https://id.gs1.org/01/";
constexpr size_t kMarkBatch = 1000;       // items per marking event
constexpr size_t kEventsPerCapture = 50;  // marking events per capture transaction (50,000
                                          // items: about 1.5 s of the write lock each)
constexpr size_t kQueryBatch = 200;

int64_t clock_nanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The canonical key of an identifier in any form: URIs directly, element strings and
// scan data through gs1::identify; nullopt when it is no identifier.
std::optional<std::string> canonical_item(const std::string& id) {
  if (id.find(':') != std::string::npos && id.front() != '(') {
    auto k = epcis::canonical_key(id);
    if (k) return *k;
  }
  auto parsed = gs1::identify(id);
  if (!parsed) return std::nullopt;
  auto dl = gs1::to_digital_link(parsed->ais);
  if (!dl) return std::nullopt;
  auto k = epcis::canonical_key(*dl);
  if (!k) return std::nullopt;
  return *k;
}

std::string key_of(const std::string& id) {
  auto k = epcis::canonical_key(id);
  return k ? *k : id;
}

// The serial of an SGTIN's canonical key ("https://id.gs1.org/01/<gtin>/21/<serial>").
std::string serial_of(const std::string& key) {
  if (!key.starts_with(kDlSgtin) || key.size() < kDlSgtin.size() + 18) return {};
  auto s = gs1::uri_unescape(std::string_view(key).substr(kDlSgtin.size() + 18),
                             gs1::UriComponent::kPath);
  return s.value_or(std::string());
}

bool is_date(const std::string& d) {
  int y, m, day;
  char tail;
  return d.size() == 10 && std::sscanf(d.c_str(), "%4d-%2d-%2d%c", &y, &m, &day, &tail) == 3 &&
         m >= 1 && m <= 12 && day >= 1 && day <= 31;
}

bool in_range(const std::string& serial, const SerialRange& r) {
  auto digits = [](const std::string& s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
  };
  if (digits(serial) && digits(r.first) && digits(r.last)) {
    auto cmp = [](const std::string& a, const std::string& b) {  // numeric order of digit strings
      auto strip = [](const std::string& s) {
        return s.substr(std::min(s.find_first_not_of('0'), s.size() - 1));
      };
      std::string x = strip(a), y = strip(b);
      return x.size() != y.size() ? (x.size() < y.size() ? -1 : 1) : x.compare(y);
    };
    return cmp(serial, r.first) >= 0 && cmp(serial, r.last) <= 0;
  }
  return serial >= r.first && serial <= r.last;
}

std::optional<ServiceError> validate(const RecallDefinition& d) {
  if (d.gtin.empty() && d.serials.empty() && d.query.empty())
    return invalid_argument("a recall needs a GTIN, serials or a query");
  if (!d.gtin.empty() &&
      (d.gtin.size() != 14 || d.gtin.find_first_not_of("0123456789") != std::string::npos))
    return invalid_argument("GTIN \"" + d.gtin + "\" is not 14 digits");
  if (!d.serial_ranges.empty() && d.gtin.empty())
    return invalid_argument("serial ranges need the GTIN they are serials of");
  for (const auto* day : {&d.expiry_from, &d.expiry_to})
    if (!day->empty() && !is_date(*day))
      return invalid_argument("expiry date \"" + *day + "\" is not YYYY-MM-DD");
  if (d.reason.empty()) return invalid_argument("a recall needs a reason");
  for (const auto& s : d.serials)
    if (!canonical_item(s)) return invalid_argument("\"" + s + "\" is not an item identifier");
  if (!d.query.empty()) {
    auto q = parse_query(d.query);
    if (!q)
      return invalid_argument("query parameter " + q.error().parameter + ": " + q.error().message);
  }
  return std::nullopt;
}

// Whether an item in state s meets every constraint of d but its source; its serial is
// read from its canonical key when serial is null. gtin_known: it is of d's GTIN.
bool matches(const RecallDefinition& d, const ItemState& s, const std::string& key,
             const std::string* serial, bool gtin_known) {
  if (!d.lots.empty() && std::find(d.lots.begin(), d.lots.end(), s.lot) == d.lots.end())
    return false;
  if (!d.expiry_from.empty() && (s.expiry.empty() || s.expiry < d.expiry_from)) return false;
  if (!d.expiry_to.empty() && (s.expiry.empty() || s.expiry > d.expiry_to)) return false;
  if (!gtin_known && !d.gtin.empty() && item_facets(s).gtin != d.gtin) return false;
  if (!d.serial_ranges.empty()) {
    std::string from_key = serial ? std::string() : serial_of(key);
    bool any = false;
    for (const auto& r : d.serial_ranges) any = any || in_range(serial ? *serial : from_key, r);
    if (!any) return false;
  }
  return true;
}

ServiceResult<std::optional<ItemState>> state_of(store::Store& store, const std::string& id) {
  auto s = item_state(store, id);
  if (!s) return unexpected(store_failure(s.error()));
  return std::move(*s);
}

// The items of the definition (canonical key -> state), and the serials never seen.
struct Matched {
  std::vector<std::pair<std::string, ItemState>> items;
  std::vector<std::string> not_found;
};

ServiceResult<Matched> find_matches(store::Store& store, const RecallDefinition& d) {
  Matched out;
  std::unordered_set<std::string> seen;
  auto consider = [&](const std::string& key, ItemState s) {
    if (matches(d, s, key, nullptr, false) && seen.insert(key).second)
      out.items.emplace_back(key, std::move(s));
  };
  auto by_id = [&](const std::string& id) -> std::optional<ServiceError> {
    auto key = canonical_item(id);
    if (!key) return std::nullopt;
    if (seen.count(*key)) return std::nullopt;
    auto s = state_of(store, *key);
    if (!s) return s.error();
    if (!*s)
      out.not_found.push_back(id);
    else
      consider(*key, std::move(**s));
    return std::nullopt;
  };
  if (!d.serials.empty()) {
    for (const auto& id : d.serials)
      if (auto e = by_id(id)) return unexpected(std::move(*e));
    return out;
  }
  if (!d.query.empty()) {
    auto q = parse_query(d.query);
    if (!q) return unexpected(invalid_argument(q.error().message));
    std::vector<std::string> named;
    std::unordered_set<std::string> named_keys;
    for (;;) {
      auto page = store.query(*q);
      if (!page) return unexpected(store_failure(page.error()));
      for (const auto& e : page->events)
        for (const auto* list :
             {&e.event.epc_list, &e.event.input_epc_list, &e.event.output_epc_list})
          for (const auto& id : *list)
            if (named_keys.insert(key_of(id)).second) named.push_back(id);
      if (!page->next_after) break;
      q->continue_after(*page);
    }
    for (const auto& id : named) {
      auto s = state_of(store, id);
      if (!s) return unexpected(std::move(s).error());
      if (*s) consider(key_of(id), std::move(**s));
    }
    return out;
  }
  std::optional<ServiceError> failed;
  auto each = [&](std::string_view serial, std::string_view record) {
    auto s = decode_item_state(record);
    if (!s) {
      failed = ServiceError{ServiceError::Kind::kStore, "an item record cannot be read"};
      return;
    }
    std::string serial_text(serial);
    if (!matches(d, *s, "", &serial_text, true)) return;
    // The canonical key without parsing the id again, for the usual serials (GS1 DL
    // 1.2 §4.4: unreserved characters stay as they are).
    bool plain = serial_text.find_first_not_of(
                     "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-._~") ==
                 std::string::npos;
    std::string key = plain ? std::string(kDlSgtin) + d.gtin + "/21/" + serial_text : key_of(s->id);
    out.items.emplace_back(std::move(key), std::move(*s));
  };
  // Lots: only their items, through the store's lot index, when it holds every item.
  if (!d.lots.empty()) {
    auto r = store.items_of_gtin_lots(d.gtin, d.lots, each);
    if (!r) return unexpected(store_failure(r.error()));
    if (failed) return unexpected(std::move(*failed));
    if (*r) return out;
  }
  auto r = store.items_of_gtin(d.gtin, each);
  if (!r) return unexpected(store_failure(r.error()));
  if (failed) return unexpected(std::move(*failed));
  return out;
}

// Adds the outputs of transformations whose inputs are affected, and theirs, as derived.
ServiceResult<std::vector<store::RecallMember>> derive(store::Store& store,
                                                       std::vector<store::RecallMember> members) {
  store::EventQuery any;
  any.event_types = {epcis::EventType::kTransformation};
  any.limit = 1;
  auto page = store.query(any);
  if (!page) return unexpected(store_failure(page.error()));
  if (page->events.empty()) return members;  // no transformation at all: nothing derived
  std::unordered_set<std::string> in;
  for (const auto& m : members) in.insert(m.id);
  std::vector<std::string> frontier;
  for (const auto& m : members) frontier.push_back(m.id);
  while (!frontier.empty()) {
    std::vector<std::string> next;
    for (size_t i = 0; i < frontier.size(); i += kQueryBatch) {
      store::EventQuery q;
      q.event_types = {epcis::EventType::kTransformation};
      q.exists_error_declaration = false;
      q.match_input_epc.assign(frontier.begin() + i,
                               frontier.begin() + std::min(frontier.size(), i + kQueryBatch));
      for (;;) {
        auto p = store.query(q);
        if (!p) return unexpected(store_failure(p.error()));
        for (const auto& e : p->events) {
          std::string via;
          for (const auto& input : e.event.input_epc_list)
            if (in.count(key_of(input))) {
              via = key_of(input);
              break;
            }
          for (const auto& output : e.event.output_epc_list) {
            std::string k = key_of(output);
            if (!in.insert(k).second) continue;
            members.push_back({k, "derived", via});
            next.push_back(k);
          }
        }
        if (!p->next_after) break;
        q.continue_after(*p);
      }
    }
    frontier = std::move(next);
  }
  return members;
}

// A urn:uuid (RFC 9562 version 8, from SHA-256) naming a marking event by its content,
// so that capturing the same marking twice stores it once (EPCIS 2.0 §8.2.7).
std::string marking_event_id(int64_t recall_id, const std::vector<std::string>& items) {
  std::string text = "serialtrack recall " + std::to_string(recall_id);
  for (const auto& i : items) text += "\n" + i;
  std::string h = crypto::to_hex(crypto::sha256(text));
  h[12] = '8';
  h[16] = "89ab"[std::stoi(h.substr(16, 1), nullptr, 16) & 3];
  return "urn:uuid:" + h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" +
         h.substr(16, 4) + "-" + h.substr(20, 12);
}

epcis::Event marking_event(int64_t recall_id, std::vector<std::string> items, int64_t now) {
  epcis::Event e;
  e.type = epcis::EventType::kObject;
  e.action = epcis::Action::kObserve;
  e.event_time = {now, 0};
  e.event_id = marking_event_id(recall_id, items);
  e.epc_list = std::move(items);
  e.disposition = std::string(kRecalled);
  e.persistent_disposition.set = {std::string(kRecalled)};  // EPCIS 2.0 §7.3.5.5
  epcis::Extension x;
  x.ns = std::string(kRecallNamespace);
  x.prefix = std::string(kRecallNamespacePrefix);
  x.name = std::string(kRecallIdField);
  x.value = std::to_string(recall_id);
  e.extensions.push_back(std::move(x));
  return e;
}

bool recalled(const ItemState& s) {
  return std::find(s.persistent_dispositions.begin(), s.persistent_dispositions.end(), kRecalled) !=
         s.persistent_dispositions.end();
}

// The query for a recall's marking events.
store::EventQuery marking_query(int64_t recall_id) {
  store::EventQuery q;
  q.event_types = {epcis::EventType::kObject};
  q.persistent_disposition_set = {std::string(kRecalled)};
  store::EventQuery::FieldFilter f;
  f.field = std::string(kRecallNamespace) + "#" + std::string(kRecallIdField);
  f.values = {std::to_string(recall_id)};
  q.fields.push_back(std::move(f));
  q.limit = 10'000;
  return q;
}

ServiceResult<std::vector<store::StoredEvent>> all_events(store::Store& store,
                                                          store::EventQuery q) {
  std::vector<store::StoredEvent> out;
  for (;;) {
    auto p = store.query(q);
    if (!p) return unexpected(store_failure(p.error()));
    for (auto& e : p->events) out.push_back(std::move(e));
    if (!p->next_after) break;
    q.continue_after(*p);
  }
  return out;
}

// Definitions are stored as JSON (the same as recall_json without id and created).
json::object definition_json(const RecallDefinition& d) {
  json::object o;
  o["gtin"] = d.gtin;
  json::array lots(d.lots.begin(), d.lots.end());
  o["lots"] = std::move(lots);
  json::array serials(d.serials.begin(), d.serials.end());
  o["serials"] = std::move(serials);
  json::array ranges;
  for (const auto& r : d.serial_ranges) ranges.push_back({{"first", r.first}, {"last", r.last}});
  o["serialRanges"] = std::move(ranges);
  o["expiryFrom"] = d.expiry_from;
  o["expiryTo"] = d.expiry_to;
  json::array q;
  for (const auto& [k, v] : d.query) q.push_back({{"name", k}, {"value", v}});
  o["query"] = std::move(q);
  o["reason"] = d.reason;
  o["severity"] = recall_severity_name(d.severity);
  o["instructions"] = d.instructions;
  return o;
}

ServiceResult<Recall> load(store::Recalls& recalls, int64_t id) {
  auto r = recalls.get(id);
  if (!r) return unexpected(store_failure(r.error()));
  if (!*r)
    return unexpected(
        ServiceError{ServiceError::Kind::kNotFound, "no recall " + std::to_string(id)});
  auto d = recall_definition_from_json((*r)->definition);
  if (!d)
    return unexpected(ServiceError{ServiceError::Kind::kStore,
                                   "recall " + std::to_string(id) + " cannot be read"});
  return Recall{(*r)->id, (*r)->created, std::move(*d)};
}

std::string rfc3339(int64_t nanos) {
  return epcis::format_timestamp_utc({nanos, 0});
}

json::object recall_object(const Recall& r) {
  json::object o;
  o["id"] = r.id;
  o["created"] = rfc3339(r.created);
  for (auto& [k, v] : definition_json(r.definition)) o[k] = v;
  return o;
}

json::object counts_object(const RecallCounts& c) {
  return {{"total", c.total},
          {"located", c.located},
          {"returned", c.returned},
          {"destroyed", c.destroyed},
          {"inField", c.in_field}};
}

std::string containers_text(const AffectedItem& item) {
  std::string out;
  for (const auto& c : item.containers) out += (out.empty() ? "" : ";") + c;
  return out;
}

}  // namespace

std::string_view recall_severity_name(RecallSeverity s) {
  switch (s) {
    case RecallSeverity::kClassI:
      return "I";
    case RecallSeverity::kClassII:
      return "II";
    case RecallSeverity::kClassIII:
      return "III";
  }
  return "II";
}

std::optional<RecallSeverity> recall_severity_from_name(std::string_view name) {
  std::string n;
  for (char c : name) n.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  for (std::string_view p : {"class-", "class ", "class"})
    if (n.starts_with(p)) n = n.substr(p.size());
  if (n == "i" || n == "1") return RecallSeverity::kClassI;
  if (n == "ii" || n == "2") return RecallSeverity::kClassII;
  if (n == "iii" || n == "3") return RecallSeverity::kClassIII;
  return std::nullopt;
}

std::string_view recall_status_name(RecallStatus s) {
  switch (s) {
    case RecallStatus::kInField:
      return "in_field";
    case RecallStatus::kLocated:
      return "located";
    case RecallStatus::kReturned:
      return "returned";
    case RecallStatus::kDestroyed:
      return "destroyed";
  }
  return "in_field";
}

ServiceResult<std::pair<Recall, RecallRun>> create_recall(store::Store& store,
                                                          store::Recalls& recalls,
                                                          const RecallDefinition& definition,
                                                          const WorkProgress& progress) {
  if (auto e = validate(definition)) return unexpected(std::move(*e));
  auto rec = recalls.create(json::serialize(definition_json(definition)), clock_nanos());
  if (!rec) return unexpected(store_failure(rec.error()));
  Recall recall{rec->id, rec->created, definition};
  auto run = run_recall(store, recalls, rec->id, progress);
  if (!run) return unexpected(std::move(run).error());
  return std::make_pair(std::move(recall), std::move(*run));
}

ServiceResult<RecallRun> run_recall(store::Store& store, store::Recalls& recalls, int64_t id,
                                    const WorkProgress& progress) {
  auto recall = load(recalls, id);
  if (!recall) return unexpected(std::move(recall).error());
  auto matched = find_matches(store, recall->definition);
  if (!matched) return unexpected(std::move(matched).error());
  std::vector<store::RecallMember> found;
  for (const auto& [key, s] : matched->items) found.push_back({key, "matched", ""});
  auto members = derive(store, std::move(found));
  if (!members) return unexpected(std::move(members).error());
  if (auto r = recalls.add_members(id, *members); !r) return unexpected(store_failure(r.error()));
  auto all = recalls.members(id);
  if (!all) return unexpected(store_failure(all.error()));

  RecallRun run;
  run.members = all->size();
  run.not_found = std::move(matched->not_found);
  std::unordered_map<std::string, const ItemState*> known;
  for (const auto& [key, s] : matched->items) known.emplace(key, &s);
  std::vector<std::string> batch;
  // Events of kMarkBatch items, kEventsPerCapture to a transaction: one commit each.
  std::vector<epcis::Event> pending;
  size_t pending_items = 0;
  auto commit = [&]() -> std::optional<ServiceError> {
    if (pending.empty()) return std::nullopt;
    auto r = capture(store, pending);
    if (!r) return store_failure(r.error());
    run.newly_marked += pending_items;
    pending.clear();
    pending_items = 0;
    return std::nullopt;
  };
  auto flush = [&](bool last) -> std::optional<ServiceError> {
    if (!batch.empty()) {
      pending_items += batch.size();
      pending.push_back(marking_event(id, std::move(batch), clock_nanos()));
      batch.clear();
    }
    return last || pending.size() == kEventsPerCapture ? commit() : std::nullopt;
  };
  size_t done = 0;
  for (const auto& m : *all) {
    const ItemState* s = nullptr;
    std::optional<ItemState> looked_up;  // a member that did not match (a container...)
    if (auto it = known.find(m.id); it != known.end()) {
      s = it->second;
    } else {
      auto r = state_of(store, m.id);
      if (!r) return unexpected(std::move(r).error());
      looked_up = std::move(*r);
      if (looked_up) s = &*looked_up;
    }
    if (s && recalled(*s))
      ++run.already_marked;
    else if (!s || !s->commissioned || s->decommissioned)
      ++run.not_marked;  // CBV 2.0 §7.2: no event after an item's life ended
    else
      batch.push_back(s->id);
    if (batch.size() == kMarkBatch)
      if (auto e = flush(false)) return unexpected(std::move(*e));
    if (progress && (++done % 1000 == 0 || done == all->size())) progress(done, all->size());
  }
  if (auto e = flush(true)) return unexpected(std::move(*e));
  return run;
}

ServiceResult<RecallReport> recall_report(store::Store& store, store::Recalls& recalls, int64_t id,
                                          const WorkProgress& progress) {
  auto recall = load(recalls, id);
  if (!recall) return unexpected(std::move(recall).error());
  auto members = recalls.members(id);
  if (!members) return unexpected(store_failure(members.error()));
  auto marks = all_events(store, marking_query(id));
  if (!marks) return unexpected(std::move(marks).error());
  std::unordered_set<std::string> mark_ids;
  for (const auto& e : *marks) mark_ids.insert(e.event.event_id);
  // Returns: receiving events since the recall with disposition recalled or returned.
  store::EventQuery rq;
  rq.ge_event_time = recall->created;
  rq.biz_steps = {std::string(kReceiving)};
  rq.dispositions = {std::string(kRecalled), std::string(kReturned)};
  rq.exists_error_declaration = false;
  rq.limit = 10'000;
  auto returns = all_events(store, rq);
  if (!returns) return unexpected(std::move(returns).error());
  std::unordered_set<std::string> returned;
  for (const auto& e : *returns) {
    for (const auto& i : e.event.epc_list) returned.insert(key_of(i));
    if (!e.event.parent_id.empty()) returned.insert(key_of(e.event.parent_id));
  }

  RecallReport out;
  out.recall = std::move(*recall);
  std::map<std::string, RecallCounts> per;
  std::unordered_map<std::string, std::optional<ItemState>> container_states;
  std::vector<std::string> container_order;
  std::unordered_map<std::string, std::string> container_via;
  size_t done = 0;
  for (const auto& m : *members) {
    AffectedItem item;
    item.id = m.id;
    item.role = m.role;
    item.via = m.via;
    auto s = state_of(store, m.id);
    if (!s) return unexpected(std::move(s).error());
    item.state = std::move(*s);
    bool is_returned = returned.count(m.id) > 0;
    // The containers it is in now, nearest first (EPCIS 2.0 §7.4.3 AggregationEvent).
    std::string parent = item.state ? item.state->parent : "";
    std::set<std::string> cycle;
    while (!parent.empty() && cycle.insert(key_of(parent)).second) {
      std::string pk = key_of(parent);
      item.containers.push_back(pk);
      is_returned = is_returned || returned.count(pk) > 0;
      auto it = container_states.find(pk);
      if (it == container_states.end()) {
        auto cs = state_of(store, parent);
        if (!cs) return unexpected(std::move(cs).error());
        it = container_states.emplace(pk, std::move(*cs)).first;
        container_order.push_back(pk);
        container_via.emplace(pk, m.id);
      }
      parent = it->second ? it->second->parent : "";
    }
    RecallStatus status = RecallStatus::kInField;
    if (item.state) {
      const ItemState& st = *item.state;
      item.custodian = !st.possessor.empty() ? st.possessor : st.owner;
      if (st.decommissioned)
        status = RecallStatus::kDestroyed;
      else if (is_returned)
        status = RecallStatus::kReturned;
      else if (st.last_seen && st.last_seen->unix_nanos >= out.recall.created &&
               !mark_ids.count(st.last_event_id))
        status = RecallStatus::kLocated;
    }
    item.status = status;
    for (RecallCounts* c : {&out.totals, &per[item.custodian]}) {
      ++c->total;
      switch (status) {
        case RecallStatus::kInField:
          ++c->in_field;
          break;
        case RecallStatus::kLocated:
          ++c->located;
          break;
        case RecallStatus::kReturned:
          ++c->returned;
          break;
        case RecallStatus::kDestroyed:
          ++c->destroyed;
          break;
      }
    }
    out.items.push_back(std::move(item));
    if (progress && (++done % 1000 == 0 || done == members->size()))
      progress(done, members->size());
  }
  std::unordered_set<std::string> member_ids;
  for (const auto& m : *members) member_ids.insert(m.id);
  for (const auto& k : container_order) {
    if (member_ids.count(k)) continue;  // a container that is itself recalled
    AffectedItem c;
    c.id = k;
    c.role = "container";
    c.via = container_via[k];
    c.state = container_states[k];
    if (c.state) {
      c.custodian = !c.state->possessor.empty() ? c.state->possessor : c.state->owner;
      std::string parent = c.state->parent;
      std::set<std::string> cycle;
      while (!parent.empty() && cycle.insert(key_of(parent)).second) {
        c.containers.push_back(key_of(parent));
        auto it = container_states.find(key_of(parent));
        parent = it != container_states.end() && it->second ? it->second->parent : "";
      }
    }
    out.items.push_back(std::move(c));
  }
  for (auto& [custodian, c] : per) {
    c.custodian = custodian;
    out.per_custodian.push_back(c);
  }
  return out;
}

ServiceResult<RecallReport> recall_report(store::Store& store, store::Recalls& recalls,
                                          store::WarrantyRecords& warranty, int64_t id,
                                          const WorkProgress& progress) {
  auto report = recall_report(store, recalls, id, progress);
  if (!report) return report;
  for (auto& item : report->items) {
    if (item.role == "container") continue;
    auto key = warranty_item_key(item.id);
    if (!key) continue;  // not a serialised trade item: no warranty
    auto r = warranty.registration(*key);
    if (!r) return unexpected(ServiceError{ServiceError::Kind::kStore, r.error().message});
    if (*r) item.customer_reference = (*r)->owner;
  }
  return report;
}

RecallReport custodian_view(RecallReport report, const std::string& party_gln) {
  auto named = [&](const std::string& custodian) {
    auto gln = store::party_gln(custodian);
    return gln && *gln == party_gln;
  };
  std::erase_if(report.items, [&](const AffectedItem& i) { return !named(i.custodian); });
  for (auto& i : report.items) i.customer_reference.clear();
  std::erase_if(report.per_custodian, [&](const RecallCounts& c) { return !named(c.custodian); });
  RecallCounts totals;
  for (const auto& c : report.per_custodian) {
    totals.total += c.total;
    totals.located += c.located;
    totals.returned += c.returned;
    totals.destroyed += c.destroyed;
    totals.in_field += c.in_field;
  }
  report.totals = totals;
  return report;
}

ServiceResult<Recall> find_recall(store::Recalls& recalls, int64_t id) {
  return load(recalls, id);
}

ServiceResult<std::vector<Recall>> list_recalls(store::Recalls& recalls) {
  auto all = recalls.list();
  if (!all) return unexpected(store_failure(all.error()));
  std::vector<Recall> out;
  for (const auto& r : *all) {
    auto d = recall_definition_from_json(r.definition);
    if (!d)
      return unexpected(ServiceError{ServiceError::Kind::kStore,
                                     "recall " + std::to_string(r.id) + " cannot be read"});
    out.push_back({r.id, r.created, std::move(*d)});
  }
  return out;
}

ServiceResult<epcis::Document> recall_document(store::Store& store, store::Recalls& recalls,
                                               int64_t id) {
  auto recall = load(recalls, id);
  if (!recall) return unexpected(std::move(recall).error());
  auto marks = all_events(store, marking_query(id));
  if (!marks) return unexpected(std::move(marks).error());
  epcis::Document doc;
  doc.creation_date = epcis::Timestamp{clock_nanos(), 0};
  doc.namespaces = {{std::string(kRecallNamespacePrefix), std::string(kRecallNamespace)}};
  for (auto& e : *marks) doc.events.push_back(std::move(e.event));
  return doc;
}

ServiceResult<RecallDefinition> recall_definition_from_json(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object())
    return unexpected(invalid_argument("a recall definition is a JSON object"));
  const json::object& o = v.as_object();
  std::string error;
  auto fail = [&](std::string message) {
    if (error.empty()) error = std::move(message);
    return std::string();
  };
  auto text_of = [&](const json::value& x, const std::string& where) {
    return x.is_string() ? std::string(x.as_string()) : fail(where + " is not a string");
  };
  auto str = [&](const char* k) {
    auto* p = o.if_contains(k);
    return p ? text_of(*p, k) : std::string();
  };
  auto strings = [&](const char* k) {
    std::vector<std::string> out;
    if (auto* p = o.if_contains(k)) {
      if (!p->is_array()) return fail(std::string(k) + " is not an array"), out;
      for (const auto& x : p->as_array()) out.push_back(text_of(x, std::string(k) + "[]"));
    }
    return out;
  };
  // [{"a": "...", "b": "..."}, ...] as pairs.
  auto pairs = [&](const char* k, const char* a, const char* b) {
    std::vector<std::pair<std::string, std::string>> out;
    auto* p = o.if_contains(k);
    if (!p) return out;
    if (!p->is_array()) return fail(std::string(k) + " is not an array"), out;
    for (const auto& x : p->as_array()) {
      const json::object* e = x.if_object();
      const json::value* va = e ? e->if_contains(a) : nullptr;
      const json::value* vb = e ? e->if_contains(b) : nullptr;
      if (!va || !vb) {
        fail(std::string(k) + "[] is not an object {\"" + a + "\", \"" + b + "\"}");
        break;
      }
      out.emplace_back(text_of(*va, std::string(k) + "[]." + a),
                       text_of(*vb, std::string(k) + "[]." + b));
    }
    return out;
  };
  static constexpr std::string_view kFields[] = {
      "id",         "created",  "gtin",  "lots",   "serials",  "serialRanges",
      "expiryFrom", "expiryTo", "query", "reason", "severity", "instructions"};
  for (const auto& [k, x] : o)
    if (std::find(std::begin(kFields), std::end(kFields), std::string_view(k)) == std::end(kFields))
      fail("unknown field \"" + std::string(k) + "\"");
  RecallDefinition d;
  d.gtin = str("gtin");
  d.lots = strings("lots");
  d.serials = strings("serials");
  for (auto& [first, last] : pairs("serialRanges", "first", "last"))
    d.serial_ranges.push_back({std::move(first), std::move(last)});
  d.expiry_from = str("expiryFrom");
  d.expiry_to = str("expiryTo");
  d.query = pairs("query", "name", "value");
  d.reason = str("reason");
  if (std::string severity = str("severity"); !severity.empty()) {
    auto s = recall_severity_from_name(severity);
    if (!s) fail("severity \"" + severity + "\" is not I, II or III");
    d.severity = s.value_or(RecallSeverity::kClassII);
  }
  d.instructions = str("instructions");
  if (!error.empty()) return unexpected(invalid_argument(std::move(error)));
  return d;
}

std::string recall_json(const Recall& r) {
  return json::serialize(recall_object(r));
}

std::string recalls_json(const std::vector<Recall>& recalls) {
  json::array a;
  for (const auto& r : recalls) a.push_back(recall_object(r));
  return json::serialize(a);
}

std::string recall_run_json(const RecallRun& run) {
  json::array nf(run.not_found.begin(), run.not_found.end());
  return json::serialize(json::object{{"members", run.members},
                                      {"newlyMarked", run.newly_marked},
                                      {"alreadyMarked", run.already_marked},
                                      {"notMarked", run.not_marked},
                                      {"notFound", std::move(nf)}});
}

std::string recall_report_json(const RecallReport& r) {
  json::object o;
  o["recall"] = recall_object(r.recall);
  json::array items;
  for (const auto& i : r.items) {
    json::object x;
    x["id"] = i.id;
    x["role"] = i.role;
    x["via"] = i.via;
    x["containers"] = json::array(i.containers.begin(), i.containers.end());
    x["custodian"] = i.custodian;
    const ItemState empty;
    const ItemState& s = i.state ? *i.state : empty;
    x["owner"] = s.owner;
    x["possessor"] = s.possessor;
    x["location"] = s.biz_location;
    x["disposition"] = s.disposition;
    x["persistentDispositions"] =
        json::array(s.persistent_dispositions.begin(), s.persistent_dispositions.end());
    x["lot"] = s.lot;
    x["expiry"] = s.expiry;
    x["lastEventTime"] =
        s.last_seen ? json::value(rfc3339(s.last_seen->unix_nanos)) : json::value(nullptr);
    x["status"] = i.status ? json::value(recall_status_name(*i.status)) : json::value(nullptr);
    if (!i.customer_reference.empty()) x["customerReference"] = i.customer_reference;
    items.push_back(std::move(x));
  }
  o["items"] = std::move(items);
  json::object progress = counts_object(r.totals);
  json::array per;
  for (const auto& c : r.per_custodian) {
    json::object x = counts_object(c);
    x["custodian"] = c.custodian;
    per.push_back(std::move(x));
  }
  progress["perCustodian"] = std::move(per);
  o["progress"] = std::move(progress);
  return json::serialize(o);
}

std::string recall_report_csv(const RecallReport& r) {
  std::string out;
  append_csv_row(out, std::vector<std::string>{"id", "role", "via", "containers", "custodian",
                                               "location", "disposition", "status", "lot", "expiry",
                                               "last_event_time", "customer_reference"});
  for (const auto& i : r.items) {
    const ItemState empty;
    const ItemState& s = i.state ? *i.state : empty;
    append_csv_row(
        out,
        std::vector<std::string>{
            i.id, i.role, i.via, containers_text(i), i.custodian, s.biz_location, s.disposition,
            i.status ? std::string(recall_status_name(*i.status)) : "", s.lot, s.expiry,
            s.last_seen ? rfc3339(s.last_seen->unix_nanos) : "", i.customer_reference});
  }
  return out;
}

}  // namespace serialtrack::trace

#include "trace/inventory.h"

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "epcis/identifiers.h"
#include "epcis/time.h"
#include "gs1/check_digit.h"
#include "trace/csv.h"

namespace serialtrack::trace {
namespace {

using store::StockFacet;

constexpr std::string_view kDlGtinPrefix = "https://id.gs1.org/01/";

bool is_gtin14(const std::string& g) {
  return g.size() == 14 && g.find_first_not_of("0123456789") == std::string::npos;
}

std::optional<ServiceError> check_filter(const store::StockFilter& f) {
  if (!f.gtin.empty() && !is_gtin14(f.gtin))
    return invalid_argument("GTIN \"" + f.gtin + "\" is not 14 digits");
  return std::nullopt;
}

// Item states in memory, keyed by canonical identifier: the replay of stock at a time.
class ReplayStates final : public ItemStates {
 public:
  std::optional<ItemState> get(const std::string& id) override {
    auto it = states_.find(key(id));
    if (it == states_.end()) return std::nullopt;
    return it->second;
  }
  void put(const ItemState& s) override {
    std::string k = key(s.id);
    auto it = states_.find(k);
    if (it != states_.end() && it->second.parent != s.parent) {
      if (!it->second.parent.empty()) children_[key(it->second.parent)].erase(s.id);
    }
    if (!s.parent.empty()) children_[key(s.parent)].insert(s.id);
    states_[k] = s;
  }
  std::vector<std::string> children_of(const std::string& parent) override {
    auto it = children_.find(key(parent));
    if (it == children_.end()) return {};
    return {it->second.begin(), it->second.end()};
  }
  const std::unordered_map<std::string, ItemState>& states() const { return states_; }

 private:
  static std::string key(const std::string& id) {
    auto k = epcis::canonical_key(id);
    return k ? *k : id;
  }
  std::unordered_map<std::string, ItemState> states_;
  std::unordered_map<std::string, std::set<std::string>> children_;
};

ServiceResult<StockReport> stock_as_of(store::Store& store, store::StockCounts& counts,
                                       const StockRequest& request) {
  std::set<std::string> locations;
  if (!request.filter.location.empty()) {
    auto l = counts.location_and_descendants(request.filter.location);
    if (!l) return unexpected(store_failure(l.error()));
    locations.insert(l->begin(), l->end());
  }
  // Every event up to the time, in eventTime order: the state each item had then.
  store::EventQuery q;
  q.lt_event_time = *request.as_of + 1;
  q.order_by = store::EventQuery::OrderBy::kEventTime;
  q.descending = false;
  q.exists_error_declaration = false;
  q.limit = 10'000;
  ReplayStates states;
  for (;;) {
    auto page = store.query(q);
    if (!page) return unexpected(store_failure(page.error()));
    for (const auto& e : page->events) apply_event(e.event, states);
    if (!page->next_after) break;
    q.continue_after(*page);
  }
  std::map<std::vector<std::string>, uint64_t> groups;
  const auto& f = request.filter;
  for (const auto& [key, s] : states.states()) {
    store::ItemFacets x = item_facets(s);
    if (!x.in_stock) continue;
    if ((!f.gtin.empty() && x.gtin != f.gtin) || (!f.lot.empty() && x.lot != f.lot) ||
        (!f.custodian.empty() && x.custodian != f.custodian) ||
        (!f.custodian_party.empty() && store::party_gln(x.custodian) != f.custodian_party) ||
        (!f.disposition.empty() && x.disposition != f.disposition) ||
        (!f.location.empty() && !locations.count(x.location)))
      continue;
    store::StockCount c{x.gtin, x.lot, x.location, x.custodian, x.disposition, 0};
    std::vector<std::string> group;
    for (StockFacet b : request.by) group.push_back(c.field(b));
    ++groups[group];
  }
  StockReport out;
  out.by = request.by;
  out.as_of = request.as_of;
  for (const auto& [group, n] : groups) {
    store::StockCount c;
    for (size_t i = 0; i < group.size(); ++i) c.field(request.by[i]) = group[i];
    c.count = n;
    out.total += n;
    out.lines.push_back(std::move(c));
  }
  return out;
}

int64_t clock_nanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<std::chrono::sys_days> parse_day(const std::string& d) {
  int y, m, day;
  char tail;
  if (d.size() != 10 || std::sscanf(d.c_str(), "%4d-%2d-%2d%c", &y, &m, &day, &tail) != 3)
    return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year(y),
                                  std::chrono::month(static_cast<unsigned>(m)),
                                  std::chrono::day(static_cast<unsigned>(day))};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days(ymd);
}

std::string format_day(std::chrono::sys_days d) {
  std::chrono::year_month_day ymd(d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

std::string rfc3339(int64_t nanos) {
  return epcis::format_timestamp_utc({nanos, 0});
}

boost::json::object count_json(const store::StockCount& c, const std::vector<StockFacet>& by) {
  boost::json::object o;
  for (StockFacet f : by) {
    o[store::stock_field_name(f)] = c.field(f);
  }
  o["count"] = c.count;
  return o;
}

// The GTIN of an SGTIN (GS1 GenSpecs 3.4.2: AI 01 with AI 21; TDS 2.1 §6.3.1 for the
// URN "urn:epc:id:sgtin:CompanyPrefix.IndicatorItemRef.Serial"), or "". The URN is read
// directly: this runs for every item a capture writes.
std::string gtin_of_sgtin(const std::string& id) {
  constexpr std::string_view kUrn = "urn:epc:id:sgtin:";
  if (id.starts_with(kUrn)) {
    size_t dot = id.find('.', kUrn.size());
    size_t dot2 = dot == std::string::npos ? dot : id.find('.', dot + 1);
    if (dot2 == std::string::npos || dot2 - kUrn.size() != 14 || dot2 == dot + 1) return {};
    std::string body = id.substr(dot + 1, 1) + id.substr(kUrn.size(), dot - kUrn.size()) +
                       id.substr(dot + 2, dot2 - dot - 2);
    if (body.find_first_not_of("0123456789") != std::string::npos) return {};
    auto check = gs1::mod10_check_digit(body);
    return check ? body + *check : std::string();
  }
  auto key = epcis::canonical_key(id);
  if (key && key->size() >= kDlGtinPrefix.size() + 18 && key->starts_with(kDlGtinPrefix) &&
      key->compare(kDlGtinPrefix.size() + 14, 4, "/21/") == 0)
    return key->substr(kDlGtinPrefix.size(), 14);
  return {};
}

}  // namespace

store::ItemFacets item_facets(const ItemState& s) {
  store::ItemFacets f;
  f.gtin = gtin_of_sgtin(s.id);
  f.in_stock = s.commissioned && !s.decommissioned && !f.gtin.empty();
  f.lot = s.lot;
  f.location = s.biz_location;
  f.custodian = !s.possessor.empty() ? s.possessor : s.owner;
  f.disposition = s.disposition;
  f.expiry = s.expiry;
  f.last_event_time = s.last_seen ? s.last_seen->unix_nanos : 0;
  return f;
}

std::string_view stock_facet_name(StockFacet facet) {
  return facet == StockFacet::kProduct ? "product" : store::stock_field_name(facet);
}

std::optional<StockFacet> stock_facet_from_name(std::string_view name) {
  for (StockFacet f : {StockFacet::kProduct, StockFacet::kLot, StockFacet::kLocation,
                       StockFacet::kCustodian, StockFacet::kDisposition})
    if (stock_facet_name(f) == name) return f;
  return std::nullopt;
}

ServiceResult<StockReport> stock(store::Store& store, store::StockCounts& counts,
                                 const StockRequest& request) {
  if (auto e = check_filter(request.filter)) return unexpected(std::move(*e));
  if (request.as_of) return stock_as_of(store, counts, request);
  auto lines = counts.count(request.filter, request.by);
  if (!lines) return unexpected(store_failure(lines.error()));
  StockReport out;
  out.by = request.by;
  out.lines = std::move(*lines);
  for (const auto& l : out.lines) out.total += l.count;
  return out;
}

ServiceResult<store::StockItems> ageing(store::StockCounts& counts, const AgeingRequest& r) {
  if (auto e = check_filter(r.filter)) return unexpected(std::move(*e));
  if (r.days < 0) return unexpected(invalid_argument("days must not be negative"));
  int64_t before = r.now.value_or(clock_nanos()) - int64_t{r.days} * 86'400'000'000'000;
  auto items = counts.last_event_before(r.filter, before, r.limit);
  if (!items) return unexpected(store_failure(items.error()));
  return std::move(*items);
}

ServiceResult<store::StockItems> expiring(store::StockCounts& counts, const ExpiryRequest& r) {
  if (auto e = check_filter(r.filter)) return unexpected(std::move(*e));
  if (r.days < 0) return unexpected(invalid_argument("days must not be negative"));
  std::chrono::sys_days today =
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  if (!r.today.empty()) {
    auto d = parse_day(r.today);
    if (!d) return unexpected(invalid_argument("\"" + r.today + "\" is not a date YYYY-MM-DD"));
    today = *d;
  }
  auto items = counts.expiring_by(r.filter, format_day(today + std::chrono::days(r.days)), r.limit);
  if (!items) return unexpected(store_failure(items.error()));
  return std::move(*items);
}

ServiceResult<void*> set_minimum(store::StockCounts& counts, const store::StockMinimum& m) {
  if (!is_gtin14(m.gtin))
    return unexpected(invalid_argument("GTIN \"" + m.gtin + "\" is not 14 digits"));
  auto r = counts.set_minimum(m);
  if (!r) return unexpected(store_failure(r.error()));
  return nullptr;
}

ServiceResult<std::vector<MinimumCheck>> check_minimums(store::StockCounts& counts) {
  auto mins = counts.minimums();
  if (!mins) return unexpected(store_failure(mins.error()));
  std::vector<MinimumCheck> out;
  for (const auto& m : *mins) {
    store::StockFilter f;
    f.gtin = m.gtin;
    f.location = m.location;
    auto c = counts.count(f, {});
    if (!c) return unexpected(store_failure(c.error()));
    out.push_back({m, c->empty() ? 0 : c->front().count});
  }
  return out;
}

std::string stock_report_json(const StockReport& r) {
  boost::json::object o;
  o["asOf"] = r.as_of ? boost::json::value(rfc3339(*r.as_of)) : boost::json::value(nullptr);
  boost::json::array by;
  for (StockFacet f : r.by) by.emplace_back(stock_facet_name(f));
  o["by"] = std::move(by);
  o["total"] = r.total;
  boost::json::array lines;
  for (const auto& l : r.lines) lines.push_back(count_json(l, r.by));
  o["lines"] = std::move(lines);
  return boost::json::serialize(o);
}

std::string stock_items_json(const store::StockItems& items) {
  boost::json::object o;
  boost::json::array per;
  for (const auto& c : items.per_location)
    per.push_back({{"location", c.location}, {"count", c.count}});
  o["perLocation"] = std::move(per);
  boost::json::array list;
  for (const auto& i : items.items)
    list.push_back({{"id", i.id},
                    {"gtin", i.gtin},
                    {"lot", i.lot},
                    {"location", i.location},
                    {"custodian", i.custodian},
                    {"disposition", i.disposition},
                    {"expiry", i.expiry},
                    {"lastEventTime", rfc3339(i.last_event_time)}});
  o["items"] = std::move(list);
  return boost::json::serialize(o);
}

std::string minimum_checks_json(const std::vector<MinimumCheck>& checks) {
  boost::json::array a;
  for (const auto& c : checks)
    a.push_back({{"gtin", c.minimum.gtin},
                 {"location", c.minimum.location},
                 {"minimum", c.minimum.minimum},
                 {"stock", c.stock},
                 {"short", c.short_of_minimum()}});
  return boost::json::serialize(a);
}

std::string stock_report_csv(const StockReport& r) {
  std::string out;
  std::vector<std::string> header;
  for (StockFacet f : r.by) header.emplace_back(store::stock_field_name(f));
  header.emplace_back("count");
  append_csv_row(out, header);
  for (const auto& l : r.lines) {
    std::vector<std::string> row;
    for (StockFacet f : r.by) row.push_back(l.field(f));
    row.push_back(std::to_string(l.count));
    append_csv_row(out, row);
  }
  return out;
}

}  // namespace serialtrack::trace

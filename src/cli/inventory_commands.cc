// `serialtrack inventory [ageing|expiring|minimum set|minimum check]`: stock now or at a
// past time by product, lot, location, custodian or disposition; slow movers, items near
// expiry, and stock below its minimum.
#include <iostream>

#include "cli/commands.h"
#include "cli/database.h"
#include "cli/terminal.h"
#include "epcis/time.h"
#include "trace/inventory.h"

namespace serialtrack::cli {
namespace {

struct InventoryFlags {
  std::string db;
  store::StockFilter filter;
  std::vector<std::string> by;
  std::string as_of, now, today;
  int days = 0;
  size_t limit = 100;
  uint64_t minimum = 0;
  bool json = false, csv = false;
};

int usage(const std::string& message) {
  std::cerr << "serialtrack: " << message << "\n";
  return 2;
}

std::string dash(const std::string& s) {
  return s.empty() ? "-" : s;
}

struct Opened {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<store::StockCounts> counts;
};

// The event store is opened first: it migrates the file to the schema the counts need.
std::optional<Opened> open_all(const InventoryFlags& f) {
  std::string path = database_path(f.db);
  Opened o;
  o.store = open_event_store(path);
  if (!o.store) return std::nullopt;
  o.counts = open_stock(path);
  if (!o.counts) return std::nullopt;
  return o;
}

int run_stock(const InventoryFlags& f) {
  trace::StockRequest r;
  r.filter = f.filter;
  if (!f.by.empty()) {
    r.by.clear();
    for (const auto& name : f.by) {
      auto facet = trace::stock_facet_from_name(name);
      if (!facet)
        return usage("--by \"" + name +
                     "\" is not product, lot, location, custodian or disposition");
      r.by.push_back(*facet);
    }
  }
  if (!f.as_of.empty()) {
    auto t = epcis::parse_timestamp(f.as_of);
    if (!t) return usage("--as-of \"" + f.as_of + "\" is not a time like 2026-01-31T12:00:00Z");
    r.as_of = t->unix_nanos;
  }
  auto o = open_all(f);
  if (!o) return 3;
  auto report = trace::stock(*o->store, *o->counts, r);
  if (!report) return service_failure(report.error());
  if (f.json) {
    std::cout << trace::stock_report_json(*report) << "\n";
    return 0;
  }
  if (f.csv) {
    std::cout << trace::stock_report_csv(*report);
    return 0;
  }
  std::vector<std::vector<std::string>> rows(1);
  for (auto b : report->by) {
    std::string name(trace::stock_facet_name(b));
    for (auto& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    rows[0].push_back(name);
  }
  rows[0].push_back("COUNT");
  for (const auto& l : report->lines) {
    std::vector<std::string> row;
    for (auto b : report->by) row.push_back(dash(l.field(b)));
    row.push_back(std::to_string(l.count));
    rows.push_back(std::move(row));
  }
  std::cout << text_table(rows) << "total " << report->total << " items"
            << (report->as_of ? " as of " + epcis::format_timestamp_utc({*report->as_of, 0}) : "")
            << "\n";
  return 0;
}

void print_items(const store::StockItems& items, bool json, const std::string& what) {
  if (json) {
    std::cout << trace::stock_items_json(items) << "\n";
    return;
  }
  std::vector<std::vector<std::string>> per = {{"LOCATION", what}};
  for (const auto& c : items.per_location)
    per.push_back({dash(c.location), std::to_string(c.count)});
  std::cout << text_table(per) << "\n";
  std::vector<std::vector<std::string>> rows = {
      {"ITEM", "LOCATION", "LOT", "EXPIRY", "LAST EVENT"}};
  for (const auto& i : items.items)
    rows.push_back({i.id, dash(i.location), dash(i.lot), dash(i.expiry),
                    epcis::format_timestamp_utc({i.last_event_time, 0})});
  std::cout << text_table(rows);
}

int run_ageing(const InventoryFlags& f) {
  trace::AgeingRequest r;
  r.filter = f.filter;
  r.days = f.days;
  r.limit = f.limit;
  if (!f.now.empty()) {
    auto t = epcis::parse_timestamp(f.now);
    if (!t) return usage("--now \"" + f.now + "\" is not a time like 2026-01-31T12:00:00Z");
    r.now = t->unix_nanos;
  }
  auto o = open_all(f);
  if (!o) return 3;
  auto items = trace::ageing(*o->counts, r);
  if (!items) return service_failure(items.error());
  print_items(*items, f.json, "SLOW (NO EVENT IN " + std::to_string(f.days) + " DAYS)");
  return 0;
}

int run_expiring(const InventoryFlags& f) {
  trace::ExpiryRequest r;
  r.filter = f.filter;
  r.days = f.days;
  r.today = f.today;
  r.limit = f.limit;
  auto o = open_all(f);
  if (!o) return 3;
  auto items = trace::expiring(*o->counts, r);
  if (!items) return service_failure(items.error());
  print_items(*items, f.json, "EXPIRING WITHIN " + std::to_string(f.days) + " DAYS");
  return 0;
}

int run_minimum_set(const InventoryFlags& f) {
  auto o = open_all(f);
  if (!o) return 3;
  auto r = trace::set_minimum(*o->counts, {f.filter.gtin, f.filter.location, f.minimum});
  if (!r) return service_failure(r.error());
  return 0;
}

int run_minimum_check(const InventoryFlags& f) {
  auto o = open_all(f);
  if (!o) return 3;
  auto checks = trace::check_minimums(*o->counts);
  if (!checks) return service_failure(checks.error());
  bool any_short = false;
  for (const auto& c : *checks) any_short = any_short || c.short_of_minimum();
  if (f.json) {
    std::cout << trace::minimum_checks_json(*checks) << "\n";
  } else {
    std::vector<std::vector<std::string>> rows = {{"GTIN", "LOCATION", "MINIMUM", "STOCK", ""}};
    for (const auto& c : *checks)
      rows.push_back({c.minimum.gtin,
                      c.minimum.location.empty() ? "(everywhere)" : c.minimum.location,
                      std::to_string(c.minimum.minimum), std::to_string(c.stock),
                      c.short_of_minimum() ? "SHORT" : "ok"});
    std::cout << text_table(rows);
  }
  return any_short ? 1 : 0;  // like a check: non-zero when something is short
}

}  // namespace

void add_inventory_commands(CLI::App& app, int& exit_code) {
  static InventoryFlags f;
  auto filters = [](CLI::App* c) {
    c->add_option("--db", f.db, "database file (default ./serialtrack.db or $SERIALTRACK_DB)");
    c->add_option(
        "--location", f.filter.location,
        "a location id as events name it (SGLN URN or Digital Link), with its sub-locations");
    c->add_option("--gtin", f.filter.gtin, "GTIN-14");
  };
  auto* inv =
      app.add_subcommand("inventory", "stock by product, lot, location, custodian, disposition");
  filters(inv);
  inv->add_option("--lot", f.filter.lot, "lot");
  inv->add_option("--custodian", f.filter.custodian, "custodian party id");
  inv->add_option("--disposition", f.filter.disposition, "disposition (full CBV URI)");
  inv->add_option("--by", f.by,
                  "product|lot|location|custodian|disposition (repeatable; default product)")
      ->delimiter(',');
  inv->add_option("--as-of", f.as_of, "stock at a past time (RFC 3339), replayed from the events");
  auto* json = inv->add_flag("--json", f.json, "as JSON");
  inv->add_flag("--csv", f.csv, "as CSV")->excludes(json);
  inv->callback([inv, &exit_code] {
    if (inv->get_subcommands().empty()) exit_code = run_stock(f);
  });

  auto* ageing =
      inv->add_subcommand("ageing", "slow movers: items with no event in N days, per location");
  filters(ageing);
  ageing->add_option("--days", f.days, "days without an event")->required();
  ageing->add_option("--now", f.now, "the time to count from (RFC 3339; default now)");
  ageing->add_option("--limit", f.limit, "items listed (default 100; all are counted)");
  ageing->add_flag("--json", f.json, "as JSON");
  ageing->callback([&] { exit_code = run_ageing(f); });

  auto* expiring =
      inv->add_subcommand("expiring", "items expiring within N days (or expired), per location");
  filters(expiring);
  expiring->add_option("--days", f.days, "days ahead")->required();
  expiring->add_option("--today", f.today,
                       "the date to count from (YYYY-MM-DD; default today, UTC)");
  expiring->add_option("--limit", f.limit, "items listed (default 100; all are counted)");
  expiring->add_flag("--json", f.json, "as JSON");
  expiring->callback([&] { exit_code = run_expiring(f); });

  auto* minimum = inv->add_subcommand("minimum", "stock minimums per product and location");
  minimum->require_subcommand(1);
  auto* set = minimum->add_subcommand("set", "set a minimum (0 removes it)");
  filters(set);
  set->get_option("--gtin")->required();
  set->add_option("--min", f.minimum, "the minimum")->required();
  set->callback([&] { exit_code = run_minimum_set(f); });
  auto* check =
      minimum->add_subcommand("check", "every minimum with its stock; exit 1 when one is short");
  check->add_option("--db", f.db, "database file (default ./serialtrack.db or $SERIALTRACK_DB)");
  check->add_flag("--json", f.json, "as JSON");
  check->callback([&] { exit_code = run_minimum_check(f); });
}

}  // namespace serialtrack::cli

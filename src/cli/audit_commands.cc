// `serialtrack audit count|schedule set|overdue|list|show`: physical audits (cycle
// counts) of a location against its stock, their schedules and the overdue locations.
#include <iostream>

#include "cli/commands.h"
#include "cli/database.h"
#include "cli/terminal.h"
#include "epcis/time.h"
#include "trace/audit.h"

namespace serialtrack::cli {
namespace {

struct AuditFlags {
  std::string db, location, file, epcis, stdin_dash, custodian, now;
  int64_t every = 0, id = 0;
  bool json = false;
};

int usage(const std::string& message) {
  std::cerr << "serialtrack: " << message << "\n";
  return 2;
}

std::string dash(const std::string& s) {
  return s.empty() ? "-" : s;
}

std::string utc(int64_t nanos) {
  return epcis::format_timestamp_utc({nanos, 0});
}

void print_audit(const store::AuditRecord& r) {
  std::cout << "audit " << r.id << " at " << r.location << ", " << utc(r.counted) << ": " << r.seen
            << " seen, " << r.expected << " expected, " << r.discrepancies.size()
            << " discrepancies (event " << r.event_id << ")\n";
  if (r.discrepancies.empty()) return;
  std::vector<std::vector<std::string>> rows = {
      {"KIND", "ITEM", "SYSTEM LOCATION", "STATUS", "CUSTODIAN", "REASON"}};
  for (const auto& d : r.discrepancies)
    rows.push_back({d.kind, d.item, dash(d.location), d.status, dash(d.custodian), d.reason});
  std::cout << text_table(rows);
}

int run_count(const AuditFlags& f) {
  int sources = !f.file.empty() + !f.epcis.empty() + !f.stdin_dash.empty();
  if (sources != 1) return usage("give one of --file SCANS, --epcis FILE or - (scans on stdin)");
  if (!f.stdin_dash.empty() && f.stdin_dash != "-")
    return usage("unexpected argument \"" + f.stdin_dash + "\" (- reads scans from stdin)");
  std::string path = !f.epcis.empty() ? f.epcis : !f.file.empty() ? f.file : "-";
  std::string text;
  if (!read_input(path, text)) return usage("cannot read " + path);
  trace::CountRequest request;
  if (!f.epcis.empty()) {
    auto r = trace::read_count_document(text, f.location);
    if (!r) return service_failure(r.error());
    request = std::move(*r);
  } else {
    auto seen = trace::read_scan_list(text);
    if (!seen) return service_failure(seen.error());
    request.location = f.location;
    request.seen = std::move(*seen);
  }
  request.custodian = f.custodian;
  std::string db = database_path(f.db);
  auto store = open_event_store(db);
  if (!store) return 3;
  auto counts = open_stock(db);
  auto audits = counts ? open_audits(db) : nullptr;
  if (!audits) return 3;
  auto record = trace::count(*store, *counts, *audits, request);
  if (!record) return service_failure(record.error());
  if (f.json)
    std::cout << trace::audit_json(*record) << "\n";
  else
    print_audit(*record);
  return trace::has_discrepancies(*record) ? 1 : 0;
}

std::unique_ptr<store::Audits> audits_of(const AuditFlags& f) {
  std::string db = database_path(f.db);
  if (!open_event_store(db)) return nullptr;  // creates and migrates a new file
  return open_audits(db);
}

int run_schedule_set(const AuditFlags& f) {
  auto audits = audits_of(f);
  if (!audits) return 3;
  auto r = trace::set_audit_schedule(*audits, f.location, f.every);
  if (!r) return service_failure(r.error());
  return 0;
}

int run_overdue(const AuditFlags& f) {
  std::optional<int64_t> now;
  if (!f.now.empty()) {
    auto t = epcis::parse_timestamp(f.now);
    if (!t) return usage("--now \"" + f.now + "\" is not a time like 2026-01-31T12:00:00Z");
    now = t->unix_nanos;
  }
  auto audits = audits_of(f);
  if (!audits) return 3;
  auto overdue = trace::overdue_audits(*audits, now);
  if (!overdue) return service_failure(overdue.error());
  if (f.json) {
    std::cout << trace::audit_schedules_json(*overdue) << "\n";
  } else {
    std::vector<std::vector<std::string>> rows = {{"LOCATION", "EVERY", "LAST AUDITED", "DUE"}};
    for (const auto& s : *overdue)
      rows.push_back({s.schedule.location, std::to_string(s.schedule.every_days) + " days",
                      s.schedule.last_audited ? utc(*s.schedule.last_audited) : "never",
                      s.due ? utc(*s.due) : "now"});
    std::cout << text_table(rows);
  }
  return 0;
}

int run_list(const AuditFlags& f) {
  auto audits = audits_of(f);
  if (!audits) return 3;
  auto list = trace::list_audits(*audits, f.location);
  if (!list) return service_failure(list.error());
  if (f.json) {
    std::cout << trace::audits_json(*list) << "\n";
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {"ID", "LOCATION", "COUNTED", "SEEN", "EXPECTED", "DISCREPANCIES"}};
  for (const auto& r : *list)
    rows.push_back({std::to_string(r.id), r.location, utc(r.counted), std::to_string(r.seen),
                    std::to_string(r.expected), std::to_string(r.discrepancies.size())});
  std::cout << text_table(rows);
  return 0;
}

int run_show(const AuditFlags& f) {
  auto audits = audits_of(f);
  if (!audits) return 3;
  auto r = trace::audit(*audits, f.id);
  if (!r) return service_failure(r.error());
  if (f.json)
    std::cout << trace::audit_json(*r) << "\n";
  else
    print_audit(*r);
  return 0;
}

}  // namespace

void add_audit_commands(CLI::App& app, int& exit_code) {
  static AuditFlags f;
  auto* audit = app.add_subcommand("audit", "physical audits (cycle counts) of locations");
  audit->require_subcommand(1);
  auto db = [](CLI::App* c) {
    c->add_option("--db", f.db, "database file (default ./serialtrack.db or $SERIALTRACK_DB)");
  };

  auto* count = audit->add_subcommand(
      "count", "compare the items seen at a location with its stock; exit 1 on discrepancies");
  db(count);
  count
      ->add_option("--location", f.location,
                   "the location counted (SGLN as events name it), with its sub-locations")
      ->required();
  count->add_option("--file", f.file, "scan list: one identifier a line, any GS1 form");
  count->add_option("--epcis", f.epcis,
                    "an EPCIS document with one ObjectEvent OBSERVE, bizStep cycle_counting");
  count->add_option("scans", f.stdin_dash, "- : the scan list on standard input");
  count->add_option("--custodian", f.custodian,
                    "the party holding stock here: items in another's custody are wrong");
  count->add_flag("--json", f.json, "as JSON");
  count->callback([&] { exit_code = run_count(f); });

  auto* schedule = audit->add_subcommand("schedule", "audit schedules per location");
  schedule->require_subcommand(1);
  auto* set = schedule->add_subcommand("set", "audit a location every N days (0 removes)");
  db(set);
  set->add_option("--location", f.location, "the location (SGLN)")->required();
  set->add_option("--every", f.every, "days between audits")->required();
  set->callback([&] { exit_code = run_schedule_set(f); });

  auto* overdue = audit->add_subcommand("overdue", "locations whose audit is due");
  db(overdue);
  overdue->add_option("--now", f.now, "the time to judge by (RFC 3339; default now)");
  overdue->add_flag("--json", f.json, "as JSON");
  overdue->callback([&] { exit_code = run_overdue(f); });

  auto* list = audit->add_subcommand("list", "counts made, newest first");
  db(list);
  list->add_option("--location", f.location, "only this location's");
  list->add_flag("--json", f.json, "as JSON");
  list->callback([&] { exit_code = run_list(f); });

  auto* show = audit->add_subcommand("show", "one count with its discrepancies");
  db(show);
  show->add_option("id", f.id, "the audit's id")->required();
  show->add_flag("--json", f.json, "as JSON");
  show->callback([&] { exit_code = run_show(f); });
}

}  // namespace serialtrack::cli

// `serialtrack recall create|run|show|list|export`: recalls defined, run (affected items
// marked RECALLED), reported with their progress, and exported for regulators.
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/database.h"
#include "cli/terminal.h"
#include "epcis/json_codec.h"
#include "epcis/time.h"
#include "store/warranty_records.h"
#include "trace/recall.h"

namespace serialtrack::cli {
namespace {

struct RecallFlags {
  std::string db;
  std::string gtin;
  std::vector<std::string> lots;
  std::string serials_file;
  std::vector<std::string> ranges;  // FIRST..LAST
  std::string expiry_from, expiry_to;
  std::vector<std::string> query;  // NAME=VALUE
  std::string reason, severity = "II", instructions;
  int64_t id = 0;
  bool json = false, csv = false;
  std::string format = "csv";
};

int usage(const std::string& message) {
  std::cerr << "serialtrack: " << message << "\n";
  return 2;
}

// Identifiers one per line; blank lines and lines starting with '#' are skipped.
bool read_serials(const std::string& file, std::vector<std::string>& out) {
  std::ifstream f;
  std::istream* in = &std::cin;
  if (file != "-") {
    f.open(file);
    if (!f) return false;
    in = &f;
  }
  std::string line;
  while (std::getline(*in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    size_t start = line.find_first_not_of(' ');
    if (start == std::string::npos || line[start] == '#') continue;
    out.push_back(line.substr(start));
  }
  return true;
}

int run_create(const RecallFlags& f) {
  trace::RecallDefinition d;
  d.gtin = f.gtin;
  d.lots = f.lots;
  if (!f.serials_file.empty() && !read_serials(f.serials_file, d.serials))
    return usage("cannot read " + f.serials_file);
  for (const auto& r : f.ranges) {
    size_t dots = r.find("..");
    if (dots == std::string::npos) return usage("--range \"" + r + "\" is not FIRST..LAST");
    d.serial_ranges.push_back({r.substr(0, dots), r.substr(dots + 2)});
  }
  d.expiry_from = f.expiry_from;
  d.expiry_to = f.expiry_to;
  for (const auto& q : f.query) {
    size_t eq = q.find('=');
    if (eq == std::string::npos) return usage("--query \"" + q + "\" is not NAME=VALUE");
    d.query.emplace_back(q.substr(0, eq), q.substr(eq + 1));
  }
  d.reason = f.reason;
  auto severity = trace::recall_severity_from_name(f.severity);
  if (!severity) return usage("--severity \"" + f.severity + "\" is not I, II or III");
  d.severity = *severity;
  d.instructions = f.instructions;
  std::string path = database_path(f.db);
  auto store = open_event_store(path);
  if (!store) return 3;
  auto recalls = open_recalls(path);
  if (!recalls) return 3;
  ProgressBar bar("marking");
  auto r = trace::create_recall(*store, *recalls, d,
                                [&](size_t done, size_t total) { bar.update(done, total); });
  if (!r) return service_failure(r.error());
  std::cout << r->first.id << "\n";
  const trace::RecallRun& run = r->second;
  std::cerr << run.members << " affected items, " << run.newly_marked << " marked recalled, "
            << run.already_marked << " already recalled, " << run.not_marked
            << " no longer in circulation";
  if (!run.not_found.empty()) std::cerr << ", " << run.not_found.size() << " serials never seen";
  std::cerr << "\n";
  return 0;
}

int run_again(const RecallFlags& f) {
  std::string path = database_path(f.db);
  auto store = open_event_store(path);
  auto recalls = store ? open_recalls(path) : nullptr;
  if (!recalls) return 3;
  ProgressBar bar("marking");
  auto r = trace::run_recall(*store, *recalls, f.id,
                             [&](size_t done, size_t total) { bar.update(done, total); });
  if (!r) return service_failure(r.error());
  std::cout << trace::recall_run_json(*r) << "\n";
  return 0;
}

std::string dash(const std::string& s) {
  return s.empty() ? "-" : s;
}

void print_report(const trace::RecallReport& r) {
  const auto& d = r.recall.definition;
  std::cout << "recall " << r.recall.id << " (class " << trace::recall_severity_name(d.severity)
            << "), created " << epcis::format_timestamp_utc({r.recall.created, 0}) << "\n"
            << "reason: " << d.reason << "\n";
  if (!d.instructions.empty()) std::cout << "instructions: " << d.instructions << "\n";
  std::cout << "\n";
  std::vector<std::vector<std::string>> rows = {
      {"ITEM", "ROLE", "STATUS", "CUSTODIAN", "LOCATION", "DISPOSITION", "CONTAINERS"}};
  for (const auto& i : r.items) {
    std::string containers;
    for (const auto& c : i.containers) containers += (containers.empty() ? "" : " < ") + c;
    rows.push_back({i.id, i.role,
                    i.status ? std::string(trace::recall_status_name(*i.status)) : "-",
                    dash(i.custodian), dash(i.state ? i.state->biz_location : ""),
                    dash(i.state ? i.state->disposition : ""), dash(containers)});
  }
  std::cout << text_table(rows) << "\n";
  std::vector<std::vector<std::string>> progress = {
      {"CUSTODIAN", "TOTAL", "IN FIELD", "LOCATED", "RETURNED", "DESTROYED"}};
  auto row = [](const std::string& name, const trace::RecallCounts& c) {
    return std::vector<std::string>{name,
                                    std::to_string(c.total),
                                    std::to_string(c.in_field),
                                    std::to_string(c.located),
                                    std::to_string(c.returned),
                                    std::to_string(c.destroyed)};
  };
  for (const auto& c : r.per_custodian)
    progress.push_back(row(c.custodian.empty() ? "(unknown)" : c.custodian, c));
  progress.push_back(row("all", r.totals));
  std::cout << text_table(progress);
}

int run_show(const RecallFlags& f, bool export_mode) {
  std::string path = database_path(f.db);
  auto store = open_event_store(path);
  auto recalls = store ? open_recalls(path) : nullptr;
  if (!recalls) return 3;
  std::string format = export_mode ? f.format : (f.json ? "json" : f.csv ? "csv" : "text");
  if (format == "epcis") {
    auto doc = trace::recall_document(*store, *recalls, f.id);
    if (!doc) return service_failure(doc.error());
    std::cout << epcis::encode_json(*doc) << "\n";
    return 0;
  }
  ProgressBar bar("reading");
  auto warranty = store::open_sqlite_warranty(path);
  if (!warranty) {
    std::cerr << "serialtrack: " << warranty.error().message << "\n";
    return 3;
  }
  auto r = trace::recall_report(*store, *recalls, **warranty, f.id,
                                [&](size_t done, size_t total) { bar.update(done, total); });
  if (!r) return service_failure(r.error());
  if (format == "json")
    std::cout << trace::recall_report_json(*r) << "\n";
  else if (format == "csv")
    std::cout << trace::recall_report_csv(*r);
  else
    print_report(*r);
  return 0;
}

int run_list(const RecallFlags& f) {
  auto recalls = open_recalls(database_path(f.db));
  if (!recalls) return 3;
  auto all = trace::list_recalls(*recalls);
  if (!all) return service_failure(all.error());
  if (f.json) {
    std::cout << trace::recalls_json(*all) << "\n";
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {"ID", "CREATED", "CLASS", "GTIN", "LOTS", "REASON"}};
  for (const auto& r : *all) {
    std::string lots;
    for (const auto& l : r.definition.lots) lots += (lots.empty() ? "" : ",") + l;
    rows.push_back({std::to_string(r.id), epcis::format_timestamp_utc({r.created, 0}),
                    std::string(trace::recall_severity_name(r.definition.severity)),
                    dash(r.definition.gtin), dash(lots), r.definition.reason});
  }
  std::cout << text_table(rows);
  return 0;
}

}  // namespace

void add_recall_commands(CLI::App& app, int& exit_code) {
  static RecallFlags f;
  auto* recall = app.add_subcommand("recall", "recalls: define, mark RECALLED, track, export");
  recall->require_subcommand(1);
  auto db = [](CLI::App* c) {
    c->add_option("--db", f.db, "database file (default ./serialtrack.db or $SERIALTRACK_DB)");
  };

  auto* create = recall->add_subcommand(
      "create", "define a recall and mark its items RECALLED; prints its id");
  db(create);
  create->add_option("--gtin", f.gtin, "GTIN-14 of the recalled product");
  create->add_option("--lot", f.lots, "a recalled lot (repeatable)");
  create->add_option("--serials", f.serials_file,
                     "file of item identifiers, one a line (- for stdin)");
  create->add_option("--range", f.ranges, "serials FIRST..LAST of the GTIN (repeatable)");
  create->add_option("--expiry-from", f.expiry_from, "first expiry date recalled (YYYY-MM-DD)");
  create->add_option("--expiry-to", f.expiry_to, "last expiry date recalled (YYYY-MM-DD)");
  create->add_option("--query", f.query,
                     "EPCIS query parameter NAME=VALUE: the items its events name");
  create->add_option("--reason", f.reason, "why")->required();
  create->add_option("--severity", f.severity, "class I, II or III (default II)");
  create->add_option("--instructions", f.instructions, "what holders must do");
  create->callback([&] { exit_code = run_create(f); });

  auto* run = recall->add_subcommand("run", "find new affected items and mark them (idempotent)");
  db(run);
  run->add_option("ID", f.id, "recall id")->required();
  run->callback([&] { exit_code = run_again(f); });

  auto* show = recall->add_subcommand(
      "show", "affected items with containers, custodians, states; progress");
  db(show);
  show->add_option("ID", f.id, "recall id")->required();
  auto* json = show->add_flag("--json", f.json, "as JSON");
  show->add_flag("--csv", f.csv, "as CSV")->excludes(json);
  show->callback([&] { exit_code = run_show(f, false); });

  auto* list = recall->add_subcommand("list", "every recall");
  db(list);
  list->add_flag("--json", f.json, "as JSON");
  list->callback([&] { exit_code = run_list(f); });

  auto* exp = recall->add_subcommand("export",
                                     "the affected list (csv, json) or the recall's EPCIS events");
  db(exp);
  exp->add_option("ID", f.id, "recall id")->required();
  exp->add_option("--format", f.format, "csv|json|epcis")
      ->check(CLI::IsMember({"csv", "json", "epcis"}));
  exp->callback([&] { exit_code = run_show(f, true); });
}

}  // namespace serialtrack::cli

// `serialtrack alerts [list|show ID|investigate ID|close ID --reason R] [--json]`: the
// alerts detection raised (trace/detection_alerts.h), listed with filters and moved
// through their workflow.
#include <boost/json.hpp>
#include <iostream>

#include "cli/commands.h"
#include "cli/terminal.h"
#include "cli/database.h"
#include "epcis/time.h"
#include "trace/detection_alerts.h"

namespace serialtrack::cli {
namespace {

struct AlertsFlags {
  std::string db;
  trace::AlertQuery query;
  int64_t id = 0;
  std::string reason;
  bool json = false;
};

std::string utc(int64_t nanos) {
  return epcis::format_timestamp_utc(epcis::Timestamp{nanos, 0});
}

void print_line(const store::DetectionAlert& a) {
  std::cout << a.id << "  " << a.kind << "  " << a.severity << "  "
            << store::alert_state_name(a.state) << "  " << utc(a.time_unix_nanos) << "  "
            << (a.items.empty() ? "" : a.items.front()) << "\n";
}

void print_alert(const store::DetectionAlert& a) {
  std::cout << "alert " << a.id << ": " << a.kind << " (" << a.severity << "), "
            << store::alert_state_name(a.state) << "\n"
            << a.message << "\n"
            << "time " << utc(a.time_unix_nanos) << ", raised " << utc(a.created_unix_nanos)
            << "\n";
  if (a.state == store::AlertState::kClosed) std::cout << "closed: " << a.close_reason << "\n";
  for (const auto& i : a.items) std::cout << "item " << i << "\n";
  for (const auto& e : a.event_ids) std::cout << "event " << e << "\n";
  for (int64_t v : a.verification_ids) std::cout << "verification " << v << "\n";
}

int show(const store::DetectionAlert& a, bool json) {
  if (json)
    std::cout << boost::json::serialize(trace::alert_json(a)) << "\n";
  else
    print_alert(a);
  return 0;
}

int run_list(const AlertsFlags& f) {
  auto book = open_alert_book(database_path(f.db));
  if (!book) return 3;
  auto r = trace::list_alerts(*book, f.query);
  if (!r) return service_failure(r.error());
  if (f.json) {
    boost::json::array a;
    for (const auto& x : *r) a.push_back(trace::alert_json(x));
    std::cout << boost::json::serialize(boost::json::object{{"alerts", std::move(a)}}) << "\n";
    return 0;
  }
  if (r->empty()) std::cout << "no alerts\n";
  for (const auto& x : *r) print_line(x);
  return 0;
}

int run_show(const AlertsFlags& f) {
  auto book = open_alert_book(database_path(f.db));
  if (!book) return 3;
  auto r = trace::get_alert(*book, f.id);
  if (!r) return service_failure(r.error());
  return show(*r, f.json);
}

int run_move(const AlertsFlags& f, const std::string& state) {
  auto book = open_alert_book(database_path(f.db));
  if (!book) return 3;
  auto r = trace::move_alert(*book, f.id, state, f.reason);
  if (!r) return service_failure(r.error());
  return show(*r, f.json);
}

}  // namespace

void add_alerts_commands(CLI::App& app, int& exit_code) {
  auto f = std::make_shared<AlertsFlags>();
  auto* cmd = app.add_subcommand("alerts", "Detection alerts: list, show, investigate, close");
  auto common = [f](CLI::App* c) {
    c->add_option("--db", f->db, "Database (default $SERIALTRACK_DB, else ./serialtrack.db)");
    c->add_flag("--json", f->json, "Print JSON");
  };
  auto filters = [f](CLI::App* c) {
    c->add_option("--kind", f->query.kind, "Only alerts of this kind (e.g. impossible_travel)");
    c->add_option("--state", f->query.state,
                  "Only alerts in this state (new, investigating, closed)");
    c->add_option("--item", f->query.item, "Only alerts naming this item (any identifier form)");
    c->add_option("--since", f->query.since, "Only alerts raised at or after (RFC 3339)");
    c->add_option("--limit", f->query.limit, "At most this many")->capture_default_str();
  };
  common(cmd);
  filters(cmd);
  auto* list = cmd->add_subcommand("list", "List alerts, oldest first");
  common(list);
  filters(list);
  auto* show_cmd = cmd->add_subcommand("show", "Show one alert with its evidence");
  auto* investigate = cmd->add_subcommand("investigate", "Mark an alert as under investigation");
  auto* close = cmd->add_subcommand("close", "Close an alert, with a reason");
  for (auto* c : {show_cmd, investigate, close}) {
    c->add_option("id", f->id, "Alert id")->required();
    common(c);
  }
  close->add_option("--reason", f->reason, "Why it is closed")->required();
  list->callback([f, &exit_code] { exit_code = run_list(*f); });
  show_cmd->callback([f, &exit_code] { exit_code = run_show(*f); });
  investigate->callback([f, &exit_code] { exit_code = run_move(*f, "investigating"); });
  close->callback([f, &exit_code] { exit_code = run_move(*f, "closed"); });
  cmd->callback([cmd, f, &exit_code] {
    if (cmd->get_subcommands().empty()) exit_code = run_list(*f);
  });
}

}  // namespace serialtrack::cli

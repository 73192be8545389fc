// `serialtrack capture | events | trace`: EPCIS documents into the store, EPCIS queries
// out of it, and everything known about one item.
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "cli/commands.h"
#include "cli/database.h"
#include "cli/terminal.h"
#include "epcis/identifiers.h"
#include "epcis/json_codec.h"
#include "epcis/time.h"
#include "epcis/xml_codec.h"
#include "trace/capture.h"
#include "trace/capture_document.h"
#include "trace/history.h"
#include "trace/query.h"

namespace serialtrack::cli {
namespace {

struct EpcisFlags {
  std::string db;
  std::vector<std::string> files;
  std::vector<std::string> params;
  std::string format = "json";
  std::string epc_format = "No_Preference";
  std::string id;
  bool json = false;
};

std::unique_ptr<store::Store> open_store(const std::string& path) {
  auto s = store::open_sqlite(database_path(path));
  if (!s) {
    std::cerr << "serialtrack: " << s.error().message << "\n";
    return nullptr;
  }
  return std::move(*s);
}

std::string describe(long event_index, const std::string& message) {
  return (event_index >= 0 ? "event " + std::to_string(event_index) + ": " : "") + message;
}

int run_capture(const EpcisFlags& f) {
  auto store = open_store(f.db);
  if (!store) return 2;
  bool tty = isatty(STDERR_FILENO);
  size_t accepted = 0, duplicates = 0, rejected = 0;
  int status = 0;
  for (const auto& file : f.files) {
    std::string text;
    if (!read_input(file, text)) {
      std::cerr << "serialtrack: cannot read " << file << "\n";
      status = 1;
      continue;
    }
    if (tty) std::cerr << file << ": storing " << text.size() / 1024 << " KiB\r" << std::flush;
    auto r = trace::capture_document(*store, text, trace::sniff_syntax(text),
                                     trace::CaptureErrorBehaviour::kRollback);
    if (!r || !r->rejected.empty()) {
      std::string why = r ? describe(r->rejected[0].event_index, r->rejected[0].message)
                          : describe(r.error().event_index, trace::describe(r.error()));
      std::cerr << "serialtrack: " << file << ": rejected: " << why << "\n";
      ++rejected;
      status = 1;
      continue;
    }
    accepted += r->outcome.accepted;
    duplicates += r->outcome.duplicates;
  }
  if (tty) std::cerr << std::string(60, ' ') << "\r";
  std::cout << "accepted " << accepted << " events, " << duplicates << " duplicates, " << rejected
            << " documents rejected\n";
  return status;
}

int run_events(const EpcisFlags& f) {
  std::vector<std::pair<std::string, std::string>> params;
  for (const auto& p : f.params) {
    size_t eq = p.find('=');
    if (eq == std::string::npos) {
      std::cerr << "serialtrack: query parameter '" << p << "' is not name=value\n";
      return 2;
    }
    params.emplace_back(p.substr(0, eq), p.substr(eq + 1));
  }
  auto q = trace::parse_query(params);
  if (!q) {
    std::cerr << "serialtrack: " << q.error().parameter << ": " << q.error().message << "\n";
    return 2;
  }
  auto store = open_store(f.db);
  if (!store) return 2;
  auto page = store->query(*q);
  if (!page) {
    std::cerr << "serialtrack: " << page.error().message << "\n";
    return 1;
  }
  epcis::Document doc;
  doc.kind = epcis::Document::Kind::kQueryDocument;
  doc.query_name = "SimpleEventQuery";
  for (auto& e : page->events) doc.events.push_back(std::move(e.event));
  auto epc_format = epcis::epc_format_from_name(f.epc_format);
  if (!epc_format) {
    std::cerr << "serialtrack: --epc-format is Always_GS1_Digital_Link, Always_EPC_URN or "
                 "No_Preference\n";
    return 2;
  }
  std::cout << (f.format == "xml"
                    ? epcis::encode_xml(doc)
                    : epcis::encode_json(doc, {.epc_format = *epc_format, .pretty = true}))
            << "\n";
  return 0;
}

void print_report(const trace::ItemReport& r, const std::string& id) {
  if (!r.state) {
    std::cout << id << ": never seen\n";
    return;
  }
  const auto& s = *r.state;
  std::cout << s.id << "\n";
  std::cout << "  status:      "
            << (s.decommissioned ? "decommissioned"
                : s.commissioned ? "active"
                                 : "not commissioned")
            << "\n";
  auto line = [&r](const char* label, const std::string& v) {
    if (v.empty()) return;
    auto name = r.names.find(v);
    std::cout << "  " << label << v << (name == r.names.end() ? "" : "  (" + name->second + ")")
              << "\n";
  };
  line("disposition: ", s.disposition);
  line("location:    ", s.biz_location);
  line("read point:  ", s.read_point);
  line("owner:       ", s.owner);
  line("possessor:   ", s.possessor);
  line("lot:         ", s.lot);
  line("expiry:      ", s.expiry);
  for (const auto& d : s.persistent_dispositions) line("persistent:  ", d);
  for (const auto& c : r.containers) line("packed in:   ", c);
  if (!r.contents.empty()) std::cout << "  contains:    " << r.contents.size() << " items\n";
  std::cout << "  history:\n";
  for (const auto& e : r.history) {
    const auto& ev = e.event;
    std::cout << "    " << epcis::format_timestamp(ev.event_time) << "  "
              << epcis::event_type_name(ev.type)
              << (ev.action != epcis::Action::kNone
                      ? " " + std::string(epcis::action_name(ev.action))
                      : "")
              << (ev.biz_step.empty() ? "" : "  " + ev.biz_step) << "\n";
  }
  for (const auto& a : r.alerts)
    std::cout << "  ALERT " << a.kind << ": " << a.reason << " (" << a.event_id << ")\n";
}

int run_trace(const EpcisFlags& f) {
  auto store = open_store(f.db);
  if (!store) return 2;
  auto r = trace::item_report(*store, f.id);
  if (!r) {
    std::cerr << "serialtrack: " << r.error().message << "\n";
    return 1;
  }
  if (!f.json) {
    print_report(*r, f.id);
    return r->state ? 0 : 1;
  }
  epcis::Document doc;
  doc.kind = epcis::Document::Kind::kQueryDocument;
  doc.query_name = "SimpleEventQuery";
  for (auto& e : r->history) doc.events.push_back(e.event);
  std::cout << epcis::encode_json(doc) << "\n";
  return r->state ? 0 : 1;
}

}  // namespace

void add_epcis_commands(CLI::App& app, int& exit_code) {
  static EpcisFlags f;
  auto db = [](CLI::App* c) {
    c->add_option("--db", f.db, "database file (default ./serialtrack.db or $SERIALTRACK_DB)");
  };
  auto* capture =
      app.add_subcommand("capture", "capture EPCIS 2.0 documents (JSON-LD or XML; - for stdin)");
  db(capture);
  capture->add_option("FILE", f.files, "documents")->required();
  capture->callback([&] { exit_code = run_capture(f); });

  auto* events = app.add_subcommand("events", "query events: EPCIS query parameters as name=value");
  db(events);
  events->add_option("--format", f.format, "json|xml")->check(CLI::IsMember({"json", "xml"}));
  events->add_option("--epc-format", f.epc_format,
                     "identifiers in JSON: Always_GS1_Digital_Link|Always_EPC_URN|No_Preference "
                     "(as captured, the default)");
  events->add_option("PARAM", f.params,
                     "e.g. eventType=ObjectEvent EQ_bizStep=shipping MATCH_epc=URI");
  events->callback([&] { exit_code = run_events(f); });

  auto* trace_cmd =
      app.add_subcommand("trace", "an item's state, containers, contents and history");
  db(trace_cmd);
  trace_cmd->add_option("ID", f.id, "any identifier form gs1 parse accepts")->required();
  trace_cmd->add_flag("--json", f.json, "the history as an EPCIS query document");
  trace_cmd->callback([&] { exit_code = run_trace(f); });
}

}  // namespace serialtrack::cli

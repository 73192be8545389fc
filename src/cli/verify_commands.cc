// `serialtrack verify` and `serialtrack pack supply|destroy|…|undo`: pack verification
// and the operations that change a pack's status, for operators and scripts. The JSON
// printed with --json is the object `GET /verify` answers (trace/verify.h).
// Exit status: 0 verified / done, 1 not verified / refused, 2 bad input or I/O error.
#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <iostream>

#include "cli/commands.h"
#include "cli/database.h"
#include "epcis/time.h"
#include "store/store.h"
#include "store/verification_log.h"
#include "trace/pack_operations.h"
#include "trace/verify.h"

namespace serialtrack::cli {
namespace {

struct VerifyFlags {
  std::string db;
  std::string id;
  std::optional<std::string> lot, expiry;
  std::string party, location;
  bool json = false;
};

int64_t now_nanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct Opened {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<store::VerificationLog> log;
};

std::optional<Opened> open(const std::string& flag) {
  std::string path = database_path(flag);
  auto s = store::open_sqlite(path);
  if (!s) {
    std::cerr << "serialtrack: " << s.error().message << "\n";
    return std::nullopt;
  }
  auto log = store::open_sqlite_verification_log(path);
  if (!log) {
    std::cerr << "serialtrack: " << log.error().message << "\n";
    return std::nullopt;
  }
  return Opened{std::move(*s), std::move(*log)};
}

trace::PackQuery pack_query(const VerifyFlags& f) {
  trace::PackQuery q;
  q.id = f.id;
  q.lot = f.lot;
  q.expiry = f.expiry;
  return q;
}

trace::Caller caller(const VerifyFlags& f) {
  return trace::Caller{"cli", f.party, f.location, false};
}

void print_answer(const trace::VerifyAnswer& a, const std::string& indent) {
  std::cout << indent << (a.verified ? "VERIFIED" : "NOT VERIFIED") << "  "
            << trace::pack_status_name(a.status)
            << (a.alert ? "  alert " + std::string(trace::alert_code_name(*a.alert)) : "") << "  "
            << a.item << "\n";
  std::cout << indent << "  " << a.message << "\n";
  if (!a.details) return;
  const trace::PackDetails& d = *a.details;
  auto line = [&indent](const char* label, const std::string& v) {
    if (!v.empty()) std::cout << indent << "  " << label << v << "\n";
  };
  line("product:     ", d.gtin + (d.product_name.empty() ? "" : "  (" + d.product_name + ")"));
  line("lot:         ", d.lot);
  line("expiry:      ", d.expiry);
  line("location:    ", d.last_location);
  line("custodian:   ", d.custodian);
  if (d.last_event_time) line("last event:  ", epcis::format_timestamp(*d.last_event_time));
}

int input_error(const trace::VerifyError& e) {
  std::cerr << "serialtrack: " << e.message << "\n";
  return 2;
}

int run_verify(const VerifyFlags& f) {
  auto db = open(f.db);
  if (!db) return 2;
  trace::VerifyRequest r{pack_query(f), caller(f), now_nanos()};
  auto a = trace::verify_pack(*db->store, *db->log, r);
  if (!a) return input_error(a.error());
  if (f.json)
    std::cout << boost::json::serialize(trace::verify_answer_json(*a)) << "\n";
  else
    print_answer(*a, "");
  return a->verified ? 0 : 1;
}

int run_operation(trace::PackOperation op, const VerifyFlags& f) {
  auto db = open(f.db);
  if (!db) return 2;
  trace::PackOperationRequest r{op, pack_query(f), caller(f), now_nanos()};
  auto a = trace::operate_pack(*db->store, *db->log, r);
  if (!a) return input_error(a.error());
  if (f.json) {
    std::cout << boost::json::serialize(trace::pack_operation_answer_json(*a)) << "\n";
  } else {
    std::cout << (a->done ? "DONE" : "REFUSED") << "  " << trace::pack_operation_name(op) << "  "
              << trace::pack_status_name(a->status)
              << (a->alert ? "  alert " + std::string(trace::alert_code_name(*a->alert)) : "")
              << (a->refusal ? "  (" + std::string(trace::refusal_name(*a->refusal)) + ")" : "")
              << "\n  " << a->message << "\n";
    if (a->done) std::cout << "  event:       " << a->event_id << "\n";
  }
  return a->done ? 0 : 1;
}

void pack_flags(CLI::App* c, VerifyFlags& f) {
  c->add_option("--db", f.db, "database file (default ./serialtrack.db or $SERIALTRACK_DB)");
  c->add_option("ID", f.id, "the pack, in any form gs1 parse accepts")->required();
  c->add_option("--lot", f.lot, "the lot printed on the pack (checked)");
  c->add_option("--expiry", f.expiry, "the expiry printed on the pack, YYMMDD (checked)");
  c->add_option("--location", f.location, "where: GLN, SGLN URN or Digital Link (logged)");
  c->add_flag("--json", f.json, "the answer as the JSON object GET /verify returns");
}

}  // namespace

void add_verify_commands(CLI::App& app, int& exit_code) {
  static VerifyFlags f;
  auto* verify = app.add_subcommand(
      "verify", "verify a pack (EU FMD): known, genuine, active, lot and expiry as commissioned");
  pack_flags(verify, f);
  verify->add_option("--party", f.party, "who asks: GLN, PGLN URN or Digital Link (logged)");
  verify->callback([&] { exit_code = run_verify(f); });

  auto* pack = app.add_subcommand("pack", "change a pack's status (EU FMD), or undo that");
  pack->require_subcommand(1);
  for (auto op : {trace::PackOperation::kSupply, trace::PackOperation::kDestroy,
                  trace::PackOperation::kStolen, trace::PackOperation::kSample,
                  trace::PackOperation::kFreeSample, trace::PackOperation::kExport,
                  trace::PackOperation::kLock, trace::PackOperation::kCheckOut,
                  trace::PackOperation::kUndo}) {
    std::string name(trace::pack_operation_name(op));
    auto* c = pack->add_subcommand(
        name, op == trace::PackOperation::kUndo
                  ? "bring the pack back to ACTIVE (within 10 days, by the same party)"
                  : "mark the pack " +
                        std::string(trace::pack_status_name(trace::pack_operation_status(op))));
    pack_flags(c, f);
    c->add_option("--party", f.party, "the party doing it: GLN, PGLN URN or Digital Link")
        ->required();
    c->callback([op, &exit_code] { exit_code = run_operation(op, f); });
  }
}

}  // namespace serialtrack::cli

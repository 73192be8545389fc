// `serialtrack warranty terms|register|transfer|status|claim …` and `serialtrack service
// record|history`: warranty and service history (trace/warranty.h). A table or a few
// lines for people by default, the JSON objects of trace/warranty_json.h with --json.
#include <chrono>
#include <cstdlib>
#include <iostream>

#include "cli/commands.h"
#include "cli/database.h"
#include "epcis/time.h"
#include "store/store.h"
#include "store/warranty_records.h"
#include "trace/warranty.h"
#include "trace/warranty_json.h"

namespace serialtrack::cli {
namespace {

struct WarrantyFlags {
  std::string db, item, owner, plan, description, resolution, replacement, party, location;
  // terms
  std::string product, start = "sale", coverage;
  std::int64_t days = 365;
  std::uint32_t claim_limit = 3;
  bool no_sale_required = false;
  std::vector<std::string> plans;  // NAME:DAYS
  // claims
  std::int64_t claim_id = 0;
  // service
  std::string kind, firmware, note;
  std::vector<std::string> remove, install;
  bool json = false;
};

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct Stores {
  std::unique_ptr<store::Store> events;
  std::unique_ptr<store::WarrantyRecords> records;
};

std::optional<Stores> open_stores(const std::string& db) {
  std::string path = database_path(db);
  auto events = store::open_sqlite(path);
  if (!events) {
    std::cerr << "serialtrack: " << events.error().message << "\n";
    return std::nullopt;
  }
  auto records = store::open_sqlite_warranty(path);
  if (!records) {
    std::cerr << "serialtrack: " << records.error().message << "\n";
    return std::nullopt;
  }
  return Stores{std::move(*events), std::move(*records)};
}

// Exit 1 for a refusal (the answer is "no"), 2 for bad input or a failing store.
int fail(const trace::WarrantyFailure& f) {
  std::cerr << "serialtrack: " << trace::warranty_failure_name(f.kind) << ": " << f.message << "\n";
  using K = trace::WarrantyFailure::Kind;
  return f.kind == K::kInvalidInput || f.kind == K::kStore ? 2 : 1;
}

std::string day(std::int64_t unix_seconds) {
  return epcis::format_timestamp_utc({unix_seconds * 1'000'000'000, 0}).substr(0, 10);
}

void print_claim(const store::Claim& c) {
  std::cout << "claim " << c.id << "  " << trace::claim_state_name(c.state) << "  " << c.item
            << "\n";
  if (!c.flags.empty()) {
    std::cout << "  flags:";
    for (const auto& f : c.flags) std::cout << " " << f;
    std::cout << "\n";
  }
  if (!c.resolution.empty()) std::cout << "  " << c.resolution << "\n";
  if (!c.replacement.empty()) std::cout << "  replacement: " << c.replacement << "\n";
}

int run_terms_set(const WarrantyFlags& f) {
  store::WarrantyTerms t;
  t.product = f.product;
  auto start = trace::warranty_start_from_name(f.start);
  if (!start) {
    std::cerr << "serialtrack: --start is sale, registration or manufacture\n";
    return 2;
  }
  t.duration_days = f.days;
  t.start = *start;
  t.requires_sale = !f.no_sale_required;
  t.coverage = f.coverage;
  t.claim_limit = f.claim_limit;
  for (const auto& p : f.plans) {
    size_t colon = p.rfind(':');
    char* end = nullptr;
    long long extra =
        colon == std::string::npos ? 0 : std::strtoll(p.c_str() + colon + 1, &end, 10);
    if (colon == std::string::npos || colon == 0 || end == nullptr || *end != '\0' || extra <= 0) {
      std::cerr << "serialtrack: --plan is NAME:EXTRA_DAYS, e.g. extended:730\n";
      return 2;
    }
    t.plans.push_back({p.substr(0, colon), extra});
  }
  auto s = open_stores(f.db);
  if (!s) return 2;
  if (auto r = trace::set_warranty_terms(*s->records, t); !r) return fail(r.error());
  std::cout << (f.json ? boost::json::serialize(trace::to_json(t))
                       : "terms stored for " + t.product)
            << "\n";
  return 0;
}

int run_terms_list(const WarrantyFlags& f) {
  auto s = open_stores(f.db);
  if (!s) return 2;
  auto all = s->records->all_terms();
  if (!all) {
    std::cerr << "serialtrack: " << all.error().message << "\n";
    return 2;
  }
  if (f.json) {
    boost::json::array a;
    for (const auto& t : *all) a.push_back(trace::to_json(t));
    std::cout << boost::json::serialize(a) << "\n";
    return 0;
  }
  std::cout << "product\tdays\tstart\trequires_sale\tclaim_limit\tplans\n";
  for (const auto& t : *all) {
    std::cout << t.product << "\t" << t.duration_days << "\t" << trace::warranty_start_name(t.start)
              << "\t" << (t.requires_sale ? "yes" : "no") << "\t" << t.claim_limit << "\t";
    for (size_t i = 0; i < t.plans.size(); ++i)
      std::cout << (i ? "," : "") << t.plans[i].name << ":" << t.plans[i].extra_days;
    std::cout << "\n";
  }
  return 0;
}

int print_registration(const WarrantyFlags& f, const store::Registration& r, const char* verb) {
  if (f.json) {
    std::cout << boost::json::serialize(trace::to_json(r)) << "\n";
  } else {
    std::cout << r.item << " " << verb << "; covered " << day(r.start) << " to " << day(r.end)
              << (r.plan.empty() ? "" : " (plan " + r.plan + ")") << "\n";
  }
  return 0;
}

int run_register(const WarrantyFlags& f) {
  auto s = open_stores(f.db);
  if (!s) return 2;
  auto r =
      trace::register_warranty(*s->events, *s->records, {f.item, f.owner, f.plan, now_seconds()});
  return r ? print_registration(f, *r, "registered") : fail(r.error());
}

int run_transfer(const WarrantyFlags& f) {
  auto s = open_stores(f.db);
  if (!s) return 2;
  auto r = trace::transfer_warranty(*s->events, *s->records, f.item, f.owner, now_seconds());
  return r ? print_registration(f, *r, "transferred") : fail(r.error());
}

int run_status(const WarrantyFlags& f) {
  auto s = open_stores(f.db);
  if (!s) return 2;
  auto st = trace::warranty_status(*s->events, *s->records, f.item, now_seconds());
  if (!st) return fail(st.error());
  if (f.json) {
    std::cout << boost::json::serialize(trace::to_json(*st)) << "\n";
  } else {
    std::cout << st->item << "\n  warranty: " << trace::coverage_name(st->coverage) << " ("
              << st->reason << ")\n";
    if (st->registration)
      std::cout << "  period:   " << day(st->registration->start) << " to "
                << day(st->registration->end)
                << (st->registration->plan.empty() ? "" : ", plan " + st->registration->plan)
                << "\n";
    if (st->terms && !st->terms->coverage.empty())
      std::cout << "  covers:   " << st->terms->coverage << "\n";
    for (const auto& c : st->claims)
      std::cout << "  claim " << c.id << ": " << trace::claim_state_name(c.state) << " "
                << c.description << "\n";
  }
  return st->coverage == trace::Coverage::kCovered ? 0 : 1;
}

int run_claim_open(const WarrantyFlags& f) {
  auto s = open_stores(f.db);
  if (!s) return 2;
  auto c = trace::open_claim(*s->events, *s->records, {f.item, f.description, now_seconds()});
  if (!c) return fail(c.error());
  if (f.json)
    std::cout << boost::json::serialize(trace::to_json(*c)) << "\n";
  else
    print_claim(*c);
  return c->state == store::ClaimState::kRejected ? 1 : 0;
}

int run_claim_decide(const WarrantyFlags& f, trace::ClaimDecision::Verdict verdict) {
  auto s = open_stores(f.db);
  if (!s) return 2;
  trace::ClaimDecision d{verdict, f.resolution, f.replacement, f.party, f.location, now_seconds()};
  auto c = trace::decide_claim(*s->events, *s->records, f.claim_id, d);
  if (!c) return fail(c.error());
  if (f.json)
    std::cout << boost::json::serialize(trace::to_json(*c)) << "\n";
  else
    print_claim(*c);
  return 0;
}

int run_service_record(const WarrantyFlags& f) {
  auto kind = trace::service_kind_from_name(f.kind);
  if (!kind) {
    std::cerr << "serialtrack: --kind is repair, inspection, part_replacement or firmware_update\n";
    return 2;
  }
  auto s = open_stores(f.db);
  if (!s) return 2;
  trace::ServiceRecord r{f.item,     *kind,  f.remove,   f.install,
                         f.firmware, f.note, f.location, now_seconds()};
  auto ids = trace::record_service(*s->events, r);
  if (!ids) return fail(ids.error());
  for (const auto& id : *ids) std::cout << id << "\n";
  return 0;
}

int run_service_history(const WarrantyFlags& f) {
  auto s = open_stores(f.db);
  if (!s) return 2;
  auto h = trace::service_history(*s->events, f.item);
  if (!h) return fail(h.error());
  if (f.json) {
    boost::json::array a;
    for (const auto& e : *h) a.push_back(trace::to_json(e));
    std::cout << boost::json::serialize(a) << "\n";
    return 0;
  }
  if (h->empty()) std::cout << "no service recorded\n";
  for (const auto& e : *h)
    std::cout << epcis::format_timestamp(e.event.event.event_time) << "  "
              << trace::service_kind_name(e.kind) << "  " << e.event.event.event_id << "\n";
  return 0;
}

}  // namespace

void add_warranty_commands(CLI::App& app, int& exit_code) {
  static WarrantyFlags f;
  auto common = [](CLI::App* c) {
    c->add_option("--db", f.db, "database file (default ./serialtrack.db or $SERIALTRACK_DB)");
    c->add_flag("--json", f.json, "JSON output");
  };
  auto* w = app.add_subcommand("warranty", "warranty terms, registrations, status and claims");
  w->require_subcommand(1);

  auto* terms =
      w->add_subcommand("terms", "warranty terms per product (GTIN) or family (GTIN prefix)");
  terms->require_subcommand(1);
  auto* set = terms->add_subcommand("set", "store the terms of a product or family");
  common(set);
  set->add_option("--product", f.product, "GTIN-14, or a leading part of one for a family")
      ->required();
  set->add_option("--days", f.days, "duration in days (default 365)");
  set->add_option("--start", f.start, "sale|registration|manufacture (default sale)");
  set->add_flag("--no-sale-required", f.no_sale_required, "registration needs no selling event");
  set->add_option("--coverage", f.coverage, "what the warranty covers, in words");
  set->add_option("--claim-limit", f.claim_limit, "claims per item before review (default 3)");
  set->add_option("--plan", f.plans, "extended plan NAME:EXTRA_DAYS (repeatable)");
  set->callback([&] { exit_code = run_terms_set(f); });
  auto* list = terms->add_subcommand("list", "list the stored terms");
  common(list);
  list->callback([&] { exit_code = run_terms_list(f); });

  auto* reg = w->add_subcommand("register", "register an item to an owner (proof checks first)");
  common(reg);
  reg->add_option("ID", f.item, "the item, any identifier form")->required();
  reg->add_option("--owner", f.owner, "customer reference (opaque; no personal data)")->required();
  reg->add_option("--plan", f.plan, "an extended plan of the terms");
  reg->callback([&] { exit_code = run_register(f); });

  auto* transfer = w->add_subcommand("transfer", "give a registered item a new owner");
  common(transfer);
  transfer->add_option("ID", f.item, "the item")->required();
  transfer->add_option("--owner", f.owner, "the new owner's reference")->required();
  transfer->callback([&] { exit_code = run_transfer(f); });

  auto* status =
      w->add_subcommand("status", "covered / expired / never registered / void, and claims");
  common(status);
  status->add_option("ID", f.item, "the item, any identifier form")->required();
  status->callback([&] { exit_code = run_status(f); });

  auto* claim = w->add_subcommand("claim", "warranty claims with automatic fraud checks");
  claim->require_subcommand(1);
  auto* open = claim->add_subcommand("open", "open a claim on an item");
  common(open);
  open->add_option("ID", f.item, "the item")->required();
  open->add_option("--description", f.description, "the fault, in words")->required();
  open->callback([&] { exit_code = run_claim_open(f); });
  using V = trace::ClaimDecision::Verdict;
  for (auto [name, verdict, help] :
       {std::tuple{"approve", V::kApprove, "approve (optionally with a replacement)"},
        std::tuple{"reject", V::kReject, "reject an open claim"},
        std::tuple{"close", V::kClose, "close a decided claim"}}) {
    auto* c = claim->add_subcommand(name, help);
    common(c);
    c->add_option("CLAIM", f.claim_id, "claim id")->required();
    c->add_option("--resolution", f.resolution, "why, in words");
    if (verdict == V::kApprove) {
      c->add_option("--replacement", f.replacement, "the replacement item (any identifier form)");
      c->add_option("--party", f.party, "who replaces (PGLN URI), recorded in the event");
      c->add_option("--location", f.location, "where (SGLN URI), recorded in the event");
    }
    c->callback([&exit_code, v = verdict] { exit_code = run_claim_decide(f, v); });
  }

  auto* service =
      app.add_subcommand("service", "service history: repairs, inspections, parts, firmware");
  service->require_subcommand(1);
  auto* record =
      service->add_subcommand("record", "record a service on an item (as an EPCIS event)");
  common(record);
  record->add_option("ID", f.item, "the item")->required();
  record->add_option("--kind", f.kind, "repair|inspection|part_replacement|firmware_update")
      ->required();
  record->add_option("--remove", f.remove, "serialised part taken out (repeatable)");
  record->add_option("--install", f.install, "serialised part put in (repeatable)");
  record->add_option("--firmware", f.firmware, "the new firmware version");
  record->add_option("--note", f.note, "the technician's note (no personal data)");
  record->add_option("--location", f.location, "the workshop (SGLN URI)");
  record->callback([&] { exit_code = run_service_record(f); });
  auto* history = service->add_subcommand("history", "the service events of an item");
  common(history);
  history->add_option("ID", f.item, "the item")->required();
  history->callback([&] { exit_code = run_service_history(f); });
}

}  // namespace serialtrack::cli

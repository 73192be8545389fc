// `serialtrack serials format add|list | allocate | ranges | return | guess-probability`:
// serial formats and number ranges kept in the database (store/serial_ranges.h).
// allocate streams serials to stdout only; everything else a person reads goes to stderr.
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "cli/commands.h"
#include "cli/database.h"
#include "gs1/ai_data.h"
#include "gs1/ai_table.h"
#include "gs1/digital_link.h"
#include "gs1/element_string.h"
#include "store/serial_ranges.h"
#include "store/store.h"
#include "trace/capture.h"

namespace serialtrack::cli {
namespace {

struct SerialsFlags {
  std::string db;
  // format add
  std::string name, alphabet, prefix, check = "none";
  std::uint32_t length = 0;
  // allocate / guess-probability
  std::string market;
  std::string gtin, format, scheme = "ff1", lot, to, site, request_id, output = "text";
  std::uint64_t count = 0;
  bool allow_guessable = false, reissue = false;
  // return
  std::int64_t range = 0;
  std::vector<std::string> serials;
};

std::unique_ptr<store::SerialRanges> open_ranges(const std::string& path) {
  auto r = store::open_sqlite_serial_ranges(database_path(path));
  if (!r) {
    std::cerr << "serialtrack: " << r.error().message << "\n";
    return nullptr;
  }
  return std::move(*r);
}

int fail(const store::RangeError& e) {
  std::cerr << "serialtrack: " << e.message << "\n";
  return e.kind == store::RangeError::Kind::kIo || e.kind == store::RangeError::Kind::kCorrupt ? 2
                                                                                               : 1;
}

// numeric | alnum | alnum-unambiguous | cset82, or the symbols themselves.
std::string alphabet_of(const std::string& name) {
  if (name == "numeric") return std::string(serial::kNumeric);
  if (name == "alnum") return std::string(serial::kUpperAlphanumeric);
  if (name == "alnum-unambiguous") return std::string(serial::kUpperAlphanumericUnambiguous);
  if (name == "cset82") return std::string(serial::kCset82);
  return name;
}

int run_format_add(const SerialsFlags& f) {
  auto check = serial::check_from_name(f.check);
  if (!check) {
    std::cerr << "serialtrack: --check is none, mod37-2 or gs1-pair\n";
    return 2;
  }
  auto ranges = open_ranges(f.db);
  if (!ranges) return 2;
  store::SerialFormatRecord rec;
  rec.name = f.name;
  rec.alphabet = alphabet_of(f.alphabet);
  rec.free_length = f.length;
  rec.prefix = f.prefix;
  rec.check = *check;
  auto r = ranges->add_format(rec);
  if (!r) return fail(r.error());
  std::cout << "format " << r->name << ": "
            << r->prefix.size() + r->free_length + serial::check_length(r->check)
            << " characters\n";
  return 0;
}

int run_format_assign(const SerialsFlags& f) {
  auto ranges = open_ranges(f.db);
  if (!ranges) return 2;
  auto r = ranges->assign_format({f.gtin, f.format, f.market});
  if (!r) return fail(r.error());
  std::cout << "GTIN " << r->gtin << ": format " << r->format
            << (r->market.empty() ? "" : ", market " + r->market) << "\n";
  return 0;
}

int run_format_list(const SerialsFlags& f) {
  auto ranges = open_ranges(f.db);
  if (!ranges) return 2;
  auto r = ranges->formats();
  if (!r) return fail(r.error());
  for (const auto& rec : *r)
    std::cout << rec.name << "\tlength " << rec.free_length << "\tprefix '" << rec.prefix
              << "'\tcheck " << serial::check_name(rec.check) << "\talphabet " << rec.alphabet
              << "\n";
  return 0;
}

// RFC 4180: CSET 82 has ',' and '"'.
void append_csv(std::string& out, std::string_view v) {
  if (v.find_first_of(",\"") == std::string_view::npos) {
    out += v;
    return;
  }
  out += '"';
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void append_json_string(std::string& out, std::string_view v) {
  out += '"';
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

class SerialPrinter {
 public:
  SerialPrinter(const SerialsFlags& f, std::string gtin, std::uint64_t total)
      : f_(f),
        gtin_(std::move(gtin)),
        total_(total),
        progress_(isatty(STDERR_FILENO) && total >= 100'000) {
    if (f_.output == "csv") buf_ += f_.lot.empty() ? "gtin,serial\n" : "gtin,lot,serial\n";
  }
  ~SerialPrinter() { flush(); }
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  void operator()(std::string_view serial) {
    const std::string& out = f_.output;
    if (out == "text") {
      buf_ += serial;
    } else if (out == "csv") {
      buf_ += gtin_;
      buf_ += ',';
      if (!f_.lot.empty()) {
        append_csv(buf_, f_.lot);
        buf_ += ',';
      }
      append_csv(buf_, serial);
    } else if (out == "jsonl") {
      buf_ += "{\"gtin\":\"" + gtin_ + "\"";
      if (!f_.lot.empty()) {
        buf_ += ",\"lot\":";
        append_json_string(buf_, f_.lot);
      }
      buf_ += ",\"serial\":";
      append_json_string(buf_, serial);
      buf_ += '}';
    } else {
      data_.clear();
      data_.add("01", gtin_, gs1::find_ai("01"));
      if (!f_.lot.empty()) data_.add("10", f_.lot, gs1::find_ai("10"));
      data_.add("21", serial, gs1::find_ai("21"));
      if (out == "element") {
        buf_ += gs1::to_bracketed(data_);
      } else {
        auto dl = gs1::to_digital_link(data_);
        if (!dl) {
          if (error_.empty())
            error_ = "cannot write a Digital Link URI for serial " + std::string(serial);
          return;
        }
        buf_ += *dl;
      }
    }
    buf_ += '\n';
    if (buf_.size() >= (1 << 16)) flush();
    if (progress_ && (++done_ & 0xFFFF) == 0)
      std::cerr << "\r" << done_ << " / " << total_ << " serials" << std::flush;
  }

  void flush() {
    if (!buf_.empty()) std::fwrite(buf_.data(), 1, buf_.size(), stdout);
    buf_.clear();
    if (progress_ && done_ == total_) {
      std::cerr << "\r" << std::string(40, ' ') << "\r";
      progress_ = false;
    }
  }

 private:
  const SerialsFlags& f_;
  std::string gtin_;
  std::uint64_t total_, done_ = 0;
  bool progress_;
  std::string buf_, error_;
  gs1::AiData data_;
};

int run_allocate(const SerialsFlags& f) {
  auto scheme = serial::scheme_from_name(f.scheme);
  if (!scheme) {
    std::cerr << "serialtrack: --scheme is ff1, ff3-1, sequential or random\n";
    return 2;
  }
  auto ranges = open_ranges(f.db);
  if (!ranges) return 2;
  store::AllocationRequest req;
  req.gtin = f.gtin;
  req.count = f.count;
  req.format = f.format;
  req.scheme = *scheme;
  req.lot = f.lot;
  req.site = f.site;
  req.to = f.to;
  req.request_id = f.request_id;
  req.allow_guessable = f.allow_guessable;
  req.reissue_returned = f.reissue;
  // The GTIN as 14 digits for the output (the store validates it).
  std::string gtin = f.gtin.size() < 14 ? std::string(14 - f.gtin.size(), '0') + f.gtin : f.gtin;
  SerialPrinter printer(f, gtin, f.count);
  auto r = ranges->allocate(req, [&](std::string_view s) { printer(s); });
  printer.flush();
  std::fflush(stdout);
  if (!r) return fail(r.error());
  if (!printer.ok()) {
    std::cerr << "serialtrack: " << printer.error() << "\n";
    return 1;
  }
  std::cerr << "serialtrack: " << r->count << " serials from range " << r->range_id
            << ", request id " << r->request_id
            << (r->replayed ? " (a retry: the same serials as before)" : "") << "\n";
  return 0;
}

int run_ranges(const SerialsFlags& f) {
  auto ranges = open_ranges(f.db);
  if (!ranges) return 2;
  // Commissioned: the range's serials whose items the event store knows as commissioned.
  auto events = store::open_sqlite(database_path(f.db));
  if (!events) {
    std::cerr << "serialtrack: " << events.error().message << "\n";
    return 2;
  }
  auto r = ranges->allocations(f.gtin, trace::commissioned_counter(**events));
  if (!r) return fail(r.error());
  std::cout << "range\tallocation\tgtin\tlot\tformat\tscheme\tkey\tissued\tcommissioned\treturned\t"
               "to\trequest\n";
  for (const auto& a : *r)
    std::cout << a.range_id << "\t" << a.allocation_id << "\t" << a.gtin << "\t" << a.lot << "\t"
              << a.format << "\t" << serial::scheme_name(a.scheme) << "\t" << a.key_id << "\t"
              << a.issued << "\t" << a.commissioned << "\t" << a.returned << "\t" << a.to << "\t"
              << a.request_id << "\n";
  return 0;
}

int run_return(const SerialsFlags& f) {
  auto ranges = open_ranges(f.db);
  if (!ranges) return 2;
  auto r = ranges->return_unused(f.range, f.serials);
  if (!r) return fail(r.error());
  std::cout << "returned " << *r << " serials to range " << f.range << "\n";
  return 0;
}

int run_guess_probability(const SerialsFlags& f) {
  auto ranges = open_ranges(f.db);
  if (!ranges) return 2;
  auto guess = store::format_guess_probability(*ranges, f.format, f.count);
  if (!guess) return fail(guess.error());
  double p = guess->probability;
  bool within = guess->within_limit;
  char text[64];
  std::snprintf(text, sizeof text, "%.3g", p);
  std::cout << "guess probability " << text;
  if (p > 0) std::cout << " (1 in " << static_cast<std::uint64_t>(1 / p + 0.5) << ")";
  std::cout << (within ? ": within" : ": ABOVE") << " the EU FMD limit of 1 in 10,000\n";
  return within ? 0 : 1;
}

}  // namespace

void add_serials_commands(CLI::App& app, int& exit_code) {
  static SerialsFlags f;
  auto db = [](CLI::App* c) {
    c->add_option("--db", f.db, "database file (default ./serialtrack.db or $SERIALTRACK_DB)");
  };
  auto* serials =
      app.add_subcommand("serials", "serial formats and number ranges (FF1 by default)");
  serials->require_subcommand(1);

  auto* format = serials->add_subcommand("format", "named serial formats");
  format->require_subcommand(1);
  auto* add = format->add_subcommand("add", "store a format");
  db(add);
  add->add_option("NAME", f.name, "format name")->required();
  add->add_option("--alphabet", f.alphabet,
                  "numeric|alnum|alnum-unambiguous|cset82 or the characters themselves")
      ->required();
  add->add_option("--length", f.length, "generated characters (without prefix and check)")
      ->required();
  add->add_option("--prefix", f.prefix, "fixed prefix");
  add->add_option("--check", f.check, "none|mod37-2|gs1-pair");
  add->callback([&] { exit_code = run_format_add(f); });
  auto* assign = format->add_subcommand(
      "assign", "attach a format (and a market: eu-fmd) to a GTIN, its default from then on");
  db(assign);
  assign->add_option("--gtin", f.gtin, "GTIN")->required();
  assign->add_option("--format", f.format, "format name (eu-fmd market: the eu-fmd preset)");
  assign->add_option("--market", f.market, "eu-fmd: randomised serials only")
      ->check(CLI::IsMember({"eu-fmd"}));
  assign->callback([&] { exit_code = run_format_assign(f); });
  auto* list = format->add_subcommand("list", "list formats");
  db(list);
  list->callback([&] { exit_code = run_format_list(f); });

  auto* allocate =
      serials->add_subcommand("allocate", "allocate serials for a GTIN; streams them to stdout");
  db(allocate);
  allocate->add_option("--gtin", f.gtin, "GTIN (8, 12, 13 or 14 digits)")->required();
  allocate->add_option("--count", f.count, "how many serials")->required();
  allocate->add_option("--format", f.format,
                       "format name (default: the GTIN's assigned format, else 12 of CSET 32)");
  allocate->add_option("--scheme", f.scheme, "ff1|ff3-1|sequential|random");
  allocate->add_option("--lot", f.lot, "lot (part of the tweak)");
  allocate->add_option("--site", f.site, "site, packaging line or contract manufacturer");
  allocate->add_option("--to", f.to, "party the serials are handed to");
  allocate->add_option("--request-id", f.request_id,
                       "idempotency key: a retry returns the same serials");
  allocate->add_flag("--allow-guessable", f.allow_guessable,
                     "permit guess probability above 1/10,000");
  allocate->add_flag("--reissue-returned", f.reissue,
                     "hand out returned-unused serials of the range first");
  allocate->add_option("--output", f.output, "text|csv|jsonl|element|digital-link")
      ->check(CLI::IsMember({"text", "csv", "jsonl", "element", "digital-link"}));
  allocate->callback([&] { exit_code = run_allocate(f); });

  auto* ranges_cmd =
      serials->add_subcommand("ranges", "allocations with issued/commissioned/returned counts");
  db(ranges_cmd);
  ranges_cmd->add_option("--gtin", f.gtin, "only this GTIN");
  ranges_cmd->callback([&] { exit_code = run_ranges(f); });

  auto* ret = serials->add_subcommand("return", "record serials of a range as returned unused");
  db(ret);
  ret->add_option("--range", f.range, "range id (see serials ranges)")->required();
  ret->add_option("SERIAL", f.serials, "serials")->required();
  ret->callback([&] { exit_code = run_return(f); });

  auto* guess =
      serials->add_subcommand("guess-probability", "chance that a guessed serial is valid");
  db(guess);
  guess->add_option("--format", f.format, "format name")->required();
  guess->add_option("--count", f.count, "serials the GTIN will have issued")->required();
  guess->callback([&] { exit_code = run_guess_probability(f); });
}

}  // namespace serialtrack::cli

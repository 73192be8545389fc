// `serialtrack simulate`: a synthetic supply chain with labelled anomalies, written as
// EPCIS 2.0 JSON documents (a directory, or stdout one document a line) or captured
// straight into a store; verification scans, labels and item truths as JSON lines.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "epcis/json_codec.h"
#include "sim/simulator.h"
#include "trace/capture.h"

namespace serialtrack::cli {
namespace {

struct SimulateFlags {
  uint64_t items = 0;
  uint64_t seed = 1;
  std::string out, db, labels, verifications, truth;
  std::vector<std::string> countries;
  size_t events_per_document = 1000;
  double anomaly_rate = 0;
  // Per kind, < 0: not given (the --anomaly-rate applies).
  double clone = -1, probing = -1, diversion = -1, reuse = -1, tamper = -1, out_of_sequence = -1;
  double recall_rate = -1, return_rate = -1;
};

// A JSON-lines file, or nothing when no path was given.
class LineFile {
 public:
  bool open(const std::string& path) {
    if (path.empty()) return true;
    out_ = std::make_unique<std::ofstream>(path, std::ios::binary | std::ios::trunc);
    path_ = path;
    return static_cast<bool>(*out_);
  }
  std::optional<sim::SinkError> write(const std::string& line) {
    if (!out_) return std::nullopt;
    *out_ << line << '\n';
    if (!*out_) return sim::SinkError{"cannot write " + path_};
    return std::nullopt;
  }
  std::optional<sim::SinkError> close() {
    if (!out_) return std::nullopt;
    out_->close();
    if (!*out_) return sim::SinkError{"cannot write " + path_};
    return std::nullopt;
  }

 private:
  std::unique_ptr<std::ofstream> out_;
  std::string path_;
};

// Documents to a directory (epcis-000001.jsonld, ...), to stdout, or into a store.
class CliSink : public sim::Sink {
 public:
  CliSink(std::string dir, store::Store* store) : dir_(std::move(dir)), store_(store) {}
  LineFile verifications, labels, truths;

  std::optional<sim::SinkError> document(const epcis::Document& doc) override {
    ++documents_;
    if (store_ != nullptr) {
      auto r = trace::capture(*store_, doc.events, doc.master_data);
      if (!r)
        return sim::SinkError{"capture of document " + std::to_string(documents_) + ": " +
                              r.error().message};
      return std::nullopt;
    }
    std::string text = epcis::encode_json(doc);
    if (dir_.empty()) {
      std::cout << text << '\n';
      return std::cout ? std::nullopt
                       : std::optional<sim::SinkError>(sim::SinkError{"cannot write stdout"});
    }
    char name[32];
    std::snprintf(name, sizeof name, "epcis-%06zu.jsonld", documents_);
    std::string path = (std::filesystem::path(dir_) / name).string();
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f << text << '\n';
    f.close();
    if (!f) return sim::SinkError{"cannot write " + path};
    return std::nullopt;
  }
  std::optional<sim::SinkError> verification(const sim::Verification& v) override {
    return verifications.write(sim::verification_json(v));
  }
  std::optional<sim::SinkError> label(const sim::AnomalyLabel& l) override {
    return labels.write(sim::label_json(l));
  }
  std::optional<sim::SinkError> truth(const sim::ItemTruth& t) override {
    return truths.write(sim::truth_json(t));
  }

 private:
  std::string dir_;
  store::Store* store_;
  size_t documents_ = 0;
};

// A progress bar redrawn in place on stderr, at most once per percent.
class ProgressBar {
 public:
  void operator()(uint64_t done, uint64_t total) {
    int percent = static_cast<int>(done * 100 / total);
    if (percent == shown_) return;
    shown_ = percent;
    int filled = percent * 30 / 100;
    std::cerr << "\r" << std::string(static_cast<size_t>(filled), '#')
              << std::string(static_cast<size_t>(30 - filled), '.') << " " << percent << "% "
              << done << "/" << total << " items" << std::flush;
  }
  void clear() const {
    if (shown_ >= 0) std::cerr << "\r" << std::string(70, ' ') << "\r" << std::flush;
  }

 private:
  int shown_ = -1;
};

int run_simulate(const SimulateFlags& f) {
  sim::Config config;
  config.items = f.items;
  config.seed = f.seed;
  if (!f.countries.empty()) config.countries = f.countries;
  config.events_per_document = f.events_per_document;
  auto rate = [&](double given) { return given >= 0 ? given : f.anomaly_rate; };
  config.anomalies = {rate(f.clone), rate(f.probing), rate(f.diversion),
                      rate(f.reuse), rate(f.tamper),  rate(f.out_of_sequence)};
  if (f.recall_rate >= 0) config.recall_rate = f.recall_rate;
  if (f.return_rate >= 0) config.return_rate = f.return_rate;
  if (auto e = sim::validate(config)) {
    std::cerr << "serialtrack: simulate: " << e->message << "\n";
    return 2;
  }

  std::unique_ptr<store::Store> store;
  if (!f.db.empty()) {
    auto s = store::open_sqlite(f.db);
    if (!s) {
      std::cerr << "serialtrack: " << s.error().message << "\n";
      return 2;
    }
    store = std::move(*s);
  }
  if (!f.out.empty()) {
    std::error_code ec;
    // Documents of an earlier run left beside these would read as one chain.
    if (std::filesystem::is_directory(f.out, ec) && !std::filesystem::is_empty(f.out, ec)) {
      std::cerr << "serialtrack: " << f.out << " is not empty\n";
      return 2;
    }
    std::filesystem::create_directories(f.out, ec);
    if (ec) {
      std::cerr << "serialtrack: cannot create " << f.out << ": " << ec.message() << "\n";
      return 2;
    }
  }
  CliSink sink(f.out, store.get());
  for (auto [file, path] : {std::pair{&sink.verifications, &f.verifications},
                            {&sink.labels, &f.labels},
                            {&sink.truths, &f.truth}})
    if (!file->open(*path)) {
      std::cerr << "serialtrack: cannot write " << *path << "\n";
      return 2;
    }

  ProgressBar bar;
  sim::Progress progress;
  if (isatty(STDERR_FILENO)) progress = [&bar](uint64_t done, uint64_t total) { bar(done, total); };
  auto summary = sim::simulate(config, sink, progress);
  bar.clear();
  for (auto* file : {&sink.verifications, &sink.labels, &sink.truths})
    if (auto e = file->close()) {
      std::cerr << "serialtrack: " << e->message << "\n";
      return 1;
    }
  if (!summary) {
    std::cerr << "serialtrack: simulate: " << summary.error().message << "\n";
    return 1;
  }
  // With the documents on stdout, the summary goes to stderr.
  std::ostream& out = f.out.empty() && f.db.empty() ? std::cerr : std::cout;
  const sim::Summary& s = *summary;
  out << "items " << s.items << ", cases " << s.cases << ", pallets " << s.pallets << ", lots "
      << s.lots << " (seed " << f.seed << ")\n";
  out << "events " << s.events << ", documents " << s.documents << ", verifications "
      << s.verifications << "\n";
  out << "dispensed " << s.dispensed << ", sold " << s.sold << ", returned " << s.returned
      << ", destroyed " << s.destroyed << ", recalled lots " << s.recalled_lots << "\n";
  uint64_t total = 0;
  out << "anomalies";
  for (const auto& [kind, count] : s.anomalies) {
    out << " " << sim::anomaly_kind_name(kind) << " " << count.injected;
    total += count.injected;
  }
  out << " (total " << total << ")\n";
  return 0;
}

}  // namespace

void add_simulate_commands(CLI::App& app, int& exit_code) {
  auto f = std::make_shared<SimulateFlags>();
  auto* cmd =
      app.add_subcommand("simulate", "Generate a supply chain with labelled anomalies (EPCIS 2.0)");
  cmd->add_option("--items", f->items, "Packs to make (1 to 1,000,000,000)")->required();
  cmd->add_option("--seed", f->seed, "Seed: the same seed gives the same output")
      ->capture_default_str();
  auto* out =
      cmd->add_option("--out", f->out, "Directory for the EPCIS JSON documents (default: stdout)");
  auto* db = cmd->add_option("--db", f->db, "Capture into this database instead (trace::capture)");
  out->excludes(db);
  cmd->add_option("--labels", f->labels, "Write the anomaly labels here (JSON lines)");
  cmd->add_option("--verifications", f->verifications,
                  "Write the verification scans here (JSON lines)");
  cmd->add_option("--truth", f->truth, "Write each item's expected final state here (JSON lines)");
  cmd->add_option("--countries", f->countries,
                  "Markets, ISO country codes (default DE,FR,IT,ES,NL,PL)")
      ->delimiter(',');
  cmd->add_option("--events-per-document", f->events_per_document, "Events per EPCIS document")
      ->capture_default_str();
  auto range = CLI::Range(0.0, 1.0);
  cmd->add_option("--anomaly-rate", f->anomaly_rate, "Rate of every anomaly kind (share of items)")
      ->check(range);
  cmd->add_option("--clone-rate", f->clone, "Clones: share of sold/dispensed packs")->check(range);
  cmd->add_option("--probing-rate", f->probing, "Probing sessions per item")->check(range);
  cmd->add_option("--diversion-rate", f->diversion, "Diversion: share of sold/dispensed packs")
      ->check(range);
  cmd->add_option("--reuse-rate", f->reuse, "Reuse: share of decommissioned packs")->check(range);
  cmd->add_option("--tamper-rate", f->tamper, "Aggregation tampering: share of packs")
      ->check(range);
  cmd->add_option("--out-of-sequence-rate", f->out_of_sequence,
                  "Out-of-sequence events: share of packs")
      ->check(range);
  cmd->add_option("--recall-rate", f->recall_rate, "Share of lots recalled (default 0.02)")
      ->check(range);
  cmd->add_option("--return-rate", f->return_rate, "Share of packs returned unsold (default 0.01)")
      ->check(range);
  cmd->callback([f, &exit_code] { exit_code = run_simulate(*f); });
}

}  // namespace serialtrack::cli

// `serialtrack simulate`: a synthetic supply chain with labelled anomalies, written as
// EPCIS 2.0 JSON documents (a directory, or stdout one document a line), captured
// straight into a store, or posted to a running server (POST /capture, its scans to
// POST /verify); verification scans, labels and item truths as JSON lines.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>

#include "cli/commands.h"
#include "epcis/json_codec.h"
#include "epcis/time.h"
#include "server/client.h"
#include "sim/scoring.h"
#include "sim/simulator.h"
#include "sim/world.h"
#include "store/alert_book.h"
#include "store/verification_log.h"
#include "trace/capture.h"
#include "trace/detection.h"

namespace serialtrack::cli {
namespace {

struct SimulateFlags {
  uint64_t items = 0;
  uint64_t seed = 1;
  std::string out, db, labels, verifications, truth;
  std::string post, key, until;  // --post URL, --key KEY, --until TIME
  std::vector<std::string> countries;
  size_t events_per_document = 1000;
  double anomaly_rate = 0;
  // Per kind, < 0: not given (the --anomaly-rate applies).
  double clone = -1, probing = -1, diversion = -1, reuse = -1, tamper = -1, out_of_sequence = -1;
  double recall_rate = -1, return_rate = -1;
  bool score = false;
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

// What the server answered to a posted simulation.
struct PostedCounts {
  uint64_t documents = 0, accepted = 0, duplicates = 0;
  uint64_t verifications = 0, verified = 0, suspected_clones = 0;
};

// Documents to a directory (epcis-000001.jsonld, ...), to stdout, into a store, or to a
// server (documents to POST /capture, each job's result checked; scans to POST /verify
// in batches, sent before the next document so that the server sees them in order).
class CliSink : public sim::Sink {
 public:
  CliSink(std::string dir, store::Store* store, server::Client* client)
      : dir_(std::move(dir)), store_(store), client_(client) {}
  LineFile verifications, labels, truths;
  PostedCounts posted;

  std::optional<sim::SinkError> document(const epcis::Document& doc) override {
    ++documents_;
    if (client_ != nullptr) {
      if (auto e = flush_scans()) return e;
      return post_document(doc);
    }
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
    if (client_ != nullptr) {
      // POST /verify {id, location}: the scanned element string; the scanning site when it
      // is one (a consumer's geo: position is no GLN).
      boost::json::object q{{"id", v.identifier}};
      if (v.location.rfind("urn:epc:id:sgln:", 0) == 0) q["location"] = v.location;
      scans_.push_back(std::move(q));
      scan_ids_.push_back(v.id);
      if (scans_.size() >= kScanBatch)
        if (auto e = flush_scans()) return e;
    }
    return verifications.write(sim::verification_json(v));
  }
  std::optional<sim::SinkError> label(const sim::AnomalyLabel& l) override {
    return labels.write(sim::label_json(l));
  }
  std::optional<sim::SinkError> truth(const sim::ItemTruth& t) override {
    return truths.write(sim::truth_json(t));
  }

  // Sends what is still held (the last scans). Call after the simulation.
  std::optional<sim::SinkError> finish() { return client_ ? flush_scans() : std::nullopt; }

 private:
  // Under the server's default burst of verifications per client (rate_limit.h).
  static constexpr size_t kScanBatch = 50;

  std::optional<sim::SinkError> post_document(const epcis::Document& doc) {
    std::string where = "document " + std::to_string(documents_) + " (events " +
                        std::to_string(posted.accepted + posted.duplicates + 1) + "-" +
                        std::to_string(posted.accepted + posted.duplicates + doc.events.size()) +
                        ")";
    auto job = client_->capture(epcis::encode_json(doc));
    if (!job) return sim::SinkError{"capture of " + where + ": " + job.error().message};
    if (!job->success) {
      std::string message = "capture of " + where + ": job " + job->id + " rejected " +
                            std::to_string(job->errors.size()) + " of " +
                            std::to_string(job->events) + " events";
      for (size_t i = 0; i < job->errors.size() && i < 3; ++i) {
        const auto& e = job->errors[i];
        message += "; event " + std::to_string(e.index) +
                   (e.event_id.empty() ? "" : " (" + e.event_id + ")") + ": " + e.message;
      }
      return sim::SinkError{message};
    }
    ++posted.documents;
    posted.accepted += static_cast<uint64_t>(job->accepted);
    posted.duplicates += static_cast<uint64_t>(job->duplicates);
    return std::nullopt;
  }

  std::optional<sim::SinkError> flush_scans() {
    if (scans_.empty()) return std::nullopt;
    auto answers = client_->verify(scans_);
    if (!answers)
      return sim::SinkError{"verification of scans " + scan_ids_.front() + " to " +
                            scan_ids_.back() + ": " + answers.error().message};
    for (const auto& a : *answers) {
      ++posted.verifications;
      if (!a.is_object()) continue;
      if (const auto* v = a.as_object().if_contains("verified"); v && v->is_bool() && v->as_bool())
        ++posted.verified;
      if (const auto* c = a.as_object().if_contains("suspectedClone");
          c && c->is_bool() && c->as_bool())
        ++posted.suspected_clones;
    }
    scans_.clear();
    scan_ids_.clear();
    return std::nullopt;
  }

  std::string dir_;
  store::Store* store_;
  server::Client* client_;
  size_t documents_ = 0;
  boost::json::array scans_;           // held until the next document or a full batch
  std::vector<std::string> scan_ids_;  // their simulation ids, for error messages
};

// --score: events through detection's capture and scans through its verify, into a
// fresh database; the labels kept apart for the comparison afterwards.
class ScoreSink : public sim::Sink {
 public:
  ScoreSink(store::Store& store, store::VerificationLog& log, trace::Detector& detector)
      : store_(store), log_(log), detector_(detector) {}
  std::vector<sim::AnomalyLabel> labels;
  std::vector<std::string> scan_ids;  // verification log sequence n -> scan_ids[n - 1]

  std::optional<sim::SinkError> document(const epcis::Document& doc) override {
    auto r = detector_.capture(store_, doc.events, doc.master_data);
    if (!r) return sim::SinkError{"capture: " + r.error().message};
    return std::nullopt;
  }
  std::optional<sim::SinkError> verification(const sim::Verification& v) override {
    trace::VerifyRequest request;
    request.pack.id = v.identifier;
    request.caller.client = v.client;
    std::optional<trace::GeoPoint> where = trace::parse_geo_uri(v.location);
    if (v.role != "consumer") request.caller.party = v.client;
    if (!where) request.caller.location = v.location;
    request.caller.is_public = v.role == "consumer";
    request.now_unix_nanos = v.time.unix_nanos;
    auto r = detector_.verify(store_, log_, request, where);
    if (!r) return sim::SinkError{"verify " + v.identifier + ": " + r.error().message};
    size_t seq = static_cast<size_t>(r->answer.log_sequence);
    if (scan_ids.size() < seq) scan_ids.resize(seq);
    scan_ids[seq - 1] = v.id;
    ++verifications;
    return std::nullopt;
  }
  std::optional<sim::SinkError> label(const sim::AnomalyLabel& l) override {
    labels.push_back(l);
    return std::nullopt;
  }
  uint64_t verifications = 0;

 private:
  store::Store& store_;
  store::VerificationLog& log_;
  trace::Detector& detector_;
};

std::string decimal(double v, int places = 4) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", places, v);
  return buf;
}

// The score table: one line per anomaly kind, then the overall line (the last line).
void print_score(const sim::DetectionScore& score, std::ostream& out) {
  char line[200];
  std::snprintf(line, sizeof line, "%-16s %7s %8s %7s %6s %9s %7s %9s %10s\n", "kind", "labels",
                "detected", "alerts", "false", "precision", "recall", "fa-per-10k", "delay-s");
  out << line;
  auto row = [&](const std::string& name, const sim::KindScore& k) {
    std::snprintf(line, sizeof line, "%-16s %7llu %8llu %7llu %6llu %9s %7s %9s %10s\n",
                  name.c_str(), static_cast<unsigned long long>(k.labels),
                  static_cast<unsigned long long>(k.detected),
                  static_cast<unsigned long long>(k.true_alerts + k.false_alerts),
                  static_cast<unsigned long long>(k.false_alerts), decimal(k.precision).c_str(),
                  decimal(k.recall).c_str(), decimal(k.false_alarms_per_10k, 3).c_str(),
                  k.median_delay_seconds ? decimal(*k.median_delay_seconds, 0).c_str() : "-");
    out << line;
  };
  for (const auto& [kind, k] : score.kinds) row(std::string(sim::anomaly_kind_name(kind)), k);
  row("overall", score.overall);
  out << "genuine scans " << score.genuine_scans << "; false alerts by rule:";
  if (score.false_alerts_by_rule.empty()) out << " none";
  for (const auto& [rule, n] : score.false_alerts_by_rule) out << " " << rule << " " << n;
  out << "\n";
  out << "overall precision " << decimal(score.overall.precision) << " recall "
      << decimal(score.overall.recall) << " false-alarms-per-10k "
      << decimal(score.overall.false_alarms_per_10k, 3) << "\n";
}

// Runs the simulation through detection in a fresh temporary database and prints the
// score. Returns the exit status.
int run_score(const sim::Config& config) {
  char dir_template[] = "/tmp/serialtrack-score-XXXXXX";
  if (mkdtemp(dir_template) == nullptr) {
    std::cerr << "serialtrack: cannot create a temporary directory\n";
    return 1;
  }
  std::filesystem::path dir(dir_template);
  std::string db = (dir / "score.db").string();
  int status = 1;
  {
    auto store = store::open_sqlite(db, {.durable = false});
    auto log =
        store ? store::open_sqlite_verification_log(db)
              : store::Result<std::unique_ptr<store::VerificationLog>>(unexpected(store.error()));
    auto book = log ? store::open_sqlite_alert_book(db)
                    : store::Result<std::unique_ptr<store::AlertBook>>(unexpected(log.error()));
    if (!book) {
      std::cerr << "serialtrack: " << book.error().message << "\n";
    } else {
      // The end users' locations are registered before they verify (EU FMD: the national
      // system knows each pharmacy and wholesaler): the master data of every site, also
      // of those no event names. Master data only: nothing of the labels.
      auto world = sim::make_world({config.seed, config.countries, config.items});
      if (world) {
        std::set<size_t> sites, products;
        for (size_t i = 0; i < world->sites.size(); ++i) sites.insert(i);
        for (size_t i = 0; i < world->products.size(); ++i) products.insert(i);
        auto put = (*store)->put_master_data(world->master_data(sites, products));
        if (!put) std::cerr << "serialtrack: " << put.error().message << "\n";
      }
      trace::Detector detector(**book);
      ScoreSink sink(**store, **log, detector);
      auto summary = sim::simulate(config, sink);
      if (!summary) {
        std::cerr << "serialtrack: simulate: " << summary.error().message << "\n";
      } else {
        std::vector<sim::ScoredAlert> alerts;
        store::AlertFilter filter;
        for (;;) {
          auto page = (*book)->list(filter);
          if (!page) {
            std::cerr << "serialtrack: " << page.error().message << "\n";
            alerts.clear();
            break;
          }
          for (const auto& a : *page) {
            sim::ScoredAlert s{a.kind,
                               sim::anomaly_kind_from_name(trace::claimed_anomaly(a.kind)),
                               a.time_unix_nanos,
                               a.event_ids,
                               {}};
            for (int64_t v : a.verification_ids)
              if (v >= 1 && static_cast<size_t>(v) <= sink.scan_ids.size())
                s.verification_ids.push_back(sink.scan_ids[static_cast<size_t>(v) - 1]);
            alerts.push_back(std::move(s));
          }
          if (page->size() < filter.limit) break;
          filter.after_id = page->back().id;
        }
        std::cout << "items " << summary->items << ", events " << summary->events
                  << ", verifications " << summary->verifications << ", anomalies labelled "
                  << sink.labels.size() << ", alerts " << alerts.size() << " (seed " << config.seed
                  << ")\n";
        print_score(sim::score_detection(sink.labels, alerts, sink.verifications), std::cout);
        status = 0;
      }
    }
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return status;
}

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
  // --score without any rate: 1% of each kind, so there is something to score.
  bool any_rate = f.anomaly_rate > 0;
  for (double r : {f.clone, f.probing, f.diversion, f.reuse, f.tamper, f.out_of_sequence})
    any_rate |= r >= 0;
  double base = f.score && !any_rate ? 0.01 : f.anomaly_rate;
  auto rate = [&](double given) { return given >= 0 ? given : base; };
  config.anomalies = {rate(f.clone), rate(f.probing), rate(f.diversion),
                      rate(f.reuse), rate(f.tamper),  rate(f.out_of_sequence)};
  if (f.recall_rate >= 0) config.recall_rate = f.recall_rate;
  if (f.return_rate >= 0) config.return_rate = f.return_rate;
  if (!f.until.empty()) {
    auto until = epcis::parse_timestamp(f.until);
    if (!until || until->unix_nanos <= 0) {
      std::cerr << "serialtrack: simulate: --until '" << f.until
                << "' is not a date-time such as 2026-01-12T00:00:00Z\n";
      return 2;
    }
    config.until_unix_seconds = until->unix_nanos / 1'000'000'000;
  }
  // The server verifies on arrival: each scan must follow exactly the events before it.
  config.documents_end_at_scans = !f.post.empty();
  if (auto e = sim::validate(config)) {
    std::cerr << "serialtrack: simulate: " << e->message << "\n";
    return 2;
  }
  if (f.score) return run_score(config);

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
  std::unique_ptr<server::Client> client;
  if (!f.post.empty()) {
    auto c = server::Client::open(f.post, {.key = f.key});
    if (!c) {
      std::cerr << "serialtrack: --post: " << c.error().message << "\n";
      return 2;
    }
    client = std::move(*c);
  }
  CliSink sink(f.out, store.get(), client.get());
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
  std::optional<sim::SinkError> last = summary ? sink.finish() : std::nullopt;
  bar.clear();
  for (auto* file : {&sink.verifications, &sink.labels, &sink.truths})
    if (auto e = file->close()) {
      std::cerr << "serialtrack: " << e->message << "\n";
      return 1;
    }
  if (!summary || last) {
    std::cerr << "serialtrack: simulate: " << (last ? last->message : summary.error().message)
              << "\n";
    return 1;
  }
  // With the documents on stdout, the summary goes to stderr.
  std::ostream& out = f.out.empty() && f.db.empty() && !client ? std::cerr : std::cout;
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
  if (client) {
    const PostedCounts& p = sink.posted;
    out << "posted to " << f.post << ": " << p.documents << " captures (" << p.accepted
        << " events accepted, " << p.duplicates << " duplicates), " << p.verifications
        << " verifications (" << p.verified << " verified, " << p.suspected_clones
        << " suspected clones)\n";
  }
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
  auto* post = cmd->add_option("--post", f->post,
                               "Post to a running server instead: documents to URL/capture (each "
                               "job checked), scans to URL/verify, e.g. http://127.0.0.1:8080");
  post->excludes(out)->excludes(db);
  cmd->add_option("--key", f->key, "API key for --post (a role that may capture and verify)")
      ->needs(post);
  auto* until = cmd->add_option("--until", f->until,
                                "Stop the chain at this date-time (RFC 3339): later steps are not "
                                "written, so packs are still on shelves; no --truth");
  auto* score = cmd->add_flag("--score", f->score,
                              "Run detection on a fresh temporary database and score its alerts "
                              "against the labels (default rates 0.01)");
  score->excludes(out)->excludes(db)->excludes(post)->excludes(until);
  cmd->add_option("--labels", f->labels, "Write the anomaly labels here (JSON lines)");
  cmd->add_option("--verifications", f->verifications,
                  "Write the verification scans here (JSON lines)");
  cmd->add_option("--truth", f->truth, "Write each item's expected final state here (JSON lines)")
      ->excludes(until);
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

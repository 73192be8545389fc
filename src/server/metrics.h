// What the server counts, for GET /metrics in the Prometheus text exposition format
// (version 0.0.4): requests by method, route template and status, request latency as a
// histogram per route, captures and events captured, verifications by status; and the
// alerts by kind, read from the alert book at each scrape (alerts_prometheus).
//
// Thread-safety: a Metrics is safe for concurrent use from many threads.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

#include "store/alert_book.h"

namespace serialtrack::server {

class Metrics {
 public:
  // Counts one answered request (route: its template, or "unmatched") and its latency.
  void record_request(std::string_view method, std::string_view route, unsigned status,
                      std::chrono::microseconds latency);
  // Counts one capture (a document or a single event) and the events it newly stored.
  void record_capture(uint64_t events_stored);
  // Counts one verification answered (GET/POST /verify, /dscsa/verify) by its status
  // ("ACTIVE", "UNKNOWN", ...) and whether it verified.
  void record_verification(std::string_view status, bool verified);

  // Everything counted so far, as Prometheus text.
  std::string prometheus() const;

  // Upper bounds of the latency buckets, in seconds (+Inf is implied).
  static constexpr std::array<double, 12> kBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                      0.01,   0.025,   0.05,   0.1,   0.5,    2.5};

 private:
  struct Latency {
    std::array<uint64_t, kBuckets.size()> buckets{};  // not cumulative; made so on output
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, unsigned>, uint64_t> requests_;
  std::map<std::string, Latency> latency_;
  uint64_t captures_ = 0, events_captured_ = 0;
  std::map<std::pair<std::string, bool>, uint64_t> verifications_;
};

// The alert families of /metrics from trace::alert_counts: serialtrack_alerts_total{kind}
// (counter: alerts ever raised, in the book: it survives restarts) and
// serialtrack_alerts_open{kind} (gauge: not closed yet), one line per kind.
std::string alerts_prometheus(const std::map<std::string, store::AlertBook::KindCount>& counts);

}  // namespace serialtrack::server

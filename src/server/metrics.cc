#include "server/metrics.h"

#include <cstdio>

namespace serialtrack::server {
namespace {

// A label value with \, " and newline escaped (Prometheus text format).
std::string label(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

void Metrics::record_request(std::string_view method, std::string_view route, unsigned status,
                             std::chrono::microseconds latency) {
  double seconds = static_cast<double>(latency.count()) / 1e6;
  std::lock_guard lock(mu_);
  ++requests_[{std::string(method), std::string(route), status}];
  auto& l = latency_[std::string(route)];
  for (size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) {
      ++l.buckets[i];
      break;
    }
  ++l.count;
  l.sum += seconds;
}

void Metrics::record_capture(uint64_t events_stored) {
  std::lock_guard lock(mu_);
  ++captures_;
  events_captured_ += events_stored;
}

void Metrics::record_verification(std::string_view status, bool verified) {
  std::lock_guard lock(mu_);
  ++verifications_[{std::string(status), verified}];
}

std::string Metrics::prometheus() const {
  std::lock_guard lock(mu_);
  std::string out;
  out += "# HELP serialtrack_http_requests_total HTTP requests answered.\n";
  out += "# TYPE serialtrack_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    out += "serialtrack_http_requests_total{method=\"" + label(method) + "\",route=\"" +
           label(route) + "\",status=\"" + std::to_string(status) + "\"} " + std::to_string(n) +
           "\n";
  }
  out +=
      "# HELP serialtrack_http_request_duration_seconds Time from a request read to its answer.\n";
  out += "# TYPE serialtrack_http_request_duration_seconds histogram\n";
  for (const auto& [route, l] : latency_) {
    std::string r = "route=\"" + label(route) + "\"";
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += l.buckets[i];
      out += "serialtrack_http_request_duration_seconds_bucket{" + r + ",le=\"" +
             number(kBuckets[i]) + "\"} " + std::to_string(cumulative) + "\n";
    }
    out += "serialtrack_http_request_duration_seconds_bucket{" + r + ",le=\"+Inf\"} " +
           std::to_string(l.count) + "\n";
    out += "serialtrack_http_request_duration_seconds_sum{" + r + "} " + number(l.sum) + "\n";
    out += "serialtrack_http_request_duration_seconds_count{" + r + "} " + std::to_string(l.count) +
           "\n";
  }
  out += "# HELP serialtrack_captures_total Captures (documents and single events) stored.\n";
  out += "# TYPE serialtrack_captures_total counter\n";
  out += "serialtrack_captures_total " + std::to_string(captures_) + "\n";
  out += "# HELP serialtrack_events_captured_total Events newly stored by captures.\n";
  out += "# TYPE serialtrack_events_captured_total counter\n";
  out += "serialtrack_events_captured_total " + std::to_string(events_captured_) + "\n";
  out += "# HELP serialtrack_verifications_total Pack verifications answered.\n";
  out += "# TYPE serialtrack_verifications_total counter\n";
  for (const auto& [key, n] : verifications_)
    out += "serialtrack_verifications_total{status=\"" + key.first + "\",verified=\"" +
           (key.second ? "true" : "false") + "\"} " + std::to_string(n) + "\n";
  return out;
}

std::string alerts_prometheus(const std::map<std::string, store::AlertBook::KindCount>& counts) {
  std::string out;
  out += "# HELP serialtrack_alerts_total Detection alerts raised, by kind.\n";
  out += "# TYPE serialtrack_alerts_total counter\n";
  for (const auto& [kind, n] : counts)
    out +=
        "serialtrack_alerts_total{kind=\"" + label(kind) + "\"} " + std::to_string(n.total) + "\n";
  out += "# HELP serialtrack_alerts_open Detection alerts not closed (new or investigating).\n";
  out += "# TYPE serialtrack_alerts_open gauge\n";
  for (const auto& [kind, n] : counts)
    out += "serialtrack_alerts_open{kind=\"" + label(kind) + "\"} " + std::to_string(n.open) + "\n";
  return out;
}

}  // namespace serialtrack::server

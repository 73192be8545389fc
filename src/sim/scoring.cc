#include "sim/scoring.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace serialtrack::sim {
namespace {

std::optional<double> median(std::vector<double> v) {
  if (v.empty()) return std::nullopt;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void finish(KindScore& k, uint64_t genuine_scans, const std::vector<double>& delays) {
  uint64_t alerts = k.true_alerts + k.false_alerts;
  k.precision = alerts ? static_cast<double>(k.true_alerts) / static_cast<double>(alerts) : 1;
  k.recall = k.labels ? static_cast<double>(k.detected) / static_cast<double>(k.labels) : 1;
  k.false_alarms_per_10k = genuine_scans ? static_cast<double>(k.false_alerts) * 10000 /
                                               static_cast<double>(genuine_scans)
                                         : 0;
  k.median_delay_seconds = median(delays);
}

}  // namespace

DetectionScore score_detection(const std::vector<AnomalyLabel>& labels,
                               const std::vector<ScoredAlert>& alerts, uint64_t verifications) {
  DetectionScore out;
  for (AnomalyKind k : kAnomalyKinds) out.kinds[k] = {};
  // Evidence id -> the labels naming it.
  std::unordered_map<std::string, std::vector<size_t>> by_event, by_scan;
  std::unordered_set<std::string> labelled_scans;
  for (size_t i = 0; i < labels.size(); ++i) {
    for (const auto& e : labels[i].event_ids) by_event[e].push_back(i);
    for (const auto& v : labels[i].verification_ids) {
      by_scan[v].push_back(i);
      labelled_scans.insert(v);
    }
    ++out.kinds[labels[i].kind].labels;
  }
  out.genuine_scans =
      verifications > labelled_scans.size() ? verifications - labelled_scans.size() : 0;
  // Per label: the earliest time of a matching alert.
  std::vector<std::optional<int64_t>> first(labels.size());
  for (const ScoredAlert& a : alerts) {
    std::vector<size_t> matched;
    for (const auto* ids : {&a.event_ids, &a.verification_ids})
      for (const auto& id : *ids) {
        const auto& index = ids == &a.event_ids ? by_event : by_scan;
        if (auto it = index.find(id); it != index.end())
          matched.insert(matched.end(), it->second.begin(), it->second.end());
      }
    if (matched.empty()) {
      ++out.overall.false_alerts;
      ++out.false_alerts_by_rule[a.kind];
      if (a.claims) ++out.kinds[*a.claims].false_alerts;
      continue;
    }
    ++out.overall.true_alerts;
    // Counted for the kind it claims when it matched a label of that kind, else the first.
    AnomalyKind credited = labels[matched.front()].kind;
    for (size_t i : matched) {
      if (a.claims && labels[i].kind == *a.claims) credited = *a.claims;
      if (!first[i] || a.time_unix_nanos < *first[i]) first[i] = a.time_unix_nanos;
    }
    ++out.kinds[credited].true_alerts;
  }
  std::map<AnomalyKind, std::vector<double>> delays;
  std::vector<double> all_delays;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (!first[i]) continue;
    ++out.kinds[labels[i].kind].detected;
    ++out.overall.detected;
    double d =
        static_cast<double>(std::max<int64_t>(0, *first[i] - labels[i].time.unix_nanos)) / 1e9;
    delays[labels[i].kind].push_back(d);
    all_delays.push_back(d);
  }
  out.overall.labels = labels.size();
  for (auto& [kind, k] : out.kinds) finish(k, out.genuine_scans, delays[kind]);
  finish(out.overall, out.genuine_scans, all_delays);
  return out;
}

}  // namespace serialtrack::sim

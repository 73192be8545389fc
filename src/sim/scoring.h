// Scoring detection against the simulator's labels (issue 7, "Scoring"): a pure
// function over the labels of a run and the alerts detection raised for it. Detection
// never sees the labels; only this comparison does.
//
// An alert matches a label when its evidence shares an eventID or a verification id
// with the label's (the injected events and scans). Per anomaly kind K:
//   recall     labels of K matched by at least one alert / labels of K
//   precision  alerts matched to a label of K / (those + unmatched alerts claiming K)
//   false alarms per 10,000 genuine scans: unmatched alerts claiming K per 10,000
//              verifications that no label names
//   delay      the median, over detected labels, of the event-time gap between the
//              label's time and its first matching alert's time (0 when not later)
// Overall: every matched alert against every unmatched one (also those claiming no
// kind), every label. Plain values; thread-compatible.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/records.h"

namespace serialtrack::sim {

// An alert as the scorer sees it (the CLI converts detection's alerts).
struct ScoredAlert {
  std::string kind;                           // the rule that raised it
  std::optional<AnomalyKind> claims;          // the anomaly its kind stands for, if any
  int64_t time_unix_nanos = 0;                // event time of its latest evidence
  std::vector<std::string> event_ids;         // evidence
  std::vector<std::string> verification_ids;  // evidence: Verification::id values
};

struct KindScore {
  uint64_t labels = 0, detected = 0;           // labels, and those matched
  uint64_t true_alerts = 0, false_alerts = 0;  // alerts matched / unmatched (claiming the kind)
  double precision = 1, recall = 1;            // 1 when there is nothing to count
  double false_alarms_per_10k = 0;
  std::optional<double> median_delay_seconds;  // nullopt when nothing was detected
};

struct DetectionScore {
  std::map<AnomalyKind, KindScore> kinds;  // every kind, also those with no label
  KindScore overall;
  uint64_t genuine_scans = 0;                            // verifications no label names
  std::map<std::string, uint64_t> false_alerts_by_rule;  // unmatched alerts per alert kind
};

// Scores alerts against labels; verifications is the number of verifications the run
// handed out (genuine scans are those no label names).
DetectionScore score_detection(const std::vector<AnomalyLabel>& labels,
                               const std::vector<ScoredAlert>& alerts, uint64_t verifications);

}  // namespace serialtrack::sim

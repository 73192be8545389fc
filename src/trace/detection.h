// Detection of counterfeits, clones, diversion and probing (issue 7, "Detection"): rules
// that run as events and verifications arrive, a statistical layer over verification
// counts, and the alerts they raise in the alert book (store/alert_book.h).
//
// Where each rule runs (see README.md, "Detection"):
//   inside the capture's transaction (a trace::CaptureObserver over item state):
//     dispensed_twice, reuse_after_decommission, not_commissioned, recommissioned,
//     out_of_sequence   — built on item state's lifecycle alerts (item_state.h);
//     diversion         — a dispensing/selling event in another country than the
//                         location its last shipment brought it to;
//     unit_outside_case — a unit named alone at another site while its case holds it;
//     impossible_travel — two sightings of one serial too far apart for the time between.
//   right after verify_pack appended the verification to the log:
//     verified_after_decommission, diversion, unit_outside_case, impossible_travel (the
//     same rules on the verification's location), probing and sequential_guessing (per
//     client), verification_spike (per product and location, EWMA baseline).
// Detection sees only captured events, their master data (latitude, longitude,
// countryCode of locations, CBV 2.0 §10) and verification requests; its memory (recent
// sightings per item, probe windows per client, baselines) is in this object, rebuilt
// from what arrives. Alerts are written once the capture committed (a capture that
// fails raises none).
//
// Thread-safety: a Detector is safe for concurrent use: one mutex over its memory, held
// for one verification's rules or one captured event's rules, never for a whole capture
// nor while alerts are booked, so verifications are answered while a capture runs.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "epcis/event.h"
#include "store/alert_book.h"
#include "store/store.h"
#include "store/verification_log.h"
#include "trace/capture.h"
#include "trace/verify.h"

namespace serialtrack::trace {

struct GeoPoint {
  double latitude = 0, longitude = 0;
};

// The point of a geo URI (RFC 5870 §3.3, "geo:lat,lon[,alt][;params]"); nullopt when it
// is not one or the coordinates are out of range.
std::optional<GeoPoint> parse_geo_uri(std::string_view uri);

// Great-circle distance in km (haversine, mean Earth radius 6371 km).
double great_circle_km(const GeoPoint& a, const GeoPoint& b);

struct DetectionOptions {
  // Impossible travel: faster than this between two sightings, and at least this far
  // apart (two shops of one city, a consumer's app near the shop, never alarm).
  double max_speed_kmh = 900;
  double min_distance_km = 40;
  size_t sightings_per_item = 8;  // recent sightings kept per serial
  // Probing: within probe_window, at least probe_unknown_threshold unknown-serial (A2)
  // or unknown-product (A3) answers to one client, forming at least probe_unknown_share
  // of its verifications. Sequential guessing: that many unknown serials of one GTIN
  // that share all but their last sequential_suffix characters.
  int64_t probe_window_nanos = 600'000'000'000;
  uint32_t probe_unknown_threshold = 3;
  double probe_unknown_share = 0.5;
  size_t sequential_suffix = 3;
  // Verification spikes per (GTIN, site): counts per bucket, an exponentially weighted
  // mean and variance over closed buckets (weight ewma_alpha for the newest); a bucket
  // alarms when its count exceeds mean + spike_sigmas * sd and mean + spike_min_excess,
  // once warmup_buckets closed buckets made the baseline.
  int64_t bucket_nanos = 86'400'000'000'000;
  double ewma_alpha = 0.1;
  double spike_sigmas = 6;
  double spike_min_excess = 20;
  uint32_t warmup_buckets = 14;
};

// The detection kinds (DetectionAlert::kind) and the anomaly each one claims, in the
// simulator's words ("clone", "probing", "diversion", "reuse", "tamper",
// "out_of_sequence"; "" for verification_spike, which claims none).
inline constexpr std::string_view kDetectionKinds[] = {"impossible_travel",
                                                       "dispensed_twice",
                                                       "verified_after_decommission",
                                                       "reuse_after_decommission",
                                                       "not_commissioned",
                                                       "recommissioned",
                                                       "out_of_sequence",
                                                       "diversion",
                                                       "unit_outside_case",
                                                       "probing",
                                                       "sequential_guessing",
                                                       "verification_spike"};
std::string_view claimed_anomaly(std::string_view detection_kind);

// What a capture with detection did.
struct DetectedCapture {
  store::CaptureOutcome outcome;
  std::vector<int64_t> alerts;  // ids in the alert book
};

// What a verification with detection answered.
struct DetectedVerification {
  VerifyAnswer answer;          // with suspected_clone set when a clone rule fired
  std::vector<int64_t> alerts;  // ids in the alert book
};

class Detector {
 public:
  // Alerts go to book (which must outlive the detector).
  explicit Detector(store::AlertBook& book, DetectionOptions options = {});
  ~Detector();
  Detector(const Detector&) = delete;
  Detector& operator=(const Detector&) = delete;

  // trace::capture with the event rules in its transaction; the master data's location
  // coordinates and countries are learnt first. Returns the capture's outcome and the
  // alerts raised; error as trace::capture (no alert raised), or kIo when the alert
  // book cannot be written (the events stay captured).
  store::Result<DetectedCapture> capture(store::Store& store, std::span<const epcis::Event> events,
                                         const std::vector<epcis::Vocabulary>& master_data = {},
                                         const store::CaptureOptions& options = {});

  // verify_pack, then the verification rules on what it answered. where: a consumer's
  // position (a geo URI's point) when the request has no location. A suspected clone is
  // said in the answer (suspected_clone, and a sentence added to message). Errors as
  // verify_pack; kStore also when the alert book or the store fails during detection.
  VerifyResult<DetectedVerification> verify(store::Store& store, store::VerificationLog& log,
                                            const VerifyRequest& request,
                                            std::optional<GeoPoint> where = std::nullopt);
  // The same of a pack resolved already (resolve_pack): one resolve per verification.
  VerifyResult<DetectedVerification> verify(store::Store& store, store::VerificationLog& log,
                                            const ResolvedVerifyRequest& request,
                                            std::optional<GeoPoint> where = std::nullopt);

 private:
  class Observer;
  struct Place {
    GeoPoint point;
    std::string country;  // ISO 3166-1 alpha-2; "" when the master data gives none
    std::string site;     // canonical key of the site (a read point's parent)
  };
  struct Sighting {
    int64_t time = 0;
    GeoPoint point;
    std::string event_id;      // or
    int64_t verification = 0;  // a verification log sequence number
  };
  struct ProbeWindow {
    struct Unknown {
      int64_t time;
      int64_t verification;
      std::string gtin, serial, item;
    };
    std::deque<Unknown> unknown;
    std::deque<int64_t> all;  // times of its verifications in the window
    int64_t alerted_until = 0;
  };
  struct Baseline {
    int64_t open_bucket = 0;
    uint32_t count = 0;
    bool alerted = false;
    double mean = 0, variance = 0;
    uint32_t closed = 0;
  };

  void learn(const std::vector<epcis::Vocabulary>& master_data);
  std::optional<Place> place_of(const std::string& location);  // from what was learnt
  store::Result<std::optional<Place>> place_in_store(store::Store& store,
                                                     const std::string& location);
  // The impossible-travel check of a new sighting of item against its recent ones; the
  // sighting is remembered. Returns the alert when one fires.
  std::optional<store::DetectionAlert> travel(const std::string& item, const Sighting& seen);
  std::vector<store::DetectionAlert> probe(const std::string& client, const PackKey& pack,
                                           bool unknown, int64_t time, int64_t verification);
  std::optional<store::DetectionAlert> count_for_baseline(const std::string& gtin,
                                                          const std::string& site, int64_t time,
                                                          int64_t verification);
  store::Result<std::vector<int64_t>> raise(std::vector<store::DetectionAlert>& alerts);

  store::AlertBook& book_;
  DetectionOptions options_;
  std::mutex mutex_;
  std::unordered_map<std::string, Place> places_;        // canonical location key -> place
  std::unordered_map<std::string, std::string> parent_;  // read point -> site (canonical)
  std::unordered_map<std::string, std::deque<Sighting>> sightings_;  // canonical item key
  std::unordered_map<std::string, ProbeWindow> probes_;              // client
  uint64_t probe_calls_ = 0;
  std::map<std::pair<std::string, std::string>, Baseline> baselines_;  // (gtin, site)
};

}  // namespace serialtrack::trace

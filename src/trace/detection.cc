#include "trace/detection.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>

#include "epcis/identifiers.h"

namespace serialtrack::trace {
namespace {

constexpr std::string_view kMda = "urn:epcglobal:cbv:mda#";  // CBV 2.0 §10 attributes
constexpr std::string_view kBizStep = "urn:epcglobal:cbv:bizstep:";

std::string canonical(const std::string& id) {
  if (id.empty()) return id;
  auto key = epcis::canonical_key(id);
  return key ? *key : id;
}

int64_t wall_clock_nanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// CBV 2.0 §7.1: the steps that hand a pack to a patient or a consumer.
bool sells(const epcis::Event& e) {
  return e.biz_step == std::string(kBizStep) + "dispensing" ||
         e.biz_step == std::string(kBizStep) + "retail_selling";
}

store::DetectionAlert make_alert(std::string kind, std::string severity, std::string message,
                                 int64_t time) {
  store::DetectionAlert a;
  a.kind = std::move(kind);
  a.severity = std::move(severity);
  a.message = std::move(message);
  a.time_unix_nanos = time;
  return a;
}

std::string km_words(double km) {
  return std::to_string(static_cast<long>(std::lround(km))) + " km";
}

}  // namespace

std::optional<GeoPoint> parse_geo_uri(std::string_view uri) {
  if (uri.substr(0, 4) != "geo:") return std::nullopt;
  std::string rest(uri.substr(
      4, uri.find(';') == std::string_view::npos ? std::string_view::npos : uri.find(';') - 4));
  char* end = nullptr;
  double lat = std::strtod(rest.c_str(), &end);
  if (end == rest.c_str() || *end != ',') return std::nullopt;
  const char* lon_start = end + 1;
  double lon = std::strtod(lon_start, &end);
  if (end == lon_start || (*end != '\0' && *end != ',')) return std::nullopt;
  if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) return std::nullopt;
  return GeoPoint{lat, lon};
}

double great_circle_km(const GeoPoint& a, const GeoPoint& b) {
  constexpr double kRad = 3.14159265358979323846 / 180;
  double dlat = (b.latitude - a.latitude) * kRad, dlon = (b.longitude - a.longitude) * kRad;
  double h = std::sin(dlat / 2) * std::sin(dlat / 2) + std::cos(a.latitude * kRad) *
                                                           std::cos(b.latitude * kRad) *
                                                           std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * 6371 * std::asin(std::min(1.0, std::sqrt(h)));
}

std::string_view claimed_anomaly(std::string_view kind) {
  if (kind == "impossible_travel" || kind == "dispensed_twice" ||
      kind == "verified_after_decommission" || kind == "not_commissioned" ||
      kind == "recommissioned")
    return "clone";
  if (kind == "reuse_after_decommission") return "reuse";
  if (kind == "out_of_sequence") return "out_of_sequence";
  if (kind == "diversion") return "diversion";
  if (kind == "unit_outside_case") return "tamper";
  if (kind == "probing" || kind == "sequential_guessing") return "probing";
  return "";
}

// The event rules, inside the capture's transaction: reads only the event, the item
// states and what the detector learnt; alerts wait in pending until the commit. Each
// event takes the detector's lock for its rules alone, so verifications go on while a
// long capture runs (holding it for the whole capture kept them waiting: p99 0.86 s
// during captures of 10,000 events).
class Detector::Observer final : public CaptureObserver {
 public:
  explicit Observer(Detector& d) : d_(d) {}
  std::vector<store::DetectionAlert> pending;

  void observe(const epcis::Event& e,
               const std::vector<std::pair<std::string, std::optional<ItemState>>>& before,
               ItemStates& states, const std::vector<Alert>& raised) override {
    std::lock_guard lock(d_.mutex_);
    int64_t t = e.event_time.unix_nanos;
    lifecycle(e, raised);
    std::optional<Place> here = d_.place_of(e.biz_location);
    if (!here) here = d_.place_of(e.read_point);
    if (!here) return;
    for (const auto& [id, old] : before) {
      std::string key = canonical(id);
      if (old && sells(e)) {
        // Diversion: sold in another market than the one its last shipment reached.
        auto market = d_.place_of(old->biz_location);
        if (market && !market->country.empty() && !here->country.empty() &&
            market->country != here->country) {
          auto a = make_alert("diversion", "high",
                              "Sold in " + here->country + ", but its last shipment went to " +
                                  market->country + ".",
                              t);
          a.items = {key};
          a.event_ids = {e.event_id};
          if (!old->last_event_id.empty()) a.event_ids.push_back(old->last_event_id);
          pending.push_back(std::move(a));
        }
      }
      if (old && !old->parent.empty() && e.type == epcis::EventType::kObject) {
        // A unit named alone at another site while its sealed case still holds it.
        auto container = states.get(old->parent);
        auto where = container ? d_.place_of(container->biz_location) : std::nullopt;
        if (where && where->site != here->site) {
          auto a = make_alert(
              "unit_outside_case", "high",
              "Seen alone at another site while its case " + old->parent + " still holds it.", t);
          a.items = {key, canonical(old->parent)};
          a.event_ids = {e.event_id};
          pending.push_back(std::move(a));
        }
      }
      if (auto a = d_.travel(key, Sighting{t, here->point, e.event_id, 0}))
        pending.push_back(std::move(*a));
    }
  }

 private:
  // The lifecycle alerts item state raised for this event, one detection alert per kind.
  void lifecycle(const epcis::Event& e, const std::vector<Alert>& raised) {
    std::map<std::string, store::DetectionAlert> by_kind;
    for (const Alert& r : raised) {
      std::string kind, severity = "high", message;
      switch (r.kind) {
        case AlertKind::kAfterDecommission:
          kind = sells(e) ? "dispensed_twice" : "reuse_after_decommission";
          message = sells(e) ? "Dispensed or sold again after its life ended."
                             : "Back in the supply chain after its life ended.";
          break;
        case AlertKind::kNotCommissioned:
          kind = "not_commissioned";
          message = "Seen in an event, but never commissioned.";
          break;
        case AlertKind::kRecommissioned:
          kind = "recommissioned";
          message = "Commissioned a second time.";
          break;
        case AlertKind::kOutOfOrder:
          kind = "out_of_sequence";
          severity = "low";
          message = "An event dated before the item's previous event.";
          break;
      }
      auto [it, fresh] =
          by_kind.try_emplace(kind, make_alert(kind, severity, message, e.event_time.unix_nanos));
      if (fresh) it->second.event_ids = {e.event_id};
      it->second.items.push_back(canonical(r.item));
    }
    for (auto& [kind, a] : by_kind) pending.push_back(std::move(a));
  }

  Detector& d_;
};

Detector::Detector(store::AlertBook& book, DetectionOptions options)
    : book_(book), options_(options) {}

Detector::~Detector() = default;

void Detector::learn(const std::vector<epcis::Vocabulary>& master_data) {
  for (const auto& v : master_data) {
    if (v.type != "urn:epcglobal:epcis:vtype:BusinessLocation" &&
        v.type != "urn:epcglobal:epcis:vtype:ReadPoint")
      continue;
    for (const auto& el : v.elements) {
      std::string key = canonical(el.id);
      for (const auto& child : el.children) parent_[canonical(child)] = key;
      std::optional<double> lat, lon;
      std::string country;
      for (const auto& [name, value] : el.attributes) {
        if (name.compare(0, kMda.size(), kMda) != 0) continue;
        std::string_view local = std::string_view(name).substr(kMda.size());
        char* end = nullptr;
        if (local == "latitude" || local == "longitude") {
          double x = std::strtod(value.c_str(), &end);
          if (end != value.c_str()) (local == "latitude" ? lat : lon) = x;
        } else if (local == "countryCode") {
          country = value;
        }
      }
      if (lat && lon) places_[key] = Place{{*lat, *lon}, country, key};
    }
  }
  for (auto& [key, place] : places_)
    if (auto p = parent_.find(key); p != parent_.end()) place.site = p->second;
}

std::optional<Detector::Place> Detector::place_of(const std::string& location) {
  if (location.empty()) return std::nullopt;
  auto it = places_.find(canonical(location));
  if (it == places_.end()) return std::nullopt;
  return it->second;
}

store::Result<std::optional<Detector::Place>> Detector::place_in_store(
    store::Store& store, const std::string& location) {
  if (location.empty()) return std::optional<Place>();
  if (auto p = place_of(location)) return p;
  std::vector<epcis::Vocabulary> found(1);
  found[0].type = "urn:epcglobal:epcis:vtype:BusinessLocation";
  for (const std::string& id : {location, canonical(location)}) {
    auto md = store.master_data(id);
    if (!md) return unexpected(std::move(md).error());
    if (*md) {
      found[0].elements.push_back({id, **md, {}});
      break;
    }
  }
  learn(found);
  return place_of(location);
}

std::optional<store::DetectionAlert> Detector::travel(const std::string& item,
                                                      const Sighting& seen) {
  std::deque<Sighting>& recent = sightings_[item];
  std::optional<store::DetectionAlert> out;
  for (const Sighting& s : recent) {
    double km = great_circle_km(s.point, seen.point);
    if (km < options_.min_distance_km) continue;
    double hours = static_cast<double>(std::llabs(seen.time - s.time)) / 3.6e12;
    double speed = hours > 0 ? km / hours : INFINITY;
    if (speed <= options_.max_speed_kmh) continue;
    auto a = make_alert("impossible_travel", "critical",
                        "Seen " + km_words(km) + " apart within " +
                            std::to_string(static_cast<long>(hours * 60)) +
                            " minutes: two packs carry this serial.",
                        std::max(seen.time, s.time));
    a.items = {item};
    for (const Sighting* x : {&s, &seen}) {
      if (!x->event_id.empty()) a.event_ids.push_back(x->event_id);
      if (x->verification != 0) a.verification_ids.push_back(x->verification);
    }
    out = std::move(a);
    break;
  }
  recent.push_back(seen);
  if (recent.size() > options_.sightings_per_item) recent.pop_front();
  return out;
}

std::vector<store::DetectionAlert> Detector::probe(const std::string& client, const PackKey& pack,
                                                   bool unknown, int64_t time,
                                                   int64_t verification) {
  std::vector<store::DetectionAlert> out;
  if (client.empty()) return out;
  // Memory: now and then, forget the clients with nothing in their window (consumer
  // apps mostly scan once).
  if (++probe_calls_ % 8192 == 0)
    std::erase_if(probes_, [&](const auto& entry) {
      const ProbeWindow& p = entry.second;
      return p.unknown.empty() &&
             (p.all.empty() || p.all.back() < time - options_.probe_window_nanos);
    });
  ProbeWindow& w = probes_[client];
  int64_t from = time - options_.probe_window_nanos;
  while (!w.all.empty() && w.all.front() < from) w.all.pop_front();
  while (!w.unknown.empty() && w.unknown.front().time < from) w.unknown.pop_front();
  w.all.push_back(time);
  if (!unknown) return out;
  w.unknown.push_back({time, verification, pack.gtin, pack.serial, pack.item});
  if (time < w.alerted_until) return out;  // this session has its alert already
  if (w.unknown.size() < options_.probe_unknown_threshold ||
      static_cast<double>(w.unknown.size()) <
          options_.probe_unknown_share * static_cast<double>(w.all.size()))
    return out;
  // Sequential guessing: unknown serials of this GTIN that differ only at their end.
  size_t close = 0;
  for (const auto& u : w.unknown) {
    size_t n = std::min(u.serial.size(), pack.serial.size());
    bool near = u.gtin == pack.gtin && u.serial.size() == pack.serial.size() &&
                (n <= options_.sequential_suffix ||
                 u.serial.compare(0, n - options_.sequential_suffix, pack.serial, 0,
                                  n - options_.sequential_suffix) == 0);
    close += near ? 1 : 0;
  }
  bool sequential = close >= options_.probe_unknown_threshold;
  auto a =
      make_alert(sequential ? "sequential_guessing" : "probing", sequential ? "high" : "medium",
                 std::to_string(w.unknown.size()) + " unknown serials asked by " + client +
                     " within " + std::to_string(options_.probe_window_nanos / 60'000'000'000) +
                     " minutes" + (sequential ? ", one after another." : "."),
                 time);
  a.items = {client};
  for (const auto& u : w.unknown) {
    a.items.push_back(u.item);
    a.verification_ids.push_back(u.verification);
  }
  w.alerted_until = time + options_.probe_window_nanos;
  out.push_back(std::move(a));
  return out;
}

std::optional<store::DetectionAlert> Detector::count_for_baseline(const std::string& gtin,
                                                                  const std::string& site,
                                                                  int64_t time,
                                                                  int64_t verification) {
  Baseline& b = baselines_[{gtin, site}];
  int64_t bucket = time / options_.bucket_nanos;
  if (b.closed == 0 && b.count == 0) b.open_bucket = bucket;
  if (bucket < b.open_bucket) return std::nullopt;  // late: its bucket is closed
  // Close the open bucket and any empty ones up to this one (at most a year's worth).
  for (int64_t n = 0; bucket > b.open_bucket && n < 366; ++n) {
    double x = b.count, a = options_.ewma_alpha;
    if (b.closed == 0) {
      b.mean = x;
    } else {
      double diff = x - b.mean;
      b.mean += a * diff;
      b.variance = (1 - a) * (b.variance + a * diff * diff);  // EWM variance (West 1979)
    }
    ++b.closed;
    b.count = 0;
    b.alerted = false;
    ++b.open_bucket;
  }
  b.open_bucket = std::max(b.open_bucket, bucket);
  ++b.count;
  if (b.alerted || b.closed < options_.warmup_buckets) return std::nullopt;
  double limit =
      b.mean + std::max(options_.spike_sigmas * std::sqrt(b.variance), options_.spike_min_excess);
  if (b.count <= limit) return std::nullopt;
  b.alerted = true;
  auto a = make_alert("verification_spike", "medium",
                      std::to_string(b.count) + " verifications of " + gtin + " at " + site +
                          " in one bucket; the baseline is " +
                          std::to_string(static_cast<long>(std::lround(b.mean))) + ".",
                      time);
  a.items = {site};
  a.verification_ids = {verification};
  return a;
}

store::Result<std::vector<int64_t>> Detector::raise(std::vector<store::DetectionAlert>& alerts) {
  int64_t now = wall_clock_nanos();
  for (auto& a : alerts) a.created_unix_nanos = now;
  auto ids = book_.raise(alerts);  // one transaction: a capture's alerts, one fsync
  if (!ids) return unexpected(std::move(ids).error());
  for (size_t i = 0; i < alerts.size(); ++i) alerts[i].id = (*ids)[i];
  return ids;
}

store::Result<DetectedCapture> Detector::capture(store::Store& store,
                                                 std::span<const epcis::Event> events,
                                                 const std::vector<epcis::Vocabulary>& master_data,
                                                 const store::CaptureOptions& options) {
  {
    std::lock_guard lock(mutex_);
    learn(master_data);
  }
  Observer observer(*this);
  auto outcome = trace::capture(store, events, master_data, options, &observer);
  if (!outcome) return unexpected(std::move(outcome).error());
  DetectedCapture out{std::move(*outcome), {}};
  auto ids = raise(observer.pending);
  if (!ids) return unexpected(std::move(ids).error());
  out.alerts = std::move(*ids);
  return out;
}

VerifyResult<DetectedVerification> Detector::verify(store::Store& store,
                                                    store::VerificationLog& log,
                                                    const VerifyRequest& request,
                                                    std::optional<GeoPoint> where) {
  auto resolved = resolve_request(request);
  if (!resolved) return unexpected(std::move(resolved).error());
  return verify(store, log, *resolved, where);
}

VerifyResult<DetectedVerification> Detector::verify(store::Store& store,
                                                    store::VerificationLog& log,
                                                    const ResolvedVerifyRequest& request,
                                                    std::optional<GeoPoint> where) {
  std::optional<ItemState> pack_state;  // as the answer read it: not read a second time
  auto answer = verify_pack(store, log, request, &pack_state);
  if (!answer) return unexpected(std::move(answer).error());
  auto failed = [](const store::Error& e) {
    return unexpected(VerifyError{VerifyError::Kind::kStore, "", e.message});
  };
  DetectedVerification out{std::move(*answer), {}};
  VerifyAnswer& a = out.answer;
  const int64_t t = request.now_unix_nanos, seq = a.log_sequence;
  PackKey pack{a.gtin, a.serial, a.item, std::nullopt, std::nullopt};
  bool unknown = a.alert == AlertCode::kUnknownSerial || a.alert == AlertCode::kUnknownProduct;
  // The rules under the detector's lock; the alerts are booked after it (the book waits
  // for the file's write lock, which a capture in flight holds while its rules wait for
  // this lock).
  std::unique_lock lock(mutex_);
  std::vector<store::DetectionAlert> found = probe(request.caller.client, pack, unknown, t, seq);
  auto place = place_in_store(store, request.caller.location);
  if (!place) return failed(place.error());
  std::optional<GeoPoint> point = *place ? std::optional((*place)->point) : where;
  if (!unknown) {
    const std::optional<ItemState>* state = &pack_state;
    const bool trade = !request.caller.party.empty();  // a pharmacy, wholesaler...: not a consumer
    if (*state && *place && trade) {
      const ItemState& s = **state;
      auto last = place_in_store(store, s.biz_location);
      if (!last) return failed(last.error());
      std::string last_site = *last ? (*last)->site : canonical(s.biz_location);
      if (s.decommissioned && s.last_seen && t > s.last_seen->unix_nanos &&
          last_site != (*place)->site) {
        auto x = make_alert(
            "verified_after_decommission", "critical",
            "Verified at another site after the pack's life ended (" + s.disposition + ").", t);
        x.items = {a.item};
        x.event_ids = {s.last_event_id};
        x.verification_ids = {seq};
        found.push_back(std::move(x));
      } else if (!s.decommissioned && *last && !(*last)->country.empty() &&
                 !(*place)->country.empty() && (*last)->country != (*place)->country) {
        auto x = make_alert("diversion", "high",
                            "Verified in " + (*place)->country +
                                ", but its last shipment went to " + (*last)->country + ".",
                            t);
        x.items = {a.item};
        x.event_ids = {s.last_event_id};
        x.verification_ids = {seq};
        found.push_back(std::move(x));
      }
      if (!s.parent.empty()) {
        auto container = item_state(store, s.parent);
        if (!container) return failed(container.error());
        if (*container) {
          auto at = place_in_store(store, (**container).biz_location);
          if (!at) return failed(at.error());
          if (*at && (*at)->site != (*place)->site) {
            auto x = make_alert(
                "unit_outside_case", "high",
                "Verified alone at another site while its case " + s.parent + " still holds it.",
                t);
            x.items = {a.item, canonical(s.parent)};
            x.verification_ids = {seq};
            found.push_back(std::move(x));
          }
        }
      }
    }
    if (point)
      if (auto x = travel(a.item, Sighting{t, *point, "", seq})) found.push_back(std::move(*x));
    if (*place)
      if (auto x = count_for_baseline(a.gtin, (*place)->site, t, seq))
        found.push_back(std::move(*x));
  }
  for (const auto& x : found)
    if (x.kind == "impossible_travel" || x.kind == "verified_after_decommission")
      a.suspected_clone = true;
  if (a.suspected_clone) {
    a.verified = false;
    a.message +=
        " Suspected copy: this serial was seen where the genuine pack cannot be; "
        "do not supply it, and report it.";
  }
  lock.unlock();
  auto ids = raise(found);
  if (!ids) return failed(ids.error());
  out.alerts = std::move(*ids);
  return out;
}

}  // namespace serialtrack::trace

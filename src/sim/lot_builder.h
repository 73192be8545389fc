// The planner of one lot (internal to src/sim, shared by lot.cc — the genuine flow —
// and anomalies.cc — what is injected into it): the plan of its units, cases and
// pallets, and the helpers that write events and verifications into a LotOutput.
// Not thread-safe: one per lot.
#pragma once

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "sim/calendar.h"
#include "sim/gs1_keys.h"
#include "sim/lot.h"
#include "sim/random.h"

namespace serialtrack::sim::lot_detail {

using epcis::Action;
using epcis::Event;
using epcis::EventType;

constexpr std::string_view kBizStep = "urn:epcglobal:cbv:bizstep:";
constexpr std::string_view kDisp = "urn:epcglobal:cbv:disp:";
constexpr std::string_view kSdt = "urn:epcglobal:cbv:sdt:";

inline std::string disp(std::string_view word) {
  return std::string(kDisp) + std::string(word);
}

// Where one unit is, planned.
struct UnitPlan {
  std::string serial, urn, scan;
  size_t case_index = 0;
  ItemTruth::Fate fate = ItemTruth::Fate::kDispensed;
  int64_t fate_time = 0;       // dispensing/sale, or when the return or recall starts
  int64_t decommissioned = 0;  // when its life ended (dispensed or destroyed), 0 if it did not
  bool returned = false, recalled = false;
};

struct CasePlan {
  std::string urn;
  size_t pallet = 0;
  size_t destination = 0;  // pharmacy / retailer site
  int64_t shipped = 0, unpacked = 0;
  std::vector<size_t> units;
};

struct PalletPlan {
  std::string urn;
  size_t wholesaler = 0;
  int64_t unpacked = 0;
  std::vector<size_t> cases;
};

class LotBuilder {
 public:
  LotBuilder(const World& world, const Config& config, uint64_t lot_index, uint64_t max_units,
             LotOutput& out)
      : world_(world),
        config_(config),
        lot_(lot_index),
        max_units_(max_units),
        out_(out),
        random_(derive(config.seed, Stream::kLot, {lot_index})) {}

  // Plans the whole lot into the LotOutput, steps sorted by when they are recorded.
  void run() {
    plan_lot();
    make_and_pack();
    distribute();
    end_of_life();
    inject_anomalies();
    write_truths();
    std::stable_sort(out_.steps.begin(), out_.steps.end(),
                     [](const LotOutput::Step& a, const LotOutput::Step& b) {
                       return a.emit != b.emit ? a.emit < b.emit : a.order < b.order;
                     });
  }

 private:
  // --- identifiers ------------------------------------------------------------------
  // RFC 9562 UUIDv8 (custom): 122 bits derived from the seed, the lot and a counter.
  std::string next_uuid() {
    // Ids are counted per scope (the lot's own steps, one unit's end of life, the
    // injected anomalies), so that the genuine ones keep their ids whatever the
    // anomaly rates.
    uint64_t n = id_counter_++;
    uint64_t hi = derive(config_.seed, Stream::kEventId, {lot_, id_scope_, n, 0});
    uint64_t lo = derive(config_.seed, Stream::kEventId, {lot_, id_scope_, n, 1});
    char buf[48];
    std::snprintf(buf, sizeof buf, "urn:uuid:%08x-%04x-%04x-%04x-%012llx",
                  static_cast<unsigned>(hi >> 32), static_cast<unsigned>((hi >> 16) & 0xFFFF),
                  static_cast<unsigned>(hi & 0xFFFF), static_cast<unsigned>(lo >> 48),
                  static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFull));
    return buf;
  }

  // Ids of the steps made while it lives come from scope (see next_uuid).
  class IdScope {
   public:
    // With kept, the scope's counter goes on from (and back into) *kept.
    IdScope(LotBuilder& b, uint64_t scope, uint64_t* kept = nullptr)
        : b_(b), scope_(b.id_scope_), counter_(b.id_counter_), kept_(kept) {
      b.id_scope_ = scope;
      b.id_counter_ = kept != nullptr ? *kept : 0;
    }
    ~IdScope() {
      if (kept_ != nullptr) *kept_ = b_.id_counter_;
      b_.id_scope_ = scope_;
      b_.id_counter_ = counter_;
    }

   private:
    LotBuilder& b_;
    uint64_t scope_, counter_;
    uint64_t* kept_;
  };
  static constexpr uint64_t kInjectedScope = 1, kFirstUnitScope = 2;

  int16_t offset_of(size_t site) const {
    return world_.countries[world_.sites[site].country].utc_offset_minutes;
  }
  const Site& site(size_t i) const { return world_.sites[i]; }

  // --- events and verifications ------------------------------------------------------
  // A new event at time t (recorded at emit, normally t) at a site's read point.
  Event& event(int64_t t, EventType type, Action action, std::string_view step,
               std::string_view disposition, size_t at, ReadPoint rp, bool with_biz_location = true,
               int64_t emit = -1) {
    out_.steps.push_back(
        {emit < 0 ? t : emit, order_++, true, static_cast<uint32_t>(out_.events.size())});
    Event& e = out_.events.emplace_back();
    e.type = type;
    e.action = action;
    e.event_time = {t, offset_of(at)};
    e.event_id = next_uuid();
    e.biz_step = std::string(kBizStep) + std::string(step);
    if (!disposition.empty()) e.disposition = disp(disposition);
    e.read_point = site(at).read_points[static_cast<size_t>(rp)];
    if (with_biz_location) e.biz_location = site(at).sgln;
    return e;
  }

  // CBV 2.0 §8.4: who owns and holds the goods, and where they go, on both ends.
  void parties(Event& e, size_t from, size_t to, bool with_transaction) {
    for (std::string_view type : {"owning_party", "possessing_party"}) {
      e.sources.push_back({std::string(kSdt) + std::string(type), site(from).party});
      e.destinations.push_back({std::string(kSdt) + std::string(type), site(to).party});
    }
    e.sources.push_back({std::string(kSdt) + "location", site(from).sgln});
    e.destinations.push_back({std::string(kSdt) + "location", site(to).sgln});
    if (with_transaction)  // CBV 2.0 §8.5: the despatch advice of this shipment
      e.biz_transactions.push_back({"urn:epcglobal:cbv:btt:desadv",
                                    "urn:epcglobal:cbv:bt:" + site(from).gln + ":" +
                                        std::to_string(lot_) + "-" + std::to_string(++shipments_)});
  }

  // Ships epcs from one site to another; returns when they arrive.
  int64_t ship(int64_t t, const std::vector<std::string>& epcs, size_t from, size_t to,
               std::string_view disposition = "in_transit") {
    Event& s = event(t, EventType::kObject, Action::kObserve, "shipping", disposition, from,
                     ReadPoint::kShippingDock, false);
    s.epc_list = epcs;
    parties(s, from, to, true);
    std::string transaction = s.biz_transactions[0].value;
    double hours = 3 + distance_km(site(from), site(to)) / 55 + random_.exponential(3);
    int64_t arrival = t + static_cast<int64_t>(hours * kHour);
    Event& r = event(arrival, EventType::kObject, Action::kObserve, "receiving",
                     disposition == "in_transit" ? "in_progress" : disposition, to,
                     ReadPoint::kReceivingDock);
    r.epc_list = epcs;
    parties(r, from, to, false);
    r.biz_transactions.push_back({"urn:epcglobal:cbv:btt:desadv", transaction});
    return arrival;
  }

  Event& aggregation(int64_t t, Action action, std::string_view step, std::string_view disposition,
                     size_t at, const std::string& parent, std::vector<std::string> children) {
    Event& e = event(t, EventType::kAggregation, action, step, disposition, at, ReadPoint::kFloor);
    e.parent_id = parent;
    e.epc_list = std::move(children);
    return e;
  }

  // An ObjectEvent OBSERVE of epcs at a site (CBV 2.0 §7.1 step, §7.2 disposition),
  // recorded at emit (default: when it happened); returns its eventID.
  std::string observe(int64_t t, std::vector<std::string> epcs, std::string_view step,
                      std::string_view disposition, size_t at, ReadPoint rp, int64_t emit = -1) {
    Event& e =
        event(t, EventType::kObject, Action::kObserve, step, disposition, at, rp, true, emit);
    e.epc_list = std::move(epcs);
    return e.event_id;
  }

  // A pack sold at a retailer (retail_selling: it stays alive), or verified and then
  // dispensed at a pharmacy (EU FMD Art. 25: verify, then decommission). The ids go into
  // label when there is one.
  void sell(int64_t t, const UnitPlan& u, size_t at, bool otc, int64_t verify_lead,
            AnomalyLabel* label = nullptr) {
    if (!otc) {
      const Verification& v = site_verification(t - verify_lead, at, u.scan);
      if (label != nullptr) label->verification_ids.push_back(v.id);
    }
    std::string id = observe(t, {u.urn}, otc ? "retail_selling" : "dispensing",
                             otc ? "retail_sold" : "dispensed", at, ReadPoint::kFloor);
    if (label != nullptr) label->event_ids.push_back(id);
  }

  // A unit received alone at a site, and verified there at verified: an injected step.
  void receive_alone(AnomalyLabel& label, int64_t t, const UnitPlan& u, size_t at,
                     std::string_view disposition, int64_t verified) {
    label.event_ids.push_back(
        observe(t, {u.urn}, "receiving", disposition, at, ReadPoint::kReceivingDock));
    label.verification_ids.push_back(site_verification(verified, at, u.scan).id);
  }

  Verification& verification(int64_t t, size_t at, const std::string& role,
                             const std::string& client, std::string location,
                             const std::string& identifier) {
    out_.steps.push_back({t, order_++, false, static_cast<uint32_t>(out_.verifications.size())});
    Verification& v = out_.verifications.emplace_back();
    v.id = next_uuid();
    v.time = {t, offset_of(at)};
    v.client = client;
    v.role = role;
    v.location = std::move(location);
    v.identifier = identifier;
    return v;
  }

  // A pharmacy's or wholesaler's own verification, at its site.
  Verification& site_verification(int64_t t, size_t at, const std::string& identifier) {
    return verification(t, at, site(at).role == Role::kWholesaler ? "wholesaler" : "pharmacy",
                        site(at).party, site(at).sgln, identifier);
  }

  // A consumer's app scan near a site (within ~10 km), drawing from r.
  Verification& consumer_verification(Random& r, int64_t t, size_t near,
                                      const std::string& identifier) {
    std::string client = consumer_client(r);
    return verification(t, near, "consumer", client, geo_near(r, near), identifier);
  }

  // A consumer app's client id, drawn from r.
  static std::string consumer_client(Random& r) {
    char client[32];
    std::snprintf(client, sizeof client, "consumer:%016llx",
                  static_cast<unsigned long long>(r.next()));
    return client;
  }

  // A geo URI (RFC 5870) within ~10 km of a site, drawn from r.
  std::string geo_near(Random& r, size_t near) const {
    char geo[64];
    double latitude = site(near).latitude + r.real(-0.09, 0.09);
    std::snprintf(geo, sizeof geo, "geo:%.5f,%.5f", latitude,
                  site(near).longitude + r.real(-0.13, 0.13));
    return geo;
  }

  // --- the genuine flow (lot.cc) -----------------------------------------------------
  // Draws the lot's product, market, number, expiry and shape; names its units (FF1
  // serials), cases and pallets (SSCCs).
  void plan_lot();
  // The EPC URNs of these units.
  std::vector<std::string> urns_of_units(const std::vector<size_t>& units) const;
  // At the plant: SSCC labels, units (with ILMD) commissioned and packed case by case,
  // cases packed onto pallets.
  void make_and_pack();
  // Plant -> distributor -> wholesaler by pallet, unpacked there, cases to pharmacies or
  // retailers, unpacked on arrival.
  void distribute();
  // Each unit dispensed, sold, returned or (its lot recalled) put on hold and returned;
  // with the verification scans of each.
  void end_of_life();
  // Packs sent back by a pharmacy to its wholesaler (returns, recalls), verified on
  // receipt (EU FMD Art. 22) and destroyed.
  void return_and_destroy(int64_t t, const std::vector<size_t>& units, size_t from);

  // --- anomalies (anomalies.cc) ------------------------------------------------------
  // The draws of one unit's anomaly decisions (independent of the genuine flow's).
  Random anomaly_random(size_t unit) const;
  // A new label of this lot.
  AnomalyLabel& label(AnomalyKind kind, std::string variant, int64_t t, int16_t offset);
  // A site of this role in a random market (other than not_market, when given).
  size_t random_site(Random& r, Role role, std::optional<size_t> not_market = std::nullopt);
  // Diversion (decided while the genuine flow is planned, because it replaces the
  // genuine sale): the pack is sold in another market than the one it was shipped to.
  bool diverted(size_t ui);
  // Whether an injected anomaly (other than probing, which names no unit) names the unit.
  bool is_anomalous(size_t ui) const;
  // Draws and injects the anomalies of every unit (diversion was drawn in end_of_life);
  // at most one of clone, reuse, tamper, out-of-sequence per unit, probing apart.
  void inject_anomalies();
  // A genuine serial on a second pack: verified (and dispensed) at another pharmacy after
  // the genuine one was dispensed, or verified far away within minutes of the genuine
  // sale (faster than any travel).
  bool inject_clone(size_t ui, Random& r);
  // The serial of a dispensed or destroyed pack, printed on a fake one, received by a
  // wholesaler weeks later.
  bool inject_reuse(size_t ui, Random& r);
  // A unit taken out of its sealed case while the case waits at the wholesaler,
  // received and verified by a pharmacy.
  bool inject_tamper(size_t ui, Random& r);
  // A stock count recorded by a device whose clock is days behind: dated before the
  // pack even arrived, recorded hours after.
  bool inject_out_of_sequence(size_t ui, Random& r);
  // Whether a serial might be one the simulator issued (so a guess is not "unknown"):
  // FF1 decrypts it to its counter, whose unit part must be below the largest lot.
  bool maybe_issued(const std::string& serial) const;
  // A client verifying serials never issued: random ones, or a genuine serial counted up
  // (sequential guessing), a few seconds apart.
  void inject_probing(size_t ui, Random& r);

  // --- ground truth (lot.cc) ---------------------------------------------------------
  // The planned final state of every unit, case and pallet.
  void write_truths();
  // Whether the unit was taken out of its case (a tamper label names it).
  bool is_tampered(size_t ui) const;

  const World& world_;
  const Config& config_;
  uint64_t lot_;
  uint64_t max_units_;
  LotOutput& out_;
  Random random_;
  uint64_t id_scope_ = 0, id_counter_ = 0, injected_ids_ = 0, shipments_ = 0;
  uint32_t order_ = 0;
  size_t product_ = 0, market_ = 0, plant_ = 0;
  bool recall_drawn_ = false;
  int64_t start_ = 0, made_ = 0, last_unpacked_ = 0;
  std::string lot_number_, expiry_, expiry_yymmdd_;
  std::vector<UnitPlan> units_;
  std::vector<CasePlan> cases_;
  std::vector<PalletPlan> pallets_;
  std::vector<size_t> anomalous_, diverted_;
};

}  // namespace serialtrack::sim::lot_detail

#include "sim/lot.h"

#include <algorithm>
#include <cstdio>

#include "sim/calendar.h"
#include "sim/gs1_keys.h"
#include "sim/random.h"

namespace serialtrack::sim {

void LotOutput::clear() {
  events.clear();
  verifications.clear();
  steps.clear();
  labels.clear();
  truths.clear();
  units = cases = pallets = 0;
  recalled = false;
  returned = dispensed = sold = destroyed = 0;
  eligible.clear();
}

namespace {

using epcis::Action;
using epcis::Event;
using epcis::EventType;

constexpr std::string_view kBizStep = "urn:epcglobal:cbv:bizstep:";
constexpr std::string_view kDisp = "urn:epcglobal:cbv:disp:";
constexpr std::string_view kSdt = "urn:epcglobal:cbv:sdt:";

std::string disp(std::string_view word) {
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
    char client[32], geo[64];
    std::snprintf(client, sizeof client, "consumer:%016llx",
                  static_cast<unsigned long long>(r.next()));
    std::snprintf(geo, sizeof geo, "geo:%.5f,%.5f", site(near).latitude + r.real(-0.09, 0.09),
                  site(near).longitude + r.real(-0.13, 0.13));
    return verification(t, near, "consumer", client, geo, identifier);
  }

  // --- the genuine flow --------------------------------------------------------------
  void plan_lot() {
    product_ = random_.below(world_.products.size());
    out_.product = product_;
    market_ = random_.below(world_.countries.size());
    recall_drawn_ = random_.chance(config_.recall_rate);
    start_ =
        (config_.start_unix_seconds + static_cast<int64_t>(lot_) * config_.lot_interval_seconds) *
        kSecond;
    const Product& p = world_.products[product_];
    plant_ = p.manufacturer;
    lot_number_ = std::to_string(100000 + lot_);
    lot_number_.insert(lot_number_.begin(), 'L');
    CivilDate expiry = civil_date(floor_div(start_, kDay) + random_.between(540, 1080));
    expiry_ = expiry.iso;
    expiry_yymmdd_ = expiry.yymmdd;

    const LotShape& shape = config_.shape;
    std::string cp = site(plant_).gln.substr(0, kCompanyPrefixLength);
    // SSCC serial references: the lot (mod 10^6, its millions in the extension digit)
    // and the container's number in the lot (cases from 0, pallets from 999 down).
    char extension = static_cast<char>('0' + (lot_ / 1000000) % 10);
    uint64_t base = (lot_ % 1000000) * 1000;
    int pallets =
        static_cast<int>(random_.between(shape.pallets_per_lot_min, shape.pallets_per_lot_max));
    uint64_t counter = lot_ << kUnitBits;
    for (int pi = 0; pi < pallets && units_.size() < max_units_; ++pi) {
      PalletPlan& pallet = pallets_.emplace_back();
      pallet.urn = sscc_urn(make_sscc(extension, cp, base + 999 - static_cast<uint64_t>(pi)));
      int cases =
          static_cast<int>(random_.between(shape.cases_per_pallet_min, shape.cases_per_pallet_max));
      for (int ci = 0; ci < cases && units_.size() < max_units_; ++ci) {
        pallet.cases.push_back(cases_.size());
        CasePlan& c = cases_.emplace_back();
        c.pallet = pallets_.size() - 1;
        c.urn = sscc_urn(make_sscc(extension, cp, base + cases_.size() - 1));
        int units =
            static_cast<int>(random_.between(shape.units_per_case_min, shape.units_per_case_max));
        for (int ui = 0; ui < units && units_.size() < max_units_; ++ui) {
          c.units.push_back(units_.size());
          UnitPlan& u = units_.emplace_back();
          u.case_index = cases_.size() - 1;
          serial::SerialBuffer sb;
          p.serials->serial_into(counter++, sb);  // validate() keeps counters in range
          u.serial = sb.str();
          u.urn = sgtin_urn(p.gtin14, u.serial);
          u.scan = pack_element_string(p.gtin14, expiry_yymmdd_, lot_number_, u.serial);
        }
      }
    }
    out_.units = units_.size();
    out_.cases = cases_.size();
    out_.pallets = pallets_.size();
  }

  std::vector<std::string> urns_of_units(const std::vector<size_t>& units) const {
    std::vector<std::string> v;
    v.reserve(units.size());
    for (size_t u : units) v.push_back(units_[u].urn);
    return v;
  }

  void make_and_pack() {
    int64_t t = start_;
    // CBV 2.0 §7.1 commissioning: the SSCC labels of the lot's cases and pallets.
    Event& labels = event(t, EventType::kObject, Action::kAdd, "commissioning", "active", plant_,
                          ReadPoint::kFloor);
    for (const auto& c : cases_) labels.epc_list.push_back(c.urn);
    for (const auto& p : pallets_) labels.epc_list.push_back(p.urn);
    for (auto& pallet : pallets_) {
      std::vector<std::string> case_urns;
      for (size_t ci : pallet.cases) {
        const CasePlan& c = cases_[ci];
        t += random_.between(60, 180) * kSecond;
        // The packaging line commissions a case's worth of packs with their lot and
        // expiry (CBV 2.0 §9 ILMD: cbvmda:lotNumber, cbvmda:itemExpirationDate).
        Event& e = event(t, EventType::kObject, Action::kAdd, "commissioning", "active", plant_,
                         ReadPoint::kFloor);
        e.epc_list = urns_of_units(c.units);
        e.ilmd = std::vector<epcis::Extension>{{"urn:epcglobal:cbv:mda:",
                                                "cbvmda",
                                                "lotNumber",
                                                epcis::Extension::Kind::kString,
                                                lot_number_,
                                                {},
                                                false,
                                                {}},
                                               {"urn:epcglobal:cbv:mda:",
                                                "cbvmda",
                                                "itemExpirationDate",
                                                epcis::Extension::Kind::kString,
                                                expiry_,
                                                {},
                                                false,
                                                {}}};
        t += random_.between(20, 60) * kSecond;
        aggregation(t, Action::kAdd, "packing", "in_progress", plant_, c.urn,
                    urns_of_units(c.units));
        case_urns.push_back(c.urn);
      }
      t += random_.between(60, 240) * kSecond;
      aggregation(t, Action::kAdd, "packing", "in_progress", plant_, pallet.urn,
                  std::move(case_urns));
    }
    made_ = t;
  }

  void distribute() {
    const World::Market& market = world_.markets[market_];
    bool otc = world_.products[product_].over_the_counter;
    const std::vector<size_t>& outlets = otc ? market.retailers : market.pharmacies;
    for (auto& pallet : pallets_) {
      int64_t t = made_ + random_.between(2 * 60, 24 * 60) * kMinute;
      t = ship(t, {pallet.urn}, plant_, market.distributor);
      pallet.wholesaler = market.wholesalers[random_.below(market.wholesalers.size())];
      t += random_.between(24 * 60, 4 * 24 * 60) * kMinute;
      t = ship(t, {pallet.urn}, market.distributor, pallet.wholesaler);
      pallet.unpacked = t + random_.between(60, 240) * kMinute;
      std::vector<std::string> case_urns;
      for (size_t ci : pallet.cases) case_urns.push_back(cases_[ci].urn);
      aggregation(pallet.unpacked, Action::kDelete, "unpacking", "sellable_not_accessible",
                  pallet.wholesaler, pallet.urn, std::move(case_urns));
      std::vector<size_t> served;  // the outlets this wholesaler serves
      for (size_t o : outlets)
        if (site(o).wholesaler == pallet.wholesaler) served.push_back(o);
      if (served.empty()) served = outlets;
      for (size_t ci : pallet.cases) {
        CasePlan& c = cases_[ci];
        c.destination = served[random_.below(served.size())];
        c.shipped = pallet.unpacked + random_.between(30, 5 * 24 * 60) * kMinute;
        int64_t arrival = ship(c.shipped, {c.urn}, pallet.wholesaler, c.destination);
        c.unpacked = arrival + random_.between(10, 60) * kMinute;
        aggregation(c.unpacked, Action::kDelete, "unpacking", "sellable_accessible", c.destination,
                    c.urn, urns_of_units(c.units));
        last_unpacked_ = std::max(last_unpacked_, c.unpacked);
      }
    }
  }

  void end_of_life() {
    bool otc = world_.products[product_].over_the_counter;
    int64_t recall_time = last_unpacked_ + random_.between(24 * 60, 5 * 24 * 60) * kMinute;
    // Recalled packs, grouped by the pharmacy holding them (site -> units).
    std::map<size_t, std::vector<size_t>> recalled;
    for (size_t ui = 0; ui < units_.size(); ++ui) {
      IdScope scope(*this, kFirstUnitScope + ui);
      UnitPlan& u = units_[ui];
      const CasePlan& c = cases_[u.case_index];
      int64_t when =
          in_opening_hours(c.unpacked + static_cast<int64_t>(random_.exponential(10) * kDay),
                           offset_of(c.destination), c.unpacked);
      bool returned = random_.chance(config_.return_rate);
      bool consumer_scan = random_.chance(config_.consumer_scan_rate);
      bool double_scan = random_.chance(config_.double_scan_rate);
      int64_t verify_lead = random_.between(5, 60) * kSecond;
      int64_t consumer_delay = random_.between(30, 3 * 24 * 60) * kMinute;
      u.fate_time = when;
      if (recall_drawn_ && when > recall_time) {
        u.recalled = true;
        u.fate = ItemTruth::Fate::kDestroyed;
        u.fate_time = recall_time;
        recalled[c.destination].push_back(ui);
        continue;
      }
      if (returned) {
        u.returned = true;
        u.fate = ItemTruth::Fate::kDestroyed;
        ++out_.returned;
        return_and_destroy(when, {ui}, c.destination);
        continue;
      }
      u.fate = otc ? ItemTruth::Fate::kSold : ItemTruth::Fate::kDispensed;
      if (diverted(ui)) continue;  // an anomaly: it is sold elsewhere, not here
      sell(when, u, c.destination, otc, verify_lead);
      if (otc) {
        ++out_.sold;
      } else {
        if (double_scan) site_verification(when - verify_lead / 5, c.destination, u.scan);
        u.decommissioned = when;
        ++out_.dispensed;
      }
      if (consumer_scan) {
        Random consumer(derive(config_.seed, Stream::kLot, {lot_, ui + 1}));
        consumer_verification(consumer, when + consumer_delay, c.destination, u.scan);
      }
    }
    if (!recalled.empty()) {
      out_.recalled = true;
      for (auto& [at, units] : recalled) {
        int64_t t = recall_time + random_.between(0, 8 * 60) * kMinute;
        observe(t, urns_of_units(units), "holding", "recalled", at, ReadPoint::kFloor);
        return_and_destroy(t + random_.between(12 * 60, 3 * 24 * 60) * kMinute, units, at);
      }
    }
  }

  // Packs sent back by a pharmacy to its wholesaler (returns, recalls), verified on
  // receipt (EU FMD Art. 22) and destroyed.
  void return_and_destroy(int64_t t, const std::vector<size_t>& units, size_t from) {
    size_t to = site(from).wholesaler;
    std::vector<std::string> urns = urns_of_units(units);
    int64_t arrival = ship(t, urns, from, to, "returned");
    for (size_t u : units)
      site_verification(arrival + random_.between(5, 120) * kMinute, to, units_[u].scan);
    int64_t destroyed = arrival + random_.between(2 * 24 * 60, 10 * 24 * 60) * kMinute;
    observe(destroyed, std::move(urns), "destroying", "destroyed", to, ReadPoint::kFloor);
    for (size_t u : units) units_[u].decommissioned = destroyed;
    out_.destroyed += units.size();
  }

  // --- anomalies ---------------------------------------------------------------------
  Random anomaly_random(size_t unit) const {
    return Random(derive(config_.seed, Stream::kAnomaly, {lot_, unit}));
  }

  AnomalyLabel& label(AnomalyKind kind, std::string variant, int64_t t, int16_t offset) {
    AnomalyLabel& l = out_.labels.emplace_back();
    l.kind = kind;
    l.variant = std::move(variant);
    l.time = {t, offset};
    return l;
  }

  size_t random_site(Random& r, Role role, std::optional<size_t> not_market = std::nullopt) {
    std::vector<size_t> markets;
    for (size_t m = 0; m < world_.markets.size(); ++m)
      if (m != not_market) markets.push_back(m);
    const World::Market& market = world_.markets[markets[r.below(markets.size())]];
    const std::vector<size_t>& pool = role == Role::kRetailer     ? market.retailers
                                      : role == Role::kWholesaler ? market.wholesalers
                                                                  : market.pharmacies;
    return pool[r.below(pool.size())];
  }

  // Diversion (decided while the genuine flow is planned, because it replaces the
  // genuine sale): the pack is sold in another market than the one it was shipped to.
  bool diverted(size_t ui) {
    if (world_.markets.size() < 2) return false;
    ++out_.eligible[AnomalyKind::kDiversion];
    Random r = anomaly_random(ui);
    if (!(r.uniform() < config_.anomalies.diversion)) return false;
    IdScope scope(*this, kInjectedScope, &injected_ids_);
    UnitPlan& u = units_[ui];
    bool otc = u.fate == ItemTruth::Fate::kSold;
    size_t at = random_site(r, otc ? Role::kRetailer : Role::kPharmacy, market_);
    int64_t t = in_opening_hours(u.fate_time + r.between(24 * 60, 7 * 24 * 60) * kMinute,
                                 offset_of(at), u.fate_time);
    AnomalyLabel& l =
        label(AnomalyKind::kDiversion, otc ? "sold_abroad" : "dispensed_abroad", t, offset_of(at));
    sell(t, u, at, otc, 30 * kSecond, &l);
    l.identifiers = {u.urn};
    if (!otc) u.decommissioned = t;
    u.fate_time = t;
    diverted_.push_back(ui);
    otc ? ++out_.sold : ++out_.dispensed;
    return true;
  }

  bool is_anomalous(size_t ui) const {
    return std::find(anomalous_.begin(), anomalous_.end(), ui) != anomalous_.end() ||
           std::find(diverted_.begin(), diverted_.end(), ui) != diverted_.end();
  }

  void inject_anomalies() {
    IdScope scope(*this, kInjectedScope, &injected_ids_);
    for (size_t ui = 0; ui < units_.size(); ++ui) {
      UnitPlan& u = units_[ui];
      Random r = anomaly_random(ui);
      r.uniform();  // the diversion draw (diverted())
      double clone = r.uniform(), reuse = r.uniform(), tamper = r.uniform(), oos = r.uniform();
      double probing = r.uniform();
      bool taken = is_anomalous(ui);
      bool sold_or_dispensed = u.fate != ItemTruth::Fate::kDestroyed;
      if (sold_or_dispensed) ++out_.eligible[AnomalyKind::kClone];
      if (u.decommissioned != 0) ++out_.eligible[AnomalyKind::kReuse];
      ++out_.eligible[AnomalyKind::kTamper];
      ++out_.eligible[AnomalyKind::kOutOfSequence];
      ++out_.eligible[AnomalyKind::kProbing];
      if (!taken && sold_or_dispensed && clone < config_.anomalies.clone) {
        taken = inject_clone(ui, r);
      } else if (!taken && u.decommissioned != 0 && reuse < config_.anomalies.reuse) {
        taken = inject_reuse(ui, r);
      } else if (!taken && tamper < config_.anomalies.tamper) {
        taken = inject_tamper(ui, r);
      } else if (!taken && oos < config_.anomalies.out_of_sequence) {
        taken = inject_out_of_sequence(ui, r);
      }
      if (taken && !is_anomalous(ui)) anomalous_.push_back(ui);
      if (probing < config_.anomalies.probing) inject_probing(ui, r);
    }
  }

  // A genuine serial on a second pack: verified (and dispensed) at another pharmacy after
  // the genuine one was dispensed, or verified far away within minutes of the genuine
  // sale (faster than any travel).
  bool inject_clone(size_t ui, Random& r) {
    UnitPlan& u = units_[ui];
    size_t genuine_site = cases_[u.case_index].destination;
    bool after_dispense = u.decommissioned != 0 && r.chance(0.5);
    if (after_dispense) {
      size_t at = genuine_site;
      for (int tries = 0; tries < 8 && at == genuine_site; ++tries)
        at = random_site(r, Role::kPharmacy);
      int64_t t = in_opening_hours(u.fate_time + r.between(60, 20 * 24 * 60) * kMinute,
                                   offset_of(at), u.fate_time);
      AnomalyLabel& l =
          label(AnomalyKind::kClone, "after_dispense", t - 30 * kSecond, offset_of(at));
      l.identifiers = {u.urn};
      sell(t, u, at, false, 30 * kSecond, &l);
      return true;
    }
    // Impossible travel: a verification d km away, d / (1,200..4,000 km/h) from the sale.
    std::optional<size_t> far;
    for (int tries = 0; tries < 16 && !far; ++tries) {
      size_t at = random_site(r, Role::kPharmacy);
      if (distance_km(site(at), site(genuine_site)) >= 50) far = at;
    }
    if (!far) return false;
    double km = distance_km(site(*far), site(genuine_site));
    int64_t gap = static_cast<int64_t>(km / r.real(1200, 4000) * static_cast<double>(kHour));
    int64_t t = u.fate_time + (r.chance(0.5) ? gap : -gap);
    AnomalyLabel& l = label(AnomalyKind::kClone, "impossible_travel", t, offset_of(*far));
    l.identifiers = {u.urn};
    l.verification_ids.push_back(site_verification(t, *far, u.scan).id);
    return true;
  }

  // The serial of a dispensed or destroyed pack, printed on a fake one, received by a
  // wholesaler weeks later.
  bool inject_reuse(size_t ui, Random& r) {
    UnitPlan& u = units_[ui];
    size_t at = random_site(r, Role::kWholesaler);
    int64_t t = u.decommissioned + r.between(7 * 24 * 60, 120 * 24 * 60) * kMinute;
    AnomalyLabel& l =
        label(AnomalyKind::kReuse,
              u.fate == ItemTruth::Fate::kDestroyed ? "destroyed" : "dispensed", t, offset_of(at));
    l.identifiers = {u.urn};
    receive_alone(l, t, u, at, "sellable_not_accessible", t + r.between(5, 120) * kMinute);
    return true;
  }

  // A unit taken out of its sealed case while the case waits at the wholesaler,
  // received and verified by a pharmacy.
  bool inject_tamper(size_t ui, Random& r) {
    UnitPlan& u = units_[ui];
    const CasePlan& c = cases_[u.case_index];
    int64_t from = pallets_[c.pallet].unpacked + kMinute, to = c.shipped - kMinute;
    if (to - from < 2 * kMinute) return false;
    size_t at = c.destination;
    for (int tries = 0; tries < 8 && at == c.destination; ++tries) {
      const auto& pool = world_.markets[market_].pharmacies;
      at = pool[r.below(pool.size())];
    }
    int64_t t = from + static_cast<int64_t>(r.below(static_cast<uint64_t>(to - from)));
    AnomalyLabel& l = label(AnomalyKind::kTamper, "unit_outside_case", t, offset_of(at));
    l.identifiers = {u.urn, c.urn};
    receive_alone(l, t, u, at, "in_progress", t + r.between(1, 30) * kMinute);
    return true;
  }

  // A stock count recorded by a device whose clock is days behind: dated before the
  // pack even arrived, recorded hours after.
  bool inject_out_of_sequence(size_t ui, Random& r) {
    UnitPlan& u = units_[ui];
    const CasePlan& c = cases_[u.case_index];
    int64_t room = u.fate_time - c.unpacked;
    if (room < 2 * kMinute) return false;
    int64_t emit = c.unpacked + std::min(r.between(60, 6 * 60) * kMinute, room / 2);
    int64_t t = c.unpacked - r.between(24 * 60, 3 * 24 * 60) * kMinute;
    std::string id = observe(t, {u.urn}, "stock_taking", "sellable_accessible", c.destination,
                             ReadPoint::kFloor, emit);
    AnomalyLabel& l =
        label(AnomalyKind::kOutOfSequence, "clock_behind", t, offset_of(c.destination));
    l.identifiers = {u.urn};
    l.event_ids.push_back(std::move(id));
    return true;
  }

  // Whether a serial might be one the simulator issued (so a guess is not "unknown"):
  // FF1 decrypts it to its counter, whose unit part must be below the largest lot.
  bool maybe_issued(const std::string& serial) const {
    auto counter = world_.products[product_].serials->counter_of(serial);
    if (!counter) return false;
    uint64_t max_lot_units = static_cast<uint64_t>(config_.shape.units_per_case_max) *
                             static_cast<uint64_t>(config_.shape.cases_per_pallet_max) *
                             static_cast<uint64_t>(config_.shape.pallets_per_lot_max);
    return (*counter & ((1ull << kUnitBits) - 1)) < max_lot_units;
  }

  // A client verifying serials never issued: random ones, or a genuine serial counted up
  // (sequential guessing), a few seconds apart.
  void inject_probing(size_t ui, Random& r) {
    const UnitPlan& u = units_[ui];
    const Product& p = world_.products[product_];
    const serial::Alphabet& alphabet = p.serials->format().alphabet();
    bool sequential = r.chance(0.6);
    size_t near = cases_[u.case_index].destination;
    int64_t t = u.fate_time + r.between(0, 2 * 24 * 60) * kMinute;
    char client[32];
    std::snprintf(client, sizeof client, "consumer:%016llx",
                  static_cast<unsigned long long>(r.next()));
    AnomalyLabel& l =
        label(AnomalyKind::kProbing, sequential ? "sequential" : "random", t, offset_of(near));
    size_t labelled = out_.labels.size() - 1;
    int guesses = static_cast<int>(r.between(8, 30));
    std::string guess = u.serial;
    char geo[64];
    std::snprintf(geo, sizeof geo, "geo:%.5f,%.5f", site(near).latitude + r.real(-0.09, 0.09),
                  site(near).longitude + r.real(-0.13, 0.13));
    for (int g = 0; g < guesses; ++g) {
      if (sequential) {
        for (size_t i = guess.size(); i-- > 0;) {  // + 1 in the alphabet, with carry
          uint32_t n = static_cast<uint32_t>(alphabet.numeral(guess[i])) + 1;
          guess[i] = alphabet.symbol(n % alphabet.radix());
          if (n < alphabet.radix()) break;
        }
      } else {
        for (auto& ch : guess)
          ch = alphabet.symbol(static_cast<uint32_t>(r.below(alphabet.radix())));
      }
      t += r.between(2, 20) * kSecond;
      if (maybe_issued(guess)) continue;
      std::string scan = pack_element_string(p.gtin14, expiry_yymmdd_, lot_number_, guess);
      Verification& v = verification(t, near, "consumer", client, geo, scan);
      out_.labels[labelled].identifiers.push_back(scan);
      out_.labels[labelled].verification_ids.push_back(v.id);
    }
    (void)l;
  }

  // --- ground truth ------------------------------------------------------------------
  void write_truths() {
    for (size_t ui = 0; ui < units_.size(); ++ui) {
      const UnitPlan& u = units_[ui];
      const CasePlan& c = cases_[u.case_index];
      ItemTruth& t = out_.truths.emplace_back();
      t.kind = ItemTruth::Kind::kUnit;
      t.id = u.urn;
      t.scan = u.scan;
      t.lot = lot_number_;
      t.expiry = expiry_;
      t.case_id = c.urn;
      t.pallet_id = pallets_[c.pallet].urn;
      t.fate = u.fate;
      t.recalled = u.recalled;
      t.anomalous = is_anomalous(ui);
      switch (u.fate) {
        case ItemTruth::Fate::kDispensed:
        case ItemTruth::Fate::kSold:
          t.disposition = disp(u.fate == ItemTruth::Fate::kSold ? "retail_sold" : "dispensed");
          t.biz_location = site(c.destination).sgln;
          t.owner = site(c.destination).party;
          break;
        case ItemTruth::Fate::kDestroyed:
        case ItemTruth::Fate::kUnpacked:
          t.disposition = disp("destroyed");
          t.biz_location = site(site(c.destination).wholesaler).sgln;
          t.owner = site(site(c.destination).wholesaler).party;
          break;
      }
    }
    for (const auto& c : cases_) {
      ItemTruth& t = out_.truths.emplace_back();
      t.kind = ItemTruth::Kind::kCase;
      t.id = c.urn;
      t.pallet_id = pallets_[c.pallet].urn;
      t.disposition = disp("sellable_accessible");
      t.biz_location = site(c.destination).sgln;
      t.owner = site(c.destination).party;
      for (size_t u : c.units) t.anomalous = t.anomalous || is_tampered(u);
    }
    for (const auto& p : pallets_) {
      ItemTruth& t = out_.truths.emplace_back();
      t.kind = ItemTruth::Kind::kPallet;
      t.id = p.urn;
      t.disposition = disp("sellable_not_accessible");
      t.biz_location = site(p.wholesaler).sgln;
      t.owner = site(p.wholesaler).party;
    }
  }

  bool is_tampered(size_t ui) const {
    for (const auto& l : out_.labels)
      if (l.kind == AnomalyKind::kTamper && l.identifiers[0] == units_[ui].urn) return true;
    return false;
  }

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

}  // namespace

void build_lot(const World& world, const Config& config, uint64_t lot_index, uint64_t max_units,
               LotOutput& out) {
  out.clear();
  LotBuilder(world, config, lot_index, max_units, out).run();
}

}  // namespace serialtrack::sim

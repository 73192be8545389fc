#include "sim/lot.h"

#include "sim/lot_builder.h"

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

namespace lot_detail {

void LotBuilder::plan_lot() {
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

std::vector<std::string> LotBuilder::urns_of_units(const std::vector<size_t>& units) const {
  std::vector<std::string> v;
  v.reserve(units.size());
  for (size_t u : units) v.push_back(units_[u].urn);
  return v;
}

void LotBuilder::make_and_pack() {
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
      aggregation(t, Action::kAdd, "packing", "in_progress", plant_, c.urn, urns_of_units(c.units));
      case_urns.push_back(c.urn);
    }
    t += random_.between(60, 240) * kSecond;
    aggregation(t, Action::kAdd, "packing", "in_progress", plant_, pallet.urn,
                std::move(case_urns));
  }
  made_ = t;
}

void LotBuilder::distribute() {
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

void LotBuilder::end_of_life() {
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

void LotBuilder::return_and_destroy(int64_t t, const std::vector<size_t>& units, size_t from) {
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

void LotBuilder::write_truths() {
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

bool LotBuilder::is_tampered(size_t ui) const {
  for (const auto& l : out_.labels)
    if (l.kind == AnomalyKind::kTamper && l.identifiers[0] == units_[ui].urn) return true;
  return false;
}

}  // namespace lot_detail

void build_lot(const World& world, const Config& config, uint64_t lot_index, uint64_t max_units,
               LotOutput& out) {
  out.clear();
  lot_detail::LotBuilder(world, config, lot_index, max_units, out).run();
}

}  // namespace serialtrack::sim

#include "sim/lot_builder.h"

namespace serialtrack::sim::lot_detail {

Random LotBuilder::anomaly_random(size_t unit) const {
  return Random(derive(config_.seed, Stream::kAnomaly, {lot_, unit}));
}

AnomalyLabel& LotBuilder::label(AnomalyKind kind, std::string variant, int64_t t, int16_t offset) {
  AnomalyLabel& l = out_.labels.emplace_back();
  l.kind = kind;
  l.variant = std::move(variant);
  l.time = {t, offset};
  return l;
}

size_t LotBuilder::random_site(Random& r, Role role, std::optional<size_t> not_market) {
  std::vector<size_t> markets;
  for (size_t m = 0; m < world_.markets.size(); ++m)
    if (m != not_market) markets.push_back(m);
  const World::Market& market = world_.markets[markets[r.below(markets.size())]];
  const std::vector<size_t>& pool = role == Role::kRetailer     ? market.retailers
                                    : role == Role::kWholesaler ? market.wholesalers
                                                                : market.pharmacies;
  return pool[r.below(pool.size())];
}

bool LotBuilder::diverted(size_t ui) {
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

bool LotBuilder::is_anomalous(size_t ui) const {
  return std::find(anomalous_.begin(), anomalous_.end(), ui) != anomalous_.end() ||
         std::find(diverted_.begin(), diverted_.end(), ui) != diverted_.end();
}

void LotBuilder::inject_anomalies() {
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

bool LotBuilder::inject_clone(size_t ui, Random& r) {
  UnitPlan& u = units_[ui];
  size_t genuine_site = cases_[u.case_index].destination;
  bool after_dispense = u.decommissioned != 0 && r.chance(0.5);
  if (after_dispense) {
    size_t at = genuine_site;
    for (int tries = 0; tries < 8 && at == genuine_site; ++tries)
      at = random_site(r, Role::kPharmacy);
    int64_t t = in_opening_hours(u.fate_time + r.between(60, 20 * 24 * 60) * kMinute, offset_of(at),
                                 u.fate_time);
    AnomalyLabel& l = label(AnomalyKind::kClone, "after_dispense", t - 30 * kSecond, offset_of(at));
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

bool LotBuilder::inject_reuse(size_t ui, Random& r) {
  UnitPlan& u = units_[ui];
  size_t at = random_site(r, Role::kWholesaler);
  int64_t t = u.decommissioned + r.between(7 * 24 * 60, 120 * 24 * 60) * kMinute;
  AnomalyLabel& l =
      label(AnomalyKind::kReuse, u.fate == ItemTruth::Fate::kDestroyed ? "destroyed" : "dispensed",
            t, offset_of(at));
  l.identifiers = {u.urn};
  receive_alone(l, t, u, at, "sellable_not_accessible", t + r.between(5, 120) * kMinute);
  return true;
}

bool LotBuilder::inject_tamper(size_t ui, Random& r) {
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

bool LotBuilder::inject_out_of_sequence(size_t ui, Random& r) {
  UnitPlan& u = units_[ui];
  const CasePlan& c = cases_[u.case_index];
  int64_t room = u.fate_time - c.unpacked;
  if (room < 2 * kMinute) return false;
  int64_t emit = c.unpacked + std::min(r.between(60, 6 * 60) * kMinute, room / 2);
  int64_t t = c.unpacked - r.between(24 * 60, 3 * 24 * 60) * kMinute;
  std::string id = observe(t, {u.urn}, "stock_taking", "sellable_accessible", c.destination,
                           ReadPoint::kFloor, emit);
  AnomalyLabel& l = label(AnomalyKind::kOutOfSequence, "clock_behind", t, offset_of(c.destination));
  l.identifiers = {u.urn};
  l.event_ids.push_back(std::move(id));
  return true;
}

bool LotBuilder::maybe_issued(const std::string& serial) const {
  auto counter = world_.products[product_].serials->counter_of(serial);
  if (!counter) return false;
  uint64_t max_lot_units = static_cast<uint64_t>(config_.shape.units_per_case_max) *
                           static_cast<uint64_t>(config_.shape.cases_per_pallet_max) *
                           static_cast<uint64_t>(config_.shape.pallets_per_lot_max);
  return (*counter & ((1ull << kUnitBits) - 1)) < max_lot_units;
}

void LotBuilder::inject_probing(size_t ui, Random& r) {
  const UnitPlan& u = units_[ui];
  const Product& p = world_.products[product_];
  const serial::Alphabet& alphabet = p.serials->format().alphabet();
  bool sequential = r.chance(0.6);
  size_t near = cases_[u.case_index].destination;
  int64_t t = u.fate_time + r.between(0, 2 * 24 * 60) * kMinute;
  std::string client = consumer_client(r);
  AnomalyLabel& l =
      label(AnomalyKind::kProbing, sequential ? "sequential" : "random", t, offset_of(near));
  int guesses = static_cast<int>(r.between(8, 30));
  std::string guess = u.serial;
  std::string geo = geo_near(r, near);
  for (int g = 0; g < guesses; ++g) {
    if (sequential) {
      for (size_t i = guess.size(); i-- > 0;) {  // + 1 in the alphabet, with carry
        uint32_t n = static_cast<uint32_t>(alphabet.numeral(guess[i])) + 1;
        guess[i] = alphabet.symbol(n % alphabet.radix());
        if (n < alphabet.radix()) break;
      }
    } else {
      for (auto& ch : guess) ch = alphabet.symbol(static_cast<uint32_t>(r.below(alphabet.radix())));
    }
    t += r.between(2, 20) * kSecond;
    if (maybe_issued(guess)) continue;
    std::string scan = pack_element_string(p.gtin14, expiry_yymmdd_, lot_number_, guess);
    Verification& v = verification(t, near, "consumer", client, geo, scan);
    l.identifiers.push_back(scan);  // l stays valid: only verifications grow here
    l.verification_ids.push_back(v.id);
  }
}

}  // namespace serialtrack::sim::lot_detail

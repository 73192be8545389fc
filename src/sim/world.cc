#include "sim/world.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sim/gs1_keys.h"
#include "sim/random.h"

namespace serialtrack::sim {
namespace {

constexpr std::string_view kMda = "urn:epcglobal:cbv:mda#";  // CBV 2.0 §10 attributes

std::string fixed(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.5f", v);
  return buf;
}

const char* const kManufacturerNames[] = {"Nordwind Pharma",         "Lumen Therapeutics",
                                          "Aurelia Biologics",       "Castell Generics",
                                          "Vistula Pharmaceuticals", "Tagus Laboratories"};
const char* const kProductNames[] = {
    "Amoxicillin 500 mg capsules", "Atorvastatin 20 mg tablets",    "Metformin 850 mg tablets",
    "Omeprazole 20 mg capsules",   "Insulin glargine 100 U/ml pen", "Bisoprolol 5 mg tablets",
    "Levothyroxine 50 µg tablets", "Apixaban 5 mg tablets",         "Salbutamol 100 µg inhaler",
    "Sertraline 50 mg tablets",    "Pantoprazole 40 mg tablets",    "Ramipril 5 mg capsules"};
const char* const kOtcNames[] = {"Ibuprofen 400 mg tablets",   "Paracetamol 500 mg tablets",
                                 "Cetirizine 10 mg tablets",   "Loratadine 10 mg tablets",
                                 "Vitamin D3 1000 IU tablets", "Zinc lozenges"};

}  // namespace

const std::vector<Country>& known_countries() {
  static const std::vector<Country> kCountries = {
      {"DE",
       "Germany",
       "400",
       60,
       {{"Berlin", 52.5200, 13.4050},
        {"Hamburg", 53.5511, 9.9937},
        {"Munich", 48.1351, 11.5820},
        {"Cologne", 50.9375, 6.9603},
        {"Frankfurt", 50.1109, 8.6821},
        {"Leipzig", 51.3397, 12.3731}}},
      {"FR",
       "France",
       "300",
       60,
       {{"Paris", 48.8566, 2.3522},
        {"Lyon", 45.7640, 4.8357},
        {"Marseille", 43.2965, 5.3698},
        {"Toulouse", 43.6047, 1.4442},
        {"Lille", 50.6292, 3.0573},
        {"Nantes", 47.2184, -1.5536}}},
      {"IT",
       "Italy",
       "800",
       60,
       {{"Rome", 41.9028, 12.4964},
        {"Milan", 45.4642, 9.1900},
        {"Naples", 40.8518, 14.2681},
        {"Turin", 45.0703, 7.6869},
        {"Palermo", 38.1157, 13.3615},
        {"Bologna", 44.4949, 11.3426}}},
      {"ES",
       "Spain",
       "840",
       60,
       {{"Madrid", 40.4168, -3.7038},
        {"Barcelona", 41.3874, 2.1686},
        {"Valencia", 39.4699, -0.3763},
        {"Seville", 37.3891, -5.9845},
        {"Bilbao", 43.2630, -2.9350},
        {"Malaga", 36.7213, -4.4214}}},
      {"NL",
       "Netherlands",
       "870",
       60,
       {{"Amsterdam", 52.3676, 4.9041},
        {"Rotterdam", 51.9244, 4.4777},
        {"Utrecht", 52.0907, 5.1214},
        {"Eindhoven", 51.4416, 5.4697},
        {"Groningen", 53.2194, 6.5665}}},
      {"PL",
       "Poland",
       "590",
       60,
       {{"Warsaw", 52.2297, 21.0122},
        {"Krakow", 50.0647, 19.9450},
        {"Gdansk", 54.3520, 18.6466},
        {"Wroclaw", 51.1079, 17.0385},
        {"Poznan", 52.4064, 16.9252}}},
      {"BE",
       "Belgium",
       "540",
       60,
       {{"Brussels", 50.8503, 4.3517},
        {"Antwerp", 51.2194, 4.4025},
        {"Ghent", 51.0543, 3.7174},
        {"Liege", 50.6326, 5.5797}}},
      {"AT",
       "Austria",
       "900",
       60,
       {{"Vienna", 48.2082, 16.3738},
        {"Graz", 47.0707, 15.4395},
        {"Linz", 48.3069, 14.2858},
        {"Innsbruck", 47.2692, 11.4041}}},
      {"PT",
       "Portugal",
       "560",
       0,
       {{"Lisbon", 38.7223, -9.1393},
        {"Porto", 41.1579, -8.6291},
        {"Braga", 41.5454, -8.4265},
        {"Faro", 37.0194, -7.9322}}},
      {"SE",
       "Sweden",
       "730",
       60,
       {{"Stockholm", 59.3293, 18.0686},
        {"Gothenburg", 57.7089, 11.9746},
        {"Malmo", 55.6050, 13.0038},
        {"Uppsala", 59.8586, 17.6389}}},
      {"IE",
       "Ireland",
       "539",
       0,
       {{"Dublin", 53.3498, -6.2603},
        {"Cork", 51.8985, -8.4756},
        {"Galway", 53.2707, -9.0568},
        {"Limerick", 52.6638, -8.6267}}},
      {"GR",
       "Greece",
       "520",
       120,
       {{"Athens", 37.9838, 23.7275},
        {"Thessaloniki", 40.6401, 22.9444},
        {"Patras", 38.2466, 21.7346},
        {"Heraklion", 35.3387, 25.1442}}},
  };
  return kCountries;
}

std::string_view role_name(Role role) {
  switch (role) {
    case Role::kManufacturer:
      return "manufacturer";
    case Role::kDistributor:
      return "distributor";
    case Role::kWholesaler:
      return "wholesaler";
    case Role::kPharmacy:
      return "pharmacy";
    case Role::kRetailer:
      return "retailer";
  }
  return "unknown";
}

double distance_km(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kRad = 3.14159265358979323846 / 180.0;
  double dlat = (lat2 - lat1) * kRad, dlon = (lon2 - lon1) * kRad;
  double a = std::sin(dlat / 2) * std::sin(dlat / 2) + std::cos(lat1 * kRad) *
                                                           std::cos(lat2 * kRad) *
                                                           std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * 6371.0 * std::asin(std::min(1.0, std::sqrt(a)));
}

double distance_km(const Site& a, const Site& b) {
  return distance_km(a.latitude, a.longitude, b.latitude, b.longitude);
}

std::optional<size_t> World::site_of(const std::string& location) const {
  auto it = site_of_location.find(location);
  if (it == site_of_location.end()) return std::nullopt;
  return it->second;
}

std::vector<epcis::Vocabulary> World::master_data(const std::set<size_t>& site_set,
                                                  const std::set<size_t>& product_set) const {
  std::vector<epcis::Vocabulary> out;
  const char* const kDockNames[] = {"receiving dock", "shipping dock", "floor"};
  epcis::Vocabulary locations{"urn:epcglobal:epcis:vtype:BusinessLocation", {}};
  epcis::Vocabulary read_points{"urn:epcglobal:epcis:vtype:ReadPoint", {}};
  for (size_t i : site_set) {
    const Site& s = sites[i];
    const Country& c = countries[s.country];
    auto attributes = [&](const std::string& name) {
      return std::vector<std::pair<std::string, std::string>>{
          {std::string(kMda) + "name", name},
          {std::string(kMda) + "city", s.city},
          {std::string(kMda) + "countryCode", c.code},
          {std::string(kMda) + "latitude", fixed(s.latitude)},
          {std::string(kMda) + "longitude", fixed(s.longitude)}};
    };
    locations.elements.push_back({s.sgln, attributes(s.name), s.read_points});
    for (size_t r = 0; r < s.read_points.size(); ++r)
      read_points.elements.push_back(
          {s.read_points[r], attributes(s.name + ", " + kDockNames[r]), {}});
  }
  if (!locations.elements.empty()) {
    out.push_back(std::move(locations));
    out.push_back(std::move(read_points));
  }
  epcis::Vocabulary classes{"urn:epcglobal:epcis:vtype:EPCClass", {}};
  for (size_t i : product_set) {
    const Product& p = products[i];
    classes.elements.push_back(
        {gtin_pattern_urn(p.gtin14),
         {{std::string(kMda) + "regulatedProductName", p.name},
          {std::string(kMda) + "manufacturerOfTradeItemPartyName", sites[p.manufacturer].name}},
         {}});
  }
  if (!classes.elements.empty()) out.push_back(std::move(classes));
  return out;
}

namespace {

class WorldBuilder {
 public:
  explicit WorldBuilder(const WorldConfig& config)
      : config_(config), random_(derive(config.seed, Stream::kWorld)) {}

  Result<World, WorldError> build() {
    for (const auto& code : config_.countries) {
      const auto& known = known_countries();
      auto it = std::find_if(known.begin(), known.end(),
                             [&](const Country& c) { return c.code == code; });
      if (it == known.end()) return unexpected(WorldError{"unknown country code '" + code + "'"});
      for (const auto& c : world_.countries)
        if (c.code == code) return unexpected(WorldError{"country '" + code + "' given twice"});
      world_.countries.push_back(*it);
    }
    if (world_.countries.empty()) return unexpected(WorldError{"no country given"});
    add_manufacturers();
    for (size_t c = 0; c < world_.countries.size(); ++c) add_market(c);
    for (size_t i = 0; i < world_.sites.size(); ++i) {
      world_.site_of_location[world_.sites[i].sgln] = i;
      for (const auto& rp : world_.sites[i].read_points) world_.site_of_location[rp] = i;
    }
    if (auto e = add_products()) return unexpected(*e);
    return std::move(world_);
  }

 private:
  // A company prefix of the country's GS1 range, distinct from every other one.
  std::string company_prefix(size_t country) {
    for (;;) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "%04u", static_cast<unsigned>(1000 + random_.below(9000)));
      std::string cp = world_.countries[country].gs1_prefix + buf;
      if (std::find(prefixes_.begin(), prefixes_.end(), cp) == prefixes_.end()) {
        prefixes_.push_back(cp);
        return cp;
      }
    }
  }

  size_t add_site(Role role, std::string name, size_t country, const City& city, double jitter,
                  const std::string& cp, uint32_t location_reference) {
    Site s;
    s.role = role;
    s.name = std::move(name);
    s.country = country;
    s.city = city.name;
    s.latitude = city.latitude + random_.real(-jitter, jitter);
    s.longitude = city.longitude + random_.real(-jitter, jitter) * 1.5;
    s.gln = make_gln(cp, location_reference);
    s.sgln = sgln_urn(s.gln, "0");
    s.party = pgln_urn(s.gln);
    for (const char* ext : {"1", "2", "3"}) s.read_points.push_back(sgln_urn(s.gln, ext));
    world_.sites.push_back(std::move(s));
    return world_.sites.size() - 1;
  }

  void add_manufacturers() {
    size_t count = std::max<size_t>(2, std::min<size_t>(4, world_.countries.size()));
    for (size_t m = 0; m < count; ++m) {
      size_t country = m % world_.countries.size();
      const Country& c = world_.countries[country];
      const City& city = c.cities[(m / world_.countries.size() + 1) % c.cities.size()];
      std::string cp = company_prefix(country);
      manufacturer_prefixes_.push_back(cp);
      manufacturers_.push_back(add_site(
          Role::kManufacturer, std::string(kManufacturerNames[m % 6]) + " plant " + city.name,
          country, city, 0.05, cp, 1));
    }
  }

  void add_market(size_t country) {
    const Country& c = world_.countries[country];
    World::Market market;
    std::string logistics = company_prefix(country), retail = company_prefix(country);
    market.distributor =
        add_site(Role::kDistributor, c.name + " Pharma Distribution " + c.cities[0].name, country,
                 c.cities[0], 0.05, logistics, 1);
    size_t wholesalers = std::min<size_t>(3, c.cities.size());
    for (size_t w = 0; w < wholesalers; ++w) {
      const City& city = c.cities[(w + 1) % c.cities.size()];
      market.wholesalers.push_back(add_site(Role::kWholesaler, "Wholesale " + city.name, country,
                                            city, 0.05, logistics, static_cast<uint32_t>(w + 2)));
    }
    // Pharmacies grow with the simulation (about one per 5,000 packs per market),
    // retailers are a third of them; spread over the cities, the capital weighted double.
    uint64_t pharmacies = std::clamp<uint64_t>(config_.items / 5000, 6, 20000);
    uint64_t retailers = std::max<uint64_t>(2, pharmacies / 3);
    uint32_t ref = 1;
    for (uint64_t i = 0; i < pharmacies + retailers; ++i) {
      bool retailer = i >= pharmacies;
      uint64_t pick = random_.below(c.cities.size() + 1);
      const City& city = c.cities[pick >= c.cities.size() ? 0 : pick];
      std::string name = city.name + (retailer ? " Drugstore " : " Pharmacy ") +
                         std::to_string(retailer ? i - pharmacies + 1 : i + 1);
      size_t s = add_site(retailer ? Role::kRetailer : Role::kPharmacy, name, country, city, 0.08,
                          retail, ref++);
      world_.sites[s].wholesaler = market.wholesalers[i % market.wholesalers.size()];
      (retailer ? market.retailers : market.pharmacies).push_back(s);
    }
    world_.markets.push_back(std::move(market));
  }

  std::optional<WorldError> add_products() {
    auto numeric = serial::Format::create(serial::AlphabetPreset::numeric, 13);
    auto alnum = serial::Format::create(serial::AlphabetPreset::upper_alphanumeric_unambiguous, 12);
    if (!numeric || !alnum) return WorldError{"serial format"};
    size_t rx = 0, otc = 0;
    for (size_t m = 0; m < manufacturers_.size(); ++m) {
      std::vector<uint32_t> refs;
      for (size_t k = 0; k < 3; ++k) {
        uint32_t ref;
        do ref = static_cast<uint32_t>(random_.below(100000));
        while (std::find(refs.begin(), refs.end(), ref) != refs.end());
        refs.push_back(ref);
        Product p;
        p.gtin14 = make_gtin14('0', manufacturer_prefixes_[m], ref);
        p.over_the_counter = k == 2;
        p.name = p.over_the_counter ? kOtcNames[otc++ % 6] : kProductNames[rx++ % 12];
        p.manufacturer = manufacturers_[m];
        // The FF1 key of this packaging line: 256 bits from the seed (reproducible, and
        // unguessable to whoever does not know the seed).
        Random key_random(derive(config_.seed, Stream::kSerialKey, {world_.products.size()}));
        std::vector<uint8_t> key(32);
        for (auto& b : key) b = static_cast<uint8_t>(key_random.next());
        const serial::Format& format = world_.products.size() % 2 == 0 ? *numeric : *alnum;
        auto g = serial::make_ff1_generator(format, key, serial::serial_tweak(p.gtin14));
        if (!g) return WorldError{"serial generator: " + g.error().message};
        p.serials = std::move(*g);
        world_.products.push_back(std::move(p));
      }
    }
    return std::nullopt;
  }

  const WorldConfig& config_;
  Random random_;
  World world_;
  std::vector<std::string> prefixes_, manufacturer_prefixes_;
  std::vector<size_t> manufacturers_;
};

}  // namespace

Result<World, WorldError> make_world(const WorldConfig& config) {
  return WorldBuilder(config).build();
}

}  // namespace serialtrack::sim

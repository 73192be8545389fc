// The simulated world: the countries (markets), the companies and their sites
// (manufacturers' plants, national distributors, regional wholesalers, pharmacies,
// retailers) with GLNs, coordinates and read points, and the products with GTINs and
// the FF1 serial generators of their packaging lines. Built once from the seed;
// small (it does not grow with the number of items, only the number of pharmacies
// does, slowly). Immutable after make_world; safe to read from one thread (the serial
// generators hold an OpenSSL context).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "epcis/event.h"
#include "serial/generator.h"

namespace serialtrack::sim {

struct City {
  std::string name;
  double latitude = 0, longitude = 0;
};

struct Country {
  std::string code;  // ISO 3166-1 alpha-2
  std::string name;
  std::string gs1_prefix;          // the GS1 Member Organisation's 3-digit prefix
  int16_t utc_offset_minutes = 0;  // standard (winter) time
  std::vector<City> cities;        // the capital first
};

// The countries the simulator knows ("DE", "FR", "IT", "ES", "NL", "PL", "BE", "AT",
// "PT", "SE", "IE", "GR"), in that order.
const std::vector<Country>& known_countries();

enum class Role : uint8_t { kManufacturer, kDistributor, kWholesaler, kPharmacy, kRetailer };
std::string_view role_name(Role role);

// One physical site of one company (CBV 2.0 §8.4: the site is an SGLN, the company a
// PGLN; here each site's company is the party of its own GLN).
struct Site {
  Role role = Role::kPharmacy;
  std::string name;
  size_t country = 0;  // index into World::countries
  std::string city;
  double latitude = 0, longitude = 0;
  std::string gln;                       // GLN-13
  std::string sgln;                      // urn:epc:id:sgln:…​.0, the site (bizLocation)
  std::string party;                     // urn:epc:id:pgln:…, owning/possessing party
  std::vector<std::string> read_points;  // sgln with extension 1, 2, 3 (see ReadPoint)
  size_t wholesaler = 0;                 // pharmacies and retailers: the site of their wholesaler
};

// The read points of a site: SGLN extensions 1, 2, 3.
enum class ReadPoint : uint8_t { kReceivingDock = 0, kShippingDock = 1, kFloor = 2 };

struct Product {
  std::string gtin14;
  std::string name;
  size_t manufacturer = 0;                     // site index of the plant that makes it
  bool over_the_counter = false;               // sold at retailers (not dispensed at pharmacies)
  std::unique_ptr<serial::Generator> serials;  // FF1, key from the seed, tweak = the GTIN
};

struct World {
  std::vector<Country> countries;  // the markets of this simulation
  std::vector<Site> sites;
  std::vector<Product> products;
  // Per market: its distributor, wholesalers, and the pharmacies and retailers of each
  // wholesaler (site indices, in creation order).
  struct Market {
    size_t distributor = 0;
    std::vector<size_t> wholesalers;
    std::vector<size_t> pharmacies, retailers;
  };
  std::vector<Market> markets;
  std::unordered_map<std::string, size_t> site_of_location;  // sgln / read point -> site

  // The site of a location id (a site's SGLN or one of its read points).
  std::optional<size_t> site_of(const std::string& location) const;
  // EPCIS master data (EPCIS 2.0 §7.5, CBV 2.0 §10) for these sites and products:
  // BusinessLocation elements (name, country code, city, latitude, longitude, children =
  // the read points), ReadPoint elements, and EPCClass elements (product name,
  // manufacturer). In index order, so documents are reproducible.
  std::vector<epcis::Vocabulary> master_data(const std::set<size_t>& sites,
                                             const std::set<size_t>& products) const;
};

// Great-circle distance in km (haversine, mean Earth radius 6371 km).
double distance_km(const Site& a, const Site& b);
double distance_km(double lat1, double lon1, double lat2, double lon2);

struct WorldConfig {
  uint64_t seed = 1;
  std::vector<std::string> countries;  // codes of known_countries()
  uint64_t items = 1000;               // sizes the number of pharmacies
};

struct WorldError {
  std::string message;
};

// Builds the world. Errors: an unknown or repeated country code, no country, a serial
// generator that cannot be made.
Result<World, WorldError> make_world(const WorldConfig& config);

}  // namespace serialtrack::sim

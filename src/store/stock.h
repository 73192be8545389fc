// Stock as the store keeps it (inventory, issue 6): the counts of in-stock items per
// (GTIN, lot, location, custodian, disposition) and the items' facets in an indexed
// per-item table, both written by the capture's transaction (store.h ItemFacets), read here on
// a second connection to the event store's file (WAL lets both work at once). Counting
// reads the stock_counts rows, never every item. Also the stock minimums, in their own
// table (inventory_minimums).
//
// Thread-safety: a StockCounts is safe for concurrent use from many threads without
// external synchronisation (one connection, serialised by a mutex).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace serialtrack::store {

// What stock is counted by.
enum class StockFacet : uint8_t { kProduct, kLot, kLocation, kCustodian, kDisposition };

// Which items count: empty fields do not constrain. location includes its sub-locations
// in the master-data location hierarchy (as WD_bizLocation, EPCIS 2.0 §8.2.7.1).
struct StockFilter {
  std::string gtin, lot, location, custodian, disposition;
  // A 13-digit GLN: only items whose custodian names this party, in any form (party_gln
  // in store.h: SGLN / PGLN URN or Digital Link). How a party's key sees its own stock.
  std::string custodian_party;
};

// The name of a facet's field: "gtin", "lot", "location", "custodian", "disposition"
// (also its column in the stock tables and its key in JSON).
constexpr std::string_view stock_field_name(StockFacet f) {
  switch (f) {
    case StockFacet::kProduct:
      return "gtin";
    case StockFacet::kLot:
      return "lot";
    case StockFacet::kLocation:
      return "location";
    case StockFacet::kCustodian:
      return "custodian";
    case StockFacet::kDisposition:
      return "disposition";
  }
  return "gtin";
}

// One line of a count: the facets grouped by hold their value, the others "".
struct StockCount {
  std::string gtin, lot, location, custodian, disposition;
  uint64_t count = 0;
  bool operator==(const StockCount&) const = default;
  // The value of a facet.
  std::string& field(StockFacet f) {
    return const_cast<std::string&>(static_cast<const StockCount&>(*this).field(f));
  }
  const std::string& field(StockFacet f) const {
    switch (f) {
      case StockFacet::kProduct:
        return gtin;
      case StockFacet::kLot:
        return lot;
      case StockFacet::kLocation:
        return location;
      case StockFacet::kCustodian:
        return custodian;
      case StockFacet::kDisposition:
        return disposition;
    }
    return gtin;
  }
};

// One item in stock, with its facets.
struct StockItem {
  std::string id, gtin, lot, location, custodian, disposition, expiry;
  int64_t last_event_time = 0;  // unix nanos
};

// Items found by ageing or expiry: how many per location, and the first of them.
struct StockItems {
  std::vector<StockCount> per_location;  // location and count set
  std::vector<StockItem> items;          // oldest (or soonest expiring) first, at most limit
};

// A stock level below which a product at a location is short.
struct StockMinimum {
  std::string gtin, location;  // location "" applies to the product's stock everywhere
  uint64_t minimum = 0;
  bool operator==(const StockMinimum&) const = default;
};

class StockCounts {
 public:
  virtual ~StockCounts() = default;

  // The counts of in-stock items matching filter, grouped by the facets in by (none:
  // one line, the total), ordered by the grouped values. Lines of count 0 are left out.
  virtual Result<std::vector<StockCount>> count(const StockFilter& filter,
                                                const std::vector<StockFacet>& by) = 0;

  // In-stock items matching filter whose latest event is before before_nanos: per
  // location, and the oldest limit of them. Reads the items in question only.
  virtual Result<StockItems> last_event_before(const StockFilter& filter, int64_t before_nanos,
                                               size_t limit) = 0;

  // In-stock items matching filter whose expiry date ("YYYY-MM-DD") is on or before
  // last_day: per location, and the soonest expiring limit of them.
  virtual Result<StockItems> expiring_by(const StockFilter& filter, const std::string& last_day,
                                         size_t limit) = 0;

  // In-stock items matching filter: per location, and the first limit of them by id
  // (a physical audit's expected items).
  virtual Result<StockItems> items(const StockFilter& filter, size_t limit) = 0;

  // The location and every location below it in the master-data hierarchy.
  virtual Result<std::vector<std::string>> location_and_descendants(
      const std::string& location) = 0;

  // Sets (replacing) the minimum of a product at a location; minimum 0 removes it.
  virtual Result<void*> set_minimum(const StockMinimum& minimum) = 0;

  // Every minimum stored, by GTIN then location.
  virtual Result<std::vector<StockMinimum>> minimums() = 0;
};

// Opens stock counts on the database at path, which open_sqlite has already migrated
// (error kCorrupt when its schema has no stock counts yet). Creates the minimums table.
Result<std::unique_ptr<StockCounts>> open_sqlite_stock(const std::string& path);

}  // namespace serialtrack::store

// Inventory (issue 6): how much stock there is where, derived from item state. An item
// is in stock from its commissioning until its life ends (CBV 2.0 §7.2: destroyed,
// dispensed, decommissioned...), when it is a trade item (an SGTIN: it has a GTIN).
// Each capture's transaction writes every changed item's facets (item_facets) with its
// state, so the stock counts of store/stock.h agree with the events at every moment
// and counting never scans the items. Stock at a past time is a replay of the events.
// Shared by the CLI and HTTP: each request is a struct, each answer a struct with a
// JSON (and CSV) rendering.
//
// Thread-safe as the Store and StockCounts are.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/stock.h"
#include "store/store.h"
#include "trace/item_state.h"
#include "trace/service_error.h"

namespace serialtrack::trace {

// What inventory counts of an item in this state: in stock, GTIN (from an SGTIN id in
// either form), lot, location (bizLocation), custodian (the possessing party, else the
// owning party: CBV 2.0 §8.4), disposition, expiry, time of the latest event.
store::ItemFacets item_facets(const ItemState& state);

// "product", "lot", "location", "custodian", "disposition", and back (nullopt: unknown).
std::string_view stock_facet_name(store::StockFacet facet);
std::optional<store::StockFacet> stock_facet_from_name(std::string_view name);

struct StockRequest {
  store::StockFilter filter;  // location includes its sub-locations (master data)
  std::vector<store::StockFacet> by = {store::StockFacet::kProduct};
  // Stock as it was after every event whose eventTime is at or before this (unix
  // nanos); nullopt: now.
  std::optional<int64_t> as_of;
};

struct StockReport {
  std::vector<store::StockFacet> by;
  std::optional<int64_t> as_of;
  std::vector<store::StockCount> lines;  // grouped values set, others ""; count > 0
  uint64_t total = 0;                    // sum of the lines' counts
};

// Stock now from the stock counts (a few rows read whatever the number of items), or
// as of a past time by replaying the events up to it in eventTime order (erroneous
// events left out), which costs one pass over every event up to then.
// Error kInvalidArgument for a GTIN that is not 14 digits; kStore when reading fails.
ServiceResult<StockReport> stock(store::Store& store, store::StockCounts& counts,
                                 const StockRequest& request);

// Items in stock whose latest event is more than days old (slow movers), per location.
struct AgeingRequest {
  store::StockFilter filter;
  int days = 90;
  std::optional<int64_t> now;  // unix nanos; nullopt: the clock
  size_t limit = 100;          // items listed (all are counted)
};
ServiceResult<store::StockItems> ageing(store::StockCounts& counts, const AgeingRequest& request);

// Items in stock that expire within days (expiry date on or before today + days), per
// location; expired items are included.
struct ExpiryRequest {
  store::StockFilter filter;
  int days = 30;
  std::string today;  // "YYYY-MM-DD"; "": the clock's date (UTC)
  size_t limit = 100;
};
ServiceResult<store::StockItems> expiring(store::StockCounts& counts, const ExpiryRequest& request);

// A minimum not met: the product's stock at the location (and its sub-locations).
struct Shortage {
  store::StockMinimum minimum;
  uint64_t stock = 0;
};

// Stores a minimum (0 removes it). Error kInvalidArgument for a bad GTIN.
ServiceResult<void*> set_minimum(store::StockCounts& counts, const store::StockMinimum& minimum);

// Every stored minimum with its current stock (checked: the ones below their minimum
// have short = true in the JSON).
struct MinimumCheck {
  store::StockMinimum minimum;
  uint64_t stock = 0;
  bool short_of_minimum() const { return stock < minimum.minimum; }
};
ServiceResult<std::vector<MinimumCheck>> check_minimums(store::StockCounts& counts);

// JSON renderings, shared by the CLI and HTTP. Field names:
//   StockReport: {"asOf": RFC 3339 | null, "by": ["product",...], "total": n,
//                 "lines": [{"gtin","lot","location","custodian","disposition","count"}]}
//                 (a line carries only the facets it is grouped by, plus count)
//   StockItems:  {"perLocation": [{"location","count"}], "items": [{"id","gtin","lot",
//                 "location","custodian","disposition","expiry","lastEventTime"}]}
//   MinimumCheck list: [{"gtin","location","minimum","stock","short"}]
std::string stock_report_json(const StockReport& report);
std::string stock_items_json(const store::StockItems& items);
std::string minimum_checks_json(const std::vector<MinimumCheck>& checks);

// CSV (RFC 4180) of a stock report: a header of the grouped facets and "count", one
// row per line.
std::string stock_report_csv(const StockReport& report);

}  // namespace serialtrack::trace

// Inventory: stock counts kept by the capture's transaction agree with a recount of the
// events, now and at any past time; ageing, expiry and minimums.
#include "trace/inventory.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <map>
#include <random>
#include <set>

#include "trace/capture.h"

namespace serialtrack::trace {
namespace {

using epcis::Action;
using epcis::Event;
using epcis::EventType;
using store::StockFacet;

std::string fresh(const std::string& name) {
  auto p = std::filesystem::path(::testing::TempDir()) / (name + ".db");
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(p.string() + suffix);
  return p.string();
}

struct Db {
  // A new database named name, or (fresh false) the existing file at name.
  explicit Db(const std::string& name, bool is_new = true) {
    std::string path = is_new ? fresh(name) : name;
    store = std::move(*store::open_sqlite(path, {.durable = false}));
    counts = std::move(*store::open_sqlite_stock(path));
  }
  std::unique_ptr<store::Store> store;
  std::unique_ptr<store::StockCounts> counts;
};

constexpr int64_t kSecond = 1'000'000'000;
const std::string kSite = "urn:epc:id:sgln:9520123.00001.0";
const std::string kDock = "urn:epc:id:sgln:9520123.00001.1";   // part of kSite
const std::string kShelf = "urn:epc:id:sgln:9520123.00001.2";  // part of kSite
const std::string kStore = "urn:epc:id:sgln:9520123.00002.0";
const std::vector<std::string> kLocations = {kSite, kDock, kShelf, kStore};
const std::vector<std::string> kParties = {"urn:epc:id:pgln:9520123.00001",
                                           "urn:epc:id:pgln:9520123.00002",
                                           "urn:epc:id:pgln:9520123.00003"};
const std::vector<std::string> kDispositions = {"urn:epcglobal:cbv:disp:active",
                                                "urn:epcglobal:cbv:disp:in_progress",
                                                "urn:epcglobal:cbv:disp:sellable_accessible"};
// Item references 045678 / 045679 / 045670 of company 9520123: GTINs with check digits.
const std::vector<std::pair<std::string, std::string>> kProducts = {
    {"9520123.045678", "09520123456788"},
    {"9520123.045679", "09520123456795"},
    {"9520123.045670", "09520123456702"}};

epcis::Vocabulary site_hierarchy() {
  epcis::Vocabulary v;
  v.type = "urn:epcglobal:epcis:vtype:BusinessLocation";
  v.elements = {{kSite, {}, {kDock, kShelf}}};
  return v;
}

Event event(EventType type, Action action, int64_t second, const std::string& id) {
  Event e;
  e.type = type;
  e.action = action;
  e.event_time = {second * kSecond, 0};
  e.event_id = id;
  return e;
}

epcis::Extension ilmd(const std::string& name, const std::string& value) {
  epcis::Extension x;
  x.ns = "urn:epcglobal:cbv:mda";
  x.prefix = "cbvmda";
  x.name = name;
  x.value = value;
  return x;
}

// A seeded random supply chain: commissioning, moves, custody changes, packing into
// cases, case moves (which move their contents), unpacking, destruction and
// transformations, in eventTime order.
class RandomChain {
 public:
  explicit RandomChain(uint32_t seed) : rng_(seed) {}

  Event next(int64_t second) {
    std::string id = "urn:uuid:ev-" + std::to_string(second);
    int kind = pick(100);
    if (units_.size() < 20 || kind < 20) return commission(second, id);
    if (kind < 45) return move(second, id, units_[pick(units_.size())]);
    if (kind < 55) return pack(second, id);
    if (kind < 70 && !cases_.empty()) return move(second, id, cases_[pick(cases_.size())]);
    if (kind < 78 && !cases_.empty()) {
      Event e = event(EventType::kAggregation, Action::kDelete, second, id);
      e.parent_id = cases_[pick(cases_.size())];
      return e;  // EPCIS 2.0 §7.4.3: DELETE without children unpacks everything
    }
    if (kind < 88) {
      Event e = event(EventType::kObject, Action::kObserve, second, id);
      e.epc_list = {units_[pick(units_.size())]};
      e.biz_step = "urn:epcglobal:cbv:bizstep:destroying";
      e.disposition = "urn:epcglobal:cbv:disp:destroyed";
      return e;
    }
    Event e = event(EventType::kTransformation, Action::kNone, second, id);
    e.input_epc_list = {units_[pick(units_.size())], units_[pick(units_.size())]};
    e.output_epc_list = {new_unit()};
    e.biz_location = kLocations[pick(kLocations.size())];
    e.ilmd = std::vector<epcis::Extension>{ilmd("lotNumber", "T" + std::to_string(pick(2)))};
    return e;
  }

 private:
  size_t pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

  std::string new_unit() {
    std::string u = "urn:epc:id:sgtin:" + kProducts[pick(kProducts.size())].first + "." +
                    std::to_string(++serial_);
    units_.push_back(u);
    return u;
  }

  Event commission(int64_t second, const std::string& id) {
    Event e = event(EventType::kObject, Action::kAdd, second, id);
    e.biz_step = "urn:epcglobal:cbv:bizstep:commissioning";
    e.disposition = kDispositions[0];
    e.biz_location = kLocations[pick(kLocations.size())];
    for (size_t i = 0, n = 1 + pick(3); i < n; ++i) e.epc_list.push_back(new_unit());
    e.ilmd = std::vector<epcis::Extension>{
        ilmd("lotNumber", "L" + std::to_string(pick(3))),
        ilmd("itemExpirationDate", "2027-0" + std::to_string(1 + pick(9)) + "-15")};
    e.destinations = {{"urn:epcglobal:cbv:sdt:owning_party", kParties[0]}};
    return e;
  }

  Event move(int64_t second, const std::string& id, const std::string& what) {
    Event e = event(EventType::kObject, Action::kObserve, second, id);
    e.epc_list = {what};
    e.biz_location = kLocations[pick(kLocations.size())];
    e.disposition = kDispositions[pick(kDispositions.size())];
    if (pick(2))
      e.destinations = {
          {"urn:epcglobal:cbv:sdt:possessing_party", kParties[pick(kParties.size())]}};
    return e;
  }

  Event pack(int64_t second, const std::string& id) {
    Event e = event(EventType::kAggregation, Action::kAdd, second, id);
    if (cases_.empty() || pick(3) == 0)
      cases_.push_back("urn:epc:id:sscc:9520123.00000" + std::to_string(10000 + cases_.size()));
    e.parent_id = cases_[pick(cases_.size())];
    for (size_t i = 0, n = 1 + pick(4); i < n; ++i)
      e.epc_list.push_back(units_[pick(units_.size())]);
    e.biz_location = kLocations[pick(kLocations.size())];
    return e;
  }

  std::mt19937 rng_;
  uint64_t serial_ = 0;
  std::vector<std::string> units_, cases_;
};

// Item states in memory: the brute-force replay the store's counts are checked against.
class MapStates final : public ItemStates {
 public:
  std::optional<ItemState> get(const std::string& id) override {
    auto it = m.find(id);
    return it == m.end() ? std::nullopt : std::optional<ItemState>(it->second);
  }
  void put(const ItemState& s) override { m[s.id] = s; }
  std::vector<std::string> children_of(const std::string& parent) override {
    std::vector<std::string> out;
    for (const auto& [id, s] : m)
      if (s.parent == parent) out.push_back(id);
    return out;
  }
  std::map<std::string, ItemState> m;
};

using Key = std::tuple<std::string, std::string, std::string, std::string, std::string>;

// Recount of the events: every commissioned, living SGTIN by all five facets.
std::map<Key, uint64_t> recount(const std::vector<Event>& events, int64_t up_to_second) {
  MapStates states;
  for (const auto& e : events)
    if (e.event_time.unix_nanos <= up_to_second * kSecond) apply_event(e, states);
  std::map<Key, uint64_t> out;
  for (const auto& [id, s] : states.m) {
    if (!s.commissioned || s.decommissioned || !id.starts_with("urn:epc:id:sgtin:")) continue;
    std::string gtin;
    for (const auto& [prefix, g] : kProducts)
      if (id.starts_with("urn:epc:id:sgtin:" + prefix + ".")) gtin = g;
    std::string custodian = !s.possessor.empty() ? s.possessor : s.owner;
    ++out[{gtin, s.lot, s.biz_location, custodian, s.disposition}];
  }
  return out;
}

std::map<Key, uint64_t> as_map(const std::vector<store::StockCount>& lines) {
  std::map<Key, uint64_t> out;
  for (const auto& l : lines)
    out[{l.gtin, l.lot, l.location, l.custodian, l.disposition}] = l.count;
  return out;
}

const std::vector<StockFacet> kAllFacets = {StockFacet::kProduct, StockFacet::kLot,
                                            StockFacet::kLocation, StockFacet::kCustodian,
                                            StockFacet::kDisposition};

TEST(Inventory, StockCountsEqualARecountOfTenThousandRandomEventsNowAndAtPastTimes) {
  Db db("inventory_random");
  ASSERT_TRUE(db.store->put_master_data({site_hierarchy()}));
  RandomChain chain(20261202);
  std::vector<Event> all;
  std::map<int64_t, StockReport> snapshots;  // the live counts after each checkpoint second
  for (int64_t second = 1; second <= 10'000;) {
    std::vector<Event> batch;
    for (int i = 0; i < 100; ++i, ++second) batch.push_back(chain.next(second));
    ASSERT_TRUE(capture(*db.store, batch));
    all.insert(all.end(), batch.begin(), batch.end());
    if ((second - 1) % 2'500 == 0) {
      StockRequest now;
      now.by = kAllFacets;
      auto r = stock(*db.store, *db.counts, now);
      ASSERT_TRUE(r) << r.error().message;
      snapshots[second - 1] = *r;
    }
  }
  StockRequest now;
  now.by = kAllFacets;
  auto live = stock(*db.store, *db.counts, now);
  ASSERT_TRUE(live) << live.error().message;
  auto expected = recount(all, 10'000);
  EXPECT_GT(expected.size(), 20u);  // the chain spreads stock over many facet combinations
  EXPECT_EQ(as_map(live->lines), expected);
  uint64_t total = 0;
  for (const auto& [k, n] : expected) total += n;
  EXPECT_EQ(live->total, total);

  // A site counts its sub-locations (master-data hierarchy); a store location alone.
  StockRequest site;
  site.filter.location = kSite;
  site.by = {};
  uint64_t in_site = 0;
  for (const auto& [k, n] : expected)
    if (std::get<2>(k) == kSite || std::get<2>(k) == kDock || std::get<2>(k) == kShelf)
      in_site += n;
  EXPECT_EQ(stock(*db.store, *db.counts, site)->total, in_site);

  for (const auto& [second, snapshot] : snapshots) {
    StockRequest past;
    past.by = kAllFacets;
    past.as_of = second * kSecond;
    auto then = stock(*db.store, *db.counts, past);
    ASSERT_TRUE(then) << then.error().message;
    EXPECT_EQ(as_map(then->lines), as_map(snapshot.lines)) << "at second " << second;
    EXPECT_EQ(as_map(then->lines), recount(all, second)) << "at second " << second;
  }
}

TEST(Inventory, StockIsCountedByTheFacetsAskedFor) {
  Db db("inventory_by");
  Event c = event(EventType::kObject, Action::kAdd, 1, "e1");
  c.epc_list = {"urn:epc:id:sgtin:9520123.045678.1", "urn:epc:id:sgtin:9520123.045678.2",
                "urn:epc:id:sgtin:9520123.045679.3", "urn:epc:id:sscc:9520123.0000000001"};
  c.biz_location = kStore;
  c.ilmd = std::vector<epcis::Extension>{ilmd("lotNumber", "A")};
  std::vector<Event> events = {c};
  ASSERT_TRUE(capture(*db.store, events));
  StockRequest r;  // by product: the SSCC is a logistic unit, not a product
  auto by_product = stock(*db.store, *db.counts, r);
  ASSERT_TRUE(by_product);
  ASSERT_EQ(by_product->lines.size(), 2u);
  EXPECT_EQ(by_product->lines[0], (store::StockCount{"09520123456788", "", "", "", "", 2}));
  EXPECT_EQ(by_product->lines[1], (store::StockCount{"09520123456795", "", "", "", "", 1}));
  EXPECT_EQ(
      stock_report_json(*by_product),
      R"({"asOf":null,"by":["product"],"total":3,"lines":[{"gtin":"09520123456788","count":2},)"
      R"({"gtin":"09520123456795","count":1}]})");
  EXPECT_EQ(stock_report_csv(*by_product), "gtin,count\n09520123456788,2\n09520123456795,1\n");
  r.filter.gtin = "09520123456788";
  r.by = {StockFacet::kLot, StockFacet::kLocation};
  auto by_lot = stock(*db.store, *db.counts, r);
  ASSERT_TRUE(by_lot);
  ASSERT_EQ(by_lot->lines.size(), 1u);
  EXPECT_EQ(by_lot->lines[0], (store::StockCount{"", "A", kStore, "", "", 2}));
  r.filter.gtin = "9520123";
  auto bad = stock(*db.store, *db.counts, r);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ServiceError::Kind::kInvalidArgument);
}

// An item named twice in one event, and again in a later event of the same capture, is
// counted once, at its last location (the store reads an item's stock facets with its
// record and moves the counts by the difference).
TEST(Inventory, AnItemNamedTwiceInOneCaptureIsCountedOnce) {
  Db db("inventory_twice");
  const std::string a = "urn:epc:id:sgtin:9520123.045678.1",
                    b = "urn:epc:id:sgtin:9520123.045678.2";
  Event c = event(EventType::kObject, Action::kAdd, 1, "e1");
  c.epc_list = {a, b, a};
  c.biz_location = kDock;
  Event moved = event(EventType::kObject, Action::kObserve, 2, "e2");
  moved.epc_list = {a, a};
  moved.biz_location = kStore;
  Event again = event(EventType::kObject, Action::kObserve, 3, "e3");
  again.epc_list = {a};
  again.biz_location = kStore;
  std::vector<Event> events = {c, moved, again};
  ASSERT_TRUE(capture(*db.store, events));
  StockRequest r;
  r.by = {StockFacet::kLocation};
  auto report = stock(*db.store, *db.counts, r);
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->lines.size(), 2u);
  EXPECT_EQ(report->lines[0], (store::StockCount{"", "", kDock, "", "", 1}));
  EXPECT_EQ(report->lines[1], (store::StockCount{"", "", kStore, "", "", 1}));
  EXPECT_EQ(report->total, 2u);
}

TEST(Inventory, AVersion6DatabaseCountsStockOnceAfterItsUpgrade) {
  std::string path = fresh("inventory_v6");
  const std::string a = "urn:epc:id:sgtin:9520123.045678.1",
                    b = "urn:epc:id:sgtin:9520123.045678.2";
  {
    auto s = std::move(*store::open_sqlite(path, {.durable = false}));
    Event c = event(EventType::kObject, Action::kAdd, 1, "e1");
    c.epc_list = {a, b};
    c.biz_location = kSite;
    c.ilmd = std::vector<epcis::Extension>{ilmd("lotNumber", "A")};
    ASSERT_TRUE(capture(*s, std::vector<Event>{c}));
  }
  // Back to version 6: the facets in a table item_stock whose triggers kept the counts;
  // no lot index.
  sqlite3* db;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, R"sql(
    CREATE TABLE item_stock(
      key BLOB PRIMARY KEY, id TEXT NOT NULL, stock INTEGER NOT NULL, gtin TEXT NOT NULL,
      lot TEXT NOT NULL, location TEXT NOT NULL, custodian TEXT NOT NULL,
      disposition TEXT NOT NULL, expiry TEXT NOT NULL, last_time INTEGER NOT NULL)
      WITHOUT ROWID;
    INSERT INTO item_stock SELECT key, id, stock, gtin, lot, location, custodian,
      disposition, expiry, last_time FROM items WHERE stock IS NOT NULL;
    DROP INDEX items_in_stock_by_last_time; DROP INDEX items_in_stock_by_expiry;
    DROP INDEX items_by_lot; DROP TRIGGER items_leave_stock;
    ALTER TABLE items DROP COLUMN stock; ALTER TABLE items DROP COLUMN gtin;
    ALTER TABLE items DROP COLUMN lot; ALTER TABLE items DROP COLUMN location;
    ALTER TABLE items DROP COLUMN custodian; ALTER TABLE items DROP COLUMN disposition;
    ALTER TABLE items DROP COLUMN expiry; ALTER TABLE items DROP COLUMN last_time;
    CREATE INDEX item_stock_by_last_time ON item_stock(last_time) WHERE stock = 1;
    CREATE TRIGGER items_delete_stock AFTER DELETE ON items BEGIN
      DELETE FROM item_stock WHERE key = old.key;
    END;
    DROP TABLE store_flags;
    CREATE TRIGGER item_stock_insert AFTER INSERT ON item_stock WHEN new.stock = 1 BEGIN
      INSERT INTO stock_counts VALUES
        (new.gtin, new.lot, new.location, new.custodian, new.disposition, 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
    END;
    CREATE TRIGGER item_stock_update
      AFTER UPDATE OF stock, gtin, lot, location, custodian, disposition ON item_stock BEGIN
      UPDATE stock_counts SET n = n - 1 WHERE old.stock = 1 AND gtin = old.gtin AND
        lot = old.lot AND location = old.location AND custodian = old.custodian AND
        disposition = old.disposition;
      INSERT INTO stock_counts
        SELECT new.gtin, new.lot, new.location, new.custodian, new.disposition, 1
        WHERE new.stock = 1 ON CONFLICT DO UPDATE SET n = n + 1;
    END;
    PRAGMA user_version=6;)sql",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  // Migration 7: the counts move at the capture's end instead; 8: the facets join items.
  Db upgraded(path, false);
  Event moved = event(EventType::kObject, Action::kObserve, 2, "e2");
  moved.epc_list = {a};
  moved.biz_location = kStore;
  ASSERT_TRUE(capture(*upgraded.store, std::vector<Event>{moved}));
  StockRequest r;
  r.by = {StockFacet::kLocation};
  auto report = stock(*upgraded.store, *upgraded.counts, r);
  ASSERT_TRUE(report);
  ASSERT_EQ(report->lines.size(), 2u);  // counted once: by a trigger too would give 0 and 2
  EXPECT_EQ(report->lines[0], (store::StockCount{"", "", kSite, "", "", 1}));
  EXPECT_EQ(report->lines[1], (store::StockCount{"", "", kStore, "", "", 1}));
  size_t of_lot = 0;
  auto r2 = upgraded.store->items_of_gtin_lots(
      "09520123456788", {"A"}, [&](std::string_view, std::string_view) { ++of_lot; });
  ASSERT_TRUE(r2 && *r2);  // every item had its facets before the upgrade
  EXPECT_EQ(**r2, 2u);
  EXPECT_EQ(of_lot, 2u);
}

TEST(Inventory, AgeingListsItemsWhoseLastEventIsOlderThanTheDaysPerLocation) {
  Db db("inventory_ageing");
  const int64_t day = 86'400;
  Event old = event(EventType::kObject, Action::kAdd, 10 * day, "e1");
  old.epc_list = {"urn:epc:id:sgtin:9520123.045678.1", "urn:epc:id:sgtin:9520123.045678.2"};
  old.biz_location = kDock;
  Event fresh_one = event(EventType::kObject, Action::kAdd, 95 * day, "e2");
  fresh_one.epc_list = {"urn:epc:id:sgtin:9520123.045678.3"};
  fresh_one.biz_location = kDock;
  Event moved = event(EventType::kObject, Action::kObserve, 96 * day, "e3");
  moved.epc_list = {"urn:epc:id:sgtin:9520123.045678.2"};  // moved lately: not slow
  moved.biz_location = kStore;
  std::vector<Event> events = {old, fresh_one, moved};
  ASSERT_TRUE(capture(*db.store, events));
  AgeingRequest r;
  r.days = 30;
  r.now = 100 * day * kSecond;
  auto aged = ageing(*db.counts, r);
  ASSERT_TRUE(aged) << aged.error().message;
  ASSERT_EQ(aged->per_location.size(), 1u);
  EXPECT_EQ(aged->per_location[0].location, kDock);
  EXPECT_EQ(aged->per_location[0].count, 1u);
  ASSERT_EQ(aged->items.size(), 1u);
  EXPECT_EQ(aged->items[0].id, "urn:epc:id:sgtin:9520123.045678.1");
}

TEST(Inventory, ExpiringListsItemsThatExpireWithinTheDays) {
  Db db("inventory_expiry");
  Event a = event(EventType::kObject, Action::kAdd, 1, "e1");
  a.epc_list = {"urn:epc:id:sgtin:9520123.045678.1"};
  a.biz_location = kShelf;
  a.ilmd = std::vector<epcis::Extension>{ilmd("itemExpirationDate", "2026-12-20")};
  Event b = event(EventType::kObject, Action::kAdd, 2, "e2");
  b.epc_list = {"urn:epc:id:sgtin:9520123.045678.2"};
  b.biz_location = kShelf;
  b.ilmd = std::vector<epcis::Extension>{ilmd("itemExpirationDate", "2027-06-30")};
  std::vector<Event> events = {a, b};
  ASSERT_TRUE(capture(*db.store, events));
  ExpiryRequest r;
  r.days = 30;
  r.today = "2026-12-01";
  auto soon = expiring(*db.counts, r);
  ASSERT_TRUE(soon) << soon.error().message;
  ASSERT_EQ(soon->items.size(), 1u);
  EXPECT_EQ(soon->items[0].expiry, "2026-12-20");
  EXPECT_EQ(soon->per_location, (std::vector<store::StockCount>{{"", "", kShelf, "", "", 1}}));
  r.today = "2026-13-01";
  EXPECT_FALSE(expiring(*db.counts, r));
}

TEST(Inventory, MinimumsReportStockBelowThem) {
  Db db("inventory_minimum");
  ASSERT_TRUE(db.store->put_master_data({site_hierarchy()}));
  Event c = event(EventType::kObject, Action::kAdd, 1, "e1");
  c.epc_list = {"urn:epc:id:sgtin:9520123.045678.1", "urn:epc:id:sgtin:9520123.045678.2"};
  c.biz_location = kDock;
  std::vector<Event> events = {c};
  ASSERT_TRUE(capture(*db.store, events));
  ASSERT_TRUE(set_minimum(*db.counts, {"09520123456788", kSite, 2}));   // met (dock is in site)
  ASSERT_TRUE(set_minimum(*db.counts, {"09520123456788", kStore, 5}));  // none there
  EXPECT_FALSE(set_minimum(*db.counts, {"123", kStore, 5}));
  auto checks = check_minimums(*db.counts);
  ASSERT_TRUE(checks);
  ASSERT_EQ(checks->size(), 2u);
  EXPECT_EQ((*checks)[0].minimum.location, kSite);
  EXPECT_EQ((*checks)[0].stock, 2u);
  EXPECT_FALSE((*checks)[0].short_of_minimum());
  EXPECT_EQ((*checks)[1].stock, 0u);
  EXPECT_TRUE((*checks)[1].short_of_minimum());
  ASSERT_TRUE(set_minimum(*db.counts, {"09520123456788", kStore, 0}));  // removed
  EXPECT_EQ(check_minimums(*db.counts)->size(), 1u);
}

TEST(Inventory, AnErrorDeclarationTakesTheItemsItMadeOutOfStock) {
  Db db("inventory_error");
  Event c = event(EventType::kObject, Action::kAdd, 1, "e1");
  c.epc_list = {"urn:epc:id:sgtin:9520123.045678.1"};
  c.biz_location = kStore;
  std::vector<Event> events = {c};
  ASSERT_TRUE(capture(*db.store, events));
  StockRequest r;
  r.by = {};
  EXPECT_EQ(stock(*db.store, *db.counts, r)->total, 1u);
  Event declared = c;
  declared.error_declaration =
      epcis::ErrorDeclaration{{2 * kSecond, 0}, "urn:epcglobal:cbv:er:incorrect_data", {}, {}};
  std::vector<Event> correction = {declared};
  ASSERT_TRUE(capture(*db.store, correction));
  EXPECT_EQ(stock(*db.store, *db.counts, r)->total, 0u);
}

}  // namespace
}  // namespace serialtrack::trace

// Stock counts in SQLite: reads stock_counts and the items' stock facets (columns of
// items since schema version 8 of sqlite_store.cc; written in each capture's
// transaction) on its own connection, and keeps inventory_minimums.
#include <mutex>

#include "store/sqlite_sql.h"
#include "store/stock.h"

namespace serialtrack::store {
namespace {

constexpr int kStockSchemaVersion = 8;  // sqlite_store.cc's migration: facets in items

// The WHERE conditions of a filter on columns named as in stock_counts and items, with
// their arguments from ?1 on; location through the hierarchy CTE "sub" (with_cte).
struct Where {
  std::string sql;
  std::vector<std::string> args;
};

// party_custodians: the custodian values naming f.custodian_party (custodians_of).
Where where_of(const StockFilter& f, const std::vector<std::string>& party_custodians) {
  Where w;
  auto add = [&](const char* column, const std::string& v) {
    if (v.empty()) return;
    w.args.push_back(v);
    w.sql += std::string(" AND ") + column + " = ?" + std::to_string(w.args.size());
  };
  add("gtin", f.gtin);
  add("lot", f.lot);
  add("custodian", f.custodian);
  add("disposition", f.disposition);
  if (!f.custodian_party.empty()) {
    std::string in;
    for (const auto& c : party_custodians) {
      w.args.push_back(c);
      in += (in.empty() ? "?" : ", ?") + std::to_string(w.args.size());
    }
    w.sql += in.empty() ? " AND 0" : " AND custodian IN (" + in + ")";
  }
  if (!f.location.empty()) w.sql += " AND location IN (SELECT l FROM sub)";
  return w;
}

// The location hierarchy below ?N (Store::put_master_data's locations table), when the
// filter names a location; else nothing.
std::string with_cte(const StockFilter& f, Where& w) {
  if (f.location.empty()) return "";
  w.args.push_back(f.location);
  return "WITH RECURSIVE sub(l) AS (SELECT ?" + std::to_string(w.args.size()) +
         " UNION SELECT child FROM locations JOIN sub ON locations.parent = sub.l) ";
}

class SqliteStock final : public StockCounts {
 public:
  explicit SqliteStock(sqlite3* db) : db_(db) {}
  ~SqliteStock() override { sqlite3_close_v2(db_); }

  Result<void*> open() {
    sqlite3_busy_timeout(db_, 30'000);
    {
      Sql v(db_, "PRAGMA user_version");
      if (!v.ok() || v.step() != SQLITE_ROW)
        return unexpected(sqlite_error(db_, "reading schema version"));
      if (v.column_int(0) < kStockSchemaVersion)
        return unexpected(Error{Error::Kind::kCorrupt,
                                "the database has no stock counts (schema version " +
                                    std::to_string(v.column_int(0)) + "); open it as a store first",
                                -1});
    }
    if (sqlite3_exec(db_,
                     "CREATE TABLE IF NOT EXISTS inventory_minimums(gtin TEXT NOT NULL, "
                     "location TEXT NOT NULL, minimum INTEGER NOT NULL, "
                     "PRIMARY KEY (gtin, location)) WITHOUT ROWID",
                     nullptr, nullptr, nullptr) != SQLITE_OK)
      return unexpected(sqlite_error(db_, "creating inventory_minimums"));
    return nullptr;
  }

  Result<std::vector<StockCount>> count(const StockFilter& filter,
                                        const std::vector<StockFacet>& by) override {
    std::lock_guard lock(mu_);
    auto party = custodians_of(filter);
    if (!party) return unexpected(std::move(party).error());
    Where w = where_of(filter, *party);
    std::string cte = with_cte(filter, w);
    std::string cols;
    for (StockFacet f : by) {
      if (!cols.empty()) cols += ", ";
      cols += stock_field_name(f);
    }
    std::string sql = cte + "SELECT " + cols + (cols.empty() ? "" : ", ") +
                      "sum(n) FROM stock_counts WHERE n > 0" + w.sql;
    if (!by.empty()) sql += " GROUP BY " + cols + " HAVING sum(n) > 0 ORDER BY " + cols;
    Sql s(db_, sql);
    if (!s.ok()) return unexpected(sqlite_error(db_, "preparing a stock count"));
    for (size_t i = 0; i < w.args.size(); ++i) s.text(static_cast<int>(i + 1), w.args[i]);
    std::vector<StockCount> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
      StockCount c;
      for (size_t i = 0; i < by.size(); ++i) c.field(by[i]) = s.column(static_cast<int>(i));
      c.count = static_cast<uint64_t>(s.column_int(static_cast<int>(by.size())));
      if (by.empty() && c.count == 0) break;
      out.push_back(std::move(c));
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      return unexpected(sqlite_error(db_, "counting stock"));
    return out;
  }

  Result<StockItems> last_event_before(const StockFilter& filter, int64_t before_nanos,
                                       size_t limit) override {
    return items_where(filter, "last_time < ", before_nanos, "", "last_time", limit);
  }

  Result<StockItems> expiring_by(const StockFilter& filter, const std::string& last_day,
                                 size_t limit) override {
    return items_where(filter, "expiry <> '' AND expiry <= ", 0, last_day, "expiry", limit);
  }

  Result<StockItems> items(const StockFilter& filter, size_t limit) override {
    return items_where(filter, "last_time >= ", INT64_MIN, "", "key", limit);
  }

  Result<std::vector<std::string>> location_and_descendants(const std::string& location) override {
    std::lock_guard lock(mu_);
    Sql s(db_,
          "WITH RECURSIVE sub(l) AS (SELECT ?1 UNION SELECT child FROM locations JOIN sub ON "
          "locations.parent = sub.l) SELECT l FROM sub");
    if (!s.ok()) return unexpected(sqlite_error(db_, "reading the location hierarchy"));
    s.text(1, location);
    std::vector<std::string> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back(s.column(0));
    if (rc != SQLITE_DONE) return unexpected(sqlite_error(db_, "reading the location hierarchy"));
    return out;
  }

  Result<void*> set_minimum(const StockMinimum& m) override {
    std::lock_guard lock(mu_);
    Sql s(db_, m.minimum == 0
                   ? "DELETE FROM inventory_minimums WHERE gtin = ?1 AND location = ?2"
                   : "INSERT INTO inventory_minimums VALUES (?1, ?2, ?3) ON CONFLICT DO UPDATE "
                     "SET minimum = excluded.minimum");
    if (!s.ok()) return unexpected(sqlite_error(db_, "preparing to store a minimum"));
    s.text(1, m.gtin);
    s.text(2, m.location);
    if (m.minimum != 0) s.integer(3, static_cast<int64_t>(m.minimum));
    if (s.step() != SQLITE_DONE) return unexpected(sqlite_error(db_, "storing a minimum"));
    return nullptr;
  }

  Result<std::vector<StockMinimum>> minimums() override {
    std::lock_guard lock(mu_);
    Sql s(db_, "SELECT gtin, location, minimum FROM inventory_minimums ORDER BY gtin, location");
    if (!s.ok()) return unexpected(sqlite_error(db_, "reading minimums"));
    std::vector<StockMinimum> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW)
      out.push_back({s.column(0), s.column(1), static_cast<uint64_t>(s.column_int(2))});
    if (rc != SQLITE_DONE) return unexpected(sqlite_error(db_, "reading minimums"));
    return out;
  }

 private:
  // The custodian values of in-stock items that name filter.custodian_party (party_gln),
  // read from stock_counts (one row per facet combination, not per item); none when the
  // filter names no party. Called with mu_ held.
  Result<std::vector<std::string>> custodians_of(const StockFilter& filter) {
    std::vector<std::string> out;
    if (filter.custodian_party.empty()) return out;
    Sql s(db_, "SELECT DISTINCT custodian FROM stock_counts WHERE n > 0");
    if (!s.ok()) return unexpected(sqlite_error(db_, "preparing the custodians"));
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
      std::string c = s.column(0);
      if (auto gln = party_gln(c); gln && *gln == filter.custodian_party) out.push_back(c);
    }
    if (rc != SQLITE_DONE) return unexpected(sqlite_error(db_, "reading the custodians"));
    return out;
  }

  // In-stock items matching filter and condition followed by the bound (an integer, or
  // text when text_bound is not empty): per location and the first limit by order.
  Result<StockItems> items_where(const StockFilter& filter, const std::string& condition,
                                 int64_t int_bound, const std::string& text_bound,
                                 const std::string& order, size_t limit) {
    std::lock_guard lock(mu_);
    auto party = custodians_of(filter);
    if (!party) return unexpected(std::move(party).error());
    Where w = where_of(filter, *party);
    std::string cte = with_cte(filter, w);
    const int bound = static_cast<int>(w.args.size()) + 1;
    std::string from =
        " FROM items WHERE stock = 1 AND " + condition + "?" + std::to_string(bound) + w.sql;
    auto bind = [&](Sql& s) {
      for (size_t i = 0; i < w.args.size(); ++i) s.text(static_cast<int>(i + 1), w.args[i]);
      if (text_bound.empty())
        s.integer(bound, int_bound);
      else
        s.text(bound, text_bound);
    };
    StockItems out;
    {
      Sql s(db_, cte + "SELECT location, count(*)" + from + " GROUP BY location ORDER BY location");
      if (!s.ok()) return unexpected(sqlite_error(db_, "preparing a stock listing"));
      bind(s);
      int rc;
      while ((rc = s.step()) == SQLITE_ROW) {
        StockCount c;
        c.location = s.column(0);
        c.count = static_cast<uint64_t>(s.column_int(1));
        out.per_location.push_back(std::move(c));
      }
      if (rc != SQLITE_DONE) return unexpected(sqlite_error(db_, "listing stock"));
    }
    Sql s(db_, cte + "SELECT id, gtin, lot, location, custodian, disposition, expiry, last_time" +
                   from + " ORDER BY " + order + ", key LIMIT " + std::to_string(limit));
    if (!s.ok()) return unexpected(sqlite_error(db_, "preparing a stock listing"));
    bind(s);
    int rc;
    while ((rc = s.step()) == SQLITE_ROW)
      out.items.push_back({s.column(0), s.column(1), s.column(2), s.column(3), s.column(4),
                           s.column(5), s.column(6), s.column_int(7)});
    if (rc != SQLITE_DONE) return unexpected(sqlite_error(db_, "listing stock"));
    return out;
  }

  sqlite3* db_;
  std::mutex mu_;
};

}  // namespace

Result<std::unique_ptr<StockCounts>> open_sqlite_stock(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    Error e = sqlite_error(db, "opening " + path);
    sqlite3_close_v2(db);
    return unexpected(std::move(e));
  }
  auto stock = std::make_unique<SqliteStock>(db);
  if (auto r = stock->open(); !r) return unexpected(std::move(r).error());
  return std::unique_ptr<StockCounts>(std::move(stock));
}

}  // namespace serialtrack::store

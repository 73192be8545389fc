// The alert book in SQLite: a connection of its own to the event store's file, the
// alerts in detection_alerts (lists held as newline-separated text: ids never hold a
// newline) and the items they name in detection_alert_items, so that "alerts of this
// item" is one index range.
#include <sqlite3.h>

#include <mutex>

#include "store/alert_book.h"

namespace serialtrack::store {

std::string_view alert_state_name(AlertState state) {
  switch (state) {
    case AlertState::kNew:
      return "new";
    case AlertState::kInvestigating:
      return "investigating";
    case AlertState::kClosed:
      return "closed";
  }
  return "new";
}

std::optional<AlertState> alert_state_from_name(std::string_view name) {
  for (AlertState s : {AlertState::kNew, AlertState::kInvestigating, AlertState::kClosed})
    if (alert_state_name(s) == name) return s;
  return std::nullopt;
}

namespace {

// Entry i brings detection_alerts_meta's schema_version i to i + 1.
constexpr const char* kMigrations[] = {
    R"sql(
    CREATE TABLE detection_alerts(
      id            INTEGER PRIMARY KEY,
      kind          TEXT NOT NULL,
      severity      TEXT NOT NULL,
      items         TEXT NOT NULL,
      event_ids     TEXT NOT NULL,
      verifications TEXT NOT NULL,
      time          INTEGER NOT NULL,
      created       INTEGER NOT NULL,
      state         TEXT NOT NULL,
      close_reason  TEXT NOT NULL,
      message       TEXT NOT NULL);
    CREATE INDEX detection_alerts_by_kind ON detection_alerts(kind, id);
    CREATE TABLE detection_alert_items(
      item     TEXT NOT NULL,
      alert_id INTEGER NOT NULL,
      PRIMARY KEY(item, alert_id)) WITHOUT ROWID;
    )sql",
};

Error io(sqlite3* db, const std::string& what) {
  return Error{Error::Kind::kIo, what + ": " + (db ? sqlite3_errmsg(db) : "no database"), -1};
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? "\n" : "") + v[i];
  return out;
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  size_t at = 0;
  while (!s.empty() && at <= s.size()) {
    size_t nl = s.find('\n', at);
    if (nl == std::string::npos) nl = s.size();
    out.push_back(s.substr(at, nl - at));
    at = nl + 1;
  }
  return out;
}

std::string column(sqlite3_stmt* s, int i) {
  const unsigned char* p = sqlite3_column_text(s, i);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<size_t>(sqlite3_column_bytes(s, i)))
           : std::string();
}

void bind_text(sqlite3_stmt* s, int i, const std::string& v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}

// (Not named bind: ADL would find std::bind for a temporary std::string.)
// A prepared statement finalized when it goes out of scope.
struct Stmt {
  sqlite3_stmt* s = nullptr;
  Stmt(sqlite3* db, const std::string& sql) {
    sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr);
  }
  ~Stmt() { sqlite3_finalize(s); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
};

// list(): the first parameter number of the item prefix ranges (two per prefix).
constexpr size_t kFirstPrefixParameter = 8;

constexpr const char* kColumns =
    "id, kind, severity, items, event_ids, verifications, time, created, state, close_reason, "
    "message";

DetectionAlert read_alert(sqlite3_stmt* s) {
  DetectionAlert a;
  a.id = sqlite3_column_int64(s, 0);
  a.kind = column(s, 1);
  a.severity = column(s, 2);
  a.items = split(column(s, 3));
  a.event_ids = split(column(s, 4));
  for (const auto& v : split(column(s, 5))) a.verification_ids.push_back(std::stoll(v));
  a.time_unix_nanos = sqlite3_column_int64(s, 6);
  a.created_unix_nanos = sqlite3_column_int64(s, 7);
  a.state = alert_state_from_name(column(s, 8)).value_or(AlertState::kNew);
  a.close_reason = column(s, 9);
  a.message = column(s, 10);
  return a;
}

class SqliteAlertBook final : public AlertBook {
 public:
  explicit SqliteAlertBook(sqlite3* db) : db_(db) {}
  ~SqliteAlertBook() override { sqlite3_close_v2(db_); }

  Result<bool> open() {
    sqlite3_busy_timeout(db_, 30'000);
    if (sqlite3_exec(db_, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", nullptr, nullptr,
                     nullptr) != SQLITE_OK)
      return unexpected(io(db_, "setting WAL mode"));
    if (!exec("BEGIN IMMEDIATE")) return unexpected(io(db_, "starting the alert book migration"));
    auto migrated = migrate();
    if (!migrated) {
      exec("ROLLBACK");
      return migrated;
    }
    if (!exec("COMMIT")) return unexpected(io(db_, "committing the alert book migration"));
    return true;
  }

  Result<std::vector<int64_t>> raise(std::span<const DetectionAlert> alerts) override {
    std::vector<int64_t> ids;
    if (alerts.empty()) return ids;
    std::lock_guard lock(mutex_);
    if (!exec("BEGIN IMMEDIATE")) return unexpected(io(db_, "starting an alert"));
    Stmt s(db_, std::string("INSERT INTO detection_alerts(") + kColumns +
                    ") VALUES (NULL, ?1, ?2, ?3, ?4, ?5, ?6, ?7, 'new', '', ?8)");
    Stmt item(db_, "INSERT OR IGNORE INTO detection_alert_items(item, alert_id) VALUES (?1, ?2)");
    bool ok = s.s && item.s;
    for (size_t n = 0; ok && n < alerts.size(); ++n) {
      const DetectionAlert& a = alerts[n];
      std::vector<std::string> verifications;
      for (int64_t v : a.verification_ids) verifications.push_back(std::to_string(v));
      sqlite3_reset(s.s);
      bind_text(s.s, 1, a.kind);
      bind_text(s.s, 2, a.severity);
      bind_text(s.s, 3, join(a.items));
      bind_text(s.s, 4, join(a.event_ids));
      bind_text(s.s, 5, join(verifications));
      sqlite3_bind_int64(s.s, 6, a.time_unix_nanos);
      sqlite3_bind_int64(s.s, 7, a.created_unix_nanos);
      bind_text(s.s, 8, a.message);
      ok = sqlite3_step(s.s) == SQLITE_DONE;
      int64_t id = sqlite3_last_insert_rowid(db_);
      ids.push_back(id);
      for (size_t i = 0; ok && i < a.items.size(); ++i) {
        sqlite3_reset(item.s);
        bind_text(item.s, 1, a.items[i]);
        sqlite3_bind_int64(item.s, 2, id);
        ok = sqlite3_step(item.s) == SQLITE_DONE;
      }
    }
    if (!ok || !exec("COMMIT")) {
      Error e = io(db_, "storing an alert");
      exec("ROLLBACK");
      return unexpected(e);
    }
    return ids;
  }

  Result<std::optional<DetectionAlert>> get(int64_t id) override {
    std::lock_guard lock(mutex_);
    return get_locked(id);
  }

  Result<std::vector<DetectionAlert>> list(const AlertFilter& f) override {
    std::lock_guard lock(mutex_);
    std::string sql = std::string("SELECT ") + kColumns + " FROM detection_alerts WHERE id > ?1";
    if (f.kind) sql += " AND kind = ?2";
    if (f.state) sql += " AND state = ?3";
    if (f.since_unix_nanos) sql += " AND created >= ?4";
    if (f.item) sql += " AND id IN (SELECT alert_id FROM detection_alert_items WHERE item = ?5)";
    if (f.severity) sql += " AND severity = ?7";
    // Each prefix p is the key range [p, p with its last character raised by one).
    for (size_t i = 0; i < f.item_prefixes.size(); ++i) {
      std::string lo = std::to_string(kFirstPrefixParameter + 2 * i);
      std::string hi = std::to_string(kFirstPrefixParameter + 2 * i + 1);
      sql +=
          std::string(i ? " OR" : " AND id IN (SELECT alert_id FROM detection_alert_items WHERE") +
          " (item >= ?" + lo + " AND item < ?" + hi + ")";
    }
    if (!f.item_prefixes.empty()) sql += ")";
    sql += " ORDER BY id LIMIT ?6";
    Stmt s(db_, sql);
    if (!s.s) return unexpected(io(db_, "listing alerts"));
    sqlite3_bind_int64(s.s, 1, f.after_id);
    if (f.kind) bind_text(s.s, 2, *f.kind);
    if (f.state) bind_text(s.s, 3, std::string(alert_state_name(*f.state)));
    if (f.since_unix_nanos) sqlite3_bind_int64(s.s, 4, *f.since_unix_nanos);
    if (f.item) bind_text(s.s, 5, *f.item);
    sqlite3_bind_int64(s.s, 6, static_cast<sqlite3_int64>(f.limit));
    if (f.severity) bind_text(s.s, 7, *f.severity);
    for (size_t i = 0; i < f.item_prefixes.size(); ++i) {
      const std::string& lo = f.item_prefixes[i];
      std::string hi = lo;
      if (!hi.empty()) ++hi.back();  // keys are ASCII: no character overflows
      bind_text(s.s, static_cast<int>(kFirstPrefixParameter + 2 * i), lo);
      bind_text(s.s, static_cast<int>(kFirstPrefixParameter + 2 * i + 1), hi);
    }
    std::vector<DetectionAlert> out;
    int rc;
    while ((rc = sqlite3_step(s.s)) == SQLITE_ROW) out.push_back(read_alert(s.s));
    if (rc != SQLITE_DONE) return unexpected(io(db_, "listing alerts"));
    return out;
  }

  Result<std::optional<DetectionAlert>> set_state(int64_t id, AlertState state,
                                                  const std::string& reason) override {
    std::lock_guard lock(mutex_);
    auto current = get_locked(id);
    if (!current || !*current) return current;
    AlertState from = (*current)->state;
    bool allowed = (from == AlertState::kNew && state != AlertState::kNew) ||
                   (from == AlertState::kInvestigating && state == AlertState::kClosed);
    if (!allowed)
      return unexpected(Error{Error::Kind::kInvalidQuery,
                              "alert " + std::to_string(id) + " is " +
                                  std::string(alert_state_name(from)) + ": it cannot become " +
                                  std::string(alert_state_name(state)),
                              -1});
    if (state == AlertState::kClosed && reason.empty())
      return unexpected(Error{Error::Kind::kInvalidQuery, "closing an alert needs a reason", -1});
    Stmt s(db_, "UPDATE detection_alerts SET state = ?1, close_reason = ?2 WHERE id = ?3");
    bind_text(s.s, 1, std::string(alert_state_name(state)));
    bind_text(s.s, 2, state == AlertState::kClosed ? reason : std::string());
    sqlite3_bind_int64(s.s, 3, id);
    if (!s.s || sqlite3_step(s.s) != SQLITE_DONE) return unexpected(io(db_, "updating an alert"));
    return get_locked(id);
  }

  Result<std::map<std::string, KindCount>> counts_by_kind() override {
    std::lock_guard lock(mutex_);
    Stmt s(db_,
           "SELECT kind, count(*), sum(state != 'closed') FROM detection_alerts GROUP BY kind "
           "ORDER BY kind");
    if (!s.s) return unexpected(io(db_, "counting alerts"));
    std::map<std::string, KindCount> out;
    int rc;
    while ((rc = sqlite3_step(s.s)) == SQLITE_ROW)
      out[column(s.s, 0)] = {static_cast<uint64_t>(sqlite3_column_int64(s.s, 1)),
                             static_cast<uint64_t>(sqlite3_column_int64(s.s, 2))};
    if (rc != SQLITE_DONE) return unexpected(io(db_, "counting alerts"));
    return out;
  }

 private:
  bool exec(const char* sql) {
    return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
  }

  Result<std::optional<DetectionAlert>> get_locked(int64_t id) {
    Stmt s(db_, std::string("SELECT ") + kColumns + " FROM detection_alerts WHERE id = ?1");
    if (!s.s) return unexpected(io(db_, "reading an alert"));
    sqlite3_bind_int64(s.s, 1, id);
    int rc = sqlite3_step(s.s);
    if (rc == SQLITE_ROW) return std::optional<DetectionAlert>(read_alert(s.s));
    if (rc != SQLITE_DONE) return unexpected(io(db_, "reading an alert"));
    return std::optional<DetectionAlert>();
  }

  // Inside a transaction.
  Result<bool> migrate() {
    if (!exec("CREATE TABLE IF NOT EXISTS detection_alerts_meta(key TEXT PRIMARY KEY, value "
              "INTEGER NOT NULL)"))
      return unexpected(io(db_, "creating detection_alerts_meta"));
    int version = 0;
    {
      Stmt s(db_, "SELECT value FROM detection_alerts_meta WHERE key = 'schema_version'");
      if (s.s && sqlite3_step(s.s) == SQLITE_ROW) version = sqlite3_column_int(s.s, 0);
    }
    constexpr int kLatest = static_cast<int>(std::size(kMigrations));
    if (version > kLatest)
      return unexpected(Error{Error::Kind::kCorrupt,
                              "alert book schema version " + std::to_string(version) +
                                  " is newer than this program's (" + std::to_string(kLatest) + ")",
                              -1});
    for (int v = version; v < kLatest; ++v)
      if (!exec(kMigrations[v]))
        return unexpected(io(db_, "migrating the alert book to version " + std::to_string(v + 1)));
    std::string record = "INSERT INTO detection_alerts_meta VALUES ('schema_version', " +
                         std::to_string(kLatest) +
                         ") ON CONFLICT(key) DO UPDATE SET value = excluded.value";
    if (!exec(record.c_str())) return unexpected(io(db_, "recording the alert book version"));
    return true;
  }

  sqlite3* db_;
  std::mutex mutex_;
};

}  // namespace

Result<std::unique_ptr<AlertBook>> open_sqlite_alert_book(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    Error e = io(db, "opening " + path);
    sqlite3_close_v2(db);
    return unexpected(e);
  }
  auto book = std::make_unique<SqliteAlertBook>(db);
  auto opened = book->open();
  if (!opened) return unexpected(std::move(opened).error());
  return std::unique_ptr<AlertBook>(std::move(book));
}

}  // namespace serialtrack::store

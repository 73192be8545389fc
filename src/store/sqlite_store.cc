// The embedded store: one SQLite file in WAL mode, synchronous commits, schema
// versioned by PRAGMA user_version with forward migrations. Events are stored once
// (their encoded body) with the columns and the identifier index the EPCIS queries
// filter on, so every query is answered through an index.
#include <sqlite3.h>

#include <chrono>
#include <algorithm>
#include <mutex>
#include <set>
#include <tuple>
#include <string>

#include "store/event_codec.h"
#include "store/store.h"

namespace serialtrack::store {
namespace {

// Roles of an identifier in an event (EPCIS 2.0 §8.2.7.1 MATCH_ parameters).
enum Role : int { kEpc = 0, kParent = 1, kInput = 2, kOutput = 3 };

// Schema migrations: entry i brings user_version i to i + 1.
constexpr const char* kMigrations[] = {
    R"sql(
    CREATE TABLE events(
      seq               INTEGER PRIMARY KEY,
      event_id          TEXT    NOT NULL UNIQUE,
      type              INTEGER NOT NULL,
      event_time        INTEGER NOT NULL,
      record_time       INTEGER NOT NULL,
      action            INTEGER NOT NULL,
      biz_step          TEXT,
      disposition       TEXT,
      read_point        TEXT,
      biz_location      TEXT,
      transformation_id TEXT,
      error_declared    INTEGER NOT NULL,
      body              BLOB    NOT NULL);
    CREATE INDEX events_by_time         ON events(event_time);
    CREATE INDEX events_by_record_time  ON events(record_time);
    CREATE INDEX events_by_biz_step     ON events(biz_step)     WHERE biz_step IS NOT NULL;
    CREATE INDEX events_by_disposition  ON events(disposition)  WHERE disposition IS NOT NULL;
    CREATE INDEX events_by_read_point   ON events(read_point)   WHERE read_point IS NOT NULL;
    CREATE INDEX events_by_biz_location ON events(biz_location) WHERE biz_location IS NOT NULL;
    CREATE INDEX events_by_transformation ON events(transformation_id)
      WHERE transformation_id IS NOT NULL;
    CREATE TABLE event_ids_index(
      id   TEXT    NOT NULL,
      role INTEGER NOT NULL,
      seq  INTEGER NOT NULL,
      PRIMARY KEY (id, role, seq)) WITHOUT ROWID;
    )sql",
    R"sql(
    CREATE TABLE items(
      key    BLOB PRIMARY KEY,
      id     TEXT NOT NULL,
      parent BLOB,
      record BLOB NOT NULL) WITHOUT ROWID;
    CREATE INDEX items_by_parent ON items(parent) WHERE parent IS NOT NULL;
    CREATE TABLE alerts(
      seq      INTEGER PRIMARY KEY,
      kind     TEXT NOT NULL,
      item_key BLOB NOT NULL,
      item     TEXT NOT NULL,
      event_id TEXT NOT NULL,
      reason   TEXT NOT NULL);
    CREATE INDEX alerts_by_item ON alerts(item_key);
    )sql",
};

int64_t now_nanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Error io_error(sqlite3* db, const std::string& what) {
  return Error{Error::Kind::kIo, what + ": " + (db ? sqlite3_errmsg(db) : "no database"), -1};
}

// A prepared statement, finalised on scope exit.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) { rc_ = sqlite3_prepare_v2(db, sql.c_str(), -1, &s_, nullptr); }
  ~Statement() { sqlite3_finalize(s_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  bool ok() const { return rc_ == SQLITE_OK; }
  sqlite3_stmt* get() { return s_; }
  void bind(int i, int64_t v) { sqlite3_bind_int64(s_, i, v); }
  void bind(int i, const std::string& v) {
    if (v.empty()) sqlite3_bind_null(s_, i);
    else sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void bind_text(int i, const std::string& v) {  // never NULL, even when empty
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void bind_blob(int i, const std::string& v) {
    sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  int step() { return sqlite3_step(s_); }
  void reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }

 private:
  sqlite3_stmt* s_ = nullptr;
  int rc_ = SQLITE_ERROR;
};

// The item records of one capture, read and written through the capture's transaction.
class SqliteItemTable final : public ItemTable {
 public:
  explicit SqliteItemTable(sqlite3* db)
      : get_(db, "SELECT record FROM items WHERE key = ?1"),
        put_(db, "INSERT INTO items(key, id, parent, record) VALUES (?1,?2,?3,?4) "
                 "ON CONFLICT(key) DO UPDATE SET parent = excluded.parent, record = excluded.record"),
        children_(db, "SELECT id FROM items WHERE parent = ?1 ORDER BY key") {}
  bool ok() const { return get_.ok() && put_.ok() && children_.ok(); }
  bool failed() const { return failed_; }

  std::optional<std::string> get(const std::string& id) override {
    get_.bind_blob(1, index_key(id));
    std::optional<std::string> out;
    int rc = get_.step();
    if (rc == SQLITE_ROW) out = column_text(get_.get(), 0);
    else if (rc != SQLITE_DONE) failed_ = true;
    get_.reset();
    return out;
  }
  void put(const std::string& id, const std::string& parent, const std::string& record) override {
    put_.bind_blob(1, index_key(id));
    put_.bind_text(2, id);
    if (parent.empty()) sqlite3_bind_null(put_.get(), 3);
    else put_.bind_blob(3, index_key(parent));
    put_.bind_blob(4, record);
    if (put_.step() != SQLITE_DONE) failed_ = true;
    put_.reset();
  }
  std::vector<std::string> children_of(const std::string& parent) override {
    std::vector<std::string> out;
    children_.bind_blob(1, index_key(parent));
    int rc;
    while ((rc = children_.step()) == SQLITE_ROW) out.push_back(column_text(children_.get(), 0));
    if (rc != SQLITE_DONE) failed_ = true;
    children_.reset();
    return out;
  }
  static std::string column_text(sqlite3_stmt* s, int col) {
    const void* p = sqlite3_column_blob(s, col);
    return p ? std::string(static_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(s, col)))
             : std::string();
  }

 private:
  Statement get_, put_, children_;
  bool failed_ = false;
};

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(sqlite3* db) : db_(db) {}
  ~SqliteStore() override { sqlite3_close_v2(db_); }

  Result<void*> migrate(bool durable) {
    // 64 MiB of page cache: index pages of random keys stay in memory between captures.
    const char* pragmas =
        durable ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-65536;"
                : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;";
    if (sqlite3_exec(db_, pragmas, nullptr, nullptr, nullptr) != SQLITE_OK)
      return unexpected(io_error(db_, "setting WAL mode"));
    sqlite3_busy_timeout(db_, 10'000);
    int version = 0;
    {
      Statement s(db_, "PRAGMA user_version");
      if (!s.ok() || s.step() != SQLITE_ROW) return unexpected(io_error(db_, "reading schema version"));
      version = sqlite3_column_int(s.get(), 0);
    }
    constexpr int kLatest = static_cast<int>(std::size(kMigrations));
    if (version > kLatest)
      return unexpected(Error{Error::Kind::kCorrupt,
                              "database schema version " + std::to_string(version) +
                                  " is newer than this program's (" + std::to_string(kLatest) + ")",
                              -1});
    for (int v = version; v < kLatest; ++v) {
      std::string sql = std::string("BEGIN IMMEDIATE;") + kMigrations[v] +
                        "PRAGMA user_version=" + std::to_string(v + 1) + "; COMMIT;";
      if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
        Error e = io_error(db_, "migrating schema to version " + std::to_string(v + 1));
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        return unexpected(e);
      }
    }
    return nullptr;
  }

  Result<CaptureOutcome> capture(std::span<const epcis::Event> events,
                                 Projection* projection) override {
    std::lock_guard lock(write_mutex_);
    CaptureOutcome out;
    if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK)
      return unexpected(io_error(db_, "starting a capture"));
    auto fail = [&](Error e) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      return unexpected(std::move(e));
    };
    Statement find(db_, "SELECT seq FROM events WHERE event_id = ?1");
    Statement insert(db_,
                     "INSERT INTO events(event_id, type, event_time, record_time, action, "
                     "biz_step, disposition, read_point, biz_location, transformation_id, "
                     "error_declared, body) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12) "
                     "ON CONFLICT(event_id) DO NOTHING");
    Statement index(db_, "INSERT OR IGNORE INTO event_ids_index(id, role, seq) VALUES (?1,?2,?3)");
    if (!find.ok() || !insert.ok() || !index.ok()) return fail(io_error(db_, "preparing a capture"));
    std::optional<SqliteItemTable> items;
    Statement alert(db_, "INSERT INTO alerts(kind, item_key, item, event_id, reason) VALUES (?1,?2,?3,?4,?5)");
    if (projection != nullptr) {
      items.emplace(db_);
      if (!items->ok() || !alert.ok()) return fail(io_error(db_, "preparing item state"));
    }
    std::vector<AlertRecord> raised;
    const int64_t record_time = now_nanos();
    std::vector<std::tuple<std::string, int, int64_t>> rows;
    for (size_t i = 0; i < events.size(); ++i) {
      const epcis::Event& ev = events[i];
      if (ev.event_id.empty())
        return fail(Error{Error::Kind::kInvalidEvent, "event has no eventID", static_cast<long>(i)});
      epcis::Event stored = ev;
      if (!stored.record_time) stored.record_time = epcis::Timestamp{record_time, 0};
      insert.bind(1, ev.event_id);
      insert.bind(2, static_cast<int64_t>(ev.type));
      insert.bind(3, ev.event_time.unix_nanos);
      insert.bind(4, stored.record_time->unix_nanos);
      insert.bind(5, static_cast<int64_t>(ev.action));
      insert.bind(6, ev.biz_step);
      insert.bind(7, ev.disposition);
      insert.bind(8, ev.read_point);
      insert.bind(9, ev.biz_location);
      insert.bind(10, ev.transformation_id);
      insert.bind(11, ev.error_declaration ? 1 : 0);
      insert.bind_blob(12, encode_stored_event(stored));
      if (insert.step() != SQLITE_DONE) return fail(io_error(db_, "storing an event"));
      insert.reset();
      if (sqlite3_changes(db_) == 0) {  // EPCIS 2.0 §8.2.7: a duplicate is never stored twice
        find.bind(1, ev.event_id);
        if (find.step() != SQLITE_ROW) return fail(io_error(db_, "reading a duplicate"));
        out.sequence.push_back(sqlite3_column_int64(find.get(), 0));
        find.reset();
        ++out.duplicates;
        continue;
      }
      int64_t seq = sqlite3_last_insert_rowid(db_);
      out.sequence.push_back(seq);
      ++out.accepted;
      if (projection != nullptr) {
        projection->apply(stored, *items, raised);
        if (items->failed()) return fail(io_error(db_, "updating item state"));
      }
      for (const auto& e : ev.epc_list) rows.emplace_back(index_key(e), kEpc, seq);
      if (!ev.parent_id.empty()) rows.emplace_back(index_key(ev.parent_id), kParent, seq);
      for (const auto& e : ev.input_epc_list) rows.emplace_back(index_key(e), kInput, seq);
      for (const auto& e : ev.output_epc_list) rows.emplace_back(index_key(e), kOutput, seq);
    }
    for (const auto& a : raised) {
      alert.bind_text(1, a.kind);
      alert.bind_blob(2, index_key(a.item));
      alert.bind_text(3, a.item);
      alert.bind_text(4, a.event_id);
      alert.bind_text(5, a.reason);
      bool ok = alert.step() == SQLITE_DONE;
      alert.reset();
      if (!ok) return fail(io_error(db_, "storing an alert"));
    }
    // Inserting the identifier index in key order touches each B-tree page once.
    std::sort(rows.begin(), rows.end());
    for (const auto& [key, role, seq] : rows) {
      index.bind_blob(1, key);
      index.bind(2, static_cast<int64_t>(role));
      index.bind(3, seq);
      bool ok = index.step() == SQLITE_DONE;
      index.reset();
      if (!ok) return fail(io_error(db_, "indexing an event"));
    }
    if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
      return fail(io_error(db_, "committing a capture"));
    return out;
  }

  Result<bool> declare_error(const std::string& event_id, const epcis::ErrorDeclaration& declaration,
                             Projection* projection) override {
    std::lock_guard lock(write_mutex_);
    if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK)
      return unexpected(io_error(db_, "starting an error declaration"));
    auto fail = [&](Error e) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      return unexpected(std::move(e));
    };
    epcis::Event ev;
    {
      Statement find(db_, "SELECT seq, body FROM events WHERE event_id = ?1");
      if (!find.ok()) return fail(io_error(db_, "reading an event"));
      find.bind(1, event_id);
      int rc = find.step();
      if (rc == SQLITE_DONE) {
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        return false;
      }
      if (rc != SQLITE_ROW) return fail(io_error(db_, "reading an event"));
      auto stored = row_event(find.get());
      if (!stored) return fail(std::move(stored).error());
      ev = std::move(stored->event);
    }
    ev.error_declaration = declaration;
    {
      Statement update(db_, "UPDATE events SET error_declared = 1, body = ?2 WHERE event_id = ?1");
      if (!update.ok()) return fail(io_error(db_, "marking an event erroneous"));
      update.bind(1, event_id);
      update.bind_blob(2, encode_stored_event(ev));
      if (update.step() != SQLITE_DONE) return fail(io_error(db_, "marking an event erroneous"));
    }
    if (projection == nullptr) {
      if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
        return fail(io_error(db_, "committing an error declaration"));
      return true;
    }
    // The items the erroneous event named are rebuilt from their other events.
    std::vector<std::string> affected = ev.epc_list;
    if (!ev.parent_id.empty()) affected.push_back(ev.parent_id);
    affected.insert(affected.end(), ev.input_epc_list.begin(), ev.input_epc_list.end());
    affected.insert(affected.end(), ev.output_epc_list.begin(), ev.output_epc_list.end());
    std::set<std::string> keys;
    for (const auto& id : affected) keys.insert(index_key(id));
    {
      Statement erase(db_, "DELETE FROM items WHERE key = ?1");
      if (!erase.ok()) return fail(io_error(db_, "resetting item state"));
      for (const auto& k : keys) {
        erase.bind_blob(1, k);
        if (erase.step() != SQLITE_DONE) return fail(io_error(db_, "resetting item state"));
        erase.reset();
      }
    }
    std::string sql =
        "SELECT seq, body FROM events WHERE error_declared = 0 AND seq IN "
        "(SELECT seq FROM event_ids_index WHERE id IN (";
    for (size_t i = 0; i < keys.size(); ++i) sql += i ? ",?" : "?";
    sql += ")) ORDER BY event_time, seq";
    Statement replay(db_, sql);
    if (!replay.ok()) return fail(io_error(db_, "reading events to replay"));
    int p = 1;
    for (const auto& k : keys) replay.bind_blob(p++, k);
    SqliteItemTable table(db_);
    if (!table.ok()) return fail(io_error(db_, "preparing item state"));
    // Only the affected items are rewritten; the replayed events' other items keep
    // the state they have, and alerts are not raised a second time.
    class Restricted final : public ItemTable {
     public:
      Restricted(ItemTable& t, const std::set<std::string>& keys) : t_(t), keys_(keys) {}
      std::optional<std::string> get(const std::string& id) override { return t_.get(id); }
      void put(const std::string& id, const std::string& parent, const std::string& rec) override {
        if (keys_.count(index_key(id))) t_.put(id, parent, rec);
      }
      std::vector<std::string> children_of(const std::string& parent) override {
        return t_.children_of(parent);
      }

     private:
      ItemTable& t_;
      const std::set<std::string>& keys_;
    } restricted(table, keys);
    std::vector<AlertRecord> discarded;
    int rc;
    while ((rc = replay.step()) == SQLITE_ROW) {
      auto stored = row_event(replay.get());
      if (!stored) return fail(std::move(stored).error());
      projection->apply(stored->event, restricted, discarded);
      if (table.failed()) return fail(io_error(db_, "rebuilding item state"));
    }
    if (rc != SQLITE_DONE) return fail(io_error(db_, "replaying events"));
    if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
      return fail(io_error(db_, "committing an error declaration"));
    return true;
  }

  Result<std::optional<StoredEvent>> event(const std::string& event_id) override {
    Statement s(db_, "SELECT seq, body FROM events WHERE event_id = ?1");
    if (!s.ok()) return unexpected(io_error(db_, "reading an event"));
    s.bind(1, event_id);
    int rc = s.step();
    if (rc == SQLITE_DONE) return std::optional<StoredEvent>();
    if (rc != SQLITE_ROW) return unexpected(io_error(db_, "reading an event"));
    auto ev = row_event(s.get());
    if (!ev) return unexpected(std::move(ev).error());
    return std::optional<StoredEvent>(std::move(*ev));
  }

  Result<QueryPage> query(const EventQuery& q) override {
    std::string sql = "SELECT seq, body FROM events WHERE seq > ?";
    std::vector<std::string> text_args;
    std::vector<int64_t> int_args{q.after_sequence};
    std::vector<bool> is_text{false};
    std::set<size_t> is_blob;  // index keys are bound as blobs
    auto in_text = [&](const char* column, const std::vector<std::string>& values) {
      if (values.empty()) return;
      sql += std::string(" AND ") + column + " IN (";
      for (size_t i = 0; i < values.size(); ++i) {
        sql += i ? ",?" : "?";
        text_args.push_back(values[i]);
        is_text.push_back(true);
      }
      sql += ")";
    };
    auto in_int = [&](const char* column, const std::vector<int64_t>& values) {
      if (values.empty()) return;
      sql += std::string(" AND ") + column + " IN (";
      for (size_t i = 0; i < values.size(); ++i) {
        sql += i ? ",?" : "?";
        int_args.push_back(values[i]);
        is_text.push_back(false);
      }
      sql += ")";
    };
    auto cmp = [&](const char* column, const char* op, const std::optional<int64_t>& v) {
      if (!v) return;
      sql += std::string(" AND ") + column + " " + op + " ?";
      int_args.push_back(*v);
      is_text.push_back(false);
    };
    std::vector<int64_t> types, actions;
    for (auto t : q.event_types) types.push_back(static_cast<int64_t>(t));
    for (auto a : q.actions) actions.push_back(static_cast<int64_t>(a));
    in_int("type", types);
    in_int("action", actions);
    cmp("event_time", ">=", q.ge_event_time);
    cmp("event_time", "<", q.lt_event_time);
    cmp("record_time", ">=", q.ge_record_time);
    cmp("record_time", "<", q.lt_record_time);
    in_text("biz_step", q.biz_steps);
    in_text("disposition", q.dispositions);
    in_text("read_point", q.read_points);
    in_text("biz_location", q.biz_locations);
    in_text("event_id", q.event_ids);
    in_text("transformation_id", q.transformation_ids);
    if (q.exists_error_declaration)
      sql += *q.exists_error_declaration ? " AND error_declared = 1" : " AND error_declared = 0";
    auto match = [&](const std::vector<std::string>& ids, std::vector<int64_t> roles) {
      if (ids.empty()) return;
      sql += " AND seq IN (SELECT seq FROM event_ids_index WHERE id IN (";
      for (size_t i = 0; i < ids.size(); ++i) {
        sql += i ? ",?" : "?";
        text_args.push_back(index_key(ids[i]));
        is_text.push_back(true);
        is_blob.insert(is_text.size() - 1);
      }
      sql += ") AND role IN (";
      for (size_t i = 0; i < roles.size(); ++i) {
        sql += i ? ",?" : "?";
        int_args.push_back(roles[i]);
        is_text.push_back(false);
      }
      sql += "))";
    };
    match(q.match_epc, {kEpc});
    match(q.match_parent_id, {kParent});
    match(q.match_input_epc, {kInput});
    match(q.match_output_epc, {kOutput});
    match(q.match_any_epc, {kEpc, kParent, kInput, kOutput});
    sql += " ORDER BY seq LIMIT ?";
    int_args.push_back(static_cast<int64_t>(q.limit) + 1);
    is_text.push_back(false);

    Statement s(db_, sql);
    if (!s.ok()) return unexpected(io_error(db_, "preparing a query"));
    size_t ti = 0, ii = 0;
    for (size_t p = 0; p < is_text.size(); ++p) {
      if (is_text[p] && is_blob.count(p)) s.bind_blob(static_cast<int>(p + 1), text_args[ti++]);
      else if (is_text[p]) s.bind(static_cast<int>(p + 1), text_args[ti++]);
      else s.bind(static_cast<int>(p + 1), int_args[ii++]);
    }
    QueryPage page;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
      if (page.events.size() == q.limit) {
        page.next_after = page.events.back().sequence;
        break;
      }
      auto ev = row_event(s.get());
      if (!ev) return unexpected(std::move(ev).error());
      page.events.push_back(std::move(*ev));
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return unexpected(io_error(db_, "running a query"));
    return page;
  }

  Result<std::optional<std::string>> item(const std::string& id) override {
    Statement s(db_, "SELECT record FROM items WHERE key = ?1");
    if (!s.ok()) return unexpected(io_error(db_, "reading an item"));
    s.bind_blob(1, index_key(id));
    int rc = s.step();
    if (rc == SQLITE_DONE) return std::optional<std::string>();
    if (rc != SQLITE_ROW) return unexpected(io_error(db_, "reading an item"));
    return std::optional<std::string>(SqliteItemTable::column_text(s.get(), 0));
  }

  Result<std::vector<std::string>> children(const std::string& parent) override {
    Statement s(db_, "SELECT id FROM items WHERE parent = ?1 ORDER BY key");
    if (!s.ok()) return unexpected(io_error(db_, "reading children"));
    s.bind_blob(1, index_key(parent));
    std::vector<std::string> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back(SqliteItemTable::column_text(s.get(), 0));
    if (rc != SQLITE_DONE) return unexpected(io_error(db_, "reading children"));
    return out;
  }

  Result<std::vector<AlertRecord>> alerts(const std::string& id, size_t limit) override {
    Statement s(db_, id.empty() ? "SELECT seq, kind, item, event_id, reason FROM alerts ORDER BY seq LIMIT ?1"
                                : "SELECT seq, kind, item, event_id, reason FROM alerts WHERE item_key = ?2 "
                                  "ORDER BY seq LIMIT ?1");
    if (!s.ok()) return unexpected(io_error(db_, "reading alerts"));
    s.bind(1, static_cast<int64_t>(limit));
    if (!id.empty()) s.bind_blob(2, index_key(id));
    std::vector<AlertRecord> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
      AlertRecord a;
      a.sequence = sqlite3_column_int64(s.get(), 0);
      a.kind = SqliteItemTable::column_text(s.get(), 1);
      a.item = SqliteItemTable::column_text(s.get(), 2);
      a.event_id = SqliteItemTable::column_text(s.get(), 3);
      a.reason = SqliteItemTable::column_text(s.get(), 4);
      out.push_back(std::move(a));
    }
    if (rc != SQLITE_DONE) return unexpected(io_error(db_, "reading alerts"));
    return out;
  }

  Result<int64_t> event_count() override {
    Statement s(db_, "SELECT count(*) FROM events");
    if (!s.ok() || s.step() != SQLITE_ROW) return unexpected(io_error(db_, "counting events"));
    return sqlite3_column_int64(s.get(), 0);
  }

 private:
  Result<StoredEvent> row_event(sqlite3_stmt* s) {
    StoredEvent out;
    out.sequence = sqlite3_column_int64(s, 0);
    std::string_view body(static_cast<const char*>(sqlite3_column_blob(s, 1)),
                          static_cast<size_t>(sqlite3_column_bytes(s, 1)));
    auto ev = decode_stored_event(body);
    if (!ev)
      return unexpected(Error{Error::Kind::kCorrupt,
                              "stored event " + std::to_string(out.sequence) + " cannot be read",
                              -1});
    out.event = std::move(*ev);
    return out;
  }

  sqlite3* db_;
  std::mutex write_mutex_;
};

}  // namespace

Result<std::unique_ptr<Store>> open_sqlite(const std::string& path, const SqliteOptions& options) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    Error e = io_error(db, "opening " + path);
    sqlite3_close_v2(db);
    return unexpected(std::move(e));
  }
  auto store = std::make_unique<SqliteStore>(db);
  if (auto m = store->migrate(options.durable); !m) return unexpected(std::move(m).error());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace serialtrack::store

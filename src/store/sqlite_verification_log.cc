// The verification log in SQLite: a connection of its own to the event store's file
// (WAL lets it write beside the store), one table verification_log keyed by
// (item, seq) so that a pack's records are one range scan, latest first, and so that
// the table can be distributed by item key (DESIGN.md "Scale").
#include <sqlite3.h>

#include <condition_variable>
#include <mutex>
#include <optional>
#include <vector>

#include "store/verification_log.h"
#include "store/sqlite_wal.h"

namespace serialtrack::store {
namespace {

// Entry i brings verification_meta's schema_version i to i + 1.
constexpr const char* kMigrations[] = {
    R"sql(
    CREATE TABLE verification_log(
      seq      INTEGER PRIMARY KEY,
      time     INTEGER NOT NULL,
      item     TEXT NOT NULL,
      client   TEXT NOT NULL,
      party    TEXT NOT NULL,
      location TEXT NOT NULL,
      action   TEXT NOT NULL,
      status   TEXT NOT NULL,
      alert    TEXT NOT NULL);
    CREATE INDEX verification_log_by_item ON verification_log(item, seq);
    )sql",
};

Error io(sqlite3* db, const std::string& what) {
  return Error{Error::Kind::kIo, what + ": " + (db ? sqlite3_errmsg(db) : "no database"), -1};
}

std::string column(sqlite3_stmt* s, int i) {
  const unsigned char* p = sqlite3_column_text(s, i);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<size_t>(sqlite3_column_bytes(s, i)))
           : std::string();
}

void bind(sqlite3_stmt* s, int i, const std::string& v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}

class SqliteVerificationLog final : public VerificationLog {
 public:
  explicit SqliteVerificationLog(sqlite3* db) : db_(db) {}
  ~SqliteVerificationLog() override {
    sqlite3_finalize(append_);
    sqlite3_finalize(of_item_);
    sqlite3_close_v2(db_);
  }

  Result<bool> open() {
    // synchronous=FULL, like the event store: an answered verification is on disk.
    if (use_wal(db_) != SQLITE_OK)
      return unexpected(io(db_, "setting WAL mode"));
    if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK)
      return unexpected(io(db_, "starting the verification log migration"));
    auto migrated = migrate();
    if (!migrated) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      return migrated;
    }
    if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
      return unexpected(io(db_, "committing the verification log migration"));
    if (sqlite3_prepare_v2(db_,
                           "INSERT INTO verification_log(time, item, client, party, location, "
                           "action, status, alert) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                           -1, &append_, nullptr) != SQLITE_OK ||
        sqlite3_prepare_v2(db_,
                           "SELECT time, item, client, party, location, action, status, alert "
                           "FROM verification_log WHERE item = ?1 ORDER BY seq DESC LIMIT ?2",
                           -1, &of_item_, nullptr) != SQLITE_OK)
      return unexpected(io(db_, "preparing the verification log statements"));
    return true;
  }

  // Group commit: a verification is answered only once its record is committed
  // (synchronous=FULL, one fsync per commit). A lone caller commits its own record; while
  // one commit is in flight, the records of concurrent callers queue up and the next
  // of them to run commits them all in one transaction (one fsync for the batch). The
  // fsync measured 0.2 ms on a quiet machine (DESIGN.md "Costs") but 1.5-4 ms with the
  // machine busy (bench/verify_bench.cc), so batching is what keeps p99 low under load.
  Result<int64_t> append(const VerificationRecord& r) override {
    Waiter me;
    me.record = &r;
    std::unique_lock lock(queue_mutex_);
    queue_.push_back(&me);
    while (!me.done) {
      if (committing_) {
        committed_.wait(lock);
        continue;
      }
      committing_ = true;
      std::vector<Waiter*> batch;
      batch.swap(queue_);
      lock.unlock();
      commit_batch(batch);
      lock.lock();
      committing_ = false;
      committed_.notify_all();
    }
    if (me.error) return unexpected(std::move(*me.error));
    return me.sequence;
  }

  Result<std::vector<VerificationRecord>> of_item(const std::string& item, size_t limit) override {
    std::lock_guard lock(db_mutex_);
    sqlite3_reset(of_item_);
    bind(of_item_, 1, item);
    sqlite3_bind_int64(of_item_, 2, static_cast<sqlite3_int64>(limit));
    std::vector<VerificationRecord> out;
    int rc;
    while ((rc = sqlite3_step(of_item_)) == SQLITE_ROW) {
      VerificationRecord r;
      r.time_unix_nanos = sqlite3_column_int64(of_item_, 0);
      r.item = column(of_item_, 1);
      r.client = column(of_item_, 2);
      r.party = column(of_item_, 3);
      r.location = column(of_item_, 4);
      r.action = column(of_item_, 5);
      r.status = column(of_item_, 6);
      r.alert = column(of_item_, 7);
      out.push_back(std::move(r));
    }
    sqlite3_reset(of_item_);
    if (rc != SQLITE_DONE) return unexpected(io(db_, "reading the verification log"));
    return out;
  }

 private:
  // Inside a transaction.
  Result<bool> migrate() {
    if (sqlite3_exec(db_,
                     "CREATE TABLE IF NOT EXISTS verification_meta(key TEXT PRIMARY KEY, "
                     "value INTEGER NOT NULL)",
                     nullptr, nullptr, nullptr) != SQLITE_OK)
      return unexpected(io(db_, "creating verification_meta"));
    int version = 0;
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db_, "SELECT value FROM verification_meta WHERE key = 'schema_version'", -1,
                       &s, nullptr);
    if (s && sqlite3_step(s) == SQLITE_ROW) version = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    constexpr int kLatest = static_cast<int>(std::size(kMigrations));
    if (version > kLatest)
      return unexpected(Error{Error::Kind::kCorrupt,
                              "verification log schema version " + std::to_string(version) +
                                  " is newer than this program's (" + std::to_string(kLatest) + ")",
                              -1});
    for (int v = version; v < kLatest; ++v)
      if (sqlite3_exec(db_, kMigrations[v], nullptr, nullptr, nullptr) != SQLITE_OK)
        return unexpected(
            io(db_, "migrating the verification log to version " + std::to_string(v + 1)));
    std::string record = "INSERT INTO verification_meta VALUES ('schema_version', " +
                         std::to_string(kLatest) +
                         ") ON CONFLICT(key) DO UPDATE SET value = excluded.value";
    if (sqlite3_exec(db_, record.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
      return unexpected(io(db_, "recording the verification log schema version"));
    return true;
  }

  struct Waiter {
    const VerificationRecord* record = nullptr;
    bool done = false;
    int64_t sequence = 0;
    std::optional<Error> error;
  };

  // Writes the records in one transaction; every waiter gets its sequence, or the
  // error, and done (read under queue_mutex_ after this returns).
  void commit_batch(const std::vector<Waiter*>& batch) {
    std::lock_guard lock(db_mutex_);
    std::optional<Error> failed;
    bool single = batch.size() == 1;  // autocommit: no BEGIN / COMMIT round trips
    if (!single && sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK)
      failed = io(db_, "starting a verification log batch");
    for (size_t i = 0; i < batch.size() && !failed; ++i) {
      const VerificationRecord& r = *batch[i]->record;
      sqlite3_reset(append_);
      sqlite3_bind_int64(append_, 1, r.time_unix_nanos);
      bind(append_, 2, r.item);
      bind(append_, 3, r.client);
      bind(append_, 4, r.party);
      bind(append_, 5, r.location);
      bind(append_, 6, r.action);
      bind(append_, 7, r.status);
      bind(append_, 8, r.alert);
      int rc = sqlite3_step(append_);
      sqlite3_reset(append_);
      if (rc != SQLITE_DONE) failed = io(db_, "appending to the verification log");
      batch[i]->sequence = static_cast<int64_t>(sqlite3_last_insert_rowid(db_));
    }
    if (!single) {
      if (!failed && sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
        failed = io(db_, "committing a verification log batch");
      if (failed) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    std::lock_guard queue(queue_mutex_);
    for (Waiter* w : batch) {
      w->error = failed;
      w->done = true;
    }
  }

  sqlite3* db_;
  sqlite3_stmt* append_ = nullptr;
  sqlite3_stmt* of_item_ = nullptr;
  std::mutex db_mutex_;     // the connection and its statements
  std::mutex queue_mutex_;  // queue_, committing_, and the waiters' results
  std::condition_variable committed_;
  std::vector<Waiter*> queue_;
  bool committing_ = false;
};

}  // namespace

Result<std::unique_ptr<VerificationLog>> open_sqlite_verification_log(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    Error e = io(db, "opening " + path);
    sqlite3_close_v2(db);
    return unexpected(e);
  }
  auto log = std::make_unique<SqliteVerificationLog>(db);
  auto opened = log->open();
  if (!opened) return unexpected(std::move(opened).error());
  return std::unique_ptr<VerificationLog>(std::move(log));
}

}  // namespace serialtrack::store

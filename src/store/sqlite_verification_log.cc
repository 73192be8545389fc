// The verification log in SQLite: a connection of its own to the event store's file
// (WAL lets it write beside the store), one table verification_log keyed by
// (item, seq) so that a pack's records are one range scan, latest first, and so that
// the table can be distributed by item key (DESIGN.md "Scale").
#include <sqlite3.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "store/sqlite_wal.h"
#include "store/verification_log.h"

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

bool exec(sqlite3* db, const char* sql) {
  return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
}

// Sequence numbers are reserved in blocks (verification_meta 'next_seq'), so that records
// are numbered when appended, before their commit, and two processes never share one.
// While a capture holds the file's write lock no batch commits, so no next block is
// reserved: a block lasts that long (65,536: ~4 s at 16k verifications/s; with 4,096,
// verifications stalled ~0.5 s into a long capture until it committed).
constexpr int64_t kSequenceBlock = 65536;
// A batch is committed early when this many records wait.
constexpr size_t kFullBatch = 4096;
// After a failed commit, the next attempt waits this long.
constexpr auto kRetryPause = std::chrono::milliseconds(100);

class SqliteVerificationLog final : public VerificationLog {
 public:
  SqliteVerificationLog(sqlite3* db, const VerificationLogOptions& options)
      : db_(db), delay_(options.max_commit_delay) {}
  ~SqliteVerificationLog() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    work_.notify_all();
    if (writer_.joinable()) writer_.join();
    release_unused_sequences();
    sqlite3_finalize(append_);
    sqlite3_finalize(of_item_);
    sqlite3_close_v2(db_);
  }

  Result<bool> open() {
    // synchronous=FULL, like the event store: a committed batch is on disk.
    if (use_wal(db_) != SQLITE_OK) return unexpected(io(db_, "setting WAL mode"));
    if (!exec(db_, "BEGIN IMMEDIATE"))
      return unexpected(io(db_, "starting the verification log migration"));
    auto migrated = migrate();
    if (!migrated) {
      exec(db_, "ROLLBACK");
      return migrated;
    }
    // The first block of numbers in the same transaction: the first append does no I/O
    // (it waited for the file's write lock, behind any capture in flight).
    const int64_t first = reserve_block();
    if (first == 0) {
      Error e = io(db_, "reserving verification log sequence numbers");
      exec(db_, "ROLLBACK");
      return unexpected(std::move(e));
    }
    {
      std::lock_guard lock(mutex_);
      start_block(first);
    }
    if (!exec(db_, "COMMIT"))
      return unexpected(io(db_, "committing the verification log migration"));
    if (sqlite3_prepare_v2(db_,
                           "INSERT INTO verification_log(seq, time, item, client, party, "
                           "location, action, status, alert) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                           -1, &append_, nullptr) != SQLITE_OK ||
        sqlite3_prepare_v2(db_,
                           "SELECT seq, time, item, client, party, location, action, status, "
                           "alert FROM verification_log WHERE item = ?1 "
                           "ORDER BY time DESC, seq DESC LIMIT ?2",
                           -1, &of_item_, nullptr) != SQLITE_OK)
      return unexpected(io(db_, "preparing the verification log statements"));
    writer_ = std::thread([this] { write_queued(); });
    return true;
  }

  // The record is numbered and queued; the writer thread commits the queue (one
  // transaction, one fsync) when its oldest record has waited delay_. With no delay the
  // caller waits for that commit, and concurrent callers share it.
  Result<int64_t> append(const VerificationRecord& r) override {
    std::unique_lock lock(mutex_);
    if (failure_) return unexpected(*failure_);
    if (next_seq_ == block_end_) {
      if (spare_first_ != 0) {  // reserved ahead by the writer: no I/O here
        start_block(spare_first_);
        spare_first_ = 0;
      } else if (auto reserved = reserve_sequences(); !reserved) {
        return unexpected(std::move(reserved).error());
      }
    }
    Outcome outcome;
    const int64_t seq = next_seq_++;
    const bool first = queue_.empty();
    if (first) oldest_ = std::chrono::steady_clock::now();
    queue_.push_back(Queued{seq, r, delay_.count() == 0 ? &outcome : nullptr});
    // The writer sleeps until the first record comes, then until its delay has passed:
    // woken for every record it would only go back to sleep (a context switch each).
    if (first || delay_.count() == 0 || queue_.size() == kFullBatch) work_.notify_one();
    if (delay_.count() != 0) return seq;
    committed_.wait(lock, [&] { return outcome.done; });
    if (outcome.error) return unexpected(std::move(*outcome.error));
    return seq;
  }

  Result<std::vector<VerificationRecord>> of_item(const std::string& item, size_t limit) override {
    std::vector<Numbered> rows;
    {
      std::lock_guard lock(mutex_);  // the records not committed yet
      auto pending = [&](const auto& list) {
        for (const Queued& q : list)
          if (q.record.item == item) rows.push_back({q.sequence, q.record});
      };
      pending(committing_);
      pending(queue_);
    }
    {
      std::lock_guard lock(db_mutex_);
      sqlite3_reset(of_item_);
      bind(of_item_, 1, item);
      sqlite3_bind_int64(of_item_, 2, static_cast<sqlite3_int64>(limit));
      int rc;
      while ((rc = sqlite3_step(of_item_)) == SQLITE_ROW) {
        Numbered n;
        n.sequence = sqlite3_column_int64(of_item_, 0);
        VerificationRecord& r = n.record;
        r.time_unix_nanos = sqlite3_column_int64(of_item_, 1);
        r.item = column(of_item_, 2);
        r.client = column(of_item_, 3);
        r.party = column(of_item_, 4);
        r.location = column(of_item_, 5);
        r.action = column(of_item_, 6);
        r.status = column(of_item_, 7);
        r.alert = column(of_item_, 8);
        rows.push_back(std::move(n));
      }
      sqlite3_reset(of_item_);
      if (rc != SQLITE_DONE) return unexpected(io(db_, "reading the verification log"));
    }
    // A record committed between the two reads is in both.
    std::sort(rows.begin(), rows.end(), [](const Numbered& a, const Numbered& b) {
      if (a.record.time_unix_nanos != b.record.time_unix_nanos)
        return a.record.time_unix_nanos > b.record.time_unix_nanos;
      return a.sequence > b.sequence;
    });
    rows.erase(
        std::unique(rows.begin(), rows.end(),
                    [](const Numbered& a, const Numbered& b) { return a.sequence == b.sequence; }),
        rows.end());
    std::vector<VerificationRecord> out;
    for (size_t i = 0; i < rows.size() && i < limit; ++i) out.push_back(std::move(rows[i].record));
    return out;
  }

  Result<bool> flush() override {
    std::unique_lock lock(mutex_);
    if (delay_.count() == 0) return true;  // every append waited for its commit
    const int64_t last = next_seq_ - 1;
    // The first attempt that starts after this call commits everything queued now.
    const int64_t attempt = attempts_ + (committing_.empty() ? 1 : 2);
    ++flushes_;
    work_.notify_one();
    committed_.wait(lock, [&] { return committed_through_ >= last || attempts_ >= attempt; });
    --flushes_;
    if (committed_through_ >= last) return true;
    return unexpected(failure_.value_or(Error{Error::Kind::kIo, "the log is closing", -1}));
  }

 private:
  struct Outcome {  // of a waiting append (no delay)
    bool done = false;
    std::optional<Error> error;
  };
  struct Queued {
    int64_t sequence = 0;
    VerificationRecord record;
    Outcome* outcome = nullptr;  // null when nobody waits
  };
  struct Numbered {
    int64_t sequence = 0;
    VerificationRecord record;
  };

  // Inside a transaction.
  Result<bool> migrate() {
    if (!exec(db_,
              "CREATE TABLE IF NOT EXISTS verification_meta(key TEXT PRIMARY KEY, "
              "value INTEGER NOT NULL)"))
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
      if (!exec(db_, kMigrations[v]))
        return unexpected(
            io(db_, "migrating the verification log to version " + std::to_string(v + 1)));
    std::string record = "INSERT INTO verification_meta VALUES ('schema_version', " +
                         std::to_string(kLatest) +
                         ") ON CONFLICT(key) DO UPDATE SET value = excluded.value";
    if (!exec(db_, record.c_str()))
      return unexpected(io(db_, "recording the verification log schema version"));
    return true;
  }

  // Inside a transaction: reserves the next block of sequence numbers (after every
  // number reserved or used by any process); its first number, 0 when that fails.
  int64_t reserve_block() {
    sqlite3_stmt* s = nullptr;
    int64_t first = 0;
    bool ok = sqlite3_prepare_v2(db_,
                                 "SELECT max(coalesce((SELECT value FROM verification_meta "
                                 "WHERE key = 'next_seq'), 1), "
                                 "coalesce((SELECT max(seq) FROM verification_log), 0) + 1)",
                                 -1, &s, nullptr) == SQLITE_OK &&
              sqlite3_step(s) == SQLITE_ROW;
    if (ok) first = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    std::string record = "INSERT INTO verification_meta VALUES ('next_seq', " +
                         std::to_string(first + kSequenceBlock) +
                         ") ON CONFLICT(key) DO UPDATE SET value = excluded.value";
    return ok && exec(db_, record.c_str()) ? first : 0;
  }

  // Reserves a block in its own transaction, when the writer has none ready (at open,
  // or when appends outran its batches). Called with mutex_ held.
  Result<bool> reserve_sequences() {
    std::lock_guard lock(db_mutex_);
    if (!exec(db_, "BEGIN IMMEDIATE"))
      return unexpected(io(db_, "reserving verification log sequence numbers"));
    int64_t first = reserve_block();
    if (first == 0 || !exec(db_, "COMMIT")) {
      Error e = io(db_, "reserving verification log sequence numbers");
      exec(db_, "ROLLBACK");
      return unexpected(std::move(e));
    }
    start_block(first);
    return true;
  }

  // Appends take their numbers from the block that starts at first. mutex_ held.
  void start_block(int64_t first) {
    next_seq_ = first;
    block_end_ = first + kSequenceBlock;
  }

  // On close: the numbers of this process's blocks it did not use go back, unless
  // another process has reserved after them.
  void release_unused_sequences() {
    const int64_t reserved_end = spare_first_ != 0 ? spare_first_ + kSequenceBlock : block_end_;
    if (next_seq_ == reserved_end) return;
    std::string sql = "UPDATE verification_meta SET value = " + std::to_string(next_seq_) +
                      " WHERE key = 'next_seq' AND value = " + std::to_string(reserved_end);
    exec(db_, sql.c_str());
  }

  // The writer thread: commits the queue in batches until the log closes.
  void write_queued() {
    std::unique_lock lock(mutex_);
    for (;;) {
      work_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      // Group commit: let the records of the next delay_ join this batch.
      work_.wait_until(lock, oldest_ + delay_,
                       [&] { return stopping_ || flushes_ > 0 || queue_.size() >= kFullBatch; });
      committing_.assign(std::make_move_iterator(queue_.begin()),
                         std::make_move_iterator(queue_.end()));
      queue_.clear();
      // The next block is reserved in this batch's transaction, before appends need it:
      // an append that had to reserve one would hold every appender while it waits for
      // this commit and then for its own.
      int64_t spare = 0;
      const bool reserve = spare_first_ == 0;
      lock.unlock();
      std::optional<Error> failed =
          commit(committing_, reserve ? &spare : nullptr);  // of_item reads committing_
      lock.lock();
      ++attempts_;
      if (!failed) {
        committed_through_ = committing_.back().sequence;
        failure_.reset();
        // A block an append reserved meanwhile comes after it: then it is left unused.
        if (reserve && spare >= block_end_) spare_first_ = spare;
      }
      if (!failed || delay_.count() == 0 || stopping_) {
        for (Queued& q : committing_)
          if (q.outcome) {
            q.outcome->error = failed;
            q.outcome->done = true;
          }
        committing_.clear();
      } else {
        // Answered records are not dropped: retried, and appends refused until then.
        failure_ = failed;
        queue_.insert(queue_.begin(), std::make_move_iterator(committing_.begin()),
                      std::make_move_iterator(committing_.end()));
        committing_.clear();
        oldest_ = std::chrono::steady_clock::now() + kRetryPause - delay_;
      }
      committed_.notify_all();
    }
  }

  // Writes the records in one transaction and, when spare is given, reserves the next
  // block of sequence numbers in it (*spare: its first number); the error when it fails
  // (nothing written).
  std::optional<Error> commit(const std::vector<Queued>& batch, int64_t* spare) {
    std::lock_guard lock(db_mutex_);
    if (!exec(db_, "BEGIN IMMEDIATE")) return io(db_, "starting a verification log batch");
    if (spare && (*spare = reserve_block()) == 0) {
      Error e = io(db_, "reserving verification log sequence numbers");
      exec(db_, "ROLLBACK");
      return e;
    }
    for (const Queued& q : batch) {
      const VerificationRecord& r = q.record;
      sqlite3_reset(append_);
      sqlite3_bind_int64(append_, 1, q.sequence);
      sqlite3_bind_int64(append_, 2, r.time_unix_nanos);
      bind(append_, 3, r.item);
      bind(append_, 4, r.client);
      bind(append_, 5, r.party);
      bind(append_, 6, r.location);
      bind(append_, 7, r.action);
      bind(append_, 8, r.status);
      bind(append_, 9, r.alert);
      int rc = sqlite3_step(append_);
      sqlite3_reset(append_);
      if (rc != SQLITE_DONE) {
        Error e = io(db_, "appending to the verification log");
        exec(db_, "ROLLBACK");
        return e;
      }
    }
    if (!exec(db_, "COMMIT")) {
      Error e = io(db_, "committing a verification log batch");
      exec(db_, "ROLLBACK");
      return e;
    }
    return std::nullopt;
  }

  sqlite3* db_;
  const std::chrono::milliseconds delay_;
  sqlite3_stmt* append_ = nullptr;
  sqlite3_stmt* of_item_ = nullptr;
  std::mutex db_mutex_;  // the connection and its statements; taken after mutex_, never before
  std::mutex mutex_;     // everything below
  std::condition_variable work_;       // to the writer: records queued, flush, stop
  std::condition_variable committed_;  // from the writer: an attempt ended
  std::deque<Queued> queue_;           // appended, not yet being committed, in sequence order
  std::vector<Queued> committing_;     // the batch being committed
  std::chrono::steady_clock::time_point oldest_;  // when queue_'s first record came
  int64_t next_seq_ = 0, block_end_ = 0;          // the reserved numbers not used yet
  int64_t spare_first_ = 0;  // the next block, reserved by the writer; 0 when none
  int64_t committed_through_ = 0;                 // every record up to it is committed
  int64_t attempts_ = 0;                          // commit attempts ended
  int flushes_ = 0;                               // flush() calls waiting
  std::optional<Error> failure_;                  // the last commit failed (with delay)
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace

Result<std::unique_ptr<VerificationLog>> open_sqlite_verification_log(
    const std::string& path, const VerificationLogOptions& options) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    Error e = io(db, "opening " + path);
    sqlite3_close_v2(db);
    return unexpected(e);
  }
  auto log = std::make_unique<SqliteVerificationLog>(db, options);
  auto opened = log->open();
  if (!opened) return unexpected(std::move(opened).error());
  return std::unique_ptr<VerificationLog>(std::move(log));
}

}  // namespace serialtrack::store

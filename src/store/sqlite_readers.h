// Read connections to a serialtrack database: under WAL a reader never waits for the
// writer, and sees committed data only (never a capture's open transaction). One
// connection per concurrent reader, lent out and given back, each keeping its prepared
// statements (a point read is then one sqlite3_step, no SQL compile). Internal to store/.
// Thread-safety: a ReadConnections is safe for concurrent use; a Lease belongs to one
// thread at a time.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/store.h"

namespace serialtrack::store::sqlite {

// One read connection and its prepared statements.
class Reader {
 public:
  explicit Reader(sqlite3* db) : db_(db) {}
  ~Reader() {
    for (auto& [sql, s] : statements_) sqlite3_finalize(s);
    sqlite3_close_v2(db_);
  }
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  sqlite3* db() const { return db_; }
  // The statement of sql, prepared on first use, reset and unbound; null when it does
  // not compile (sqlite3_errmsg(db()) says why).
  sqlite3_stmt* statement(const char* sql) {
    auto [it, added] = statements_.try_emplace(sql, nullptr);
    if (added && sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &it->second,
                                    nullptr) != SQLITE_OK) {
      sqlite3_finalize(it->second);
      statements_.erase(it);
      return nullptr;
    }
    sqlite3_reset(it->second);
    sqlite3_clear_bindings(it->second);
    last_ = it->second;
    return it->second;
  }
  // Resets the statement last handed out: its read transaction ends (an open one would
  // keep the WAL from being checkpointed).
  void finish() {
    if (last_) sqlite3_reset(last_);
    last_ = nullptr;
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* last_ = nullptr;
  std::unordered_map<std::string_view, sqlite3_stmt*> statements_;  // keys: string literals
};

// One read transaction on a read connection, for the life of this object: the
// statements run in it see one snapshot, and none begins a transaction of its own.
// Destroy the statements first (they are reset or finalized before the COMMIT).
class ReadTransaction {
 public:
  explicit ReadTransaction(sqlite3* db)
      : db_(db), open_(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr) == SQLITE_OK) {}
  ~ReadTransaction() {
    if (open_) sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
  }
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;
  // False when BEGIN failed (sqlite3_errmsg of the connection says why).
  bool open() const { return open_; }

 private:
  sqlite3* db_;
  bool open_;
};

class ReadConnections {
 public:
  explicit ReadConnections(std::string path) : path_(std::move(path)) {}

  // A reader, given back when the Lease is destroyed.
  class Lease {
   public:
    Lease(ReadConnections& pool, std::unique_ptr<Reader> r) : pool_(&pool), r_(std::move(r)) {}
    Lease(Lease&& o) noexcept = default;
    ~Lease() {
      if (!r_) return;
      r_->finish();
      pool_->give_back(std::move(r_));
    }
    Reader* operator->() const { return r_.get(); }

   private:
    ReadConnections* pool_;
    std::unique_ptr<Reader> r_;
  };

  // A free reader, or a new connection; error kIo when the file cannot be opened.
  Result<Lease> lend() {
    {
      std::lock_guard lock(mutex_);
      if (!free_.empty()) {
        std::unique_ptr<Reader> r = std::move(free_.back());
        free_.pop_back();
        return Lease(*this, std::move(r));
      }
    }
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
        SQLITE_OK) {
      Error e{Error::Kind::kIo,
              "opening a read connection to " + path_ + ": " +
                  (db ? sqlite3_errmsg(db) : "out of memory"),
              -1};
      sqlite3_close_v2(db);
      return unexpected(std::move(e));
    }
    sqlite3_busy_timeout(db, 10'000);
    sqlite3_exec(db, "PRAGMA query_only=1", nullptr, nullptr, nullptr);
    return Lease(*this, std::make_unique<Reader>(db));
  }

 private:
  void give_back(std::unique_ptr<Reader> r) {
    std::lock_guard lock(mutex_);
    free_.push_back(std::move(r));
  }

  std::string path_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Reader>> free_;
};

}  // namespace serialtrack::store::sqlite

// Every connection to a serialtrack database opens it the same way: a busy timeout, WAL,
// and synchronous=FULL (durable) or NORMAL. Internal to store/.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace serialtrack::store {

// Sets the busy timeout and puts the connection in WAL mode with the given durability.
// Switching a new file to WAL needs an exclusive lock, and SQLite answers SQLITE_BUSY at
// once, without its busy handler, when another process is switching it at the same
// moment: so the switch is retried until busy_timeout has passed. Returns an SQLite
// result code (SQLITE_OK on success; sqlite3_errmsg(db) says why otherwise).
inline int use_wal(sqlite3* db, bool durable = true,
                   std::chrono::milliseconds busy_timeout = std::chrono::seconds(30)) {
  sqlite3_busy_timeout(db, static_cast<int>(busy_timeout.count()));
  const char* pragmas = durable ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                                : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
  const auto deadline = std::chrono::steady_clock::now() + busy_timeout;
  for (;;) {
    int rc = sqlite3_exec(db, pragmas, nullptr, nullptr, nullptr);
    if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) return rc;
    if (std::chrono::steady_clock::now() >= deadline) return rc;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

// Checkpoints the WAL of the writer's database on a thread of its own, so that a commit
// does not also copy the WAL back into the database file (SQLite's autocheckpoint runs
// in the committing thread, and was an eighth of a bulk capture's time). After each
// commit that leaves at least `frames` frames in the WAL the thread is woken and runs a
// PASSIVE checkpoint on its own connection (durable as the writer: synchronous=FULL
// syncs the database file); the writer meanwhile goes on appending to the WAL. Should
// the thread fall behind by 64 times that (256 MiB of WAL with 4 KiB pages), the
// committing thread checkpoints itself as before, so the WAL stays bounded. Checkpoints only move committed pages: a crash at
// any moment loses nothing that was acknowledged. When the connection cannot be opened
// (an in-memory database), the writer keeps SQLite's autocheckpoint.
// Thread-safety: construct and destroy on the writer's thread; the writer connection
// must outlive this object.
class WalCheckpointer {
 public:
  WalCheckpointer(sqlite3* writer, const std::string& path, bool durable, int frames = 1000)
      : writer_(writer), frames_(frames) {
    if (path.empty() || path == ":memory:" || path.starts_with("file::memory:")) return;
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK ||
        use_wal(db_, durable) != SQLITE_OK) {
      sqlite3_close_v2(db_);
      db_ = nullptr;
      return;
    }
    thread_ = std::thread([this] { run(); });
    sqlite3_wal_hook(writer_, &WalCheckpointer::on_commit, this);  // replaces autocheckpoint
  }
  ~WalCheckpointer() {
    if (!db_) return;
    sqlite3_wal_autocheckpoint(writer_, frames_);  // the writer checkpoints itself again
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_one();
    thread_.join();
    sqlite3_close_v2(db_);
  }
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

 private:
  static int on_commit(void* self, sqlite3* db, const char* schema, int frames) {
    auto* c = static_cast<WalCheckpointer*>(self);
    if (frames >= 64 * c->frames_) {
      sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    } else if (frames >= c->frames_) {
      {
        std::lock_guard lock(c->mutex_);
        c->pending_ = true;
      }
      c->wake_.notify_one();
    }
    return SQLITE_OK;
  }
  void run() {
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [this] { return pending_ || stop_; });
      if (stop_) return;
      pending_ = false;
      lock.unlock();
      sqlite3_wal_checkpoint_v2(db_, "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      lock.lock();
    }
  }

  sqlite3* writer_;
  sqlite3* db_ = nullptr;
  int frames_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool pending_ = false, stop_ = false;
};

}  // namespace serialtrack::store

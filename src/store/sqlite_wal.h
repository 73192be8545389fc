// Every connection to a serialtrack database opens it the same way: a busy timeout, WAL,
// and synchronous=FULL (durable) or NORMAL. Internal to store/.
#pragma once

#include <sqlite3.h>

#include <chrono>
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

}  // namespace serialtrack::store

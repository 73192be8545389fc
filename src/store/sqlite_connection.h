// A small RAII layer over one SQLite connection and its prepared statements, for the
// store's side tables that live on their own connection to the event store's file
// (capture jobs, named queries, the event vocabulary listing). Internal to store/.
// Thread-safety: a Connection is opened in serialised mode (SQLITE_OPEN_FULLMUTEX), but
// a Statement belongs to one thread at a time.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "store/sqlite_wal.h"
#include "store/store.h"

namespace serialtrack::store::sqlite {

// One prepared statement; finalised when destroyed.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql) {
    rc_ = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &s_, nullptr);
  }
  ~Statement() { sqlite3_finalize(s_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // True when the SQL compiled.
  bool ok() const { return rc_ == SQLITE_OK; }
  Statement& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  Statement& bind(int i, std::string_view v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind_blob(int i, std::string_view v) {
    sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  // Makes the statement ready to run again (bindings are kept until rebound).
  void reset() { sqlite3_reset(s_); }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return ok() ? sqlite3_step(s_) : rc_; }
  std::int64_t i64(int col) { return sqlite3_column_int64(s_, col); }
  std::string text(int col) {
    const void* p = sqlite3_column_blob(s_, col);
    return p ? std::string(static_cast<const char*>(p),
                           static_cast<size_t>(sqlite3_column_bytes(s_, col)))
             : std::string();
  }
  bool is_null(int col) { return sqlite3_column_type(s_, col) == SQLITE_NULL; }

 private:
  sqlite3_stmt* s_ = nullptr;
  int rc_ = SQLITE_ERROR;
};

struct CloseConnection {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Connection = std::unique_ptr<sqlite3, CloseConnection>;

// Opens path (creating it) in WAL mode with synchronous=FULL and a busy timeout, and
// runs schema (CREATE TABLE IF NOT EXISTS ...). On error returns null and sets error.
inline Connection open_connection(const std::string& path, std::string_view schema,
                                  std::string& error) {
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
  if (sqlite3_open_v2(path.c_str(), &raw, flags, nullptr) != SQLITE_OK) {
    error = "cannot open " + path + ": " + (raw ? sqlite3_errmsg(raw) : "out of memory");
    sqlite3_close_v2(raw);
    return nullptr;
  }
  Connection db(raw);
  std::string sql(schema);
  char* message = nullptr;
  if (use_wal(raw, true, std::chrono::seconds(10)) != SQLITE_OK ||
      sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    error = path + ": " + (message ? message : sqlite3_errmsg(raw));
    sqlite3_free(message);
    return nullptr;
  }
  return db;
}

// Runs sql (no results); true on success.
inline bool exec(sqlite3* db, const char* sql) {
  return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
}

// A kIo error: what failed, and SQLite's message.
inline Error io_error(sqlite3* db, const std::string& what) {
  return Error{Error::Kind::kIo, what + ": " + sqlite3_errmsg(db), -1};
}

// Rolls the open transaction back and returns the kIo error of what failed (read
// before the rollback, which would replace SQLite's message).
inline Unexpected<Error> rollback(sqlite3* db, const std::string& what) {
  Error e = io_error(db, what);
  exec(db, "ROLLBACK");
  return unexpected(std::move(e));
}

// Opens the SQLite database at path for a side table (open_connection), as a
// store::Result.
template <typename Interface, typename Implementation>
Result<std::unique_ptr<Interface>> open_side_table(const std::string& path,
                                                   std::string_view schema) {
  std::string error;
  auto db = open_connection(path, schema, error);
  if (!db) return unexpected(Error{Error::Kind::kIo, error, -1});
  return std::unique_ptr<Interface>(new Implementation(std::move(db)));
}

}  // namespace serialtrack::store::sqlite

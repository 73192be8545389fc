// A prepared SQLite statement for the stores on their own connection (recalls, stock):
// numbered text and integer arguments, text and integer columns, finalised on scope
// exit. Internal to store/. Not thread-safe: one statement, one thread.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "store/store.h"

namespace serialtrack::store {

// Error kIo with what failed and SQLite's message.
inline Error sqlite_error(sqlite3* db, const std::string& what) {
  return Error{Error::Kind::kIo, what + ": " + (db ? sqlite3_errmsg(db) : "no database"), -1};
}

class Sql {
 public:
  Sql(sqlite3* db, const std::string& sql) {
    ok_ = sqlite3_prepare_v2(db, sql.c_str(), -1, &s_, nullptr) == SQLITE_OK;
  }
  ~Sql() { sqlite3_finalize(s_); }
  Sql(const Sql&) = delete;
  Sql& operator=(const Sql&) = delete;
  bool ok() const { return ok_; }
  void text(int i, const std::string& v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void integer(int i, int64_t v) { sqlite3_bind_int64(s_, i, v); }
  int step() { return sqlite3_step(s_); }
  void reset() { sqlite3_reset(s_); }
  std::string column(int i) {
    const unsigned char* p = sqlite3_column_text(s_, i);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<size_t>(sqlite3_column_bytes(s_, i)))
             : std::string();
  }
  int64_t column_int(int i) { return sqlite3_column_int64(s_, i); }

 private:
  sqlite3_stmt* s_ = nullptr;
  bool ok_ = false;
};

}  // namespace serialtrack::store

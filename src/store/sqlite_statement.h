// What the SQLite tables beside the event store share (serial ranges, API keys): a
// prepared statement finalised on scope exit, and small helpers. Internal to store/.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace serialtrack::store {

// A prepared statement; binds chain. Not thread-safe (one connection's statement).
class SqliteStatement {
 public:
  SqliteStatement(sqlite3* db, const char* sql) {
    rc_ = sqlite3_prepare_v2(db, sql, -1, &s_, nullptr);
  }
  ~SqliteStatement() { sqlite3_finalize(s_); }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  bool ok() const { return rc_ == SQLITE_OK; }
  SqliteStatement& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  SqliteStatement& bind(int i, std::string_view v) {  // as TEXT, never NULL
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  SqliteStatement& bind_blob(int i, std::span<const std::uint8_t> v) {
    sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  int step() { return sqlite3_step(s_); }
  void reset() { sqlite3_reset(s_); }
  std::int64_t i64(int col) { return sqlite3_column_int64(s_, col); }
  bool is_null(int col) { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  std::string text(int col) {
    const unsigned char* p = sqlite3_column_text(s_, col);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<size_t>(sqlite3_column_bytes(s_, col)))
             : std::string();
  }
  // Valid until the next step, reset or destruction.
  std::span<const std::uint8_t> blob(int col) {
    const void* p = sqlite3_column_blob(s_, col);
    return {static_cast<const std::uint8_t*>(p),
            static_cast<size_t>(sqlite3_column_bytes(s_, col))};
  }

 private:
  sqlite3_stmt* s_ = nullptr;
  int rc_ = SQLITE_ERROR;
};

inline std::int64_t now_unix_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Lower-case hex of bytes.
inline std::string lower_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * bytes.size());
  for (std::uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

// Why migrate_tables failed: newer (a schema from a later program: the caller's kCorrupt)
// or an SQLite error, in one sentence.
struct MigrationFailure {
  bool newer = false;
  std::string message;
};

// Brings the tables versioned in meta_table (row 'schema_version') from their version v
// to migrations.size() by running migrations[v...], inside the caller's transaction;
// creates meta_table when absent. what names the tables in messages ("serial range").
inline std::optional<MigrationFailure> migrate_tables(sqlite3* db, const std::string& meta_table,
                                                      std::span<const char* const> migrations,
                                                      const std::string& what) {
  auto failure = [&](const std::string& doing) {
    return MigrationFailure{false, doing + ": " + sqlite3_errmsg(db)};
  };
  std::string create =
      "CREATE TABLE IF NOT EXISTS " + meta_table + "(key TEXT PRIMARY KEY, value INTEGER NOT NULL)";
  if (sqlite3_exec(db, create.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
    return failure("creating " + meta_table);
  std::string select = "SELECT value FROM " + meta_table + " WHERE key = 'schema_version'";
  int version = 0;
  {
    SqliteStatement s(db, select.c_str());
    if (s.step() == SQLITE_ROW) version = static_cast<int>(s.i64(0));
  }
  const int latest = static_cast<int>(migrations.size());
  if (version > latest)
    return MigrationFailure{true, what + " schema version " + std::to_string(version) +
                                      " is newer than this program's (" + std::to_string(latest) +
                                      ")"};
  for (int v = version; v < latest; ++v)
    if (sqlite3_exec(db, migrations[v], nullptr, nullptr, nullptr) != SQLITE_OK)
      return failure("migrating " + what + " tables to version " + std::to_string(v + 1));
  std::string record = "INSERT INTO " + meta_table +
                       " VALUES ('schema_version', ?1) ON CONFLICT(key) DO UPDATE SET value = "
                       "excluded.value";
  SqliteStatement s(db, record.c_str());
  s.bind(1, static_cast<std::int64_t>(latest));
  if (s.step() != SQLITE_DONE) return failure("recording the " + what + " schema version");
  return std::nullopt;
}

}  // namespace serialtrack::store

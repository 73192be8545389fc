// Recalls in SQLite: a second connection to the event store's file (WAL lets both work
// at once), tables prefixed recall_, their schema version in recall_meta.
#include <mutex>

#include "store/recalls.h"
#include "store/sqlite_sql.h"
#include "store/sqlite_wal.h"

namespace serialtrack::store {
namespace {

// Entry i brings recall_meta's schema_version i to i + 1.
constexpr const char* kMigrations[] = {
    R"sql(
    CREATE TABLE recall_recalls(
      id         INTEGER PRIMARY KEY,
      created    INTEGER NOT NULL,
      definition TEXT    NOT NULL);
    CREATE TABLE recall_members(
      recall_id INTEGER NOT NULL,
      item      TEXT    NOT NULL,
      role      TEXT    NOT NULL,
      via       TEXT    NOT NULL,
      added     INTEGER NOT NULL,
      PRIMARY KEY (recall_id, item)) WITHOUT ROWID;
    CREATE INDEX recall_members_in_order ON recall_members(recall_id, added);
    )sql",
};

class SqliteRecalls final : public Recalls {
 public:
  explicit SqliteRecalls(sqlite3* db) : db_(db) {}
  ~SqliteRecalls() override { sqlite3_close_v2(db_); }

  Result<void*> open() {
    if (use_wal(db_) != SQLITE_OK)
      return unexpected(sqlite_error(db_, "setting WAL mode"));
    if (!exec("BEGIN IMMEDIATE"))
      return unexpected(sqlite_error(db_, "starting the recall schema"));
    auto fail = [&](const std::string& what) {
      Error e = sqlite_error(db_, what);
      exec("ROLLBACK");
      return unexpected(std::move(e));
    };
    if (!exec(
            "CREATE TABLE IF NOT EXISTS recall_meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL)"))
      return fail("creating recall_meta");
    int version = 0;
    {
      Sql s(db_, "SELECT value FROM recall_meta WHERE key = 'schema_version'");
      if (s.ok() && s.step() == SQLITE_ROW) version = static_cast<int>(s.column_int(0));
    }
    constexpr int kLatest = static_cast<int>(std::size(kMigrations));
    if (version > kLatest) {
      exec("ROLLBACK");
      return unexpected(Error{
          Error::Kind::kCorrupt,
          "recall schema version " + std::to_string(version) + " is newer than this program's",
          -1});
    }
    for (int v = version; v < kLatest; ++v)
      if (!exec(kMigrations[v]))
        return fail("migrating recalls to version " + std::to_string(v + 1));
    Sql s(db_,
          "INSERT INTO recall_meta VALUES ('schema_version', ?1) ON CONFLICT(key) DO UPDATE SET "
          "value = excluded.value");
    s.integer(1, kLatest);
    if (!s.ok() || s.step() != SQLITE_DONE) return fail("recording the recall schema version");
    if (!exec("COMMIT")) return fail("committing the recall schema");
    return nullptr;
  }

  Result<RecallRecord> create(const std::string& definition, int64_t created) override {
    std::lock_guard lock(mu_);
    Sql s(db_, "INSERT INTO recall_recalls(created, definition) VALUES (?1, ?2)");
    s.integer(1, created);
    s.text(2, definition);
    if (!s.ok() || s.step() != SQLITE_DONE)
      return unexpected(sqlite_error(db_, "storing a recall"));
    return RecallRecord{sqlite3_last_insert_rowid(db_), created, definition};
  }

  Result<std::optional<RecallRecord>> get(int64_t id) override {
    std::lock_guard lock(mu_);
    Sql s(db_, "SELECT id, created, definition FROM recall_recalls WHERE id = ?1");
    if (!s.ok()) return unexpected(sqlite_error(db_, "reading a recall"));
    s.integer(1, id);
    int rc = s.step();
    if (rc == SQLITE_DONE) return std::optional<RecallRecord>();
    if (rc != SQLITE_ROW) return unexpected(sqlite_error(db_, "reading a recall"));
    return std::optional<RecallRecord>(RecallRecord{s.column_int(0), s.column_int(1), s.column(2)});
  }

  Result<std::vector<RecallRecord>> list() override {
    std::lock_guard lock(mu_);
    Sql s(db_, "SELECT id, created, definition FROM recall_recalls ORDER BY id");
    if (!s.ok()) return unexpected(sqlite_error(db_, "listing recalls"));
    std::vector<RecallRecord> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW)
      out.push_back({s.column_int(0), s.column_int(1), s.column(2)});
    if (rc != SQLITE_DONE) return unexpected(sqlite_error(db_, "listing recalls"));
    return out;
  }

  Result<size_t> add_members(int64_t recall_id, const std::vector<RecallMember>& members) override {
    std::lock_guard lock(mu_);
    if (!exec("BEGIN IMMEDIATE"))
      return unexpected(sqlite_error(db_, "starting to add recall members"));
    auto fail = [&]() {
      Error e = sqlite_error(db_, "adding recall members");
      exec("ROLLBACK");
      return unexpected(std::move(e));
    };
    int64_t next = 0;
    {
      Sql m(db_, "SELECT coalesce(max(added), 0) FROM recall_members WHERE recall_id = ?1");
      m.integer(1, recall_id);
      if (!m.ok() || m.step() != SQLITE_ROW) return fail();
      next = m.column_int(0);
    }
    Sql s(db_, "INSERT INTO recall_members VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING");
    if (!s.ok()) return fail();
    size_t added = 0;
    for (const auto& m : members) {
      s.integer(1, recall_id);
      s.text(2, m.id);
      s.text(3, m.role);
      s.text(4, m.via);
      s.integer(5, next + 1);
      if (s.step() != SQLITE_DONE) return fail();
      s.reset();
      if (sqlite3_changes(db_) > 0) {
        ++added;
        ++next;
      }
    }
    if (!exec("COMMIT")) return fail();
    return added;
  }

  Result<std::vector<RecallMember>> members(int64_t recall_id) override {
    std::lock_guard lock(mu_);
    Sql s(db_, "SELECT item, role, via FROM recall_members WHERE recall_id = ?1 ORDER BY added");
    if (!s.ok()) return unexpected(sqlite_error(db_, "reading recall members"));
    s.integer(1, recall_id);
    std::vector<RecallMember> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back({s.column(0), s.column(1), s.column(2)});
    if (rc != SQLITE_DONE) return unexpected(sqlite_error(db_, "reading recall members"));
    return out;
  }

 private:
  bool exec(const char* sql) {
    return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
  }

  sqlite3* db_;
  std::mutex mu_;
};

}  // namespace

Result<std::unique_ptr<Recalls>> open_sqlite_recalls(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    Error e = sqlite_error(db, "opening " + path);
    sqlite3_close_v2(db);
    return unexpected(std::move(e));
  }
  auto recalls = std::make_unique<SqliteRecalls>(db);
  if (auto r = recalls->open(); !r) return unexpected(std::move(r).error());
  return std::unique_ptr<Recalls>(std::move(recalls));
}

}  // namespace serialtrack::store

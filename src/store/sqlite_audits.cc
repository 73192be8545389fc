// Audits in SQLite: a second connection to the event store's file (WAL lets both work
// at once), tables prefixed audit_, their schema version in audit_meta.
#include <mutex>

#include "store/audits.h"
#include "store/sqlite_statement.h"
#include "store/sqlite_wal.h"

namespace serialtrack::store {
namespace {

// Entry i brings audit_meta's schema_version i to i + 1.
constexpr const char* kMigrations[] = {
    R"sql(
    CREATE TABLE audit_counts(
      id       INTEGER PRIMARY KEY,
      location TEXT    NOT NULL,
      counted  INTEGER NOT NULL,
      event_id TEXT    NOT NULL,
      seen     INTEGER NOT NULL,
      expected INTEGER NOT NULL);
    CREATE INDEX audit_counts_by_location ON audit_counts(location, counted);
    CREATE TABLE audit_discrepancies(
      audit_id    INTEGER NOT NULL,
      position    INTEGER NOT NULL,
      kind        TEXT    NOT NULL,
      item        TEXT    NOT NULL,
      location    TEXT    NOT NULL,
      disposition TEXT    NOT NULL,
      status      TEXT    NOT NULL,
      custodian   TEXT    NOT NULL,
      reason      TEXT    NOT NULL,
      PRIMARY KEY (audit_id, position)) WITHOUT ROWID;
    CREATE TABLE audit_schedules(
      location   TEXT    PRIMARY KEY,
      every_days INTEGER NOT NULL) WITHOUT ROWID;
    )sql",
};

Error io(sqlite3* db, const std::string& what) {
  return Error{Error::Kind::kIo, what + ": " + sqlite3_errmsg(db), -1};
}

class SqliteAudits final : public Audits {
 public:
  explicit SqliteAudits(sqlite3* db) : db_(db) {}
  ~SqliteAudits() override { sqlite3_close_v2(db_); }

  Result<void*> open() {
    if (use_wal(db_) != SQLITE_OK)
      return unexpected(io(db_, "setting WAL mode"));
    if (!exec("BEGIN IMMEDIATE")) return unexpected(io(db_, "starting the audit schema"));
    if (auto failed = migrate_tables(db_, "audit_meta", kMigrations, "audit")) {
      exec("ROLLBACK");
      return unexpected(
          Error{failed->newer ? Error::Kind::kCorrupt : Error::Kind::kIo, failed->message, -1});
    }
    if (!exec("COMMIT")) {
      Error e = io(db_, "committing the audit schema");
      exec("ROLLBACK");
      return unexpected(std::move(e));
    }
    return nullptr;
  }

  Result<int64_t> add(const AuditRecord& r) override {
    std::lock_guard lock(mu_);
    if (!exec("BEGIN IMMEDIATE")) return unexpected(io(db_, "starting to store an audit"));
    auto fail = [&]() {
      Error e = io(db_, "storing an audit");
      exec("ROLLBACK");
      return unexpected(std::move(e));
    };
    int64_t id = 0;
    {
      SqliteStatement s(db_,
                        "INSERT INTO audit_counts(location, counted, event_id, seen, expected) "
                        "VALUES (?1, ?2, ?3, ?4, ?5)");
      s.bind(1, r.location).bind(2, r.counted).bind(3, r.event_id);
      s.bind(4, static_cast<int64_t>(r.seen)).bind(5, static_cast<int64_t>(r.expected));
      if (!s.ok() || s.step() != SQLITE_DONE) return fail();
      id = sqlite3_last_insert_rowid(db_);
    }
    SqliteStatement d(db_, "INSERT INTO audit_discrepancies VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)");
    if (!d.ok()) return fail();
    int64_t position = 0;
    for (const auto& x : r.discrepancies) {
      d.bind(1, id).bind(2, position++).bind(3, x.kind).bind(4, x.item).bind(5, x.location);
      d.bind(6, x.disposition).bind(7, x.status).bind(8, x.custodian).bind(9, x.reason);
      if (d.step() != SQLITE_DONE) return fail();
      d.reset();
    }
    if (!exec("COMMIT")) return fail();
    return id;
  }

  Result<std::optional<AuditRecord>> get(int64_t id) override {
    std::lock_guard lock(mu_);
    auto found = counts_where("id = ?1", [&](SqliteStatement& s) { s.bind(1, id); });
    if (!found) return unexpected(std::move(found).error());
    if (found->empty()) return std::optional<AuditRecord>();
    return std::optional<AuditRecord>(std::move(found->front()));
  }

  Result<std::vector<AuditRecord>> list(const std::string& location) override {
    std::lock_guard lock(mu_);
    return counts_where("(?1 = '' OR location = ?1)",
                        [&](SqliteStatement& s) { s.bind(1, location); });
  }

  Result<void*> set_schedule(const std::string& location, int64_t every_days) override {
    std::lock_guard lock(mu_);
    SqliteStatement s(db_, every_days == 0
                               ? "DELETE FROM audit_schedules WHERE location = ?1"
                               : "INSERT INTO audit_schedules VALUES (?1, ?2) ON CONFLICT DO "
                                 "UPDATE SET every_days = excluded.every_days");
    s.bind(1, location);
    if (every_days != 0) s.bind(2, every_days);
    if (!s.ok() || s.step() != SQLITE_DONE) return unexpected(io(db_, "storing an audit schedule"));
    return nullptr;
  }

  Result<std::vector<AuditSchedule>> schedules() override {
    std::lock_guard lock(mu_);
    SqliteStatement s(db_,
                      "SELECT s.location, s.every_days, (SELECT max(counted) FROM audit_counts c "
                      "WHERE c.location = s.location) FROM audit_schedules s ORDER BY s.location");
    if (!s.ok()) return unexpected(io(db_, "reading audit schedules"));
    std::vector<AuditSchedule> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
      AuditSchedule a{s.text(0), s.i64(1), std::nullopt};
      if (!s.is_null(2)) a.last_audited = s.i64(2);
      out.push_back(std::move(a));
    }
    if (rc != SQLITE_DONE) return unexpected(io(db_, "reading audit schedules"));
    return out;
  }

 private:
  bool exec(const char* sql) {
    return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
  }

  // The counts matching condition (bound by bind), newest first, with their
  // discrepancies. Under mu_.
  template <typename Bind>
  Result<std::vector<AuditRecord>> counts_where(const std::string& condition, Bind bind) {
    std::string sql =
        "SELECT id, location, counted, event_id, seen, expected FROM audit_counts "
        "WHERE " +
        condition + " ORDER BY counted DESC, id DESC";
    SqliteStatement s(db_, sql.c_str());
    if (!s.ok()) return unexpected(io(db_, "reading audits"));
    bind(s);
    std::vector<AuditRecord> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW)
      out.push_back({s.i64(0),
                     s.text(1),
                     s.i64(2),
                     s.text(3),
                     static_cast<uint64_t>(s.i64(4)),
                     static_cast<uint64_t>(s.i64(5)),
                     {}});
    if (rc != SQLITE_DONE) return unexpected(io(db_, "reading audits"));
    SqliteStatement d(db_,
                      "SELECT kind, item, location, disposition, status, custodian, reason FROM "
                      "audit_discrepancies WHERE audit_id = ?1 ORDER BY position");
    if (!d.ok()) return unexpected(io(db_, "reading audit discrepancies"));
    for (auto& r : out) {
      d.bind(1, r.id);
      while ((rc = d.step()) == SQLITE_ROW)
        r.discrepancies.push_back(
            {d.text(0), d.text(1), d.text(2), d.text(3), d.text(4), d.text(5), d.text(6)});
      if (rc != SQLITE_DONE) return unexpected(io(db_, "reading audit discrepancies"));
      d.reset();
    }
    return out;
  }

  sqlite3* db_;
  std::mutex mu_;
};

}  // namespace

Result<std::unique_ptr<Audits>> open_sqlite_audits(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    Error e{Error::Kind::kIo, "opening " + path + ": " + (db ? sqlite3_errmsg(db) : "no memory"),
            -1};
    sqlite3_close_v2(db);
    return unexpected(std::move(e));
  }
  auto audits = std::make_unique<SqliteAudits>(db);
  if (auto r = audits->open(); !r) return unexpected(std::move(r).error());
  return std::unique_ptr<Audits>(std::move(audits));
}

}  // namespace serialtrack::store

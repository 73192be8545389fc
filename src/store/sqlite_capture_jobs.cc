// Capture jobs in SQLite: tables capture_jobs and capture_job_errors on their own
// connection to the event store's file (WAL lets both connections work at once).
#include "store/sqlite_capture_jobs.h"

#include <mutex>

#include "store/sqlite_connection.h"

namespace serialtrack::store {
namespace {

constexpr const char* kSchema = R"sql(
  CREATE TABLE IF NOT EXISTS capture_jobs(
    n               INTEGER PRIMARY KEY,
    id              TEXT    NOT NULL UNIQUE,
    created         INTEGER NOT NULL,
    finished        INTEGER NOT NULL,
    running         INTEGER NOT NULL,
    success         INTEGER NOT NULL,
    error_behaviour TEXT    NOT NULL,
    events          INTEGER NOT NULL,
    accepted        INTEGER NOT NULL,
    duplicates      INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS capture_job_errors(
    job         TEXT    NOT NULL,
    seq         INTEGER NOT NULL,
    event_index INTEGER NOT NULL,
    event_id    TEXT    NOT NULL,
    message     TEXT    NOT NULL,
    PRIMARY KEY (job, seq)) WITHOUT ROWID;
)sql";

void bind_job(sqlite::Statement& s, const CaptureJob& j) {
  s.bind(1, j.id).bind(2, j.created).bind(3, j.finished).bind(4, int64_t{j.running});
  s.bind(5, int64_t{j.success}).bind(6, j.error_behaviour).bind(7, j.events);
  s.bind(8, j.accepted).bind(9, j.duplicates);
}

Result<void*> insert_errors(sqlite3* db, const CaptureJob& job) {
  sqlite::Statement s(db,
                      "INSERT INTO capture_job_errors(job, seq, event_index, event_id, message) "
                      "VALUES (?,?,?,?,?)");
  int64_t seq = 0;
  for (const auto& e : job.errors) {
    s.reset();
    s.bind(1, job.id).bind(2, seq++).bind(3, int64_t{e.event_index}).bind(4, e.event_id);
    s.bind(5, e.message);
    if (s.step() != SQLITE_DONE) return unexpected(sqlite::io_error(db, "storing capture errors"));
  }
  return nullptr;
}

class SqliteCaptureJobs final : public CaptureJobs {
 public:
  explicit SqliteCaptureJobs(sqlite::Connection db) : db_(std::move(db)) {}

  Result<void*> create(const CaptureJob& job) override {
    std::lock_guard lock(mu_);
    return insert_capture_job(db_.get(), job);
  }

  Result<bool> update(const CaptureJob& job) override {
    std::lock_guard lock(mu_);
    sqlite::exec(db_.get(), "BEGIN IMMEDIATE");
    sqlite::Statement s(
        db_.get(),
        "UPDATE capture_jobs SET id = ?1, created = ?2, finished = ?3, running = ?4, "
        "success = ?5, error_behaviour = ?6, events = ?7, accepted = ?8, "
        "duplicates = ?9 WHERE id = ?1");
    bind_job(s, job);
    if (s.step() != SQLITE_DONE) return sqlite::rollback(db_.get(), "updating capture job");
    if (sqlite3_changes(db_.get()) == 0) {
      sqlite::exec(db_.get(), "ROLLBACK");
      return false;
    }
    sqlite::Statement del(db_.get(), "DELETE FROM capture_job_errors WHERE job = ?");
    del.bind(1, job.id);
    if (del.step() != SQLITE_DONE) return sqlite::rollback(db_.get(), "updating capture job");
    if (auto w = insert_errors(db_.get(), job); !w)
      return sqlite::rollback(db_.get(), "updating capture job errors");
    if (!sqlite::exec(db_.get(), "COMMIT"))
      return sqlite::rollback(db_.get(), "committing capture job");
    return true;
  }

  Result<std::optional<CaptureJob>> job(const std::string& id) override {
    std::lock_guard lock(mu_);
    sqlite::Statement s(db_.get(), std::string(kSelect) + " WHERE id = ?");
    s.bind(1, id);
    int rc = s.step();
    if (rc == SQLITE_DONE) return std::optional<CaptureJob>();
    if (rc != SQLITE_ROW) return unexpected(sqlite::io_error(db_.get(), "reading capture job"));
    CaptureJob j = read_job(s);
    if (auto e = read_errors(j); !e) return unexpected(std::move(e).error());
    return std::optional<CaptureJob>(std::move(j));
  }

  Result<std::vector<CaptureJob>> jobs(size_t limit) override {
    std::lock_guard lock(mu_);
    sqlite::Statement s(db_.get(), std::string(kSelect) + " ORDER BY n DESC LIMIT ?");
    s.bind(1, static_cast<int64_t>(limit));
    std::vector<CaptureJob> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back(read_job(s));
    if (rc != SQLITE_DONE) return unexpected(sqlite::io_error(db_.get(), "listing capture jobs"));
    for (auto& j : out)
      if (auto e = read_errors(j); !e) return unexpected(std::move(e).error());
    return out;
  }

 private:
  static constexpr const char* kSelect =
      "SELECT id, created, finished, running, success, error_behaviour, events, accepted, "
      "duplicates FROM capture_jobs";

  static CaptureJob read_job(sqlite::Statement& s) {
    CaptureJob j;
    j.id = s.text(0);
    j.created = s.i64(1);
    j.finished = s.i64(2);
    j.running = s.i64(3) != 0;
    j.success = s.i64(4) != 0;
    j.error_behaviour = s.text(5);
    j.events = s.i64(6);
    j.accepted = s.i64(7);
    j.duplicates = s.i64(8);
    return j;
  }

  Result<void*> read_errors(CaptureJob& job) {
    sqlite::Statement s(db_.get(),
                        "SELECT event_index, event_id, message FROM capture_job_errors "
                        "WHERE job = ? ORDER BY seq");
    s.bind(1, job.id);
    int rc;
    while ((rc = s.step()) == SQLITE_ROW)
      job.errors.push_back({static_cast<long>(s.i64(0)), s.text(1), s.text(2)});
    if (rc != SQLITE_DONE) return unexpected(sqlite::io_error(db_.get(), "reading capture errors"));
    return nullptr;
  }

  std::mutex mu_;  // one writer at a time on this connection (transactions span calls)
  sqlite::Connection db_;
};

}  // namespace

bool create_capture_job_tables(sqlite3* db) {
  return sqlite3_exec(db, kSchema, nullptr, nullptr, nullptr) == SQLITE_OK;
}

Result<void*> insert_capture_job(sqlite3* db, const CaptureJob& job) {
  sqlite::Statement s(db,
                      "INSERT INTO capture_jobs(id, created, finished, running, success, "
                      "error_behaviour, events, accepted, duplicates) VALUES (?,?,?,?,?,?,?,?,?)");
  bind_job(s, job);
  int rc = s.step();
  if (rc == SQLITE_CONSTRAINT)
    return unexpected(Error{Error::Kind::kInvalidEvent, "capture job " + job.id + " exists", -1});
  if (rc != SQLITE_DONE) return unexpected(sqlite::io_error(db, "storing capture job"));
  return insert_errors(db, job);
}

Result<std::unique_ptr<CaptureJobs>> open_sqlite_capture_jobs(const std::string& path) {
  return sqlite::open_side_table<CaptureJobs, SqliteCaptureJobs>(path, kSchema);
}

}  // namespace serialtrack::store

// Named queries and their subscriptions in SQLite: tables named_queries,
// named_query_parameters and query_subscriptions on their own connection to the event
// store's file, versioned in named_query_meta (sqlite_statement.h migrate_tables).
#include <mutex>

#include "store/named_queries.h"
#include "store/sqlite_connection.h"
#include "store/sqlite_statement.h"

namespace serialtrack::store {
namespace {

// Entry i brings named_query_meta's schema_version i to i + 1. Version 1 is the schema
// of before the meta table (IF NOT EXISTS: such a file already has it); version 2
// records owners (existing queries: "", existing subscriptions: the operator's).
constexpr const char* kMigrations[] = {
    R"sql(
  CREATE TABLE IF NOT EXISTS named_queries(
    name    TEXT    PRIMARY KEY,
    created INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS named_query_parameters(
    name  TEXT    NOT NULL,
    seq   INTEGER NOT NULL,
    param TEXT    NOT NULL,
    value TEXT    NOT NULL,
    PRIMARY KEY (name, seq)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS query_subscriptions(
    n               INTEGER PRIMARY KEY,
    id              TEXT    NOT NULL,
    query_name      TEXT    NOT NULL,
    dest            TEXT    NOT NULL,
    signature_token TEXT    NOT NULL,
    created         INTEGER NOT NULL,
    UNIQUE (query_name, id));
)sql",
    R"sql(
  ALTER TABLE named_queries ADD COLUMN owner TEXT NOT NULL DEFAULT '';
  ALTER TABLE query_subscriptions ADD COLUMN subscriber_key TEXT NOT NULL DEFAULT '';
  ALTER TABLE query_subscriptions ADD COLUMN subscriber_role TEXT NOT NULL DEFAULT 'admin';
  ALTER TABLE query_subscriptions ADD COLUMN subscriber_party TEXT NOT NULL DEFAULT '';
)sql",
};

class SqliteNamedQueries final : public NamedQueries {
 public:
  explicit SqliteNamedQueries(sqlite::Connection db) : db_(std::move(db)) {}

  Result<bool> create(const NamedQuery& q) override {
    std::lock_guard lock(mu_);
    sqlite::exec(db_.get(), "BEGIN IMMEDIATE");
    sqlite::Statement s(db_.get(),
                        "INSERT OR IGNORE INTO named_queries(name, created, owner) VALUES (?,?,?)");
    s.bind(1, q.name).bind(2, q.created).bind(3, q.owner);
    if (s.step() != SQLITE_DONE) return sqlite::rollback(db_.get(), "storing named query");
    if (sqlite3_changes(db_.get()) == 0) {
      sqlite::exec(db_.get(), "ROLLBACK");
      return false;
    }
    sqlite::Statement p(db_.get(),
                        "INSERT INTO named_query_parameters(name, seq, param, value) "
                        "VALUES (?,?,?,?)");
    int64_t seq = 0;
    for (const auto& [param, value] : q.parameters) {
      p.reset();
      p.bind(1, q.name).bind(2, seq++).bind(3, param).bind(4, value);
      if (p.step() != SQLITE_DONE) return sqlite::rollback(db_.get(), "storing named query");
    }
    if (!sqlite::exec(db_.get(), "COMMIT"))
      return sqlite::rollback(db_.get(), "committing named query");
    return true;
  }

  Result<std::optional<NamedQuery>> query(const std::string& name) override {
    std::lock_guard lock(mu_);
    sqlite::Statement s(db_.get(), "SELECT name, created, owner FROM named_queries WHERE name = ?");
    s.bind(1, name);
    int rc = s.step();
    if (rc == SQLITE_DONE) return std::optional<NamedQuery>();
    if (rc != SQLITE_ROW) return unexpected(sqlite::io_error(db_.get(), "reading named query"));
    NamedQuery q{s.text(0), {}, s.i64(1), s.text(2)};
    if (auto r = read_parameters(q); !r) return unexpected(std::move(r).error());
    return std::optional<NamedQuery>(std::move(q));
  }

  Result<std::vector<NamedQuery>> queries() override {
    std::lock_guard lock(mu_);
    sqlite::Statement s(db_.get(), "SELECT name, created, owner FROM named_queries ORDER BY name");
    std::vector<NamedQuery> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back({s.text(0), {}, s.i64(1), s.text(2)});
    if (rc != SQLITE_DONE) return unexpected(sqlite::io_error(db_.get(), "listing named queries"));
    for (auto& q : out)
      if (auto r = read_parameters(q); !r) return unexpected(std::move(r).error());
    return out;
  }

  Result<bool> remove(const std::string& name) override {
    std::lock_guard lock(mu_);
    sqlite::exec(db_.get(), "BEGIN IMMEDIATE");
    int changed = 0;
    for (const char* sql : {"DELETE FROM named_queries WHERE name = ?",
                            "DELETE FROM named_query_parameters WHERE name = ?",
                            "DELETE FROM query_subscriptions WHERE query_name = ?"}) {
      sqlite::Statement s(db_.get(), sql);
      s.bind(1, name);
      if (s.step() != SQLITE_DONE) return sqlite::rollback(db_.get(), "deleting named query");
      if (changed == 0) changed = sqlite3_changes(db_.get()) > 0 ? 1 : -1;
    }
    if (!sqlite::exec(db_.get(), "COMMIT"))
      return sqlite::rollback(db_.get(), "committing named query deletion");
    return changed > 0;
  }

  Result<bool> subscribe(const QuerySubscription& sub) override {
    std::lock_guard lock(mu_);
    sqlite::Statement s(db_.get(),
                        "INSERT INTO query_subscriptions(id, query_name, dest, signature_token, "
                        "created, subscriber_key, subscriber_role, subscriber_party) SELECT ?1, "
                        "?2, ?3, ?4, ?5, ?6, ?7, ?8 WHERE EXISTS "
                        "(SELECT 1 FROM named_queries WHERE name = ?2)");
    s.bind(1, sub.id).bind(2, sub.query_name).bind(3, sub.dest).bind(4, sub.signature_token);
    s.bind(5, sub.created).bind(6, sub.subscriber.key_id).bind(7, sub.subscriber.role);
    s.bind(8, sub.subscriber.party);
    if (s.step() != SQLITE_DONE)
      return unexpected(sqlite::io_error(db_.get(), "storing subscription"));
    return sqlite3_changes(db_.get()) > 0;
  }

  Result<std::vector<QuerySubscription>> subscriptions(const std::string& query_name) override {
    std::lock_guard lock(mu_);
    sqlite::Statement s(db_.get(),
                        "SELECT id, query_name, dest, signature_token, created, subscriber_key, "
                        "subscriber_role, subscriber_party FROM query_subscriptions "
                        "WHERE ?1 = '' OR query_name = ?1 ORDER BY n");
    s.bind(1, query_name);
    std::vector<QuerySubscription> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW)
      out.push_back({s.text(0), s.text(1), s.text(2), s.text(3), s.i64(4),
                     Subscriber{s.text(5), s.text(6), s.text(7)}});
    if (rc != SQLITE_DONE) return unexpected(sqlite::io_error(db_.get(), "listing subscriptions"));
    return out;
  }

  Result<bool> unsubscribe(const std::string& query_name, const std::string& id) override {
    std::lock_guard lock(mu_);
    sqlite::Statement s(db_.get(),
                        "DELETE FROM query_subscriptions WHERE query_name = ? AND id = ?");
    s.bind(1, query_name).bind(2, id);
    if (s.step() != SQLITE_DONE)
      return unexpected(sqlite::io_error(db_.get(), "deleting subscription"));
    return sqlite3_changes(db_.get()) > 0;
  }

 private:
  Result<void*> read_parameters(NamedQuery& q) {
    sqlite::Statement s(
        db_.get(), "SELECT param, value FROM named_query_parameters WHERE name = ? ORDER BY seq");
    s.bind(1, q.name);
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) q.parameters.emplace_back(s.text(0), s.text(1));
    if (rc != SQLITE_DONE) return unexpected(sqlite::io_error(db_.get(), "reading named query"));
    return nullptr;
  }

  std::mutex mu_;  // transactions span several statements on this one connection
  sqlite::Connection db_;
};

}  // namespace

Result<std::unique_ptr<NamedQueries>> open_sqlite_named_queries(const std::string& path) {
  std::string error;
  auto db = sqlite::open_connection(path, "", error);
  if (!db) return unexpected(Error{Error::Kind::kIo, error, -1});
  if (!sqlite::exec(db.get(), "BEGIN IMMEDIATE"))
    return unexpected(sqlite::io_error(db.get(), "starting the named query schema"));
  if (auto failed = migrate_tables(db.get(), "named_query_meta", kMigrations, "named query")) {
    sqlite::exec(db.get(), "ROLLBACK");
    return unexpected(
        Error{failed->newer ? Error::Kind::kCorrupt : Error::Kind::kIo, failed->message, -1});
  }
  if (!sqlite::exec(db.get(), "COMMIT"))
    return sqlite::rollback(db.get(), "committing the named query schema");
  return std::unique_ptr<NamedQueries>(new SqliteNamedQueries(std::move(db)));
}

}  // namespace serialtrack::store

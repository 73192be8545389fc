// Warranty records on their own SQLite connection to the event store's file.
#include <mutex>

#include "store/sqlite_connection.h"
#include "store/warranty_records.h"

namespace serialtrack::store {
namespace {

using sqlite::Statement;
using Kind = WarrantyError::Kind;

constexpr const char* kSchema = R"sql(
  CREATE TABLE IF NOT EXISTS warranty_terms(
    product       TEXT PRIMARY KEY,
    duration_days INTEGER NOT NULL,
    start_rule    INTEGER NOT NULL,
    requires_sale INTEGER NOT NULL,
    coverage      TEXT    NOT NULL,
    claim_limit   INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS warranty_plans(
    product    TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    extra_days INTEGER NOT NULL,
    PRIMARY KEY (product, name)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS warranty_registrations(
    item          TEXT PRIMARY KEY,
    owner         TEXT    NOT NULL,
    plan          TEXT    NOT NULL,
    registered_at INTEGER NOT NULL,
    start         INTEGER NOT NULL,
    end           INTEGER NOT NULL,
    state         INTEGER NOT NULL,
    moved_to      TEXT    NOT NULL,
    replaces      TEXT    NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS warranty_transfers(
    item      TEXT    NOT NULL,
    at        INTEGER NOT NULL,
    old_owner TEXT    NOT NULL,
    new_owner TEXT    NOT NULL);
  CREATE INDEX IF NOT EXISTS warranty_transfers_by_item ON warranty_transfers(item);
  CREATE TABLE IF NOT EXISTS warranty_claims(
    id          INTEGER PRIMARY KEY,
    item        TEXT    NOT NULL,
    owner       TEXT    NOT NULL,
    opened_at   INTEGER NOT NULL,
    description TEXT    NOT NULL,
    state       INTEGER NOT NULL,
    flags       TEXT    NOT NULL,
    resolution  TEXT    NOT NULL,
    replacement TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS warranty_claims_by_item ON warranty_claims(item);
)sql";

// Flags are short words without newlines: stored one per line.
std::string join_lines(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += s + "\n";
  return out;
}
std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  for (size_t p = 0, q; p < s.size(); p = q + 1) {
    q = s.find('\n', p);
    if (q == std::string::npos) q = s.size();
    out.push_back(s.substr(p, q - p));
  }
  return out;
}

class SqliteWarrantyRecords final : public WarrantyRecords {
 public:
  explicit SqliteWarrantyRecords(sqlite::Connection db) : db_(std::move(db)) {}

  WarrantyResult<void*> put_terms(const WarrantyTerms& t) override {
    std::lock_guard lock(mutex_);
    return in_transaction([&]() -> WarrantyResult<void*> {
      Statement put(db_.get(), "INSERT OR REPLACE INTO warranty_terms VALUES (?1,?2,?3,?4,?5,?6)");
      put.bind(1, t.product).bind(2, t.duration_days).bind(3, static_cast<int64_t>(t.start));
      put.bind(4, int64_t{t.requires_sale}).bind(5, t.coverage).bind(6, int64_t{t.claim_limit});
      Statement clear(db_.get(), "DELETE FROM warranty_plans WHERE product = ?1");
      clear.bind(1, t.product);
      if (put.step() != SQLITE_DONE || clear.step() != SQLITE_DONE) return io("storing terms");
      Statement plan(db_.get(), "INSERT INTO warranty_plans VALUES (?1,?2,?3)");
      for (const auto& p : t.plans) {
        plan.bind(1, t.product).bind(2, p.name).bind(3, p.extra_days);
        if (plan.step() != SQLITE_DONE) return io("storing a plan");
        plan.reset();
      }
      return nullptr;
    });
  }

  WarrantyResult<std::optional<WarrantyTerms>> terms_for(const std::string& gtin14) override {
    std::lock_guard lock(mutex_);
    // Keys are few (one per product or family): the longest prefix of the GTIN.
    Statement s(db_.get(),
                "SELECT product FROM warranty_terms WHERE substr(?1, 1, length(product)) = product "
                "ORDER BY length(product) DESC LIMIT 1");
    s.bind(1, gtin14);
    int rc = s.step();
    if (rc == SQLITE_DONE) return std::optional<WarrantyTerms>();
    if (rc != SQLITE_ROW) return io("reading terms");
    auto t = read_terms(s.text(0));
    if (!t) return unexpected(std::move(t).error());
    return std::optional<WarrantyTerms>(std::move(*t));
  }

  WarrantyResult<std::vector<WarrantyTerms>> all_terms() override {
    std::lock_guard lock(mutex_);
    Statement s(db_.get(), "SELECT product FROM warranty_terms ORDER BY product");
    std::vector<std::string> keys;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) keys.push_back(s.text(0));
    if (rc != SQLITE_DONE) return io("listing terms");
    std::vector<WarrantyTerms> out;
    for (const auto& k : keys) {
      auto t = read_terms(k);
      if (!t) return unexpected(std::move(t).error());
      out.push_back(std::move(*t));
    }
    return out;
  }

  WarrantyResult<std::optional<Registration>> registration(const std::string& item) override {
    std::lock_guard lock(mutex_);
    return read_registration(item);
  }

  WarrantyResult<void*> add_registration(const Registration& r) override {
    std::lock_guard lock(mutex_);
    return in_transaction([&]() -> WarrantyResult<void*> { return insert_registration(r); });
  }

  WarrantyResult<void*> transfer(const std::string& item, const std::string& new_owner,
                                 std::int64_t at) override {
    std::lock_guard lock(mutex_);
    return in_transaction([&]() -> WarrantyResult<void*> {
      auto r = read_registration(item);
      if (!r) return unexpected(std::move(r).error());
      if (!*r) return unexpected(WarrantyError{Kind::kNotFound, item + " is not registered"});
      Statement log(db_.get(), "INSERT INTO warranty_transfers VALUES (?1,?2,?3,?4)");
      log.bind(1, item).bind(2, at).bind(3, (*r)->owner).bind(4, new_owner);
      Statement set(db_.get(), "UPDATE warranty_registrations SET owner = ?2 WHERE item = ?1");
      set.bind(1, item).bind(2, new_owner);
      if (log.step() != SQLITE_DONE || set.step() != SQLITE_DONE) return io("transferring");
      return nullptr;
    });
  }

  WarrantyResult<Claim> add_claim(Claim c) override {
    std::lock_guard lock(mutex_);
    Statement s(db_.get(),
                "INSERT INTO warranty_claims(item, owner, opened_at, description, state, flags, "
                "resolution, replacement, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)");
    s.bind(1, c.item).bind(2, c.owner).bind(3, c.opened_at).bind(4, c.description);
    s.bind(5, static_cast<int64_t>(c.state)).bind(6, join_lines(c.flags)).bind(7, c.resolution);
    s.bind(8, c.replacement).bind(9, c.updated_at);
    if (s.step() != SQLITE_DONE) return io("opening a claim");
    c.id = sqlite3_last_insert_rowid(db_.get());
    return c;
  }

  WarrantyResult<std::optional<Claim>> claim(std::int64_t id) override {
    std::lock_guard lock(mutex_);
    Statement s(db_.get(), std::string(kClaimColumns) + " WHERE id = ?1");
    s.bind(1, id);
    int rc = s.step();
    if (rc == SQLITE_DONE) return std::optional<Claim>();
    if (rc != SQLITE_ROW) return io("reading a claim");
    return std::optional<Claim>(read_claim(s));
  }

  WarrantyResult<std::vector<Claim>> claims_of(const std::string& item) override {
    std::lock_guard lock(mutex_);
    Statement s(db_.get(), std::string(kClaimColumns) + " WHERE item = ?1 ORDER BY id");
    s.bind(1, item);
    std::vector<Claim> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back(read_claim(s));
    if (rc != SQLITE_DONE) return io("reading claims");
    return out;
  }

  WarrantyResult<Claim> update_claim(const Claim& c) override {
    std::lock_guard lock(mutex_);
    auto done = in_transaction([&]() -> WarrantyResult<void*> {
      Statement before(db_.get(), "SELECT replacement FROM warranty_claims WHERE id = ?1");
      before.bind(1, c.id);
      int rc = before.step();
      if (rc == SQLITE_DONE)
        return unexpected(WarrantyError{Kind::kNotFound, "no claim " + std::to_string(c.id)});
      if (rc != SQLITE_ROW) return io("reading a claim");
      const bool newly_replaced = before.text(0).empty() && !c.replacement.empty();
      Statement s(db_.get(),
                  "UPDATE warranty_claims SET state = ?2, resolution = ?3, replacement = ?4, "
                  "flags = ?5, updated_at = ?6 WHERE id = ?1");
      s.bind(1, c.id).bind(2, static_cast<int64_t>(c.state)).bind(3, c.resolution);
      s.bind(4, c.replacement).bind(5, join_lines(c.flags)).bind(6, c.updated_at);
      if (s.step() != SQLITE_DONE) return io("updating a claim");
      if (!newly_replaced) return nullptr;
      // The warranty moves to the replacement for the rest of its coverage.
      auto old = read_registration(c.item);
      if (!old) return unexpected(std::move(old).error());
      if (!*old) return unexpected(WarrantyError{Kind::kConflict, c.item + " is not registered"});
      Registration moved = **old;
      moved.item = c.replacement;
      moved.registered_at = c.updated_at;
      moved.replaces = c.item;
      moved.moved_to.clear();
      moved.state = RegistrationState::kActive;
      if (auto r = insert_registration(moved); !r) return r;
      Statement mark(db_.get(),
                     "UPDATE warranty_registrations SET state = ?2, moved_to = ?3 WHERE item = ?1");
      mark.bind(1, c.item).bind(2, static_cast<int64_t>(RegistrationState::kReplaced));
      mark.bind(3, c.replacement);
      if (mark.step() != SQLITE_DONE) return io("moving a registration");
      return nullptr;
    });
    if (!done) return unexpected(std::move(done).error());
    return c;
  }

 private:
  static constexpr const char* kClaimColumns =
      "SELECT id, item, owner, opened_at, description, state, flags, resolution, replacement, "
      "updated_at FROM warranty_claims";

  WarrantyError io_error(const std::string& what) const {
    return WarrantyError{Kind::kIo, what + ": " + sqlite3_errmsg(db_.get())};
  }
  Unexpected<WarrantyError> io(const std::string& what) const { return unexpected(io_error(what)); }

  // Runs f inside BEGIN IMMEDIATE ... COMMIT; rolls back when f fails.
  template <typename F>
  WarrantyResult<void*> in_transaction(F&& f) {
    if (sqlite3_exec(db_.get(), "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK)
      return io("starting a transaction");
    auto r = f();
    if (r && sqlite3_exec(db_.get(), "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK) return r;
    WarrantyError e = r ? io_error("committing") : std::move(r).error();
    sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
    return unexpected(std::move(e));
  }

  WarrantyResult<WarrantyTerms> read_terms(const std::string& product) {
    Statement s(db_.get(),
                "SELECT duration_days, start_rule, requires_sale, coverage, claim_limit "
                "FROM warranty_terms WHERE product = ?1");
    s.bind(1, product);
    if (s.step() != SQLITE_ROW) return io("reading terms");
    WarrantyTerms t;
    t.product = product;
    t.duration_days = s.i64(0);
    t.start = static_cast<WarrantyStart>(s.i64(1));
    t.requires_sale = s.i64(2) != 0;
    t.coverage = s.text(3);
    t.claim_limit = static_cast<std::uint32_t>(s.i64(4));
    Statement p(db_.get(),
                "SELECT name, extra_days FROM warranty_plans WHERE product = ?1 ORDER BY name");
    p.bind(1, product);
    int rc;
    while ((rc = p.step()) == SQLITE_ROW) t.plans.push_back({p.text(0), p.i64(1)});
    if (rc != SQLITE_DONE) return io("reading plans");
    return t;
  }

  WarrantyResult<std::optional<Registration>> read_registration(const std::string& item) {
    Statement s(db_.get(),
                "SELECT owner, plan, registered_at, start, end, state, moved_to, replaces "
                "FROM warranty_registrations WHERE item = ?1");
    s.bind(1, item);
    int rc = s.step();
    if (rc == SQLITE_DONE) return std::optional<Registration>();
    if (rc != SQLITE_ROW) return io("reading a registration");
    Registration r;
    r.item = item;
    r.owner = s.text(0);
    r.plan = s.text(1);
    r.registered_at = s.i64(2);
    r.start = s.i64(3);
    r.end = s.i64(4);
    r.state = static_cast<RegistrationState>(s.i64(5));
    r.moved_to = s.text(6);
    r.replaces = s.text(7);
    return std::optional<Registration>(std::move(r));
  }

  WarrantyResult<void*> insert_registration(const Registration& r) {
    Statement s(db_.get(),
                "INSERT INTO warranty_registrations VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9) "
                "ON CONFLICT(item) DO NOTHING");
    s.bind(1, r.item).bind(2, r.owner).bind(3, r.plan).bind(4, r.registered_at).bind(5, r.start);
    s.bind(6, r.end).bind(7, static_cast<int64_t>(r.state)).bind(8, r.moved_to).bind(9, r.replaces);
    if (s.step() != SQLITE_DONE) return io("storing a registration");
    if (sqlite3_changes(db_.get()) == 0)
      return unexpected(WarrantyError{Kind::kConflict, r.item + " is registered already"});
    return nullptr;
  }

  static Claim read_claim(Statement& s) {
    Claim c;
    c.id = s.i64(0);
    c.item = s.text(1);
    c.owner = s.text(2);
    c.opened_at = s.i64(3);
    c.description = s.text(4);
    c.state = static_cast<ClaimState>(s.i64(5));
    c.flags = split_lines(s.text(6));
    c.resolution = s.text(7);
    c.replacement = s.text(8);
    c.updated_at = s.i64(9);
    return c;
  }

  sqlite::Connection db_;
  std::mutex mutex_;  // one transaction at a time on this connection
};

}  // namespace

WarrantyResult<std::unique_ptr<WarrantyRecords>> open_sqlite_warranty(const std::string& path) {
  std::string error;
  auto db = sqlite::open_connection(path, kSchema, error);
  if (!db) return unexpected(WarrantyError{Kind::kIo, error});
  return std::unique_ptr<WarrantyRecords>(new SqliteWarrantyRecords(std::move(db)));
}

}  // namespace serialtrack::store

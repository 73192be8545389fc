// Number ranges in SQLite: a second connection to the event store's file (WAL lets both
// work at once), its own tables (prefixed serial_) and its own schema version in
// serial_meta (PRAGMA user_version belongs to the event store). Allocation is one BEGIN
// IMMEDIATE transaction that advances a range's issued counter in one UPDATE, so two
// allocations never share a counter, whichever thread or process makes them.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <limits>
#include <map>
#include <mutex>
#include <utility>

#include "crypto/aes.h"
#include "crypto/sha256.h"
#include "gs1/check_digit.h"
#include "store/serial_ranges.h"
#include "store/sqlite_statement.h"
#include "store/sqlite_wal.h"

namespace serialtrack::store {
namespace {

using Kind = RangeError::Kind;

// Entry i brings serial_meta's schema_version i to i + 1.
constexpr const char* kMigrations[] = {
    R"sql(
    CREATE TABLE serial_formats(
      name        TEXT PRIMARY KEY,
      alphabet    TEXT NOT NULL,
      free_length INTEGER NOT NULL,
      prefix      TEXT NOT NULL,
      check_char  TEXT NOT NULL,
      created     INTEGER NOT NULL);
    CREATE TABLE serial_keys(
      key_id  TEXT PRIMARY KEY,
      created INTEGER NOT NULL);
    CREATE TABLE serial_ranges(
      range_id      INTEGER PRIMARY KEY,
      gtin          TEXT NOT NULL,
      lot           TEXT NOT NULL,
      format        TEXT NOT NULL,
      scheme        TEXT NOT NULL,
      key_id        TEXT NOT NULL,
      first_counter INTEGER NOT NULL,
      capacity      INTEGER NOT NULL,
      issued        INTEGER NOT NULL,
      created       INTEGER NOT NULL,
      UNIQUE(gtin, lot, format, scheme, key_id));
    CREATE TABLE serial_allocations(
      allocation_id INTEGER PRIMARY KEY,
      request_id    TEXT NOT NULL UNIQUE,
      range_id      INTEGER NOT NULL,
      first_counter INTEGER NOT NULL,
      count         INTEGER NOT NULL,
      site          TEXT NOT NULL,
      to_party      TEXT NOT NULL,
      request       TEXT NOT NULL,
      created       INTEGER NOT NULL);
    CREATE INDEX serial_allocations_by_range ON serial_allocations(range_id);
    CREATE TABLE serial_allocation_runs(
      allocation_id INTEGER NOT NULL,
      seq           INTEGER NOT NULL,
      range_id      INTEGER NOT NULL,
      first_counter INTEGER NOT NULL,
      count         INTEGER NOT NULL,
      PRIMARY KEY(allocation_id, seq)) WITHOUT ROWID;
    CREATE INDEX serial_runs_by_counter ON serial_allocation_runs(range_id, first_counter);
    CREATE TABLE serial_returns(
      range_id      INTEGER NOT NULL,
      allocation_id INTEGER NOT NULL,
      first_counter INTEGER NOT NULL,
      count         INTEGER NOT NULL,
      returned      INTEGER NOT NULL,
      reissued_in   INTEGER);
    CREATE INDEX serial_returns_by_range ON serial_returns(range_id, first_counter);
    CREATE TABLE serial_random_issued(
      gtin     TEXT NOT NULL,
      serial   TEXT NOT NULL,
      range_id INTEGER NOT NULL,
      counter  INTEGER NOT NULL,
      PRIMARY KEY(gtin, serial)) WITHOUT ROWID;
    CREATE UNIQUE INDEX serial_random_by_counter ON serial_random_issued(range_id, counter);
    )sql",
    R"sql(
    CREATE TABLE serial_gtin_formats(
      gtin     TEXT PRIMARY KEY,
      format   TEXT NOT NULL,
      market   TEXT NOT NULL,
      assigned INTEGER NOT NULL);
    )sql",
};

constexpr std::uint64_t kMaxCounter =
    static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
constexpr std::size_t kKeyBytes = 32;  // AES-256

RangeError err(Kind kind, std::string message) {
  return RangeError{kind, std::move(message)};
}
RangeError db_error(sqlite3* db, const std::string& what) {
  return err(Kind::kIo, what + ": " + (db ? sqlite3_errmsg(db) : "no database"));
}

using Stmt = SqliteStatement;

// ---- key file ------------------------------------------------------------------------

std::optional<std::string> unhex(std::string_view text) {
  if (text.size() % 2) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < text.size(); i += 2) {
    int v = 0;
    for (size_t j = 0; j < 2; ++j) {
      char c = text[i + j];
      int d = c >= '0' && c <= '9'   ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                     : -1;
      if (d < 0) return std::nullopt;
      v = v * 16 + d;
    }
    out += static_cast<char>(v);
  }
  return out;
}

struct KeyRing {
  std::vector<std::pair<std::string, std::string>> keys;  // (id, bytes), oldest first
  const std::string* find(const std::string& id) const {
    for (const auto& k : keys)
      if (k.first == id) return &k.second;
    return nullptr;
  }
};

RangeResult<std::string> new_key_line() {
  std::uint8_t bytes[kKeyBytes + 4];
  if (crypto::random_bytes(bytes)) return unexpected(err(Kind::kIo, "the CSPRNG failed"));
  std::string line(1, 'k');
  line += lower_hex(std::span(bytes + kKeyBytes, 4));
  line += ' ';
  line += lower_hex(std::span(bytes, kKeyBytes));
  line += '\n';
  std::memset(bytes, 0, sizeof bytes);
  return line;
}

std::string permission_error(const std::string& path, mode_t mode) {
  char octal[8];
  std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(mode & 07777));
  return "key file " + path + " has permissions " + octal +
         ", wider than 0600: anyone else who can read it can forge serials (chmod 600 " + path +
         ")";
}

// Reads the key file; nullopt when it does not exist.
RangeResult<std::optional<KeyRing>> read_key_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<KeyRing>();
    return unexpected(
        err(Kind::kKeyFile, "cannot open key file " + path + ": " + std::strerror(errno)));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return unexpected(err(Kind::kIo, "cannot stat key file " + path));
  }
  if (st.st_mode & 077) {
    ::close(fd);
    return unexpected(err(Kind::kKeyFile, permission_error(path, st.st_mode)));
  }
  std::string text;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) text.append(buf, static_cast<size_t>(n));
  ::close(fd);
  KeyRing ring;
  size_t pos = 0, line_no = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) break;  // a line being appended by a rotation: not yet a key
    std::string_view line(text.data() + pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (line.empty()) continue;
    size_t sp = line.find(' ');
    auto bytes = sp == std::string::npos ? std::nullopt : unhex(line.substr(sp + 1));
    if (!bytes || (bytes->size() != 16 && bytes->size() != 24 && bytes->size() != 32) || sp == 0)
      return unexpected(err(Kind::kCorrupt, "key file " + path + ": line " +
                                                std::to_string(line_no) +
                                                " is not 'key-id hex-key' (AES-128/192/256)"));
    ring.keys.emplace_back(std::string(line.substr(0, sp)), std::move(*bytes));
  }
  if (ring.keys.empty())
    return unexpected(err(Kind::kCorrupt, "key file " + path + " holds no key"));
  return std::optional<KeyRing>(std::move(ring));
}

bool write_all(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// Loads the key file, creating it with one new key when there is none. The new file is
// written whole under a private name (O_CREAT|O_EXCL, 0600) and then linked into place,
// so a concurrent opener sees either no file or a complete one.
RangeResult<KeyRing> load_or_create_keys(const std::string& path) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto ring = read_key_file(path);
    if (!ring) return unexpected(std::move(ring).error());
    if (*ring) return std::move(**ring);
    auto line = new_key_line();
    if (!line) return unexpected(std::move(line).error());
    std::uint8_t tag[8];
    if (crypto::random_bytes(tag)) return unexpected(err(Kind::kIo, "the CSPRNG failed"));
    std::string tmp = path + ".new-" + lower_hex(tag);
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
      return unexpected(
          err(Kind::kIo, "cannot create key file " + tmp + ": " + std::strerror(errno)));
    bool written = ::fchmod(fd, 0600) == 0 && write_all(fd, *line) && ::fsync(fd) == 0;
    std::fill(line->begin(), line->end(), '\0');
    ::close(fd);
    if (!written) {
      ::unlink(tmp.c_str());
      return unexpected(err(Kind::kIo, "cannot write key file " + tmp));
    }
    int linked = ::link(tmp.c_str(), path.c_str());
    int link_errno = errno;
    ::unlink(tmp.c_str());
    if (linked != 0 && link_errno != EEXIST)
      return unexpected(
          err(Kind::kIo, "cannot create key file " + path + ": " + std::strerror(link_errno)));
    // EEXIST: another process created it first; read theirs.
  }
  return unexpected(err(Kind::kIo, "cannot create key file " + path));
}

// ---- generators ----------------------------------------------------------------------

struct RangeRow {
  std::int64_t range_id = 0;
  std::string gtin, lot, format, key_id;
  serial::Scheme scheme = serial::Scheme::ff1;
  std::uint64_t capacity = 0, issued = 0;
};

// FF3-1 takes a 56-bit tweak: the first 7 bytes of SHA-256 of the FF1 tweak.
std::vector<std::uint8_t> ff3_1_tweak(const std::vector<std::uint8_t>& tweak) {
  auto digest =
      crypto::sha256(std::string_view(reinterpret_cast<const char*>(tweak.data()), tweak.size()));
  return std::vector<std::uint8_t>(digest.begin(), digest.begin() + 7);
}

RangeError from_serial(const serial::Error& e) {
  return err(Kind::kInvalidArgument, std::string(e.name()) + ": " + e.message);
}

// The counter -> serial generator of a range (not the random scheme).
RangeResult<std::unique_ptr<serial::Generator>> make_generator(const serial::Format& format,
                                                               serial::Scheme scheme,
                                                               const std::string& key,
                                                               const std::string& gtin,
                                                               const std::string& lot) {
  std::span<const std::uint8_t> key_bytes(reinterpret_cast<const std::uint8_t*>(key.data()),
                                          key.size());
  auto tweak = serial::serial_tweak(gtin, lot);
  serial::Result<std::unique_ptr<serial::Generator>> g =
      scheme == serial::Scheme::ff1 ? serial::make_ff1_generator(format, key_bytes, tweak)
      : scheme == serial::Scheme::ff3_1
          ? serial::make_ff3_1_generator(format, key_bytes, ff3_1_tweak(tweak))
          : serial::make_sequential_generator(format, 0, 1);
  if (!g) return unexpected(from_serial(g.error()));
  return std::move(*g);
}

RangeResult<serial::Format> to_format(const SerialFormatRecord& r) {
  auto f = serial::Format::create(r.alphabet, r.free_length, r.prefix, r.check);
  if (!f) return unexpected(from_serial(f.error()));
  return std::move(*f);
}

}  // namespace

std::string_view market_format(std::string_view market) {
  return market == kEuFmdMarket ? kEuFmdFormatName : kDefaultFormatName;
}

RangeResult<GuessProbability> format_guess_probability(SerialRanges& ranges,
                                                       const std::string& format_name,
                                                       std::uint64_t issued) {
  auto rec = ranges.format(format_name);
  if (!rec) return unexpected(std::move(rec).error());
  auto format = to_format(*rec);
  if (!format) return unexpected(std::move(format).error());
  return GuessProbability{serial::guess_probability(*format, issued),
                          serial::check_guess_probability(*format, issued).ok()};
}

namespace {

// GTIN-8/12/13/14 to 14 digits; nullopt unless digits with a valid check digit.
std::optional<std::string> normalise_gtin(std::string_view gtin) {
  return gs1::gtin14(gtin);
}

struct Run {
  std::uint64_t first, count;
};

class SqliteSerialRanges final : public SerialRanges {
 public:
  SqliteSerialRanges(sqlite3* db, std::string key_path) : db_(db), key_path_(std::move(key_path)) {}
  ~SqliteSerialRanges() override {
    for (auto& k : keys_.keys) std::fill(k.second.begin(), k.second.end(), '\0');
    sqlite3_close_v2(db_);
  }

  RangeResult<bool> open() {
    if (use_wal(db_) != SQLITE_OK) return unexpected(db_error(db_, "setting WAL mode"));
    if (!begin()) return unexpected(db_error(db_, "starting the schema migration"));
    auto migrated = migrate();
    if (!migrated) {
      rollback();
      return migrated;
    }
    if (!commit()) return unexpected(db_error(db_, "committing the schema migration"));
    auto keys = load_or_create_keys(key_path_);
    if (!keys) return unexpected(std::move(keys).error());
    keys_ = std::move(*keys);
    return record_keys();
  }

  RangeResult<SerialFormatRecord> add_format(const SerialFormatRecord& record) override {
    if (record.name.empty())
      return unexpected(err(Kind::kInvalidArgument, "a format needs a name"));
    auto f = to_format(record);
    if (!f) return unexpected(std::move(f).error());
    std::lock_guard lock(mu_);
    if (!begin()) return unexpected(db_error(db_, "starting a transaction"));
    auto existing = format_locked(record.name);
    if (existing) {
      rollback();
      if (existing->alphabet == record.alphabet && existing->free_length == record.free_length &&
          existing->prefix == record.prefix && existing->check == record.check)
        return std::move(*existing);
      return unexpected(
          err(Kind::kConflict, "format " + record.name + " exists with another definition"));
    }
    SerialFormatRecord out = record;
    out.created = now_unix_seconds();
    Stmt s(db_, "INSERT INTO serial_formats VALUES (?1,?2,?3,?4,?5,?6)");
    s.bind(1, out.name).bind(2, out.alphabet).bind(3, out.free_length).bind(4, out.prefix);
    s.bind(5, serial::check_name(out.check)).bind(6, out.created);
    if (s.step() != SQLITE_DONE || !commit()) {
      auto e = db_error(db_, "storing format " + out.name);
      rollback();
      return unexpected(e);
    }
    return out;
  }

  RangeResult<std::vector<SerialFormatRecord>> formats() override {
    std::lock_guard lock(mu_);
    Stmt s(db_,
           "SELECT name, alphabet, free_length, prefix, check_char, created FROM serial_formats "
           "ORDER BY name");
    std::vector<SerialFormatRecord> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back(format_row(s));
    if (rc != SQLITE_DONE) return unexpected(db_error(db_, "listing formats"));
    return out;
  }

  RangeResult<SerialFormatRecord> format(const std::string& name) override {
    std::lock_guard lock(mu_);
    return format_locked(name);
  }

  RangeResult<GtinFormat> assign_format(const GtinFormat& assignment) override {
    auto gtin = normalise_gtin(assignment.gtin);
    if (!gtin)
      return unexpected(err(Kind::kInvalidArgument,
                            "'" + assignment.gtin + "' is not a GTIN with a valid check digit"));
    if (!assignment.market.empty() && assignment.market != kEuFmdMarket)
      return unexpected(err(Kind::kInvalidArgument,
                            "unknown market '" + assignment.market + "' (known: eu-fmd)"));
    std::string format = assignment.format.empty() ? std::string(market_format(assignment.market))
                                                   : assignment.format;
    std::lock_guard lock(mu_);
    auto rec = format_locked(format);
    if (!rec) return unexpected(std::move(rec).error());
    Stmt s(db_,
           "INSERT INTO serial_gtin_formats VALUES (?1,?2,?3,?4) ON CONFLICT(gtin) DO UPDATE SET "
           "format = excluded.format, market = excluded.market, assigned = excluded.assigned");
    s.bind(1, *gtin).bind(2, format).bind(3, assignment.market).bind(4, now_unix_seconds());
    if (s.step() != SQLITE_DONE) return unexpected(db_error(db_, "assigning a format"));
    return GtinFormat{*gtin, format, assignment.market};
  }

  RangeResult<GtinFormat> assigned_format(const std::string& gtin_text) override {
    auto gtin = normalise_gtin(gtin_text);
    if (!gtin)
      return unexpected(err(Kind::kInvalidArgument,
                            "'" + gtin_text + "' is not a GTIN with a valid check digit"));
    std::lock_guard lock(mu_);
    return assigned_locked(*gtin);
  }

  RangeResult<Allocation> allocate(const AllocationRequest& request,
                                   const SerialSink& sink) override;

  RangeResult<std::vector<AllocationSummary>> allocations(
      const std::string& gtin, const CommissionedCounter& count_commissioned) override;

  RangeResult<std::uint64_t> return_unused(std::int64_t range_id,
                                           const std::vector<std::string>& serials) override;

  RangeResult<std::string> rotate_key() override {
    std::lock_guard lock(mu_);
    int fd = ::open(key_path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
      return unexpected(
          err(Kind::kKeyFile, "cannot open key file " + key_path_ + ": " + std::strerror(errno)));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || (st.st_mode & 077)) {
      ::close(fd);
      return unexpected(err(Kind::kKeyFile, permission_error(key_path_, st.st_mode)));
    }
    auto line = new_key_line();
    bool ok = line && ::flock(fd, LOCK_EX) == 0 && write_all(fd, *line) && ::fsync(fd) == 0;
    if (line) std::fill(line->begin(), line->end(), '\0');
    ::close(fd);
    if (!ok) return unexpected(err(Kind::kIo, "cannot append a key to " + key_path_));
    auto reloaded = reload_keys();
    if (!reloaded) return unexpected(std::move(reloaded).error());
    return keys_.keys.back().first;
  }

  std::string current_key_id() const override {
    std::lock_guard lock(mu_);
    return keys_.keys.back().first;
  }

 private:
  bool begin() {
    return sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK;
  }
  bool commit() { return sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK; }
  void rollback() { sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr); }

  // Inside a transaction.
  RangeResult<bool> migrate() {
    if (auto failed = migrate_tables(db_, "serial_meta", kMigrations, "serial range"))
      return unexpected(err(failed->newer ? Kind::kCorrupt : Kind::kIo, failed->message));
    Stmt d(db_, "INSERT OR IGNORE INTO serial_formats VALUES (?1,?2,12,'','none',?3)");
    d.bind(1, kDefaultFormatName)
        .bind(2, serial::kUpperAlphanumericUnambiguous)
        .bind(3, now_unix_seconds());
    if (d.step() != SQLITE_DONE) return unexpected(db_error(db_, "creating the default format"));
    Stmt fmd(db_, "INSERT OR IGNORE INTO serial_formats VALUES (?1,?2,16,'','none',?3)");
    fmd.bind(1, kEuFmdFormatName)
        .bind(2, serial::kUpperAlphanumericUnambiguous)
        .bind(3, now_unix_seconds());
    if (fmd.step() != SQLITE_DONE) return unexpected(db_error(db_, "creating the EU FMD format"));
    return true;
  }

  RangeResult<bool> record_keys() {
    Stmt s(db_, "INSERT OR IGNORE INTO serial_keys VALUES (?1, ?2)");
    for (const auto& k : keys_.keys) {
      s.bind(1, k.first).bind(2, now_unix_seconds());
      if (s.step() != SQLITE_DONE) return unexpected(db_error(db_, "recording key ids"));
      s.reset();
    }
    return true;
  }

  // Re-reads the key file (another process may have rotated). mu_ held.
  RangeResult<bool> reload_keys() {
    auto ring = read_key_file(key_path_);
    if (!ring) return unexpected(std::move(ring).error());
    if (!*ring)
      return unexpected(err(Kind::kKeyFile, "key file " + key_path_ + " has disappeared"));
    for (auto& k : keys_.keys) std::fill(k.second.begin(), k.second.end(), '\0');
    keys_ = std::move(**ring);
    return record_keys();
  }

  static SerialFormatRecord format_row(Stmt& s) {
    SerialFormatRecord r;
    r.name = s.text(0);
    r.alphabet = s.text(1);
    r.free_length = static_cast<std::uint32_t>(s.i64(2));
    r.prefix = s.text(3);
    r.check = serial::check_from_name(s.text(4)).value_or(serial::CheckCharacter::none);
    r.created = s.i64(5);
    return r;
  }

  RangeResult<GtinFormat> assigned_locked(const std::string& gtin) {
    Stmt s(db_, "SELECT format, market FROM serial_gtin_formats WHERE gtin = ?1");
    s.bind(1, gtin);
    if (s.step() != SQLITE_ROW)
      return unexpected(err(Kind::kNotFound, "GTIN " + gtin + " has no assigned format"));
    return GtinFormat{gtin, s.text(0), s.text(1)};
  }

  RangeResult<SerialFormatRecord> format_locked(const std::string& name) {
    Stmt s(db_,
           "SELECT name, alphabet, free_length, prefix, check_char, created FROM serial_formats "
           "WHERE name = ?1");
    s.bind(1, name);
    int rc = s.step();
    if (rc == SQLITE_ROW) return format_row(s);
    if (rc == SQLITE_DONE)
      return unexpected(err(Kind::kNotFound, "no serial format named " + name));
    return unexpected(db_error(db_, "reading format " + name));
  }

  static RangeRow range_row(Stmt& s) {
    RangeRow r;
    r.range_id = s.i64(0);
    r.gtin = s.text(1);
    r.lot = s.text(2);
    r.format = s.text(3);
    r.scheme = serial::scheme_from_name(s.text(4)).value_or(serial::Scheme::ff1);
    r.key_id = s.text(5);
    r.capacity = static_cast<std::uint64_t>(s.i64(6));
    r.issued = static_cast<std::uint64_t>(s.i64(7));
    return r;
  }
  static constexpr const char* kRangeColumns =
      "SELECT range_id, gtin, lot, format, scheme, key_id, capacity, issued FROM serial_ranges ";

  RangeResult<RangeRow> range_by_id(std::int64_t id) {
    Stmt s(db_, (std::string(kRangeColumns) + "WHERE range_id = ?1").c_str());
    s.bind(1, id);
    int rc = s.step();
    if (rc == SQLITE_ROW) return range_row(s);
    if (rc == SQLITE_DONE)
      return unexpected(err(Kind::kNotFound, "no serial range " + std::to_string(id)));
    return unexpected(db_error(db_, "reading range"));
  }

  const std::string* key(const std::string& id) {
    if (const std::string* k = keys_.find(id)) return k;
    if (!reload_keys()) return nullptr;
    return keys_.find(id);
  }

  // Everything needed to turn a range's counters into serials. Random ranges have no
  // generator: their serials are read back from serial_random_issued.
  struct RangeCipher {
    RangeRow row;
    std::optional<serial::Format> format;
    std::unique_ptr<serial::Generator> generator;
  };
  RangeResult<RangeCipher> cipher_of(const RangeRow& row) {
    auto rec = format_locked(row.format);
    if (!rec) return unexpected(std::move(rec).error());
    auto f = to_format(*rec);
    if (!f) return unexpected(std::move(f).error());
    RangeCipher c{row, std::move(*f), nullptr};
    if (row.scheme == serial::Scheme::random) return c;
    const std::string* k = key(row.key_id);
    if (!k)
      return unexpected(err(Kind::kKeyFile, "key file " + key_path_ + " lacks key " + row.key_id));
    auto g = make_generator(*c.format, row.scheme, *k, row.gtin, row.lot);
    if (!g) return unexpected(std::move(g).error());
    c.generator = std::move(*g);
    return c;
  }

  // Streams counters [first, first+count) of a random range, from the table. mu_ held.
  RangeResult<bool> stream_random(std::int64_t range_id, const Run& run, const SerialSink& sink) {
    Stmt s(db_,
           "SELECT serial FROM serial_random_issued WHERE range_id = ?1 AND counter >= ?2 AND "
           "counter < ?3 ORDER BY counter");
    s.bind(1, range_id)
        .bind(2, static_cast<std::int64_t>(run.first))
        .bind(3, static_cast<std::int64_t>(run.first + run.count));
    int rc;
    std::uint64_t n = 0;
    while ((rc = s.step()) == SQLITE_ROW) {
      ++n;
      if (sink) sink(s.text(0));
    }
    if (rc != SQLITE_DONE || n != run.count)
      return unexpected(db_error(db_, "reading random serials"));
    return true;
  }

  static RangeResult<bool> stream_generated(const serial::Generator& gen, const Run& run,
                                            const SerialSink& sink) {
    std::vector<serial::SerialBuffer> batch(256);
    for (std::uint64_t done = 0; done < run.count;) {
      std::size_t n =
          static_cast<std::size_t>(std::min<std::uint64_t>(batch.size(), run.count - done));
      if (auto e = gen.serials_into(run.first + done, std::span(batch.data(), n)))
        return unexpected(from_serial(*e));
      if (sink)
        for (std::size_t i = 0; i < n; ++i) sink(batch[i].view());
      done += n;
    }
    return true;
  }

  RangeResult<std::vector<Run>> runs_of(std::int64_t allocation_id) {
    Stmt s(db_,
           "SELECT first_counter, count FROM serial_allocation_runs WHERE allocation_id = ?1 ORDER "
           "BY seq");
    s.bind(1, allocation_id);
    std::vector<Run> runs;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW)
      runs.push_back({static_cast<std::uint64_t>(s.i64(0)), static_cast<std::uint64_t>(s.i64(1))});
    if (rc != SQLITE_DONE) return unexpected(db_error(db_, "reading allocation runs"));
    return runs;
  }

  // Other ranges of the same GTIN that have issued serials: a new serial must be none
  // of theirs (the SGTIN is GTIN + serial, whatever the lot, format, scheme or key).
  struct Sibling {
    RangeCipher cipher;
  };
  std::string fingerprint(const AllocationRequest& r, const std::string& gtin) const {
    return gtin + "\x1f" + r.lot + "\x1f" + r.format + "\x1f" +
           std::string(serial::scheme_name(r.scheme)) + "\x1f" + std::to_string(r.count) + "\x1f" +
           r.site + "\x1f" + r.to + "\x1f" + (r.reissue_returned ? "1" : "0");
  }

  RangeResult<Allocation> replay(const std::string& request_id, const std::string& fp,
                                 const SerialSink& sink);

  mutable std::mutex mu_;
  sqlite3* db_;
  std::string key_path_;
  KeyRing keys_;
};

RangeResult<Allocation> SqliteSerialRanges::replay(const std::string& request_id,
                                                   const std::string& fp, const SerialSink& sink) {
  Stmt s(db_,
         "SELECT a.allocation_id, a.range_id, a.first_counter, a.count, a.request, r.key_id "
         "FROM serial_allocations a JOIN serial_ranges r USING(range_id) WHERE a.request_id = ?1");
  s.bind(1, request_id);
  if (s.step() != SQLITE_ROW) return unexpected(db_error(db_, "reading allocation " + request_id));
  if (s.text(4) != fp)
    return unexpected(
        err(Kind::kConflict, "request id " + request_id + " was used for another request"));
  Allocation a;
  a.allocation_id = s.i64(0);
  a.range_id = s.i64(1);
  a.first_counter = static_cast<std::uint64_t>(s.i64(2));
  a.count = static_cast<std::uint64_t>(s.i64(3));
  a.request_id = request_id;
  a.key_id = s.text(5);
  a.replayed = true;
  auto row = range_by_id(a.range_id);
  if (!row) return unexpected(std::move(row).error());
  auto cipher = cipher_of(*row);
  if (!cipher) return unexpected(std::move(cipher).error());
  auto runs = runs_of(a.allocation_id);
  if (!runs) return unexpected(std::move(runs).error());
  for (const Run& run : *runs) {
    auto r = cipher->generator ? stream_generated(*cipher->generator, run, sink)
                               : stream_random(a.range_id, run, sink);
    if (!r) return unexpected(std::move(r).error());
  }
  return a;
}

RangeResult<Allocation> SqliteSerialRanges::allocate(const AllocationRequest& given,
                                                     const SerialSink& sink) {
  auto gtin = normalise_gtin(given.gtin);
  if (!gtin)
    return unexpected(
        err(Kind::kInvalidArgument, "'" + given.gtin + "' is not a GTIN with a valid check digit"));
  // A request naming no format takes the GTIN's assigned one (else the default); a GTIN
  // of the EU FMD market never gets guessable serials (Delegated Regulation 2016/161 Art. 4).
  AllocationRequest request = given;
  std::string market;
  {
    std::lock_guard lock(mu_);
    if (auto a = assigned_locked(*gtin)) {
      market = a->market;
      if (request.format.empty()) request.format = a->format;
    }
  }
  if (request.format.empty()) request.format = std::string(kDefaultFormatName);
  if (market == kEuFmdMarket &&
      (request.allow_guessable || request.scheme == serial::Scheme::sequential))
    return unexpected(err(Kind::kGuessable,
                          "GTIN " + *gtin +
                              " is assigned to the EU FMD market: its serials "
                              "must be randomised (no sequential scheme, no guessable override)"));
  if (request.count == 0 || request.count > kMaxCounter)
    return unexpected(err(Kind::kInvalidArgument, "count must be at least 1"));
  if (request.lot.size() > 20)
    return unexpected(err(Kind::kInvalidArgument, "a lot (AI 10) is at most 20 characters"));
  if (request.scheme == serial::Scheme::sequential && !request.allow_guessable)
    return unexpected(err(Kind::kGuessable,
                          "sequential serials can be guessed (EU FMD 2016/161 Art. 4(b)); "
                          "allow guessable serials to use them"));
  std::string request_id = request.request_id;
  if (request_id.empty()) {
    std::uint8_t id[16];
    if (crypto::random_bytes(id)) return unexpected(err(Kind::kIo, "the CSPRNG failed"));
    request_id = "req-" + lower_hex(id);
  }
  const std::string fp = fingerprint(request, *gtin);

  std::unique_lock lock(mu_);
  if (auto r = reload_keys(); !r) return unexpected(std::move(r).error());  // a rotation elsewhere
  const std::string key_id = keys_.keys.back().first;
  if (!begin()) return unexpected(db_error(db_, "starting an allocation"));
  auto fail = [&](RangeError e) -> RangeResult<Allocation> {
    rollback();
    return unexpected(std::move(e));
  };

  {  // A retried request: the same serials as the first time.
    Stmt s(db_, "SELECT 1 FROM serial_allocations WHERE request_id = ?1");
    s.bind(1, request_id);
    if (s.step() == SQLITE_ROW) {
      rollback();
      return replay(request_id, fp, sink);
    }
  }

  auto rec = format_locked(request.format);
  if (!rec) return fail(std::move(rec).error());
  auto format = to_format(*rec);
  if (!format) return fail(std::move(format).error());

  // The range of these parameters under the current key, created on first use.
  const std::string scheme(serial::scheme_name(request.scheme));
  std::uint64_t capacity = 0;
  std::unique_ptr<serial::Generator> generator;
  if (request.scheme == serial::Scheme::random) {
    auto check = serial::RandomGenerator::create(*format);
    if (!check) return fail(from_serial(check.error()));
    capacity =
        static_cast<std::uint64_t>(std::min<serial::uint128>(format->domain_size(), kMaxCounter));
  } else {
    auto g = make_generator(*format, request.scheme, *keys_.find(key_id), *gtin, request.lot);
    if (!g) return fail(std::move(g).error());
    generator = std::move(*g);
    capacity = std::min<std::uint64_t>(generator->capacity(), kMaxCounter);
  }
  {
    Stmt s(db_,
           "INSERT OR IGNORE INTO serial_ranges(gtin, lot, format, scheme, key_id, first_counter, "
           "capacity, issued, created) "
           "VALUES (?1,?2,?3,?4,?5,0,?6,0,?7)");
    s.bind(1, *gtin).bind(2, request.lot).bind(3, request.format).bind(4, scheme).bind(5, key_id);
    s.bind(6, static_cast<std::int64_t>(capacity)).bind(7, now_unix_seconds());
    if (s.step() != SQLITE_DONE) return fail(db_error(db_, "creating a range"));
  }
  RangeRow range;
  {
    Stmt s(db_, (std::string(kRangeColumns) +
                 "WHERE gtin=?1 AND lot=?2 AND format=?3 AND scheme=?4 AND key_id=?5")
                    .c_str());
    s.bind(1, *gtin).bind(2, request.lot).bind(3, request.format).bind(4, scheme).bind(5, key_id);
    if (s.step() != SQLITE_ROW) return fail(db_error(db_, "reading a range"));
    range = range_row(s);
  }

  // EU FMD guess probability over the GTIN's serials of this format after this request.
  std::uint64_t issued_of_format = 0;
  {
    Stmt s(db_,
           "SELECT coalesce(sum(issued), 0) FROM serial_ranges WHERE gtin = ?1 AND format = ?2");
    s.bind(1, *gtin).bind(2, request.format);
    if (s.step() != SQLITE_ROW) return fail(db_error(db_, "summing issued serials"));
    issued_of_format = static_cast<std::uint64_t>(s.i64(0));
  }
  std::uint64_t total = issued_of_format + request.count;
  auto probability = serial::check_guess_probability(
      *format, total < issued_of_format ? kMaxCounter : total, request.allow_guessable);
  if (!probability)
    return fail(err(Kind::kGuessable, "format " + request.format + " with " +
                                          std::to_string(total) + " serials of GTIN " + *gtin +
                                          ": " + probability.error().message));

  std::vector<Run> runs;
  std::uint64_t need = request.count;
  // Returned-unused serials of this range first, when asked (never otherwise).
  std::vector<std::pair<std::int64_t, Run>> reissued;  // (return rowid, run)
  if (request.reissue_returned) {
    Stmt s(db_,
           "SELECT rowid, first_counter, count FROM serial_returns WHERE range_id = ?1 AND "
           "reissued_in IS NULL "
           "ORDER BY first_counter");
    s.bind(1, range.range_id);
    while (need > 0 && s.step() == SQLITE_ROW) {
      Run run{static_cast<std::uint64_t>(s.i64(1)),
              std::min<std::uint64_t>(need, static_cast<std::uint64_t>(s.i64(2)))};
      reissued.emplace_back(s.i64(0), run);
      runs.push_back(run);
      need -= run.count;
    }
  }

  // Siblings: other ranges of the GTIN with serials out.
  std::vector<RangeCipher> siblings;
  bool random_siblings = false;
  {
    Stmt s(
        db_,
        (std::string(kRangeColumns) + "WHERE gtin = ?1 AND range_id != ?2 AND issued > 0").c_str());
    s.bind(1, *gtin).bind(2, range.range_id);
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
      RangeRow row = range_row(s);
      if (row.scheme == serial::Scheme::random) {
        random_siblings = true;
        continue;
      }
      auto c = cipher_of(row);
      if (!c) return fail(std::move(c).error());
      siblings.push_back(std::move(*c));
    }
    if (rc != SQLITE_DONE) return fail(db_error(db_, "reading sibling ranges"));
  }
  const bool is_random = request.scheme == serial::Scheme::random;
  Stmt random_lookup(db_, "SELECT 1 FROM serial_random_issued WHERE gtin = ?1 AND serial = ?2");
  // True when serial s is (or may be) another range's. Conservative: a sibling counter
  // below its issued mark counts as taken even when that counter was itself skipped.
  auto taken = [&](std::string_view s) {
    for (const auto& sib : siblings) {
      auto c = sib.generator->counter_of(s);
      if (c && *c < sib.row.issued) return true;
    }
    if (random_siblings || is_random) {
      random_lookup.bind(1, *gtin).bind(2, s);
      bool found = random_lookup.step() == SQLITE_ROW;
      random_lookup.reset();
      if (found) return true;
    }
    return false;
  };

  std::uint64_t next = range.issued;
  if (need > 0 && is_random) {
    // Random: draw, check against the store, record each serial with a counter.
    auto gen = serial::RandomGenerator::create(*format);
    Stmt insert(
        db_,
        "INSERT INTO serial_random_issued(gtin, serial, range_id, counter) VALUES (?1,?2,?3,?4)");
    if (range.capacity - next < need)
      return fail(err(Kind::kExhausted, "the range has too few serials left"));
    serial::SerialBuffer buf;
    Run run{next, need};
    const serial::RandomGenerator::IssuedCheck issued = [&](std::string_view s) {
      return taken(s);
    };
    for (std::uint64_t i = 0; i < need; ++i) {
      if (auto e = gen->next_into(issued, buf))
        return fail(
            err(e->code == serial::ErrorCode::TOO_MANY_COLLISIONS ? Kind::kExhausted : Kind::kIo,
                e->message));
      insert.bind(1, *gtin)
          .bind(2, buf.view())
          .bind(3, range.range_id)
          .bind(4, static_cast<std::int64_t>(next++));
      if (insert.step() != SQLITE_DONE) return fail(db_error(db_, "recording a random serial"));
      insert.reset();
    }
    runs.push_back(run);
    need = 0;
  } else if (need > 0 && (siblings.empty() && !random_siblings)) {
    // The common case: O(1) — the counters are taken by the UPDATE below.
    if (range.capacity - next < need)
      return fail(err(Kind::kExhausted, "the range has too few serials left"));
    runs.push_back({next, need});
    next += need;
    need = 0;
  } else if (need > 0) {
    // Counters whose serial another range of the GTIN holds are skipped (and burnt).
    std::vector<serial::SerialBuffer> batch(256);
    Run run{next, 0};
    while (need > 0) {
      if (next >= range.capacity)
        return fail(err(Kind::kExhausted, "the range has too few serials left"));
      std::size_t n = static_cast<std::size_t>(
          std::min<std::uint64_t>({batch.size(), need, range.capacity - next}));
      if (auto e = generator->serials_into(next, std::span(batch.data(), n)))
        return fail(from_serial(*e));
      for (std::size_t i = 0; i < n && need > 0; ++i, ++next) {
        if (taken(batch[i].view())) {
          if (run.count) runs.push_back(run);
          run = Run{next + 1, 0};
        } else {
          ++run.count;
          --need;
        }
      }
    }
    if (run.count) runs.push_back(run);
  }

  // One UPDATE advances the counter: the whole allocation's state.
  {
    Stmt s(db_, "UPDATE serial_ranges SET issued = ?1 WHERE range_id = ?2 AND issued = ?3");
    s.bind(1, static_cast<std::int64_t>(next))
        .bind(2, range.range_id)
        .bind(3, static_cast<std::int64_t>(range.issued));
    if (s.step() != SQLITE_DONE || sqlite3_changes(db_) != 1)
      return fail(db_error(db_, "advancing the range"));
  }
  Allocation a;
  a.range_id = range.range_id;
  a.request_id = request_id;
  a.key_id = key_id;
  a.first_counter = runs.empty() ? next : runs.front().first;
  a.count = request.count;
  a.guess_probability = *probability;
  {
    Stmt s(db_,
           "INSERT INTO serial_allocations(request_id, range_id, first_counter, count, site, "
           "to_party, request, created) "
           "VALUES (?1,?2,?3,?4,?5,?6,?7,?8)");
    s.bind(1, request_id)
        .bind(2, range.range_id)
        .bind(3, static_cast<std::int64_t>(a.first_counter));
    s.bind(4, static_cast<std::int64_t>(a.count))
        .bind(5, request.site)
        .bind(6, request.to)
        .bind(7, fp)
        .bind(8, now_unix_seconds());
    if (s.step() != SQLITE_DONE) return fail(db_error(db_, "recording the allocation"));
    a.allocation_id = sqlite3_last_insert_rowid(db_);
  }
  {
    Stmt s(db_, "INSERT INTO serial_allocation_runs VALUES (?1,?2,?3,?4,?5)");
    for (size_t i = 0; i < runs.size(); ++i) {
      s.bind(1, a.allocation_id).bind(2, static_cast<std::int64_t>(i)).bind(3, range.range_id);
      s.bind(4, static_cast<std::int64_t>(runs[i].first))
          .bind(5, static_cast<std::int64_t>(runs[i].count));
      if (s.step() != SQLITE_DONE) return fail(db_error(db_, "recording the allocation's runs"));
      s.reset();
    }
  }
  for (const auto& [rowid, run] : reissued) {
    // Split a return row when only part of it is reissued.
    Stmt s(db_,
           "INSERT INTO serial_returns(range_id, allocation_id, first_counter, count, returned, "
           "reissued_in) "
           "SELECT range_id, allocation_id, first_counter, ?2, returned, ?3 FROM serial_returns "
           "WHERE rowid = ?1");
    s.bind(1, rowid).bind(2, static_cast<std::int64_t>(run.count)).bind(3, a.allocation_id);
    Stmt u(db_,
           "UPDATE serial_returns SET first_counter = first_counter + ?2, count = count - ?2 WHERE "
           "rowid = ?1");
    u.bind(1, rowid).bind(2, static_cast<std::int64_t>(run.count));
    Stmt d(db_, "DELETE FROM serial_returns WHERE rowid = ?1 AND count = 0");
    d.bind(1, rowid);
    if (s.step() != SQLITE_DONE || u.step() != SQLITE_DONE || d.step() != SQLITE_DONE)
      return fail(db_error(db_, "reissuing returned serials"));
  }
  if (!commit()) return fail(db_error(db_, "committing the allocation"));

  // Committed: stream. FF1/FF3-1/sequential serials are computed outside the lock.
  if (is_random || !reissued.empty() || runs.size() != 1 || !sink) {
    for (const Run& run : runs) {
      auto r = generator ? stream_generated(*generator, run, sink)
                         : stream_random(range.range_id, run, sink);
      if (!r) return unexpected(std::move(r).error());
    }
    return a;
  }
  lock.unlock();
  auto r = stream_generated(*generator, runs.front(), sink);
  if (!r) return unexpected(std::move(r).error());
  return a;
}

RangeResult<std::vector<AllocationSummary>> SqliteSerialRanges::allocations(
    const std::string& gtin_text, const CommissionedCounter& count_commissioned) {
  std::string gtin;
  if (!gtin_text.empty()) {
    auto g = normalise_gtin(gtin_text);
    if (!g)
      return unexpected(err(Kind::kInvalidArgument,
                            "'" + gtin_text + "' is not a GTIN with a valid check digit"));
    gtin = *g;
  }
  std::lock_guard lock(mu_);
  Stmt s(db_,
         "SELECT a.allocation_id, a.range_id, a.request_id, r.gtin, r.lot, a.site, a.to_party, "
         "r.format, r.key_id, "
         "r.scheme, a.first_counter, a.count, a.created, "
         "(SELECT coalesce(sum(count), 0) FROM serial_returns t WHERE t.allocation_id = "
         "a.allocation_id) "
         "FROM serial_allocations a JOIN serial_ranges r USING(range_id) "
         "WHERE ?1 = '' OR r.gtin = ?1 ORDER BY a.allocation_id");
  s.bind(1, gtin);
  std::vector<AllocationSummary> out;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    AllocationSummary a;
    a.allocation_id = s.i64(0);
    a.range_id = s.i64(1);
    a.request_id = s.text(2);
    a.gtin = s.text(3);
    a.lot = s.text(4);
    a.site = s.text(5);
    a.to = s.text(6);
    a.format = s.text(7);
    a.key_id = s.text(8);
    a.scheme = serial::scheme_from_name(s.text(9)).value_or(serial::Scheme::ff1);
    a.first_counter = static_cast<std::uint64_t>(s.i64(10));
    a.issued = static_cast<std::uint64_t>(s.i64(11));
    a.created = s.i64(12);
    a.returned = static_cast<std::uint64_t>(s.i64(13));
    out.push_back(std::move(a));
  }
  if (rc != SQLITE_DONE) return unexpected(db_error(db_, "listing allocations"));
  if (!count_commissioned) return out;
  for (auto& a : out) {
    auto row = range_by_id(a.range_id);
    if (!row) return unexpected(std::move(row).error());
    auto cipher = cipher_of(*row);
    if (!cipher) return unexpected(std::move(cipher).error());
    auto runs = runs_of(a.allocation_id);
    if (!runs) return unexpected(std::move(runs).error());
    Stmt random_counter(db_,
                        "SELECT counter FROM serial_random_issued WHERE gtin = ?1 AND serial = ?2 "
                        "AND range_id = ?3");
    auto is_member = [&](std::string_view serial) {
      std::optional<std::uint64_t> counter;
      if (cipher->generator) {
        auto c = cipher->generator->counter_of(serial);
        if (c) counter = *c;
      } else {
        random_counter.bind(1, a.gtin).bind(2, serial).bind(3, a.range_id);
        if (random_counter.step() == SQLITE_ROW)
          counter = static_cast<std::uint64_t>(random_counter.i64(0));
        random_counter.reset();
      }
      if (!counter) return false;
      for (const Run& r : *runs)
        if (*counter >= r.first && *counter - r.first < r.count) return true;
      return false;
    };
    a.commissioned = count_commissioned(a.gtin, is_member);
  }
  return out;
}

RangeResult<std::uint64_t> SqliteSerialRanges::return_unused(
    std::int64_t range_id, const std::vector<std::string>& serials) {
  std::lock_guard lock(mu_);
  auto row = range_by_id(range_id);
  if (!row) return unexpected(std::move(row).error());
  auto cipher = cipher_of(*row);
  if (!cipher) return unexpected(std::move(cipher).error());
  if (!begin()) return unexpected(db_error(db_, "starting a return"));
  auto fail = [&](RangeError e) -> RangeResult<std::uint64_t> {
    rollback();
    return unexpected(std::move(e));
  };
  // (allocation, counter) of each serial.
  std::vector<std::pair<std::int64_t, std::uint64_t>> counters;
  Stmt random_counter(
      db_,
      "SELECT counter FROM serial_random_issued WHERE gtin = ?1 AND serial = ?2 AND range_id = ?3");
  // The latest allocation holding the counter (a reissued counter belongs to its reissue).
  Stmt owner(db_,
             "SELECT allocation_id FROM serial_allocation_runs WHERE range_id = ?1 AND "
             "first_counter <= ?2 "
             "AND first_counter + count > ?2 ORDER BY allocation_id DESC LIMIT 1");
  Stmt returned(db_,
                "SELECT 1 FROM serial_returns WHERE range_id = ?1 AND allocation_id = ?2 AND "
                "first_counter <= ?3 "
                "AND first_counter + count > ?3");
  for (const auto& serial : serials) {
    std::uint64_t counter = 0;
    if (cipher->generator) {
      auto c = cipher->generator->counter_of(serial);
      if (!c)
        return fail(err(Kind::kInvalidArgument, serial + " is not a serial of range " +
                                                    std::to_string(range_id) + ": " +
                                                    c.error().message));
      counter = *c;
    } else {
      random_counter.bind(1, row->gtin).bind(2, serial).bind(3, range_id);
      bool found = random_counter.step() == SQLITE_ROW;
      if (found) counter = static_cast<std::uint64_t>(random_counter.i64(0));
      random_counter.reset();
      if (!found)
        return fail(err(Kind::kInvalidArgument,
                        serial + " is not a serial of range " + std::to_string(range_id)));
    }
    owner.bind(1, range_id).bind(2, static_cast<std::int64_t>(counter));
    bool allocated = owner.step() == SQLITE_ROW;
    std::int64_t allocation = allocated ? owner.i64(0) : 0;
    owner.reset();
    if (!allocated) return fail(err(Kind::kAlreadyReturned, serial + " was never allocated"));
    returned.bind(1, range_id).bind(2, allocation).bind(3, static_cast<std::int64_t>(counter));
    bool again = returned.step() == SQLITE_ROW;
    returned.reset();
    if (again) return fail(err(Kind::kAlreadyReturned, serial + " was returned already"));
    counters.emplace_back(allocation, counter);
  }
  std::sort(counters.begin(), counters.end());
  counters.erase(std::unique(counters.begin(), counters.end()), counters.end());
  if (counters.size() != serials.size())
    return fail(err(Kind::kAlreadyReturned, "a serial is listed twice"));
  // Consecutive counters of one allocation become one row.
  Stmt insert(db_,
              "INSERT INTO serial_returns(range_id, allocation_id, first_counter, count, returned) "
              "VALUES (?1,?2,?3,?4,?5)");
  for (size_t i = 0; i < counters.size();) {
    size_t j = i + 1;
    while (j < counters.size() && counters[j].first == counters[i].first &&
           counters[j].second == counters[j - 1].second + 1)
      ++j;
    insert.bind(1, range_id)
        .bind(2, counters[i].first)
        .bind(3, static_cast<std::int64_t>(counters[i].second));
    insert.bind(4, static_cast<std::int64_t>(j - i)).bind(5, now_unix_seconds());
    if (insert.step() != SQLITE_DONE) return fail(db_error(db_, "recording a return"));
    insert.reset();
    i = j;
  }
  if (!commit()) return fail(db_error(db_, "committing a return"));
  return static_cast<std::uint64_t>(counters.size());
}

}  // namespace

std::string key_file_path(const std::string& db_path) {
  return db_path + ".keys";
}

RangeResult<std::unique_ptr<SerialRanges>> open_sqlite_serial_ranges(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    RangeError e = db_error(db, "opening " + path);
    sqlite3_close_v2(db);
    return unexpected(e);
  }
  auto ranges = std::make_unique<SqliteSerialRanges>(db, key_file_path(path));
  auto opened = ranges->open();
  if (!opened) return unexpected(std::move(opened).error());
  return std::unique_ptr<SerialRanges>(std::move(ranges));
}

}  // namespace serialtrack::store

// API keys in SQLite (api_keys.h): a connection of its own to the event store's file (WAL
// lets every connection work at once), its own tables prefixed auth_ and its own schema
// version in auth_meta (PRAGMA user_version belongs to the event store, serial_meta to the
// serial ranges). A key row holds its id, role, party, salt and SHA-256(salt + secret).
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "crypto/aes.h"
#include "crypto/constant_time.h"
#include "crypto/sha256.h"
#include "gs1/check_digit.h"
#include "store/api_keys.h"
#include "store/sqlite_statement.h"
#include "store/sqlite_wal.h"

namespace serialtrack::store {
namespace {

using Kind = ApiKeyError::Kind;

// Entry i brings auth_meta's schema_version i to i + 1.
constexpr const char* kMigrations[] = {
    R"sql(
    CREATE TABLE auth_keys(
      key_id         TEXT PRIMARY KEY,
      role           TEXT NOT NULL,
      party          TEXT NOT NULL,
      company_prefix TEXT NOT NULL,
      salt           BLOB NOT NULL,
      hash           BLOB NOT NULL,
      created        INTEGER NOT NULL,
      revoked_at     INTEGER);
    )sql",
};

constexpr std::string_view kKeyPrefix = "st_";
constexpr size_t kKeyIdBytes = 8;    // 16 hex digits: unique among a database's keys
constexpr size_t kSecretBytes = 32;  // 256 bits
constexpr size_t kSecretChars = 43;  // base64url of 32 bytes, unpadded (RFC 4648 §5)
constexpr size_t kSaltBytes = 16;
constexpr size_t kKeyIdChars = 2 * kKeyIdBytes;
constexpr size_t kKeyChars = kKeyPrefix.size() + kKeyIdChars + 1 + kSecretChars;

ApiKeyError err(Kind kind, std::string message) {
  return ApiKeyError{kind, std::move(message)};
}
ApiKeyError db_error(sqlite3* db, const std::string& what) {
  return err(Kind::kIo, what + ": " + (db ? sqlite3_errmsg(db) : "no database"));
}

using Stmt = SqliteStatement;

// RFC 4648 §5, without padding.
std::string base64url(std::span<const std::uint8_t> bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    std::uint32_t v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    for (int shift = 18; shift >= 0; shift -= 6) out += kAlphabet[(v >> shift) & 63];
  }
  if (size_t rest = bytes.size() - i; rest > 0) {
    std::uint32_t v = bytes[i] << 16;
    if (rest == 2) v |= bytes[i + 1] << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    if (rest == 2) out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string_view secret_of(std::string_view key) {
  return key.substr(kKeyPrefix.size() + kKeyIdChars + 1);
}

crypto::Sha256Digest key_hash(std::span<const std::uint8_t> salt, std::string_view secret) {
  return crypto::salted_sha256(
      std::string_view(reinterpret_cast<const char*>(salt.data()), salt.size()), secret);
}

ApiKeyRecord record_of(
    Stmt& s) {  // columns: key_id, role, party, company_prefix, created, revoked_at
  ApiKeyRecord r;
  r.key_id = s.text(0);
  r.role = s.text(1);
  r.party = s.text(2);
  r.company_prefix = s.text(3);
  r.created = s.i64(4);
  r.revoked = !s.is_null(5);
  r.revoked_at = r.revoked ? s.i64(5) : 0;
  return r;
}

class SqliteApiKeys final : public ApiKeys {
 public:
  explicit SqliteApiKeys(sqlite3* db) : db_(db) {}
  ~SqliteApiKeys() override {
    find_.reset();
    sqlite3_close_v2(db_);
  }

  ApiKeyResult<bool> open() {
    if (use_wal(db_) != SQLITE_OK)
      return unexpected(db_error(db_, "setting WAL mode"));
    if (!exec("BEGIN IMMEDIATE")) return unexpected(db_error(db_, "starting the key schema"));
    auto migrated = migrate();
    if (!migrated) {
      exec("ROLLBACK");
      return migrated;
    }
    if (!exec("COMMIT")) return unexpected(db_error(db_, "committing the key schema"));
    return true;
  }

  ApiKeyResult<CreatedApiKey> create(const ApiKeyRequest& request) override {
    if (auto invalid = check_api_key_request(request)) return unexpected(std::move(*invalid));
    const std::string& cp = request.company_prefix;
    std::array<std::uint8_t, kKeyIdBytes + kSecretBytes + kSaltBytes> random{};
    std::lock_guard lock(mu_);
    for (int attempt = 0; attempt < 4; ++attempt) {  // a key id collision is retried
      if (crypto::random_bytes(random)) return unexpected(err(Kind::kIo, "the CSPRNG failed"));
      auto id = std::span(random).first(kKeyIdBytes);
      auto secret = std::span(random).subspan(kKeyIdBytes, kSecretBytes);
      auto salt = std::span(random).last(kSaltBytes);
      CreatedApiKey out;
      out.record.key_id = lower_hex(id);
      out.record.role = request.role;
      out.record.party = request.party;
      out.record.company_prefix = cp;
      out.record.created = now_unix_seconds();
      std::string secret_text = base64url(secret);
      out.key = std::string(kKeyPrefix) + out.record.key_id + "_" + secret_text;
      auto digest = key_hash(salt, secret_text);
      std::fill(secret_text.begin(), secret_text.end(), '\0');
      Stmt s(db_, "INSERT OR IGNORE INTO auth_keys VALUES (?1,?2,?3,?4,?5,?6,?7,NULL)");
      s.bind(1, out.record.key_id)
          .bind(2, request.role)
          .bind(3, request.party)
          .bind(4, cp)
          .bind_blob(5, salt)
          .bind_blob(6, digest)
          .bind(7, out.record.created);
      if (s.step() != SQLITE_DONE) {
        std::fill(random.begin(), random.end(), 0);
        return unexpected(db_error(db_, "storing a key"));
      }
      if (sqlite3_changes(db_) == 1) {
        std::fill(random.begin(), random.end(), 0);
        return out;
      }
    }
    std::fill(random.begin(), random.end(), 0);
    return unexpected(err(Kind::kIo, "no unused key id after 4 attempts"));
  }

  ApiKeyResult<std::optional<ApiKeyRecord>> find(std::string_view presented_key) override {
    auto id = api_key_id_of(presented_key);
    if (!id) return std::optional<ApiKeyRecord>();
    auto key = cached_key(*id);
    if (!key) return unexpected(std::move(key).error());
    if (!*key) return std::optional<ApiKeyRecord>();
    auto digest = key_hash((*key)->salt, secret_of(presented_key));
    if (!crypto::constant_time_equal(digest, (*key)->hash)) return std::optional<ApiKeyRecord>();
    return std::optional<ApiKeyRecord>(std::move((*key)->record));
  }

  ApiKeyResult<std::optional<ApiKeyRecord>> record(const std::string& key_id) override {
    auto key = cached_key(key_id);
    if (!key) return unexpected(std::move(key).error());
    if (!*key) return std::optional<ApiKeyRecord>();
    return std::optional<ApiKeyRecord>(std::move((*key)->record));
  }

  ApiKeyResult<std::vector<ApiKeyRecord>> list() override {
    std::lock_guard lock(mu_);
    Stmt s(db_,
           "SELECT key_id, role, party, company_prefix, created, revoked_at FROM auth_keys "
           "ORDER BY created, rowid");
    if (!s.ok()) return unexpected(db_error(db_, "listing keys"));
    std::vector<ApiKeyRecord> out;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back(record_of(s));
    if (rc != SQLITE_DONE) return unexpected(db_error(db_, "listing keys"));
    return out;
  }

  ApiKeyResult<bool> revoke(const std::string& key_id) override {
    std::lock_guard lock(mu_);
    cache_.erase(key_id);  // this object sees its own revocation at once
    Stmt s(db_, "UPDATE auth_keys SET revoked_at = coalesce(revoked_at, ?2) WHERE key_id = ?1");
    if (!s.ok()) return unexpected(db_error(db_, "revoking a key"));
    s.bind(1, key_id).bind(2, now_unix_seconds());
    if (s.step() != SQLITE_DONE) return unexpected(db_error(db_, "revoking a key"));
    return sqlite3_changes(db_) == 1;
  }

 private:
  // A key as stored, and when it was read (for the cache).
  struct StoredKey {
    ApiKeyRecord record;
    std::vector<std::uint8_t> salt, hash;
    std::chrono::steady_clock::time_point read;
  };
  static constexpr size_t kMaxCachedKeys = 100'000;  // a bound on memory; cleared when reached

  // The key with this id as read within kApiKeyCacheTime, else read now; nullopt when none.
  ApiKeyResult<std::optional<StoredKey>> cached_key(const std::string& id) {
    std::lock_guard lock(mu_);
    auto now = std::chrono::steady_clock::now();
    auto it = cache_.find(id);
    if (it == cache_.end() || now - it->second.read >= kApiKeyCacheTime) {
      auto stored = read_key(id);
      if (!stored) return unexpected(std::move(stored).error());
      if (!*stored) {
        if (it != cache_.end()) cache_.erase(it);
        return std::optional<StoredKey>();
      }
      if (cache_.size() >= kMaxCachedKeys) cache_.clear();
      (*stored)->read = now;
      it = cache_.insert_or_assign(id, std::move(**stored)).first;
    }
    return std::optional<StoredKey>(it->second);
  }

  // The stored key with this id, or nullopt. Under mu_.
  ApiKeyResult<std::optional<StoredKey>> read_key(const std::string& id) {
    // Once per request (until cached): the statement is prepared once per connection.
    if (!find_)
      find_.emplace(db_,
                    "SELECT key_id, role, party, company_prefix, created, revoked_at, salt, hash "
                    "FROM auth_keys WHERE key_id = ?1");
    Stmt& s = *find_;
    if (!s.ok()) {
      find_.reset();
      return unexpected(db_error(db_, "reading a key"));
    }
    struct Reset {
      Stmt& s;
      ~Reset() { s.reset(); }
    } reset_on_return{s};
    s.bind(1, id);
    int rc = s.step();
    if (rc == SQLITE_DONE) return std::optional<StoredKey>();
    if (rc != SQLITE_ROW) return unexpected(db_error(db_, "reading a key"));
    StoredKey key;
    key.record = record_of(s);
    auto salt = s.blob(6), hash = s.blob(7);
    key.salt.assign(salt.begin(), salt.end());
    key.hash.assign(hash.begin(), hash.end());
    return std::optional<StoredKey>(std::move(key));
  }

  bool exec(const char* sql) {
    return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
  }

  // Inside a transaction.
  ApiKeyResult<bool> migrate() {
    if (auto failed = migrate_tables(db_, "auth_meta", kMigrations, "API key"))
      return unexpected(err(failed->newer ? Kind::kCorrupt : Kind::kIo, failed->message));
    return true;
  }

  sqlite3* db_;
  std::mutex mu_;
  std::optional<Stmt> find_;  // under mu_; finalised before the connection closes
  std::unordered_map<std::string, StoredKey> cache_;  // under mu_: key id -> key as read
};

}  // namespace

std::optional<ApiKeyError> check_api_key_request(const ApiKeyRequest& request) {
  if (request.role.empty()) return err(Kind::kInvalidArgument, "a key needs a role");
  // GS1 GenSpecs 7.9.1: a GLN is 13 digits, the last a mod-10 check digit.
  if (request.party.size() != 13 || !is_digits(request.party) || !gs1::mod10_valid(request.party))
    return err(Kind::kInvalidArgument,
               "party '" + request.party + "' is not a GLN (13 digits with a valid check digit)");
  const std::string& cp = request.company_prefix;
  // GS1 GenSpecs 1.4.4: a company prefix has 6 to 12 digits and begins the party's GLN.
  if (!cp.empty() &&
      (cp.size() < 6 || cp.size() > 12 || !is_digits(cp) || !request.party.starts_with(cp)))
    return err(Kind::kInvalidArgument,
               "company prefix '" + cp + "' is not 6-12 digits beginning GLN " + request.party);
  return std::nullopt;
}

std::optional<std::string> api_key_id_of(std::string_view key) {
  if (key.size() != kKeyChars || !key.starts_with(kKeyPrefix) ||
      key[kKeyPrefix.size() + kKeyIdChars] != '_')
    return std::nullopt;
  std::string_view id = key.substr(kKeyPrefix.size(), kKeyIdChars);
  auto hex_digit = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); };
  auto b64_char = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  };
  std::string_view secret = secret_of(key);
  if (!std::all_of(id.begin(), id.end(), hex_digit) ||
      !std::all_of(secret.begin(), secret.end(), b64_char))
    return std::nullopt;
  return std::string(id);
}

ApiKeyResult<std::unique_ptr<ApiKeys>> open_sqlite_api_keys(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    ApiKeyError e = db_error(db, "opening " + path);
    sqlite3_close_v2(db);
    return unexpected(e);
  }
  auto keys = std::make_unique<SqliteApiKeys>(db);
  auto opened = keys->open();
  if (!opened) return unexpected(std::move(opened).error());
  return std::unique_ptr<ApiKeys>(std::move(keys));
}

}  // namespace serialtrack::store

// API keys kept in the store (issue 5, access control): each key belongs to one party
// (a GLN) with one role, and is presented as `st_<key id>_<secret>` in an HTTP
// Authorization header. The secret (256 random bits) is shown once, when the key is
// created; the database keeps only a salted SHA-256 of it: SHA-256 suffices for a
// random 256-bit secret (no dictionary to search, so no slow password hash is needed)
// and keeps a per-request check in microseconds. Finding a key reads it by the key id
// the text carries, then compares the hashes in constant time.
//
// Roles are stored as their names; which names exist, and what each may do, is
// server/auth.h's policy (the store only keeps them).
//
// A key read from the database is remembered for kApiKeyCacheTime (an SQLite read costs
// ~20 µs, a request should not): a key revoked through this ApiKeys is refused at once,
// one revoked by another process (`serialtrack keys revoke`) within kApiKeyCacheTime.
//
// Thread-safety: an ApiKeys is safe for concurrent use from many threads without external
// synchronisation (one connection, serialised by a mutex); other processes may use the
// same database at once (WAL, transactions).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace serialtrack::store {

// How long find may answer from a key read earlier (see the header comment).
inline constexpr std::chrono::milliseconds kApiKeyCacheTime{1000};

struct ApiKeyError {
  enum class Kind : std::uint8_t {
    kIo,               // the database could not be opened, read or written; the CSPRNG failed
    kCorrupt,          // a newer or damaged schema
    kInvalidArgument,  // an empty role, a party that is not a GLN (13 digits, check digit)...
  };
  Kind kind = Kind::kIo;
  std::string message;  // one sentence for a person; never contains a secret or a hash
};

template <typename T>
using ApiKeyResult = serialtrack::Result<T, ApiKeyError>;

// A key as listed: never its secret, never its hash.
struct ApiKeyRecord {
  std::string key_id;          // 16 lower-case hex digits, unique
  std::string role;            // a role name (server/auth.h role_name)
  std::string party;           // the party's GLN, 13 digits
  std::string company_prefix;  // the party's GS1 Company Prefix, "" when not given
  std::int64_t created = 0;    // unix seconds
  bool revoked = false;
  std::int64_t revoked_at = 0;  // unix seconds, when revoked
};

// What create returns: the record and the key text, which is never available again.
struct CreatedApiKey {
  ApiKeyRecord record;
  std::string key;  // "st_<key id>_<43 characters of base64url secret>"
};

// What a new key is for.
struct ApiKeyRequest {
  std::string role;            // a role name, not empty (the caller checks it names a role)
  std::string party;           // a GLN: 13 digits with a valid check digit (GenSpecs 7.9.1)
  std::string company_prefix;  // "" or 6-12 digits that begin the GLN (GenSpecs 1.4.4)
};

class ApiKeys {
 public:
  virtual ~ApiKeys() = default;

  // Creates a key with a fresh random key id and secret, stored as salt + salted hash.
  // Errors: kInvalidArgument (role empty, party not a GLN, company prefix not a prefix of
  // it; nothing is stored), kIo.
  virtual ApiKeyResult<CreatedApiKey> create(const ApiKeyRequest& request) = 0;

  // The key whose text is presented (revoked keys too: see revoked); nullopt when the
  // text is not of the key format, names no stored key id, or carries the wrong secret
  // (all three alike: the caller learns nothing about which). Error kIo only.
  virtual ApiKeyResult<std::optional<ApiKeyRecord>> find(std::string_view presented_key) = 0;

  // The key with this id (revoked ones too), answered as find answers (what it read
  // within kApiKeyCacheTime); nullopt when no key has this id. Error kIo only. For
  // checking a key recorded earlier (a subscription's), with no secret to present.
  virtual ApiKeyResult<std::optional<ApiKeyRecord>> record(const std::string& key_id) = 0;

  // Every key, oldest first, without secrets or hashes.
  virtual ApiKeyResult<std::vector<ApiKeyRecord>> list() = 0;

  // Marks the key revoked (find still returns it, with revoked = true). Returns false
  // when no key has this id; revoking twice is no error (the first time is kept).
  virtual ApiKeyResult<bool> revoke(const std::string& key_id) = 0;
};

// Why request cannot make a key (kInvalidArgument: the same checks create makes), or
// nullopt when it can. Lets a caller refuse before opening anything.
std::optional<ApiKeyError> check_api_key_request(const ApiKeyRequest& request);

// The key id a presented key text carries, or nullopt when the text is not of the key
// format ("st_" + 16 hex digits + "_" + 43 base64url characters). Does not look it up.
std::optional<std::string> api_key_id_of(std::string_view presented_key);

// Opens the key tables (prefixed auth_, schema version in auth_meta) in the SQLite
// database at path, creating the file and tables when absent, on a connection of its own
// (the event store's file may be the same). The caller owns the result.
ApiKeyResult<std::unique_ptr<ApiKeys>> open_sqlite_api_keys(const std::string& path);

}  // namespace serialtrack::store

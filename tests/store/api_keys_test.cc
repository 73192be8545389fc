// API keys in the SQLite store: created with a secret shown once, found by their text,
// stored only as a salted hash, listed without secrets, revoked.
#include "store/api_keys.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>
#include <thread>

#include "crypto/sha256.h"
#include "store/store.h"

namespace serialtrack::store {
namespace {

const std::string kGln = "9520123000004";  // 952012300000 + check digit 4

std::string temp_db(const std::string& name) {
  auto p = std::filesystem::path(::testing::TempDir()) / ("api_keys_" + name + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(p.string() + suffix);
  return p.string();
}

std::unique_ptr<ApiKeys> open(const std::string& path) {
  auto k = open_sqlite_api_keys(path);
  EXPECT_TRUE(k) << k.error().message;
  return k ? std::move(*k) : nullptr;
}

CreatedApiKey create(ApiKeys& keys, const std::string& role = "distributor",
                     const std::string& party = kGln, const std::string& cp = "") {
  auto k = keys.create({role, party, cp});
  EXPECT_TRUE(k) << k.error().message;
  return k ? *k : CreatedApiKey{};
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(ApiKeys, ACreatedKeyIsFoundByItsText) {
  auto keys = open(temp_db("found"));
  CreatedApiKey k = create(*keys, "manufacturer", kGln, "9520123");
  EXPECT_TRUE(std::regex_match(k.key, std::regex("st_[0-9a-f]{16}_[A-Za-z0-9_-]{43}"))) << k.key;
  EXPECT_EQ(k.key.substr(3, 16), k.record.key_id);
  EXPECT_EQ(api_key_id_of(k.key), k.record.key_id);
  auto found = keys->find(k.key);
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_TRUE(*found);
  EXPECT_EQ((*found)->key_id, k.record.key_id);
  EXPECT_EQ((*found)->role, "manufacturer");
  EXPECT_EQ((*found)->party, kGln);
  EXPECT_EQ((*found)->company_prefix, "9520123");
  EXPECT_FALSE((*found)->revoked);
  EXPECT_GT((*found)->created, 1'600'000'000);
}

TEST(ApiKeys, TwoKeysNeverShareIdOrSecret) {
  auto keys = open(temp_db("distinct"));
  CreatedApiKey a = create(*keys), b = create(*keys);
  EXPECT_NE(a.record.key_id, b.record.key_id);
  EXPECT_NE(a.key.substr(20), b.key.substr(20));
}

TEST(ApiKeys, TheDatabaseHoldsASaltedHashNeverTheSecret) {
  std::string path = temp_db("hash");
  CreatedApiKey k;
  {
    auto keys = open(path);
    k = create(*keys);
  }
  std::string secret = k.key.substr(20);
  std::string files = file_bytes(path) + file_bytes(path + "-wal");
  ASSERT_NE(files.find(k.record.key_id), std::string::npos);  // the files were read
  EXPECT_EQ(files.find(secret), std::string::npos);
  EXPECT_EQ(files.find(k.key), std::string::npos);

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT salt, hash FROM auth_keys", -1, &s, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  std::string salt(static_cast<const char*>(sqlite3_column_blob(s, 0)),
                   static_cast<size_t>(sqlite3_column_bytes(s, 0)));
  std::string hash(static_cast<const char*>(sqlite3_column_blob(s, 1)),
                   static_cast<size_t>(sqlite3_column_bytes(s, 1)));
  sqlite3_finalize(s);
  sqlite3_close(db);
  EXPECT_EQ(salt.size(), 16u);
  auto expected = crypto::sha256(salt + secret);
  EXPECT_EQ(hash, std::string(expected.begin(), expected.end()));
  auto unsalted = crypto::sha256(secret);
  EXPECT_NE(hash, std::string(unsalted.begin(), unsalted.end()));
}

TEST(ApiKeys, AWrongSecretAnUnknownIdOrAMalformedTextFindsNothing) {
  auto keys = open(temp_db("wrong"));
  CreatedApiKey k = create(*keys);
  std::string wrong_secret = k.key;
  wrong_secret.back() = wrong_secret.back() == 'A' ? 'B' : 'A';
  std::string unknown_id = k.key;
  unknown_id[3] = unknown_id[3] == 'a' ? 'b' : 'a';
  for (const std::string& text :
       {wrong_secret, unknown_id, k.key.substr(0, k.key.size() - 1), k.key + "A",
        std::string("st_") + k.record.key_id, std::string(""), std::string("Bearer ") + k.key,
        "xx" + k.key.substr(2)}) {
    auto found = keys->find(text);
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_FALSE(*found) << text;
  }
}

TEST(ApiKeys, ARevokedKeyIsFoundMarkedRevoked) {
  auto keys = open(temp_db("revoked"));
  CreatedApiKey k = create(*keys), other = create(*keys);
  auto r = keys->revoke(k.record.key_id);
  ASSERT_TRUE(r);
  EXPECT_TRUE(*r);
  auto found = keys->find(k.key);
  ASSERT_TRUE(found && *found);
  EXPECT_TRUE((*found)->revoked);
  int64_t first = (*found)->revoked_at;
  EXPECT_GT(first, 0);
  EXPECT_TRUE(*keys->revoke(k.record.key_id));  // again: no error, the first time kept
  EXPECT_EQ((*keys->find(k.key))->revoked_at, first);
  EXPECT_FALSE((*keys->find(other.key))->revoked);  // only that key
  EXPECT_FALSE(*keys->revoke("0000000000000000"));  // no such key
}

TEST(ApiKeys, ARevocationElsewhereIsSeenWithinTheCacheTime) {
  std::string path = temp_db("cache");
  auto server = open(path), operator_cli = open(path);
  CreatedApiKey k = create(*server), other = create(*server);
  ASSERT_FALSE((*server->find(k.key))->revoked);  // read, and remembered
  ASSERT_FALSE((*server->find(other.key))->revoked);
  ASSERT_TRUE(*operator_cli->revoke(k.record.key_id));
  ASSERT_TRUE(*server->revoke(other.record.key_id));
  EXPECT_TRUE((*server->find(other.key))->revoked);  // its own revocation: at once
  std::this_thread::sleep_for(kApiKeyCacheTime + std::chrono::milliseconds(100));
  EXPECT_TRUE((*server->find(k.key))->revoked);  // another's: within the cache time
}

TEST(ApiKeys, ListingShowsEveryKeyOldestFirstAndNoSecret) {
  auto keys = open(temp_db("list"));
  CreatedApiKey a = create(*keys, "auditor"), b = create(*keys, "public");
  ASSERT_TRUE(keys->revoke(b.record.key_id));
  auto all = keys->list();
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].key_id, a.record.key_id);
  EXPECT_EQ((*all)[0].role, "auditor");
  EXPECT_FALSE((*all)[0].revoked);
  EXPECT_EQ((*all)[1].key_id, b.record.key_id);
  EXPECT_TRUE((*all)[1].revoked);
  for (const auto& rec : *all)
    for (const std::string* field : {&rec.key_id, &rec.role, &rec.party, &rec.company_prefix})
      for (const auto* key : {&a, &b})
        EXPECT_EQ(field->find(key->key.substr(20)), std::string::npos);
}

TEST(ApiKeys, ABadPartyOrCompanyPrefixStoresNothing) {
  auto keys = open(temp_db("bad"));
  struct Bad {
    ApiKeyRequest request;
    const char* why;
  };
  for (const Bad& bad : {
           Bad{{"distributor", "9520123000005", ""}, "wrong check digit"},
           Bad{{"distributor", "952012300000", ""}, "12 digits"},
           Bad{{"distributor", "95201230000A4", ""}, "not digits"},
           Bad{{"", kGln, ""}, "no role"},
           Bad{{"manufacturer", kGln, "95201"}, "prefix too short"},
           Bad{{"manufacturer", kGln, "9520124"}, "prefix does not begin the GLN"},
       }) {
    auto k = keys->create(bad.request);
    ASSERT_FALSE(k) << bad.why;
    EXPECT_EQ(k.error().kind, ApiKeyError::Kind::kInvalidArgument) << bad.why;
    EXPECT_TRUE(check_api_key_request(bad.request)) << bad.why;
  }
  EXPECT_TRUE(keys->list()->empty());
}

TEST(ApiKeys, KeysShareTheFileWithTheEventStore) {
  std::string path = temp_db("shared");
  auto events = open_sqlite(path);
  ASSERT_TRUE(events) << events.error().message;
  auto keys = open(path);
  CreatedApiKey k = create(*keys);
  epcis::Event e;
  e.event_id = "urn:uuid:shared";
  e.epc_list = {"urn:epc:id:sgtin:9520123.045678.1"};
  ASSERT_TRUE((*events)->capture(std::span(&e, 1)));
  EXPECT_EQ(*(*events)->event_count(), 1);
  keys = nullptr;
  events = open_sqlite(path);  // the event store's schema is untouched by the key tables
  ASSERT_TRUE(events) << events.error().message;
  EXPECT_TRUE(*open(path)->find(k.key));
}

TEST(ApiKeys, KeyTablesFromANewerProgramAreRefused) {
  std::string path = temp_db("newer");
  open(path);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE auth_meta SET value = 99 WHERE key = 'schema_version'",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto keys = open_sqlite_api_keys(path);
  ASSERT_FALSE(keys);
  EXPECT_EQ(keys.error().kind, ApiKeyError::Kind::kCorrupt);
  EXPECT_NE(keys.error().message.find("newer"), std::string::npos) << keys.error().message;
}

}  // namespace
}  // namespace serialtrack::store

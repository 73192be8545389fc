// Named queries keep their owner and their subscriptions' subscriber; a file made before
// owners were recorded is migrated (its queries the operator's), a newer one refused.
#include "store/named_queries.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>

namespace serialtrack::store {
namespace {

std::string temp_db(const std::string& name) {
  std::string path =
      ::testing::TempDir() + "/named_queries_" + name + "_" + std::to_string(getpid()) + ".db";
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  return path;
}

void run_sql(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* message = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &message), SQLITE_OK)
      << (message ? message : "");
  sqlite3_free(message);
  sqlite3_close(db);
}

TEST(NamedQueriesTest, AQueryKeepsItsOwnerAndASubscriptionItsSubscriber) {
  std::string path = temp_db("owners");
  {
    auto queries = open_sqlite_named_queries(path);
    ASSERT_TRUE(queries) << queries.error().message;
    ASSERT_TRUE(
        (*queries)->create({"mine", {{"EQ_bizStep", "shipping"}}, 1, "4012345000009"}).value());
    ASSERT_TRUE((*queries)
                    ->subscribe({"s1", "mine", "http://127.0.0.1:1/x", "t", 2,
                                 Subscriber{"k1", "distributor", "4012345000009"}})
                    .value());
  }
  auto reopened = open_sqlite_named_queries(path);
  ASSERT_TRUE(reopened) << reopened.error().message;
  auto q = (*reopened)->query("mine").value();
  ASSERT_TRUE(q);
  EXPECT_EQ(q->owner, "4012345000009");
  EXPECT_EQ((*reopened)->queries().value().at(0).owner, "4012345000009");
  auto subs = (*reopened)->subscriptions("mine").value();
  ASSERT_EQ(subs.size(), 1u);
  EXPECT_EQ(subs[0].subscriber.key_id, "k1");
  EXPECT_EQ(subs[0].subscriber.role, "distributor");
  EXPECT_EQ(subs[0].subscriber.party, "4012345000009");
}

TEST(NamedQueriesTest, QueriesStoredBeforeOwnersBecomeTheOperatorsOnMigration) {
  std::string path = temp_db("migrate");
  // The tables as the first version made them, without named_query_meta.
  run_sql(path, R"sql(
    CREATE TABLE named_queries(name TEXT PRIMARY KEY, created INTEGER NOT NULL);
    CREATE TABLE named_query_parameters(name TEXT NOT NULL, seq INTEGER NOT NULL,
      param TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (name, seq)) WITHOUT ROWID;
    CREATE TABLE query_subscriptions(n INTEGER PRIMARY KEY, id TEXT NOT NULL,
      query_name TEXT NOT NULL, dest TEXT NOT NULL, signature_token TEXT NOT NULL,
      created INTEGER NOT NULL, UNIQUE (query_name, id));
    INSERT INTO named_queries VALUES ('old', 5);
    INSERT INTO named_query_parameters VALUES ('old', 0, 'EQ_bizStep', 'receiving');
    INSERT INTO query_subscriptions(id, query_name, dest, signature_token, created)
      VALUES ('s0', 'old', 'http://127.0.0.1:1/y', 'tok', 6);
  )sql");
  auto queries = open_sqlite_named_queries(path);
  ASSERT_TRUE(queries) << queries.error().message;
  auto q = (*queries)->query("old").value();
  ASSERT_TRUE(q);
  EXPECT_EQ(q->owner, "");
  ASSERT_EQ(q->parameters.size(), 1u);
  EXPECT_EQ(q->parameters[0].second, "receiving");
  auto subs = (*queries)->subscriptions("").value();
  ASSERT_EQ(subs.size(), 1u);
  EXPECT_EQ(subs[0].subscriber.role, "admin");
  EXPECT_EQ(subs[0].subscriber.party, "");
  // Opening again runs no migration twice.
  queries->reset();
  EXPECT_TRUE(open_sqlite_named_queries(path));
}

TEST(NamedQueriesTest, ANewerSchemaIsRefusedAsCorrupt) {
  std::string path = temp_db("newer");
  ASSERT_TRUE(open_sqlite_named_queries(path));
  run_sql(path, "UPDATE named_query_meta SET value = 99 WHERE key = 'schema_version'");
  auto queries = open_sqlite_named_queries(path);
  ASSERT_FALSE(queries);
  EXPECT_EQ(queries.error().kind, Error::Kind::kCorrupt);
  EXPECT_NE(queries.error().message.find("newer"), std::string::npos) << queries.error().message;
}

}  // namespace
}  // namespace serialtrack::store

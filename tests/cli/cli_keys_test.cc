// `serialtrack keys ...`, run as a user runs them: create prints the key alone on stdout,
// the key authenticates, bad roles and GLNs are refused with nothing stored.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <string>

#include "server/auth.h"
#include "store/api_keys.h"
#include "support/program.h"

namespace {

using serialtrack::testing::ProgramRun;
using serialtrack::testing::Stderr;

ProgramRun run(const std::string& args, Stderr err = Stderr::kDiscard) {
  return serialtrack::testing::run_program(args, err);
}

class CliKeys : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) / "cli_keys";
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_path_ = (dir_ / "t.db").string();
    db_ = "--db " + db_path_;
  }
  std::unique_ptr<serialtrack::store::ApiKeys> keys() {
    auto k = serialtrack::store::open_sqlite_api_keys(db_path_);
    EXPECT_TRUE(k) << k.error().message;
    return k ? std::move(*k) : nullptr;
  }
  std::filesystem::path dir_;
  std::string db_path_, db_;
};

TEST_F(CliKeys, CreatePrintsTheKeyAloneAndItAuthenticates) {
  auto r = run("keys create " + db_ + " --role distributor --party 4012345000009");
  ASSERT_EQ(r.status, 0);
  ASSERT_TRUE(std::regex_match(r.out, std::regex("st_[0-9a-f]{16}_[A-Za-z0-9_-]{43}\n"))) << r.out;
  std::string key = r.out.substr(0, r.out.size() - 1);
  auto p = serialtrack::server::authenticate(*keys(), "Bearer " + key);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->role, serialtrack::server::Role::kDistributor);
  EXPECT_EQ(p->party, "4012345000009");
}

TEST_F(CliKeys, AManufacturersKeyCarriesItsCompanyPrefix) {
  EXPECT_EQ(run("keys create " + db_ + " --role manufacturer --party 9520123000004").status, 2);
  auto by_length =
      run("keys create " + db_ + " --role manufacturer --party 9520123000004 --gcp-length 7");
  ASSERT_EQ(by_length.status, 0);
  auto by_table = run("keys create " + db_ + " --role manufacturer --party 4012345000009 " +
                      "--gcp-file " + SERIALTRACK_TEST_DATA + "/gcp_prefix_lengths.txt");
  ASSERT_EQ(by_table.status, 0);
  auto k = keys();
  auto m1 = serialtrack::server::authenticate(*k, "Bearer " + by_length.out.substr(0, 63));
  auto m2 = serialtrack::server::authenticate(*k, "Bearer " + by_table.out.substr(0, 63));
  ASSERT_TRUE(m1 && m2);
  EXPECT_EQ(m1->company_prefix, "9520123");
  EXPECT_EQ(m2->company_prefix, "4012345");
  EXPECT_TRUE(serialtrack::server::owns_identifier(*m1, "urn:epc:id:sgtin:9520123.045678.1"));
  EXPECT_FALSE(serialtrack::server::owns_identifier(*m2, "urn:epc:id:sgtin:9520123.045678.1"));
}

TEST_F(CliKeys, ABadRoleOrGlnIsRefusedAndNothingIsStored) {
  for (const char* args :
       {"--role boss --party 4012345000009", "--role Distributor --party 4012345000009",
        "--role distributor --party 4012345000008",  // check digit
        "--role distributor --party 401234500000",
        "--role manufacturer --party 9520123000004 --gcp-length 5",
        "--role manufacturer --party 9520123000004 --gcp-file /nonexistent"}) {
    auto r = run(std::string("keys create ") + db_ + " " + args, Stderr::kMerge);
    EXPECT_EQ(r.status, 2) << args;
    EXPECT_EQ(r.out.find("st_"), std::string::npos) << args;
    EXPECT_NE(r.out.find("serialtrack: "), std::string::npos) << args << ": " << r.out;
    EXPECT_FALSE(std::filesystem::exists(db_path_)) << args;  // not even an empty database
  }
  auto r = run("keys create " + db_ + " --role boss --party 4012345000009", Stderr::kMerge);
  EXPECT_NE(r.out.find("unknown role 'boss'"), std::string::npos) << r.out;
  r = run("keys create " + db_ + " --role distributor --party 4012345000008", Stderr::kMerge);
  EXPECT_NE(r.out.find("not a GLN"), std::string::npos) << r.out;
}

TEST_F(CliKeys, ListShowsKeysWithoutSecretsAndRevokeEndsAKey) {
  auto a = run("keys create " + db_ + " --role auditor --party 0614141000012");
  auto b = run("keys create " + db_ + " --role public --party 0614141000012");
  ASSERT_EQ(a.status, 0);
  ASSERT_EQ(b.status, 0);
  std::string key_a = a.out.substr(0, 63), key_b = b.out.substr(0, 63);
  std::string id_a = key_a.substr(3, 16);
  auto list = run("keys list " + db_);
  ASSERT_EQ(list.status, 0);
  EXPECT_NE(list.out.find(id_a + "\tauditor\t0614141000012\t-\t"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("\tactive\n"), std::string::npos);
  auto json = run("keys list --json " + db_);
  ASSERT_EQ(json.status, 0);
  EXPECT_NE(json.out.find("\"keyId\":\"" + id_a + "\""), std::string::npos) << json.out;
  for (const auto& out : {list.out, json.out})
    for (const auto& key : {key_a, key_b}) EXPECT_EQ(out.find(key.substr(20)), std::string::npos);

  EXPECT_EQ(run("keys revoke " + db_ + " " + id_a).status, 0);
  EXPECT_EQ(run("keys revoke " + db_ + " ffffffffffffffff").status, 1);
  auto k = keys();
  auto refused = serialtrack::server::authenticate(*k, "Bearer " + key_a);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, serialtrack::server::AuthError::Kind::kRevoked);
  EXPECT_TRUE(serialtrack::server::authenticate(*k, "Bearer " + key_b));
  EXPECT_NE(run("keys list " + db_).out.find("\trevoked "), std::string::npos);
  EXPECT_NE(run("keys list --json " + db_).out.find("\"revoked\":true"), std::string::npos);
}

}  // namespace

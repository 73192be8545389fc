// `serialtrack serials ...`, run as a user runs them: serials on stdout, the rest on stderr.
#include <gtest/gtest.h>

#include "support/program.h"
#include <sys/stat.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

namespace {

using serialtrack::testing::ProgramRun;

ProgramRun run(const std::string& args) { return serialtrack::testing::run_program(args); }

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

class CliSerials : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) / "cli_serials";
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_path_ = (dir_ / "t.db").string();
    db_ = "--db " + db_path_;
  }
  std::filesystem::path dir_;
  std::string db_path_, db_;
};

TEST_F(CliSerials, AllocateWorksOutOfTheBoxWithAPrivateKeyFile) {
  auto r = run("serials allocate " + db_ + " --gtin 09520123456788 --count 100");
  ASSERT_EQ(r.status, 0);
  auto serials = lines(r.out);
  ASSERT_EQ(serials.size(), 100u);
  EXPECT_EQ(std::set<std::string>(serials.begin(), serials.end()).size(), 100u);
  for (const auto& s : serials) {
    EXPECT_EQ(s.size(), 12u);
    EXPECT_EQ(s.find_first_not_of("23456789ABCDEFGHJKLMNPQRSTUVWXYZ"), std::string::npos) << s;
  }
  struct stat st {};
  ASSERT_EQ(stat((db_path_ + ".keys").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // A key file others can read is refused.
  chmod((db_path_ + ".keys").c_str(), 0640);
  EXPECT_EQ(run("serials allocate " + db_ + " --gtin 09520123456788 --count 1").status, 2);
}

TEST_F(CliSerials, RequestIdMakesAllocationIdempotent) {
  std::string cmd =
      "serials allocate " + db_ + " --gtin 09520123456788 --count 50 --request-id po-4711";
  auto a = run(cmd), b = run(cmd);
  ASSERT_EQ(a.status, 0);
  ASSERT_EQ(b.status, 0);
  EXPECT_EQ(a.out, b.out);
  auto c = run("serials allocate " + db_ + " --gtin 09520123456788 --count 50");
  EXPECT_NE(c.out, a.out);
  auto ranges = lines(run("serials ranges " + db_).out);
  ASSERT_EQ(ranges.size(), 3u);  // header + two allocations
  EXPECT_NE(ranges[1].find("po-4711"), std::string::npos);
}

TEST_F(CliSerials, OutputForms) {
  std::string base =
      "serials allocate " + db_ + " --gtin 9520123456788 --count 2 --request-id x --output ";
  auto dl = lines(run(base + "digital-link").out);
  ASSERT_EQ(dl.size(), 2u);
  EXPECT_EQ(dl[0].rfind("https://id.gs1.org/01/09520123456788/21/", 0), 0u) << dl[0];
  auto text = lines(run(base + "text").out);
  ASSERT_EQ(text.size(), 2u);
  EXPECT_EQ(dl[0], "https://id.gs1.org/01/09520123456788/21/" + text[0]);
  EXPECT_EQ(lines(run(base + "element").out)[1], "(01)09520123456788(21)" + text[1]);
  auto csv = lines(run(base + "csv").out);
  EXPECT_EQ(csv[0], "gtin,serial");
  EXPECT_EQ(csv[1], "09520123456788," + text[0]);
  EXPECT_EQ(lines(run(base + "jsonl").out)[0],
            "{\"gtin\":\"09520123456788\",\"serial\":\"" + text[0] + "\"}");
}

TEST_F(CliSerials, FormatsGuessProbabilityAndReturns) {
  EXPECT_EQ(run("serials format add " + db_ + " n6 --alphabet numeric --length 6").status, 0);
  EXPECT_EQ(run("serials format add " + db_ +
                " m --alphabet alnum --length 10 --prefix AB --check mod37-2")
                .status,
            0);
  EXPECT_EQ(run("serials format add " + db_ + " bad --alphabet numeric --length 21").status, 1);
  auto list = run("serials format list " + db_).out;
  EXPECT_NE(list.find("default"), std::string::npos);
  EXPECT_NE(list.find("n6"), std::string::npos);
  auto m =
      lines(run("serials allocate " + db_ + " --gtin 09520123456788 --count 3 --format m").out);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].size(), 13u);
  EXPECT_EQ(m[0].rfind("AB", 0), 0u);

  auto ok = run("serials guess-probability " + db_ + " --format n6 --count 100");
  EXPECT_EQ(ok.status, 0);
  EXPECT_NE(ok.out.find("1 in 10000"), std::string::npos) << ok.out;
  EXPECT_EQ(run("serials guess-probability " + db_ + " --format n6 --count 101").status, 1);
  EXPECT_EQ(
      run("serials allocate " + db_ + " --gtin 09520123456788 --count 200 --format n6").status, 1);
  EXPECT_EQ(run("serials allocate " + db_ +
                " --gtin 09520123456788 --count 200 --format n6 --allow-guessable")
                .status,
            0);
  EXPECT_EQ(run("serials allocate " + db_ + " --gtin 09520123456788 --count 1 --scheme sequential")
                .status,
            1);
  EXPECT_EQ(run("serials allocate " + db_ + " --gtin 09520123456789 --count 1").status,
            1);  // check digit

  auto r = lines(run("serials allocate " + db_ + " --gtin 09520123456788 --count 4").out);
  auto ret = run("serials return " + db_ + " --range 3 " + r[1] + " " + r[2]);
  EXPECT_EQ(ret.status, 0) << ret.out;
  EXPECT_EQ(ret.out, "returned 2 serials to range 3\n");
  auto ranges = lines(run("serials ranges " + db_ + " --gtin 09520123456788").out);
  ASSERT_FALSE(ranges.empty());
  EXPECT_NE(ranges.back().find("\t4\t0\t2\t"), std::string::npos) << ranges.back();
  EXPECT_EQ(run("serials return " + db_ + " --range 3 " + r[1]).status, 1);
  auto again = lines(
      run("serials allocate " + db_ + " --gtin 09520123456788 --count 2 --reissue-returned").out);
  EXPECT_EQ(again, std::vector<std::string>({r[1], r[2]}));
}

TEST_F(CliSerials, RangesCountWhatWasCommissioned) {
  auto serials = lines(run("serials allocate " + db_ + " --gtin 09520123456788 --count 3 --output digital-link").out);
  ASSERT_EQ(serials.size(), 3u);
  // Commission two of the three through an EPCIS capture into the same database.
  std::string doc = R"({"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
    "type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-01-01T00:00:00Z",
    "epcisBody":{"eventList":[{"type":"ObjectEvent","eventTime":"2026-01-01T00:00:00Z",
    "eventTimeZoneOffset":"+00:00","action":"ADD","bizStep":"commissioning",
    "epcList":[")" + serials[0] + "\",\"" + serials[1] + R"("]}]}})";
  std::string file = (dir_ / "commission.jsonld").string();
  std::ofstream(file) << doc;
  ASSERT_EQ(run("capture " + db_ + " " + file).status, 0);
  auto table = lines(run("serials ranges " + db_).out);
  ASSERT_EQ(table.size(), 2u);
  // range allocation gtin lot format scheme key issued commissioned returned ...
  std::vector<std::string> cols;
  std::istringstream row(table[1]);
  for (std::string c; std::getline(row, c, '\t');) cols.push_back(c);
  ASSERT_GE(cols.size(), 10u);
  EXPECT_EQ(cols[7], "3");  // issued
  EXPECT_EQ(cols[8], "2");  // commissioned
}

}  // namespace

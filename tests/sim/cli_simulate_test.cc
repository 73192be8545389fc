// `serialtrack simulate`, run as a user runs it: documents, labels and verifications
// written to files (the same bytes for the same seed), or captured into a database that
// `serialtrack capture` would also accept and `serialtrack trace` then answers from.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/program.h"

namespace {

namespace fs = std::filesystem;
using serialtrack::testing::ProgramRun;

ProgramRun run(const std::string& args) {
  return serialtrack::testing::run_program(args, serialtrack::testing::Stderr::kMerge);
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

size_t lines(const std::string& text) {
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

class CliSimulate : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / "cli_simulate";
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  // Everything one run writes, in one string.
  std::string simulate_into(const std::string& name, int seed = 42) {
    fs::path d = dir_ / name;
    auto r = run("simulate --items 800 --seed " + std::to_string(seed) +
                 " --anomaly-rate 0.02 --events-per-document 300 --out " + (d / "docs").string() +
                 " --labels " + (d / "labels.jsonl").string() + " --verifications " +
                 (d / "v.jsonl").string());
    EXPECT_EQ(r.status, 0) << r.out;
    summary_ = r.out;
    std::string all;
    std::vector<fs::path> docs;
    for (const auto& e : fs::directory_iterator(d / "docs")) docs.push_back(e.path());
    std::sort(docs.begin(), docs.end());
    for (const auto& p : docs) all += p.filename().string() + "\n" + slurp(p);
    return all + slurp(d / "labels.jsonl") + slurp(d / "v.jsonl");
  }
  fs::path dir_;
  std::string summary_;
};

TEST_F(CliSimulate, WritesDocumentsLabelsAndVerificationsTheSameForTheSameSeed) {
  std::string first = simulate_into("a");
  EXPECT_NE(summary_.find("items 800, "), std::string::npos) << summary_;
  EXPECT_NE(summary_.find("anomalies clone "), std::string::npos) << summary_;
  EXPECT_EQ(summary_.find("\r"), std::string::npos)
      << "no progress bar when stderr is not a terminal";
  std::string second = simulate_into("b");
  EXPECT_EQ(first, second);
  EXPECT_NE(simulate_into("c", 43), first);

  EXPECT_TRUE(fs::exists(dir_ / "a" / "docs" / "epcis-000001.jsonld"));
  std::string labels = slurp(dir_ / "a" / "labels.jsonl");
  EXPECT_GT(lines(labels), 10u);
  EXPECT_NE(labels.find("\"kind\":\""), std::string::npos);
  EXPECT_GT(lines(slurp(dir_ / "a" / "v.jsonl")), 500u);

  // The documents are EPCIS a store accepts as they are.
  auto capture = run("capture --db " + (dir_ / "a.db").string() + " " +
                     (dir_ / "a" / "docs" / "epcis-000001.jsonld").string());
  EXPECT_EQ(capture.status, 0) << capture.out;
  EXPECT_NE(capture.out.find("accepted 300 events"), std::string::npos) << capture.out;
}

TEST_F(CliSimulate, CapturesIntoADatabaseThatTraceAnswersFrom) {
  std::string db = (dir_ / "sim.db").string();
  fs::path truth = dir_ / "truth.jsonl";
  auto r = run("simulate --items 300 --seed 3 --countries DE,AT --db " + db + " --truth " +
               truth.string());
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("items 300, "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(total 0)"), std::string::npos) << r.out;
  std::string first = slurp(truth).substr(0, slurp(truth).find('\n'));
  auto id_at = first.find("\"id\":\"") + 6;
  std::string unit = first.substr(id_at, first.find('"', id_at) - id_at);
  auto t = run("trace --db " + db + " " + unit);
  EXPECT_EQ(t.status, 0) << t.out;
  EXPECT_NE(t.out.find("commissioning"), std::string::npos) << t.out;
}

TEST_F(CliSimulate, DocumentsGoToStdoutOneALineWithTheSummaryOnStderr) {
  auto out = serialtrack::testing::run_program("simulate --items 100 --seed 1");
  EXPECT_EQ(out.status, 0);
  EXPECT_GE(lines(out.out), 1u);
  EXPECT_EQ(out.out.rfind("{\"@context\"", 0), 0u);
  EXPECT_EQ(out.out.find("items 100"), std::string::npos);
}

TEST_F(CliSimulate, RefusesBadArguments) {
  auto zero = run("simulate --items 0");
  EXPECT_EQ(zero.status, 2);
  EXPECT_NE(zero.out.find("items must be between"), std::string::npos) << zero.out;
  auto country = run("simulate --items 10 --countries DE,ZZ --out " + (dir_ / "x").string());
  EXPECT_EQ(country.status, 2);
  EXPECT_NE(country.out.find("unknown country code 'ZZ'"), std::string::npos) << country.out;
  EXPECT_FALSE(fs::exists(dir_ / "x"));
  fs::create_directories(dir_ / "used");
  std::ofstream(dir_ / "used" / "epcis-000001.jsonld") << "{}";
  auto used = run("simulate --items 10 --out " + (dir_ / "used").string());
  EXPECT_EQ(used.status, 2);
  EXPECT_NE(used.out.find("is not empty"), std::string::npos) << used.out;
  auto both = run("simulate --items 10 --out a --db b");
  EXPECT_NE(both.status, 0);
  auto rate = run("simulate --items 10 --clone-rate 2");
  EXPECT_NE(rate.status, 0);
}

}  // namespace

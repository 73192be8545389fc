// `serialtrack simulate --post URL --key KEY` as a user runs it against a running server:
// every document captured through POST /capture (each job checked), every scan verified
// through POST /verify, the server holding what the summary says; a refusal stops the
// run with the server's words and exit status 1.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "server/http_client.h"
#include "support/program.h"

namespace serialtrack::testing {
namespace {

server::ServeConfig unlimited_verifications() {
  server::ServeConfig config;
  config.verification_limits.rate_per_second = 1e6;  // one client sends every scan
  config.verification_limits.burst = 1e6;
  return config;
}

uint64_t number_after(const std::string& text, const std::string& pattern) {
  std::smatch m;
  if (!std::regex_search(text, m, std::regex(pattern + " ([0-9]+)"))) return 0;
  return std::stoull(m[1]);
}

TEST(CliSimulatePost, StreamsTheChainToTheServerAndSaysWhatItAnswered) {
  TestServer s(unlimited_verifications());
  std::string url = "http://127.0.0.1:" + std::to_string(s.port());
  auto r = run_program(
      "simulate --items 300 --seed 3 --anomaly-rate 0.02 --until "
      "2026-01-20T00:00:00Z --post " +
          url + " --key " + s.admin_key(),
      Stderr::kMerge);
  ASSERT_EQ(r.status, 0) << r.out;
  uint64_t events = number_after(r.out, "events");
  uint64_t scans = number_after(r.out, "documents [0-9]+, verifications");
  ASSERT_GT(events, 0u) << r.out;
  ASSERT_GT(scans, 0u) << r.out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      r.out, m,
      std::regex("posted to " + url +
                 ": ([0-9]+) captures \\(([0-9]+) events accepted, 0 duplicates\\), ([0-9]+) "
                 "verifications \\(([0-9]+) verified")))
      << r.out;
  EXPECT_EQ(std::stoull(m[2]), events);
  EXPECT_EQ(std::stoull(m[3]), scans);
  EXPECT_GT(std::stoull(m[4]), 0u);  // scans arrive before the dispensing that follows them

  HttpClient http(s.port());
  auto health = http.get("/health").json();
  EXPECT_EQ(health.at("events").as_int64(), static_cast<int64_t>(events));
  uint64_t counted = 0;
  std::string metrics = HttpClient(s.port(), s.admin_key()).get("/metrics").body;
  std::regex line("serialtrack_verifications_total\\{[^}]*\\} ([0-9]+)");
  for (auto it = std::sregex_iterator(metrics.begin(), metrics.end(), line);
       it != std::sregex_iterator(); ++it)
    counted += std::stoull((*it)[1]);
  EXPECT_EQ(counted, scans) << metrics;
}

TEST(CliSimulatePost, ARefusedCaptureStopsTheRunWithTheServersAnswer) {
  TestServer s(unlimited_verifications());
  std::string url = "http://127.0.0.1:" + std::to_string(s.port());
  auto r = run_program("simulate --items 50 --post " + url + " --key st_0000000000000000_wrong",
                       Stderr::kMerge);
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("capture of document 1 (events 1-"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("POST /capture answered 401 (epcisException:SecurityException)"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("posted to"), std::string::npos) << r.out;
}

TEST(CliSimulatePost, NoServerThereIsAnErrorNotAHang) {
  uint16_t port;
  {
    TestServer gone;
    port = gone.port();
  }
  auto r = run_program("simulate --items 50 --post http://127.0.0.1:" + std::to_string(port),
                       Stderr::kMerge);
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("cannot connect to http://127.0.0.1:"), std::string::npos) << r.out;
  auto bad = run_program("simulate --items 50 --post ftp://x --key k", Stderr::kMerge);
  EXPECT_EQ(bad.status, 2) << bad.out;
  EXPECT_NE(bad.out.find("--post: 'ftp://x' is not an http://host:port URL"), std::string::npos)
      << bad.out;
}

}  // namespace
}  // namespace serialtrack::testing

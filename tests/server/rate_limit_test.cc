// Per-client verification limits on a fake clock: token buckets (rate, burst), bounded
// memory, and unknown-serial probe reports at the threshold.
#include "server/rate_limit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

namespace serialtrack::server {
namespace {

using namespace std::chrono_literals;

// A clock the test moves by hand.
struct FakeClock {
  std::chrono::steady_clock::time_point now{std::chrono::hours(1000)};
  VerificationLimiter::Clock clock() {
    return [this] { return now; };
  }
};

int admitted(VerificationLimiter& limiter, const std::string& client, int requests) {
  int n = 0;
  for (int i = 0; i < requests; ++i) n += limiter.admit(client).allowed ? 1 : 0;
  return n;
}

TEST(VerificationLimiter, ABurstIsAllowedThenTheRateRefillsIt) {
  FakeClock t;
  VerificationLimiter limiter({.rate_per_second = 2, .burst = 5}, t.clock());
  EXPECT_EQ(admitted(limiter, "key:a", 8), 5);  // the burst, then refused
  Admission refused = limiter.admit("key:a");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, 500ms);  // one token at 2/s
  t.now += 500ms;
  EXPECT_EQ(admitted(limiter, "key:a", 3), 1);
  t.now += 10s;  // a long idle fills the bucket, never beyond the burst
  EXPECT_EQ(admitted(limiter, "key:a", 10), 5);
}

TEST(VerificationLimiter, EachClientHasItsOwnBucket) {
  FakeClock t;
  VerificationLimiter limiter({.rate_per_second = 1, .burst = 3}, t.clock());
  EXPECT_EQ(admitted(limiter, "key:a", 5), 3);
  EXPECT_EQ(admitted(limiter, "key:b", 5), 3);
  EXPECT_FALSE(limiter.admit("key:a").allowed);
}

TEST(VerificationLimiter, TheDefaultsAreDocumented) {
  VerificationLimiter limiter;
  EXPECT_EQ(limiter.options().rate_per_second, 10);
  EXPECT_EQ(limiter.options().burst, 100);
  EXPECT_EQ(limiter.options().max_clients, 65536u);
  EXPECT_EQ(limiter.options().probe_window, 600s);
  EXPECT_EQ(limiter.options().probe_threshold, 20u);
}

TEST(VerificationLimiter, MemoryIsBoundedAndTheLeastRecentlySeenClientIsForgotten) {
  FakeClock t;
  VerificationLimiter limiter({.rate_per_second = 1, .burst = 2, .max_clients = 3}, t.clock());
  for (const char* c : {"a", "b", "c"}) EXPECT_EQ(admitted(limiter, c, 2), 2);
  EXPECT_FALSE(limiter.admit("a").allowed);  // a is the most recently seen now
  EXPECT_EQ(limiter.clients(), 3u);
  EXPECT_TRUE(limiter.admit("d").allowed);  // forgets b, the least recently seen
  EXPECT_EQ(limiter.clients(), 3u);
  EXPECT_FALSE(limiter.admit("a").allowed);  // a and c are remembered, still empty
  EXPECT_FALSE(limiter.admit("c").allowed);
  EXPECT_EQ(admitted(limiter, "b", 3), 2);  // b comes back with a full bucket
  VerificationLimiter many({.max_clients = 5000}, t.clock());
  for (int i = 0; i < 20000; ++i) many.admit("client-" + std::to_string(i));
  EXPECT_LE(many.clients(), 5000u + 15u);  // 16 shards of ceil(5000 / 16)
  EXPECT_GE(many.clients(), 4900u);
}

TEST(VerificationLimiter, UnknownSerialProbesAreReportedAtTheThreshold) {
  FakeClock t;
  VerificationLimiter limiter({.probe_window = 60s, .probe_threshold = 5}, t.clock());
  for (int i = 1; i <= 4; ++i) {
    EXPECT_FALSE(limiter.record_unknown_serial("key:p")) << i;
    t.now += 1s;
  }
  auto report = limiter.record_unknown_serial("key:p");
  ASSERT_TRUE(report);
  EXPECT_EQ(report->count, 5u);
  EXPECT_EQ(report->window, 60s);
  EXPECT_FALSE(limiter.record_unknown_serial("key:other"));  // counted per client
  for (int i = 6; i <= 9; ++i) EXPECT_FALSE(limiter.record_unknown_serial("key:p")) << i;
  report = limiter.record_unknown_serial("key:p");  // again at every further threshold
  ASSERT_TRUE(report);
  EXPECT_EQ(report->count, 10u);
}

TEST(VerificationLimiter, AProbeReportBecomesAStoredAlertAboutTheClient) {
  auto path = std::filesystem::path(::testing::TempDir()) / "rate_limit_alerts.db";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  auto store = store::open_sqlite(path.string());
  ASSERT_TRUE(store) << store.error().message;
  FakeClock t;
  VerificationLimiter limiter({.probe_threshold = 3}, t.clock());
  std::optional<ProbeReport> report;
  for (int i = 0; i < 3; ++i) report = limiter.record_unknown_serial("key:0123456789abcdef");
  ASSERT_TRUE(report);
  auto seq = (*store)->raise_alert(probe_alert("key:0123456789abcdef", *report));
  ASSERT_TRUE(seq) << seq.error().message;
  auto alerts = (*store)->alerts("key:0123456789abcdef");
  ASSERT_TRUE(alerts) << alerts.error().message;
  ASSERT_EQ(alerts->size(), 1u);
  EXPECT_EQ((*alerts)[0].kind, kProbeAlertKind);
  EXPECT_EQ((*alerts)[0].sequence, *seq);
  EXPECT_EQ((*alerts)[0].reason,
            "3 unknown serials asked within 600 s: serial enumeration suspected");
  EXPECT_TRUE((*store)->alerts("key:another")->empty());
}

TEST(VerificationLimiter, ProbesSpreadBeyondTheWindowAreNotReported) {
  FakeClock t;
  VerificationLimiter limiter({.probe_window = 60s, .probe_threshold = 3}, t.clock());
  for (int i = 0; i < 10; ++i) {  // two per window: never three within one
    EXPECT_FALSE(limiter.record_unknown_serial("key:slow"));
    t.now += 31s;
  }
  EXPECT_FALSE(limiter.record_unknown_serial("key:fast"));
  EXPECT_FALSE(limiter.record_unknown_serial("key:fast"));
  EXPECT_TRUE(limiter.record_unknown_serial("key:fast"));
}

TEST(VerificationLimiter, ConcurrentRequestsNeverTakeMoreThanTheBucket) {
  FakeClock t;  // frozen: no refill while the threads run
  VerificationLimiter limiter({.rate_per_second = 1, .burst = 1000}, t.clock());
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] {
      for (int j = 0; j < 1000; ++j)
        if (limiter.admit("key:shared").allowed) ++allowed;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(allowed.load(), 1000);
}

}  // namespace
}  // namespace serialtrack::server

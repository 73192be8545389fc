// Per-client verification limits on a fake clock: token buckets (rate, burst) and bounded
// memory.
#include "server/rate_limit.h"

#include <gtest/gtest.h>

#include <atomic>
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

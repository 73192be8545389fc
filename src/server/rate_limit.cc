#include "server/rate_limit.h"

#include <algorithm>
#include <cmath>

namespace serialtrack::server {
namespace {

// Shards cut lock contention between server threads; small limits keep one shard so
// that max_clients is exact.
constexpr std::size_t kShards = 16;
constexpr std::size_t kMinClientsForShards = 1024;

}  // namespace

VerificationLimiter::VerificationLimiter(VerificationLimitOptions options, Clock clock)
    : options_(options), clock_(std::move(clock)) {
  if (!(options_.rate_per_second > 0)) options_.rate_per_second = 1e-9;
  if (!(options_.burst >= 1)) options_.burst = 1;
  options_.max_clients = std::max<std::size_t>(options_.max_clients, 1);
  if (!clock_) clock_ = [] { return std::chrono::steady_clock::now(); };
  std::size_t n = options_.max_clients >= kMinClientsForShards ? kShards : 1;
  for (std::size_t i = 0; i < n; ++i) {
    shards_.push_back(std::make_unique<Shard>());
    shards_.back()->capacity = (options_.max_clients + n - 1) / n;
  }
}

VerificationLimiter::Shard& VerificationLimiter::shard_of(std::string_view client) {
  return *shards_[std::hash<std::string_view>{}(client) % shards_.size()];
}

VerificationLimiter::ClientState& VerificationLimiter::touch(
    Shard& shard, std::string_view client, std::chrono::steady_clock::time_point now) {
  auto it = shard.clients.find(std::string(client));
  if (it != shard.clients.end()) {
    shard.recent.splice(shard.recent.begin(), shard.recent, it->second.lru);
    return it->second;
  }
  if (shard.clients.size() >= shard.capacity) {  // forget the least recently seen
    shard.clients.erase(shard.recent.back());
    shard.recent.pop_back();
  }
  shard.recent.emplace_front(client);
  ClientState& s = shard.clients[shard.recent.front()];
  s.tokens = options_.burst;
  s.refilled = now;
  s.lru = shard.recent.begin();
  return s;
}

Admission VerificationLimiter::admit(std::string_view client) {
  auto now = clock_();
  Shard& shard = shard_of(client);
  std::lock_guard lock(shard.mu);
  ClientState& s = touch(shard, client, now);
  double elapsed = std::chrono::duration<double>(now - s.refilled).count();
  if (elapsed > 0) {
    s.tokens = std::min(options_.burst, s.tokens + elapsed * options_.rate_per_second);
    s.refilled = now;
  }
  if (s.tokens >= 1) {
    s.tokens -= 1;
    return Admission{true, std::chrono::milliseconds(0)};
  }
  double wait_seconds = (1 - s.tokens) / options_.rate_per_second;
  auto wait = std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(wait_seconds * 1000)));
  return Admission{false, wait};
}

std::size_t VerificationLimiter::clients() const {
  std::size_t n = 0;
  for (const auto& shard : shards_) {
    std::lock_guard lock(shard->mu);
    n += shard->clients.size();
  }
  return n;
}

}  // namespace serialtrack::server

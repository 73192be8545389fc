// Per-client limits on verification requests (issue 5): a token bucket per client stops
// serial enumeration (guessing serials and asking whether they exist). Nothing here knows
// HTTP: the server names the client (see README.md, "Access control") and asks admit()
// before answering. Probing that stays under the rate (many unknown serials from one
// client) is detection's rule (trace/detection.h: probing, sequential_guessing), raised
// into the alert book for the same client name.
//
// Defaults (VerificationLimitOptions): 10 verifications/s sustained with bursts of 100
// per client (a pharmacy scanning a tote of packs stays under it; an enumerator guessing
// 1 in 10,000 serials needs hours per hit); 65,536 clients remembered, the least
// recently seen forgotten first.
//
// Thread-safety: a VerificationLimiter is safe for concurrent use from many threads
// without external synchronisation (clients are spread over shards, one mutex each).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace serialtrack::server {

struct VerificationLimitOptions {
  double rate_per_second = 10;      // tokens added per second per client
  double burst = 100;               // bucket size: requests allowed at once after idling
  std::size_t max_clients = 65536;  // clients remembered (memory bound); LRU eviction
};

// admit()'s answer.
struct Admission {
  bool allowed = true;
  // When refused: how long until one token is back (for a Retry-After header).
  std::chrono::milliseconds retry_after{0};
};

class VerificationLimiter {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // A limiter with options; clock gives the time (steady_clock::now when empty; tests
  // inject a fake). rate_per_second and burst must be > 0 and max_clients >= 1 (smaller
  // values are raised to these).
  explicit VerificationLimiter(VerificationLimitOptions options = {}, Clock clock = {});

  // Takes one token from client's bucket: allowed, or refused with the wait until the
  // next token. A client not seen before (or forgotten) starts with a full bucket.
  Admission admit(std::string_view client);

  // Number of clients remembered now (at most max_clients).
  std::size_t clients() const;

  const VerificationLimitOptions& options() const { return options_; }

 private:
  struct ClientState {
    double tokens = 0;
    std::chrono::steady_clock::time_point refilled;
    std::list<std::string>::iterator lru;  // position in Shard::recent
  };
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, ClientState> clients;
    std::list<std::string> recent;  // most recently seen first
    std::size_t capacity = 1;
  };

  // client's state in its shard (created with a full bucket, evicting the least recently
  // seen client when the shard is full); the caller holds shard.mu.
  ClientState& touch(Shard& shard, std::string_view client,
                     std::chrono::steady_clock::time_point now);
  Shard& shard_of(std::string_view client);

  VerificationLimitOptions options_;
  Clock clock_;
  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace serialtrack::server

// Per-client limits on verification requests (issue 5): a token bucket per client stops
// serial enumeration (guessing serials and asking whether they exist), and a count of
// unknown-serial answers per client reports a probe once it passes a threshold, so that
// the server raises an alert (store alerts) even when the requests stay under the rate.
// Nothing here knows HTTP: the server names the client (see README.md, "Access
// control"), asks admit() before answering, and tells record_unknown_serial() when an
// answer was "unknown serial" (EMVS alert A2-like).
//
// Defaults (VerificationLimitOptions): 10 verifications/s sustained with bursts of 100
// per client (a pharmacy scanning a tote of packs stays under it; an enumerator guessing
// 1 in 10,000 serials needs hours per hit); a probe alert after 20 unknown serials
// within 10 minutes, and again at every further 20 in that window; 65,536 clients
// remembered, the least recently seen forgotten first.
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
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/store.h"

namespace serialtrack::server {

struct VerificationLimitOptions {
  double rate_per_second = 10;             // tokens added per second per client
  double burst = 100;                      // bucket size: requests allowed at once after idling
  std::size_t max_clients = 65536;         // clients remembered (memory bound); LRU eviction
  std::chrono::seconds probe_window{600};  // unknown-serial answers are counted per window
  std::uint32_t probe_threshold = 20;      // count at which a probe is reported (and multiples)
};

// admit()'s answer.
struct Admission {
  bool allowed = true;
  // When refused: how long until one token is back (for a Retry-After header).
  std::chrono::milliseconds retry_after{0};
};

// record_unknown_serial()'s report: raise an alert for this client.
struct ProbeReport {
  std::uint32_t count = 0;         // unknown-serial answers in the current window
  std::chrono::seconds window{0};  // the window's length
};

// The alert the server stores (Store::raise_alert) for a probe report: kind
// kProbeAlertKind, item the client, reason the count and window in words.
inline constexpr std::string_view kProbeAlertKind = "verification_probe";
store::AlertRecord probe_alert(std::string_view client, const ProbeReport& report);

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

  // Counts one unknown-serial answer to client. Returns a report when the count within
  // the current window reaches probe_threshold or a multiple of it, nullopt otherwise.
  // A window starts at the first unknown serial after the previous window ended.
  std::optional<ProbeReport> record_unknown_serial(std::string_view client);

  // Number of clients remembered now (at most max_clients).
  std::size_t clients() const;

  const VerificationLimitOptions& options() const { return options_; }

 private:
  struct ClientState {
    double tokens = 0;
    std::chrono::steady_clock::time_point refilled;
    std::chrono::steady_clock::time_point probe_window_start;
    std::uint32_t probes = 0;
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

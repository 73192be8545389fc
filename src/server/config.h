// The configuration of `serialtrack serve`: settings from a config file, overridden
// by the environment (SERIALTRACK_<KEY>), overridden by command-line flags. The file
// is "key = value" lines; '#' starts a comment; keys are those of ServeConfig below
// (db, listen, threads, write_threads, body_limit, capture_limit, capture_file_size_limit,
// page_limit, allocation_limit, read_timeout_ms, idle_timeout_ms, log_level, open, tls_cert,
// tls_key, verification_rate, verification_burst). Pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "server/rate_limit.h"

namespace serialtrack::server {

struct ServeConfig {
  std::string db = "serialtrack.db";
  std::string listen = "127.0.0.1:8080";  // host:port, [v6]:port; port 0 picks a free one
  unsigned threads = 0;                   // 0: one per hardware thread
  // Threads for state-changing requests (ServerOptions::write_threads); 0 runs them on
  // the io threads, where a capture waiting for the store delays the reads behind it.
  unsigned write_threads = 2;
  size_t body_limit = 64u << 20;               // bytes of a request body
  size_t capture_limit = 10'000;               // events per capture (GS1-EPCIS-Capture-Limit)
  size_t capture_file_size_limit = 32u << 20;  // bytes (GS1-EPCIS-Capture-File-Size-Limit)
  size_t page_limit = 1000;                    // the largest perPage a query may ask
  size_t allocation_limit = 100'000;           // serials per POST /serials/allocations
  uint32_t read_timeout_ms = 30'000;
  uint32_t idle_timeout_ms = 60'000;
  std::string log_level = "info";  // spdlog level: trace debug info warn error off
  // No access control: every request is an admin (local development only). Without it
  // the server refuses to start while no API key exists (README.md "Access control").
  bool open = false;
  // HTTPS (and WSS): PEM files of the server's certificate (chain) and private key; both
  // or neither (server/server.h).
  std::string tls_cert, tls_key;
  // Per-client verification rate and probe threshold (rate_limit.h defaults; the keys
  // verification_rate (per second) and verification_burst set rate_per_second and burst).
  VerificationLimitOptions verification_limits;
};

using ConfigResult = serialtrack::Result<void*, std::string>;

// Sets one setting by key from its text. Error: unknown key or malformed value.
ConfigResult set_config(ServeConfig& config, std::string_view key, std::string_view value);

// Applies "key = value" lines; errors name source and line.
ConfigResult apply_config_text(ServeConfig& config, std::string_view text, std::string_view source);
// Applies the file at path. Error: unreadable, or as apply_config_text.
ConfigResult apply_config_file(ServeConfig& config, const std::string& path);
// Applies SERIALTRACK_<KEY in upper case> for every key that getenv finds.
ConfigResult apply_environment(ServeConfig& config,
                               const std::function<const char*(const char*)>& getenv);

// Splits "host:port" / "[v6]:port". Error: no port, or a port beyond 65535.
struct ListenAddress {
  std::string host;
  uint16_t port = 0;
};
serialtrack::Result<ListenAddress, std::string> parse_listen(std::string_view listen);

}  // namespace serialtrack::server

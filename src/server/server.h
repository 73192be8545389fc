// The HTTP/1.1 server: an acceptor and async sessions (Boost.Beast over Asio) on one
// io_context run by N threads; plain HTTP, or HTTPS (TLS by OpenSSL) when given a
// certificate and key, on the same session code (and so WebSocket or WSS). Keep-alive; a request
// body limit; timeouts for slow clients (idle keep-alive connections, and a request that does not
// arrive whole in time); graceful shutdown: stop accepting, close idle connections, let requests in
// flight finish and be answered, then return from wait() (the caller then closes the
// store). Requests are answered by a Dispatcher, synchronously on an io thread (a
// handler may block on the store: the other threads keep serving).
//
// Thread-safety: start() once; request_stop() may be called from any thread (also from
// a handler); wait() from one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "server/dispatcher.h"

namespace serialtrack::server {

struct ServerOptions {
  std::string address = "127.0.0.1";  // IPv4 or IPv6 literal
  uint16_t port = 8080;               // 0: any free port (see Server::port)
  unsigned threads = 2;
  // Threads for the requests that change state (every method but GET, HEAD and OPTIONS:
  // captures, pack operations...). Off the io threads, so that reads and verifications
  // are answered while a long capture waits for or holds the store's write lock.
  unsigned write_threads = 2;
  size_t body_limit = 64u << 20;                     // bytes; 413 beyond
  std::chrono::milliseconds read_timeout{30'000};    // a request's head and body
  std::chrono::milliseconds idle_timeout{60'000};    // between requests of a connection
  std::chrono::milliseconds shutdown_grace{30'000};  // for in-flight requests on stop
  // On stop, for the on_stop hooks to close what the server handed over (WebSocket close
  // frames); a client that does not answer in time has its connection closed.
  std::chrono::milliseconds upgraded_close_timeout{1'000};
  // TLS: PEM files of the certificate (chain) and its private key; both empty: plain
  // HTTP. Every connection then starts with a TLS handshake (in read_timeout).
  std::string tls_certificate_file, tls_private_key_file;
};

class Server {
 public:
  // dispatcher must outlive the Server.
  Server(ServerOptions options, const Dispatcher& dispatcher);
  ~Server();  // stops (as request_stop + wait) if still running
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts the threads. Error: the address cannot be bound, or the
  // TLS certificate or key cannot be read or do not match (a sentence for a person).
  Result<void*, std::string> start();

  // The address and port bound (the port chosen when options.port was 0).
  std::string address() const;
  uint16_t port() const;

  // A hook for the connections handed over on an upgrade (which the server no longer
  // sees): wait() calls it once the stop has begun, on wait()'s thread while the io
  // threads still run, with the time it must return by (upgraded_close_timeout from
  // then). Call before start().
  using StopHook = std::function<void(std::chrono::steady_clock::time_point deadline)>;
  void on_stop(StopHook hook);

  // Makes SIGTERM and SIGINT call request_stop().
  void stop_on_signals();

  // Begins a graceful shutdown: stops accepting, closes idle connections at once, and
  // closes busy ones after their answer; returns at once.
  void request_stop();
  // Blocks until stopped: after request_stop, runs the on_stop hooks (at most
  // upgraded_close_timeout), waits until every connection is closed (in-flight requests
  // answered; at most shutdown_grace), then stops the threads.
  void wait();
  // request_stop() then wait().
  void stop();

  // Whether connections speak TLS (options gave a certificate and key).
  bool tls() const;

  // Connections currently open (HTTP ones; not those handed over on an upgrade).
  size_t connections() const;

  struct State;  // internal: shared with the sessions, which may outlive a stop

 private:
  std::shared_ptr<State> state_;
};

}  // namespace serialtrack::server

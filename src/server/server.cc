#include "server/server.h"

#include <algorithm>
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "server/connection.h"

namespace serialtrack::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

class SessionBase;

struct Server::State {
  ServerOptions options;
  const Dispatcher& dispatcher;
  asio::io_context ioc;
  // Keeps the threads running until wait() stops them: without it they return as soon as
  // the io_context runs out of work (the acceptor closed, the last connection gone), and
  // a drain posted after that is never run: its session stays, and wait() sits out the
  // whole grace period.
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::optional<asio::ssl::context> tls;
  tcp::acceptor acceptor{ioc};
  std::optional<asio::signal_set> signals;
  std::vector<std::thread> threads;
  // The requests that change state run here (ServerOptions::write_threads).
  std::optional<asio::thread_pool> writers;
  std::vector<Server::StopHook> stop_hooks;  // set before start

  std::mutex mu;
  std::condition_variable cv;
  bool started = false, stop_requested = false, stopped = false;
  // stop_requested, readable without mu: an answer made while the stop began says
  // "Connection: close" (the drain posted to its session runs only after the handler).
  std::atomic<bool> stopping = false;
  std::unordered_map<SessionBase*, std::weak_ptr<SessionBase>> sessions;

  State(ServerOptions o, const Dispatcher& d) : options(std::move(o)), dispatcher(d) {}
};

// What the server asks of a connection, whatever its stream.
class SessionBase {
 public:
  virtual ~SessionBase() = default;
  // On shutdown: an idle connection closes now, a busy one after its answer.
  virtual void drain() = 0;
};

// One connection over Stream (PlainStream, or TlsStream after its handshake): read a
// request, answer it, repeat while keep-alive; all its work runs on its strand.
//
// Timeouts (slow clients, idle keep-alive) are a deadline the session moves as it goes,
// checked by one timer that wakes a few times per timeout: a request costs a clock read,
// not the cancel and re-arm of a timer under the io_context's timer lock (beast's
// expires_after on every read and write cost 14% of the requests/s).
template <class Stream>
class Session : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;
  // How long a TLS close_notify exchange may take before the socket is closed anyway.
  static constexpr std::chrono::seconds kTlsShutdownTimeout{1};

 public:
  Session(Stream stream, std::shared_ptr<Server::State> state)
      : stream_(std::move(stream)), watchdog_(stream_.get_executor()), state_(std::move(state)) {}

  ~Session() override {
    std::lock_guard lock(state_->mu);
    state_->sessions.erase(this);
    state_->cv.notify_all();
  }

  void start() {
    {
      std::lock_guard lock(state_->mu);
      state_->sessions.emplace(this, this->weak_from_this());
      draining_ = state_->stop_requested;  // accepted as the shutdown began
    }
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->begin(); });
  }

  void drain() override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
      self->draining_ = true;
      if (!self->busy_) self->close();
    });
  }

 private:
  beast::tcp_stream& tcp_stream() { return beast::get_lowest_layer(stream_); }

  using Clock = std::chrono::steady_clock;
  // The pending read or write must end within timeout, or the connection closes.
  void deadline_in(Clock::duration timeout) {
    deadline_ = Clock::now() + timeout;
    if (!watching_) watch();
  }
  // Nothing pending on the connection (a request being handled): no deadline.
  void no_deadline() { deadline_ = Clock::time_point::max(); }
  // Wakes every tick while the connection lives (not on every request): a timeout is
  // seen at most one tick late.
  void watch() {
    watching_ = true;
    watchdog_.expires_after(watch_tick(state_->options));
    watchdog_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      if (ec || self->closed_) return;  // cancelled by close or an upgrade
      if (Clock::now() >= self->deadline_) return self->close();  // pending ops: aborted
      self->watch();
    });
  }
  // An eighth of the shortest timeout, within 5 ms .. 1 s.
  static Clock::duration watch_tick(const ServerOptions& o) {
    auto shortest = std::min<Clock::duration>(o.read_timeout, o.idle_timeout);
    return std::clamp<Clock::duration>(shortest / 8, std::chrono::milliseconds(5),
                                       std::chrono::seconds(1));
  }

  void begin() {
    if constexpr (kTls) {
      if (draining_) return close();
      deadline_in(state_->options.read_timeout);
      stream_.async_handshake(asio::ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (ec) return self->close();
                                self->read();
                              });
    } else {
      read();
    }
  }

  void read() {
    if (draining_) return finish();
    parser_.emplace();
    parser_->body_limit(state_->options.body_limit);
    deadline_in(state_->options.idle_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_read(ec);
    busy_ = true;  // a request has begun: it is in flight from here
    // No body (a GET): nothing more to read.
    if (parser_->is_done()) return on_read(ec);
    deadline_in(state_->options.read_timeout);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    no_deadline();
    if (ec == http::error::body_limit) {
      busy_ = true;
      std::string detail = "the request body is larger than " +
                           std::to_string(state_->options.body_limit) + " bytes";
      // EPCIS 2.0 §12.4: a capture beyond the limits is a CaptureLimitExceededException.
      bool capture = parser_->get().target().starts_with("/capture") ||
                     parser_->get().target().starts_with("/events");
      return answer(problem_response(capture ? capture_limit_exceeded_exception(detail)
                                             : payload_too_large(detail),
                                     parser_->get().version(), false),
                    true);
    }
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
        ec == asio::error::eof || ec == asio::ssl::error::stream_truncated)
      return close();
    if (ec) {
      busy_ = true;
      return answer(
          problem_response(bad_request("malformed HTTP request: " + ec.message()), 11, false),
          true);
    }
    busy_ = true;
    Request request = parser_->release();
    if (!peer_read_) {  // the peer of a connection stays: one getpeername per connection
      peer_read_ = true;
      boost::system::error_code peer_ec;
      auto peer = tcp_stream().socket().remote_endpoint(peer_ec);
      if (!peer_ec) peer_ = peer.address().to_string();
    }
    std::string client = peer_;
    auto method = request.method();
    if (state_->writers && method != http::verb::get && method != http::verb::head &&
        method != http::verb::options) {
      // On a writer thread; the answer goes back to this connection's strand. (Only a GET
      // upgrades to a WebSocket.)
      asio::post(*state_->writers, [self = this->shared_from_this(), request = std::move(request),
                                    client = std::move(client)]() mutable {
        Upgrade none;
        Response res = self->state_->dispatcher.handle(request, &none, client);
        asio::post(self->stream_.get_executor(),
                   [self, res = std::move(res)]() mutable { self->respond(std::move(res)); });
      });
      return;
    }
    Upgrade upgrade;
    Response res = state_->dispatcher.handle(request, &upgrade, client);
    if (upgrade && res.result() == http::status::switching_protocols) {
      watchdog_.cancel();  // the new protocol keeps its own time
      return upgrade(Connection{std::move(stream_)}, std::move(request));
    }
    respond(std::move(res));
  }

  void respond(Response res) {
    bool close_after = !res.keep_alive() || draining_ || state_->stopping;
    if (close_after) res.keep_alive(false);
    answer(std::move(res), close_after);
  }

  void answer(Response res, bool close_after) {
    auto sp = std::make_shared<Response>(std::move(res));
    deadline_in(state_->options.read_timeout);
    http::async_write(
        stream_, *sp,
        [self = this->shared_from_this(), sp, close_after](beast::error_code ec, size_t) {
          self->busy_ = false;
          if (ec) return self->close();
          if (close_after || self->draining_) return self->finish();
          self->read();
        });
  }

  // Ends a connection with nothing pending on it: TLS says close_notify first (RFC 8446
  // §6.1), in a short time.
  void finish() {
    if constexpr (kTls) {
      deadline_in(kTlsShutdownTimeout);
      stream_.async_shutdown(
          [self = this->shared_from_this()](beast::error_code) { self->close(); });
    } else {
      close();
    }
  }

  // Closes the socket now; whatever is pending on it completes with operation_aborted.
  void close() {
    closed_ = true;
    watchdog_.cancel();  // its wait holds this session
    beast::error_code ignored;
    tcp_stream().socket().shutdown(tcp::socket::shutdown_both, ignored);
    tcp_stream().socket().close(ignored);
  }

  Stream stream_;
  asio::steady_timer watchdog_;
  Clock::time_point deadline_ = Clock::time_point::max();
  bool watching_ = false, closed_ = false;
  bool peer_read_ = false;
  std::string peer_;  // the client's address ("" when unknown)
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<Server::State> state_;
  bool busy_ = false, draining_ = false;
};

namespace {

template <class Stream, class... Args>
void open_session(const std::shared_ptr<Server::State>& state, Args&&... args) {
  std::make_shared<Session<Stream>>(Stream(std::forward<Args>(args)...), state)->start();
}

void accept(const std::shared_ptr<Server::State>& state) {
  state->acceptor.async_accept(
      asio::make_strand(state->ioc), [state](beast::error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !state->acceptor.is_open()) return;
        if (!ec) {
          socket.set_option(tcp::no_delay(true), ec);
          if (state->tls)
            open_session<TlsStream>(state, std::move(socket), *state->tls);
          else
            open_session<PlainStream>(state, std::move(socket));
        }
        accept(state);
      });
}

// The TLS context of the certificate and key files. Error: a sentence naming the file.
Result<void*, std::string> load_tls(Server::State& s) {
  auto& o = s.options;
  if (o.tls_certificate_file.empty() != o.tls_private_key_file.empty())
    return unexpected(std::string("TLS needs both a certificate file and a private key file"));
  if (o.tls_certificate_file.empty()) return nullptr;
  auto& ctx = s.tls.emplace(asio::ssl::context::tls_server);
  ctx.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                  asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                  asio::ssl::context::no_tlsv1_1);
  beast::error_code ec;
  ctx.use_certificate_chain_file(o.tls_certificate_file, ec);
  if (ec) {
    s.tls.reset();
    return unexpected("cannot use the TLS certificate " + o.tls_certificate_file + ": " +
                      ec.message());
  }
  ctx.use_private_key_file(o.tls_private_key_file, asio::ssl::context::pem, ec);
  if (ec) {
    s.tls.reset();
    return unexpected("cannot use the TLS private key " + o.tls_private_key_file + ": " +
                      ec.message());
  }
  return nullptr;
}

}  // namespace

Server::Server(ServerOptions options, const Dispatcher& dispatcher)
    : state_(std::make_shared<State>(std::move(options), dispatcher)) {}

Server::~Server() {
  bool running;
  {
    std::lock_guard lock(state_->mu);
    running = state_->started && !state_->stopped;
  }
  if (running) stop();
}

Result<void*, std::string> Server::start() {
  auto& s = *state_;
  if (auto tls = load_tls(s); !tls) return tls;
  beast::error_code ec;
  auto address = asio::ip::make_address(s.options.address, ec);
  if (ec) return unexpected("'" + s.options.address + "' is not an IP address");
  tcp::endpoint endpoint(address, s.options.port);
  std::string where = s.options.address + ":" + std::to_string(s.options.port);
  s.acceptor.open(endpoint.protocol(), ec);
  if (!ec) s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(endpoint, ec);
  if (!ec) s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return unexpected("cannot listen on " + where + ": " + ec.message());
  accept(state_);
  if (s.options.write_threads > 0) s.writers.emplace(s.options.write_threads);
  s.work.emplace(s.ioc.get_executor());
  {
    std::lock_guard lock(s.mu);
    s.started = true;
  }
  unsigned n = s.options.threads == 0 ? 1 : s.options.threads;
  for (unsigned i = 0; i < n; ++i) s.threads.emplace_back([state = state_] { state->ioc.run(); });
  return nullptr;
}

std::string Server::address() const {
  beast::error_code ec;
  auto ep = state_->acceptor.local_endpoint(ec);
  return ec ? state_->options.address : ep.address().to_string();
}

uint16_t Server::port() const {
  beast::error_code ec;
  auto ep = state_->acceptor.local_endpoint(ec);
  return ec ? state_->options.port : ep.port();
}

void Server::on_stop(StopHook hook) {
  state_->stop_hooks.push_back(std::move(hook));
}

void Server::stop_on_signals() {
  auto& s = *state_;
  s.signals.emplace(s.ioc, SIGINT, SIGTERM);
  s.signals->async_wait([this](beast::error_code ec, int) {
    if (!ec) request_stop();
  });
}

bool Server::tls() const {
  return state_->tls.has_value();
}

void Server::request_stop() {
  std::vector<std::shared_ptr<SessionBase>> open;
  {
    std::lock_guard lock(state_->mu);
    if (state_->stop_requested) return;
    state_->stop_requested = true;
    state_->stopping = true;
    for (auto& [_, weak] : state_->sessions)
      if (auto s = weak.lock()) open.push_back(std::move(s));
    state_->cv.notify_all();
  }
  asio::post(state_->ioc, [state = state_] {
    beast::error_code ignored;
    state->acceptor.close(ignored);
    if (state->signals) state->signals->cancel(ignored);
  });
  for (auto& s : open) s->drain();
}

void Server::wait() {
  auto& s = *state_;
  {
    std::unique_lock lock(s.mu);
    if (!s.started || s.stopped) return;
    s.cv.wait(lock, [&] { return s.stop_requested; });
  }
  // The handed-over connections (WebSocket streams) say goodbye while the threads run.
  auto hooks_deadline = std::chrono::steady_clock::now() + s.options.upgraded_close_timeout;
  for (auto& hook : s.stop_hooks) hook(hooks_deadline);
  {
    std::unique_lock lock(s.mu);
    // A session whose last reference is gone is finished, even before its destructor
    // has taken the entry out.
    s.cv.wait_for(lock, s.options.shutdown_grace, [&] {
      return std::all_of(s.sessions.begin(), s.sessions.end(),
                         [](const auto& entry) { return entry.second.expired(); });
    });
  }
  // The requests still on writer threads finish (their captures commit) before the io
  // threads stop.
  if (s.writers) s.writers->join();
  s.work.reset();
  s.ioc.stop();
  for (auto& t : s.threads)
    if (t.joinable()) t.join();
  // request_stop's posted close may not have run before ioc.stop(): close here (no io
  // thread runs now), and run the cancelled handlers, so that no listening socket
  // outlives the server and the pending accept's reference to the state is dropped.
  beast::error_code ignored;
  s.acceptor.close(ignored);
  if (s.signals) s.signals->cancel(ignored);
  s.ioc.restart();
  s.ioc.poll();
  std::lock_guard lock(s.mu);
  s.stopped = true;
}

void Server::stop() {
  request_stop();
  wait();
}

size_t Server::connections() const {
  std::lock_guard lock(state_->mu);
  return state_->sessions.size();
}

}  // namespace serialtrack::server

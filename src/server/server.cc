#include "server/server.h"

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

namespace serialtrack::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

class Session;

struct Server::State {
  ServerOptions options;
  const Dispatcher& dispatcher;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::optional<asio::signal_set> signals;
  std::vector<std::thread> threads;
  // Keeps the threads running while nothing is pending (the acceptor closed, every
  // connection idle): a drain posted to a session after that must still run, or the
  // session stays alive and wait() sits out the whole shutdown grace.
  asio::executor_work_guard<asio::io_context::executor_type> work{ioc.get_executor()};

  std::mutex mu;
  std::condition_variable cv;
  bool started = false, stop_requested = false, stopped = false;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;

  State(ServerOptions o, const Dispatcher& d) : options(std::move(o)), dispatcher(d) {}
};

// One connection: read a request, answer it, repeat while keep-alive; all its work runs
// on its strand.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<Server::State> state)
      : stream_(std::move(socket)), state_(std::move(state)) {}

  ~Session() {
    std::lock_guard lock(state_->mu);
    state_->sessions.erase(this);
    state_->cv.notify_all();
  }

  void start() {
    {
      std::lock_guard lock(state_->mu);
      state_->sessions.emplace(this, weak_from_this());
      draining_ = state_->stop_requested;  // accepted as the shutdown began
    }
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

  // On shutdown: an idle connection closes now, a busy one after its answer.
  void drain() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      self->draining_ = true;
      if (!self->busy_) self->close();
    });
  }

 private:
  void read() {
    if (draining_) return close();
    parser_.emplace();
    parser_->body_limit(state_->options.body_limit);
    stream_.expires_after(state_->options.idle_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_read(ec);
    busy_ = true;  // a request has begun: it is in flight from here
    stream_.expires_after(state_->options.read_timeout);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
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
        ec == asio::error::eof)
      return close();
    if (ec) {
      busy_ = true;
      return answer(
          problem_response(bad_request("malformed HTTP request: " + ec.message()), 11, false),
          true);
    }
    busy_ = true;
    Request request = parser_->release();
    Upgrade upgrade;
    boost::system::error_code peer_ec;
    auto peer = stream_.socket().remote_endpoint(peer_ec);
    Response res = state_->dispatcher.handle(request, &upgrade,
                                             peer_ec ? std::string() : peer.address().to_string());
    if (upgrade && res.result() == http::status::switching_protocols) {
      stream_.expires_never();  // the new protocol keeps its own time
      return upgrade(stream_.release_socket(), std::move(request));
    }
    bool close_after = !res.keep_alive() || draining_;
    if (close_after) res.keep_alive(false);
    answer(std::move(res), close_after);
  }

  void answer(Response res, bool close_after) {
    auto sp = std::make_shared<Response>(std::move(res));
    stream_.expires_after(state_->options.read_timeout);
    http::async_write(stream_, *sp,
                      [self = shared_from_this(), sp, close_after](beast::error_code ec, size_t) {
                        self->busy_ = false;
                        if (ec || close_after || self->draining_) return self->close();
                        self->read();
                      });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<Server::State> state_;
  bool busy_ = false, draining_ = false;
};

namespace {

void accept(const std::shared_ptr<Server::State>& state) {
  state->acceptor.async_accept(
      asio::make_strand(state->ioc), [state](beast::error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !state->acceptor.is_open()) return;
        if (!ec) {
          socket.set_option(tcp::no_delay(true), ec);
          std::make_shared<Session>(std::move(socket), state)->start();
        }
        accept(state);
      });
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

void Server::stop_on_signals() {
  auto& s = *state_;
  s.signals.emplace(s.ioc, SIGINT, SIGTERM);
  s.signals->async_wait([this](beast::error_code ec, int) {
    if (!ec) request_stop();
  });
}

void Server::request_stop() {
  std::vector<std::shared_ptr<Session>> open;
  {
    std::lock_guard lock(state_->mu);
    if (state_->stop_requested) return;
    state_->stop_requested = true;
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
    // A session whose last reference is gone is finished, even before its destructor
    // has taken the entry out.
    s.cv.wait_for(lock, s.options.shutdown_grace, [&] {
      return std::all_of(s.sessions.begin(), s.sessions.end(),
                         [](const auto& entry) { return entry.second.expired(); });
    });
  }
  s.ioc.stop();
  for (auto& t : s.threads)
    if (t.joinable()) t.join();
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

// The HTTP server's timeouts (server/server.h): a client that stops in the middle of a
// request's body is cut off after read_timeout; a connection waiting for a request's
// head (idle keep-alive) after idle_timeout; a connection in use is never cut off,
// however long it lives.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "server/http_client.h"
#include "server/metrics.h"
#include "server/server.h"

namespace serialtrack::testing {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

class ServerTimeoutTest : public ::testing::Test {
 protected:
  ServerTimeoutTest() {
    router_.add(http::verb::get, "/hello", "hello",
                [](server::RequestContext& ctx) { return text_answer(ctx, "hello"); });
    router_.add(http::verb::get, "/pause", "pause", [](server::RequestContext& ctx) {
      std::this_thread::sleep_for(milliseconds(900));  // longer than both timeouts
      return text_answer(ctx, "paused");
    });
  }

  std::unique_ptr<server::Server> start_server() {
    server::ServerOptions options;
    options.read_timeout = milliseconds(300);
    options.idle_timeout = milliseconds(600);
    return start_bare_server(options, dispatcher_);
  }

  // Seconds until the server closes the client's connection (reading what it sends).
  static double seconds_until_closed(HttpClient& client) {
    auto t0 = Clock::now();
    char buf[512];
    beast::error_code ec;
    while (!ec) client.socket().read_some(asio::buffer(buf), ec);
    EXPECT_EQ(ec, asio::error::eof);
    return std::chrono::duration<double>(Clock::now() - t0).count();
  }

  server::Router router_;
  server::Metrics metrics_;
  server::Dispatcher dispatcher_{router_, metrics_, nullptr};
};

TEST_F(ServerTimeoutTest, AClientStoppingInTheMiddleOfARequestIsCutOffAfterTheReadTimeout) {
  auto s = start_server();
  HttpClient client(s->port());
  // The head, and 5 bytes of a body of 100.
  const std::string part = "GET /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nhello";
  asio::write(client.socket(), asio::buffer(part));
  double t = seconds_until_closed(client);
  EXPECT_GE(t, 0.25);  // read_timeout 300 ms, seen at most a tick (37 ms) late
  EXPECT_LT(t, 0.55);  // well before the idle timeout
}

TEST_F(ServerTimeoutTest, AnIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout) {
  auto s = start_server();
  HttpClient client(s->port());
  ASSERT_EQ(client.get("/hello").status, 200u);
  double t = seconds_until_closed(client);
  EXPECT_GE(t, 0.55);  // idle_timeout 600 ms, not the shorter read timeout
  EXPECT_LT(t, 1.2);
  for (int i = 0; i < 100 && s->connections() > 0; ++i)
    std::this_thread::sleep_for(milliseconds(10));
  EXPECT_EQ(s->connections(), 0u);  // the session is gone with its socket
}

TEST_F(ServerTimeoutTest, AConnectionInUseOutlivesItsTimeouts) {
  auto s = start_server();
  HttpClient client(s->port());
  auto t0 = Clock::now();
  while (Clock::now() - t0 < milliseconds(1500))  // 2.5 read timeouts of requests
    ASSERT_EQ(client.get("/hello").status, 200u);
  // A handler running longer than both timeouts: nothing is pending on the connection.
  auto a = client.get("/pause");
  EXPECT_EQ(a.status, 200u);
  EXPECT_EQ(a.body, "paused");
  EXPECT_EQ(client.get("/hello").status, 200u);
}

}  // namespace
}  // namespace serialtrack::testing

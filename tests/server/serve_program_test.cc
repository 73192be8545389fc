// `serialtrack serve` as an operator runs it: the built program on a free port, found
// from the line it prints; SIGTERM lets a request in flight finish before it exits.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/beast/websocket.hpp>
#include <chrono>
#include <optional>
#include <thread>

#include "server/http_client.h"
#include "store/store.h"

namespace serialtrack::testing {
namespace {

// The program, started with args; its stdout is read until "listening on URL".
class ServeProgram {
 public:
  explicit ServeProgram(std::vector<std::string> args) {
    int out[2];
    EXPECT_EQ(pipe(out), 0);
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      std::vector<char*> argv{const_cast<char*>(SERIALTRACK_BINARY)};
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(SERIALTRACK_BINARY, argv.data());
      _exit(127);
    }
    close(out[1]);
    stdout_ = fdopen(out[0], "r");
    char line[256];
    if (fgets(line, sizeof line, stdout_)) first_line_ = line;
    auto pos = first_line_.rfind(':');
    if (first_line_.rfind("listening on http://127.0.0.1:", 0) == 0 && pos != std::string::npos)
      port_ = static_cast<uint16_t>(std::stoi(first_line_.substr(pos + 1)));
  }
  ~ServeProgram() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (stdout_) fclose(stdout_);
  }

  uint16_t port() const { return port_; }
  const std::string& first_line() const { return first_line_; }
  void signal(int sig) { kill(pid_, sig); }
  // The exit status, waiting at most timeout; -1 when it did not exit normally in time.
  int wait_exit(std::chrono::seconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
  }

 private:
  pid_t pid_ = -1;
  FILE* stdout_ = nullptr;
  std::string first_line_;
  uint16_t port_ = 0;
  bool exited_ = false;
};

std::string temp_db(const char* name) {
  std::string db = ::testing::TempDir() + "/" + name + "_" + std::to_string(getpid()) + ".db";
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((db + suffix).c_str());
  return db;
}

TEST(ServeProgram, PrintsTheFreePortItBoundAndServesHttpThere) {
  std::string db = temp_db("serve_port");
  std::string key = create_api_key(db, "admin", kAdminParty);
  ServeProgram program(
      {"serve", "--db", db, "--listen", "127.0.0.1:0", "--threads", "2", "--log-level", "off"});
  ASSERT_NE(program.port(), 0) << program.first_line();
  HttpClient client(program.port(), key);
  auto health = client.get("/health");
  EXPECT_EQ(health.status, 200u);
  EXPECT_EQ(health.json().at("status").as_string(), "ok");
  auto capture =
      client.post("/capture", epcis_document({object_event("urn:uuid:prog", 1)}), kJsonLd);
  EXPECT_EQ(capture.status, 202u);
  program.signal(SIGTERM);
  EXPECT_EQ(program.wait_exit(std::chrono::seconds(10)), 0);
}

TEST(ServeProgram, SigtermLetsTheRequestInFlightFinishThenClosesTheStore) {
  std::string db = temp_db("serve_sigterm");
  std::string key = create_api_key(db, "admin", kAdminParty);
  ServeProgram program({"serve", "--db", db, "--listen", "127.0.0.1:0", "--log-level", "off"});
  ASSERT_NE(program.port(), 0) << program.first_line();

  // A capture whose body is still arriving when SIGTERM comes.
  std::string body = epcis_document({object_event("urn:uuid:inflight", 1)});
  std::string head =
      "POST /capture HTTP/1.1\r\nHost: x\r\nContent-Type: application/ld+json\r\n"
      "Authorization: Bearer " +
      key + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  HttpClient raw(program.port());
  asio::write(raw.socket(), asio::buffer(head + body.substr(0, 20)));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  program.signal(SIGTERM);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  asio::write(raw.socket(), asio::buffer(body.substr(20)));
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(raw.socket(), buffer, res);
  EXPECT_EQ(res.result_int(), 202u) << res.body();
  EXPECT_FALSE(res.keep_alive());  // shutting down: no further requests on it
  EXPECT_EQ(program.wait_exit(std::chrono::seconds(10)), 0);

  auto store = store::open_sqlite(db);
  ASSERT_TRUE(store);
  EXPECT_TRUE((*store)->event("urn:uuid:inflight").value().has_value());
}

// SIGTERM closes a subscription stream with a WebSocket close frame (1001 going away)
// before the program exits; it used to drop the TCP connection.
TEST(ServeProgram, SigtermSendsAnOpenStreamACloseFrameGoingAway) {
  namespace websocket = beast::websocket;
  std::string db = temp_db("serve_stream");
  std::string key = create_api_key(db, "admin", kAdminParty);
  ServeProgram program({"serve", "--db", db, "--listen", "127.0.0.1:0", "--log-level", "off"});
  ASSERT_NE(program.port(), 0) << program.first_line();
  HttpClient client(program.port(), key);
  ASSERT_EQ(client
                .post("/queries", R"({"name":"all","query":{"EQ_bizStep":"shipping"}})",
                      {{"Content-Type", "application/json"}})
                .status,
            201u);
  asio::io_context ioc;
  websocket::stream<tcp::socket> ws(ioc);
  ws.next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), program.port()));
  ws.set_option(websocket::stream_base::decorator([key](websocket::request_type& req) {
    req.set(http::field::authorization, "Bearer " + key);
  }));
  ws.handshake("127.0.0.1", "/queries/all/events?stream=true");

  program.signal(SIGTERM);
  beast::flat_buffer buffer;
  std::optional<beast::error_code> end;
  ws.async_read(buffer, [&](beast::error_code ec, size_t) { end = ec; });
  ioc.run_for(std::chrono::seconds(5));
  ASSERT_TRUE(end) << "neither a close frame nor the connection's end within 5 s";
  EXPECT_EQ(*end, websocket::error::closed) << end->message();
  EXPECT_EQ(ws.reason().code, websocket::close_code::going_away);
  EXPECT_EQ(program.wait_exit(std::chrono::seconds(10)), 0);
}

TEST(ServeProgram, ABadSettingIsRefusedBeforeListening) {
  ServeProgram program({"serve", "--db", temp_db("serve_bad"), "--listen", "nowhere"});
  EXPECT_EQ(program.port(), 0);
  EXPECT_EQ(program.wait_exit(std::chrono::seconds(10)), 2);
}

TEST(ServeProgram, RefusesToStartWhileNoApiKeyExists) {
  ServeProgram program(
      {"serve", "--db", temp_db("serve_nokey"), "--listen", "127.0.0.1:0", "--log-level", "off"});
  EXPECT_EQ(program.port(), 0);
  EXPECT_EQ(program.wait_exit(std::chrono::seconds(10)), 2);
}

TEST(ServeProgram, OpenServesWithoutKeysAsAdmin) {
  ServeProgram program({"serve", "--db", temp_db("serve_open"), "--listen", "127.0.0.1:0", "--open",
                        "--log-level", "off"});
  ASSERT_NE(program.port(), 0) << program.first_line();
  HttpClient client(program.port());
  EXPECT_EQ(client.get("/metrics").status, 200u);
  program.signal(SIGTERM);
  EXPECT_EQ(program.wait_exit(std::chrono::seconds(10)), 0);
}

}  // namespace
}  // namespace serialtrack::testing

// Talking HTTP to a running server in tests, as a client on the network would: a
// Boost.Beast client over a real loopback TCP connection, plus an in-process server
// on a free port (the real Application on a fresh database).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/application.h"
#include "server/server.h"

namespace serialtrack::testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct HttpAnswer {
  unsigned status = 0;
  http::fields headers;
  std::string body;

  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : std::string(it->value());
  }
  boost::json::value json() const {
    boost::system::error_code ec;
    auto v = boost::json::parse(body, ec);
    EXPECT_FALSE(ec) << "not JSON: " << body;
    return v;
  }
  // The problem's "type" (RFC 9457), or "" when the body is none.
  std::string problem_type() const {
    auto v = json();
    if (!v.is_object() || !v.as_object().contains("type")) return {};
    return std::string(v.at("type").as_string());
  }
};

using Headers = std::vector<std::pair<std::string, std::string>>;

// One keep-alive connection to 127.0.0.1:port. bearer: an API key sent as
// `Authorization: Bearer <key>` with every request that does not set Authorization itself.
// tls: HTTPS with this client context (its trust and verification), the handshake made
// here; null: plain HTTP. Throws (boost::system::system_error) when the exchange fails.
class HttpClient {
 public:
  explicit HttpClient(uint16_t port, std::string bearer = {}, asio::ssl::context* tls = nullptr)
      : socket_(ioc_), bearer_(std::move(bearer)) {
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    if (tls) {
      tls_.emplace(socket_, *tls);
      tls_->handshake(asio::ssl::stream_base::client);
    }
  }

  HttpAnswer request(http::verb method, const std::string& target, const std::string& body = "",
                     const Headers& headers = {}) {
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!bearer_.empty()) req.set(http::field::authorization, "Bearer " + bearer_);
    for (const auto& [k, v] : headers) req.set(k, v);
    if (!body.empty() || method == http::verb::post) {
      req.body() = body;
      req.prepare_payload();
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(256u << 20);
    if (tls_)
      exchange(*tls_, req, parser);
    else
      exchange(socket_, req, parser);
    auto res = parser.release();
    HttpAnswer a;
    a.status = res.result_int();
    a.body = res.body();
    for (const auto& f : res) a.headers.insert(f.name_string(), f.value());
    return a;
  }
  HttpAnswer get(const std::string& target, const Headers& headers = {}) {
    return request(http::verb::get, target, "", headers);
  }
  HttpAnswer post(const std::string& target, const std::string& body, const Headers& headers) {
    return request(http::verb::post, target, body, headers);
  }

  tcp::socket& socket() { return socket_; }

 private:
  template <class Stream>
  void exchange(Stream& stream, const http::request<http::string_body>& req,
                http::response_parser<http::string_body>& parser) {
    http::write(stream, req);
    http::read(stream, buffer_, parser);
  }

  asio::io_context ioc_;
  tcp::socket socket_;
  std::string bearer_;
  beast::flat_buffer buffer_;
  std::optional<asio::ssl::stream<tcp::socket&>> tls_;
};

// The party of the admin key TestServer creates (a GLN with its check digit).
inline const std::string kAdminParty = "9520123000004";

// Creates an API key in the database at db (store/api_keys.h, as `serialtrack keys
// create` does) and returns its text.
inline std::string create_api_key(const std::string& db, const std::string& role,
                                  const std::string& party, const std::string& prefix = "") {
  auto keys = store::open_sqlite_api_keys(db);
  EXPECT_TRUE(keys) << (keys ? "" : keys.error().message);
  if (!keys) return {};
  auto created = (*keys)->create({role, party, prefix});
  EXPECT_TRUE(created) << (created ? "" : created.error().message);
  return created ? created->key : std::string();
}

// A 200 text/plain answer of body (the routes of bare-server tests).
inline server::Response text_answer(const server::RequestContext& ctx, std::string body) {
  server::Response res{http::status::ok, ctx.request.version()};
  res.body() = std::move(body);
  return res;
}

// A bare server (server.h, no store) on a free loopback port, 2 io threads, otherwise
// options; started (a failure fails the test).
inline std::unique_ptr<server::Server> start_bare_server(server::ServerOptions options,
                                                         const server::Dispatcher& dispatcher) {
  options.port = 0;
  options.threads = 2;
  auto s = std::make_unique<server::Server>(options, dispatcher);
  auto started = s->start();
  EXPECT_TRUE(started) << (started ? "" : started.error());
  return s;
}

// The real server, in this process, on a free loopback port and a new database holding
// one admin key (admin_key()), created before the server opens (it refuses to start
// without a key unless config.open).
class TestServer {
 public:
  explicit TestServer(server::ServeConfig config = {}) {
    static int n = 0;
    db_ = ::testing::TempDir() + "/server_test_" + std::to_string(getpid()) + "_" +
          std::to_string(++n) + ".db";
    std::remove(db_.c_str());
    config.db = db_;
    config.listen = "127.0.0.1:0";
    if (config.threads == 0) config.threads = 2;
    config.log_level = "off";
    admin_key_ = create_api_key(db_, "admin", kAdminParty);
    auto app = server::Application::open(config);
    EXPECT_TRUE(app) << (app ? "" : app.error());
    app_ = std::move(*app);
    auto started = app_->start();
    EXPECT_TRUE(started) << (started ? "" : started.error());
  }
  ~TestServer() {
    app_.reset();
    for (const char* suffix : {"", "-wal", "-shm", ".keys"}) std::remove((db_ + suffix).c_str());
  }

  uint16_t port() { return app_->server().port(); }
  server::Application& app() { return *app_; }
  const std::string& db() const { return db_; }
  const std::string& admin_key() const { return admin_key_; }

 private:
  std::string db_;
  std::string admin_key_;
  std::unique_ptr<server::Application> app_;
};

inline const Headers kJsonLd = {{"Content-Type", "application/ld+json"}};

// An ObjectEvent (JSON) with this eventID and serial; bizStep shipping unless given.
inline std::string object_event(const std::string& id, int serial,
                                const std::string& biz_step = "shipping",
                                const std::string& action = "OBSERVE") {
  return R"({"type":"ObjectEvent","eventID":")" + id +
         R"(","eventTime":"2024-01-01T10:00:00Z","eventTimeZoneOffset":"+00:00",)"
         R"("epcList":["urn:epc:id:sgtin:0614141.107346.)" +
         std::to_string(serial) + R"("],"action":")" + action + R"(","bizStep":")" + biz_step +
         R"(","disposition":"in_transit","readPoint":{"id":"urn:epc:id:sgln:0614141.07346.1234"}})";
}

// An EPCISDocument holding these events (JSON texts).
inline std::string epcis_document(const std::vector<std::string>& events) {
  std::string list;
  for (const auto& e : events) list += (list.empty() ? "" : ",") + e;
  return R"({"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],)"
         R"("type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2024-01-01T00:00:00Z",)"
         R"("epcisBody":{"eventList":[)" +
         list + "]}}";
}

// A bare event with its own @context (the POST /events form).
inline std::string bare_event(const std::string& event_json) {
  return R"({"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],)" +
         event_json.substr(1);
}

}  // namespace serialtrack::testing

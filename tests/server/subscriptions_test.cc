// Query subscriptions: a WebSocket stream and a signed webhook receive the events
// captured after they subscribed, and only those their query matches.
#include <gtest/gtest.h>

#include <boost/beast/websocket.hpp>
#include <chrono>
#include <future>
#include <optional>
#include <thread>

#include "crypto/hmac.h"
#include "server/http_client.h"

namespace serialtrack::testing {
namespace {

namespace websocket = beast::websocket;

const Headers kJson = {{"Content-Type", "application/json"}};

std::vector<std::string> ids_in(const std::string& document) {
  std::vector<std::string> ids;
  auto v = boost::json::parse(document);
  for (const auto& e :
       v.at("epcisBody").at("queryResults").at("resultsBody").at("eventList").as_array())
    ids.emplace_back(e.at("eventID").as_string());
  return ids;
}

class SubscriptionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto q =
        client_.post("/queries", R"({"name":"shipped","query":{"EQ_bizStep":"shipping"}})", kJson);
    ASSERT_EQ(q.status, 201u) << q.body;
  }
  // A distributor's key (party 4012345000009) whose named query `name` selects shipping
  // events.
  std::string distributor_with_query(const std::string& name) {
    std::string key = create_api_key(server_.db(), "distributor", "4012345000009");
    auto q = HttpClient(server_.port(), key)
                 .post("/queries",
                       R"({"name":")" + name + R"(","query":{"EQ_bizStep":"shipping"}})", kJson);
    EXPECT_EQ(q.status, 201u) << q.body;
    return key;
  }
  TestServer server_;
  HttpClient client_{server_.port(), server_.admin_key()};
};

TEST_F(SubscriptionsTest, AWebSocketReceivesMatchingEventsCapturedAfterItSubscribed) {
  client_.post("/capture", epcis_document({object_event("urn:uuid:before", 1)}), kJsonLd);

  asio::io_context ioc;
  websocket::stream<tcp::socket> ws(ioc);
  ws.next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_.port()));
  ws.set_option(websocket::stream_base::decorator([this](websocket::request_type& req) {
    req.set(http::field::authorization, "Bearer " + server_.admin_key());
  }));
  ws.handshake("127.0.0.1", "/queries/shipped/events?stream=true");

  auto a = client_.post("/capture",
                        epcis_document({object_event("urn:uuid:after", 2, "shipping"),
                                        object_event("urn:uuid:other", 3, "receiving")}),
                        kJsonLd);
  ASSERT_EQ(a.status, 202u);
  beast::flat_buffer buffer;
  ws.read(buffer);
  std::string message = beast::buffers_to_string(buffer.data());
  EXPECT_EQ(ids_in(message), std::vector<std::string>{"urn:uuid:after"});
  auto doc = boost::json::parse(message);
  EXPECT_EQ(doc.at("epcisBody").at("queryResults").at("queryName").as_string(), "shipped");
  EXPECT_FALSE(doc.at("epcisBody").at("queryResults").at("subscriptionID").as_string().empty());

  client_.post("/events", bare_event(object_event("urn:uuid:later", 4, "shipping")), kJsonLd);
  buffer.clear();
  ws.read(buffer);
  EXPECT_EQ(ids_in(beast::buffers_to_string(buffer.data())),
            std::vector<std::string>{"urn:uuid:later"});
  ws.close(websocket::close_code::normal);
}

// A WebSocket of key's caller on the query's stream.
std::unique_ptr<websocket::stream<tcp::socket>> open_stream(asio::io_context& ioc, uint16_t port,
                                                            const std::string& key,
                                                            const std::string& query) {
  auto ws = std::make_unique<websocket::stream<tcp::socket>>(ioc);
  ws->next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  ws->set_option(websocket::stream_base::decorator([key](websocket::request_type& req) {
    req.set(http::field::authorization, "Bearer " + key);
  }));
  ws->handshake("127.0.0.1", "/queries/" + query + "/events?stream=true");
  return ws;
}

using Clock = std::chrono::steady_clock;

// The error the next read of ws ends with, waiting at most 5 s (nullopt: nothing came).
std::optional<beast::error_code> read_end(asio::io_context& ioc,
                                          websocket::stream<tcp::socket>& ws) {
  beast::flat_buffer buffer;
  std::optional<beast::error_code> end;
  ws.async_read(buffer, [&](beast::error_code ec, size_t) { end = ec; });
  ioc.restart();
  ioc.run_for(std::chrono::seconds(5));
  return end;
}

// Server::wait (the stop SIGTERM makes, and the tests') once stopped the io threads
// before the streams were closed: clients saw the TCP connection drop, no close frame.
TEST_F(SubscriptionsTest, AStopSendsEachStreamACloseFrameGoingAway) {
  asio::io_context ioc;
  auto ws = open_stream(ioc, server_.port(), server_.admin_key(), "shipped");
  auto stop_seconds = std::async(std::launch::async, [this] {
    auto t0 = Clock::now();
    server_.app().server().stop();
    return std::chrono::duration<double>(Clock::now() - t0).count();
  });
  auto end = read_end(ioc, *ws);
  ASSERT_TRUE(end) << "neither a close frame nor the connection's end within 5 s";
  EXPECT_EQ(*end, websocket::error::closed) << end->message();
  EXPECT_EQ(ws->reason().code, websocket::close_code::going_away);
  EXPECT_LT(stop_seconds.get(), 1.0);  // the client answered the close at once
}

// A client that never reads (so never answers the close frame) holds the stop up for
// upgraded_close_timeout (1 s), no longer.
TEST_F(SubscriptionsTest, AStreamWhoseClientNeverAnswersDelaysTheStopAtMostOneSecond) {
  asio::io_context ioc;
  auto ws = open_stream(ioc, server_.port(), server_.admin_key(), "shipped");
  auto t0 = Clock::now();
  server_.app().server().stop();
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - t0).count(), 2.0);
}

// A shipping event of a distributor's SGTIN (4012345), or of a manufacturer's (9520123)
// naming no other party.
std::string shipping(const std::string& id, const std::string& sgtin) {
  return R"({"type":"ObjectEvent","eventID":")" + id +
         R"(","eventTime":"2024-01-01T10:00:00Z","eventTimeZoneOffset":"+00:00",)"
         R"("epcList":["urn:epc:id:sgtin:)" +
         sgtin + R"("],"action":"OBSERVE","bizStep":"shipping"})";
}

TEST_F(SubscriptionsTest, ADistributorsStreamGetsItsOwnEventsAndNotAnotherPartys) {
  std::string distributor_key = distributor_with_query("d-shipped");
  std::string manufacturer_key =
      create_api_key(server_.db(), "manufacturer", "9520123000004", "9520123");
  HttpClient distributor(server_.port(), distributor_key);
  HttpClient manufacturer(server_.port(), manufacturer_key);
  asio::io_context ioc;
  auto ws = open_stream(ioc, server_.port(), distributor_key, "d-shipped");

  // Pushed in capture order, one message per capture that matched: had the
  // manufacturer's event been pushed, it would be the first message.
  ASSERT_EQ(manufacturer
                .post("/capture", epcis_document({shipping("urn:uuid:m-ship", "9520123.045678.1")}),
                      kJsonLd)
                .status,
            202u);
  ASSERT_EQ(distributor
                .post("/capture", epcis_document({shipping("urn:uuid:d-ship", "4012345.011111.1")}),
                      kJsonLd)
                .status,
            202u);
  beast::flat_buffer buffer;
  ws->read(buffer);
  EXPECT_EQ(ids_in(beast::buffers_to_string(buffer.data())),
            std::vector<std::string>{"urn:uuid:d-ship"});
  ws->close(websocket::close_code::normal);

  // The admin's stream of its own query sees both parties' events.
  auto admin_ws = open_stream(ioc, server_.port(), server_.admin_key(), "shipped");
  client_.post("/capture",
               epcis_document({shipping("urn:uuid:m-2", "9520123.045678.2"),
                               shipping("urn:uuid:d-2", "4012345.011111.2")}),
               kJsonLd);
  buffer.clear();
  admin_ws->read(buffer);
  EXPECT_EQ(ids_in(beast::buffers_to_string(buffer.data())),
            (std::vector<std::string>{"urn:uuid:m-2", "urn:uuid:d-2"}));
  admin_ws->close(websocket::close_code::normal);
}

TEST_F(SubscriptionsTest, StreamWithoutAnUpgradeIs400SubscriptionControls) {
  auto a = client_.get("/queries/shipped/events?stream=true");
  EXPECT_EQ(a.status, 400u);
  EXPECT_EQ(a.problem_type(), "epcisException:SubscriptionControlsException");
}

// A one-request HTTP receiver on a free port: hands over the first POST it gets.
class WebhookReceiver {
 public:
  WebhookReceiver() : acceptor_(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    thread_ = std::thread([this] {
      try {
        tcp::socket socket(ioc_);
        acceptor_.accept(socket);
        beast::flat_buffer buffer;
        http::request<http::string_body> req;
        http::read(socket, buffer, req);
        http::response<http::string_body> res{http::status::no_content, 11};
        http::write(socket, res);
        received_.set_value(std::move(req));
      } catch (...) {
        received_.set_exception(std::current_exception());
      }
    });
  }
  ~WebhookReceiver() {
    {  // wakes an accept still waiting (closing the acceptor does not)
      beast::error_code ignored;
      tcp::socket poke(ioc_);
      poke.connect(acceptor_.local_endpoint(), ignored);
    }
    acceptor_.close();
    thread_.join();
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::future<http::request<http::string_body>> received() { return received_.get_future(); }

 private:
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  std::promise<http::request<http::string_body>> received_;
  std::thread thread_;
};

TEST_F(SubscriptionsTest, AWebhookGetsASignedPostOfTheMatchingEvents) {
  WebhookReceiver receiver;
  auto received = receiver.received();
  std::string dest = "http://127.0.0.1:" + std::to_string(receiver.port()) + "/callback";
  auto sub = client_.post("/queries/shipped/subscriptions",
                          R"({"dest":")" + dest + R"(","signatureToken":"s3cret"})", kJson);
  ASSERT_EQ(sub.status, 201u) << sub.body;
  EXPECT_FALSE(sub.json().as_object().contains("signatureToken"));
  auto listed = client_.get("/queries/shipped/subscriptions").json().as_array();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(client_.get(sub.header("Location")).status, 200u);

  client_.post("/capture",
               epcis_document({object_event("urn:uuid:hooked", 5, "shipping"),
                               object_event("urn:uuid:ignored", 6, "receiving")}),
               kJsonLd);
  ASSERT_EQ(received.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  auto req = received.get();
  EXPECT_EQ(req.target(), "/callback");
  EXPECT_EQ(ids_in(req.body()), std::vector<std::string>{"urn:uuid:hooked"});
  EXPECT_EQ(std::string(req["GS1-Signature"]),
            crypto::to_hex(crypto::hmac_sha256("s3cret", req.body())));

  EXPECT_EQ(client_.request(http::verb::delete_, sub.header("Location")).status, 204u);
  EXPECT_EQ(client_.get(sub.header("Location")).status, 404u);
}

TEST_F(SubscriptionsTest, AWebhookNeedsAnHttpDestAndAToken) {
  auto no_dest = client_.post("/queries/shipped/subscriptions", R"({"signatureToken":"x"})", kJson);
  EXPECT_EQ(no_dest.status, 400u);
  EXPECT_EQ(no_dest.problem_type(), "epcisException:SubscriptionControlsException");
  auto no_token =
      client_.post("/queries/shipped/subscriptions", R"({"dest":"http://127.0.0.1:1/x"})", kJson);
  EXPECT_EQ(no_token.status, 400u);
  auto no_query = client_.post("/queries/absent/subscriptions",
                               R"({"dest":"http://127.0.0.1:1/x","signatureToken":"x"})", kJson);
  EXPECT_EQ(no_query.status, 404u);
}

// An event naming the distributor (4012345) as its destination owner (EPCIS 2.0 §7.3.5.4).
std::string to_distributor(const std::string& id) {
  return R"({"type":"ObjectEvent","eventID":")" + id +
         R"(","eventTime":"2024-01-01T10:00:00Z","eventTimeZoneOffset":"+00:00",)"
         R"("epcList":["urn:epc:id:sgtin:9520123.045678.9"],"action":"OBSERVE",)"
         R"("bizStep":"shipping","destinationList":[{"type":"owning_party",)"
         R"("destination":"urn:epc:id:pgln:4012345.00000"}]})";
}

TEST_F(SubscriptionsTest, AWebhookOfADistributorIsPostedOnlyItsOwnEventsAndHiddenFromOthers) {
  std::string distributor_key = distributor_with_query("d-hook");
  HttpClient distributor(server_.port(), distributor_key);
  WebhookReceiver receiver;
  auto received = receiver.received();
  std::string dest = "http://127.0.0.1:" + std::to_string(receiver.port()) + "/d";
  auto sub = distributor.post("/queries/d-hook/subscriptions",
                              R"({"dest":")" + dest + R"(","signatureToken":"k"})", kJson);
  ASSERT_EQ(sub.status, 201u) << sub.body;
  HttpClient dispenser(server_.port(), create_api_key(server_.db(), "dispenser", "0614141000012"));
  EXPECT_EQ(dispenser.get(sub.header("Location")).status, 404u);
  EXPECT_EQ(dispenser.request(http::verb::delete_, sub.header("Location")).status, 404u);

  // The admin captures another party's event first, then one naming the distributor as
  // the destination owner (EPCIS 2.0 §7.3.5.4).
  client_.post("/capture", epcis_document({shipping("urn:uuid:not-theirs", "9520123.045678.3")}),
               kJsonLd);
  client_.post("/capture", epcis_document({to_distributor("urn:uuid:to-d")}), kJsonLd);
  ASSERT_EQ(received.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(ids_in(received.get().body()), std::vector<std::string>{"urn:uuid:to-d"});
}

// Revokes key as `serialtrack keys revoke` does (another connection to the database), then
// waits out the time the server may answer from the key as it read it before.
void revoke_elsewhere(const std::string& db, const std::string& key) {
  auto keys = store::open_sqlite_api_keys(db);
  ASSERT_TRUE(keys);
  auto revoked = (*keys)->revoke(store::api_key_id_of(key).value());
  ASSERT_TRUE(revoked && *revoked);
  std::this_thread::sleep_for(store::kApiKeyCacheTime + std::chrono::milliseconds(200));
}

// Pushes ran with the key recorded at subscribe time, never asking whether it was revoked.
TEST_F(SubscriptionsTest, ARevokedKeysWebhookIsPostedNothingAndIsDropped) {
  std::string distributor_key = distributor_with_query("d-hook");
  HttpClient distributor(server_.port(), distributor_key);
  WebhookReceiver revoked_receiver, admin_receiver;
  auto revoked_post = revoked_receiver.received();
  auto admin_post = admin_receiver.received();
  auto dest = [](const WebhookReceiver& r) {
    return "http://127.0.0.1:" + std::to_string(r.port()) + "/hook";
  };
  auto sub = distributor.post("/queries/d-hook/subscriptions",
                              R"({"dest":")" + dest(revoked_receiver) + R"(","signatureToken":"k"})",
                              kJson);
  ASSERT_EQ(sub.status, 201u) << sub.body;
  // The admin's webhook on the same query, subscribed second: one worker posts in
  // order, so once it has its post, the distributor's would have come before.
  ASSERT_EQ(client_
                .post("/queries/d-hook/subscriptions",
                      R"({"dest":")" + dest(admin_receiver) + R"(","signatureToken":"a"})", kJson)
                .status,
            201u);
  revoke_elsewhere(server_.db(), distributor_key);

  ASSERT_EQ(client_.post("/capture", epcis_document({to_distributor("urn:uuid:after-revoke")}),
                         kJsonLd)
                .status,
            202u);
  ASSERT_EQ(admin_post.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(ids_in(admin_post.get().body()), std::vector<std::string>{"urn:uuid:after-revoke"});
  EXPECT_EQ(revoked_post.wait_for(std::chrono::milliseconds(500)), std::future_status::timeout)
      << "the revoked key's receiver was posted to";
  EXPECT_EQ(client_.get(sub.header("Location")).status, 404u);  // the subscription is gone
}

TEST_F(SubscriptionsTest, ARevokedKeysStreamIsClosedWithPolicyViolation) {
  std::string distributor_key = distributor_with_query("d-stream");
  asio::io_context ioc;
  auto ws = open_stream(ioc, server_.port(), distributor_key, "d-stream");
  revoke_elsewhere(server_.db(), distributor_key);

  ASSERT_EQ(client_.post("/capture", epcis_document({to_distributor("urn:uuid:after-revoke")}),
                         kJsonLd)
                .status,
            202u);
  auto end = read_end(ioc, *ws);
  ASSERT_TRUE(end) << "neither a message nor a close frame within 5 s";
  EXPECT_EQ(*end, websocket::error::closed) << "the event was pushed to a revoked key";
  EXPECT_EQ(ws->reason().code, websocket::close_code::policy_error);
}

}  // namespace
}  // namespace serialtrack::testing

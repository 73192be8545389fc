// HTTPS and WSS (serve --tls-cert FILE --tls-key FILE): the same routes and the same
// subscriptions as plain HTTP, over TLS with a self-signed certificate made at run time
// (OpenSSL), verified by the client.
#include <gtest/gtest.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <cstdio>

#include "server/http_client.h"

namespace serialtrack::testing {
namespace {

namespace websocket = beast::websocket;
namespace ssl = asio::ssl;

// A P-256 key and a self-signed certificate for CN=127.0.0.1, valid for a day, written
// as PEM files (cert(), key()); removed with the object.
class SelfSignedCertificate {
 public:
  explicit SelfSignedCertificate(const std::string& name) {
    cert_ = ::testing::TempDir() + "/" + name + "_" + std::to_string(getpid()) + ".crt";
    key_ = ::testing::TempDir() + "/" + name + "_" + std::to_string(getpid()) + ".key";
    EVP_PKEY* pkey = EVP_EC_gen("P-256");
    X509* x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), -60);
    X509_gmtime_adj(X509_getm_notAfter(x), 24 * 3600);
    X509_set_pubkey(x, pkey);
    X509_NAME* subject = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
    X509_set_issuer_name(x, subject);
    ok_ = pkey != nullptr && X509_sign(x, pkey, EVP_sha256()) > 0;
    if (FILE* f = std::fopen(cert_.c_str(), "w")) {
      ok_ = ok_ && PEM_write_X509(f, x) == 1;
      std::fclose(f);
    }
    if (FILE* f = std::fopen(key_.c_str(), "w")) {
      ok_ = ok_ && PEM_write_PrivateKey(f, pkey, nullptr, nullptr, 0, nullptr, nullptr) == 1;
      std::fclose(f);
    }
    X509_free(x);
    EVP_PKEY_free(pkey);
  }
  ~SelfSignedCertificate() {
    std::remove(cert_.c_str());
    std::remove(key_.c_str());
  }
  bool ok() const { return ok_; }
  const std::string& cert() const { return cert_; }
  const std::string& key() const { return key_; }

 private:
  std::string cert_, key_;
  bool ok_ = false;
};

server::ServeConfig tls_config(const SelfSignedCertificate& c) {
  server::ServeConfig config;
  config.tls_cert = c.cert();
  config.tls_key = c.key();
  return config;
}

class TlsTest : public ::testing::Test {
 protected:
  TlsTest() {
    client_tls_.set_verify_mode(ssl::verify_peer);
    client_tls_.load_verify_file(certificate_.cert());  // trust exactly this certificate
  }
  SelfSignedCertificate certificate_{"tls_test"};
  TestServer server_{tls_config(certificate_)};
  ssl::context client_tls_{ssl::context::tls_client};
};

TEST_F(TlsTest, HttpsAnswersOnAKeptAliveVerifiedConnection) {
  ASSERT_TRUE(certificate_.ok());
  EXPECT_EQ(server_.app().url().rfind("https://127.0.0.1:", 0), 0u) << server_.app().url();
  HttpClient client(server_.port(), server_.admin_key(), &client_tls_);
  auto health = client.get("/health");
  EXPECT_EQ(health.status, 200u) << health.body;
  auto a = client.post("/capture", epcis_document({object_event("urn:uuid:tls1", 1)}), kJsonLd);
  EXPECT_EQ(a.status, 202u) << a.body;
  auto events = client.get("/events");
  EXPECT_NE(events.body.find("urn:uuid:tls1"), std::string::npos) << events.body;
}

TEST_F(TlsTest, PlainHttpOnTheTlsPortGetsNoHttpAnswer) {
  HttpClient plain(server_.port(), server_.admin_key());
  EXPECT_ANY_THROW(plain.get("/health"));
}

TEST_F(TlsTest, AWssSubscriptionReceivesTheEventsCapturedAfterIt) {
  HttpClient client(server_.port(), server_.admin_key(), &client_tls_);
  auto q = client.post("/queries", R"({"name":"shipped","query":{"EQ_bizStep":"shipping"}})",
                       {{"Content-Type", "application/json"}});
  ASSERT_EQ(q.status, 201u) << q.body;

  asio::io_context ioc;
  websocket::stream<ssl::stream<tcp::socket>> ws(ioc, client_tls_);
  beast::get_lowest_layer(ws).connect(
      tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_.port()));
  ws.next_layer().handshake(ssl::stream_base::client);
  ws.set_option(websocket::stream_base::decorator([this](websocket::request_type& req) {
    req.set(http::field::authorization, "Bearer " + server_.admin_key());
  }));
  ws.handshake("127.0.0.1", "/queries/shipped/events?stream=true");

  auto a = client.post("/capture", epcis_document({object_event("urn:uuid:wss1", 2)}), kJsonLd);
  ASSERT_EQ(a.status, 202u) << a.body;
  beast::flat_buffer buffer;
  ws.read(buffer);
  EXPECT_NE(beast::buffers_to_string(buffer.data()).find("urn:uuid:wss1"), std::string::npos);
  ws.close(websocket::close_code::normal);
}

TEST(TlsStart, AKeyThatIsNotTheCertificatesIsRefusedWithTheFileNamed) {
  SelfSignedCertificate one("tls_one"), other("tls_other");
  ASSERT_TRUE(one.ok() && other.ok());
  server::ServeConfig config;
  config.db = ::testing::TempDir() + "/tls_start_" + std::to_string(getpid()) + ".db";
  config.listen = "127.0.0.1:0";
  config.open = true;
  config.log_level = "off";
  config.tls_cert = one.cert();
  config.tls_key = other.key();
  auto app = server::Application::open(config);
  ASSERT_TRUE(app) << app.error();
  auto started = (*app)->start();
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().find(other.key()), std::string::npos) << started.error();
  app->reset();
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((config.db + suffix).c_str());
}

}  // namespace
}  // namespace serialtrack::testing

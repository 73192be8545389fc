// server::Client against the real server on a loopback port: a capture comes back as
// its finished job (accepted, duplicates, the events rejected), a verification batch as
// its answers in order, a 429 is waited out, and every failure says what and where.
#include "server/client.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>

#include "server/http_client.h"

namespace serialtrack::testing {
namespace {

std::unique_ptr<server::Client> client_of(TestServer& s, const std::string& key) {
  auto c = server::Client::open("http://127.0.0.1:" + std::to_string(s.port()), {.key = key});
  EXPECT_TRUE(c) << (c ? "" : c.error().message);
  return c ? std::move(*c) : nullptr;
}

TEST(Client, CaptureReturnsTheFinishedJobAndADocumentAgainIsAllDuplicates) {
  TestServer s;
  auto client = client_of(s, s.admin_key());
  std::string doc =
      epcis_document({object_event("urn:uuid:c1", 1), object_event("urn:uuid:c2", 2)});
  auto job = client->capture(doc);
  ASSERT_TRUE(job) << job.error().message;
  EXPECT_FALSE(job->id.empty());
  EXPECT_FALSE(job->running);
  EXPECT_TRUE(job->success);
  EXPECT_EQ(job->events, 2);
  EXPECT_EQ(job->accepted, 2);
  auto again = client->capture(doc);  // on the same kept-alive connection
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->accepted, 0);
  EXPECT_EQ(again->duplicates, 2);
  EXPECT_NE(again->id, job->id);
  auto read = client->capture_job(job->id);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->accepted, 2);
}

TEST(Client, ACaptureTheServerRejectsNamesTheEventAndWhy) {
  TestServer s;
  auto client = client_of(s, s.admin_key());
  std::string bad = R"({"type":"ObjectEvent","eventID":"urn:uuid:bad","epcList":[],)"
                    R"("action":"OBSERVE","eventTimeZoneOffset":"+00:00"})";
  auto job = client->capture(epcis_document({object_event("urn:uuid:ok", 1), bad}));
  ASSERT_TRUE(job) << job.error().message;  // 202: the job says what went wrong
  EXPECT_FALSE(job->success);
  EXPECT_EQ(job->accepted, 0);  // rollback, the default: nothing stored
  ASSERT_EQ(job->errors.size(), 1u);
  EXPECT_EQ(job->errors[0].index, 1);
  EXPECT_EQ(job->errors[0].event_id, "urn:uuid:bad");
  EXPECT_NE(job->errors[0].message.find("eventTime"), std::string::npos) << job->errors[0].message;
}

TEST(Client, AWrongKeyIsRefusedWithTheServersWords) {
  TestServer s;
  auto client = client_of(s, "st_0000000000000000_nonsense");
  auto job = client->capture(epcis_document({object_event("urn:uuid:k", 1)}));
  ASSERT_FALSE(job);
  EXPECT_NE(job.error().message.find("POST /capture answered 401"), std::string::npos)
      << job.error().message;
  EXPECT_NE(job.error().message.find("SecurityException"), std::string::npos)
      << job.error().message;
}

TEST(Client, VerifyAnswersABatchInOrderAndABadElementIsNamed) {
  TestServer s;
  auto client = client_of(s, s.admin_key());
  boost::json::array batch{{{"gtin", "09520123456788"}, {"serial", "NEVER1"}},
                           {{"id", "(01)09520123456788(21)NEVER2"}}};
  auto answers = client->verify(batch);
  ASSERT_TRUE(answers) << answers.error().message;
  ASSERT_EQ(answers->size(), 2u);
  EXPECT_EQ((*answers)[0].at("serial").as_string(), "NEVER1");
  EXPECT_EQ((*answers)[1].at("serial").as_string(), "NEVER2");
  EXPECT_FALSE((*answers)[0].at("verified").as_bool());

  auto bad = client->verify({{{"gtin", "09520123456789"}, {"serial", "X"}}});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("POST /verify answered 400"), std::string::npos)
      << bad.error().message;
  EXPECT_NE(bad.error().message.find("gtin"), std::string::npos) << bad.error().message;
}

TEST(Client, ARateLimitIsWaitedOutAndTheBatchStillAnsweredWhole) {
  server::ServeConfig config;
  config.verification_limits.rate_per_second = 20;
  config.verification_limits.burst = 2;
  TestServer s(config);
  auto client = client_of(s, s.admin_key());
  boost::json::array batch;
  for (int i = 0; i < 4; ++i)
    batch.push_back(
        boost::json::object{{"gtin", "09520123456788"}, {"serial", "R" + std::to_string(i)}});
  auto start = std::chrono::steady_clock::now();
  auto answers = client->verify(batch);  // 4 > the burst of 2: 429, then halves
  ASSERT_TRUE(answers) << answers.error().message;
  ASSERT_EQ(answers->size(), 4u);
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ((*answers)[static_cast<size_t>(i)].at("serial").as_string(), "R" + std::to_string(i));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));  // Retry-After
}

TEST(Client, NoServerAndNoURLAreErrorsThatSaySo) {
  auto bad = server::Client::open("ftp://127.0.0.1:1");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("not an http://host:port URL"), std::string::npos);

  uint16_t port;
  {
    TestServer s;  // a port that was free a moment ago and is closed now
    port = s.port();
  }
  auto c = server::Client::open("http://127.0.0.1:" + std::to_string(port));
  ASSERT_TRUE(c);
  auto answer = (*c)->request("GET", "/health");
  ASSERT_FALSE(answer);
  EXPECT_NE(answer.error().message.find("cannot connect to http://127.0.0.1:"), std::string::npos)
      << answer.error().message;
}

}  // namespace
}  // namespace serialtrack::testing

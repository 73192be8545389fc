// The EPCIS 2.0 REST binding served by the real server on a loopback port.
#include <gtest/gtest.h>

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <fstream>
#include <iterator>
#include <set>

#include "server/http_client.h"
#include "support/tsv.h"

namespace serialtrack::testing {
namespace {

std::string encoded(const std::string& s) {
  return boost::urls::encode(s, boost::urls::unreserved_chars);
}

size_t event_count(const HttpAnswer& a) {
  auto v = a.json();
  return v.at("epcisBody").at("queryResults").at("resultsBody").at("eventList").as_array().size();
}

std::vector<std::string> event_ids(const HttpAnswer& a) {
  std::vector<std::string> ids;
  auto v = a.json();
  for (const auto& e :
       v.at("epcisBody").at("queryResults").at("resultsBody").at("eventList").as_array())
    ids.emplace_back(e.at("eventID").as_string());
  return ids;
}

// The target of a Link: <target>; rel="next" header.
std::string link_target(const HttpAnswer& a) {
  std::string link = a.header("Link");
  if (link.size() < 2 || link[0] != '<') return {};
  return link.substr(1, link.find('>') - 1);
}

class EpcisApiTest : public ::testing::Test {
 protected:
  TestServer server_;
  HttpClient client_{server_.port(), server_.admin_key()};

  HttpAnswer capture(const std::string& doc, Headers headers = kJsonLd) {
    return client_.post("/capture", doc, headers);
  }
  int64_t stored_events() { return server_.app().events().event_count().value(); }
};

TEST_F(EpcisApiTest, CaptureAnswers202WithTheJobLocationAndStoresTheEvents) {
  auto a =
      capture(epcis_document({object_event("urn:uuid:e1", 1), object_event("urn:uuid:e2", 2)}));
  EXPECT_EQ(a.status, 202u) << a.body;
  std::string location = a.header("Location");
  ASSERT_EQ(location.rfind("/capture/", 0), 0u);
  EXPECT_EQ(stored_events(), 2);
  auto job = client_.get(location);
  ASSERT_EQ(job.status, 200u);
  auto j = job.json();
  EXPECT_EQ(j.at("running").as_bool(), false);
  EXPECT_EQ(j.at("success").as_bool(), true);
  EXPECT_EQ(j.at("accepted").as_int64(), 2);
  EXPECT_EQ(j.at("captureErrorBehaviour").as_string(), "rollback");
  EXPECT_EQ(a.header("GS1-EPCIS-Version"), "2.0.0");
  EXPECT_EQ(a.header("GS1-CBV-Version"), "2.0.0");
  EXPECT_EQ(a.header("GS1-EPCIS-Capture-Limit"), "10000");
  EXPECT_FALSE(a.header("GS1-EPCIS-Capture-File-Size-Limit").empty());
}

TEST_F(EpcisApiTest, TheAnswerToACaptureIsItsJobAsStored) {
  auto first = capture(epcis_document({object_event("urn:uuid:s1", 1)}));
  ASSERT_EQ(first.status, 202u) << first.body;
  auto a =
      capture(epcis_document({object_event("urn:uuid:s1", 1), object_event("urn:uuid:s2", 2)}));
  ASSERT_EQ(a.status, 202u) << a.body;
  auto answered = a.json();
  EXPECT_EQ(answered.at("accepted").as_int64(), 1);
  EXPECT_EQ(answered.at("duplicates").as_int64(), 1);
  auto stored = client_.get(a.header("Location"));
  ASSERT_EQ(stored.status, 200u);
  EXPECT_EQ(stored.json(), answered);  // the same counts and times
}

TEST_F(EpcisApiTest, CaptureOfXmlByContentType) {
  auto xml = read_file(std::string(SERIALTRACK_SHARED_TESTDATA) +
                       "/epcis/xml/Example_9.6.1-ObjectEvent-2020_06_18a.xml");
  ASSERT_FALSE(xml.empty());
  auto a = capture(xml, {{"Content-Type", "application/xml"}});
  EXPECT_EQ(a.status, 202u) << a.body;
  EXPECT_GT(stored_events(), 0);
}

TEST_F(EpcisApiTest, RollbackCaptureWithOneInvalidEventStoresNothingAndReportsIt) {
  auto a = capture(epcis_document(
      {object_event("urn:uuid:ok", 1), object_event("urn:uuid:bad", 2, "shipping", "BOGUS")}));
  EXPECT_EQ(a.status, 202u) << a.body;
  EXPECT_EQ(stored_events(), 0);
  auto j = client_.get(a.header("Location")).json();
  EXPECT_EQ(j.at("success").as_bool(), false);
  ASSERT_EQ(j.at("errors").as_array().size(), 1u);
  EXPECT_EQ(j.at("errors").as_array()[0].at("eventIndex").as_int64(), 1);
  EXPECT_EQ(j.at("errors").as_array()[0].at("eventID").as_string(), "urn:uuid:bad");
}

TEST_F(EpcisApiTest, ProceedCaptureStoresTheValidEventsAndReportsTheInvalidOnes) {
  auto a = capture(
      epcis_document({object_event("urn:uuid:p1", 1),
                      object_event("urn:uuid:p2", 2, "shipping", "BOGUS"),
                      object_event("urn:uuid:p3", 3)}),
      {{"Content-Type", "application/ld+json"}, {"GS1-Capture-Error-Behaviour", "proceed"}});
  EXPECT_EQ(a.status, 202u) << a.body;
  EXPECT_EQ(stored_events(), 2);
  auto j = client_.get(a.header("Location")).json();
  EXPECT_EQ(j.at("success").as_bool(), false);
  EXPECT_EQ(j.at("accepted").as_int64(), 2);
  ASSERT_EQ(j.at("errors").as_array().size(), 1u);
  EXPECT_EQ(j.at("errors").as_array()[0].at("eventIndex").as_int64(), 1);
  EXPECT_EQ(client_.get("/events/" + encoded("urn:uuid:p3")).status, 200u);
  EXPECT_EQ(client_.get("/events/" + encoded("urn:uuid:p2")).status, 404u);
}

TEST_F(EpcisApiTest, RejectedCapturesChangeNothing) {
  capture(epcis_document({object_event("urn:uuid:first", 1)}));
  auto jobs_before = client_.get("/capture").json().as_array().size();
  auto not_json = capture("this is not JSON");
  EXPECT_EQ(not_json.status, 400u);
  EXPECT_EQ(not_json.problem_type(), "epcisException:ValidationException");
  auto wrong_type =
      capture(epcis_document({object_event("urn:uuid:x", 9)}), {{"Content-Type", "text/plain"}});
  EXPECT_EQ(wrong_type.status, 415u);
  EXPECT_EQ(wrong_type.problem_type(), "epcisException:UnsupportedMediaTypeException");
  auto bad_behaviour =
      capture(epcis_document({object_event("urn:uuid:y", 9)}),
              {{"Content-Type", "application/json"}, {"GS1-Capture-Error-Behaviour", "sometimes"}});
  EXPECT_EQ(bad_behaviour.status, 400u);
  EXPECT_EQ(stored_events(), 1);
  EXPECT_EQ(client_.get("/capture").json().as_array().size(), jobs_before);
}

TEST_F(EpcisApiTest, CaptureBeyondTheLimitsIs413CaptureLimitExceeded) {
  server::ServeConfig config;
  config.capture_limit = 2;
  config.capture_file_size_limit = 4096;
  TestServer small(config);
  HttpClient client(small.port(), small.admin_key());
  auto too_many =
      client.post("/capture",
                  epcis_document({object_event("urn:uuid:l1", 1), object_event("urn:uuid:l2", 2),
                                  object_event("urn:uuid:l3", 3)}),
                  kJsonLd);
  EXPECT_EQ(too_many.status, 413u);
  EXPECT_EQ(too_many.problem_type(), "epcisException:CaptureLimitExceededException");
  EXPECT_EQ(too_many.header("GS1-EPCIS-Capture-Limit"), "2");
  std::vector<std::string> many;
  for (int i = 0; i < 40; ++i) many.push_back(object_event("urn:uuid:big" + std::to_string(i), i));
  HttpClient other(small.port(), small.admin_key());
  auto too_big = other.post("/capture", epcis_document(many), kJsonLd);
  EXPECT_EQ(too_big.status, 413u);
  EXPECT_EQ(too_big.problem_type(), "epcisException:CaptureLimitExceededException");
  EXPECT_EQ(small.app().events().event_count().value(), 0);
}

TEST_F(EpcisApiTest, CaptureJobsAreListedNewestFirst) {
  auto a = capture(epcis_document({object_event("urn:uuid:j1", 1)}));
  auto b = capture(epcis_document({object_event("urn:uuid:j2", 2)}));
  auto list = client_.get("/capture");
  ASSERT_EQ(list.status, 200u);
  auto jobs = list.json().as_array();
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_EQ("/capture/" + std::string(jobs[0].at("captureID").as_string()), b.header("Location"));
  EXPECT_EQ("/capture/" + std::string(jobs[1].at("captureID").as_string()), a.header("Location"));
  auto missing = client_.get("/capture/nope");
  EXPECT_EQ(missing.status, 404u);
  EXPECT_EQ(missing.problem_type(), "epcisException:NoSuchResourceException");
}

TEST_F(EpcisApiTest, PostEventIs201ThenA409ForTheSameEventID) {
  auto a = client_.post("/events", bare_event(object_event("urn:uuid:single", 1)), kJsonLd);
  EXPECT_EQ(a.status, 201u) << a.body;
  EXPECT_EQ(a.header("Location"), "/events/" + encoded("urn:uuid:single"));
  auto again = client_.post("/events", bare_event(object_event("urn:uuid:single", 1)), kJsonLd);
  EXPECT_EQ(again.status, 409u);
  EXPECT_EQ(again.problem_type(), "epcisException:ResourceAlreadyExistsException");
  EXPECT_EQ(stored_events(), 1);
  auto invalid = client_.post(
      "/events", bare_event(object_event("urn:uuid:inv", 2, "shipping", "BOGUS")), kJsonLd);
  EXPECT_EQ(invalid.status, 400u);
  EXPECT_EQ(invalid.problem_type(), "epcisException:ValidationException");
  EXPECT_EQ(stored_events(), 1);
}

TEST_F(EpcisApiTest, GetEventByIdAnd404WhenAbsent) {
  capture(epcis_document({object_event("urn:uuid:find-me", 7)}));
  auto a = client_.get("/events/" + encoded("urn:uuid:find-me"));
  ASSERT_EQ(a.status, 200u);
  EXPECT_EQ(event_ids(a), std::vector<std::string>{"urn:uuid:find-me"});
  auto none = client_.get("/events/" + encoded("urn:uuid:absent"));
  EXPECT_EQ(none.status, 404u);
  EXPECT_EQ(none.problem_type(), "epcisException:NoSuchResourceException");
}

TEST_F(EpcisApiTest, QueryParametersFilterEventsAndBadOnesAre400NamingTheParameter) {
  capture(epcis_document({object_event("urn:uuid:s1", 1, "shipping"),
                          object_event("urn:uuid:r1", 2, "receiving"),
                          object_event("urn:uuid:s2", 3, "shipping")}));
  auto shipping = client_.get("/events?EQ_bizStep=shipping");
  ASSERT_EQ(shipping.status, 200u);
  EXPECT_EQ(event_ids(shipping), (std::vector<std::string>{"urn:uuid:s1", "urn:uuid:s2"}));
  auto epc = client_.get("/events?MATCH_epc=" + encoded("urn:epc:id:sgtin:0614141.107346.2"));
  EXPECT_EQ(event_ids(epc), std::vector<std::string>{"urn:uuid:r1"});
  auto unknown = client_.get("/events?EQ_nonsense=1");
  EXPECT_EQ(unknown.status, 400u);
  EXPECT_EQ(unknown.problem_type(), "epcisException:QueryParameterException");
  EXPECT_NE(unknown.json().at("detail").as_string().find("EQ_nonsense"), std::string::npos);
  auto bad_time = client_.get("/events?GE_eventTime=yesterday");
  EXPECT_EQ(bad_time.status, 400u);
  EXPECT_NE(bad_time.json().at("detail").as_string().find("GE_eventTime"), std::string::npos);
  auto bad_page = client_.get("/events?perPage=0");
  EXPECT_EQ(bad_page.status, 400u);
  auto bad_token = client_.get("/events?nextPageToken=garbage!");
  EXPECT_EQ(bad_token.status, 400u);
  EXPECT_EQ(bad_token.problem_type(), "epcisException:QueryParameterException");
}

TEST_F(EpcisApiTest, TooManyMatchesForMaxEventCountIs413QueryTooLarge) {
  capture(epcis_document({object_event("urn:uuid:m1", 1), object_event("urn:uuid:m2", 2)}));
  auto a = client_.get("/events?maxEventCount=1");
  EXPECT_EQ(a.status, 413u);
  EXPECT_EQ(a.problem_type(), "epcisException:QueryTooLargeException");
}

TEST_F(EpcisApiTest, PaginationFollowsLinkNextAcrossPagesToTheEnd) {
  std::vector<std::string> events;
  for (int i = 0; i < 7; ++i) events.push_back(object_event("urn:uuid:pg" + std::to_string(i), i));
  capture(epcis_document(events));
  std::vector<std::string> seen;
  std::string target = "/events?perPage=3&EQ_bizStep=shipping";
  int pages = 0;
  while (!target.empty()) {
    auto a = client_.get(target);
    ASSERT_EQ(a.status, 200u) << a.body;
    for (auto& id : event_ids(a)) seen.push_back(id);
    target = link_target(a);
    ++pages;
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(seen.size(), 7u);
  for (int i = 0; i < 7; ++i) EXPECT_EQ(seen[i], "urn:uuid:pg" + std::to_string(i));
}

TEST_F(EpcisApiTest, DefaultPageIs30Events) {
  std::vector<std::string> events;
  for (int i = 0; i < 31; ++i) events.push_back(object_event("urn:uuid:d" + std::to_string(i), i));
  capture(epcis_document(events));
  auto a = client_.get("/events");
  EXPECT_EQ(event_count(a), 30u);
  EXPECT_FALSE(a.header("Link").empty());
}

TEST_F(EpcisApiTest, ContentNegotiationByAccept) {
  capture(epcis_document({object_event("urn:uuid:n1", 1)}));
  auto xml = client_.get("/events", {{"Accept", "application/xml"}});
  EXPECT_EQ(xml.status, 200u);
  EXPECT_EQ(xml.header("Content-Type"), "application/xml");
  EXPECT_NE(xml.body.find("EPCISQueryDocument"), std::string::npos);
  auto ld = client_.get("/events", {{"Accept", "application/ld+json"}});
  EXPECT_EQ(ld.header("Content-Type"), "application/ld+json");
  auto json = client_.get("/events", {{"Accept", "application/json"}});
  EXPECT_EQ(json.header("Content-Type"), "application/json");
  auto preferred = client_.get("/events", {{"Accept", "application/json;q=0.5, application/xml"}});
  EXPECT_EQ(preferred.header("Content-Type"), "application/xml");
  auto csv = client_.get("/events", {{"Accept", "text/csv"}});
  EXPECT_EQ(csv.status, 406u);
  EXPECT_EQ(csv.problem_type(), "epcisException:NotAcceptableException");
}

TEST_F(EpcisApiTest, Gs1EpcFormatHeaderChoosesTheIdentifierForm) {
  capture(epcis_document({object_event("urn:uuid:f1", 5)}));
  auto dl = client_.get("/events");  // Always_GS1_Digital_Link by default (§12.5)
  EXPECT_NE(dl.body.find("https://id.gs1.org/01/10614141073464/21/5"), std::string::npos);
  auto urn = client_.get("/events", {{"GS1-EPC-Format", "Always_EPC_URN"}});
  EXPECT_NE(urn.body.find("urn:epc:id:sgtin:0614141.107346.5"), std::string::npos);
  EXPECT_EQ(urn.header("GS1-EPC-Format"), "Always_EPC_URN");
  auto bad = client_.get("/events", {{"GS1-EPC-Format", "Sometimes"}});
  EXPECT_EQ(bad.status, 400u);
  auto web = client_.get("/events",
                         {{"Accept", "application/xml"}, {"GS1-CBV-XML-Format", "Always_Web_URI"}});
  EXPECT_NE(web.body.find("https://ref.gs1.org/cbv/BizStep-shipping"), std::string::npos);
  auto urns = client_.get("/events", {{"Accept", "application/xml"}});
  EXPECT_NE(urns.body.find("urn:epcglobal:cbv:bizstep:shipping"), std::string::npos);
}

TEST_F(EpcisApiTest, TopLevelResourcesListValuesAndTheirEvents) {
  capture(epcis_document(
      {object_event("urn:uuid:t1", 1, "shipping"), object_event("urn:uuid:t2", 2, "receiving")}));
  auto members = [&](const std::string& target) {
    std::set<std::string> out;
    auto a = client_.get(target);
    EXPECT_EQ(a.status, 200u) << target << ": " << a.body;
    auto v = a.json();
    for (const auto& m : v.at("member").as_array()) out.emplace(m.as_string());
    return out;
  };
  EXPECT_EQ(members("/bizSteps"), (std::set<std::string>{"shipping", "receiving"}));
  EXPECT_EQ(members("/dispositions"), std::set<std::string>{"in_transit"});
  EXPECT_EQ(members("/readPoints"), std::set<std::string>{"urn:epc:id:sgln:0614141.07346.1234"});
  EXPECT_TRUE(members("/bizLocations").empty());
  EXPECT_EQ(members("/epcs"), (std::set<std::string>{"https://id.gs1.org/01/10614141073464/21/1",
                                                     "https://id.gs1.org/01/10614141073464/21/2"}));
  EXPECT_EQ(members("/eventTypes").size(), 5u);
  EXPECT_EQ(members("/"),
            (std::set<std::string>{"capture", "events", "eventTypes", "epcs", "bizSteps",
                                   "bizLocations", "readPoints", "dispositions", "queries"}));
  EXPECT_EQ(members("/bizSteps/shipping"), std::set<std::string>{"events"});
  EXPECT_EQ(members("/eventTypes/ObjectEvent"), std::set<std::string>{"events"});
  EXPECT_EQ(event_ids(client_.get("/bizSteps/receiving/events")),
            std::vector<std::string>{"urn:uuid:t2"});
  EXPECT_EQ(event_ids(client_.get("/dispositions/in_transit/events")).size(), 2u);
  EXPECT_EQ(event_ids(client_.get("/readPoints/" + encoded("urn:epc:id:sgln:0614141.07346.1234") +
                                  "/events"))
                .size(),
            2u);
  EXPECT_EQ(event_ids(client_.get("/epcs/" + encoded("https://id.gs1.org/01/10614141073464/21/2") +
                                  "/events")),
            std::vector<std::string>{"urn:uuid:t2"});
  EXPECT_EQ(event_ids(client_.get("/eventTypes/ObjectEvent/events")).size(), 2u);
  EXPECT_EQ(client_.get("/epcs/" + encoded("urn:epc:id:sgtin:0614141.107346.1")).status, 200u);
  EXPECT_TRUE(
      event_ids(client_.get("/bizLocations/" + encoded("urn:epc:id:sgln:1.2.3") + "/events"))
          .empty());
  EXPECT_EQ(client_.get("/bizSteps/destroying").status, 404u);
  EXPECT_EQ(client_.get("/bizLocations/" + encoded("urn:epc:id:sgln:1.2.3")).status, 404u);
  EXPECT_EQ(client_.get("/eventTypes/NoSuchEvent").status, 404u);
  EXPECT_EQ(client_.get("/eventTypes/NoSuchEvent/events").status, 404u);
  EXPECT_EQ(client_.get("/readPoints/" + encoded("urn:x:none")).status, 404u);
  EXPECT_EQ(client_.get("/dispositions/" + encoded("urn:x:none")).status, 404u);
  EXPECT_EQ(client_.get("/epcs/" + encoded("urn:x:none")).status, 404u);
}

TEST_F(EpcisApiTest, ValueListingsPageWithLinkNext) {
  std::vector<std::string> events;
  for (int i = 0; i < 5; ++i) events.push_back(object_event("urn:uuid:v" + std::to_string(i), i));
  capture(epcis_document(events));
  std::set<std::string> seen;
  std::string target = "/epcs?perPage=2";
  int pages = 0;
  while (!target.empty() && pages < 10) {
    auto a = client_.get(target);
    ASSERT_EQ(a.status, 200u) << a.body;
    auto v = a.json();
    for (const auto& m : v.at("member").as_array()) seen.emplace(m.as_string());
    target = link_target(a);
    ++pages;
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_EQ(client_.get("/epcs?EQ_bizStep=x").status, 400u);
}

TEST_F(EpcisApiTest, NamedQueriesAreCreatedListedRunAndDeleted) {
  capture(epcis_document(
      {object_event("urn:uuid:q1", 1, "shipping"), object_event("urn:uuid:q2", 2, "receiving")}));
  auto created = client_.post(
      "/queries",
      R"({"name":"shipped","query":{"EQ_bizStep":["shipping"],"eventType":"ObjectEvent"}})",
      {{"Content-Type", "application/json"}});
  EXPECT_EQ(created.status, 201u) << created.body;
  EXPECT_EQ(created.header("Location"), "/queries/shipped");
  auto again = client_.post("/queries", R"({"name":"shipped","query":{}})",
                            {{"Content-Type", "application/json"}});
  EXPECT_EQ(again.status, 409u);
  EXPECT_EQ(again.problem_type(), "epcisException:ResourceAlreadyExistsException");
  auto bad = client_.post("/queries", R"({"name":"broken","query":{"EQ_nonsense":"1"}})",
                          {{"Content-Type", "application/json"}});
  EXPECT_EQ(bad.status, 400u);
  EXPECT_EQ(bad.problem_type(), "epcisException:QueryParameterException");
  auto no_name =
      client_.post("/queries", R"({"query":{}})", {{"Content-Type", "application/json"}});
  EXPECT_EQ(no_name.status, 400u);
  EXPECT_EQ(no_name.problem_type(), "epcisException:ValidationException");

  auto list = client_.get("/queries").json().as_array();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].at("name").as_string(), "shipped");
  auto one = client_.get("/queries/shipped");
  EXPECT_EQ(one.status, 200u);
  EXPECT_EQ(one.json().at("query").at("EQ_bizStep").as_string(), "shipping");
  auto events = client_.get("/queries/shipped/events");
  EXPECT_EQ(event_ids(events), std::vector<std::string>{"urn:uuid:q1"});
  EXPECT_EQ(events.json().at("epcisBody").at("queryResults").at("queryName").as_string(),
            "shipped");

  EXPECT_EQ(client_.request(http::verb::delete_, "/queries/shipped").status, 204u);
  EXPECT_EQ(client_.get("/queries/shipped").status, 404u);
  EXPECT_EQ(client_.get("/queries/shipped/events").status, 404u);
  EXPECT_EQ(client_.request(http::verb::delete_, "/queries/shipped").status, 404u);
}

TEST_F(EpcisApiTest, OptionsOnEveryPathAnswersAllowFromTheRouteTable) {
  for (const auto& route : server_.app().router().routes()) {
    std::string path;
    for (const auto& seg : route.segments) path += "/" + (seg.front() == '{' ? "x" : seg);
    if (path.empty()) path = "/";
    auto a = client_.request(http::verb::options, path);
    EXPECT_EQ(a.status, 204u) << path;
    EXPECT_NE(a.header("Allow").find(std::string(http::to_string(route.method))), std::string::npos)
        << path << ": " << a.header("Allow");
  }
  auto events = client_.request(http::verb::options, "/events");
  EXPECT_EQ(events.header("Allow"), "GET, OPTIONS, POST");
}

TEST_F(EpcisApiTest, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  auto missing = client_.get("/no/such/thing");
  EXPECT_EQ(missing.status, 404u);
  EXPECT_EQ(missing.header("Content-Type"), "application/problem+json");
  EXPECT_EQ(missing.problem_type(), "epcisException:NoSuchResourceException");
  auto wrong = client_.request(http::verb::put, "/events");
  EXPECT_EQ(wrong.status, 405u);
  EXPECT_EQ(wrong.header("Allow"), "GET, OPTIONS, POST");
  EXPECT_EQ(wrong.json().at("status").as_int64(), 405);
}

TEST_F(EpcisApiTest, OpenApiDocumentDescribesEveryRouteServed) {
  auto a = client_.get("/openapi.json");
  ASSERT_EQ(a.status, 200u);
  auto doc = a.json();
  auto& paths = doc.at("paths").as_object();
  size_t checked = 0;
  for (const auto& route : server_.app().router().routes()) {
    ASSERT_TRUE(paths.contains(route.path)) << route.path;
    std::string method(http::to_string(route.method));
    for (auto& c : method) c = static_cast<char>(std::tolower(c));
    EXPECT_TRUE(paths.at(route.path).as_object().contains(method)) << method << " " << route.path;
    EXPECT_TRUE(paths.at(route.path).as_object().contains("options")) << route.path;
    ++checked;
  }
  EXPECT_GT(checked, 25u);
  EXPECT_EQ(doc.at("openapi").as_string(), "3.0.3");
}

TEST_F(EpcisApiTest, HealthAndMetricsCountRequestsAndCaptures) {
  capture(epcis_document({object_event("urn:uuid:h1", 1), object_event("urn:uuid:h2", 2)}));
  client_.get("/events/" + encoded("urn:uuid:absent"));
  auto health = client_.get("/health");
  EXPECT_EQ(health.status, 200u);
  EXPECT_EQ(health.json().at("events").as_int64(), 2);
  auto metrics = client_.get("/metrics");
  EXPECT_EQ(metrics.status, 200u);
  EXPECT_NE(
      metrics.body.find(
          R"(serialtrack_http_requests_total{method="POST",route="/capture",status="202"} 1)"),
      std::string::npos)
      << metrics.body;
  EXPECT_NE(
      metrics.body.find(
          R"(serialtrack_http_requests_total{method="GET",route="/events/{eventID}",status="404"} 1)"),
      std::string::npos);
  EXPECT_NE(metrics.body.find("serialtrack_events_captured_total 2"), std::string::npos);
  EXPECT_NE(metrics.body.find("serialtrack_captures_total 1"), std::string::npos);
  EXPECT_NE(
      metrics.body.find(R"(serialtrack_http_request_duration_seconds_count{route="/capture"} 1)"),
      std::string::npos);
}

TEST_F(EpcisApiTest, KeepAliveServesManyRequestsOnOneConnection) {
  for (int i = 0; i < 20; ++i) EXPECT_EQ(client_.get("/health").status, 200u);
  EXPECT_EQ(server_.app().server().connections(), 1u);
}

}  // namespace
}  // namespace serialtrack::testing

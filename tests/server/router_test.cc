// Routing by method and path template, on percent-decoded segments.
#include "server/router.h"

#include <gtest/gtest.h>

namespace serialtrack::server {
namespace {

Response ok(RequestContext&) {
  return Response{http::status::ok, 11};
}

TEST(Router, ParametersArePercentDecodedSegments) {
  Router r;
  r.add(http::verb::get, "/epcs/{epc}/events", "", ok);
  auto m = r.match(http::verb::get, "/epcs/https%3A%2F%2Fid.gs1.org%2F01%2F1%2F21%2Fa%20b/events");
  ASSERT_NE(m.route, nullptr);
  ASSERT_EQ(m.path_params.size(), 1u);
  EXPECT_EQ(m.path_params[0].first, "epc");
  EXPECT_EQ(m.path_params[0].second, "https://id.gs1.org/01/1/21/a b");
}

TEST(Router, APathWithoutTheMethodListsTheMethodsItHas) {
  Router r;
  r.add(http::verb::get, "/queries/{name}", "", ok);
  r.add(http::verb::delete_, "/queries/{name}", "", ok);
  auto m = r.match(http::verb::post, "/queries/q1");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.template_path, "/queries/{name}");
  EXPECT_EQ(allow_header(m.allowed), "DELETE, GET, OPTIONS");
}

TEST(Router, NoTemplateMatchesAnUnknownOrEmptyOrMalformedSegment) {
  Router r;
  r.add(http::verb::get, "/events/{eventID}", "", ok);
  r.add(http::verb::get, "/", "", ok);
  EXPECT_TRUE(r.match(http::verb::get, "/events/").allowed.empty());
  EXPECT_TRUE(r.match(http::verb::get, "/events/a/b").allowed.empty());
  EXPECT_TRUE(r.match(http::verb::get, "/events/%zz").allowed.empty());
  EXPECT_NE(r.match(http::verb::get, "/").route, nullptr);
  EXPECT_TRUE(r.match(http::verb::get, "/other").allowed.empty());
}

}  // namespace
}  // namespace serialtrack::server

// EPCIS query parameters parse into store queries; bad ones are named.
#include <gtest/gtest.h>

#include "trace/query.h"

namespace serialtrack::trace {
namespace {

TEST(Query, StandardParametersBecomeStoreFilters) {
  auto q = parse_query({{"eventType", "ObjectEvent|AggregationEvent"},
                        {"GE_eventTime", "2024-01-01T00:00:00Z"},
                        {"EQ_bizStep", "shipping"},
                        {"EQ_action", "ADD"},
                        {"MATCH_epc", "urn:epc:id:sgtin:9520123.045678.1"},
                        {"eventCountLimit", "5"}});
  ASSERT_TRUE(q) << q.error().parameter << ": " << q.error().message;
  EXPECT_EQ(q->event_types.size(), 2u);
  EXPECT_EQ(q->ge_event_time, 1704067200LL * 1'000'000'000);
  EXPECT_EQ(q->biz_steps, std::vector<std::string>{"urn:epcglobal:cbv:bizstep:shipping"});
  EXPECT_EQ(q->actions, std::vector<epcis::Action>{epcis::Action::kAdd});
  EXPECT_EQ(q->limit, 5u);
}

TEST(Query, BadParametersAreNamed) {
  auto unknown = parse_query({{"EQ_colour", "red"}});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().parameter, "EQ_colour");
  EXPECT_EQ(parse_query({{"GE_eventTime", "yesterday"}}).error().parameter, "GE_eventTime");
  EXPECT_EQ(parse_query({{"eventType", "PhotoEvent"}}).error().parameter, "eventType");
  EXPECT_EQ(parse_query({{"eventCountLimit", "-1"}}).error().parameter, "eventCountLimit");
  EXPECT_EQ(parse_query({{"EQ_action", "ADDED"}}).error().parameter, "EQ_action");
}

}  // namespace
}  // namespace serialtrack::trace

// `serialtrack alerts`: alerts raised by detection on a real database (events through
// Detector::capture, scans through Detector::verify), listed, shown, investigated and
// closed through the program as a user runs it.
#include <boost/json.hpp>

#include "support/program.h"
#include "trace/detection_fixture.h"

namespace serialtrack::testing {
namespace {

class CliAlerts : public DetectionTest {
 protected:
  void SetUp() override {
    DetectionTest::SetUp();
    const int64_t t = t_at("2026-02-01T10:00:00Z");
    commission({"A1"});
    verify("A1", &kPharmacy, t);
    verify("A1", &kWholesaler, t + 5 * kMin);  // impossible travel: alert 1
    for (int i = 1; i <= 3; ++i)               // sequential guessing: alert 2
      verify("A10" + std::to_string(i), nullptr, t + i * 1'000'000'000LL, "consumer:probe");
  }
  std::string db() const { return "--db " + path_; }
};

TEST_F(CliAlerts, ListsAlertsWithFiltersAsTextAndJson) {
  auto all = run_program("alerts " + db());
  ASSERT_EQ(all.status, 0) << all.out;
  EXPECT_NE(all.out.find("1  impossible_travel  critical  new"), std::string::npos) << all.out;
  EXPECT_NE(all.out.find("2  sequential_guessing  high  new"), std::string::npos) << all.out;
  auto json = run_program("alerts list --kind impossible_travel --json " + db());
  ASSERT_EQ(json.status, 0) << json.out;
  auto alerts = boost::json::parse(json.out).at("alerts").as_array();
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].at("items").as_array()[0].as_string(), key("A1"));
  EXPECT_EQ(alerts[0].at("evidence").at("verifications").as_array().size(), 2u);
  auto by_item = run_program("alerts list --item '" + sgtin("A1") + "' " + db());
  EXPECT_EQ(by_item.out.find("sequential_guessing"), std::string::npos) << by_item.out;
  EXPECT_NE(by_item.out.find("impossible_travel"), std::string::npos) << by_item.out;
  EXPECT_EQ(run_program("alerts list --state open " + db()).status, 2);
}

TEST_F(CliAlerts, ShowsInvestigatesAndClosesAnAlertWithAReason) {
  auto show = run_program("alerts show 2 " + db());
  ASSERT_EQ(show.status, 0) << show.out;
  EXPECT_NE(show.out.find("alert 2: sequential_guessing (high), new"), std::string::npos)
      << show.out;
  EXPECT_NE(show.out.find("item consumer:probe"), std::string::npos);
  EXPECT_EQ(run_program("alerts investigate 2 " + db()).status, 0);
  auto closed = run_program("alerts close 2 --reason 'blocked the app key' --json " + db());
  ASSERT_EQ(closed.status, 0) << closed.out;
  auto a = boost::json::parse(closed.out).as_object();
  EXPECT_EQ(a.at("state").as_string(), "closed");
  EXPECT_EQ(a.at("closeReason").as_string(), "blocked the app key");
  EXPECT_EQ(run_program("alerts investigate 2 " + db()).status, 2);  // closed stays closed
  EXPECT_EQ(run_program("alerts show 99 " + db()).status, 1);
  EXPECT_NE(run_program("alerts close 1 " + db()).status, 0);  // --reason is required
  auto open = run_program("alerts list --state new " + db());
  EXPECT_NE(open.out.find("impossible_travel"), std::string::npos);
  EXPECT_EQ(open.out.find("sequential_guessing"), std::string::npos);
}

}  // namespace
}  // namespace serialtrack::testing

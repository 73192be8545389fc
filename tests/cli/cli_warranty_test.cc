// `serialtrack warranty …` and `serialtrack service …`, run as a user runs them: terms,
// registration, status, a claim approved with a replacement, the old serial's next
// claim rejected, and a repair in the service history.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "support/program.h"

namespace {

using serialtrack::testing::ProgramRun;

ProgramRun run(const std::string& args) {
  return serialtrack::testing::run_program(args);
}
ProgramRun run_merged(const std::string& args) {
  return serialtrack::testing::run_program(args, serialtrack::testing::Stderr::kMerge);
}

// Commissioned in 2025 and sold in 2026: within a year of "now" (2026-12) for a while yet,
// since the terms below run for ten years from the sale.
const char* kDoc =
    R"({"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
 "type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2025-03-01T10:00:00Z",
 "epcisBody":{"eventList":[
  {"type":"ObjectEvent","eventTime":"2025-03-01T09:00:00Z","eventTimeZoneOffset":"+00:00",
   "epcList":["urn:epc:id:sgtin:9520123.045678.W1","urn:epc:id:sgtin:9520123.045678.W2"],
   "action":"ADD","bizStep":"commissioning","disposition":"active"},
  {"type":"ObjectEvent","eventTime":"2026-01-10T09:00:00Z","eventTimeZoneOffset":"+00:00",
   "epcList":["urn:epc:id:sgtin:9520123.045678.W1","urn:epc:id:sgtin:9520123.045678.W2"],
   "action":"OBSERVE","bizStep":"retail_selling","disposition":"retail_sold"}]}})";

class CliWarranty : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) / "cli_warranty";
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = " --db " + (dir_ / "t.db").string();
    std::ofstream(dir_ / "doc.jsonld") << kDoc;
    ASSERT_EQ(run("capture" + db_ + " " + (dir_ / "doc.jsonld").string()).status, 0);
    ASSERT_EQ(run("warranty terms set" + db_ +
                  " --product 09520123456788 --days 3650 --coverage 'parts and labour' --plan "
                  "extended:365")
                  .status,
              0);
  }
  std::filesystem::path dir_;
  std::string db_;
};

TEST_F(CliWarranty, RegisterClaimReplaceAndRejectTheOldSerial) {
  auto reg = run("warranty register" + db_ + " '(01)09520123456788(21)W1' --owner cust-77 --json");
  ASSERT_EQ(reg.status, 0) << reg.out;
  auto r = boost::json::parse(reg.out).as_object();
  EXPECT_EQ(r.at("item").as_string(), "https://id.gs1.org/01/09520123456788/21/W1");
  EXPECT_EQ(r.at("start").as_string(), "2026-01-10T09:00:00Z");

  auto status = run("warranty status" + db_ + " urn:epc:id:sgtin:9520123.045678.W1 --json");
  EXPECT_EQ(status.status, 0) << status.out;
  EXPECT_EQ(boost::json::parse(status.out).at("coverage").as_string(), "covered");

  auto claim = run("warranty claim open" + db_ +
                   " urn:epc:id:sgtin:9520123.045678.W1 --description 'no power' --json");
  ASSERT_EQ(claim.status, 0) << claim.out;
  auto id = boost::json::parse(claim.out).at("id").as_int64();
  auto approve =
      run("warranty claim approve" + db_ + " " + std::to_string(id) +
          " --replacement urn:epc:id:sgtin:9520123.045678.W2 --resolution swapped --json");
  ASSERT_EQ(approve.status, 0) << approve.out;
  EXPECT_EQ(boost::json::parse(approve.out).at("replacement").as_string(),
            "https://id.gs1.org/01/09520123456788/21/W2");

  auto moved = run("warranty status" + db_ + " urn:epc:id:sgtin:9520123.045678.W2 --json");
  EXPECT_EQ(boost::json::parse(moved.out).at("coverage").as_string(), "covered");
  EXPECT_EQ(boost::json::parse(moved.out).at("registration").at("owner").as_string(), "cust-77");
  auto old = run("warranty status" + db_ + " urn:epc:id:sgtin:9520123.045678.W1");
  EXPECT_EQ(old.status, 1);
  EXPECT_NE(old.out.find("void (replaced by https://id.gs1.org/01/09520123456788/21/W2)"),
            std::string::npos)
      << old.out;

  auto again = run("warranty claim open" + db_ +
                   " urn:epc:id:sgtin:9520123.045678.W1 --description 'no power'");
  EXPECT_EQ(again.status, 1) << again.out;
  EXPECT_NE(again.out.find("rejected"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("already_replaced"), std::string::npos) << again.out;
}

TEST_F(CliWarranty, RefusalsSayWhyAndChangeNothing) {
  auto unknown =
      run_merged("warranty register" + db_ + " urn:epc:id:sgtin:9520123.045678.NOPE --owner c");
  EXPECT_EQ(unknown.status, 1);
  EXPECT_NE(unknown.out.find("unknown_item"), std::string::npos) << unknown.out;
  auto bad = run_merged("warranty register" + db_ + " 'hello world' --owner c");
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.out.find("not a serialised trade item"), std::string::npos) << bad.out;
  auto bad_terms = run_merged("warranty terms set" + db_ + " --product 12ab --days 10");
  EXPECT_EQ(bad_terms.status, 2) << bad_terms.out;
  auto status = run("warranty status" + db_ + " urn:epc:id:sgtin:9520123.045678.W1 --json");
  EXPECT_EQ(boost::json::parse(status.out).at("coverage").as_string(), "never_registered");
  auto terms = run("warranty terms list" + db_ + " --json");
  EXPECT_EQ(boost::json::parse(terms.out).as_array().size(), 1u) << terms.out;
}

TEST_F(CliWarranty, ServiceRecordsShowInTheServiceHistory) {
  auto repair = run("service record" + db_ +
                    " urn:epc:id:sgtin:9520123.045678.W1 --kind repair --note 'new fuse'"
                    " --location urn:epc:id:sgln:9520123.00003.0");
  ASSERT_EQ(repair.status, 0) << repair.out;
  EXPECT_EQ(repair.out.rfind("ni:///sha-256;", 0), 0u) << repair.out;
  auto fw = run("service record" + db_ +
                " urn:epc:id:sgtin:9520123.045678.W1 --kind firmware_update --firmware 3.1");
  ASSERT_EQ(fw.status, 0) << fw.out;
  auto history = run("service history" + db_ + " urn:epc:id:sgtin:9520123.045678.W1 --json");
  ASSERT_EQ(history.status, 0) << history.out;
  auto h = boost::json::parse(history.out).as_array();
  ASSERT_EQ(h.size(), 2u) << history.out;
  EXPECT_EQ(h[0].at("kind").as_string(), "repair");
  EXPECT_EQ(h[0].at("serviceNote").as_string(), "new fuse");
  EXPECT_EQ(h[1].at("kind").as_string(), "firmware_update");
  EXPECT_EQ(h[1].at("firmwareVersion").as_string(), "3.1");
  auto trace = run("trace" + db_ + " urn:epc:id:sgtin:9520123.045678.W1");
  EXPECT_NE(trace.out.find("repairing"), std::string::npos) << trace.out;
}

}  // namespace

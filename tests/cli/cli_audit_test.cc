// `serialtrack audit …`, run as a user runs it, on events captured with
// `serialtrack capture`.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "support/program.h"

namespace {

using serialtrack::testing::ProgramRun;
using serialtrack::testing::Stderr;

ProgramRun run(const std::string& args, Stderr err = Stderr::kDiscard, const std::string& in = "") {
  return serialtrack::testing::run_program(args, err, in);
}

// Units 1-3 commissioned at the site's sub-location .1, unit 4 at another site.
const char* kDoc =
    R"({"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
 "type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-01-01T10:00:00Z",
 "epcisHeader":{"epcisMasterData":{"vocabularyList":[{"type":"urn:epcglobal:epcis:vtype:BusinessLocation",
   "vocabularyElementList":[{"id":"urn:epc:id:sgln:9520123.00001.0",
     "children":["urn:epc:id:sgln:9520123.00001.1"]}]}]}},
 "epcisBody":{"eventList":[
  {"type":"ObjectEvent","eventTime":"2026-01-01T09:00:00Z","eventTimeZoneOffset":"+00:00",
   "epcList":["urn:epc:id:sgtin:9520123.045678.1","urn:epc:id:sgtin:9520123.045678.2",
              "urn:epc:id:sgtin:9520123.045678.3"],
   "action":"ADD","bizStep":"commissioning","disposition":"active",
   "bizLocation":{"id":"urn:epc:id:sgln:9520123.00001.1"}},
  {"type":"ObjectEvent","eventTime":"2026-01-01T09:30:00Z","eventTimeZoneOffset":"+00:00",
   "epcList":["urn:epc:id:sgtin:9520123.045678.4"],
   "action":"ADD","bizStep":"commissioning","disposition":"active",
   "bizLocation":{"id":"urn:epc:id:sgln:9520123.00002.0"}}]}})";

const std::string kSite = "urn:epc:id:sgln:9520123.00001.0";

// An EPCIS document with one count at the site on 2026-01-05T10:00:00Z of units (their
// serials, one digit each).
std::string count_document(const std::string& units) {
  std::string epcs;
  for (char u : units)
    epcs += std::string(epcs.empty() ? "" : ",") + "\"urn:epc:id:sgtin:9520123.045678." + u + "\"";
  return R"({"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
 "type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-01-05T10:00:00Z",
 "epcisBody":{"eventList":[
  {"type":"ObjectEvent","eventTime":"2026-01-05T10:00:00Z","eventTimeZoneOffset":"+00:00",
   "epcList":[)" +
         epcs + R"(],"action":"OBSERVE","bizStep":"cycle_counting",
   "bizLocation":{"id":"urn:epc:id:sgln:9520123.00001.0"}}]}})";
}

class CliAudit : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) / "cli_audit";
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = "--db " + (dir_ / "t.db").string();
    std::ofstream(dir_ / "doc.jsonld") << kDoc;
    ASSERT_EQ(run("capture " + db_ + " " + (dir_ / "doc.jsonld").string()).status, 0);
  }
  std::string file(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  std::filesystem::path dir_;
  std::string db_;
};

TEST_F(CliAudit, CountPrintsTheDiscrepanciesAndExitsOne) {
  std::string scans = file("scans.txt",
                           "(01)09520123456788(21)1\n"
                           "https://id.gs1.org/01/09520123456788/21/2\n"
                           "urn:epc:id:sgtin:9520123.045678.4\n");
  auto table = run("audit count " + db_ + " --location " + kSite + " --file " + scans);
  EXPECT_EQ(table.status, 1) << table.out;
  EXPECT_NE(table.out.find("missing"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("https://id.gs1.org/01/09520123456788/21/3"), std::string::npos);
  EXPECT_NE(table.out.find("unexpected"), std::string::npos);
  EXPECT_NE(table.out.find("urn:epc:id:sgln:9520123.00002.0"), std::string::npos);

  auto shown = run("audit show 1 --json " + db_);
  ASSERT_EQ(shown.status, 0);
  auto o = boost::json::parse(shown.out).as_object();
  EXPECT_EQ(o["missing"].as_int64(), 1);
  EXPECT_EQ(o["unexpected"].as_int64(), 1);
  EXPECT_EQ(o["wrongState"].as_int64(), 0);
  EXPECT_EQ(o["location"].as_string(), kSite);
  auto& list = o["discrepancies"].as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[1].as_object().at("item").as_string(),
            "https://id.gs1.org/01/09520123456788/21/4");
  // The count event is in the store: the stray unit's trace shows it.
  auto trace = run("trace " + db_ + " urn:epc:id:sgtin:9520123.045678.4");
  EXPECT_NE(trace.out.find("cycle_counting"), std::string::npos) << trace.out;
}

TEST_F(CliAudit, ACompleteCountFromStdinExitsZero) {
  auto r = run("audit count " + db_ + " --location " + kSite + " --json -", Stderr::kDiscard,
               "urn:epc:id:sgtin:9520123.045678.1\nurn:epc:id:sgtin:9520123.045678.2\n"
               "urn:epc:id:sgtin:9520123.045678.3\n");
  EXPECT_EQ(r.status, 0) << r.out;
  auto o = boost::json::parse(r.out).as_object();
  EXPECT_EQ(o["expected"].as_int64(), 3);
  EXPECT_TRUE(o["discrepancies"].as_array().empty());
}

TEST_F(CliAudit, ABadScanLineNamesItsLineAndStoresNothing) {
  std::string scans =
      file("bad.txt", "urn:epc:id:sgtin:9520123.045678.1\n(01)09520123456789(21)2\n");
  auto r = run("audit count " + db_ + " --location " + kSite + " --file " + scans, Stderr::kMerge);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("line 2: "), std::string::npos) << r.out;
  auto list = run("audit list --json " + db_);
  ASSERT_EQ(list.status, 0);
  EXPECT_TRUE(boost::json::parse(list.out).as_array().empty());
  auto events = run("events " + db_);
  EXPECT_EQ(events.out.find("cycle_counting"), std::string::npos);
}

TEST_F(CliAudit, AnEpcisCountDocumentIsAccepted) {
  std::string doc = file("count.jsonld", count_document("12"));
  auto r = run("audit count " + db_ + " --location " + kSite + " --epcis " + doc + " --json");
  EXPECT_EQ(r.status, 1) << r.out;  // unit 3 is missing
  auto o = boost::json::parse(r.out).as_object();
  EXPECT_EQ(o["missing"].as_int64(), 1);
  EXPECT_EQ(o["counted"].as_string(), "2026-01-05T10:00:00Z");
}

TEST_F(CliAudit, SchedulesAndOverdueLocations) {
  ASSERT_EQ(run("audit schedule set " + db_ + " --location " + kSite + " --every 7").status, 0);
  ASSERT_EQ(run("audit schedule set " + db_ + " --location nowhere --every 7").status, 2);
  auto never = run("audit overdue --json " + db_);
  ASSERT_EQ(never.status, 0);
  auto a = boost::json::parse(never.out).as_array();
  ASSERT_EQ(a.size(), 1u);
  EXPECT_TRUE(a[0].as_object().at("lastAudited").is_null());

  std::string doc = file("count.jsonld", count_document("1"));
  run("audit count " + db_ + " --location " + kSite + " --epcis " + doc);
  auto in_time = run("audit overdue --json --now 2026-01-10T00:00:00Z " + db_);
  EXPECT_TRUE(boost::json::parse(in_time.out).as_array().empty()) << in_time.out;
  auto late = run("audit overdue --now 2026-01-13T00:00:00Z " + db_);
  EXPECT_NE(late.out.find(kSite), std::string::npos) << late.out;
  EXPECT_NE(late.out.find("2026-01-12T10:00:00Z"), std::string::npos) << late.out;
}

}  // namespace

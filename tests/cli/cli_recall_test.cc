// `serialtrack recall …` and `serialtrack inventory …`, run as a user runs them, on
// events captured with `serialtrack capture`.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "support/program.h"

namespace {

using serialtrack::testing::ProgramRun;
using serialtrack::testing::Stderr;

ProgramRun run(const std::string& args) {
  return serialtrack::testing::run_program(args);
}

// Three units of lot L1 and one of L2; unit 1 and the L2 unit packed in a case that is
// shipped to a distributor; a site with a sub-location in master data.
const char* kDoc =
    R"({"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
 "type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2024-03-01T10:00:00Z",
 "epcisHeader":{"epcisMasterData":{"vocabularyList":[{"type":"urn:epcglobal:epcis:vtype:BusinessLocation",
   "vocabularyElementList":[{"id":"urn:epc:id:sgln:9520123.00001.0",
     "children":["urn:epc:id:sgln:9520123.00001.1"]}]}]}},
 "epcisBody":{"eventList":[
  {"type":"ObjectEvent","eventTime":"2024-03-01T09:00:00Z","eventTimeZoneOffset":"+00:00",
   "epcList":["urn:epc:id:sgtin:9520123.045678.1","urn:epc:id:sgtin:9520123.045678.2",
              "urn:epc:id:sgtin:9520123.045678.3"],
   "action":"ADD","bizStep":"commissioning","disposition":"active",
   "bizLocation":{"id":"urn:epc:id:sgln:9520123.00001.1"},
   "ilmd":{"cbvmda:lotNumber":"L1","cbvmda:itemExpirationDate":"2027-01-31"}},
  {"type":"ObjectEvent","eventTime":"2024-03-01T09:30:00Z","eventTimeZoneOffset":"+00:00",
   "epcList":["urn:epc:id:sgtin:9520123.045678.5","urn:epc:id:sscc:9520123.0000000011"],
   "action":"ADD","bizStep":"commissioning","disposition":"active",
   "bizLocation":{"id":"urn:epc:id:sgln:9520123.00001.0"},
   "ilmd":{"cbvmda:lotNumber":"L2"}},
  {"type":"AggregationEvent","eventTime":"2024-03-01T10:00:00Z","eventTimeZoneOffset":"+00:00",
   "parentID":"urn:epc:id:sscc:9520123.0000000011",
   "childEPCs":["urn:epc:id:sgtin:9520123.045678.1","urn:epc:id:sgtin:9520123.045678.5"],
   "action":"ADD","bizStep":"packing"},
  {"type":"ObjectEvent","eventTime":"2024-03-02T09:00:00Z","eventTimeZoneOffset":"+00:00",
   "epcList":["urn:epc:id:sscc:9520123.0000000011"],
   "action":"OBSERVE","bizStep":"shipping","disposition":"in_transit",
   "bizLocation":{"id":"urn:epc:id:sgln:9520123.00002.0"},
   "destinationList":[{"type":"possessing_party","destination":"urn:epc:id:pgln:9520123.00002"}]}]}})";

class CliRecall : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) / "cli_recall";
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = "--db " + (dir_ / "t.db").string();
    std::ofstream(dir_ / "doc.jsonld") << kDoc;
    ASSERT_EQ(run("capture " + db_ + " " + (dir_ / "doc.jsonld").string()).status, 0);
  }
  std::filesystem::path dir_;
  std::string db_;
};

TEST_F(CliRecall, CreatePrintsTheIdAloneAndShowListsContainersCustodiansAndProgress) {
  auto created = run("recall create " + db_ +
                     " --gtin 09520123456788 --lot L1 --reason 'glass particles' --severity I");
  ASSERT_EQ(created.status, 0);
  EXPECT_EQ(created.out, "1\n");
  auto shown = run("recall show " + db_ + " 1 --json");
  ASSERT_EQ(shown.status, 0);
  auto report = boost::json::parse(shown.out).as_object();
  EXPECT_EQ(report.at("recall").at("severity"), "I");
  EXPECT_EQ(report.at("recall").at("reason"), "glass particles");
  auto& items = report.at("items").as_array();
  ASSERT_EQ(items.size(), 4u);  // units 1-3 and the case holding unit 1
  auto& first = items[0].as_object();
  EXPECT_EQ(first.at("id"), "https://id.gs1.org/01/09520123456788/21/1");
  EXPECT_EQ(first.at("containers").as_array().at(0), "https://id.gs1.org/00/095201230000000110");
  EXPECT_EQ(first.at("custodian"), "urn:epc:id:pgln:9520123.00002");
  EXPECT_EQ(first.at("disposition"), "urn:epcglobal:cbv:disp:recalled");
  EXPECT_EQ(first.at("status"), "in_field");
  EXPECT_EQ(items[3].at("role"), "container");
  EXPECT_EQ(report.at("progress").at("total"), 3);
  EXPECT_EQ(report.at("progress").at("inField"), 3);

  auto table = run("recall show " + db_ + " 1");
  ASSERT_EQ(table.status, 0);
  EXPECT_NE(table.out.find("recall 1 (class I)"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("IN FIELD"), std::string::npos);

  auto listed = run("recall list " + db_);
  EXPECT_NE(listed.out.find("glass particles"), std::string::npos) << listed.out;
}

TEST_F(CliRecall, ExportWritesCsvJsonAndAnEpcisDocument) {
  ASSERT_EQ(run("recall create " + db_ + " --gtin 09520123456788 --lot L2 --reason r").status, 0);
  auto csv = run("recall export " + db_ + " 1 --format csv");
  EXPECT_EQ(
      csv.out.substr(0, csv.out.find('\n')),
      "id,role,via,containers,custodian,location,disposition,status,lot,expiry,last_event_time,"
      "customer_reference");
  auto json = run("recall export " + db_ + " 1 --format json");
  EXPECT_TRUE(boost::json::parse(json.out).as_object().contains("progress"));
  auto epcis = run("recall export " + db_ + " 1 --format epcis");
  ASSERT_EQ(epcis.status, 0);
  auto doc = boost::json::parse(epcis.out).as_object();
  EXPECT_EQ(doc.at("type"), "EPCISDocument");
  auto& event = doc.at("epcisBody").at("eventList").as_array().at(0).as_object();
  EXPECT_EQ(event.at("disposition"), "recalled");
  EXPECT_EQ(event.at("persistentDisposition").at("set").as_array().at(0), "recalled");
}

TEST_F(CliRecall, SerialsComeFromAFileAndABadRecallIsRefused) {
  std::ofstream(dir_ / "serials.txt")
      << "# recalled units\n(01)09520123456788(21)2\n\nurn:epc:id:sgtin:9520123.045678.3\n";
  auto created =
      run("recall create " + db_ + " --serials " + (dir_ / "serials.txt").string() + " --reason r");
  ASSERT_EQ(created.status, 0);
  auto report = boost::json::parse(
      run("recall show " + db_ + " " + created.out.substr(0, 1) + " --json").out);
  EXPECT_EQ(report.at("items").as_array().size(), 2u);
  auto refused = serialtrack::testing::run_program(
      "recall create " + db_ + " --gtin 123 --reason r", Stderr::kMerge);
  EXPECT_EQ(refused.status, 2);
  EXPECT_NE(refused.out.find("not 14 digits"), std::string::npos) << refused.out;
  EXPECT_EQ(run("recall show " + db_ + " 99").status, 1);
}

TEST_F(CliRecall, InventoryCountsBySiteWithItsSubLocationsNowAndAsOfAPastTime) {
  auto site = run("inventory " + db_ + " --location urn:epc:id:sgln:9520123.00001.0 --json");
  ASSERT_EQ(site.status, 0);
  auto now = boost::json::parse(site.out).as_object();
  EXPECT_EQ(now.at("total"), 2);  // units 2 and 3 at the sub-location; 1 and 5 shipped
  auto by = boost::json::parse(run("inventory " + db_ + " --by location --by lot --json").out)
                .as_object();
  EXPECT_EQ(by.at("total"), 4);
  EXPECT_EQ(by.at("lines").as_array().size(), 3u);  // (sub-location, L1), (00002, L1), (00002, L2)
  auto before =
      run("inventory " + db_ +
          " --location urn:epc:id:sgln:9520123.00001.0 --as-of 2024-03-01T12:00:00Z --json");
  EXPECT_EQ(boost::json::parse(before.out).at("total"), 4);  // before the shipment
  auto table = run("inventory " + db_);
  EXPECT_NE(table.out.find("09520123456788  4"), std::string::npos) << table.out;
  EXPECT_EQ(run("inventory " + db_ + " --by colour").status, 2);
}

TEST_F(CliRecall, MinimumCheckExitsNonZeroWhenStockIsShort) {
  ASSERT_EQ(run("inventory minimum set " + db_ +
                " --gtin 09520123456788 --location urn:epc:id:sgln:9520123.00002.0 --min 3")
                .status,
            0);
  auto check = run("inventory minimum check " + db_ + " --json");
  EXPECT_EQ(check.status, 1);
  auto row = boost::json::parse(check.out).as_array().at(0).as_object();
  EXPECT_EQ(row.at("stock"), 2);
  EXPECT_EQ(row.at("short"), true);
  auto expiring = run("inventory expiring " + db_ + " --days 30 --today 2027-01-10 --json");
  ASSERT_EQ(expiring.status, 0);
  EXPECT_EQ(boost::json::parse(expiring.out).at("items").as_array().size(), 3u);
  auto ageing = run("inventory ageing " + db_ + " --days 1 --now 2024-03-10T00:00:00Z --json");
  EXPECT_EQ(boost::json::parse(ageing.out).at("perLocation").as_array().size(), 2u);
}

}  // namespace

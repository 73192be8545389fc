// `serialtrack capture | events | trace`, run as a user runs them.
#include <gtest/gtest.h>

#include "support/program.h"

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "support/tsv.h"

namespace {

using serialtrack::testing::ProgramRun;

ProgramRun run(const std::string& args) {
  return serialtrack::testing::run_program(args, serialtrack::testing::Stderr::kMerge);
}

class CliEpcis : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) / "cli_epcis";
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = "--db " + (dir_ / "t.db").string();
  }
  std::string write(const std::string& name, const std::string& text) {
    auto p = dir_ / name;
    std::ofstream(p) << text;
    return p.string();
  }
  std::filesystem::path dir_;
  std::string db_;
};

const char* kDoc = R"({"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
 "type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2024-03-01T10:00:00Z",
 "epcisBody":{"eventList":[
  {"type":"ObjectEvent","eventTime":"2024-03-01T09:00:00+01:00","eventTimeZoneOffset":"+01:00",
   "epcList":["urn:epc:id:sgtin:9520123.045678.1001","urn:epc:id:sgtin:9520123.045678.1002"],
   "action":"ADD","bizStep":"commissioning","disposition":"active",
   "readPoint":{"id":"urn:epc:id:sgln:9520123.00001.0"}},
  {"type":"ObjectEvent","eventTime":"2024-03-02T09:00:00+01:00","eventTimeZoneOffset":"+01:00",
   "epcList":["https://id.gs1.org/01/09520123456788/21/1001"],
   "action":"OBSERVE","bizStep":"shipping","disposition":"in_transit"}]}})";

TEST_F(CliEpcis, CaptureIsIdempotentAndAssignsHashIds) {
  std::string f = write("doc.jsonld", kDoc);
  auto first = run("capture " + db_ + " " + f);
  EXPECT_EQ(first.status, 0) << first.out;
  EXPECT_EQ(first.out, "accepted 2 events, 0 duplicates, 0 documents rejected\n");
  auto again = run("capture " + db_ + " " + f);
  EXPECT_EQ(again.out, "accepted 0 events, 2 duplicates, 0 documents rejected\n");
  auto events = run("events " + db_ + " EQ_bizStep=shipping");
  EXPECT_EQ(events.status, 0);
  EXPECT_NE(events.out.find("ni:///sha-256;"), std::string::npos) << events.out;
  EXPECT_NE(events.out.find("EPCISQueryDocument"), std::string::npos);
  EXPECT_EQ(events.out.find("commissioning"), std::string::npos);
}

TEST_F(CliEpcis, TraceAnswersForAnyIdentifierForm) {
  ASSERT_EQ(run("capture " + db_ + " " + write("doc.jsonld", kDoc)).status, 0);
  auto t = run("trace " + db_ + " '(01)09520123456788(21)1001'");
  EXPECT_EQ(t.status, 0) << t.out;
  EXPECT_NE(t.out.find("status:      active"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("urn:epcglobal:cbv:disp:in_transit"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("shipping"), std::string::npos) << t.out;
  auto never = run("trace " + db_ + " urn:epc:id:sgtin:9520123.045678.999");
  EXPECT_EQ(never.status, 1);
  EXPECT_NE(never.out.find("never seen"), std::string::npos);
}

TEST_F(CliEpcis, ARejectedDocumentNamesTheFieldAndStoresNothing) {
  std::string bad = kDoc;
  bad.replace(bad.find("\"ADD\""), 5, "\"ADDED\"");
  auto r = run("capture " + db_ + " " + write("bad.jsonld", bad));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("event 0: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("action"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("accepted 0 events, 0 duplicates, 1 documents rejected"), std::string::npos);
  auto events = run("events " + db_);
  EXPECT_EQ(events.out.find("ObjectEvent"), std::string::npos);
}

TEST_F(CliEpcis, BadQueryParametersAreNamed) {
  auto r = run("events " + db_ + " EQ_colour=red");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("EQ_colour"), std::string::npos);
}

TEST_F(CliEpcis, CapturesTheStandardsXmlAndJsonExamples) {
  auto json = serialtrack::testing::shared_testdata() / "epcis/json/Example_9.6.1-ObjectEvent.jsonld";
  auto xml = serialtrack::testing::shared_testdata() / "epcis/xml/Example_9.6.1-ObjectEvent-2020_06_18a.xml";
  if (!std::filesystem::exists(json) || !std::filesystem::exists(xml))
    GTEST_SKIP() << "skipped: ../shared/testdata/epcis not found";
  auto r = run("capture " + db_ + " " + json.string() + " " + xml.string());
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(r.out.rfind("accepted ", 0), 0u) << r.out;
  auto xml_out = run("events " + db_ + " --format xml eventType=ObjectEvent");
  EXPECT_NE(xml_out.out.find("<ObjectEvent>"), std::string::npos) << xml_out.out;
}

TEST_F(CliEpcis, TraceNamesLocationsFromCapturedMasterData) {
  const char* xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0"
    creationDate="2024-01-01T00:00:00Z">
  <EPCISHeader><extension><EPCISMasterData><VocabularyList>
    <Vocabulary type="urn:epcglobal:epcis:vtype:BusinessLocation"><VocabularyElementList>
      <VocabularyElement id="urn:epc:id:sgln:9520123.00001.0">
        <attribute id="urn:epcglobal:cbv:mda#name">Central Pharmacy</attribute>
      </VocabularyElement>
    </VocabularyElementList></Vocabulary>
  </VocabularyList></EPCISMasterData></extension></EPCISHeader>
  <EPCISBody><EventList><ObjectEvent>
    <eventTime>2024-01-01T10:00:00Z</eventTime><eventTimeZoneOffset>+00:00</eventTimeZoneOffset>
    <epcList><epc>urn:epc:id:sgtin:9520123.045678.77</epc></epcList>
    <action>ADD</action><bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep>
    <bizLocation><id>urn:epc:id:sgln:9520123.00001.0</id></bizLocation>
  </ObjectEvent></EventList></EPCISBody>
</epcis:EPCISDocument>
)";
  auto c = run("capture " + db_ + " " + write("md.xml", xml));
  ASSERT_EQ(c.status, 0) << c.out;
  auto t = run("trace " + db_ + " urn:epc:id:sgtin:9520123.045678.77");
  EXPECT_NE(t.out.find("urn:epc:id:sgln:9520123.00001.0  (Central Pharmacy)"), std::string::npos) << t.out;
  // and the location hierarchy answers WD_ queries
  auto q = run("events " + db_ + " WD_bizLocation=urn:epc:id:sgln:9520123.00001.0");
  EXPECT_NE(q.out.find("urn:epc:id:sgtin:9520123.045678.77"), std::string::npos) << q.out;
}

TEST_F(CliEpcis, EventsAnswerInTheIdentifierFormAsked) {
  ASSERT_EQ(run("capture " + db_ + " " + write("doc.jsonld", kDoc)).status, 0);
  auto dl = run("events " + db_ + " EQ_bizStep=commissioning --epc-format Always_GS1_Digital_Link");
  EXPECT_NE(dl.out.find("https://id.gs1.org/01/09520123456788/21/1001"), std::string::npos) << dl.out;
  EXPECT_EQ(dl.out.find("urn:epc:id:sgtin:9520123.045678.1001"), std::string::npos);
  auto bad = run("events " + db_ + " --epc-format sometimes");
  EXPECT_EQ(bad.status, 2);
}

}  // namespace

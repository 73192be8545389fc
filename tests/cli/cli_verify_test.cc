// `serialtrack verify` and `serialtrack pack …`, run as a user runs them, on packs
// commissioned by `serialtrack capture`.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "support/program.h"

namespace {

using serialtrack::testing::ProgramRun;

ProgramRun run(const std::string& args) {
  return serialtrack::testing::run_program(args, serialtrack::testing::Stderr::kDiscard);
}

const char* kCommissioning =
    R"({"@context":["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
 "type":"EPCISDocument","schemaVersion":"2.0","creationDate":"2026-01-10T10:00:00Z",
 "epcisBody":{"eventList":[
  {"type":"ObjectEvent","eventTime":"2026-01-10T09:00:00Z","eventTimeZoneOffset":"+00:00",
   "epcList":["urn:epc:id:sgtin:9520123.045678.PACK1","urn:epc:id:sgtin:9520123.045678.PACK2"],
   "action":"ADD","bizStep":"commissioning","disposition":"active",
   "readPoint":{"id":"urn:epc:id:sgln:9520123.00001.0"},
   "ilmd":{"cbvmda:lotNumber":"LOT42","cbvmda:itemExpirationDate":"2049-12-31"}}]}})";

class CliVerify : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) / "cli_verify";
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = "--db " + (dir_ / "t.db").string();
    auto doc = dir_ / "commissioning.jsonld";
    std::ofstream(doc) << kCommissioning;
    auto captured = run("capture " + db_ + " " + doc.string());
    ASSERT_EQ(captured.status, 0) << captured.out;
  }
  boost::json::object json(const ProgramRun& r) { return boost::json::parse(r.out).as_object(); }
  std::filesystem::path dir_;
  std::string db_;
};

TEST_F(CliVerify, AnActivePackIsVerifiedInAnyIdentifierForm) {
  auto r = run("verify " + db_ + " '(01)09520123456788(21)PACK1(10)LOT42(17)491231'");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_TRUE(
      r.out.starts_with("VERIFIED  ACTIVE  https://id.gs1.org/01/09520123456788/21/PACK1\n"))
      << r.out;
  EXPECT_NE(r.out.find("lot:         LOT42"), std::string::npos) << r.out;
  auto dl = run("verify " + db_ + " https://id.gs1.org/01/09520123456788/21/PACK1 --json");
  EXPECT_EQ(dl.status, 0);
  auto o = json(dl);
  EXPECT_EQ(o.at("verified"), true);
  EXPECT_EQ(o.at("status").as_string(), "ACTIVE");
  EXPECT_FALSE(o.contains("alert"));
  auto scan = run("verify " + db_ + " ']d2010952012345678821PACK2' --lot LOT42 --expiry 491231");
  EXPECT_EQ(scan.status, 0) << scan.out;
}

TEST_F(CliVerify, AMismatchOrUnknownPackExitsOneWithItsAlert) {
  auto lot = run("verify " + db_ + " urn:epc:id:sgtin:9520123.045678.PACK1 --lot LOT9 --json");
  EXPECT_EQ(lot.status, 1);
  EXPECT_EQ(json(lot).at("alert").as_string(), "A24");
  auto expiry =
      run("verify " + db_ + " urn:epc:id:sgtin:9520123.045678.PACK1 --expiry 491130 --json");
  EXPECT_EQ(json(expiry).at("alert").as_string(), "A52");
  auto serial = run("verify " + db_ + " '(01)09520123456788(21)NOSUCH' --json");
  EXPECT_EQ(serial.status, 1);
  EXPECT_EQ(json(serial).at("alert").as_string(), "A2");
  EXPECT_EQ(json(serial).at("status").as_string(), "UNKNOWN");
  auto product = run("verify " + db_ + " '(01)09506000134352(21)PACK1' --json");
  EXPECT_EQ(json(product).at("alert").as_string(), "A3");
}

TEST_F(CliVerify, BadInputExitsTwoAndPrintsNothingOnStdout) {
  auto r = run("verify " + db_ + " '(01)09520123456789(21)PACK1'");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "");
  auto expiry = run("verify " + db_ + " '(01)09520123456788(21)PACK1' --expiry 491340");
  EXPECT_EQ(expiry.status, 2);
}

TEST_F(CliVerify, PackOperationsRecordEventsRefuseRepeatsAndUndoForTheSameParty) {
  const std::string pack = " urn:epc:id:sgtin:9520123.045678.PACK1";
  auto supply = run("pack supply " + db_ + pack + " --party 9520123000011 --json");
  EXPECT_EQ(supply.status, 0) << supply.out;
  auto done = json(supply);
  EXPECT_EQ(done.at("done"), true);
  EXPECT_EQ(done.at("status").as_string(), "SUPPLIED");
  auto verify = run("verify " + db_ + pack + " --json");
  EXPECT_EQ(verify.status, 1);
  EXPECT_EQ(json(verify).at("status").as_string(), "SUPPLIED");
  auto again = run("pack supply " + db_ + pack + " --party 9520123000011 --json");
  EXPECT_EQ(again.status, 1);
  EXPECT_EQ(json(again).at("alert").as_string(), "A7");
  auto destroy = run("pack destroy " + db_ + pack + " --party 9520123000011 --json");
  EXPECT_EQ(json(destroy).at("alert").as_string(), "A68");
  auto other = run("pack undo " + db_ + pack + " --party 9520123000028");
  EXPECT_EQ(other.status, 1);
  EXPECT_TRUE(other.out.starts_with("REFUSED  undo  SUPPLIED  (undo_by_other_party)")) << other.out;
  auto undo = run("pack undo " + db_ + pack + " --party 9520123000011");
  EXPECT_EQ(undo.status, 0) << undo.out;
  EXPECT_EQ(run("verify " + db_ + pack).status, 0);
  auto history = run("trace " + db_ + pack);
  EXPECT_NE(history.out.find("urn:epcglobal:cbv:bizstep:dispensing"), std::string::npos)
      << history.out;
  EXPECT_NE(history.out.find("https://serialtrack.dev/bizstep/reactivating"), std::string::npos);
  EXPECT_EQ(history.out.find("ALERT"), std::string::npos) << history.out;
}

TEST_F(CliVerify, EveryOperationIsACommand) {
  for (const std::string op :
       {"supply", "destroy", "stolen", "sample", "free-sample", "export", "lock", "checkout"}) {
    auto dir = std::filesystem::path(::testing::TempDir()) / ("cli_verify_" + op);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::string db = "--db " + (dir / "t.db").string();
    auto doc = dir / "commissioning.jsonld";
    std::ofstream(doc) << kCommissioning;
    ASSERT_EQ(run("capture " + db + " " + doc.string()).status, 0);
    auto r = run("pack " + op + " " + db +
                 " urn:epc:id:sgtin:9520123.045678.PACK1 --party 9520123000011 --location "
                 "9520123000011 --json");
    EXPECT_EQ(r.status, 0) << op << ": " << r.out;
    EXPECT_EQ(json(r).at("done"), true) << op;
  }
  EXPECT_NE(run("pack supply " + db_ + " urn:epc:id:sgtin:9520123.045678.PACK1").status, 0)
      << "--party is required";
}

}  // namespace

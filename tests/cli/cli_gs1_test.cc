// The `serialtrack gs1` commands, run as a user runs them.
#include <gtest/gtest.h>

#include "support/program.h"

#include <array>
#include <cstdio>
#include <fstream>
#include <string>

namespace {

using serialtrack::testing::ProgramRun;

ProgramRun run(const std::string& args, const std::string& stdin_text = "") {
  return serialtrack::testing::run_program(args, serialtrack::testing::Stderr::kDiscard, stdin_text);
}

TEST(CliGs1Parse, ValidInputGivesOneJsonObjectWithEveryForm) {
  auto r = run("gs1 parse '(01)09520123456788(21)ABC' --gcp-length 7");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out,
            R"({"input":"(01)09520123456788(21)ABC","valid":true,"form":"bracketed",)"
            R"("ais":{"01":"09520123456788","21":"ABC"},"bracketed":"(01)09520123456788(21)ABC",)"
            R"("digital_link":"https://id.gs1.org/01/09520123456788/21/ABC",)"
            R"("epc":"urn:epc:id:sgtin:9520123.045678.ABC","hri":["(01) 09520123456788","(21) ABC"]})"
            "\n");
}

TEST(CliGs1Parse, InvalidInputSaysWhereAndExitsOne) {
  auto r = run("gs1 parse '(01)09520123456789'");
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out,
            R"({"input":"(01)09520123456789","valid":false,"error":{"code":"INCORRECT_CHECK_DIGIT",)"
            R"("message":"AI (01): INCORRECT_CHECK_DIGIT","ai":"01","position":17,"length":1}})"
            "\n");
}

TEST(CliGs1Parse, ReadsStandardInputLineByLine) {
  auto r = run("gs1 parse", "(00)952012345678912345\nnot an id\n");
  EXPECT_EQ(r.status, 1);
  size_t first = r.out.find('\n');
  ASSERT_NE(first, std::string::npos);
  EXPECT_NE(r.out.find(R"("valid":true)"), std::string::npos);
  EXPECT_NE(r.out.find(R"("code":"UNRECOGNISED_INPUT")", first), std::string::npos);
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2);
}

TEST(CliGs1CheckDigit, VerifiesAndCompletes) {
  auto ok = run("gs1 check-digit 09520123456788 09520123456787");
  EXPECT_EQ(ok.status, 1);
  EXPECT_NE(ok.out.find(R"({"input":"09520123456788","valid":true})"), std::string::npos);
  EXPECT_NE(ok.out.find(R"({"input":"09520123456787","valid":false,"expected":"8"})"),
            std::string::npos);
  auto complete = run("gs1 check-digit --complete 0952012345678");
  EXPECT_EQ(complete.status, 0);
  EXPECT_NE(complete.out.find(R"("complete":"09520123456788")"), std::string::npos);
}

TEST(CliGs1Convert, ConvertsBetweenForms) {
  EXPECT_EQ(run("gs1 convert --to digital-link '(01)09520123456788(10)AB/C'").out,
            "https://id.gs1.org/01/09520123456788/10/AB%2FC\n");
  EXPECT_EQ(run("gs1 convert --to bracketed https://id.gs1.org/00/952012345678912345").out,
            "(00)952012345678912345\n");
  EXPECT_EQ(run("gs1 convert --to epc-hex --scheme sgtin-96 --filter 1 --gcp-length 7 "
                "'(01)09520123456788(21)12345'")
                .out
                .size(),
            25u);
  EXPECT_EQ(run("gs1 convert --to scan '(01)09520123456788(10)AB(21)C'").out,
            "]d2010952012345678810AB\x1D" "21C\n");
  auto missing = run("gs1 convert --to epc '(01)09520123456788(21)1'");
  EXPECT_EQ(missing.status, 1);
}

}  // namespace

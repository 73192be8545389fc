// Every case of the shared check digit vectors (gs1/check_digits.tsv): the computed mod-10
// check digit, the csum linter's verdict and the validity agree with the reference.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "gs1/check_digit.h"
#include "gs1/error.h"
#include "gs1/lint/lint.h"
#include "support/tsv.h"

namespace serialtrack::gs1 {
namespace {

TEST(CheckDigitsConformance, EveryReferenceCaseAgrees) {
  std::vector<testing::TsvRow> rows;
  SERIALTRACK_LOAD_TSV("gs1/check_digits.tsv", rows);
  ASSERT_EQ(rows.size(), 431u) << "check_digits.tsv changed: review the expected count";

  size_t agreed = 0;
  for (const auto& row : rows) {
    const std::string& input = row["input"];
    const std::string& body = row["body_without_check_digit"];
    const std::string& expected_digit = row["expected_check_digit"];
    bool expected_valid = row["valid"] == "1";
    const std::string& expected_lint = row["linter_error"];

    std::optional<char> digit = mod10_check_digit(body);
    std::string computed = digit ? std::string(1, *digit) : std::string();
    lint::Outcome outcome = lint::csum(input);
    bool valid = outcome.ok();

    bool ok = true;
    if (computed != expected_digit) {
      ok = false;
      ADD_FAILURE() << row.where << ": mod10_check_digit(\"" << body << "\") = '" << computed
                    << "', expected '" << expected_digit << "'";
    }
    if (lint_name(outcome.code) != expected_lint) {
      ok = false;
      ADD_FAILURE() << row.where << ": csum(\"" << input << "\") = " << lint_name(outcome.code)
                    << ", expected " << expected_lint;
    }
    if (valid != expected_valid) {
      ok = false;
      ADD_FAILURE() << row.where << ": \"" << input << "\" valid=" << valid << ", expected "
                    << expected_valid;
    }
    // A digit-only key is valid exactly when mod10_valid says so.
    if (!input.empty() && input.find_first_not_of("0123456789") == std::string::npos &&
        input.size() >= 2 && mod10_valid(input) != expected_valid) {
      ok = false;
      ADD_FAILURE() << row.where << ": mod10_valid(\"" << input << "\") disagrees";
    }
    if (ok) ++agreed;
  }
  EXPECT_EQ(agreed, rows.size());
}

}  // namespace
}  // namespace serialtrack::gs1

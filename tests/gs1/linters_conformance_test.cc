// Every case of the GS1 reference linter unit tests (shared testdata gs1/linters.tsv):
// each linter must give the reference's code and highlight exactly its span.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "gs1/error.h"
#include "gs1/lint/lint.h"
#include "support/tsv.h"

namespace serialtrack::gs1 {
namespace {

// The input with the outcome's span wrapped in '*', as the reference writes its markup.
std::string markup(const std::string& input, const lint::Outcome& outcome) {
  if (outcome.position + outcome.length > input.size()) return "<span out of range>";
  std::string m = input;
  m.insert(outcome.position + outcome.length, 1, '*');
  m.insert(outcome.position, 1, '*');
  return m;
}

TEST(LintersConformance, EveryReferenceCaseAgrees) {
  std::vector<testing::TsvRow> rows;
  SERIALTRACK_LOAD_TSV("gs1/linters.tsv", rows);
  ASSERT_EQ(rows.size(), 5639u) << "linters.tsv changed: review the expected count";

  std::map<std::string, int> failures_by_linter;
  size_t passed = 0;
  for (const auto& row : rows) {
    const std::string& name = row["linter"];
    const std::string& input = row["input"];
    const std::string& expected_error = row["expected_error"];
    const std::string& expected_markup = row["expected_markup"];
    lint::Linter linter = lint::by_name(name);
    if (linter == nullptr) {
      ADD_FAILURE() << row.where << ": no linter named '" << name << "'";
      ++failures_by_linter[name];
      continue;
    }
    lint::Outcome outcome = linter(input);
    bool ok = lint_name(outcome.code) == expected_error;
    // The span is checked only for a failure that the reference marked up.
    if (ok && !outcome.ok() && !expected_markup.empty())
      ok = markup(input, outcome) == expected_markup;
    if (ok) {
      ++passed;
      continue;
    }
    ++failures_by_linter[name];
    ADD_FAILURE() << row.where << ": " << name << "(\"" << input << "\") gave "
                  << lint_name(outcome.code) << " " << markup(input, outcome) << ", expected "
                  << expected_error << " " << expected_markup;
  }
  for (const auto& [name, count] : failures_by_linter)
    ADD_FAILURE() << name << ": " << count << " case(s) disagree";
  EXPECT_EQ(passed, rows.size());
}

}  // namespace
}  // namespace serialtrack::gs1

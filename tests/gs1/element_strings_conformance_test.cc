// Conformance of element-string parsing, validation and output against the reference
// vectors of ../shared/testdata/gs1: element_strings.tsv, ai_coverage.tsv and
// ai_associations.tsv (outputs of GS1's gs1-syntax-engine 1.4.1).
#include <gtest/gtest.h>

#include <sstream>

#include "gs1/element_string.h"
#include "support/tsv.h"

namespace serialtrack::gs1 {
namespace {

using testing::TsvRow;

Options options_from(const std::string& list, bool* titles = nullptr) {
  Options o;
  std::stringstream ss(list);
  std::string opt;
  while (std::getline(ss, opt, ',')) {
    if (opt == "permit-unknown-ais") o.permit_unknown_ais = true;
    else if (opt == "no-requisite-ais") o.check_requisites = false;
    else if (opt == "data-titles" && titles) *titles = true;
    else if (opt == "-" || opt.empty()) continue;
    else ADD_FAILURE() << "unknown option in vector: " << opt;
  }
  return o;
}

std::string join(const std::vector<std::string>& lines, const std::string& sep) {
  std::string s;
  for (size_t i = 0; i < lines.size(); ++i) s += (i ? sep : "") + lines[i];
  return s;
}

Result<AiData> parse(const std::string& input, const std::string& format, const Options& o) {
  return format == "bracketed" ? parse_bracketed(input, o) : parse_unbracketed(input, o);
}

// The expected error class; "NOT_AI_DATA(plain data)" names the class then a remark.
std::string error_class(const std::string& e) { return e.substr(0, e.find('(')); }

// "(AI)pre|bad|post": checks that the error's span is "bad", preceded by "pre".
void expect_markup(const TsvRow& row, const std::string& input, const Error& e) {
  const std::string& m = row["error_markup"];
  if (m.empty()) return;
  size_t close = m.find(')'), bar1 = m.find('|', close), bar2 = m.find('|', bar1 + 1);
  ASSERT_NE(bar2, std::string::npos) << row.where;
  EXPECT_EQ(e.ai, m.substr(1, close - 1)) << row.where;
  std::string pre = m.substr(close + 1, bar1 - close - 1), bad = m.substr(bar1 + 1, bar2 - bar1 - 1);
  ASSERT_LE(e.position + e.length, input.size()) << row.where;
  EXPECT_EQ(input.substr(e.position, e.length), bad) << row.where << " position " << e.position;
  EXPECT_EQ(input.substr(e.position - std::min(e.position, pre.size()), pre.size()), pre)
      << row.where;
}

TEST(ElementStringsConformance, EveryVectorAgrees) {
  std::vector<TsvRow> rows;
  SERIALTRACK_LOAD_TSV("gs1/element_strings.tsv", rows);
  size_t checked = 0;
  for (const auto& row : rows) {
    bool titles = false;
    Options o = options_from(row["options"], &titles);
    const std::string& input = row["input"];
    auto r = parse(input, row["format"], o);
    bool expect_valid = row["valid"] == "1";
    // Rows from the engine's API tests without a verdict carry an error class only.
    if (row["valid"].empty()) expect_valid = row["error"].empty();
    ASSERT_EQ(r.ok(), expect_valid)
        << row.where << " input " << input << (r.ok() ? std::string() : std::string(" error ").append(r.error().name()));
    ++checked;
    if (!r.ok()) {
      EXPECT_EQ(error_name(r.error().code), error_class(row["error"])) << row.where << " " << input;
      if (!row["linter_error"].empty()) {
        EXPECT_EQ(lint_name(r.error().lint), row["linter_error"]) << row.where << " " << input;
      }
      expect_markup(row, input, r.error());
      continue;
    }
    EXPECT_EQ(to_bracketed(*r), row["expected_bracketed"]) << row.where;
    EXPECT_EQ(join(to_hri(*r, titles), " | "), row["expected_hri"]) << row.where;
    // The engine echoes a given barcode message as it came, superfluous FNC1s
    // included; ours is canonical. Both must denote the same AIs.
    std::string ours = to_unbracketed(*r);
    if (row["format"] == "bracketed") {
      EXPECT_EQ(ours, row["expected_fnc1"]) << row.where;
    } else {
      auto again = parse_unbracketed(row["expected_fnc1"], o);
      ASSERT_TRUE(again.ok()) << row.where;
      EXPECT_EQ(ours, to_unbracketed(*again)) << row.where;
      auto round = parse_unbracketed(ours, o);
      ASSERT_TRUE(round.ok()) << row.where;
      EXPECT_EQ(to_bracketed(*round), row["expected_bracketed"]) << row.where;
    }
  }
  EXPECT_EQ(checked, 228u);
}

TEST(ElementStringsConformance, EveryAiOfTheDictionaryAgrees) {
  std::vector<TsvRow> rows;
  SERIALTRACK_LOAD_TSV("gs1/ai_coverage.tsv", rows);
  Options o;
  o.check_requisites = false;  // samples were checked with no-requisite-ais
  size_t checked = 0;
  for (const auto& row : rows) {
    auto r = parse_bracketed(row["input"], o);
    ASSERT_EQ(r.ok(), row["valid"] == "1")
        << row.where << " " << row["input"] << (r.ok() ? std::string() : std::string(" ").append(r.error().name()));
    ++checked;
    if (!r.ok()) {
      EXPECT_EQ(error_name(r.error().code), row["error"]) << row.where;
      if (!row["linter_error"].empty()) {
        EXPECT_EQ(lint_name(r.error().lint), row["linter_error"]) << row.where;
      }
      continue;
    }
    EXPECT_EQ(to_unbracketed(*r), row["expected_fnc1"]) << row.where;
    EXPECT_EQ(join(to_hri(*r, true), " | "), row["expected_hri_with_titles"]) << row.where;
    // The barcode message parses back to the same AIs.
    auto back = parse_unbracketed(to_unbracketed(*r), o);
    ASSERT_TRUE(back.ok()) << row.where;
    EXPECT_EQ(to_bracketed(*back), to_bracketed(*r)) << row.where;
  }
  EXPECT_EQ(checked, 1209u);
}

TEST(ElementStringsConformance, EveryAssociationRuleAgrees) {
  std::vector<TsvRow> rows;
  SERIALTRACK_LOAD_TSV("gs1/ai_associations.tsv", rows);
  size_t checked = 0;
  for (const auto& row : rows) {
    Options o = options_from(row["options"]);
    auto r = parse_bracketed(row["input"], o);
    ASSERT_EQ(r.ok(), row["api_valid"] == "1")
        << row.where << " " << row["input"] << (r.ok() ? std::string() : std::string(" ").append(r.error().name()));
    if (!r.ok()) {
      EXPECT_EQ(error_name(r.error().code), row["api_error"]) << row.where;
    }
    ++checked;
  }
  EXPECT_EQ(checked, 77u);
}

}  // namespace
}  // namespace serialtrack::gs1

// GS1 Digital Link conformance: every row of the reference vectors of
// ../shared/testdata/gs1 (README.md there) that concern DL URIs, checked against
// parse_digital_link, to_digital_link and the URI escaping functions. Where we
// differ from the reference engine on purpose, the row is listed in
// kKnownDisagreements with the evidence, and our own answer is asserted instead.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "gs1/digital_link.h"
#include "gs1/element_string.h"
#include "support/tsv.h"

namespace serialtrack::gs1 {
namespace {

using serialtrack::testing::TsvRow;

Options options_from(const std::string& list) {
  Options o;
  if (list == "-" || list.empty()) return o;
  size_t start = 0;
  for (;;) {
    size_t comma = list.find(',', start);
    std::string name = list.substr(start, comma == std::string::npos ? comma : comma - start);
    if (name == "permit-unknown-ais")
      o.permit_unknown_ais = true;
    else if (name == "permit-zero-suppressed-gtin")
      o.permit_zero_suppressed_gtin = true;
    else if (name == "no-requisite-ais")
      o.check_requisites = false;
    else if (name == "unknown-ai-dl-attr")
      o.unknown_ai_dl_attr = true;
    else if (name == "add-check-digit")
      o.add_check_digit = true;
    else if (name == "convenience-alphas")
      o.convenience_alphas = true;
    else
      ADD_FAILURE() << "unknown option in test data: " << name;
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return o;
}

std::string hri_joined(const AiData& data) {
  std::string s;
  for (const std::string& line : to_hri(data)) {
    if (!s.empty()) s += " | ";
    s += line;
  }
  return s;
}

// "1" or "0:CODE" or "0:AI_LINTER_ERROR:LINT", as digital_link_js.tsv writes verdicts.
std::string verdict(const Result<DigitalLink>& r) {
  if (r.ok()) return "1";
  const Error& e = r.error();
  std::string v = "0:" + std::string(error_name(e.code));
  if (e.code == ErrorCode::AI_LINTER_ERROR) v.append(":").append(lint_name(e.lint));
  return v;
}

// A row where we answer differently from the reference engine, deliberately.
struct KnownDisagreement {
  std::string_view file;
  std::string_view input;
  std::string_view options;             // as in the file ("-" for none)
  std::string_view our_verdict;         // "1", "0:CODE"
  std::string_view our_element_string;  // when our_verdict is "1"
  std::string_view evidence;
};

// gs1-syntax-engine 1.4.1 stores the AI of a path element resolved from a
// convenience alpha ("gtin" -> 01) with the length of the alpha (dl.c,
// gs1_parseDLuri: `.ailen = (uint8_t)ailen` where ailen is strlen("gtin")), so its
// AI data reads "(0112)..." for "(01)12..." and later association checks, which
// compare AI text, miss the (01). Its own unit test (dl.c:1437-1439) expects the
// correct message "^011231231231233321ABC123" for gtin+ser. We resolve the alpha.
constexpr std::string_view kAlphaLengthBug =
    "engine bug: AI of a convenience alpha stored with the alpha's length (dl.c "
    "gs1_parseDLuri `.ailen = ailen`); the engine's FNC1 output and its unit test "
    "dl.c:1437-1439 agree with us";

constexpr KnownDisagreement kKnownDisagreements[] = {
    {"digital_link.tsv", "https://a/gtin/12312312312333", "convenience-alphas", "1",
     "(01)12312312312333", kAlphaLengthBug},
    {"digital_link.tsv", "https://a/gtin/12312312312333/ser/ABC123", "convenience-alphas", "1",
     "(01)12312312312333(21)ABC123", kAlphaLengthBug},
    {"digital_link.tsv", "https://a/sscc/006141411234567890", "convenience-alphas", "1",
     "(00)006141411234567890", kAlphaLengthBug},
    {"digital_link_js.tsv", "https://example.com/gtin/012345678905", "lax", "1",
     "(01)00012345678905", kAlphaLengthBug},
    {"digital_link_js.tsv", "https://example.com/sscc/012345678912345675", "lax", "1",
     "(00)012345678912345675", kAlphaLengthBug},
    {"digital_link_js.tsv", "https://example.com/gdti/012345178912345667", "lax", "1",
     "(253)012345178912345667", kAlphaLengthBug},
    {"digital_link_js.tsv", "https://example.com/gsin/01234367891244565", "lax", "1",
     "(402)01234367891244565", kAlphaLengthBug},
};

const KnownDisagreement* known_disagreement(std::string_view file, std::string_view input,
                                            std::string_view options) {
  for (const auto& k : kKnownDisagreements)
    if (k.file == file && k.input == input && k.options == options) return &k;
  return nullptr;
}

TEST(DigitalLinkConformance, EveryRowOfDigitalLinkTsvAgreesWithTheEngine) {
  std::vector<TsvRow> rows;
  SERIALTRACK_LOAD_TSV("gs1/digital_link.tsv", rows);
  ASSERT_EQ(rows.size(), 124u);
  size_t agreed = 0, disagreed = 0;
  for (const TsvRow& row : rows) {
    SCOPED_TRACE(row.where + " " + row["input"] + " [" + row["options"] + "]");
    auto r = parse_digital_link(row["input"], options_from(row["options"]));
    if (const auto* k = known_disagreement("digital_link.tsv", row["input"], row["options"])) {
      ++disagreed;
      ASSERT_EQ(verdict(r), k->our_verdict) << k->evidence;
      if (r.ok()) {
        EXPECT_EQ(to_bracketed(r->data), k->our_element_string) << k->evidence;
      }
      continue;
    }
    if (row["valid"] == "1") {
      ASSERT_TRUE(r.ok()) << "got " << verdict(r) << ": " << r.error().message;
      EXPECT_EQ(to_bracketed(r->data), row["expected_element_string"]);
      EXPECT_EQ(to_unbracketed(r->data), row["expected_fnc1"]);
      EXPECT_EQ(hri_joined(r->data), row["expected_hri"]);
      auto canonical = to_digital_link(
          *r, kCanonicalDlStem,
          options_from(row["options"]));  // keeps the URI's path, as the engine does
      ASSERT_TRUE(canonical.ok()) << canonical.error().message;
      EXPECT_EQ(*canonical, row["canonical_dl_uri"]);
    } else {
      ASSERT_FALSE(r.ok()) << "accepted as " << to_bracketed(r->data);
      std::string expected = row["error"];
      if (auto paren = expected.find('('); paren != std::string::npos)
        expected.resize(paren);  // "NOT_A_DL_URI(plain data)": the engine's API path
      EXPECT_EQ(error_name(r.error().code), expected) << r.error().message;
      if (!row["linter_error"].empty()) {
        EXPECT_EQ(r.error().name(), row["linter_error"]);
      }
    }
    ++agreed;
  }
  EXPECT_EQ(agreed + disagreed, 124u);
  std::printf("digital_link.tsv: %zu agree, %zu known disagreements\n", agreed, disagreed);
}

TEST(DigitalLinkConformance, EveryRowOfDigitalLinkGenerateTsvAgreesWithTheEngine) {
  std::vector<TsvRow> rows;
  SERIALTRACK_LOAD_TSV("gs1/digital_link_generate.tsv", rows);
  ASSERT_EQ(rows.size(), 24u);
  for (const TsvRow& row : rows) {
    SCOPED_TRACE(row.where + " " + row["input"] + " stem=" + row["stem"]);
    Options o = options_from(row["options"]);
    const std::string& in = row["input"];
    auto data = !in.empty() && in[0] == '(' ? parse_bracketed(in, o) : parse_unbracketed(in, o);
    ASSERT_TRUE(data.ok()) << data.error().message;
    std::string_view stem = row["stem"] == "(canonical)" ? kCanonicalDlStem : row["stem"];
    auto uri = to_digital_link(*data, stem, o);
    if (row["valid"] == "1") {
      ASSERT_TRUE(uri.ok()) << uri.error().message;
      EXPECT_EQ(*uri, row["expected_dl_uri"]);
    } else {
      ASSERT_FALSE(uri.ok()) << "made " << *uri;
      EXPECT_EQ(error_name(uri.error().code), row["error"]);
    }
  }
}

TEST(DigitalLinkConformance, EveryRowOfDlUriEscapingTsvAgrees) {
  std::vector<TsvRow> rows;
  SERIALTRACK_LOAD_TSV("gs1/dl_uri_escaping.tsv", rows);
  ASSERT_EQ(rows.size(), 31u);
  for (const TsvRow& row : rows) {
    SCOPED_TRACE(row.where + " " + row["direction"] + " '" + row["input"] + "'");
    if (row["direction"] == "unescape") {
      auto path = uri_unescape(row["input"], UriComponent::kPath);
      auto query = uri_unescape(row["input"], UriComponent::kQuery);
      ASSERT_TRUE(path && query);
      EXPECT_EQ(*path, row["expected_path_component"]);
      EXPECT_EQ(*query, row["expected_query_component"]);
    } else {
      ASSERT_EQ(row["direction"], "escape");
      EXPECT_EQ(uri_escape(row["input"], UriComponent::kPath), row["expected_path_component"]);
      EXPECT_EQ(uri_escape(row["input"], UriComponent::kQuery), row["expected_query_component"]);
    }
  }
}

bool is_compression_row(const std::string& kind) {
  return kind.starts_with("compress") || kind.starts_with("decompress");
}

TEST(DigitalLinkConformance, DigitalLinkJsTsvAgreesWithTheEngineVerdicts) {
  std::vector<TsvRow> rows;
  SERIALTRACK_LOAD_TSV("gs1/digital_link_js.tsv", rows);
  ASSERT_EQ(rows.size(), 47u);
  Options lax;
  lax.permit_zero_suppressed_gtin = true;
  lax.convenience_alphas = true;
  size_t validate_rows = 0, compression_rows = 0;
  for (const TsvRow& row : rows) {
    SCOPED_TRACE(row.where + " " + row["kind"] + " " + row["input"]);
    if (is_compression_row(row["kind"])) continue;
    ASSERT_EQ(row["kind"], "validate");
    ++validate_rows;
    struct Mode {
      const char* name;
      Options options;
      const char* verdict_column;
      const char* element_string_column;
    } modes[] = {
        {"-", Options{}, "syntax_engine_default", "syntax_engine_element_string"},
        {"lax", lax, "syntax_engine_lax", "syntax_engine_lax_element_string"},
    };
    for (const Mode& m : modes) {
      SCOPED_TRACE(m.name);
      auto r = parse_digital_link(row["input"], m.options);
      if (const auto* k = known_disagreement("digital_link_js.tsv", row["input"], m.name)) {
        ASSERT_EQ(verdict(r), k->our_verdict) << k->evidence;
        if (r.ok()) {
          EXPECT_EQ(to_bracketed(r->data), k->our_element_string) << k->evidence;
        }
        continue;
      }
      EXPECT_EQ(verdict(r), row[m.verdict_column]) << (r.ok() ? "" : r.error().message);
      if (r.ok()) {
        EXPECT_EQ(to_bracketed(r->data), row[m.element_string_column]);
      }
    }
  }
  // DL URI compression (DL 1.1 era) is not supported: the compressed form is
  // rejected with a message that says so; the uncompressed form parses.
  for (const TsvRow& row : rows) {
    if (!is_compression_row(row["kind"])) continue;
    SCOPED_TRACE(row.where + " " + row["kind"] + " " + row["input"]);
    ++compression_rows;
    bool compressing = row["kind"].starts_with("compress");
    const std::string& compressed = compressing ? row["expected"] : row["input"];
    const std::string& uncompressed = compressing ? row["input"] : row["expected"];
    auto c = parse_digital_link(compressed, lax);
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.error().code, ErrorCode::NO_GS1_DL_KEYS_FOUND_IN_PATH_INFO);
    EXPECT_NE(c.error().message.find("compressed"), std::string::npos) << c.error().message;
    auto u = parse_digital_link(uncompressed, lax);
    EXPECT_TRUE(u.ok()) << uncompressed << ": " << (u.ok() ? "" : u.error().message);
  }
  EXPECT_EQ(validate_rows, 39u);
  EXPECT_EQ(compression_rows, 8u);
}

TEST(DigitalLinkConformance, AiCoverageCanonicalDlUrisAgreeWithTheEngine) {
  std::vector<TsvRow> rows;
  SERIALTRACK_LOAD_TSV("gs1/ai_coverage.tsv", rows);
  Options o;
  o.check_requisites = false;  // as the samples were checked (README: no-requisite-ais)
  size_t checked = 0;
  for (const TsvRow& row : rows) {
    if (row["dl_uri_canonical"].empty()) continue;
    SCOPED_TRACE(row.where + " " + row["dl_source_element_string"]);
    ++checked;
    std::string got;
    auto data = parse_bracketed(row["dl_source_element_string"], o);
    if (!data.ok()) {
      got = std::string("!").append(error_name(data.error().code));
    } else {
      auto uri = to_digital_link(*data, kCanonicalDlStem, o);
      got = uri.ok() ? *uri : std::string("!").append(error_name(uri.error().code));
    }
    EXPECT_EQ(got, row["dl_uri_canonical"]);
  }
  EXPECT_EQ(checked, 344u);
}

}  // namespace
}  // namespace serialtrack::gs1

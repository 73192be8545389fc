// Conformance of the EPCIS 2.0 JSON-LD codec over the shared reference data:
// every GS1 example in epcis/json/ decodes, and encode -> decode gives the same Document;
// every JSON file under openepcis-test-resources/**/Invalid/ is rejected with an error
// that names a field or an event. (json-simple-context/ is legacy material, not used.)
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "epcis/json_codec.h"
#include "support/tsv.h"

namespace serialtrack::epcis {
namespace {

namespace fs = std::filesystem;

using ::serialtrack::testing::read_file;

std::vector<fs::path> files_under(const fs::path& dir, bool recursive) {
  std::vector<fs::path> out;
  if (!fs::is_directory(dir)) return out;
  if (recursive) {
    for (const auto& e : fs::recursive_directory_iterator(dir))
      if (e.is_regular_file()) out.push_back(e.path());
  } else {
    for (const auto& e : fs::directory_iterator(dir))
      if (e.is_regular_file()) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string describe(const Error& e) {
  return "event " + std::to_string(e.event_index) + ", field '" + e.field + "': " + e.message +
         (e.line ? " (line " + std::to_string(e.line) + ")" : "");
}

// True when the source was one bare event rather than a document.
bool is_bare_event(const std::string& text) {
  auto t = text.find("\"type\"");
  if (t == std::string::npos) return false;
  auto q1 = text.find('"', text.find(':', t) + 1);
  return text.compare(q1 + 1, 8, "EPCISDoc") != 0 && text.compare(q1 + 1, 8, "EPCISQue") != 0;
}

TEST(JsonCodecConformance, EveryGs1ExampleDecodesAndRoundTrips) {
  fs::path dir = serialtrack::testing::shared_testdata() / "epcis" / "json";
  auto files = files_under(dir, false);
  if (files.empty()) GTEST_SKIP() << "skipped: " << dir << " not found";
  size_t decoded = 0, round_tripped = 0, events = 0;
  for (const auto& f : files) {
    SCOPED_TRACE(f.filename().string());
    std::string text = read_file(f);
    auto doc = decode_json(text);
    ASSERT_TRUE(doc.ok()) << f.filename() << ": " << describe(doc.error());
    ++decoded;
    events += doc->events.size();
    for (bool pretty : {false, true}) {
      JsonOptions opt;
      opt.pretty = pretty;
      // A bare event goes back out as a bare event; a document as a document.
      std::string out = is_bare_event(text)
                            ? encode_event_json(doc->events.at(0), opt, doc->namespaces)
                            : encode_json(*doc, opt);
      auto again = decode_json(out);
      ASSERT_TRUE(again.ok()) << describe(again.error()) << "\n" << out;
      EXPECT_TRUE(*again == *doc) << "round trip differs for " << f.filename() << "\n" << out;
      if (*again == *doc && pretty) ++round_tripped;
    }
  }
  std::cout << "[ json/ ] " << decoded << "/" << files.size() << " decoded, " << round_tripped
            << " round-tripped, " << events << " events\n";
  EXPECT_EQ(decoded, files.size());
  EXPECT_EQ(files.size(), 52u);
}

TEST(JsonCodecConformance, EveryInvalidOpenEpcisJsonFileIsRejectedWithAPreciseError) {
  fs::path dir = serialtrack::testing::shared_testdata() / "epcis" / "openepcis-test-resources";
  auto files = files_under(dir, true);
  if (files.empty()) GTEST_SKIP() << "skipped: " << dir << " not found";
  size_t invalid = 0, rejected = 0;
  for (const auto& f : files) {
    std::string rel = fs::relative(f, dir).string();
    if (f.extension() != ".json" && f.extension() != ".jsonld") continue;
    if (rel.find("/Invalid/") == std::string::npos) continue;
    ++invalid;
    SCOPED_TRACE(rel);
    auto doc = decode_json(read_file(f));
    ASSERT_FALSE(doc.ok()) << rel << " was accepted";
    const Error& e = doc.error();
    EXPECT_TRUE(!e.field.empty() || e.event_index >= 0) << rel << ": " << describe(e);
    EXPECT_FALSE(e.message.empty());
    ++rejected;
    std::cout << "[ rejected ] " << rel << " -- " << describe(e) << "\n";
  }
  std::cout << "[ Invalid/ ] " << rejected << "/" << invalid << " JSON files rejected\n";
  EXPECT_EQ(rejected, invalid);
  EXPECT_GT(invalid, 0u);
}

// The other OpenEPCIS 2.0 JSON documents that our reference validation (VALIDATION.tsv)
// found valid decode and round-trip too.
TEST(JsonCodecConformance, OpenEpcisJsonDocumentsValidAgainstTheSchemaRoundTrip) {
  std::vector<serialtrack::testing::TsvRow> rows;
  SERIALTRACK_LOAD_TSV("epcis/VALIDATION.tsv", rows);
  size_t n = 0;
  for (const auto& row : rows) {
    const std::string& path = row["path"];
    if (!path.starts_with("openepcis-test-resources/2.0/JSON/") || row["result"] != "valid" ||
        path.find("/Queries/") != std::string::npos)
      continue;
    SCOPED_TRACE(path);
    std::string text = read_file(serialtrack::testing::shared_testdata() / "epcis" / path);
    auto doc = decode_json(text);
    EXPECT_TRUE(doc.ok()) << path << ": " << describe(doc.error());
    if (!doc.ok()) continue;
    std::string out = is_bare_event(text)
                          ? encode_event_json(doc->events.at(0), {}, doc->namespaces)
                          : encode_json(*doc);
    auto again = decode_json(out);
    EXPECT_TRUE(again.ok()) << describe(again.error());
    if (!again.ok()) continue;
    EXPECT_TRUE(*again == *doc) << out;
    ++n;
  }
  std::cout << "[ openepcis valid ] " << n << " decoded and round-tripped\n";
}

}  // namespace
}  // namespace serialtrack::epcis

// Our JSON-LD output validates against the EPCIS 2.0 JSON Schema
// (schema/json/EPCIS-JSON-Schema.json) with ajv, a third-party validator from npm, run by
// scripts/ajv-validate: every example of epcis/json/ is decoded, encoded (documents as
// documents, bare events as bare events; compact and pretty; identifiers as captured and
// as Digital Link URIs) into a temporary directory, and the script validates them all.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "epcis/json_codec.h"
#include "support/tsv.h"

namespace serialtrack::epcis {
namespace {

namespace fs = std::filesystem;

using ::serialtrack::testing::read_file;

bool is_bare_event(const std::string& text) {
  auto t = text.find("\"type\"");
  if (t == std::string::npos) return false;
  auto q1 = text.find('"', text.find(':', t) + 1);
  return text.compare(q1 + 1, 8, "EPCISDoc") != 0 && text.compare(q1 + 1, 8, "EPCISQue") != 0;
}

// The directory of this test executable: the build directory.
fs::path build_dir() {
  return fs::read_symlink("/proc/self/exe").parent_path();
}

fs::path source_dir() {
  return fs::path(SERIALTRACK_TEST_DATA).parent_path().parent_path();
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

TEST(JsonSchemaValidation, OurEncodingOfEveryExampleValidatesWithAjv) {
  fs::path data = serialtrack::testing::shared_testdata() / "epcis";
  fs::path schema = data / "schema" / "json" / "EPCIS-JSON-Schema.json";
  if (!fs::is_directory(data / "json") || !fs::exists(schema))
    GTEST_SKIP() << "skipped: " << data << " not found";
  if (std::system("command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "skipped: node/npm not installed";

  fs::path out_dir =
      fs::temp_directory_path() / ("serialtrack-json-schema-" + std::to_string(::getpid()));
  fs::create_directories(out_dir);
  std::vector<fs::path> inputs;
  for (const auto& e : fs::directory_iterator(data / "json")) inputs.push_back(e.path());
  std::sort(inputs.begin(), inputs.end());

  std::string files;
  size_t written = 0;
  for (const auto& in : inputs) {
    std::string text = read_file(in);
    auto doc = decode_json(text);
    ASSERT_TRUE(doc.ok()) << in.filename() << ": " << doc.error().message;
    for (int variant = 0; variant < 2; ++variant) {
      JsonOptions opt;
      opt.pretty = variant == 1;
      // The second variant also writes every EPC URN as a Digital Link URI.
      opt.epc_format = variant == 1 ? EpcFormat::kAlwaysDigitalLink : EpcFormat::kNoPreference;
      std::string json = is_bare_event(text)
                             ? encode_event_json(doc->events.at(0), opt, doc->namespaces)
                             : encode_json(*doc, opt);
      fs::path out = out_dir / (in.stem().string() + (variant ? ".dl.json" : ".json"));
      std::ofstream(out, std::ios::binary) << json;
      files += ' ';
      files += shell_quote(out.string());
      ++written;
    }
  }

  fs::path log = out_dir / "ajv.log";
  std::string cmd = shell_quote((source_dir() / "scripts" / "ajv-validate").string()) + " " +
                    shell_quote((build_dir() / "node").string()) + " " +
                    shell_quote(schema.string()) + files + " >" + shell_quote(log.string()) +
                    " 2>&1";
  int rc = std::system(cmd.c_str());
  int status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  std::string report = read_file(log);
  if (status == 77) GTEST_SKIP() << "skipped: node/npm not installed";
  size_t valid = 0;
  for (size_t p = 0; (p = report.find(": valid\n", p)) != std::string::npos; ++p) ++valid;
  std::cout << "[ ajv ] " << valid << "/" << written << " encodings of " << inputs.size()
            << " examples valid against EPCIS-JSON-Schema.json\n";
  EXPECT_EQ(status, 0) << report;
  EXPECT_EQ(valid, written) << report;
  if (status == 0) fs::remove_all(out_dir);
}

}  // namespace
}  // namespace serialtrack::epcis

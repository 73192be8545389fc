// The simulator's documents validate against the EPCIS 2.0 JSON Schema with ajv (a
// third-party validator from npm, run by scripts/ajv-validate, as the EPCIS codec's own
// schema test does): every event type and field the simulator writes, its master data
// header, identifiers as URNs and as GS1 Digital Link URIs.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "epcis/json_codec.h"
#include "sim/recording_sink.h"
#include "sim/simulator.h"
#include "support/tsv.h"

namespace serialtrack::sim {
namespace {

namespace fs = std::filesystem;

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

TEST(SimulatedDocuments, ValidateAgainstTheEpcisJsonSchemaWithAjv) {
  fs::path schema = serialtrack::testing::shared_testdata() / "epcis" / "schema" / "json" /
                    "EPCIS-JSON-Schema.json";
  if (!fs::exists(schema)) GTEST_SKIP() << "skipped: " << schema << " not found";
  if (std::system("command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "skipped: node/npm not installed";
  Config c;
  c.items = 1500;
  c.anomalies = AnomalyRates::all(0.02);
  c.recall_rate = 0.3;
  c.events_per_document = 400;
  RecordingSink sink;
  ASSERT_TRUE(simulate(c, sink));
  fs::path out =
      fs::temp_directory_path() / ("serialtrack-sim-schema-" + std::to_string(::getpid()));
  fs::create_directories(out);
  std::string files;
  for (size_t i = 0; i < sink.documents.size(); ++i)
    for (int dl = 0; dl < 2; ++dl) {
      epcis::JsonOptions options;
      options.epc_format =
          dl ? epcis::EpcFormat::kAlwaysDigitalLink : epcis::EpcFormat::kNoPreference;
      fs::path p = out / ("doc" + std::to_string(i) + (dl ? ".dl.json" : ".json"));
      std::ofstream(p, std::ios::binary) << epcis::encode_json(sink.documents[i], options);
      files += ' ';
      files += shell_quote(p.string());
    }
  fs::path build = fs::read_symlink("/proc/self/exe").parent_path();
  fs::path source = fs::path(SERIALTRACK_TEST_DATA).parent_path().parent_path();
  fs::path log = out / "ajv.log";
  std::string cmd = shell_quote((source / "scripts" / "ajv-validate").string()) + " " +
                    shell_quote((build / "node").string()) + " " + shell_quote(schema.string()) +
                    files + " >" + shell_quote(log.string()) + " 2>&1";
  int rc = std::system(cmd.c_str());
  int status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  std::stringstream report;
  report << std::ifstream(log).rdbuf();
  if (status == 77) GTEST_SKIP() << "skipped: node/npm not installed";
  size_t valid = 0;
  std::string text = report.str();
  for (size_t p = 0; (p = text.find(": valid\n", p)) != std::string::npos; ++p) ++valid;
  EXPECT_EQ(status, 0) << text.substr(0, 4000);
  EXPECT_EQ(valid, 2 * sink.documents.size()) << text.substr(0, 4000);
  if (status == 0) fs::remove_all(out);
}

}  // namespace
}  // namespace serialtrack::sim

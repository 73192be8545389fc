// A document accepted in one EPCIS binding can be answered in the other: every GS1 JSON
// example written as XML decodes again, every XML example (2.0 and 1.2) written as JSON
// decodes again, and both keep the same events. Reads ../shared/testdata/epcis in place.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "epcis/json_codec.h"
#include "epcis/xml_codec.h"
#include "support/tsv.h"

namespace serialtrack::epcis {
namespace {

namespace fs = std::filesystem;
using serialtrack::testing::read_file;

fs::path epcis_dir() {
  return serialtrack::testing::shared_testdata() / "epcis";
}

std::vector<fs::path> files_in(const fs::path& dir, std::initializer_list<const char*> exts) {
  std::vector<fs::path> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && std::any_of(exts.begin(), exts.end(), [&](const char* x) {
          return e.path().extension() == x;
        }))
      out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string describe(const Error& e) {
  return e.message + " [event " + std::to_string(e.event_index) + ", field '" + e.field + "']";
}

// What a binding carries of an event whatever the other did: its type, time, ID and
// what it names. (Extensions without a namespace have no JSON form and are left out.)
void expect_same_events(const Document& a, const Document& b) {
  ASSERT_EQ(a.events.size(), b.events.size());
  for (size_t i = 0; i < a.events.size(); ++i) {
    SCOPED_TRACE("event " + std::to_string(i));
    const Event &x = a.events[i], &y = b.events[i];
    EXPECT_EQ(x.type, y.type);
    EXPECT_EQ(x.extension_type, y.extension_type);
    EXPECT_EQ(x.event_time, y.event_time);
    EXPECT_EQ(x.event_id, y.event_id);
    EXPECT_EQ(x.action, y.action);
    EXPECT_EQ(x.epc_list, y.epc_list);
    EXPECT_EQ(x.parent_id, y.parent_id);
    EXPECT_EQ(x.biz_step, y.biz_step);
    EXPECT_EQ(x.disposition, y.disposition);
    EXPECT_EQ(x.persistent_disposition, y.persistent_disposition);
    EXPECT_EQ(x.read_point, y.read_point);
    EXPECT_EQ(x.biz_location, y.biz_location);
    EXPECT_EQ(x.quantity_list, y.quantity_list);
    EXPECT_EQ(x.sensor_elements.size(), y.sensor_elements.size());
  }
}

// Each file that decodes in one binding is written in the other and must decode to the
// same events. Returns how many.
template <class From, class Write, class Back>
size_t convert_each(const std::vector<fs::path>& files, From from, Write write, Back back) {
  size_t n = 0;
  for (const auto& f : files) {
    SCOPED_TRACE(f.filename().string());
    auto doc = from(read_file(f));
    if (!doc.ok()) continue;  // the codec's own conformance test says which decode
    std::string text = write(*doc);
    auto again = back(text);
    EXPECT_TRUE(again.ok()) << describe(again.error()) << "\n" << text;
    if (!again.ok()) continue;
    expect_same_events(*doc, *again);
    ++n;
  }
  return n;
}

TEST(CrossFormatConformance, EveryJsonExampleWrittenAsXmlDecodesToTheSameEvents) {
  auto files = files_in(epcis_dir() / "json", {".json", ".jsonld"});
  if (files.empty())
    GTEST_SKIP() << "skipped: " << epcis_dir() / "json"
                 << " not found";
  size_t n = convert_each(
      files, [](const std::string& t) { return decode_json(t); },
      [](const Document& d) { return encode_xml(d); },
      [](const std::string& t) { return decode_xml(t); });
  std::cout << "[ json -> xml ] " << n << "/" << files.size() << " documents\n";
  EXPECT_GT(n, 40u);
}

TEST(CrossFormatConformance, EveryXmlExampleWrittenAsJsonDecodesToTheSameEvents) {
  auto files = files_in(epcis_dir() / "xml", {".xml"});
  auto v12 = files_in(epcis_dir() / "xml" / "epcis-1.2", {".xml"});
  files.insert(files.end(), v12.begin(), v12.end());
  if (files.empty())
    GTEST_SKIP() << "skipped: " << epcis_dir() / "xml"
                 << " not found";
  // Capture job documents in xml/ are no EPCIS documents and do not decode.
  size_t n = convert_each(
      files, [](const std::string& t) { return decode_xml(t); },
      [](const Document& d) { return encode_json(d); },
      [](const std::string& t) { return decode_json(t); });
  std::cout << "[ xml -> json ] " << n << "/" << files.size() << " documents\n";
  EXPECT_GT(n, 30u);
}

}  // namespace
}  // namespace serialtrack::epcis

// Conformance of the CBV 2.0 §8.9 event hash with the reference implementation's
// published vectors (shared testdata epcis/hash/): every X.jsonld / X.xml with an
// X.hashes gives exactly those lines (63 in all) and, where X.prehashes is
// trustworthy, those pre-hash strings; every file of expected_equal/ hashes all its
// events to one value; the gs1-identical-hash-id documents all give one value.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <pugixml.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "epcis/event_hash.h"
#include "epcis/json_codec.h"
#include "epcis/xml_codec.h"
#include "support/tsv.h"

namespace serialtrack::epcis {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> read_lines(const fs::path& p) {
  std::vector<std::string> lines;
  std::ifstream in(p);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();  // trailing empty line
  return lines;
}

fs::path hash_dir() {
  return serialtrack::testing::shared_testdata() / "epcis" / "hash";
}

std::string describe(const Error& e) {
  return "event " + std::to_string(e.event_index) + ", field '" + e.field + "': " + e.message;
}

// --- the "ignoreFields" repository extension of the vectors ------------------------------

// JSON: any member "<prefix>:ignoreFields" whose value lists CURIEs of event fields.
void json_ignore_fields(const boost::json::value& v, const Document& doc, HashContext& ctx) {
  if (v.is_array()) {
    for (const auto& x : v.as_array()) json_ignore_fields(x, doc, ctx);
    return;
  }
  if (!v.is_object()) return;
  for (const auto& kv : v.as_object()) {
    std::string_view key = kv.key();
    if (key.ends_with(":ignoreFields") && kv.value().is_array()) {
      for (const auto& f : kv.value().as_array()) {
        if (!f.is_string()) continue;
        std::string_view curie = f.as_string();
        size_t colon = curie.find(':');
        if (colon == std::string_view::npos) continue;
        std::string_view prefix = curie.substr(0, colon);
        for (const auto& [p, uri] : doc.namespaces)
          if (p == prefix)
            ctx.ignored_fields.emplace_back(uri, std::string(curie.substr(colon + 1)));
      }
    } else if (key != "eventList") {
      json_ignore_fields(kv.value(), doc, ctx);
    }
  }
}

std::string xml_namespace_of(pugi::xml_node n, std::string_view prefix) {
  std::string attr = prefix.empty() ? "xmlns" : "xmlns:" + std::string(prefix);
  for (; n; n = n.parent())
    if (auto a = n.attribute(attr.c_str())) return a.value();
  return "";
}

// XML: any element <prefix:ignoreFields> whose children are empty elements naming the
// event fields.
void xml_ignore_fields(pugi::xml_node n, HashContext& ctx) {
  for (auto child : n.children()) {
    if (child.type() != pugi::node_element) continue;
    std::string_view name = child.name();
    std::string_view local =
        name.substr(name.find(':') == std::string_view::npos ? 0 : name.find(':') + 1);
    if (local == "EventList") continue;
    if (local == "ignoreFields") {
      for (auto f : child.children()) {
        if (f.type() != pugi::node_element) continue;
        std::string_view fname = f.name();
        size_t colon = fname.find(':');
        std::string_view prefix = colon == std::string_view::npos ? "" : fname.substr(0, colon);
        std::string_view flocal = colon == std::string_view::npos ? fname : fname.substr(colon + 1);
        ctx.ignored_fields.emplace_back(xml_namespace_of(f, prefix), std::string(flocal));
      }
      continue;
    }
    xml_ignore_fields(child, ctx);
  }
}

// A decoded document and the context its events hash in.
struct Decoded {
  Document doc;
  HashContext ctx;
};

std::optional<Decoded> decode_file(const fs::path& p, std::string* error) {
  std::string text = read_text(p);
  Decoded out;
  if (p.extension() == ".xml") {
    XmlDecodeOptions options;
    options.strict = false;
    auto doc = decode_xml(text, options);
    if (!doc) {
      *error = describe(doc.error());
      return std::nullopt;
    }
    out.doc = std::move(*doc);
    out.ctx.syntax = HashContext::Syntax::kXml;
    pugi::xml_document x;
    if (x.load_buffer(text.data(), text.size())) xml_ignore_fields(x, out.ctx);
  } else {
    auto doc = decode_json(text);
    if (!doc) {
      *error = describe(doc.error());
      return std::nullopt;
    }
    out.doc = std::move(*doc);
    out.ctx.syntax = HashContext::Syntax::kJsonLd;
    out.ctx.namespaces = out.doc.namespaces;
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (!ec) json_ignore_fields(v, out.doc, out.ctx);
  }
  return out;
}

// Stale .prehashes (README "Hash vectors"): their hashes are right, their text is not.
const std::set<std::string>& stale_prehashes() {
  static const std::set<std::string> kStale = {"epcisDocWithAllGS1Keys",
                                               "epcisDocWithCustomSchemaInContext",
                                               "epcisDocWithDefaultSchemaInContext"};
  return kStale;
}

TEST(EventHashConformance, EveryExampleGivesItsPublishedHashes) {
  fs::path dir = hash_dir() / "ralphtro" / "examples";
  if (!fs::is_directory(dir)) GTEST_SKIP() << "skipped: " << dir << " not found";
  std::vector<fs::path> hash_files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".hashes") hash_files.push_back(e.path());
  std::sort(hash_files.begin(), hash_files.end());

  size_t lines_total = 0, lines_matched = 0, inputs = 0, prehashes_checked = 0;
  for (const auto& hashes_path : hash_files) {
    std::string stem = hashes_path.stem().string();
    auto expected = read_lines(hashes_path);
    lines_total += expected.size();
    fs::path prehash_path = dir / (stem + ".prehashes");
    bool check_prehash = fs::exists(prehash_path) && !stale_prehashes().count(stem);
    auto expected_pre = check_prehash ? read_lines(prehash_path) : std::vector<std::string>{};
    // A line counts as matched when every input syntax of the file gives it.
    std::vector<bool> line_ok(expected.size(), true);
    size_t syntaxes = 0;
    for (std::string ext : {".jsonld", ".xml"}) {
      fs::path input = dir / (stem + ext);
      if (!fs::exists(input)) continue;
      ++syntaxes;
      ++inputs;
      std::string error;
      auto d = decode_file(input, &error);
      if (!d) {
        ADD_FAILURE() << input.filename() << " does not decode: " << error;
        std::fill(line_ok.begin(), line_ok.end(), false);
        continue;
      }
      const auto& events = d->doc.events;
      EXPECT_EQ(events.size(), expected.size()) << input.filename();
      for (size_t i = 0; i < expected.size(); ++i) {
        if (i >= events.size()) {
          line_ok[i] = false;
          continue;
        }
        std::string pre = event_prehash(events[i], d->ctx);
        std::string id = hash_id_of_prehash(pre);
        if (id != expected[i]) {
          line_ok[i] = false;
          ADD_FAILURE() << input.filename() << " event " << i << ": " << id << "\n  expected "
                        << expected[i] << "\n  prehash  " << pre
                        << (i < expected_pre.size() ? "\n  expected " + expected_pre[i] : "");
        }
        if (check_prehash && i < expected_pre.size()) {
          EXPECT_EQ(pre, expected_pre[i]) << input.filename() << " event " << i;
          ++prehashes_checked;
        }
      }
    }
    if (syntaxes == 0) ADD_FAILURE() << stem << ".hashes has no input document";
    lines_matched += static_cast<size_t>(std::count(line_ok.begin(), line_ok.end(), true));
  }
  EXPECT_EQ(lines_total, 63u);
  EXPECT_EQ(lines_matched, lines_total);
  std::cout << "[ hashes ] " << lines_matched << "/" << lines_total << " lines of "
            << hash_files.size() << " .hashes files match (" << inputs << " input documents, "
            << prehashes_checked << " pre-hash strings compared)\n";
}

TEST(EventHashConformance, EveryExpectedEqualFileGivesOneValue) {
  fs::path dir = hash_dir() / "ralphtro" / "expected_equal";
  if (!fs::is_directory(dir)) GTEST_SKIP() << "skipped: " << dir << " not found";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  size_t sets_ok = 0;
  for (const auto& f : files) {
    std::string error;
    auto d = decode_file(f, &error);
    if (!d) {
      ADD_FAILURE() << f.filename() << " does not decode: " << error;
      continue;
    }
    ASSERT_GE(d->doc.events.size(), 2u) << f.filename();
    std::set<std::string> ids;
    for (const auto& e : d->doc.events) ids.insert(event_hash_id(e, d->ctx));
    if (ids.size() == 1) {
      ++sets_ok;
    } else {
      std::string pres;
      for (const auto& e : d->doc.events) pres += "\n  " + event_prehash(e, d->ctx);
      ADD_FAILURE() << f.filename() << " gives " << ids.size() << " values:" << pres;
    }
  }
  EXPECT_EQ(sets_ok, files.size());
  std::cout << "[ equal  ] " << sets_ok << "/" << files.size()
            << " expected_equal files give one value\n";
}

// GS1's "identical hash ID" documents: a base event, the same in another time zone,
// EPCs shuffled, quantity list shuffled, another namespace prefix, xsi:type on
// extensions, and _7.json, whose URN CBV values the EPCIS 2.0 JSON Schema forbids but
// our decoder accepts (it is the same event, so it must give the same ID).
// _2.xml also changes eventTimeZoneOffset (-06:00 -> -05:00), which CBV 2.0 §8.9 and
// every reference vector hash, so it gives its own ID; it must differ in nothing else.
TEST(EventHashConformance, Gs1IdenticalHashIdDocumentsGiveOneValue) {
  fs::path dir = hash_dir() / "gs1-identical-hash-id";
  if (!fs::is_directory(dir)) GTEST_SKIP() << "skipped: " << dir << " not found";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  ASSERT_EQ(files.size(), 7u);
  std::map<std::string, std::vector<std::string>> by_id;
  std::string prehashes;
  for (const auto& f : files) {
    std::string error;
    auto d = decode_file(f, &error);
    ASSERT_TRUE(d) << f.filename() << ": " << error;
    ASSERT_EQ(d->doc.events.size(), 1u) << f.filename();
    std::string pre = event_prehash(d->doc.events[0], d->ctx);
    if (f.filename() == "event_with_identical_hash_id_2.xml") {
      constexpr std::string_view kOwn = "eventTimeZoneOffset=-05:00";
      size_t at = pre.find(kOwn);
      ASSERT_NE(at, std::string::npos) << pre;
      pre.replace(at, kOwn.size(), "eventTimeZoneOffset=-06:00");
    }
    by_id[hash_id_of_prehash(pre)].push_back(f.filename().string());
    prehashes += "\n  " + f.filename().string() + ": " + pre;
  }
  EXPECT_EQ(by_id.size(), 1u) << prehashes;
  if (!by_id.empty())
    std::cout << "[ gs1    ] " << by_id.begin()->second.size() << "/7 documents give "
              << by_id.begin()->first << " (_2.xml once its eventTimeZoneOffset is -06:00)\n";
}

}  // namespace
}  // namespace serialtrack::epcis

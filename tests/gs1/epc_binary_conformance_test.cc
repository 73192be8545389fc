// Conformance of the EPC codecs with the reference vectors of ../shared/testdata/gs1:
// epc_binary.tsv (generated, cross-checked), epc_invalid.tsv (error classes) and
// epc_tds_examples.tsv (TDS 1.13 Appendix E.3). Every row is run both ways:
// hex -> tag URI -> pure identity -> element string, and back to hex.
#include <gtest/gtest.h>

#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "gs1/ai_table.h"
#include "gs1/digital_link.h"
#include "gs1/element_string.h"
#include "gs1/epc.h"
#include "support/tsv.h"

namespace serialtrack::gs1 {
namespace {

using serialtrack::testing::TsvRow;

// "(01)0952...(21)A\(B" as the reference files write it: "(" in a value is "\(". A local
// writer, so that a fault in ours and one in to_bracketed cannot hide each other.
std::string bracketed(const AiData& data) {
  std::string out;
  for (AiElement el : data) {
    out += '(';
    out += el.ai;
    out += ')';
    for (char c : el.value) {
      if (c == '(') out += '\\';
      out += c;
    }
  }
  return out;
}

// A tiny local reader of the bracketed form, enough for these files (valid input only).
AiData split_bracketed(const std::string& s) {
  AiData data;
  size_t i = 0;
  while (i < s.size() && s[i] == '(') {
    size_t close = s.find(')', i);
    std::string ai = s.substr(i + 1, close - i - 1);
    std::string value;
    i = close + 1;
    while (i < s.size() && s[i] != '(') {
      if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == '(') ++i;
      value += s[i++];
    }
    data.add(ai, value, find_ai(ai), 0);
  }
  return data;
}

// The GCP of a pure-identity URI: the first component after "urn:epc:id:<scheme>:".
size_t gcp_length_of(const std::string& pure_uri) {
  size_t colon = pure_uri.rfind(':', pure_uri.find('.'));
  return pure_uri.find('.') - colon - 1;
}

int hex_nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

// True when the first bits of a and b agree and every later bit of both is zero.
bool same_significant_bits(const std::string& a, const std::string& b, size_t bits) {
  size_t n = std::max(a.size(), b.size()) * 4;
  for (size_t i = 0; i < n; ++i) {
    auto bit = [&](const std::string& h) {
      return i / 4 < h.size() ? (hex_nibble(h[i / 4]) >> (3 - i % 4)) & 1 : 0;
    };
    if (i < bits ? bit(a) != bit(b) : bit(a) != 0) return false;
  }
  return true;
}

// Which filter a tag URI holds (the digit after the scheme), or 0 for GID.
uint8_t filter_of(const std::string& tag_uri) {
  size_t colon = tag_uri.find(':', 12);
  char c = tag_uri[colon + 1];
  return tag_uri.compare(12, 3, "gid") == 0 ? 0 : static_cast<uint8_t>(c - '0');
}

// One row both ways; scheme is the tag scheme name, bits its significant size.
void check_row(const TsvRow& row, const std::string& scheme_name, const std::string& hex,
               const std::string& tag_uri, const std::string& pure_uri,
               const std::string& element_string, bool exact_hex) {
  SCOPED_TRACE(row.where);
  auto scheme = tag_scheme_from_name(scheme_name);
  ASSERT_TRUE(scheme.has_value()) << scheme_name;

  // hex -> tag URI -> pure identity -> element string
  auto tag = decode_epc_hex(hex);
  ASSERT_TRUE(tag.ok()) << hex << ": " << tag.error().name() << " " << tag.error().message;
  EXPECT_EQ(tag->scheme, *scheme);
  EXPECT_EQ(to_tag_uri(*tag), tag_uri);
  EXPECT_EQ(to_epc_uri(tag->epc), pure_uri);
  if (!element_string.empty()) {
    auto ai = to_ai_data(tag->epc);
    ASSERT_TRUE(ai.ok()) << ai.error().name();
    EXPECT_EQ(bracketed(*ai), element_string);
    EXPECT_EQ(to_bracketed(*ai), element_string);
  }

  // tag URI -> hex
  auto parsed_tag = parse_tag_uri(tag_uri);
  ASSERT_TRUE(parsed_tag.ok()) << tag_uri << ": " << parsed_tag.error().name() << " "
                               << parsed_tag.error().message;
  EXPECT_EQ(*parsed_tag, *tag);
  auto encoded = encode_epc_hex(*parsed_tag);
  ASSERT_TRUE(encoded.ok()) << encoded.error().name();
  if (exact_hex) {
    EXPECT_EQ(*encoded, hex);
  } else {
    size_t bits = scheme == TagScheme::CPI_VAR ? encoded->size() * 4 : tag_scheme_bits(*scheme);
    EXPECT_TRUE(same_significant_bits(*encoded, hex, bits)) << *encoded << " vs " << hex;
  }

  // pure identity URI -> the same identity
  auto pure = parse_epc_uri(pure_uri);
  ASSERT_TRUE(pure.ok()) << pure_uri << ": " << pure.error().name();
  EXPECT_EQ(*pure, tag->epc);
  EXPECT_EQ(to_epc_uri(*pure), pure_uri);

  // element string -> pure identity -> tag (same scheme and filter) -> hex
  if (!element_string.empty()) {
    AiData data = split_bracketed(element_string);
    auto parsed = parse_bracketed(element_string);
    ASSERT_TRUE(parsed.ok()) << element_string << ": " << parsed.error().name();
    ASSERT_EQ(bracketed(*parsed), bracketed(data));
    auto epc = epc_from_ai_data(*parsed, gcp_length_of(pure_uri));
    ASSERT_TRUE(epc.ok()) << element_string << ": " << epc.error().name() << " "
                          << epc.error().message;
    EXPECT_EQ(to_epc_uri(*epc), pure_uri);
    auto back = make_tag(*epc, *scheme, filter_of(tag_uri));
    ASSERT_TRUE(back.ok()) << back.error().name();
    auto back_hex = encode_epc_hex(*back);
    ASSERT_TRUE(back_hex.ok());
    EXPECT_EQ(*back_hex, *encoded);
  }
}

TEST(EpcBinaryConformance, EveryGeneratedVectorConvertsBothWays) {
  std::vector<TsvRow> rows;
  SERIALTRACK_LOAD_TSV("gs1/epc_binary.tsv", rows);
  ASSERT_EQ(rows.size(), 260u);
  for (const TsvRow& row : rows) {
    check_row(row, row["scheme"], row["hex"], row["tag_uri"], row["pure_identity_uri"],
              row["element_string"], true);
  }
  std::cout << "epc_binary.tsv: " << rows.size() << " rows checked\n";
}

TEST(EpcBinaryConformance, EveryTdsAppendixExampleConvertsBothWays) {
  std::vector<TsvRow> rows;
  SERIALTRACK_LOAD_TSV("gs1/epc_tds_examples.tsv", rows);
  ASSERT_EQ(rows.size(), 21u);
  size_t checked = 0;
  std::vector<std::string> not_implemented;
  for (const TsvRow& row : rows) {
    std::string name = row["scheme"];
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!tag_scheme_from_name(name)) {
      not_implemented.push_back(row["scheme"]);  // USDOD-96, ADI-var: not GS1 keys
      continue;
    }
    check_row(row, name, row["hex_as_printed"], row["tag_uri"], row["pure_identity_uri"],
              row["element_string"], false);
    ++checked;
  }
  EXPECT_EQ(checked, 19u);
  std::cout << "epc_tds_examples.tsv: " << checked << " rows checked, not implemented:";
  for (const auto& s : not_implemented) std::cout << ' ' << s;
  std::cout << '\n';
}

TEST(EpcBinaryConformance, EveryInvalidInputFailsWithItsErrorClass) {
  std::vector<TsvRow> rows;
  SERIALTRACK_LOAD_TSV("gs1/epc_invalid.tsv", rows);
  ASSERT_EQ(rows.size(), 35u);
  for (const TsvRow& row : rows) {
    SCOPED_TRACE(row.where + " " + row["input"]);
    const std::string& want = row["expected_error"];
    std::string got;
    if (row["input_kind"] == "hex") {
      auto r = decode_epc_hex(row["input"]);
      got = r.ok() ? "OK" : std::string(r.error().name());
      if (r.ok() && want == "OK") {
        // The accepted boundary cases must still encode back to their significant bits.
        auto hex = encode_epc_hex(*r);
        ASSERT_TRUE(hex.ok());
        EXPECT_TRUE(same_significant_bits(*hex, row["input"], tag_scheme_bits(r->scheme)));
        size_t arrow = row["note"].find("-> ");
        if (arrow != std::string::npos) {
          EXPECT_EQ(to_tag_uri(*r), row["note"].substr(arrow + 3));
        }
      }
    } else {
      auto r = parse_tag_uri(row["input"]);
      got = r.ok() ? "OK" : std::string(r.error().name());
      if (r.ok()) {
        EXPECT_EQ(to_tag_uri(*r), row["input"]);
      }
    }
    EXPECT_EQ(got, want) << row["note"];
  }
  std::cout << "epc_invalid.tsv: " << rows.size() << " rows checked\n";
}

TEST(EpcBinaryConformance, EveryTagGivesTheCanonicalDigitalLink) {
  std::vector<TsvRow> rows;
  SERIALTRACK_LOAD_TSV("gs1/epc_binary.tsv", rows);
  size_t checked = 0;
  for (const auto& row : rows) {
    if (row["canonical_dl_uri"].empty()) continue;
    auto tag = decode_epc_hex(row["hex"]);
    ASSERT_TRUE(tag.ok()) << row.where;
    auto ais = to_ai_data(tag->epc);
    ASSERT_TRUE(ais.ok()) << row.where;
    auto dl = to_digital_link(*ais);
    ASSERT_TRUE(dl.ok()) << row.where << " " << dl.error().name();
    EXPECT_EQ(*dl, row["canonical_dl_uri"]) << row.where;
    ++checked;
  }
  EXPECT_GT(checked, 0u);
}

}  // namespace
}  // namespace serialtrack::gs1

// The Application Identifier table: every AI of the GS1 General Specifications as
// the GS1 Barcode Syntax Dictionary (release 2026-01-27) describes it. The table
// itself is data (ai_table.cc), generated once by scripts/gen-ai-table from
// ../shared/testdata/gs1/gs1-syntax-dictionary.txt. Immutable; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "gs1/lint/lint.h"

namespace serialtrack::gs1 {

// Character set of a component (GenSpecs 7.11): N digits, X CSET 82, Y CSET 39,
// Z CSET 64 (base64url, AI 8030).
enum class Cset : uint8_t { N, X, Y, Z };

// One component of an AI's data field, e.g. "N6,yymmd0" or "[X..17]".
struct AiComponent {
  Cset cset;
  uint8_t min;             // min == max for a fixed-length component
  uint8_t max;
  bool optional;           // "[...]": may be absent once the data is exhausted
  lint::Linter linters[3]; // content checks in order; nullptr ends the list
};

struct AiEntry {
  std::string_view ai;         // "01", "3103", "8006" (ranges are expanded)
  bool fnc1_required;          // false for pre-defined length AIs ("*" flag)
  bool dl_data_attribute;      // "?" flag: may appear as a GS1 Digital Link attribute
  uint8_t component_count;
  AiComponent components[5];
  std::string_view title;      // "GTIN", "BATCH/LOT"
  std::string_view req;        // "req=" groups, space-separated when repeated ("01,02 21")
  std::string_view ex;         // "ex=" list, comma-separated ("01,02,37"; "310n" is a pattern)
  bool dl_primary_key;         // "dlpkey"
  std::string_view dl_qualifiers;  // "22,10,21|235": alternative ordered qualifier lists

  uint8_t min_value_length;    // of the whole value: sum of the mandatory components
  uint8_t max_value_length;    // of the whole value: sum of all components

  size_t min_length() const { return min_value_length; }
  size_t max_length() const { return max_value_length; }
  bool fixed_length() const { return min_length() == max_length(); }
};

// Every AI, in the dictionary's order.
std::span<const AiEntry> all_ais();

// The entry of an AI given exactly ("01", "3103"), or nullptr when unknown.
const AiEntry* find_ai(std::string_view ai);

// The AI that begins data (AIs are prefix-free, GenSpecs 3.2), or nullptr.
const AiEntry* match_ai_prefix(std::string_view data);

// Length of the AIs that begin with these two digits (2, 3 or 4; all AIs sharing two
// leading digits have one length), or 0 when no known AI starts with them.
size_t ai_length_for_prefix(std::string_view two_digits);

// Looks up the AI at the start of data, as GS1's reference parser does. ai_length 0:
// the AI is whatever known AI prefixes data (barcode messages); otherwise exactly
// data[0, ai_length) (bracketed input, Digital Link). With permit_unknown an AI that
// is not in the table is accepted when its length agrees with the AI-prefix table,
// and gets a stand-in entry (is_unknown_ai) whose value rules come from the
// predefined-length prefixes of GenSpecs Figure 7.8.5-2 (else X..90 with FNC1).
// nullptr when no AI can be had; in prefix mode also for an unknown AI whose length
// cannot be known. Never allocates.
const AiEntry* lookup_ai(std::string_view data, size_t ai_length, bool permit_unknown);

// True for the stand-in entries of unknown AIs.
bool is_unknown_ai(const AiEntry* entry);

}  // namespace serialtrack::gs1

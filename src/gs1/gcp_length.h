// GS1 Company Prefix lengths: which leading digits of a GS1 key are its company
// prefix. A key does not say this itself (GS1 GenSpecs 1.4.4), yet an EPC URI needs it
// (TDS 7.1), so it comes from a table of prefixes, as GS1's "GCP length prefix list".
//
// File format, one entry per line:
//     <digits><TAB or spaces><length>      e.g. "0614141\t7"
// digits: 1-13 digits, the first digits of the key from where the company prefix
// starts (the GTIN-13 digits of a GTIN-14 after its indicator, the GLN, the SSCC after
// its extension digit); length: the company prefix length, 6-12 (0 is accepted and
// means "no GCP: this range is not assigned"). Blank lines and everything after a '#'
// are ignored. The longest matching prefix wins; a later duplicate replaces an earlier.
//
// A GcpLengthTable is immutable once built: safe for concurrent lookups from many
// threads without synchronisation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gs1/error.h"

namespace serialtrack::gs1 {

class GcpLengthTable {
 public:
  // An empty table: every lookup is "not found".
  GcpLengthTable() = default;

  // Builds a table from text in the format above. Error GCP_TABLE_INVALID_LINE with
  // position = byte offset of the bad line.
  static Result<GcpLengthTable> parse(std::string_view text);

  // Reads and parses a file. Error GCP_TABLE_UNREADABLE when it cannot be read.
  static Result<GcpLengthTable> load(const std::string& path);

  // The GCP length for a key whose company prefix starts at key[0] (digits beyond the
  // prefix are ignored): the length of the longest matching prefix, or nullopt when no
  // prefix matches or the matching range has length 0.
  std::optional<size_t> lookup(std::string_view key) const;

  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    char digits[13];
    uint8_t digit_count;
    uint8_t gcp_length;
    std::string_view prefix() const { return {digits, digit_count}; }
  };
  std::vector<Entry> entries_;    // sorted by prefix, unique
  uint16_t lengths_present_ = 0;  // bit n: some prefix has n digits
};

}  // namespace serialtrack::gs1

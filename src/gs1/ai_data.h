// AiData: the AI element strings of one barcode message, in the order they came,
// each with its AI table entry. Values are stored unescaped (raw CSET 82 text).
// A value type; one AiData may be reused across parses (clear() keeps capacity) so a
// hot loop allocates nothing. Not thread-safe for concurrent mutation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gs1/ai_table.h"

namespace serialtrack::gs1 {

// Options that widen or narrow what is accepted. Defaults are strict: the defaults
// of GS1's reference implementation.
struct Options {
  bool permit_unknown_ais = false;           // accept AIs not in the table
  bool permit_zero_suppressed_gtin = false;  // GTIN-8/12/13 in a Digital Link URI
  bool check_requisites = true;              // false: skip "req=" (no-requisite-ais)
  bool check_associations = true;            // false: skip every association rule
  bool unknown_ai_dl_attr = false;           // unknown AIs as Digital Link attributes
  bool add_check_digit = false;              // compute key check digits, do not check
  bool convenience_alphas = false;           // DL short names such as "gtin", "ser"
  // '|' separates a 2D composite component in an element string (GenSpecs 5.11, GS1's
  // notation). false where the text is what a reader sent: there '|' is just a
  // character, and not one of CSET 82.
  bool composite_separator = true;
};

// One AI and its value, as seen through AiData.
struct AiElement {
  std::string_view ai;
  std::string_view value;
  const AiEntry* entry;   // nullptr for an unknown AI accepted with permit_unknown_ais
  size_t position;        // where the value started in the parsed input
};

class AiData {
 public:
  void clear() {
    elements_.clear();
    storage_.clear();
    composite_start_ = kNoComposite;
  }
  bool empty() const { return elements_.empty(); }
  size_t size() const { return elements_.size(); }
  AiElement operator[](size_t i) const {
    const Slot& s = elements_[i];
    std::string_view st(storage_);
    return {st.substr(s.ai_offset, s.ai_length), st.substr(s.value_offset, s.value_length),
            s.entry, s.position};
  }

  // Appends an element; ai and value are copied. position is where the value began
  // in the input (for error reports).
  void add(std::string_view ai, std::string_view value, const AiEntry* entry, size_t position = 0);

  // A barcode with a 2D composite component (GS1 GenSpecs 5.11): elements from
  // index composite_start() on belong to the composite; kNoComposite when none.
  static constexpr size_t kNoComposite = static_cast<size_t>(-1);
  void mark_composite_start() { composite_start_ = elements_.size(); }
  size_t composite_start() const { return composite_start_; }

  // The value of the first element with this AI, or nullopt.
  std::optional<std::string_view> get(std::string_view ai) const;
  bool has(std::string_view ai) const { return get(ai).has_value(); }

  class iterator {
   public:
    iterator(const AiData* d, size_t i) : d_(d), i_(i) {}
    AiElement operator*() const { return (*d_)[i_]; }
    iterator& operator++() { ++i_; return *this; }
    bool operator!=(const iterator& o) const { return i_ != o.i_; }
    bool operator==(const iterator& o) const { return i_ == o.i_; }
   private:
    const AiData* d_;
    size_t i_;
  };
  iterator begin() const { return {this, 0}; }
  iterator end() const { return {this, elements_.size()}; }

 private:
  struct Slot {
    const AiEntry* entry;
    uint32_t ai_offset;
    uint32_t value_offset;
    uint32_t value_length;
    uint32_t position;
    uint8_t ai_length;
  };
  std::vector<Slot> elements_;
  std::string storage_;
  size_t composite_start_ = kNoComposite;
};

}  // namespace serialtrack::gs1

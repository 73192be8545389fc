#include "gs1/ai_table.h"

#include <array>
#include <cstring>

namespace serialtrack::gs1 {

extern const AiEntry kAiTable[];
extern const size_t kAiTableSize;

namespace {

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_digits(std::string_view s) {
  for (char c : s)
    if (!is_digit(c)) return false;
  return true;
}

int number(std::string_view digits) {
  int n = 0;
  for (char c : digits) n = n * 10 + (c - '0');
  return n;
}

// Index of the table by AI length and numeric value: 2-, 3- and 4-digit AIs.
struct Index {
  std::array<uint8_t, 100> length_by_prefix{};
  std::array<int16_t, 100> two{};
  std::array<int16_t, 1000> three{};
  std::array<int16_t, 10000> four{};

  Index() {
    two.fill(-1);
    three.fill(-1);
    four.fill(-1);
    for (size_t i = 0; i < kAiTableSize; ++i) {
      std::string_view ai = kAiTable[i].ai;
      length_by_prefix[number(ai.substr(0, 2))] = static_cast<uint8_t>(ai.size());
      int n = number(ai);
      auto idx = static_cast<int16_t>(i);
      if (ai.size() == 2) two[n] = idx;
      else if (ai.size() == 3) three[n] = idx;
      else four[n] = idx;
    }
  }

  const AiEntry* find(std::string_view ai) const {
    int n = number(ai);
    int16_t i = ai.size() == 2 ? two[n] : ai.size() == 3 ? three[n] : four[n];
    return i < 0 ? nullptr : &kAiTable[i];
  }
};

const Index& index() {
  static const Index idx;
  return idx;
}

// GenSpecs Figure 7.8.5-2: AI prefixes with a predefined value length, for which no
// FNC1 separator follows. Consulted only for AIs missing from the table.
constexpr uint8_t kPredefinedValueLength[100] = {
    18, 14, 14, 14, 16, 0, 0, 0, 0, 0,  // 00-09
    0,  6,  6,  6,  6,  6, 6, 6, 6, 6,  // 10-19
    2,  0,  0,  0,  0,  0, 0, 0, 0, 0,  // 20-29
    0,  6,  6,  6,  6,  6, 6, 0, 0, 0,  // 30-39
    0,  13,                              // 40-41, the rest: none
};

// Stand-in entries for unknown AIs (ai is empty: the caller keeps the AI's digits).
constexpr AiComponent comp(uint8_t min, uint8_t max) {
  return AiComponent{Cset::X, min, max, false, {nullptr, nullptr, nullptr}};
}
constexpr AiEntry unknown(bool fnc1, uint8_t min, uint8_t max) {
  return AiEntry{"", fnc1, false, 1, {comp(min, max)}, "UNKNOWN", "", "", false, "", min, max};
}
constexpr AiEntry kUnknownVariable = unknown(true, 1, 90);
constexpr AiEntry kUnknownFixed2 = unknown(false, 2, 2);
constexpr AiEntry kUnknownFixed6 = unknown(false, 6, 6);
constexpr AiEntry kUnknownFixed13 = unknown(false, 13, 13);
constexpr AiEntry kUnknownFixed14 = unknown(false, 14, 14);
constexpr AiEntry kUnknownFixed16 = unknown(false, 16, 16);
constexpr AiEntry kUnknownFixed18 = unknown(false, 18, 18);

const AiEntry* unknown_for_value_length(uint8_t length) {
  switch (length) {
    case 2: return &kUnknownFixed2;
    case 6: return &kUnknownFixed6;
    case 13: return &kUnknownFixed13;
    case 14: return &kUnknownFixed14;
    case 16: return &kUnknownFixed16;
    case 18: return &kUnknownFixed18;
    default: return &kUnknownVariable;
  }
}

}  // namespace

std::span<const AiEntry> all_ais() { return {kAiTable, kAiTableSize}; }

const AiEntry* find_ai(std::string_view ai) {
  if (ai.size() < 2 || ai.size() > 4 || !all_digits(ai)) return nullptr;
  return index().find(ai);
}

size_t ai_length_for_prefix(std::string_view two_digits) {
  if (two_digits.size() < 2 || !is_digit(two_digits[0]) || !is_digit(two_digits[1])) return 0;
  return index().length_by_prefix[number(two_digits.substr(0, 2))];
}

const AiEntry* match_ai_prefix(std::string_view data) { return lookup_ai(data, 0, false); }

const AiEntry* lookup_ai(std::string_view data, size_t ai_length, bool permit_unknown) {
  if (ai_length == 1 || ai_length > 4 || data.size() < 2 || ai_length > data.size())
    return nullptr;
  if (!is_digit(data[0]) || !is_digit(data[1])) return nullptr;
  const Index& idx = index();
  size_t by_prefix = idx.length_by_prefix[number(data.substr(0, 2))];
  // Every AI sharing two leading digits has one length (GenSpecs 3.2), so an AI of
  // another length there is neither known nor acceptable as unknown.
  if (ai_length != 0 && by_prefix != 0 && by_prefix != ai_length) return nullptr;
  size_t len = ai_length != 0 ? ai_length : by_prefix;
  if (len != 0) {
    if (data.size() < len || !all_digits(data.substr(0, len))) return nullptr;
    if (const AiEntry* e = idx.find(data.substr(0, len))) return e;
  }
  // An unknown AI whose length the prefix table does not give can only be taken
  // where the AI is delimited (bracketed, Digital Link), never from a message.
  if (!permit_unknown || len == 0) return nullptr;
  if (by_prefix == 0) return &kUnknownVariable;
  return unknown_for_value_length(kPredefinedValueLength[number(data.substr(0, 2))]);
}

bool is_unknown_ai(const AiEntry* entry) { return entry != nullptr && entry->ai.empty(); }

}  // namespace serialtrack::gs1

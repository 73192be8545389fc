// Character set linters: csetnumeric, cset82, cset39, cset64.
#include <array>

#include "gs1/lint/lint.h"

namespace serialtrack::gs1::lint {
namespace {

using CharTable = std::array<bool, 256>;

constexpr CharTable make_table(std::string_view members) {
  CharTable t{};
  for (char c : members) t[static_cast<unsigned char>(c)] = true;
  return t;
}

// GS1 GenSpecs 7.11 Figure 7.11-1: GS1 AI encodable character set 82.
constexpr CharTable kCset82 = make_table(
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz");
// GS1 GenSpecs 7.11 Figure 7.11-2: GS1 AI encodable character set 39.
constexpr CharTable kCset39 = make_table("#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");
// GS1 GenSpecs 7.11 Figure 7.11-3: character set 64 (file-safe / URI-safe base64, RFC 4648 §5).
constexpr CharTable kCset64 =
    make_table("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

// The first character of data outside the table, as a one-character span, or OK.
Outcome first_outside(std::string_view data, const CharTable& table, Lint code) {
  for (size_t i = 0; i < data.size(); ++i)
    if (!table[static_cast<unsigned char>(data[i])]) return fail(code, i, 1);
  return pass();
}

}  // namespace

// GS1 GenSpecs 7.11: numeric data ("N") holds the digits 0-9 only.
Outcome csetnumeric(std::string_view data) {
  for (size_t i = 0; i < data.size(); ++i)
    if (data[i] < '0' || data[i] > '9') return fail(Lint::NON_DIGIT_CHARACTER, i, 1);
  return pass();
}

// GS1 GenSpecs 7.11 Figure 7.11-1.
Outcome cset82(std::string_view data) {
  return first_outside(data, kCset82, Lint::INVALID_CSET82_CHARACTER);
}

// GS1 GenSpecs 7.11 Figure 7.11-2.
Outcome cset39(std::string_view data) {
  return first_outside(data, kCset39, Lint::INVALID_CSET39_CHARACTER);
}

// GS1 GenSpecs 7.11 Figure 7.11-3: at most two '=' pads, and only when they complete the
// data to a multiple of three characters (as the syntax engine checks it).
Outcome cset64(std::string_view data) {
  size_t len = data.size();
  while (len > 0 && data[len - 1] == '=') --len;
  size_t pads = data.size() - len;
  if (pads > 2 || (pads > 0 && data.size() % 3 != 0))
    return fail(Lint::INVALID_CSET64_PADDING, len, pads);
  return first_outside(data.substr(0, len), kCset64, Lint::INVALID_CSET64_CHARACTER);
}

}  // namespace serialtrack::gs1::lint

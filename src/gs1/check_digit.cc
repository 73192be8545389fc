#include "gs1/check_digit.h"

#include <array>
#include <cctype>
#include <cstdint>

namespace serialtrack::gs1 {
namespace {

// GS1 GenSpecs 7.9.5: CSET 82 in the order that gives each character its value 0..81.
constexpr std::string_view kCset82 =
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
// CSET 32, the alphabet of the two check characters.
constexpr std::string_view kCset32 = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
// The first 97 primes, weights applied from the right end of the body. A GMN body has at
// most 23 characters; the linter csumalpha checks bodies up to the longest AI value.
constexpr std::array<int, 97> kPrimes = {
    2,   3,   5,   7,   11,  13,  17,  19,  23,  29,  31,  37,  41,  43,  47,  53,  59,
    61,  67,  71,  73,  79,  83,  89,  97,  101, 103, 107, 109, 113, 127, 131, 137, 139,
    149, 151, 157, 163, 167, 173, 179, 181, 191, 193, 197, 199, 211, 223, 227, 229, 233,
    239, 241, 251, 257, 263, 269, 271, 277, 281, 283, 293, 307, 311, 313, 317, 331, 337,
    347, 349, 353, 359, 367, 373, 379, 383, 389, 397, 401, 409, 419, 421, 431, 433, 439,
    443, 449, 457, 461, 463, 467, 479, 487, 491, 499, 503, 509};

// Value of each byte in CSET 82 (its index in kCset82), or -1 when outside it.
constexpr std::array<int8_t, 256> kCset82Value = [] {
  std::array<int8_t, 256> v{};
  v.fill(-1);
  for (size_t i = 0; i < kCset82.size(); ++i)
    v[static_cast<unsigned char>(kCset82[i])] = static_cast<int8_t>(i);
  return v;
}();

struct KeyInfo {
  KeyType type;
  std::string_view name;
  size_t length;
};
constexpr KeyInfo kKeys[] = {
    {KeyType::GTIN8, "GTIN-8", 8},    {KeyType::GTIN12, "GTIN-12", 12},
    {KeyType::GTIN13, "GTIN-13", 13}, {KeyType::GTIN14, "GTIN-14", 14},
    {KeyType::GLN, "GLN", 13},        {KeyType::SSCC, "SSCC", 18},
    {KeyType::GSIN, "GSIN", 17},      {KeyType::GDTI, "GDTI", 13},
    {KeyType::GRAI, "GRAI", 13},      {KeyType::GSRN, "GSRN", 18},
    {KeyType::GCN, "GCN", 13},        {KeyType::GMN, "GMN", 0},
};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

}  // namespace

std::optional<char> mod10_check_digit(std::string_view body) {
  if (body.empty()) return std::nullopt;
  // GenSpecs 7.9.1: weight 3 on the digit next to the check digit, then 1, 3, ...
  int sum = 0;
  int weight = 3;
  for (size_t i = body.size(); i-- > 0;) {
    char c = body[i];
    if (c < '0' || c > '9') return std::nullopt;
    sum += (c - '0') * weight;
    weight = 4 - weight;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

bool mod10_valid(std::string_view key) {
  if (key.size() < 2) return false;
  auto cd = mod10_check_digit(key.substr(0, key.size() - 1));
  return cd && *cd == key.back();
}

std::optional<std::string> gtin14(std::string_view gtin) {
  if (gtin.size() != 8 && gtin.size() != 12 && gtin.size() != 13 && gtin.size() != 14)
    return std::nullopt;
  for (char c : gtin)
    if (c < '0' || c > '9') return std::nullopt;
  std::string padded = std::string(14 - gtin.size(), '0') + std::string(gtin);
  if (!mod10_valid(padded)) return std::nullopt;  // GS1 GenSpecs 7.9.1
  return padded;
}

std::optional<std::string> check_character_pair(std::string_view body) {
  if (body.empty() || body.size() > kPrimes.size()) return std::nullopt;
  // GenSpecs 7.9.5: sum of value x prime weight (weights from the right), mod 1021,
  // written as two CSET 32 characters (sum / 32, sum % 32).
  int sum = 0;
  size_t n = body.size();
  for (size_t i = 0; i < n; ++i) {
    int v = kCset82Value[static_cast<unsigned char>(body[i])];
    if (v < 0) return std::nullopt;
    sum += v * kPrimes[n - 1 - i];
  }
  sum %= 1021;
  return std::string{kCset32[sum >> 5], kCset32[sum & 31]};
}

bool check_character_pair_valid(std::string_view gmn) {
  if (gmn.size() < 3) return false;
  auto pair = check_character_pair(gmn.substr(0, gmn.size() - 2));
  return pair && *pair == gmn.substr(gmn.size() - 2);
}

std::optional<KeyType> key_type_from_name(std::string_view name) {
  for (const auto& k : kKeys) {
    if (iequals(name, k.name)) return k.type;
    // also "GTIN13", "gtin_13"
    std::string compact;
    for (char c : k.name)
      if (c != '-') compact += c;
    if (iequals(name, compact)) return k.type;
  }
  return std::nullopt;
}

std::string_view key_type_name(KeyType type) {
  for (const auto& k : kKeys)
    if (k.type == type) return k.name;
  return {};
}

size_t key_length(KeyType type) {
  for (const auto& k : kKeys)
    if (k.type == type) return k.length;
  return 0;
}

}  // namespace serialtrack::gs1

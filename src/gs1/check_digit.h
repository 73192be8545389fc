// Check digits of GS1 keys (GS1 GenSpecs 7.9.1: mod-10, weights 3 and 1 from the
// right) and the check character pair of GMN / AI 8013 (GenSpecs 7.9.5).
// Pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace serialtrack::gs1 {

// The mod-10 check digit ('0'..'9') for a body of digits (the key without its last
// digit), or nullopt when the body is empty or has a non-digit.
std::optional<char> mod10_check_digit(std::string_view body);

// True when the last digit of key is the correct mod-10 check digit of the rest.
bool mod10_valid(std::string_view key);

// A GTIN-8, -12, -13 or -14 as 14 digits (left-padded with zeros, GS1 GenSpecs 3.3.2),
// or nullopt unless it is all digits of one of those lengths with a valid check digit.
std::optional<std::string> gtin14(std::string_view gtin);

// The two check characters for a GMN body (CSET 82 characters, at most 97), or
// nullopt when the body is empty, too long or has a character outside CSET 82.
std::optional<std::string> check_character_pair(std::string_view body);

// True when the last two characters of gmn are its correct check character pair.
bool check_character_pair_valid(std::string_view gmn);

// The GS1 keys with a mod-10 check digit, with their lengths.
enum class KeyType { GTIN8, GTIN12, GTIN13, GTIN14, GLN, SSCC, GSIN, GDTI, GRAI, GSRN, GCN, GMN };

// The key type of a name such as "GTIN-13" or "gln", or nullopt.
std::optional<KeyType> key_type_from_name(std::string_view name);
std::string_view key_type_name(KeyType type);

// Length of the digit key including its check digit (GTIN-13: 13; GDTI/GRAI/GCN: the
// 13-digit base key). 0 for GMN, whose length varies.
size_t key_length(KeyType type);

}  // namespace serialtrack::gs1

// Serial formats: which characters (an alphabet), how many of them are generated (the
// free length), a fixed prefix, and an optional check character. Every serial of a
// valid format is a valid GS1 AI (21) value: at most 20 characters of CSET 82 (GS1
// GenSpecs 3.5.2 and 7.11, Figure 7.11-1). Immutable after creation; thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "serial/error.h"

namespace serialtrack::serial {

__extension__ typedef unsigned __int128 uint128;

// GS1 AI (21) SERIAL: X..20 (GS1 GenSpecs 3.5.2).
inline constexpr std::size_t kMaxSerialLength = 20;

// Preset alphabets; a symbol's numeral is its index.
inline constexpr std::string_view kNumeric = "0123456789";
inline constexpr std::string_view kUpperAlphanumeric = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
// Upper alphanumeric without the confusable I, O, 0 and 1: exactly GS1 CSET 32
// (GenSpecs 7.11, Figure 7.11-3), so a GS1 check character pair fits it.
inline constexpr std::string_view kUpperAlphanumericUnambiguous =
    "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
// GS1 CSET 82 in the order of GenSpecs Figure 7.11-1.
inline constexpr std::string_view kCset82 =
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

enum class AlphabetPreset : std::uint8_t {
  numeric,                         // 0-9
  upper_alphanumeric,              // 0-9A-Z
  upper_alphanumeric_unambiguous,  // 0-9A-Z without I O 0 1 (CSET 32)
  cset82,                          // GS1 CSET 82
};

// The symbols of a preset.
std::string_view alphabet_symbols(AlphabetPreset preset);
// "numeric", "upper-alphanumeric", "upper-alphanumeric-unambiguous", "cset82".
std::string_view preset_name(AlphabetPreset preset);
std::optional<AlphabetPreset> preset_from_name(std::string_view name);

// Division by a radix fixed at run time, by multiplication (Granlund–Montgomery style:
// one 64x64->128 multiply and one correction), for writing numbers as numerals.
class RadixDivider {
 public:
  explicit RadixDivider(std::uint32_t radix = 10)
      : radix_(radix), inverse_(~std::uint64_t{0} / radix) {}
  std::uint32_t radix() const { return radix_; }
  // x / radix, and x % radix in *remainder.
  std::uint64_t divide(std::uint64_t x, std::uint32_t* remainder) const {
    std::uint64_t q = static_cast<std::uint64_t>((static_cast<uint128>(x) * inverse_) >> 64);
    std::uint64_t r = x - q * radix_;
    if (r >= radix_) {  // the estimate is low by at most one
      ++q;
      r -= radix_;
    }
    *remainder = static_cast<std::uint32_t>(r);
    return q;
  }

 private:
  std::uint32_t radix_;
  std::uint64_t inverse_;
};

// An alphabet: 2..82 distinct CSET 82 characters; the numeral of a symbol is its index.
class Alphabet {
 public:
  // Errors: INVALID_ALPHABET (fewer than 2 or more than 82 symbols, a repeated symbol, a
  // character outside CSET 82; position = its index).
  static Result<Alphabet> create(std::string_view symbols);

  std::string_view symbols() const { return symbols_; }
  std::uint32_t radix() const { return static_cast<std::uint32_t>(symbols_.size()); }
  char symbol(std::uint32_t numeral) const { return symbols_[numeral]; }
  // The numeral of c, or -1 when c is not in the alphabet.
  int numeral(char c) const { return numerals_[static_cast<unsigned char>(c)]; }
  // True when every symbol is one of chars.
  bool within(std::string_view chars) const;

  // Writes value as exactly `digits` numerals, most significant first, zero-padded
  // (NIST SP 800-38G §4.5 STR^m_radix). value must be below radix^digits.
  void write(std::uint64_t value, std::size_t digits, char* out) const;
  void write(uint128 value, std::size_t digits, char* out) const;

 private:
  std::string symbols_;
  std::array<std::int8_t, 256> numerals_{};
  RadixDivider divider_;
};

// Optional check characters appended after the prefix and free part.
enum class CheckCharacter : std::uint8_t {
  none,
  mod37_2,   // ISO/IEC 7064 MOD 37-2: one of 0-9A-Z*, over a 0-9A-Z body
  gs1_pair,  // GS1 check character pair (GenSpecs 7.9.5): two CSET 32 characters
};
std::size_t check_length(CheckCharacter check);
// "none", "mod37-2", "gs1-pair".
std::string_view check_name(CheckCharacter check);
std::optional<CheckCharacter> check_from_name(std::string_view name);

// ISO/IEC 7064 MOD 37-2 (pure system, modulus 37, radix 2) check character of a body of
// 0-9A-Z; nullopt for an empty body or another character.
std::optional<char> mod37_2_check_character(std::string_view body);
// True when the last character of text is the MOD 37-2 check character of the rest.
bool mod37_2_valid(std::string_view text);

// A serial being built without allocating: at most kMaxSerialLength characters.
struct SerialBuffer {
  std::array<char, kMaxSerialLength> chars{};
  std::uint8_t size = 0;
  std::string_view view() const { return {chars.data(), size}; }
  std::string str() const { return std::string(view()); }
};

// A serial format. Layout of a serial: prefix, free part (free_length symbols of the
// alphabet, written by a generator), check character(s).
class Format {
 public:
  // Errors: INVALID_ALPHABET; INVALID_LENGTH (free_length 0); INVALID_PREFIX (a
  // character outside CSET 82, position = its index); TOO_LONG (prefix + free_length +
  // check characters > 20, the AI (21) maximum); CHECK_NOT_APPLICABLE (mod37-2 needs
  // alphabet and prefix within 0-9A-Z; gs1-pair needs the alphabet within CSET 32).
  static Result<Format> create(std::string_view alphabet, std::size_t free_length,
                               std::string_view prefix = {},
                               CheckCharacter check = CheckCharacter::none);
  static Result<Format> create(AlphabetPreset alphabet, std::size_t free_length,
                               std::string_view prefix = {},
                               CheckCharacter check = CheckCharacter::none);

  const Alphabet& alphabet() const { return alphabet_; }
  std::size_t free_length() const { return free_length_; }
  std::string_view prefix() const { return prefix_; }
  CheckCharacter check() const { return check_; }
  // Length of every serial of the format: prefix + free part + check characters.
  std::size_t total_length() const { return prefix_.size() + free_length_ + check_length(check_); }
  // Number of distinct free parts: radix^free_length (exact: at most 82^20 < 2^128).
  uint128 domain_size() const { return domain_size_; }

  // Starts a serial: the prefix.
  void begin(SerialBuffer& out) const;
  // Ends a serial whose prefix and free part are written: appends the check character(s).
  void finish(SerialBuffer& out) const;

  // Checks that serial is one of this format (length, prefix, alphabet, check
  // characters) and, when numerals is not null, writes the free part's numerals
  // (free_length() of them). Errors: WRONG_LENGTH, WRONG_PREFIX, NOT_IN_ALPHABET,
  // INCORRECT_CHECK_CHARACTER, with the position of the offending character.
  std::optional<Error> parse(std::string_view serial, std::uint8_t* numerals = nullptr) const;

 private:
  Format(Alphabet alphabet, std::size_t free_length, std::string prefix, CheckCharacter check);
  Alphabet alphabet_;
  std::size_t free_length_;
  std::string prefix_;
  CheckCharacter check_;
  uint128 domain_size_;
};

// EU FMD (Delegated Regulation (EU) 2016/161, Art. 4(b)): the probability that a
// guessed serial is valid must be negligible and in any case below 1 in 10,000.
inline constexpr double kMaxGuessProbability = 1.0 / 10000;

// Probability that a serial guessed in the format is one of issued_count valid ones:
// issued_count / radix^free_length. Meaningful for unpredictable serials (FF1, random);
// sequential serials are guessable whatever this says.
double guess_probability(const Format& format, std::uint64_t issued_count);

// The guess probability of a range of issued_count serials, or GUESS_PROBABILITY_TOO_HIGH
// when it exceeds 1/10,000 (compared exactly, in integers) and allow_guessable is false.
Result<double> check_guess_probability(const Format& format, std::uint64_t issued_count,
                                       bool allow_guessable = false);

}  // namespace serialtrack::serial

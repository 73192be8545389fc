#include "serial/format.h"

#include <algorithm>

#include "gs1/ai_table.h"
#include "gs1/check_digit.h"
#include "gs1/element_string.h"

namespace serialtrack::serial {
namespace {

constexpr std::string_view kMod37Symbols = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*";

struct PresetEntry {
  AlphabetPreset preset;
  std::string_view name;
  std::string_view symbols;
};
constexpr PresetEntry kPresets[] = {
    {AlphabetPreset::numeric, "numeric", kNumeric},
    {AlphabetPreset::upper_alphanumeric, "upper-alphanumeric", kUpperAlphanumeric},
    {AlphabetPreset::upper_alphanumeric_unambiguous, "upper-alphanumeric-unambiguous",
     kUpperAlphanumericUnambiguous},
    {AlphabetPreset::cset82, "cset82", kCset82},
};

bool in_cset82(char c) {
  return kCset82.find(c) != std::string_view::npos;
}

// ISO/IEC 7064 pure system MOD 37-2: S = (2S + a) mod 37 over the characters.
int mod37_2_sum(std::string_view text) {
  int p = 0;
  for (char c : text) {
    auto v = kMod37Symbols.find(c);
    if (v == std::string_view::npos || v == 36) return -1;
    p = (2 * p + static_cast<int>(v)) % 37;
  }
  return p;
}

}  // namespace

std::string_view alphabet_symbols(AlphabetPreset preset) {
  return kPresets[static_cast<int>(preset)].symbols;
}
std::string_view preset_name(AlphabetPreset preset) {
  return kPresets[static_cast<int>(preset)].name;
}
std::optional<AlphabetPreset> preset_from_name(std::string_view name) {
  for (const auto& p : kPresets)
    if (p.name == name) return p.preset;
  return std::nullopt;
}

Result<Alphabet> Alphabet::create(std::string_view symbols) {
  if (symbols.size() < 2 || symbols.size() > kCset82.size())
    return unexpected(
        make_error(ErrorCode::INVALID_ALPHABET,
                   "an alphabet has 2 to 82 symbols, not " + std::to_string(symbols.size())));
  Alphabet a;
  a.numerals_.fill(-1);
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    char c = symbols[i];
    if (!in_cset82(c))
      return unexpected(make_error(
          ErrorCode::INVALID_ALPHABET,
          "alphabet symbol " + std::to_string(i) + " is not a GS1 CSET 82 character", i));
    if (a.numerals_[static_cast<unsigned char>(c)] >= 0)
      return unexpected(
          make_error(ErrorCode::INVALID_ALPHABET, std::string("alphabet repeats '") + c + "'", i));
    a.numerals_[static_cast<unsigned char>(c)] = static_cast<std::int8_t>(i);
  }
  a.symbols_ = std::string(symbols);
  a.divider_ = RadixDivider(a.radix());
  return a;
}

bool Alphabet::within(std::string_view chars) const {
  return std::all_of(symbols_.begin(), symbols_.end(),
                     [&](char c) { return chars.find(c) != std::string_view::npos; });
}

void Alphabet::write(std::uint64_t value, std::size_t digits, char* out) const {
  // SP 800-38G §4.5 STR^m_radix(x): m numerals, most significant first.
  for (std::size_t i = digits; i > 0; --i) {
    std::uint32_t r;
    value = divider_.divide(value, &r);
    out[i - 1] = symbols_[r];
  }
}

void Alphabet::write(uint128 value, std::size_t digits, char* out) const {
  std::size_t i = digits;
  while (i > 0 && (value >> 64) != 0) {
    out[--i] = symbols_[static_cast<std::size_t>(value % radix())];
    value /= radix();
  }
  write(static_cast<std::uint64_t>(value), i, out);
}

std::size_t check_length(CheckCharacter check) {
  switch (check) {
    case CheckCharacter::none:
      return 0;
    case CheckCharacter::mod37_2:
      return 1;
    case CheckCharacter::gs1_pair:
      return 2;
  }
  return 0;
}

std::string_view check_name(CheckCharacter check) {
  switch (check) {
    case CheckCharacter::none:
      return "none";
    case CheckCharacter::mod37_2:
      return "mod37-2";
    case CheckCharacter::gs1_pair:
      return "gs1-pair";
  }
  return "none";
}

std::optional<CheckCharacter> check_from_name(std::string_view name) {
  for (auto c : {CheckCharacter::none, CheckCharacter::mod37_2, CheckCharacter::gs1_pair})
    if (check_name(c) == name) return c;
  return std::nullopt;
}

std::optional<char> mod37_2_check_character(std::string_view body) {
  int p = body.empty() ? -1 : mod37_2_sum(body);
  if (p < 0) return std::nullopt;
  // ISO/IEC 7064: the check character c makes (2S + c) mod 37 == 1 over the whole text.
  return kMod37Symbols[static_cast<std::size_t>((1 + 37 * 2 - 2 * p) % 37)];
}

bool mod37_2_valid(std::string_view text) {
  if (text.size() < 2) return false;
  auto expected = mod37_2_check_character(text.substr(0, text.size() - 1));
  return expected && *expected == text.back();
}

Format::Format(Alphabet alphabet, std::size_t free_length, std::string prefix, CheckCharacter check)
    : alphabet_(std::move(alphabet)),
      free_length_(free_length),
      prefix_(std::move(prefix)),
      check_(check),
      domain_size_(1) {
  for (std::size_t i = 0; i < free_length_; ++i) domain_size_ *= alphabet_.radix();
}

Result<Format> Format::create(AlphabetPreset alphabet, std::size_t free_length,
                              std::string_view prefix, CheckCharacter check) {
  return create(alphabet_symbols(alphabet), free_length, prefix, check);
}

Result<Format> Format::create(std::string_view symbols, std::size_t free_length,
                              std::string_view prefix, CheckCharacter check) {
  auto alphabet = Alphabet::create(symbols);
  if (!alphabet) return unexpected(std::move(alphabet).error());
  if (free_length == 0)
    return unexpected(make_error(ErrorCode::INVALID_LENGTH, "the free length must be at least 1"));
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (!in_cset82(prefix[i]))
      return unexpected(make_error(
          ErrorCode::INVALID_PREFIX,
          "prefix character " + std::to_string(i) + " is not a GS1 CSET 82 character", i));
  std::size_t total = prefix.size() + free_length + check_length(check);
  if (total > kMaxSerialLength)
    return unexpected(make_error(
        ErrorCode::TOO_LONG, "prefix + free length + check characters = " + std::to_string(total) +
                                 " exceeds the 20 characters of AI (21)"));
  if (check == CheckCharacter::mod37_2) {
    auto body = kMod37Symbols.substr(0, 36);
    bool prefix_ok = std::all_of(prefix.begin(), prefix.end(),
                                 [&](char c) { return body.find(c) != std::string_view::npos; });
    if (!alphabet->within(body) || !prefix_ok)
      return unexpected(
          make_error(ErrorCode::CHECK_NOT_APPLICABLE,
                     "ISO/IEC 7064 MOD 37-2 needs alphabet and prefix within 0-9A-Z"));
  }
  if (check == CheckCharacter::gs1_pair && !alphabet->within(kUpperAlphanumericUnambiguous))
    return unexpected(make_error(ErrorCode::CHECK_NOT_APPLICABLE,
                                 "the GS1 check character pair needs an alphabet within CSET 32"));

  Format format(std::move(*alphabet), free_length, std::string(prefix), check);
  // Belt and braces: a serial of the format is an AI (21) value (GenSpecs 3.5.2).
  SerialBuffer sample;
  format.begin(sample);
  for (std::size_t i = 0; i < free_length; ++i)
    sample.chars[sample.size++] = format.alphabet_.symbol(format.alphabet_.radix() - 1);
  format.finish(sample);
  if (const gs1::AiEntry* ai21 = gs1::find_ai("21"); ai21 != nullptr) {
    if (auto e = gs1::check_ai_value(*ai21, sample.view()))
      return unexpected(make_error(
          ErrorCode::TOO_LONG, "serials of this format are not GS1 AI (21) values: " + e->message));
  }
  return format;
}

void Format::begin(SerialBuffer& out) const {
  std::copy(prefix_.begin(), prefix_.end(), out.chars.begin());
  out.size = static_cast<std::uint8_t>(prefix_.size());
}

void Format::finish(SerialBuffer& out) const {
  switch (check_) {
    case CheckCharacter::none:
      break;
    case CheckCharacter::mod37_2:
      out.chars[out.size++] = *mod37_2_check_character(out.view());
      break;
    case CheckCharacter::gs1_pair: {
      auto pair = gs1::check_character_pair(out.view());
      out.chars[out.size++] = (*pair)[0];
      out.chars[out.size++] = (*pair)[1];
      break;
    }
  }
}

std::optional<Error> Format::parse(std::string_view serial, std::uint8_t* numerals) const {
  if (serial.size() != total_length())
    return make_error(ErrorCode::WRONG_LENGTH,
                      "a serial of this format has " + std::to_string(total_length()) +
                          " characters, not " + std::to_string(serial.size()),
                      std::min(serial.size(), total_length()));
  for (std::size_t i = 0; i < prefix_.size(); ++i)
    if (serial[i] != prefix_[i])
      return make_error(ErrorCode::WRONG_PREFIX, "the serial does not start with the prefix", i);
  for (std::size_t i = 0; i < free_length_; ++i) {
    std::size_t at = prefix_.size() + i;
    int v = alphabet_.numeral(serial[at]);
    if (v < 0)
      return make_error(ErrorCode::NOT_IN_ALPHABET,
                        std::string("'") + serial[at] + "' is not in the format's alphabet", at);
    if (numerals != nullptr) numerals[i] = static_cast<std::uint8_t>(v);
  }
  std::size_t body = prefix_.size() + free_length_;
  bool check_ok = true;
  switch (check_) {
    case CheckCharacter::none:
      break;
    case CheckCharacter::mod37_2:
      check_ok = mod37_2_valid(serial);
      break;
    case CheckCharacter::gs1_pair:
      check_ok = gs1::check_character_pair_valid(serial);
      break;
  }
  if (!check_ok)
    return make_error(ErrorCode::INCORRECT_CHECK_CHARACTER, "incorrect check character", body);
  return std::nullopt;
}

double guess_probability(const Format& format, std::uint64_t issued_count) {
  return static_cast<double>(static_cast<long double>(issued_count) /
                             static_cast<long double>(format.domain_size()));
}

Result<double> check_guess_probability(const Format& format, std::uint64_t issued_count,
                                       bool allow_guessable) {
  double p = guess_probability(format, issued_count);
  // issued / domain > 1/10,000, exactly: issued * 10,000 > domain (no overflow in 128 bits).
  if (!allow_guessable && static_cast<uint128>(issued_count) * 10000 > format.domain_size())
    return unexpected(make_error(
        ErrorCode::GUESS_PROBABILITY_TOO_HIGH,
        "a guessed serial would be valid with probability " + std::to_string(p) +
            ", above the 1/10,000 that EU FMD allows; use a longer format or fewer serials"));
  return p;
}

}  // namespace serialtrack::serial

// Serial formats and generators, as properties: FF1 serials are distinct, in the format,
// valid GS1 AI (21) values and decrypt to their counters; small domains are refused; check
// characters verify; sequential and random generators behave; EU FMD guess probability.
#include "serial/generator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "gs1/ai_table.h"
#include "gs1/check_digit.h"
#include "gs1/element_string.h"
#include "serial/format.h"

namespace serialtrack::serial {
namespace {

const std::vector<std::uint8_t> kKey = {
    0x2B, 0x7E, 0x15, 0x16, 0x28, 0xAE, 0xD2, 0xA6, 0xAB, 0xF7, 0x15, 0x88, 0x09, 0xCF, 0x4F, 0x3C,
    0xEF, 0x43, 0x59, 0xD8, 0xD5, 0x80, 0xAA, 0x4F, 0x7F, 0x03, 0x6D, 0x6F, 0x04, 0xFC, 0x6A, 0x94};
const std::vector<std::uint8_t> kTweak = serial_tweak("09520123456788");

Format make_format(std::string_view alphabet, std::size_t length, std::string_view prefix = {},
                   CheckCharacter check = CheckCharacter::none) {
  auto f = Format::create(alphabet, length, prefix, check);
  EXPECT_TRUE(f) << (f ? "" : f.error().message);
  return std::move(*f);
}

bool valid_ai21(std::string_view value) {
  static const gs1::AiEntry* ai21 = gs1::find_ai("21");
  return ai21 != nullptr && !gs1::check_ai_value(*ai21, value).has_value();
}

TEST(Ff1Generator, OneMillionSerialsAreDistinctInFormatValidAi21AndDecryptToTheirCounter) {
  Format format = make_format(kUpperAlphanumericUnambiguous, 12);
  auto gen = make_ff1_generator(format, kKey, kTweak);
  ASSERT_TRUE(gen);
  constexpr std::size_t kCount = 1000000;
  std::vector<std::uint64_t> packed;  // 12 symbols of radix 32 = 60 bits
  packed.reserve(kCount);
  std::vector<SerialBuffer> batch(4096);
  std::size_t bad_format = 0, bad_ai = 0, bad_counter = 0;
  for (std::uint64_t first = 0; first < kCount; first += batch.size()) {
    std::span<SerialBuffer> out(batch.data(), std::min<std::size_t>(batch.size(), kCount - first));
    ASSERT_FALSE((*gen)->serials_into(first, out));
    for (std::size_t i = 0; i < out.size(); ++i) {
      std::string_view s = out[i].view();
      std::uint8_t numerals[kMaxSerialLength];
      if (s.size() != 12 || format.parse(s, numerals)) {
        ++bad_format;
        continue;
      }
      if (!valid_ai21(s)) ++bad_ai;
      auto counter = (*gen)->counter_of(s);
      if (!counter || *counter != first + i) ++bad_counter;
      std::uint64_t p = 0;
      for (int k = 0; k < 12; ++k) p = (p << 5) | numerals[k];
      packed.push_back(p);
    }
  }
  EXPECT_EQ(bad_format, 0u);
  EXPECT_EQ(bad_ai, 0u);
  EXPECT_EQ(bad_counter, 0u);
  ASSERT_EQ(packed.size(), kCount);
  std::sort(packed.begin(), packed.end());
  EXPECT_EQ(std::adjacent_find(packed.begin(), packed.end()), packed.end())
      << "two counters gave the same serial";
}

TEST(Ff1Generator, OneByOneAndBatchedGiveTheSameSerials) {
  Format format = make_format(kCset82, 20);
  auto gen = make_ff1_generator(format, kKey, kTweak);
  ASSERT_TRUE(gen);
  std::vector<SerialBuffer> batch(100);
  const std::uint64_t first = 0xFFFFFFFFFFFFull;  // across the b-half wrap of many lanes
  ASSERT_FALSE((*gen)->serials_into(first, batch));
  for (std::size_t i = 0; i < batch.size(); ++i) {
    auto one = (*gen)->serial(first + i);
    ASSERT_TRUE(one);
    EXPECT_EQ(*one, batch[i].view());
    EXPECT_TRUE(valid_ai21(*one)) << *one;
    EXPECT_EQ(*(*gen)->counter_of(*one), first + i);
  }
  // The largest counter works; the next is out of range.
  const std::uint64_t last = (*gen)->capacity() - 1;
  auto s = (*gen)->serial(last);
  ASSERT_TRUE(s);
  EXPECT_EQ(*(*gen)->counter_of(*s), last);
  EXPECT_EQ((*gen)->serial(last + 1).error().code, ErrorCode::NOT_IN_RANGE);
}

TEST(Ff1Generator, SerialsDependOnKeyGtinAndLot) {
  Format format = make_format(kNumeric, 12);
  auto a = make_ff1_generator(format, kKey, serial_tweak("09520123456788"));
  auto b = make_ff1_generator(format, kKey, serial_tweak("09520123456795"));
  auto c = make_ff1_generator(format, kKey, serial_tweak("09520123456788", "LOT1"));
  std::vector<std::uint8_t> other_key(kKey.begin(), kKey.begin() + 16);
  auto d = make_ff1_generator(format, other_key, serial_tweak("09520123456788"));
  ASSERT_TRUE(a && b && c && d);
  int same = 0;
  for (std::uint64_t k = 0; k < 100; ++k) {
    auto s = *(*a)->serial(k);
    same += s == *(*b)->serial(k);
    same += s == *(*c)->serial(k);
    same += s == *(*d)->serial(k);
  }
  EXPECT_LE(same, 1);  // a chance collision in 10^12 is possible in principle, not twice
  // A serial of another GTIN's range is not found in this one (or maps elsewhere).
  auto other = *(*b)->serial(5);
  auto back = (*a)->counter_of(other);
  EXPECT_TRUE(!back || *back != 5);
}

TEST(Ff1Generator, CounterOfRejectsMalformedAndForeignSerials) {
  Format format = make_format(kCset82, 18, "SN");
  auto gen = make_ff1_generator(format, kKey, kTweak);
  ASSERT_TRUE(gen);
  EXPECT_EQ((*gen)->counter_of("SN123").error().code, ErrorCode::WRONG_LENGTH);
  auto wrong_prefix = (*gen)->counter_of("XN" + std::string(18, 'a'));
  EXPECT_EQ(wrong_prefix.error().code, ErrorCode::WRONG_PREFIX);
  EXPECT_EQ(wrong_prefix.error().position, 0u);
  auto space = (*gen)->counter_of("SN" + std::string(5, 'a') + " " + std::string(12, 'a'));
  EXPECT_EQ(space.error().code, ErrorCode::NOT_IN_ALPHABET);
  EXPECT_EQ(space.error().position, 7u);
  // 82^18 is about 2^114: a made-up serial decrypts to a counter beyond 2^64.
  EXPECT_EQ((*gen)->counter_of("SN" + std::string(18, 'z')).error().code, ErrorCode::NOT_IN_RANGE);
}

TEST(Generators, SmallDomainsAreRefused) {
  Format five = make_format(kNumeric, 5);  // 10^5 < 10^6
  auto ff1 = make_ff1_generator(five, kKey, kTweak);
  ASSERT_FALSE(ff1);
  EXPECT_EQ(ff1.error().code, ErrorCode::DOMAIN_TOO_SMALL);
  auto ff3 = make_ff3_1_generator(five, kKey, std::vector<std::uint8_t>(7, 0));
  ASSERT_FALSE(ff3);
  EXPECT_EQ(ff3.error().code, ErrorCode::DOMAIN_TOO_SMALL);
  Format six = make_format(kNumeric, 6);  // exactly 10^6
  EXPECT_TRUE(make_ff1_generator(six, kKey, kTweak));
  Format four = make_format(kUpperAlphanumeric, 4);  // 36^4 = 1,679,616
  EXPECT_TRUE(make_ff1_generator(four, kKey, kTweak));
  Format three = make_format(kCset82, 3);  // 82^3 = 551,368
  EXPECT_EQ(make_ff1_generator(three, kKey, kTweak).error().code, ErrorCode::DOMAIN_TOO_SMALL);
}

TEST(Ff1Generator, AllMillionSerialsOfTheSmallestDomainArePermuted) {
  Format six = make_format(kNumeric, 6);
  auto gen = make_ff1_generator(six, kKey, kTweak);
  ASSERT_TRUE(gen);
  EXPECT_EQ((*gen)->capacity(), 1000000u);
  std::vector<bool> seen(1000000);
  std::vector<SerialBuffer> batch(1000);
  for (std::uint64_t first = 0; first < 1000000; first += batch.size()) {
    ASSERT_FALSE((*gen)->serials_into(first, batch));
    for (const auto& s : batch) seen[std::stoul(s.str())] = true;
  }
  EXPECT_EQ(std::count(seen.begin(), seen.end(), true), 1000000);
}

TEST(Format, CheckCharactersVerify) {
  EXPECT_EQ(mod37_2_check_character("A999914123458"), 'J');  // ISBT 128 DIN example
  EXPECT_TRUE(mod37_2_valid("A999914123458J"));
  EXPECT_FALSE(mod37_2_valid("A999914123458K"));
  EXPECT_FALSE(mod37_2_check_character("a1"));

  Format mod37 = make_format(kUpperAlphanumeric, 10, "AB", CheckCharacter::mod37_2);
  Format pair = make_format(kUpperAlphanumericUnambiguous, 12, "X", CheckCharacter::gs1_pair);
  EXPECT_EQ(mod37.total_length(), 13u);
  EXPECT_EQ(pair.total_length(), 15u);
  auto g37 = make_ff1_generator(mod37, kKey, kTweak);
  auto gpair = make_ff1_generator(pair, kKey, kTweak);
  ASSERT_TRUE(g37 && gpair);
  int star = 0;
  for (std::uint64_t k = 0; k < 20000; ++k) {
    auto s = *(*g37)->serial(k);
    ASSERT_TRUE(mod37_2_valid(s)) << s;
    ASSERT_TRUE(valid_ai21(s)) << s;
    star += s.back() == '*';
    ASSERT_EQ(*(*g37)->counter_of(s), k);
    auto p = *(*gpair)->serial(k);
    ASSERT_TRUE(gs1::check_character_pair_valid(p)) << p;
    ASSERT_TRUE(valid_ai21(p)) << p;
    ASSERT_EQ(*(*gpair)->counter_of(p), k);
  }
  EXPECT_GT(star, 0);  // '*' (value 36) is a possible MOD 37-2 check character
  // A changed character is caught by the check character.
  auto s = *(*g37)->serial(7);
  s[5] = s[5] == 'Q' ? 'R' : 'Q';
  auto bad = (*g37)->counter_of(s);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::INCORRECT_CHECK_CHARACTER);
  EXPECT_EQ(bad.error().position, 12u);
}

TEST(Format, InvalidFormatsAreRefusedWithTheReason) {
  EXPECT_EQ(Format::create(kNumeric, 16, "SN123").error().code, ErrorCode::TOO_LONG);
  EXPECT_EQ(Format::create(kNumeric, 12, "", CheckCharacter::gs1_pair).error().code,
            ErrorCode::CHECK_NOT_APPLICABLE);
  EXPECT_EQ(
      Format::create(kUpperAlphanumericUnambiguous, 19, "", CheckCharacter::gs1_pair).error().code,
      ErrorCode::TOO_LONG);
  EXPECT_TRUE(Format::create(kNumeric, 15, "SN123"));
  EXPECT_EQ(Format::create(kNumeric, 0).error().code, ErrorCode::INVALID_LENGTH);
  auto dup = Format::create("ABCA", 12);
  EXPECT_EQ(dup.error().code, ErrorCode::INVALID_ALPHABET);
  EXPECT_EQ(dup.error().position, 3u);
  auto space = Format::create("AB C", 12);
  EXPECT_EQ(space.error().code, ErrorCode::INVALID_ALPHABET);
  EXPECT_EQ(space.error().position, 2u);
  EXPECT_EQ(Format::create("A", 12).error().code, ErrorCode::INVALID_ALPHABET);
  auto prefix = Format::create(kNumeric, 10, "A#");
  EXPECT_EQ(prefix.error().code, ErrorCode::INVALID_PREFIX);
  EXPECT_EQ(prefix.error().position, 1u);
  EXPECT_EQ(Format::create(kCset82, 10, "", CheckCharacter::mod37_2).error().code,
            ErrorCode::CHECK_NOT_APPLICABLE);
  EXPECT_EQ(Format::create(kNumeric, 10, "ab", CheckCharacter::mod37_2).error().code,
            ErrorCode::CHECK_NOT_APPLICABLE);
  for (auto preset : {AlphabetPreset::numeric, AlphabetPreset::upper_alphanumeric,
                      AlphabetPreset::upper_alphanumeric_unambiguous, AlphabetPreset::cset82}) {
    EXPECT_EQ(preset_from_name(preset_name(preset)), preset);
    EXPECT_TRUE(Format::create(preset, 20));
  }
  EXPECT_EQ(alphabet_symbols(AlphabetPreset::cset82).size(), 82u);
  EXPECT_EQ(alphabet_symbols(AlphabetPreset::upper_alphanumeric_unambiguous).size(), 32u);
}

TEST(SequentialGenerator, CountsFromStartByStep) {
  Format format = make_format(kNumeric, 8, "S");
  auto gen = make_sequential_generator(format, 1000, 7);
  ASSERT_TRUE(gen);
  EXPECT_EQ(*(*gen)->serial(0), "S00001000");
  EXPECT_EQ(*(*gen)->serial(3), "S00001021");
  EXPECT_EQ(*(*gen)->counter_of("S00001021"), 3u);
  EXPECT_EQ((*gen)->counter_of("S00001022").error().code, ErrorCode::NOT_IN_RANGE);
  EXPECT_EQ((*gen)->counter_of("S00000993").error().code, ErrorCode::NOT_IN_RANGE);
  const std::uint64_t capacity = (100000000 - 1 - 1000) / 7 + 1;
  EXPECT_EQ((*gen)->capacity(), capacity);
  std::string last = "S";  // built with += : GCC 12 warns falsely (-Wrestrict) on "S" + string
  last += std::to_string(1000 + (capacity - 1) * 7);
  EXPECT_EQ(*(*gen)->serial(capacity - 1), last);
  EXPECT_EQ((*gen)->serial(capacity).error().code, ErrorCode::NOT_IN_RANGE);
  std::vector<SerialBuffer> batch(5);
  ASSERT_FALSE((*gen)->serials_into(10, batch));
  EXPECT_EQ(batch[4].view(), "S00001098");

  Format alnum = make_format(kUpperAlphanumeric, 3);
  auto small = make_sequential_generator(alnum, 35, 1);  // sequential may use small domains
  ASSERT_TRUE(small);
  EXPECT_EQ(*(*small)->serial(0), "00Z");
  EXPECT_EQ(*(*small)->serial(1), "010");
  EXPECT_EQ(make_sequential_generator(format, 0, 0).error().code, ErrorCode::INVALID_STEP);
  EXPECT_EQ(make_sequential_generator(format, 100000000, 1).error().code, ErrorCode::NOT_IN_RANGE);
}

TEST(RandomGenerator, RetriesOnCollision) {
  Format format = make_format(kUpperAlphanumericUnambiguous, 12);
  auto gen = RandomGenerator::create(format);
  ASSERT_TRUE(gen);
  std::vector<std::string> refused;
  auto serial = gen->next([&](std::string_view s) {
    if (refused.size() == 3) return false;
    refused.emplace_back(s);
    return true;
  });
  ASSERT_TRUE(serial);
  EXPECT_EQ(gen->draws(), 4u);
  EXPECT_EQ(gen->collisions(), 3u);
  EXPECT_FALSE(format.parse(*serial));
  EXPECT_EQ(std::find(refused.begin(), refused.end(), *serial), refused.end());

  auto full = gen->next([](std::string_view) { return true; }, 10);
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().code, ErrorCode::TOO_MANY_COLLISIONS);
}

TEST(RandomGenerator, DrawsUniqueUniformSerialsAgainstAnIssuedSet) {
  Format format = make_format(kNumeric, 6, "R", CheckCharacter::mod37_2);
  auto gen = RandomGenerator::create(format);
  ASSERT_TRUE(gen);
  std::unordered_set<std::string> issued;
  std::vector<int> digit_counts(10);
  for (int i = 0; i < 50000; ++i) {
    auto s = gen->next([&](std::string_view c) { return issued.count(std::string(c)) > 0; });
    ASSERT_TRUE(s);
    ASSERT_TRUE(mod37_2_valid(*s)) << *s;
    ASSERT_TRUE(valid_ai21(*s));
    for (int k = 1; k <= 6; ++k) ++digit_counts[(*s)[k] - '0'];
    issued.insert(*s);
  }
  EXPECT_EQ(issued.size(), 50000u);
  EXPECT_GT(gen->collisions(), 0u);  // 50,000 of 10^6: about 1,250 expected collisions
  for (int c : digit_counts) EXPECT_NEAR(c, 30000, 1000);  // 300,000 digits, uniform
}

TEST(GuessProbability, IsIssuedOverDomainAndRefusedAboveOneInTenThousand) {
  Format numeric12 = make_format(kNumeric, 12);
  EXPECT_DOUBLE_EQ(guess_probability(numeric12, 1000000), 1e-6);
  EXPECT_DOUBLE_EQ(*check_guess_probability(numeric12, 100000000), 1e-4);  // exactly 1/10,000
  auto refused = check_guess_probability(numeric12, 100000001);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::GUESS_PROBABILITY_TOO_HIGH);
  auto overridden = check_guess_probability(numeric12, 100000001, /*allow_guessable=*/true);
  ASSERT_TRUE(overridden);
  EXPECT_GT(*overridden, 1e-4);

  Format unambiguous12 = make_format(kUpperAlphanumericUnambiguous, 12, "", CheckCharacter::none);
  EXPECT_DOUBLE_EQ(guess_probability(unambiguous12, 1ull << 40), 1.0 / (1ull << 20));
  EXPECT_TRUE(check_guess_probability(unambiguous12, 100000000000000ull));  // 1e14 / 2^60
  Format cset82_20 = make_format(kCset82, 20);
  EXPECT_TRUE(check_guess_probability(cset82_20, ~std::uint64_t{0}));
  EXPECT_LT(guess_probability(cset82_20, ~std::uint64_t{0}), 1e-18);
}

TEST(Ff3_1Generator, RoundTripsAndNeverRepeats) {
  Format format = make_format(kNumeric, 12);
  const std::vector<std::uint8_t> tweak = {0xD8, 0xE7, 0x92, 0x0A, 0xFA, 0x33, 0x0A};
  auto gen = make_ff3_1_generator(format, kKey, tweak);
  ASSERT_TRUE(gen);
  EXPECT_EQ((*gen)->scheme(), Scheme::ff3_1);
  EXPECT_EQ(make_ff3_1_generator(format, kKey, kTweak).error().code, ErrorCode::INVALID_TWEAK);
  std::unordered_set<std::string> seen;
  for (std::uint64_t k = 0; k < 20000; ++k) {
    auto s = *(*gen)->serial(k * 1000003);
    ASSERT_TRUE(seen.insert(s).second);
    ASSERT_EQ(*(*gen)->counter_of(s), k * 1000003);
  }
}

TEST(Generators, ClonesAreIndependentAndEqual) {
  Format format = make_format(kUpperAlphanumeric, 10);
  auto gen = make_ff1_generator(format, kKey, kTweak);
  ASSERT_TRUE(gen);
  auto copy = (*gen)->clone();
  gen->reset();
  EXPECT_EQ(copy->scheme(), Scheme::ff1);
  EXPECT_EQ(*copy->counter_of(*copy->serial(42)), 42u);
  EXPECT_EQ(scheme_from_name("ff3-1"), Scheme::ff3_1);
  EXPECT_EQ(scheme_name(Scheme::ff1), "ff1");
}

}  // namespace
}  // namespace serialtrack::serial

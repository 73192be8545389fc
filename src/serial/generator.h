// Serial generators: counter -> serial bijections (FF1, the default; FF3-1 for
// compatibility; sequential) and a CSPRNG generator with a caller-supplied duplicate check.
//
// FF1 (NIST SP 800-38G §6.2): serial = prefix + FF1(key, tweak, counter written in the
// format's alphabet, zero-padded to the free length) + check characters. One key and
// tweak never give the same serial twice (FF1 is a permutation), a serial cannot be
// predicted without the key, and counter_of() decrypts a serial back to its counter, so
// membership in a range of counters needs no index.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "serial/error.h"
#include "serial/ff1.h"
#include "serial/ff3_1.h"
#include "serial/format.h"

namespace serialtrack::serial {

enum class Scheme : std::uint8_t { ff1, ff3_1, sequential, random };
// "ff1", "ff3-1", "sequential", "random".
std::string_view scheme_name(Scheme scheme);
std::optional<Scheme> scheme_from_name(std::string_view name);

// The FF1/FF3-1 tweak of a GTIN's serials: the GTIN's 14 ASCII digits, then, when there
// is a lot, the GS character (0x1D, never part of CSET 82) and the lot's characters.
// Part of every issued serial: changing this encoding changes every serial.
std::vector<std::uint8_t> serial_tweak(std::string_view gtin, std::string_view lot = {});

// A bijection between counters 0..capacity()-1 and serials of one format. Not safe for
// concurrent use (FF1/FF3-1 generators hold an OpenSSL context): clone() one per thread.
class Generator {
 public:
  virtual ~Generator() = default;
  virtual Scheme scheme() const = 0;
  virtual std::unique_ptr<Generator> clone() const = 0;

  const Format& format() const { return format_; }
  // How many counters (hence serials) there are: the format's domain size, or for a
  // sequential generator the values start, start+step, ... below it; at most 2^64-1.
  std::uint64_t capacity() const { return capacity_; }

  // The serial of counter into out (no allocation). NOT_IN_RANGE when counter >= capacity().
  virtual std::optional<Error> serial_into(std::uint64_t counter, SerialBuffer& out) const = 0;
  // The serials of counters first, first+1, ..., first+out.size()-1 (FF1 does them together,
  // several times faster than one by one). NOT_IN_RANGE if any counter is out of range.
  virtual std::optional<Error> serials_into(std::uint64_t first, std::span<SerialBuffer> out) const;
  // The serial of counter as a string.
  Result<std::string> serial(std::uint64_t counter) const;

  // The counter a serial was generated from. Errors: the format's (WRONG_LENGTH,
  // WRONG_PREFIX, NOT_IN_ALPHABET, INCORRECT_CHECK_CHARACTER, with position), or
  // NOT_IN_RANGE for a well-formed serial that this generator never produces.
  virtual Result<std::uint64_t> counter_of(std::string_view serial) const = 0;

 protected:
  Generator(Format format, std::uint64_t capacity)
      : format_(std::move(format)), capacity_(capacity) {}
  Format format_;
  std::uint64_t capacity_;
};

// FF1 over AES-128/192/256 (key of 16/24/32 bytes) with any tweak, normally
// serial_tweak(gtin, lot). Errors: INVALID_KEY, DOMAIN_TOO_SMALL (radix^free_length <
// 10^6, SP 800-38G Rev.1 draft), CRYPTO_FAILURE.
Result<std::unique_ptr<Generator>> make_ff1_generator(const Format& format,
                                                      std::span<const std::uint8_t> key,
                                                      std::span<const std::uint8_t> tweak);

// FF3-1, for compatibility only (withdrawn by the SP 800-38G Rev.1 draft; never the
// default). tweak is 7 bytes. Errors: INVALID_KEY, INVALID_TWEAK, DOMAIN_TOO_SMALL.
Result<std::unique_ptr<Generator>> make_ff3_1_generator(const Format& format,
                                                        std::span<const std::uint8_t> key,
                                                        std::span<const std::uint8_t> tweak);

// Sequential: counter k gives the free part start + k * step (in the alphabet, zero-padded).
// Predictable by design: not for EU FMD. Errors: INVALID_STEP (step 0), NOT_IN_RANGE
// (start >= the format's domain size).
Result<std::unique_ptr<Generator>> make_sequential_generator(const Format& format, uint128 start,
                                                             std::uint64_t step);

// Random serials from OpenSSL's CSPRNG, each symbol uniform over the alphabet. Uniqueness
// is the caller's: already_issued(candidate) says whether a candidate was issued before
// (the store's lookup, later); a collision draws again. Not safe for concurrent use (it
// buffers random bytes); make one per thread.
class RandomGenerator {
 public:
  using IssuedCheck = std::function<bool(std::string_view serial)>;

  static Result<RandomGenerator> create(const Format& format);
  const Format& format() const { return format_; }

  // A serial not already issued, after at most max_attempts draws. Errors:
  // TOO_MANY_COLLISIONS (every draw was issued already: the format is nearly full),
  // CRYPTO_FAILURE. The caller records the serial as issued.
  std::optional<Error> next_into(const IssuedCheck& already_issued, SerialBuffer& out,
                                 unsigned max_attempts = 100);
  Result<std::string> next(const IssuedCheck& already_issued, unsigned max_attempts = 100);

  // Draws so far, and how many of them collided with an issued serial.
  std::uint64_t draws() const { return draws_; }
  std::uint64_t collisions() const { return collisions_; }

 private:
  explicit RandomGenerator(Format format) : format_(std::move(format)) {}
  std::optional<Error> draw(SerialBuffer& out);
  Format format_;
  std::vector<std::uint8_t> pool_;  // CSPRNG bytes not yet used
  std::size_t pool_used_ = 0;
  std::uint64_t draws_ = 0, collisions_ = 0;
};

}  // namespace serialtrack::serial

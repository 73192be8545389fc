#include "serial/generator.h"

#include <algorithm>
#include <array>

#include "crypto/aes.h"

namespace serialtrack::serial {
namespace {

constexpr std::uint64_t kMaxCounter = ~std::uint64_t{0};

std::uint64_t saturate(uint128 x) {
  return x > kMaxCounter ? kMaxCounter : static_cast<std::uint64_t>(x);
}

Error counter_out_of_range(std::uint64_t counter, std::uint64_t capacity) {
  return make_error(ErrorCode::NOT_IN_RANGE, "counter " + std::to_string(counter) +
                                                 " is beyond the generator's " +
                                                 std::to_string(capacity) + " serials");
}

Error batch_out_of_range(std::uint64_t first, std::size_t count, std::uint64_t capacity) {
  return make_error(ErrorCode::NOT_IN_RANGE, std::to_string(count) + " counters from " +
                                                 std::to_string(first) + " reach beyond the " +
                                                 "generator's " + std::to_string(capacity) +
                                                 " serials");
}

Error not_ours() {
  return make_error(ErrorCode::NOT_IN_RANGE,
                    "the serial is in the format but not one this generator produces");
}

// Writes the free part's halves (u and v numerals) after the prefix, then the check.
void write_serial(const Format& format, std::uint64_t a, std::size_t u, std::uint64_t b,
                  std::size_t v, SerialBuffer& out) {
  format.begin(out);
  format.alphabet().write(a, u, out.chars.data() + out.size);
  format.alphabet().write(b, v, out.chars.data() + out.size + u);
  out.size = static_cast<std::uint8_t>(out.size + u + v);
  format.finish(out);
}

class Ff1Generator final : public Generator {
 public:
  Ff1Generator(const Format& format, Ff1Permutation perm)
      : Generator(format, saturate(format.domain_size())), perm_(std::move(perm)) {}

  Scheme scheme() const override { return Scheme::ff1; }
  std::unique_ptr<Generator> clone() const override {
    return std::make_unique<Ff1Generator>(*this);
  }

  std::optional<Error> serial_into(std::uint64_t counter, SerialBuffer& out) const override {
    if (counter >= capacity_) return counter_out_of_range(counter, capacity_);
    // The counter's numeral string, as FF1's halves: NUM(A) = counter / radix^v,
    // NUM(B) = counter mod radix^v (SP 800-38G §6.2 Alg. 7 step 2).
    auto y = perm_.encrypt({counter / perm_.modulus_b(), counter % perm_.modulus_b()});
    write_serial(format_, y.a, perm_.u(), y.b, perm_.v(), out);
    return std::nullopt;
  }

  std::optional<Error> serials_into(std::uint64_t first,
                                    std::span<SerialBuffer> out) const override {
    if (out.empty()) return std::nullopt;
    if (first >= capacity_ || out.size() - 1 > capacity_ - 1 - first)
      return batch_out_of_range(first, out.size(), capacity_);
    std::array<Ff1Permutation::Halves, Ff1Permutation::kLanes> lanes;
    std::uint64_t a = first / perm_.modulus_b(), b = first % perm_.modulus_b();
    while (!out.empty()) {
      const std::size_t n = std::min(out.size(), lanes.size());
      for (std::size_t i = 0; i < n; ++i) {
        lanes[i] = {a, b};
        if (++b == perm_.modulus_b()) {
          b = 0;
          ++a;
        }
      }
      perm_.encrypt_batch(std::span(lanes.data(), n));
      for (std::size_t i = 0; i < n; ++i)
        write_serial(format_, lanes[i].a, perm_.u(), lanes[i].b, perm_.v(), out[i]);
      out = out.subspan(n);
    }
    return std::nullopt;
  }

  Result<std::uint64_t> counter_of(std::string_view serial) const override {
    std::uint8_t numerals[kMaxSerialLength];
    if (auto e = format_.parse(serial, numerals)) return unexpected(std::move(*e));
    const std::uint32_t radix = format_.alphabet().radix();
    std::uint64_t a = 0, b = 0;
    for (std::size_t i = 0; i < perm_.u(); ++i) a = a * radix + numerals[i];
    for (std::size_t i = perm_.u(); i < perm_.length(); ++i) b = b * radix + numerals[i];
    auto x = perm_.decrypt({a, b});  // SP 800-38G §6.2 Algorithm 8
    uint128 counter = static_cast<uint128>(x.a) * perm_.modulus_b() + x.b;
    if (counter >= capacity_) return unexpected(not_ours());
    return static_cast<std::uint64_t>(counter);
  }

 private:
  Ff1Permutation perm_;
};

class Ff3_1Generator final : public Generator {
 public:
  Ff3_1Generator(const Format& format, Ff3_1 cipher, std::span<const std::uint8_t> tweak)
      : Generator(format, saturate(format.domain_size())), cipher_(std::move(cipher)) {
    std::copy(tweak.begin(), tweak.end(), tweak_.begin());
  }

  Scheme scheme() const override { return Scheme::ff3_1; }
  std::unique_ptr<Generator> clone() const override {
    return std::make_unique<Ff3_1Generator>(*this);
  }

  std::optional<Error> serial_into(std::uint64_t counter, SerialBuffer& out) const override {
    if (counter >= capacity_) return counter_out_of_range(counter, capacity_);
    const std::size_t n = format_.free_length();
    const std::uint32_t radix = format_.alphabet().radix();
    std::uint16_t x[kMaxSerialLength];
    std::uint64_t value = counter;
    for (std::size_t i = n; i-- > 0; value /= radix)
      x[i] = static_cast<std::uint16_t>(value % radix);
    if (auto e = cipher_.encrypt_into(std::span(x, n), tweak_, std::span(x, n))) return e;
    format_.begin(out);
    for (std::size_t i = 0; i < n; ++i) out.chars[out.size++] = format_.alphabet().symbol(x[i]);
    format_.finish(out);
    return std::nullopt;
  }

  Result<std::uint64_t> counter_of(std::string_view serial) const override {
    std::uint8_t numerals[kMaxSerialLength];
    if (auto e = format_.parse(serial, numerals)) return unexpected(std::move(*e));
    const std::size_t n = format_.free_length();
    std::uint16_t x[kMaxSerialLength];
    std::copy(numerals, numerals + n, x);
    if (auto e = cipher_.decrypt_into(std::span(x, n), tweak_, std::span(x, n)))
      return unexpected(std::move(*e));
    uint128 counter = 0;
    for (std::size_t i = 0; i < n; ++i) counter = counter * format_.alphabet().radix() + x[i];
    if (counter >= capacity_) return unexpected(not_ours());
    return static_cast<std::uint64_t>(counter);
  }

 private:
  Ff3_1 cipher_;
  std::array<std::uint8_t, Ff3_1::kTweakSize> tweak_{};
};

class SequentialGenerator final : public Generator {
 public:
  SequentialGenerator(const Format& format, uint128 start, std::uint64_t step)
      : Generator(format, saturate((format.domain_size() - 1 - start) / step + 1)),
        start_(start),
        step_(step) {}

  Scheme scheme() const override { return Scheme::sequential; }
  std::unique_ptr<Generator> clone() const override {
    return std::make_unique<SequentialGenerator>(*this);
  }

  std::optional<Error> serial_into(std::uint64_t counter, SerialBuffer& out) const override {
    if (counter >= capacity_) return counter_out_of_range(counter, capacity_);
    format_.begin(out);
    format_.alphabet().write(start_ + static_cast<uint128>(counter) * step_, format_.free_length(),
                             out.chars.data() + out.size);
    out.size = static_cast<std::uint8_t>(out.size + format_.free_length());
    format_.finish(out);
    return std::nullopt;
  }

  Result<std::uint64_t> counter_of(std::string_view serial) const override {
    std::uint8_t numerals[kMaxSerialLength];
    if (auto e = format_.parse(serial, numerals)) return unexpected(std::move(*e));
    uint128 value = 0;
    for (std::size_t i = 0; i < format_.free_length(); ++i)
      value = value * format_.alphabet().radix() + numerals[i];
    if (value < start_ || (value - start_) % step_ != 0) return unexpected(not_ours());
    uint128 counter = (value - start_) / step_;
    if (counter >= capacity_) return unexpected(not_ours());
    return static_cast<std::uint64_t>(counter);
  }

 private:
  uint128 start_;
  std::uint64_t step_;
};

Error from_cipher(Error e) {
  // A serial format's free part is the cipher's whole input: say so in the message.
  if (e.code == ErrorCode::DOMAIN_TOO_SMALL)
    e.message =
        "alphabet size^free length is below 1,000,000: too few serials to encrypt "
        "(NIST SP 800-38G Rev.1 minimum domain)";
  return e;
}

}  // namespace

std::string_view scheme_name(Scheme scheme) {
  switch (scheme) {
    case Scheme::ff1:
      return "ff1";
    case Scheme::ff3_1:
      return "ff3-1";
    case Scheme::sequential:
      return "sequential";
    case Scheme::random:
      return "random";
  }
  return "ff1";
}

std::optional<Scheme> scheme_from_name(std::string_view name) {
  for (auto s : {Scheme::ff1, Scheme::ff3_1, Scheme::sequential, Scheme::random})
    if (scheme_name(s) == name) return s;
  return std::nullopt;
}

std::vector<std::uint8_t> serial_tweak(std::string_view gtin, std::string_view lot) {
  std::vector<std::uint8_t> tweak(gtin.begin(), gtin.end());
  if (!lot.empty()) {
    tweak.push_back(0x1D);  // GS: cannot occur in a GTIN or a CSET 82 lot
    tweak.insert(tweak.end(), lot.begin(), lot.end());
  }
  return tweak;
}

std::optional<Error> Generator::serials_into(std::uint64_t first,
                                             std::span<SerialBuffer> out) const {
  if (out.empty()) return std::nullopt;
  if (first >= capacity_ || out.size() - 1 > capacity_ - 1 - first)
    return batch_out_of_range(first, out.size(), capacity_);
  for (std::size_t i = 0; i < out.size(); ++i)
    if (auto e = serial_into(first + i, out[i])) return e;
  return std::nullopt;
}

Result<std::string> Generator::serial(std::uint64_t counter) const {
  SerialBuffer out;
  if (auto e = serial_into(counter, out)) return unexpected(std::move(*e));
  return out.str();
}

Result<std::unique_ptr<Generator>> make_ff1_generator(const Format& format,
                                                      std::span<const std::uint8_t> key,
                                                      std::span<const std::uint8_t> tweak) {
  auto perm = Ff1Permutation::create(key, format.alphabet().radix(), format.free_length(), tweak);
  if (!perm) return unexpected(from_cipher(std::move(perm).error()));
  return std::unique_ptr<Generator>(std::make_unique<Ff1Generator>(format, std::move(*perm)));
}

Result<std::unique_ptr<Generator>> make_ff3_1_generator(const Format& format,
                                                        std::span<const std::uint8_t> key,
                                                        std::span<const std::uint8_t> tweak) {
  auto cipher = Ff3_1::create(key, format.alphabet().radix());
  if (!cipher) return unexpected(std::move(cipher).error());
  if (tweak.size() != Ff3_1::kTweakSize)
    return unexpected(make_error(ErrorCode::INVALID_TWEAK, "the FF3-1 tweak is 7 bytes"));
  if (!domain_large_enough(format.alphabet().radix(), format.free_length()))
    return unexpected(from_cipher(make_error(ErrorCode::DOMAIN_TOO_SMALL, "")));
  if (format.free_length() > cipher->max_length())
    return unexpected(make_error(ErrorCode::INVALID_LENGTH, "free length beyond FF3-1's maximum"));
  return std::unique_ptr<Generator>(
      std::make_unique<Ff3_1Generator>(format, std::move(*cipher), tweak));
}

Result<std::unique_ptr<Generator>> make_sequential_generator(const Format& format, uint128 start,
                                                             std::uint64_t step) {
  if (step == 0) return unexpected(make_error(ErrorCode::INVALID_STEP, "the step must be >= 1"));
  if (start >= format.domain_size())
    return unexpected(
        make_error(ErrorCode::NOT_IN_RANGE, "the start does not fit the format's free length"));
  return std::unique_ptr<Generator>(std::make_unique<SequentialGenerator>(format, start, step));
}

Result<RandomGenerator> RandomGenerator::create(const Format& format) {
  return RandomGenerator(format);
}

std::optional<Error> RandomGenerator::draw(SerialBuffer& out) {
  const std::uint32_t radix = format_.alphabet().radix();
  // Rejection sampling keeps every symbol uniform: bytes >= limit are discarded.
  const std::uint32_t limit = 256 - 256 % radix;
  format_.begin(out);
  for (std::size_t i = 0; i < format_.free_length();) {
    if (pool_used_ == pool_.size()) {
      pool_.resize(4096);
      if (auto e = crypto::random_bytes(pool_))
        return make_error(ErrorCode::CRYPTO_FAILURE, e->message);
      pool_used_ = 0;
    }
    std::uint8_t byte = pool_[pool_used_++];
    if (byte >= limit) continue;
    out.chars[out.size++] = format_.alphabet().symbol(byte % radix);
    ++i;
  }
  format_.finish(out);
  return std::nullopt;
}

std::optional<Error> RandomGenerator::next_into(const IssuedCheck& already_issued,
                                                SerialBuffer& out, unsigned max_attempts) {
  for (unsigned attempt = 0; attempt < max_attempts; ++attempt) {
    if (auto e = draw(out)) return e;
    ++draws_;
    if (!already_issued || !already_issued(out.view())) return std::nullopt;
    ++collisions_;
  }
  return make_error(ErrorCode::TOO_MANY_COLLISIONS,
                    "every one of " + std::to_string(max_attempts) +
                        " random serials was issued already: the format is nearly full");
}

Result<std::string> RandomGenerator::next(const IssuedCheck& already_issued,
                                          unsigned max_attempts) {
  SerialBuffer out;
  if (auto e = next_into(already_issued, out, max_attempts)) return unexpected(std::move(*e));
  return out.str();
}

}  // namespace serialtrack::serial

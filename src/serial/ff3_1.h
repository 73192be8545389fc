// FF3-1 format-preserving encryption (NIST SP 800-38G Rev.1 §6.3, Algorithms 9 and 10)
// over AES-128/192/256, with its 56-bit tweak. For compatibility only: the 2025 draft of
// SP 800-38G Rev.1 withdraws FF3-1 after Beyne's linear attack (CRYPTO 2021), so it is
// never a default here; new serials use FF1. Domains below radix^n = 10^6 are refused.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "crypto/aes.h"
#include "serial/error.h"

namespace serialtrack::serial {

// FF3-1 with one AES key and radix. Every supported string fits two 96-bit halves
// (radix^ceil(n/2) <= 2^96), so it works on integers throughout. Not safe for concurrent
// use (it holds an Aes); copies are independent.
class Ff3_1 {
 public:
  static constexpr std::size_t kTweakSize = 7;  // 56 bits

  // Errors: INVALID_KEY (not 16/24/32 bytes), INVALID_RADIX (outside 2..65536),
  // CRYPTO_FAILURE.
  static Result<Ff3_1> create(std::span<const std::uint8_t> key, std::uint32_t radix);

  std::uint32_t radix() const { return radix_; }
  // maxlen = 2 * floor(log_radix(2^96)) (SP 800-38G Rev.1 §6.3).
  std::size_t max_length() const { return max_length_; }

  // FF3-1.Encrypt(K, T, X) / FF3-1.Decrypt. Errors: INVALID_TWEAK (not 7 bytes),
  // INVALID_NUMERAL (position = its index), DOMAIN_TOO_SMALL (radix^n < 10^6),
  // INVALID_LENGTH (n > max_length()).
  Result<std::vector<std::uint16_t>> encrypt(std::span<const std::uint16_t> x,
                                             std::span<const std::uint8_t> tweak) const;
  Result<std::vector<std::uint16_t>> decrypt(std::span<const std::uint16_t> x,
                                             std::span<const std::uint8_t> tweak) const;
  // The same without allocating: out has x.size() elements (out may alias x).
  std::optional<Error> encrypt_into(std::span<const std::uint16_t> x,
                                    std::span<const std::uint8_t> tweak,
                                    std::span<std::uint16_t> out) const;
  std::optional<Error> decrypt_into(std::span<const std::uint16_t> x,
                                    std::span<const std::uint8_t> tweak,
                                    std::span<std::uint16_t> out) const;

 private:
  Ff3_1(crypto::Aes aes, std::uint32_t radix, std::size_t max_length)
      : aes_(std::move(aes)), radix_(radix), max_length_(max_length) {}
  std::optional<Error> run(std::span<const std::uint16_t> x, std::span<const std::uint8_t> tweak,
                           std::span<std::uint16_t> out, bool encrypt) const;
  crypto::Aes aes_;
  std::uint32_t radix_;
  std::size_t max_length_;
};

}  // namespace serialtrack::serial

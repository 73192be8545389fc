// FF1 format-preserving encryption (NIST SP 800-38G §6.2, Algorithms 7 and 8) over
// AES-128/192/256: a keyed, tweakable permutation of the numeral strings of a given
// radix and length. Two forms:
//  - Ff1: any radix 2..65536 and length (numerals in std::vector; the reference form,
//    used for the conformance vectors and long strings);
//  - Ff1Permutation: one (key, tweak, length) with both halves below 2^64 (every serial
//    format: radix <= 82, length <= 20), on integers, with the constant first MAC block
//    encrypted once; the fast form the generators use.
// NIST SP 800-38G Rev.1 (2nd public draft, 2025) makes radix^length >= 1,000,000 a
// requirement; both forms refuse smaller domains (DOMAIN_TOO_SMALL).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "crypto/aes.h"
#include "serial/error.h"

namespace serialtrack::serial {

// radix^length >= 10^6 (SP 800-38G Rev.1 draft §6: minlen).
inline constexpr std::uint64_t kMinDomainSize = 1000000;

// True when radix^length >= kMinDomainSize.
bool domain_large_enough(std::uint32_t radix, std::size_t length);

// FF1 with one AES key and radix. Not safe for concurrent use (it holds an Aes); copies
// are independent.
class Ff1 {
 public:
  // Errors: INVALID_KEY (not 16/24/32 bytes), INVALID_RADIX (outside 2..65536),
  // CRYPTO_FAILURE.
  static Result<Ff1> create(std::span<const std::uint8_t> key, std::uint32_t radix);

  std::uint32_t radix() const { return radix_; }

  // FF1.Encrypt(K, T, X) (Algorithm 7) and FF1.Decrypt (Algorithm 8). Errors:
  // INVALID_NUMERAL (a numeral >= radix; position = its index), DOMAIN_TOO_SMALL
  // (radix^n < 10^6), INVALID_LENGTH (n < 2 or n >= 2^32), INVALID_TWEAK (>= 2^32 bytes).
  Result<std::vector<std::uint16_t>> encrypt(std::span<const std::uint16_t> x,
                                             std::span<const std::uint8_t> tweak) const;
  Result<std::vector<std::uint16_t>> decrypt(std::span<const std::uint16_t> x,
                                             std::span<const std::uint8_t> tweak) const;

 private:
  Ff1(crypto::Aes aes, std::uint32_t radix) : aes_(std::move(aes)), radix_(radix) {}
  Result<std::vector<std::uint16_t>> run(std::span<const std::uint16_t> x,
                                         std::span<const std::uint8_t> tweak, bool encrypt) const;
  crypto::Aes aes_;
  std::uint32_t radix_;
};

// FF1 for one key, tweak, radix and length n, on the numeral string's two halves as
// integers: a = NUM_radix(X[1..u]), b = NUM_radix(X[u+1..n]) with u = floor(n/2)
// (SP 800-38G §6.2 Algorithm 7 steps 1-2). Requires radix^(n-u) < 2^64. The MAC state
// after P and the constant blocks of Q is computed once here, so each Feistel round
// costs one AES block. Not safe for concurrent use; copies are independent.
class Ff1Permutation {
 public:
  struct Halves {
    std::uint64_t a;  // NUM_radix of the first u numerals, < modulus_a()
    std::uint64_t b;  // NUM_radix of the last v numerals, < modulus_b()
  };

  // Errors: as Ff1::create, DOMAIN_TOO_SMALL, INVALID_LENGTH (n < 2, or radix^(n-u) does
  // not fit in 64 bits), INVALID_TWEAK.
  static Result<Ff1Permutation> create(std::span<const std::uint8_t> key, std::uint32_t radix,
                                       std::size_t length, std::span<const std::uint8_t> tweak);

  std::size_t length() const { return u_ + v_; }
  std::size_t u() const { return u_; }
  std::size_t v() const { return v_; }
  std::uint64_t modulus_a() const { return modulus_[0]; }  // radix^u
  std::uint64_t modulus_b() const { return modulus_[1]; }  // radix^v

  // Encrypts / decrypts one numeral string given as halves (each below its modulus).
  Halves encrypt(Halves x) const;
  Halves decrypt(Halves y) const;
  // Encrypts every element in place: the same results as encrypt(), faster (the AES
  // blocks of many strings go through OpenSSL together, hiding AES latency).
  void encrypt_batch(std::span<Halves> xs) const;

  // Largest batch encrypt_batch processes per pass (larger spans are split).
  static constexpr std::size_t kLanes = 32;

 private:
  Ff1Permutation(crypto::Aes aes) : aes_(std::move(aes)) {}
  crypto::Aes aes_;
  std::size_t u_ = 0, v_ = 0;
  std::size_t b_ = 0, d_ = 0;
  std::uint64_t modulus_[2] = {0, 0};
  // Round i's last block of P || Q with the CBC-MAC state before it XORed in, and [i]1.
  std::array<std::array<std::uint8_t, 16>, 10> round_block_{};
};

}  // namespace serialtrack::serial

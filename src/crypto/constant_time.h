// Comparison of secrets in time independent of their contents (CRYPTO_memcmp), part of
// the one crypto wrapper over OpenSSL: comparing a presented key's hash with the stored
// one must not leak, through timing, how many leading bytes agree. Pure, thread-safe.
#pragma once

#include <cstdint>
#include <span>

namespace serialtrack::crypto {

// True when a and b have the same length and the same bytes. The time taken depends
// only on the lengths, never on where the bytes differ.
bool constant_time_equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

}  // namespace serialtrack::crypto

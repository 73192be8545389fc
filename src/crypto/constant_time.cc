#include "crypto/constant_time.h"

#include <openssl/crypto.h>

namespace serialtrack::crypto {

bool constant_time_equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  if (a.size() != b.size()) return false;  // lengths are public (digests have a fixed size)
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace serialtrack::crypto

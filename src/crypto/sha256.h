// SHA-256 through OpenSSL 3 (FIPS 180-4), part of the one crypto wrapper. Used for the
// CBV 2.0 §8.9 event hash and the ledger's leaves. Pure function, thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace serialtrack::crypto {

using Sha256Digest = std::array<std::uint8_t, 32>;

Sha256Digest sha256(std::string_view data);

// SHA-256 of salt followed by data, without copying them together: the salted hash of
// a high-entropy secret (an API key), stored instead of the secret.
Sha256Digest salted_sha256(std::string_view salt, std::string_view data);

// Lower-case hex of a digest (64 characters).
std::string to_hex(const Sha256Digest& digest);

}  // namespace serialtrack::crypto

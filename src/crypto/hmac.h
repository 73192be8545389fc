// HMAC-SHA-256 (RFC 2104, FIPS 198-1) through OpenSSL 3, part of the one crypto
// wrapper: signs the webhook posts of query subscriptions (GS1-Signature). Pure
// function, thread-safe.
#pragma once

#include <string_view>

#include "crypto/sha256.h"

namespace serialtrack::crypto {

// The HMAC-SHA-256 of data under key (any length).
Sha256Digest hmac_sha256(std::string_view key, std::string_view data);

}  // namespace serialtrack::crypto

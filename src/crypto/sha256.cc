#include "crypto/sha256.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstring>

namespace serialtrack::crypto {

Sha256Digest sha256(std::string_view data) {
  Sha256Digest out{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr);
  return out;
}

Sha256Digest salted_sha256(std::string_view salt, std::string_view data) {
  // Short inputs (an API key's salt and secret) go through one EVP_Digest on the stack:
  // a digest context costs more than the hash. The copy is wiped: it holds the secret.
  std::array<char, 256> buffer;
  if (salt.size() + data.size() <= buffer.size()) {
    std::memcpy(buffer.data(), salt.data(), salt.size());
    std::memcpy(buffer.data() + salt.size(), data.data(), data.size());
    Sha256Digest out = sha256(std::string_view(buffer.data(), salt.size() + data.size()));
    OPENSSL_cleanse(buffer.data(), buffer.size());
    return out;
  }
  Sha256Digest out{};
  unsigned int len = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  EVP_DigestUpdate(ctx, salt.data(), salt.size());
  EVP_DigestUpdate(ctx, data.data(), data.size());
  EVP_DigestFinal_ex(ctx, out.data(), &len);
  EVP_MD_CTX_free(ctx);
  return out;
}

std::string to_hex(const Sha256Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(64);
  for (std::uint8_t b : digest) {
    s.push_back(kHex[b >> 4]);
    s.push_back(kHex[b & 15]);
  }
  return s;
}

}  // namespace serialtrack::crypto

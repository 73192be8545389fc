#include "crypto/aes.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <climits>
#include <cstdlib>
#include <utility>

namespace serialtrack::crypto {
namespace {

const EVP_CIPHER* ecb_cipher(std::size_t key_size) {
  switch (key_size) {
    case 16:
      return EVP_aes_128_ecb();
    case 24:
      return EVP_aes_192_ecb();
    case 32:
      return EVP_aes_256_ecb();
    default:
      return nullptr;
  }
}

}  // namespace

Result<Aes> Aes::create(std::span<const std::uint8_t> key) {
  const EVP_CIPHER* cipher = ecb_cipher(key.size());
  if (cipher == nullptr)
    return unexpected(Error{ErrorCode::INVALID_KEY_LENGTH,
                            "an AES key is 16, 24 or 32 bytes, not " + std::to_string(key.size())});
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  if (ctx == nullptr || EVP_EncryptInit_ex(ctx, cipher, nullptr, key.data(), nullptr) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx, 0) != 1) {
    EVP_CIPHER_CTX_free(ctx);
    return unexpected(Error{ErrorCode::OPENSSL_FAILURE, "OpenSSL could not set up AES-ECB"});
  }
  return Aes(ctx, key.size());
}

Aes::Aes(const Aes& other) : key_size_(other.key_size_) {
  if (other.ctx_ == nullptr) return;
  ctx_ = EVP_CIPHER_CTX_new();
  // A copy that cannot be made is an allocation failure: as fatal as std::bad_alloc.
  if (ctx_ == nullptr || EVP_CIPHER_CTX_copy(ctx_, other.ctx_) != 1) std::abort();
}

Aes& Aes::operator=(const Aes& other) {
  if (this != &other) {
    Aes copy(other);
    *this = std::move(copy);
  }
  return *this;
}

Aes::Aes(Aes&& other) noexcept
    : ctx_(std::exchange(other.ctx_, nullptr)), key_size_(other.key_size_) {}

Aes& Aes::operator=(Aes&& other) noexcept {
  if (this != &other) {
    EVP_CIPHER_CTX_free(ctx_);
    ctx_ = std::exchange(other.ctx_, nullptr);
    key_size_ = other.key_size_;
  }
  return *this;
}

Aes::~Aes() {
  EVP_CIPHER_CTX_free(ctx_);
}

void Aes::encrypt_block(const std::uint8_t* in, std::uint8_t* out) const {
  int written = 0;
  // ECB on whole blocks without padding cannot fail once initialised.
  EVP_EncryptUpdate(ctx_, out, &written, in, static_cast<int>(kBlockSize));
}

void Aes::encrypt_blocks(const std::uint8_t* in, std::uint8_t* out, std::size_t blocks) const {
  constexpr std::size_t kMaxPerCall = (INT_MAX / kBlockSize) * kBlockSize;
  std::size_t bytes = blocks * kBlockSize;
  while (bytes > 0) {
    std::size_t n = bytes < kMaxPerCall ? bytes : kMaxPerCall;
    int written = 0;
    EVP_EncryptUpdate(ctx_, out, &written, in, static_cast<int>(n));
    in += n;
    out += n;
    bytes -= n;
  }
}

std::optional<Error> random_bytes(std::span<std::uint8_t> out) {
  while (!out.empty()) {
    std::size_t n = out.size() < INT_MAX ? out.size() : INT_MAX;
    if (RAND_bytes(out.data(), static_cast<int>(n)) != 1)
      return Error{ErrorCode::OPENSSL_FAILURE, "OpenSSL's random generator failed"};
    out = out.subspan(n);
  }
  return std::nullopt;
}

}  // namespace serialtrack::crypto

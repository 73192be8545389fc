// The one wrapper over OpenSSL 3 (DESIGN.md "Crypto goes through one small wrapper"):
// AES-128/192/256 block encryption with a key schedule built once, and CSPRNG bytes.
// FF1/FF3-1 (src/serial) need only the forward cipher (NIST SP 800-38G §4.3: CIPH_K).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "common/result.h"

struct evp_cipher_ctx_st;  // OpenSSL's EVP_CIPHER_CTX, kept out of this header

namespace serialtrack::crypto {

enum class ErrorCode : std::uint8_t {
  INVALID_KEY_LENGTH,  // an AES key is 16, 24 or 32 bytes
  OPENSSL_FAILURE,     // OpenSSL refused (out of memory, no entropy, provider missing)
};

struct Error {
  ErrorCode code;
  std::string message;  // one sentence for a person; never contains key material
};

template <typename T>
using Result = serialtrack::Result<T, Error>;

// AES encryption (FIPS 197) in ECB mode, one key: an EVP_CIPHER_CTX initialised once
// and reused for every call, so a block costs one EVP_EncryptUpdate (AES-NI when the
// CPU has it). Not safe for concurrent calls on one object (each call updates the
// OpenSSL context); copies are independent and cheap: give each thread its own copy.
class Aes {
 public:
  static constexpr std::size_t kBlockSize = 16;

  // A cipher for key (16, 24 or 32 bytes: AES-128/192/256); INVALID_KEY_LENGTH
  // otherwise, OPENSSL_FAILURE if OpenSSL cannot set it up. The key is not retained
  // beyond OpenSSL's key schedule.
  static Result<Aes> create(std::span<const std::uint8_t> key);

  Aes(const Aes& other);
  Aes& operator=(const Aes& other);
  Aes(Aes&& other) noexcept;
  Aes& operator=(Aes&& other) noexcept;
  ~Aes();

  // Key length in bytes (16, 24 or 32).
  std::size_t key_size() const { return key_size_; }

  // out = AES_K(in) for one 16-byte block. in and out may be the same buffer.
  void encrypt_block(const std::uint8_t* in, std::uint8_t* out) const;

  // ECB over `blocks` consecutive 16-byte blocks (independent blocks, so OpenSSL
  // pipelines them: several blocks cost little more than one). in == out is allowed;
  // other overlaps are not.
  void encrypt_blocks(const std::uint8_t* in, std::uint8_t* out, std::size_t blocks) const;

 private:
  Aes(evp_cipher_ctx_st* ctx, std::size_t key_size) : ctx_(ctx), key_size_(key_size) {}
  evp_cipher_ctx_st* ctx_ = nullptr;
  std::size_t key_size_ = 0;
};

// Fills out with bytes from OpenSSL's CSPRNG (RAND_bytes; NIST SP 800-90A DRBG seeded by
// the OS). nullopt on success, OPENSSL_FAILURE when the generator cannot deliver.
// Thread-safe.
std::optional<Error> random_bytes(std::span<std::uint8_t> out);

}  // namespace serialtrack::crypto

#include "serial/ff3_1.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>

#include "serial/ff1.h"     // domain_large_enough
#include "serial/format.h"  // uint128

namespace serialtrack::serial {

Result<Ff3_1> Ff3_1::create(std::span<const std::uint8_t> key, std::uint32_t radix) {
  if (radix < 2 || radix > 65536)
    return unexpected(make_error(ErrorCode::INVALID_RADIX, "FF3-1 radix is 2 to 65536"));
  if (key.size() != 16 && key.size() != 24 && key.size() != 32)
    return unexpected(make_error(ErrorCode::INVALID_KEY, "an AES key is 16, 24 or 32 bytes"));
  // SP 800-38G Rev.1 §6.3: the block cipher is keyed with REVB(K).
  std::array<std::uint8_t, 32> reversed{};
  std::reverse_copy(key.begin(), key.end(), reversed.begin());
  auto aes = crypto::Aes::create(std::span(reversed.data(), key.size()));
  reversed.fill(0);
  if (!aes) return unexpected(make_error(ErrorCode::CRYPTO_FAILURE, aes.error().message));
  // maxlen = 2 * floor(log_radix(2^96)): the largest k with radix^k <= 2^96, doubled.
  std::size_t k = 0;
  for (uint128 p = radix; p <= (static_cast<uint128>(1) << 96); p *= radix) ++k;
  return Ff3_1(std::move(*aes), radix, 2 * k);
}

Result<std::vector<std::uint16_t>> Ff3_1::encrypt(std::span<const std::uint16_t> x,
                                                  std::span<const std::uint8_t> tweak) const {
  std::vector<std::uint16_t> out(x.size());
  if (auto e = run(x, tweak, out, true)) return unexpected(std::move(*e));
  return out;
}

Result<std::vector<std::uint16_t>> Ff3_1::decrypt(std::span<const std::uint16_t> x,
                                                  std::span<const std::uint8_t> tweak) const {
  std::vector<std::uint16_t> out(x.size());
  if (auto e = run(x, tweak, out, false)) return unexpected(std::move(*e));
  return out;
}

std::optional<Error> Ff3_1::encrypt_into(std::span<const std::uint16_t> x,
                                         std::span<const std::uint8_t> tweak,
                                         std::span<std::uint16_t> out) const {
  return run(x, tweak, out, true);
}

std::optional<Error> Ff3_1::decrypt_into(std::span<const std::uint16_t> x,
                                         std::span<const std::uint8_t> tweak,
                                         std::span<std::uint16_t> out) const {
  return run(x, tweak, out, false);
}

std::optional<Error> Ff3_1::run(std::span<const std::uint16_t> x,
                                std::span<const std::uint8_t> tweak, std::span<std::uint16_t> out,
                                bool encrypt) const {
  const std::size_t n = x.size();
  if (tweak.size() != kTweakSize)
    return make_error(ErrorCode::INVALID_TWEAK, "the FF3-1 tweak is 56 bits (7 bytes)");
  if (n < 2 || n > max_length_)
    return make_error(ErrorCode::INVALID_LENGTH,
                      "FF3-1 takes 2 to " + std::to_string(max_length_) + " numerals");
  if (!domain_large_enough(radix_, n))
    return make_error(ErrorCode::DOMAIN_TOO_SMALL,
                      "radix^length is below 1,000,000 (NIST SP 800-38G Rev.1 minimum domain)");
  if (out.size() != n) return make_error(ErrorCode::INVALID_LENGTH, "output size differs");
  for (std::size_t i = 0; i < n; ++i)
    if (x[i] >= radix_)
      return make_error(ErrorCode::INVALID_NUMERAL,
                        "numeral " + std::to_string(i) + " is not below the radix", i);

  const std::size_t u = (n + 1) / 2, v = n - u;  // Alg. 9 step 1: u = ceil(n/2)
  // Step 2 with the reversals of steps 4.ii and 4.v folded in: the halves are kept as
  // a = NUM_radix(REV(A)), b = NUM_radix(REV(B)) (numeral 0 least significant).
  auto num_rev = [&](std::size_t from, std::size_t len) {
    uint128 r = 0;
    for (std::size_t j = len; j-- > 0;) r = r * radix_ + x[from + j];
    return r;
  };
  uint128 a = num_rev(0, u), b = num_rev(u, v);
  uint128 modulus[2] = {1, 1};  // radix^u, radix^v
  for (std::size_t j = 0; j < u; ++j) modulus[0] *= radix_;
  for (std::size_t j = 0; j < v; ++j) modulus[1] *= radix_;
  // Step 3: TL = T[0..27] || 0^4, TR = T[32..55] || T[28..31] || 0^4.
  const std::uint8_t tl[4] = {tweak[0], tweak[1], tweak[2],
                              static_cast<std::uint8_t>(tweak[3] & 0xF0)};
  const std::uint8_t tr[4] = {tweak[4], tweak[5], tweak[6],
                              static_cast<std::uint8_t>((tweak[3] & 0x0F) << 4)};

  for (int step = 0; step < 8; ++step) {
    const int i = encrypt ? step : 7 - step;  // Alg. 10 runs i from 7 down to 0
    // Step 4.i: m = u and W = TR for even i, else m = v and W = TL.
    const uint128 m = modulus[i & 1];
    const std::uint8_t* w = (i & 1) ? tl : tr;
    // Step 4.ii: P = W xor [i]4 || [NUM_radix(REV(B))]12 (Alg. 10: REV(A)), built
    // directly as REVB(P) for step 4.iii.
    uint128 num = encrypt ? b : a;
    std::array<std::uint8_t, 16> blk;
    for (int k = 0; k < 12; ++k) blk[k] = static_cast<std::uint8_t>(num >> (8 * k));
    blk[12] = static_cast<std::uint8_t>(w[3] ^ i);
    blk[13] = w[2];
    blk[14] = w[1];
    blk[15] = w[0];
    // Step 4.iii: S = REVB(CIPH_REVB(K)(REVB(P))); 4.iv: y = NUM(S), i.e. the cipher
    // output read little-endian.
    aes_.encrypt_block(blk.data(), blk.data());
    uint128 y = 0;
    for (int k = 16; k-- > 0;) y = (y << 8) | blk[k];
    y %= m;
    if (encrypt) {
      // Step 4.v: c = (NUM_radix(REV(A)) + y) mod radix^m; 4.vi-viii: A = B, B = C.
      uint128 c = a + y;
      if (c >= m) c -= m;
      a = b;
      b = c;
    } else {
      // Alg. 10 step 4.v: c = (NUM_radix(REV(B)) - y) mod radix^m; B = A, A = C.
      uint128 c = b >= y ? b - y : b + (m - y);
      b = a;
      a = c;
    }
  }
  // Step 5: return A || B, with A = REV(STR^u_radix(a)), B = REV(STR^v_radix(b)).
  for (std::size_t j = 0; j < u; ++j, a /= radix_) out[j] = static_cast<std::uint16_t>(a % radix_);
  for (std::size_t j = 0; j < v; ++j, b /= radix_)
    out[u + j] = static_cast<std::uint16_t>(b % radix_);
  return std::nullopt;
}

}  // namespace serialtrack::serial

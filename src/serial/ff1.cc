#include "serial/ff1.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <optional>
#include <string>

#include "serial/format.h"  // uint128

namespace serialtrack::serial {
namespace {

constexpr std::uint32_t kMaxRadix = 65536;  // SP 800-38G §5.2: radix in [2..2^16]

// A small unsigned big integer, little-endian 32-bit limbs: only what FF1's reference form
// needs (SP 800-38G §4.5 NUM, NUM_radix, STR^m_radix) for strings beyond 128 bits.
class BigNum {
 public:
  void mul_add(std::uint32_t mul, std::uint32_t add) {
    std::uint64_t carry = add;
    for (auto& limb : limbs_) {
      std::uint64_t t = static_cast<std::uint64_t>(limb) * mul + carry;
      limb = static_cast<std::uint32_t>(t);
      carry = t >> 32;
    }
    if (carry != 0) limbs_.push_back(static_cast<std::uint32_t>(carry));
  }
  // *this /= d; returns the remainder.
  std::uint32_t divmod(std::uint32_t d) {
    std::uint64_t rem = 0;
    for (std::size_t i = limbs_.size(); i-- > 0;) {
      std::uint64_t cur = (rem << 32) | limbs_[i];
      limbs_[i] = static_cast<std::uint32_t>(cur / d);
      rem = cur % d;
    }
    while (!limbs_.empty() && limbs_.back() == 0) limbs_.pop_back();
    return static_cast<std::uint32_t>(rem);
  }
  std::size_t bit_length() const {
    if (limbs_.empty()) return 0;
    return 32 * (limbs_.size() - 1) +
           (32 - static_cast<std::size_t>(std::countl_zero(limbs_.back())));
  }
  bool power_of_two() const {
    int ones = 0;
    for (auto l : limbs_) ones += std::popcount(l);
    return ones == 1;
  }
  // [x]^len: the value as len big-endian bytes (the value must fit).
  void to_bytes(std::uint8_t* out, std::size_t len) const {
    for (std::size_t i = 0; i < len; ++i) {
      std::size_t limb = i / 4;
      out[len - 1 - i] =
          limb < limbs_.size() ? static_cast<std::uint8_t>(limbs_[limb] >> (8 * (i % 4))) : 0;
    }
  }
  static BigNum from_bytes(const std::uint8_t* in, std::size_t len) {
    BigNum n;
    for (std::size_t i = 0; i < len; ++i) n.mul_add(256, in[i]);
    return n;
  }

 private:
  std::vector<std::uint32_t> limbs_;
};

std::uint64_t load_be64(const std::uint8_t* p) {
  std::uint64_t x;
  std::memcpy(&x, p, 8);
  if constexpr (std::endian::native == std::endian::little) x = __builtin_bswap64(x);
  return x;
}
std::uint32_t load_be32(const std::uint8_t* p) {
  std::uint32_t x;
  std::memcpy(&x, p, 4);
  if constexpr (std::endian::native == std::endian::little) x = __builtin_bswap32(x);
  return x;
}
void xor_be64(std::uint8_t* p, std::uint64_t x) {
  std::uint64_t cur;
  std::memcpy(&cur, p, 8);
  if constexpr (std::endian::native == std::endian::little) x = __builtin_bswap64(x);
  cur ^= x;
  std::memcpy(p, &cur, 8);
}

// SP 800-38G §6.2 Algorithm 7 step 5: P = [1]1 || [2]1 || [1]1 || [radix]3 || [10]1 ||
// [u mod 256]1 || [n]4 || [t]4.
std::array<std::uint8_t, 16> ff1_p_block(std::uint32_t radix, std::size_t u, std::size_t n,
                                         std::size_t t) {
  return {1,
          2,
          1,
          static_cast<std::uint8_t>(radix >> 16),
          static_cast<std::uint8_t>(radix >> 8),
          static_cast<std::uint8_t>(radix),
          10,
          static_cast<std::uint8_t>(u % 256),
          static_cast<std::uint8_t>(n >> 24),
          static_cast<std::uint8_t>(n >> 16),
          static_cast<std::uint8_t>(n >> 8),
          static_cast<std::uint8_t>(n),
          static_cast<std::uint8_t>(t >> 24),
          static_cast<std::uint8_t>(t >> 16),
          static_cast<std::uint8_t>(t >> 8),
          static_cast<std::uint8_t>(t)};
}

// SP 800-38G §6.2 Algorithm 7 step 3: b = ceil(ceil(v * log2(radix)) / 8), with
// ceil(v * log2(radix)) = bit length of radix^v - 1.
std::size_t ff1_b(std::uint32_t radix, std::size_t v) {
  BigNum pow;
  pow.mul_add(1, 1);
  for (std::size_t i = 0; i < v; ++i) pow.mul_add(radix, 0);
  std::size_t bits = pow.bit_length() - (pow.power_of_two() ? 1 : 0);
  return (bits + 7) / 8;
}

std::optional<Error> check_domain(std::uint32_t radix, std::size_t n, std::size_t t) {
  if (n < 2 || n > 0xFFFFFFFFu)
    return make_error(ErrorCode::INVALID_LENGTH, "FF1 needs 2 to 2^32-1 numerals");
  if (!domain_large_enough(radix, n))
    return make_error(ErrorCode::DOMAIN_TOO_SMALL,
                      "radix^length is below 1,000,000 (NIST SP 800-38G Rev.1 minimum domain)");
  if (t > 0xFFFFFFFFu) return make_error(ErrorCode::INVALID_TWEAK, "the tweak is too long");
  return std::nullopt;
}

Result<crypto::Aes> make_aes(std::span<const std::uint8_t> key) {
  auto aes = crypto::Aes::create(key);
  if (!aes) {
    bool bad_key = aes.error().code == crypto::ErrorCode::INVALID_KEY_LENGTH;
    return unexpected(make_error(bad_key ? ErrorCode::INVALID_KEY : ErrorCode::CRYPTO_FAILURE,
                                 aes.error().message));
  }
  return std::move(*aes);
}

}  // namespace

bool domain_large_enough(std::uint32_t radix, std::size_t length) {
  std::uint64_t size = 1;
  for (std::size_t i = 0; i < length && size < kMinDomainSize; ++i) size *= radix;
  return size >= kMinDomainSize;
}

Result<Ff1> Ff1::create(std::span<const std::uint8_t> key, std::uint32_t radix) {
  if (radix < 2 || radix > kMaxRadix)
    return unexpected(make_error(ErrorCode::INVALID_RADIX, "FF1 radix is 2 to 65536"));
  auto aes = make_aes(key);
  if (!aes) return unexpected(std::move(aes).error());
  return Ff1(std::move(*aes), radix);
}

Result<std::vector<std::uint16_t>> Ff1::encrypt(std::span<const std::uint16_t> x,
                                                std::span<const std::uint8_t> tweak) const {
  return run(x, tweak, true);
}

Result<std::vector<std::uint16_t>> Ff1::decrypt(std::span<const std::uint16_t> x,
                                                std::span<const std::uint8_t> tweak) const {
  return run(x, tweak, false);
}

Result<std::vector<std::uint16_t>> Ff1::run(std::span<const std::uint16_t> x,
                                            std::span<const std::uint8_t> tweak,
                                            bool encrypt) const {
  const std::size_t n = x.size(), t = tweak.size();
  if (auto e = check_domain(radix_, n, t)) return unexpected(std::move(*e));
  for (std::size_t i = 0; i < n; ++i)
    if (x[i] >= radix_)
      return unexpected(make_error(ErrorCode::INVALID_NUMERAL,
                                   "numeral " + std::to_string(i) + " is not below the radix", i));

  const std::size_t u = n / 2, v = n - u;                  // Alg. 7 step 1
  std::vector<std::uint16_t> a(x.begin(), x.begin() + u);  // step 2: A = X[1..u]
  std::vector<std::uint16_t> b(x.begin() + u, x.end());    //         B = X[u+1..n]
  const std::size_t bb = ff1_b(radix_, v);                 // step 3
  const std::size_t d = 4 * ((bb + 3) / 4) + 4;            // step 4
  const auto p = ff1_p_block(radix_, u, n, t);             // step 5

  const std::size_t pad = (16 - (t + bb + 1) % 16) % 16;
  std::vector<std::uint8_t> q(t + pad + 1 + bb, 0);
  std::copy(tweak.begin(), tweak.end(), q.begin());
  std::vector<std::uint8_t> s(((d + 15) / 16) * 16);
  std::vector<std::uint16_t> c;

  for (int step = 0; step < 10; ++step) {
    const int i = encrypt ? step : 9 - step;  // Alg. 8 step 6 runs i from 9 down to 0
    // Alg. 7 step 6.i (Alg. 8 step 6.i uses A): Q = T || [0]^pad || [i]1 || [NUM_radix(B)]b.
    const auto& mac_input = encrypt ? b : a;
    BigNum num;
    for (auto digit : mac_input) num.mul_add(radix_, digit);
    q[t + pad] = static_cast<std::uint8_t>(i);
    num.to_bytes(q.data() + t + pad + 1, bb);
    // Step 6.ii: R = PRF(P || Q), the CBC-MAC of §4.6 Algorithm 6.
    std::array<std::uint8_t, 16> r;
    aes_.encrypt_block(p.data(), r.data());
    for (std::size_t off = 0; off < q.size(); off += 16) {
      for (int k = 0; k < 16; ++k) r[k] ^= q[off + k];
      aes_.encrypt_block(r.data(), r.data());
    }
    // Step 6.iii: S = first d bytes of R || CIPH(R xor [1]16) || ... || CIPH(R xor [j]16).
    std::copy(r.begin(), r.end(), s.begin());
    for (std::size_t j = 1; j < s.size() / 16; ++j) {
      std::array<std::uint8_t, 16> blk = r;
      xor_be64(blk.data() + 8, j);
      aes_.encrypt_block(blk.data(), s.data() + 16 * j);
    }
    // Step 6.iv: y = NUM(S); 6.v: m = u for even i, else v.
    BigNum y = BigNum::from_bytes(s.data(), d);
    const std::size_t m = (i % 2 == 0) ? u : v;
    // Step 6.vi: c = (NUM_radix(A) + y) mod radix^m (Alg. 8: NUM_radix(B) - y), done on
    // numerals: y mod radix^m is y's m low radix-digits; 6.vii: C = STR^m_radix(c).
    const auto& src = encrypt ? a : b;
    c.assign(m, 0);
    std::int64_t carry = 0;
    for (std::size_t k = m; k-- > 0;) {
      std::int64_t yd = y.divmod(radix_);
      std::int64_t sum = static_cast<std::int64_t>(src[k]) + (encrypt ? yd : -yd) + carry;
      carry = 0;
      if (sum >= static_cast<std::int64_t>(radix_)) {
        sum -= radix_;
        carry = 1;
      } else if (sum < 0) {
        sum += radix_;
        carry = -1;
      }
      c[k] = static_cast<std::uint16_t>(sum);
    }
    if (encrypt) {  // Alg. 7 steps 6.viii-ix: A = B, B = C
      a.swap(b);
      b.swap(c);
    } else {  // Alg. 8 steps 6.viii-ix: B = A, A = C
      b.swap(a);
      a.swap(c);
    }
  }
  a.insert(a.end(), b.begin(), b.end());  // step 7: return A || B
  return a;
}

Result<Ff1Permutation> Ff1Permutation::create(std::span<const std::uint8_t> key,
                                              std::uint32_t radix, std::size_t length,
                                              std::span<const std::uint8_t> tweak) {
  if (radix < 2 || radix > kMaxRadix)
    return unexpected(make_error(ErrorCode::INVALID_RADIX, "FF1 radix is 2 to 65536"));
  if (auto e = check_domain(radix, length, tweak.size())) return unexpected(std::move(*e));
  const std::size_t u = length / 2, v = length - u;  // SP 800-38G §6.2 Alg. 7 step 1
  uint128 mod_b = 1;
  for (std::size_t i = 0; i < v && mod_b <= ~std::uint64_t{0}; ++i) mod_b *= radix;
  if (mod_b > ~std::uint64_t{0})
    return unexpected(
        make_error(ErrorCode::INVALID_LENGTH, "radix^ceil(n/2) does not fit in 64 bits: use Ff1"));
  auto aes = make_aes(key);
  if (!aes) return unexpected(std::move(aes).error());

  Ff1Permutation f(std::move(*aes));
  f.u_ = u;
  f.v_ = v;
  f.modulus_[1] = static_cast<std::uint64_t>(mod_b);
  f.modulus_[0] = 1;
  for (std::size_t i = 0; i < u; ++i) f.modulus_[0] *= radix;
  f.b_ = ff1_b(radix, v);           // step 3 (b <= 8 here)
  f.d_ = 4 * ((f.b_ + 3) / 4) + 4;  // step 4 (d is 8 or 12: one AES block of R suffices)

  // Steps 5 and 6.i-ii, the constant part: the CBC-MAC of P and of every block of
  // Q = T || [0]^pad || [i]1 || [NUM_radix(B)]b but its last, which alone varies with
  // i and B. Computed once per (key, tweak, length) instead of once per round.
  const std::size_t t = tweak.size();
  const std::size_t pad = (16 - (t + f.b_ + 1) % 16) % 16;
  std::vector<std::uint8_t> q(t + pad + 1 + f.b_, 0);
  std::copy(tweak.begin(), tweak.end(), q.begin());
  std::array<std::uint8_t, 16> state = ff1_p_block(radix, u, length, t);
  f.aes_.encrypt_block(state.data(), state.data());
  const std::size_t last = q.size() - 16;
  for (std::size_t off = 0; off < last; off += 16) {
    for (int k = 0; k < 16; ++k) state[k] ^= q[off + k];
    f.aes_.encrypt_block(state.data(), state.data());
  }
  for (int i = 0; i < 10; ++i) {
    auto& blk = f.round_block_[i];
    for (int k = 0; k < 16; ++k) blk[k] = state[k] ^ q[last + k];
    blk[15 - f.b_] ^= static_cast<std::uint8_t>(i);  // [i]1
  }
  return f;
}

namespace {

// SP 800-38G §6.2 Alg. 7 steps 6.iii-iv and the reduction of 6.vi: y = NUM(S) with S the
// first d bytes of R (d <= 12 < 16), reduced mod radix^m.
inline std::uint64_t y_mod(const std::uint8_t* r, std::size_t d, std::uint64_t modulus) {
  std::uint64_t hi = load_be64(r);
  if (d == 8) return hi % modulus;
  uint128 y = (static_cast<uint128>(hi % modulus) << 32) | load_be32(r + 8);
  return static_cast<std::uint64_t>(y % modulus);
}

// (x + y) mod m and (x - y) mod m for x, y < m <= 2^64 - 1, without overflow.
inline std::uint64_t add_mod(std::uint64_t x, std::uint64_t y, std::uint64_t m) {
  std::uint64_t s = x + y;
  return (s < x || s >= m) ? s - m : s;
}
inline std::uint64_t sub_mod(std::uint64_t x, std::uint64_t y, std::uint64_t m) {
  return x >= y ? x - y : x + (m - y);
}

}  // namespace

Ff1Permutation::Halves Ff1Permutation::encrypt(Halves x) const {
  std::uint64_t a = x.a, b = x.b;
  for (int i = 0; i < 10; ++i) {
    // Step 6.i-ii: the last MAC block is the precomputed one XOR [NUM_radix(B)]b.
    std::array<std::uint8_t, 16> blk = round_block_[i];
    xor_be64(blk.data() + 8, b);
    aes_.encrypt_block(blk.data(), blk.data());
    const std::uint64_t m = modulus_[i & 1];                          // step 6.v
    const std::uint64_t c = add_mod(a, y_mod(blk.data(), d_, m), m);  // steps 6.iii-vi
    a = b;                                                            // step 6.viii
    b = c;                                                            // step 6.ix
  }
  return {a, b};
}

Ff1Permutation::Halves Ff1Permutation::decrypt(Halves y) const {
  std::uint64_t a = y.a, b = y.b;
  for (int i = 9; i >= 0; --i) {
    // SP 800-38G §6.2 Alg. 8 step 6.i-ii: Q carries [NUM_radix(A)]b.
    std::array<std::uint8_t, 16> blk = round_block_[i];
    xor_be64(blk.data() + 8, a);
    aes_.encrypt_block(blk.data(), blk.data());
    const std::uint64_t m = modulus_[i & 1];                          // step 6.v
    const std::uint64_t c = sub_mod(b, y_mod(blk.data(), d_, m), m);  // steps 6.iii-vi
    b = a;                                                            // step 6.viii
    a = c;                                                            // step 6.ix
  }
  return {a, b};
}

void Ff1Permutation::encrypt_batch(std::span<Halves> xs) const {
  alignas(16) std::uint8_t blocks[kLanes * 16];
  while (!xs.empty()) {
    const std::size_t lanes = std::min(xs.size(), kLanes);
    for (int i = 0; i < 10; ++i) {
      // Alg. 7 step 6.i-ii for every lane; one OpenSSL call encrypts all their blocks.
      for (std::size_t l = 0; l < lanes; ++l) {
        std::memcpy(blocks + 16 * l, round_block_[i].data(), 16);
        xor_be64(blocks + 16 * l + 8, xs[l].b);
      }
      aes_.encrypt_blocks(blocks, blocks, lanes);
      const std::uint64_t m = modulus_[i & 1];
      for (std::size_t l = 0; l < lanes; ++l) {  // steps 6.iii-ix
        const std::uint64_t c = add_mod(xs[l].a, y_mod(blocks + 16 * l, d_, m), m);
        xs[l].a = xs[l].b;
        xs[l].b = c;
      }
    }
    xs = xs.subspan(lanes);
  }
}

}  // namespace serialtrack::serial

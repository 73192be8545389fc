// Deterministic pseudo-random numbers for the simulator. Everything the simulator
// draws comes from a Random seeded by derive(seed, path): the same seed and path give
// the same numbers on every run, whatever else was drawn before, so one lot (or one
// anomaly decision) does not depend on the others. Never std::random_device, never
// std::uniform_*_distribution (their output differs between standard libraries).
// Floating-point draws (exponential) use std::log1p: the same on every IEEE machine
// with the same libm.
// A Random is not thread-safe; derive() is a pure function.
#pragma once

#include <cmath>
#include <cstdint>
#include <initializer_list>

namespace serialtrack::sim {

// SplitMix64's finaliser (Steele, Lea & Flood, "Fast splittable pseudorandom number
// generators", OOPSLA 2014): a bijection of 64-bit values that mixes every bit.
inline uint64_t mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// A 64-bit value derived from a seed and a path of integers (a stream name, a lot
// index, a unit index...): a counter-based generator.
inline uint64_t derive(uint64_t seed, std::initializer_list<uint64_t> path) {
  uint64_t h = mix64(seed ^ 0x5EED5EED5EED5EEDull);
  for (uint64_t p : path) h = mix64(h ^ mix64(p + 0x632BE59BD9B4E019ull));
  return h;
}

// The streams of derive(): one per kind of decision, so that adding a draw to one
// never changes another.
enum class Stream : uint64_t {
  kWorld = 1,
  kSerialKey,
  kLot,
  kEventId,
  kAnomaly,
  kProbing,
};

inline uint64_t derive(uint64_t seed, Stream stream, std::initializer_list<uint64_t> path = {}) {
  uint64_t h = derive(seed, {static_cast<uint64_t>(stream)});
  for (uint64_t p : path) h = mix64(h ^ mix64(p + 0x632BE59BD9B4E019ull));
  return h;
}

// Draws from SplitMix64 (a counter passed through mix64): as cheap to seed as to draw,
// which matters because the simulator seeds one per unit and decision.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}

  uint64_t next() { return mix64(state_++ * 0x9E3779B97F4A7C15ull); }
  // Uniform in [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Uniform in [0, n) (n > 0), by multiply-shift (Lemire): bias below 2^-64 * n.
  uint64_t below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
  }
  // Uniform in [lo, hi], both included.
  int64_t between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(below(static_cast<uint64_t>(hi - lo) + 1));
  }
  // Uniform real in [lo, hi).
  double real(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // True with probability p.
  bool chance(double p) { return uniform() < p; }
  // Exponentially distributed with this mean.
  double exponential(double mean) { return -mean * std::log1p(-uniform()); }

 private:
  uint64_t state_;
};

}  // namespace serialtrack::sim

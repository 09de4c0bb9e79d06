// Seeded randomness that gives the same numbers natively and in wasm.
//
// libstdc++ (g++) and libc++ (Emscripten) implement std::*_distribution and
// std::shuffle differently, so the same seed would give two different worlds.
// Everything here is our own: SplitMix64 expands the seed, xoshiro256** draws,
// and the distributions use only +, -, *, / and sqrt (IEEE correctly rounded)
// plus the deterministic Log/Exp in detmath.h, never libm's transcendentals.
//
// Draw one number per statement: f(rng.Next(), rng.Next()) evaluates its
// arguments in different orders under g++ and clang.
#ifndef SDP_RANDOM_H_
#define SDP_RANDOM_H_

#include <cstdint>
#include <vector>

namespace sdp {

// SplitMix64 (Steele, Lea, Flood 2014); also a good 64-bit mixer on its own.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next();

 private:
  uint64_t state_;
};

// xoshiro256** 1.0 (Blackman & Vigna 2018), seeded through SplitMix64 as its
// authors recommend.
class Rng {
 public:
  explicit Rng(uint64_t seed);
  // Sets the raw state; for the published reference vectors.
  static Rng FromState(uint64_t s0, uint64_t s1, uint64_t s2, uint64_t s3);

  uint64_t Next();
  // Uniform integer in [0, n), unbiased (Lemire's multiply-and-reject).
  // REQUIRES: n > 0
  uint64_t Below(uint64_t n);
  // Uniform integer in [lo, hi]. REQUIRES: lo <= hi
  int64_t Between(int64_t lo, int64_t hi);
  // Uniform double in [0, 1) with 53 random bits.
  double Uniform01();
  double Uniform(double lo, double hi);
  bool Bernoulli(double p);
  // REQUIRES: mean > 0
  double Exponential(double mean);
  // Marsaglia's polar method (needs no sin/cos). REQUIRES: stddev >= 0
  double Normal(double mean, double stddev);

 private:
  Rng() = default;
  uint64_t s_[4] = {0, 0, 0, 0};
  bool has_spare_normal_ = false;
  double spare_normal_ = 0.0;
};

// Zipf over ranks 1..n with exponent s >= 0 (s = 0 is uniform): P(k) ~ 1/k^s.
// Precomputes the CDF once, then each draw is one uniform plus a binary search.
class Zipf {
 public:
  // REQUIRES: n >= 1, s >= 0
  Zipf(uint32_t n, double s);
  // Returns a rank in [1, n].
  uint32_t Draw(Rng& rng) const;
  double Probability(uint32_t rank) const;

 private:
  std::vector<double> cdf_;
};

}  // namespace sdp

#endif  // SDP_RANDOM_H_

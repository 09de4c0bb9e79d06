#include "sdp/random.h"

#include <algorithm>
#include <cmath>

#include "sdp/detmath.h"
#include "sdp/status.h"

namespace sdp {
namespace {

uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

uint64_t SplitMix64::Next() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

Rng::Rng(uint64_t seed) {
  SplitMix64 expand(seed);
  for (uint64_t& word : s_) word = expand.Next();
}

Rng Rng::FromState(uint64_t s0, uint64_t s1, uint64_t s2, uint64_t s3) {
  Rng rng;
  rng.s_[0] = s0;
  rng.s_[1] = s1;
  rng.s_[2] = s2;
  rng.s_[3] = s3;
  return rng;
}

uint64_t Rng::Next() {
  const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

uint64_t Rng::Below(uint64_t n) {
  SDP_CHECK(n > 0);
  unsigned __int128 m = static_cast<unsigned __int128>(Next()) * n;
  uint64_t low = static_cast<uint64_t>(m);
  if (low < n) {
    const uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    while (low < threshold) {
      m = static_cast<unsigned __int128>(Next()) * n;
      low = static_cast<uint64_t>(m);
    }
  }
  return static_cast<uint64_t>(m >> 64);
}

int64_t Rng::Between(int64_t lo, int64_t hi) {
  SDP_CHECK(lo <= hi);
  const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  const uint64_t offset = span == UINT64_MAX ? Next() : Below(span + 1);
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + offset);
}

double Rng::Uniform01() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

double Rng::Uniform(double lo, double hi) {
  const double u = Uniform01();
  return lo + (hi - lo) * u;
}

bool Rng::Bernoulli(double p) { return Uniform01() < p; }

double Rng::Exponential(double mean) {
  SDP_CHECK(mean > 0);
  const double u = Uniform01();
  return -mean * DetLog(1.0 - u);  // 1 - u is in (0, 1]
}

double Rng::Normal(double mean, double stddev) {
  SDP_CHECK(stddev >= 0);
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return mean + stddev * spare_normal_;
  }
  double u = 0, v = 0, s = 0;
  do {
    u = Uniform(-1.0, 1.0);
    v = Uniform(-1.0, 1.0);
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double scale = std::sqrt(-2.0 * DetLog(s) / s);
  spare_normal_ = v * scale;
  has_spare_normal_ = true;
  return mean + stddev * (u * scale);
}

Zipf::Zipf(uint32_t n, double s) {
  SDP_CHECK(n >= 1 && s >= 0);
  cdf_.reserve(n);
  double total = 0;
  for (uint32_t k = 1; k <= n; ++k) {
    total += 1.0 / DetPow(static_cast<double>(k), s);
    cdf_.push_back(total);
  }
}

uint32_t Zipf::Draw(Rng& rng) const {
  const double u = rng.Uniform01() * cdf_.back();
  const auto it = std::upper_bound(cdf_.begin(), cdf_.end(), u);
  const auto rank = static_cast<uint32_t>(it - cdf_.begin()) + 1;
  return std::min<uint32_t>(rank, static_cast<uint32_t>(cdf_.size()));
}

double Zipf::Probability(uint32_t rank) const {
  SDP_CHECK(rank >= 1 && rank <= cdf_.size());
  const double previous = rank == 1 ? 0.0 : cdf_[rank - 2];
  return (cdf_[rank - 1] - previous) / cdf_.back();
}

}  // namespace sdp

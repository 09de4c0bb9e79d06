#include "sdp/request_trace.h"

#include <algorithm>
#include <cmath>

#include "sdp/detmath.h"

namespace sdp {
namespace {

// Exponential gaps, one clump of `clump` hits per arrival.
bool PoissonClumps(const TrafficSpec& spec, int64_t clump, double mean_gap_ms, Rng& rng,
                   uint64_t max_hits, std::vector<int64_t>* out) {
  const double end = static_cast<double>(spec.start_ms + spec.duration_ms);
  double t = static_cast<double>(spec.start_ms);
  for (;;) {
    t += rng.Exponential(mean_gap_ms);
    if (t >= end) return true;
    const auto at = static_cast<int64_t>(std::floor(t));
    for (int64_t i = 0; i < clump; ++i) {
      if (out->size() >= max_hits) return false;
      out->push_back(at);
    }
  }
}

}  // namespace

bool GenerateTraffic(const TrafficSpec& spec, Rng& rng, uint64_t max_hits,
                     std::vector<int64_t>* out) {
  const int64_t end = spec.start_ms + spec.duration_ms;
  switch (spec.pattern) {
    case TrafficPattern::kSteady: {
      const double n = std::floor(static_cast<double>(spec.duration_ms) * spec.rps / 1000);
      if (n > static_cast<double>(max_hits - out->size())) return false;
      for (int64_t i = 0; i < static_cast<int64_t>(n); ++i) {
        const auto offset =
            static_cast<int64_t>(std::floor(static_cast<double>(i) * 1000 / spec.rps));
        if (spec.start_ms + offset >= end) break;
        out->push_back(spec.start_ms + offset);
      }
      return true;
    }
    case TrafficPattern::kPoisson:
      return PoissonClumps(spec, 1, 1000 / spec.rps, rng, max_hits, out);
    case TrafficPattern::kBursty:
      return PoissonClumps(spec, spec.burst_size,
                           1000 * static_cast<double>(spec.burst_size) / spec.rps, rng, max_hits,
                           out);
    case TrafficPattern::kBoundary: {
      const int64_t w = spec.window_ms;
      // Edges e = k * w with start <= e - 1 and e < end, odd k only.
      for (int64_t k = (spec.start_ms + 1 + w - 1) / w; k * w < end; ++k) {
        if (k % 2 == 0) continue;
        for (int64_t at : {k * w - 1, k * w}) {
          for (int64_t i = 0; i < spec.burst_size; ++i) {
            if (out->size() >= max_hits) return false;
            out->push_back(at);
          }
        }
      }
      return true;
    }
  }
  return true;
}

std::vector<KeyedHit> GeneratePopulation(uint32_t keys, double base_rps, double log10_min,
                                         double log10_max, int64_t duration_ms, Rng& rng) {
  std::vector<KeyedHit> hits;
  TrafficSpec spec;
  spec.pattern = TrafficPattern::kPoisson;
  spec.duration_ms = duration_ms;
  std::vector<int64_t> times;
  for (uint32_t k = 0; k < keys; ++k) {
    const double u = rng.Uniform(log10_min, log10_max);
    spec.rps = base_rps * DetPow(10, u);
    times.clear();
    GenerateTraffic(spec, rng, UINT64_MAX, &times);
    for (int64_t t : times) hits.push_back({t, k});
  }
  std::sort(hits.begin(), hits.end(), [](const KeyedHit& a, const KeyedHit& b) {
    return a.at_ms != b.at_ms ? a.at_ms < b.at_ms : a.key < b.key;
  });
  return hits;
}

}  // namespace sdp

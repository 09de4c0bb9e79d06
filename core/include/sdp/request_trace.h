// Seeded request traces for the rate limiters: arrival times in integer
// milliseconds, never decreasing. The same spec and Rng state give the same
// trace natively and in wasm (the Rng is ours, Exponential uses detmath).
//
//   steady    evenly spaced: hit i at start + floor(i * 1000 / rps)
//   poisson   exponential gaps with mean 1000 / rps ms, floored to the ms
//   bursty    clumps of burst_size hits in one millisecond, the clumps
//             Poisson with mean gap 1000 * burst_size / rps ms
//   boundary  burst_size hits in the last millisecond before every other
//             window edge (edges at odd multiples of window_ms) and
//             burst_size in its first millisecond: a fixed window's worst case
#ifndef SDP_REQUEST_TRACE_H_
#define SDP_REQUEST_TRACE_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "sdp/random.h"

namespace sdp {

enum class TrafficPattern { kSteady, kPoisson, kBursty, kBoundary };

struct TrafficSpec {
  TrafficPattern pattern = TrafficPattern::kSteady;
  int64_t start_ms = 0;
  int64_t duration_ms = 1000;  // hits fall in [start_ms, start_ms + duration_ms)
  double rps = 10;             // REQUIRES > 0 (not used by boundary)
  int64_t burst_size = 10;     // bursty and boundary; REQUIRES >= 1
  int64_t window_ms = 1000;    // boundary; REQUIRES >= 1
};

struct KeyedHit {
  int64_t at_ms;
  uint32_t key;
};

// Many independent Poisson sources, like the traffic behind Cloudflare's
// measurement: `keys` sources over [0, duration_ms), source k sending
// base_rps * 10^u requests per second with u uniform in [log10_min,
// log10_max] (drawn in key order). Merged by time, ties by key.
// REQUIRES: keys >= 1, base_rps > 0, log10_min <= log10_max.
std::vector<KeyedHit> GeneratePopulation(uint32_t keys, double base_rps, double log10_min,
                                         double log10_max, int64_t duration_ms, Rng& rng);

// Appends the trace to *out. Returns false (with *out holding a partial
// trace the caller should drop) as soon as it would exceed max_hits in all.
bool GenerateTraffic(const TrafficSpec& spec, Rng& rng, uint64_t max_hits,
                     std::vector<int64_t>* out);

}  // namespace sdp

#endif  // SDP_REQUEST_TRACE_H_

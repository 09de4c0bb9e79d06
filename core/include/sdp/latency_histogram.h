// A log-linear latency histogram (HdrHistogram's idea at 4 bits): values
// below 64 us each have a bucket of their own; above, every doubling is split
// into 16 equal buckets, so a bucket is at most 1/16 (6.25%) of its lower
// edge wide. Fixed size, integer arithmetic only: cheap to add to per server
// and per request, and the same on every platform.
//
// Percentiles are nearest-rank over the buckets and report the bucket's
// lower edge: exact below 64 us, otherwise at most 6.25% below the exact
// sample percentile.
#ifndef SDP_LATENCY_HISTOGRAM_H_
#define SDP_LATENCY_HISTOGRAM_H_

#include <array>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "sdp/event_queue.h"

namespace sdp {

class LatencyHistogram {
 public:
  static constexpr uint32_t kLinear = 64;
  static constexpr uint32_t kSubBuckets = 16;
  // Up to 2^46 us (two years): more than any duration field allows.
  static constexpr uint32_t kBuckets = kLinear + (46 - 6) * kSubBuckets;

  void Add(SimTime us);
  uint64_t count() const { return count_; }
  // Nearest rank, per mille (500 = p50); 0 when empty.
  SimTime Percentile(uint32_t per_mille) const;
  SimTime max() const { return max_; }
  // {"lower_us": [...], "count": [...]}: the non-empty buckets in order.
  nlohmann::json ToJson() const;

  static uint32_t BucketOf(SimTime us);
  static SimTime LowerEdge(uint32_t bucket);

 private:
  std::array<uint32_t, kBuckets> counts_{};
  uint64_t count_ = 0;
  SimTime max_ = 0;
};

}  // namespace sdp

#endif  // SDP_LATENCY_HISTOGRAM_H_

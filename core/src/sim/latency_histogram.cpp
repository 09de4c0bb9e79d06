#include "sdp/latency_histogram.h"

#include <algorithm>
#include <bit>

namespace sdp {

uint32_t LatencyHistogram::BucketOf(SimTime us) {
  if (us < static_cast<SimTime>(kLinear)) return us < 0 ? 0 : static_cast<uint32_t>(us);
  const uint64_t v = static_cast<uint64_t>(us);
  const uint32_t exponent = 63 - static_cast<uint32_t>(std::countl_zero(v));  // >= 6
  const uint32_t sub = static_cast<uint32_t>(v >> (exponent - 4)) & (kSubBuckets - 1);
  return std::min(kBuckets - 1, kLinear + (exponent - 6) * kSubBuckets + sub);
}

SimTime LatencyHistogram::LowerEdge(uint32_t bucket) {
  if (bucket < kLinear) return bucket;
  const uint32_t exponent = 6 + (bucket - kLinear) / kSubBuckets;
  const uint32_t sub = (bucket - kLinear) % kSubBuckets;
  return static_cast<SimTime>((uint64_t{16} + sub) << (exponent - 4));
}

void LatencyHistogram::Add(SimTime us) {
  ++counts_[BucketOf(us)];
  ++count_;
  max_ = std::max(max_, us);
}

SimTime LatencyHistogram::Percentile(uint32_t per_mille) const {
  if (count_ == 0) return 0;
  const uint64_t rank = std::max<uint64_t>(1, (count_ * per_mille + 999) / 1000);
  uint64_t seen = 0;
  for (uint32_t b = 0; b < kBuckets; ++b) {
    seen += counts_[b];
    if (seen >= rank) return LowerEdge(b);
  }
  return max_;
}

nlohmann::json LatencyHistogram::ToJson() const {
  nlohmann::json lower = nlohmann::json::array();
  nlohmann::json count = nlohmann::json::array();
  for (uint32_t b = 0; b < kBuckets; ++b) {
    if (counts_[b] == 0) continue;
    lower.push_back(LowerEdge(b));
    count.push_back(counts_[b]);
  }
  return {{"lower_us", lower}, {"count", count}};
}

}  // namespace sdp

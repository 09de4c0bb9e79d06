// Fixed-width buckets over simulated time, for charts: counters (events in
// the bucket), levels (a queue length, a state: the bucket keeps the highest
// value seen, or the value at its end) and latency samples reduced to
// p50/p99 when the bucket closes.
//
// Invariants: buckets are contiguous and closed in time order; a level keeps
// its value across buckets in which nothing changed it; at most `max_buckets`
// are kept, the oldest dropped first (dropped() says how many).
//
// Percentiles are nearest-rank on the exact samples of the bucket: no sketch,
// so native and wasm agree to the microsecond.
#ifndef SDP_TIME_SERIES_H_
#define SDP_TIME_SERIES_H_

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sdp/event_queue.h"

namespace sdp {

class TimeSeries {
 public:
  enum class LevelKind : uint8_t { kMax, kLast };
  struct LevelSpec {
    std::string name;
    LevelKind kind;
  };

  // REQUIRES: width > 0, max_buckets > 0
  TimeSeries(SimTime width, std::vector<std::string> counters, std::vector<LevelSpec> levels,
             uint32_t max_buckets);

  // Closes every bucket that ended at or before `now`.
  void AdvanceTo(SimTime now);
  void Count(uint32_t counter, uint32_t n = 1) { open_.counters[counter] += n; }
  void SetLevel(uint32_t level, uint32_t value);
  void Latency(SimTime value) { samples_.push_back(value); }

  SimTime width() const { return width_; }
  size_t size() const { return closed_.size(); }
  uint64_t dropped() const { return dropped_; }
  // Closed buckets as columns: t_ms (bucket start), each counter, each
  // level, p50_us and p99_us (0 when the bucket had no samples).
  nlohmann::json ToJson() const;
  // One column of closed buckets by the names above; empty if unknown.
  std::vector<uint32_t> Column(std::string_view name) const;

 private:
  struct Bucket {
    SimTime start = 0;
    std::vector<uint32_t> counters;
    std::vector<uint32_t> levels;
    uint32_t p50_us = 0;
    uint32_t p99_us = 0;
  };
  void CloseOpen();

  SimTime width_;
  std::vector<std::string> counter_names_;
  std::vector<LevelSpec> level_specs_;
  uint32_t max_buckets_;
  std::vector<uint32_t> current_levels_;
  Bucket open_;
  std::vector<SimTime> samples_;
  std::deque<Bucket> closed_;
  uint64_t dropped_ = 0;
};

}  // namespace sdp

#endif  // SDP_TIME_SERIES_H_

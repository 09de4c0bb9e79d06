// The most units admitted within any window (t - W, t] for one key: how far
// a limiter's admitted rate strays from the true sliding rate.
//
// Times must arrive in non-decreasing order. For nginx the sim feeds served
// times (arrival + delay); those never decrease either, because each
// accepted request's delay is at least the previous one's minus the time
// between them (docs/rate_limiter.md has the argument).
#ifndef SDP_WINDOW_PEAK_H_
#define SDP_WINDOW_PEAK_H_

#include <cstdint>
#include <deque>
#include <utility>

#include "sdp/status.h"

namespace sdp {

class WindowPeak {
 public:
  explicit WindowPeak(int64_t window_ms) : window_ms_(window_ms) {}

  void Add(int64_t time_ms, int64_t units) {
    SDP_CHECK(entries_.empty() || time_ms >= entries_.back().first);
    if (!entries_.empty() && entries_.back().first == time_ms) {
      entries_.back().second += units;
    } else {
      entries_.emplace_back(time_ms, units);
    }
    sum_ += units;
    while (entries_.front().first <= time_ms - window_ms_) {
      sum_ -= entries_.front().second;
      entries_.pop_front();
    }
    if (sum_ > peak_) {
      peak_ = sum_;
      peak_at_ms_ = time_ms;
    }
  }

  int64_t peak() const { return peak_; }
  // The end of the first window that held the peak (-1: nothing admitted).
  int64_t peak_at_ms() const { return peak_at_ms_; }

 private:
  int64_t window_ms_;
  std::deque<std::pair<int64_t, int64_t>> entries_;  // (time, units) within the window
  int64_t sum_ = 0;
  int64_t peak_ = 0;
  int64_t peak_at_ms_ = -1;
};

}  // namespace sdp

#endif  // SDP_WINDOW_PEAK_H_

#include "sdp/time_series.h"

#include <algorithm>

#include "sdp/status.h"

namespace sdp {
namespace {

// Nearest rank: the smallest sample with at least p of them at or below it.
uint32_t Percentile(std::vector<SimTime>& samples, uint32_t per_mille) {
  if (samples.empty()) return 0;
  const size_t n = samples.size();
  size_t rank = (n * per_mille + 999) / 1000;  // ceil(n * p)
  rank = std::max<size_t>(rank, 1) - 1;
  std::nth_element(samples.begin(), samples.begin() + static_cast<std::ptrdiff_t>(rank), samples.end());
  const SimTime v = samples[rank];
  return static_cast<uint32_t>(std::min<SimTime>(v, UINT32_MAX));
}

}  // namespace

TimeSeries::TimeSeries(SimTime width, std::vector<std::string> counters,
                       std::vector<LevelSpec> levels, uint32_t max_buckets)
    : width_(width),
      counter_names_(std::move(counters)),
      level_specs_(std::move(levels)),
      max_buckets_(max_buckets),
      current_levels_(level_specs_.size(), 0) {
  SDP_CHECK(width_ > 0 && max_buckets_ > 0);
  open_.counters.assign(counter_names_.size(), 0);
  open_.levels.assign(level_specs_.size(), 0);
}

void TimeSeries::SetLevel(uint32_t level, uint32_t value) {
  current_levels_[level] = value;
  if (level_specs_[level].kind == LevelKind::kMax) {
    open_.levels[level] = std::max(open_.levels[level], value);
  } else {
    open_.levels[level] = value;
  }
}

void TimeSeries::CloseOpen() {
  open_.p50_us = Percentile(samples_, 500);
  open_.p99_us = Percentile(samples_, 990);
  samples_.clear();
  const SimTime next_start = open_.start + width_;
  closed_.push_back(std::move(open_));
  if (closed_.size() > max_buckets_) {
    closed_.pop_front();
    ++dropped_;
  }
  open_ = Bucket{next_start, std::vector<uint32_t>(counter_names_.size(), 0), current_levels_, 0, 0};
}

void TimeSeries::AdvanceTo(SimTime now) {
  // A long quiet stretch would close millions of empty buckets; beyond what
  // is kept, skip ahead (the skipped buckets count as dropped).
  const SimTime behind = (now - open_.start) / width_;
  if (behind > static_cast<SimTime>(max_buckets_) + 1) {
    const SimTime skip = behind - max_buckets_ - 1;
    CloseOpen();
    open_.start += skip * width_;
    dropped_ += static_cast<uint64_t>(skip);
  }
  while (now >= open_.start + width_) CloseOpen();
}

nlohmann::json TimeSeries::ToJson() const {
  nlohmann::json out = {{"bucket_ms", static_cast<double>(width_) / kMicrosPerMilli},
                        {"dropped", dropped_}};
  for (const char* name : {"t_ms", "p50_us", "p99_us"}) out[name] = Column(name);
  for (const std::string& name : counter_names_) out[name] = Column(name);
  for (const LevelSpec& level : level_specs_) out[level.name] = Column(level.name);
  return out;
}

std::vector<uint32_t> TimeSeries::Column(std::string_view name) const {
  std::vector<uint32_t> out;
  auto collect = [&](auto pick) {
    out.reserve(closed_.size());
    for (const Bucket& b : closed_) out.push_back(pick(b));
  };
  if (name == "t_ms") {
    collect([](const Bucket& b) { return static_cast<uint32_t>(b.start / kMicrosPerMilli); });
  } else if (name == "p50_us") {
    collect([](const Bucket& b) { return b.p50_us; });
  } else if (name == "p99_us") {
    collect([](const Bucket& b) { return b.p99_us; });
  }
  for (size_t i = 0; i < counter_names_.size(); ++i) {
    if (counter_names_[i] == name) collect([i](const Bucket& b) { return b.counters[i]; });
  }
  for (size_t i = 0; i < level_specs_.size(); ++i) {
    if (level_specs_[i].name == name) collect([i](const Bucket& b) { return b.levels[i]; });
  }
  return out;
}

}  // namespace sdp

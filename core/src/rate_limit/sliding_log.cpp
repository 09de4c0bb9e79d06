// Sliding window log: the exact rule "at most `limit` in any window of
// length W". A request at `now` sees the admitted units in (now - W, now].
#include <algorithm>

#include "sdp/rate_limiters.h"

namespace sdp {

SlidingLog::SlidingLog(const Params& params) : p_(params) {}

void SlidingLog::Expire(int64_t now_ms) {
  while (!log_.empty() && log_.front().first <= now_ms - p_.window_ms) {
    expired_total_ = log_.front().second;
    log_.pop_front();
  }
}

uint64_t SlidingLog::FirstLive(int64_t now_ms) const {
  const auto it = std::upper_bound(log_.begin(), log_.end(), now_ms - p_.window_ms,
                                   [](int64_t t, const auto& entry) { return t < entry.first; });
  return static_cast<uint64_t>(it - log_.begin());
}

int64_t SlidingLog::TotalBefore(uint64_t i) const {
  return i == 0 ? expired_total_ : log_[i - 1].second;
}

int64_t SlidingLog::CountAt(int64_t now_ms) const {
  return log_.empty() ? 0 : log_.back().second - TotalBefore(FirstLive(now_ms));
}

Decision SlidingLog::Hit(int64_t now_ms, int64_t qty) {
  if (qty == 0) return Peek(now_ms);
  // Dropping what has left the window changes no decision, now or later.
  Expire(now_ms);
  const int64_t count = log_.empty() ? 0 : log_.back().second - expired_total_;  // all live now
  Decision d;
  if (count + qty <= p_.limit) {
    const int64_t total = (log_.empty() ? expired_total_ : log_.back().second) + qty;
    if (!log_.empty() && log_.back().first == now_ms) {
      log_.back().second = total;  // same millisecond: one entry
    } else {
      log_.emplace_back(now_ms, total);
    }
    d.allowed = true;
    d.remaining = p_.limit - count - qty;
    d.reset_after_ms = p_.window_ms;  // this newest entry leaves last
    return d;
  }
  if (qty <= p_.limit) {
    // The oldest entries leave first: the first entry whose departure frees
    // count + qty - limit units.
    const int64_t target = TotalBefore(0) + count + qty - p_.limit;
    // Usually (qty 1) the oldest entry alone is enough.
    const auto it =
        log_.front().second >= target
            ? log_.begin()
            : std::lower_bound(log_.begin(), log_.end(), target,
                               [](const auto& entry, int64_t v) { return entry.second < v; });
    d.retry_after_ms = it->first + p_.window_ms - now_ms;
  }
  d.remaining = p_.limit - count;
  d.reset_after_ms = count > 0 ? log_.back().first + p_.window_ms - now_ms : 0;
  return d;
}

Decision SlidingLog::Peek(int64_t now_ms) const {
  const int64_t count = CountAt(now_ms);
  Decision d;
  d.allowed = true;
  d.remaining = p_.limit - count;
  d.reset_after_ms = count > 0 ? log_.back().first + p_.window_ms - now_ms : 0;
  return d;
}

int64_t SlidingLog::UsedMilli(int64_t now_ms) const { return CountAt(now_ms) * 1000; }

nlohmann::json SlidingLog::State(int64_t now_ms) const {
  // The newest entries only: a snapshot must stay small however high the limit.
  constexpr uint64_t kShown = 50;
  const uint64_t first =
      std::max(FirstLive(now_ms), log_.size() - std::min<uint64_t>(log_.size(), kShown));
  nlohmann::json newest = nlohmann::json::array();
  for (uint64_t i = first; i < log_.size(); ++i) {
    newest.push_back({log_[i].first, log_[i].second - TotalBefore(i)});
  }
  return {
      {"count", CountAt(now_ms)}, {"entries", log_.size() - FirstLive(now_ms)}, {"newest", newest}};
}

}  // namespace sdp

// Sliding window counter (Cloudflare's approximation). The estimate
// prev * (W - elapsed) / W + current assumes the previous window's requests
// were spread evenly over it; comparing prev * (W - elapsed) + current * W
// with limit * W keeps the arithmetic exact (Cloudflare uses floats).
#include <algorithm>

#include "rate_limit/int_math.h"
#include "sdp/rate_limiters.h"

namespace sdp {

using rl::CeilDiv;

SlidingCounter::SlidingCounter(const Params& params) : p_(params) {}

std::pair<int64_t, int64_t> SlidingCounter::CountsAt(int64_t now_ms) const {
  const int64_t k = now_ms / p_.window_ms;
  if (k == window_) return {prev_, cur_};
  if (k == window_ + 1) return {cur_, 0};
  return {0, 0};
}

Decision SlidingCounter::Decide(int64_t now_ms, int64_t qty, int64_t prev, int64_t cur) const {
  const int64_t w = p_.window_ms;
  const int64_t k = now_ms / w;
  const int64_t elapsed = now_ms - k * w;
  const int64_t budget = p_.limit * w;  // limit, in units of 1/W request
  Decision d;
  d.allowed = prev * (w - elapsed) + (cur + qty) * w <= budget;
  if (d.allowed) {
    cur += qty;
  } else if (qty <= p_.limit) {
    const int64_t room = p_.limit - cur - qty;  // for prev's share, in requests
    // prev's weight (W - e) shrinks as e grows: in this window if room >= 0,
    // else in the next one, where this window's count becomes `prev`.
    const int64_t e_here = room >= 0 ? w - room * w / prev : w;
    if (e_here < w) {
      d.retry_after_ms = k * w + e_here - now_ms;
    } else {
      const int64_t e_next = cur == 0 ? 0 : std::max<int64_t>(0, w - (p_.limit - qty) * w / cur);
      d.retry_after_ms = (k + 1) * w + e_next - now_ms;
    }
  }
  const int64_t used = prev * (w - elapsed) + cur * w;
  d.remaining = used < budget ? (budget - used) / w : 0;
  d.reset_after_ms = cur > 0 ? (k + 2) * w - now_ms : prev > 0 ? (k + 1) * w - now_ms : 0;
  return d;
}

Decision SlidingCounter::Hit(int64_t now_ms, int64_t qty) {
  if (qty == 0) return Peek(now_ms);
  const auto [prev, cur] = CountsAt(now_ms);
  const Decision d = Decide(now_ms, qty, prev, cur);
  if (d.allowed) {
    window_ = now_ms / p_.window_ms;
    prev_ = prev;
    cur_ = cur + qty;
  }
  return d;
}

Decision SlidingCounter::Peek(int64_t now_ms) const {
  const auto [prev, cur] = CountsAt(now_ms);
  Decision d = Decide(now_ms, 0, prev, cur);
  d.allowed = true;
  d.retry_after_ms = -1;
  return d;
}

int64_t SlidingCounter::UsedMilli(int64_t now_ms) const {
  const auto [prev, cur] = CountsAt(now_ms);
  const int64_t elapsed = now_ms % p_.window_ms;
  return (prev * (p_.window_ms - elapsed) + cur * p_.window_ms) * 1000 / p_.window_ms;
}

nlohmann::json SlidingCounter::State(int64_t now_ms) const {
  const auto [prev, cur] = CountsAt(now_ms);
  return {{"window_start_ms", now_ms - now_ms % p_.window_ms},
          {"previous", prev},
          {"current", cur},
          {"estimate_milli", UsedMilli(now_ms)}};
}

SlidingCounterAudit::SlidingCounterAudit(int64_t limit, int64_t window_ms)
    : limit_(limit), window_ms_(window_ms) {}

void SlidingCounterAudit::Add(int64_t now_ms, int64_t qty) {
  // Exact: everything in (now - W, now].
  if (!recent_.empty() && recent_.back().first == now_ms) {
    recent_.back().second += qty;
  } else {
    recent_.emplace_back(now_ms, qty);
  }
  in_window_ += qty;
  while (recent_.front().first <= now_ms - window_ms_) {
    in_window_ -= recent_.front().second;
    recent_.pop_front();
  }
  // The estimate, over the same requests.
  const int64_t k = now_ms / window_ms_;
  if (k == window_ + 1) {
    prev_ = cur_;
    cur_ = 0;
  } else if (k != window_) {
    prev_ = cur_ = 0;
  }
  window_ = k;
  cur_ += qty;
  const int64_t elapsed = now_ms - k * window_ms_;
  const bool estimate_ok =
      prev_ * (window_ms_ - elapsed) + cur_ * window_ms_ <= limit_ * window_ms_;
  const bool exact_ok = in_window_ <= limit_;
  ++requests_;
  if (estimate_ok && !exact_ok) ++wrongly_allowed_;
  if (!estimate_ok && exact_ok) ++wrongly_limited_;
}

}  // namespace sdp

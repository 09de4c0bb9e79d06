// Fixed window counter: one count per window [k*W, (k+1)*W), reset at each
// edge. Its known flaw, and the reason the others exist: `limit` just before
// an edge and `limit` just after it are all admitted, 2x the limit within
// two milliseconds.
#include "sdp/rate_limiters.h"

namespace sdp {

FixedWindow::FixedWindow(const Params& params) : p_(params) {}

int64_t FixedWindow::CountAt(int64_t now_ms) const {
  return now_ms - now_ms % p_.window_ms == window_start_ ? count_ : 0;
}

Decision FixedWindow::Hit(int64_t now_ms, int64_t qty) {
  if (qty == 0) return Peek(now_ms);
  const int64_t start = now_ms - now_ms % p_.window_ms;
  const int64_t end = start + p_.window_ms;
  const int64_t count = CountAt(now_ms);
  Decision d;
  if (count + qty <= p_.limit) {
    d.allowed = true;
    window_start_ = start;
    count_ = count + qty;
    d.remaining = p_.limit - count_;
    d.reset_after_ms = end - now_ms;
    return d;
  }
  if (qty <= p_.limit) d.retry_after_ms = end - now_ms;  // the next window starts empty
  d.remaining = p_.limit - count;
  d.reset_after_ms = count > 0 ? end - now_ms : 0;
  return d;
}

Decision FixedWindow::Peek(int64_t now_ms) const {
  const int64_t count = CountAt(now_ms);
  Decision d;
  d.allowed = true;
  d.remaining = p_.limit - count;
  d.reset_after_ms = count > 0 ? window_start_ + p_.window_ms - now_ms : 0;
  return d;
}

int64_t FixedWindow::UsedMilli(int64_t now_ms) const { return CountAt(now_ms) * 1000; }

nlohmann::json FixedWindow::State(int64_t now_ms) const {
  return {{"window_start_ms", now_ms - now_ms % p_.window_ms}, {"count", CountAt(now_ms)}};
}

}  // namespace sdp

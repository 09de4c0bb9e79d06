// Token bucket: tokens are kept in units of 1/refill_period_ms token, so a
// refill of refill_tokens per period is refill_tokens units per millisecond,
// exactly, with no fractional tokens lost to rounding.
#include "rate_limit/int_math.h"
#include "sdp/rate_limiters.h"

namespace sdp {

using rl::CeilDiv;

TokenBucket::TokenBucket(const Params& params)
    : p_(params), scaled_(params.capacity * params.refill_period_ms) {}

int64_t TokenBucket::ScaledTokensAt(int64_t now_ms) const {
  const int64_t full = p_.capacity * p_.refill_period_ms;
  const int64_t elapsed = now_ms - last_ms_;
  // Compared before multiplying: after a long idle time refill_tokens *
  // elapsed could overflow, and the bucket is full long before that.
  if (elapsed >= CeilDiv(full - scaled_, p_.refill_tokens)) return full;
  return scaled_ + p_.refill_tokens * elapsed;
}

Decision TokenBucket::Decide(int64_t now_ms, int64_t qty, int64_t scaled) const {
  (void)now_ms;
  const int64_t full = p_.capacity * p_.refill_period_ms;
  Decision d;
  if (qty <= p_.capacity && scaled >= qty * p_.refill_period_ms) {
    d.allowed = true;
    scaled -= qty * p_.refill_period_ms;
  } else if (qty <= p_.capacity) {
    d.retry_after_ms = CeilDiv(qty * p_.refill_period_ms - scaled, p_.refill_tokens);
  }  // else: more than the bucket holds, waiting never helps (-1)
  d.remaining = scaled / p_.refill_period_ms;
  d.reset_after_ms = CeilDiv(full - scaled, p_.refill_tokens);
  return d;
}

Decision TokenBucket::Hit(int64_t now_ms, int64_t qty) {
  if (qty == 0) return Peek(now_ms);
  const int64_t scaled = ScaledTokensAt(now_ms);
  const Decision d = Decide(now_ms, qty, scaled);
  if (d.allowed) {
    scaled_ = scaled - qty * p_.refill_period_ms;
    last_ms_ = now_ms;
  }
  return d;
}

Decision TokenBucket::Peek(int64_t now_ms) const {
  Decision d = Decide(now_ms, 0, ScaledTokensAt(now_ms));
  d.allowed = true;
  return d;
}

int64_t TokenBucket::UsedMilli(int64_t now_ms) const {
  const int64_t full = p_.capacity * p_.refill_period_ms;
  return (full - ScaledTokensAt(now_ms)) * 1000 / p_.refill_period_ms;
}

nlohmann::json TokenBucket::State(int64_t now_ms) const {
  const int64_t scaled = ScaledTokensAt(now_ms);
  return {{"tokens", scaled / p_.refill_period_ms},
          {"tokens_milli", scaled * 1000 / p_.refill_period_ms},
          {"capacity", p_.capacity}};
}

}  // namespace sdp

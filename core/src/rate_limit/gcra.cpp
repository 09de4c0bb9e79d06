// GCRA as redis-cell's RateLimiter::rate_limit() computes it, in nanoseconds,
// and CL.THROTTLE's reply (redis-cell/src/lib.rs) on top.
#include "rate_limit/int_math.h"
#include "sdp/rate_limiters.h"

namespace sdp {
namespace {

using rl::CeilDiv;

constexpr int64_t kNsPerMs = 1000000;
constexpr int64_t kNsPerS = 1000000000;
constexpr int64_t kMinusOneSecond = -kNsPerS;  // redis-cell's "not applicable"

// CL.THROTTLE: whole seconds, plus one if there is a millisecond part.
int64_t ReplySeconds(int64_t ns) { return ns / kNsPerS + ((ns % kNsPerS) / kNsPerMs > 0 ? 1 : 0); }

}  // namespace

Gcra::Gcra(const Params& params)
    : p_(params),
      emission_ns_(params.period_ms * kNsPerMs / params.count),
      tolerance_ns_(emission_ns_ * (params.max_burst + 1)) {}

Gcra::Detail Gcra::Evaluate(int64_t now_ms, int64_t qty, int64_t* new_tat_ns) const {
  const int64_t now = now_ms * kNsPerMs;
  // A stored tat at or before now has expired (its TTL was tat - now).
  const int64_t tat = tat_ns_ > now ? tat_ns_ : now;
  Detail d{false, 0, kMinusOneSecond, kMinusOneSecond};
  int64_t ttl;
  if (qty > p_.max_burst + 1) {
    // increment > tolerance: new_tat - tolerance > now, always limited, and
    // retry_after stays -1 (waiting cannot help). Decided before computing
    // emission * qty, which could overflow.
    d.limited = true;
    ttl = tat - now;
  } else {
    const int64_t new_tat = tat + emission_ns_ * qty;  // tat >= now here
    const int64_t diff = now - (new_tat - tolerance_ns_);
    if (diff < 0) {
      d.limited = true;
      d.retry_after_ns = -diff;
      ttl = tat - now;
    } else {
      ttl = new_tat - now;
      if (new_tat_ns != nullptr) *new_tat_ns = new_tat;
    }
  }
  const int64_t next = tolerance_ns_ - ttl;
  // redis-cell: (next.whole_microseconds() as f64 / emission.whole_microseconds()
  // as f64) as i64; both truncate toward zero, as C++ division does.
  if (next > -emission_ns_) d.remaining = (next / 1000) / (emission_ns_ / 1000);
  d.reset_after_ns = ttl;
  return d;
}

Gcra::Reply Gcra::ToReply(const Detail& d) const {
  return {d.limited ? 1 : 0, p_.max_burst + 1, d.remaining, ReplySeconds(d.retry_after_ns),
          ReplySeconds(d.reset_after_ns)};
}

Decision Gcra::ToDecision(const Detail& d) const {
  Decision out;
  out.allowed = !d.limited;
  out.remaining = d.remaining;
  out.retry_after_ms = d.retry_after_ns < 0 ? -1 : CeilDiv(d.retry_after_ns, kNsPerMs);
  out.reset_after_ms = CeilDiv(d.reset_after_ns, kNsPerMs);
  return out;
}

Gcra::Reply Gcra::Throttle(int64_t now_ms, int64_t qty) {
  int64_t new_tat = -1;
  const Detail d = Evaluate(now_ms, qty, &new_tat);
  // quantity 0 "peeks": redis-cell stores max(tat, now) again, which changes
  // nothing observable; we store nothing.
  if (!d.limited && qty > 0) tat_ns_ = new_tat;
  return ToReply(d);
}

Decision Gcra::Hit(int64_t now_ms, int64_t qty) {
  int64_t new_tat = -1;
  const Detail d = Evaluate(now_ms, qty, &new_tat);
  if (!d.limited && qty > 0) tat_ns_ = new_tat;
  return ToDecision(d);
}

Decision Gcra::Peek(int64_t now_ms) const { return ToDecision(Evaluate(now_ms, 0, nullptr)); }

int64_t Gcra::UsedMilli(int64_t now_ms) const {
  const int64_t now = now_ms * kNsPerMs;
  const int64_t ahead = tat_ns_ > now ? tat_ns_ - now : 0;  // <= tolerance
  return ahead / emission_ns_ * 1000 + ahead % emission_ns_ * 1000 / emission_ns_;
}

nlohmann::json Gcra::State(int64_t now_ms) const {
  const int64_t now = now_ms * kNsPerMs;
  return {{"tat_ns", tat_ns_ > now ? nlohmann::json(tat_ns_) : nlohmann::json(nullptr)},
          {"emission_ns", emission_ns_},
          {"tolerance_ns", tolerance_ns_},
          {"used_milli", UsedMilli(now_ms)}};
}

}  // namespace sdp

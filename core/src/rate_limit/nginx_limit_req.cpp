// nginx limit_req, following ngx_http_limit_req_lookup() and
// ngx_http_limit_req_account() for a single limit (account = 1).
#include <algorithm>

#include "rate_limit/int_math.h"
#include "sdp/rate_limiters.h"

namespace sdp {
namespace {

using rl::CeilDiv;

// nginx's nodelay: delay = NGX_MAX_INT_T_VALUE / 1000, later multiplied by 1000.
constexpr int64_t kNoDelayMilli = INT64_MAX / 1000 * 1000;
// Larger than any excess (which stays below ~2^41 for accepted specs).
constexpr int64_t kDrained = INT64_MAX / 4;

// rate * ms / 1000, nginx's leak; guarded against overflow after a long idle
// time (nginx itself would wrap there; by then the bucket is long empty).
int64_t Leaked(int64_t rate_milli, int64_t ms) {
  if (ms > INT64_MAX / 2 / rate_milli) return kDrained;
  return rate_milli * ms / 1000;
}

}  // namespace

NginxLimitReq::NginxLimitReq(const Params& params)
    : p_(params),
      burst_milli_(params.burst * 1000),
      delay_milli_(params.nodelay ? kNoDelayMilli : params.delay * 1000) {}

int64_t NginxLimitReq::ExcessAt(int64_t now_ms, int64_t qty) const {
  // A new node: lookup() returns NGX_OK with excess 0. Further units in the
  // same millisecond add 1000 each (ms = 0, nothing leaks).
  if (!exists_) return (qty - 1) * 1000;
  const int64_t ms = now_ms - last_ms_;
  const int64_t first = std::max<int64_t>(0, excess_ - Leaked(p_.rate_milli, ms) + 1000);
  return first + (qty - 1) * 1000;
}

Decision NginxLimitReq::Decide(int64_t now_ms, int64_t qty, int64_t excess) const {
  Decision d;
  if (excess > burst_milli_) {  // NGX_BUSY: rejected, the node is left alone
    // Waiting lets `excess_` leak; the units after the first never can.
    const int64_t budget = burst_milli_ - (qty - 1) * 1000;
    if (exists_ && budget >= 0) {
      const int64_t must_leak = excess_ + 1000 - budget;
      d.retry_after_ms = last_ms_ + CeilDiv(1000 * must_leak, p_.rate_milli) - now_ms;
    }
    d.remaining = RemainingAt(now_ms);
    d.reset_after_ms = ResetAfter(now_ms);
    return d;
  }
  d.allowed = true;
  d.remaining = (burst_milli_ - excess) / 1000;
  if (excess > delay_milli_) d.delay_ms = (excess - delay_milli_) * 1000 / p_.rate_milli;
  // After an accepted request `last` is now (it is only left alone when ms
  // is 0, i.e. when it already is now).
  d.reset_after_ms = CeilDiv(1000 * excess, p_.rate_milli);
  return d;
}

Decision NginxLimitReq::Hit(int64_t now_ms, int64_t qty) {
  if (qty == 0) return Peek(now_ms);
  const int64_t excess = ExcessAt(now_ms, qty);
  const Decision d = Decide(now_ms, qty, excess);
  if (d.allowed) {
    // `if (ms) lr->last = now;`: a leak truncated to 0 over ms > 0 is lost,
    // as in nginx.
    if (!exists_ || now_ms != last_ms_) last_ms_ = now_ms;
    exists_ = true;
    excess_ = excess;
  }
  return d;
}

Decision NginxLimitReq::Peek(int64_t now_ms) const {
  Decision d;
  d.allowed = true;
  d.remaining = RemainingAt(now_ms);
  d.reset_after_ms = ResetAfter(now_ms);
  return d;
}

int64_t NginxLimitReq::RemainingAt(int64_t now_ms) const {
  // Requests at now_ms, one after another: the first has excess `first`,
  // each further one 1000 more.
  const int64_t first = exists_ ? ExcessAt(now_ms, 1) : 0;
  return first <= burst_milli_ ? (burst_milli_ - first) / 1000 + 1 : 0;
}

int64_t NginxLimitReq::ResetAfter(int64_t now_ms) const {
  if (!exists_) return 0;
  return std::max<int64_t>(0, last_ms_ + CeilDiv(1000 * excess_, p_.rate_milli) - now_ms);
}

int64_t NginxLimitReq::UsedMilli(int64_t now_ms) const {
  if (!exists_) return 0;
  return std::max<int64_t>(0, excess_ - Leaked(p_.rate_milli, now_ms - last_ms_));
}

bool NginxLimitReq::Expirable(int64_t now_ms) const {
  if (!exists_) return false;
  const int64_t ms = now_ms - last_ms_;
  if (ms < 60000) return false;
  return excess_ - Leaked(p_.rate_milli, ms) <= 0;
}

void NginxLimitReq::Forget() {
  exists_ = false;
  excess_ = 0;
  last_ms_ = 0;
}

nlohmann::json NginxLimitReq::State(int64_t now_ms) const {
  return {{"excess_milli", UsedMilli(now_ms)},
          {"stored_excess_milli", excess_},
          {"last_ms", exists_ ? nlohmann::json(last_ms_) : nlohmann::json(nullptr)},
          {"burst_milli", burst_milli_}};
}

}  // namespace sdp

// The classic rate limiters, one class each, every one a single key's state.
//
//   TokenBucket      capacity C, refilled continuously at R tokens per P ms
//   NginxLimitReq    the leaky bucket of nginx's limit_req, integer for integer
//   FixedWindow      a counter per epoch-aligned window
//   SlidingLog       every admitted request's time: the exact sliding window
//   SlidingCounter   Cloudflare's approximation: prev*(W-elapsed)/W + current
//   Gcra             redis-cell's CL.THROTTLE (generic cell rate algorithm)
//
// Time is integer milliseconds (int64), and must not go backwards between
// calls on one limiter (REQUIRES). Arithmetic is integer wherever the
// reference's is: nginx counts "excess" in 1/1000 requests and its rate in
// 1/1000 r/s; redis-cell works in nanoseconds (GCRA here too); the token
// bucket keeps tokens in units of 1/P token so refill is exact; the sliding
// counter compares prev*(W-elapsed) + current*W against limit*W instead of
// dividing. Every quantity stays far below 2^63 for the ranges LimiterSpec
// accepts, and the few products that could not are guarded.
//
// A hit of `qty` units asks for qty requests' worth at once, all or nothing;
// qty = 0 only looks (Peek) and changes nothing. A rejected hit changes
// nothing any later decision could see (nginx and redis-cell store nothing
// for it; for the others it is the usual choice: a refused request is not
// counted; the sliding log may drop entries that have left its window).
//
// Decision fields: `remaining` is how many more units would be admitted at
// this same instant; retry_after_ms is -1 when admitted or when waiting can
// never help (qty above the limiter's burst), else how long until this same
// hit would pass; delay_ms is nginx's delay of an admitted request (0 for
// the others); reset_after_ms is how long until the limiter is back to idle.
#ifndef SDP_RATE_LIMITERS_H_
#define SDP_RATE_LIMITERS_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "sdp/clone.h"
#include "sdp/status.h"

namespace sdp {

// The largest limit and window any limiter accepts (one day; a million per
// window): every algorithm's integer arithmetic stays exact below them.
inline constexpr int64_t kMaxLimit = 1000000;
inline constexpr int64_t kMaxWindowMs = 86400000;

struct Decision {
  bool allowed = false;
  int64_t remaining = 0;
  int64_t retry_after_ms = -1;
  int64_t delay_ms = 0;
  int64_t reset_after_ms = 0;
};

// What the rate_limiter sim (and the gateway) hold per key.
class Limiter {
 public:
  virtual ~Limiter() = default;
  // REQUIRES: 0 <= now_ms <= 4e12, never below an earlier now_ms given to
  // this limiter, and 0 <= qty <= 1000000 (bounds that keep every product
  // below 2^63, GCRA's nanoseconds included).
  virtual Decision Hit(int64_t now_ms, int64_t qty) = 0;
  // What Hit(now_ms, 0) answers; changes nothing.
  virtual Decision Peek(int64_t now_ms) const = 0;
  // How full the limiter is at now_ms, in 1/1000 requests (for charts).
  virtual int64_t UsedMilli(int64_t now_ms) const = 0;
  virtual nlohmann::json State(int64_t now_ms) const = 0;
  // A copy of the dynamic type (a sim's clone copies its limiters).
  virtual std::unique_ptr<Limiter> Clone() const = 0;
};

class TokenBucket : public Cloneable<TokenBucket, Limiter> {
 public:
  struct Params {
    int64_t capacity = 10;       // tokens; the bucket starts full
    int64_t refill_tokens = 10;  // added per refill_period_ms, continuously
    int64_t refill_period_ms = 1000;
  };
  explicit TokenBucket(const Params& params);
  Decision Hit(int64_t now_ms, int64_t qty) override;
  Decision Peek(int64_t now_ms) const override;
  int64_t UsedMilli(int64_t now_ms) const override;
  nlohmann::json State(int64_t now_ms) const override;
  // Tokens at now_ms, in 1/refill_period_ms tokens.
  int64_t ScaledTokensAt(int64_t now_ms) const;

 private:
  Decision Decide(int64_t now_ms, int64_t qty, int64_t scaled) const;
  Params p_;
  int64_t scaled_;  // tokens * refill_period_ms
  int64_t last_ms_ = 0;
};

// ngx_http_limit_req_module.c (nginx 1.15.7+, the version with delay=), one
// limit_req directive on one key. rate_milli is nginx's ctx->rate: r/s * 1000
// (r/m * 1000 / 60, truncated). A new key starts with excess 0; after that
//   excess = max(0, excess - rate*ms/1000 + 1000)      (ms since `last`)
// a request is refused when excess > burst*1000 (nothing is stored then),
// otherwise stored (and `last` moved only if ms != 0), and delayed by
//   (excess - delay*1000) * 1000 / rate  ms  when excess > delay*1000.
// nodelay is nginx's delay = NGX_MAX_INT_T_VALUE / 1000: nothing is delayed.
// Forgetting keys is the zone's business, not one key's: each time a NEW
// key arrives, ngx_http_limit_req_lookup calls ngx_http_limit_req_expire(ctx,
// 1), which deletes up to two least-recently-used nodes that are idle >= 60 s
// and fully drained (excess - rate*ms/1000 <= 0). The rate_limiter sim does
// that with Expirable() and Forget(); the forced expire(ctx, 0), used only
// when the zone's memory is full, is not modelled (no zone size). A hit of
// qty > 1 adds 1000 per unit, as qty requests in the same millisecond would.
class NginxLimitReq : public Cloneable<NginxLimitReq, Limiter> {
 public:
  struct Params {
    int64_t rate_milli = 10000;  // 10r/s
    int64_t burst = 0;           // requests
    int64_t delay = 0;           // requests passed without delay (delay=N)
    bool nodelay = false;
  };
  // nginx's own parsing of rate=Nr/s and rate=Nr/m.
  static int64_t RatePerSecond(int64_t n) { return n * 1000; }
  static int64_t RatePerMinute(int64_t n) { return n * 1000 / 60; }

  explicit NginxLimitReq(const Params& params);
  Decision Hit(int64_t now_ms, int64_t qty) override;
  Decision Peek(int64_t now_ms) const override;
  int64_t UsedMilli(int64_t now_ms) const override;
  nlohmann::json State(int64_t now_ms) const override;
  int64_t excess() const { return excess_; }
  int64_t last_ms() const { return last_ms_; }
  // nginx keeps a node (rbtree entry) for this key.
  bool has_node() const { return exists_; }
  // What ngx_http_limit_req_expire(ctx, 1) asks of an LRU node before it
  // deletes it: idle for at least 60 s and excess - rate*ms/1000 <= 0.
  bool Expirable(int64_t now_ms) const;
  // The node is deleted: the next request starts over as a new key.
  void Forget();

 private:
  // The excess a hit of qty at now_ms would have (before the burst check).
  int64_t ExcessAt(int64_t now_ms, int64_t qty) const;
  Decision Decide(int64_t now_ms, int64_t qty, int64_t excess) const;
  int64_t RemainingAt(int64_t now_ms) const;
  int64_t ResetAfter(int64_t now_ms) const;
  Params p_;
  int64_t burst_milli_;
  int64_t delay_milli_;
  bool exists_ = false;  // nginx's rbtree node for this key
  int64_t excess_ = 0;
  int64_t last_ms_ = 0;
};

// Windows are aligned to time 0: [k*W, (k+1)*W).
class FixedWindow : public Cloneable<FixedWindow, Limiter> {
 public:
  struct Params {
    int64_t limit = 10;
    int64_t window_ms = 1000;
  };
  explicit FixedWindow(const Params& params);
  Decision Hit(int64_t now_ms, int64_t qty) override;
  Decision Peek(int64_t now_ms) const override;
  int64_t UsedMilli(int64_t now_ms) const override;
  nlohmann::json State(int64_t now_ms) const override;

 private:
  int64_t CountAt(int64_t now_ms) const;
  Params p_;
  int64_t window_start_ = 0;
  int64_t count_ = 0;
};

// Admits iff the admitted units in (now - W, now] plus qty stay <= limit, so
// no window of length W ever holds more than `limit`: the reference the
// others are measured against. Memory: one entry per millisecond with an
// admitted hit in the last W. Entries carry running totals, so counting and
// finding when enough of them will have left are binary searches.
class SlidingLog : public Cloneable<SlidingLog, Limiter> {
 public:
  struct Params {
    int64_t limit = 10;
    int64_t window_ms = 1000;
  };
  explicit SlidingLog(const Params& params);
  Decision Hit(int64_t now_ms, int64_t qty) override;
  Decision Peek(int64_t now_ms) const override;
  int64_t UsedMilli(int64_t now_ms) const override;
  nlohmann::json State(int64_t now_ms) const override;

 private:
  void Expire(int64_t now_ms);
  // Index of the first entry inside (now - W, now].
  uint64_t FirstLive(int64_t now_ms) const;
  // Units admitted before entry i (entries before it have left or are older).
  int64_t TotalBefore(uint64_t i) const;
  int64_t CountAt(int64_t now_ms) const;
  Params p_;
  // (time, units admitted up to and including this entry), oldest first.
  std::deque<std::pair<int64_t, int64_t>> log_;
  int64_t expired_total_ = 0;  // the running total of the last expired entry
};

// Cloudflare (2017, "How we built rate limiting capable of scaling to
// millions of domains"): counters for the current and the previous fixed
// window, and the rate estimated as prev * (W - elapsed) / W + current.
// Admits iff estimate + qty <= limit, evaluated exactly in integers. Counts
// admitted units only (like the other limiters here).
class SlidingCounter : public Cloneable<SlidingCounter, Limiter> {
 public:
  struct Params {
    int64_t limit = 10;
    int64_t window_ms = 1000;
  };
  explicit SlidingCounter(const Params& params);
  Decision Hit(int64_t now_ms, int64_t qty) override;
  Decision Peek(int64_t now_ms) const override;
  int64_t UsedMilli(int64_t now_ms) const override;
  nlohmann::json State(int64_t now_ms) const override;

 private:
  // (previous, current) counts as seen at now_ms.
  std::pair<int64_t, int64_t> CountsAt(int64_t now_ms) const;
  Decision Decide(int64_t now_ms, int64_t qty, int64_t prev, int64_t cur) const;
  Params p_;
  int64_t window_ = 0;  // index k of the current window [k*W, (k+1)*W)
  int64_t prev_ = 0;
  int64_t cur_ = 0;
};

// Cloudflare's way of judging the sliding counter, as we read their 2017
// blog (it gives the result, not the method): every request is counted
// (none is refused, so decisions cannot feed back into the counts), and at
// each one the estimate's verdict "estimate <= limit" is compared with the
// exact sliding count's "count in (t - W, t] <= limit", both including the
// request itself. This isolates the approximation; two limiters run side by
// side instead diverge as soon as they admit different requests.
class SlidingCounterAudit {
 public:
  SlidingCounterAudit(int64_t limit, int64_t window_ms);
  // REQUIRES: now_ms never decreases; qty >= 1.
  void Add(int64_t now_ms, int64_t qty);
  uint64_t requests() const { return requests_; }
  uint64_t wrongly_allowed() const { return wrongly_allowed_; }
  uint64_t wrongly_limited() const { return wrongly_limited_; }

 private:
  int64_t limit_, window_ms_;
  std::deque<std::pair<int64_t, int64_t>> recent_;  // (time, units) in the window
  int64_t in_window_ = 0;
  int64_t window_ = 0, prev_ = 0, cur_ = 0;  // the counter's fixed windows
  uint64_t requests_ = 0, wrongly_allowed_ = 0, wrongly_limited_ = 0;
};

// redis-cell (brandur/redis-cell on master: src/cell/mod.rs, RateLimiter::
// rate_limit; src/lib.rs, the CL.THROTTLE command and its reply) for one key:
// CL.THROTTLE key max_burst count period [quantity], with period in ms here
// (CL.THROTTLE takes seconds: period_ms = 1000 * period). Everything is in
// nanoseconds as there:
//   emission = period / count, tolerance = emission * (max_burst + 1),
//   limit = max_burst + 1, tat = stored theoretical arrival time or now.
// The stored tat expires when it is reached (redis sets a TTL of tat - now,
// at millisecond precision, so redis can forget it up to 1 ms earlier).
// redis-cell divides as f64 and truncates; for the integers here (below
// 2^53) that equals integer division, which is what we do.
class Gcra : public Cloneable<Gcra, Limiter> {
 public:
  struct Params {
    int64_t max_burst = 9;
    int64_t count = 10;
    int64_t period_ms = 1000;
  };
  // The CL.THROTTLE reply: [limited, limit, remaining, retry_after, reset_after],
  // the two times in whole seconds, rounded up when they have a millisecond part.
  struct Reply {
    int64_t limited, limit, remaining, retry_after_s, reset_after_s;
  };
  // Full precision of the last answer.
  struct Detail {
    bool limited;
    int64_t remaining, retry_after_ns, reset_after_ns;
  };

  explicit Gcra(const Params& params);
  Decision Hit(int64_t now_ms, int64_t qty) override;
  Decision Peek(int64_t now_ms) const override;
  int64_t UsedMilli(int64_t now_ms) const override;
  nlohmann::json State(int64_t now_ms) const override;

  // CL.THROTTLE itself.
  Reply Throttle(int64_t now_ms, int64_t qty);
  Detail Evaluate(int64_t now_ms, int64_t qty, int64_t* new_tat_ns) const;
  Reply ToReply(const Detail& d) const;
  int64_t emission_ns() const { return emission_ns_; }
  int64_t tolerance_ns() const { return tolerance_ns_; }

 private:
  Decision ToDecision(const Detail& d) const;
  Params p_;
  int64_t emission_ns_;
  int64_t tolerance_ns_;
  int64_t tat_ns_ = -1;  // -1: no key
};

// --- one parameter set for all of them (the sim's and the gateway's) -------

enum class Algorithm : uint32_t {
  kTokenBucket,
  kLeakyBucket,  // nginx limit_req
  kFixedWindow,
  kSlidingLog,
  kSlidingCounter,
  kGcra,
};
constexpr uint32_t kAlgorithmCount = 6;
const char* AlgorithmName(Algorithm algorithm);
// REQUIRES: name is one of the names AlgorithmName returns.
Algorithm AlgorithmFromName(std::string_view name);
// Where its semantics come from, one line.
const char* AlgorithmReference(Algorithm algorithm);

// `limit` requests per `window_ms` for every algorithm, plus the knobs only
// some have. Each maps to its class: token bucket capacity `capacity`,
// refill limit per window; nginx rate = limit * 1000000 / window_ms in 1/1000
// r/s (exactly nginx's r/s and r/m for 1 s and 60 s windows), burst, delay,
// nodelay; GCRA count = limit, period = window_ms, max_burst = burst.
struct LimiterSpec {
  Algorithm algorithm = Algorithm::kTokenBucket;
  int64_t limit = 10;
  int64_t window_ms = 1000;
  int64_t capacity = 10;  // token bucket
  int64_t burst = 9;      // nginx, GCRA
  int64_t delay = 0;      // nginx
  bool nodelay = false;   // nginx
};

// Refuses combinations an algorithm cannot represent, naming the field
// (`context` prefixes the message).
Status ValidateSpec(const LimiterSpec& spec, std::string_view context);
// REQUIRES: ValidateSpec(spec).ok()
std::unique_ptr<Limiter> MakeLimiter(const LimiterSpec& spec);
// The parameters that apply to spec.algorithm, in its own terms.
nlohmann::json SpecJson(const LimiterSpec& spec);

}  // namespace sdp

#endif  // SDP_RATE_LIMITERS_H_

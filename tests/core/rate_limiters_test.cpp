// Each limiter against its reference: nginx's limit_req arithmetic, redis-cell's
// own unit-test sequence and README example, Cloudflare's worked example, and
// the textbook behaviour of the token bucket, fixed window and sliding log.
// Expected values are derived in the comments from the reference formulas,
// not copied from our output.
#include "sdp/rate_limiters.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "sdp/random.h"
#include "sdp/request_trace.h"

namespace sdp::rate_limiters_test {
namespace {

NginxLimitReq Nginx(int64_t rate_milli, int64_t burst, int64_t delay = 0, bool nodelay = false) {
  return NginxLimitReq(NginxLimitReq::Params{rate_milli, burst, delay, nodelay});
}

// ---------------------------------------------------------------------------
// nginx limit_req

TEST_CASE(
    "nginx rate=1r/s burst=5: six simultaneous pass (five delayed 1-5 s), the seventh is refused",
    "[rate_limiter][nginx]") {
  NginxLimitReq limit = Nginx(NginxLimitReq::RatePerSecond(1), 5);
  // The first request creates the node with excess 0; each further one in
  // the same ms adds 1000 (nothing leaks in 0 ms). Delay = excess * 1000 / 1000.
  for (int64_t i = 0; i < 6; ++i) {
    INFO("request " << i + 1);
    const Decision d = limit.Hit(5000, 1);
    CHECK(d.allowed);
    CHECK(d.delay_ms == 1000 * i);
    CHECK(limit.excess() == 1000 * i);
  }
  // Seventh: excess would be 6000 > burst 5000: NGX_BUSY, and nginx stores nothing.
  const Decision seventh = limit.Hit(5000, 1);
  CHECK_FALSE(seventh.allowed);
  CHECK(limit.excess() == 5000);
  // It could pass once 1000 has leaked: 1000 * 1000 / rate = 1000 ms.
  CHECK(seventh.retry_after_ms == 1000);
  CHECK(limit.Hit(5999, 1).allowed == false);  // leaked 999 only: 5001 > 5000
  const Decision later = limit.Hit(6000, 1);
  CHECK(later.allowed);
  CHECK(later.delay_ms == 5000);  // excess 5000 - 1000 + 1000
}

// The table in the nginx docs' spirit for rate=10r/s burst=5, seven requests in
// one millisecond: excess 0..6000; default delays (e * 1000 / 10000) 0..500 ms;
// nodelay none; delay=2 only above 2000: (e - 2000) * 1000 / 10000.
TEST_CASE("nginx burst=5 with the default, nodelay and delay=2", "[rate_limiter][nginx]") {
  const int64_t rate = NginxLimitReq::RatePerSecond(10);
  struct Mode {
    const char* name;
    NginxLimitReq limit;
    std::vector<int64_t> delays;
  } modes[] = {
      {"default", Nginx(rate, 5), {0, 100, 200, 300, 400, 500}},
      {"nodelay", Nginx(rate, 5, 0, true), {0, 0, 0, 0, 0, 0}},
      {"delay=2", Nginx(rate, 5, 2), {0, 0, 0, 100, 200, 300}},
  };
  for (Mode& mode : modes) {
    INFO(mode.name);
    for (int64_t expected : mode.delays) {
      const Decision d = mode.limit.Hit(0, 1);
      CHECK(d.allowed);
      CHECK(d.delay_ms == expected);
    }
    CHECK_FALSE(mode.limit.Hit(0, 1).allowed);
  }
}

TEST_CASE("nginx integer arithmetic: 1r/m is 16 milli-requests/s, and truncated leaks are lost",
          "[rate_limiter][nginx]") {
  // rate=1r/m: ctx->rate = 1 * 1000 / 60 = 16. After 60 s only 16 * 60000 / 1000
  // = 960 has leaked, so with no burst a request exactly a minute later is
  // refused (excess 40 > 0); it needs 16 * ms / 1000 >= 1000, i.e. ms >= 62500.
  // That holds while nginx keeps this key's node: a new key arriving once
  // this one is idle >= 60 s and drained lets ngx_http_limit_req_expire(ctx, 1)
  // delete it, and the request then starts over at excess 0 (not modelled).
  CHECK(NginxLimitReq::RatePerMinute(1) == 16);
  NginxLimitReq per_minute = Nginx(NginxLimitReq::RatePerMinute(1), 0);
  CHECK(per_minute.Hit(0, 1).allowed);
  const Decision after_a_minute = per_minute.Hit(60000, 1);
  CHECK_FALSE(after_a_minute.allowed);
  CHECK(after_a_minute.retry_after_ms == 2500);
  CHECK_FALSE(per_minute.Hit(62499, 1).allowed);
  CHECK(per_minute.Hit(62500, 1).allowed);

  // rate 16, burst 5, a request every 10 ms: 16 * 10 / 1000 = 0 leaks each
  // time, yet `last` moves (ms != 0), so nothing ever leaks: +1000 each.
  NginxLimitReq lossy = Nginx(16, 5);
  for (int64_t t = 0; t <= 50; t += 10) CHECK(lossy.Hit(t, 1).allowed);
  CHECK(lossy.excess() == 5000);
  CHECK(lossy.last_ms() == 50);
  // 0.32 requests' worth of time later a float model would have room; nginx does not.
  CHECK_FALSE(lossy.Hit(60, 1).allowed);
}

TEST_CASE("nginx: accepted requests leave in arrival order (served times never decrease)",
          "[rate_limiter][nginx]") {
  // The sim's sliding-window peak for nginx relies on this (window_peak.h).
  Rng rng(99);
  for (int run = 0; run < 200; ++run) {
    const int64_t rate = rng.Between(1, 3000000);
    const int64_t burst = rng.Between(0, 50);
    const int64_t delay = rng.Between(0, 60);
    NginxLimitReq limit = Nginx(rate, burst, delay);
    int64_t t = 0, last_served = -1;
    for (int i = 0; i < 500; ++i) {
      t += rng.Bernoulli(0.5) ? 0 : rng.Between(0, 50);
      const Decision d = limit.Hit(t, rng.Between(1, 3));
      if (!d.allowed) continue;
      INFO("rate " << rate << " burst " << burst << " delay " << delay << " t " << t);
      REQUIRE(t + d.delay_ms >= last_served);
      last_served = t + d.delay_ms;
    }
  }
}

// ---------------------------------------------------------------------------
// redis-cell

// Port of redis-cell's own test `it_rate_limits` (src/cell/mod.rs on master,
// brandur/redis-cell): limit 5 (max_burst 4), Rate::per_second(1), the same
// times, volumes and expected (remaining, reset_after, retry_after, limited).
TEST_CASE("GCRA reproduces redis-cell's it_rate_limits sequence", "[rate_limiter][gcra]") {
  Gcra limiter(Gcra::Params{4, 1, 1000});
  const int64_t start = 1700000000000;  // any instant; the test uses now_utc()
  constexpr int64_t kS = 1000000000, kMs = 1000000;
  struct Case {
    int num;
    int64_t offset_ms, volume, remaining, reset_after_ns, retry_after_ns;
    bool limited;
  };
  const Case cases[] = {
      // You can never make a request larger than the maximum.
      {0, 0, 6, 5, 0, -1 * kS, true},
      // Rate limit normal requests appropriately.
      {1, 0, 1, 4, 1 * kS, -1 * kS, false},
      {2, 0, 1, 3, 2 * kS, -1 * kS, false},
      {3, 0, 1, 2, 3 * kS, -1 * kS, false},
      {4, 0, 1, 1, 4 * kS, -1 * kS, false},
      {5, 0, 1, 0, 5 * kS, -1 * kS, false},
      {6, 0, 1, 0, 5 * kS, 1 * kS, true},
      {7, 3000, 1, 2, 3000 * kMs, -1 * kS, false},
      {8, 3100, 1, 1, 3900 * kMs, -1 * kS, false},
      {9, 4000, 1, 1, 4000 * kMs, -1 * kS, false},
      {10, 8000, 1, 4, 1000 * kMs, -1 * kS, false},
      {11, 9500, 1, 4, 1000 * kMs, -1 * kS, false},
      // Zero-volume request just peeks at the state.
      {12, 9500, 0, 4, 1 * kS, -1 * kS, false},
      // High-volume request uses up more of the limit.
      {13, 9500, 2, 2, 3 * kS, -1 * kS, false},
      // Large requests cannot exceed limits
      {14, 9500, 5, 2, 3 * kS, 3 * kS, true},
  };
  for (const Case& c : cases) {
    INFO("redis-cell case " << c.num);
    const int64_t now = start + c.offset_ms;
    const Gcra::Detail d = limiter.Evaluate(now, c.volume, nullptr);
    CHECK(d.limited == c.limited);
    CHECK(limiter.ToReply(d).limit == 5);
    CHECK(d.remaining == c.remaining);
    CHECK(d.reset_after_ns == c.reset_after_ns);
    CHECK(d.retry_after_ns == c.retry_after_ns);
    // Apply it for real: the same answer, through the Limiter interface too.
    const Decision decision = limiter.Hit(now, c.volume);
    CHECK(decision.allowed == !c.limited);
    CHECK(decision.remaining == c.remaining);
  }
}

TEST_CASE("CL.THROTTLE user123 15 30 60 replies 0, 16, 15, -1, 2 (redis-cell README)",
          "[rate_limiter][gcra]") {
  Gcra limiter(Gcra::Params{15, 30, 60000});
  const Gcra::Reply r = limiter.Throttle(123456789, 1);
  CHECK(r.limited == 0);
  CHECK(r.limit == 16);
  CHECK(r.remaining == 15);
  CHECK(r.retry_after_s == -1);
  CHECK(r.reset_after_s == 2);
}

TEST_CASE("CL.THROTTLE rounds a millisecond remainder up to the next second",
          "[rate_limiter][gcra]") {
  // 3 per second: emission = 1e9 / 3 = 333333333 ns; no burst.
  Gcra limiter(Gcra::Params{0, 3, 1000});
  CHECK(limiter.emission_ns() == 333333333);
  const Gcra::Reply first = limiter.Throttle(0, 1);
  CHECK(first.limited == 0);
  CHECK(first.reset_after_s == 1);  // 0.333 s: 0 whole seconds + a 333 ms part
  const Gcra::Reply second = limiter.Throttle(0, 1);
  CHECK(second.limited == 1);
  CHECK(second.retry_after_s == 1);
  // In ms: ceil(333333333 ns) = 334 ms; at 333 ms it is still 333 ns early.
  CHECK(limiter.Peek(0).reset_after_ms == 334);
  CHECK_FALSE(limiter.Hit(333, 1).allowed);
  CHECK(limiter.Hit(334, 1).allowed);
}

// ---------------------------------------------------------------------------
// Cloudflare's sliding window counter

TEST_CASE("Sliding counter: Cloudflare's 42 + 18 example, decided exactly",
          "[rate_limiter][sliding_counter]") {
  // 50 per minute. 42 requests in the previous minute, 18 in the current one,
  // 15 s into it: 42 * (60 - 15) / 60 + 18 = 49.5, so one more (50.5) is refused.
  SlidingCounter counter(SlidingCounter::Params{50, 60000});
  for (int i = 0; i < 42; ++i) REQUIRE(counter.Hit(0, 1).allowed);
  for (int i = 0; i < 18; ++i) REQUIRE(counter.Hit(75000, 1).allowed);
  CHECK(counter.UsedMilli(75000) == 49500);
  const Decision refused = counter.Hit(75000, 1);
  CHECK_FALSE(refused.allowed);
  // It fits when 42 * (60000 - e) + 19 * 60000 <= 50 * 60000, i.e. 60000 - e <=
  // 1860000 / 42 = 44285.7, e >= 15714.3: at 15715 ms into the window.
  CHECK(refused.retry_after_ms == 715);
  CHECK_FALSE(counter.Hit(75714, 1).allowed);
  CHECK(counter.Hit(75715, 1).allowed);
}

// ---------------------------------------------------------------------------
// Token bucket, fixed window, sliding log

TEST_CASE("Token bucket: starts full, refills continuously and exactly",
          "[rate_limiter][token_bucket]") {
  TokenBucket bucket(TokenBucket::Params{10, 10, 1000});
  for (int i = 0; i < 10; ++i) CHECK(bucket.Hit(0, 1).allowed);
  const Decision empty = bucket.Hit(0, 1);
  CHECK_FALSE(empty.allowed);
  CHECK(empty.retry_after_ms == 100);  // one token per 100 ms
  CHECK_FALSE(bucket.Hit(99, 1).allowed);
  CHECK(bucket.Hit(100, 1).allowed);
  CHECK(bucket.Hit(5000, 11).retry_after_ms == -1);  // more than it can ever hold

  // 3 tokens per second: after 333 ms only 0.999 of a token.
  TokenBucket thirds(TokenBucket::Params{1, 3, 1000});
  CHECK(thirds.Hit(0, 1).allowed);
  const Decision early = thirds.Hit(333, 1);
  CHECK_FALSE(early.allowed);
  CHECK(early.retry_after_ms == 1);
  CHECK(thirds.Hit(334, 1).allowed);
}

TEST_CASE("Fixed window admits twice its limit across an edge", "[rate_limiter][fixed_window]") {
  FixedWindow window(FixedWindow::Params{10, 1000});
  for (int i = 0; i < 10; ++i) CHECK(window.Hit(999, 1).allowed);
  const Decision full = window.Hit(999, 1);
  CHECK_FALSE(full.allowed);
  CHECK(full.retry_after_ms == 1);
  for (int i = 0; i < 10; ++i) CHECK(window.Hit(1000, 1).allowed);  // 20 within 2 ms
  CHECK_FALSE(window.Hit(1999, 1).allowed);
}

TEST_CASE("Sliding log never admits more than the limit in any window",
          "[rate_limiter][sliding_log]") {
  SlidingLog log(SlidingLog::Params{3, 1000});
  CHECK(log.Hit(0, 1).allowed);
  CHECK(log.Hit(100, 1).allowed);
  CHECK(log.Hit(200, 1).allowed);
  const Decision full = log.Hit(300, 1);
  CHECK_FALSE(full.allowed);
  CHECK(full.retry_after_ms == 700);  // the hit at 0 leaves the window (t - 1000, t] at t = 1000
  CHECK_FALSE(log.Hit(999, 1).allowed);
  CHECK(log.Hit(1000, 1).allowed);
  // At 1200 the window (200, 1200] holds only the hit at 1000: 1 + 2 fits.
  CHECK(log.Hit(1200, 2).allowed);
  // At 1300, (300, 1300] holds 1 + 2: two more fit only once both have left,
  // the later one at 1200 + 1000.
  const Decision two = log.Hit(1300, 2);
  CHECK_FALSE(two.allowed);
  CHECK(two.retry_after_ms == 900);
}

// Theory says GCRA is a token bucket seen from the other side, and nginx's
// leaky bucket with burst = capacity - 1 admits (now or after a delay) exactly
// what that bucket admits. Three implementations from three references
// (redis-cell in ns, nginx in 1/1000 requests, our token bucket in
// 1/period tokens) must then agree on every hit while their arithmetic is
// exact: 10 per second has a whole 100 ms between tokens.
TEST_CASE("token bucket, nginx and GCRA agree hit for hit at 10/s", "[rate_limiter]") {
  Rng rng(77);
  const std::vector<KeyedHit> hits = GeneratePopulation(50, 10, -1, 1, 60000, rng);
  REQUIRE(hits.size() > 50000);
  std::vector<TokenBucket> bucket(50, TokenBucket(TokenBucket::Params{10, 10, 1000}));
  std::vector<NginxLimitReq> nginx(50, Nginx(NginxLimitReq::RatePerSecond(10), 9));
  std::vector<Gcra> gcra(50, Gcra(Gcra::Params{9, 10, 1000}));
  uint64_t allowed = 0, rejected = 0;
  for (const KeyedHit& h : hits) {
    const bool a = bucket[h.key].Hit(h.at_ms, 1).allowed;
    INFO("hit at " << h.at_ms << " key " << h.key);
    REQUIRE(nginx[h.key].Hit(h.at_ms, 1).allowed == a);
    REQUIRE(gcra[h.key].Hit(h.at_ms, 1).allowed == a);
    (a ? allowed : rejected) += 1;
  }
  CHECK(allowed > 10000);  // the trace really exercises both answers
  CHECK(rejected > 10000);
}

// ---------------------------------------------------------------------------
// The shared parameter set

TEST_CASE("LimiterSpec refuses what an algorithm cannot represent, naming the field",
          "[rate_limiter]") {
  LimiterSpec spec;
  spec.algorithm = Algorithm::kLeakyBucket;
  spec.limit = 1;
  spec.window_ms = 2000000;  // 0.5 milli-requests per second
  CHECK_THAT(ValidateSpec(spec, "config").message(), Catch::Contains("field \"window_ms\""));
  spec.window_ms = 1000;
  spec.nodelay = true;
  spec.delay = 3;
  CHECK_THAT(ValidateSpec(spec, "limiter").message(), Catch::Contains("\"nodelay\" and \"delay\""));
  spec.algorithm = Algorithm::kGcra;
  spec.limit = 1000000;
  spec.window_ms = 999;  // 999 ns between requests
  CHECK_THAT(ValidateSpec(spec, "config").message(), Catch::Contains("field \"limit\""));
  spec.algorithm = Algorithm::kTokenBucket;
  spec.capacity = 0;
  CHECK_THAT(ValidateSpec(spec, "config").message(), Catch::Contains("field \"capacity\""));
  spec.capacity = 1;
  spec.limit = -5;
  CHECK_THAT(ValidateSpec(spec, "config").message(), Catch::Contains("field \"limit\""));
}

}  // namespace
}  // namespace sdp::rate_limiters_test
// ngx_http_limit_req (the directive parser) refuses "burst=0" with "invalid
// burst value": burst must be > 0 when given, and a missing burst is 0. The
// printed nginx.conf line therefore leaves burst out when it is 0.
TEST_CASE("nginx limit_req rejects burst=0: the printed directive omits burst", "[rate_limiter][nginx]") {
  sdp::LimiterSpec spec;
  spec.algorithm = sdp::Algorithm::kLeakyBucket;
  spec.limit = 1;
  spec.window_ms = 60000;
  spec.burst = 0;
  CHECK(sdp::SpecJson(spec)["nginx"] == "limit_req_zone $key zone=z:10m rate=1r/m; limit_req zone=z;");
  spec.burst = 5;
  spec.nodelay = true;
  CHECK(sdp::SpecJson(spec)["nginx"] ==
        "limit_req_zone $key zone=z:10m rate=1r/m; limit_req zone=z burst=5 nodelay;");
}

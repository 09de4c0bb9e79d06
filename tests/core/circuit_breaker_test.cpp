// The breaker against resilience4j's documented rules
// (resilience4j.readme.io/docs/circuitbreaker and CircuitBreakerStateMachine).
#include <catch2/catch.hpp>

#include "sdp/circuit_breaker.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace circuit_breaker_test {

namespace {

using sdp::BreakerConfig;
using sdp::BreakerState;
using sdp::CircuitBreaker;
using sdp::SimTime;
using Decision = sdp::CircuitBreaker::Decision;

constexpr SimTime kMs = sdp::kMicrosPerMilli;
constexpr SimTime kSec = sdp::kMicrosPerSecond;

BreakerConfig CountWindow(uint32_t size, uint32_t minimum) {
  BreakerConfig c;
  c.sliding_window_size = size;
  c.minimum_number_of_calls = minimum;
  c.wait_duration_in_open_state = 10 * kSec;
  c.permitted_number_of_calls_in_half_open_state = 3;
  return c;
}

// One permitted call at `t` that ends at once with `failed`.
void Call(CircuitBreaker& b, SimTime t, bool failed, SimTime duration = 1 * kMs) {
  REQUIRE(b.TryAcquirePermission(t) == Decision::kPermitted);
  b.OnResult(t, duration, failed);
}

}  // namespace

TEST_CASE("breaker: window 10, minimum 5: four failures do not open, the fifth call at 80% does",
          "[breaker]") {
  CircuitBreaker b(CountWindow(10, 5), 0);
  for (int i = 0; i < 4; ++i) Call(b, i, true);
  CHECK(b.state() == BreakerState::kClosed);
  CHECK(b.FailureRate(4) == -1);  // below the minimum: no rate at all
  Call(b, 4, false);              // 4 of 5 failed = 80%
  CHECK(b.state() == BreakerState::kOpen);
  REQUIRE(b.transitions().size() == 1);
  CHECK(b.transitions()[0].reason.find("failure rate") != std::string::npos);
}

TEST_CASE("breaker: a rate exactly at the threshold opens, just below does not", "[breaker]") {
  SECTION("5 of 10 failed at threshold 50 opens") {
    CircuitBreaker b(CountWindow(10, 10), 0);
    for (int i = 0; i < 5; ++i) Call(b, i, false);
    for (int i = 5; i < 9; ++i) Call(b, i, true);
    CHECK(b.state() == BreakerState::kClosed);  // 4 of 9: below the minimum anyway
    Call(b, 9, true);
    CHECK(b.state() == BreakerState::kOpen);
  }
  SECTION("4 of 10 failed stays closed, and the window slides") {
    CircuitBreaker b(CountWindow(10, 10), 0);
    for (int i = 0; i < 4; ++i) Call(b, i, true);
    for (int i = 4; i < 10; ++i) Call(b, i, false);
    CHECK(b.state() == BreakerState::kClosed);
    CHECK(b.FailureRate(10) == Approx(40));
    // The oldest outcome (a failure) leaves as a success comes in: 3 of 10.
    Call(b, 10, false);
    CHECK(b.FailureRate(11) == Approx(30));
    CHECK(b.Totals(11).calls == 10);
  }
  SECTION("a fractional threshold compares exactly") {
    BreakerConfig c = CountWindow(3, 3);
    c.failure_rate_threshold = 33.34;  // 1 of 3 = 33.33...% is below
    CircuitBreaker b(c, 0);
    Call(b, 0, true);
    Call(b, 1, false);
    Call(b, 2, false);
    CHECK(b.state() == BreakerState::kClosed);
  }
}

TEST_CASE("breaker: the minimum is capped at a count window's size, not a time window's",
          "[breaker]") {
  BreakerConfig count = CountWindow(5, 100);
  CircuitBreaker by_count(count, 0);
  CHECK(by_count.EffectiveMinimumCalls() == 5);
  for (int i = 0; i < 5; ++i) Call(by_count, i, true);
  CHECK(by_count.state() == BreakerState::kOpen);

  BreakerConfig time = CountWindow(5, 100);
  time.sliding_window_type = sdp::WindowType::kTimeBased;
  time.minimum_number_of_calls = 10;
  CircuitBreaker by_time(time, 0);
  CHECK(by_time.EffectiveMinimumCalls() == 10);
  for (int i = 0; i < 9; ++i) Call(by_time, i * kMs, true);
  CHECK(by_time.state() == BreakerState::kClosed);
  Call(by_time, 9 * kMs, true);
  CHECK(by_time.state() == BreakerState::kOpen);
}

TEST_CASE("breaker: a time window drops whole seconds as they age out", "[breaker]") {
  BreakerConfig c = CountWindow(2, 4);  // the current second and the one before
  c.sliding_window_type = sdp::WindowType::kTimeBased;
  SECTION("still inside the window: the fourth failure opens") {
    CircuitBreaker b(c, 0);
    for (int i = 0; i < 3; ++i) Call(b, 100 * kMs + i, true);
    Call(b, 1900 * kMs, true);  // second 1: seconds 0 and 1 are in the window
    CHECK(b.state() == BreakerState::kOpen);
  }
  SECTION("second 0 has left by second 2: one call is below the minimum") {
    CircuitBreaker b(c, 0);
    for (int i = 0; i < 3; ++i) Call(b, 100 * kMs + i, true);
    Call(b, 2500 * kMs, true);
    CHECK(b.state() == BreakerState::kClosed);
    CHECK(b.Totals(2500 * kMs).calls == 1);
    // A long silence empties the window entirely.
    CHECK(b.Totals(60 * kSec).calls == 0);
  }
}

TEST_CASE("breaker: slow calls are those strictly longer than the threshold", "[breaker]") {
  BreakerConfig c = CountWindow(10, 10);
  c.failure_rate_threshold = 100;
  c.slow_call_rate_threshold = 50;
  c.slow_call_duration_threshold = 100 * kMs;
  CircuitBreaker b(c, 0);
  for (int i = 0; i < 5; ++i) Call(b, i, false, 100 * kMs);  // exactly at the threshold: not slow
  for (int i = 5; i < 9; ++i) Call(b, i, false, 100 * kMs + 1);
  CHECK(b.state() == BreakerState::kClosed);
  CHECK(b.Totals(9).slow == 4);
  Call(b, 9, false, 5 * kSec);  // 5 of 10 slow = 50%
  CHECK(b.state() == BreakerState::kOpen);
  CHECK(b.transitions().back().reason.find("slow-call rate") != std::string::npos);
}

TEST_CASE("breaker: OPEN rejects until the wait has passed, strictly after it", "[breaker]") {
  CircuitBreaker b(CountWindow(2, 2), 0);
  Call(b, 0, true);
  Call(b, 1, true);
  REQUIRE(b.state() == BreakerState::kOpen);
  CHECK(b.NextTimer() == -1);  // no automatic transition configured
  CHECK(b.TryAcquirePermission(5 * kSec) == Decision::kRejectedByState);
  CHECK(b.TryAcquirePermission(1 + 10 * kSec) == Decision::kRejectedByState);  // exactly the wait
  CHECK(b.not_permitted() == 2);
  CHECK(b.TryAcquirePermission(2 + 10 * kSec) == Decision::kPermitted);
  CHECK(b.state() == BreakerState::kHalfOpen);
}

TEST_CASE("breaker: automatic transition to HALF_OPEN on a timer", "[breaker]") {
  BreakerConfig c = CountWindow(2, 2);
  c.automatic_transition_from_open_to_half_open = true;
  CircuitBreaker b(c, 0);
  Call(b, 0, true);
  Call(b, 7, true);
  REQUIRE(b.state() == BreakerState::kOpen);
  CHECK(b.NextTimer() == 7 + 10 * kSec);
  b.OnTimer(6 + 10 * kSec);  // early: nothing happens
  CHECK(b.state() == BreakerState::kOpen);
  b.OnTimer(7 + 10 * kSec);
  CHECK(b.state() == BreakerState::kHalfOpen);
}

TEST_CASE("breaker: HALF_OPEN admits the permitted trial calls and decides on all of them",
          "[breaker]") {
  auto half_open = [] {
    // Minimum 100: CLOSED caps it at its window (2), HALF_OPEN at its 3 trials.
    auto b = std::make_unique<CircuitBreaker>(CountWindow(2, 100), 0);
    Call(*b, 0, true);
    Call(*b, 1, true);
    REQUIRE(b->TryAcquirePermission(11 * kSec) == Decision::kPermitted);  // trial 1
    REQUIRE(b->state() == BreakerState::kHalfOpen);
    REQUIRE(b->TryAcquirePermission(11 * kSec) == Decision::kPermitted);  // trial 2
    REQUIRE(b->TryAcquirePermission(11 * kSec) == Decision::kPermitted);  // trial 3
    CHECK(b->TryAcquirePermission(11 * kSec) == Decision::kRejectedByState);  // no more
    return b;
  };
  SECTION("all succeed: CLOSED only after the third result") {
    auto b = half_open();
    b->OnResult(12 * kSec, kMs, false);
    b->OnResult(12 * kSec, kMs, false);
    CHECK(b->state() == BreakerState::kHalfOpen);
    b->OnResult(12 * kSec, kMs, false);
    CHECK(b->state() == BreakerState::kClosed);
    CHECK(b->Totals(12 * kSec).calls == 0);  // CLOSED starts a fresh window
  }
  SECTION("one failure of three (33%) is below 50%: CLOSED") {
    auto b = half_open();
    b->OnResult(12 * kSec, kMs, true);
    b->OnResult(12 * kSec, kMs, false);
    b->OnResult(12 * kSec, kMs, false);
    CHECK(b->state() == BreakerState::kClosed);
  }
  SECTION("two failures of three (67%): OPEN again") {
    auto b = half_open();
    b->OnResult(12 * kSec, kMs, true);
    b->OnResult(12 * kSec, kMs, false);
    CHECK(b->state() == BreakerState::kHalfOpen);
    b->OnResult(12 * kSec, kMs, true);
    CHECK(b->state() == BreakerState::kOpen);
    CHECK(b->TryAcquirePermission(13 * kSec) == Decision::kRejectedByState);
  }
}

TEST_CASE("breaker: HALF_OPEN decides after min(minimum calls, permitted) results", "[breaker]") {
  BreakerConfig c = CountWindow(4, 2);
  c.permitted_number_of_calls_in_half_open_state = 4;
  CircuitBreaker b(c, 0);
  Call(b, 0, true);
  Call(b, 1, true);
  REQUIRE(b.state() == BreakerState::kOpen);
  for (int i = 0; i < 4; ++i) REQUIRE(b.TryAcquirePermission(11 * kSec) == Decision::kPermitted);
  b.OnResult(11 * kSec, kMs, false);
  CHECK(b.state() == BreakerState::kHalfOpen);
  b.OnResult(11 * kSec, kMs, false);  // 2 results reach the minimum of 2
  CHECK(b.state() == BreakerState::kClosed);
}

TEST_CASE("breaker: max wait in HALF_OPEN re-opens a trial that never finishes", "[breaker]") {
  BreakerConfig c = CountWindow(2, 2);
  c.max_wait_duration_in_half_open_state = 3 * kSec;
  CircuitBreaker b(c, 0);
  Call(b, 0, true);
  Call(b, 1, true);
  REQUIRE(b.TryAcquirePermission(11 * kSec) == Decision::kPermitted);
  CHECK(b.NextTimer() == 14 * kSec);
  b.OnTimer(14 * kSec);
  CHECK(b.state() == BreakerState::kOpen);
}

TEST_CASE("resilience4j transitionToStateAfterWaitDuration CLOSED ends a stalled HALF_OPEN in CLOSED",
          "[breaker]") {
  BreakerConfig c = CountWindow(2, 2);
  c.max_wait_duration_in_half_open_state = 3 * kSec;
  c.transition_to_state_after_wait_duration = BreakerState::kClosed;
  REQUIRE(c.Check().ok());
  CircuitBreaker b(c, 0);
  Call(b, 0, true);
  Call(b, 1, true);
  REQUIRE(b.TryAcquirePermission(11 * kSec) == Decision::kPermitted);  // one trial, never answered
  REQUIRE(b.state() == BreakerState::kHalfOpen);
  CHECK(b.NextTimer() == 14 * kSec);
  b.OnTimer(14 * kSec);
  CHECK(b.state() == BreakerState::kClosed);
  CHECK(b.Totals(14 * kSec).calls == 0);  // a new ClosedState: a fresh window
  CHECK(b.NextTimer() == -1);
  CHECK(b.TryAcquirePermission(14 * kSec) == Decision::kPermitted);
}

TEST_CASE("resilience4j CircuitBreakerConfig accepts only OPEN or CLOSED after the half-open wait",
          "[breaker]") {
  BreakerConfig c;
  CHECK(c.transition_to_state_after_wait_duration == BreakerState::kOpen);  // the default
  c.transition_to_state_after_wait_duration = BreakerState::kHalfOpen;
  const sdp::Status status = c.Check();
  REQUIRE_FALSE(status.ok());
  CHECK_THAT(status.message(), Catch::Contains("transition_to_state_after_wait_duration") &&
                                   Catch::Contains("OPEN or CLOSED"));
}

TEST_CASE("resilience4j StateTransition has no METRICS_ONLY to OPEN: trip is refused", "[breaker]") {
  CircuitBreaker b(CountWindow(4, 4), 0);
  b.TransitionToMetricsOnly(0);
  for (int i = 0; i < 4; ++i) Call(b, i, true);
  const sdp::Status tripped = b.TransitionToOpen(10, "tripped by hand");
  REQUIRE_FALSE(tripped.ok());
  CHECK_THAT(tripped.message(), Catch::Contains("illegal state transition from METRICS_ONLY to OPEN") &&
                                    Catch::Contains("IllegalStateTransitionException"));
  CHECK(b.state() == BreakerState::kMetricsOnly);  // unchanged
  CHECK(b.transitions().size() == 1);
  CHECK(b.Totals(10).calls == 4);
  // The transitions StateTransition does list still work: FORCED_OPEN and
  // DISABLED may go to OPEN.
  b.TransitionToForcedOpen(20);
  CHECK(b.TransitionToOpen(21, "tripped by hand").ok());
  CHECK(b.state() == BreakerState::kOpen);
}

TEST_CASE("breaker: DISABLED, FORCED_OPEN and METRICS_ONLY", "[breaker]") {
  CircuitBreaker b(CountWindow(4, 4), 0);
  b.TransitionToDisabled(0);
  for (int i = 0; i < 20; ++i) Call(b, i, true);
  CHECK(b.state() == BreakerState::kDisabled);
  CHECK(b.Totals(20).calls == 0);  // records nothing

  b.TransitionToForcedOpen(20);
  CHECK(b.TryAcquirePermission(100 * kSec) == Decision::kRejectedByState);
  CHECK(b.state() == BreakerState::kForcedOpen);  // no wait ends it

  b.TransitionToMetricsOnly(200 * kSec);
  for (int i = 0; i < 8; ++i) Call(b, 200 * kSec + i, true);
  CHECK(b.state() == BreakerState::kMetricsOnly);
  CHECK(b.FailureRate(201 * kSec) == Approx(100));

  b.Reset(300 * kSec);
  CHECK(b.state() == BreakerState::kClosed);
  CHECK(b.Totals(300 * kSec).calls == 0);
  CHECK(b.transitions().size() == 4);
}

TEST_CASE("breaker: trip by hand, and results of calls admitted before it still count",
          "[breaker]") {
  CircuitBreaker b(CountWindow(10, 10), 0);
  REQUIRE(b.TryAcquirePermission(0) == Decision::kPermitted);
  REQUIRE(b.TransitionToOpen(1, "tripped by hand").ok());
  CHECK(b.state() == BreakerState::kOpen);
  b.OnResult(2, kMs, true);  // lands in the window kept from CLOSED
  CHECK(b.Totals(2).calls == 1);
  CHECK(b.state() == BreakerState::kOpen);
}

TEST_CASE("breaker: the ramp after recovery admits exactly the growing share", "[breaker][ramp]") {
  auto recovered = [](BreakerConfig c) {
    auto b = std::make_unique<CircuitBreaker>(c, 0);
    Call(*b, 0, true);
    Call(*b, 1, true);
    for (int i = 0; i < 3; ++i) REQUIRE(b->TryAcquirePermission(11 * kSec) == Decision::kPermitted);
    for (int i = 0; i < 3; ++i) b->OnResult(11 * kSec, kMs, false);
    REQUIRE(b->state() == BreakerState::kClosed);
    return b;
  };
  auto admitted = [](CircuitBreaker& b, SimTime t, int attempts) {
    int n = 0;
    for (int i = 0; i < attempts; ++i) n += b.TryAcquirePermission(t) == Decision::kPermitted ? 1 : 0;
    return n;
  };
  BreakerConfig linear = CountWindow(2, 100);
  linear.ramp = sdp::RampMode::kLinear;
  linear.ramp_window = 10 * kSec;
  linear.ramp_min_percent = 10;
  SECTION("linear: 10% at once (the minimum), 50% halfway, all at the end") {
    auto b = recovered(linear);
    CHECK(b->RampShare(11 * kSec) == Approx(0.1));
    CHECK(admitted(*b, 11 * kSec, 100) == 10);
    CHECK(admitted(*b, 16 * kSec, 100) == 50);
    CHECK(admitted(*b, 21 * kSec, 100) == 100);
    CHECK(b->shed_by_ramp() == 140);
  }
  SECTION("envoy, aggression 2: share = t^(1/2), so 50% a quarter of the way in") {
    BreakerConfig envoy = linear;
    envoy.ramp = sdp::RampMode::kEnvoy;
    envoy.ramp_aggression = 2;
    auto b = recovered(envoy);
    CHECK(b->RampShare(13500 * kMs) == Approx(0.5).margin(1e-12));
    CHECK(admitted(*b, 13500 * kMs, 100) == 50);
  }
  SECTION("no ramp after a manual reset") {
    auto b = recovered(linear);
    b->Reset(12 * kSec);
    CHECK(admitted(*b, 12 * kSec, 10) == 10);
  }
}

TEST_CASE("breaker: reconfigure starts over in CLOSED and keeps the history", "[breaker]") {
  CircuitBreaker b(CountWindow(2, 2), 0);
  Call(b, 0, true);
  Call(b, 1, true);
  BreakerConfig other = CountWindow(50, 50);
  b.Reconfigure(other, 5);
  CHECK(b.state() == BreakerState::kClosed);
  CHECK(b.config().sliding_window_size == 50);
  CHECK(b.transition_count() == 2);
}

}  // namespace circuit_breaker_test

// A circuit breaker with resilience4j's states, settings and rules, driven by
// simulated time.
//
// Rules (resilience4j CircuitBreakerStateMachine / CircuitBreakerMetrics):
//   - CLOSED records every call's outcome in a sliding window: COUNT_BASED
//     (the last N calls) or TIME_BASED (calls in the last N seconds, kept as
//     one bucket per whole second, the oldest evicted as time moves on).
//   - No rate is evaluated until the window holds `minimum_number_of_calls`
//     calls; for COUNT_BASED that minimum is capped at the window size.
//   - Failure rate = failed / calls x 100; slow-call rate = calls longer than
//     `slow_call_duration_threshold` (strictly longer) / calls x 100. Either
//     rate >= its threshold opens the breaker.
//   - OPEN rejects calls. After `wait_duration_in_open_state` it moves to
//     HALF_OPEN: by itself at that moment if
//     `automatic_transition_from_open_to_half_open`, otherwise on the first
//     call attempted strictly after it (that call is then a trial call).
//   - HALF_OPEN admits `permitted_number_of_calls_in_half_open_state` trial
//     calls and records them in a COUNT_BASED window of that size, so it
//     decides as soon as min(minimum_number_of_calls, permitted) trial
//     results are in (CircuitBreakerMetrics caps the minimum at a count
//     window's size): any threshold reached -> OPEN, else -> CLOSED. Calls
//     beyond the permitted number are rejected meanwhile.
//   - `max_wait_duration_in_half_open_state` (0: never) ends a HALF_OPEN
//     that has not decided in time, going to
//     `transition_to_state_after_wait_duration`: OPEN (the default) or
//     CLOSED, the only two values CircuitBreakerConfig accepts.
//   - Results of calls admitted before a transition still count, in the
//     window of the state they land in (resilience4j does the same).
//   - DISABLED admits all and records nothing; FORCED_OPEN rejects all;
//     METRICS_ONLY admits all, records, and never changes state by itself.
//   - Every transition to OPEN keeps the window of the state it leaves
//     (transitionToOpenState passes currentState.getMetrics()): CLOSED's
//     or HALF_OPEN's window stays readable while open. Every other
//     transition starts a fresh window.
//   - Manual transitions follow CircuitBreaker.StateTransition: the one
//     pair it lacks among ours, METRICS_ONLY -> OPEN, is refused as
//     resilience4j's IllegalStateTransitionException.
//
// Beyond resilience4j (the seed's "slowly starts sending requests"): after
// HALF_OPEN -> CLOSED an optional ramp admits only a growing share of calls
// for `ramp_window`: linear (HAProxy `slowstart`) or Envoy's slow start,
// share = max(min_percent, (t / window)^(1 / aggression)). The share is
// applied deterministically (a credit counter, not a coin), so exactly that
// fraction of attempts pass.
//
// Simplified: no ignored/recorded exception lists, no wait-interval function
// (exponential backoff of the open wait), thresholds compared exactly
// (failed x 100 >= threshold x calls) where resilience4j rounds the rate to a
// float first; the two agree for whole-number thresholds and windows below
// 100,000 calls.
#ifndef SDP_CIRCUIT_BREAKER_H_
#define SDP_CIRCUIT_BREAKER_H_

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sdp/event_queue.h"
#include "sdp/status.h"

namespace sdp {

enum class BreakerState : uint8_t { kClosed, kOpen, kHalfOpen, kDisabled, kForcedOpen, kMetricsOnly };
const char* BreakerStateName(BreakerState state);

enum class WindowType : uint8_t { kCountBased, kTimeBased };
enum class RampMode : uint8_t { kNone, kLinear, kEnvoy };
const char* RampModeName(RampMode mode);

struct BreakerConfig {
  static constexpr uint32_t kMaxWindow = 10000;

  double failure_rate_threshold = 50;     // percent, (0, 100]
  double slow_call_rate_threshold = 100;  // percent, (0, 100]
  SimTime slow_call_duration_threshold = 60 * kMicrosPerSecond;
  WindowType sliding_window_type = WindowType::kCountBased;
  uint32_t sliding_window_size = 100;  // calls, or seconds when TIME_BASED
  uint32_t minimum_number_of_calls = 100;
  SimTime wait_duration_in_open_state = 60 * kMicrosPerSecond;
  uint32_t permitted_number_of_calls_in_half_open_state = 10;
  bool automatic_transition_from_open_to_half_open = false;
  SimTime max_wait_duration_in_half_open_state = 0;  // 0: wait for the trial calls forever
  // Where HALF_OPEN goes when the max wait ends it: kOpen or kClosed only.
  BreakerState transition_to_state_after_wait_duration = BreakerState::kOpen;

  RampMode ramp = RampMode::kNone;
  SimTime ramp_window = 10 * kMicrosPerSecond;
  double ramp_aggression = 1.0;   // Envoy: 1 is linear, higher admits more early
  double ramp_min_percent = 10;   // Envoy's min_weight_percent

  // Combinations the field ranges cannot express; names the field.
  Status Check() const;
  nlohmann::json ToJson() const;
};

// Calls, failures and slow calls in the current window.
struct WindowTotals {
  uint32_t calls = 0;
  uint32_t failed = 0;
  uint32_t slow = 0;
  uint32_t slow_failed = 0;
};

// The sliding window of one state: a ring of the last N outcomes, or N
// one-second buckets. Subtract-on-evict keeps the totals O(1).
class OutcomeWindow {
 public:
  OutcomeWindow(WindowType type, uint32_t size, SimTime now);
  void Record(SimTime now, bool failed, bool slow);
  // The totals with buckets older than the window evicted as of `now`.
  WindowTotals Totals(SimTime now);
  const WindowTotals& totals_unmoved() const { return totals_; }
  WindowType type() const { return type_; }
  uint32_t size() const { return size_; }

 private:
  struct Bucket {
    int64_t second = 0;
    WindowTotals totals;
  };
  void MoveTo(SimTime now);
  void Subtract(const WindowTotals& t);

  WindowType type_;
  uint32_t size_;
  WindowTotals totals_;
  // COUNT_BASED: one outcome per slot (bit 0 failed, bit 1 slow).
  std::vector<uint8_t> outcomes_;
  uint32_t next_ = 0;
  // TIME_BASED: one bucket per second, head_ is the newest.
  std::vector<Bucket> buckets_;
  uint32_t head_ = 0;
};

class CircuitBreaker {
 public:
  enum class Decision : uint8_t { kPermitted, kRejectedByState, kRejectedByRamp };

  struct Transition {
    SimTime time;
    BreakerState from;
    BreakerState to;
    std::string reason;
  };

  // REQUIRES: config.Check().ok()
  CircuitBreaker(const BreakerConfig& config, SimTime now);

  // Asks to make a call at `now` (time never goes backwards).
  Decision TryAcquirePermission(SimTime now);
  // A permitted call finished at `now` after `duration`.
  void OnResult(SimTime now, SimTime duration, bool failed);
  // When a timed transition is due (OPEN -> HALF_OPEN if automatic,
  // HALF_OPEN -> OPEN or CLOSED after max wait), or -1. Drive it with OnTimer.
  SimTime NextTimer() const;
  void OnTimer(SimTime now);

  // The manual operations resilience4j offers.
  // "trip"; refused from METRICS_ONLY, as resilience4j refuses it.
  Status TransitionToOpen(SimTime now, std::string reason);
  void TransitionToClosed(SimTime now, std::string reason);
  void TransitionToForcedOpen(SimTime now);
  void TransitionToDisabled(SimTime now);
  void TransitionToMetricsOnly(SimTime now);
  void Reset(SimTime now);  // CLOSED with a fresh window, ramp cancelled

  BreakerState state() const { return state_; }
  const BreakerConfig& config() const { return config_; }
  // The newest transitions (at most 1000 kept) and how many there were.
  const std::vector<Transition>& transitions() const { return transitions_; }
  uint64_t transition_count() const { return transition_count_; }
  uint64_t not_permitted() const { return not_permitted_; }
  uint64_t shed_by_ramp() const { return shed_by_ramp_; }
  // The share of calls the ramp admits at `now`, 1 when no ramp runs.
  double RampShare(SimTime now) const;
  // Failure and slow-call rates in percent, or -1 below the minimum calls.
  double FailureRate(SimTime now) const;
  double SlowCallRate(SimTime now) const;
  WindowTotals Totals(SimTime now) const { return window_.Totals(now); }
  uint32_t EffectiveMinimumCalls() const;
  nlohmann::json ToJson(SimTime now) const;
  // A new configuration starts over in CLOSED (the history stays), as
  // building a new resilience4j CircuitBreaker would.
  void Reconfigure(const BreakerConfig& config, SimTime now);

 private:
  enum class Verdict : uint8_t { kBelowMinimum, kBelow, kFailureRateAbove, kSlowRateAbove, kBothAbove };
  Verdict Evaluate(SimTime now) const;
  void Enter(SimTime now, BreakerState to, std::string reason, bool fresh_window);
  OutcomeWindow WindowFor(BreakerState state, SimTime now) const;

  BreakerConfig config_;
  BreakerState state_ = BreakerState::kClosed;
  // Mutable: evicting expired seconds is a function of the time asked
  // about (which never goes backwards), not a change of state.
  mutable OutcomeWindow window_;
  SimTime state_since_ = 0;
  uint32_t half_open_permits_ = 0;
  uint64_t not_permitted_ = 0;
  uint64_t shed_by_ramp_ = 0;
  SimTime ramp_start_ = -1;  // -1: no ramp running
  int64_t ramp_credit_ = 0;  // parts per million of a call
  std::vector<Transition> transitions_;
  uint64_t transition_count_ = 0;
};

}  // namespace sdp

#endif  // SDP_CIRCUIT_BREAKER_H_

#include "sdp/circuit_breaker.h"

#include <algorithm>
#include <cmath>

#include "sdp/detmath.h"

namespace sdp {
namespace {

constexpr uint8_t kFailedBit = 1;
constexpr uint8_t kSlowBit = 2;
constexpr size_t kMaxTransitionsKept = 1000;
constexpr int64_t kPpm = 1000000;

// rate >= threshold, exactly: count x 100 >= threshold x calls.
bool AtOrAbove(uint32_t count, uint32_t calls, double threshold) {
  return static_cast<double>(count) * 100.0 >= threshold * static_cast<double>(calls);
}

const char* WindowTypeName(WindowType type) {
  return type == WindowType::kCountBased ? "COUNT_BASED" : "TIME_BASED";
}

}  // namespace

const char* BreakerStateName(BreakerState state) {
  switch (state) {
    case BreakerState::kClosed: return "CLOSED";
    case BreakerState::kOpen: return "OPEN";
    case BreakerState::kHalfOpen: return "HALF_OPEN";
    case BreakerState::kDisabled: return "DISABLED";
    case BreakerState::kForcedOpen: return "FORCED_OPEN";
    case BreakerState::kMetricsOnly: return "METRICS_ONLY";
  }
  return "?";
}

const char* RampModeName(RampMode mode) {
  switch (mode) {
    case RampMode::kNone: return "none";
    case RampMode::kLinear: return "linear";
    case RampMode::kEnvoy: return "envoy";
  }
  return "?";
}

Status BreakerConfig::Check() const {
  if (transition_to_state_after_wait_duration != BreakerState::kOpen &&
      transition_to_state_after_wait_duration != BreakerState::kClosed) {
    return Status::Invalid(
        "field \"transition_to_state_after_wait_duration\" must be OPEN or CLOSED");
  }
  if (ramp != RampMode::kNone && ramp_window <= 0) {
    return Status::Invalid("field \"ramp_window_ms\" must be > 0 when a ramp is on");
  }
  return Status::Ok();
}

nlohmann::json BreakerConfig::ToJson() const {
  return {{"failure_rate_threshold", failure_rate_threshold},
          {"slow_call_rate_threshold", slow_call_rate_threshold},
          {"slow_call_duration_threshold_ms", slow_call_duration_threshold / kMicrosPerMilli},
          {"sliding_window_type", WindowTypeName(sliding_window_type)},
          {"sliding_window_size", sliding_window_size},
          {"minimum_number_of_calls", minimum_number_of_calls},
          {"wait_duration_in_open_state_ms", wait_duration_in_open_state / kMicrosPerMilli},
          {"permitted_number_of_calls_in_half_open_state", permitted_number_of_calls_in_half_open_state},
          {"automatic_transition_from_open_to_half_open", automatic_transition_from_open_to_half_open},
          {"max_wait_duration_in_half_open_state_ms",
           max_wait_duration_in_half_open_state / kMicrosPerMilli},
          {"transition_to_state_after_wait_duration",
           BreakerStateName(transition_to_state_after_wait_duration)},
          {"ramp", RampModeName(ramp)},
          {"ramp_window_ms", ramp_window / kMicrosPerMilli},
          {"ramp_aggression", ramp_aggression},
          {"ramp_min_percent", ramp_min_percent}};
}

// --- OutcomeWindow ----------------------------------------------------------

OutcomeWindow::OutcomeWindow(WindowType type, uint32_t size, SimTime now)
    : type_(type), size_(size) {
  if (type_ == WindowType::kCountBased) {
    outcomes_.assign(size_, 0);
  } else {
    // As resilience4j: the head holds the current second; the others are
    // stamped as later seconds, so they are reset before they are ever used.
    buckets_.resize(size_);
    const int64_t second = now / kMicrosPerSecond;
    for (uint32_t i = 0; i < size_; ++i) buckets_[i].second = second + i;
  }
}

void OutcomeWindow::Subtract(const WindowTotals& t) {
  totals_.calls -= t.calls;
  totals_.failed -= t.failed;
  totals_.slow -= t.slow;
  totals_.slow_failed -= t.slow_failed;
}

void OutcomeWindow::MoveTo(SimTime now) {
  if (type_ != WindowType::kTimeBased || size_ == 0) return;
  const int64_t second = now / kMicrosPerSecond;
  const int64_t behind = second - buckets_[head_].second;
  if (behind <= 0) return;
  int64_t steps = std::min<int64_t>(behind, size_);
  while (steps > 0) {
    --steps;
    head_ = (head_ + 1) % size_;
    Subtract(buckets_[head_].totals);
    buckets_[head_] = Bucket{second - steps, {}};
  }
}

void OutcomeWindow::Record(SimTime now, bool failed, bool slow) {
  if (size_ == 0) return;
  WindowTotals* slot_totals = nullptr;
  if (type_ == WindowType::kCountBased) {
    // Once full, the oldest outcome leaves as the new one arrives.
    const uint8_t old = outcomes_[next_];
    if (totals_.calls == size_) {
      totals_.calls -= 1;
      totals_.failed -= (old & kFailedBit) ? 1 : 0;
      totals_.slow -= (old & kSlowBit) ? 1 : 0;
      totals_.slow_failed -= (old & kFailedBit) && (old & kSlowBit) ? 1 : 0;
    }
    outcomes_[next_] = static_cast<uint8_t>((failed ? kFailedBit : 0) | (slow ? kSlowBit : 0));
    next_ = (next_ + 1) % size_;
  } else {
    MoveTo(now);
    slot_totals = &buckets_[head_].totals;
  }
  for (WindowTotals* t : {&totals_, slot_totals}) {
    if (t == nullptr) continue;
    t->calls += 1;
    t->failed += failed ? 1 : 0;
    t->slow += slow ? 1 : 0;
    t->slow_failed += failed && slow ? 1 : 0;
  }
}

WindowTotals OutcomeWindow::Totals(SimTime now) {
  MoveTo(now);
  return totals_;
}

// --- CircuitBreaker ---------------------------------------------------------

CircuitBreaker::CircuitBreaker(const BreakerConfig& config, SimTime now)
    : config_(config),
      window_(config.sliding_window_type, config.sliding_window_size, now),
      state_since_(now) {
  SDP_CHECK(config_.Check().ok());
}

OutcomeWindow CircuitBreaker::WindowFor(BreakerState state, SimTime now) const {
  switch (state) {
    case BreakerState::kClosed:
    case BreakerState::kMetricsOnly:
      return OutcomeWindow(config_.sliding_window_type, config_.sliding_window_size, now);
    case BreakerState::kHalfOpen:
      return OutcomeWindow(WindowType::kCountBased,
                           config_.permitted_number_of_calls_in_half_open_state, now);
    default:
      return OutcomeWindow(WindowType::kCountBased, 0, now);
  }
}

uint32_t CircuitBreaker::EffectiveMinimumCalls() const {
  if (window_.type() == WindowType::kCountBased) {
    return std::min(config_.minimum_number_of_calls, window_.size());
  }
  return config_.minimum_number_of_calls;
}

void CircuitBreaker::Enter(SimTime now, BreakerState to, std::string reason, bool fresh_window) {
  transitions_.push_back({now, state_, to, std::move(reason)});
  ++transition_count_;
  if (transitions_.size() > kMaxTransitionsKept) transitions_.erase(transitions_.begin());
  const BreakerState from = state_;
  state_ = to;
  state_since_ = now;
  if (fresh_window) window_ = WindowFor(to, now);
  if (to == BreakerState::kHalfOpen) {
    half_open_permits_ = config_.permitted_number_of_calls_in_half_open_state;
  }
  // The ramp starts when a trial succeeded; any other change ends it.
  const bool recovered = from == BreakerState::kHalfOpen && to == BreakerState::kClosed;
  ramp_start_ = recovered && config_.ramp != RampMode::kNone ? now : -1;
  ramp_credit_ = 0;
}

double CircuitBreaker::RampShare(SimTime now) const {
  if (ramp_start_ < 0 || state_ != BreakerState::kClosed) return 1.0;
  const SimTime elapsed = now - ramp_start_;
  if (elapsed >= config_.ramp_window) return 1.0;
  const double t = static_cast<double>(elapsed) / static_cast<double>(config_.ramp_window);
  const double min_share = config_.ramp_min_percent / 100.0;
  if (config_.ramp == RampMode::kLinear) return std::max(min_share, t);
  // Envoy: time_factor^(1/aggression), never below min_weight_percent.
  const double shaped = t <= 0 ? 0.0 : DetPow(t, 1.0 / config_.ramp_aggression);
  return std::max(min_share, shaped);
}

CircuitBreaker::Decision CircuitBreaker::TryAcquirePermission(SimTime now) {
  switch (state_) {
    case BreakerState::kClosed: {
      const double share = RampShare(now);
      if (share >= 1.0) {
        ramp_start_ = -1;
        return Decision::kPermitted;
      }
      // Whole parts per million, so that a share of 0.1 admits exactly one
      // call in ten (summing 0.1 in doubles falls just short of 1).
      ramp_credit_ += static_cast<int64_t>(std::llround(share * kPpm));
      if (ramp_credit_ >= kPpm) {
        ramp_credit_ -= kPpm;
        return Decision::kPermitted;
      }
      ++shed_by_ramp_;
      return Decision::kRejectedByRamp;
    }
    case BreakerState::kDisabled:
    case BreakerState::kMetricsOnly:
      return Decision::kPermitted;
    case BreakerState::kForcedOpen:
      ++not_permitted_;
      return Decision::kRejectedByState;
    case BreakerState::kOpen:
      // Without the automatic transition the first call strictly after the
      // wait moves the breaker to HALF_OPEN and becomes a trial call.
      if (now > state_since_ + config_.wait_duration_in_open_state) {
        Enter(now, BreakerState::kHalfOpen, "wait duration elapsed; a call arrived", true);
        return TryAcquirePermission(now);
      }
      ++not_permitted_;
      return Decision::kRejectedByState;
    case BreakerState::kHalfOpen:
      if (half_open_permits_ > 0) {
        --half_open_permits_;
        return Decision::kPermitted;
      }
      ++not_permitted_;
      return Decision::kRejectedByState;
  }
  return Decision::kRejectedByState;
}

CircuitBreaker::Verdict CircuitBreaker::Evaluate(SimTime now) const {
  const WindowTotals t = window_.Totals(now);
  if (t.calls == 0 || t.calls < EffectiveMinimumCalls()) return Verdict::kBelowMinimum;
  const bool failure = AtOrAbove(t.failed, t.calls, config_.failure_rate_threshold);
  const bool slow = AtOrAbove(t.slow, t.calls, config_.slow_call_rate_threshold);
  if (failure && slow) return Verdict::kBothAbove;
  if (failure) return Verdict::kFailureRateAbove;
  if (slow) return Verdict::kSlowRateAbove;
  return Verdict::kBelow;
}

void CircuitBreaker::OnResult(SimTime now, SimTime duration, bool failed) {
  if (state_ == BreakerState::kDisabled || state_ == BreakerState::kForcedOpen) return;
  window_.Record(now, failed, duration > config_.slow_call_duration_threshold);
  if (state_ != BreakerState::kClosed && state_ != BreakerState::kHalfOpen) return;
  const Verdict verdict = Evaluate(now);
  if (verdict == Verdict::kBelowMinimum) return;
  if (verdict == Verdict::kBelow && state_ == BreakerState::kClosed) return;  // the hot path
  const WindowTotals t = window_.Totals(now);
  const std::string rates = std::to_string(t.failed) + "/" + std::to_string(t.calls) +
                            " failed, " + std::to_string(t.slow) + "/" +
                            std::to_string(t.calls) + " slow";
  if (verdict != Verdict::kBelow) {
    const char* which = verdict == Verdict::kSlowRateAbove ? "slow-call rate" : "failure rate";
    // CLOSED -> OPEN keeps its window readable; HALF_OPEN -> OPEN does too.
    Enter(now, BreakerState::kOpen, std::string(which) + " at or above threshold (" + rates + ")",
          false);
  } else {
    Enter(now, BreakerState::kClosed, "trial calls below thresholds (" + rates + ")", true);
  }
}

SimTime CircuitBreaker::NextTimer() const {
  if (state_ == BreakerState::kOpen && config_.automatic_transition_from_open_to_half_open) {
    return state_since_ + config_.wait_duration_in_open_state;
  }
  if (state_ == BreakerState::kHalfOpen && config_.max_wait_duration_in_half_open_state > 0) {
    return state_since_ + config_.max_wait_duration_in_half_open_state;
  }
  return -1;
}

void CircuitBreaker::OnTimer(SimTime now) {
  const SimTime due = NextTimer();
  if (due < 0 || now < due) return;
  if (state_ == BreakerState::kOpen) {
    Enter(now, BreakerState::kHalfOpen, "wait duration elapsed (automatic transition)", true);
  } else if (config_.transition_to_state_after_wait_duration == BreakerState::kClosed) {
    Enter(now, BreakerState::kClosed, "max wait in half-open elapsed", true);
  } else {
    Enter(now, BreakerState::kOpen, "max wait in half-open elapsed", false);
  }
}

Status CircuitBreaker::TransitionToOpen(SimTime now, std::string reason) {
  // CircuitBreaker.StateTransition has no METRICS_ONLY_TO_OPEN.
  if (state_ == BreakerState::kMetricsOnly) {
    return Status::Invalid(
        "illegal state transition from METRICS_ONLY to OPEN (resilience4j throws "
        "IllegalStateTransitionException); from METRICS_ONLY only CLOSED, FORCED_OPEN or "
        "DISABLED can follow: close, reset, force_open or disable first");
  }
  Enter(now, BreakerState::kOpen, std::move(reason), false);
  return Status::Ok();
}
void CircuitBreaker::TransitionToClosed(SimTime now, std::string reason) {
  Enter(now, BreakerState::kClosed, std::move(reason), true);
}
void CircuitBreaker::TransitionToForcedOpen(SimTime now) {
  Enter(now, BreakerState::kForcedOpen, "forced open by hand", true);
}
void CircuitBreaker::TransitionToDisabled(SimTime now) {
  Enter(now, BreakerState::kDisabled, "disabled by hand", true);
}
void CircuitBreaker::TransitionToMetricsOnly(SimTime now) {
  Enter(now, BreakerState::kMetricsOnly, "metrics only, by hand", true);
}
void CircuitBreaker::Reconfigure(const BreakerConfig& config, SimTime now) {
  SDP_CHECK(config.Check().ok());
  config_ = config;
  Enter(now, BreakerState::kClosed, "reconfigured", true);
}

void CircuitBreaker::Reset(SimTime now) { Enter(now, BreakerState::kClosed, "reset by hand", true); }

double CircuitBreaker::FailureRate(SimTime now) const {
  const WindowTotals t = window_.Totals(now);
  if (t.calls == 0 || t.calls < EffectiveMinimumCalls()) return -1;
  return static_cast<double>(t.failed) * 100.0 / static_cast<double>(t.calls);
}

double CircuitBreaker::SlowCallRate(SimTime now) const {
  const WindowTotals t = window_.Totals(now);
  if (t.calls == 0 || t.calls < EffectiveMinimumCalls()) return -1;
  return static_cast<double>(t.slow) * 100.0 / static_cast<double>(t.calls);
}

nlohmann::json CircuitBreaker::ToJson(SimTime now) const {
  const WindowTotals t = window_.Totals(now);
  nlohmann::json out = {{"state", BreakerStateName(state_)},
                        {"since_ms", state_since_ / kMicrosPerMilli},
                        {"window_calls", t.calls},
                        {"window_failed", t.failed},
                        {"window_slow", t.slow},
                        {"minimum_calls", EffectiveMinimumCalls()},
                        {"failure_rate", FailureRate(now)},
                        {"slow_call_rate", SlowCallRate(now)},
                        {"not_permitted", not_permitted_},
                        {"shed_by_ramp", shed_by_ramp_},
                        {"ramp_share", RampShare(now)}};
  if (state_ == BreakerState::kHalfOpen) out["trial_permits_left"] = half_open_permits_;
  const SimTime timer = NextTimer();
  out["next_timer_ms"] = timer < 0 ? nlohmann::json(nullptr) : nlohmann::json(timer / kMicrosPerMilli);
  return out;
}

}  // namespace sdp

#include "sdp/circuit_breaker_sim.h"

#include <algorithm>
#include <cmath>

namespace sdp {
namespace {

// Series columns. Counters 1..5 follow the Outcome order.
enum Counter : uint32_t { kSent, kOkCount, kFailedCount, kRejectedCount, kOverloadedCount, kGaveUpCount,
                          kDependencyCalls, kWasted };
enum BreakerLevel : uint32_t { kBreakerQueue, kBreakerBusy, kBreakerState, kBreakerCapacity };

// A step may not ask for more than this many client attempts (rate x time x
// tries): it keeps one op well inside the scenario work budget.
constexpr double kMaxAttemptsPerStep = 5e6;
constexpr uint32_t kTransitionsShown = 50;

}  // namespace

const char* CircuitBreakerSim::OutcomeName(uint32_t outcome) {
  static const char* kNames[] = {"ok", "failed", "rejected", "overloaded", "gave_up"};
  return outcome < kOutcomes ? kNames[outcome] : "?";
}

CircuitBreakerSim::CircuitBreakerSim(uint64_t seed, const CircuitBreakerSimConfig& config)
    : config_(config),
      rng_(seed),
      events_(200),
      breaker_(std::make_unique<CircuitBreaker>(config.breaker, 0)),
      series_(config.bucket,
              {"sent", "ok", "failed", "rejected", "overloaded", "gave_up", "dependency_calls", "wasted"},
              {{"queue", TimeSeries::LevelKind::kMax},
               {"busy", TimeSeries::LevelKind::kMax},
               {"state", TimeSeries::LevelKind::kLast},
               {"capacity", TimeSeries::LevelKind::kLast}},
              kMaxSeriesBuckets) {
  RecordLevels();
  ScheduleNextArrival();
}

CircuitBreakerSim::~CircuitBreakerSim() = default;

// --- clients -----------------------------------------------------------------

void CircuitBreakerSim::ScheduleNextArrival() {
  if (config_.rps <= 0) return;
  const double mean_gap = static_cast<double>(kMicrosPerSecond) / config_.rps;
  const SimTime gap = std::max<SimTime>(1, static_cast<SimTime>(std::llround(rng_.Exponential(mean_gap))));
  arrival_event_ = events_.ScheduleIn(gap, "", EventQueue::For<CircuitBreakerSim>([](CircuitBreakerSim& self) {
    self.arrival_pending_ = false;
    self.SendAttempt(self.events_.now(), 0);
    self.ScheduleNextArrival();
  }));
  arrival_pending_ = true;
}

CircuitBreakerSim::AttemptId CircuitBreakerSim::NewAttempt(SimTime origin, uint32_t number) {
  const Attempt a{origin, events_.now(), number, false, 1};
  if (!free_attempts_.empty()) {
    const AttemptId id = free_attempts_.back();
    free_attempts_.pop_back();
    attempts_[id] = a;
    return id;
  }
  attempts_.push_back(a);
  return static_cast<AttemptId>(attempts_.size() - 1);
}

void CircuitBreakerSim::Release(AttemptId id) {
  SDP_CHECK(attempts_[id].refs > 0);
  if (--attempts_[id].refs == 0) free_attempts_.push_back(id);
}

void CircuitBreakerSim::SendAttempt(SimTime origin, uint32_t number) {
  series_.AdvanceTo(events_.now());
  ++work_;
  ++attempts_sent_;
  series_.Count(kSent);
  const AttemptId id = NewAttempt(origin, number);
  const SimTime deadline = events_.now() + config_.service.client_timeout;
  SimTime answer_at = -1;  // known now only if a worker takes it at once
  if (busy_ < config_.service.workers) {
    answer_at = StartWork(id);
  } else if (queue_.size() < config_.service.queue_limit) {
    queue_.push_back(id);
    max_queue_ = std::max<uint32_t>(max_queue_, static_cast<uint32_t>(queue_.size()));
  } else {
    Answer(id, kOverloaded);
    Release(id);
    RecordLevels();
    return;
  }
  // The client gives up at its deadline unless the answer surely comes first.
  if (answer_at < 0 || answer_at > deadline) {
    ++attempts_[id].refs;
    events_.ScheduleAt(deadline, "", EventQueue::For<CircuitBreakerSim>([id](CircuitBreakerSim& self) { self.OnClientDeadline(id); }));
  }
  RecordLevels();
}

void CircuitBreakerSim::OnClientDeadline(AttemptId id) {
  series_.AdvanceTo(events_.now());
  ++work_;
  if (!attempts_[id].answered) Answer(id, kGaveUp);
  Release(id);
}

void CircuitBreakerSim::Answer(AttemptId id, Outcome outcome) {
  Attempt& a = attempts_[id];
  a.answered = true;
  ++totals_[outcome];
  series_.Count(static_cast<uint32_t>(kOkCount) + static_cast<uint32_t>(outcome));
  series_.Latency(events_.now() - a.sent);
  if (outcome == kOk) return;
  const ServiceConfig& s = config_.service;
  if (s.retry == RetryMode::kOff || a.number >= s.max_retries) return;
  ++retries_;
  SimTime delay = 0;
  if (s.retry == RetryMode::kBackoff) {
    // Full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter").
    const SimTime cap = s.backoff_base << std::min<uint32_t>(a.number, 20);
    delay = static_cast<SimTime>(rng_.Below(static_cast<uint64_t>(cap)));
  }
  const SimTime origin = a.origin;
  const uint32_t next = a.number + 1;
  events_.ScheduleIn(delay, "", EventQueue::For<CircuitBreakerSim>([origin, next](CircuitBreakerSim& self) { self.SendAttempt(origin, next); }));
}

// --- service -----------------------------------------------------------------

SimTime CircuitBreakerSim::StartWork(AttemptId id) {
  ++busy_;
  const SimTime now = events_.now();
  const CircuitBreaker::Decision decision = breaker_->TryAcquirePermission(now);
  AfterBreaker();
  if (decision != CircuitBreaker::Decision::kPermitted) {
    const SimTime done = now + config_.service.service_time;
    events_.ScheduleAt(done, "", EventQueue::For<CircuitBreakerSim>([id](CircuitBreakerSim& self) { self.FinishWork(id, kRejected, -1); }));
    return done;
  }
  ++dependency_calls_;
  series_.Count(kDependencyCalls);
  const SimTime call_start = now + config_.service.service_time;
  const DependencyConfig& d = config_.dependency;
  // Draw both numbers for every call so that one change (say error_rate)
  // does not shift every later draw.
  const double jitter = rng_.Exponential(0.5);
  const bool error = rng_.Bernoulli(d.error_rate);
  SimTime duration = config_.service.timeout;
  bool failed = true;
  if (!d.down) {
    const SimTime work = std::max<SimTime>(
        1, d.latency / 2 + static_cast<SimTime>(std::llround(jitter * static_cast<double>(d.latency))));
    const SimTime finish = DependencyFinish(call_start, work);
    if (finish - call_start <= config_.service.timeout) {
      duration = finish - call_start;
      failed = error;
    }
  }
  const SimTime done = call_start + duration;
  events_.ScheduleAt(done, "", EventQueue::For<CircuitBreakerSim>([id, duration, failed](CircuitBreakerSim& self) {
    self.FinishWork(id, failed ? kFailed : kOk, duration);
  }));
  return done;
}

void CircuitBreakerSim::FinishWork(AttemptId id, Outcome outcome, SimTime call_duration) {
  series_.AdvanceTo(events_.now());
  ++work_;
  if (call_duration >= 0) {
    breaker_->OnResult(events_.now(), call_duration, outcome != kOk);
    AfterBreaker();
  }
  --busy_;
  if (attempts_[id].answered) {
    ++wasted_;  // the client left; the work was for nobody
    series_.Count(kWasted);
  } else {
    Answer(id, outcome);
  }
  Release(id);
  while (busy_ < config_.service.workers && !queue_.empty()) {
    const AttemptId next = queue_.front();
    queue_.pop_front();
    StartWork(next);
  }
  RecordLevels();
}

// --- dependency ----------------------------------------------------------------

uint32_t CircuitBreakerSim::CapacityNow() const {
  const DependencyConfig& d = config_.dependency;
  if (d.warmup <= 0 || recovered_at_ < 0) return d.capacity;
  const SimTime elapsed = events_.now() - recovered_at_;
  if (elapsed >= d.warmup) return d.capacity;
  // 10% at once, the rest linearly over the warm-up, in per-mille steps.
  const uint64_t per_mille = 100 + static_cast<uint64_t>(900 * elapsed / d.warmup);
  return std::max<uint32_t>(1, static_cast<uint32_t>(d.capacity * per_mille / 1000));
}

SimTime CircuitBreakerSim::DependencyFinish(SimTime start, SimTime work) {
  // FIFO over `capacity` slots: the call takes the slot that frees first.
  // The heap holds one free-at time per slot; when the capacity changes,
  // slots are added free, or the soonest-free ones removed.
  const uint32_t slots = CapacityNow();
  while (dependency_free_at_.size() < slots) dependency_free_at_.push(events_.now());
  while (dependency_free_at_.size() > slots) dependency_free_at_.pop();
  const SimTime begin = std::max(start, dependency_free_at_.top());
  dependency_free_at_.pop();
  dependency_free_at_.push(begin + work);
  return begin + work;
}

// --- bookkeeping ---------------------------------------------------------------

void CircuitBreakerSim::AfterBreaker() {
  const auto& transitions = breaker_->transitions();
  const uint64_t total = breaker_->transition_count();
  for (uint64_t i = transitions_logged_; i < total; ++i) {
    const size_t back = static_cast<size_t>(total - i);
    if (back > transitions.size()) continue;  // fell off the kept history
    const CircuitBreaker::Transition& t = transitions[transitions.size() - back];
    Note(std::string("breaker ") + BreakerStateName(t.from) + " -> " + BreakerStateName(t.to) + ": " +
         t.reason);
  }
  transitions_logged_ = total;
  ScheduleBreakerTimer();
  series_.SetLevel(kBreakerState, static_cast<uint32_t>(breaker_->state()));
}

void CircuitBreakerSim::ScheduleBreakerTimer() {
  const SimTime due = breaker_->NextTimer();
  if (due == breaker_timer_at_) return;
  if (breaker_timer_pending_) events_.Cancel(breaker_timer_event_);
  breaker_timer_pending_ = false;
  breaker_timer_at_ = due;
  if (due < 0) return;
  breaker_timer_event_ = events_.ScheduleAt(std::max(due, events_.now()), "", EventQueue::For<CircuitBreakerSim>([](CircuitBreakerSim& self) {
    self.breaker_timer_pending_ = false;
    self.breaker_timer_at_ = -1;
    self.series_.AdvanceTo(self.events_.now());
    self.breaker_->OnTimer(self.events_.now());
    self.AfterBreaker();
  }));
  breaker_timer_pending_ = true;
}

void CircuitBreakerSim::RecordLevels() {
  series_.SetLevel(kBreakerQueue, static_cast<uint32_t>(queue_.size()));
  series_.SetLevel(kBreakerBusy, busy_);
  series_.SetLevel(kBreakerState, static_cast<uint32_t>(breaker_->state()));
  series_.SetLevel(kBreakerCapacity, config_.dependency.down ? 0 : CapacityNow());
}

void CircuitBreakerSim::Note(std::string text) { events_.Note(std::move(text)); }

void CircuitBreakerSim::Advance(SimTime duration) {
  const SimTime end = events_.now() + duration;
  events_.AdvanceTo(end, this);
  series_.AdvanceTo(end);
  RecordLevels();
}

// --- ops -----------------------------------------------------------------------

Result<Json> CircuitBreakerSim::SetLoad(double rps, SimTime duration) {
  const double tries = 1.0 + (config_.service.retry == RetryMode::kOff ? 0 : config_.service.max_retries);
  if (duration > 0 && rps * tries * static_cast<double>(duration) / kMicrosPerSecond > kMaxAttemptsPerStep) {
    return Status::Invalid("load: rps x duration_ms is too large for one step (at most " +
                           std::to_string(static_cast<int64_t>(kMaxAttemptsPerStep)) +
                           " requests, retries included)");
  }
  const double previous = config_.rps;
  if (arrival_pending_) events_.Cancel(arrival_event_);
  arrival_pending_ = false;
  if (load_revert_pending_) events_.Cancel(load_revert_event_);
  load_revert_pending_ = false;
  config_.rps = rps;
  ScheduleNextArrival();
  if (duration > 0) {
    load_revert_event_ = events_.ScheduleIn(duration, "", EventQueue::For<CircuitBreakerSim>([previous](CircuitBreakerSim& self) {
      self.load_revert_pending_ = false;
      self.config_.rps = previous;
      if (self.arrival_pending_) self.events_.Cancel(self.arrival_event_);
      self.arrival_pending_ = false;
      self.ScheduleNextArrival();
      self.Note("load back to " + std::to_string(static_cast<int64_t>(previous)) + " rps");
    }));
    load_revert_pending_ = true;
    Advance(duration);
  }
  Note("load " + std::to_string(static_cast<int64_t>(rps)) + " rps");
  return StateResult({{"rps", config_.rps}});
}

Result<Json> CircuitBreakerSim::SetDependency(const Json& args) {
  CircuitBreakerSimConfig next = config_;
  SDP_RETURN_IF_ERROR(ApplyCircuitBreakerFields(args, &next));
  const bool coming_up = config_.dependency.down && !next.dependency.down;
  config_ = next;
  if (coming_up) recovered_at_ = events_.now();
  if (next.dependency.down) recovered_at_ = -1;
  const DependencyConfig& d = config_.dependency;
  Note(d.down ? std::string("dependency down")
              : "dependency up: error rate " + std::to_string(static_cast<int>(d.error_rate * 100)) +
                    "%, latency " + std::to_string(d.latency / kMicrosPerMilli) + " ms, capacity " +
                    std::to_string(d.capacity));
  RecordLevels();
  return StateResult({{"capacity_now", d.down ? 0 : CapacityNow()}});
}

Result<Json> CircuitBreakerSim::Configure(const Json& args) {
  CircuitBreakerSimConfig next = config_;
  SDP_RETURN_IF_ERROR(ApplyCircuitBreakerFields(args, &next));
  const bool breaker_changed = next.breaker.ToJson() != config_.breaker.ToJson();
  config_ = next;
  if (breaker_changed) {
    breaker_->Reconfigure(config_.breaker, events_.now());
    AfterBreaker();
  }
  // More workers may take queued requests now.
  while (busy_ < config_.service.workers && !queue_.empty()) {
    const AttemptId id = queue_.front();
    queue_.pop_front();
    StartWork(id);
  }
  RecordLevels();
  return StateResult({{"breaker_restarted", breaker_changed}});
}

Result<Json> CircuitBreakerSim::Apply(const std::string& op, const Json& args) {
  const SimTime now = events_.now();
  series_.AdvanceTo(now);
  if (op == "advance") {
    const SimTime duration = args["ms"].get<int64_t>() * kMicrosPerMilli;
    const double tries = 1.0 + (config_.service.retry == RetryMode::kOff ? 0 : config_.service.max_retries);
    if (config_.rps * tries * static_cast<double>(duration) / kMicrosPerSecond > kMaxAttemptsPerStep) {
      return Status::Invalid("advance: field \"ms\" is too long at " +
                             std::to_string(static_cast<int64_t>(config_.rps)) +
                             " rps (at most " + std::to_string(static_cast<int64_t>(kMaxAttemptsPerStep)) +
                             " requests per step, retries included); split it into shorter steps");
    }
    const uint64_t before[kOutcomes] = {totals_[0], totals_[1], totals_[2], totals_[3], totals_[4]};
    Advance(duration);
    Json during;
    for (uint32_t o = 0; o < kOutcomes; ++o) during[OutcomeName(o)] = totals_[o] - before[o];
    return StateResult({{"during", during}});
  }
  if (op == "load") {
    const SimTime duration = args.contains("duration_ms") ? args["duration_ms"].get<int64_t>() * kMicrosPerMilli : 0;
    return SetLoad(args["rps"].get<double>(), duration);
  }
  if (op == "call") {
    const uint32_t count = args.value("count", 1u);
    for (uint32_t i = 0; i < count; ++i) SendAttempt(now, 0);
    Note("burst of " + std::to_string(count) + " requests");
    return StateResult({{"sent", count}});
  }
  if (op == "dependency") return SetDependency(args);
  if (op == "configure") return Configure(args);
  if (op == "trip") {
    const Status tripped = breaker_->TransitionToOpen(now, "tripped by hand");
    if (!tripped.ok()) return Status::Invalid("trip: " + tripped.message());
  } else if (op == "reset") {
    breaker_->Reset(now);
  } else if (op == "close") {
    breaker_->TransitionToClosed(now, "closed by hand");
  } else if (op == "force_open") {
    breaker_->TransitionToForcedOpen(now);
  } else if (op == "disable") {
    breaker_->TransitionToDisabled(now);
  } else if (op == "metrics_only") {
    breaker_->TransitionToMetricsOnly(now);
  } else {
    return Status::Invalid("unknown op \"" + op + "\"");
  }
  AfterBreaker();
  return StateResult({});
}

// --- output --------------------------------------------------------------------

Json CircuitBreakerSim::StateResult(Json extra) const {
  Json out = {{"state", BreakerStateName(breaker_->state())},
              {"time_ms", static_cast<double>(events_.now()) / kMicrosPerMilli},
              {"queue", queue_.size()},
              {"busy", busy_}};
  if (extra.is_object()) {
    for (auto& [key, value] : extra.items()) out[key] = value;
  }
  return out;
}

Json CircuitBreakerSim::Totals() const {
  Json out;
  for (uint32_t o = 0; o < kOutcomes; ++o) out[OutcomeName(o)] = totals_[o];
  out["sent"] = attempts_sent_;
  out["retries"] = retries_;
  out["dependency_calls"] = dependency_calls_;
  out["wasted"] = wasted_;
  return out;
}

Json CircuitBreakerSim::Snapshot(Detail detail) const {
  const SimTime now = events_.now();
  Json transitions = Json::array();
  const auto& all = breaker_->transitions();
  const size_t skip = all.size() > kTransitionsShown ? all.size() - kTransitionsShown : 0;
  for (size_t i = skip; i < all.size(); ++i) {
    transitions.push_back({{"t_ms", static_cast<double>(all[i].time) / kMicrosPerMilli},
                           {"from", BreakerStateName(all[i].from)},
                           {"to", BreakerStateName(all[i].to)},
                           {"reason", all[i].reason}});
  }
  Json out = {{"time_ms", static_cast<double>(now) / kMicrosPerMilli},
              {"breaker", breaker_->ToJson(now)},
              {"totals", Totals()},
              {"service",
               {{"workers", config_.service.workers},
                {"busy", busy_},
                {"queue", queue_.size()},
                {"queue_limit", config_.service.queue_limit},
                {"max_queue", max_queue_}}},
              {"dependency",
               {{"down", config_.dependency.down},
                {"error_rate", config_.dependency.error_rate},
                {"latency_ms", config_.dependency.latency / kMicrosPerMilli},
                {"capacity", config_.dependency.capacity},
                {"capacity_now", config_.dependency.down ? 0 : CapacityNow()}}},
              {"rps", config_.rps},
              {"transitions", transitions},
              {"transition_count", breaker_->transition_count()},
              {"config", CircuitBreakerSimConfigJson(config_)},
              {"log", events_.log().ToJson(detail == Detail::kFull ? 200 : 12)}};
  if (detail == Detail::kFull) out["series"] = series_.ToJson();
  return out;
}

std::vector<uint32_t> CircuitBreakerSim::Column(std::string_view name) const {
  constexpr std::string_view kPrefix = "series:";
  if (name.substr(0, kPrefix.size()) != kPrefix) return {};
  return series_.Column(name.substr(kPrefix.size()));
}

}  // namespace sdp

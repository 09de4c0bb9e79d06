// Simulation `circuit_breaker`: clients -> service -> dependency, as discrete
// events, with a resilience4j circuit breaker around the dependency call.
//
//   clients     Poisson arrivals at `rps` (and bursts from `call`). Each
//               attempt has a client timeout; on any failure a client may
//               retry: off, immediately, or after exponential backoff with
//               full jitter (uniform in [0, base x 2^attempt)).
//   service     `workers` concurrent requests and a FIFO queue of
//               `queue_limit`; a full queue answers 503 at once. A worker
//               spends `service_time` of its own, asks the breaker, then
//               calls the dependency and waits at most `timeout`. It keeps
//               serving requests whose client already gave up (it cannot
//               know), which is what makes a pile-up outlive its cause.
//   dependency  `capacity` calls at once, FIFO beyond that; a call takes
//               latency/2 + Exponential(latency/2) (mean = latency); it fails
//               with probability `error_rate`; when `down` it never answers.
//               After coming back up it may need `warmup` to reach full
//               capacity (cold caches): capacity grows linearly from 10%.
//               A call the service timed out still occupies the dependency
//               until done: the dependency cannot know either.
//
// Outcomes a client sees for an attempt: ok, failed (dependency error or
// timeout, 500), rejected (breaker or ramp, fast fallback), overloaded (503
// queue full), gave_up (client timeout). Charts read per-bucket series.
//
// Invariants: time is integer microseconds; every random draw comes from the
// sim's seeded Rng in event order; a refused op changes nothing.
//
// Simplified: one service instance and one dependency; a worker is blocked
// for the whole dependency call (thread-per-request); network time is zero.
#ifndef SDP_CIRCUIT_BREAKER_SIM_H_
#define SDP_CIRCUIT_BREAKER_SIM_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <queue>
#include <memory>
#include <string>
#include <vector>

#include "sdp/circuit_breaker.h"
#include "sdp/event_queue.h"
#include "sdp/random.h"
#include "sdp/clone.h"
#include "sdp/simulation.h"
#include "sdp/time_series.h"

namespace sdp {

enum class RetryMode : uint8_t { kOff, kImmediate, kBackoff };

struct ServiceConfig {
  uint32_t workers = 20;
  uint32_t queue_limit = 100;
  SimTime service_time = 2 * kMicrosPerMilli;
  SimTime timeout = 1 * kMicrosPerSecond;  // service -> dependency call
  SimTime client_timeout = 2 * kMicrosPerSecond;
  RetryMode retry = RetryMode::kOff;
  uint32_t max_retries = 3;
  SimTime backoff_base = 100 * kMicrosPerMilli;
};

struct DependencyConfig {
  static constexpr uint32_t kMaxCapacity = 1000;
  double error_rate = 0;
  SimTime latency = 50 * kMicrosPerMilli;
  uint32_t capacity = 50;
  bool down = false;
  SimTime warmup = 0;
};

struct CircuitBreakerSimConfig {
  BreakerConfig breaker;
  ServiceConfig service;
  DependencyConfig dependency;
  double rps = 100;
  SimTime bucket = 250 * kMicrosPerMilli;
};

// Applies the fields present in `args` (config / configure / dependency
// names) to *config, all or nothing.
Status ApplyCircuitBreakerFields(const Json& args, CircuitBreakerSimConfig* config);
Json CircuitBreakerSimConfigJson(const CircuitBreakerSimConfig& config);

class CircuitBreakerSim : public Cloneable<CircuitBreakerSim, Simulation> {
 public:
  enum Outcome : uint32_t { kOk, kFailed, kRejected, kOverloaded, kGaveUp, kOutcomes };
  static const char* OutcomeName(uint32_t outcome);
  static constexpr uint32_t kMaxSeriesBuckets = 2400;

  CircuitBreakerSim(uint64_t seed, const CircuitBreakerSimConfig& config);
  ~CircuitBreakerSim() override;

  Result<Json> Apply(const std::string& op, const Json& args) override;
  Json Snapshot(Detail detail) const override;
  uint64_t Work() const override { return work_; }
  // series:<name> for the chart columns (see TimeSeries::Column).
  std::vector<uint32_t> Column(std::string_view name) const override;

  SimTime now() const { return events_.now(); }
  const CircuitBreaker& breaker() const { return *breaker_; }
  const CircuitBreakerSimConfig& config() const { return config_; }
  uint64_t total(uint32_t outcome) const { return totals_[outcome]; }
  uint32_t queue_length() const { return static_cast<uint32_t>(queue_.size()); }
  uint32_t busy_workers() const { return busy_; }
  uint32_t max_queue_seen() const { return max_queue_; }
  uint64_t dependency_calls() const { return dependency_calls_; }
  uint64_t wasted() const { return wasted_; }
  uint64_t retries() const { return retries_; }

  // Runs events up to now + duration. Public for tests and the bench.
  void Advance(SimTime duration);

 private:
  struct Attempt {
    SimTime origin;    // when the first attempt of this request was sent
    SimTime sent;      // this attempt
    uint32_t number;   // 0 = first try
    bool answered;     // the client has its answer (or gave up)
    uint32_t refs;     // pending events + service holding it
  };
  using AttemptId = uint32_t;

  // Clients.
  void ScheduleNextArrival();
  void SendAttempt(SimTime origin, uint32_t number);
  void OnClientDeadline(AttemptId id);
  void Answer(AttemptId id, Outcome outcome);
  // Service.
  // Returns when the worker will answer.
  SimTime StartWork(AttemptId id);
  // call_duration < 0: no dependency call was made (rejected by the breaker).
  void FinishWork(AttemptId id, Outcome outcome, SimTime call_duration);
  // Dependency.
  uint32_t CapacityNow() const;
  SimTime DependencyFinish(SimTime start, SimTime work);

  AttemptId NewAttempt(SimTime origin, uint32_t number);
  void Release(AttemptId id);
  // Logs new breaker transitions and keeps its timer event in step.
  void AfterBreaker();
  void ScheduleBreakerTimer();
  void RecordLevels();
  void Note(std::string text);

  Result<Json> Configure(const Json& args);
  Result<Json> SetDependency(const Json& args);
  Result<Json> SetLoad(double rps, SimTime duration);
  Json StateResult(Json extra) const;
  Json Totals() const;

  CircuitBreakerSimConfig config_;
  Rng rng_;
  EventQueue events_;
  DeepPtr<CircuitBreaker> breaker_;
  TimeSeries series_;

  std::vector<Attempt> attempts_;
  std::vector<AttemptId> free_attempts_;
  std::deque<AttemptId> queue_;
  uint32_t busy_ = 0;
  // When each dependency slot is next free; the top frees first.
  std::priority_queue<SimTime, std::vector<SimTime>, std::greater<SimTime>> dependency_free_at_;
  SimTime recovered_at_ = -1;  // when the dependency last came back up

  EventQueue::EventId arrival_event_ = 0;
  bool arrival_pending_ = false;
  EventQueue::EventId breaker_timer_event_ = 0;
  bool breaker_timer_pending_ = false;
  SimTime breaker_timer_at_ = -1;
  uint64_t transitions_logged_ = 0;
  EventQueue::EventId load_revert_event_ = 0;
  bool load_revert_pending_ = false;

  uint64_t totals_[kOutcomes] = {};
  uint64_t attempts_sent_ = 0;
  uint64_t retries_ = 0;
  uint64_t dependency_calls_ = 0;
  uint64_t wasted_ = 0;  // answers computed after the client gave up
  uint32_t max_queue_ = 0;
  uint64_t work_ = 0;
};

SimInfo CircuitBreakerSimInfo();

}  // namespace sdp

#endif  // SDP_CIRCUIT_BREAKER_SIM_H_

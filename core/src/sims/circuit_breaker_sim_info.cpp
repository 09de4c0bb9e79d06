// The declaration of `circuit_breaker`: its fields (shared by the config, the
// `configure` op and the `dependency` op) and how they map onto the config.
#include "sdp/circuit_breaker_sim.h"

namespace sdp {
namespace {

constexpr int64_t kBreakerMaxMs = 3600 * 1000;  // an hour, for every duration field

std::vector<FieldSpec> BreakerFields() {
  return {
      NumberField("failure_rate_threshold", false, 1, 100, "open at this failure rate, percent (default 50)"),
      NumberField("slow_call_rate_threshold", false, 1, 100, "open at this slow-call rate, percent (default 100)"),
      IntField("slow_call_duration_threshold_ms", false, 1, kBreakerMaxMs, "a call longer than this is slow (default 60000)"),
      EnumField("sliding_window_type", false, {"COUNT_BASED", "TIME_BASED"}, "last N calls, or calls of the last N seconds"),
      IntField("sliding_window_size", false, 1, BreakerConfig::kMaxWindow, "N calls, or N seconds (default 100)"),
      IntField("minimum_number_of_calls", false, 1, BreakerConfig::kMaxWindow, "no rate is judged below this many calls (default 100)"),
      IntField("wait_duration_in_open_state_ms", false, 1, kBreakerMaxMs, "how long OPEN lasts before trial calls (default 60000)"),
      IntField("permitted_number_of_calls_in_half_open_state", false, 1, BreakerConfig::kMaxWindow, "trial calls in HALF_OPEN (default 10)"),
      BoolField("automatic_transition_from_open_to_half_open", false, "go HALF_OPEN on time, without waiting for a call (default false)"),
      IntField("max_wait_duration_in_half_open_state_ms", false, 0, kBreakerMaxMs, "end a trial that takes longer; 0 = wait forever (default 0)"),
      EnumField("transition_to_state_after_wait_duration", false, {"OPEN", "CLOSED"}, "where that max wait sends HALF_OPEN (default OPEN)"),
      EnumField("ramp", false, {"none", "linear", "envoy"}, "after recovery admit a growing share of calls (default none)"),
      IntField("ramp_window_ms", false, 1, kBreakerMaxMs, "how long the ramp lasts (default 10000)"),
      NumberField("ramp_aggression", false, 0.1, 10, "envoy: share = t^(1/aggression); 1 is linear (default 1)"),
      NumberField("ramp_min_percent", false, 0, 100, "the ramp never admits less than this, percent (default 10)"),
  };
}

std::vector<FieldSpec> ServiceFields() {
  return {
      IntField("workers", false, 1, 1000, "requests the service handles at once (default 20)"),
      IntField("queue_limit", false, 0, 100000, "requests waiting for a worker before 503s (default 100)"),
      IntField("service_time_ms", false, 0, 10000, "the service's own work per request (default 2)"),
      IntField("timeout_ms", false, 1, kBreakerMaxMs, "the service's timeout on the dependency call (default 1000)"),
      IntField("client_timeout_ms", false, 1, kBreakerMaxMs, "clients give up after this (default 2000)"),
      EnumField("retry", false, {"off", "immediate", "backoff"}, "client retries on failure (default off)"),
      IntField("max_retries", false, 0, 10, "retries per request (default 3)"),
      IntField("backoff_base_ms", false, 1, 60000, "backoff: wait uniform in [0, base x 2^attempt) (default 100)"),
  };
}

std::vector<FieldSpec> DependencyFields() {
  return {
      NumberField("error_rate", false, 0, 1, "share of calls that fail, 0..1 (default 0)"),
      IntField("latency_ms", false, 1, kBreakerMaxMs, "mean time per call (default 50)"),
      IntField("capacity", false, 1, DependencyConfig::kMaxCapacity, "calls served at once, more wait (default 50)"),
      BoolField("down", false, "down: calls hang until the service times out"),
      IntField("warmup_ms", false, 0, kBreakerMaxMs, "after coming back up, capacity grows from 10% over this (default 0)"),
  };
}

std::vector<FieldSpec> LoadFields() {
  return {NumberField("rps", false, 0, 100000, "client requests per second, Poisson (default 100)"),
          IntField("bucket_ms", false, 10, 60000, "chart bucket width (default 250)")};
}

}  // namespace

Status ApplyCircuitBreakerFields(const Json& args, CircuitBreakerSimConfig* config) {
  CircuitBreakerSimConfig c = *config;
  BreakerConfig& b = c.breaker;
  b.failure_rate_threshold = args.value("failure_rate_threshold", b.failure_rate_threshold);
  b.slow_call_rate_threshold = args.value("slow_call_rate_threshold", b.slow_call_rate_threshold);
  b.slow_call_duration_threshold = MillisField(args, "slow_call_duration_threshold_ms", b.slow_call_duration_threshold);
  if (args.contains("sliding_window_type")) {
    b.sliding_window_type = args["sliding_window_type"] == "COUNT_BASED" ? WindowType::kCountBased
                                                                          : WindowType::kTimeBased;
  }
  b.sliding_window_size = args.value("sliding_window_size", b.sliding_window_size);
  b.minimum_number_of_calls = args.value("minimum_number_of_calls", b.minimum_number_of_calls);
  b.wait_duration_in_open_state = MillisField(args, "wait_duration_in_open_state_ms", b.wait_duration_in_open_state);
  b.permitted_number_of_calls_in_half_open_state =
      args.value("permitted_number_of_calls_in_half_open_state", b.permitted_number_of_calls_in_half_open_state);
  b.automatic_transition_from_open_to_half_open =
      args.value("automatic_transition_from_open_to_half_open", b.automatic_transition_from_open_to_half_open);
  b.max_wait_duration_in_half_open_state =
      MillisField(args, "max_wait_duration_in_half_open_state_ms", b.max_wait_duration_in_half_open_state);
  if (args.contains("transition_to_state_after_wait_duration")) {
    b.transition_to_state_after_wait_duration =
        args["transition_to_state_after_wait_duration"] == "CLOSED" ? BreakerState::kClosed : BreakerState::kOpen;
  }
  if (args.contains("ramp")) {
    const std::string ramp = args["ramp"];
    b.ramp = ramp == "linear" ? RampMode::kLinear : ramp == "envoy" ? RampMode::kEnvoy : RampMode::kNone;
  }
  b.ramp_window = MillisField(args, "ramp_window_ms", b.ramp_window);
  b.ramp_aggression = args.value("ramp_aggression", b.ramp_aggression);
  b.ramp_min_percent = args.value("ramp_min_percent", b.ramp_min_percent);

  ServiceConfig& s = c.service;
  s.workers = args.value("workers", s.workers);
  s.queue_limit = args.value("queue_limit", s.queue_limit);
  s.service_time = MillisField(args, "service_time_ms", s.service_time);
  s.timeout = MillisField(args, "timeout_ms", s.timeout);
  s.client_timeout = MillisField(args, "client_timeout_ms", s.client_timeout);
  if (args.contains("retry")) {
    const std::string retry = args["retry"];
    s.retry = retry == "immediate" ? RetryMode::kImmediate
              : retry == "backoff" ? RetryMode::kBackoff
                                   : RetryMode::kOff;
  }
  s.max_retries = args.value("max_retries", s.max_retries);
  s.backoff_base = MillisField(args, "backoff_base_ms", s.backoff_base);

  DependencyConfig& d = c.dependency;
  d.error_rate = args.value("error_rate", d.error_rate);
  d.latency = MillisField(args, "latency_ms", d.latency);
  d.capacity = args.value("capacity", d.capacity);
  d.down = args.value("down", d.down);
  d.warmup = MillisField(args, "warmup_ms", d.warmup);

  c.rps = args.value("rps", c.rps);
  c.bucket = MillisField(args, "bucket_ms", c.bucket);
  SDP_RETURN_IF_ERROR(b.Check());
  *config = c;
  return Status::Ok();
}

Json CircuitBreakerSimConfigJson(const CircuitBreakerSimConfig& c) {
  static const char* kRetry[] = {"off", "immediate", "backoff"};
  Json out = c.breaker.ToJson();
  out["workers"] = c.service.workers;
  out["queue_limit"] = c.service.queue_limit;
  out["service_time_ms"] = c.service.service_time / kMicrosPerMilli;
  out["timeout_ms"] = c.service.timeout / kMicrosPerMilli;
  out["client_timeout_ms"] = c.service.client_timeout / kMicrosPerMilli;
  out["retry"] = kRetry[static_cast<int>(c.service.retry)];
  out["max_retries"] = c.service.max_retries;
  out["backoff_base_ms"] = c.service.backoff_base / kMicrosPerMilli;
  out["error_rate"] = c.dependency.error_rate;
  out["latency_ms"] = c.dependency.latency / kMicrosPerMilli;
  out["capacity"] = c.dependency.capacity;
  out["down"] = c.dependency.down;
  out["warmup_ms"] = c.dependency.warmup / kMicrosPerMilli;
  out["rps"] = c.rps;
  out["bucket_ms"] = c.bucket / kMicrosPerMilli;
  return out;
}

SimInfo CircuitBreakerSimInfo() {
  SimInfo info;
  info.name = "circuit_breaker";
  info.help = "Clients -> service -> dependency with a resilience4j circuit breaker; trip it, break the dependency";
  info.config = ConcatFields(BreakerFields(), ServiceFields(), DependencyFields(), LoadFields());
  std::vector<FieldSpec> configure = ConcatFields(BreakerFields(), ServiceFields());
  info.ops = {
      {"load", "set the clients' request rate (Poisson), optionally for a while only",
       {NumberField("rps", true, 0, 100000, "requests per second; 0 stops the clients"),
        IntField("duration_ms", false, 1, kBreakerMaxMs, "then return to the previous rate")}},
      {"call", "a burst: this many requests at once", {IntField("count", false, 1, 100000, "how many (default 1)")}},
      {"dependency", "change the dependency: errors, latency, capacity, down/up, warm-up", DependencyFields()},
      {"trip", "trip the breaker: OPEN now (transitionToOpenState); refused from METRICS_ONLY", {}},
      {"reset", "reset the breaker: CLOSED with an empty window", {}},
      {"close", "CLOSED, keeping nothing of the window (transitionToClosedState)", {}},
      {"force_open", "FORCED_OPEN: reject everything until changed by hand", {}},
      {"disable", "DISABLED: let everything through, record nothing", {}},
      {"metrics_only", "METRICS_ONLY: let everything through, record, never open", {}},
      {"configure", "change breaker and service settings (the breaker starts over CLOSED)", configure},
      {"advance", "let simulated time pass", {IntField("ms", true, 1, kBreakerMaxMs, "milliseconds")}},
  };
  info.create = [](uint64_t seed, const Json& config) -> Result<std::unique_ptr<Simulation>> {
    CircuitBreakerSimConfig c;
    Status status = ApplyCircuitBreakerFields(config, &c);
    if (!status.ok()) return Status::Invalid("config: " + status.message());
    return std::unique_ptr<Simulation>(std::make_unique<CircuitBreakerSim>(seed, c));
  };
  return info;
}

}  // namespace sdp

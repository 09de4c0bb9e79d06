// The rate_limiter sim's declaration: config, ops and their fields as data.
#include "sdp/rate_limiter_sim.h"

namespace sdp {
namespace {


std::vector<std::string> AlgorithmNames() {
  std::vector<std::string> names;
  for (uint32_t a = 0; a < kAlgorithmCount; ++a)
    names.push_back(AlgorithmName(static_cast<Algorithm>(a)));
  return names;
}

// The fields config and `limiter` share; config's apply to all six algorithms.
std::vector<FieldSpec> LimitFields(bool config) {
  const std::string limit_help =
      config
          ? "requests per window, for every algorithm (default 10)"
          : "requests per window (default: unchanged; capacity and burst follow it unless given)";
  const std::string window_help =
      config ? "window length in ms (default 1000)" : "window length in ms (default: unchanged)";
  return {
      IntField("limit", false, 1, kMaxLimit, limit_help),
      IntField("window_ms", false, 1, kMaxWindowMs, window_help),
      IntField("capacity", false, 1, kMaxLimit,
               "token_bucket: bucket size in tokens (default: limit)"),
      IntField("burst", false, 0, kMaxLimit,
               "leaky_bucket (nginx burst=) and gcra (max_burst): requests beyond the first "
               "accepted at once (default: limit - 1)"),
      IntField(
          "delay", false, 0, kMaxLimit,
          "leaky_bucket: nginx delay=N, the first N excess requests are not delayed (default 0)"),
      BoolField("nodelay", false,
                "leaky_bucket: nginx nodelay, accepted requests are never delayed")};
}

}  // namespace

SimInfo RateLimiterSimInfo() {
  SimInfo info;
  info.name = "rate_limiter";
  info.help =
      "Token bucket, nginx leaky bucket, fixed window, sliding log, sliding counter and "
      "GCRA side by side on one request trace";
  info.config = LimitFields(true);
  const FieldSpec key =
      StringField("key", false, 1, 64, "who is limited, e.g. a user id (default \"client\")");
  const FieldSpec qty =
      IntField("qty", false, 0, 1000000,
               "units this request costs, all or nothing (default 1; 0 only looks)");
  const auto max_time = RateLimiterSim::kMaxTimeMs;
  std::vector<FieldSpec> limiter_fields = {
      EnumField("algorithm", true, AlgorithmNames(), "which algorithm to reconfigure")};
  for (FieldSpec& f : LimitFields(false)) limiter_fields.push_back(std::move(f));
  info.ops = {
      {"hit",
       "one request at at_ms: each algorithm's decision",
       {key,
        IntField("at_ms", true, 0, max_time, "arrival time in ms; never before the previous one"),
        qty}},
      {"burst",
       "count requests in the same millisecond",
       {IntField("count", true, 1, RateLimiterSim::kMaxHits, "how many requests"),
        IntField("at_ms", false, 0, max_time, "arrival time in ms (default: now)"), key, qty}},
      {"traffic",
       "a seeded trace of requests from start_ms for duration_ms",
       {EnumField("pattern", true, {"steady", "poisson", "bursty", "boundary"},
                  "steady: evenly spaced; poisson: random gaps; bursty: clumps of burst_size; "
                  "boundary: burst_size either side of every other fixed-window edge"),
        IntField("duration_ms", true, 1, kMaxWindowMs, "how long the trace lasts"),
        NumberField("rps", false, 0.001, 100000,
                    "mean requests per second (default: limit per window)"),
        IntField("burst_size", false, 1, 100000,
                 "bursty and boundary: hits per clump (default: limit)"),
        IntField("start_ms", false, 0, max_time, "when the trace starts (default: now)"), key}},
      {"limiter", "change one algorithm's parameters; that algorithm restarts from empty state",
       limiter_fields},
      {"advance",
       "let time pass without requests",
       {IntField("ms", true, 1, max_time, "milliseconds to advance")}},
  };
  info.create = [](uint64_t seed, const Json& config) -> Result<std::unique_ptr<Simulation>> {
    LimiterSpec spec;
    spec.limit = config.value("limit", int64_t{10});
    spec.window_ms = config.value("window_ms", int64_t{1000});
    spec.capacity = config.value("capacity", spec.limit);
    spec.burst = config.value("burst", spec.limit - 1);
    spec.delay = config.value("delay", int64_t{0});
    spec.nodelay = config.value("nodelay", false);
    for (uint32_t a = 0; a < kAlgorithmCount; ++a) {
      spec.algorithm = static_cast<Algorithm>(a);
      SDP_RETURN_IF_ERROR(ValidateSpec(spec, "config"));
    }
    return std::unique_ptr<Simulation>(std::make_unique<RateLimiterSim>(seed, spec));
  };
  return info;
}

}  // namespace sdp

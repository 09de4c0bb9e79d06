// LimiterSpec: one vocabulary (limit per window_ms, capacity, burst, delay,
// nodelay) mapped onto each algorithm's own parameters, with the checks that
// keep every algorithm's integer arithmetic exact and overflow-free.
#include <string>

#include "sdp/rate_limiters.h"

namespace sdp {
namespace {

constexpr int64_t kMaxBurst = 1000000;
// GCRA's tolerance, in ns, stays below this (~73 years). A stored tat is at
// most now + tolerance and a new one adds at most another tolerance, so
// now + 2 * tolerance must fit in int64 for any time the sims accept.
constexpr int64_t kMaxToleranceNs = INT64_MAX / 4;

const char* const kNames[kAlgorithmCount] = {"token_bucket", "leaky_bucket",    "fixed_window",
                                             "sliding_log",  "sliding_counter", "gcra"};

Status Range(std::string_view context, const char* field, int64_t value, int64_t lo, int64_t hi) {
  if (value >= lo && value <= hi) return Status::Ok();
  return Status::Invalid(std::string(context) + ": field \"" + field +
                         "\" must be an integer in [" + std::to_string(lo) + ", " +
                         std::to_string(hi) + "] (got " + std::to_string(value) + ")");
}

int64_t NginxRateMilli(const LimiterSpec& s) { return s.limit * 1000000 / s.window_ms; }
int64_t GcraEmissionNs(const LimiterSpec& s) { return s.window_ms * 1000000 / s.limit; }

}  // namespace

const char* AlgorithmName(Algorithm algorithm) { return kNames[static_cast<uint32_t>(algorithm)]; }

Algorithm AlgorithmFromName(std::string_view name) {
  for (uint32_t a = 0; a < kAlgorithmCount; ++a) {
    if (name == kNames[a]) return static_cast<Algorithm>(a);
  }
  SDP_CHECK(false && "unknown algorithm name");
  return Algorithm::kTokenBucket;
}

const char* AlgorithmReference(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::kTokenBucket:
      return "classic token bucket, continuous refill, starts full";
    case Algorithm::kLeakyBucket:
      return "nginx limit_req (ngx_http_limit_req_module.c)";
    case Algorithm::kFixedWindow:
      return "fixed window counter, windows aligned to t = 0";
    case Algorithm::kSlidingLog:
      return "sliding window log: exact, the reference for the others";
    case Algorithm::kSlidingCounter:
      return "Cloudflare's sliding window counter (2017)";
    case Algorithm::kGcra:
      return "redis-cell CL.THROTTLE (GCRA)";
  }
  return "?";
}

Status ValidateSpec(const LimiterSpec& s, std::string_view context) {
  SDP_RETURN_IF_ERROR(Range(context, "limit", s.limit, 1, kMaxLimit));
  SDP_RETURN_IF_ERROR(Range(context, "window_ms", s.window_ms, 1, kMaxWindowMs));
  const std::string where = std::string(context) + ": " + AlgorithmName(s.algorithm) + ": ";
  switch (s.algorithm) {
    case Algorithm::kTokenBucket:
      return Range(context, "capacity", s.capacity, 1, kMaxLimit);
    case Algorithm::kLeakyBucket:
      SDP_RETURN_IF_ERROR(Range(context, "burst", s.burst, 0, kMaxBurst));
      SDP_RETURN_IF_ERROR(Range(context, "delay", s.delay, 0, kMaxBurst));
      if (s.nodelay && s.delay != 0) {
        return Status::Invalid(where +
                               "fields \"nodelay\" and \"delay\" exclude each other "
                               "(nodelay means no request is delayed)");
      }
      if (NginxRateMilli(s) < 1) {
        return Status::Invalid(where +
                               "field \"window_ms\": nginx keeps its rate in 1/1000 "
                               "requests per second, and " +
                               std::to_string(s.limit) + " per " + std::to_string(s.window_ms) +
                               " ms rounds to 0 (needs limit * 1000000 >= window_ms)");
      }
      return Status::Ok();
    case Algorithm::kGcra:
      SDP_RETURN_IF_ERROR(Range(context, "burst", s.burst, 0, kMaxBurst));
      // redis-cell's `remaining` divides by the emission interval in whole
      // microseconds, which must not be 0.
      if (GcraEmissionNs(s) < 1000) {
        return Status::Invalid(where +
                               "field \"limit\": GCRA needs at least 1 microsecond "
                               "between requests (limit <= window_ms * 1000)");
      }
      if (s.burst + 1 > kMaxToleranceNs / GcraEmissionNs(s)) {
        return Status::Invalid(where +
                               "field \"burst\": (burst + 1) x window_ms / limit "
                               "must stay below 2^61 ns (about 73 years)");
      }
      return Status::Ok();
    case Algorithm::kFixedWindow:
    case Algorithm::kSlidingLog:
    case Algorithm::kSlidingCounter:
      return Status::Ok();
  }
  return Status::Ok();
}

std::unique_ptr<Limiter> MakeLimiter(const LimiterSpec& s) {
  switch (s.algorithm) {
    case Algorithm::kTokenBucket:
      return std::make_unique<TokenBucket>(TokenBucket::Params{s.capacity, s.limit, s.window_ms});
    case Algorithm::kLeakyBucket:
      return std::make_unique<NginxLimitReq>(
          NginxLimitReq::Params{NginxRateMilli(s), s.burst, s.delay, s.nodelay});
    case Algorithm::kFixedWindow:
      return std::make_unique<FixedWindow>(FixedWindow::Params{s.limit, s.window_ms});
    case Algorithm::kSlidingLog:
      return std::make_unique<SlidingLog>(SlidingLog::Params{s.limit, s.window_ms});
    case Algorithm::kSlidingCounter:
      return std::make_unique<SlidingCounter>(SlidingCounter::Params{s.limit, s.window_ms});
    case Algorithm::kGcra:
      return std::make_unique<Gcra>(Gcra::Params{s.burst, s.limit, s.window_ms});
  }
  SDP_CHECK(false && "unhandled algorithm");
  return nullptr;
}

nlohmann::json SpecJson(const LimiterSpec& s) {
  nlohmann::json out = {{"limit", s.limit}, {"window_ms", s.window_ms}};
  switch (s.algorithm) {
    case Algorithm::kTokenBucket:
      out["capacity"] = s.capacity;
      out["refill"] =
          std::to_string(s.limit) + " tokens per " + std::to_string(s.window_ms) + " ms";
      break;
    case Algorithm::kLeakyBucket: {
      const int64_t rate = NginxRateMilli(s);
      std::string zone_rate;  // how nginx.conf would say it, where it can
      if (s.window_ms == 1000) zone_rate = std::to_string(s.limit) + "r/s";
      if (s.window_ms == 60000) zone_rate = std::to_string(s.limit) + "r/m";
      out["rate_milli"] = rate;
      out["burst"] = s.burst;
      out["delay"] = s.delay;
      out["nodelay"] = s.nodelay;
      // nginx refuses "burst=0" ("invalid burst value"): no burst is burst 0.
      std::string line = "limit_req zone=z";
      if (s.burst > 0) line += " burst=" + std::to_string(s.burst);
      if (s.nodelay) line += " nodelay";
      if (!s.nodelay && s.delay > 0) line += " delay=" + std::to_string(s.delay);
      out["nginx"] = zone_rate.empty()
                         ? nlohmann::json(nullptr)
                         : nlohmann::json("limit_req_zone $key zone=z:10m rate=" + zone_rate +
                                          "; " + line + ";");
      break;
    }
    case Algorithm::kGcra: {
      out["max_burst"] = s.burst;
      out["emission_ns"] = GcraEmissionNs(s);
      out["cl_throttle"] =
          s.window_ms % 1000 == 0
              ? nlohmann::json("CL.THROTTLE key " + std::to_string(s.burst) + " " +
                               std::to_string(s.limit) + " " + std::to_string(s.window_ms / 1000))
              : nlohmann::json(nullptr);
      break;
    }
    case Algorithm::kFixedWindow:
    case Algorithm::kSlidingLog:
    case Algorithm::kSlidingCounter:
      break;
  }
  return out;
}

}  // namespace sdp

// Scenario fields -> one LimiterSpec (see sdp/limiter_args.h).
#include "sdp/limiter_args.h"

namespace sdp {
namespace {


const char* const kLimiterFields[] = {"algorithm", "limit", "window_ms", "capacity",
                                      "burst",     "delay", "nodelay"};

}  // namespace

std::vector<FieldSpec> LimiterArgFields(const std::string& unchanged) {
  std::vector<std::string> names;
  for (uint32_t a = 0; a < kAlgorithmCount; ++a)
    names.push_back(AlgorithmName(static_cast<Algorithm>(a)));
  return {EnumField("algorithm", false, names, "limiter algorithm (default: " + unchanged + ")"),
          IntField("limit", false, 1, kMaxLimit,
                   "requests per window (default: " + unchanged +
                       "; capacity and burst follow it unless given)"),
          IntField("window_ms", false, 1, kMaxWindowMs,
                   "window length in ms (default: " + unchanged + ")"),
          IntField("capacity", false, 1, kMaxLimit,
                   "token_bucket: bucket size in tokens (default: limit)"),
          IntField("burst", false, 0, kMaxLimit,
                   "leaky_bucket (nginx burst=) and gcra (max_burst): requests beyond the first "
                   "accepted at once (default: limit - 1)"),
          IntField("delay", false, 0, kMaxLimit,
                   "leaky_bucket: nginx delay=N, the first N excess requests are not delayed"),
          BoolField("nodelay", false,
                    "leaky_bucket: nginx nodelay, accepted requests are never delayed")};
}

bool HasLimiterArgs(const Json& args) {
  for (const char* name : kLimiterFields) {
    if (args.contains(name)) return true;
  }
  return false;
}

Result<LimiterSpec> LimiterSpecFromArgs(const LimiterSpec& base, const Json& args,
                                        std::string_view context) {
  const Algorithm algorithm = args.contains("algorithm")
                                  ? AlgorithmFromName(args["algorithm"].get<std::string>())
                                  : base.algorithm;
  const std::string name = AlgorithmName(algorithm);
  struct Applies {
    const char* field;
    bool ok;
    const char* which;
  };
  const Applies rules[] = {
      {"capacity", algorithm == Algorithm::kTokenBucket, "token_bucket"},
      {"burst", algorithm == Algorithm::kLeakyBucket || algorithm == Algorithm::kGcra,
       "leaky_bucket and gcra"},
      {"delay", algorithm == Algorithm::kLeakyBucket, "leaky_bucket"},
      {"nodelay", algorithm == Algorithm::kLeakyBucket, "leaky_bucket"}};
  for (const Applies& rule : rules) {
    if (args.contains(rule.field) && !rule.ok) {
      return Status::Invalid(std::string(context) + ": field \"" + rule.field + "\" applies to " +
                             rule.which + " only, not " + name);
    }
  }
  LimiterSpec spec = base;
  spec.algorithm = algorithm;
  if (args.contains("limit")) {
    spec.limit = args["limit"].get<int64_t>();
    spec.capacity = spec.limit;  // re-derived unless given below
    spec.burst = spec.limit - 1;
  }
  spec.window_ms = args.value("window_ms", spec.window_ms);
  spec.capacity = args.value("capacity", spec.capacity);
  spec.burst = args.value("burst", spec.burst);
  if (args.contains("delay") && !args.contains("nodelay")) spec.nodelay = false;
  if (args.contains("nodelay") && !args.contains("delay")) spec.delay = 0;
  spec.delay = args.value("delay", spec.delay);
  spec.nodelay = args.value("nodelay", spec.nodelay);
  SDP_RETURN_IF_ERROR(ValidateSpec(spec, context));
  return spec;
}

int64_t LimiterQuota(const LimiterSpec& spec) {
  switch (spec.algorithm) {
    case Algorithm::kTokenBucket:
      return spec.capacity;
    case Algorithm::kLeakyBucket:
    case Algorithm::kGcra:
      return spec.burst + 1;
    case Algorithm::kFixedWindow:
    case Algorithm::kSlidingLog:
    case Algorithm::kSlidingCounter:
      return spec.limit;
  }
  return spec.limit;
}

}  // namespace sdp

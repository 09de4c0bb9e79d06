// Scenario fields -> LimiterSpec, for sims that hold ONE algorithm per limiter
// (api_gateway's default limiter and its per-route limiters).
//
// The rules match the rate_limiter sim's `limiter` op: `limit` re-derives
// capacity (= limit) and burst (= limit - 1) unless those are given too; a
// field that does not apply to the chosen algorithm (capacity for gcra, say)
// is refused by name; `delay` clears a `nodelay` inherited from the base and
// vice versa; then ValidateSpec.
#ifndef SDP_LIMITER_ARGS_H_
#define SDP_LIMITER_ARGS_H_

#include <string>
#include <string_view>
#include <vector>

#include "sdp/rate_limiters.h"
#include "sdp/simulation.h"

namespace sdp {

// algorithm, limit, window_ms, capacity, burst, delay, nodelay: all optional.
// `unchanged` is what the help text says an absent field means.
std::vector<FieldSpec> LimiterArgFields(const std::string& unchanged);

// True if `args` holds any of LimiterArgFields().
bool HasLimiterArgs(const Json& args);

// REQUIRES: args passed ValidateFields with LimiterArgFields among its fields.
Result<LimiterSpec> LimiterSpecFromArgs(const LimiterSpec& base, const Json& args,
                                        std::string_view context);

// How many requests the limiter admits at once from idle: capacity (token
// bucket), burst + 1 (nginx, GCRA), limit (the window counters). This is the
// RateLimit-Limit header: RateLimit-Remaining never exceeds it.
int64_t LimiterQuota(const LimiterSpec& spec);

}  // namespace sdp

#endif  // SDP_LIMITER_ARGS_H_

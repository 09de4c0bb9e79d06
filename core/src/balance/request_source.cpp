#include "balance/request_source.h"

#include <algorithm>
#include <cmath>

#include "sdp/detmath.h"

namespace sdp {

RequestSource::RequestSource(uint64_t seed, const LbTraffic& traffic, SimTime now) : rng_(seed) {
  Restart(traffic, now);
}

void RequestSource::Restart(const LbTraffic& traffic, SimTime now) {
  traffic_ = traffic;
  clock_ = static_cast<double>(now);
  last_ = now;
  if (traffic_.client_skew > 0) {
    zipf_.emplace(traffic_.clients, traffic_.client_skew);
  } else {
    zipf_.reset();
  }
  // Lognormal with mean 1 and SCV v: sigma^2 = ln(1 + v), mu = -sigma^2 / 2.
  const double sigma2 = DetLog(1.0 + traffic_.cost_variance);
  lognormal_sigma_ = std::sqrt(sigma2);
  lognormal_mu_ = -sigma2 / 2;
  // Pareto (type I) with mean 1 and SCV v: v = 1 / (a (a - 2)), so
  // a = 1 + sqrt(1 + 1/v); the scale x_m = (a - 1) / a gives mean 1.
  pareto_alpha_ = 1.0 + std::sqrt(1.0 + 1.0 / traffic_.cost_variance);
  pareto_scale_ = (pareto_alpha_ - 1.0) / pareto_alpha_;
  if (traffic_.pattern == ArrivalPattern::kBursty) {
    phase_end_ = clock_ + rng_.Exponential(static_cast<double>(traffic_.burst_on));
  }
}

double RequestSource::Demand() {
  switch (traffic_.cost) {
    case CostDistribution::kExponential:
      return rng_.Exponential(1.0);
    case CostDistribution::kLognormal: {
      const double z = rng_.Normal(0.0, 1.0);
      return std::min(kMaxDemand, DetExp(lognormal_mu_ + lognormal_sigma_ * z));
    }
    case CostDistribution::kPareto: {
      const double u = 1.0 - rng_.Uniform01();  // (0, 1]
      return std::min(kMaxDemand, pareto_scale_ * DetExp(-DetLog(u) / pareto_alpha_));
    }
  }
  return 1.0;
}

LbRequest RequestSource::Next() {
  const double mean_gap = static_cast<double>(kMicrosPerSecond) / traffic_.rps;
  if (traffic_.pattern == ArrivalPattern::kPoisson) {
    clock_ += rng_.Exponential(mean_gap);
  } else {
    // On/off: all of the traffic arrives during ON periods, at the rate that
    // keeps the long-run mean at rps.
    const double on = static_cast<double>(traffic_.burst_on);
    const double off = static_cast<double>(traffic_.burst_off);
    const double on_gap = mean_gap * on / (on + off);
    for (;;) {
      const double candidate = clock_ + rng_.Exponential(on_gap);
      if (candidate < phase_end_) {
        clock_ = candidate;
        break;
      }
      clock_ = phase_end_ + (off > 0 ? rng_.Exponential(off) : 0.0);
      phase_end_ = clock_ + rng_.Exponential(on);
    }
  }
  LbRequest request;
  request.at = std::max(last_, static_cast<SimTime>(std::llround(clock_)));
  last_ = request.at;
  request.client = zipf_ ? zipf_->Draw(rng_) - 1 : static_cast<uint32_t>(rng_.Below(traffic_.clients));
  request.demand = Demand();
  return request;
}

}  // namespace sdp

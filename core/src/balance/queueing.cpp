#include "sdp/queueing.h"

#include <algorithm>

#include "sdp/detmath.h"
#include "sdp/status.h"

namespace sdp {

double ErlangC(uint32_t c, double a) {
  SDP_CHECK(c >= 1 && a >= 0 && a < c);
  // Erlang B: B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)).
  double b = 1.0;
  for (uint32_t k = 1; k <= c; ++k) b = a * b / (static_cast<double>(k) + a * b);
  const double cd = static_cast<double>(c);
  return cd * b / (cd - a * (1.0 - b));
}

double MmcMeanTimeInSystem(uint32_t c, double lambda, double mu) {
  SDP_CHECK(mu > 0 && lambda >= 0 && lambda < c * mu);
  const double wait = ErlangC(c, lambda / mu) / (static_cast<double>(c) * mu - lambda);
  return wait + 1.0 / mu;
}

uint32_t BallsIntoBinsMaxLoad(uint32_t n, uint32_t choices, Rng& rng) {
  SDP_CHECK(n >= 1 && choices >= 1);
  std::vector<uint32_t> load(n, 0);
  uint32_t max_load = 0;
  for (uint32_t ball = 0; ball < n; ++ball) {
    uint32_t best = static_cast<uint32_t>(rng.Below(n));
    for (uint32_t d = 1; d < choices; ++d) {
      const uint32_t other = static_cast<uint32_t>(rng.Below(n));
      if (load[other] < load[best]) best = other;
    }
    max_load = std::max(max_load, ++load[best]);
  }
  return max_load;
}

double OneChoiceMaxLoadEstimate(double n) {
  if (n <= 2.718281828459045) return 0;
  return DetLog(n) / DetLog(DetLog(n));
}

double DChoiceMaxLoadEstimate(double n, uint32_t d) {
  if (n <= 2.718281828459045 || d < 2) return 0;
  return DetLog(DetLog(n)) / DetLog(static_cast<double>(d));
}

}  // namespace sdp

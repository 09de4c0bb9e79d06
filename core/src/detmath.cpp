#include "sdp/detmath.h"

#include <cmath>
#include <limits>

#include "sdp/status.h"

namespace sdp {
namespace {

// ln 2 split so that k * kLn2Hi is exact for |k| < 2^11 (fdlibm's constants).
constexpr double kLn2Hi = 6.93147180369123816490e-01;
constexpr double kLn2Lo = 1.90821492927058770002e-10;
constexpr double kInvLn2 = 1.44269504088896338700e+00;
constexpr double kSqrtHalf = 0.70710678118654752440;

}  // namespace

double DetLog(double x) {
  SDP_CHECK(x > 0);
  if (std::isinf(x)) return x;
  int e = 0;
  double m = std::frexp(x, &e);  // x = m * 2^e, m in [0.5, 1): exact
  if (m < kSqrtHalf) {
    m *= 2;
    --e;
  }
  // log(m) = 2 atanh(f), f = (m-1)/(m+1), |f| <= 0.172: the odd series
  // converges by a factor f^2 <= 0.03 per term; 13 terms reach 1e-19.
  const double f = (m - 1) / (m + 1);
  const double f2 = f * f;
  double series = 0;
  for (int k = 25; k >= 1; k -= 2) series = series * f2 + 1.0 / k;
  const double log_m = 2 * f * series;
  return e * kLn2Hi + (log_m + e * kLn2Lo);
}

double DetExp(double x) {
  if (std::isnan(x)) return x;
  if (x > 709.782712893384) return std::numeric_limits<double>::infinity();
  if (x < -745.1332191019412) return 0.0;
  // x = k ln2 + r with |r| <= ln2/2, then exp(x) = 2^k exp(r).
  const double k = std::floor(x * kInvLn2 + 0.5);
  const double r = (x - k * kLn2Hi) - k * kLn2Lo;
  double sum = 1;
  for (int n = 22; n >= 1; --n) sum = 1 + sum * r / n;
  return std::ldexp(sum, static_cast<int>(k));
}

double DetPow(double base, double exponent) {
  SDP_CHECK(base > 0);
  if (exponent == 0) return 1;
  return DetExp(exponent * DetLog(base));
}

}  // namespace sdp

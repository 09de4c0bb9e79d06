// DetSin / DetCos / DetAsin (detmath.h): double-double evaluation, one final
// rounding. Only IEEE-exact operations (+ - * / sqrt, floor, fmod) are used,
// so native and wasm give the same bits; the ~100-bit intermediate makes the
// result the correctly rounded one unless the true value lies within ~2^-100
// of a halfway point, which is why it agrees with glibc's nearly-correctly
// rounded sin/cos/asin (the GEO distances Redis prints depend on that).
#include <cmath>
#include <limits>

#include "sdp/detmath.h"

namespace sdp {
namespace {

// An unevaluated sum hi + lo with |lo| <= ulp(hi)/2.
struct Dd {
  double hi;
  double lo;
};

// Knuth's TwoSum: s + err == a + b exactly.
Dd TwoSum(double a, double b) {
  const double s = a + b;
  const double bb = s - a;
  const double err = (a - (s - bb)) + (b - bb);
  return {s, err};
}

// REQUIRES: |a| >= |b| (or a == 0).
Dd QuickTwoSum(double a, double b) {
  const double s = a + b;
  return {s, b - (s - a)};
}

// Dekker's split: a == hi + lo with 26-bit halves, so their products are exact.
Dd Split(double a) {
  const double c = 134217729.0 * a;  // 2^27 + 1
  const double hi = c - (c - a);
  return {hi, a - hi};
}

// p + err == a * b exactly (no FMA needed, so no libm fma).
Dd TwoProd(double a, double b) {
  const double p = a * b;
  const Dd as = Split(a);
  const Dd bs = Split(b);
  const double err = ((as.hi * bs.hi - p) + as.hi * bs.lo + as.lo * bs.hi) + as.lo * bs.lo;
  return {p, err};
}

Dd Add(Dd a, Dd b) {
  Dd s = TwoSum(a.hi, b.hi);
  const Dd t = TwoSum(a.lo, b.lo);
  s.lo += t.hi;
  s = QuickTwoSum(s.hi, s.lo);
  s.lo += t.lo;
  return QuickTwoSum(s.hi, s.lo);
}

Dd Neg(Dd a) { return {-a.hi, -a.lo}; }

Dd Mul(Dd a, Dd b) {
  Dd p = TwoProd(a.hi, b.hi);
  p.lo += a.hi * b.lo + a.lo * b.hi;
  return QuickTwoSum(p.hi, p.lo);
}

Dd MulD(Dd a, double b) {
  Dd p = TwoProd(a.hi, b);
  p.lo += a.lo * b;
  return QuickTwoSum(p.hi, p.lo);
}

Dd DivD(Dd a, double b) {
  const double q1 = a.hi / b;
  const Dd p = TwoProd(q1, b);
  Dd r = TwoSum(a.hi, -p.hi);
  r.lo -= p.lo;
  r.lo += a.lo;
  const double q2 = (r.hi + r.lo) / b;
  return QuickTwoSum(q1, q2);
}

constexpr Dd kOne = {1.0, 0.0};
// pi/2 = kPio2.hi + kPio2.lo to ~107 bits.
constexpr Dd kPio2 = {1.5707963267948966192e+00, 6.1232339957367658e-17};
// pi/2 in three 33-bit pieces plus a tail (fdlibm's pio2_1, pio2_2, pio2_3,
// pio2_3t): k * piece is exact for |k| < 2^20.
constexpr double kPio2Part1 = 1.57079632673412561417e+00;
constexpr double kPio2Part2 = 6.07710050630396597660e-11;
constexpr double kPio2Part3 = 2.02226624871116645580e-21;
constexpr double kPio2Tail = 8.47842766036889956997e-32;
constexpr double kTwoOverPi = 6.36619772367581382433e-01;
constexpr double kMaxReducible = 1647099.0;  // 2^20 * pi/2
constexpr double kTwoPi = 6.28318530717958647693e+00;

// sin(r) for |r| <= ~pi/4: r * (1 - r^2/(2*3) * (1 - r^2/(4*5) * (...))).
// 14 terms: the first one left out is below 2^-110 of the result. The inner
// levels (terms from r^15/15! on, < 2^-45 of the result) need only plain
// double precision: their rounding reaches the result below 2^-97.
Dd SinKernel(Dd r) {
  const Dd r2 = Mul(r, r);
  double inner = 1;
  for (int k = 14; k >= 8; --k) inner = 1 - inner * r2.hi / ((2 * k) * (2 * k + 1));
  Dd t = {inner, 0.0};
  for (int k = 7; k >= 1; --k) {
    t = Add(kOne, Neg(DivD(Mul(t, r2), static_cast<double>((2 * k) * (2 * k + 1)))));
  }
  return Mul(r, t);
}

// cos(r) for |r| <= ~pi/4: 1 - r^2/(1*2) * (1 - r^2/(3*4) * (...)), the
// levels from r^16/16! (< 2^-50) on in plain double.
Dd CosKernel(Dd r) {
  const Dd r2 = Mul(r, r);
  double inner = 1;
  for (int k = 15; k >= 8; --k) inner = 1 - inner * r2.hi / ((2 * k - 1) * (2 * k));
  Dd t = {inner, 0.0};
  for (int k = 7; k >= 1; --k) {
    t = Add(kOne, Neg(DivD(Mul(t, r2), static_cast<double>((2 * k - 1) * (2 * k)))));
  }
  return t;
}

// x = quadrant * pi/2 + r, |r| <= ~pi/4, quadrant in 0..3.
Dd Reduce(double x, int* quadrant) {
  if (std::fabs(x) <= 0.785398163397448279) {  // pi/4
    *quadrant = 0;
    return {x, 0.0};
  }
  if (std::fabs(x) >= kMaxReducible) x = std::fmod(x, kTwoPi);  // exact, see header
  const double k = std::floor(x * kTwoOverPi + 0.5);
  // Exact: k * part1 has <= 53 bits and x - k * part1 cancels (Sterbenz).
  Dd r = {x - k * kPio2Part1, 0.0};
  r = Add(r, {-(k * kPio2Part2), 0.0});
  r = Add(r, {-(k * kPio2Part3), 0.0});
  r = Add(r, Neg(TwoProd(k, kPio2Tail)));
  const double q = k - 4.0 * std::floor(k / 4.0);  // exact, in {0, 1, 2, 3}
  *quadrant = static_cast<int>(q);
  return r;
}

Dd Sqrt(Dd a) {
  const double s = std::sqrt(a.hi);
  if (s == 0) return {s, 0.0};
  const Dd sq = TwoProd(s, s);
  return QuickTwoSum(s, (((a.hi - sq.hi) - sq.lo) + a.lo) / (2.0 * s));
}

Dd Div(Dd a, Dd b) {
  const double q1 = a.hi / b.hi;
  const Dd r = Add(a, Neg(MulD(b, q1)));
  return QuickTwoSum(q1, r.hi / b.hi);
}

// asin(z) for 0 <= z <= 0.26 as z * (1 + z^2 * c1 * (1 + z^2 * c2/c1 * (...))),
// c_n / c_{n-1} = (2n-1)^2 / ((2n)(2n+1)): 28 terms reach 2^-110; the levels
// from z^20 on (< 2^-45 of the result) in plain double.
Dd AsinSeries(Dd z) {
  const Dd z2 = Mul(z, z);
  double inner = 1;
  for (int n = 28; n >= 10; --n) {
    const double odd = 2.0 * n - 1.0;
    inner = 1 + inner * z2.hi * (odd * odd) / ((2.0 * n) * (2.0 * n + 1.0));
  }
  Dd t = {inner, 0.0};
  for (int n = 9; n >= 1; --n) {
    const double odd = 2.0 * n - 1.0;
    t = Add(kOne, DivD(MulD(Mul(t, z2), odd * odd), (2.0 * n) * (2.0 * n + 1.0)));
  }
  return Mul(z, t);
}

// asin(z) for 0 <= z <= 0.5: above 0.25 through the half angle,
// asin(z) = 2 asin(z / sqrt(2 (1 + sqrt(1 - z^2)))), whose argument is <= 0.26.
Dd AsinUpToHalf(Dd z) {
  if (z.hi <= 0.25) return AsinSeries(z);
  const Dd cos_angle = Sqrt(Add(kOne, Neg(Mul(z, z))));
  const Dd w = Div(z, Sqrt(MulD(Add(kOne, cos_angle), 2.0)));
  return MulD(AsinSeries(w), 2.0);
}

}  // namespace

double DetSin(double x) {
  if (!std::isfinite(x)) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0) return x;  // keeps the sign of -0.0, as libm does
  int quadrant = 0;
  const Dd r = Reduce(x, &quadrant);
  switch (quadrant) {
    case 0:
      return SinKernel(r).hi;
    case 1:
      return CosKernel(r).hi;
    case 2:
      return -SinKernel(r).hi;
    default:
      return -CosKernel(r).hi;
  }
}

double DetCos(double x) {
  if (!std::isfinite(x)) return std::numeric_limits<double>::quiet_NaN();
  int quadrant = 0;
  const Dd r = Reduce(x, &quadrant);
  switch (quadrant) {
    case 0:
      return CosKernel(r).hi;
    case 1:
      return -SinKernel(r).hi;
    case 2:
      return -CosKernel(r).hi;
    default:
      return SinKernel(r).hi;
  }
}

double DetAsin(double x) {
  if (std::isnan(x) || x > 1.0 || x < -1.0) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0) return x;
  const double a = std::fabs(x);
  Dd result;
  if (a <= 0.5) {
    result = AsinUpToHalf({a, 0.0});
  } else {
    // asin(a) = pi/2 - 2 asin(z), z = sqrt((1 - a) / 2); 1 - a is exact here.
    const Dd z = Sqrt({(1.0 - a) / 2.0, 0.0});
    result = Add(kPio2, Neg(MulD(AsinUpToHalf(z), 2.0)));
  }
  return x < 0 ? -result.hi : result.hi;
}

}  // namespace sdp

// Deterministic elementary functions.
//
// glibc's libm (native) and musl's (Emscripten) may round log/exp/pow
// differently in the last bit, which is enough to fork a seeded simulation.
// These use only IEEE-exact operations (+ - * / sqrt, frexp/ldexp), so the
// same input gives the same bits everywhere. Accuracy is ~1 ulp-ish (< 1e-15
// relative), which is plenty for sampling and for theory shown beside results.
#ifndef SDP_DETMATH_H_
#define SDP_DETMATH_H_

namespace sdp {

// REQUIRES: x > 0
double DetLog(double x);
double DetExp(double x);
// REQUIRES: base > 0
double DetPow(double base, double exponent);

// sin, cos and asin evaluated in double-double arithmetic (~100 bits) and
// rounded once, so they are correctly rounded except in astronomically rare
// near-halfway cases: within 1 ulp of glibc's and musl's, and nearly always
// equal to them. Redis's GEO distance (haversine) is built from these.
// Accurate for |x| < 2^20 * pi/2 (~1.6e6); beyond that the argument is first
// reduced modulo a double approximation of 2*pi, which is deterministic but
// not the true sin/cos (GEO code never uses such results).
double DetSin(double x);
double DetCos(double x);
// NaN for |x| > 1, like libm.
double DetAsin(double x);

}  // namespace sdp

#endif  // SDP_DETMATH_H_

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

}  // namespace sdp

#endif  // SDP_DETMATH_H_

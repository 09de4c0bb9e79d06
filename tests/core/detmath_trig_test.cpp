// DetSin / DetCos / DetAsin: correctly rounded on a table computed with
// 400-bit arithmetic (mpmath), and never more than 1 ulp from the platform's
// libm (glibc natively: bit-identical for ~99.8% of inputs; musl under wasm,
// fdlibm's kernels: ~88-97%, measured by compiling musl's sin.c / cos.c /
// asin.c natively). A difference is libm's rounding, not ours: the table has
// the near-halfway inputs where glibc returns the other neighbour.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "sdp/detmath.h"
#include "sdp/random.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace detmath_trig_test {

namespace {

// Distance in ulps between two finite doubles of any sign.
uint64_t UlpDistance(double a, double b) {
  auto ordered = [](double x) {
    int64_t i;
    std::memcpy(&i, &x, sizeof i);
    return i < 0 ? INT64_MIN - i : i;
  };
  const int64_t ia = ordered(a), ib = ordered(b);
  return ia > ib ? static_cast<uint64_t>(ia) - static_cast<uint64_t>(ib)
                 : static_cast<uint64_t>(ib) - static_cast<uint64_t>(ia);
}

struct Agreement {
  uint64_t n = 0, equal = 0, max_ulps = 0;
};

template <typename Ours, typename Libm>
Agreement Compare(Ours ours, Libm libm, double lo, double hi, int count, uint64_t seed) {
  sdp::Rng rng(seed);
  Agreement a;
  for (int i = 0; i < count; ++i) {
    const double x = rng.Uniform(lo, hi);
    const uint64_t d = UlpDistance(ours(x), libm(x));
    ++a.n;
    if (d == 0) ++a.equal;
    if (d > a.max_ulps) a.max_ulps = d;
  }
  return a;
}

void CheckAgreement(const Agreement& a, const char* what) {
  INFO(what << ": " << a.equal << " of " << a.n << " equal, max " << a.max_ulps << " ulp");
  CHECK(a.max_ulps <= 1);
  CHECK(a.equal * 100 >= a.n * 80);  // the libm rounds correctly most of the time
}

}  // namespace

TEST_CASE("DetSin, DetCos and DetAsin are correctly rounded", "[detmath][redis_geo]") {
  enum class Fn { kSin, kCos, kAsin };
  struct Case {
    Fn fn;
    double x;
    double expected;  // the double nearest the exact value (mpmath, 400 bits)
  };
  const Case cases[] = {
      // glibc 2.36 returns the other neighbour for these nine.
      {Fn::kSin, 2.8940267778439788, 0.24504477542858313},
      {Fn::kSin, -0.47896494242443866, -0.46086083752891255},
      {Fn::kSin, 43.85481483650554, -0.12713729265419318},
      {Fn::kCos, -91.633882938563, -0.8639695360595642},
      {Fn::kCos, 0.7287252211137041, 0.7460239079683123},
      {Fn::kCos, -1.1910147563737397, 0.3707176127407779},
      {Fn::kAsin, 0.11075761898881042, 0.11098532681905117},
      {Fn::kAsin, 0.21117115565920458, 0.21277298060364666},
      {Fn::kAsin, 0.012379733168843006, 0.012380049405751005},
      {Fn::kSin, 0.7865708472940924, 0.7079355075298438},
      {Fn::kCos, 1.547436731268668, 0.023357471143037354},
      {Fn::kAsin, 0.5903871311313933, 0.6315384016323191},
      {Fn::kSin, 2.8316818161731225, 0.3049737227096709},
      {Fn::kCos, 1.5353508783355565, 0.03543802676790687},
      {Fn::kAsin, 0.844649993330834, 1.005911001145255},
      {Fn::kSin, -3.014366538984866, -0.1268831683608818},
      {Fn::kCos, -0.22001501198012585, 0.9758941731618771},
      {Fn::kAsin, 0.8867134339966274, 1.09018710876951},
      {Fn::kSin, 0.9534371400763151, 0.8154100222982751},
      {Fn::kCos, 2.5657631472039855, -0.8387408993246341},
      {Fn::kAsin, -0.7735880706937113, -0.8844839431292576},
  };
  for (const Case& c : cases) {
    INFO("x = " << c.x);
    const double got = c.fn == Fn::kSin   ? sdp::DetSin(c.x)
                       : c.fn == Fn::kCos ? sdp::DetCos(c.x)
                                          : sdp::DetAsin(c.x);
    CHECK(got == c.expected);
  }
}

TEST_CASE("DetSin and DetCos stay within 1 ulp of libm", "[detmath][redis_geo]") {
  const double kPi = 3.141592653589793;
  auto sin_ours = [](double x) { return sdp::DetSin(x); };
  auto sin_libm = [](double x) { return std::sin(x); };
  auto cos_ours = [](double x) { return sdp::DetCos(x); };
  auto cos_libm = [](double x) { return std::cos(x); };
  // The ranges the GEO code feeds: half differences of radians, latitudes,
  // and a wider band that exercises every quadrant.
  CheckAgreement(Compare(sin_ours, sin_libm, -kPi, kPi, 40000, 1), "sin [-pi, pi]");
  CheckAgreement(Compare(sin_ours, sin_libm, -1e-3, 1e-3, 20000, 2), "sin tiny");
  CheckAgreement(Compare(sin_ours, sin_libm, -100, 100, 20000, 3), "sin [-100, 100]");
  CheckAgreement(Compare(cos_ours, cos_libm, -1.6, 1.6, 40000, 4), "cos latitudes");
  CheckAgreement(Compare(cos_ours, cos_libm, -100, 100, 20000, 5), "cos [-100, 100]");
  CheckAgreement(Compare(cos_ours, cos_libm, 1e4, 1e6, 5000, 6), "cos large");

  CHECK(sdp::DetSin(0.0) == 0.0);
  CHECK(std::signbit(sdp::DetSin(-0.0)));
  CHECK(sdp::DetCos(0.0) == 1.0);
  CHECK(sdp::DetSin(kPi) == std::sin(kPi));          // 1.2246467991473532e-16
  CHECK(sdp::DetCos(kPi / 2) == std::cos(kPi / 2));  // 6.123233995736766e-17
  CHECK(sdp::DetSin(kPi / 6) == 0.49999999999999994);
  CHECK(std::isnan(sdp::DetSin(INFINITY)));
  CHECK(std::isnan(sdp::DetCos(NAN)));
}

TEST_CASE("DetAsin stays within 1 ulp of libm and is NaN outside [-1, 1]", "[detmath][redis_geo]") {
  auto ours = [](double x) { return sdp::DetAsin(x); };
  auto libm = [](double x) { return std::asin(x); };
  CheckAgreement(Compare(ours, libm, -1, 1, 40000, 7), "asin [-1, 1]");
  CheckAgreement(Compare(ours, libm, 0, 0.05, 20000, 8), "asin small (short distances)");
  CheckAgreement(Compare(ours, libm, 0.49, 0.51, 20000, 9), "asin around the 0.5 switch");
  CheckAgreement(Compare(ours, libm, 0.999, 1, 20000, 10), "asin near 1");
  CHECK(sdp::DetAsin(1.0) == std::asin(1.0));  // pi/2 rounded
  CHECK(sdp::DetAsin(-1.0) == -std::asin(1.0));
  CHECK(sdp::DetAsin(0.5) == std::asin(0.5));
  CHECK(std::signbit(sdp::DetAsin(-0.0)));
  CHECK(std::isnan(sdp::DetAsin(1.0000000000000002)));
  CHECK(std::isnan(sdp::DetAsin(-2.0)));
  CHECK(std::isnan(sdp::DetAsin(NAN)));
}

}  // namespace detmath_trig_test

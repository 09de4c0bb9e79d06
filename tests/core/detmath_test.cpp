#include <catch2/catch.hpp>
#include <cmath>

#include "sdp/detmath.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace detmath_test {

TEST_CASE("DetLog agrees with libm to ~1e-15 over many magnitudes", "[detmath]") {
  CHECK(sdp::DetLog(1.0) == 0.0);
  for (double x = 1e-300; x < 1e300; x *= 7.3) {
    const double expected = std::log(x);
    CHECK(std::abs(sdp::DetLog(x) - expected) <= 4e-16 * std::max(1.0, std::abs(expected)));
  }
  for (double x = 0.5; x < 2.0; x += 0.001) {
    CHECK(std::abs(sdp::DetLog(x) - std::log(x)) <= 4e-16);
  }
}

TEST_CASE("DetExp agrees with libm and handles the extremes", "[detmath]") {
  CHECK(sdp::DetExp(0.0) == 1.0);
  CHECK(sdp::DetExp(1000.0) == INFINITY);
  CHECK(sdp::DetExp(-1000.0) == 0.0);
  for (double x = -700; x < 700; x += 0.37) {
    const double expected = std::exp(x);
    CHECK(std::abs(sdp::DetExp(x) - expected) <= 1e-15 * expected);
  }
}

TEST_CASE("DetPow matches pow for the exponents Zipf uses", "[detmath]") {
  for (double base = 1; base < 1e6; base *= 3.7) {
    for (double s : {0.5, 1.0, 1.2, 2.0}) {
      const double expected = std::pow(base, s);
      CHECK(std::abs(sdp::DetPow(base, s) - expected) <= 1e-13 * expected);
    }
  }
}

}  // namespace detmath_test

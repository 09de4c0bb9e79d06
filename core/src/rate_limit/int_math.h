// Small integer helpers shared by the limiters (private to core/src).
#ifndef SDP_RATE_LIMIT_INT_MATH_H_
#define SDP_RATE_LIMIT_INT_MATH_H_

#include <cstdint>

#include "sdp/status.h"

namespace sdp::rl {

// ceil(a / b). REQUIRES: a >= 0, b > 0
inline int64_t CeilDiv(int64_t a, int64_t b) {
  SDP_CHECK(a >= 0 && b > 0);
  return a / b + (a % b != 0 ? 1 : 0);
}

}  // namespace sdp::rl

#endif  // SDP_RATE_LIMIT_INT_MATH_H_

// What every C++ benchmark here shares: which platform it was built for
// (the same source runs natively and as wasm under node) and the timing
// rule. Wall-clock time is fine in benchmarks: nothing timed feeds a
// simulation. The fastest of `runs` is kept, which filters out one-off
// noise (page faults, JIT tier-up in node, another process taking the core)
// better than an average would.
#ifndef SDP_BENCH_TIMING_H_
#define SDP_BENCH_TIMING_H_

#include <chrono>

namespace sdp_bench {

#ifdef __EMSCRIPTEN__
constexpr const char* kPlatform = "wasm";
#else
constexpr const char* kPlatform = "native";
#endif

constexpr int kDefaultRuns = 3;

// Fastest of `runs` calls of fn, in seconds.
template <typename Fn>
double BestOf(Fn fn, int runs = kDefaultRuns) {
  double best = 1e300;
  for (int run = 0; run < runs; ++run) {
    const auto start = std::chrono::steady_clock::now();
    fn();
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    if (took.count() < best) best = took.count();
  }
  return best;
}

}  // namespace sdp_bench

#endif  // SDP_BENCH_TIMING_H_

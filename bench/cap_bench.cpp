// The linearizability checker on 1,000-operation histories from the `cap`
// sim (5 clients, 3 keys, 3 replicas; a partition r1 | r2,r3 over the middle
// quarter, then heal), CP (W = R = 2) and AP, 100 seeds each. Built natively
// (build/native/sdp_cap_bench) and as wasm run by node
// (build/wasm/sdp_cap_bench.js) from this one file. Only the check is timed;
// the verdict counts and total search steps are the checksum.
#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "sdp/cap/linearizability.h"
#include "sdp/cap_sim.h"

#include "bench_timing.h"

namespace {

std::vector<sdp::cap::HistoryOp> History(sdp::cap::Stance stance, uint64_t seed) {
  sdp::cap::ClusterConfig config;
  config.stance = stance;
  config.clients = 5;
  sdp::CapSim sim(seed, config);
  auto workload = [&](int ops) {
    const auto r = sim.Apply("workload", {{"ops", ops}, {"keys", 3}, {"gap_ms", 5}});
    if (!r.ok()) std::printf("workload: %s\n", r.message().c_str());
  };
  workload(500);
  (void)sim.Apply("partition", {{"groups", "r1|r2,r3"}});
  workload(250);
  (void)sim.Apply("heal", sdp::Json::object());
  workload(250);
  return sim.cluster().CheckableHistory();
}

}  // namespace

int main() {
  std::printf("sdp_cap_bench (%s), best of %d per history, 100 seeds per stance\n", sdp_bench::kPlatform,
              sdp_bench::kDefaultRuns);
  for (const sdp::cap::Stance stance : {sdp::cap::Stance::kCp, sdp::cap::Stance::kAp}) {
    std::vector<double> ms;
    uint32_t linearizable = 0, not_linearizable = 0, unknown = 0;
    uint64_t steps = 0, max_steps = 0, worst_seed = 0;
    size_t ops = 0;
    for (uint64_t seed = 1; seed <= 100; ++seed) {
      const std::vector<sdp::cap::HistoryOp> history = History(stance, seed);
      ops += history.size();
      sdp::cap::CheckResult result;
      const double s = sdp_bench::BestOf([&] { result = sdp::cap::CheckLinearizable(history); });
      if (ms.empty() || s * 1e3 > *std::max_element(ms.begin(), ms.end())) worst_seed = seed;
      ms.push_back(s * 1e3);
      steps += result.steps;
      max_steps = std::max(max_steps, result.steps);
      if (result.verdict == sdp::cap::Verdict::kLinearizable) ++linearizable;
      if (result.verdict == sdp::cap::Verdict::kNotLinearizable) ++not_linearizable;
      if (result.verdict == sdp::cap::Verdict::kUnknown) ++unknown;
    }
    std::sort(ms.begin(), ms.end());
    std::printf("  %s: %.0f checked ops/history on average; check median %.3f ms, p90 %.3f ms, worst %.3f ms (seed %" PRIu64
                "); linearizable %u, not %u, unknown %u; steps total %" PRIu64 ", max %" PRIu64 "\n",
                sdp::cap::StanceName(stance), ops / 100.0, ms[49], ms[89], ms[99], worst_seed, linearizable,
                not_linearizable, unknown, steps, max_steps);
    std::printf("JSON {\"stance\":\"%s\",\"median_ms\":%.4f,\"worst_ms\":%.4f,\"worst_seed\":%" PRIu64
                ",\"linearizable\":%u,\"not\":%u,\"unknown\":%u,\"steps\":%" PRIu64 "}\n",
                sdp::cap::StanceName(stance), ms[49], ms[99], worst_seed, linearizable, not_linearizable, unknown,
                steps);
  }
  return 0;
}

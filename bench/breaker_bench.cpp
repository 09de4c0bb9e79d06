// Circuit-breaker costs, built natively (build/native/sdp_breaker_bench) and
// as wasm run by node (build/wasm/sdp_breaker_bench.js) from this one file:
//   - the breaker decision alone: TryAcquirePermission + OnResult per call on
//     a CLOSED breaker with resilience4j's default window (100 calls), 10M
//     calls, 1% of them failing;
//   - the whole `circuit_breaker` simulation: 1M client calls through
//     service, breaker and dependency (Poisson arrivals, queueing, timeouts).
// bench/compare_breakers.mjs runs both and adds opossum and cockatiel.
// Wall-clock time is fine here: nothing measured feeds a simulation.
#include <cinttypes>
#include <cstdint>
#include <cstdio>

#include "sdp/circuit_breaker.h"
#include "sdp/circuit_breaker_sim.h"
#include "sdp/scenario.h"

#include "bench_timing.h"

namespace {

using sdp_bench::BestOf;
using sdp_bench::kPlatform;

constexpr int kRuns = sdp_bench::kDefaultRuns;
constexpr uint64_t kDecisions = 10000000;



}  // namespace

int main() {
  // --- the decision alone ---
  uint64_t permitted = 0;
  const double decide_s = BestOf([&] {
    sdp::CircuitBreaker breaker(sdp::BreakerConfig{}, 0);
    uint64_t n = 0;
    for (uint64_t i = 0; i < kDecisions; ++i) {
      const sdp::SimTime now = static_cast<sdp::SimTime>(i);
      if (breaker.TryAcquirePermission(now) == sdp::CircuitBreaker::Decision::kPermitted) {
        ++n;
        breaker.OnResult(now, 1000, i % 100 == 0);
      }
    }
    permitted = n;
  });

  // --- the whole simulation: 1M calls at 10,000 rps for 100 s ---
  const sdp::SimInfo* info = sdp::FindSim("circuit_breaker");
  const sdp::Json config = {{"rps", 10000}, {"workers", 1000}, {"queue_limit", 1000},
                            {"capacity", 1000}, {"latency_ms", 50}, {"error_rate", 0.01}};
  uint64_t calls = 0, ok = 0;
  const double sim_s = BestOf([&] {
    auto sim = sdp::CreateSim(*info, 1, config);
    if (!sim.ok()) return;
    for (int i = 0; i < 10; ++i) {
      auto r = sdp::ApplyStep(*info, *sim.value(), {{"op", "advance"}, {"ms", 10000}});
      if (!r.ok()) return;
    }
    const sdp::Json totals = sim.value()->Snapshot(sdp::Simulation::Detail::kSummary)["totals"];
    calls = totals["sent"].get<uint64_t>();
    ok = totals["ok"].get<uint64_t>();
  });

  std::printf("sdp_breaker_bench (%s), best of %d\n", kPlatform, kRuns);
  std::printf("  %-44s %10.1f ns/call (%" PRIu64 " permitted)\n", "breaker decision + record, CLOSED",
              decide_s * 1e9 / kDecisions, permitted);
  std::printf("  %-44s %10.3f s for %" PRIu64 " calls (%" PRIu64 " ok)\n", "circuit_breaker sim, 100 s at 10k rps",
              sim_s, calls, ok);
  std::printf(
      "JSON {\"platform\":\"%s\",\"decision_ns\":%.2f,\"permitted\":%" PRIu64 ",\"sim_s\":%.4f,"
      "\"sim_calls\":%" PRIu64 ",\"sim_ok\":%" PRIu64 "}\n",
      kPlatform, decide_s * 1e9 / kDecisions, permitted, sim_s, calls, ok);
  return calls > 0 ? 0 : 1;
}

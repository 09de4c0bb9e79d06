// Load-balancer simulation speed, built natively (build/native/sdp_lb_bench)
// and as wasm run by node (build/wasm/sdp_lb_bench.js) from this one file:
// 1M requests through 100 servers (Poisson at 80,000 rps for 12.5 s, each
// server 1,000 rps over 4 workers: 80% load) for several algorithms, and the
// same with a compare lane (two balancers on one request stream). The issue's
// target: under 1 s per million requests in wasm.
// Wall-clock time is fine here: nothing measured feeds a simulation.
#include <cinttypes>
#include <cstdint>
#include <cstdio>

#include "sdp/load_balancer_sim.h"
#include "sdp/scenario.h"

#include "bench_timing.h"

namespace {

using sdp_bench::BestOf;
using sdp_bench::kPlatform;

constexpr int kRuns = sdp_bench::kDefaultRuns;

struct Run {
  const char* algorithm;
  const char* compare;
};

}  // namespace

int main() {
  const sdp::SimInfo* info = sdp::FindSim("load_balancer");
  const Run runs[] = {{"round_robin", "off"},
                      {"least_connections", "off"},
                      {"power_of_two_choices", "off"},
                      {"weighted_round_robin", "off"},
                      {"least_response_time", "off"},
                      {"consistent_ip_hash", "off"},
                      {"round_robin", "least_connections"}};
  std::printf("sdp_lb_bench (%s), best of %d: 1M requests, 100 servers\n", kPlatform, kRuns);
  std::printf("JSON [");
  bool first = true;
  int status = 0;
  std::string lines;
  for (const Run& run : runs) {
    const sdp::Json config = {{"servers", 100}, {"capacity", 1000}, {"workers", 4}, {"rps", 80000},
                              {"clients", 10000}, {"algorithm", run.algorithm}, {"compare", run.compare}};
    uint64_t requests = 0, events = 0, ok = 0;
    const double seconds = BestOf([&] {
      auto sim = sdp::CreateSim(*info, 1, config);
      if (!sim.ok()) return;
      auto& lb = dynamic_cast<sdp::LoadBalancerSim&>(*sim.value());
      lb.Advance(12500 * sdp::kMicrosPerMilli);
      requests = lb.total(0, sdp::LoadBalancerSim::kArrived);
      ok = lb.total(0, sdp::LoadBalancerSim::kOk);
      events = lb.events_executed();
    });
    if (requests == 0) status = 1;
    char line[400];
    std::snprintf(line, sizeof line,
                  "  %-22s %-18s %7.3f s  %6.2f M requests/s  %6.2f M events/s  (%" PRIu64
                  " requests, %" PRIu64 " ok, %" PRIu64 " events)\n",
                  run.algorithm, run.compare[0] == 'o' ? "" : run.compare, seconds, requests / seconds / 1e6,
                  events / seconds / 1e6, requests, ok, events);
    lines += line;
    std::printf("%s{\"algorithm\":\"%s\",\"compare\":\"%s\",\"s\":%.4f,\"requests\":%" PRIu64
                ",\"events\":%" PRIu64 "}",
                first ? "" : ",", run.algorithm, run.compare, seconds, requests, events);
    first = false;
  }
  std::printf("]\n%s", lines.c_str());
  return status;
}

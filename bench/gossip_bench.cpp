// Push-pull anti-entropy (fanout 1, no loss, no crash) on 100,000 nodes,
// from one informed node to full convergence, with sdp::gossip::Epidemic
// (the model behind the `gossip` sim, which itself stops at 10,000 nodes).
// Built natively (build/native/sdp_gossip_bench) and as wasm run by node
// (build/wasm/sdp_gossip_bench.js) from this one file. The checksum is the
// rounds and messages of every seed: native and wasm must print the same.
// Then the same epidemic asynchronously (sdp::gossip::AsyncEpidemic: each
// node on its own 1000 ± 100 ms timer, 50 ± 25 ms message delays, on the
// kernel's event queue) until every node knows.
#include <cinttypes>
#include <cstdint>
#include <cstdio>

#include "sdp/gossip/async_epidemic.h"
#include "sdp/gossip/epidemic.h"
#include "sdp/random.h"

#include "bench_timing.h"

int main() {
  constexpr uint32_t kNodes = 100000;
  constexpr uint64_t kSeeds = 5;
  sdp::gossip::Strategy s;
  s.kind = sdp::gossip::Kind::kAntiEntropy;
  s.direction = sdp::gossip::Direction::kPushPull;
  s.fanout = 1;
  std::printf("sdp_gossip_bench (%s): push-pull anti-entropy, %u nodes, fanout 1, best of %d per seed\n",
              sdp_bench::kPlatform, kNodes, sdp_bench::kDefaultRuns);
  uint64_t checksum = 0;
  double worst = 0, total = 0;
  for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
    uint32_t rounds = 0;
    uint64_t messages = 0;
    const double took = sdp_bench::BestOf([&] {
      sdp::Rng rng(seed);
      sdp::gossip::Epidemic e(kNodes);
      e.Inject(0);
      messages = 0;
      while (!e.Quiet(s)) messages += e.Round(s, 0.0, rng).messages;
      rounds = e.rounds();
    });
    checksum = checksum * 1000003 + rounds * 1000000007ULL + messages;
    worst = took > worst ? took : worst;
    total += took;
    std::printf("  seed %" PRIu64 ": %u rounds, %" PRIu64 " update messages, %.1f ms\n", seed, rounds, messages,
                took * 1e3);
  }
  std::printf("JSON {\"platform\":\"%s\",\"nodes\":%u,\"mean_ms\":%.2f,\"worst_ms\":%.2f,\"checksum\":%" PRIu64 "}\n",
              sdp_bench::kPlatform, kNodes, total / kSeeds * 1e3, worst * 1e3, checksum);

  std::printf("async: the same, every node on its own timer (1000 +- 100 ms), delays 50 +- 25 ms\n");
  const sdp::gossip::AsyncTiming timing;
  checksum = 0;
  worst = total = 0;
  for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
    uint32_t periods = 0;
    uint64_t messages = 0, events = 0;
    bool quiet = false;
    const double took = sdp_bench::BestOf([&] {
      sdp::Rng rng(seed);
      sdp::gossip::Epidemic e(kNodes);
      e.Inject(0);
      messages = events = 0;
      quiet = sdp::gossip::RunAsyncToQuiet(e, s, 0.0, timing, rng, 1000, UINT64_MAX, &events, &messages);
      periods = e.rounds();
    });
    checksum = checksum * 1000003 + periods * 1000000007ULL + messages * 7 + events;
    worst = took > worst ? took : worst;
    total += took;
    std::printf("  seed %" PRIu64 ": %s after %u periods, %" PRIu64 " update messages, %" PRIu64 " events, %.1f ms\n",
                seed, quiet ? "everyone informed" : "NOT CONVERGED", periods, messages, events, took * 1e3);
  }
  std::printf("JSON {\"platform\":\"%s\",\"async\":true,\"nodes\":%u,\"mean_ms\":%.2f,\"worst_ms\":%.2f,\"checksum\":%" PRIu64 "}\n",
              sdp_bench::kPlatform, kNodes, total / kSeeds * 1e3, worst * 1e3, checksum);
  return 0;
}

// The realtime sim's speed, built natively (build/native/sdp_realtime_bench)
// and as wasm run by node (build/wasm/sdp_realtime_bench.js) from this file.
// The target: 10,000 clients x 10 minutes of events at 10 events/s,
// for each technique, simulated in wasm in under 1 s, so that the widget can
// compare techniques live at realistic scale. The run goes through the sim's
// own ops (create + advance a minute at a time), as the widget would.
// Wall-clock time is fine here: nothing measured feeds a simulation.
#include <cinttypes>
#include <cstdint>
#include <cstdio>

#include "sdp/realtime_sim.h"
#include "sdp/scenario.h"

#include "bench_timing.h"

namespace {

using sdp_bench::BestOf;
using sdp_bench::kPlatform;

constexpr const char* kTechniques[] = {"short_polling", "long_polling", "sse", "websocket", "webrtc"};

}  // namespace

int main() {
  int status = 0;
  std::printf("sdp_realtime_bench (%s), best of %d: 10,000 clients x 600 s x 10 events/s\n", kPlatform,
              sdp_bench::kDefaultRuns);
  std::printf("| technique | wall s | deliveries | requests | work units | M deliveries/s |\n");
  std::printf("|---|---|---|---|---|---|\n");
  const sdp::SimInfo* info = sdp::FindSim("realtime");
  for (const char* technique : kTechniques) {
    uint64_t deliveries = 0, requests = 0, work = 0;
    bool done = false;
    const double seconds = BestOf([&] {
      auto made = sdp::CreateSim(*info, 1, {{"technique", technique}, {"clients", 10000}, {"rate", 10}, {"size", 100}});
      if (!made.ok()) return;
      sdp::Simulation& sim = *made.value();
      // Ten steps of a minute, as a widget would advance (a step's work is capped).
      done = true;
      for (int minute = 0; minute < 10; ++minute) {
        auto ran = sdp::ApplyStep(*info, sim, {{"op", "advance"}, {"ms", 60000}});
        done = done && ran.ok() && !ran.value().contains("stopped");
      }
      const auto& world = dynamic_cast<const sdp::RealtimeSim&>(sim).world();
      deliveries = world.metrics().deliveries;
      requests = world.metrics().requests;
      work = world.work();
    });
    if (!done) {
      std::printf("ERROR: %s stopped at the step's work limit\n", technique);
      status = 1;
    }
    std::printf("| %s | %.3f | %" PRIu64 " | %" PRIu64 " | %" PRIu64 " | %.1f |\n", technique, seconds, deliveries,
                requests, work, deliveries / seconds / 1e6);
  }
  return status;
}

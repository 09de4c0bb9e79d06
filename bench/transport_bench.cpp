// The transport sim's speed, built natively (build/native/sdp_transport_bench)
// and as wasm run by node (build/wasm/sdp_transport_bench.js) from this file.
// The target: 100 MB through the simulated TCP at 1% loss in under
// 2 s in wasm, so that the widget can sweep loss rates live. The transfer
// runs through the sim's own ops (send + run), as the widget does, and the
// rate counted is packets simulated (data segments + ACKs) per second of wall time.
// Wall-clock time is fine here: nothing measured feeds a simulation.
#include <cinttypes>
#include <cstdint>
#include <cstdio>

#include "sdp/scenario.h"
#include "sdp/transport_sim.h"

#include "bench_timing.h"

namespace {

using sdp_bench::BestOf;
using sdp_bench::kPlatform;

constexpr uint64_t kMiB = 1024 * 1024;

}  // namespace

int main() {
  int status = 0;
  std::printf("sdp_transport_bench (%s), best of %d\n", kPlatform, sdp_bench::kDefaultRuns);
  const sdp::SimInfo* info = sdp::FindSim("transport");
  for (double loss : {0.001, 0.01, 0.05}) {
    uint64_t packets = 0, delivered = 0;
    int64_t sim_us = 0;
    const double seconds = BestOf([&] {
      auto made = sdp::CreateSim(*info, 1, {{"loss", loss}});
      if (!made.ok()) return;
      sdp::Simulation& sim = *made.value();
      // 100 messages of 1 MiB = 100 MiB, one TCP stream.
      auto sent = sdp::ApplyStep(*info, sim, {{"op", "send"}, {"messages", 100}, {"size", kMiB}, {"protocol", "tcp"}});
      auto ran = sdp::ApplyStep(*info, sim, {{"op", "run"}});
      if (!sent.ok() || !ran.ok()) return;
      const auto& t = dynamic_cast<const sdp::TransportSim&>(sim);
      packets = t.tcp().counters().segments_sent + t.tcp().counters().acks_sent;
      delivered = t.tcp().delivered();
      sim_us = t.now();
    });
    if (delivered != 100 * kMiB) {
      std::printf("ERROR: delivered %" PRIu64 " of %" PRIu64 " bytes\n", delivered, 100 * kMiB);
      status = 1;
    }
    std::printf("100 MiB over TCP at %.1f%% loss: %.3f s wall, %" PRIu64 " packets (%.2f M packets/s), "
                "%.1f s simulated\n",
                loss * 100, seconds, packets, packets / seconds / 1e6, sim_us / 1e6);
  }
  return status;
}

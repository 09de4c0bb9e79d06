// What undoing a failed step costs, four ways (sdp::SimSession chose the
// last; sim_session.h says why). Built natively and as wasm, like the others.
//
// The sim is the heavy widget: a hash_ring with 50 nodes x 1000
// vnodes and 200,000 keys. Per way:
//   copy       copy the sim before a step (what "apply to a copy" costs)
//   snapshot   write the full snapshot (the least a snapshot+restore costs;
//              no sim can restore from one)
//   replay     rebuild from seed, config and the step log (SimSession's undo)
//   log        per step: SimSession::Apply vs ApplyStep on the same sim (20,000
//              lookups), the success-path cost of keeping the log
#include <cinttypes>
#include <cstdio>
#include <string>

#include "sdp/hash_ring_sim.h"
#include "sdp/scenario.h"
#include "sdp/sim_session.h"

#include "bench_timing.h"

namespace {

using sdp::Json;
using sdp_bench::BestOf;

constexpr int kNodes = 50;
constexpr int kLookups = 20000;

sdp::SimSession HeavyRing() {
  auto opened = sdp::SimSession::Open(*sdp::FindSim("hash_ring"), 1, {{"vnodes", 1000}});
  sdp::SimSession session = std::move(opened).value();
  for (int i = 0; i < kNodes; ++i) (void)session.Apply({{"op", "add_node"}, {"id", "n" + std::to_string(i)}});
  (void)session.Apply({{"op", "add_keys"}, {"count", 200000}, {"prefix", "user:"}});
  return session;
}

}  // namespace

int main() {
  sdp::SimSession session = HeavyRing();
  const auto& ring = dynamic_cast<const sdp::HashRingSim&>(session.sim());
  uint64_t sink = 0;

  const double copy = BestOf([&] {
    sdp::HashRingSim twin(ring);
    sink += twin.ring().total_points();
  });
  const double snapshot = BestOf([&] {
    sink += session.sim().Snapshot(sdp::Simulation::Detail::kFull).dump().size();
  });
  // One more step, taken back: the rebuild replays the 51 steps before it.
  const double replay = BestOf([&] {
    (void)session.Apply({{"op", "lookup"}, {"key", "x"}});
    sink += session.UndoLast().ok();
  }, 1);

  const sdp::SimInfo& info = *sdp::FindSim("hash_ring");
  auto raw = info.create(1, {{"vnodes", 1000}});
  for (int i = 0; i < kNodes; ++i) {
    (void)sdp::ApplyStep(info, *raw.value(), {{"op", "add_node"}, {"id", "n" + std::to_string(i)}});
  }
  auto small = sdp::SimSession::Open(info, 1, {{"vnodes", 1000}});
  for (int i = 0; i < kNodes; ++i) {
    (void)small.value().Apply({{"op", "add_node"}, {"id", "n" + std::to_string(i)}});
  }
  const double bare = BestOf([&] {
    for (int i = 0; i < kLookups; ++i) {
      sink += sdp::ApplyStep(info, *raw.value(), {{"op", "lookup"}, {"key", "k" + std::to_string(i)}}).ok();
    }
  });
  const double logged = BestOf([&] {
    for (int i = 0; i < kLookups; ++i) {
      sink += small.value().Apply({{"op", "lookup"}, {"key", "k" + std::to_string(i)}}).ok();
    }
  });

  std::printf("%s: heavy hash_ring (%d nodes x 1000 vnodes, 200000 keys)\n", sdp_bench::kPlatform,
              kNodes);
  std::printf("  copy the sim            %8.2f ms\n", copy * 1e3);
  std::printf("  full snapshot, dumped   %8.2f ms\n", snapshot * 1e3);
  std::printf("  replay 51 steps (undo)  %8.2f ms\n", replay * 1e3);
  std::printf("  lookup via ApplyStep    %8.3f us/step\n", bare * 1e6 / kLookups);
  std::printf("  lookup via SimSession   %8.3f us/step (keeps the log)\n", logged * 1e6 / kLookups);
  std::printf("(sink %" PRIu64 ")\n", sink);
  return 0;
}

// Simulation `realtime`: how a server pushes a stream of events to N
// clients, by short polling, long polling, server-sent events, WebSocket or
// WebRTC (sdp/realtime/world.h has the model, sdp/realtime/wire.h the bytes).
//
// Ops: technique {name}, clients {count}, events {rate, size},
// drop_connection {client}, advance {ms}, and compare {a, b, ms}, which runs
// two fresh worlds with this one's seed, config, clients and stream, one per
// technique, and reports both side by side (this world is left as it was).
//
// Results: delivery latency (event published -> client has it) p50/p99,
// requests at the server per second, bytes on the wire (headers included),
// connections the server holds open and the memory they cost (an assumed
// amount per connection), missed / duplicated / reordered events, charts per
// bucket, and a timeline of the first clients' requests and deliveries.
//
// Invariants: a refused op changes nothing; every step is bounded
// (kMaxWorkPerStep); the snapshot's size is bounded whatever the run.
#ifndef SDP_REALTIME_SIM_H_
#define SDP_REALTIME_SIM_H_

#include <cstdint>
#include <memory>
#include <string>

#include "sdp/realtime/world.h"
#include "sdp/clone.h"
#include "sdp/simulation.h"

namespace sdp {

struct RealtimeSimConfig {
  realtime::WorldConfig world;
  realtime::Technique technique = realtime::Technique::kLongPolling;
  uint32_t clients = 10;
  double rate = 1;      // events per second
  uint32_t size = 100;  // bytes per event
};

class RealtimeSim : public Cloneable<RealtimeSim, Simulation> {
 public:
  // ~0.2 us a unit natively (simulation.h): at most ~10 s of work per step.
  static constexpr uint64_t kMaxWorkPerStep = 50000000;
  static constexpr int64_t kMaxAdvanceMs = 3600 * 1000;
  static constexpr int64_t kMaxCompareMs = 600 * 1000;
  static constexpr uint32_t kTimelineShown = 200;

  RealtimeSim(uint64_t seed, const RealtimeSimConfig& config);

  Result<Json> Apply(const std::string& op, const Json& args) override;
  Json Snapshot(Detail detail) const override;
  uint64_t Work() const override { return world_->work() + compare_work_; }
  // The chart columns: t_ms, requests, deliveries, bytes_down, bytes_up,
  // open_connections, p50_us, p99_us.
  std::vector<uint32_t> Column(std::string_view name) const override;

  const realtime::World& world() const { return *world_; }
  // The metrics of a world as JSON (also used for compare's two runs).
  static Json MetricsJson(const realtime::World& world);

 private:
  Result<Json> Compare(const Json& args);
  Json StepResult(bool done) const;

  uint64_t seed_;
  RealtimeSimConfig config_;
  DeepPtr<realtime::World> world_;
  uint64_t compare_work_ = 0;
  Json last_compare_;
};

SimInfo RealtimeSimInfo();

}  // namespace sdp

#endif  // SDP_REALTIME_SIM_H_

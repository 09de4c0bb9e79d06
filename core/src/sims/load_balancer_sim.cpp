// The load_balancer's model: arrivals, routing per lane, server queues and
// workers, answers, failures and health checks.
#include "sdp/load_balancer_sim.h"

#include <algorithm>
#include <cmath>

#include "balance/request_source.h"

namespace sdp {
namespace {

enum LbLevel : uint32_t { kLbQueued, kLbBusy, kLbInRotation, kLbMaxServerQueue };

// Completion events carry (lane, server, slot) in one word, so that the
// event's closure ([packed]; the sim is handed to it when it runs) fits
// std::function's small buffer and no event allocates.
constexpr uint32_t kSlotBits = 10;
constexpr uint32_t kServerBits = 10;
static_assert(LoadBalancerConfig::kMaxServers <= (1u << kServerBits));

uint32_t Pack(uint32_t lane, uint32_t server, uint32_t slot) {
  return (lane << (kSlotBits + kServerBits)) | (server << kSlotBits) | slot;
}

}  // namespace

const char* LoadBalancerSim::OutcomeName(uint32_t outcome) {
  static const char* kNames[] = {"arrived", "ok", "timed_out", "rejected", "failed", "no_server", "retried"};
  return outcome < kOutcomes ? kNames[outcome] : "?";
}

bool LoadBalancerSim::Tried::Has(uint32_t server) const {
  for (uint32_t i = 0; i < n; ++i) {
    if (s[i] == server) return true;
  }
  return false;
}

LoadBalancerSim::Lane::Lane(LbAlgorithm a, uint64_t seed, SimTime bucket)
    : algorithm(a),
      rng(seed),
      series(bucket, {"arrived", "ok", "timed_out", "rejected", "failed", "no_server", "retried"},
             {{"queued", TimeSeries::LevelKind::kMax},
              {"busy", TimeSeries::LevelKind::kMax},
              {"in_rotation", TimeSeries::LevelKind::kLast},
              {"max_server_queue", TimeSeries::LevelKind::kMax}},
             kMaxSeriesBuckets) {}

LoadBalancerSim::LoadBalancerSim(uint64_t seed, const LoadBalancerConfig& config)
    : config_(config), seed_(seed), events_(200), ring_(RingHash::kMurmur3, 100) {
  // One seed, separate streams: the requests must not depend on what any
  // balancer draws, and both lanes of a compare run draw alike.
  SplitMix64 seeds(seed);
  const uint64_t source_seed = seeds.Next();
  const uint64_t lane_seed = seeds.Next();
  source_ = std::make_unique<RequestSource>(source_seed, config_.traffic, 0);
  lanes_.emplace_back(config_.algorithm, lane_seed, config_.bucket);
  if (config_.compare) lanes_.emplace_back(config_.compare_algorithm, lane_seed, config_.bucket);
  for (uint32_t i = 1; i <= config_.servers; ++i) {
    AddServer("s" + std::to_string(i), config_.capacity, config_.workers, 1, config_.queue_limit);
    servers_.back().ramp_start = -1;  // there from the start: nothing to ramp
  }
  ResizeClients(config_.traffic.clients);
  (void)UpdateRotation();
  last_remap_ = nullptr;
  for (uint32_t l = 0; l < lanes_.size(); ++l) RecordLevels(lanes_[l], 0);
  ScheduleArrival();
  ScheduleHealthCheck();
}

LoadBalancerSim::~LoadBalancerSim() = default;
LoadBalancerSim::LoadBalancerSim(const LoadBalancerSim&) = default;

void LoadBalancerSim::AddServer(std::string id, double capacity, uint32_t workers, uint32_t weight,
                                uint32_t queue_limit) {
  Server s;
  s.id = std::move(id);
  s.capacity = capacity;
  s.workers = workers;
  s.weight = weight;
  s.queue_limit = queue_limit;
  s.since = events_.now();
  s.ramp_start = config_.slow_start > 0 ? events_.now() : -1;
  servers_.push_back(std::move(s));
  weight_pm_.push_back(int64_t{weight} * 1000);
  for (Lane& lane : lanes_) {
    lane.servers.emplace_back();
    lane.wrr_current.push_back(0);
    lane.server_latency.emplace_back();
    lane.servers.back().area_at = events_.now();
    lane.servers.back().step_area = 0;
  }
}

SimTime LoadBalancerSim::Overhead() const {
  return config_.mode == LbMode::kL4 ? config_.l4_overhead : config_.l7_overhead;
}

// --- arrivals and routing -----------------------------------------------------

void LoadBalancerSim::ScheduleArrival() {
  if (config_.traffic.rps <= 0) return;
  const LbRequest next = source_->Next();
  next_at_ = next.at;
  next_client_ = next.client;
  next_demand_ = next.demand;
  arrival_event_ = events_.ScheduleAt(next.at, "", EventQueue::For<LoadBalancerSim>([](LoadBalancerSim& self) {
    self.arrival_pending_ = false;
    self.OnArrival();
  }));
  arrival_pending_ = true;
}

void LoadBalancerSim::OnArrival() {
  for (uint32_t lane = 0; lane < lanes_.size(); ++lane) Route(lane, next_at_, next_client_, next_demand_);
  ScheduleArrival();
}

void LoadBalancerSim::Count(uint32_t lane, int32_t server, uint32_t outcome, uint32_t n) {
  Lane& l = lanes_[lane];
  l.totals[outcome] += n;
  l.series.Count(outcome, n);
  if (server >= 0) l.servers[static_cast<uint32_t>(server)].counts[outcome] += n;
}

void LoadBalancerSim::Route(uint32_t lane, SimTime at, uint32_t client, double demand) {
  Lane& l = lanes_[lane];
  const SimTime now = events_.now();
  l.series.AdvanceTo(now);
  ++work_;
  Count(lane, -1, kArrived);
  if (config_.mode == LbMode::kL4) {
    int32_t s = l.connection[client];
    const SimTime lifetime = config_.traffic.connection_lifetime;
    if (s >= 0 && lifetime > 0 && now - l.opened[client] >= lifetime) {
      --l.servers[static_cast<uint32_t>(s)].connections;
      Reindex(l, static_cast<uint32_t>(s));
      ++l.connections_closed;
      l.connection[client] = -1;
      s = -1;
    }
    if (s < 0) {
      // A refused connection goes to the next server, as nginx's stream
      // proxy does by default (proxy_next_upstream on).
      Tried tried;
      for (;;) {
        s = Pick(lane, client, tried);
        if (s < 0) return Count(lane, -1, tried.n == 0 && s != kAllFailed ? kNoServer : kFailed);
        const uint32_t server = static_cast<uint32_t>(s);
        PassiveResult(l, server, servers_[server].up);
        if (servers_[server].up) break;
        ++l.servers[server].counts[kFailed];  // the refusal, seen by that server's row
        tried.s[tried.n++] = server;
        if (tried.n > config_.retries) return Count(lane, -1, kFailed);
        Count(lane, -1, kRetried);
      }
      l.connection[client] = s;
      l.opened[client] = now;
      ++l.servers[static_cast<uint32_t>(s)].connections;
      Reindex(l, static_cast<uint32_t>(s));
      ++l.connections_opened;
    }
    return Deliver(lane, static_cast<uint32_t>(s), at, demand);
  }
  Tried tried;
  for (;;) {
    const int32_t s = Pick(lane, client, tried);
    if (s < 0) return Count(lane, -1, tried.n == 0 && s != kAllFailed ? kNoServer : kFailed);
    const uint32_t server = static_cast<uint32_t>(s);
    PassiveResult(l, server, servers_[server].up);
    if (servers_[server].up) return Deliver(lane, server, at, demand);
    ++l.servers[server].counts[kFailed];  // the refusal, seen by that server's row
    tried.s[tried.n++] = server;
    if (tried.n > config_.retries) return Count(lane, -1, kFailed);
    Count(lane, -1, kRetried);
  }
}

void LoadBalancerSim::Deliver(uint32_t lane, uint32_t server, SimTime at, double demand) {
  Lane& l = lanes_[lane];
  ServerLoad& load = l.servers[server];
  ++load.counts[kArrived];
  const Server& s = servers_[server];
  if (load.busy < s.workers) {
    Start(lane, server, at, demand);
  } else if (load.queue.size() < s.queue_limit) {
    load.queue.push_back({at, demand});
    ++load.waiting;
    ++l.queued;
    ++load.waited;
    ++l.waited;
  } else {
    Count(lane, static_cast<int32_t>(server), kRejected);
  }
  if (config_.mode == LbMode::kL7) Reindex(l, server);
  RecordLevels(l, server);
}

// --- servers --------------------------------------------------------------------

void LoadBalancerSim::UpdateArea(ServerLoad& load, SimTime now) {
  load.busy_area += static_cast<int64_t>(load.busy) * (now - load.area_at);
  load.area_at = now;
}

void LoadBalancerSim::Start(uint32_t lane, uint32_t server, SimTime arrival, double demand) {
  Lane& l = lanes_[lane];
  ServerLoad& load = l.servers[server];
  const Server& s = servers_[server];
  const SimTime now = events_.now();
  UpdateArea(load, now);
  ++load.busy;
  ++l.busy;
  uint32_t slot = 0;
  if (!load.free_slots.empty()) {
    slot = load.free_slots.back();
    load.free_slots.pop_back();
  } else {
    load.slots.push_back({});
    slot = static_cast<uint32_t>(load.slots.size() - 1);
  }
  const double mean_us = static_cast<double>(s.workers) * static_cast<double>(kMicrosPerSecond) / s.capacity;
  const SimTime service = std::max<SimTime>(1, std::llround(demand * mean_us * s.slow));
  load.slots[slot] = {arrival, now + service, 0};
  ScheduleCompletion(lane, server, slot);
}

void LoadBalancerSim::ScheduleCompletion(uint32_t lane, uint32_t server, uint32_t slot) {
  Slot& s = lanes_[lane].servers[server].slots[slot];
  const uint32_t packed = Pack(lane, server, slot);
  s.event = events_.ScheduleAt(s.finish, "", EventQueue::For<LoadBalancerSim>([packed](LoadBalancerSim& self) {
    self.Complete(packed);
  }));
}

void LoadBalancerSim::RecordLatency(Lane& lane, uint32_t server, SimTime latency, bool in_time) {
  ServerLoad& load = lane.servers[server];
  lane.server_latency[server].Add(latency);
  lane.latency.Add(latency);
  lane.series.Latency(latency);
  if (!in_time) return;
  load.latency_sum_us += static_cast<uint64_t>(latency);
  lane.latency_sum_us += static_cast<uint64_t>(latency);
}

void LoadBalancerSim::Complete(uint32_t packed) {
  const uint32_t lane = packed >> (kSlotBits + kServerBits);
  const uint32_t server = (packed >> kSlotBits) & ((1u << kServerBits) - 1);
  const uint32_t slot = packed & ((1u << kSlotBits) - 1);
  Lane& l = lanes_[lane];
  ServerLoad& load = l.servers[server];
  const SimTime now = events_.now();
  l.series.AdvanceTo(now);
  ++work_;
  const SimTime latency = now - load.slots[slot].arrival + Overhead();
  load.slots[slot].finish = -1;
  load.free_slots.push_back(slot);
  UpdateArea(load, now);
  --load.busy;
  --l.busy;
  const double sample = static_cast<double>(latency);
  load.ewma_us = load.has_ewma ? load.ewma_us + kEwmaAlpha * (sample - load.ewma_us) : sample;
  load.has_ewma = true;
  if (latency > config_.timeout) {
    // The client gave up at the timeout; the server finished anyway.
    Count(lane, static_cast<int32_t>(server), kTimedOut);
    RecordLatency(l, server, config_.timeout, false);
  } else {
    Count(lane, static_cast<int32_t>(server), kOk);
    RecordLatency(l, server, latency, true);
  }
  Serve(lane, server);
  // Least response time reads the EWMA at L4 too.
  Reindex(l, server);
  RecordLevels(l, server);
}

void LoadBalancerSim::Serve(uint32_t lane, uint32_t server) {
  Lane& l = lanes_[lane];
  const SimTime now = events_.now();
  const uint32_t workers = servers_[server].workers;
  while (l.servers[server].busy < workers && !l.servers[server].queue.empty()) {
    ServerLoad& load = l.servers[server];
    const Waiting w = load.queue.front();
    load.queue.pop_front();
    --load.waiting;
    --l.queued;
    if (now - w.arrival + Overhead() > config_.timeout) {
      // Its client left while it waited: dropped unserved.
      Count(lane, static_cast<int32_t>(server), kTimedOut);
      RecordLatency(l, server, config_.timeout, false);
      continue;
    }
    Start(lane, server, w.arrival, w.demand);
  }
}

void LoadBalancerSim::RecordLevels(Lane& lane, uint32_t server) {
  lane.series.SetLevel(kLbQueued, lane.queued);
  lane.series.SetLevel(kLbBusy, lane.busy);
  lane.series.SetLevel(kLbInRotation, static_cast<uint32_t>(rotation_.size()));
  const uint32_t queue =
      server < lane.servers.size() ? static_cast<uint32_t>(lane.servers[server].queue.size()) : 0;
  lane.series.SetLevel(kLbMaxServerQueue, queue);
}

std::vector<uint64_t> LoadBalancerSim::StopServer(uint32_t server) {
  std::vector<uint64_t> lost;
  const SimTime now = events_.now();
  for (uint32_t lane = 0; lane < lanes_.size(); ++lane) {
    Lane& l = lanes_[lane];
    l.series.AdvanceTo(now);
    ServerLoad& load = l.servers[server];
    UpdateArea(load, now);
    for (const Slot& slot : load.slots) {
      if (slot.finish >= 0) events_.Cancel(slot.event);
    }
    const uint64_t n = load.busy + load.queue.size();
    l.busy -= load.busy;
    l.queued -= static_cast<uint32_t>(load.queue.size());
    load.busy = 0;
    load.slots.clear();
    load.free_slots.clear();
    load.queue.clear();
    load.waiting = 0;
    if (n > 0) Count(lane, static_cast<int32_t>(server), kFailed, static_cast<uint32_t>(n));
    RecordLevels(l, server);
    lost.push_back(n);
  }
  return lost;
}

std::vector<uint64_t> LoadBalancerSim::CloseConnectionsTo(uint32_t server) {
  std::vector<uint64_t> closed;
  for (Lane& l : lanes_) {
    uint64_t n = 0;
    for (int32_t& c : l.connection) {
      if (c == static_cast<int32_t>(server)) {
        c = -1;
        ++n;
      }
    }
    work_ += l.connection.size() / 16;
    l.servers[server].connections = 0;
    l.connections_closed += n;
    closed.push_back(n);
  }
  return closed;
}

void LoadBalancerSim::CancelLaneEvents(Lane& lane) {
  for (const ServerLoad& load : lane.servers) {
    for (const Slot& slot : load.slots) {
      if (slot.finish >= 0) events_.Cancel(slot.event);
    }
  }
}

void LoadBalancerSim::RescheduleLaneEvents(uint32_t lane) {
  std::vector<ServerLoad>& loads = lanes_[lane].servers;
  for (uint32_t s = 0; s < loads.size(); ++s) {
    for (uint32_t slot = 0; slot < loads[s].slots.size(); ++slot) {
      if (loads[s].slots[slot].finish >= 0) ScheduleCompletion(lane, s, slot);
    }
  }
}

// --- health checks --------------------------------------------------------------

void LoadBalancerSim::ScheduleHealthCheck() {
  if (config_.health_interval <= 0) return;
  health_event_ = events_.ScheduleIn(config_.health_interval, "", EventQueue::For<LoadBalancerSim>([](LoadBalancerSim& self) {
    self.health_pending_ = false;
    self.OnHealthCheck();
    self.ScheduleHealthCheck();
  }));
  health_pending_ = true;
}

void LoadBalancerSim::OnHealthCheck() {
  const SimTime now = events_.now();
  bool changed = false;
  for (Server& s : servers_) {
    if (s.removed) continue;
    ++work_;
    if (s.up) {
      ++s.passes;
      s.fails = 0;
      if (!s.in_rotation && s.passes >= config_.health_rise) {
        s.in_rotation = true;
        s.ramp_start = config_.slow_start > 0 ? now : -1;
        changed = true;
        events_.Note("health: " + s.id + " passed " + std::to_string(s.passes) +
                     " checks, back in rotation" + (config_.slow_start > 0 ? " (slow start)" : ""));
      }
    } else {
      ++s.fails;
      s.passes = 0;
      if (s.in_rotation && s.fails >= config_.health_fall) {
        s.in_rotation = false;
        changed = true;
        events_.Note("health: " + s.id + " failed " + std::to_string(s.fails) + " checks, out of rotation");
      }
    }
  }
  if (!changed) return;
  for (Lane& lane : lanes_) lane.series.AdvanceTo(now);
  Json remap = UpdateRotation();
  if (!remap.is_null()) last_remap_ = std::move(remap);
  for (Lane& lane : lanes_) RecordLevels(lane, 0);
}

void LoadBalancerSim::Advance(SimTime duration) {
  const SimTime end = events_.now() + duration;
  events_.AdvanceTo(end, this);
  for (Lane& lane : lanes_) lane.series.AdvanceTo(end);
}

}  // namespace sdp

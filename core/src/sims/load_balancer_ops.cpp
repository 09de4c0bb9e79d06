// The load_balancer's ops. Each checks everything it needs before its first
// change, so a refused op leaves the simulation exactly as it was.
#include <algorithm>

#include "balance/request_source.h"
#include "sdp/load_balancer_sim.h"
#include "sdp/queueing.h"
#include "sims/sim_text.h"

namespace sdp {
namespace {

// A balls_into_bins op throws at most this many balls (n x trials x choices).
constexpr double kMaxBallDraws = 2e7;
}  // namespace

Result<uint32_t> LoadBalancerSim::FindServer(std::string_view op, const Json& args) const {
  const std::string id = args["id"].get<std::string>();
  std::string known;
  uint32_t listed = 0;
  for (uint32_t s = 0; s < servers_.size(); ++s) {
    if (servers_[s].removed) continue;
    if (servers_[s].id == id) return s;
    if (listed++ < kListedInErrors) known += (known.empty() ? "" : ", ") + servers_[s].id;
  }
  if (listed > kListedInErrors) known += ", ...";
  return Status::Invalid(std::string(op) + ": field \"id\": no server \"" + id + "\" (servers: " +
                         (known.empty() ? "none" : known) + ")");
}

Result<Json> LoadBalancerSim::AdvanceOp(const Json& args) {
  const int64_t ms = args["ms"].get<int64_t>();
  const double expected = config_.traffic.rps * static_cast<double>(ms) / 1000.0;
  if (expected > kMaxRequestsPerStep) {
    return Status::Invalid("advance: field \"ms\" is too long at " + Str(static_cast<int64_t>(config_.traffic.rps)) +
                           " rps (at most " + Str(static_cast<int64_t>(kMaxRequestsPerStep)) +
                           " requests per step); split it into shorter steps");
  }
  const SimTime now = events_.now();
  std::vector<std::vector<uint64_t>> before;
  for (Lane& l : lanes_) {
    before.emplace_back(std::begin(l.totals), std::end(l.totals));
    for (ServerLoad& load : l.servers) {
      UpdateArea(load, now);
      load.step_area = load.busy_area;
      load.step_assigned = load.counts[kArrived];
    }
  }
  step_start_ = now;
  Advance(ms * kMicrosPerMilli);
  Json during = Json::array();
  for (uint32_t lane = 0; lane < lanes_.size(); ++lane) {
    Json d = {{"algorithm", LbAlgorithmName(lanes_[lane].algorithm)}};
    for (uint32_t o = 0; o < kOutcomes; ++o) d[OutcomeName(o)] = lanes_[lane].totals[o] - before[lane][o];
    during.push_back(std::move(d));
  }
  return Json{{"time_ms", static_cast<double>(events_.now()) / kMicrosPerMilli}, {"during", during}};
}

Result<Json> LoadBalancerSim::SetAlgorithm(const Json& args) {
  LbAlgorithm a = LbAlgorithm::kRoundRobin;
  SDP_CHECK(ParseLbAlgorithm(args["name"].get<std::string>(), &a));  // the runner checked the enum
  const std::string compare = args.value("compare", std::string());
  LbAlgorithm b = config_.compare_algorithm;
  if (!compare.empty() && compare != "off") SDP_CHECK(ParseLbAlgorithm(compare, &b));
  auto start_over = [](Lane& lane, LbAlgorithm algorithm) {
    if (lane.algorithm == algorithm) return;
    lane.algorithm = algorithm;
    std::fill(lane.wrr_current.begin(), lane.wrr_current.end(), 0);  // a fresh WRR cycle
    lane.wrr_replaying = false;
    lane.wrr_no_period = false;
  };
  start_over(lanes_[0], a);
  config_.algorithm = a;
  if (compare == "off" && lanes_.size() == 2) {
    CancelLaneEvents(lanes_[1]);
    lanes_.pop_back();
  } else if (!compare.empty() && compare != "off") {
    if (lanes_.size() == 1) {
      // The second balancer starts from the first one's state, in flight
      // included, so from here both face the same servers and requests.
      Lane copy = lanes_[0];
      lanes_.push_back(std::move(copy));
      RescheduleLaneEvents(1);
    }
    start_over(lanes_[1], b);
    config_.compare_algorithm = b;
  }
  config_.compare = lanes_.size() == 2;
  events_.Note(std::string("algorithm ") + LbAlgorithmName(a) +
               (config_.compare ? std::string(" vs ") + LbAlgorithmName(lanes_[1].algorithm) : ""));
  return Json{{"algorithm", LbAlgorithmName(a)},
              {"compare", config_.compare ? Json(LbAlgorithmName(lanes_[1].algorithm)) : Json(nullptr)},
              {"lanes", lanes_.size()}};
}

Result<Json> LoadBalancerSim::SetMode(const Json& args) {
  const LbMode mode = args["mode"].get<std::string>() == "l4" ? LbMode::kL4 : LbMode::kL7;
  Json closed = Json::array();
  if (mode != config_.mode) {
    // Switching terminates every client connection; L4 picks anew on the next request.
    for (Lane& l : lanes_) {
      uint64_t n = 0;
      for (int32_t& c : l.connection) {
        n += c >= 0 ? 1 : 0;
        c = -1;
      }
      for (ServerLoad& load : l.servers) load.connections = 0;
      l.connections_closed += n;
      closed.push_back(n);
    }
    config_.mode = mode;
    events_.Note(mode == LbMode::kL4 ? "mode L4: a pick per connection" : "mode L7: a pick per request");
  }
  return Json{{"mode", mode == LbMode::kL4 ? "l4" : "l7"}, {"connections_closed", closed}};
}

Result<Json> LoadBalancerSim::ServerAdd(const Json& args) {
  const std::string id = args["id"].get<std::string>();
  int32_t existing = -1;
  for (uint32_t s = 0; s < servers_.size(); ++s) {
    if (servers_[s].id == id) existing = static_cast<int32_t>(s);
  }
  if (existing >= 0 && !servers_[static_cast<uint32_t>(existing)].removed) {
    return Status::Invalid("server_add: field \"id\": server \"" + id + "\" already exists");
  }
  if (existing >= 0) {
    for (const Lane& l : lanes_) {
      const ServerLoad& load = l.servers[static_cast<uint32_t>(existing)];
      if (load.busy + load.queue.size() > 0) {
        return Status::Invalid("server_add: field \"id\": server \"" + id + "\" is still draining " +
                               Str(static_cast<int64_t>(load.busy + load.queue.size())) +
                               " requests; advance first");
      }
    }
  } else if (servers_.size() >= LoadBalancerConfig::kMaxServers) {
    return Status::Invalid("server_add: field \"id\": at most " + Str(LoadBalancerConfig::kMaxServers) +
                           " servers (removed ones included)");
  }
  const double capacity = args.value("capacity", config_.capacity);
  const uint32_t workers = args.value("workers", config_.workers);
  const uint32_t weight = args.value("weight", 1u);
  const uint32_t queue_limit = args.value("queue_limit", config_.queue_limit);
  const SimTime now = events_.now();
  if (existing < 0) {
    AddServer(id, capacity, workers, weight, queue_limit);
  } else {
    const uint32_t s = static_cast<uint32_t>(existing);
    Server& server = servers_[s];
    server.capacity = capacity;
    server.workers = workers;
    server.weight = weight;
    weight_pm_[s] = int64_t{weight} * 1000;
    server.queue_limit = queue_limit;
    server.slow = 1;
    server.up = true;
    server.in_rotation = true;
    server.removed = false;
    server.fails = server.passes = 0;
    server.since = now;
    server.ramp_start = config_.slow_start > 0 ? now : -1;
    for (Lane& l : lanes_) {
      ServerLoad& load = l.servers[s];
      load.slots.clear();
      load.free_slots.clear();
      l.wrr_current[s] = 0;
      load.has_ewma = false;
      load.fails = 0;
      load.checked = 0;
      load.accessed = -1;
      load.busy_area = load.step_area = 0;
      load.area_at = now;
      load.step_assigned = load.counts[kArrived];
    }
  }
  Json remap = UpdateRotation();
  if (!remap.is_null()) last_remap_ = remap;
  for (Lane& l : lanes_) RecordLevels(l, 0);
  events_.Note("server " + id + " added (capacity " + Str(static_cast<int64_t>(capacity)) + " rps, " +
               Str(workers) + " workers, weight " + Str(weight) + ")");
  return Json{{"server", id}, {"rotation", rotation_.size()}, {"remap", remap}};
}

Result<Json> LoadBalancerSim::ServerRemove(const Json& args) {
  Result<uint32_t> found = FindServer("server_remove", args);
  if (!found.ok()) return found.status();
  const uint32_t s = found.value();
  servers_[s].removed = true;
  servers_[s].in_rotation = false;
  const std::vector<uint64_t> closed = CloseConnectionsTo(s);
  Json remap = UpdateRotation();
  if (!remap.is_null()) last_remap_ = remap;
  for (Lane& l : lanes_) RecordLevels(l, s);
  events_.Note("server " + servers_[s].id + " removed: no new requests, the ones it has finish");
  return Json{{"server", servers_[s].id},
              {"rotation", rotation_.size()},
              {"connections_closed", closed},
              {"remap", remap}};
}

Result<Json> LoadBalancerSim::ServerFail(const Json& args) {
  Result<uint32_t> found = FindServer("server_fail", args);
  if (!found.ok()) return found.status();
  const uint32_t s = found.value();
  if (!servers_[s].up) {
    return Status::Invalid("server_fail: field \"id\": server \"" + servers_[s].id +
                           "\" has already failed; server_recover it first");
  }
  servers_[s].up = false;
  servers_[s].passes = 0;
  const std::vector<uint64_t> lost = StopServer(s);
  const std::vector<uint64_t> broken = CloseConnectionsTo(s);
  events_.Note("server " + servers_[s].id + " failed: requests on it are lost, it refuses connections");
  const bool checks = config_.health_interval > 0;
  return Json{{"server", servers_[s].id},
              {"lost", lost},
              {"connections_broken", broken},
              {"in_rotation", servers_[s].in_rotation},
              {"noticed_within_ms",
               checks ? Json(static_cast<double>(config_.health_interval * config_.health_fall) / kMicrosPerMilli)
                      : Json(nullptr)}};
}

Result<Json> LoadBalancerSim::ServerRecover(const Json& args) {
  Result<uint32_t> found = FindServer("server_recover", args);
  if (!found.ok()) return found.status();
  const uint32_t s = found.value();
  if (servers_[s].up) {
    return Status::Invalid("server_recover: field \"id\": server \"" + servers_[s].id +
                           "\" has not failed (server_fail it first)");
  }
  servers_[s].up = true;
  servers_[s].fails = 0;
  for (Lane& l : lanes_) {
    UpdateArea(l.servers[s], events_.now());
    l.servers[s].has_ewma = false;  // a restarted server: what was measured is stale
  }
  events_.Note("server " + servers_[s].id + " recovered" +
               (servers_[s].in_rotation ? ": still in rotation, the checks never noticed"
                                        : ": back after " + Str(config_.health_rise) + " passed checks"));
  const bool waits = !servers_[s].in_rotation;
  return Json{{"server", servers_[s].id},
              {"in_rotation", servers_[s].in_rotation},
              {"back_within_ms",
               waits ? Json(static_cast<double>(config_.health_interval * config_.health_rise) / kMicrosPerMilli)
                     : Json(0)}};
}

Result<Json> LoadBalancerSim::ServerSlow(const Json& args) {
  Result<uint32_t> found = FindServer("server_slow", args);
  if (!found.ok()) return found.status();
  const uint32_t s = found.value();
  const double factor = args["factor"].get<double>();
  servers_[s].slow = factor;
  events_.Note("server " + servers_[s].id + " is " + (factor == 1 ? std::string("back to normal speed")
                                                                  : "slow: service times x" + Json(factor).dump()));
  return Json{{"server", servers_[s].id}, {"factor", factor}};
}

Result<Json> LoadBalancerSim::SetTraffic(const Json& args) {
  LoadBalancerConfig next = config_;
  SDP_RETURN_IF_ERROR(ApplyLoadBalancerFields(args, &next));
  for (Lane& l : lanes_) l.series.AdvanceTo(events_.now());
  if (next.traffic.clients != config_.traffic.clients) ResizeClients(next.traffic.clients);
  config_ = next;
  if (arrival_pending_) events_.Cancel(arrival_event_);
  arrival_pending_ = false;
  source_->Restart(config_.traffic, events_.now());
  if (config_.traffic.client_skew > 0) work_ += config_.traffic.clients;  // the Zipf table
  ScheduleArrival();
  events_.Note("traffic " + Json(config_.traffic.rps).dump() + " rps, " + Str(config_.traffic.clients) +
               " clients");
  return Json{{"traffic", LbTrafficJson(config_.traffic)}};
}

Result<Json> LoadBalancerSim::Configure(const Json& args) {
  LoadBalancerConfig next = config_;
  SDP_RETURN_IF_ERROR(ApplyLoadBalancerFields(args, &next));
  const bool checks_changed = next.health_interval != config_.health_interval;
  config_ = next;
  if (checks_changed) {
    if (health_pending_) events_.Cancel(health_event_);
    health_pending_ = false;
    ScheduleHealthCheck();
  }
  events_.Note("balancer settings changed");
  return Json{{"config", LoadBalancerConfigJson(config_)}};
}

Result<Json> LoadBalancerSim::BallsIntoBins(const Json& args) {
  const uint32_t n = args["n"].get<uint32_t>();
  const uint32_t choices = args.value("choices", 2u);
  const uint32_t trials = args.value("trials", 1u);
  const double draws = static_cast<double>(n) * trials * (choices + (choices >= 2 ? 1 : 0));
  if (draws > kMaxBallDraws) {
    return Status::Invalid("balls_into_bins: fields \"n\" x \"trials\" x \"choices\" ask for " +
                           Str(static_cast<int64_t>(draws)) + " draws (at most " +
                           Str(static_cast<int64_t>(kMaxBallDraws)) + "); lower \"trials\" or \"n\"");
  }
  work_ += static_cast<uint64_t>(draws);
  // Its own stream, from the seed and the arguments: the op is repeatable and
  // leaves the simulation's randomness alone.
  SplitMix64 seeds(seed_ ^ (uint64_t{n} << 20) ^ (uint64_t{choices} << 8) ^ trials);
  auto run = [&](uint32_t d) {
    Rng rng(seeds.Next());
    Json loads = Json::array();
    uint64_t sum = 0;
    for (uint32_t t = 0; t < trials; ++t) {
      const uint32_t max_load = BallsIntoBinsMaxLoad(n, d, rng);
      loads.push_back(max_load);
      sum += max_load;
    }
    const double nd = static_cast<double>(n);
    return Json{{"max_loads", loads},
                {"mean_max_load", static_cast<double>(sum) / trials},
                {"estimate", d == 1 ? OneChoiceMaxLoadEstimate(nd) : DChoiceMaxLoadEstimate(nd, d)}};
  };
  Json out = run(choices);
  out["n"] = n;
  out["choices"] = choices;
  out["trials"] = trials;
  if (choices >= 2) out["one_choice"] = run(1);
  return out;
}

Result<Json> LoadBalancerSim::Apply(const std::string& op, const Json& args) {
  for (Lane& l : lanes_) l.series.AdvanceTo(events_.now());
  // Other ops change servers, weights, modes and algorithms: the next pick
  // that needs the lightest-server index (or the WRR period) rebuilds it.
  if (op != "advance") InvalidateIndexes();
  if (op == "advance") return AdvanceOp(args);
  if (op == "algorithm") return SetAlgorithm(args);
  if (op == "mode") return SetMode(args);
  if (op == "server_add") return ServerAdd(args);
  if (op == "server_remove") return ServerRemove(args);
  if (op == "server_fail") return ServerFail(args);
  if (op == "server_recover") return ServerRecover(args);
  if (op == "server_slow") return ServerSlow(args);
  if (op == "traffic") return SetTraffic(args);
  if (op == "configure") return Configure(args);
  if (op == "balls_into_bins") return BallsIntoBins(args);
  return Status::Invalid("unknown op \"" + op + "\"");
}

}  // namespace sdp

// What the load_balancer shows: Snapshot() and Column() (shapes in the header).
#include <algorithm>
#include <cmath>

#include "sdp/load_balancer_sim.h"
#include "sdp/queueing.h"

namespace sdp {
namespace {

double MsOf(SimTime us) { return static_cast<double>(us) / kMicrosPerMilli; }

// min, max, mean, max/mean and coefficient of variation of a few values.
Json Spread(const std::vector<double>& values) {
  if (values.empty()) return nullptr;
  double sum = 0, lo = values[0], hi = values[0];
  for (double v : values) {
    sum += v;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  const double mean = sum / static_cast<double>(values.size());
  double squares = 0;
  for (double v : values) squares += (v - mean) * (v - mean);
  const double sd = std::sqrt(squares / static_cast<double>(values.size()));
  return Json{{"min", lo},
              {"max", hi},
              {"mean", mean},
              {"max_over_mean", mean > 0 ? hi / mean : 0.0},
              {"cv", mean > 0 ? sd / mean : 0.0}};
}

}  // namespace

double LoadBalancerSim::Utilisation(const ServerLoad& load, uint32_t server, bool recent) const {
  const Server& s = servers_[server];
  const SimTime now = events_.now();
  const int64_t area = load.busy_area + static_cast<int64_t>(load.busy) * (now - load.area_at);
  const SimTime from = recent ? std::max(step_start_, s.since) : s.since;
  const int64_t base = recent && step_start_ >= s.since ? load.step_area : 0;
  const SimTime span = now - from;
  if (span <= 0) return 0;
  return static_cast<double>(area - base) / (static_cast<double>(span) * s.workers);
}

Json LoadBalancerSim::ServerJson(uint32_t server) const {
  const Server& s = servers_[server];
  SimTime left = 0;
  if (config_.slow_start > 0 && s.ramp_start >= 0) {
    left = std::max<SimTime>(0, s.ramp_start + config_.slow_start - events_.now());
  }
  return Json{{"id", s.id},
              {"capacity", s.capacity},
              {"workers", s.workers},
              {"queue_limit", s.queue_limit},
              {"weight", s.weight},
              {"weight_now", static_cast<double>(EffectiveWeight(server)) / 1000},
              {"slow_factor", s.slow},
              {"up", s.up},
              {"in_rotation", s.in_rotation},
              {"removed", s.removed},
              {"failed_checks", s.fails},
              {"passed_checks", s.passes},
              {"slow_start_left_ms", MsOf(left)}};
}

Json LoadBalancerSim::LaneJson(const Lane& lane, Detail detail) const {
  Json totals;
  for (uint32_t o = 0; o < kOutcomes; ++o) totals[OutcomeName(o)] = lane.totals[o];
  totals["waited"] = lane.waited;
  totals["sessions_moved"] = lane.sessions_moved;
  totals["connections_opened"] = lane.connections_opened;
  totals["connections_closed"] = lane.connections_closed;
  Json latency = {{"mean_ms", lane.totals[kOk] > 0 ? static_cast<double>(lane.latency_sum_us) /
                                                         static_cast<double>(lane.totals[kOk]) / 1000
                                                   : 0.0},
                  {"p50_ms", MsOf(lane.latency.Percentile(500))},
                  {"p95_ms", MsOf(lane.latency.Percentile(950))},
                  {"p99_ms", MsOf(lane.latency.Percentile(990))},
                  {"max_ms", MsOf(lane.latency.max())}};
  if (detail == Detail::kFull) latency["histogram"] = lane.latency.ToJson();
  std::vector<double> requests, utilisation;
  for (uint32_t s : rotation_) {
    const ServerLoad& load = lane.servers[s];
    requests.push_back(static_cast<double>(load.counts[kArrived] - load.step_assigned));
    utilisation.push_back(Utilisation(load, s, true));
  }
  Json servers = Json::array();
  for (uint32_t s = 0; s < lane.servers.size(); ++s) {
    const ServerLoad& load = lane.servers[s];
    Json row = {{"id", servers_[s].id},
                {"busy", load.busy},
                {"queue", load.queue.size()},
                {"connections", load.connections},
                {"waited", load.waited},
                {"utilisation", Utilisation(load, s, false)},
                {"utilisation_recent", Utilisation(load, s, true)},
                {"assigned_recent", load.counts[kArrived] - load.step_assigned},
                {"mean_ms", load.counts[kOk] > 0 ? static_cast<double>(load.latency_sum_us) /
                                                       static_cast<double>(load.counts[kOk]) / 1000
                                                 : 0.0},
                {"p50_ms", MsOf(lane.server_latency[s].Percentile(500))},
                {"p95_ms", MsOf(lane.server_latency[s].Percentile(950))},
                {"p99_ms", MsOf(lane.server_latency[s].Percentile(990))},
                {"ewma_ms", load.has_ewma ? load.ewma_us / 1000 : 0.0}};
    row["assigned"] = load.counts[kArrived];
    for (uint32_t o : {kOk, kTimedOut, kRejected, kFailed}) row[OutcomeName(o)] = load.counts[o];
    servers.push_back(std::move(row));
  }
  Json out = {{"algorithm", LbAlgorithmName(lane.algorithm)},
              {"totals", totals},
              {"latency", latency},
              {"spread", {{"requests", Spread(requests)}, {"utilisation", Spread(utilisation)}}},
              {"servers", servers}};
  if (detail == Detail::kFull) out["series"] = lane.series.ToJson();
  return out;
}

Json LoadBalancerSim::TheoryJson() const {
  // Only where M/M/c holds: one server, Poisson arrivals, exponential work.
  if (rotation_.size() != 1 || config_.traffic.pattern != ArrivalPattern::kPoisson ||
      config_.traffic.cost != CostDistribution::kExponential) {
    return nullptr;
  }
  const Server& s = servers_[rotation_[0]];
  const double lambda = config_.traffic.rps;
  const double mu = s.capacity / s.workers / s.slow;  // per worker
  if (lambda >= mu * s.workers) return nullptr;  // unstable: no steady state
  const ServerLoad& load = lanes_[0].servers[rotation_[0]];
  const uint64_t assigned = load.counts[kArrived];
  return Json{{"lambda", lambda},
              {"mu", mu},
              {"c", s.workers},
              {"rho", lambda / (mu * s.workers)},
              {"p_wait", ErlangC(s.workers, lambda / mu)},
              {"mean_ms", MmcMeanTimeInSystem(s.workers, lambda, mu) * 1000 + MsOf(Overhead())},
              {"measured",
               {{"p_wait", assigned > 0 ? static_cast<double>(load.waited) / static_cast<double>(assigned) : 0.0},
                {"mean_ms", load.counts[kOk] > 0 ? static_cast<double>(load.latency_sum_us) /
                                                       static_cast<double>(load.counts[kOk]) / 1000
                                                 : 0.0}}}};
}

Json LoadBalancerSim::Snapshot(Detail detail) const {
  Json servers = Json::array();
  for (uint32_t s = 0; s < servers_.size(); ++s) servers.push_back(ServerJson(s));
  Json lanes = Json::array();
  for (const Lane& lane : lanes_) lanes.push_back(LaneJson(lane, detail));
  return Json{{"time_ms", MsOf(events_.now())},
              {"mode", config_.mode == LbMode::kL4 ? "l4" : "l7"},
              {"config", LoadBalancerConfigJson(config_)},
              {"traffic", LbTrafficJson(config_.traffic)},
              {"rotation", rotation_.size()},
              {"servers", servers},
              {"lanes", lanes},
              {"remap", last_remap_},
              {"theory", TheoryJson()},
              {"log", events_.log().ToJson(detail == Detail::kFull ? 200 : 12)}};
}

std::vector<uint32_t> LoadBalancerSim::Column(std::string_view name) const {
  auto strip = [&name](std::string_view prefix) {
    if (name.substr(0, prefix.size()) != prefix) return false;
    name.remove_prefix(prefix.size());
    return true;
  };
  if (strip("series:")) return lanes_[0].series.Column(name);
  if (strip("series_b:")) return lanes_.size() > 1 ? lanes_[1].series.Column(name) : std::vector<uint32_t>{};
  uint32_t lane = 0;
  if (strip("server_b:")) {
    if (lanes_.size() < 2) return {};
    lane = 1;
  } else if (!strip("server:")) {
    return {};
  }
  std::vector<uint32_t> out;
  out.reserve(servers_.size());
  auto clamp = [](uint64_t v) { return static_cast<uint32_t>(std::min<uint64_t>(v, UINT32_MAX)); };
  for (uint32_t s = 0; s < servers_.size(); ++s) {
    const ServerLoad& load = lanes_[lane].servers[s];
    if (name == "up") {
      out.push_back(servers_[s].up ? 1 : 0);
    } else if (name == "in_rotation") {
      out.push_back(servers_[s].in_rotation && !servers_[s].removed ? 1 : 0);
    } else if (name == "weight_now_pm") {
      out.push_back(clamp(static_cast<uint64_t>(EffectiveWeight(s))));
    } else if (name == "assigned") {
      out.push_back(clamp(load.counts[kArrived]));
    } else if (name == "ok" || name == "timed_out" || name == "rejected" || name == "failed") {
      const uint32_t o = name == "ok" ? kOk : name == "timed_out" ? kTimedOut : name == "rejected" ? kRejected : kFailed;
      out.push_back(clamp(load.counts[o]));
    } else if (name == "busy") {
      out.push_back(load.busy);
    } else if (name == "queue") {
      out.push_back(static_cast<uint32_t>(load.queue.size()));
    } else if (name == "connections") {
      out.push_back(load.connections);
    } else if (name == "assigned_recent") {
      out.push_back(clamp(load.counts[kArrived] - load.step_assigned));
    } else if (name == "utilisation_pm" || name == "utilisation_recent_pm") {
      const double u = Utilisation(load, s, name == "utilisation_recent_pm");
      out.push_back(static_cast<uint32_t>(std::llround(u * 1000)));
    } else if (name == "p99_us") {
      out.push_back(clamp(static_cast<uint64_t>(lanes_[lane].server_latency[s].Percentile(990))));
    } else {
      return {};
    }
  }
  return out;
}

}  // namespace sdp

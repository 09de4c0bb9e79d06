// The architecture sim's ops: building and checking the wiring, traffic,
// faults, advancing time, and the estimate that step 9 verifies.
#include <algorithm>

#include "architecture/params.h"
#include "sdp/architecture_sim.h"
#include "sdp/estimator_sim.h"
#include "sdp/step_budget.h"

namespace sdp {

using architecture::Kind;
using architecture::Station;

ArchitectureSim::ArchitectureSim(uint64_t seed, SimTime slo, std::string problem)
    : rng_(seed), events_(200), slo_(slo), problem_(std::move(problem)) {}

int ArchitectureSim::Find(const std::string& id) const {
  for (size_t i = 0; i < components_.size(); ++i) {
    if (components_[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

Result<Json> ArchitectureSim::Apply(const std::string& op, const Json& args) {
  if (op == "component_add") return AddComponent(args);
  if (op == "component_remove") return RemoveComponent(args["id"]);
  if (op == "connect") return Connect(args["from"], args["to"]);
  if (op == "disconnect") return Disconnect(args["from"], args["to"]);
  if (op == "traffic") return Traffic(args["rps"].get<double>(), args.value("mix", read_share_));
  if (op == "fault") return Fault(args["component"], args["kind"]);
  if (op == "advance") return Advance(args["ms"].get<int64_t>() * kMicrosPerMilli);
  if (op == "estimate") return EstimateOp(args);
  if (op == "worksheet") {
    const int64_t step = args["step"].get<int64_t>();
    answers_[static_cast<size_t>(step - 1)] = args["text"].get<std::string>();
    return Json{{"step", step}, {"chars", answers_[static_cast<size_t>(step - 1)].size()}};
  }
  return Status::Invalid("unknown op " + op);
}

Result<Json> ArchitectureSim::AddComponent(const Json& args) {
  const std::string& id = args["id"].get_ref<const std::string&>();
  Kind kind;
  if (!architecture::ParseKind(args["kind"].get<std::string>(), &kind)) {
    std::string names;
    for (const std::string& n : architecture::KindNames()) names += (names.empty() ? "" : ", ") + n;
    return Status::Invalid("component_add: field \"kind\" must be one of " + names + " (got \"" +
                           args["kind"].get<std::string>().substr(0, 40) + "\")");
  }
  if (Find(id) >= 0) return Status::Invalid("component_add: field \"id\": \"" + id + "\" is already taken; ids are unique");
  if (components_.size() >= kMaxComponents) {
    return Status::Invalid("component_add: at most " + std::to_string(kMaxComponents) + " components");
  }
  const Json params = args.value("params", Json::object());
  Result<architecture::Params> parsed = architecture::ParseParams(kind, params);
  if (!parsed.ok()) return parsed.status();
  Component c;
  c.id = id;
  c.kind = kind;
  c.p = parsed.value();
  c.params = params;
  if (kind == Kind::kCache && c.p.keys > 0) {
    // The hit share of a cache that holds the `capacity` most popular of
    // `keys` keys whose popularity is Zipf(s): the sum of their probabilities.
    StepBudget::Charge(c.p.keys / 64 + 1);
    const Zipf zipf(c.p.keys, c.p.zipf_s);
    double share = 0;
    for (uint32_t k = 1; k <= c.p.capacity; ++k) share += zipf.Probability(k);
    c.p.hit_share = std::min(1.0, share);
  }
  const SimTime now = events_.now();
  auto station = [now](uint32_t servers) {
    Station s;
    s.servers = servers;
    s.last_change = now;
    return s;
  };
  if (kind == Kind::kService || kind == Kind::kSearchIndex) c.stations.push_back(station(c.p.replicas * c.p.concurrency));
  if (kind == Kind::kDatabase) {
    for (uint32_t i = 0; i <= c.p.read_replicas; ++i) c.stations.push_back(station(c.p.concurrency));
  }
  if (kind == Kind::kApiGateway && c.p.rate_limit_rps > 0) {
    c.limiter.emplace(TokenBucket::Params{c.p.burst, c.p.rate_limit_rps, 1000});
  }
  if (kind == Kind::kService && c.p.breaker) {
    // resilience4j's rules with a small window, so a run of seconds shows it.
    BreakerConfig cfg;
    cfg.sliding_window_size = 50;
    cfg.minimum_number_of_calls = 20;
    cfg.wait_duration_in_open_state = 5 * kMicrosPerSecond;
    cfg.slow_call_duration_threshold = static_cast<SimTime>(c.p.slow_call_ms * 1000 + 0.5);
    cfg.slow_call_rate_threshold = 50;
    c.breaker.emplace(cfg, now);
  }
  c.backlog_at = now;
  components_.push_back(std::move(c));
  if (kind == Kind::kClient) {
    // Every client's share changes with the number of clients.
    for (uint32_t i = 0; i < components_.size(); ++i) {
      Component& x = components_[i];
      if (x.kind != Kind::kClient) continue;
      if (x.arrival_pending) events_.Cancel(x.arrival_event);
      x.arrival_pending = false;
      x.next_arrival = static_cast<double>(now);
      ScheduleArrival(i);
    }
  }
  events_.Note("added " + std::string(architecture::KindName(kind)) + " " + id);
  Json added = Json{{"id", id}, {"kind", architecture::KindName(kind)}};
  if (kind == Kind::kCache || kind == Kind::kCdn) added["hit_share"] = components_.back().p.hit_share;
  return added;
}

Result<Json> ArchitectureSim::RemoveComponent(const std::string& id) {
  const int i = Find(id);
  if (i < 0) return Status::Invalid("component_remove: field \"id\": no component \"" + id + "\"");
  const auto k = static_cast<uint32_t>(i);
  // Requests in flight hold component indices; removing one under them
  // would need to decide their fate. Refuse instead and say how to drain it.
  for (const Request& r : requests_) {
    if (!r.live) continue;
    bool held = r.at == k;
    for (const auto& call : r.calls) held = held || call.first == k;
    if (held) {
      return Status::Invalid("component_remove: \"" + id + "\" has requests in flight; disconnect it from " +
                             "what feeds it (or set traffic to 0) and run a little first");
    }
  }
  Component& c = components_[k];
  if (c.kind == Kind::kClient && c.arrival_pending) events_.Cancel(c.arrival_event);
  const bool client = c.kind == Kind::kClient;
  components_.erase(components_.begin() + i);
  for (Component& x : components_) {
    x.out.erase(std::remove(x.out.begin(), x.out.end(), k), x.out.end());
    for (uint32_t& t : x.out) t -= t > k ? 1 : 0;
    x.cursor = 0;
  }
  for (Request& r : requests_) {
    if (!r.live) continue;
    r.at -= r.at > k ? 1 : 0;
    for (auto& call : r.calls) call.first -= call.first > k ? 1 : 0;
  }
  // Client arrival events carry their client's index: reschedule them all.
  (void)client;
  Traffic(rps_, read_share_).value();
  events_.Note("removed " + id);
  return Json{{"id", id}};
}

Result<Json> ArchitectureSim::Connect(const std::string& from, const std::string& to) {
  const int f = Find(from), t = Find(to);
  if (f < 0) return Status::Invalid("connect: field \"from\": no component \"" + from + "\"");
  if (t < 0) return Status::Invalid("connect: field \"to\": no component \"" + to + "\"");
  const Kind fk = components_[f].kind, tk = components_[t].kind;
  if (fk == Kind::kDatabase || fk == Kind::kQueue || fk == Kind::kSearchIndex) {
    return Status::Invalid("connect: field \"from\": \"" + from + "\" is a " + architecture::KindName(fk) +
                           ", where a request ends; it connects to nothing");
  }
  if (tk == Kind::kClient) return Status::Invalid("connect: field \"to\": \"" + to + "\" is a client; clients only send");
  const auto& out = components_[f].out;
  if (std::find(out.begin(), out.end(), static_cast<uint32_t>(t)) != out.end()) {
    return Status::Invalid("connect: \"" + from + "\" -> \"" + to + "\" is already connected");
  }
  if (components_[f].out.size() >= 16) return Status::Invalid("connect: field \"from\": at most 16 targets per component");
  uint32_t edges = 0;
  for (const Component& c : components_) edges += static_cast<uint32_t>(c.out.size());
  if (edges >= kMaxEdges) return Status::Invalid("connect: at most " + std::to_string(kMaxEdges) + " connections");
  // A cycle: `from` reachable from `to` already.
  std::vector<uint32_t> stack = {static_cast<uint32_t>(t)};
  std::vector<bool> seen(components_.size(), false);
  while (!stack.empty()) {
    const uint32_t x = stack.back();
    stack.pop_back();
    if (x == static_cast<uint32_t>(f)) {
      return Status::Invalid("connect: \"" + from + "\" -> \"" + to + "\" would make a cycle (\"" + to +
                             "\" already leads back to \"" + from + "\"); requests must flow one way");
    }
    if (seen[x]) continue;
    seen[x] = true;
    for (uint32_t y : components_[x].out) stack.push_back(y);
  }
  components_[f].out.push_back(static_cast<uint32_t>(t));
  events_.Note("connected " + from + " -> " + to);
  return Json{{"from", from}, {"to", to}};
}

Result<Json> ArchitectureSim::Disconnect(const std::string& from, const std::string& to) {
  const int f = Find(from), t = Find(to);
  if (f < 0) return Status::Invalid("disconnect: field \"from\": no component \"" + from + "\"");
  if (t < 0) return Status::Invalid("disconnect: field \"to\": no component \"" + to + "\"");
  auto& out = components_[f].out;
  auto it = std::find(out.begin(), out.end(), static_cast<uint32_t>(t));
  if (it == out.end()) return Status::Invalid("disconnect: \"" + from + "\" -> \"" + to + "\" is not connected");
  out.erase(it);
  components_[f].cursor = 0;
  events_.Note("disconnected " + from + " -> " + to);
  return Json{{"from", from}, {"to", to}};
}

Result<Json> ArchitectureSim::Traffic(double rps, double mix) {
  rps_ = rps;
  read_share_ = mix;
  for (uint32_t i = 0; i < components_.size(); ++i) {
    Component& c = components_[i];
    if (c.kind != Kind::kClient) continue;
    if (c.arrival_pending) events_.Cancel(c.arrival_event);
    c.arrival_pending = false;
    // Poisson arrivals are memoryless: restarting the gap now is exact.
    c.next_arrival = static_cast<double>(events_.now());
    ScheduleArrival(i);
  }
  events_.Note("traffic " + Json(rps).dump() + " rps, " + Json(mix).dump() + " reads");
  return Json{{"rps", rps}, {"mix", mix}};
}

Result<Json> ArchitectureSim::Fault(const std::string& id, const std::string& kind) {
  const int i = Find(id);
  if (i < 0) return Status::Invalid("fault: field \"component\": no component \"" + id + "\"");
  Component& c = components_[i];
  const char* k = architecture::KindName(c.kind);
  auto refuse = [&](const std::string& allowed) -> Status {
    return Status::Invalid("fault: field \"kind\": \"" + kind + "\" does not apply to " + id + " (a " + k + "); " +
                           allowed);
  };
  if (kind == "heal") {
    c.partitioned = c.slowed = c.spiked = false;
    for (Station& s : c.stations) {
      Touch(s);
      s.alive = true;
    }
    if (c.kind == Kind::kService) c.stations[0].servers = c.p.replicas * c.p.concurrency;
    c.killed = 0;
  } else if (kind == "spike") {
    if (c.kind != Kind::kClient) return refuse("spike applies to a client (5x its traffic)");
    c.spiked = true;
  } else if (kind == "slow") {
    if (c.stations.empty()) return refuse("slow applies to a service, database or search_index (service times x10)");
    c.slowed = true;
  } else if (kind == "partition") {
    if (c.kind == Kind::kClient) return refuse("partition applies to any component but a client");
    c.partitioned = true;
  } else if (kind == "kill_replica") {
    if (c.kind == Kind::kDatabase) {
      uint32_t victim = 0;
      for (uint32_t s = 1; s < c.stations.size(); ++s) {
        if (c.stations[s].alive) {
          victim = s;
          break;
        }
      }
      if (victim == 0) return refuse("every read replica of " + id + " is already down");
      Station& s = c.stations[victim];
      Touch(s);
      s.alive = false;
      // What waited there fails (a client would see its connection reset).
      StepBudget::Charge(s.waiting.size());
      while (!s.waiting.empty()) {
        const uint32_t req = s.waiting.front();
        s.waiting.pop_front();
        Fail(req, "replica killed");
      }
    } else if (c.kind == Kind::kService) {
      if (c.killed + 1 >= c.p.replicas) return refuse("one replica of " + id + " must stay up");
      Touch(c.stations[0]);
      c.stations[0].servers -= c.p.concurrency;
    } else {
      return refuse("kill_replica applies to a database (a read replica) or a service (one replica)");
    }
    ++c.killed;
  }
  if (c.kind == Kind::kClient) Traffic(rps_, read_share_).value();
  events_.Note("fault " + kind + " on " + id);
  return Json{{"component", id}, {"kind", kind}};
}

Status ArchitectureSim::CheckWiring() const {
  std::vector<bool> reached(components_.size(), false);
  std::vector<uint32_t> stack;
  for (uint32_t i = 0; i < components_.size(); ++i) {
    if (components_[i].kind == Kind::kClient) stack.push_back(i);
  }
  while (!stack.empty()) {
    const uint32_t x = stack.back();
    stack.pop_back();
    if (reached[x]) continue;
    reached[x] = true;
    for (uint32_t y : components_[x].out) stack.push_back(y);
  }
  for (uint32_t i = 0; i < components_.size(); ++i) {
    const Component& c = components_[i];
    if (!reached[i]) {
      return Status::Invalid("advance: component \"" + c.id + "\" (" + architecture::KindName(c.kind) +
                             ") is unreachable from any client; connect something to it or add a client");
    }
    const bool must_forward = c.kind == Kind::kClient || c.kind == Kind::kDns || c.kind == Kind::kCdn ||
                              c.kind == Kind::kApiGateway || c.kind == Kind::kLoadBalancer || c.kind == Kind::kCache;
    if (must_forward && c.out.empty()) {
      return Status::Invalid("advance: component \"" + c.id + "\" (" + architecture::KindName(c.kind) +
                             ") passes requests on but connects to nothing; connect it to what serves them");
    }
  }
  return Status::Ok();
}

Result<Json> ArchitectureSim::Advance(SimTime span) {
  SDP_RETURN_IF_ERROR(CheckWiring());
  // A new window: the stats of this advance alone.
  for (Component& c : components_) {
    c.window = architecture::Stats{};
    c.error_reasons.clear();
    for (Station& s : c.stations) {
      Touch(s);
      s.busy_area = s.queue_area = 0;
      s.max_waiting = static_cast<uint32_t>(s.waiting.size());
    }
  }
  e2e_window_ = architecture::Stats{};
  window_reads_ = window_writes_ = 0;
  window_start_ = events_.now();
  events_.AdvanceTo(events_.now() + span, this);
  for (Component& c : components_) {
    for (Station& s : c.stations) Touch(s);
    if (c.kind == Kind::kQueue) DrainBacklog(c);
  }
  window_end_ = events_.now();
  EvaluateAlerts();
  Json alerts = Json::array();
  for (const auto& a : alerts_) alerts.push_back(a.message);
  const double secs = static_cast<double>(span) / 1e6;
  return Json{{"time_ms", events_.now() / kMicrosPerMilli},
              {"completed", e2e_window_.completed},
              {"errors", e2e_window_.errors},
              {"throughput_rps", secs > 0 ? static_cast<double>(e2e_window_.completed) / secs : 0.0},
              {"p50_ms", static_cast<double>(e2e_window_.latency.Percentile(500)) / 1000.0},
              {"p99_ms", static_cast<double>(e2e_window_.latency.Percentile(990)) / 1000.0},
              {"alerts", alerts}};
}

Result<Json> ArchitectureSim::EstimateOp(const Json& args) {
  std::vector<std::string> defaulted;
  Result<estimator::Inputs> inputs = ParseEstimatorInputs(args.value("inputs", Json::object()), &defaulted);
  if (!inputs.ok()) return inputs.status();
  Result<estimator::Estimates> est = estimator::Estimate(inputs.value());
  if (!est.ok()) return est.status();
  Json values = Json::object(), text = Json::object(), formula = Json::object();
  for (const estimator::Output& o : est.value().outputs) {
    values[o.key] = estimator::ValueJson(o);
    text[o.key] = estimator::ValueText(o);
    formula[o.key] = o.formula;
  }
  object_bytes_ = inputs.value().object_bytes;
  replication_ = inputs.value().replication;
  peak_factor_milli_ = inputs.value().peak_factor_milli;
  estimate_ = Json{{"inputs", args.value("inputs", Json::object())}, {"values", values}, {"text", text},
                   {"formula", formula}};
  return Json{{"values", values}, {"text", text}};
}

}  // namespace sdp

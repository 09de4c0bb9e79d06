// How requests move through an architecture: arrivals at the clients, a
// fixed delay or a queueing station in each component, routing onward, and
// the end of each request (architecture_sim.h describes the model).
#include <algorithm>

#include "sdp/architecture_sim.h"
#include "sdp/step_budget.h"

namespace sdp {

using architecture::Kind;
using architecture::Station;

namespace {

constexpr double kSpikeFactor = 5;  // fault "spike": a client sends 5x its share
constexpr double kSlowFactor = 10;  // fault "slow": service times x10

// Where a request prefers to go among a component's targets (lower first):
// a write to a queue (asynchronous) before a database; a read to a cache,
// then a search index, then a database. -1: not a preferred target.
int Preference(Kind k, bool write) {
  if (write) return k == Kind::kQueue ? 0 : k == Kind::kDatabase ? 1 : -1;
  return k == Kind::kCache ? 0 : k == Kind::kSearchIndex ? 1 : k == Kind::kDatabase ? 2 : -1;
}

}  // namespace

double ArchitectureSim::ClientRate(const Component& c) const {
  uint32_t clients = 0;
  for (const Component& x : components_) clients += x.kind == Kind::kClient ? 1 : 0;
  if (clients == 0) return 0;
  return rps_ / clients * (c.spiked ? kSpikeFactor : 1);
}

void ArchitectureSim::ScheduleArrival(uint32_t client) {
  Component& c = components_[client];
  const double rate = ClientRate(c);
  if (rate <= 0) return;
  // The exact arrival time is kept as a double: rounding every gap would
  // bias short gaps (the load_balancer's RequestSource does the same).
  const double gap = rng_.Exponential(1e6 / rate);
  c.next_arrival += gap;
  const SimTime at = std::max(events_.now(), static_cast<SimTime>(c.next_arrival));
  c.arrival_event = events_.ScheduleAt(at, "", EventQueue::For<ArchitectureSim>([client](ArchitectureSim& s) {
    s.OnArrival(client);
  }));
  c.arrival_pending = true;
}

void ArchitectureSim::OnArrival(uint32_t client) {
  components_[client].arrival_pending = false;
  uint32_t req;
  if (free_requests_.empty()) {
    req = static_cast<uint32_t>(requests_.size());
    requests_.emplace_back();
  } else {
    req = free_requests_.back();
    free_requests_.pop_back();
  }
  Request& r = requests_[req];
  r.start = events_.now();
  r.write = !rng_.Bernoulli(read_share_);
  r.calls.clear();
  r.live = true;
  ++e2e_window_.arrived;
  ++e2e_total_.arrived;
  ++(r.write ? window_writes_ : window_reads_);
  ScheduleArrival(client);
  Enter(req, client);
}

void ArchitectureSim::Enter(uint32_t req, uint32_t comp) {
  // One unit per component visited, beside the kernel's one per event: a
  // visit costs about an event's work again (routing, stats, a histogram),
  // so the budget stops a step near 1 s natively (bench/step_budget.md).
  StepBudget::Charge(1);
  Request& r = requests_[req];
  Component& c = components_[comp];
  r.at = comp;
  r.entered = events_.now();
  ++c.inside;
  ++c.window.arrived;
  ++c.total.arrived;
  if (c.partitioned && c.kind != Kind::kCache) return Fail(req, "partitioned: unreachable");
  const SimTime latency = static_cast<SimTime>(c.p.latency_ms * 1000 + 0.5);
  switch (c.kind) {
    case Kind::kClient:
      return Forward(req);
    case Kind::kDns:
    case Kind::kLoadBalancer:
      return AfterDelay(req, latency, true);
    case Kind::kCdn:
    case Kind::kCache: {
      bool hit = false;
      if (!r.write && !c.partitioned) hit = rng_.Bernoulli(c.p.hit_share);
      return AfterDelay(req, latency, !hit);
    }
    case Kind::kApiGateway:
      if (c.limiter && !c.limiter->Hit(events_.now() / kMicrosPerMilli, 1).allowed) {
        return Fail(req, "rate limited (429)");
      }
      return AfterDelay(req, latency, true);
    case Kind::kQueue:
      DrainBacklog(c);
      c.backlog += 1;
      ++c.enqueued;
      return AfterDelay(req, latency, false);
    case Kind::kService:
    case Kind::kSearchIndex:
      return Enqueue(req, comp, 0);
    case Kind::kDatabase: {
      uint32_t station = 0;
      if (!r.write) {
        const uint32_t n = static_cast<uint32_t>(c.stations.size()) - 1;
        for (uint32_t i = 0; i < n; ++i) {
          const uint32_t pick = 1 + (c.cursor++ % n);
          if (c.stations[pick].alive) {
            station = pick;
            break;
          }
        }
      }
      return Enqueue(req, comp, station);
    }
    case Kind::kCount:
      break;
  }
  SDP_CHECK(false);
}

void ArchitectureSim::AfterDelay(uint32_t req, SimTime delay, bool forward) {
  events_.ScheduleIn(delay, "", EventQueue::For<ArchitectureSim>([req, forward](ArchitectureSim& s) {
    if (forward) return s.Forward(req);
    s.Leave(req);
    s.Finish(req, true);
  }));
}

void ArchitectureSim::Touch(Station& s) {
  const SimTime dt = events_.now() - s.last_change;
  s.busy_area += static_cast<int64_t>(s.busy) * dt;
  s.queue_area += static_cast<int64_t>(s.waiting.size()) * dt;
  s.last_change = events_.now();
}

void ArchitectureSim::Enqueue(uint32_t req, uint32_t comp, uint32_t station) {
  Component& c = components_[comp];
  Station& s = c.stations[station];
  if (!s.alive || s.servers == 0) return Fail(req, "no replica alive");
  if (s.busy < s.servers) return StartService(req, comp, station);
  if (s.waiting.size() >= c.p.max_queue) return Fail(req, "queue full (max_queue " + std::to_string(c.p.max_queue) + ")");
  Touch(s);
  s.waiting.push_back(req);
  s.max_waiting = std::max<uint32_t>(s.max_waiting, static_cast<uint32_t>(s.waiting.size()));
}

void ArchitectureSim::StartService(uint32_t req, uint32_t comp, uint32_t station) {
  Component& c = components_[comp];
  Station& s = c.stations[station];
  Touch(s);
  ++s.busy;
  Request& r = requests_[req];
  r.station = station;
  double mean_ms = c.p.service_ms;
  if (c.kind == Kind::kDatabase) mean_ms = r.write ? c.p.write_ms : c.p.read_ms;
  if (c.slowed) mean_ms *= kSlowFactor;
  const double us = c.p.fixed ? mean_ms * 1000 : rng_.Exponential(mean_ms * 1000);
  events_.ScheduleIn(static_cast<SimTime>(us + 0.5), "",
                     EventQueue::For<ArchitectureSim>([req](ArchitectureSim& sim) { sim.OnServed(req); }));
}

void ArchitectureSim::OnServed(uint32_t req) {
  const Request& r = requests_[req];
  const uint32_t comp = r.at;
  Station& s = components_[comp].stations[r.station];
  Touch(s);
  --s.busy;
  if (!s.waiting.empty() && s.busy < s.servers && s.alive) {
    const uint32_t next = s.waiting.front();
    s.waiting.pop_front();
    StartService(next, comp, r.station);
  }
  if (components_[comp].kind == Kind::kService) return Forward(req);
  Leave(req);
  Finish(req, true);
}

void ArchitectureSim::Leave(uint32_t req) {
  const Request& r = requests_[req];
  Component& c = components_[r.at];
  --c.inside;
  ++c.window.completed;
  ++c.total.completed;
  c.window.latency.Add(events_.now() - r.entered);
  c.window.latency_sum += events_.now() - r.entered;
}

void ArchitectureSim::Forward(uint32_t req) {
  const uint32_t comp = requests_[req].at;
  Component& c = components_[comp];
  if (c.out.empty()) {
    Leave(req);
    return Finish(req, true);
  }
  const uint32_t target = Route(comp, requests_[req].write);
  if (c.breaker) {
    if (c.breaker->TryAcquirePermission(events_.now()) != CircuitBreaker::Decision::kPermitted) {
      return Fail(req, "circuit breaker open");
    }
    requests_[req].calls.emplace_back(comp, events_.now());
  }
  Leave(req);
  Enter(req, target);
}

uint32_t ArchitectureSim::Route(uint32_t comp, bool write) {
  Component& c = components_[comp];
  const uint32_t n = static_cast<uint32_t>(c.out.size());
  if (c.kind == Kind::kLoadBalancer) {
    switch (c.p.policy) {
      case LbAlgorithm::kRandom:
        return c.out[rng_.Below(n)];
      case LbAlgorithm::kLeastConnections: {
        // Ties go to the next in rotation, so equal targets share the load.
        uint32_t best = c.out[c.cursor % n];
        for (uint32_t i = 1; i < n; ++i) {
          const uint32_t t = c.out[(c.cursor + i) % n];
          if (components_[t].inside < components_[best].inside) best = t;
        }
        ++c.cursor;
        return best;
      }
      case LbAlgorithm::kPowerOfTwoChoices: {
        const uint32_t a = c.out[rng_.Below(n)];
        const uint32_t b = c.out[rng_.Below(n)];
        return components_[b].inside < components_[a].inside ? b : a;
      }
      default:
        return c.out[c.cursor++ % n];
    }
  }
  int best = -1, best_rank = 99;
  for (uint32_t t : c.out) {
    const int rank = Preference(components_[t].kind, write);
    if (rank >= 0 && rank < best_rank) {
      best = static_cast<int>(t);
      best_rank = rank;
    }
  }
  if (best >= 0) return static_cast<uint32_t>(best);
  return c.out[c.cursor++ % n];
}

void ArchitectureSim::Finish(uint32_t req, bool ok) {
  Request& r = requests_[req];
  const SimTime now = events_.now();
  if (ok) {
    ++e2e_window_.completed;
    ++e2e_total_.completed;
    e2e_window_.latency.Add(now - r.start);
    e2e_total_.latency.Add(now - r.start);
    e2e_window_.latency_sum += now - r.start;
    e2e_total_.latency_sum += now - r.start;
  } else {
    ++e2e_window_.errors;
    ++e2e_total_.errors;
  }
  for (const auto& [svc, start] : r.calls) components_[svc].breaker->OnResult(now, now - start, !ok);
  r.calls.clear();
  r.live = false;
  free_requests_.push_back(req);
}

void ArchitectureSim::Fail(uint32_t req, const std::string& reason) {
  Component& c = components_[requests_[req].at];
  --c.inside;
  ++c.window.errors;
  ++c.total.errors;
  auto it = std::find_if(c.error_reasons.begin(), c.error_reasons.end(),
                         [&](const auto& e) { return e.first == reason; });
  if (it == c.error_reasons.end()) {
    c.error_reasons.emplace_back(reason, 1);
  } else {
    ++it->second;
  }
  Finish(req, false);
}

void ArchitectureSim::DrainBacklog(Component& c) {
  const double drained = c.p.consumer_rps * static_cast<double>(events_.now() - c.backlog_at) / 1e6;
  c.backlog = std::max(0.0, c.backlog - drained);
  c.backlog_at = events_.now();
}

}  // namespace sdp

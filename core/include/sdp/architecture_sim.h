// Simulation `architecture`: a runnable high-level design. The user adds
// components (client, dns, cdn, api_gateway, load_balancer, service, cache,
// database, queue, search_index), wires them, sets traffic, and advances
// simulated time; requests flow along the wiring on the kernel's EventQueue.
//
// Model (docs/design.md says where it simplifies):
//   - Each client sends Poisson arrivals; `traffic {rps, mix}` splits rps
//     evenly over the clients, `mix` is the share of reads (the rest writes).
//   - A request visits one component after another and ends where nothing
//     follows (or at a hit, or at a database / queue / search index). Its
//     end-to-end latency is the sum of the time spent in each component; the
//     way back is not modelled (responses are free).
//   - Delay components (dns, cdn, api_gateway, load_balancer, cache, queue's
//     append) add a fixed latency and never queue. Stations (service,
//     database primary and replicas, search_index) have `servers` parallel
//     slots, a FIFO queue of at most `max_queue`, and a seeded service time
//     (exponential by default, or fixed): M/M/c each.
//   - Routing: a load balancer picks among its targets by its policy (the
//     load_balancer sim's names: round_robin, random, least_connections,
//     power_of_two_choices). Every other component sends a write to a queue
//     (asynchronous) before a database, and a read to a cache, else a search
//     index, else a database, whatever the order of connection; with none of
//     those, round-robin over its targets. A database sends writes to its primary and reads to
//     its live read replicas in turn (the primary if none is left).
//   - Reused parts: TokenBucket (rate_limiters.h) is the gateway's limit,
//     CircuitBreaker (circuit_breaker.h) guards a service's calls onward,
//     LatencyHistogram gives p50/p99, Zipf gives a cache's hit ratio from key
//     popularity, estimator::Estimate the numbers step 9 verifies.
//   - Stats are per window: each `advance` starts a new one. Alert rules
//     (saturation > 80 %, error rate > 1 %, end-to-end p99 over the SLO,
//     consumer lag > 10 s) are evaluated at the end of each advance.
//
// Invariants: a refused op changes nothing (wiring errors - a cycle, a
// component no client reaches, a component that must forward with nowhere
// to go - are found before anything runs). Time is integer microseconds and
// every draw comes from the sim's one seeded Rng.
//
// Left out: the response path, connection setup, network distance between
// components, retries and timeouts, a queue's consumers as components.
#ifndef SDP_ARCHITECTURE_SIM_H_
#define SDP_ARCHITECTURE_SIM_H_

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "sdp/circuit_breaker.h"
#include "sdp/clone.h"
#include "sdp/event_queue.h"
#include "sdp/latency_histogram.h"
#include "sdp/load_balancer_sim.h"
#include "sdp/random.h"
#include "sdp/rate_limiters.h"
#include "sdp/simulation.h"

namespace sdp {

namespace architecture {

enum class Kind : uint8_t {
  kClient, kDns, kCdn, kApiGateway, kLoadBalancer, kService, kCache, kDatabase, kQueue, kSearchIndex, kCount
};
const char* KindName(Kind kind);
bool ParseKind(std::string_view name, Kind* out);
std::vector<std::string> KindNames();
// The params a kind accepts, each with its range and default (in `help`).
const std::vector<FieldSpec>& KindParams(Kind kind);

// Every kind's knobs; each kind reads only its own (KindParams).
struct Params {
  double latency_ms = 1;          // dns, cdn, api_gateway (auth), load_balancer, cache, queue (append)
  double hit_share = 0;           // cdn, cache: share of reads answered there
  uint32_t keys = 0;              // cache: > 0 derives hit_share from Zipf popularity
  uint32_t capacity = 0;          // cache: keys held (the most popular)
  double zipf_s = 1;              // cache: Zipf exponent
  int64_t rate_limit_rps = 0;     // api_gateway: 0 is no limit
  int64_t burst = 0;              // api_gateway: bucket size (0: one second's worth)
  LbAlgorithm policy = LbAlgorithm::kRoundRobin;
  bool l7 = false;                // load_balancer: L7 parses the request (costs more)
  uint32_t replicas = 1;          // service, search_index
  uint32_t concurrency = 1;       // per replica (database: per node)
  double service_ms = 10;         // service, search_index: mean service time
  bool fixed = false;             // service time fixed instead of exponential
  uint32_t max_queue = 1000;      // stations: waiting requests beyond this are dropped
  bool breaker = false;           // service: a circuit breaker on its calls onward
  double slow_call_ms = 1000;     // service's breaker: a call slower than this is slow
  uint32_t read_replicas = 0;     // database
  double read_ms = 2, write_ms = 5;  // database service times (means)
  double lag_ms = 0;              // database: replication lag (reported, reads may be stale)
  double consumer_rps = 1000;     // queue: what its consumers drain per second
};

// Counts for one window (or the whole run).
struct Stats {
  uint64_t arrived = 0;
  uint64_t completed = 0;  // left the component without error
  uint64_t errors = 0;
  LatencyHistogram latency;  // time spent in this component
  int64_t latency_sum = 0;   // us, for the mean (theory predicts means)
};

// One queueing station: `servers` parallel slots and a FIFO.
struct Station {
  uint32_t servers = 1;
  bool alive = true;
  uint32_t busy = 0;
  std::deque<uint32_t> waiting;  // request slots
  SimTime last_change = 0;
  int64_t busy_area = 0;   // busy slots x us, this window
  int64_t queue_area = 0;  // waiting requests x us, this window
  uint32_t max_waiting = 0;
};

struct Component {
  std::string id;
  Kind kind = Kind::kClient;
  Params p;
  nlohmann::json params;  // as given, for the snapshot
  std::vector<uint32_t> out;  // targets, in connect order
  std::vector<Station> stations;
  uint32_t inside = 0;  // requests in it now (least_connections reads this)
  uint32_t cursor = 0;  // round-robin position
  // Faults.
  bool partitioned = false, slowed = false, spiked = false;
  uint32_t killed = 0;
  std::optional<TokenBucket> limiter;
  std::optional<CircuitBreaker> breaker;
  // Client: its arrival process.
  double next_arrival = 0;  // exact time, us
  EventQueue::EventId arrival_event = 0;
  bool arrival_pending = false;
  // Queue: a fluid backlog drained at consumer_rps.
  double backlog = 0;
  SimTime backlog_at = 0;
  uint64_t enqueued = 0;
  Stats window, total;
  std::vector<std::pair<std::string, uint64_t>> error_reasons;  // this window
};

struct Request {
  SimTime start = 0;
  SimTime entered = 0;  // when it entered its current component
  bool write = false;
  bool live = false;    // in flight (not on the free list)
  uint32_t at = 0;      // component
  uint32_t station = 0;
  std::vector<std::pair<uint32_t, SimTime>> calls;  // (service with a breaker, call start)
};

struct Alert {
  std::string rule;       // saturation, error_rate, p99_slo, consumer_lag
  std::string component;  // "" for end to end
  double value = 0;
  double threshold = 0;
  std::string message;
};

}  // namespace architecture

class ArchitectureSim : public Cloneable<ArchitectureSim, Simulation> {
 public:
  static constexpr uint32_t kMaxComponents = 24;
  static constexpr uint32_t kMaxEdges = 64;

  ArchitectureSim(uint64_t seed, SimTime slo, std::string problem);

  Result<Json> Apply(const std::string& op, const Json& args) override;
  Json Snapshot(Detail detail) const override;
  uint64_t Work() const override { return events_.executed(); }

 private:
  using Component = architecture::Component;
  using Request = architecture::Request;

  Result<Json> AddComponent(const Json& args);
  Result<Json> RemoveComponent(const std::string& id);
  Result<Json> Connect(const std::string& from, const std::string& to);
  Result<Json> Disconnect(const std::string& from, const std::string& to);
  Result<Json> Traffic(double rps, double mix);
  Result<Json> Fault(const std::string& component, const std::string& kind);
  Result<Json> Advance(SimTime span);
  Result<Json> EstimateOp(const Json& args);
  Status CheckWiring() const;
  int Find(const std::string& id) const;

  // The flow (architecture_flow.cpp).
  void ScheduleArrival(uint32_t client);
  void OnArrival(uint32_t client);
  void Enter(uint32_t req, uint32_t comp);
  void AfterDelay(uint32_t req, SimTime delay, bool forward);
  void Enqueue(uint32_t req, uint32_t comp, uint32_t station);
  void StartService(uint32_t req, uint32_t comp, uint32_t station);
  void OnServed(uint32_t req);
  void Leave(uint32_t req);
  void Forward(uint32_t req);
  void Finish(uint32_t req, bool ok);
  void Fail(uint32_t req, const std::string& reason);
  uint32_t Route(uint32_t comp, bool write);
  void Touch(architecture::Station& s);
  void DrainBacklog(Component& c);
  double ClientRate(const Component& c) const;

  // The report (architecture_report.cpp).
  Json ComponentJson(const Component& c) const;
  void EvaluateAlerts();
  Json VerifyJson() const;

  Rng rng_;
  EventQueue events_;
  SimTime slo_;
  std::vector<Component> components_;
  std::vector<Request> requests_;
  std::vector<uint32_t> free_requests_;
  double rps_ = 0;
  double read_share_ = 0.9;
  SimTime window_start_ = 0;
  SimTime window_end_ = 0;
  architecture::Stats e2e_window_, e2e_total_;
  uint64_t window_reads_ = 0, window_writes_ = 0;
  std::vector<architecture::Alert> alerts_;
  std::vector<Json> pages_;  // every alert that fired, newest last (at most 200)
  uint64_t pages_total_ = 0;
  // The ten-step worksheet (sdp-design): the problem and one answer a step,
  // kept in the sim so that links, undo and export carry them.
  std::string problem_;
  std::vector<std::string> answers_ = std::vector<std::string>(10);
  std::optional<Json> estimate_;  // {"inputs", "values", "text"}
  uint64_t object_bytes_ = 1000, replication_ = 3, peak_factor_milli_ = 2000;
};

SimInfo ArchitectureSimInfo();

}  // namespace sdp

#endif  // SDP_ARCHITECTURE_SIM_H_

// Simulation `load_balancer`: clients -> balancer -> N servers, as discrete
// events, with ten balancing algorithms, L4 and L7 modes, active health
// checks, slow start, and a compare mode that runs two algorithms on the
// identical request stream in lockstep.
//
//   clients    `rps` requests per second, Poisson or bursty on/off (all of
//              the traffic in exponential ON periods of mean burst_on_ms,
//              none in OFF periods of mean burst_off_ms, the same long-run
//              rate), from `clients` client ids (uniform, or Zipf with
//              exponent client_skew). Each request carries a demand of mean 1:
//              exponential, lognormal or Pareto with squared coefficient of
//              variation cost_variance (capped at 1000).
//   servers    `workers` (c) and a FIFO queue of `queue_limit`; a full queue
//              answers 503 at once ("rejected"). A worker serves a request in
//              demand x workers / capacity seconds x the server's slow
//              factor, so `capacity` is requests per second with every
//              worker busy. A request whose time in system passes
//              `timeout_ms` is "timed_out": dropped when it reaches a worker
//              late, or answered too late (the server still did the work).
//              server_fail: the server stops; what it held is lost
//              ("failed") and it refuses connections until server_recover.
//   balancer   picks among the servers *in rotation*. A failed server stays
//              in rotation until `health_fall` consecutive checks (every
//              health_interval_ms; 0 = no active checks) have failed; a
//              recovered one returns after `health_rise` passes. A server
//              that returns (or is added) ramps its weight linearly from ~0
//              over slow_start_ms (HAProxy's slowstart; slow_start exists in
//              NGINX Plus only, open-source nginx rejects the parameter);
//              the ramp affects the weight-aware algorithms only, as NGINX
//              Plus refuses slow_start with hash, ip_hash and random.
//   L7 (mode)  a pick per request; a refused connection is retried on another
//              server, up to `retries` times (nginx proxy_next_upstream's
//              default: error and timeout, not 503); costs l7_overhead_us.
//              (nginx's own default has no retry limit but the number of
//              servers: proxy_next_upstream_tries 0.)
//   L4 (mode)  a pick per TCP connection. Each client holds one connection
//              and sends all its requests on it; it stays on its server
//              until the server fails or is removed, or connection_lifetime_ms
//              passes (0 = never): a connection opened before a server was
//              added never moves. A refused connection is retried on
//              another server, up to `retries` times, as nginx's stream proxy
//              does by default (proxy_next_upstream on); the load-aware
//              algorithms see connections, not requests; costs
//              l4_overhead_us.
//   The balancer's overhead is added to each request's latency; it is the
//   same constant for every request, so it shifts the timeline and changes
//   no queue.
//
// Algorithms (LbAlgorithmName): round_robin (a cursor over the rotation);
// weighted_round_robin (nginx's smooth WRR: every pick adds each server's
// effective weight to its current weight, takes the largest, first on a
// tie, and subtracts the total from it: weights 5,1,1 give a a b a c a a);
// sticky (client -> server table, new clients by round robin; a session whose
// server left rotation, or refused, moves and is counted); random;
// weighted_random; least_connections (fewest outstanding requests, L4: open
// connections, per unit of weight; a tie is split by smooth weighted round
// robin among the tied servers, as ngx_http_upstream_get_least_conn_peer
// does: weights 2,1 idle give a b a a b a); least_response_time (our own
// variant, not NGINX Plus least_time: smallest EWMA latency x (outstanding +
// 1) / weight, alpha = 0.2 per answer, a server with no answer yet scores 0
// and goes first, ties round robin); power_of_two_choices
// (two distinct servers at random, the less loaded; Mitzenmacher);
// ip_hash (nginx's, ngx_http_upstream_get_ip_hash_peer: client c has the
// IPv4 address LbClientAddress(c), its first three octets are hashed by
// NginxIpHash from 89, and hash % total weight walks the *configured*
// servers (removed ones excluded, failed ones included) by weight; when that
// server is out of rotation or already tried, only this client rehashes,
// continuing from the last hash; after 20 such tries, smooth weighted round
// robin over the rest); consistent_ip_hash (a ConsistentHashRing of the
// rotation, murmur3, 100 vnodes per server, weights ignored, client key
// "client-<id>"; a retry goes round robin over the servers not yet tried:
// our model).
//
// Results:
//   advance        {"time_ms", "during": [per lane {"algorithm", "arrived",
//                  "ok", "timed_out", "rejected", "failed", "no_server",
//                  "retried"}]}
//   algorithm      {"algorithm", "compare": name|null, "lanes"}
//   mode           {"mode", "connections_closed"}
//   server_add     {"server", "rotation", "remap"}; server_remove {"server",
//                  "rotation", "connections_closed", "remap"}; server_fail
//                  {"server", "lost": [per lane], "connections_broken",
//                  "in_rotation", "noticed_within_ms"}; server_recover
//                  {"server", "in_rotation", "back_within_ms"}; server_slow
//                  {"server", "factor"}
//   traffic / configure   {"traffic"} / {"config"}: the settings now
//   balls_into_bins {"n", "choices", "trials", "max_loads", "mean_max_load",
//                  "estimate" (ln n/ln ln n, or ln ln n/ln d), "one_choice"
//                  {"max_loads", "mean_max_load", "estimate"} for d >= 2}
//   remap = {"at_ms", "servers_before", "servers_after", "clients",
//            "ip_hash_moved", "consistent_moved", "ip_hash_expected",
//            "consistent_expected"} (expected = fractions a uniform hash
//            gives. ip_hash: when only the rotation changed (servers stay
//            configured), the weight share of the servers that left or came
//            back; when the configured list changed from total weight N to M
//            (servers added or removed at the end, weights 1), 1 -
//            min(N, M)/lcm(N, M). The ring: |N - M|/max(N, M))
// Snapshot:
//   {"time_ms", "mode", "config", "traffic", "rotation": count,
//    "servers": [{"id", "capacity", "workers", "queue_limit", "weight",
//       "weight_now" (slow start applied), "slow_factor", "up", "in_rotation",
//       "removed", "failed_checks", "passed_checks", "slow_start_left_ms"}]
//       in index order (removed ones stay, flagged),
//    "lanes": [one, or two in compare mode: {"algorithm", "totals":
//       {"arrived", "ok", "timed_out", "rejected", "failed", "no_server",
//        "retried", "waited", "sessions_moved", "connections_opened",
//        "connections_closed"}, "latency": {"mean_ms", "p50_ms", "p95_ms",
//        "p99_ms", "max_ms", "histogram" (kFull) {"lower_us", "count"}},
//       "spread": {"requests", "utilisation": {"min", "max", "mean",
//        "max_over_mean", "cv"}} over servers in rotation during the last
//       advance, "servers": [{"id", "assigned", "ok", "timed_out",
//        "rejected", "failed", "waited", "busy", "queue", "connections",
//        "utilisation", "utilisation_recent", "assigned_recent", "mean_ms",
//        "p50_ms", "p95_ms", "p99_ms", "ewma_ms"}], "series" (kFull)}],
//    "remap": last remap or null, "theory": null or (one server in rotation,
//       Poisson, exponential cost) {"lambda", "mu", "c", "rho", "p_wait",
//       "mean_ms"} beside lanes[i].totals.waited / assigned and mean_ms,
//    "log"}
// Column(): "series:<name>" (lane 0) and "series_b:<name>" (lane 1), names:
//   t_ms, p50_us, p99_us, counters arrived, ok, timed_out, rejected, failed,
//   no_server, retried, levels queued (max), busy (max), in_rotation (last),
//   max_server_queue (max). Per server, index order: "server:<name>" /
//   "server_b:<name>" with assigned, ok, timed_out, rejected, failed, busy,
//   queue, connections, assigned_recent, utilisation_pm,
//   utilisation_recent_pm, p99_us; cluster-wide "server:up",
//   "server:in_rotation", "server:weight_now_pm".
//
// Invariants: time is integer microseconds; the request stream has its own
// Rng and each lane another, all seeded from the seed, drawn in event order;
// a refused op changes nothing (every check precedes the first change);
// Work() counts a unit per arrival and answer per lane plus the servers a
// pick scans; one advance simulates at most kMaxRequestsPerStep requests.
//
// Speed: least_connections and least_response_time keep the lightest server
// in a segment tree (O(log n) a pick), smooth WRR replays its recorded period
// (O(1) a pick); both give exactly the picks of the plain O(n) scan, which
// still runs during retries and slow start.
//
// Passive check (max_fails > 0), as ngx_http_upstream_free_round_robin_peer
// and the get_peer functions do it, per lane: a refused connection counts a
// fail and marks the server checked now; a server with fails >= max_fails
// checked within fail_timeout is skipped; once fail_timeout has passed, a
// pick marks it checked again and lets one connection try it: accepted, the
// fails reset; refused, it is out for another fail_timeout. If every server
// in rotation is out, the fails reset and the request fails (nginx: 502).
// A lone configured server is never taken out (nginx: peers->single).
// nginx also lowers a failed server's effective weight for a while; not
// modelled.
//
// Simplified: the balancer itself never saturates; network time is zero
// besides the overhead; health checks are instantaneous probes of up/down
// (a slow server passes them); nothing is retried on 503 or timeout; the
// latency percentiles come from a log-linear histogram (within 6.25%).
#ifndef SDP_LOAD_BALANCER_SIM_H_
#define SDP_LOAD_BALANCER_SIM_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sdp/consistent_hash_ring.h"
#include "sdp/event_queue.h"
#include "sdp/latency_histogram.h"
#include "sdp/position_min_index.h"
#include "sdp/random.h"
#include "sdp/clone.h"
#include "sdp/simulation.h"
#include "sdp/time_series.h"

namespace sdp {

enum class LbAlgorithm : uint8_t {
  kRoundRobin,
  kWeightedRoundRobin,
  kSticky,
  kRandom,
  kWeightedRandom,
  kLeastConnections,
  kLeastResponseTime,
  kPowerOfTwoChoices,
  kIpHash,
  kConsistentIpHash,
  kCount
};
const char* LbAlgorithmName(LbAlgorithm algorithm);
bool ParseLbAlgorithm(std::string_view name, LbAlgorithm* out);
std::vector<std::string> LbAlgorithmNames();

enum class LbMode : uint8_t { kL4, kL7 };
enum class ArrivalPattern : uint8_t { kPoisson, kBursty };
enum class CostDistribution : uint8_t { kExponential, kLognormal, kPareto };

struct LbTraffic {
  double rps = 300;
  ArrivalPattern pattern = ArrivalPattern::kPoisson;
  SimTime burst_on = 500 * kMicrosPerMilli;
  SimTime burst_off = 1500 * kMicrosPerMilli;
  uint32_t clients = 100;
  double client_skew = 0;  // Zipf exponent over client ids; 0 = uniform
  CostDistribution cost = CostDistribution::kExponential;
  double cost_variance = 4;  // SCV of lognormal / Pareto demand
  SimTime connection_lifetime = 0;  // L4; 0 = connections live forever
};

struct LoadBalancerConfig {
  static constexpr uint32_t kMaxServers = 1000;
  uint32_t servers = 4;        // initial servers s1..sN
  double capacity = 100;       // requests/s per server with all workers busy
  uint32_t workers = 4;
  uint32_t queue_limit = 100;
  LbTraffic traffic;
  LbAlgorithm algorithm = LbAlgorithm::kRoundRobin;
  bool compare = false;
  LbAlgorithm compare_algorithm = LbAlgorithm::kLeastConnections;
  LbMode mode = LbMode::kL7;
  SimTime timeout = 2 * kMicrosPerSecond;
  uint32_t retries = 1;  // L7 only
  SimTime health_interval = 2 * kMicrosPerSecond;  // 0 = no active checks
  uint32_t health_fall = 3;
  uint32_t health_rise = 2;
  SimTime slow_start = 0;
  // nginx's passive check (server max_fails= fail_timeout=); 0 = off.
  uint32_t max_fails = 0;
  SimTime fail_timeout = 10 * kMicrosPerSecond;
  SimTime l4_overhead = 20;   // us per request
  SimTime l7_overhead = 200;  // us per request
  SimTime bucket = 250 * kMicrosPerMilli;
};

// Applies the fields present in `args` (config, `traffic` and `configure`
// names) to *config, all or nothing.
Status ApplyLoadBalancerFields(const Json& args, LoadBalancerConfig* config);
Json LoadBalancerConfigJson(const LoadBalancerConfig& config);
Json LbTrafficJson(const LbTraffic& traffic);

// nginx's ip_hash step (ngx_http_upstream_get_ip_hash_peer): from `hash`,
// hash = (hash * 113 + octet) % 6271 over the first three octets of the IPv4
// address `ipv4` (host order: the first octet is the top byte). A whole /24
// hashes alike. The first hash starts from kNginxIpHashStart; each rehash
// runs the same loop again from the last value.
constexpr uint32_t kNginxIpHashStart = 89;
uint32_t NginxIpHash(uint32_t hash, uint32_t ipv4);
// The IPv4 address the simulation gives client `client`: 10.0.0.1 +
// (client << 8), so every client has a /24 of its own.
uint32_t LbClientAddress(uint32_t client);

class RequestSource;

class LoadBalancerSim : public Cloneable<LoadBalancerSim, Simulation> {
 public:
  enum Outcome : uint32_t { kArrived, kOk, kTimedOut, kRejected, kFailed, kNoServer, kRetried, kOutcomes };
  static const char* OutcomeName(uint32_t outcome);
  static constexpr uint32_t kMaxSeriesBuckets = 2400;
  static constexpr double kMaxRequestsPerStep = 1e6;
  static constexpr uint32_t kMaxClients = 100000;
  static constexpr double kEwmaAlpha = 0.2;
  // Smooth WRR replays its period only when recording it costs at most this
  // many server visits (servers x period).
  static constexpr uint64_t kMaxWrrPeriodWork = 4000000;

  LoadBalancerSim(uint64_t seed, const LoadBalancerConfig& config);
  ~LoadBalancerSim() override;
  // Out of line: copying source_ needs RequestSource complete (Clone).
  LoadBalancerSim(const LoadBalancerSim&);

  Result<Json> Apply(const std::string& op, const Json& args) override;
  Json Snapshot(Detail detail) const override;
  uint64_t Work() const override { return work_; }
  std::vector<uint32_t> Column(std::string_view name) const override;

  // Runs events up to now + duration. Public for tests and the bench.
  void Advance(SimTime duration);
  SimTime now() const { return events_.now(); }
  const LoadBalancerConfig& config() const { return config_; }
  uint32_t lane_count() const { return static_cast<uint32_t>(lanes_.size()); }
  uint64_t total(uint32_t lane, uint32_t outcome) const { return lanes_[lane].totals[outcome]; }
  uint64_t events_executed() const { return events_.executed(); }
  // The server index ip_hash (or consistent_ip_hash) sends `client` to now;
  // -1 if none. REQUIRES: client < traffic.clients
  int32_t HashOwner(bool consistent, uint32_t client) const {
    return consistent ? ring_owner_[client] : ip_owner_[client];
  }

 private:
  struct Server {
    std::string id;
    double capacity;
    uint32_t workers;
    uint32_t queue_limit;
    uint32_t weight;
    double slow = 1;
    bool up = true;
    bool in_rotation = true;
    bool removed = false;
    uint32_t fails = 0;   // consecutive failed health checks
    uint32_t passes = 0;  // consecutive passed health checks
    SimTime ramp_start = -1;
    SimTime since = 0;  // added (or re-added)
  };
  struct Waiting {
    SimTime arrival;
    double demand;
  };
  struct Slot {
    SimTime arrival;
    SimTime finish;  // -1: free
    EventQueue::EventId event;
  };
  // What one lane (one balancer) knows and measured about one server.
  struct ServerLoad {
    std::deque<Waiting> queue;
    std::vector<Slot> slots;
    std::vector<uint32_t> free_slots;
    uint32_t busy = 0;
    // queue.size(), kept apart: std::deque's size() costs several loads, and
    // least_connections reads it for every server on every pick.
    uint32_t waiting = 0;
    uint32_t connections = 0;
    double ewma_us = 0;
    bool has_ewma = false;
    // nginx's peer->fails, ->checked, ->accessed (the passive check).
    uint32_t fails = 0;
    SimTime checked = 0;
    SimTime accessed = -1;
    uint64_t counts[kOutcomes] = {};  // kArrived = assigned here
    uint64_t waited = 0;
    uint64_t latency_sum_us = 0;
    int64_t busy_area = 0;  // worker-microseconds up to area_at
    SimTime area_at = 0;
    int64_t step_area = 0;  // at the start of the last advance
    uint64_t step_assigned = 0;
  };
  struct LightKey {
    uint64_t load = 0;
    uint64_t weight = 1;
    double cost = 0;  // least_response_time only
  };
  struct Lane {
    Lane(LbAlgorithm a, uint64_t seed, SimTime bucket);
    LbAlgorithm algorithm;
    Rng rng;
    std::vector<ServerLoad> servers;
    // Per server, apart from ServerLoad: the picks scan ServerLoads, and a
    // histogram inside each would spread them over kilobytes.
    std::vector<LatencyHistogram> server_latency;
    std::vector<int32_t> session;     // sticky: client -> server, -1 none
    std::vector<int32_t> connection;  // L4: client -> server, -1 none
    std::vector<SimTime> opened;      // L4: when the connection was opened
    uint32_t cursor = 0;
    // Smooth WRR's current weight by server: one dense array, because every
    // weighted_round_robin pick reads and writes all of them.
    std::vector<int64_t> wrr_current;
    // With constant weights smooth WRR repeats itself: from a state it
    // returns to, one period of picks is recorded once and replayed, so a
    // pick is O(1). wrr_current is then the state at the period's start;
    // MaterializeWrr() brings it to the real state before anything else
    // reads or changes it.
    std::vector<uint32_t> wrr_period;
    uint32_t wrr_next = 0;
    bool wrr_replaying = false;
    bool wrr_no_period = false;  // tried since the last change; not periodic
    // least_connections / least_response_time: the lightest server by
    // rotation position, so that a pick is O(log n), not a scan. Stale after
    // any op and any rotation change; rebuilt by the next pick that uses it.
    PositionMinIndex lightest;
    std::vector<LightKey> light_keys;  // by rotation position
    bool lightest_valid = false;
    bool light_by_load = false;  // least_connections, all weights equal
    uint64_t totals[kOutcomes] = {};
    uint64_t waited = 0;
    uint64_t sessions_moved = 0;
    uint64_t connections_opened = 0;
    uint64_t connections_closed = 0;
    uint64_t latency_sum_us = 0;
    uint32_t queued = 0;
    uint32_t busy = 0;
    LatencyHistogram latency;
    TimeSeries series;
  };
  // The servers one request has tried, and ip_hash's state across them (as
  // nginx keeps it in ngx_http_upstream_ip_hash_peer_data_t).
  struct Tried {
    uint32_t n = 0;
    uint32_t s[4] = {};
    uint32_t hash = kNginxIpHashStart;
    uint32_t hash_tries = 0;
    bool hash_started = false;
    bool Has(uint32_t server) const;
  };
  static constexpr uint32_t kIpHashMaxTries = 20;
  static constexpr int32_t kAllFailed = -2;  // Pick: every server out by the passive check

  // Model (load_balancer_sim.cpp).
  void ScheduleArrival();
  void OnArrival();
  void Route(uint32_t lane, SimTime at, uint32_t client, double demand);
  void Deliver(uint32_t lane, uint32_t server, SimTime at, double demand);
  void Start(uint32_t lane, uint32_t server, SimTime arrival, double demand);
  void Serve(uint32_t lane, uint32_t server);  // takes queued requests to free workers
  void Complete(uint32_t packed);
  void ScheduleCompletion(uint32_t lane, uint32_t server, uint32_t slot);
  // server < 0: the request never reached one.
  void Count(uint32_t lane, int32_t server, uint32_t outcome, uint32_t n = 1);
  void RecordLatency(Lane& lane, uint32_t server, SimTime latency, bool in_time);
  void UpdateArea(ServerLoad& load, SimTime now);
  void ScheduleHealthCheck();
  void OnHealthCheck();
  // Stops a server: what it held is lost. Returns per lane what was lost.
  std::vector<uint64_t> StopServer(uint32_t server);
  // L4: the clients reconnect on their next request. Per lane.
  std::vector<uint64_t> CloseConnectionsTo(uint32_t server);
  void RecordLevels(Lane& lane, uint32_t server);
  void CancelLaneEvents(Lane& lane);
  void RescheduleLaneEvents(uint32_t lane);
  SimTime Overhead() const;

  // Picking (load_balancer_pick.cpp).
  int32_t Pick(uint32_t lane, uint32_t client, Tried& tried);
  // The passive check: a server with fails >= max_fails within
  // fail_timeout of its last check is skipped by every algorithm.
  bool PassiveOut(const Lane& lane, uint32_t server) const;
  // After a pick of `server` that was refused (ok = false) or accepted.
  void PassiveResult(Lane& lane, uint32_t server, bool ok);
  // ip_hash's walk: the server nginx's loop stops at, from tried->hash,
  // skipping servers out by `lane`'s passive check (none if null); -1 when it
  // gives up (more than 20 tries, or fewer than 2 configured servers) and
  // round robin decides.
  int32_t IpHashWalk(const Lane* lane, uint32_t client, Tried* tried) const;
  // least_connections: among the servers tied with `best` (candidates from
  // position `from`), smooth weighted round robin decides.
  int32_t LeastConnTie(Lane& lane, const std::vector<uint32_t>& c, uint32_t from);
  int64_t EffectiveWeight(uint32_t server) const;  // per mille of a weight unit
  uint64_t LoadOf(const ServerLoad& load) const;
  // What least_connections / least_response_time compare (see Pick).
  LightKey KeyOf(const Lane& lane, uint32_t server) const;
  static bool KeyLess(const Lane& lane, const LightKey& a, const LightKey& b);
  // KeyLess on rotation positions, ties to the lower position: the strict
  // total order of the lane's index.
  static bool Better(const Lane& lane, uint32_t a, uint32_t b);
  bool UsesLightestIndex(const Lane& lane) const;
  // A server's load changed: keeps the lane's index current.
  void Reindex(Lane& lane, uint32_t server);
  void InvalidateIndexes();
  int32_t PickWeightedRoundRobin(Lane& lane, const std::vector<uint32_t>& candidates);
  int32_t SmoothWrrStep(Lane& lane, const std::vector<uint32_t>& candidates);
  void MaterializeWrr(Lane& lane);
  // Rebuilds the rotation, the ring and the hash owner tables; returns the
  // remap report when the rotation changed.
  Json UpdateRotation();
  void RebuildClientTables();
  void ResizeClients(uint32_t clients);

  // Ops (load_balancer_ops.cpp).
  Result<Json> SetAlgorithm(const Json& args);
  Result<Json> SetMode(const Json& args);
  Result<Json> ServerAdd(const Json& args);
  Result<Json> ServerRemove(const Json& args);
  Result<Json> ServerFail(const Json& args);
  Result<Json> ServerRecover(const Json& args);
  Result<Json> ServerSlow(const Json& args);
  Result<Json> SetTraffic(const Json& args);
  Result<Json> Configure(const Json& args);
  Result<Json> BallsIntoBins(const Json& args);
  Result<Json> AdvanceOp(const Json& args);
  Result<uint32_t> FindServer(std::string_view op, const Json& args) const;
  void AddServer(std::string id, double capacity, uint32_t workers, uint32_t weight, uint32_t queue_limit);

  // Output (load_balancer_output.cpp).
  Json LaneJson(const Lane& lane, Detail detail) const;
  Json ServerJson(uint32_t server) const;
  Json TheoryJson() const;
  double Utilisation(const ServerLoad& load, uint32_t server, bool recent) const;

  LoadBalancerConfig config_;
  uint64_t seed_;
  EventQueue events_;
  DeepPtr<RequestSource> source_;
  std::vector<Server> servers_;
  std::vector<Lane> lanes_;
  std::vector<uint32_t> rotation_;  // indices of servers in rotation, ascending
  std::vector<int64_t> weight_pm_;  // server -> weight x 1000, dense for the WRR loop
  std::vector<int32_t> rotation_pos_;  // server -> its position in rotation_, -1 if out
  std::vector<uint32_t> scratch_;
  ConsistentHashRing ring_;
  std::vector<uint32_t> client_position_;
  std::vector<int32_t> ip_owner_;    // client -> server under ip_hash
  std::vector<uint32_t> ip_hash_after_;   // client -> its hash after that pick
  std::vector<uint32_t> ip_tries_after_;  // client -> its tries after that pick
  // ip_hash's configured servers (not removed), in index order, with the
  // running sum of their weights: hash % total walks it.
  std::vector<uint32_t> configured_;
  std::vector<uint64_t> configured_end_;  // cumulative weight
  std::vector<int32_t> ring_owner_;  // client -> server under consistent_ip_hash
  Json last_remap_;
  SimTime step_start_ = 0;

  EventQueue::EventId arrival_event_ = 0;
  bool arrival_pending_ = false;
  SimTime next_at_ = 0;
  uint32_t next_client_ = 0;
  double next_demand_ = 0;
  EventQueue::EventId health_event_ = 0;
  bool health_pending_ = false;
  uint64_t work_ = 0;
};

SimInfo LoadBalancerSimInfo();


}  // namespace sdp

#endif  // SDP_LOAD_BALANCER_SIM_H_

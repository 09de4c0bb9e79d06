// Simulation `rate_limiter`: six limiters side by side on one request trace.
//
// Every hit (a key, a time in ms, a quantity) goes to all six algorithms of
// rate_limiters.h, each with its own parameters and its own state per key:
// token_bucket, leaky_bucket (nginx limit_req), fixed_window, sliding_log,
// sliding_counter (Cloudflare) and gcra (redis-cell). For each algorithm the
// sim records every decision (Column data for a timeline), totals, and two
// measurements:
//   - the sliding-window peak: the most units it admitted in any window of
//     its own window_ms (for nginx: by served time, arrival + delay), beside
//     its `limit`. Only sliding_log is guaranteed to stay within it.
//   - how many of its decisions differ from sliding_log's on the same hits
//     (wrongly allowed / wrongly limited, taking the exact log as truth).
// For sliding_counter also Cloudflare's own measure (SlidingCounterAudit):
// how often its estimate misjudges the exact sliding count when every
// request is counted, i.e. the approximation without feedback.
//
// Invariants: time never goes backwards (a hit before `now` is refused, the
// message names at_ms); a refused op changes nothing (all checks happen
// before the first change); the trace holds at most kMaxHits hits and
// kMaxKeys keys; Work() counts one unit per limiter decision.
//
// Simplified: limiters see hits in trace order with no processing time; a
// request nginx delays is still "allowed" at its arrival (delay_ms says how
// long nginx would hold it); keys are never forgotten (nginx and redis expire
// idle ones, which changes nothing observable here except nginx's rounding
// noted in docs/rate_limiter.md); `limiter` restarts one algorithm from
// empty state instead of replaying the trace.
#ifndef SDP_RATE_LIMITER_SIM_H_
#define SDP_RATE_LIMITER_SIM_H_

#include <array>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sdp/random.h"
#include "sdp/rate_limiters.h"
#include "sdp/clone.h"
#include "sdp/simulation.h"
#include "sdp/window_peak.h"

namespace sdp {

class RateLimiterSim : public Cloneable<RateLimiterSim, Simulation> {
 public:
  static constexpr uint32_t kMaxHits = 200000;
  static constexpr uint32_t kMaxKeys = 1000;
  // Hit times fit the uint32 columns (about 46 days).
  static constexpr int64_t kMaxTimeMs = 4000000000;
  // burst / traffic results list per-hit detail up to this many hits.
  static constexpr uint32_t kDetailHits = 100;

  // `algorithm` is ignored: the same numbers seed all six.
  using Config = LimiterSpec;

  RateLimiterSim(uint64_t seed, const Config& config);

  Result<Json> Apply(const std::string& op, const Json& args) override;
  Json Snapshot(Detail detail) const override;
  uint64_t Work() const override { return work_; }
  // hit_time_ms, hit_key (key index), hit_qty; allowed:<algorithm> (0/1),
  // used_milli:<algorithm> (fill level after the hit, 1/1000 request),
  // delay_ms (nginx's delay per hit).
  std::vector<uint32_t> Column(std::string_view name) const override;

  int64_t now_ms() const { return now_ms_; }
  uint64_t hits() const { return hit_time_.size(); }

 private:
  struct Lane {  // one algorithm
    LimiterSpec spec;
    std::vector<DeepPtr<Limiter>> per_key;
    std::vector<WindowPeak> peaks;  // per key
    uint64_t allowed = 0, rejected = 0, delayed = 0;
    uint64_t wrongly_allowed = 0, wrongly_limited = 0;  // vs sliding_log
    bool has_last = false;
    Decision last;
    std::vector<uint8_t> allowed_bits;  // per hit
    std::vector<uint32_t> used_milli;   // per hit
  };

  Result<Json> Hit(const Json& args);
  Result<Json> Burst(const Json& args);
  Result<Json> Traffic(const Json& args);
  Result<Json> SetLimiter(const Json& args);
  Result<Json> Advance(int64_t ms);

  // Checks that `count` more hits for `key` at `at_ms` (and up to `last_ms`)
  // fit: time order, time range, trace and key caps.
  Status CheckRoom(const char* op, const std::string& key, int64_t at_ms, int64_t last_ms,
                   uint64_t count) const;
  uint32_t KeyIndex(const std::string& key);  // creates it; REQUIRES room
  // Applies one hit to every lane; returns each lane's decision.
  std::array<Decision, kAlgorithmCount> Process(uint32_t key, int64_t at_ms, int64_t qty);
  // The per-algorithm summary of the hits [first, hits()) just processed.
  Json RunSummary(uint64_t first) const;
  Json DecisionJson(uint32_t lane, const Decision& d) const;
  Json LaneJson(uint32_t lane, Detail detail) const;
  void ResetLane(uint32_t lane);

  Config config_;
  Rng rng_;
  int64_t now_ms_ = 0;
  std::vector<std::string> key_names_;
  std::map<std::string, uint32_t> key_index_;
  int64_t last_key_ = -1;
  std::array<Lane, kAlgorithmCount> lanes_;
  // Per key, with sliding_counter's parameters: Cloudflare's measure (as we read it) of the
  // approximation (every request counted, no feedback).
  std::vector<SlidingCounterAudit> audits_;
  // nginx's LRU queue of the leaky_bucket lane's nodes, least recent first
  // (ngx_http_limit_req_shctx_t.queue), and each key's place in it.
  // A copy (a cloned sim) points each key's iterator into its own list.
  struct NginxLru {
    std::list<uint32_t> order;
    std::vector<std::list<uint32_t>::iterator> pos;  // valid if in
    std::vector<uint8_t> in;
    NginxLru() = default;
    NginxLru(const NginxLru& other) : order(other.order), pos(other.pos.size()), in(other.in) {
      for (auto it = order.begin(); it != order.end(); ++it) pos[*it] = it;
    }
    NginxLru& operator=(const NginxLru& other) {
      if (this != &other) *this = NginxLru(other);
      return *this;
    }
    NginxLru(NginxLru&&) = default;  // list iterators survive a move
    NginxLru& operator=(NginxLru&&) = default;
  };
  NginxLru nginx_;
  uint64_t nginx_forgotten_ = 0;
  void NginxLookup(uint32_t key, int64_t at_ms);
  void NginxTouch(uint32_t key);
  std::vector<uint32_t> hit_time_, hit_key_, hit_qty_, delay_ms_;
  Json last_gcra_reply_ = nullptr;  // CL.THROTTLE reply to the last hit
  uint64_t work_ = 0;
};

SimInfo RateLimiterSimInfo();

}  // namespace sdp

#endif  // SDP_RATE_LIMITER_SIM_H_

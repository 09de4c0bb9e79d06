// Simulation `gossip`: how one update spreads through 2-10,000 nodes by
// anti-entropy or rumour mongering (Demers et al. 1987), round by round, and
// what it costs: informed fraction, messages, and the residue (live nodes
// never informed once a rumour has died out).
//
// The seed's warning ("to prevent some nodes from not getting, we gossip
// through a few nodes") made visible: pure rumour mongering leaves a residue
// that falls exponentially with k and the traffic (s = e^{-m} for push);
// switching to anti-entropy afterwards reaches every live node.
//
// Ops: nodes, strategy, inject, round, run, crash, loss, trials (many fresh
// epidemics averaged: the paper's tables). Every op does bounded work: a
// step makes at most kMaxStepContacts contacts and stops (saying so) before
// a round would exceed them.
//
// Invariants: integer counts throughout; fractions are ratios of them;
// theory uses the deterministic DetExp/DetPow; every random draw comes from
// the sim's seeded Rng in a fixed order; a refused op changes nothing.
//
// Membership mode (ops membership, kill, advance): the same nodes run a
// failure detector, heartbeat gossip or SWIM (sdp/gossip/membership.h), on
// the event queue in integer milliseconds; the snapshot's `membership`
// says how each killed node's death spread and how many live nodes were
// declared dead by mistake.
//
// Timing (field `timing`): `rounds` (the paper's synchronous rounds, ops
// round / run) or `async` (sdp/gossip/async_epidemic.h: each node on its own
// jittered timer, messages with a seeded delay, on the kernel's event
// queue); in async, `advance {ms}` moves the epidemic's clock (and the
// membership group's, if one runs), `run` runs until nothing can change,
// and a row of the chart is a period of `period_ms`. In rounds mode the
// async fields stay out of the snapshot, so its bytes are what they were.
//
// Left out: several concurrent updates.
#ifndef SDP_GOSSIP_SIM_H_
#define SDP_GOSSIP_SIM_H_

#include <cstdint>
#include <string>
#include <vector>

#include <optional>

#include "sdp/gossip/async_epidemic.h"
#include "sdp/gossip/epidemic.h"
#include "sdp/gossip/membership.h"
#include "sdp/random.h"
#include "sdp/clone.h"
#include "sdp/simulation.h"

namespace sdp {

class GossipSim : public Cloneable<GossipSim, Simulation> {
 public:
  static constexpr uint32_t kMinNodes = 2;
  static constexpr uint32_t kMaxNodes = 10000;
  static constexpr uint32_t kMaxFanout = 50;
  static constexpr uint32_t kMaxK = 100;
  static constexpr uint32_t kMaxRoundsPerStep = 1000;
  static constexpr uint32_t kMaxRounds = 5000;  // rounds kept per run (chart rows)
  static constexpr uint32_t kMaxTrials = 1000;
  static constexpr uint64_t kMaxStepContacts = 10000000;
  // Membership: heartbeat tables are n x n; simulated time stays below 2^32 ms.
  static constexpr uint32_t kMaxHeartbeatNodes = 1000;
  static constexpr int64_t kMaxAdvanceMs = 600000;
  static constexpr int64_t kMaxMembershipMs = 86400000;
  static constexpr uint32_t kMaxKills = 20;
  static constexpr uint64_t kMaxStepWork = 2000000;

  struct Config {
    uint32_t nodes = 1000;
    gossip::Strategy strategy;
    double loss = 0;  // probability that a message is lost
    bool async = false;  // timing: false = synchronous rounds
    gossip::AsyncTiming timing;
    // Applies the fields present in `args` (config and `strategy` names) to a
    // copy, then checks fanout < nodes. REQUIRES: fields validated.
    static Result<Config> With(const Config& base, const Json& args);
    Json ToJson() const;
  };

  GossipSim(uint64_t seed, const Config& config);

  Result<Json> Apply(const std::string& op, const Json& args) override;
  Json Snapshot(Detail detail) const override;
  uint64_t Work() const override { return work_; }
  // node_state (0 susceptible, 1 infective, 2 removed, 3 crashed), and per
  // round: round_informed, round_infective, round_messages, round_newly,
  // round_lost, theory_ppm (the simple-epidemic curve, informed per million);
  // membership: member_view (how each node sees the last killed node: 0
  // alive, 1 suspect, 2 dead, 3 killed itself), member_declared_ms (when
  // each declared it dead, ms after the kill, or UINT32_MAX).
  std::vector<uint32_t> Column(std::string_view name) const override;

  const gossip::Epidemic& epidemic() const { return epidemic_; }
  const Config& config() const { return config_; }

  // Runs up to `max_rounds` rounds, stopping early when quiet if
  // `until_quiet`. Public for tests and the bench.
  Json RunRounds(uint32_t max_rounds, bool until_quiet);
  // `count` fresh epidemics (same nodes, strategy, loss; no crashes), each
  // from one random node until quiet: means of residue, traffic, delays.
  Json Trials(uint32_t count);
  // Async timing: lets `ms` of simulated time pass (or, if `until_quiet`,
  // up to `max_periods` periods, stopping when nothing can change).
  Json RunAsync(int64_t ms, bool until_quiet);

 private:
  Json RoundJson(const gossip::RoundStats& r) const;
  Result<Json> ApplyMembership(const std::string& op, const Json& args);
  Json MembershipJson() const;
  std::vector<uint32_t> MembershipColumn(std::string_view name) const;
  Json Theory() const;
  std::vector<double> TheoryCurve() const;
  bool Injected() const { return inject_round_ != gossip::Epidemic::kNever; }
  // Nothing can change any more (in async: nor is anything in flight).
  bool QuietNow() const;
  gossip::AsyncEpidemic::Context AsyncContext();
  // Starts the async timers if the epidemic can change (async timing only).
  void WakeAsync();
  Json AsyncJson() const;

  Config config_;
  Rng rng_;
  gossip::Epidemic epidemic_;
  std::vector<gossip::RoundStats> rows_;
  uint32_t inject_round_ = gossip::Epidemic::kNever;  // round count at the first injection
  uint64_t messages_ = 0;
  uint64_t contacts_ = 0;
  uint64_t lost_ = 0;
  Json last_trials_ = nullptr;
  uint64_t work_ = 0;
  std::optional<gossip::Membership> membership_;
  gossip::AsyncEpidemic async_;
};

SimInfo GossipSimInfo();

}  // namespace sdp

#endif  // SDP_GOSSIP_SIM_H_

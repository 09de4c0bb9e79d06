// Simulation `cap`: the CAP trade-off made visible. A small replicated
// key-value store (3-7 replicas, sdp/cap/cluster.h), clients reading and
// writing through the replica beside them, a network the user partitions,
// and a linearizability checker (sdp/cap/linearizability.h) that says
// whether what the clients saw could have come from one copy.
//
// CP (quorums, W + R > N) keeps the history linearizable and refuses, with
// the reason, what cannot reach a quorum; AP answers everyone and the
// checker flags the stale reads, while last-writer-wins silently drops one
// of two concurrent writes (reported as lost). W + R <= N in CP shows how a
// quorum that does not overlap returns stale values without any partition.
//
// Ops: mode, partition, cut, heal, write, read, advance, workload, check.
// A refused client operation is a result with ok:false and the reason; an
// {"error"} is only for invalid steps, which change nothing.
//
// Invariants: everything bounded (at most kMaxOps client operations, at most
// kMaxAdvanceMs a step, the checker at most kCheckBudget units), all
// randomness from the seeded Rng, integer microseconds.
//
// Left out: see cluster.h (crashes, leader election, sloppy quorums, clock
// skew, vector-clock siblings).
#ifndef SDP_CAP_SIM_H_
#define SDP_CAP_SIM_H_

#include <cstdint>
#include <memory>
#include <string>

#include "sdp/cap/cluster.h"
#include "sdp/clone.h"
#include "sdp/simulation.h"

namespace sdp {

class CapSim : public Cloneable<CapSim, Simulation> {
 public:
  static constexpr uint32_t kMinReplicas = 3;
  static constexpr uint32_t kMaxReplicas = 7;
  static constexpr uint32_t kMaxClients = 8;
  static constexpr uint32_t kMaxOps = 5000;
  static constexpr uint32_t kMaxWorkloadOps = 2000;
  static constexpr uint32_t kMaxKeys = 10;
  static constexpr int64_t kMaxAdvanceMs = 600000;
  // The checker's budget (linearizability.h units, ~1 us each natively).
  static constexpr uint64_t kCheckBudget = 1000000;

  CapSim(uint64_t seed, const cap::ClusterConfig& config);

  Result<Json> Apply(const std::string& op, const Json& args) override;
  Json Snapshot(Detail detail) const override;
  uint64_t Work() const override;

  const cap::Cluster& cluster() const { return *cluster_; }
  // Runs the checker over the history so far.
  Json Check();

 private:
  Result<Json> ClientOp(const std::string& op, const Json& args);
  Result<Json> Workload(const Json& args);
  Json OpJson(const cap::ClientOp& op) const;
  Json Counts() const;

  uint64_t seed_;
  Rng workload_rng_;
  DeepPtr<cap::Cluster> cluster_;
  int64_t next_value_ = 1;
  uint64_t check_cost_ = 0;
  uint64_t retired_work_ = 0;  // work of clusters replaced by `mode`
  Json last_check_ = nullptr;
};

// Parses a config (also the `mode` op's fields) onto `base`; checks r, w <= n.
Result<cap::ClusterConfig> CapConfigWith(const cap::ClusterConfig& base, const Json& args);
Json CapConfigJson(const cap::ClusterConfig& config);

SimInfo CapSimInfo();

}  // namespace sdp

#endif  // SDP_CAP_SIM_H_

// Simulation `search_cluster`: an Elasticsearch 7 cluster with one index
// (sdp/search/cluster.h): nodes with roles, primary and replica shards,
// routing by Murmur3 of _routing or _id (sdp/search/routing.h), node loss,
// promotion and recovery, health, and the distributed search with its
// phases, dfs_query_then_fetch, the node query cache and query planning.
//
// Config: mapping (as search_index's), k1, b.
// Ops:
//   nodes {count, roles?}        add nodes; roles "master,data,ingest" (default)
//                                or any subset, "coordinating_only" for none
//   create_index {shards, replicas}
//   index {id?, doc, routing?}   -> {_id, _shard, routing_hash, result, copies}
//   bulk {count}                 index `count` generated products (p0, p1, ...)
//   delete {id, routing?}   refresh
//   search {query?, from?, size?, search_type?, node?}
//                                -> phases (dfs?, query, fetch) with per-shard
//                                   hits returned, hits (with the score under
//                                   the other search_type), query_cache, planning
//   kill_node {node}  start_node {node}  reroute
// Snapshot: {status, master, nodes: [{name, roles, up, master, copies,
//   query_cache}], index: {shards: [{shard, health, copies}], ...},
//   query_cache: {hits, misses, hit_rate}, counters}.
// Refusals use Elasticsearch's exception types; a refused step changes nothing.
#ifndef SDP_SEARCH_CLUSTER_SIM_H_
#define SDP_SEARCH_CLUSTER_SIM_H_

#include <cstdint>
#include <string>

#include "sdp/clone.h"
#include "sdp/search/cluster.h"
#include "sdp/simulation.h"

namespace sdp {

class SearchClusterSim : public Cloneable<SearchClusterSim, Simulation> {
 public:
  static constexpr uint32_t kMaxDocBytes = 16384;
  static constexpr uint32_t kMaxQueryBytes = 16384;
  static constexpr uint32_t kMaxIdBytes = 512;

  SearchClusterSim(uint64_t seed, search::Mapping mapping, search::Bm25Params bm25);

  Result<Json> Apply(const std::string& op, const Json& args) override;
  Json Snapshot(Detail detail) const override;
  uint64_t Work() const override { return cluster_.work() + steps_; }

 private:
  Result<Json> AddNodes(const Json& args);
  Result<Json> Search(const Json& args);

  search::Cluster cluster_;
  uint64_t steps_ = 0;
};

SimInfo SearchClusterSimInfo();

}  // namespace sdp

#endif  // SDP_SEARCH_CLUSTER_SIM_H_

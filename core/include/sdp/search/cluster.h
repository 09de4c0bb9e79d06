// An Elasticsearch 7 cluster holding one index: nodes with roles, primary
// and replica shard copies allocated over the data nodes, health, document
// routing, replication, node loss and recovery, and the distributed search
// (dfs / query / fetch phases) with each node's query cache.
//
// Each shard copy is one search::Index (the single-shard model of
// sdp/search/index.h): a write goes to the primary and every active replica
// of its shard, so all in-sync copies hold the same segments.
//
// Allocation (BalancedShardsAllocator reduced to its core rules): primaries
// first, then replicas; a copy goes to the live data node with the fewest
// copies that holds no other copy of the same shard (SameShardAllocation-
// Decider); ties go to the lower node. Losing a node: its copies become
// unassigned; an in-sync replica of a lost primary is promoted at once; the
// lost replicas wait (ES delays them by index.unassigned.node_left.
// delayed_timeout, 1 minute; here until `reroute` or a node starts), then
// recover by copying the primary. A copy that missed a write while away is
// no longer in sync and cannot become primary (ES's in-sync allocation ids).
// Health is ES's ClusterHealthStatus: red if a primary is unassigned,
// yellow if a replica is, else green.
//
// The master is the first live master-eligible node (ES elects one by
// quorum voting; the model skips the election). With no master, writes are
// refused (cluster.no_master_block: write) and nothing is re-allocated.
#ifndef SDP_SEARCH_CLUSTER_H_
#define SDP_SEARCH_CLUSTER_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sdp/random.h"
#include "sdp/search/bm25.h"
#include "sdp/search/index.h"
#include "sdp/search/query.h"
#include "sdp/status.h"

namespace sdp::search {

struct ClusterNode {
  std::string name;  // "node-1", ...
  bool master_eligible = true;
  bool data = true;
  bool ingest = true;
  bool up = true;
  // The node query cache (LRUQueryCache + UsageTrackingQueryCachingPolicy).
  std::vector<std::string> history;  // last 256 filters used, oldest first
  std::map<std::string, uint64_t> cached;  // (copy, segment, filter) -> last use
  uint64_t cache_hits = 0;
  uint64_t cache_misses = 0;
};

struct ShardCopy {
  uint32_t shard = 0;
  bool primary = false;
  int32_t node = -1;  // where it is (or was last); -1: never assigned
  bool active = false;
  bool in_sync = true;  // false once a write happened without it
  uint64_t uid = 0;     // a new one for every recovery: caches key on it
  Index index;
};

struct ClusterSearchRequest {
  Json query;  // null: match_all
  uint32_t from = 0;
  uint32_t size = 10;
  bool dfs = false;  // dfs_query_then_fetch
  std::string node;  // coordinating node; empty: the default one
};

class Cluster {
 public:
  static constexpr uint32_t kMaxNodes = 20;
  static constexpr uint32_t kMaxShards = 32;
  static constexpr uint32_t kMaxReplicas = 5;
  static constexpr uint32_t kMaxDocs = 20000;
  static constexpr uint32_t kCacheHistory = 256;     // UsageTrackingQueryCachingPolicy
  static constexpr uint32_t kCacheMaxEntries = 10000;  // indices.queries.cache.count
  static constexpr const char* kIndexName = "products";

  Cluster(Mapping mapping, Bm25Params bm25, MergePolicy merge_policy, uint64_t seed);

  // roles: any of master, data, ingest; none: a coordinating-only node.
  Result<Json> AddNodes(uint32_t count, bool master, bool data, bool ingest);
  Result<Json> CreateIndex(uint32_t shards, uint32_t replicas);
  Result<Json> IndexDoc(const std::optional<std::string>& id, const Json& doc,
                        const std::optional<std::string>& routing);
  // ES _bulk of `count` generated product documents (the built-in corpus).
  Result<Json> Bulk(uint32_t count);
  Result<Json> Delete(const std::string& id, const std::optional<std::string>& routing);
  Result<Json> Refresh();
  Result<Json> KillNode(const std::string& name);
  Result<Json> StartNode(const std::string& name);
  Result<Json> Reroute();
  Result<Json> Search(const ClusterSearchRequest& request);

  Json SnapshotJson() const;
  uint64_t work() const { return work_; }

 private:
  struct Routed {
    uint32_t shard;
    std::string routing;
  };
  Result<uint32_t> FindNode(const std::string& op, const std::string& name) const;
  int32_t Master() const;
  Status WritableShard(const std::string& op, uint32_t shard) const;
  ShardCopy* ActivePrimary(uint32_t shard);
  const ShardCopy* ActivePrimaryOf(uint32_t shard) const;
  uint32_t ShardFor(const std::string& routing) const;
  void MarkMissedWrite(uint32_t shard);
  Json WriteToCopies(uint32_t shard, const ParsedDoc& doc);
  std::string NextAutoId();
  Json Reallocate(bool allocate_replicas);
  int32_t PickNode(uint32_t shard) const;
  uint32_t CopiesOn(int32_t node) const;
  std::string Label(const ShardCopy& c) const;
  std::string HealthOf(uint32_t shard) const;
  std::string Health() const;
  uint64_t LiveDocs() const;

  // cluster_search.cpp
  std::vector<const ShardCopy*> PickCopies();
  Json UseFilterCache(ClusterNode& node, const ShardCopy& copy, const Json& described);
  Json PlanConjunction(const ShardCopy& copy, const Json& described, uint64_t* written,
                       uint64_t* cheapest);

  Mapping mapping_;
  Bm25Params bm25_;
  MergePolicy merge_policy_;
  Rng rng_;
  std::vector<ClusterNode> nodes_;
  bool has_index_ = false;
  uint32_t shards_ = 0;
  uint32_t replicas_ = 0;
  uint32_t routing_num_shards_ = 0;
  std::vector<std::vector<ShardCopy>> copies_;  // by shard
  std::vector<uint64_t> rotation_;              // per shard: the replica-selection counter
  uint64_t next_uid_ = 1;
  uint64_t cache_tick_ = 0;
  uint64_t searches_ = 0;
  uint64_t hits_transferred_ = 0;
  uint64_t recoveries_ = 0;
  uint64_t promotions_ = 0;
  uint64_t bulk_docs_ = 0;
  uint64_t work_ = 0;
};

}  // namespace sdp::search

#endif  // SDP_SEARCH_CLUSTER_H_

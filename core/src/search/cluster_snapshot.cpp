// The cluster as JSON: nodes with their shard copies and query caches, the
// index's routing table and health (what _cat/nodes, _cat/shards and
// _cluster/health show).
#include "sdp/search/cluster.h"

namespace sdp::search {

Json Cluster::SnapshotJson() const {
  const int32_t master = Master();
  Json nodes = Json::array();
  uint64_t hits = 0;
  uint64_t misses = 0;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const ClusterNode& n = nodes_[i];
    Json roles = Json::array();
    if (n.master_eligible) roles.push_back("master");
    if (n.data) roles.push_back("data");
    if (n.ingest) roles.push_back("ingest");
    Json copies = Json::array();
    for (const auto& shard : copies_) {
      for (const ShardCopy& c : shard) {
        if (c.node != static_cast<int32_t>(i)) continue;
        copies.push_back({{"label", Label(c)}, {"shard", c.shard}, {"primary", c.primary},
                          {"state", c.active ? "started" : "unassigned"}, {"docs", c.index.TotalDocs()}});
      }
    }
    const uint64_t lookups = n.cache_hits + n.cache_misses;
    hits += n.cache_hits;
    misses += n.cache_misses;
    nodes.push_back({{"name", n.name},
                     {"roles", std::move(roles)},
                     {"up", n.up},
                     {"master", master == static_cast<int32_t>(i)},
                     {"copies", std::move(copies)},
                     {"query_cache", {{"entries", n.cached.size()}, {"hits", n.cache_hits}, {"misses", n.cache_misses},
                                      {"hit_rate", lookups == 0 ? Json(nullptr)
                                                                : Json(static_cast<double>(n.cache_hits) / static_cast<double>(lookups))}}}});
  }
  Json index = nullptr;
  if (has_index_) {
    Json shards = Json::array();
    uint64_t unassigned = 0;
    uint64_t active = 0;
    for (uint32_t s = 0; s < shards_; ++s) {
      Json copies = Json::array();
      for (const ShardCopy& c : copies_[s]) {
        copies.push_back({{"label", Label(c)},
                          {"primary", c.primary},
                          {"state", c.active ? "started" : "unassigned"},
                          {"node", c.active ? Json(nodes_[static_cast<size_t>(c.node)].name) : Json(nullptr)},
                          {"in_sync", c.in_sync},
                          {"docs", c.index.TotalDocs()},
                          {"segments", c.index.segments().size()}});
        (c.active ? active : unassigned) += 1;
      }
      const ShardCopy* p = ActivePrimaryOf(s);
      shards.push_back({{"shard", s}, {"health", HealthOf(s)}, {"docs", p == nullptr ? Json(nullptr) : Json(p->index.TotalDocs())},
                        {"copies", std::move(copies)}});
    }
    index = {{"name", kIndexName},
             {"number_of_shards", shards_},
             {"number_of_replicas", replicas_},
             {"number_of_routing_shards", routing_num_shards_},
             {"routing_factor", routing_num_shards_ / shards_},
             {"active_shards", active},
             {"unassigned_shards", unassigned},
             {"docs", LiveDocs()},
             {"shards", std::move(shards)}};
  }
  const uint64_t lookups = hits + misses;
  return {{"cluster_name", "playground"},
          {"status", Health()},
          {"master", master < 0 ? Json(nullptr) : Json(nodes_[static_cast<size_t>(master)].name)},
          {"nodes", std::move(nodes)},
          {"index", std::move(index)},
          {"mapping", mapping_.ToJson()},
          {"query_cache", {{"hits", hits}, {"misses", misses},
                           {"hit_rate", lookups == 0 ? Json(nullptr) : Json(static_cast<double>(hits) / static_cast<double>(lookups))}}},
          {"counters", {{"searches", searches_}, {"hits_transferred", hits_transferred_}, {"recoveries", recoveries_},
                        {"promotions", promotions_}}}};
}

}  // namespace sdp::search

// The search_cluster sim's declaration: config, ops and their fields as data.
#include "sdp/search_cluster_sim.h"
#include "sdp/search_index_sim.h"

namespace sdp {

SimInfo SearchClusterSimInfo() {
  using Sim = SearchClusterSim;
  using search::Cluster;
  SimInfo info;
  info.name = "search_cluster";
  info.help =
      "An Elasticsearch 7 cluster: nodes with roles, primary and replica shards, Murmur3 routing, node loss and "
      "recovery, health, and the distributed search (dfs, query and fetch phases, deep paging, the node query "
      "cache, conjunctions led by the cheapest clause)";
  info.config = SearchIndexConfigFields();
  info.ops = {
      {"nodes", "add nodes to the cluster",
       {IntField("count", true, 1, Cluster::kMaxNodes, "how many nodes to add (the cluster holds at most 20)"),
        StringField("roles", false, 4, 40,
                    "comma-separated master, data, ingest (default all three), or coordinating_only")}},
      {"create_index", "create the index `products` and allocate its shard copies",
       {IntField("shards", true, 1, Cluster::kMaxShards, "number_of_shards"),
        IntField("replicas", false, 0, Cluster::kMaxReplicas, "number_of_replicas (default 1)")}},
      {"index", "index one document: routed to a shard by Murmur3 of _routing (default _id), written to every active copy",
       {StringField("id", false, 1, Sim::kMaxIdBytes, "the _id (default: a generated one)"),
        StringField("doc", true, 2, Sim::kMaxDocBytes, "the document as JSON text, e.g. {\"title\":\"red shoes\"}"),
        StringField("routing", false, 1, Sim::kMaxIdBytes, "_routing: hashed instead of the _id")}},
      {"bulk", "index generated products p0, p1, ... (title, tag, price) through the same routing",
       {IntField("count", true, 1, 5000, "documents to add")}},
      {"delete", "delete one document by _id",
       {StringField("id", true, 1, Sim::kMaxIdBytes, "the _id"),
        StringField("routing", false, 1, Sim::kMaxIdBytes, "the _routing it was indexed with")}},
      {"refresh", "refresh every active shard copy (new segments become searchable)", {}},
      {"search", "a distributed search: fan out to one copy of each shard, merge, fetch",
       {StringField("query", false, 2, Sim::kMaxQueryBytes,
                    "Query DSL JSON text, e.g. {\"match\":{\"title\":\"red shoes\"}} (default match_all)"),
        IntField("from", false, 0, 1000000, "hits to skip (from + size <= 10000)"),
        IntField("size", false, 0, 1000000, "hits to return (default 10; from + size <= 10000)"),
        EnumField("search_type", false, {"query_then_fetch", "dfs_query_then_fetch"},
                  "dfs_query_then_fetch gathers every shard's term statistics first (default query_then_fetch)"),
        StringField("node", false, 1, 40, "the coordinating node (default: a coordinating-only one, else the first up)")}},
      {"kill_node", "stop a node: its copies are lost, replicas of lost primaries are promoted",
       {StringField("node", true, 1, 40, "the node, e.g. node-1")}},
      {"start_node", "start a stopped node: its copies come back or recover from the primaries",
       {StringField("node", true, 1, 40, "the node, e.g. node-1")}},
      {"reroute", "allocate unassigned replicas to other nodes now (ES waits 1 minute: delayed_timeout)", {}},
  };
  info.create = [](uint64_t seed, const Json& config) -> Result<std::unique_ptr<Simulation>> {
    auto mapping = search::Mapping::Parse(config.value("mapping", std::string("title:text,body:text,tag:keyword,price:integer")));
    if (!mapping.ok()) return Status::Invalid("config: field \"mapping\": " + mapping.message());
    search::Bm25Params bm25;
    bm25.k1 = static_cast<float>(config.value("k1", 1.2));
    bm25.b = static_cast<float>(config.value("b", 0.75));
    return std::unique_ptr<Simulation>(std::make_unique<Sim>(seed, std::move(mapping.value()), bm25));
  };
  return info;
}

}  // namespace sdp

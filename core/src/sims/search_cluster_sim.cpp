#include "sdp/search_cluster_sim.h"

#include "sdp/scenario.h"

namespace sdp {

SearchClusterSim::SearchClusterSim(uint64_t seed, search::Mapping mapping, search::Bm25Params bm25)
    : cluster_(std::move(mapping), bm25, search::MergePolicy{}, seed) {}

Result<Json> SearchClusterSim::AddNodes(const Json& args) {
  const std::string roles = args.value("roles", std::string("master,data,ingest"));
  bool master = false;
  bool data = false;
  bool ingest = false;
  if (roles != "coordinating_only") {
    size_t start = 0;
    while (start <= roles.size()) {
      const size_t comma = roles.find(',', start);
      const std::string role = roles.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (role == "master") master = true;
      else if (role == "data") data = true;
      else if (role == "ingest") ingest = true;
      else {
        return Status::Invalid("nodes: field \"roles\": unknown role [" + role +
                               "]; allowed: master, data, ingest (comma-separated), or coordinating_only");
      }
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return cluster_.AddNodes(args["count"].get<uint32_t>(), master, data, ingest);
}

Result<Json> SearchClusterSim::Search(const Json& args) {
  search::ClusterSearchRequest request;
  if (args.contains("query")) {
    auto parsed = ParseJson(args["query"].get<std::string>());
    if (!parsed.ok()) return Status::Invalid("search: field \"query\": " + parsed.message());
    request.query = std::move(parsed.value());
  }
  request.from = args.value("from", uint32_t{0});
  request.size = args.value("size", uint32_t{10});
  request.dfs = args.value("search_type", std::string("query_then_fetch")) == "dfs_query_then_fetch";
  request.node = args.value("node", std::string());
  return cluster_.Search(request);
}

Result<Json> SearchClusterSim::Apply(const std::string& op, const Json& args) {
  steps_ += 1;
  const auto optional = [&](const char* key) {
    return args.contains(key) ? std::optional<std::string>(args[key].get<std::string>()) : std::nullopt;
  };
  if (op == "nodes") return AddNodes(args);
  if (op == "create_index") return cluster_.CreateIndex(args["shards"].get<uint32_t>(), args.value("replicas", uint32_t{1}));
  if (op == "index") {
    auto doc = ParseJson(args["doc"].get<std::string>());
    if (!doc.ok()) return Status::Invalid("index: field \"doc\": " + doc.message());
    return cluster_.IndexDoc(optional("id"), doc.value(), optional("routing"));
  }
  if (op == "bulk") return cluster_.Bulk(args["count"].get<uint32_t>());
  if (op == "delete") return cluster_.Delete(args["id"].get<std::string>(), optional("routing"));
  if (op == "refresh") return cluster_.Refresh();
  if (op == "search") return Search(args);
  if (op == "kill_node") return cluster_.KillNode(args["node"].get<std::string>());
  if (op == "start_node") return cluster_.StartNode(args["node"].get<std::string>());
  if (op == "reroute") return cluster_.Reroute();
  SDP_CHECK(false && "op declared in SearchClusterSimInfo but not handled");
  return Status::Invalid(op);
}

Json SearchClusterSim::Snapshot(Detail detail) const {
  (void)detail;  // small either way: no documents in it
  return cluster_.SnapshotJson();
}

}  // namespace sdp

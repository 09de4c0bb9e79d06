// The `search_cluster` sim: allocation (a primary and its replica never on
// one node, balanced), routing through the index API, node loss (promotion,
// yellow, red, stale copies) and recovery, deep-paging cost, dfs scores equal
// to one index's, the node query cache's admission rule, and conjunctions
// led by the cheapest clause. Routing vectors: search_routing_test.cpp.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <string>

#include "sdp/search/routing.h"
#include "sim_test_util.h"

namespace search_cluster_test {

namespace {

using sdp::Json;
namespace search = sdp::search;

const char* kSim = "search_cluster";

std::unique_ptr<sdp::Simulation> Make() { return sim_test::Make(kSim, 3, Json::object()); }
Json Step(sdp::Simulation& sim, const Json& step) { return sim_test::Step(kSim, sim, step); }
std::string Refused(sdp::Simulation& sim, const Json& step) { return sim_test::Refused(kSim, sim, step); }
Json Snap(sdp::Simulation& sim) { return sim.Snapshot(sdp::Simulation::Detail::kFull); }

std::unique_ptr<sdp::Simulation> Cluster(int nodes, int shards, int replicas) {
  auto sim = Make();
  Step(*sim, {{"op", "nodes"}, {"count", nodes}});
  Step(*sim, {{"op", "create_index"}, {"shards", shards}, {"replicas", replicas}});
  return sim;
}

// node name -> labels of the started copies on it
std::map<std::string, std::vector<std::string>> Layout(sdp::Simulation& sim) {
  std::map<std::string, std::vector<std::string>> out;
  const Json snap = Snap(sim);
  for (const Json& n : snap["nodes"]) {
    for (const Json& c : n["copies"]) {
      if (c["state"] == "started") out[n["name"].get<std::string>()].push_back(c["label"].get<std::string>());
    }
  }
  return out;
}

}  // namespace

TEST_CASE("search_cluster: copies of one shard never share a node; copies spread evenly", "[search_cluster]") {
  auto sim = Cluster(3, 3, 1);
  CHECK(Snap(*sim)["status"] == "green");
  for (const auto& [node, labels] : Layout(*sim)) {
    INFO(node);
    CHECK(labels.size() == 2);
    std::set<std::string> shards;
    for (const std::string& l : labels) shards.insert(l.substr(1));
    CHECK(shards.size() == labels.size());  // SameShardAllocationDecider
  }
  // Two replicas of each shard need three nodes: with two, one replica waits.
  auto small = Cluster(2, 2, 2);
  const Json snap = Snap(*small);
  CHECK(snap["status"] == "yellow");
  CHECK(snap["index"]["unassigned_shards"] == 2);
  CHECK(snap["index"]["number_of_routing_shards"] == 1024);
  // A node added later takes them: green.
  Step(*small, {{"op", "nodes"}, {"count", 1}});
  CHECK(Snap(*small)["status"] == "green");
}

TEST_CASE("search_cluster: documents route by Murmur3 of _routing, else _id", "[search_cluster]") {
  auto sim = Cluster(2, 5, 0);
  for (const std::string id : {"a", "b", "user-17", "hello"}) {
    const Json r = Step(*sim, {{"op", "index"}, {"id", id}, {"doc", R"({"title":"x"})"}});
    CHECK(r["_shard"] == search::ShardIdFor(id, 5, search::NumRoutingShards(5)));
    CHECK(r["routing_hash"] == search::RoutingHash(id));
  }
  // Same routing value, different ids: one shard.
  std::set<int> shards;
  for (const std::string id : {"o1", "o2", "o3", "o4", "o5", "o6"}) {
    shards.insert(Step(*sim, {{"op", "index"}, {"id", id}, {"routing", "customer-9"}, {"doc", R"({"title":"x"})"}})["_shard"].get<int>());
  }
  CHECK(shards == std::set<int>{static_cast<int>(search::ShardIdFor("customer-9", 5, 640))});
}

TEST_CASE("search_cluster: a lost primary's replica is promoted; missed writes make a copy stale; red refuses writes",
          "[search_cluster]") {
  // node-1 is master-only (it stays up), node-2 and node-3 hold the copies.
  auto sim = Make();
  Step(*sim, {{"op", "nodes"}, {"count", 1}, {"roles", "master"}});
  Step(*sim, {{"op", "nodes"}, {"count", 2}, {"roles", "data"}});
  Step(*sim, {{"op", "create_index"}, {"shards", 1}, {"replicas", 1}});
  Step(*sim, {{"op", "index"}, {"id", "d1"}, {"doc", R"({"title":"red shoes"})"}});
  const std::string primary_node = Snap(*sim)["index"]["shards"][0]["copies"][0]["node"];
  const Json killed = Step(*sim, {{"op", "kill_node"}, {"node", primary_node}});
  CHECK(killed["health"] == "yellow");
  CHECK(killed["allocation"][0]["event"] == "promoted");
  // A write while the old primary is away: it is no longer in sync.
  Step(*sim, {{"op", "index"}, {"id", "d2"}, {"doc", R"({"title":"blue shoes"})"}});
  const std::string other = primary_node == "node-2" ? "node-3" : "node-2";
  const Json red = Step(*sim, {{"op", "kill_node"}, {"node", other}});
  CHECK(red["health"] == "red");
  const std::string refused = Refused(*sim, {{"op", "index"}, {"id", "d3"}, {"doc", R"({"title":"x"})"}});
  CHECK(refused.find("[unavailable_shards_exception] [products][0] primary shard is not active") != std::string::npos);
  // The stale copy comes back first: it cannot be primary, the shard stays red.
  Step(*sim, {{"op", "start_node"}, {"node", primary_node}});
  CHECK(Snap(*sim)["status"] == "red");
  // The in-sync copy comes back: it is primary again, the stale one recovers from it.
  const Json back = Step(*sim, {{"op", "start_node"}, {"node", other}});
  CHECK(back["health"] == "green");
  const Json copies = Snap(*sim)["index"]["shards"][0]["copies"];
  for (const Json& c : copies) CHECK(c["docs"] == 2);
}

TEST_CASE("search_cluster: replicas of a dead node wait, then reroute recovers them elsewhere", "[search_cluster]") {
  auto sim = Cluster(3, 2, 1);
  Step(*sim, {{"op", "bulk"}, {"count", 50}});
  Step(*sim, {{"op", "kill_node"}, {"node", "node-2"}});
  CHECK(Snap(*sim)["status"] == "yellow");
  const Json r = Step(*sim, {{"op", "reroute"}});
  CHECK(r["health"] == "green");
  CHECK(Snap(*sim)["counters"]["recoveries"].get<int>() >= 1);
  CHECK(Refused(*sim, {{"op", "kill_node"}, {"node", "node-9"}}).find("no node named [node-9]") != std::string::npos);
  CHECK(Refused(*sim, {{"op", "nodes"}, {"count", 1}, {"roles", "master,cook"}}).find("unknown role [cook]") !=
        std::string::npos);
}

TEST_CASE("search_cluster: deep paging makes every shard send from + size hits; the 10,000 window", "[search_cluster]") {
  auto sim = Cluster(1, 5, 0);
  Step(*sim, {{"op", "bulk"}, {"count", 500}});
  Step(*sim, {{"op", "refresh"}});
  const Json page = Step(*sim, {{"op", "search"}, {"from", 40}, {"size", 10}});
  for (const Json& s : page["phases"][0]["shards"]) CHECK(s["hits_returned"] == 50);  // each shard holds ~100
  CHECK(page["hits_transferred"] == 5 * 50);
  CHECK(page["hits"]["hits"].size() == 10);
  CHECK(page["phases"][1]["phase"] == "fetch");
  const std::string refused = Refused(*sim, {{"op", "search"}, {"from", 9995}, {"size", 10}});
  CHECK(refused.find("Result window is too large, from + size must be less than or equal to: [10000] but was [10005]") !=
        std::string::npos);
}

TEST_CASE("search_cluster: dfs_query_then_fetch scores equal one index's; local idf differs per shard", "[search_cluster]") {
  auto sim = Cluster(2, 3, 0);
  auto single = sim_test::Make("search_index", 3, Json::object());
  const char* titles[] = {"red kettle", "red red shoes", "blue kettle", "green lamp", "red lamp shade",
                          "kettle", "steel kettle red", "wool blanket", "red wool blanket", "blue shoes",
                          "kettle kettle", "red"};
  for (int i = 0; i < 12; ++i) {
    const Json doc = {{"title", titles[i]}};
    Step(*sim, {{"op", "index"}, {"id", "d" + std::to_string(i)}, {"doc", doc.dump()}});
    sim_test::Step("search_index", *single, {{"op", "index"}, {"id", "d" + std::to_string(i)}, {"doc", doc.dump()}});
  }
  Step(*sim, {{"op", "refresh"}});
  sim_test::Step("search_index", *single, {{"op", "refresh"}});
  const Json query = {{"match", {{"title", "red kettle"}}}};
  std::map<std::string, double> expected;
  const Json single_hits = sim_test::Step("search_index", *single, {{"op", "search"}, {"query", query.dump()}, {"size", 20}});
  for (const Json& h : single_hits["hits"]["hits"]) {
    expected[h["_id"]] = h["_score"];
  }
  const Json dfs = Step(*sim, {{"op", "search"}, {"query", query.dump()}, {"size", 20}, {"search_type", "dfs_query_then_fetch"}});
  REQUIRE(dfs["hits"]["hits"].size() == expected.size());
  bool local_differs = false;
  for (const Json& h : dfs["hits"]["hits"]) {
    CHECK(h["_score"] == expected[h["_id"]]);
    local_differs = local_differs || h["local_score"] != h["_score"];
  }
  CHECK(local_differs);
  CHECK(dfs["phases"][0]["phase"] == "dfs");
}

TEST_CASE("search_cluster: the query cache admits a range filter on its 2nd use, never a term filter", "[search_cluster]") {
  auto sim = Cluster(1, 1, 0);
  Step(*sim, {{"op", "bulk"}, {"count", 30}});
  Step(*sim, {{"op", "refresh"}});
  const Json q = {{"bool", {{"filter", Json::array({{{"range", {{"price", {{"lt", 100}}}}}}, {{"term", {{"tag", "shoes"}}}}})}}}};
  const Json step = {{"op", "search"}, {"query", q.dump()}};
  const Json first = Step(*sim, step)["query_cache"];
  CHECK(first[0]["segments_cached"] == 0);  // seen once: not yet
  CHECK(first[1]["policy"] == "never cached");
  CHECK(Step(*sim, step)["query_cache"][0]["segments_cached"] == 1);
  CHECK(Step(*sim, step)["query_cache"][0]["segment_hits"] == 1);
  const Json cache = Snap(*sim)["query_cache"];
  CHECK(cache["hits"] == 1);
  CHECK(cache["misses"] == 2);
}

TEST_CASE("search_cluster: a conjunction led by its cheapest clause visits fewer postings", "[search_cluster]") {
  auto sim = Cluster(1, 1, 0);
  Step(*sim, {{"op", "bulk"}, {"count", 400}});
  Step(*sim, {{"op", "refresh"}});
  // title:red (~1/8 of the docs) and tag:kitchen (~1/6) are written before
  // title:kettle (~1/12), the cheapest.
  const Json q = {{"bool", {{"must", Json::array({{{"match", {{"title", "red"}}}}})},
                            {"filter", Json::array({{{"term", {{"tag", "kitchen"}}}}, {{"term", {{"title", "kettle"}}}}})}}}};
  const Json plan = Step(*sim, {{"op", "search"}, {"query", q.dump()}})["planning"];
  REQUIRE(plan.is_object());
  CHECK(plan["cheapest_first"][0]["clause"] == "title:kettle");
  CHECK(plan["postings_visited_cheapest_first"].get<int>() < plan["postings_visited_written_order"].get<int>());
}

}  // namespace search_cluster_test

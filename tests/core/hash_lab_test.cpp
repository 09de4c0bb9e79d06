#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <set>
#include <vector>
#include <string>

#include "sdp/hash_lab_sim.h"
#include "sdp/scenario.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace hash_lab_test {

using sdp::HashLabSim;
using sdp::Json;

namespace {

Json Run(const Json& steps, Json config = Json::object()) {
  auto out = sdp::RunScenario({{"sim", "hash_lab"}, {"seed", 5}, {"config", config}, {"steps", steps}});
  INFO(out.status().message());
  REQUIRE(out.ok());
  return out.value();
}

Json Scheme(const Json& snapshot, const std::string& name) {
  for (const Json& s : snapshot["schemes"]) {
    if (s["scheme"] == name) return s;
  }
  FAIL("no scheme " << name);
  return nullptr;
}

Json NodesAndKeys(uint32_t nodes, uint32_t keys, double zipf = 0) {
  Json steps = Json::array();
  for (uint32_t i = 0; i < nodes; ++i) steps.push_back({{"op", "add_node"}, {"id", "n" + std::to_string(i)}});
  Json add = {{"op", "add_keys"}, {"count", keys}};
  if (zipf > 0) add["zipf"] = zipf;
  steps.push_back(add);
  return steps;
}

}  // namespace

TEST_CASE("every scheme moves about the ideal share when a node joins", "[hash_lab]") {
  Json steps = NodesAndKeys(9, 20000);
  steps.push_back({{"op", "add_node"}, {"id", "new"}});
  const Json out = Run(steps);
  const Json& change = out["results"].back();
  CHECK(change["ideal_fraction"] == Approx(0.1));
  for (const char* s : {"ring", "ketama", "jump", "rendezvous", "maglev", "bounded"}) {
    INFO(s);
    CHECK(change["schemes"][s]["moved_fraction"].get<double>() == Approx(0.1).margin(0.03));
  }
}

TEST_CASE("jump pays for removing a middle node; rendezvous does not", "[hash_lab]") {
  Json steps = NodesAndKeys(6, 20000);
  steps.push_back({{"op", "remove_node"}, {"id", "n1"}});
  const Json out = Run(steps);
  const Json& change = out["results"].back();
  // Ideal 1/6. Jump moves n1's keys (bucket 1 now belongs to n5) and the old
  // last bucket's keys, of which only the 1/5 that jump to bucket 1 stay on
  // n5: 1/6 + (1/6)(4/5) = 0.3.
  CHECK(change["schemes"]["rendezvous"]["moved_fraction"].get<double>() == Approx(1.0 / 6).margin(0.02));
  CHECK(change["schemes"]["jump"]["moved_fraction"].get<double>() == Approx(0.3).margin(0.02));
  CHECK(out["snapshot"]["jump_buckets"] == Json::array({"n0", "n5", "n2", "n3", "n4"}));
}

// HAProxy lb_chash.c chash_server_is_eligible(), written out again for the
// tests: slots of node i (weight units u, units before it c, total W) when
// `served` requests are in flight and one more arrives.
uint64_t HaproxySlots(uint64_t served, uint64_t factor, uint64_t u, uint64_t c, uint64_t w) {
  const uint64_t tot = ((served + 1) * factor + 99) / 100;
  uint64_t slots = u * (tot / w) + (c + u) * (tot % w) / w - c * (tot % w) / w;
  return slots == 0 ? 1 : slots;
}

TEST_CASE("bounded loads cap the hot key's node; plain hashing does not", "[hash_lab]") {
  const Json out = Run(NodesAndKeys(8, 20000, 1.2), {{"epsilon", 0.25}});
  const Json& snap = out["snapshot"];
  CHECK(snap["bounded"]["balance_factor"] == 125);
  // ceil(20001 * 1.25) = 25002 slots over 8 equal nodes: 3125 or 3126 each.
  uint64_t total = 0;
  for (const Json& s : snap["bounded"]["slots"]) total += s.get<uint64_t>();
  CHECK(total == 25002);
  CHECK(snap["bounded"]["capacity"] == 3126);
  CHECK(Scheme(snap, "bounded")["max"].get<double>() <= 3126);
  CHECK(Scheme(snap, "ring")["max_over_mean"].get<double>() > 1.5);
  CHECK(snap["hottest_key"]["key"] == "key:1");
}

TEST_CASE("HAProxy chash_server_is_eligible counts the new request and splits slots by weight",
          "[hash_lab]") {
  // Weights 1 and 3 (units 100 and 300), factor 125, 1000 requests placed:
  // tot_slots = ceil(1001 * 125 / 100) = 1252, 3 per unit, remainder 52;
  // a: 100*3 + 100*52/400 = 313; b: 300*3 + 400*52/400 - 100*52/400 = 939.
  const Json out = Run({{{"op", "add_node"}, {"id", "a"}, {"weight", 1}},
                        {{"op", "add_node"}, {"id", "b"}, {"weight", 3}},
                        {{"op", "add_keys"}, {"count", 1000}, {"zipf", 2.5}},
                        {{"op", "lookup"}, {"key", "k"}}},
                       {{"epsilon", 0.25}, {"vnodes", 160}});
  const Json& snap = out["snapshot"];
  CHECK(snap["bounded"]["slots"] == Json::array({313, 939}));
  // The unweighted rule, ceil(1.25 * 1000 / 2) = 625 each, would cap b at 625.
  const Json load = Scheme(snap, "bounded")["load"];
  CHECK(load[0].get<double>() <= 313);
  CHECK(load[1].get<double>() <= 939);
  CHECK(load[1].get<double>() > 625);

  // Every request, in arrival order, went to a node that was eligible then:
  // served (all earlier requests, still in flight) below its slots.
  HashLabSim::Config config;
  config.epsilon = 0.25;
  HashLabSim sim(5, config);
  REQUIRE(sim.Apply("add_node", {{"id", "a"}, {"weight", 1}}).ok());
  REQUIRE(sim.Apply("add_node", {{"id", "b"}, {"weight", 3}}).ok());
  REQUIRE(sim.Apply("add_keys", {{"count", 1000}, {"zipf", 2.5}}).ok());
  const auto& owners = sim.owners(HashLabSim::kBounded);
  REQUIRE(owners.size() == 1000);
  uint64_t served[2] = {0, 0};
  const uint64_t units[2] = {100, 300}, before[2] = {0, 100};
  for (uint64_t i = 0; i < owners.size(); ++i) {
    const uint32_t node = owners[i];
    INFO("request " << i << " on node " << node);
    REQUIRE(served[node] < HaproxySlots(i, 125, units[node], before[node], 400));
    ++served[node];
  }
}

TEST_CASE("lab bad input: Maglev size, epsilon, unknown scheme, empty lab", "[hash_lab]") {
  const Json out = Run({{{"op", "lookup"}, {"key", "k"}},
                        {{"op", "add_node"}, {"id", "a"}},
                        {{"op", "set"}, {"table_size", 65536}},
                        {{"op", "set"}, {"epsilon", 0}},
                        {{"op", "sweep"}, {"scheme", "crush"}},
                        {{"op", "jump_hash"}, {"key", 1}, {"buckets", 0}},
                        {{"op", "set"}, {"table_size", 2}},
                        {{"op", "add_node"}, {"id", "b"}},
                        {{"op", "add_node"}, {"id", "c"}}},
                       {{"table_size", 3}});
  const Json& r = out["results"];
  CHECK(r[0]["error"] == "lookup: the lab has no nodes; add one first");
  CHECK(r[2]["error"] == "set: field \"table_size\" must be prime for Maglev; 65536 is not (try 65521 or 65537)");
  CHECK_THAT(r[3]["error"].get<std::string>(), Catch::Contains("field \"epsilon\" must be a number in [0.01, 10]"));
  CHECK_THAT(r[4]["error"].get<std::string>(), Catch::Contains("one of: ring, maglev"));
  CHECK_THAT(r[5]["error"].get<std::string>(), Catch::Contains("field \"buckets\" must be an integer in [1,"));
  CHECK(r[6].contains("change"));  // M = 2 > 1 node is allowed
  CHECK(r[7].contains("change"));  // and 2 nodes fit in 2 slots
  CHECK_THAT(r[8]["error"].get<std::string>(), Catch::Contains("Maglev's table (M = 2)"));
  auto bad = sdp::RunScenario({{"sim", "hash_lab"}, {"config", {{"table_size", 100}}}});
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.message(), Catch::Contains("must be prime"));
}

TEST_CASE("sweeps show the 1/sqrt(v) trend and Maglev's shrinking disruption", "[hash_lab]") {
  Json steps = NodesAndKeys(10, 1000);
  steps.push_back({{"op", "sweep"}, {"scheme", "ring"}});
  steps.push_back({{"op", "sweep"}, {"scheme", "maglev"}});
  const Json out = Run(steps);
  const Json& ring = out["results"][11];
  const auto cv = ring["measured_cv"];
  CHECK(cv.front().get<double>() > 3 * cv.back().get<double>());
  CHECK(cv.back().get<double>() == Approx(ring["theory_cv"].back().get<double>()).epsilon(0.6));
  const Json& maglev = out["results"][12];
  CHECK(maglev["measured_moved"].back().get<double>() == Approx(0.1).margin(0.01));
  CHECK(maglev["measured_moved"].front().get<double>() > maglev["measured_moved"].back().get<double>());
}

TEST_CASE("ring spread theory counts a node's points, not vnodes per unit of weight", "[hash_lab]") {
  // n nodes of p random points each: a node's arc is Beta(p, (n-1)p), so its
  // CV is sqrt((n-1)/(n*p+1)). Ten nodes of weight 4 at v = 100 have p = 400.
  Json steps = Json::array();
  for (int i = 0; i < 10; ++i) {
    steps.push_back({{"op", "add_node"}, {"id", "n" + std::to_string(i)}, {"weight", 4}});
  }
  steps.push_back({{"op", "sweep"}, {"scheme", "ring"}});
  const Json sweep = Run(steps)["results"][10];
  REQUIRE(sweep["x"][6] == 100);
  CHECK(sweep["theory_cv"][6].get<double>() == Approx(std::sqrt(9.0 / 4001)));  // 0.047, not 0.095
  CHECK(sweep["measured_cv"][6].get<double>() == Approx(0.047).margin(0.02));

  // Unequal weights: no single formula, so no theory.
  const Json mixed = Run({{{"op", "add_node"}, {"id", "a"}, {"weight", 1}},
                          {{"op", "add_node"}, {"id", "b"}, {"weight", 3}},
                          {{"op", "sweep"}, {"scheme", "ring"}}})["results"][2];
  CHECK(mixed["theory_cv"].is_null());
  CHECK(mixed["measured_cv"].size() == 10);
}

TEST_CASE("bounded loads spread one hot key's requests over several nodes; the ring keeps them on one",
          "[hash_lab]") {
  // Mirrokni, Thorup & Zadimoghaddam: a ball (request) passes full bins. That
  // moves requests of the same key to other nodes, which caches and
  // stateless backends can serve; a shard's data stays on one node.
  HashLabSim sim(3, HashLabSim::Config{});
  for (const char* id : {"A", "B", "C", "D", "E", "F"}) REQUIRE(sim.Apply("add_node", {{"id", id}}).ok());
  REQUIRE(sim.Apply("add_keys", {{"count", 20000}, {"zipf", 1.1}}).ok());
  const std::vector<uint32_t> positions = sim.Column("key_position");
  std::map<uint32_t, uint32_t> count;
  for (uint32_t p : positions) ++count[p];
  uint32_t hot = 0;
  for (const auto& [p, c] : count) {
    if (c > count[hot]) hot = p;
  }
  std::set<uint32_t> ring_nodes, bounded_nodes;
  for (uint32_t i = 0; i < positions.size(); ++i) {
    if (positions[i] != hot) continue;
    ring_nodes.insert(sim.owners(HashLabSim::kRing)[i]);
    bounded_nodes.insert(sim.owners(HashLabSim::kBounded)[i]);
  }
  CHECK(count[hot] > 2000);
  CHECK(ring_nodes.size() == 1);
  CHECK(bounded_nodes.size() > 1);
}

TEST_CASE("jump's loop turns average H(n) = ln n + 0.58, and ring lookups count bit_width(points)",
          "[hash_lab]") {
  // Lamping & Veach: bucket j (0-based) is visited with probability 1/(j+1),
  // so the loop runs H(n) = 1 + 1/2 + ... + 1/n times on average.
  const Json snap = Run(NodesAndKeys(10, 20000))["snapshot"];
  double harmonic = 0;
  for (int j = 1; j <= 10; ++j) harmonic += 1.0 / j;  // 2.929; ln 10 = 2.303
  CHECK(Scheme(snap, "jump")["lookup_cost"].get<double>() == Approx(harmonic).margin(0.05));
  // 10 nodes x 160 points = 1600: bit_width(1600) = 11 comparisons.
  CHECK(Scheme(snap, "ring")["lookup_cost"].get<double>() == 11);
}

}  // namespace hash_lab_test

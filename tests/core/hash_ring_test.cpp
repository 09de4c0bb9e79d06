#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "sdp/hash_ring_sim.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace hash_ring_test {

using sdp::HashRingSim;

namespace {

HashRingSim MakeRing(uint32_t nodes, uint32_t vnodes, uint32_t keys, uint64_t seed = 1) {
  HashRingSim::Config config;
  config.vnodes = vnodes;
  HashRingSim sim(seed, config);
  for (uint32_t i = 0; i < nodes; ++i) REQUIRE(sim.AddNode("node-" + std::to_string(i), 1).ok());
  REQUIRE(sim.AddKeys(keys, "k:").ok());
  return sim;
}

// The owner by definition: the node of the first point at or after the key's
// position, else (wrapping) the first point of the ring. Brute force.
std::string OwnerByDefinition(const sdp::ConsistentHashRing& ring, uint32_t position) {
  const auto& points = ring.points();
  const sdp::ConsistentHashRing::Point* best = &points[0];
  for (const auto& p : points) {
    if (p.position >= position) {
      best = &p;
      break;
    }
  }
  return ring.nodes()[best->node].id;
}

std::vector<std::string> OwnerIds(const HashRingSim& sim) {
  std::vector<std::string> ids;
  const auto owners = sim.Column("key_owner");
  for (uint32_t owner : owners) ids.push_back(sim.ring().nodes()[owner].id);
  return ids;
}

}  // namespace

TEST_CASE("every key belongs to the first point clockwise of its hash", "[hash_ring]") {
  for (const char* hash : {"murmur3", "fnv1a", "xxhash64"}) {
    HashRingSim::Config config;
    REQUIRE(sdp::ParseRingHash(hash, &config.hash));
    config.vnodes = 20;
    HashRingSim sim(3, config);
    for (const char* id : {"a", "b", "c", "d", "e"}) REQUIRE(sim.AddNode(id, 1).ok());
    REQUIRE(sim.AddKeys(2000, "").ok());
    const auto positions = sim.Column("key_hash");
    const auto owners = OwnerIds(sim);
    for (uint32_t i = 0; i < positions.size(); ++i) {
      REQUIRE(owners[i] == OwnerByDefinition(sim.ring(), positions[i]));
    }
  }
}

TEST_CASE("a key hashing past the last point wraps to the first", "[hash_ring]") {
  HashRingSim sim = MakeRing(3, 5, 0);
  const auto& points = sim.ring().points();
  const uint32_t last = points.back().position;
  REQUIRE(last < UINT32_MAX);
  CHECK(sim.ring().OwnerOf(last + 1) == points.front().node);
  CHECK(sim.ring().OwnerOf(points.front().position) == points.front().node);
}

TEST_CASE("removing a node moves only its keys", "[hash_ring]") {
  HashRingSim sim = MakeRing(8, 50, 5000);
  const auto before = OwnerIds(sim);
  auto change = sim.RemoveNode("node-3");
  REQUIRE(change.ok());
  const auto after = OwnerIds(sim);
  uint32_t moved = 0;
  for (uint32_t i = 0; i < before.size(); ++i) {
    if (before[i] != "node-3") {
      REQUIRE(after[i] == before[i]);
    } else {
      REQUIRE(after[i] != "node-3");
      ++moved;
    }
  }
  CHECK(change.value().moved == moved);
  CHECK(change.value().moved_from.size() == 1);
  CHECK(change.value().moved_from.at("node-3") == moved);
  CHECK(change.value().expected_fraction == Approx(1.0 / 8));
}

TEST_CASE("adding a node moves keys only to it, about 1/(n+1) of them", "[hash_ring]") {
  HashRingSim sim = MakeRing(10, 200, 20000);
  const auto before = OwnerIds(sim);
  auto change = sim.AddNode("new", 1);
  REQUIRE(change.ok());
  const auto after = OwnerIds(sim);
  uint32_t moved = 0;
  for (uint32_t i = 0; i < before.size(); ++i) {
    if (after[i] != before[i]) {
      REQUIRE(after[i] == "new");
      ++moved;
    }
  }
  CHECK(change.value().moved == moved);
  CHECK(sim.Column("moved_keys").size() == moved);
  CHECK(change.value().expected_fraction == Approx(1.0 / 11));
  // 200 vnodes: the new node's share has a relative spread of ~1/sqrt(200).
  CHECK(moved / 20000.0 == Approx(1.0 / 11).margin(0.02));
}

TEST_CASE("replicas are distinct nodes, start with the owner, and are capped at n",
          "[hash_ring]") {
  HashRingSim::Config config;
  config.replicas = 3;
  config.vnodes = 30;
  HashRingSim sim(1, config);
  for (const char* id : {"a", "b", "c", "d"}) REQUIRE(sim.AddNode(id, 1).ok());
  for (int i = 0; i < 500; ++i) {
    const std::string key = "key-" + std::to_string(i);
    auto r = sim.Lookup(key);
    REQUIRE(r.ok());
    const auto& replicas = r.value()["replicas"];
    REQUIRE(replicas.size() == 3);
    CHECK(replicas[0] == r.value()["node"]);
    CHECK(replicas[0] != replicas[1]);
    CHECK(replicas[1] != replicas[2]);
    CHECK(replicas[0] != replicas[2]);
    CHECK(r.value()["walk"][0]["node"] == replicas[0]);
  }
  config.replicas = 5;
  HashRingSim small(1, config);
  REQUIRE(small.AddNode("x", 1).ok());
  REQUIRE(small.AddNode("y", 1).ok());
  CHECK(small.Lookup("k").value()["replicas"].size() == 2);
}

TEST_CASE("more virtual nodes spread load more evenly, as theory predicts", "[hash_ring]") {
  auto cv_for = [](uint32_t vnodes) {
    HashRingSim sim = MakeRing(10, vnodes, 50000);
    const auto load = sim.Snapshot(HashRingSim::Detail::kSummary)["load"];
    return std::make_pair(load["cv"].get<double>(), load["expected_cv"].get<double>());
  };
  const auto [cv1, expected1] = cv_for(1);
  const auto [cv500, expected500] = cv_for(500);
  CHECK(cv500 < cv1 / 5);
  // One seed is one sample of the spread: within a factor of 2 of theory.
  CHECK(cv1 == Approx(expected1).epsilon(0.5));
  CHECK(cv500 == Approx(expected500).epsilon(0.5));
}

TEST_CASE("weights give proportional points, shares and keys", "[hash_ring]") {
  HashRingSim::Config config;
  config.vnodes = 300;
  HashRingSim sim(9, config);
  REQUIRE(sim.AddNode("small", 1).ok());
  REQUIRE(sim.AddNode("big", 3).ok());
  REQUIRE(sim.AddKeys(40000, "").ok());
  CHECK(sim.ring().nodes()[1].points == 900);
  const auto shares = sim.ring().Shares();
  CHECK(shares[0] + shares[1] == Approx(1.0));
  CHECK(shares[1] == Approx(0.75).margin(0.03));
  const auto nodes = sim.Snapshot(HashRingSim::Detail::kSummary)["nodes"];
  CHECK(nodes[1]["keys"].get<double>() / 40000 == Approx(0.75).margin(0.03));
}

TEST_CASE("state-dependent errors change nothing", "[hash_ring]") {
  HashRingSim sim = MakeRing(2, 10, 100);
  const auto before = sim.Snapshot(HashRingSim::Detail::kFull);
  CHECK_FALSE(sim.AddNode("node-0", 1).ok());
  CHECK_FALSE(sim.RemoveNode("ghost").ok());
  CHECK_FALSE(sim.AddKey(sim.Snapshot(HashRingSim::Detail::kFull)["assignment"].begin().key()).ok());
  CHECK_FALSE(sim.AddKeys(HashRingSim::kMaxKeys, "").ok());
  CHECK(sim.SetVnodes(1000).ok() == true);  // 2 nodes x 1000 is allowed
  CHECK(sim.SetVnodes(10).ok());
  CHECK(sim.Snapshot(HashRingSim::Detail::kFull)["nodes"] == before["nodes"]);
  CHECK(sim.Snapshot(HashRingSim::Detail::kFull)["assignment"] == before["assignment"]);

  HashRingSim empty(1, HashRingSim::Config{});
  CHECK(empty.Lookup("k").message() == "lookup: the ring is empty; add a node first");
  CHECK(empty.RemoveNode("a").message() == "remove_node: no node \"a\"; the ring is empty");
}

TEST_CASE("the point limit protects memory", "[hash_ring]") {
  HashRingSim::Config config;
  config.vnodes = 1000;
  HashRingSim sim(1, config);
  REQUIRE(sim.AddNode("huge", 100).ok());  // 100,000 points
  for (int i = 0; i < 9; ++i) REQUIRE(sim.AddNode("h" + std::to_string(i), 100).ok());
  auto r = sim.AddNode("one-too-many", 1);
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.message(), Catch::Contains("at most 1000000"));
  CHECK(sim.ring().total_points() == 1000000);
}

TEST_CASE("keys added to an empty ring are placed by the first node, not moved",
          "[hash_ring]") {
  HashRingSim sim(1, HashRingSim::Config{});
  REQUIRE(sim.AddKeys(10, "").ok());
  auto change = sim.AddNode("first", 1);
  REQUIRE(change.ok());
  CHECK(change.value().moved == 0);
  CHECK(change.value().expected_fraction < 0);
  CHECK(sim.Snapshot(HashRingSim::Detail::kSummary)["nodes"][0]["keys"] == 10);
}

TEST_CASE("AddNodes builds the same ring as AddNode one by one", "[hash_ring]") {
  sdp::ConsistentHashRing one_by_one(sdp::RingHash::kMurmur3, 37), bulk(sdp::RingHash::kMurmur3, 37);
  std::vector<std::pair<std::string, double>> nodes;
  for (int i = 0; i < 20; ++i) nodes.emplace_back("n" + std::to_string(i), 1 + i % 3);
  for (const auto& [id, weight] : nodes) one_by_one.AddNode(id, weight);
  bulk.AddNode("n0", 1);
  bulk.AddNodes(std::vector<std::pair<std::string, double>>(nodes.begin() + 1, nodes.end()));
  REQUIRE(bulk.points().size() == one_by_one.points().size());
  for (size_t i = 0; i < bulk.points().size(); ++i) {
    REQUIRE(bulk.points()[i].position == one_by_one.points()[i].position);
    REQUIRE(bulk.points()[i].node == one_by_one.points()[i].node);
  }
}

TEST_CASE("ring add-node theory counts points: at least one point for weight 0.3 at vnodes 1",
          "[hash_ring]") {
  // Karger et al.'s ring with random points: the new node's expected share is
  // its points over all points, p / (P + p). At vnodes 1 a weight-0.3 node
  // still gets one point, so 4 + 1 equal points: 1/5, not 0.3 / 4.3 = 0.070.
  double moved_sum = 0;
  const int rings = 300;
  for (int r = 0; r < rings; ++r) {
    HashRingSim::Config config;
    config.vnodes = 1;
    HashRingSim sim(r + 1, config);
    const std::string tag = "r" + std::to_string(r) + "-";
    for (const char* id : {"a", "b", "c", "d"}) REQUIRE(sim.AddNode(tag + id, 1).ok());
    REQUIRE(sim.AddKeys(500, "k:").ok());
    auto change = sim.AddNode(tag + "light", 0.3);
    REQUIRE(change.ok());
    REQUIRE(change.value().expected_fraction == Approx(0.2));
    moved_sum += change.value().moved / 500.0;
  }
  CHECK(moved_sum / rings == Approx(0.2).margin(0.03));
}

}  // namespace hash_ring_test

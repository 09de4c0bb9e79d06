#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "sdp/hash.h"
#include "sdp/placement.h"
#include "sdp/random.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace placement_test {

using sdp::PlacedNode;

namespace {

std::vector<PlacedNode> Nodes(uint32_t n) {
  std::vector<PlacedNode> out;
  for (uint32_t i = 0; i < n; ++i) out.push_back({"node-" + std::to_string(i), 1.0});
  return out;
}

std::string Key(uint32_t i) { return "key:" + std::to_string(i); }

}  // namespace

TEST_CASE("jump consistent hash gives ClickHouse's 00580_consistent_hashing_functions values",
          "[placement][jump]") {
  // Not the paper's (Lamping & Veach 2014 give the function): these are
  // ClickHouse's tests/queries/0_stateless/00580_consistent_hashing_functions
  // .sql and its .reference, whose jumpConsistentHash is the paper's code;
  // ours reproduces them.
  CHECK(sdp::JumpConsistentHash(1, 1) == 0);
  CHECK(sdp::JumpConsistentHash(42, 57) == 43);
  CHECK(sdp::JumpConsistentHash(256, 1024) == 520);
  CHECK(sdp::JumpConsistentHash(0xDEAD10CC, 1) == 0);
  CHECK(sdp::JumpConsistentHash(0xDEAD10CC, 666) == 361);
  CHECK(sdp::JumpConsistentHash(16045690984833335023ULL, 255) == 237);
}

TEST_CASE("jump, many keys at once: ClickHouse's values and bit-for-bit the single-key function",
          "[placement][jump]") {
  const uint64_t vector_keys[] = {1, 42, 0xDEAD10CC, 0xDEAD10CC, 256};
  const int32_t vector_buckets[] = {1, 57, 1, 666, 1024};
  const int32_t vector_expected[] = {0, 43, 0, 361, 520};
  for (int i = 0; i < 5; ++i) {
    int32_t out = -1;
    sdp::JumpConsistentHashMany(&vector_keys[i], 1, vector_buckets[i], &out);
    CHECK(out == vector_expected[i]);
  }
  // Counts that are not a multiple of the lane width, key 0 and the extremes
  // of the key and bucket ranges.
  sdp::Rng rng(7);
  for (int32_t buckets : {1, 2, 10, 100, 666, 65536, INT32_MAX}) {
    for (uint32_t count : {0u, 1u, 7u, 8u, 9u, 1000u}) {
      std::vector<uint64_t> keys(count);
      for (uint64_t& k : keys) k = rng.Next();
      if (count > 2) keys[0] = 0, keys[1] = UINT64_MAX;
      std::vector<int32_t> out(count, -1);
      sdp::JumpConsistentHashMany(keys.data(), count, buckets, out.data());
      for (uint32_t i = 0; i < count; ++i) {
        INFO("buckets " << buckets << " key " << keys[i]);
        REQUIRE(out[i] == sdp::JumpConsistentHash(keys[i], buckets));
      }
    }
  }
}

TEST_CASE("jump: growing by one bucket moves keys only to it, about 1/(n+1)", "[placement][jump]") {
  const int32_t n = 10;
  uint32_t moved = 0;
  const uint32_t keys = 100000;
  for (uint32_t i = 0; i < keys; ++i) {
    const uint64_t key = sdp::XxHash64(Key(i));
    const int32_t before = sdp::JumpConsistentHash(key, n);
    const int32_t after = sdp::JumpConsistentHash(key, n + 1);
    if (before != after) {
      REQUIRE(after == n);
      ++moved;
    }
  }
  CHECK(moved / double(keys) == Approx(1.0 / (n + 1)).margin(0.005));
}

TEST_CASE("rendezvous: a removal moves only the removed node's keys", "[placement][rendezvous]") {
  auto nodes = Nodes(8);
  sdp::Rendezvous all, fewer;
  all.Build(nodes);
  auto without = nodes;
  without.erase(without.begin() + 3);
  fewer.Build(without);
  uint32_t moved = 0;
  for (uint32_t i = 0; i < 20000; ++i) {
    const std::string before = nodes[all.Lookup(Key(i))].id;
    const std::string after = without[fewer.Lookup(Key(i))].id;
    if (before != "node-3") {
      REQUIRE(after == before);
    } else {
      ++moved;
    }
  }
  CHECK(moved / 20000.0 == Approx(1.0 / 8).margin(0.01));
}

TEST_CASE("rendezvous: weights give proportional shares", "[placement][rendezvous]") {
  std::vector<PlacedNode> nodes = {{"light", 1.0}, {"heavy", 3.0}};
  sdp::Rendezvous r;
  r.Build(nodes);
  uint32_t heavy = 0;
  for (uint32_t i = 0; i < 40000; ++i) heavy += r.Lookup(Key(i)) == 1 ? 1 : 0;
  CHECK(heavy / 40000.0 == Approx(0.75).margin(0.01));
}

TEST_CASE("maglev: the table is full and as even as the algorithm promises", "[placement][maglev]") {
  for (uint32_t n : {1u, 3u, 7u, 50u}) {
    sdp::MaglevTable table;
    table.Build(Nodes(n), 65537);
    const auto slots = table.SlotsPerNode(n);
    uint64_t total = 0;
    uint32_t lo = UINT32_MAX, hi = 0;
    for (uint32_t s : slots) {
      total += s;
      lo = std::min(lo, s);
      hi = std::max(hi, s);
    }
    CHECK(total == 65537);  // every slot filled with a real node
    CHECK(hi - lo <= 1);    // backends take turns, so counts differ by at most one
  }
  CHECK(sdp::MaglevTable::IsPrime(65537));
  CHECK_FALSE(sdp::MaglevTable::IsPrime(65536));
  CHECK_FALSE(sdp::MaglevTable::IsPrime(1));
}

TEST_CASE("maglev: removing a node disrupts little more than its own slots", "[placement][maglev]") {
  auto nodes = Nodes(10);
  auto fewer = nodes;
  fewer.pop_back();
  sdp::MaglevTable all, less;
  all.Build(nodes, 65537);
  less.Build(fewer, 65537);
  uint32_t changed = 0, own = 0;
  for (uint32_t slot = 0; slot < 65537; ++slot) {
    if (all.Entry(slot) == 9) ++own;
    if (all.Entry(slot) == 9 || nodes[all.Entry(slot)].id != fewer[less.Entry(slot)].id) ++changed;
  }
  CHECK(changed >= own);
  // The paper reports near-minimal disruption for M >> n (a few % extra).
  CHECK(changed / 65537.0 < 1.0 / 10 + 0.02);
}

TEST_CASE("ketama places four points per MD5 digest, floor(w/W * vnodes * n) digests each",
          "[placement][ketama]") {
  sdp::KetamaRing ring;
  ring.Build(Nodes(3), 40);
  CHECK(ring.points() == 3 * 40 * 4);
  std::vector<PlacedNode> weighted = {{"a", 1.0}, {"b", 2.0}};
  ring.Build(weighted, 40);
  // floor(1/3 * 40 * 2) = 26 and floor(2/3 * 40 * 2) = 53 digests.
  CHECK(ring.points() == (26 + 53) * 4);
  // hashring's hashValue("foo"): the first four MD5 bytes read little-endian.
  const auto d = sdp::Md5("foo");
  CHECK(sdp::KetamaRing::KeyPosition("foo") ==
        (uint32_t{d[3]} << 24 | uint32_t{d[2]} << 16 | uint32_t{d[1]} << 8 | d[0]));
}

TEST_CASE("npm hashring floors w/W * 40 * n in double: 39 digests for 7 equal servers, 1,092 points",
          "[placement][ketama]") {
  // hashring 3.2.0 index.js continuum(): Math.floor(percentage * vnodes *
  // servers.length) in double precision. 1/7 * 40 * 7 = 39.99999... -> 39.
  // (libketama computes float pct and gets 40 here; we follow hashring.)
  sdp::KetamaRing ring;
  for (uint32_t n : {7u, 14u, 28u, 49u}) {
    INFO(n << " servers");
    ring.Build(Nodes(n), 40);
    CHECK(ring.points() == n * 39 * 4);
  }
  ring.Build(Nodes(7), 40);
  CHECK(ring.points() == 1092);
  for (uint32_t n : {1u, 6u, 8u, 50u}) {
    INFO(n << " servers");
    ring.Build(Nodes(n), 40);
    CHECK(ring.points() == n * 160);
  }
}

}  // namespace placement_test

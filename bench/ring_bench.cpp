// Consistent-hash ring throughput, built twice from this one file: natively
// (build/native/sdp_bench) and as wasm run by node (build/wasm/sdp_bench.js),
// so the two columns time the same code. bench/compare_hashring.mjs runs both
// and parses the final `JSON {...}` line; bench/README.md explains the numbers.
//
// Wall-clock time is fine here: this is not simulation code and nothing it
// prints feeds a simulation. Each workload is timed 3 times and the fastest
// run kept, which filters out one-off noise (page faults, JIT/tier-up in node,
// another process taking the core) better than an average would.
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "sdp/consistent_hash_ring.h"
#include "sdp/hash.h"
#include "sdp/placement.h"

#include "bench_timing.h"

namespace {

using sdp_bench::BestOf;
using sdp_bench::kPlatform;

constexpr uint32_t kNodes = 100;
constexpr uint32_t kVnodes = 160;
constexpr uint32_t kBigNodes = 1000;
constexpr uint32_t kBigVnodes = 1000;
constexpr uint32_t kKeys = 1000000;
constexpr int kRuns = sdp_bench::kDefaultRuns;



// Node ids "node-0".."node-N" (weight 1), the same names the JS side uses.
sdp::ConsistentHashRing BuildRing(uint32_t nodes, uint32_t vnodes) {
  sdp::ConsistentHashRing ring(sdp::RingHash::kMurmur3, vnodes);
  for (uint32_t i = 0; i < nodes; ++i) ring.AddNode("node-" + std::to_string(i), 1.0);
  return ring;
}

// The same ring through AddNodes: all points generated, then one sort.
sdp::ConsistentHashRing BuildRingBulk(uint32_t nodes, uint32_t vnodes) {
  sdp::ConsistentHashRing ring(sdp::RingHash::kMurmur3, vnodes);
  std::vector<std::pair<std::string, double>> all;
  for (uint32_t i = 0; i < nodes; ++i) all.emplace_back("node-" + std::to_string(i), 1.0);
  ring.AddNodes(all);
  return ring;
}

// Sum of owner * (i + 1) over keys in order: depends on every key's owner and
// its position, stays below 2^53 (so JS doubles reproduce it exactly), and a
// loop whose result is printed cannot be optimized away.
uint64_t Mix(uint64_t sum, uint32_t i, uint32_t owner) { return sum + uint64_t{owner} * (i + 1); }

}  // namespace

int main() {
  // Build: the whole incremental AddNode sequence an app would run.
  uint64_t sink = 0;
  const double build_s = BestOf([&] { sink += BuildRing(kNodes, kVnodes).total_points(); });
  const double big_build_s =
      BestOf([&] { sink += BuildRing(kBigNodes, kBigVnodes).total_points(); });

  const double big_bulk_s =
      BestOf([&] { sink += BuildRingBulk(kBigNodes, kBigVnodes).total_points(); });

  const sdp::ConsistentHashRing ring = BuildRing(kNodes, kVnodes);
  std::vector<std::string> keys;
  std::vector<uint32_t> positions;
  keys.reserve(kKeys);
  positions.reserve(kKeys);
  for (uint32_t i = 0; i < kKeys; ++i) {
    keys.push_back("key:" + std::to_string(i));
    positions.push_back(sdp::RingPosition(ring.hash(), keys.back()));
  }

  // Hash-only: just the binary search over the sorted points.
  uint64_t hash_only_sum = 0;
  const double hash_only_s = BestOf([&] {
    uint64_t sum = 0;
    for (uint32_t i = 0; i < kKeys; ++i) sum = Mix(sum, i, ring.OwnerOf(positions[i]));
    hash_only_sum = sum;
  });
  // Full: murmur3 of the key string, then the search (what Ring.lookup does).
  uint64_t full_sum = 0;
  const double full_s = BestOf([&] {
    uint64_t sum = 0;
    for (uint32_t i = 0; i < kKeys; ++i) {
      sum = Mix(sum, i, ring.OwnerOf(sdp::RingPosition(ring.hash(), keys[i])));
    }
    full_sum = sum;
  });

  // Ketama exactly as npm hashring builds it (40 digests x 4 points per
  // server): MD5 of the key + search. Its checksum must equal the one
  // compare_hashring.mjs computes from hashring.get() itself.
  std::vector<sdp::PlacedNode> servers;
  for (uint32_t i = 0; i < kNodes; ++i) servers.push_back({"node-" + std::to_string(i), 1.0});
  sdp::KetamaRing ketama;
  ketama.Build(servers, sdp::KetamaRing::kDefaultVnodes);
  uint64_t ketama_sum = 0;
  const double ketama_s = BestOf([&] {
    uint64_t sum = 0;
    for (uint32_t i = 0; i < kKeys; ++i) sum = Mix(sum, i, ketama.Lookup(keys[i]));
    ketama_sum = sum;
  });

  // Jump: on precomputed 64-bit keys (the function alone), and from the
  // string (xxHash64 + jump), 100 buckets.
  std::vector<uint64_t> key64;
  key64.reserve(kKeys);
  for (const std::string& k : keys) key64.push_back(sdp::XxHash64(k));
  uint64_t jump_sum = 0, jump_full_sum = 0;
  const double jump_s = BestOf([&] {
    uint64_t sum = 0;
    for (uint32_t i = 0; i < kKeys; ++i) sum = Mix(sum, i, sdp::JumpConsistentHash(key64[i], kNodes));
    jump_sum = sum;
  });
  // The same buckets, eight keys' loops in lockstep (JumpConsistentHashMany).
  std::vector<int32_t> buckets(kKeys);
  uint64_t jump_many_sum = 0;
  const double jump_many_s = BestOf([&] {
    sdp::JumpConsistentHashMany(key64.data(), kKeys, kNodes, buckets.data());
    uint64_t sum = 0;
    for (uint32_t i = 0; i < kKeys; ++i) sum = Mix(sum, i, buckets[i]);
    jump_many_sum = sum;
  });
  const double jump_full_s = BestOf([&] {
    uint64_t sum = 0;
    for (uint32_t i = 0; i < kKeys; ++i) {
      sum = Mix(sum, i, sdp::JumpConsistentHash(sdp::XxHash64(keys[i]), kNodes));
    }
    jump_full_sum = sum;
  });

  const double build_ms = build_s * 1e3;
  const double big_build_ms = big_build_s * 1e3;
  const double hash_only_per_s = kKeys / hash_only_s;
  const double full_per_s = kKeys / full_s;

  std::printf("sdp_bench (%s), best of %d, %u keys\n", kPlatform, kRuns, kKeys);
  std::printf("  %-38s %14.2f ms\n", "build 100 nodes x 160 vnodes", build_ms);
  std::printf("  %-38s %14.0f /s\n", "lookup, precomputed hash (OwnerOf)", hash_only_per_s);
  std::printf("  %-38s %14.0f /s\n", "lookup, hash + OwnerOf on the string", full_per_s);
  std::printf("  %-38s %14.2f ms\n", "build 1000 nodes x 1000 vnodes", big_build_ms);
  std::printf("  %-38s %14.2f ms\n", "  the same with AddNodes (one sort)", big_bulk_s * 1e3);
  std::printf("  %-38s %14.0f /s\n", "ketama lookup (MD5 + search)", kKeys / ketama_s);
  std::printf("  %-38s %14.0f /s\n", "jump hash, precomputed 64-bit keys", kKeys / jump_s);
  std::printf("  %-38s %14.0f /s\n", "jump hash, 8 keys in flight (Many)", kKeys / jump_many_s);
  std::printf("  %-38s %14.0f /s\n", "jump hash, xxHash64 of the string", kKeys / jump_full_s);
  // Both loops visit the same owners, so the sums must agree here, and across
  // native and wasm: the ring's hashes are platform-independent.
  std::printf("  checksum %" PRIu64 " (hash-only %s), points built %" PRIu64 "\n", full_sum,
              hash_only_sum == full_sum ? "same" : "DIFFERENT", sink);
  std::printf(
      "JSON {\"platform\":\"%s\",\"keys\":%u,\"build_100x160_ms\":%.4f,"
      "\"hash_only_lookups_per_s\":%.0f,\"full_lookups_per_s\":%.0f,"
      "\"build_1000x1000_ms\":%.4f,\"build_1000x1000_bulk_ms\":%.4f,"
      "\"ketama_lookups_per_s\":%.0f,\"jump_lookups_per_s\":%.0f,\"jump_many_lookups_per_s\":%.0f,\"jump_full_lookups_per_s\":%.0f,"
      "\"checksum\":%" PRIu64 ",\"checksum_hash_only\":%" PRIu64 ",\"checksum_ketama\":%" PRIu64
      ",\"checksum_jump\":%" PRIu64 "}\n",
      kPlatform, kKeys, build_ms, hash_only_per_s, full_per_s, big_build_ms, big_bulk_s * 1e3,
      kKeys / ketama_s, kKeys / jump_s, kKeys / jump_many_s, kKeys / jump_full_s, full_sum, hash_only_sum, ketama_sum,
      jump_sum);
  return hash_only_sum == full_sum && jump_sum == jump_full_sum && jump_sum == jump_many_sum ? 0 : 1;
}

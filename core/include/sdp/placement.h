// Key-to-node placement schemes beside the consistent-hash ring, each matched
// to its reference:
//
//   JumpConsistentHash  Lamping & Veach 2014, "A Fast, Minimal Memory,
//                       Consistent Hash Algorithm" (the paper's code).
//   KetamaRing          ketama as the npm `hashring` package builds it (not
//                       libketama, which rounds the digest count in float):
//                       MD5(server + "-" + i), four 32-bit points per digest,
//                       floor(weight/total * vnodes * n) digests per server.
//   Rendezvous          highest random weight (Thaler & Ravishankar 1998),
//                       weighted as score = -w / ln(u) (Schindelhauer &
//                       Schomaker 2005), u uniform in (0,1) from hash(node, key).
//   MaglevTable         Eisenbud et al. 2016, Algorithm 1 (equal weights):
//                       offset = h1 mod M, skip = h2 mod (M-1) + 1.
//
// Every Lookup returns an index into the node list the scheme was built from
// and adds the work it did to *probes (comparisons, hashes, loop turns), so
// the lab can show lookup cost as a number.
#ifndef SDP_PLACEMENT_H_
#define SDP_PLACEMENT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sdp {

struct PlacedNode {
  std::string id;
  double weight;
};

// The paper's function. REQUIRES: num_buckets >= 1. Returns [0, num_buckets).
int32_t JumpConsistentHash(uint64_t key, int32_t num_buckets, uint32_t* probes = nullptr);
// The same function for many keys: out[i] = JumpConsistentHash(keys[i], n),
// bit for bit. It walks several keys' loops in lockstep so that their
// divisions overlap instead of each waiting for the previous one.
// REQUIRES: num_buckets >= 1; `out` has room for `count` results.
void JumpConsistentHashMany(const uint64_t* keys, uint32_t count, int32_t num_buckets,
                            int32_t* out);

class KetamaRing {
 public:
  static constexpr uint32_t kDefaultVnodes = 40;  // hashring's 'vnode count'
  static constexpr uint32_t kPointsPerDigest = 4;

  // REQUIRES: every weight > 0
  void Build(const std::vector<PlacedNode>& nodes, uint32_t vnodes);
  // REQUIRES: !empty()
  uint32_t Lookup(std::string_view key, uint32_t* probes = nullptr) const;
  // The MD5-based 32-bit position of a key, as hashring's hashValue().
  static uint32_t KeyPosition(std::string_view key);
  bool empty() const { return points_.empty(); }
  uint64_t points() const { return points_.size(); }
  uint64_t MemoryBytes() const { return points_.size() * sizeof(Point); }

 private:
  struct Point {
    uint32_t position;
    uint32_t node;
  };
  std::vector<Point> points_;
};

class Rendezvous {
 public:
  void Build(const std::vector<PlacedNode>& nodes);
  // REQUIRES: at least one node
  uint32_t Lookup(std::string_view key, uint32_t* probes = nullptr) const;
  uint64_t MemoryBytes() const { return seeds_.size() * (sizeof(uint64_t) + sizeof(double)); }

 private:
  std::vector<uint64_t> seeds_;  // per node: hash of its id, mixed into each key's hash
  std::vector<double> weights_;
};

class MaglevTable {
 public:
  static constexpr uint32_t kDefaultSize = 65537;
  static bool IsPrime(uint64_t n);

  // REQUIRES: IsPrime(size), size >= nodes.size() >= 1
  void Build(const std::vector<PlacedNode>& nodes, uint32_t size);
  uint32_t Lookup(std::string_view key, uint32_t* probes = nullptr) const;
  uint32_t size() const { return static_cast<uint32_t>(entry_.size()); }
  // The node index in slot `slot`. REQUIRES: slot < size()
  uint32_t Entry(uint32_t slot) const { return entry_[slot]; }
  uint64_t MemoryBytes() const { return entry_.size() * sizeof(uint32_t); }
  // Slots per node, for showing how even the table is.
  std::vector<uint32_t> SlotsPerNode(uint32_t nodes) const;

 private:
  std::vector<uint32_t> entry_;
};

}  // namespace sdp

#endif  // SDP_PLACEMENT_H_

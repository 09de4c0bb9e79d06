// A consistent-hash ring (Karger et al. 1997) with virtual nodes and weights.
//
// Positions are 32-bit. A node of weight w gets round(vnodes * w) points (at
// least one), each at Hash(id + "#" + i). A key belongs to the first point at
// or clockwise after Hash(key), wrapping past 2^32 - 1 to the start. Its
// preference list (replication factor R) is the next R *distinct* nodes met
// walking clockwise from there.
//
// Invariants: points are sorted by (position, node id, vnode index), so ties
// between colliding hashes resolve the same way everywhere; every node has at
// least one point; node ids are unique.
//
// Left out: ketama's MD5 point layout (the hash lab adds it), bounded loads.
#ifndef SDP_CONSISTENT_HASH_RING_H_
#define SDP_CONSISTENT_HASH_RING_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sdp {

enum class RingHash { kMurmur3, kFnv1a, kXxHash64 };

// "murmur3" | "fnv1a" | "xxhash64"; false if unknown.
bool ParseRingHash(std::string_view name, RingHash* out);
const char* RingHashName(RingHash hash);
uint32_t RingPosition(RingHash hash, std::string_view data);

class ConsistentHashRing {
 public:
  struct Node {
    std::string id;
    double weight;
    uint32_t points;
  };
  struct Point {
    uint32_t position;
    uint32_t node;   // index into nodes()
    uint32_t vnode;  // i in id#i
  };

  ConsistentHashRing(RingHash hash, uint32_t vnodes) : hash_(hash), vnodes_(vnodes) {}

  // Points a node of this weight gets with the current vnodes setting.
  uint32_t PointsFor(double weight) const;
  // REQUIRES: FindNode(id) < 0, weight > 0
  void AddNode(const std::string& id, double weight);
  // Many nodes at once: one sort instead of a merge per node (a 1000 x 1000
  // ring builds ~10x faster). Same result as calling AddNode for each in order.
  // REQUIRES: ids new and distinct, weights > 0
  void AddNodes(const std::vector<std::pair<std::string, double>>& nodes);
  // REQUIRES: node < nodes().size(). Later node indices shift down by one.
  void RemoveNode(uint32_t node);
  // Re-places every node's points. REQUIRES: vnodes >= 1
  void SetVnodes(uint32_t vnodes);

  int32_t FindNode(std::string_view id) const;
  // Index into points() of the first point clockwise from `position`.
  // REQUIRES: !empty()
  uint32_t SuccessorPoint(uint32_t position) const;
  uint32_t OwnerOf(uint32_t position) const { return points_[SuccessorPoint(position)].node; }
  // The first `replicas` distinct nodes clockwise; `walked` (optional) gets the
  // indices into points() visited, for drawing the walk. REQUIRES: !empty()
  std::vector<uint32_t> PreferenceList(uint32_t position, uint32_t replicas,
                                       std::vector<uint32_t>* walked = nullptr) const;
  // Fraction of the 2^32 circle each node owns (the arc ending at its points).
  std::vector<double> Shares() const;

  bool empty() const { return nodes_.empty(); }
  RingHash hash() const { return hash_; }
  uint32_t vnodes() const { return vnodes_; }
  uint64_t total_points() const { return points_.size(); }
  const std::vector<Node>& nodes() const { return nodes_; }
  const std::vector<Point>& points() const { return points_; }

 private:
  // The node's points, sorted by Before() unless the caller sorts them all.
  std::vector<Point> PointsOf(uint32_t node, bool sorted = true) const;
  bool Before(const Point& a, const Point& b) const;

  RingHash hash_;
  uint32_t vnodes_;
  std::vector<Node> nodes_;
  std::vector<Point> points_;
};

}  // namespace sdp

#endif  // SDP_CONSISTENT_HASH_RING_H_

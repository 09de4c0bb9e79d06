#include "sdp/consistent_hash_ring.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "sdp/hash.h"
#include "sdp/status.h"

namespace sdp {

bool ParseRingHash(std::string_view name, RingHash* out) {
  if (name == "murmur3") *out = RingHash::kMurmur3;
  else if (name == "fnv1a") *out = RingHash::kFnv1a;
  else if (name == "xxhash64") *out = RingHash::kXxHash64;
  else return false;
  return true;
}

const char* RingHashName(RingHash hash) {
  switch (hash) {
    case RingHash::kMurmur3: return "murmur3";
    case RingHash::kFnv1a: return "fnv1a";
    case RingHash::kXxHash64: return "xxhash64";
  }
  return "?";
}

uint32_t RingPosition(RingHash hash, std::string_view data) {
  switch (hash) {
    case RingHash::kMurmur3: return Murmur3X86_32(data);
    case RingHash::kFnv1a: return Fnv1a32(data);
    case RingHash::kXxHash64: return static_cast<uint32_t>(XxHash64(data));
  }
  return 0;
}

uint32_t ConsistentHashRing::PointsFor(double weight) const {
  const double exact = std::floor(weight * vnodes_ + 0.5);
  return exact < 1 ? 1 : static_cast<uint32_t>(exact);
}

bool ConsistentHashRing::Before(const Point& a, const Point& b) const {
  if (a.position != b.position) return a.position < b.position;
  if (a.node != b.node) return nodes_[a.node].id < nodes_[b.node].id;
  return a.vnode < b.vnode;
}

std::vector<ConsistentHashRing::Point> ConsistentHashRing::PointsOf(uint32_t node,
                                                                   bool sorted) const {
  const Node& n = nodes_[node];
  std::vector<Point> out;
  out.reserve(n.points);
  std::string label = n.id + "#";
  const size_t prefix = label.size();
  char digits[16];
  for (uint32_t i = 0; i < n.points; ++i) {
    // to_chars, not to_string: no allocation per point (a 1M-point build).
    const auto end = std::to_chars(digits, digits + sizeof(digits), i).ptr;
    label.resize(prefix);
    label.append(digits, end);
    out.push_back({RingPosition(hash_, label), node, i});
  }
  if (sorted) {
    auto before = [this](const Point& a, const Point& b) { return Before(a, b); };
    std::sort(out.begin(), out.end(), before);
  }
  return out;
}

void ConsistentHashRing::AddNode(const std::string& id, double weight) {
  SDP_CHECK(FindNode(id) < 0 && weight > 0);
  nodes_.push_back({id, weight, PointsFor(weight)});
  std::vector<Point> added = PointsOf(static_cast<uint32_t>(nodes_.size() - 1));
  const auto middle = static_cast<std::ptrdiff_t>(points_.size());
  points_.insert(points_.end(), added.begin(), added.end());
  auto before = [this](const Point& a, const Point& b) { return Before(a, b); };
  std::inplace_merge(points_.begin(), points_.begin() + middle, points_.end(), before);
}

void ConsistentHashRing::AddNodes(const std::vector<std::pair<std::string, double>>& nodes) {
  const auto first_new = static_cast<uint32_t>(nodes_.size());
  for (const auto& [id, weight] : nodes) {
    SDP_CHECK(FindNode(id) < 0 && weight > 0);
    nodes_.push_back({id, weight, PointsFor(weight)});
  }
  for (uint32_t i = first_new; i < nodes_.size(); ++i) {
    std::vector<Point> mine = PointsOf(i, /*sorted=*/false);
    points_.insert(points_.end(), mine.begin(), mine.end());
  }
  auto before = [this](const Point& a, const Point& b) { return Before(a, b); };
  std::sort(points_.begin(), points_.end(), before);
}

void ConsistentHashRing::RemoveNode(uint32_t node) {
  SDP_CHECK(node < nodes_.size());
  std::erase_if(points_, [node](const Point& p) { return p.node == node; });
  for (Point& p : points_) {
    if (p.node > node) --p.node;
  }
  nodes_.erase(nodes_.begin() + node);
}

void ConsistentHashRing::SetVnodes(uint32_t vnodes) {
  SDP_CHECK(vnodes >= 1);
  vnodes_ = vnodes;
  points_.clear();
  for (uint32_t i = 0; i < nodes_.size(); ++i) {
    nodes_[i].points = PointsFor(nodes_[i].weight);
    std::vector<Point> mine = PointsOf(i, /*sorted=*/false);
    points_.insert(points_.end(), mine.begin(), mine.end());
  }
  auto before = [this](const Point& a, const Point& b) { return Before(a, b); };
  std::sort(points_.begin(), points_.end(), before);
}

int32_t ConsistentHashRing::FindNode(std::string_view id) const {
  for (uint32_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].id == id) return static_cast<int32_t>(i);
  }
  return -1;
}

uint32_t ConsistentHashRing::SuccessorPoint(uint32_t position) const {
  SDP_CHECK(!points_.empty());
  const auto it = std::lower_bound(points_.begin(), points_.end(), position,
                                   [](const Point& p, uint32_t pos) { return p.position < pos; });
  return it == points_.end() ? 0 : static_cast<uint32_t>(it - points_.begin());
}

std::vector<uint32_t> ConsistentHashRing::PreferenceList(uint32_t position, uint32_t replicas,
                                                         std::vector<uint32_t>* walked) const {
  SDP_CHECK(!points_.empty());
  const uint32_t wanted = std::min<uint32_t>(replicas, static_cast<uint32_t>(nodes_.size()));
  std::vector<uint32_t> chosen;
  uint32_t index = SuccessorPoint(position);
  // At most one full turn: every node has a point, so `wanted` are found.
  for (uint64_t visited = 0; chosen.size() < wanted && visited < points_.size(); ++visited) {
    const uint32_t node = points_[index].node;
    if (walked != nullptr) walked->push_back(index);
    if (std::find(chosen.begin(), chosen.end(), node) == chosen.end()) chosen.push_back(node);
    index = index + 1 == points_.size() ? 0 : index + 1;
  }
  return chosen;
}

std::vector<double> ConsistentHashRing::Shares() const {
  std::vector<double> shares(nodes_.size(), 0.0);
  if (points_.empty()) return shares;
  std::vector<uint64_t> arcs(nodes_.size(), 0);
  for (uint64_t i = 0; i < points_.size(); ++i) {
    const uint64_t here = points_[i].position;
    // The arc (previous point, this point]; the first point's wraps around.
    const uint64_t previous = i == 0 ? points_.back().position : points_[i - 1].position;
    arcs[points_[i].node] += i == 0 ? (here + (uint64_t{1} << 32) - previous) % (uint64_t{1} << 32)
                                    : here - previous;
  }
  if (points_.size() == 1 || std::all_of(points_.begin(), points_.end(), [&](const Point& p) {
        return p.position == points_[0].position;
      })) {
    arcs[points_[0].node] = uint64_t{1} << 32;  // one position holds the whole circle
  }
  for (uint64_t i = 0; i < nodes_.size(); ++i) {
    shares[i] = static_cast<double>(arcs[i]) / 4294967296.0;
  }
  return shares;
}

}  // namespace sdp

#include <algorithm>
#include <bit>
#include <cmath>

#include "sdp/hash.h"
#include "sdp/placement.h"
#include "sdp/status.h"

namespace sdp {
namespace {

// hashring's hashValueHash(x[3+4j], x[2+4j], x[1+4j], x[4j]): bytes 4j..4j+3
// of the digest read little-endian.
uint32_t DigestWord(const std::array<uint8_t, 16>& d, uint32_t j) {
  return (uint32_t{d[3 + 4 * j]} << 24) | (uint32_t{d[2 + 4 * j]} << 16) |
         (uint32_t{d[1 + 4 * j]} << 8) | uint32_t{d[4 * j]};
}

}  // namespace

uint32_t KetamaRing::KeyPosition(std::string_view key) { return DigestWord(Md5(key), 0); }

void KetamaRing::Build(const std::vector<PlacedNode>& nodes, uint32_t vnodes) {
  points_.clear();
  double total = 0;
  for (const PlacedNode& node : nodes) total += node.weight;
  const double n = static_cast<double>(nodes.size());
  for (uint32_t s = 0; s < nodes.size(); ++s) {
    SDP_CHECK(nodes[s].weight > 0);
    // Evaluated in hashring's order: floor(percentage * vnodes * servers.length).
    const double percentage = nodes[s].weight / total;
    const auto length = static_cast<uint32_t>(std::floor(percentage * vnodes * n));
    for (uint32_t i = 0; i < length; ++i) {
      const auto digest = Md5(nodes[s].id + "-" + std::to_string(i));
      for (uint32_t j = 0; j < kPointsPerDigest; ++j) points_.push_back({DigestWord(digest, j), s});
    }
  }
  // JavaScript's sort is stable: equal positions keep insertion order.
  std::stable_sort(points_.begin(), points_.end(),
                   [](const Point& a, const Point& b) { return a.position < b.position; });
}

uint32_t KetamaRing::Lookup(std::string_view key, uint32_t* probes) const {
  SDP_CHECK(!points_.empty());
  const uint32_t position = KeyPosition(key);
  const auto it = std::lower_bound(points_.begin(), points_.end(), position,
                                   [](const Point& p, uint32_t pos) { return p.position < pos; });
  if (probes != nullptr) *probes += static_cast<uint32_t>(std::bit_width(points_.size()));
  return it == points_.end() ? points_.front().node : it->node;
}

}  // namespace sdp

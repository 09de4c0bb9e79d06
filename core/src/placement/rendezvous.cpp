#include "sdp/detmath.h"
#include "sdp/hash.h"
#include "sdp/placement.h"
#include "sdp/status.h"

namespace sdp {

void Rendezvous::Build(const std::vector<PlacedNode>& nodes) {
  seeds_.clear();
  weights_.clear();
  for (const PlacedNode& node : nodes) {
    seeds_.push_back(XxHash64(node.id));
    weights_.push_back(node.weight);
  }
}

uint32_t Rendezvous::Lookup(std::string_view key, uint32_t* probes) const {
  SDP_CHECK(!seeds_.empty());
  uint32_t best = 0;
  double best_score = 0;
  for (uint32_t i = 0; i < seeds_.size(); ++i) {
    // u in (0, 1), never 0 or 1, so ln(u) < 0 and the score is positive.
    const double u = (static_cast<double>(XxHash64(key, seeds_[i]) >> 11) + 0.5) * 0x1.0p-53;
    const double score = -weights_[i] / DetLog(u);
    if (i == 0 || score > best_score) {
      best = i;
      best_score = score;
    }
  }
  if (probes != nullptr) *probes += static_cast<uint32_t>(seeds_.size());
  return best;
}

}  // namespace sdp

#include "sdp/hash.h"
#include "sdp/placement.h"
#include "sdp/status.h"

namespace sdp {
namespace {

constexpr uint32_t kEmpty = UINT32_MAX;
// Two independent hashes of a backend's name, as the paper asks for.
constexpr uint64_t kOffsetSeed = 0x4d41474c45564f46ULL;
constexpr uint64_t kSkipSeed = 0x4d41474c45565350ULL;

}  // namespace

bool MaglevTable::IsPrime(uint64_t n) {
  if (n < 2) return false;
  for (uint64_t d = 2; d * d <= n; ++d) {
    if (n % d == 0) return false;
  }
  return true;
}

void MaglevTable::Build(const std::vector<PlacedNode>& nodes, uint32_t size) {
  SDP_CHECK(IsPrime(size) && size >= nodes.size() && !nodes.empty());
  const uint64_t m = size;
  const uint64_t n = nodes.size();
  std::vector<uint64_t> offset(n), skip(n), next(n, 0);
  for (uint64_t i = 0; i < n; ++i) {
    offset[i] = XxHash64(nodes[i].id, kOffsetSeed) % m;
    skip[i] = XxHash64(nodes[i].id, kSkipSeed) % (m - 1) + 1;
  }
  entry_.assign(size, kEmpty);
  // Algorithm 1: backends take turns claiming their next preferred free slot.
  for (uint64_t filled = 0; filled < m;) {
    for (uint64_t i = 0; i < n && filled < m; ++i) {
      uint64_t c = (offset[i] + next[i] * skip[i]) % m;
      while (entry_[c] != kEmpty) {
        ++next[i];
        c = (offset[i] + next[i] * skip[i]) % m;
      }
      entry_[c] = static_cast<uint32_t>(i);
      ++next[i];
      ++filled;
    }
  }
}

uint32_t MaglevTable::Lookup(std::string_view key, uint32_t* probes) const {
  SDP_CHECK(!entry_.empty());
  if (probes != nullptr) ++*probes;
  return entry_[XxHash64(key) % entry_.size()];
}

std::vector<uint32_t> MaglevTable::SlotsPerNode(uint32_t nodes) const {
  std::vector<uint32_t> slots(nodes, 0);
  for (uint32_t e : entry_) {
    if (e < nodes) ++slots[e];
  }
  return slots;
}

}  // namespace sdp

// PositionMinIndex against a left-to-right scan: the first best position of
// any range, after any sequence of single-position changes.
#include <catch2/catch.hpp>
#include <cstdint>
#include <vector>

#include "sdp/position_min_index.h"
#include "sdp/random.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace position_min_index_test {

namespace {

int32_t ScanBest(const std::vector<uint32_t>& keys, uint32_t lo, uint32_t hi) {
  int32_t best = -1;
  for (uint32_t i = lo; i < hi; ++i) {
    if (best < 0 || keys[i] < keys[static_cast<uint32_t>(best)]) best = static_cast<int32_t>(i);
  }
  return best;
}

}  // namespace

TEST_CASE("position min index answers like a scan after random updates", "[position_min_index]") {
  sdp::Rng rng(11);
  for (uint32_t n : {1u, 2u, 3u, 7u, 8u, 9u, 100u, 1000u}) {
    std::vector<uint32_t> keys(n);
    // Few distinct keys: many ties, which must go to the lower position.
    for (uint32_t& k : keys) k = static_cast<uint32_t>(rng.Below(4));
    auto better = [&](uint32_t a, uint32_t b) { return keys[a] < keys[b] || (keys[a] == keys[b] && a < b); };
    sdp::PositionMinIndex index;
    index.Build(n, better);
    REQUIRE(index.size() == n);
    for (int step = 0; step < 2000; ++step) {
      const auto pos = static_cast<uint32_t>(rng.Below(n));
      keys[pos] = static_cast<uint32_t>(rng.Below(4));
      index.Update(pos, better);
      const auto lo = static_cast<uint32_t>(rng.Below(n));
      const auto hi = lo + static_cast<uint32_t>(rng.Below(n - lo + 1));
      REQUIRE(index.Query(lo, hi, better) == ScanBest(keys, lo, hi));
      REQUIRE(index.Query(0, n, better) == ScanBest(keys, 0, n));
    }
  }
}

TEST_CASE("an empty range has no best position", "[position_min_index]") {
  std::vector<uint32_t> keys = {3, 1, 2};
  auto better = [&](uint32_t a, uint32_t b) { return keys[a] < keys[b] || (keys[a] == keys[b] && a < b); };
  sdp::PositionMinIndex index;
  index.Build(3, better);
  CHECK(index.Query(2, 2, better) == sdp::PositionMinIndex::kNone);
  CHECK(index.Query(0, 3, better) == 1);
  keys[1] = 5;
  index.Update(1, better);
  CHECK(index.Query(0, 3, better) == 2);
}

}  // namespace position_min_index_test

// The best position of an array under a caller's order, kept up to date as
// single positions change: a bottom-up segment tree of positions.
//
// Why: least_connections and least_response_time pick the lightest of all
// servers on every request. A scan is O(n) per pick; with 100 servers it was
// most of the simulation's time. The loads change one server at a time, so a
// tree answers each pick in O(log n) and each change costs O(log n).
//
// `better(a, b)` must be a strict total order on positions (ties broken by
// position), so that the answer is the same whatever the tree's shape: the
// first best position, exactly what a left-to-right scan returns.
#ifndef SDP_POSITION_MIN_INDEX_H_
#define SDP_POSITION_MIN_INDEX_H_

#include <cstdint>
#include <vector>

namespace sdp {

class PositionMinIndex {
 public:
  static constexpr int32_t kNone = -1;

  template <typename Better>
  void Build(uint32_t n, const Better& better) {
    n_ = n;
    size_ = 1;
    while (size_ < n) size_ *= 2;
    tree_.assign(2 * size_, kNone);
    for (uint32_t i = 0; i < n; ++i) tree_[size_ + i] = static_cast<int32_t>(i);
    for (uint32_t i = size_ - 1; i >= 1; --i) tree_[i] = Best(tree_[2 * i], tree_[2 * i + 1], better);
  }

  // Position `pos` changed its key.
  template <typename Better>
  void Update(uint32_t pos, const Better& better) {
    for (uint32_t i = (size_ + pos) / 2; i >= 1; i /= 2) {
      const int32_t before = tree_[i];
      tree_[i] = Best(tree_[2 * i], tree_[2 * i + 1], better);
      // The same winner, and not the position that changed: nothing above
      // can change either (a node depends only on its children's winners).
      if (tree_[i] == before && before != static_cast<int32_t>(pos)) break;
    }
  }

  // The best position in [lo, hi), or kNone if the range is empty.
  template <typename Better>
  int32_t Query(uint32_t lo, uint32_t hi, const Better& better) const {
    int32_t best = kNone;
    for (uint32_t l = lo + size_, r = hi + size_; l < r; l /= 2, r /= 2) {
      if (l & 1) best = Best(best, tree_[l++], better);
      if (r & 1) best = Best(best, tree_[--r], better);
    }
    return best;
  }

  uint32_t size() const { return n_; }

 private:
  template <typename Better>
  static int32_t Best(int32_t a, int32_t b, const Better& better) {
    if (a == kNone) return b;
    if (b == kNone) return a;
    return better(static_cast<uint32_t>(b), static_cast<uint32_t>(a)) ? b : a;
  }

  uint32_t n_ = 0;
  uint32_t size_ = 1;
  std::vector<int32_t> tree_;
};

}  // namespace sdp

#endif  // SDP_POSITION_MIN_INDEX_H_

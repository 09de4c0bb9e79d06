// A set of write sequence numbers kept as sorted, disjoint, inclusive ranges.
//
// Which acknowledged writes a file holds is almost always one or a few runs of
// consecutive numbers (writes are appended in order; a crash cuts a suffix),
// so ranges keep "what survives" exact at a cost of a few words, whatever the
// number of writes.
#ifndef SDP_REDIS_PERSIST_SEQ_SET_H_
#define SDP_REDIS_PERSIST_SEQ_SET_H_

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace sdp::redis_persist {

class SeqSet {
 public:
  struct Range {
    uint64_t first;
    uint64_t last;  // inclusive
    bool operator==(const Range&) const = default;
  };

  // REQUIRES: seq > 0 and seq greater than every member (writes come in order).
  void Add(uint64_t seq) {
    if (!ranges_.empty() && ranges_.back().last + 1 == seq) {
      ranges_.back().last = seq;
    } else {
      ranges_.push_back({seq, seq});
    }
  }
  void AddRange(uint64_t first, uint64_t last) {
    if (first > last) return;
    *this = Union(*this, FromRange(first, last));
  }
  static SeqSet FromRange(uint64_t first, uint64_t last) {
    SeqSet s;
    if (first <= last) s.ranges_.push_back({first, last});
    return s;
  }

  bool empty() const { return ranges_.empty(); }
  const std::vector<Range>& ranges() const { return ranges_; }
  uint64_t Count() const {
    uint64_t n = 0;
    for (const Range& r : ranges_) n += r.last - r.first + 1;
    return n;
  }
  uint64_t Max() const { return ranges_.empty() ? 0 : ranges_.back().last; }
  uint64_t Min() const { return ranges_.empty() ? 0 : ranges_.front().first; }
  bool Contains(uint64_t seq) const {
    auto it = std::upper_bound(ranges_.begin(), ranges_.end(), seq,
                               [](uint64_t s, const Range& r) { return s < r.first; });
    return it != ranges_.begin() && std::prev(it)->last >= seq;
  }
  // Members <= `max`.
  SeqSet UpTo(uint64_t max) const { return Intersect(*this, FromRange(1, max)); }
  // The first `limit` members, in order.
  std::vector<uint64_t> Elements(uint64_t limit) const {
    std::vector<uint64_t> out;
    for (const Range& r : ranges_) {
      for (uint64_t s = r.first; s <= r.last && out.size() < limit; ++s) out.push_back(s);
      if (out.size() >= limit) break;
    }
    return out;
  }

  static SeqSet Union(const SeqSet& a, const SeqSet& b) {
    std::vector<Range> all = a.ranges_;
    all.insert(all.end(), b.ranges_.begin(), b.ranges_.end());
    std::sort(all.begin(), all.end(),
              [](const Range& x, const Range& y) { return x.first < y.first; });
    SeqSet out;
    for (const Range& r : all) {
      if (!out.ranges_.empty() && out.ranges_.back().last + 1 >= r.first) {
        out.ranges_.back().last = std::max(out.ranges_.back().last, r.last);
      } else {
        out.ranges_.push_back(r);
      }
    }
    return out;
  }
  static SeqSet Intersect(const SeqSet& a, const SeqSet& b) {
    SeqSet out;
    size_t i = 0, j = 0;
    while (i < a.ranges_.size() && j < b.ranges_.size()) {
      const uint64_t lo = std::max(a.ranges_[i].first, b.ranges_[j].first);
      const uint64_t hi = std::min(a.ranges_[i].last, b.ranges_[j].last);
      if (lo <= hi) out.ranges_.push_back({lo, hi});
      if (a.ranges_[i].last < b.ranges_[j].last) {
        ++i;
      } else {
        ++j;
      }
    }
    return out;
  }
  // a minus b.
  static SeqSet Minus(const SeqSet& a, const SeqSet& b) {
    SeqSet out;
    size_t j = 0;
    for (Range r : a.ranges_) {
      while (j < b.ranges_.size() && b.ranges_[j].last < r.first) ++j;
      size_t k = j;
      while (k < b.ranges_.size() && b.ranges_[k].first <= r.last && r.first <= r.last) {
        if (b.ranges_[k].first > r.first) out.ranges_.push_back({r.first, b.ranges_[k].first - 1});
        if (b.ranges_[k].last >= r.last) {
          r.first = r.last + 1;  // consumed
          break;
        }
        r.first = b.ranges_[k].last + 1;
        ++k;
      }
      if (r.first <= r.last) out.ranges_.push_back(r);
    }
    return out;
  }

  bool operator==(const SeqSet&) const = default;

 private:
  std::vector<Range> ranges_;
};

}  // namespace sdp::redis_persist

#endif  // SDP_REDIS_PERSIST_SEQ_SET_H_

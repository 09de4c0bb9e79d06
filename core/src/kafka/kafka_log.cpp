#include "kafka/kafka_log.h"

#include <algorithm>

#include "sdp/status.h"

namespace sdp::kafka::internal {
namespace {

// Deleted records are released when at least this many are dead and they are
// more than half the storage: amortised O(1) per record, no erase per segment.
constexpr int64_t kCompactMinDead = 65536;

template <typename T>
void DropFront(std::vector<T>& v, size_t n) {
  v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n));
}

template <typename T>
void KeepFront(std::vector<T>& v, size_t n) {
  v.resize(n);
}

}  // namespace

void PartitionLog::PrepareAppend(SimTime now, uint64_t batch_bytes, uint64_t segment_bytes,
                                 SimTime segment_time) {
  Segment& active = segments_.back();
  const bool empty = active.base == end();
  if (!empty) {
    const uint64_t size = Pos(end()) - Pos(active.base);
    if (size + batch_bytes > segment_bytes || now - active.first_append >= segment_time) {
      segments_.push_back({end(), now, now});
      return;
    }
  }
  if (empty) active.first_append = now;
  active.last_append = now;
}

void PartitionLog::Append(uint32_t key, uint32_t seq, uint32_t value, uint32_t bytes) {
  key_.push_back(key);
  seq_.push_back(seq);
  value_.push_back(value);
  pos_.push_back(end_pos_);
  acked_.push_back(0);
  end_pos_ += bytes;
}

void PartitionLog::MarkAcked(int64_t first, int64_t last) {
  first = std::max(first, stored_base_);
  last = std::min(last, end());
  for (int64_t o = first; o < last; ++o) acked_[Index(o)] = 1;
}

PartitionLog::Cut PartitionLog::TruncateTo(int64_t new_end) {
  SDP_CHECK(new_end >= start_ && new_end <= end());
  Cut cut;
  cut.records = end() - new_end;
  for (int64_t o = new_end; o < end(); ++o) cut.acked += acked_[Index(o)];
  end_pos_ = Pos(new_end);
  const size_t keep = Index(new_end);
  KeepFront(key_, keep);
  KeepFront(seq_, keep);
  KeepFront(value_, keep);
  KeepFront(pos_, keep);
  KeepFront(acked_, keep);
  while (segments_.size() > 1 && segments_.back().base >= new_end) segments_.pop_back();
  return cut;
}

int64_t PartitionLog::FetchEnd(int64_t from, uint64_t max_bytes) const {
  if (from >= end()) return end();
  const uint64_t base = Pos(from);
  if (end_pos_ - base <= max_bytes) return end();
  // The first record starting beyond base + max_bytes cannot be whole.
  const auto first = pos_.begin() + static_cast<std::ptrdiff_t>(Index(from) + 1);
  const auto it = std::upper_bound(first, pos_.end(), base + max_bytes);
  const int64_t fit = stored_base_ + static_cast<int64_t>(it - pos_.begin()) - 1;
  return std::max(fit, from + 1);
}

int64_t PartitionLog::DeleteOldSegments(SimTime now, int64_t retention_ms,
                                        int64_t retention_bytes, int64_t hw) {
  const int64_t before = start_;
  while (true) {
    const Segment& oldest = segments_.front();
    const int64_t seg_end = SegmentEnd(0);
    if (seg_end == oldest.base || seg_end > hw) break;
    const uint64_t seg_bytes = Pos(seg_end) - Pos(oldest.base);
    const bool by_time =
        retention_ms >= 0 && now - oldest.last_append > retention_ms * kMicrosPerMilli;
    const bool by_size =
        retention_bytes >= 0 && bytes() - seg_bytes >= static_cast<uint64_t>(retention_bytes);
    if (!by_time && !by_size) break;
    start_ = seg_end;
    if (segments_.size() == 1) {
      segments_.front() = {seg_end, -1, -1};  // Kafka rolls a fresh active segment
    } else {
      segments_.pop_front();
    }
  }
  Compact();
  return start_ - before;
}

void PartitionLog::Compact() {
  const int64_t dead = start_ - stored_base_;
  if (dead < kCompactMinDead || dead * 2 < static_cast<int64_t>(key_.size())) return;
  const size_t n = static_cast<size_t>(dead);
  DropFront(key_, n);
  DropFront(seq_, n);
  DropFront(value_, n);
  DropFront(pos_, n);
  DropFront(acked_, n);
  stored_base_ = start_;
}

}  // namespace sdp::kafka::internal

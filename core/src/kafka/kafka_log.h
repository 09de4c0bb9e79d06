// One partition's log, stored compactly: parallel arrays of small integers per
// record (key id, key sequence, value id, byte position, acked flag), no
// per-record strings, cut into segments that retention deletes whole.
// Private to core/src/kafka.
//
// Offsets run from start() (log start) to end() (log end, exclusive). Records
// below start() are gone; their storage is released in large steps.
#ifndef SDP_SRC_KAFKA_KAFKA_LOG_H_
#define SDP_SRC_KAFKA_KAFKA_LOG_H_

#include <cstdint>
#include <deque>
#include <vector>

#include "sdp/event_queue.h"

namespace sdp::kafka::internal {

constexpr uint32_t kNoKey = UINT32_MAX;
constexpr uint32_t kNoValue = UINT32_MAX;

class PartitionLog {
 public:
  struct Segment {
    int64_t base;          // first offset
    SimTime first_append;  // -1 while empty
    SimTime last_append;
  };
  struct Cut {
    int64_t records = 0;
    int64_t acked = 0;
  };

  PartitionLog() { segments_.push_back({0, -1, -1}); }

  int64_t start() const { return start_; }
  int64_t end() const { return stored_base_ + static_cast<int64_t>(key_.size()); }
  uint64_t records() const { return static_cast<uint64_t>(end() - start_); }
  uint64_t bytes() const { return Pos(end()) - Pos(start_); }
  size_t segment_count() const { return segments_.size(); }

  // Rolls a new active segment when a batch of `batch_bytes` would overflow
  // segment_bytes or the active one is older than `segment_time`, then stamps
  // the active segment with `now`. Call once per batch, before its Appends.
  void PrepareAppend(SimTime now, uint64_t batch_bytes, uint64_t segment_bytes,
                     SimTime segment_time);
  void Append(uint32_t key, uint32_t seq, uint32_t value, uint32_t bytes);

  // REQUIRES: start() <= offset < end()
  uint32_t Key(int64_t offset) const { return key_[Index(offset)]; }
  uint32_t Seq(int64_t offset) const { return seq_[Index(offset)]; }
  uint32_t Value(int64_t offset) const { return value_[Index(offset)]; }
  uint32_t Bytes(int64_t offset) const {
    return static_cast<uint32_t>(Pos(offset + 1) - Pos(offset));
  }
  bool Acked(int64_t offset) const { return acked_[Index(offset)] != 0; }
  // Marks [first, end) acked, clipped to the stored records.
  void MarkAcked(int64_t first, int64_t end);

  // Removes [new_end, end()). REQUIRES: start() <= new_end <= end()
  Cut TruncateTo(int64_t new_end);
  // The end of one follower fetch from `from`: every record that fits in
  // max_bytes, and at least one. REQUIRES: start() <= from <= end()
  int64_t FetchEnd(int64_t from, uint64_t max_bytes) const;
  // Deletes whole segments from the oldest, each entirely below `hw`, while
  // older than retention_ms (-1 = never) or while the rest still holds
  // retention_bytes (-1 = no limit). Returns the records deleted.
  int64_t DeleteOldSegments(SimTime now, int64_t retention_ms, int64_t retention_bytes,
                            int64_t hw);

 private:
  size_t Index(int64_t offset) const { return static_cast<size_t>(offset - stored_base_); }
  // Bytes of every record before `offset`. REQUIRES: stored_base_ <= offset <= end()
  uint64_t Pos(int64_t offset) const {
    return offset == end() ? end_pos_ : pos_[Index(offset)];
  }
  int64_t SegmentEnd(size_t i) const {
    return i + 1 < segments_.size() ? segments_[i + 1].base : end();
  }
  // Releases the storage of deleted records once they are most of it.
  void Compact();

  int64_t start_ = 0;
  int64_t stored_base_ = 0;  // offset of index 0; <= start_
  std::vector<uint32_t> key_, seq_, value_;
  std::vector<uint64_t> pos_;  // bytes before each record
  std::vector<uint8_t> acked_;
  uint64_t end_pos_ = 0;
  std::deque<Segment> segments_;  // never empty; the last is the active one
};

}  // namespace sdp::kafka::internal

#endif  // SDP_SRC_KAFKA_KAFKA_LOG_H_

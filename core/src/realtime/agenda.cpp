#include "sdp/realtime/agenda.h"

#include <algorithm>

#include "sdp/status.h"

namespace sdp::realtime {
namespace {

// Function objects rather than functions, so that std::sort inlines them.
struct {
  bool operator()(const AgendaEvent& a, const AgendaEvent& b) const {
    return a.time != b.time ? a.time < b.time : a.seq < b.seq;
  }
} constexpr Before;
// std::push_heap keeps the greatest on top; the heap wants the earliest.
struct {
  bool operator()(const AgendaEvent& a, const AgendaEvent& b) const { return Before(b, a); }
} constexpr Later;

}  // namespace

void Agenda::Push(SimTime at, EventKind kind, uint32_t client, uint32_t gen, uint8_t flag) {
  const AgendaEvent e{at, next_seq_++, client, gen, kind, flag};
  const int64_t slot = SlotOf(at);
  if (ring_size_ == 0 && SlotOf(taken_) > cur_) {
    // An empty ring moves up to the last event taken: nothing can be
    // scheduled before it, and what comes next is near it.
    Slot(cur_).clear();
    head_ = 0;
    cur_ = SlotOf(taken_);
  }
  // Before the current slot: possible after a peek moved cur_ past now()
  // (a step that ends before the next event, then an op schedules sooner).
  if (slot < cur_ || slot >= cur_ + kSlots) {
    far_.push_back(e); 
    std::push_heap(far_.begin(), far_.end(), Later);
    return;
  }
  std::vector<AgendaEvent>& v = Slot(slot);
  if (slot == cur_ && !v.empty()) {
    // The current slot is sorted: e goes after everything at or before its
    // time (its seq is the largest yet).
    const auto at_or_after = std::upper_bound(v.begin() + static_cast<std::ptrdiff_t>(head_), v.end(), e, Before);
    v.insert(at_or_after, e);
  } else {
    v.push_back(e);
  }
  ++ring_size_;
}

bool Agenda::FindCurrent() {
  if (ring_size_ == 0) return false;
  if (head_ < Slot(cur_).size()) return true;
  Slot(cur_).clear();
  head_ = 0;
  do {
    ++cur_;
  } while (Slot(cur_).empty());
  std::vector<AgendaEvent>& v = Slot(cur_);
  if (v.size() > 1) std::sort(v.begin(), v.end(), Before);
  return true;
}

SimTime Agenda::NextTime() {
  const bool ring = FindCurrent();
  if (!ring) return far_.empty() ? -1 : far_.front().time;
  const SimTime t = Slot(cur_)[head_].time;
  return far_.empty() ? t : std::min(t, far_.front().time);
}

AgendaEvent Agenda::Pop() {
  const bool ring = FindCurrent();
  SDP_CHECK(ring || !far_.empty());
  if (ring && (far_.empty() || Before(Slot(cur_)[head_], far_.front()))) {
    --ring_size_;
    taken_ = Slot(cur_)[head_].time;
    return Slot(cur_)[head_++];
  }
  std::pop_heap(far_.begin(), far_.end(), Later);
  const AgendaEvent e = far_.back();
  far_.pop_back();
  taken_ = e.time;
  return e;
}

}  // namespace sdp::realtime

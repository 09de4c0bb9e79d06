#include "sdp/event_queue.h"

#include <algorithm>
#include <utility>

#include "sdp/status.h"
#include "sdp/step_budget.h"

namespace sdp {

void EventLog::Append(SimTime time, std::string text) {
  entries_.push_back({time, next_seq_++, std::move(text)});
  while (entries_.size() > capacity_) entries_.pop_front();
}

nlohmann::json EventLog::ToJson(uint32_t limit) const {
  nlohmann::json out = nlohmann::json::array();
  const uint64_t count = entries_.size();
  const uint64_t skip = count > limit ? count - limit : 0;
  for (uint64_t i = skip; i < count; ++i) {
    const Entry& e = entries_[i];
    out.push_back({{"t_us", e.time}, {"seq", e.seq}, {"text", e.text}});
  }
  return out;
}

void EventQueue::PendingBits::Set(EventId id) {
  SDP_CHECK(id >= base_);
  const uint64_t word = front_ + (id - base_) / 64;
  if (word >= words_.size()) words_.resize(word + 1, 0);
  words_[word] |= uint64_t{1} << ((id - base_) % 64);
}

void EventQueue::PendingBits::Clear(EventId id) {
  if (id < base_) return;
  const uint64_t word = front_ + (id - base_) / 64;
  if (word < words_.size()) words_[word] &= ~(uint64_t{1} << ((id - base_) % 64));
}

bool EventQueue::PendingBits::Test(EventId id) const {
  if (id < base_) return false;
  const uint64_t word = front_ + (id - base_) / 64;
  return word < words_.size() && (words_[word] >> ((id - base_) % 64) & 1) != 0;
}

void EventQueue::PendingBits::DropDoneWords(EventId next_id) {
  // A word may go once it is empty and no id in it can still be scheduled.
  while (front_ < words_.size() && words_[front_] == 0 && base_ + 64 <= next_id) {
    ++front_;
    base_ += 64;
  }
  // Dropped words are skipped by front_ and erased in bulk, so that dropping
  // one is O(1) amortised and lookups stay plain vector indexing.
  if (front_ >= 64 && 2 * front_ >= words_.size()) {
    words_.erase(words_.begin(), words_.begin() + static_cast<std::ptrdiff_t>(front_));
    front_ = 0;
  }
}

EventQueue::EventId EventQueue::ScheduleAt(SimTime at, std::string label, Action action) {
  return Schedule(at, Payload{std::move(label), std::move(action), nullptr});
}

EventQueue::EventId EventQueue::ScheduleAt(SimTime at, std::string label, OwnedAction action) {
  return Schedule(at, Payload{std::move(label), nullptr, std::move(action.run)});
}

EventQueue::EventId EventQueue::ScheduleIn(SimTime delay, std::string label, OwnedAction action) {
  SDP_CHECK(delay >= 0);
  return ScheduleAt(now_ + delay, std::move(label), std::move(action));
}

EventQueue::EventId EventQueue::Schedule(SimTime at, Payload payload) {
  SDP_CHECK(at >= now_);
  const EventId id = next_seq_++;
  uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
    payloads_[slot] = std::move(payload);
  } else {
    slot = static_cast<uint32_t>(payloads_.size());
    payloads_.push_back(std::move(payload));
  }
  heap_.push_back(Entry{at, id, slot});
  std::push_heap(heap_.begin(), heap_.end(), Later{});
  pending_.Set(id);
  return id;
}

EventQueue::EventId EventQueue::ScheduleIn(SimTime delay, std::string label, Action action) {
  SDP_CHECK(delay >= 0);
  return ScheduleAt(now_ + delay, std::move(label), std::move(action));
}

bool EventQueue::Cancel(EventId id) {
  if (!pending_.Test(id)) return false;
  pending_.Clear(id);
  ++cancelled_in_heap_;
  return true;
}

void EventQueue::PopTop() {
  std::pop_heap(heap_.begin(), heap_.end(), Later{});
  heap_.pop_back();
}

void EventQueue::DropCancelledTop() {
  // Nothing cancelled is waiting: the top is pending (the common case, kept
  // free of bit lookups).
  if (cancelled_in_heap_ == 0) return;
  while (!heap_.empty() && !pending_.Test(heap_.front().seq)) {
    const uint32_t slot = heap_.front().slot;
    payloads_[slot] = Payload{};  // let go of what the action captured
    free_slots_.push_back(slot);
    PopTop();
    --cancelled_in_heap_;
  }
}

SimTime EventQueue::NextTime() {
  DropCancelledTop();
  return heap_.empty() ? -1 : heap_.front().time;
}

bool EventQueue::Step(void* owner) {
  DropCancelledTop();
  if (heap_.empty()) return false;
  const Entry top = heap_.front();
  PopTop();
  // Move the payload out first: the action may schedule events, which may
  // reuse this slot or grow the slab.
  Payload payload = std::move(payloads_[top.slot]);
  free_slots_.push_back(top.slot);
  pending_.Clear(top.seq);
  pending_.DropDoneWords(next_seq_);
  now_ = top.time;
  ++executed_;
  // May throw: the session then undoes the whole step. A pop costs more as
  // the heap outgrows the caches (a retry storm keeps millions of timers
  // pending: 2 s for 5,000,000 events in bench/step_budget.md before this),
  // so a large heap charges a unit more per 65,536 pending events.
  StepBudget::Charge(1 + (heap_.size() >> 16));
  if (!payload.label.empty()) log_.Append(now_, std::move(payload.label));
  if (payload.action) payload.action();
  if (payload.owned) payload.owned(owner);
  return true;
}

uint64_t EventQueue::AdvanceTo(SimTime t, void* owner) {
  SDP_CHECK(t >= now_);
  uint64_t ran = 0;
  for (SimTime next = NextTime(); next >= 0 && next <= t; next = NextTime()) {
    Step(owner);
    ++ran;
  }
  now_ = t;
  return ran;
}

}  // namespace sdp

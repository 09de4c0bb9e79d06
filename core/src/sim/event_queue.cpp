#include "sdp/event_queue.h"

#include <utility>

#include "sdp/status.h"

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

EventQueue::EventId EventQueue::ScheduleAt(SimTime at, std::string label, Action action) {
  SDP_CHECK(at >= now_);
  const EventId id = next_seq_++;
  heap_.push(Event{at, id, std::move(label), std::move(action)});
  live_.insert(id);
  return id;
}

EventQueue::EventId EventQueue::ScheduleIn(SimTime delay, std::string label, Action action) {
  SDP_CHECK(delay >= 0);
  return ScheduleAt(now_ + delay, std::move(label), std::move(action));
}

bool EventQueue::Cancel(EventId id) {
  if (live_.erase(id) == 0) return false;
  cancelled_.insert(id);
  return true;
}

void EventQueue::DropCancelledTop() {
  while (!heap_.empty() && cancelled_.count(heap_.top().seq) != 0) {
    cancelled_.erase(heap_.top().seq);
    heap_.pop();
  }
}

SimTime EventQueue::NextTime() {
  DropCancelledTop();
  return heap_.empty() ? -1 : heap_.top().time;
}

bool EventQueue::Step() {
  DropCancelledTop();
  if (heap_.empty()) return false;
  // Move out before pop: the action may schedule more events.
  Event event = std::move(const_cast<Event&>(heap_.top()));
  heap_.pop();
  live_.erase(event.seq);
  now_ = event.time;
  ++executed_;
  if (!event.label.empty()) log_.Append(now_, std::move(event.label));
  if (event.action) event.action();
  return true;
}

uint64_t EventQueue::AdvanceTo(SimTime t) {
  SDP_CHECK(t >= now_);
  uint64_t ran = 0;
  for (SimTime next = NextTime(); next >= 0 && next <= t; next = NextTime()) {
    Step();
    ++ran;
  }
  now_ = t;
  return ran;
}

}  // namespace sdp

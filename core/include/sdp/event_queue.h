// The discrete-event kernel shared by every time-based simulation.
//
// Events run in (time, insertion sequence) order, so two events at the same
// microsecond run in the order they were scheduled, on every platform. Time is
// integer microseconds: no float drift between native and wasm. Each event may
// carry a human-readable line that goes to the event log, which widgets render
// and narrate.
//
// Invariants: now() never decreases; an event never runs before its time; an
// event scheduled during a handler for the current time runs in this same
// AdvanceTo call, after those already queued for that time.
//
// Left out: priorities beyond (time, seq), parallel execution.
#ifndef SDP_EVENT_QUEUE_H_
#define SDP_EVENT_QUEUE_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sdp/status.h"

namespace sdp {

using SimTime = int64_t;  // microseconds since the simulation started

constexpr SimTime kMicrosPerMilli = 1000;
constexpr SimTime kMicrosPerSecond = 1000 * 1000;

// A field given in whole milliseconds (already validated as an integer), as
// SimTime; `current` when the field is absent.
inline SimTime MillisField(const nlohmann::json& args, const char* name, SimTime current) {
  return args.contains(name) ? args[name].get<int64_t>() * kMicrosPerMilli : current;
}

// A bounded log of what happened, oldest first; old entries fall off the front.
class EventLog {
 public:
  struct Entry {
    SimTime time;
    uint64_t seq;  // global count of entries ever appended: stable ids for the UI
    std::string text;
  };

  explicit EventLog(uint32_t capacity = 1000) : capacity_(capacity) {}
  void Append(SimTime time, std::string text);
  const std::deque<Entry>& entries() const { return entries_; }
  uint64_t total_appended() const { return next_seq_; }
  // The newest `limit` entries as [{"t_us":..,"seq":..,"text":..}].
  nlohmann::json ToJson(uint32_t limit) const;

 private:
  uint32_t capacity_;
  uint64_t next_seq_ = 0;
  std::deque<Entry> entries_;
};

class EventQueue {
 public:
  using EventId = uint64_t;
  using Action = std::function<void()>;
  // An event that reaches its owner only through the pointer handed to
  // Step/AdvanceTo, never through a captured `this`. Why: a sim is cloned by
  // copying it (sim_session.h's checkpoints), queue included; a captured
  // `this` would still point at the original, and the clone's events would
  // change the original. Make one with For<Owner>(lambda taking Owner&).
  struct OwnedAction {
    std::function<void(void* owner)> run;
  };
  template <typename Owner, typename F>
  static OwnedAction For(F f) {
    return {[f = std::move(f)](void* owner) {
      SDP_CHECK(owner != nullptr);
      f(*static_cast<Owner*>(owner));
    }};
  }

  explicit EventQueue(uint32_t log_capacity = 1000) : log_(log_capacity) {}

  SimTime now() const { return now_; }
  // Events still to run (cancelled ones excluded).
  uint64_t pending() const { return heap_.size() - cancelled_in_heap_; }
  uint64_t executed() const { return executed_; }

  // Schedules `action` at absolute time `at`; `label` (may be empty) is logged
  // when the event runs. REQUIRES: at >= now()
  EventId ScheduleAt(SimTime at, std::string label, Action action);
  // REQUIRES: delay >= 0
  EventId ScheduleIn(SimTime delay, std::string label, Action action);
  // The same for events that run on the owner given to Step/AdvanceTo.
  EventId ScheduleAt(SimTime at, std::string label, OwnedAction action);
  EventId ScheduleIn(SimTime delay, std::string label, OwnedAction action);
  // Returns false if the event already ran or was cancelled.
  bool Cancel(EventId id);

  // Runs the single earliest event and moves now() to its time; false if none.
  // `owner` is what OwnedActions run on. REQUIRES: not null if any is queued.
  bool Step(void* owner = nullptr);
  // Runs every event with time <= t, then sets now() = t. REQUIRES: t >= now()
  // Returns the number of events run.
  uint64_t AdvanceTo(SimTime t, void* owner = nullptr);
  // Time of the next event, or -1 if none.
  SimTime NextTime();

  EventLog& log() { return log_; }
  const EventLog& log() const { return log_; }
  // Writes a line to the log at the current time (for ops, not events).
  void Note(std::string text) { log_.Append(now_, std::move(text)); }

 private:
  // The heap holds small, trivially copied entries; labels and actions sit in
  // a slab of reusable slots, so sifting the heap never moves a std::function.
  struct Entry {
    SimTime time;
    EventId seq;
    uint32_t slot;
  };
  struct Later {
    bool operator()(const Entry& a, const Entry& b) const {
      return a.time != b.time ? a.time > b.time : a.seq > b.seq;
    }
  };
  struct Payload {
    std::string label;
    Action action;                           // or:
    std::function<void(void* owner)> owned;  // an OwnedAction's run
  };
  EventId Schedule(SimTime at, Payload payload);
  // One bit per event id from base_ on: set while the event is pending.
  // Whole words at the front are dropped once every id in them is done, so
  // the bits cover only the span from the oldest pending event to the newest.
  class PendingBits {
   public:
    void Set(EventId id);
    void Clear(EventId id);
    bool Test(EventId id) const;
    void DropDoneWords(EventId next_id);

   private:
    EventId base_ = 0;        // the id of bit 0 of words_[front_]
    std::size_t front_ = 0;   // words before it are dropped
    std::vector<uint64_t> words_;
  };
  void DropCancelledTop();
  void PopTop();

  SimTime now_ = 0;
  EventId next_seq_ = 0;
  uint64_t executed_ = 0;
  uint64_t cancelled_in_heap_ = 0;
  std::vector<Entry> heap_;
  std::vector<Payload> payloads_;
  std::vector<uint32_t> free_slots_;
  PendingBits pending_;
  EventLog log_;
};

}  // namespace sdp

#endif  // SDP_EVENT_QUEUE_H_

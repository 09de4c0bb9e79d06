// The realtime world's own event queue: the kernel's order, (time,
// insertion sequence), for events that are a few plain fields.
//
// Why not the kernel's EventQueue (sdp/event_queue.h): there an event is a
// std::function in a slab and every pop sifts a binary heap, ~100 ns an
// event; long polling with 10,000 clients runs 44 million events in ten
// simulated minutes (one per GET reaching the server). Here an event is 32
// bytes of data dispatched by a switch (World::Run), and the queue is a
// calendar queue (R. Brown, "Calendar queues", CACM 31(10), 1988): a ring of
// slots a quarter of a millisecond wide covering the next 2.1 seconds, where
// nearly every event of this world lands (a message takes ~50 ms, a short
// poll leaves a second after the previous one). A push appends to its slot;
// a slot is sorted once, when the queue reaches it. What falls outside the
// ring (a 30 s long-poll timeout, a slow network) waits in a binary heap,
// and each pop takes the smaller of the two heads.
//
// Why 2.1 s and not the first version's 262 ms: short polling schedules
// each client's next poll 1 s + a network delay ahead, beyond 262 ms, so
// every one of its 6 million polls (10,000 clients, 10 minutes) went
// through the heap, and popping a 10,000-deep heap was 40% of its profile
// (bench/realtime.md). The order out of the queue does not depend on the
// ring's size, so neither does any result.
//
// Same-time events come out in insertion order, exactly as the kernel's
// queue does: moving the world onto this queue changed no result (the
// golden scenarios and a wider set of runs gave the same bytes).
#ifndef SDP_REALTIME_AGENDA_H_
#define SDP_REALTIME_AGENDA_H_

#include <cstdint>
#include <vector>

#include "sdp/event_queue.h"

namespace sdp::realtime {

enum class EventKind : uint8_t {
  kPublish,        // the stream's next event (gen: the stream's generation)
  kPollArrives,    // a short or long poll reaches the server
  kLongPollTimer,  // a held GET's timeout check
  kStreamRequest,  // an SSE GET (flag 1) or a WebSocket Upgrade (flag 0) reaches the server
  kPeerOpen,       // a WebRTC data channel is up
  kPingSweep,      // WebSocket keep-alive (gen: the sweep's generation)
};

struct AgendaEvent {
  SimTime time;
  uint64_t seq;
  uint32_t client;
  uint32_t gen;  // the client's (or stream's, sweep's) generation when scheduled: older ones are stale
  EventKind kind;
  uint8_t flag;
};

class Agenda {
 public:
  void Push(SimTime at, EventKind kind, uint32_t client, uint32_t gen, uint8_t flag = 0);
  // The earliest event's time, or -1 when there is none.
  SimTime NextTime();
  // Takes the earliest event (the first pushed among equal times).
  // REQUIRES: NextTime() >= 0
  AgendaEvent Pop();
  uint64_t size() const { return ring_size_ + far_.size(); }

 private:
  // Narrow slots keep each sort short (10,000 long-polling clients put ~20
  // events in 256 us).
  static constexpr uint32_t kSlotBits = 8;  // a slot is 256 us
  static constexpr uint32_t kSlots = 8192;  // the ring: 2.1 s
  static int64_t SlotOf(SimTime t) { return t >> kSlotBits; }
  // Makes the first non-empty slot from cur_ the current one (sorted); false if the ring is empty.
  bool FindCurrent();
  std::vector<AgendaEvent>& Slot(int64_t slot) { return ring_[static_cast<uint64_t>(slot) % kSlots]; }

  uint64_t next_seq_ = 0;
  int64_t cur_ = 0;      // the current slot; the ring holds slots cur_ .. cur_ + kSlots - 1
  size_t head_ = 0;      // the current slot is sorted and taken from here on
  uint64_t ring_size_ = 0;
  SimTime taken_ = 0;    // the time of the last event taken
  // On the heap: 8,192 slot headers (192 KB) would not belong on a stack.
  std::vector<std::vector<AgendaEvent>> ring_ = std::vector<std::vector<AgendaEvent>>(kSlots);
  std::vector<AgendaEvent> far_;  // a min-heap on (time, seq): before the current slot or beyond the ring
};

}  // namespace sdp::realtime

#endif  // SDP_REALTIME_AGENDA_H_

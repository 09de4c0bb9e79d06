// The asynchronous (event-driven) variant of the epidemic in epidemic.h:
// no global rounds. Each live node gossips on its own timer, every
// `period_ms` ± `jitter_ms` (uniform, seeded), from a random phase drawn
// when the timers start; every message takes a seeded network delay of
// `delay_ms` ± `delay_jitter_ms`. What a node does when its timer fires is
// what it does in a round of epidemic.h, except that it acts on what it
// knows at that moment (not at the start of a round) and that answers come
// back a delay later:
//
//   anti-entropy  an informed node contacts `fanout` partners and the update
//                 rides on the contact (counted as a message when the
//                 partner, on arrival, lacks it); an uninformed node (pull)
//                 asks its partners, and one that knows on arrival answers
//                 with the update, which arrives a delay later.
//   rumour push   an infective node sends the update to `fanout` partners;
//                 with feedback the partner's "I knew it already" (or not)
//                 comes back a delay later and only then counts towards the
//                 sender's loss of interest; blind, every send counts at once.
//   rumour pull   every live node asks `fanout` partners, saying whether it
//                 knows; an infective partner answers with the update and
//                 judges at once, from the request, whether that was needed.
//
// Loss applies to each message carrying the update (as in epidemic.h);
// requests and feedback are never lost. Statistics are kept per period: a
// "period" is `period_ms` of simulated time from when the timers start, and
// Epidemic::rounds() counts them, so rows, the chart and the theory curve
// line up with the synchronous mode's rounds.
//
// Invariants: one kernel EventQueue (sdp/event_queue.h) holds every timer
// and message; its events capture only node indices and run on a Context
// built per call (never a captured pointer), so a copied sim stays
// independent; every random draw comes from the caller's Rng in event order.
// Once nothing can change any more (anti-entropy: every live node knows, or
// nobody does and nothing is in flight; rumour: nobody is infective and no
// update is in flight) the timers stop and the clock jumps, so a long
// advance after convergence costs nothing; Wake() restarts them.
//
// Left out: message reordering beyond what the delay spread gives, clock
// drift, bandwidth and queueing at a node (any number of messages arrive at
// once), a crashed node's in-flight messages (they still arrive).
#ifndef SDP_GOSSIP_ASYNC_EPIDEMIC_H_
#define SDP_GOSSIP_ASYNC_EPIDEMIC_H_

#include <cstdint>
#include <vector>

#include "sdp/event_queue.h"
#include "sdp/gossip/epidemic.h"
#include "sdp/random.h"

namespace sdp::gossip {

struct AsyncTiming {
  uint32_t period_ms = 1000;      // T: a node's gossip timer
  uint32_t jitter_ms = 100;       // each period lasts T ± this, uniform; below T
  uint32_t delay_ms = 50;         // one-way network delay, mean
  uint32_t delay_jitter_ms = 25;  // delay ± this, uniform; at most delay_ms
};

class AsyncEpidemic {
 public:
  // What the events run on; built by each call that runs events.
  struct Context {
    AsyncEpidemic* self;
    Epidemic* epidemic;
    const Strategy* strategy;
    double loss;
    const AsyncTiming* timing;
    Rng* rng;
    std::vector<RoundStats>* rows;  // a row is appended at each period's end
    uint32_t max_periods;           // the timers stop once rounds() reaches it
  };

  SimTime now() const { return queue_.now(); }
  bool running() const { return running_; }
  // Updates on their way (a push, a pull request that may be answered, an answer).
  uint64_t in_flight() const { return in_flight_; }
  uint64_t events() const { return queue_.executed(); }
  const RoundStats& current() const { return current_; }

  // True when no event can change who knows or who spreads.
  bool Quiet(const Epidemic& e, const Strategy& s) const;
  // Starts the timers (each live node at a random phase within a period)
  // and a new period, unless they run or nothing can change.
  void Wake(const Context& c);
  // Runs events until the clock reaches `until`, or (if `until_quiet`) until
  // nothing can change, or `max_events` have run. Returns true unless
  // stopped by max_events; the clock is then at the last event run.
  // REQUIRES: until >= now()
  bool Advance(const Context& c, SimTime until, bool until_quiet, uint64_t max_events);
  // Stops the timers (the period so far becomes a row); messages in flight
  // stay queued until the next Advance.
  void Halt(const Context& c) {
    if (running_) Stop(c);
  }

 private:
  enum Message : uint8_t { kPush, kPullRequest, kPullReply, kRumorRequest, kRumorRequestKnew, kNecessary, kUnnecessary };
  void PushRow(const Context& c);
  void Stop(const Context& c);
  void Tick(const Context& c, uint32_t node, uint32_t generation);
  void Sample(const Context& c, uint32_t generation);
  void Arrive(const Context& c, Message kind, uint32_t from, uint32_t to);
  void Send(const Context& c, Message kind, uint32_t from, uint32_t to);
  // One update transmission: counted, and lost with probability c.loss.
  bool Transmit(const Context& c);
  void CheckQuiet(const Context& c);
  SimTime Jittered(Rng& rng, uint32_t mean_ms, uint32_t jitter_ms) const;

  EventQueue queue_{0};
  bool running_ = false;
  uint32_t generation_ = 0;  // timers and samplers of older generations do nothing
  uint64_t in_flight_ = 0;
  RoundStats current_;       // the running period's counts
  std::vector<uint32_t> partners_;
};

// Runs one fresh epidemic until quiet (for trials): returns false if
// `max_events` ran out first.
bool RunAsyncToQuiet(Epidemic& e, const Strategy& s, double loss, const AsyncTiming& timing, Rng& rng,
                     uint32_t max_periods, uint64_t max_events, uint64_t* events, uint64_t* messages);

}  // namespace sdp::gossip

#endif  // SDP_GOSSIP_ASYNC_EPIDEMIC_H_

#include "sdp/gossip/async_epidemic.h"

namespace sdp::gossip {

bool AsyncEpidemic::Quiet(const Epidemic& e, const Strategy& s) const {
  // Anti-entropy: once every live node knows, whatever is in flight lands on
  // nodes that know already.
  if (s.kind == Kind::kAntiEntropy) return e.informed() == e.live() || (e.informed() == 0 && in_flight_ == 0);
  return e.infective() == 0 && in_flight_ == 0;
}

SimTime AsyncEpidemic::Jittered(Rng& rng, uint32_t mean_ms, uint32_t jitter_ms) const {
  const SimTime mean = static_cast<SimTime>(mean_ms) * kMicrosPerMilli;
  if (jitter_ms == 0) return mean;
  const SimTime spread = static_cast<SimTime>(jitter_ms) * kMicrosPerMilli;
  return mean - spread + static_cast<SimTime>(rng.Below(static_cast<uint64_t>(2 * spread + 1)));
}

void AsyncEpidemic::Wake(const Context& c) {
  Epidemic& e = *c.epidemic;
  if (running_ || Quiet(e, *c.strategy) || e.rounds() >= c.max_periods) return;
  running_ = true;
  ++generation_;
  e.BeginPeriod();
  current_ = RoundStats{};
  const uint32_t gen = generation_;
  const uint64_t period_us = static_cast<uint64_t>(c.timing->period_ms) * kMicrosPerMilli;
  for (uint32_t i = 0; i < e.size(); ++i) {
    if (e.state_[i] == Epidemic::kCrashed) continue;
    const SimTime phase = static_cast<SimTime>(c.rng->Below(period_us));
    queue_.ScheduleIn(phase, "", EventQueue::For<Context>([i, gen](Context& x) { x.self->Tick(x, i, gen); }));
  }
  queue_.ScheduleIn(static_cast<SimTime>(period_us), "",
                    EventQueue::For<Context>([gen](Context& x) { x.self->Sample(x, gen); }));
}

// Closes the period's row: the counts now, and what the period sent.
void AsyncEpidemic::PushRow(const Context& c) {
  const Epidemic& e = *c.epidemic;
  current_.round = e.rounds();
  current_.informed = e.informed();
  current_.infective = e.infective();
  current_.newly = e.newly_;
  c.rows->push_back(current_);
  current_ = RoundStats{};
}

void AsyncEpidemic::Stop(const Context& c) {
  PushRow(c);
  running_ = false;
  ++generation_;  // the pending timers and the sampler now do nothing
}

void AsyncEpidemic::Sample(const Context& c, uint32_t generation) {
  if (generation != generation_) return;
  Epidemic& e = *c.epidemic;
  if (e.rounds() >= c.max_periods) {
    Stop(c);
    return;
  }
  PushRow(c);
  e.BeginPeriod();
  queue_.ScheduleIn(static_cast<SimTime>(c.timing->period_ms) * kMicrosPerMilli, "",
                    EventQueue::For<Context>([generation](Context& x) { x.self->Sample(x, generation); }));
}

bool AsyncEpidemic::Transmit(const Context& c) {
  ++current_.messages;
  const bool lost = c.loss > 0 && c.rng->Bernoulli(c.loss);
  if (lost) ++current_.lost;
  return !lost;
}

void AsyncEpidemic::Send(const Context& c, Message kind, uint32_t from, uint32_t to) {
  if (kind == kPush || kind == kPullRequest || kind == kPullReply) ++in_flight_;
  const SimTime delay = Jittered(*c.rng, c.timing->delay_ms, c.timing->delay_jitter_ms);
  queue_.ScheduleIn(delay, "", EventQueue::For<Context>([kind, from, to](Context& x) { x.self->Arrive(x, kind, from, to); }));
}

void AsyncEpidemic::Tick(const Context& c, uint32_t node, uint32_t generation) {
  if (generation != generation_) return;
  Epidemic& e = *c.epidemic;
  if (e.state_[node] == Epidemic::kCrashed) return;  // its timer stops with it
  const Strategy& s = *c.strategy;
  const bool push = s.direction != Direction::kPull;
  const bool pull = s.direction != Direction::kPush;
  const uint8_t state = e.state_[node];
  if (s.kind == Kind::kAntiEntropy) {
    // Every live node contacts its partners; only a contact that can carry
    // the update needs an event (the others compare equal digests).
    current_.contacts += s.fanout;
    const bool informed = state != Epidemic::kSusceptible;
    if ((push && informed) || (pull && !informed)) {
      e.PickPartners(node, s.fanout, *c.rng);
      for (uint32_t j : e.partners_) Send(c, informed ? kPush : kPullRequest, node, j);
    }
  } else {
    if (push && state == Epidemic::kInfective) {
      e.PickPartners(node, s.fanout, *c.rng);
      for (uint32_t j : e.partners_) {
        ++current_.contacts;
        const bool arrives = Transmit(c);  // a lost push gives no feedback
        if (arrives) Send(c, kPush, node, j);
        if (!s.feedback) e.LoseInterest(node, s, *c.rng);  // blind: every send counts, now
        if (e.state_[node] != Epidemic::kInfective) break;
      }
    }
    if (pull) {
      const Message ask = e.state_[node] == Epidemic::kSusceptible ? kRumorRequest : kRumorRequestKnew;
      e.PickPartners(node, s.fanout, *c.rng);
      for (uint32_t j : e.partners_) {
        ++current_.contacts;
        Send(c, ask, node, j);
      }
    }
  }
  queue_.ScheduleIn(Jittered(*c.rng, c.timing->period_ms, c.timing->jitter_ms), "",
                    EventQueue::For<Context>([node, generation](Context& x) { x.self->Tick(x, node, generation); }));
}

void AsyncEpidemic::Arrive(const Context& c, Message kind, uint32_t from, uint32_t to) {
  Epidemic& e = *c.epidemic;
  const Strategy& s = *c.strategy;
  const bool crashed = e.state_[to] == Epidemic::kCrashed;
  const bool susceptible = e.state_[to] == Epidemic::kSusceptible;
  switch (kind) {
    case kPush:
      --in_flight_;
      if (s.kind == Kind::kAntiEntropy) {
        if (!crashed && susceptible && Transmit(c)) e.Inform(to);
        return;
      }
      if (crashed) {
        ++current_.lost;  // sent (and counted) already: wasted on a crashed node
        return;
      }
      if (susceptible) e.Inform(to);
      if (s.feedback) Send(c, susceptible ? kNecessary : kUnnecessary, to, from);
      return;
    case kPullRequest:
      --in_flight_;
      if (!crashed && !susceptible && Transmit(c)) Send(c, kPullReply, to, from);
      return;
    case kPullReply:
      --in_flight_;
      if (crashed) {
        ++current_.lost;
      } else if (susceptible) {
        e.Inform(to);
      }
      return;
    case kRumorRequest:
    case kRumorRequestKnew:
      if (e.state_[to] != Epidemic::kInfective) return;
      if (!Transmit(c)) {
        if (!s.feedback) e.LoseInterest(to, s, *c.rng);
        return;
      }
      Send(c, kPullReply, to, from);
      // The request said whether the asker knew: feedback needs no wait.
      if (kind == kRumorRequest) {
        e.Useful(to, s, *c.rng);
      } else {
        e.LoseInterest(to, s, *c.rng);
      }
      return;
    case kNecessary:
      e.Useful(to, s, *c.rng);
      return;
    case kUnnecessary:
      e.LoseInterest(to, s, *c.rng);
      return;
  }
}

bool AsyncEpidemic::Advance(const Context& c, SimTime until, bool until_quiet, uint64_t max_events) {
  SDP_CHECK(until >= now());
  Context ctx = c;
  ctx.self = this;
  Wake(ctx);
  uint64_t ran = 0;
  for (;;) {
    if (until_quiet && !running_) return true;  // the clock stays where it went quiet
    const SimTime next = queue_.NextTime();
    if (next < 0 || next > until) break;
    if (ran >= max_events) return false;
    queue_.Step(&ctx);
    ++ran;
    if (running_ && Quiet(*ctx.epidemic, *ctx.strategy)) Stop(ctx);
  }
  queue_.AdvanceTo(until, &ctx);
  return true;
}

bool RunAsyncToQuiet(Epidemic& e, const Strategy& s, double loss, const AsyncTiming& timing, Rng& rng,
                     uint32_t max_periods, uint64_t max_events, uint64_t* events, uint64_t* messages) {
  AsyncEpidemic a;
  std::vector<RoundStats> rows;
  const AsyncEpidemic::Context c{&a, &e, &s, loss, &timing, &rng, &rows, max_periods};
  const SimTime until = static_cast<SimTime>(max_periods + 1) * timing.period_ms * kMicrosPerMilli;
  const bool finished = a.Advance(c, until, true, max_events);
  *events = a.events();
  for (const RoundStats& r : rows) *messages += r.messages;
  return finished && a.Quiet(e, s);
}

}  // namespace sdp::gossip

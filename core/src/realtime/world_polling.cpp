// Short and long polling: every delivery is the response to a GET that
// names the last event the client has (`/events?after=<id>`), so neither can
// lose or repeat an event; they differ in when the server answers.
#include <algorithm>

#include "sdp/realtime/wire.h"
#include "sdp/realtime/world.h"

namespace sdp::realtime {

void World::SendPoll(uint32_t c, SimTime at) {
  ClientState& s = clients_[c];
  s.state = State::kInFlight;
  Note(c, at, LineKind::kRequest, "GET /events after", static_cast<int64_t>(s.last_id));
  // A late response can make the next planned send lie in the past.
  const SimTime arrival = std::max(now(), at + OneWay());
  agenda_.Push(arrival, EventKind::kPollArrives, c, s.gen);
}

// The answer to a short or long poll: every event after the client's last
// id in one response, one network delay away. Returns when it arrives.
SimTime World::RespondToPoll(uint32_t c, const char* empty_note) {
  ClientState& s = clients_[c];
  const uint64_t latest = latest_id();
  const uint64_t n = latest - s.last_id;
  const SimTime arrival = now() + OneWay();
  CountDown(PollResponseBytes(n, size_));
  if (n == 0) {
    ++m_.empty_responses;
    Note(c, arrival, LineKind::kEmpty, empty_note);
  }
  Deliver(c, s.last_id, latest, arrival);
  s.last_id = static_cast<uint32_t>(latest);
  return arrival;
}

// The server answers at once with whatever is new; the client polls again
// one interval after its previous poll left (a fixed schedule, like setInterval).
void World::OnShortPoll(uint32_t c) {
  ClientState& s = clients_[c];
  CountRequest();
  CountUp(PollRequestBytes(s.last_id));
  FirstContact(c);
  RespondToPoll(c, "empty response");
  s.clock += config_.poll_interval;  // the next poll leaves then
  SendPoll(c, s.clock);
}

// Held until there is something to send (or the timeout).
void World::OnLongPoll(uint32_t c) {
  ClientState& s = clients_[c];
  CountRequest();
  CountUp(PollRequestBytes(s.last_id));
  FirstContact(c);
  if (latest_id() > s.last_id) {
    AnswerLongPoll(c);
    return;
  }
  s.state = State::kHeld;
  s.clock = now();  // held since
  ++s.hold_seq;
  held_.push_back({c, s.hold_seq});
  // Entries of GETs answered by a timeout pile up while the stream is quiet.
  if (held_.size() > 2 * clients_.size() + 64) {
    held_.erase(std::remove_if(held_.begin(), held_.end(),
                               [this](const Held& h) {
                                 return h.client >= clients_.size() || clients_[h.client].state != State::kHeld ||
                                        clients_[h.client].hold_seq != h.hold_seq;
                               }),
                held_.end());
  }
  Hold(s);
  Note(c, now(), LineKind::kHeld, "GET held by the server");
  // One timeout check per client at a time, re-armed lazily: a held GET
  // answered by an event leaves no cancelled timer behind in the queue.
  if (!s.timer_pending) {
    s.timer_pending = true;
    agenda_.Push(now() + config_.long_poll_timeout, EventKind::kLongPollTimer, c, s.gen);
  }
}

void World::AnswerLongPoll(uint32_t c) {
  ClientState& s = clients_[c];
  const bool was_held = s.state == State::kHeld;
  Release(s);
  const uint64_t first_new = s.last_id;  // created_[first_new]: the oldest event this answer carries
  const SimTime arrival = RespondToPoll(c, "empty response (timeout)");
  if (was_held && s.last_id > first_new) {
    m_.held_response_latency_max = std::max(m_.held_response_latency_max, arrival - created_[first_new]);
  }
  // The next GET leaves as soon as the response is in.
  SendPoll(c, arrival);
}

void World::OnLongPollTimer(uint32_t c) {
  ClientState& s = clients_[c];
  s.timer_pending = false;
  if (s.state != State::kHeld) return;
  const SimTime due = s.clock + config_.long_poll_timeout;  // clock: held since
  if (due <= now()) {
    AnswerLongPoll(c);
    return;
  }
  s.timer_pending = true;
  agenda_.Push(due, EventKind::kLongPollTimer, c, s.gen);
}

}  // namespace sdp::realtime

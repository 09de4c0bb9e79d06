// The world's shared machinery: the event stream, connections held, byte
// and latency accounting, the timeline. The techniques' state machines are
// in world_polling.cpp and world_streams.cpp.
#include "sdp/realtime/world.h"

#include <algorithm>

#include "sdp/realtime/wire.h"
#include "sdp/step_budget.h"

namespace sdp::realtime {
namespace {

enum RealtimeCounter : uint32_t { kRequestsCounter, kDeliveriesCounter, kBytesDownCounter, kBytesUpCounter };
enum RealtimeLevel : uint32_t { kOpenLevel };

constexpr const char* kTechniqueNames[kTechniques] = {"short_polling", "long_polling", "sse", "websocket",
                                                      "webrtc"};

uint32_t RealtimeClamp32(uint64_t v) { return static_cast<uint32_t>(std::min<uint64_t>(v, UINT32_MAX)); }

}  // namespace

const char* TechniqueName(Technique t) { return kTechniqueNames[static_cast<uint32_t>(t)]; }

bool ParseTechnique(std::string_view name, Technique* out) {
  for (uint32_t i = 0; i < kTechniques; ++i) {
    if (name == kTechniqueNames[i]) {
      *out = static_cast<Technique>(i);
      return true;
    }
  }
  return false;
}

World::World(uint64_t seed, const WorldConfig& config)
    : config_(config),
      stream_rng_(seed),
      // A second stream from the same seed: the network's draws (which differ
      // by technique) never shift the events' times.
      net_rng_(SplitMix64(seed ^ 0x7265616c74696d65ULL).Next()),
      series_(config.bucket, {"requests", "deliveries", "bytes_down", "bytes_up"},
              {{"open_connections", TimeSeries::LevelKind::kMax}}, kMaxBuckets) {
  link_.latency = config_.latency;
  link_.jitter = config_.jitter;
  peer_link_.latency = config_.p2p_latency;
  peer_link_.jitter = config_.jitter;
}

const char* LineKindName(LineKind k) {
  static constexpr const char* kNames[] = {"request", "held", "open", "delivery", "empty",
                                           "drop", "noticed", "lost", "signal"};
  return kNames[static_cast<uint32_t>(k)];
}

void World::Note(uint32_t c, SimTime t, LineKind kind, const char* what, int64_t a, int64_t b) {
  if (c >= kTimelineClients) return;
  std::string text = what;
  if (a >= 0) text += " #" + std::to_string(a);
  if (b > a) text += "..#" + std::to_string(b);
  timeline_.push_back({t, timeline_seq_++, c, kind, std::move(text)});
  if (timeline_.size() > kTimelineEntries) timeline_.pop_front();
}

// --- counting --------------------------------------------------------------

void World::Hold(ClientState& s) {
  if (s.server_holds) return;
  s.server_holds = true;
  ++open_;
  m_.peak_open = std::max(m_.peak_open, open_);
  SeriesNow();
  series_.SetLevel(kOpenLevel, RealtimeClamp32(open_));
}

void World::Release(ClientState& s) {
  if (!s.server_holds) return;
  s.server_holds = false;
  --open_;
  SeriesNow();
  series_.SetLevel(kOpenLevel, RealtimeClamp32(open_));
}

void World::CountUp(uint64_t bytes, bool via_server) {
  m_.bytes_up += bytes;
  if (via_server) m_.server_bytes += bytes;
  SeriesNow();
  series_.Count(kBytesUpCounter, RealtimeClamp32(bytes));
}

void World::CountDown(uint64_t bytes, bool via_server) {
  m_.bytes_down += bytes;
  if (via_server) m_.server_bytes += bytes;
  SeriesNow();
  series_.Count(kBytesDownCounter, RealtimeClamp32(bytes));
}

void World::CountDeliveries(uint64_t n) {
  m_.deliveries += n;
  delivered_total_ += n;
  series_.Count(kDeliveriesCounter, RealtimeClamp32(n));
}

void World::CountRequest() {
  ++m_.requests;
  SeriesNow();
  series_.Count(kRequestsCounter);
}

void World::FirstContact(uint32_t c) {
  ClientState& s = clients_[c];
  if (!s.fresh) return;
  s.fresh = false;
  const auto latest = static_cast<uint32_t>(latest_id());
  s.last_id = s.received_last = tallies_[c].baseline = latest;
}

// Latencies are recorded when the server sends (arrival times are known
// then): the chart's bucket is the sending one.
void World::Deliver(uint32_t c, uint64_t from, uint64_t to, SimTime arrival) {
  if (to <= from) return;
  ClientState& s = clients_[c];
  const bool sampled = c < kSampledClients;
  for (uint64_t id = from + 1; id <= to; ++id) {
    const SimTime latency = arrival - created_[id - 1];
    m_.latency.Add(latency);
    m_.latency_sum += latency;
    if (sampled) series_.Latency(latency);
  }
  const uint64_t n = to - from;
  CountDeliveries(n);
  tallies_[c].received += n;
  if (from < s.received_last) {
    m_.duplicates += std::min<uint64_t>(to, s.received_last) - from;
  } else if (from > s.received_last) {
    ++m_.out_of_order;  // a gap nobody declared missed
  }
  s.received_last = static_cast<uint32_t>(std::max<uint64_t>(s.received_last, to));
  if (c < kTimelineClients) Note(c, arrival, LineKind::kDelivery, "received", static_cast<int64_t>(from + 1), static_cast<int64_t>(to));
}

// --- the event stream ---------------------------------------------------------

// About 31,700 years of simulated time: later than any run reaches, and
// far inside int64 microseconds.
constexpr double kNeverGapMicros = 1e18;

void World::SchedulePublish() {
  if (rate_ <= 0) return;
  const double gap = stream_rng_.Exponential(static_cast<double>(kMicrosPerSecond) / rate_);
  // A rate just above 0 (1e-300/s, found by the fuzzer) draws a gap of
  // infinity or of more microseconds than SimTime holds: such an event
  // would never come, so none is scheduled (converting it would be UB).
  if (!(gap < kNeverGapMicros)) return;
  const SimTime at = now() + std::max<SimTime>(1, static_cast<SimTime>(gap + 0.5));
  agenda_.Push(at, EventKind::kPublish, 0, publish_gen_);
}

void World::Publish() {
  // The stream stops for good at kMaxEvents (latest_id says where).
  if (created_.size() >= kMaxEvents) return;
  created_.push_back(now());
  ++m_.events_published;
  SeriesNow();
  const uint64_t id = latest_id();
  if (technique_ == Technique::kLongPolling) {
    answering_.clear();
    answering_.swap(held_);
    for (const Held& h : answering_) {
      if (h.client < clients_.size() && clients_[h.client].state == State::kHeld &&
          clients_[h.client].hold_seq == h.hold_seq) {
        AnswerLongPoll(h.client);
      }
    }
  } else if (technique_ != Technique::kShortPolling) {
    SendToStreams(id);
  }
  SchedulePublish();
}

void World::SetEvents(double rate, uint32_t size) {
  rate_ = rate;
  size_ = size;
  ++publish_gen_;
  SchedulePublish();
}

// --- clients -----------------------------------------------------------------

void World::Start(uint32_t c, SimTime at) {
  ClientState& s = clients_[c];
  s.gen = next_gen_++;
  s.state = State::kInFlight;
  s.fresh = true;
  s.timer_pending = false;
  s.clock = 0;
  switch (technique_) {
    case Technique::kShortPolling:
      // Clients start at random phases of the interval, as real ones would.
      s.clock = at + static_cast<SimTime>(net_rng_.Below(static_cast<uint64_t>(config_.poll_interval)));
      SendPoll(c, s.clock);
      break;
    case Technique::kLongPolling:
      SendPoll(c, at);
      break;
    case Technique::kSse:
    case Technique::kWebSocket:
      SendStreamRequest(c, at);
      break;
    case Technique::kWebRtc:
      StartWebRtc(c, at);
      break;
  }
}

void World::Stop(uint32_t c) {
  ClientState& s = clients_[c];
  Release(s);
  s.gen = next_gen_++;
  s.state = State::kIdle;
}

void World::SetTechnique(Technique t) {
  for (uint32_t c = 0; c < clients_.size(); ++c) Stop(c);
  technique_ = t;
  held_.clear();
  m_ = Metrics{};
  m_.since = now();
  ++ping_gen_;
  for (uint32_t c = 0; c < clients_.size(); ++c) Start(c, now());
  if (t == Technique::kWebSocket) {
    agenda_.Push(now() + config_.ping_interval, EventKind::kPingSweep, 0, ping_gen_);
  }
}

void World::SetClients(uint32_t count) {
  const uint32_t before = clients();
  for (uint32_t c = count; c < before; ++c) Stop(c);
  clients_.resize(count);
  tallies_.resize(count);
  for (uint32_t c = before; c < count; ++c) Start(c, now());
}

World::ClientView World::Client(uint32_t c) const {
  static constexpr const char* kStateNames[] = {"idle", "in_flight", "held", "open", "reconnecting"};
  const ClientState& s = clients_[c];
  const ClientTally& t = tallies_[c];
  return {kStateNames[static_cast<uint32_t>(s.state)], s.received_last, t.baseline, t.received, t.missed};
}

World::DropResult World::Drop(uint32_t c) {
  ClientState& s = clients_[c];
  if (technique_ == Technique::kShortPolling) {
    return {false, "short polling holds no connection between polls; the next poll goes out as planned"};
  }
  if (s.state == State::kReconnecting) return {false, "client " + std::to_string(c) + " is reconnecting already"};
  Release(s);
  s.gen = next_gen_++;
  s.state = State::kReconnecting;
  s.timer_pending = false;
  Note(c, now(), LineKind::kDrop, "connection dropped");
  // The client learns of the drop one network delay later (a FIN or RST).
  const SimTime noticed = now() + (technique_ == Technique::kWebRtc ? PeerOneWay() : OneWay());
  switch (technique_) {
    case Technique::kShortPolling:
      break;
    case Technique::kLongPolling:
      Note(c, noticed, LineKind::kNoticed, "noticed; new GET after", static_cast<int64_t>(s.last_id));
      SendPoll(c, noticed);
      return {true, "the client notices and sends a new GET at once, from the last event it got: nothing is lost"};
    case Technique::kSse:
      Note(c, noticed, LineKind::kNoticed, "error event; waits the retry: time");
      SendStreamRequest(c, noticed + config_.sse_retry);
      return {true, "EventSource waits the retry time, then reconnects with Last-Event-ID: " +
                        std::to_string(s.last_id) + "; the server replays what came after"};
    case Technique::kWebSocket:
      Note(c, noticed, LineKind::kNoticed, "close event; reconnects after the back-off");
      SendStreamRequest(c, noticed + config_.ws_reconnect);
      return {true, "the app reconnects after its back-off; events sent in the meantime are lost unless the app resends"};
    case Technique::kWebRtc:
      Note(c, noticed, LineKind::kNoticed, "peer connection failed; signals again");
      StartWebRtc(c, noticed);
      return {true, "the client signals a new peer connection through the server; events meanwhile are lost"};
  }
  return {false, ""};
}

void World::Run(const AgendaEvent& e) {
  switch (e.kind) {
    case EventKind::kPublish:
      if (e.gen == publish_gen_) Publish();
      return;
    case EventKind::kPingSweep:
      if (e.gen == ping_gen_) PingSweep();
      return;
    default:
      break;
  }
  if (!Current(e.client, e.gen)) return;  // the client moved on (a drop, a new technique, it left)
  switch (e.kind) {
    case EventKind::kPollArrives:
      if (technique_ == Technique::kShortPolling) {
        OnShortPoll(e.client);
      } else {
        OnLongPoll(e.client);
      }
      return;
    case EventKind::kLongPollTimer:
      OnLongPollTimer(e.client);
      return;
    case EventKind::kStreamRequest:
      if (e.flag != 0) {
        OnSseRequest(e.client);
      } else {
        OnWsUpgrade(e.client);
      }
      return;
    case EventKind::kPeerOpen:
      OnPeerOpen(e.client);
      return;
    default:
      return;
  }
}

bool World::Advance(SimTime duration, uint64_t max_work) {
  const SimTime target = now() + duration;
  const uint64_t start = work();
  for (;;) {
    const SimTime next = agenda_.NextTime();
    if (next < 0 || next > target) break;
    if (work() - start >= max_work) {
      SeriesNow();
      return false;
    }
    const AgendaEvent e = agenda_.Pop();
    now_ = e.time;
    ++executed_;
    StepBudget::Charge();  // one unit an event, as the kernel's queue charges (sdp/step_budget.h)
    Run(e);
  }
  now_ = target;
  SeriesNow();
  return true;
}

}  // namespace sdp::realtime

// SSE, WebSocket and WebRTC: one long-lived connection per client on which
// the sender pushes each event as it happens. They differ in set-up, bytes
// per event, who carries the traffic, and what a reconnect recovers.
#include <algorithm>

#include "sdp/realtime/wire.h"
#include "sdp/realtime/world.h"

namespace sdp::realtime {

void World::SendStreamRequest(uint32_t c, SimTime at) {
  ClientState& s = clients_[c];
  const bool sse = technique_ == Technique::kSse;
  if (sse) {
    Note(c, at, s.fresh ? "GET /stream" : "GET /stream, Last-Event-ID", s.fresh ? -1 : static_cast<int64_t>(s.last_id));
  } else {
    Note(c, at, "GET /chat, Upgrade: websocket");
  }
  events_.ScheduleAt(at + OneWay(), "", EventQueue::For<World>([c, gen = s.gen, sse](World& self) {
    if (!self.Current(c, gen)) return;
    if (sse) {
      self.OnSseRequest(c);
    } else {
      self.OnWsUpgrade(c);
    }
  }));
}

// The server keeps the response open; on a reconnect it first replays every
// event after Last-Event-ID (the WHATWG model: the server decides, here it
// keeps them all), then streams.
void World::OnSseRequest(uint32_t c) {
  ClientState& s = clients_[c];
  const bool resume = !s.fresh;
  CountRequest();
  CountUp(SseRequestBytes(resume, s.last_id));
  FirstContact(s);
  s.state = State::kOpen;
  Hold(s);
  ++m_.connects;
  CountDown(SseResponseBytes(static_cast<uint64_t>(config_.sse_retry / kMicrosPerMilli)));
  s.last_arrival = now() + OneWay();
  const uint64_t latest = latest_id();
  for (uint64_t id = s.last_id + 1; id <= latest; ++id) CountDown(SseEventBytes(id, size_));
  Note(c, s.last_arrival, resume ? "stream open again; replayed after" : "stream open",
       resume ? static_cast<int64_t>(s.last_id) : -1);
  Deliver(c, s.last_id, latest, s.last_arrival);
  s.last_id = latest;
}

// Missed events of a connection that came back without replay.
static void CountMissed(uint64_t from, uint64_t latest, uint64_t* client_missed, uint64_t* missed,
                        uint64_t* received_last) {
  if (latest <= from) return;
  *client_missed += latest - from;
  *missed += latest - from;
  *received_last = std::max(*received_last, latest);
}

void World::OnWsUpgrade(uint32_t c) {
  ClientState& s = clients_[c];
  CountRequest();
  CountUp(WsUpgradeRequestBytes());
  const bool was_fresh = s.fresh;
  FirstContact(s);
  const uint64_t latest = latest_id();
  if (!was_fresh && latest > s.last_id) {
    Note(c, now(), "reconnected; lost", static_cast<int64_t>(s.last_id + 1), static_cast<int64_t>(latest));
    CountMissed(s.last_id, latest, &s.missed, &m_.missed, &s.received_last);
  }
  s.last_id = latest;
  s.state = State::kOpen;
  Hold(s);
  ++m_.connects;
  CountDown(WsUpgradeResponseBytes());
  s.last_arrival = now() + OneWay();
  Note(c, s.last_arrival, "101 Switching Protocols: open");
}

// Signalling over a WebSocket to the server: offer (client -> server ->
// publisher), answer (back), trickled ICE candidates both ways; then ICE
// connectivity checks (1 round trip), the DTLS handshake (2) and the SCTP
// association (2) on the peer path. The signalling socket is closed after.
void World::StartWebRtc(uint32_t c, SimTime at) {
  ClientState& s = clients_[c];
  s.state = State::kInFlight;
  const uint32_t candidates = config_.turn ? 3 : 2;  // host, server-reflexive (+ relay)
  // Upgrade for the signalling socket.
  SimTime t = at + OneWay();
  CountRequest();
  CountUp(WsUpgradeRequestBytes());
  CountDown(WsUpgradeResponseBytes());
  t += OneWay();
  Note(c, t, "signalling socket open; sends offer");
  // Offer to the server, then on to the publisher; the answer comes back.
  const uint32_t offer = OfferBytes(), answer = AnswerBytes(), cand = CandidateBytes();
  CountUp(offer + WsFrameHeaderBytes(offer, true));
  CountDown(offer + WsFrameHeaderBytes(offer, false));
  CountUp(answer + WsFrameHeaderBytes(answer, true));
  CountDown(answer + WsFrameHeaderBytes(answer, false));
  // Each candidate crosses the server once in each direction of relaying.
  const uint64_t candidate_bytes = 2ull * candidates * (cand + WsFrameHeaderBytes(cand, true));
  CountUp(candidate_bytes);
  CountDown(2ull * candidates * (cand + WsFrameHeaderBytes(cand, false)));
  m_.signalling_messages += 2 + 2 * candidates;
  for (int hop = 0; hop < 4; ++hop) t += OneWay();
  Note(c, t, "answer received; ICE, DTLS, SCTP set-up");
  for (int leg = 0; leg < 10; ++leg) t += PeerOneWay();
  events_.ScheduleAt(t, "", EventQueue::For<World>([c, gen = s.gen](World& self) {
    if (self.Current(c, gen)) self.OnPeerOpen(c);
  }));
}

void World::OnPeerOpen(uint32_t c) {
  ClientState& s = clients_[c];
  const bool was_fresh = s.fresh;
  FirstContact(s);
  const uint64_t latest = latest_id();
  if (!was_fresh && latest > s.last_id) {
    Note(c, now(), "data channel open again; lost", static_cast<int64_t>(s.last_id + 1), static_cast<int64_t>(latest));
    CountMissed(s.last_id, latest, &s.missed, &m_.missed, &s.received_last);
  } else {
    Note(c, now(), "data channel open (peer to peer)");
  }
  s.last_id = latest;
  s.state = State::kOpen;
  ++m_.connects;
  s.last_arrival = now();
}

// One sweep over every open socket per interval, as the `ws` library's
// heartbeat example does: a ping (2 bytes, server to client, unmasked) and
// its pong (6 bytes, masked).
void World::PingSweep() {
  uint64_t open = 0;
  for (const ClientState& s : clients_) open += s.state == State::kOpen;
  CountDown(open * WsFrameHeaderBytes(0, false));
  CountUp(open * WsFrameHeaderBytes(0, true));
  events_.ScheduleIn(config_.ping_interval, "", EventQueue::For<World>([gen = ping_gen_](World& self) {
    if (gen == self.ping_gen_) self.PingSweep();
  }));
}

void World::SendToStreams(uint64_t id) {
  uint64_t per_client = 0;
  bool via_server = true;
  switch (technique_) {
    case Technique::kSse:
      per_client = SseEventBytes(id, size_);
      break;
    case Technique::kWebSocket:
      per_client = size_ + WsFrameHeaderBytes(size_, false);
      break;
    case Technique::kWebRtc:
      per_client = DataChannelMessageBytes(size_);
      via_server = false;
      break;
    default:
      return;
  }
  uint64_t sent = 0;
  const bool peer = technique_ == Technique::kWebRtc;
  for (uint32_t c = 0; c < clients_.size(); ++c) {
    ClientState& s = clients_[c];
    if (s.state != State::kOpen) continue;
    ++sent;
    const SimTime delay = peer ? PeerOneWay() : OneWay();
    // One connection delivers in order: an event never overtakes the previous one.
    s.last_arrival = std::max(s.last_arrival, now() + delay);
    Deliver(c, id - 1, id, s.last_arrival);
    s.last_id = id;
  }
  if (peer && config_.turn) {
    // Both of the relay's hops are on the wire, each with a ChannelData header.
    const uint64_t relayed = 2 * sent * (per_client + kTurnChannelDataHeader);
    m_.relay_bytes += relayed;
    m_.p2p_bytes += relayed;
    CountDown(relayed, false);
  } else {
    if (peer) m_.p2p_bytes += sent * per_client;
    CountDown(sent * per_client, via_server);
  }
}

}  // namespace sdp::realtime

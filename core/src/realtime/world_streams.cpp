// SSE, WebSocket and WebRTC: one long-lived connection per client on which
// the sender pushes each event as it happens. They differ in set-up, bytes
// per event, who carries the traffic, and what a reconnect recovers.
#include <algorithm>

#include "sdp/realtime/wire.h"
#include "sdp/realtime/world.h"
#include "sdp/step_budget.h"

namespace sdp::realtime {

void World::SendStreamRequest(uint32_t c, SimTime at) {
  ClientState& s = clients_[c];
  const bool sse = technique_ == Technique::kSse;
  if (sse) {
    Note(c, at, LineKind::kRequest, s.fresh ? "GET /stream" : "GET /stream, Last-Event-ID", s.fresh ? -1 : static_cast<int64_t>(s.last_id));
  } else {
    Note(c, at, LineKind::kRequest, "GET /chat, Upgrade: websocket");
  }
  agenda_.Push(at + OneWay(), EventKind::kStreamRequest, c, s.gen, sse ? 1 : 0);
}

// The server keeps the response open; on a reconnect it first replays every
// event after Last-Event-ID (the WHATWG model: the server decides, here it
// keeps them all), then streams.
void World::OnSseRequest(uint32_t c) {
  ClientState& s = clients_[c];
  const bool resume = !s.fresh;
  CountRequest();
  CountUp(SseRequestBytes(resume, s.last_id));
  FirstContact(c);
  s.state = State::kOpen;
  Hold(s);
  ++m_.connects;
  CountDown(SseResponseBytes(static_cast<uint64_t>(config_.sse_retry / kMicrosPerMilli)));
  s.clock = now() + OneWay();
  const uint64_t latest = latest_id();
  for (uint64_t id = s.last_id + 1; id <= latest; ++id) CountDown(SseEventBytes(id, size_));
  Note(c, s.clock, LineKind::kOpen, resume ? "stream open again; replayed after" : "stream open",
       resume ? static_cast<int64_t>(s.last_id) : -1);
  Deliver(c, s.last_id, latest, s.clock);
  s.last_id = static_cast<uint32_t>(latest);
}

void World::CountMissed(uint32_t c, uint64_t latest) {
  ClientState& s = clients_[c];
  if (latest <= s.last_id) return;
  tallies_[c].missed += static_cast<uint32_t>(latest - s.last_id);
  m_.missed += latest - s.last_id;
  s.received_last = static_cast<uint32_t>(std::max<uint64_t>(s.received_last, latest));
}

void World::OnWsUpgrade(uint32_t c) {
  ClientState& s = clients_[c];
  CountRequest();
  CountUp(WsUpgradeRequestBytes());
  const bool was_fresh = s.fresh;
  FirstContact(c);
  const uint64_t latest = latest_id();
  if (!was_fresh && latest > s.last_id) {
    Note(c, now(), LineKind::kLost, "reconnected; lost", static_cast<int64_t>(s.last_id + 1), static_cast<int64_t>(latest));
    CountMissed(c, latest);
  }
  s.last_id = static_cast<uint32_t>(latest);
  s.state = State::kOpen;
  Hold(s);
  ++m_.connects;
  CountDown(WsUpgradeResponseBytes());
  s.clock = now() + OneWay();
  Note(c, s.clock, LineKind::kOpen, "101 Switching Protocols: open");
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
  Note(c, t, LineKind::kRequest, "signalling socket open; sends offer");
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
  Note(c, t, LineKind::kSignal, "answer received; ICE, DTLS, SCTP set-up");
  for (int leg = 0; leg < 10; ++leg) t += PeerOneWay();
  agenda_.Push(t, EventKind::kPeerOpen, c, s.gen);
}

void World::OnPeerOpen(uint32_t c) {
  ClientState& s = clients_[c];
  const bool was_fresh = s.fresh;
  FirstContact(c);
  const uint64_t latest = latest_id();
  if (!was_fresh && latest > s.last_id) {
    // Two lines: the loss and the open channel are drawn differently.
    Note(c, now(), LineKind::kLost, "while the peer connection was down, lost", static_cast<int64_t>(s.last_id + 1),
         static_cast<int64_t>(latest));
    Note(c, now(), LineKind::kOpen, "data channel open again (peer to peer)");
    CountMissed(c, latest);
  } else {
    Note(c, now(), LineKind::kOpen, "data channel open (peer to peer)");
  }
  s.last_id = static_cast<uint32_t>(latest);
  s.state = State::kOpen;
  ++m_.connects;
  s.clock = now();
}

// One sweep over every open socket per interval, as the `ws` library's
// heartbeat example does: a ping (2 bytes, server to client, unmasked) and
// its pong (6 bytes, masked).
void World::PingSweep() {
  uint64_t open = 0;
  for (const ClientState& s : clients_) open += s.state == State::kOpen;
  CountDown(open * WsFrameHeaderBytes(0, false));
  CountUp(open * WsFrameHeaderBytes(0, true));
  agenda_.Push(now() + config_.ping_interval, EventKind::kPingSweep, 0, ping_gen_);
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
  // The fan-out: Deliver(c, id - 1, id, arrival) for each open client,
  // with the counts that do not depend on the client summed after the loop.
  uint64_t sent = 0;
  const bool peer = technique_ == Technique::kWebRtc;
  const SimTime created = created_[id - 1];
  const auto id32 = static_cast<uint32_t>(id);
  const auto clients = static_cast<uint32_t>(clients_.size());
  for (uint32_t c = 0; c < clients; ++c) {
    ClientState& s = clients_[c];
    if (s.state != State::kOpen) continue;
    ++sent;
    const SimTime delay = peer ? PeerOneWay() : OneWay();
    s.clock = std::max(s.clock, now() + delay);
    const SimTime latency = s.clock - created;
    m_.latency.Add(latency);
    m_.latency_sum += latency;
    if (c < kSampledClients) series_.Latency(latency);
    ++tallies_[c].received;
    if (id32 - 1 < s.received_last) {
      ++m_.duplicates;
    } else if (id32 - 1 > s.received_last) {
      ++m_.out_of_order;  // a gap nobody declared missed
    }
    s.received_last = std::max(s.received_last, id32);
    s.last_id = id32;
    if (c < kTimelineClients) Note(c, s.clock, LineKind::kDelivery, "received", static_cast<int64_t>(id));
  }
  CountDeliveries(sent);
  // The fan-out loop is the work here, not its one event: a delivery costs
  // about a tenth of an event (sdp/step_budget.h; bench/step_budget.md).
  StepBudget::Charge(clients / 8);
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

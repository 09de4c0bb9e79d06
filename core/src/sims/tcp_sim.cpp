#include "sdp/tcp_sim.h"

#include <algorithm>

namespace sdp {
namespace {

const char* SideName(TcpSim::Side side) { return side == TcpSim::kClient ? "client" : "server"; }

}  // namespace

void TcpSim::SideHost::SendSegment(const tcp::Segment& segment, bool retransmission) {
  sim_->SendFrom(side_, segment, retransmission);
}
void TcpSim::SideHost::ArmRetransmit(int64_t after) {
  sim_->Arm(side_, &End::retransmit, after, &tcp::Endpoint::OnRetransmitTimeout);
}
void TcpSim::SideHost::StopRetransmit() { sim_->Stop(side_, &End::retransmit); }
void TcpSim::SideHost::ArmTimeWait(int64_t after) {
  sim_->Arm(side_, &End::time_wait, after, &tcp::Endpoint::OnTimeWaitTimeout);
}
void TcpSim::SideHost::StopTimeWait() { sim_->Stop(side_, &End::time_wait); }
void TcpSim::SideHost::Transition(tcp::State from, tcp::State to, const std::string& cause) {
  sim_->RecordTransition(side_, from, to, cause);
}
void TcpSim::SideHost::Deliver(uint32_t bytes) { sim_->ends_[side_].delivered += bytes; }

TcpSim::TcpSim(uint64_t seed, const TcpSimConfig& config) : config_(config), rng_(seed), events_(200) {
  for (Side side : {kClient, kServer}) {
    ends_[side].host = SideHost(this, side);
    Reincarnate(side);
  }
  if (config_.server_listening) SDP_CHECK(ends_[kServer].endpoint->OpenPassive().ok());
}

TcpSim::~TcpSim() = default;

void TcpSim::Rebind() {
  for (Side side : {kClient, kServer}) {
    ends_[side].host = SideHost(this, side);
    ends_[side].endpoint->Rebind(&ends_[side].host);
  }
}

void TcpSim::Reincarnate(Side side) {
  End& end = ends_[side];
  Stop(side, &End::retransmit);
  Stop(side, &End::time_wait);
  // RFC 9293 3.4.1: the ISN must not be predictable; here it is drawn from the
  // sim's seeded Rng, so a scenario replays the same numbers.
  const uint32_t iss = static_cast<uint32_t>(rng_.Next() >> 32);
  end.endpoint = std::make_unique<tcp::Endpoint>(&end.host, config_.endpoint, iss);
  end.opened = false;
}

// A reset from an end that never opened belongs to no connection (a closed
// port, a LISTEN answering a stray ACK): its numbers are shown as they are.
// One from an end that closed (an abort whose RST was lost) still speaks in
// that connection's numbers: its seq is the peer's ACK of our old data.
bool TcpSim::UsesIss(Side side) const { return ends_[side].opened; }

void TcpSim::SendFrom(Side side, const tcp::Segment& segment, bool retransmission) {
  ++work_;
  End& end = ends_[side];
  const Side to = side == kClient ? kServer : kClient;
  SegmentRecord record{segments_total_++, side, events_.now(), events_.now() + config_.latency, segment,
                       end.drop_next > 0, retransmission,
                       {ends_[kClient].endpoint->state(), ends_[kServer].endpoint->state()},
                       (segment.flags & tcp::kRst) && !UsesIss(side) ? 0 : end.endpoint->iss(), ends_[to].endpoint->iss()};
  if (end.drop_next > 0) {
    --end.drop_next;
  } else {
    events_.ScheduleIn(config_.latency, "",
                       EventQueue::For<TcpSim>([to, segment, id = record.id](TcpSim& self) {
                         ++self.work_;
                         self.arriving_ = static_cast<int64_t>(id);
                         self.ends_[to].endpoint->OnSegment(segment);
                         self.arriving_ = -1;
                       }));
  }
  segments_.push_back(record);
  if (segments_.size() > kMaxSegmentsKept) segments_.pop_front();
}

void TcpSim::Arm(Side side, Timer End::*timer, SimTime after, void (tcp::Endpoint::*expire)()) {
  Stop(side, timer);
  Timer& t = ends_[side].*timer;
  t.event =
      events_.ScheduleIn(after, "", EventQueue::For<TcpSim>([side, timer, expire](TcpSim& self) {
                           (self.ends_[side].*timer).pending = false;
                           (self.ends_[side].endpoint.get()->*expire)();
                         }));
  t.pending = true;
  t.at = events_.now() + after;
}

void TcpSim::Stop(Side side, Timer End::*timer) {
  Timer& t = ends_[side].*timer;
  if (t.pending) events_.Cancel(t.event);
  t.pending = false;
}

void TcpSim::RecordTransition(Side side, tcp::State from, tcp::State to, const std::string& cause) {
  if (to == tcp::State::kSynSent || to == tcp::State::kSynReceived) ends_[side].opened = true;
  transitions_.push_back({transitions_total_++, segments_total_, arriving_, events_.now(), side, from, to, cause});
  if (transitions_.size() > kMaxSegmentsKept) transitions_.pop_front();
  events_.Note(std::string(SideName(side)) + ": " + tcp::StateName(from) + " -> " + tcp::StateName(to) + " (" +
               cause + ")");
}

void TcpSim::Advance(SimTime duration) { events_.AdvanceTo(events_.now() + duration, this); }

// --- ops -------------------------------------------------------------------------

Result<Json> TcpSim::Apply(const std::string& op, const Json& args) {
  const uint64_t first_segment = segments_total_;
  const uint64_t first_transition = transitions_total_;
  if (op == "advance") {
    Advance(args["ms"].get<int64_t>() * kMicrosPerMilli);
    return OpResult(first_segment, first_transition);
  }
  if (op == "drop_next") {
    const Side side = args.value("side", std::string("client")) == "server" ? kServer : kClient;
    const uint32_t count = args.value("count", 1u);
    if (ends_[side].drop_next + count > kMaxDropsPending) {
      return Status::Invalid("drop_next: field \"count\": at most " + std::to_string(kMaxDropsPending) +
                             " losses may wait at once (" + std::to_string(ends_[side].drop_next) + " already do)");
    }
    ends_[side].drop_next += count;
    events_.Note(std::string("the next ") + std::to_string(ends_[side].drop_next) + " segment(s) from the " +
                 SideName(side) + " will be lost");
    return OpResult(first_segment, first_transition);
  }
  Result<Json> result = ApplyUser(op, args);
  if (!result.ok()) return result;
  return OpResult(first_segment, first_transition);
}

// The user calls. "side" may be "both" for connect and close: both ends act at
// the same instant (simultaneous open, simultaneous close). Every end is
// checked before any acts, so a refused op changes nothing.
Result<Json> TcpSim::ApplyUser(const std::string& op, const Json& args) {
  const std::string side_name = args.value("side", std::string(op == "listen" ? "server" : "client"));
  std::vector<Side> sides;
  if (side_name != "server") sides.push_back(kClient);
  if (side_name != "client") sides.push_back(kServer);
  const auto refuse = [&](Side side, const Status& status) -> Status {
    return Status::Invalid(op + " (" + SideName(side) + ", " + tcp::StateName(ends_[side].endpoint->state()) +
                           "): " + status.message());
  };
  if (op == "send") {
    const uint32_t bytes = args["bytes"].get<uint32_t>();
    const uint32_t mss = config_.endpoint.mss;
    if ((bytes + static_cast<uint64_t>(mss) - 1) / mss > kMaxSegmentsPerSend) {
      return Status::Invalid("send: field \"bytes\" " + std::to_string(bytes) + " at mss " + std::to_string(mss) +
                             " would be more than " + std::to_string(kMaxSegmentsPerSend) +
                             " segments; send less or raise mss");
    }
    const Side side = sides.front();
    const Status ok = ends_[side].endpoint->CheckSend();
    if (!ok.ok()) return refuse(side, ok);
    SDP_CHECK(ends_[side].endpoint->Send(bytes).ok());
    return Json::object();
  }
  for (Side side : sides) {
    const tcp::Endpoint& e = *ends_[side].endpoint;
    Status ok = Status::Ok();
    if (op == "connect") ok = e.CheckOpenActive();
    if (op == "close") ok = e.CheckClose();
    if (op == "listen" && e.state() != tcp::State::kClosed) ok = Status::Invalid("error: connection already exists");
    if (op == "abort" && e.state() == tcp::State::kClosed) ok = Status::Invalid("error: connection does not exist");
    if (!ok.ok()) return refuse(side, ok);
  }
  for (Side side : sides) {
    if ((op == "connect" || op == "listen") && ends_[side].endpoint->state() == tcp::State::kClosed) {
      Reincarnate(side);
    }
    tcp::Endpoint& e = *ends_[side].endpoint;
    if (op == "connect") SDP_CHECK(e.OpenActive().ok());
    if (op == "listen") SDP_CHECK(e.OpenPassive().ok());
    if (op == "close") SDP_CHECK(e.Close().ok());
    if (op == "abort") SDP_CHECK(e.Abort().ok());
  }
  return Json::object();
}

// --- output ------------------------------------------------------------------------

Json TcpSim::EndJson(Side side) const {
  const tcp::Endpoint& e = *ends_[side].endpoint;
  Json out = {{"state", tcp::StateName(e.state())},
              {"iss", e.iss()},
              {"snd_una", e.snd_una()},
              {"snd_nxt", e.snd_nxt()},
              {"queued_bytes", e.queued_bytes()},
              {"bytes_delivered", ends_[side].delivered},
              {"retransmissions", e.retransmissions()},
              {"drop_next", ends_[side].drop_next}};
  if (e.state() != tcp::State::kClosed && e.state() != tcp::State::kListen && e.state() != tcp::State::kSynSent) {
    out["irs"] = e.irs();
    out["rcv_nxt"] = e.rcv_nxt();
  }
  if (!e.last_error().empty()) out["error"] = e.last_error();
  const End& end = ends_[side];
  if (end.retransmit.pending) out["retransmit_at_us"] = end.retransmit.at;
  if (end.time_wait.pending) out["time_wait_ends_us"] = end.time_wait.at;
  return out;
}

Json TcpSim::SegmentJson(const SegmentRecord& r) const {
  const tcp::Segment& s = r.segment;
  // Relative numbers, as Wireshark shows them: seq from the sender's ISS, ack
  // from the receiver's (the ISS of the endpoint that sent the acked bytes).
  const uint32_t own_iss = r.from_iss;
  const uint32_t peer_iss = r.to_iss;
  Json out = {{"id", r.id},
              {"from", SideName(r.from)},
              {"sent_us", r.sent},
              {"arrives_us", r.arrives},
              {"flags", s.FlagText()},
              {"seq", s.seq},
              {"rel_seq", s.seq - own_iss},
              {"len", s.len},
              {"dropped", r.dropped},
              {"retransmission", r.retransmission}};
  if (s.flags & tcp::kAck) {
    out["ack"] = s.ack;
    out["rel_ack"] = s.ack - peer_iss;
  }
  return out;
}

Json TcpSim::TransitionJson(const TransitionRecord& t) const {
  Json out = {{"t_us", t.time},          {"side", SideName(t.side)}, {"from", tcp::StateName(t.from)},
              {"to", tcp::StateName(t.to)}, {"cause", t.cause},         {"after_segment", t.after_segment}};
  if (t.on_arrival_of >= 0) out["on_arrival_of"] = t.on_arrival_of;
  return out;
}

Json TcpSim::OpResult(uint64_t first_segment, uint64_t first_transition) const {
  Json segments = Json::array();
  for (const SegmentRecord& r : segments_) {
    if (r.id >= first_segment) segments.push_back(SegmentJson(r));
  }
  Json transitions = Json::array();
  for (const TransitionRecord& t : transitions_) {
    if (t.id >= first_transition) transitions.push_back(TransitionJson(t));
  }
  return {{"client", tcp::StateName(ends_[kClient].endpoint->state())},
          {"server", tcp::StateName(ends_[kServer].endpoint->state())},
          {"segments", segments},
          {"transitions", transitions}};
}

Json TcpSim::Snapshot(Detail detail) const {
  const uint32_t keep = detail == Detail::kFull ? kMaxSegmentsKept : 200;
  Json segments = Json::array();
  const size_t from = segments_.size() > keep ? segments_.size() - keep : 0;
  for (size_t i = from; i < segments_.size(); ++i) segments.push_back(SegmentJson(segments_[i]));
  Json transitions = Json::array();
  const size_t tfrom = transitions_.size() > keep ? transitions_.size() - keep : 0;
  for (size_t i = tfrom; i < transitions_.size(); ++i) transitions.push_back(TransitionJson(transitions_[i]));
  uint64_t in_flight = 0;
  for (const SegmentRecord& r : segments_) in_flight += (!r.dropped && r.arrives > events_.now()) ? 1 : 0;
  return {{"now_us", events_.now()},
          {"client", EndJson(kClient)},
          {"server", EndJson(kServer)},
          {"segments_total", segments_total_},
          {"in_flight", in_flight},
          {"segments", segments},
          {"transitions", transitions}};
}

}  // namespace sdp

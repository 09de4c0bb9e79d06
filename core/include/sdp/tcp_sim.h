// Simulation `tcp`: one client and one server endpoint (sdp/tcp/tcp_endpoint.h)
// joined by a link with a fixed one-way latency, so segments arrive in the
// order they were sent unless the user drops one (`drop_next`). The sim keeps
// a record of every segment (flags, seq, ack, length, when sent and when it
// arrived or was lost) and every state transition, for the sequence diagram.
//
// Invariants: time is integer microseconds; the initial sequence numbers come
// from the seeded Rng, one per opening; a refused op changes nothing.
//
// Simplified: no jitter, loss only by hand, no reordering (the `transport`
// sim has all three); one connection (a re-open is a new incarnation of the
// same 4-tuple, so an old segment can reach it, which is what TIME-WAIT is for).
#ifndef SDP_TCP_SIM_H_
#define SDP_TCP_SIM_H_

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "sdp/clone.h"
#include "sdp/event_queue.h"
#include "sdp/random.h"
#include "sdp/simulation.h"
#include "sdp/tcp/tcp_endpoint.h"

namespace sdp {

struct TcpSimConfig {
  SimTime latency = 50 * kMicrosPerMilli;  // one way
  tcp::EndpointConfig endpoint;
  bool server_listening = true;
};

class TcpSim : public Cloneable<TcpSim, Simulation> {
 public:
  enum Side : uint8_t { kClient, kServer };
  static constexpr uint32_t kMaxSegmentsKept = 2000;
  static constexpr uint32_t kMaxSegmentsPerSend = 10000;
  static constexpr uint32_t kMaxDropsPending = 100;

  struct SegmentRecord {
    uint64_t id;
    Side from;
    SimTime sent;
    SimTime arrives;  // when it arrives (or would have, if dropped)
    tcp::Segment segment;
    bool dropped;
    bool retransmission;
    std::array<tcp::State, 2> states_at_send;
    // ISSs of the sender and the receiver when it was sent, for relative numbers.
    uint32_t from_iss;
    uint32_t to_iss;
  };
  struct TransitionRecord {
    uint64_t id;
    // Where it happened among the segments, for drawing it on the right row:
    // how many segments had been sent, and the one whose arrival caused it
    // (-1: a user call or a timer).
    uint64_t after_segment;
    int64_t on_arrival_of;
    SimTime time;
    Side side;
    tcp::State from;
    tcp::State to;
    std::string cause;
  };

  TcpSim(uint64_t seed, const TcpSimConfig& config);
  ~TcpSim() override;

  Result<Json> Apply(const std::string& op, const Json& args) override;
  Json Snapshot(Detail detail) const override;
  uint64_t Work() const override { return work_; }

  const tcp::Endpoint& endpoint(Side side) const { return *ends_[side].endpoint; }
  SimTime now() const { return events_.now(); }
  const std::deque<SegmentRecord>& segments() const { return segments_; }
  const std::deque<TransitionRecord>& transitions() const { return transitions_; }
  uint64_t delivered(Side side) const { return ends_[side].delivered; }
  // Losses asked for with drop_next that have not hit a segment yet.
  uint32_t drops_pending(Side side) const { return ends_[side].drop_next; }
  void Advance(SimTime duration);

 private:
  friend class Cloneable<TcpSim, Simulation>;
  // Routes one endpoint's requests to the sim, tagged with its side.
  class SideHost : public tcp::Host {
   public:
    SideHost() = default;
    SideHost(TcpSim* sim, Side side) : sim_(sim), side_(side) {}
    void SendSegment(const tcp::Segment& segment, bool retransmission) override;
    void ArmRetransmit(int64_t after) override;
    void StopRetransmit() override;
    void ArmTimeWait(int64_t after) override;
    void StopTimeWait() override;
    void Transition(tcp::State from, tcp::State to, const std::string& cause) override;
    void Deliver(uint32_t bytes) override;

   private:
    TcpSim* sim_ = nullptr;
    Side side_ = kClient;
  };
  // One pending event at most: arming again replaces it.
  struct Timer {
    EventQueue::EventId event = 0;
    bool pending = false;
    SimTime at = 0;  // when it fires, while pending (the widget counts TIME-WAIT down)
  };
  struct End {
    SideHost host;
    DeepPtr<tcp::Endpoint> endpoint;
    uint32_t drop_next = 0;
    Timer retransmit;
    Timer time_wait;
    uint64_t delivered = 0;  // bytes handed to this side's application
    bool opened = false;     // reached SYN-SENT or SYN-RECEIVED with this endpoint
  };

  // Points each side's host at this sim and its endpoint at that host (a
  // clone's copies still point at the original's).
  void Rebind();
  // A fresh endpoint (new ISS) when the side's connection is CLOSED.
  void Reincarnate(Side side);
  // Whether `side`'s ISS means anything for the numbers it sends: it has
  // opened (sent or answered a SYN) since it was last reincarnated.
  bool UsesIss(Side side) const;
  void SendFrom(Side side, const tcp::Segment& segment, bool retransmission);
  // Runs `expire` on `side`'s endpoint after `after` us, unless stopped first.
  void Arm(Side side, Timer End::*timer, SimTime after, void (tcp::Endpoint::*expire)());
  void Stop(Side side, Timer End::*timer);
  void RecordTransition(Side side, tcp::State from, tcp::State to, const std::string& cause);

  Result<Json> ApplyUser(const std::string& op, const Json& args);
  // What one op did: both states, and the segments and transitions since it began.
  Json OpResult(uint64_t first_segment, uint64_t first_transition) const;
  Json TransitionJson(const TransitionRecord& t) const;
  Json EndJson(Side side) const;
  Json SegmentJson(const SegmentRecord& r) const;

  TcpSimConfig config_;
  Rng rng_;
  EventQueue events_;
  std::array<End, 2> ends_;
  std::deque<SegmentRecord> segments_;
  uint64_t segments_total_ = 0;
  std::deque<TransitionRecord> transitions_;
  uint64_t transitions_total_ = 0;
  int64_t arriving_ = -1;  // the segment being handed to an endpoint, while it is
  uint64_t work_ = 0;
};

Status ApplyTcpFields(const Json& args, TcpSimConfig* config);
SimInfo TcpSimInfo();

}  // namespace sdp

#endif  // SDP_TCP_SIM_H_

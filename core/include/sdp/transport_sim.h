// Simulation `transport`: the same stream of application messages sent over
// a lossy link by TCP and by UDP, side by side (RFC 768 vs RFC 9293 + 5681 +
// 6298). The link (sdp/transport/link.h) has latency, jitter, loss,
// reordering and duplication; TCP (sdp/transport/tcp_flow.h) hides all of it
// from the application at the price of time, UDP shows all of it.
//
// What the results carry: delivered bytes over time, each message's latency
// (sent -> last byte delivered in order for TCP, first copy received for
// UDP), TCP's congestion window with its phase, retransmissions by cause, and
// what each application received (in order? duplicates? missing?).
//
// Invariants: integer microseconds; TCP and UDP draw from two Rngs seeded
// from the scenario's seed, so changing one protocol's traffic does not
// change the other's link; a refused op changes nothing; a step moves at most
// kMaxPacketsPerStep packets and stops, saying so, when it would move more.
//
// Left out: bandwidth and queues (no self-inflicted loss, so TCP's window
// grows until the link or the receive window limits it), FIN/teardown,
// IP fragmentation (a UDP datagram is one packet), competing flows.
#ifndef SDP_TRANSPORT_SIM_H_
#define SDP_TRANSPORT_SIM_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "sdp/clone.h"
#include "sdp/event_queue.h"
#include "sdp/random.h"
#include "sdp/simulation.h"
#include "sdp/time_series.h"
#include "sdp/transport/link.h"
#include "sdp/transport/mathis.h"
#include "sdp/transport/tcp_flow.h"

namespace sdp {

struct TransportSimConfig {
  transport::LinkConfig link;
  bool impair_acks = false;  // loss, reordering and duplication on the ACK direction too
  transport::TcpConfig tcp;
  SimTime bucket = 100 * kMicrosPerMilli;  // chart bucket width
};

// The sim is its TCP flow's observer (charts, phase log, message latency).
class TransportSim : public Cloneable<TransportSim, Simulation>, private transport::TcpObserver {
 public:
  static constexpr uint32_t kMaxMessagesPerSend = 100000;
  static constexpr uint32_t kMaxMessages = 1000000;        // over the sim's life
  static constexpr uint64_t kMaxBytesPerSend = 1ull << 30;  // 1 GiB
  static constexpr uint32_t kMaxUdpPayload = 65507;        // 65535 - 8 (UDP) - 20 (IPv4)
  static constexpr uint64_t kMaxPacketsPerStep = 4000000;
  static constexpr uint32_t kMaxBuckets = 3000;
  static constexpr uint32_t kMaxTracePoints = 5000;
  static constexpr uint32_t kMaxEventsKept = 1000;
  static constexpr uint32_t kMaxMessageRows = 500;        // per-message rows in the snapshot
  static constexpr uint32_t kMaxOrderShown = 200;
  static constexpr uint32_t kMaxMathisPoints = 50;
  static constexpr uint32_t kNotDelivered = UINT32_MAX;   // in the latency columns
  // The loss rates at which the snapshot's mathis_curve gives the formula:
  // the widget draws it as a line beside the measured points (0.1%..5%).
  static constexpr double kMathisCurveLoss[] = {0.001, 0.0015, 0.002, 0.003, 0.005, 0.007,
                                                0.01,  0.015,  0.02,  0.03,  0.05};
  // What became of a message's UDP datagram, as the msg_udp_fate column says.
  // The app cannot tell "in flight" from "lost"; the view (and the learner) can.
  enum UdpFate : uint32_t { kUdpNotSent, kUdpInFlight, kUdpArrived, kUdpArrivedLate, kUdpLost };

  TransportSim(uint64_t seed, const TransportSimConfig& config);
  ~TransportSim() override;

  Result<Json> Apply(const std::string& op, const Json& args) override;
  Json Snapshot(Detail detail) const override;
  uint64_t Work() const override { return Packets() + work_; }
  // Series (t_ms, tcp_bytes, udp_bytes, tcp_retx_timeout, tcp_retx_fast,
  // cwnd, ssthresh, phase), trace_t_ms / trace_cwnd / trace_phase (every
  // window change, up to kMaxTracePoints), msg_sent_ms, msg_tcp_us, msg_udp_us,
  // msg_udp_copies and msg_udp_fate (a UdpFate per message).
  std::vector<uint32_t> Column(std::string_view name) const override;

  const transport::TcpFlow& tcp() const { return *tcp_; }
  SimTime now() const { return events_.now(); }
  // Distinct messages the UDP application received, and every copy.
  uint64_t udp_received() const { return udp_distinct_; }
  uint64_t udp_copies() const { return udp_copies_; }
  uint64_t udp_out_of_order() const { return udp_out_of_order_; }
  uint64_t messages() const { return messages_.size(); }
  // Sent time and delivery times of message i (-1: not delivered).
  struct Message {
    SimTime sent = 0;
    uint32_t size = 0;
    uint64_t tcp_end = 0;  // stream offset one past its last byte; 0 if not sent by TCP
    SimTime tcp_at = -1;
    SimTime udp_at = -1;
    uint32_t udp_copies = 0;      // arrived so far
    uint32_t udp_scheduled = 0;   // copies the link will deliver (0: lost)
    bool udp_overtaken = false;   // its first copy came after a later message's
    bool written = false;         // handed to the protocols (a send with an interval writes later)
    bool tcp = false;
    bool udp = false;
  };
  const Message& message(uint64_t i) const { return messages_[i]; }

 private:
  friend class Cloneable<TransportSim, Simulation>;
  // Points the flow at this sim's queue, RNG, links and observer (a clone's
  // copy still points at the original's).
  void Rebind();
  // Where the flow's events find it: in the sim the queue hands them.
  static transport::TcpFlow& FlowOf(void* owner);
  // transport::TcpObserver
  void OnDelivered(uint64_t total) override { OnTcpDelivered(total); }
  void OnCwnd(uint64_t cwnd, uint64_t ssthresh, transport::Phase phase) override;
  void OnEvent(const char* what) override;
  void OnRetransmit(bool fast) override;
  struct MathisRun {
    transport::MathisPoint point;
    SimTime rtt;
    int64_t seconds;
  };
  struct PhaseEvent {
    SimTime t;
    std::string what;
    uint64_t cwnd;
    uint64_t ssthresh;
  };
  uint64_t Packets() const;
  Result<Json> Send(const Json& args);
  void WriteMessage(uint32_t id, uint32_t size);
  void OnUdpArrival(uint32_t id);
  void OnTcpDelivered(uint64_t total);
  // Runs the events due by `until` within the step's packet budget, then
  // moves time to `until` if `to_until` (else it stays at the last event);
  // false if the budget stopped it.
  bool RunUntil(SimTime until, bool to_until);
  Json StepResult(uint64_t packets_before, bool stopped) const;
  Result<Json> Mathis(const Json& args);
  Json TcpJson() const;
  Json UdpJson() const;
  Json MessagesJson(uint32_t rows) const;
  Json LinkJson() const;
  Json MathisCurveJson() const;
  uint32_t UdpFateOf(const Message& m) const;

  TransportSimConfig config_;
  transport::LinkConfig ack_link_;
  Rng tcp_rng_;
  Rng udp_rng_;
  uint64_t seed_;
  EventQueue events_;
  TimeSeries series_;
  DeepPtr<transport::TcpFlow> tcp_;

  std::vector<Message> messages_;
  std::vector<uint32_t> tcp_messages_;  // ids sent by TCP, in stream order
  uint64_t next_tcp_message_ = 0;       // index into tcp_messages_
  uint64_t tcp_delivered_ = 0;          // bytes, as last reported
  uint64_t udp_sent_ = 0, udp_distinct_ = 0, udp_copies_ = 0, udp_out_of_order_ = 0, udp_lost_ = 0;
  uint64_t udp_bytes_ = 0;
  int64_t udp_highest_ = -1;
  std::vector<uint32_t> udp_order_;  // the first kMaxOrderShown ids as received
  std::deque<PhaseEvent> phase_events_;
  std::vector<uint32_t> trace_t_ms_, trace_cwnd_, trace_phase_;
  std::vector<MathisRun> mathis_;
  uint64_t work_ = 0;
};

SimInfo TransportSimInfo();

}  // namespace sdp

#endif  // SDP_TRANSPORT_SIM_H_

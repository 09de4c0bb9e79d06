// A one-way TCP bulk transfer over a lossy link: a sender and a receiver
// with the congestion control of RFC 5681 (slow start, congestion avoidance,
// fast retransmit / fast recovery) with RFC 6582's NewReno partial-ACK rule
// (or plain Reno), and the retransmission timer of RFC 6298 (SRTT/RTTVAR,
// Karn's rule, exponential backoff, a minimum RTO).
//
// Sequence numbers are 64-bit byte offsets of the application's stream, from
// 0 (no ISN, no wrap-around). The SYN is a separate flag; the handshake's
// third ACK rides on the first data segment. The receiver ACKs every segment
// at once (no delayed ACKs), buffers out-of-order data and hands the
// application only in-order bytes; its window is fixed.
//
// Invariants: snd_una <= snd_nxt <= snd_max <= written; cwnd >= 1 MSS;
// rcv_nxt only grows and every byte below it was delivered exactly once.
//
// Left out: SACK, timestamps, delayed ACKs, window scaling negotiation, flow
// control beyond a fixed receive window, Nagle, FIN/teardown (the `tcp` sim
// shows those), path MTU discovery.
#ifndef SDP_TRANSPORT_TCP_FLOW_H_
#define SDP_TRANSPORT_TCP_FLOW_H_

#include <cstdint>
#include <map>
#include <set>

#include "sdp/event_queue.h"
#include "sdp/random.h"
#include "sdp/transport/link.h"

namespace sdp::transport {

enum class Phase : uint8_t { kClosed, kHandshake, kSlowStart, kCongestionAvoidance, kFastRecovery, kAborted };
const char* PhaseName(Phase phase);

struct TcpConfig {
  uint32_t mss = 1460;                       // SMSS, bytes
  uint64_t rwnd = 1 << 20;                   // the receiver's fixed window, bytes
  uint64_t initial_ssthresh = 0;             // bytes; 0: "arbitrarily high" (RFC 5681 3.1)
  uint32_t initial_cwnd_segments = 0;        // 0: RFC 5681's IW rule (2-4 segments by SMSS)
  SimTime initial_rto = 1 * kMicrosPerSecond;  // RFC 6298 2.1
  SimTime min_rto = 1 * kMicrosPerSecond;      // RFC 6298 2.4 (Linux uses 200 ms)
  SimTime max_rto = 60 * kMicrosPerSecond;     // RFC 6298 2.5
  bool newreno = true;                       // false: Reno, any new ACK ends fast recovery
  uint32_t max_retries = 15;                 // timeouts of one segment before giving up (Linux tcp_retries2)
};

struct TcpCounters {
  uint64_t segments_sent = 0;      // data + SYN, including retransmissions
  uint64_t acks_sent = 0;          // including SYN-ACKs
  uint64_t packets_lost = 0;       // by the link, both directions
  uint64_t packets_duplicated = 0; // by the link
  uint64_t retransmits_timeout = 0;
  uint64_t retransmits_fast = 0;   // fast retransmit and NewReno partial-ACK retransmissions
  uint64_t timeouts = 0;
  uint64_t fast_recoveries = 0;
  uint64_t dupacks = 0;            // duplicate ACKs the sender saw
  uint64_t rtt_samples = 0;
  uint64_t duplicate_segments = 0; // data the receiver already had
  uint64_t out_of_order_segments = 0;
};

// What the flow tells its owner as it runs (charts, logs, message latency).
class TcpObserver {
 public:
  virtual ~TcpObserver() = default;
  virtual void OnDelivered(uint64_t total_bytes) { (void)total_bytes; }
  virtual void OnCwnd(uint64_t cwnd, uint64_t ssthresh, Phase phase) { (void)cwnd, (void)ssthresh, (void)phase; }
  // A congestion event: "timeout", "fast retransmit", "recovery ends", "partial ack".
  virtual void OnEvent(const char* what) { (void)what; }
  virtual void OnRetransmit(bool fast) { (void)fast; }
};

class TcpFlow {
 public:
  // How the flow's events find it in the owner the queue hands them
  // (EventQueue::OwnedAction): events never capture the flow itself, so a
  // copy of the whole owner (clone.h) runs its own events on its own flow.
  using Locate = TcpFlow& (*)(void* owner);
  // The owner is the flow itself (a queue that runs nothing else).
  static TcpFlow& Itself(void* owner) { return *static_cast<TcpFlow*>(owner); }

  // The links are read at every packet, so changing them affects later
  // packets only. The queue's Step/AdvanceTo must be given the owner that
  // `locate` expects. REQUIRES: every pointer outlives the flow; mss > 0;
  // rwnd >= mss.
  TcpFlow(EventQueue* events, Rng* rng, const LinkConfig* data_link, const LinkConfig* ack_link,
          const TcpConfig& config, TcpObserver* observer, Locate locate = &Itself);
  // A copy still points at the original's queue, RNG, links and observer;
  // its owner's copy points it at its own.
  TcpFlow(const TcpFlow&) = default;
  TcpFlow& operator=(const TcpFlow&) = delete;
  void Rebind(EventQueue* events, Rng* rng, const LinkConfig* data_link, const LinkConfig* ack_link,
              TcpObserver* observer);

  // The application writes `bytes` more; the first write opens the connection.
  void Write(uint64_t bytes);
  // Scripted loss: the first transmission of the data segment that starts at
  // stream byte `seq` is lost (its retransmissions are not). False if that
  // segment has been sent already.
  bool LoseFirstTransmission(uint64_t seq);
  uint64_t pending_scripted_losses() const { return scripted_losses_.size(); }

  Phase phase() const { return phase_; }
  uint64_t cwnd() const { return cwnd_; }
  uint64_t ssthresh() const { return ssthresh_; }
  uint64_t written() const { return written_; }
  uint64_t snd_una() const { return snd_una_; }
  uint64_t snd_nxt() const { return snd_nxt_; }
  uint64_t snd_max() const { return snd_max_; }
  uint64_t delivered() const { return rcv_nxt_; }
  SimTime srtt() const { return srtt_; }
  SimTime rttvar() const { return rttvar_; }
  SimTime rto() const { return rto_; }
  bool idle() const { return phase_ == Phase::kAborted || (phase_ != Phase::kClosed && phase_ != Phase::kHandshake && snd_una_ == written_); }
  const TcpCounters& counters() const { return counters_; }
  const TcpConfig& config() const { return config_; }

 private:
  struct Data {
    uint64_t seq;
    uint32_t len;
    bool syn;
  };
  // Sender.
  void SendSyn();
  void TrySend();
  void SendData(uint64_t seq, uint32_t len, bool retransmission);
  void OnAck(uint64_t ack, bool syn_ack);
  void OnNewAck(uint64_t acked);
  void OnDupAck();
  void EnterFastRecovery();
  void OnTimeout();
  void Sample(SimTime rtt);
  void ArmTimer();
  void StopTimer();
  uint64_t FlightSize() const { return snd_max_ - snd_una_; }
  uint64_t HalfFlight() const;
  void SetPhase(Phase phase);
  // Receiver.
  void OnData(const Data& d);
  void SendAck(bool syn_ack);
  // The link: schedules the copies that survive.
  template <typename Deliver>
  void Transmit(const LinkConfig& link, Deliver deliver);
  // An event that runs `f(flow)` on the flow its owner holds.
  template <typename F>
  EventQueue::OwnedAction OnFlow(F f) const;

  EventQueue* events_;
  Rng* rng_;
  const LinkConfig* data_link_;
  const LinkConfig* ack_link_;
  TcpConfig config_;
  TcpObserver* observer_;
  Locate locate_;
  TcpCounters counters_;

  Phase phase_ = Phase::kClosed;
  uint64_t written_ = 0;
  uint64_t snd_una_ = 0, snd_nxt_ = 0, snd_max_ = 0;
  uint64_t cwnd_ = 0, ssthresh_ = 0;
  uint32_t dupacks_ = 0;
  uint64_t recover_ = 0;          // RFC 6582: highest byte sent when recovery began
  bool partial_ack_seen_ = false; // RFC 6582 3.2: reset the timer on the first partial ACK only
  bool syn_retransmitted_ = false;
  SimTime syn_sent_at_ = 0;
  // RFC 6298 state: srtt_ == 0 means no sample yet.
  SimTime srtt_ = 0, rttvar_ = 0, rto_ = 0;
  uint32_t backoffs_ = 0;         // consecutive timeouts of snd_una
  bool timing_ = false;           // one segment timed at a time (Karn's rule)
  uint64_t timed_end_ = 0;
  SimTime timed_at_ = 0;
  bool timer_armed_ = false;
  EventQueue::EventId timer_ = 0;

  std::set<uint64_t> scripted_losses_;

  bool rcv_open_ = false;
  uint64_t rcv_nxt_ = 0;
  std::map<uint64_t, uint64_t> out_of_order_;  // start -> end, disjoint, all above rcv_nxt_
};

}  // namespace sdp::transport

#endif  // SDP_TRANSPORT_TCP_FLOW_H_

// One end of a TCP connection: the RFC 9293 state machine (section 3.3.2's
// eleven states, the user calls of 3.10.1-3.10.4 and the segment arrival rules
// of 3.10.7), with sequence numbers modulo 2^32, an initial sequence number
// from the seed, a retransmission queue with one timer (RFC 6298: the RTO
// doubles on each expiry) and the TIME-WAIT timer of 2 x MSL.
//
// The endpoint does not know about time or the network: it asks its Host to
// send segments, arm and stop timers and record transitions, so the same code
// runs under the sim's event queue and in unit tests that hand it segments.
//
// Simplified (docs/tcp.md): the receive window is a fixed size and never
// shrinks; out-of-order segments are dropped and re-acknowledged, not queued
// (RFC 9293 allows both); no options (MSS is configured on both sides), no
// urgent data, no PUSH, no precedence/security, no congestion control (the
// `transport` sim has that); RFC 5961's challenge ACK stands in for every
// SYN or RST that is in the window but not exact.
#ifndef SDP_TCP_TCP_ENDPOINT_H_
#define SDP_TCP_TCP_ENDPOINT_H_

#include <cstdint>
#include <deque>
#include <string>

#include "sdp/status.h"

namespace sdp::tcp {

enum class State : uint8_t {
  kClosed, kListen, kSynSent, kSynReceived, kEstablished, kFinWait1, kFinWait2,
  kCloseWait, kClosing, kLastAck, kTimeWait,
};
// RFC 9293's spelling: "SYN-SENT", "TIME-WAIT", ...
const char* StateName(State state);

enum Flag : uint8_t { kFin = 1, kSyn = 2, kRst = 4, kAck = 16 };

struct Segment {
  uint32_t seq = 0;
  uint32_t ack = 0;
  uint8_t flags = 0;
  uint32_t len = 0;  // data bytes (SYN and FIN occupy sequence space but no bytes)
  // The sequence space the segment occupies: its bytes, plus one each for SYN and FIN.
  uint32_t SeqLen() const { return len + ((flags & kSyn) ? 1 : 0) + ((flags & kFin) ? 1 : 0); }
  std::string FlagText() const;  // "SYN,ACK"
};

// Comparisons modulo 2^32 (RFC 9293 3.4: "compare using modular arithmetic").
inline bool SeqLt(uint32_t a, uint32_t b) { return static_cast<int32_t>(a - b) < 0; }
inline bool SeqLe(uint32_t a, uint32_t b) { return static_cast<int32_t>(a - b) <= 0; }

class Host {
 public:
  virtual ~Host() = default;
  virtual void SendSegment(const Segment& segment, bool retransmission) = 0;
  // Arms (or re-arms) the retransmission timer `after` microseconds from now.
  virtual void ArmRetransmit(int64_t after) = 0;
  virtual void StopRetransmit() = 0;
  virtual void ArmTimeWait(int64_t after) = 0;
  virtual void StopTimeWait() = 0;
  virtual void Transition(State from, State to, const std::string& cause) = 0;
  // Bytes handed to the application, in order.
  virtual void Deliver(uint32_t bytes) = 0;
};

struct EndpointConfig {
  uint32_t mss = 1460;
  uint32_t window = 65535;     // the receive window this end advertises (and the peer respects)
  int64_t rto = 1000000;       // initial RTO, us (RFC 6298 2.1: 1 s)
  uint32_t max_retries = 5;    // then the connection is given up ("connection timed out")
  int64_t msl = 30000000;      // TIME-WAIT lasts 2 x MSL
};

class Endpoint {
 public:
  Endpoint(Host* host, const EndpointConfig& config, uint32_t iss) : host_(host), config_(config), iss_(iss) {}
  // A copy still talks to the original's host; its owner's copy points it at
  // its own (clone.h's Rebind).
  void Rebind(Host* host) { host_ = host; }

  // User calls (RFC 9293 3.10.1-3.10.4). On error nothing changes and the
  // message is the RFC's ("error: connection does not exist", ...).
  Status OpenPassive();
  Status OpenActive();
  Status Send(uint32_t bytes);
  Status Close();
  Status Abort();  // sends RST where the RFC says to, then CLOSED
  // What the call would answer, without making it (ops on both sides check
  // both first, so that a refused op changes nothing).
  Status CheckOpenActive() const;
  Status CheckSend() const;
  Status CheckClose() const;

  void OnSegment(const Segment& segment);
  void OnRetransmitTimeout();
  void OnTimeWaitTimeout();

  State state() const { return state_; }
  uint32_t iss() const { return iss_; }
  uint32_t irs() const { return irs_; }
  uint32_t snd_una() const { return snd_una_; }
  uint32_t snd_nxt() const { return snd_nxt_; }
  uint32_t rcv_nxt() const { return rcv_nxt_; }
  bool synchronized() const { return synchronized_; }
  uint64_t queued_bytes() const { return unsent_; }
  uint64_t bytes_delivered() const { return delivered_; }
  uint32_t retransmissions() const { return retransmissions_; }
  const std::string& last_error() const { return last_error_; }

 private:
  void SetState(State to, const std::string& cause);
  void Emit(uint8_t flags, uint32_t seq, uint32_t len, bool queue);
  void SendAck();
  void SendReset(uint32_t seq, uint32_t ack, bool with_ack);
  // Segments as much queued data (and then a pending FIN) as the window allows.
  void Flush();
  void OnAcknowledged(uint32_t ack);
  bool OurFinAcked() const { return fin_sent_ && snd_una_ == snd_nxt_; }
  void EnterClosed(const std::string& cause);
  void EnterTimeWait(const std::string& cause);
  void SegmentArrivesSynSent(const Segment& s);
  bool Acceptable(const Segment& s) const;
  void SegmentArrivesSynchronized(const Segment& s);

  Host* host_;
  EndpointConfig config_;
  State state_ = State::kClosed;
  bool passive_ = false;        // SYN-RECEIVED came from LISTEN (RST returns there)
  bool synchronized_ = false;
  uint32_t iss_;
  uint32_t irs_ = 0;
  uint32_t snd_una_ = 0;
  uint32_t snd_nxt_ = 0;
  uint32_t rcv_nxt_ = 0;
  uint64_t unsent_ = 0;         // bytes the user sent that are not yet segmentized
  bool fin_pending_ = false;    // Close() called; FIN goes out after the queued data
  bool fin_sent_ = false;
  std::deque<Segment> retransmit_queue_;
  int64_t rto_ = 0;
  uint32_t retries_ = 0;
  uint32_t retransmissions_ = 0;
  uint64_t delivered_ = 0;
  std::string last_error_;      // the last error the connection reported to its user
};

}  // namespace sdp::tcp

#endif  // SDP_TCP_TCP_ENDPOINT_H_

// Mathis, Semke, Mahdavi, Ott 1997, "The Macroscopic Behavior of the TCP
// Congestion Avoidance Algorithm" (CCR 27(3)): in congestion avoidance with
// loss probability p, a TCP's throughput is BW = (MSS / RTT) * C / sqrt(p),
// C = sqrt(3/2) ~ 1.22 for periodic loss with an ACK per segment.
//
// MeasureThroughput runs one long bulk transfer (TcpFlow) over a link that
// loses each data segment with probability p, and reports the goodput after
// a warm-up beside the formula's prediction for the same MSS and base RTT.
#ifndef SDP_TRANSPORT_MATHIS_H_
#define SDP_TRANSPORT_MATHIS_H_

#include <cstdint>

#include "sdp/transport/link.h"
#include "sdp/transport/tcp_flow.h"

namespace sdp::transport {

constexpr double kMathisC = 1.2247448713915890;  // sqrt(3/2)

// Bytes per second. REQUIRES: p > 0, rtt > 0
double MathisBytesPerSecond(uint32_t mss, SimTime rtt, double p);

struct MathisPoint {
  double loss = 0;                // the link's p
  double measured_bps = 0;        // goodput between warm-up and end, bytes/s
  double predicted_bps = 0;       // the formula with p and RTT = 2 x latency
  double ratio = 0;               // measured / predicted
  uint64_t segments_sent = 0;
  uint64_t timeouts = 0;
  uint64_t fast_recoveries = 0;
  double signals_per_segment = 0; // the paper's p: congestion signals (recoveries + timeouts) per segment delivered
};

// REQUIRES: 0 < link.loss < 1, duration > warmup >= 0
MathisPoint MeasureThroughput(const TcpConfig& tcp, const LinkConfig& link, uint64_t seed, SimTime warmup,
                              SimTime duration);

}  // namespace sdp::transport

#endif  // SDP_TRANSPORT_MATHIS_H_

#include "sdp/transport/mathis.h"

#include <cmath>

#include "sdp/status.h"

namespace sdp::transport {

// sqrt is correctly rounded (IEEE 754), so native and wasm agree.
double MathisBytesPerSecond(uint32_t mss, SimTime rtt, double p) {
  SDP_CHECK(p > 0 && rtt > 0);
  const double rtt_s = static_cast<double>(rtt) / kMicrosPerSecond;
  return static_cast<double>(mss) / rtt_s * kMathisC / std::sqrt(p);
}

MathisPoint MeasureThroughput(const TcpConfig& tcp, const LinkConfig& link, uint64_t seed, SimTime warmup,
                              SimTime duration) {
  SDP_CHECK(link.loss > 0 && link.loss < 1 && duration > warmup && warmup >= 0);
  EventQueue events(1);
  Rng rng(seed);
  const LinkConfig ack_link{link.latency, link.jitter, 0, 0, 0, 0};  // the paper's model loses data only
  TcpFlow flow(&events, &rng, &link, &ack_link, tcp, nullptr);
  // More than any run can send: the sender is always limited by its window.
  flow.Write(uint64_t{1} << 50);
  events.AdvanceTo(warmup, &flow);  // the flow's events run on it (TcpFlow::Itself)
  const uint64_t at_warmup = flow.delivered();
  const TcpCounters before = flow.counters();
  events.AdvanceTo(duration, &flow);
  const uint64_t bytes = flow.delivered() - at_warmup;
  const TcpCounters& after = flow.counters();

  MathisPoint point;
  point.loss = link.loss;
  point.measured_bps = static_cast<double>(bytes) * kMicrosPerSecond / static_cast<double>(duration - warmup);
  point.predicted_bps = MathisBytesPerSecond(tcp.mss, 2 * link.latency, link.loss);
  point.ratio = point.measured_bps / point.predicted_bps;
  point.segments_sent = after.segments_sent - before.segments_sent;
  point.timeouts = after.timeouts - before.timeouts;
  point.fast_recoveries = after.fast_recoveries - before.fast_recoveries;
  const double segments_delivered = static_cast<double>(bytes) / tcp.mss;
  point.signals_per_segment =
      segments_delivered > 0 ? static_cast<double>(point.timeouts + point.fast_recoveries) / segments_delivered : 0;
  return point;
}

}  // namespace sdp::transport

// The declaration of `transport`: config fields (the link's are shared with
// the `link` op), ops, and how fields map onto the config.
#include "sdp/transport_sim.h"

#include "sims/sim_text.h"

namespace sdp {
namespace transport_info {

constexpr int64_t kTransportMaxStepMs = 3600 * 1000;  // an hour

std::vector<FieldSpec> LinkFields() {
  return {
      IntField("latency_ms", false, 0, 10000, "one-way delay (default 50)"),
      IntField("jitter_ms", false, 0, 10000, "each packet's delay varies by up to +-jitter; packets may overtake (default 0)"),
      NumberField("loss", false, 0, 1, "probability that a packet is lost, 0..1 (default 0)"),
      NumberField("reorder", false, 0, 1, "probability that a packet is held back by reorder_delay_ms, 0..1 (default 0)"),
      IntField("reorder_delay_ms", false, 0, 10000, "how long a held-back packet waits (default 20)"),
      NumberField("duplicate", false, 0, 1, "probability that a packet arrives twice, 0..1 (default 0)"),
      BoolField("impair_acks", false, "loss, reordering and duplication hit TCP's ACKs too (default false: data only)"),
  };
}

std::vector<FieldSpec> TcpFields() {
  return {
      IntField("mss", false, 1, 65495, "TCP's largest segment, bytes (default 1460)"),
      IntField("window_bytes", false, 1, int64_t{1} << 30, "the receiver's window, bytes, at least the MSS (default 1048576)"),
      IntField("initial_cwnd", false, 0, 100, "initial window in segments; 0: RFC 5681's rule, 2-4 by MSS (default 0)"),
      IntField("ssthresh_bytes", false, 0, int64_t{1} << 40, "initial slow-start threshold; 0: unlimited (default 0)"),
      IntField("initial_rto_ms", false, 1, 60000, "RTO before the first RTT sample (default 1000, RFC 6298)"),
      IntField("min_rto_ms", false, 1, 60000, "lower bound of the RTO (default 1000, RFC 6298; Linux uses 200)"),
      EnumField("variant", false, {"newreno", "reno"}, "fast recovery: newreno stays in it until all data sent before the loss is acked (RFC 6582); reno leaves at the first new ACK (default newreno)"),
      IntField("max_retries", false, 1, 30, "timeouts of one segment before TCP gives up (default 15)"),
      IntField("bucket_ms", false, 1, 60000, "width of a chart bucket (default 100)"),
  };
}

}  // namespace transport_info

SimInfo TransportSimInfo() {
  SimInfo info;
  info.name = "transport";
  info.help = "TCP (Reno/NewReno, RFC 5681/6298) vs UDP over a lossy link: the same messages, what each application receives";
  info.config = ConcatFields(transport_info::LinkFields(), transport_info::TcpFields());
  info.ops = {
      {"link", "change the link for packets sent from now on; omitted fields keep their values", transport_info::LinkFields()},
      {"send", "the application sends messages over TCP and/or UDP",
       {IntField("messages", true, 1, TransportSim::kMaxMessagesPerSend, "how many messages"),
        IntField("size", true, 1, 100 * 1024 * 1024, "bytes per message (UDP: at most 65507)"),
        IntField("interval_ms", false, 0, 60000, "time between messages; 0: all at once (default 0)"),
        EnumField("protocol", false, {"both", "tcp", "udp"}, "which protocol sends them (default both)")}},
      {"drop", "lose the first transmission of one TCP data segment (scripted loss; its retransmission gets through)",
       {IntField("segment", true, 0, int64_t{1} << 31, "which segment of the stream, from 0: the one starting at byte segment x mss")}},
      {"advance", "let simulated time pass", {IntField("ms", true, 1, transport_info::kTransportMaxStepMs, "milliseconds")}},
      {"run", "run until every packet has arrived or been lost and TCP has nothing left to send",
       {IntField("max_ms", false, 1, transport_info::kTransportMaxStepMs, "stop after this much simulated time (default 3600000)")}},
      {"mathis", "a separate long TCP transfer at this loss (same MSS and latency): measured throughput beside Mathis et al. 1997",
       {NumberField("loss", true, 0.0001, 0.2, "probability that a data segment is lost"),
        IntField("seconds", false, 10, 3600, "simulated duration; the first tenth is warm-up (default 300)")}},
  };
  info.create = [](uint64_t seed, const Json& config) -> Result<std::unique_ptr<Simulation>> {
    TransportSimConfig c;
    transport::LinkConfig& l = c.link;
    l.latency = MillisField(config, "latency_ms", l.latency);
    l.jitter = MillisField(config, "jitter_ms", l.jitter);
    l.reorder_delay = MillisField(config, "reorder_delay_ms", l.reorder_delay);
    l.loss = config.value("loss", l.loss);
    l.reorder = config.value("reorder", l.reorder);
    l.duplicate = config.value("duplicate", l.duplicate);
    c.impair_acks = config.value("impair_acks", c.impair_acks);
    transport::TcpConfig& t = c.tcp;
    t.mss = config.value("mss", t.mss);
    t.rwnd = config.value("window_bytes", t.rwnd);
    t.initial_cwnd_segments = config.value("initial_cwnd", t.initial_cwnd_segments);
    t.initial_ssthresh = config.value("ssthresh_bytes", t.initial_ssthresh);
    t.initial_rto = MillisField(config, "initial_rto_ms", t.initial_rto);
    t.min_rto = MillisField(config, "min_rto_ms", t.min_rto);
    t.newreno = config.value("variant", std::string("newreno")) == "newreno";
    t.max_retries = config.value("max_retries", t.max_retries);
    c.bucket = MillisField(config, "bucket_ms", c.bucket);
    if (t.rwnd < t.mss) {
      return Status::Invalid("config: field \"window_bytes\" " + Str(static_cast<int64_t>(t.rwnd)) +
                             " is below the MSS (" + Str(t.mss) + "): not one segment would fit");
    }
    return std::unique_ptr<Simulation>(std::make_unique<TransportSim>(seed, c));
  };
  return info;
}

}  // namespace sdp

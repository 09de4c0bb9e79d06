#include "sdp/transport_sim.h"

#include <algorithm>

#include "sims/sim_text.h"

namespace sdp {
// Names prefixed: the core builds in unity batches, where another sim's
// helper of the same name would clash.
namespace {

enum TransportCounter : uint32_t { kTcpBytes, kUdpBytes, kRetxTimeout, kRetxFast };
enum TransportLevel : uint32_t { kCwndLevel, kSsthreshLevel, kPhaseLevel };

uint32_t TransportClamp32(uint64_t v) { return static_cast<uint32_t>(std::min<uint64_t>(v, UINT32_MAX)); }

// TCP's state for charts: "unlimited" ssthresh shows as 0.
uint64_t TransportShownSsthresh(uint64_t ssthresh, const transport::TcpConfig& c) {
  return c.initial_ssthresh == 0 && ssthresh >= UINT64_MAX / 4 ? 0 : ssthresh;
}

// Nearest-rank percentile of sorted values.
SimTime TransportPercentile(const std::vector<SimTime>& sorted, uint32_t pct) {
  if (sorted.empty()) return 0;
  const size_t rank = (sorted.size() * pct + 99) / 100;
  return sorted[std::max<size_t>(rank, 1) - 1];
}

}  // namespace

void TransportSim::OnCwnd(uint64_t cwnd, uint64_t ssthresh, transport::Phase phase) {
  const uint64_t shown = TransportShownSsthresh(ssthresh, config_.tcp);
  series_.AdvanceTo(events_.now());
  series_.SetLevel(kCwndLevel, TransportClamp32(cwnd));
  series_.SetLevel(kSsthreshLevel, TransportClamp32(shown));
  series_.SetLevel(kPhaseLevel, static_cast<uint32_t>(phase));
  if (trace_t_ms_.size() < kMaxTracePoints) {
    trace_t_ms_.push_back(TransportClamp32(static_cast<uint64_t>(events_.now() / kMicrosPerMilli)));
    trace_cwnd_.push_back(TransportClamp32(cwnd));
    trace_phase_.push_back(static_cast<uint32_t>(phase));
  }
}

void TransportSim::OnEvent(const char* what) {
  const transport::TcpFlow& f = *tcp_;
  phase_events_.push_back(
      {events_.now(), what, f.cwnd(), TransportShownSsthresh(f.ssthresh(), f.config())});
  if (phase_events_.size() > kMaxEventsKept) phase_events_.pop_front();
}

void TransportSim::OnRetransmit(bool fast) {
  series_.AdvanceTo(events_.now());
  series_.Count(fast ? kRetxFast : kRetxTimeout);
}

TransportSim::TransportSim(uint64_t seed, const TransportSimConfig& config)
    : config_(config),
      tcp_rng_(seed),
      // A second stream from the same seed: UDP's link does not depend on TCP's traffic.
      udp_rng_(SplitMix64(seed ^ 0x7564702d6c696e6bULL).Next()),
      seed_(seed),
      events_(1),
      series_(config.bucket, {"tcp_bytes", "udp_bytes", "tcp_retx_timeout", "tcp_retx_fast"},
              {{"cwnd", TimeSeries::LevelKind::kMax},
               {"ssthresh", TimeSeries::LevelKind::kLast},
               {"phase", TimeSeries::LevelKind::kLast}},
              kMaxBuckets) {
  ack_link_ = config_.link;
  if (!config_.impair_acks) ack_link_.loss = ack_link_.reorder = ack_link_.duplicate = 0;
  tcp_ = std::make_unique<transport::TcpFlow>(&events_, &tcp_rng_, &config_.link, &ack_link_,
                                              config_.tcp,
                                              static_cast<transport::TcpObserver*>(this), &FlowOf);
}

TransportSim::~TransportSim() = default;

void TransportSim::Rebind() { tcp_->Rebind(&events_, &tcp_rng_, &config_.link, &ack_link_, this); }

transport::TcpFlow& TransportSim::FlowOf(void* owner) {
  return *static_cast<TransportSim*>(owner)->tcp_;
}

uint64_t TransportSim::Packets() const {
  const transport::TcpCounters& c = tcp_->counters();
  return c.segments_sent + c.acks_sent + udp_sent_;
}

// --- the applications -------------------------------------------------------

void TransportSim::WriteMessage(uint32_t id, uint32_t size) {
  Message& m = messages_[id];
  m.sent = events_.now();
  m.written = true;
  if (m.tcp) {
    m.tcp_end = tcp_->written() + size;
    tcp_messages_.push_back(id);
    tcp_->Write(size);
  }
  if (m.udp) {
    ++udp_sent_;
    const transport::Fate fate = transport::DrawFate(config_.link, udp_rng_);
    if (fate.copies == 0) ++udp_lost_;
    m.udp_scheduled = fate.copies;
    for (uint32_t i = 0; i < fate.copies; ++i) {
      events_.ScheduleIn(fate.delay[i], "", EventQueue::For<TransportSim>([id](TransportSim& self) {
                           self.OnUdpArrival(id);
                         }));
    }
  }
}

void TransportSim::OnUdpArrival(uint32_t id) {
  Message& m = messages_[id];
  ++udp_copies_;
  if (udp_order_.size() < kMaxOrderShown) udp_order_.push_back(id);
  if (m.udp_copies++ > 0) return;
  m.udp_at = events_.now();
  ++udp_distinct_;
  if (static_cast<int64_t>(id) < udp_highest_) {
    ++udp_out_of_order_;
    m.udp_overtaken = true;
  }
  udp_highest_ = std::max<int64_t>(udp_highest_, id);
  udp_bytes_ += m.size;
  series_.AdvanceTo(events_.now());
  series_.Count(kUdpBytes, m.size);
}

void TransportSim::OnTcpDelivered(uint64_t total) {
  series_.AdvanceTo(events_.now());
  series_.Count(kTcpBytes, TransportClamp32(total - tcp_delivered_));
  tcp_delivered_ = total;
  while (next_tcp_message_ < tcp_messages_.size() && messages_[tcp_messages_[next_tcp_message_]].tcp_end <= total) {
    messages_[tcp_messages_[next_tcp_message_]].tcp_at = events_.now();
    ++next_tcp_message_;
  }
}

// --- ops ------------------------------------------------------------------------

bool TransportSim::RunUntil(SimTime until, bool to_until) {
  const uint64_t start = Packets();
  for (;;) {
    const SimTime next = events_.NextTime();
    if (next < 0 || next > until) break;
    if (Packets() - start >= kMaxPacketsPerStep) {
      series_.AdvanceTo(events_.now());
      return false;
    }
    events_.Step(this);
  }
  if (to_until) events_.AdvanceTo(until, this);
  series_.AdvanceTo(events_.now());
  return true;
}

Result<Json> TransportSim::Send(const Json& args) {
  const uint32_t count = args["messages"].get<uint32_t>();
  const uint32_t size = args["size"].get<uint32_t>();
  const SimTime interval = MillisField(args, "interval_ms", 0);
  const std::string protocol = args.value("protocol", std::string("both"));
  const bool by_tcp = protocol != "udp";
  const bool by_udp = protocol != "tcp";
  if (by_udp && size > kMaxUdpPayload) {
    return Status::Invalid("send: field \"size\" " + Str(size) + " is more than one UDP datagram carries (" +
                           Str(kMaxUdpPayload) + " bytes over IPv4); use protocol \"tcp\" or a smaller size");
  }
  if (uint64_t{count} * size > kMaxBytesPerSend) {
    return Status::Invalid("send: fields \"messages\" x \"size\" = " + Str(uint64_t{count} * size) +
                           " bytes; one send may carry at most " + Str(kMaxBytesPerSend) + " bytes");
  }
  if (messages_.size() + count > kMaxMessages) {
    return Status::Invalid("send: field \"messages\": this sim has sent " + Str(messages_.size()) +
                           " messages and keeps at most " + Str(kMaxMessages) + "; start a new one");
  }
  if (by_tcp && tcp_->phase() == transport::Phase::kAborted) {
    return Status::Invalid("send: TCP gave up after " + Str(config_.tcp.max_retries) +
                           " timeouts of one segment; start a new sim, or send with protocol \"udp\"");
  }
  const uint64_t before = Packets();
  const uint32_t first = static_cast<uint32_t>(messages_.size());
  for (uint32_t i = 0; i < count; ++i) {
    Message m;
    m.sent = events_.now() + interval * i;
    m.size = size;
    m.tcp = by_tcp;
    m.udp = by_udp;
    messages_.push_back(m);
  }
  for (uint32_t i = 0; i < count; ++i) {
    if (interval == 0) {
      WriteMessage(first + i, size);
    } else {
      events_.ScheduleIn(interval * i, "",
                         EventQueue::For<TransportSim>([id = first + i, size](TransportSim& self) {
                           self.WriteMessage(id, size);
                         }));
    }
  }
  series_.AdvanceTo(events_.now());
  Json out = StepResult(before, false);
  out["first_message"] = first;
  return out;
}

Result<Json> TransportSim::Mathis(const Json& args) {
  const double loss = args["loss"].get<double>();
  const SimTime duration = args.value("seconds", int64_t{300}) * kMicrosPerSecond;
  transport::LinkConfig link;
  link.latency = config_.link.latency;
  link.loss = loss;
  if (link.latency == 0) {
    return Status::Invalid("mathis: the link's latency_ms is 0: the formula needs a round-trip time; set one with `link`");
  }
  // Refuse before running what would exceed a step's packets: the formula's
  // rate, x2 for the ACKs, x1.5 for headroom.
  const double expected = transport::MathisBytesPerSecond(config_.tcp.mss, 2 * link.latency, loss) /
                          config_.tcp.mss * (static_cast<double>(duration) / kMicrosPerSecond) * 3;
  if (expected > static_cast<double>(kMaxPacketsPerStep)) {
    return Status::Invalid("mathis: field \"seconds\": about " + Str(static_cast<uint64_t>(expected)) +
                           " packets at this loss and latency; a step may move at most " + Str(kMaxPacketsPerStep) +
                           "; use fewer seconds, more loss or more latency");
  }
  const transport::MathisPoint p =
      transport::MeasureThroughput(config_.tcp, link, seed_ + mathis_.size(), duration / 10, duration);
  work_ += 2 * p.segments_sent;
  mathis_.push_back({p, 2 * link.latency, duration / kMicrosPerSecond});
  if (mathis_.size() > kMaxMathisPoints) mathis_.erase(mathis_.begin());
  return Json{{"loss", p.loss},
              {"rtt_ms", 2 * link.latency / kMicrosPerMilli},
              {"seconds", duration / kMicrosPerSecond},
              {"measured_bytes_per_s", p.measured_bps},
              {"predicted_bytes_per_s", p.predicted_bps},
              {"ratio", p.ratio},
              {"timeouts", p.timeouts},
              {"fast_recoveries", p.fast_recoveries},
              {"signals_per_segment", p.signals_per_segment}};
}

Result<Json> TransportSim::Apply(const std::string& op, const Json& args) {
  const uint64_t before = Packets();
  if (op == "link") {
    transport::LinkConfig l = config_.link;
    l.latency = MillisField(args, "latency_ms", l.latency);
    l.jitter = MillisField(args, "jitter_ms", l.jitter);
    l.reorder_delay = MillisField(args, "reorder_delay_ms", l.reorder_delay);
    l.loss = args.value("loss", l.loss);
    l.reorder = args.value("reorder", l.reorder);
    l.duplicate = args.value("duplicate", l.duplicate);
    config_.link = l;
    config_.impair_acks = args.value("impair_acks", config_.impair_acks);
    ack_link_ = l;
    if (!config_.impair_acks) ack_link_.loss = ack_link_.reorder = ack_link_.duplicate = 0;
    events_.Note("link changed");
    return LinkJson();
  }
  if (op == "send") return Send(args);
  if (op == "drop") {
    const uint64_t index = args["segment"].get<uint64_t>();
    const uint64_t seq = index * config_.tcp.mss;
    if (!tcp_->LoseFirstTransmission(seq)) {
      return Status::Invalid("drop: field \"segment\" " + Str(static_cast<int64_t>(index)) +
                             " (stream byte " + Str(static_cast<int64_t>(seq)) + ") was sent already; TCP has sent up to byte " +
                             Str(static_cast<int64_t>(tcp_->snd_max())));
    }
    events_.Note("the first transmission of segment " + Str(static_cast<int64_t>(index)) + " will be lost");
    return Json{{"segment", index}, {"stream_byte", seq}};
  }
  if (op == "mathis") return Mathis(args);
  if (op == "advance") {
    const bool done = RunUntil(events_.now() + args["ms"].get<int64_t>() * kMicrosPerMilli, true);
    return StepResult(before, !done);
  }
  if (op == "run") {
    const SimTime limit = events_.now() + MillisField(args, "max_ms", 3600 * kMicrosPerSecond);
    // Time stops at the last event: when both transfers are over, not at the limit.
    return StepResult(before, !RunUntil(limit, false));
  }
  return Status::Invalid("unknown op " + op);
}

// --- output ---------------------------------------------------------------------

uint32_t TransportSim::UdpFateOf(const Message& m) const {
  // A message sent with an interval may not have been written yet: its
  // datagram does not exist, so it is not lost either.
  if (!m.udp || !m.written) return kUdpNotSent;
  if (m.udp_copies > 0) return m.udp_overtaken ? kUdpArrivedLate : kUdpArrived;
  return m.udp_scheduled == 0 ? kUdpLost : kUdpInFlight;
}

Json TransportSim::StepResult(uint64_t packets_before, bool stopped) const {
  Json out = {{"now_us", events_.now()},
              {"packets", Packets() - packets_before},
              {"tcp_phase", transport::PhaseName(tcp_->phase())},
              {"tcp_cwnd", tcp_->cwnd()},
              {"tcp_delivered_bytes", tcp_->delivered()},
              {"udp_delivered_bytes", udp_bytes_},
              {"done", events_.pending() == 0}};
  if (stopped) {
    out["stopped"] = "a step moves at most " + Str(kMaxPacketsPerStep) +
                     " packets; stopped here, advance again to continue";
  }
  return out;
}

Json TransportSim::LinkJson() const {
  const transport::LinkConfig& l = config_.link;
  return {{"latency_ms", l.latency / kMicrosPerMilli}, {"jitter_ms", l.jitter / kMicrosPerMilli},
          {"loss", l.loss},  {"reorder", l.reorder},
          {"reorder_delay_ms", l.reorder_delay / kMicrosPerMilli},
          {"duplicate", l.duplicate}, {"impair_acks", config_.impair_acks}};
}

// The formula at fixed loss rates for the link's latency now (null at
// latency 0: no RTT), so that the widget draws the curve from the sim.
Json TransportSim::MathisCurveJson() const {
  const SimTime rtt = 2 * config_.link.latency;
  if (rtt == 0) return nullptr;
  Json loss = Json::array(), predicted = Json::array();
  for (const double p : kMathisCurveLoss) {
    loss.push_back(p);
    predicted.push_back(transport::MathisBytesPerSecond(config_.tcp.mss, rtt, p));
  }
  return {{"rtt_ms", rtt / kMicrosPerMilli}, {"mss", config_.tcp.mss}, {"loss", loss}, {"predicted_bytes_per_s", predicted}};
}

Json TransportSim::TcpJson() const {
  const transport::TcpFlow& f = *tcp_;
  const transport::TcpCounters& c = f.counters();
  const uint64_t shown = TransportShownSsthresh(f.ssthresh(), f.config());
  Json out = {{"phase", transport::PhaseName(f.phase())},
              {"variant", f.config().newreno ? "newreno" : "reno"},
              {"cwnd", f.cwnd()},
              {"ssthresh", shown == 0 ? Json(nullptr) : Json(shown)},
              {"srtt_us", f.srtt()},
              {"rttvar_us", f.rttvar()},
              {"rto_us", f.rto()},
              {"written_bytes", f.written()},
              {"snd_una", f.snd_una()},
              {"snd_max", f.snd_max()},
              {"delivered_bytes", f.delivered()},
              {"segments_sent", c.segments_sent},
              {"acks_sent", c.acks_sent},
              {"packets_lost", c.packets_lost},
              {"packets_duplicated", c.packets_duplicated},
              {"retransmits_timeout", c.retransmits_timeout},
              {"retransmits_fast", c.retransmits_fast},
              {"timeouts", c.timeouts},
              {"fast_recoveries", c.fast_recoveries},
              {"dupacks", c.dupacks},
              {"rtt_samples", c.rtt_samples},
              {"receiver_duplicate_segments", c.duplicate_segments},
              {"receiver_out_of_order_segments", c.out_of_order_segments},
              {"scripted_losses_pending", f.pending_scripted_losses()}};
  // The application sees a byte stream: in order, once, or not yet.
  out["app"] = {{"messages_sent", tcp_messages_.size()},
                {"messages_delivered", next_tcp_message_},
                {"in_order", true},
                {"duplicates", 0},
                {"missing", tcp_messages_.size() - next_tcp_message_}};
  return out;
}

Json TransportSim::UdpJson() const {
  return {{"datagrams_sent", udp_sent_},
          {"lost_by_link", udp_lost_},
          {"delivered_bytes", udp_bytes_},
          {"app",
           {{"messages_delivered", udp_distinct_},
            {"copies_received", udp_copies_},
            {"duplicates", udp_copies_ - udp_distinct_},
            {"out_of_order", udp_out_of_order_},
            {"in_order", udp_out_of_order_ == 0},
            {"missing", udp_sent_ - udp_distinct_},
            {"first_received_ids", udp_order_}}}};
}

Json TransportSim::MessagesJson(uint32_t rows) const {
  std::vector<SimTime> tcp_lat, udp_lat;
  Json list = Json::array();
  for (uint64_t i = 0; i < messages_.size(); ++i) {
    const Message& m = messages_[i];
    if (m.tcp_at >= 0) tcp_lat.push_back(m.tcp_at - m.sent);
    if (m.udp_at >= 0) udp_lat.push_back(m.udp_at - m.sent);
    if (i < rows) {
      list.push_back({{"id", i},
                      {"sent_us", m.sent},
                      {"tcp_latency_us", m.tcp_at >= 0 ? Json(m.tcp_at - m.sent) : Json(nullptr)},
                      {"udp_latency_us", m.udp_at >= 0 ? Json(m.udp_at - m.sent) : Json(nullptr)},
                      {"udp_copies", m.udp_copies}});
    }
  }
  std::sort(tcp_lat.begin(), tcp_lat.end());
  std::sort(udp_lat.begin(), udp_lat.end());
  return {{"count", messages_.size()},
          {"tcp_latency_p50_us", TransportPercentile(tcp_lat, 50)},
          {"tcp_latency_p99_us", TransportPercentile(tcp_lat, 99)},
          {"tcp_latency_max_us", tcp_lat.empty() ? 0 : tcp_lat.back()},
          {"udp_latency_p50_us", TransportPercentile(udp_lat, 50)},
          {"udp_latency_p99_us", TransportPercentile(udp_lat, 99)},
          {"udp_latency_max_us", udp_lat.empty() ? 0 : udp_lat.back()},
          {"rows", list}};
}

Json TransportSim::Snapshot(Detail detail) const {
  const bool full = detail == Detail::kFull;
  Json events = Json::array();
  for (const PhaseEvent& e : phase_events_) {
    events.push_back({{"t_us", e.t}, {"what", e.what}, {"cwnd", e.cwnd}, {"ssthresh", e.ssthresh}});
  }
  Json mathis = Json::array();
  for (const MathisRun& run : mathis_) {
    const transport::MathisPoint& p = run.point;
    mathis.push_back({{"loss", p.loss},
                      {"rtt_ms", run.rtt / kMicrosPerMilli},
                      {"seconds", run.seconds},
                      {"measured_bytes_per_s", p.measured_bps},
                      {"predicted_bytes_per_s", p.predicted_bps},
                      {"ratio", p.ratio},
                      {"timeouts", p.timeouts},
                      {"fast_recoveries", p.fast_recoveries}});
  }
  Json out = {{"now_us", events_.now()},
              {"link", LinkJson()},
              {"mss", config_.tcp.mss},
              {"window_bytes", config_.tcp.rwnd},
              {"packets_total", Packets()},
              {"tcp", TcpJson()},
              {"udp", UdpJson()},
              {"messages", MessagesJson(full ? kMaxMessageRows : 50)},
              {"series", series_.ToJson()},
              {"tcp_events", events},
              {"mathis", mathis},
              {"mathis_curve", MathisCurveJson()}};
  if (full) {
    out["cwnd_trace"] = {{"t_ms", trace_t_ms_}, {"cwnd", trace_cwnd_}, {"phase", trace_phase_}};
  }
  out["series_dropped_buckets"] = series_.dropped();
  return out;
}

std::vector<uint32_t> TransportSim::Column(std::string_view name) const {
  if (name == "trace_t_ms") return trace_t_ms_;
  if (name == "trace_cwnd") return trace_cwnd_;
  if (name == "trace_phase") return trace_phase_;
  if (name == "msg_udp_copies" || name == "msg_udp_fate") {
    const bool fate = name == "msg_udp_fate";
    std::vector<uint32_t> out;
    out.reserve(messages_.size());
    for (const Message& m : messages_) out.push_back(fate ? UdpFateOf(m) : m.udp_copies);
    return out;
  }
  const bool want_sent = name == "msg_sent_ms", want_tcp = name == "msg_tcp_us";
  if (want_sent || want_tcp || name == "msg_udp_us") {
    std::vector<uint32_t> out;
    out.reserve(messages_.size());
    for (const Message& m : messages_) {
      const SimTime at = want_tcp ? m.tcp_at : m.udp_at;
      if (want_sent) {
        out.push_back(TransportClamp32(static_cast<uint64_t>(m.sent / kMicrosPerMilli)));
      } else {
        out.push_back(at < 0 ? kNotDelivered : std::min<uint32_t>(TransportClamp32(static_cast<uint64_t>(at - m.sent)), kNotDelivered - 1));
      }
    }
    return out;
  }
  return series_.Column(name);
}

}  // namespace sdp

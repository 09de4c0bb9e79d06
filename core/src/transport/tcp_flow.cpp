#include "sdp/transport/tcp_flow.h"

#include <algorithm>

#include "sdp/status.h"

namespace sdp::transport {
namespace {

// RFC 6298's clock granularity G: the RTO never gets closer than this to SRTT.
constexpr SimTime kClockGranularity = 1 * kMicrosPerMilli;
// RFC 6298 5.7: after a SYN timed out, the RTO is 3 s once data flows.
constexpr SimTime kRtoAfterSynTimeout = 3 * kMicrosPerSecond;

// RFC 5681 3.1: the initial window by SMSS.
uint64_t InitialWindow(const TcpConfig& c) {
  if (c.initial_cwnd_segments > 0) return uint64_t{c.initial_cwnd_segments} * c.mss;
  if (c.mss > 2190) return 2ull * c.mss;
  if (c.mss > 1095) return 3ull * c.mss;
  return 4ull * c.mss;
}

}  // namespace

const char* PhaseName(Phase phase) {
  switch (phase) {
    case Phase::kClosed: return "closed";
    case Phase::kHandshake: return "handshake";
    case Phase::kSlowStart: return "slow_start";
    case Phase::kCongestionAvoidance: return "congestion_avoidance";
    case Phase::kFastRecovery: return "fast_recovery";
    case Phase::kAborted: return "aborted";
  }
  return "?";
}

TcpFlow::TcpFlow(EventQueue* events, Rng* rng, const LinkConfig* data_link,
                 const LinkConfig* ack_link, const TcpConfig& config, TcpObserver* observer,
                 Locate locate)
    : events_(events),
      rng_(rng),
      data_link_(data_link),
      ack_link_(ack_link),
      config_(config),
      observer_(observer),
      locate_(locate) {
  SDP_CHECK(config_.mss > 0 && config_.rwnd >= config_.mss);
  rto_ = config_.initial_rto;
  ssthresh_ = config_.initial_ssthresh > 0 ? config_.initial_ssthresh : UINT64_MAX / 4;
}

void TcpFlow::Rebind(EventQueue* events, Rng* rng, const LinkConfig* data_link,
                     const LinkConfig* ack_link, TcpObserver* observer) {
  events_ = events;
  rng_ = rng;
  data_link_ = data_link;
  ack_link_ = ack_link;
  observer_ = observer;
}

template <typename F>
EventQueue::OwnedAction TcpFlow::OnFlow(F f) const {
  return {[locate = locate_, f = std::move(f)](void* owner) { f(locate(owner)); }};
}

template <typename Deliver>
void TcpFlow::Transmit(const LinkConfig& link, Deliver deliver) {
  const Fate fate = DrawFate(link, *rng_);
  if (fate.copies == 0) ++counters_.packets_lost;
  if (fate.copies == 2) ++counters_.packets_duplicated;
  for (uint32_t i = 0; i < fate.copies; ++i)
    events_->ScheduleIn(fate.delay[i], "", OnFlow(deliver));
}

void TcpFlow::Write(uint64_t bytes) {
  if (phase_ == Phase::kAborted) return;
  written_ += bytes;
  if (phase_ == Phase::kClosed) {
    SetPhase(Phase::kHandshake);
    SendSyn();
    ArmTimer();
    return;
  }
  if (phase_ != Phase::kHandshake) TrySend();
}

void TcpFlow::SetPhase(Phase phase) {
  phase_ = phase;
  if (observer_) observer_->OnCwnd(cwnd_, ssthresh_, phase_);
}

// --- sender ---------------------------------------------------------------------

void TcpFlow::SendSyn() {
  ++counters_.segments_sent;
  syn_sent_at_ = events_->now();
  Transmit(*data_link_, [](TcpFlow& self) { self.OnData({0, 0, true}); });
}

void TcpFlow::TrySend() {
  const uint64_t window = std::min(cwnd_, config_.rwnd);
  while (snd_nxt_ < written_) {
    const uint32_t len = static_cast<uint32_t>(std::min<uint64_t>(config_.mss, written_ - snd_nxt_));
    // A segment goes only if it fits whole: no silly windows (RFC 9293 3.8.6.2.1).
    if (snd_nxt_ + len > snd_una_ + window) break;
    const bool retransmission = snd_nxt_ < snd_max_;
    SendData(snd_nxt_, len, retransmission);
    if (retransmission) {
      ++counters_.retransmits_timeout;  // go-back-N after a timeout resends what was sent before
      if (observer_) observer_->OnRetransmit(false);
    } else if (!timing_) {
      timing_ = true;
      timed_end_ = snd_nxt_ + len;
      timed_at_ = events_->now();
    }
    snd_nxt_ += len;
    snd_max_ = std::max(snd_max_, snd_nxt_);
    if (!timer_armed_) ArmTimer();  // RFC 6298 5.1
  }
}

bool TcpFlow::LoseFirstTransmission(uint64_t seq) {
  if (seq < snd_max_) return false;
  scripted_losses_.insert(seq);
  return true;
}

void TcpFlow::SendData(uint64_t seq, uint32_t len, bool retransmission) {
  ++counters_.segments_sent;
  // Karn's rule: an ACK after any retransmission is ambiguous, so stop timing.
  if (retransmission) timing_ = false;
  if (!retransmission && scripted_losses_.erase(seq) > 0) {
    ++counters_.packets_lost;
    return;
  }
  Transmit(*data_link_, [seq, len](TcpFlow& self) { self.OnData({seq, len, false}); });
}

void TcpFlow::OnAck(uint64_t ack, bool syn_ack) {
  if (phase_ == Phase::kAborted || phase_ == Phase::kClosed) return;
  if (phase_ == Phase::kHandshake) {
    if (!syn_ack) return;
    StopTimer();
    if (!syn_retransmitted_) {
      Sample(events_->now() - syn_sent_at_);
    } else if (srtt_ == 0) {
      rto_ = kRtoAfterSynTimeout;
    }
    backoffs_ = 0;
    // RFC 5681 3.1: after a lost SYN the initial window is one segment.
    cwnd_ = syn_retransmitted_ ? config_.mss : InitialWindow(config_);
    SetPhase(cwnd_ < ssthresh_ ? Phase::kSlowStart : Phase::kCongestionAvoidance);
    TrySend();
    return;
  }
  if (syn_ack) return;  // a late copy of the SYN-ACK
  if (ack > snd_una_) {
    OnNewAck(ack);
  } else if (ack == snd_una_ && snd_max_ > snd_una_) {
    OnDupAck();
  }
  TrySend();
}

void TcpFlow::OnNewAck(uint64_t ack) {
  const uint64_t acked = ack - snd_una_;
  snd_una_ = ack;
  // After a timeout the receiver may ACK data it had buffered beyond snd_nxt.
  snd_nxt_ = std::max(snd_nxt_, snd_una_);
  backoffs_ = 0;
  if (timing_ && ack >= timed_end_) {
    timing_ = false;
    Sample(events_->now() - timed_at_);
  }
  if (phase_ == Phase::kFastRecovery) {
    if (config_.newreno && ack < recover_) {
      // RFC 6582 3.2, partial acknowledgment. Retransmit the next hole, deflate
      // the window by what was acked, add back one SMSS, stay in recovery.
      ++counters_.retransmits_fast;
      SendData(snd_una_, static_cast<uint32_t>(std::min<uint64_t>(config_.mss, snd_max_ - snd_una_)), true);
      cwnd_ = cwnd_ > acked ? cwnd_ - acked : 0;
      if (acked >= config_.mss) cwnd_ += config_.mss;
      cwnd_ = std::max<uint64_t>(cwnd_, config_.mss);
      if (!partial_ack_seen_) ArmTimer();
      partial_ack_seen_ = true;
      if (observer_) {
        observer_->OnCwnd(cwnd_, ssthresh_, phase_);
        observer_->OnRetransmit(true);
        observer_->OnEvent("partial ack");
      }
      return;
    }
    // RFC 5681 3.2 step 6 (Reno: the first new ACK; NewReno: a full ACK).
    cwnd_ = ssthresh_;
    dupacks_ = 0;
    if (observer_) observer_->OnEvent("recovery ends");
    SetPhase(Phase::kCongestionAvoidance);
  } else {
    dupacks_ = 0;
    if (cwnd_ < ssthresh_) {
      cwnd_ += std::min<uint64_t>(acked, config_.mss);  // RFC 5681 (2)
    } else {
      cwnd_ += std::max<uint64_t>(1, uint64_t{config_.mss} * config_.mss / cwnd_);  // RFC 5681 (3)
    }
    const Phase now = cwnd_ < ssthresh_ ? Phase::kSlowStart : Phase::kCongestionAvoidance;
    if (now != phase_) {
      SetPhase(now);
    } else if (observer_) {
      observer_->OnCwnd(cwnd_, ssthresh_, phase_);
    }
  }
  // RFC 6298 5.2 / 5.3.
  if (snd_una_ == snd_max_) {
    StopTimer();
  } else {
    ArmTimer();
  }
}

void TcpFlow::OnDupAck() {
  ++counters_.dupacks;
  ++dupacks_;
  if (phase_ == Phase::kFastRecovery) {
    cwnd_ += config_.mss;  // RFC 5681 3.2 step 4: each dupACK is a segment that left the network
    if (observer_) observer_->OnCwnd(cwnd_, ssthresh_, phase_);
    return;
  }
  if (dupacks_ != 3) return;
  // RFC 6582 3.2: dupACKs for data sent before the last recovery or
  // timeout do not start a new one. recover_ is one past RFC 6582's
  // "recover" (the highest byte sent), so its `ack > recover` is ack >= recover_.
  if (config_.newreno && snd_una_ < recover_) return;
  EnterFastRecovery();
}

uint64_t TcpFlow::HalfFlight() const {
  return std::max<uint64_t>(FlightSize() / 2, 2ull * config_.mss);  // RFC 5681 (4)
}

void TcpFlow::EnterFastRecovery() {
  ++counters_.fast_recoveries;
  ++counters_.retransmits_fast;
  ssthresh_ = HalfFlight();
  recover_ = snd_max_;
  partial_ack_seen_ = false;
  SendData(snd_una_, static_cast<uint32_t>(std::min<uint64_t>(config_.mss, snd_max_ - snd_una_)), true);
  cwnd_ = ssthresh_ + 3ull * config_.mss;  // RFC 5681 3.2 step 3
  SetPhase(Phase::kFastRecovery);
  // Events carry the window as the reaction left it.
  if (observer_) {
    observer_->OnRetransmit(true);
    observer_->OnEvent("fast retransmit");
  }
}

void TcpFlow::OnTimeout() {
  timer_armed_ = false;
  if (backoffs_ >= config_.max_retries) {
    if (observer_) observer_->OnEvent("gave up");
    SetPhase(Phase::kAborted);
    return;
  }
  ++counters_.timeouts;
  ++counters_.retransmits_timeout;
  rto_ = std::min(rto_ * 2, config_.max_rto);  // RFC 6298 5.5
  if (phase_ == Phase::kHandshake) {
    ++backoffs_;
    syn_retransmitted_ = true;
    SendSyn();
    ArmTimer();
    if (observer_) {
      observer_->OnRetransmit(false);
      observer_->OnEvent("timeout");
    }
    return;
  }
  // RFC 5681 (4): on the first timeout of this segment only; a segment
  // retransmitted by the timer again leaves ssthresh as it is.
  if (backoffs_ == 0) ssthresh_ = HalfFlight();
  ++backoffs_;
  cwnd_ = config_.mss;  // the loss window
  dupacks_ = 0;
  recover_ = snd_max_;  // RFC 6582 3.2, retransmit timeouts: no fast retransmit for the data in flight now
  SetPhase(Phase::kSlowStart);
  // Go back N: resend from snd_una as the window opens again.
  snd_nxt_ = snd_una_;
  const uint32_t len = static_cast<uint32_t>(std::min<uint64_t>(config_.mss, snd_max_ - snd_una_));
  SendData(snd_una_, len, true);
  snd_nxt_ += len;
  ArmTimer();
  if (observer_) {
    observer_->OnRetransmit(false);
    observer_->OnEvent("timeout");
  }
}

// RFC 6298 2.2 / 2.3: SRTT and RTTVAR in integer microseconds.
void TcpFlow::Sample(SimTime r) {
  ++counters_.rtt_samples;
  if (srtt_ == 0) {
    srtt_ = std::max<SimTime>(r, 1);
    rttvar_ = r / 2;
  } else {
    const SimTime err = srtt_ > r ? srtt_ - r : r - srtt_;
    rttvar_ = rttvar_ - rttvar_ / 4 + err / 4;
    srtt_ = srtt_ - srtt_ / 8 + r / 8;
  }
  rto_ = srtt_ + std::max(kClockGranularity, 4 * rttvar_);
  rto_ = std::clamp(rto_, config_.min_rto, config_.max_rto);
}

void TcpFlow::ArmTimer() {
  StopTimer();
  timer_ = events_->ScheduleIn(rto_, "", OnFlow([](TcpFlow& self) { self.OnTimeout(); }));
  timer_armed_ = true;
}

void TcpFlow::StopTimer() {
  if (timer_armed_) events_->Cancel(timer_);
  timer_armed_ = false;
}

// --- receiver -------------------------------------------------------------------

void TcpFlow::OnData(const Data& d) {
  if (d.syn) {
    rcv_open_ = true;
    SendAck(true);
    return;
  }
  SDP_CHECK(rcv_open_);
  const uint64_t end = d.seq + d.len;
  if (end <= rcv_nxt_) {
    ++counters_.duplicate_segments;
  } else if (d.seq > rcv_nxt_) {
    ++counters_.out_of_order_segments;
    // Keep the buffered ranges disjoint: merge with every range it touches.
    uint64_t start = d.seq, stop = end;
    auto it = out_of_order_.upper_bound(start);
    if (it != out_of_order_.begin() && std::prev(it)->second >= start) --it;
    while (it != out_of_order_.end() && it->first <= stop) {
      start = std::min(start, it->first);
      stop = std::max(stop, it->second);
      it = out_of_order_.erase(it);
    }
    out_of_order_.emplace(start, stop);
  } else {
    rcv_nxt_ = end;
    while (!out_of_order_.empty() && out_of_order_.begin()->first <= rcv_nxt_) {
      rcv_nxt_ = std::max(rcv_nxt_, out_of_order_.begin()->second);
      out_of_order_.erase(out_of_order_.begin());
    }
    if (observer_) observer_->OnDelivered(rcv_nxt_);
  }
  SendAck(false);  // RFC 5681 4.2: at once for out-of-order and gap-filling data
}

void TcpFlow::SendAck(bool syn_ack) {
  ++counters_.acks_sent;
  const uint64_t ack = rcv_nxt_;
  Transmit(*ack_link_, [ack, syn_ack](TcpFlow& self) { self.OnAck(ack, syn_ack); });
}

}  // namespace sdp::transport

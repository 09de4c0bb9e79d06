// RFC 9293 section 3.10 ("Event Processing"), followed step by step; the
// comments name the step each block implements.
#include "sdp/tcp/tcp_endpoint.h"

#include <algorithm>

namespace sdp::tcp {

const char* StateName(State state) {
  static const char* kNames[] = {"CLOSED", "LISTEN", "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1",
                                 "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING", "LAST-ACK", "TIME-WAIT"};
  return kNames[static_cast<int>(state)];
}

std::string Segment::FlagText() const {
  std::string out;
  auto add = [&out](const char* name) { out += out.empty() ? name : std::string(",") + name; };
  if (flags & kSyn) add("SYN");
  if (flags & kFin) add("FIN");
  if (flags & kRst) add("RST");
  if (flags & kAck) add("ACK");
  return out;
}

void Endpoint::SetState(State to, const std::string& cause) {
  if (to == state_) return;
  const State from = state_;
  state_ = to;
  host_->Transition(from, to, cause);
}

// Sends a segment from SND.NXT (or `seq` for a bare ACK/RST) and, when it
// occupies sequence space, keeps it for retransmission.
void Endpoint::Emit(uint8_t flags, uint32_t seq, uint32_t len, bool queue) {
  Segment s;
  s.seq = seq;
  s.flags = flags;
  s.len = len;
  if (flags & kAck) s.ack = rcv_nxt_;
  host_->SendSegment(s, false);
  if (!queue) return;
  if (retransmit_queue_.empty()) {
    rto_ = config_.rto;
    host_->ArmRetransmit(rto_);
  }
  retransmit_queue_.push_back(s);
}

void Endpoint::SendAck() { Emit(kAck, snd_nxt_, 0, false); }

void Endpoint::SendReset(uint32_t seq, uint32_t ack, bool with_ack) {
  Segment s;
  s.seq = seq;
  s.ack = ack;
  s.flags = with_ack ? (kRst | kAck) : kRst;
  host_->SendSegment(s, false);
}

void Endpoint::Flush() {
  if (!synchronized_) return;
  const uint32_t window_end = snd_una_ + config_.window;
  while (unsent_ > 0 && SeqLt(snd_nxt_, window_end)) {
    const uint32_t room = window_end - snd_nxt_;
    const uint32_t len = static_cast<uint32_t>(std::min<uint64_t>({unsent_, config_.mss, room}));
    Emit(kAck, snd_nxt_, len, true);
    snd_nxt_ += len;
    unsent_ -= len;
  }
  if (unsent_ == 0 && fin_pending_ && !fin_sent_) {
    // 3.10.4 CLOSE, ESTABLISHED / CLOSE-WAIT: "queue this until all preceding
    // SENDs have been segmentized; then form a FIN segment and send it".
    fin_sent_ = true;
    Emit(kFin | kAck, snd_nxt_, 0, true);
    snd_nxt_ += 1;
    if (state_ == State::kEstablished || state_ == State::kSynReceived) {
      SetState(State::kFinWait1, "close: FIN sent");
    } else if (state_ == State::kCloseWait) {
      SetState(State::kLastAck, "close: FIN sent");
    }
  }
}

// --- user calls ----------------------------------------------------------------

Status Endpoint::OpenPassive() {
  if (state_ != State::kClosed) return Status::Invalid("error: connection already exists");
  passive_ = true;
  last_error_.clear();
  SetState(State::kListen, "passive OPEN");
  return Status::Ok();
}

Status Endpoint::CheckOpenActive() const {
  // 3.10.1 OPEN in CLOSED; in LISTEN a SEND to a foreign socket "changes the
  // connection from passive to active" (3.10.2), which is what a simultaneous
  // open from a listening side needs.
  if (state_ != State::kClosed && state_ != State::kListen) return Status::Invalid("error: connection already exists");
  return Status::Ok();
}

Status Endpoint::OpenActive() {
  SDP_RETURN_IF_ERROR(CheckOpenActive());
  passive_ = false;
  last_error_.clear();
  snd_una_ = iss_;
  snd_nxt_ = iss_ + 1;
  Emit(kSyn, iss_, 0, true);
  SetState(State::kSynSent, "active OPEN: SYN sent");
  return Status::Ok();
}

Status Endpoint::CheckSend() const {
  switch (state_) {
    case State::kClosed:
      return Status::Invalid("error: connection does not exist");
    case State::kListen:
      return Status::Invalid("error: the connection is listening (passive); open it actively first");
    case State::kFinWait1: case State::kFinWait2: case State::kClosing: case State::kLastAck: case State::kTimeWait:
      return Status::Invalid("error: connection closing");
    default:
      return fin_pending_ ? Status::Invalid("error: connection closing") : Status::Ok();
  }
}

Status Endpoint::Send(uint32_t bytes) {
  SDP_RETURN_IF_ERROR(CheckSend());
  // SYN-SENT / SYN-RECEIVED: "queue the data for transmission after entering
  // ESTABLISHED"; ESTABLISHED / CLOSE-WAIT: segmentize now.
  unsent_ += bytes;
  Flush();
  return Status::Ok();
}

Status Endpoint::CheckClose() const {
  switch (state_) {
    case State::kClosed:
      return Status::Invalid("error: connection does not exist");
    case State::kListen: case State::kSynSent:
      return Status::Ok();
    case State::kSynReceived: case State::kEstablished: case State::kCloseWait:
      return fin_pending_ ? Status::Invalid("error: connection closing") : Status::Ok();
    default:  // FIN-WAIT-1/2, CLOSING, LAST-ACK, TIME-WAIT
      return Status::Invalid("error: connection closing");
  }
}

Status Endpoint::Close() {
  SDP_RETURN_IF_ERROR(CheckClose());
  if (state_ == State::kListen) {
    EnterClosed("close in LISTEN");
  } else if (state_ == State::kSynSent) {
    // "Delete the TCB and return 'error: closing' responses to any queued SENDs."
    unsent_ = 0;
    EnterClosed("close in SYN-SENT");
  } else {
    fin_pending_ = true;
    Flush();
  }
  return Status::Ok();
}

Status Endpoint::Abort() {
  switch (state_) {
    case State::kClosed:
      return Status::Invalid("error: connection does not exist");
    case State::kSynReceived: case State::kEstablished: case State::kFinWait1: case State::kFinWait2:
    case State::kCloseWait:
      // 3.10.5 ABORT: "Send a reset segment: <SEQ=SND.NXT><CTL=RST>".
      SendReset(snd_nxt_, 0, false);
      break;
    default:
      break;
  }
  unsent_ = 0;
  EnterClosed("abort");
  return Status::Ok();
}

void Endpoint::EnterClosed(const std::string& cause) {
  retransmit_queue_.clear();
  host_->StopRetransmit();
  host_->StopTimeWait();
  synchronized_ = false;
  fin_pending_ = false;
  fin_sent_ = false;
  SetState(State::kClosed, cause);
}

void Endpoint::EnterTimeWait(const std::string& cause) {
  retransmit_queue_.clear();
  host_->StopRetransmit();
  host_->ArmTimeWait(2 * config_.msl);
  SetState(State::kTimeWait, cause);
}

void Endpoint::OnTimeWaitTimeout() {
  if (state_ == State::kTimeWait) EnterClosed("2 x MSL passed in TIME-WAIT");
}

void Endpoint::OnRetransmitTimeout() {
  if (retransmit_queue_.empty()) return;
  if (retries_ >= config_.max_retries) {
    last_error_ = "error: connection timed out";
    unsent_ = 0;
    EnterClosed("gave up after " + std::to_string(retries_) + " retransmissions");
    return;
  }
  ++retries_;
  ++retransmissions_;
  // RFC 6298 5.4-5.6: retransmit the earliest unacknowledged segment, double
  // the RTO, restart the timer.
  Segment s = retransmit_queue_.front();
  if (s.flags & kAck) s.ack = rcv_nxt_;
  host_->SendSegment(s, true);
  rto_ *= 2;
  host_->ArmRetransmit(rto_);
}

// Drops what `ack` acknowledges from the retransmission queue (3.10.7.4,
// fifth check: "SND.UNA < SEG.ACK =< SND.NXT then set SND.UNA <- SEG.ACK").
void Endpoint::OnAcknowledged(uint32_t ack) {
  snd_una_ = ack;
  while (!retransmit_queue_.empty()) {
    const Segment& s = retransmit_queue_.front();
    if (SeqLt(ack, s.seq + s.SeqLen())) break;
    retransmit_queue_.pop_front();
  }
  retries_ = 0;
  // RFC 6298 5.2/5.3: all acknowledged -> stop the timer; new data acked -> restart it.
  if (retransmit_queue_.empty()) {
    host_->StopRetransmit();
  } else {
    rto_ = config_.rto;
    host_->ArmRetransmit(rto_);
  }
}

// --- SEGMENT ARRIVES (3.10.7) -----------------------------------------------

void Endpoint::OnSegment(const Segment& s) {
  switch (state_) {
    case State::kClosed:
      // 3.10.7.1: an incoming RST is discarded; anything else gets a reset.
      if (s.flags & kRst) return;
      if (s.flags & kAck) {
        SendReset(s.ack, 0, false);
      } else {
        SendReset(0, s.seq + s.SeqLen(), true);
      }
      return;
    case State::kListen:
      // 3.10.7.2: first RST (ignore), second ACK (reset), third SYN.
      if (s.flags & kRst) return;
      if (s.flags & kAck) {
        SendReset(s.ack, 0, false);
        return;
      }
      if (s.flags & kSyn) {
        rcv_nxt_ = s.seq + 1;
        irs_ = s.seq;
        snd_una_ = iss_;
        snd_nxt_ = iss_ + 1;
        passive_ = true;
        Emit(kSyn | kAck, iss_, 0, true);
        SetState(State::kSynReceived, "SYN received: SYN,ACK sent");
      }
      return;
    case State::kSynSent:
      SegmentArrivesSynSent(s);
      return;
    default:
      SegmentArrivesSynchronized(s);
      return;
  }
}

void Endpoint::SegmentArrivesSynSent(const Segment& s) {
  // 3.10.7.3, first: the ACK bit.
  const bool ack = s.flags & kAck;
  if (ack && (SeqLe(s.ack, iss_) || SeqLt(snd_nxt_, s.ack))) {
    if (!(s.flags & kRst)) SendReset(s.ack, 0, false);
    return;
  }
  // Second: the RST bit.
  if (s.flags & kRst) {
    if (ack) {
      last_error_ = "error: connection reset";
      unsent_ = 0;
      EnterClosed("RST received: connection refused");
    }
    return;
  }
  // Fourth: the SYN bit.
  if (!(s.flags & kSyn)) return;
  rcv_nxt_ = s.seq + 1;
  irs_ = s.seq;
  if (ack) OnAcknowledged(s.ack);
  if (SeqLt(iss_, snd_una_)) {
    synchronized_ = true;
    SetState(State::kEstablished, "SYN,ACK received: ACK sent");
    SendAck();
    Flush();
  } else {
    // Simultaneous open: "form a SYN,ACK segment <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> and send it".
    Segment synack;
    synack.seq = iss_;
    synack.ack = rcv_nxt_;
    synack.flags = kSyn | kAck;
    host_->SendSegment(synack, false);
    retransmit_queue_.front() = synack;  // the SYN now retransmits as SYN,ACK
    SetState(State::kSynReceived, "SYN received while in SYN-SENT (simultaneous open): SYN,ACK sent");
  }
}

bool Endpoint::Acceptable(const Segment& s) const {
  // 3.10.7.4's table: a segment is acceptable if the sequence space it
  // occupies begins (or, with data, ends) inside the receive window.
  const auto in_window = [this](uint32_t seq) {
    return SeqLe(rcv_nxt_, seq) && SeqLt(seq, rcv_nxt_ + config_.window);
  };
  if (s.SeqLen() == 0) return in_window(s.seq);
  return in_window(s.seq) || in_window(s.seq + s.SeqLen() - 1);
}

void Endpoint::SegmentArrivesSynchronized(const Segment& s) {
  // 3.10.7.4, first: sequence number.
  if (!Acceptable(s)) {
    if (s.flags & kRst) return;
    if (state_ == State::kTimeWait && (s.flags & kFin)) {
      // A retransmitted FIN: acknowledge it and restart the 2 MSL timeout.
      SendAck();
      host_->ArmTimeWait(2 * config_.msl);
      return;
    }
    SendAck();  // "send an acknowledgment ... and drop the unacceptable segment"
    return;
  }
  // Acceptable but not at RCV.NXT: a later segment arrived before a lost
  // earlier one. Its ACK field still counts; its text and FIN are dropped,
  // not queued (see the header), and the duplicate ACK asks for RCV.NXT.
  const bool in_order = s.seq == rcv_nxt_;
  // Second: RST. RFC 5961 section 3: reset only on an exact match, else a challenge ACK.
  if ((s.flags & kRst) && !in_order) {
    SendAck();
    return;
  }
  if (s.flags & kRst) {
    if (state_ == State::kSynReceived && passive_) {
      retransmit_queue_.clear();
      host_->StopRetransmit();
      SetState(State::kListen, "RST received: back to LISTEN");
      return;
    }
    if (state_ == State::kSynReceived) {
      last_error_ = "error: connection refused";
    } else if (state_ != State::kClosing && state_ != State::kLastAck && state_ != State::kTimeWait) {
      last_error_ = "error: connection reset";
    }
    unsent_ = 0;
    EnterClosed("RST received");
    return;
  }
  // Fourth: SYN in a synchronized state -> challenge ACK (RFC 5961 section 4).
  if (s.flags & kSyn) {
    SendAck();
    return;
  }
  // Fifth: the ACK field.
  if (!(s.flags & kAck)) return;
  if (state_ == State::kSynReceived) {
    if (SeqLt(snd_una_, s.ack) && SeqLe(s.ack, snd_nxt_)) {
      synchronized_ = true;
      OnAcknowledged(s.ack);
      SetState(State::kEstablished, "ACK of our SYN received");
      Flush();
    } else {
      SendReset(s.ack, 0, false);
      return;
    }
  } else if (SeqLt(snd_nxt_, s.ack)) {
    SendAck();  // acknowledges something not yet sent
    return;
  } else if (SeqLt(snd_una_, s.ack)) {
    OnAcknowledged(s.ack);
    Flush();
  }
  if (state_ == State::kFinWait1 && OurFinAcked()) SetState(State::kFinWait2, "ACK of our FIN received");
  if (state_ == State::kClosing && OurFinAcked()) {
    EnterTimeWait("ACK of our FIN received");
    return;
  }
  if (state_ == State::kLastAck) {
    if (OurFinAcked()) EnterClosed("ACK of our FIN received");
    return;
  }
  if (state_ == State::kTimeWait) return;
  // Seventh: segment text (ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2 only).
  if (!in_order) {
    if (s.SeqLen() > 0) SendAck();  // duplicate ACK: "I still expect RCV.NXT"
    return;
  }
  bool must_ack = false;
  if (s.len > 0 && (state_ == State::kEstablished || state_ == State::kFinWait1 || state_ == State::kFinWait2)) {
    rcv_nxt_ += s.len;
    delivered_ += s.len;
    host_->Deliver(s.len);
    must_ack = true;
  }
  // Eighth: FIN.
  if (s.flags & kFin) {
    rcv_nxt_ += 1;
    SendAck();
    switch (state_) {
      case State::kSynReceived:
      case State::kEstablished:
        SetState(State::kCloseWait, "FIN received: ACK sent");
        break;
      case State::kFinWait1:
        if (OurFinAcked()) {
          EnterTimeWait("FIN received: ACK sent");
        } else {
          SetState(State::kClosing, "FIN received before the ACK of our FIN (simultaneous close): ACK sent");
        }
        break;
      case State::kFinWait2:
        EnterTimeWait("FIN received: ACK sent");
        break;
      default:
        break;
    }
    return;
  }
  if (must_ack) SendAck();
}

}  // namespace sdp::tcp

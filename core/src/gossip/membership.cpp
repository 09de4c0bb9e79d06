#include "sdp/gossip/membership.h"

#include <algorithm>

#include "sdp/detmath.h"
#include "sdp/status.h"

namespace sdp::gossip {

namespace {

constexpr uint32_t kPickTries = 8;  // redraws to avoid members a view holds dead

// memberlist util.go suspicionTimeout: max(1, log10 n) scaled in thousandths,
// truncated, exactly as the Go code's time.Duration(nodeScale*1000).
int64_t SuspicionTimeoutMs(uint32_t mult, uint32_t n, uint32_t interval_ms) {
  const double scale = std::max(1.0, DetLog(static_cast<double>(n)) / DetLog(10.0));
  const int64_t milli = static_cast<int64_t>(scale * 1000);
  return static_cast<int64_t>(mult) * milli * interval_ms / 1000;
}

// memberlist util.go retransmitLimit: RetransmitMult * ceil(log10(n + 1)),
// counted in integers (the number of decimal digits of n).
uint32_t RetransmitLimit(uint32_t mult, uint32_t n) {
  uint32_t digits = 0;
  for (uint64_t p = 1; p <= n; p *= 10) ++digits;
  return mult * std::max(1u, digits);
}

}  // namespace

const char* ProtocolName(Protocol protocol) {
  return protocol == Protocol::kHeartbeat ? "heartbeat" : "swim";
}

Membership::Membership(uint32_t nodes, const MembershipParams& params, double loss, Rng& rng)
    : n_(nodes), params_(params), loss_(loss), up_(nodes, 1), live_(nodes), killed_index_(nodes, 0) {
  SDP_CHECK(nodes >= 3 && params.interval_ms >= 1 && params.fanout >= 1 && params.fanout < nodes &&
            params.indirect_checks + 2 <= nodes);
  suspicion_ms_ = SuspicionTimeoutMs(params.suspicion_mult, nodes, params.interval_ms);
  retransmit_limit_ = RetransmitLimit(params.retransmit_mult, nodes);
  const uint64_t cells = static_cast<uint64_t>(nodes) * nodes;
  if (params.protocol == Protocol::kHeartbeat) {
    beat_.assign(cells, 0);
    grew_ms_.assign(cells, 0);
    declared_.assign(cells, 0);
  } else {
    incarnation_.assign(nodes, 0);
    view_.resize(nodes);
    queue_of_.resize(nodes);
  }
  fp_member_.assign(nodes, 0);
  for (uint32_t i = 0; i < nodes; ++i) {
    const int64_t phase = static_cast<int64_t>(rng.Below(params.interval_ms));
    ScheduleTick(i, phase);
  }
  if (params.protocol == Protocol::kSwim && params.gossip_interval_ms > 0) {
    for (uint32_t i = 0; i < nodes; ++i) {
      const int64_t phase = static_cast<int64_t>(rng.Below(params.gossip_interval_ms));
      ScheduleGossip(i, phase);
    }
  }
}

void Membership::ScheduleGossip(uint32_t node, int64_t at_ms) {
  queue_.ScheduleAt(at_ms * kMicrosPerMilli, "",
                    EventQueue::For<Membership>([node](Membership& m) { m.Gossip(node); }));
}

// memberlist state.go gossip(): only when there is something to say, to
// GossipNodes random members it does not hold dead.
void Membership::Gossip(uint32_t node) {
  if (!up_[node]) return;
  for (uint32_t i = 0; i < params_.gossip_nodes && !queue_of_[node].empty(); ++i) {
    const uint32_t j = RandomOther(node, node);
    if (ViewOf(node, j) != kDead) Send(node, j);
  }
  ScheduleGossip(node, now_ms() + params_.gossip_interval_ms);
}

void Membership::ScheduleTick(uint32_t node, int64_t at_ms) {
  queue_.ScheduleAt(at_ms * kMicrosPerMilli, "",
                    EventQueue::For<Membership>([node](Membership& m) { m.Tick(node); }));
}

void Membership::Kill(uint32_t node) {
  SDP_CHECK(node < n_ && up_[node] && live_ > 1);
  up_[node] = 0;
  --live_;
  Killed k;
  k.node = node;
  k.at_ms = now_ms();
  k.declared_ms.assign(n_, kNever);
  killed_.push_back(std::move(k));
  killed_index_[node] = static_cast<uint32_t>(killed_.size());
}

bool Membership::Advance(int64_t ms, uint64_t work_budget, Rng& rng) {
  rng_ = &rng;
  const SimTime end = queue_.now() + ms * kMicrosPerMilli;
  const uint64_t stop_at = work_ + work_budget;
  bool finished = true;
  for (;;) {
    const SimTime next = queue_.NextTime();
    if (next < 0 || next > end) break;
    if (work_ >= stop_at) {
      finished = false;
      break;
    }
    queue_.Step(this);
  }
  if (finished) queue_.AdvanceTo(end, this);
  rng_ = nullptr;
  return finished;
}

void Membership::Tick(uint32_t node) {
  if (!up_[node]) return;  // a killed member's clock stops with it
  if (params_.protocol == Protocol::kHeartbeat) {
    HeartbeatTick(node);
  } else {
    SwimTick(node);
  }
  ScheduleTick(node, now_ms() + params_.interval_ms);
}

uint32_t Membership::RandomOther(uint32_t node, uint32_t avoid) {
  for (uint32_t tries = 0;; ++tries) {
    uint32_t j = static_cast<uint32_t>(rng_->Below(n_ - 1));
    if (j >= node) ++j;
    if (j == avoid) continue;
    if (tries + 1 < kPickTries && ViewOf(node, j) == kDead) continue;
    return j;
  }
}

bool Membership::Send(uint32_t from, uint32_t to) {
  ++messages_;
  ++work_;
  uint64_t size = kHeaderBytes;
  carried_.clear();
  if (params_.protocol == Protocol::kHeartbeat) {
    size += static_cast<uint64_t>(n_) * kHeartbeatEntryBytes;
  } else {
    // memberlist's TransmitLimitedQueue: fewest transmissions first; an
    // update is dropped once sent retransmit_limit() times.
    std::vector<Update>& q = queue_of_[from];
    std::stable_sort(q.begin(), q.end(), [](const Update& a, const Update& b) { return a.sent < b.sent; });
    const uint32_t count = std::min<uint32_t>(params_.piggyback, static_cast<uint32_t>(q.size()));
    for (uint32_t i = 0; i < count; ++i) {
      ++q[i].sent;
      carried_.push_back(q[i]);
    }
    const uint32_t limit = retransmit_limit_;
    q.erase(std::remove_if(q.begin(), q.end(), [limit](const Update& u) { return u.sent >= limit; }), q.end());
    size += static_cast<uint64_t>(count) * kUpdateBytes;
  }
  bytes_ += size;
  const bool lost = (loss_ > 0 && rng_->Bernoulli(loss_)) || !up_[to];
  if (lost) return false;
  if (params_.protocol == Protocol::kHeartbeat) {
    MergeTable(from, to);
  } else {
    work_ += carried_.size();
    for (const Update& u : carried_) Apply(to, u);  // Apply never sends: carried_ stays put
  }
  return true;
}

// ---- heartbeat gossip (van Renesse et al. 1998) ----

void Membership::HeartbeatTick(uint32_t node) {
  const uint64_t row = static_cast<uint64_t>(node) * n_;
  const uint32_t now = static_cast<uint32_t>(now_ms());
  ++beat_[row + node];
  grew_ms_[row + node] = now;
  for (uint32_t j = 0; j < n_; ++j) {
    // Watched from the first heartbeat heard of it (a join), so a member
    // nobody has heard from yet is not declared dead at start-up.
    if (j == node || declared_[row + j] || beat_[row + j] == 0) continue;
    if (now - grew_ms_[row + j] >= params_.fail_ms) Declare(node, j);
  }
  work_ += n_ / 8;
  uint32_t sent[64];
  uint32_t count = 0;
  const uint32_t fanout = std::min<uint32_t>(params_.fanout, 64);
  while (count < fanout) {
    const uint32_t j = RandomOther(node, node);
    bool seen = false;
    for (uint32_t i = 0; i < count; ++i) seen = seen || sent[i] == j;
    if (seen) continue;
    sent[count++] = j;
    Send(node, j);
  }
}

void Membership::MergeTable(uint32_t from, uint32_t to) {
  const uint32_t* src = &beat_[static_cast<uint64_t>(from) * n_];
  const uint64_t row = static_cast<uint64_t>(to) * n_;
  const uint32_t now = static_cast<uint32_t>(now_ms());
  for (uint32_t j = 0; j < n_; ++j) {
    // A member once declared dead stays so (no rejoin in this model).
    if (src[j] > beat_[row + j] && !declared_[row + j]) {
      beat_[row + j] = src[j];
      grew_ms_[row + j] = now;
    }
  }
  work_ += n_ / 8;  // a merge is a tight loop: eight entries cost about one message
}

// ---- SWIM (Das et al. 2002; memberlist state.go) ----

void Membership::SwimTick(uint32_t node) {
  const uint32_t target = RandomOther(node, node);
  if (ViewOf(node, target) == kDead) return;  // everyone it drew is dead to it
  if (killed_index_[target] != 0) {
    Killed& k = killed_[killed_index_[target] - 1];
    if (k.first_probe_ms == kNever) k.first_probe_ms = now_ms();
  }
  // Direct ping and its ack.
  bool acked = Send(node, target) && Send(target, node);
  if (!acked) {
    // Indirect: ping-req to k members, each pings the target and relays the
    // ack. memberlist sends all k requests at once and waits for any ack.
    for (uint32_t c = 0; c < params_.indirect_checks; ++c) {
      const uint32_t helper = RandomOther(node, target);
      const bool relayed = Send(node, helper) && Send(helper, target) && Send(target, helper) &&
                           Send(helper, node);
      acked = acked || relayed;
    }
  }
  if (acked) return;
  const Entry* e = Find(node, target);
  const uint32_t incarnation = e ? e->incarnation : 0;
  queue_.ScheduleAt((now_ms() + params_.probe_timeout_ms) * kMicrosPerMilli, "",
                    EventQueue::For<Membership>([node, target, incarnation](Membership& m) {
                      m.ProbeFailed(node, target, incarnation);
                    }));
}

void Membership::ProbeFailed(uint32_t prober, uint32_t target, uint32_t incarnation) {
  if (!up_[prober]) return;
  const Entry* e = Find(prober, target);
  const View state = e ? e->state : kAlive;
  const uint32_t current = e ? e->incarnation : 0;
  if (state != kAlive || current != incarnation) return;  // already suspected, or refuted meanwhile
  Apply(prober, Update{target, incarnation, kSuspect, 0});
}

void Membership::SuspicionExpired(uint32_t observer, uint32_t subject, uint32_t incarnation) {
  if (!up_[observer]) return;
  const Entry* e = Find(observer, subject);
  if (e == nullptr || e->state != kSuspect || e->incarnation != incarnation) return;
  Apply(observer, Update{subject, incarnation, kDead, 0});
}

void Membership::Apply(uint32_t to, const Update& u) {
  if (u.subject == to) {
    // Refute: a live member hears it is suspected or dead (state.go
    // refute): it takes a higher incarnation and says it is alive.
    if (u.state != kAlive && u.incarnation >= incarnation_[to]) {
      incarnation_[to] = u.incarnation + 1;
      ++refutations_;
      Broadcast(to, to, kAlive, incarnation_[to]);
    }
    return;
  }
  const Entry* e = Find(to, u.subject);
  const View state = e ? e->state : kAlive;
  const uint32_t current = e ? e->incarnation : 0;
  bool take = false;
  switch (u.state) {
    case kAlive: take = u.incarnation > current; break;  // state.go aliveNode
    case kSuspect: take = state == kAlive && u.incarnation >= current; break;  // suspectNode
    case kDead: take = state != kDead && u.incarnation >= current; break;  // deadNode
  }
  if (!take) return;
  Set(to, u.subject, u.state, u.incarnation);
  if (u.state == kSuspect) {
    const uint32_t subject = u.subject, incarnation = u.incarnation;
    queue_.ScheduleAt((now_ms() + suspicion_ms_) * kMicrosPerMilli, "",
                      EventQueue::For<Membership>([to, subject, incarnation](Membership& m) {
                        m.SuspicionExpired(to, subject, incarnation);
                      }));
  }
  if (u.state == kDead) Declare(to, u.subject);
  Broadcast(to, u.subject, u.state, u.incarnation);
}

void Membership::Set(uint32_t observer, uint32_t subject, View state, uint32_t incarnation) {
  std::vector<Entry>& v = view_[observer];
  auto it = std::lower_bound(v.begin(), v.end(), subject,
                             [](const Entry& e, uint32_t s) { return e.subject < s; });
  if (it != v.end() && it->subject == subject) {
    it->state = state;
    it->incarnation = incarnation;
  } else {
    v.insert(it, Entry{subject, incarnation, state});
  }
  if (state != kAlive && killed_index_[subject] != 0) {
    Killed& k = killed_[killed_index_[subject] - 1];
    if (k.first_suspect_ms == kNever) k.first_suspect_ms = now_ms();
  }
}

void Membership::Broadcast(uint32_t node, uint32_t subject, View state, uint32_t incarnation) {
  std::vector<Update>& q = queue_of_[node];
  // A newer update about a member replaces the queued one (memberlist
  // invalidates broadcasts for the same node name).
  q.erase(std::remove_if(q.begin(), q.end(), [subject](const Update& u) { return u.subject == subject; }),
          q.end());
  q.push_back(Update{subject, incarnation, state, 0});
}

const Membership::Entry* Membership::Find(uint32_t observer, uint32_t subject) const {
  const std::vector<Entry>& v = view_[observer];
  auto it = std::lower_bound(v.begin(), v.end(), subject,
                             [](const Entry& e, uint32_t s) { return e.subject < s; });
  return it != v.end() && it->subject == subject ? &*it : nullptr;
}

Membership::Entry* Membership::Find(uint32_t observer, uint32_t subject) {
  return const_cast<Entry*>(static_cast<const Membership*>(this)->Find(observer, subject));
}

View Membership::ViewOf(uint32_t observer, uint32_t subject) const {
  if (params_.protocol == Protocol::kHeartbeat) {
    return declared_[static_cast<uint64_t>(observer) * n_ + subject] ? kDead : kAlive;
  }
  const Entry* e = Find(observer, subject);
  return e ? e->state : kAlive;
}

int64_t Membership::DeclaredAt(uint32_t observer, uint32_t subject) const {
  const uint32_t index = killed_index_[subject];
  return index == 0 ? kNever : killed_[index - 1].declared_ms[observer];
}

void Membership::Declare(uint32_t observer, uint32_t subject) {
  if (params_.protocol == Protocol::kHeartbeat) {
    declared_[static_cast<uint64_t>(observer) * n_ + subject] = 1;
  }
  if (killed_index_[subject] != 0) {
    Killed& k = killed_[killed_index_[subject] - 1];
    if (k.declared_ms[observer] == kNever) k.declared_ms[observer] = now_ms();
    if (k.first_suspect_ms == kNever) k.first_suspect_ms = now_ms();
    return;
  }
  ++fp_pairs_;
  if (!fp_member_[subject]) {
    fp_member_[subject] = 1;
    ++fp_members_;
  }
}

}  // namespace sdp::gossip

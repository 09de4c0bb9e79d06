// Who is still up? Membership and failure detection by gossip, on the
// shared event queue, in integer milliseconds:
//
//   heartbeat   van Renesse, Minsky, Hayden, "A Gossip-Style Failure
//               Detection Service" (Middleware '98): every `interval_ms`
//               each member increments its own heartbeat counter and sends
//               its whole table (one counter per member) to `fanout` random
//               members, which keep the larger counter of each entry. A
//               member whose counter has not grown for `fail_ms` is
//               declared dead. A message carries n entries: O(n) bytes.
//   swim        Das, Gupta, Motivala, "SWIM: Scalable Weakly-consistent
//               Infection-style Process Group Membership Protocol" (DSN
//               2002), with HashiCorp memberlist's names and defaults
//               (config.go DefaultLANConfig, util.go): each protocol period
//               (`interval_ms`, ProbeInterval) a member pings one random
//               member; without an ack it asks `indirect_checks` members to
//               ping it (IndirectChecks = 3); without an ack by
//               `probe_timeout_ms` (ProbeTimeout = 500) it marks it SUSPECT,
//               and DEAD after the suspicion timeout SuspicionMult *
//               max(1, log10 n) * ProbeInterval. Alive / suspect / dead
//               updates ride on pings and acks, and every
//               `gossip_interval_ms` (GossipInterval = 200) a member with
//               updates queued sends them to `gossip_nodes` (GossipNodes =
//               3) random members; at most `piggyback` a message, each sent
//               RetransmitMult * ceil(log10(n + 1)) times. Incarnation
//               numbers order them, and a live member that hears it is
//               suspected refutes with a higher one.
//
// Invariants: every member's period starts at a random phase drawn once;
// every random draw comes from the caller's seeded Rng in event order; a
// view starts "alive, incarnation 0" for everyone and only differences are
// stored (SWIM), so memory grows with what happened, not with n^2. Each
// message is lost independently with probability `loss`; a killed member
// neither sends nor answers.
//
// Left out: joins and leaves, memberlist's Lifeguard extensions (suspicion
// confirmations, awareness), push-pull state sync, gossip to the recently
// dead, network delay (an exchange completes at the time of its probe; only
// the timeout moves the clock). Heartbeat: a member is watched from the
// first heartbeat of it heard (as a join), and a declaration is final.
#ifndef SDP_GOSSIP_MEMBERSHIP_H_
#define SDP_GOSSIP_MEMBERSHIP_H_

#include <cstdint>
#include <vector>

#include "sdp/event_queue.h"
#include "sdp/random.h"

namespace sdp::gossip {

enum class Protocol : uint8_t { kHeartbeat, kSwim };
const char* ProtocolName(Protocol protocol);

struct MembershipParams {
  Protocol protocol = Protocol::kSwim;
  uint32_t interval_ms = 1000;       // gossip interval (heartbeat) or ProbeInterval (swim)
  uint32_t fanout = 1;               // heartbeat: members each table goes to per interval
  uint32_t fail_ms = 15000;          // heartbeat: T_fail, silence before "dead"
  uint32_t probe_timeout_ms = 500;   // swim: ProbeTimeout
  uint32_t indirect_checks = 3;      // swim: IndirectChecks
  uint32_t suspicion_mult = 4;       // swim: SuspicionMult
  uint32_t retransmit_mult = 4;      // swim: RetransmitMult
  uint32_t piggyback = 10;           // swim: updates one message carries at most
  uint32_t gossip_interval_ms = 200; // swim: GossipInterval, 0 = updates ride on probes only
  uint32_t gossip_nodes = 3;         // swim: GossipNodes, members each gossip goes to
};

// View states, as one member sees another.
enum View : uint8_t { kAlive = 0, kSuspect = 1, kDead = 2 };

// A bytes-on-the-wire model for the per-member load (not memberlist's
// msgpack sizes): a message header, one heartbeat entry (id + counter), one
// piggybacked SWIM update (id + state + incarnation).
constexpr uint32_t kHeaderBytes = 16;
constexpr uint32_t kHeartbeatEntryBytes = 8;
constexpr uint32_t kUpdateBytes = 12;

class Membership {
 public:
  static constexpr int64_t kNever = INT64_MIN;

  // REQUIRES: nodes >= 3, params valid (intervals >= 1, fanout < nodes,
  // indirect_checks <= nodes - 2). Draws every member's phase from `rng`.
  Membership(uint32_t nodes, const MembershipParams& params, double loss, Rng& rng);
  Membership(const Membership&) = default;
  Membership& operator=(const Membership&) = default;

  uint32_t size() const { return n_; }
  uint32_t live() const { return live_; }
  bool up(uint32_t node) const { return up_[node] != 0; }
  int64_t now_ms() const { return queue_.now() / kMicrosPerMilli; }
  const MembershipParams& params() const { return params_; }
  void set_loss(double loss) { loss_ = loss; }
  // SuspicionMult * max(1, log10 n) * interval, as memberlist's util.go.
  int64_t suspicion_timeout_ms() const { return suspicion_ms_; }
  // RetransmitMult * ceil(log10(n + 1)).
  uint32_t retransmit_limit() const { return retransmit_limit_; }

  // REQUIRES: node < size(), up(node), live() > 1.
  void Kill(uint32_t node);
  // Runs events up to now + ms, or until `work_budget` units of work (one
  // per message and per update it carries, one per 8 heartbeat entries
  // scanned or merged) are spent; then returns
  // false, with the clock at the last event run. Draws from `rng`.
  bool Advance(int64_t ms, uint64_t work_budget, Rng& rng);

  // How `observer` sees `subject` (kDead for a subject the observer has
  // declared dead). REQUIRES: both < size().
  View ViewOf(uint32_t observer, uint32_t subject) const;
  // When `observer` declared the killed `subject` dead, or kNever.
  int64_t DeclaredAt(uint32_t observer, uint32_t subject) const;

  struct Killed {
    uint32_t node = 0;
    int64_t at_ms = 0;
    int64_t first_probe_ms = kNever;    // swim: first ping to it after the kill
    int64_t first_suspect_ms = kNever;  // first member to suspect (swim) or declare (heartbeat)
    std::vector<int64_t> declared_ms;   // per observer, or kNever
  };
  const std::vector<Killed>& killed() const { return killed_; }

  uint64_t messages() const { return messages_; }
  uint64_t bytes() const { return bytes_; }
  uint64_t work() const { return work_; }
  // (observer, live subject) pairs declared dead, and distinct live subjects.
  uint64_t false_positive_pairs() const { return fp_pairs_; }
  uint32_t false_positive_members() const { return fp_members_; }
  uint64_t refutations() const { return refutations_; }

 private:
  struct Entry {  // one difference from "alive, incarnation 0" in a SWIM view
    uint32_t subject;
    uint32_t incarnation;
    View state;
  };
  struct Update {  // one piggybacked update waiting in a member's queue
    uint32_t subject;
    uint32_t incarnation;
    View state;
    uint32_t sent;
  };

  void ScheduleTick(uint32_t node, int64_t at_ms);
  void Tick(uint32_t node);
  void HeartbeatTick(uint32_t node);
  void SwimTick(uint32_t node);
  void ScheduleGossip(uint32_t node, int64_t at_ms);
  void Gossip(uint32_t node);
  void ProbeFailed(uint32_t prober, uint32_t target, uint32_t incarnation);
  void SuspicionExpired(uint32_t observer, uint32_t subject, uint32_t incarnation);

  // One message from -> to: counted, maybe lost; carries piggybacked
  // updates (swim) that the recipient applies. False if it did not arrive.
  bool Send(uint32_t from, uint32_t to);
  uint32_t RandomOther(uint32_t node, uint32_t avoid);
  void MergeTable(uint32_t from, uint32_t to);
  void Apply(uint32_t to, const Update& update);
  void Set(uint32_t observer, uint32_t subject, View state, uint32_t incarnation);
  void Broadcast(uint32_t node, uint32_t subject, View state, uint32_t incarnation);
  Entry* Find(uint32_t observer, uint32_t subject);
  const Entry* Find(uint32_t observer, uint32_t subject) const;
  void Declare(uint32_t observer, uint32_t subject);

  uint32_t n_;
  MembershipParams params_;
  double loss_;
  Rng* rng_ = nullptr;  // set for the duration of Advance
  EventQueue queue_{0};
  std::vector<uint8_t> up_;
  uint32_t live_;
  int64_t suspicion_ms_ = 0;
  uint32_t retransmit_limit_ = 0;
  // heartbeat: n x n counters and when each last grew (ms), row = observer
  std::vector<uint32_t> beat_;
  std::vector<uint32_t> grew_ms_;  // simulated time stays below 2^32 ms (the sim caps it)
  std::vector<uint8_t> declared_;  // heartbeat: n x n, observer declared subject dead
  // swim
  std::vector<uint32_t> incarnation_;
  std::vector<std::vector<Entry>> view_;
  std::vector<std::vector<Update>> queue_of_;
  std::vector<uint8_t> fp_member_;  // live members someone declared dead
  std::vector<Killed> killed_;
  std::vector<uint32_t> killed_index_;  // node -> index in killed_ + 1, or 0
  std::vector<Update> carried_;         // scratch: one message's piggyback
  uint64_t messages_ = 0, bytes_ = 0, work_ = 0, fp_pairs_ = 0, refutations_ = 0;
  uint32_t fp_members_ = 0;
};

}  // namespace sdp::gossip

#endif  // SDP_GOSSIP_MEMBERSHIP_H_

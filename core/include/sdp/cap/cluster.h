// A replicated key-value store of n replicas (r1..rn) and the clients that
// talk to them, over links with latency that can be cut: the machinery of
// the `cap` simulation.
//
//   CP   quorum replication as in ABD (Attiya, Bar-Noy & Dolev 1995), with
//        read quorum R and write quorum W: a write first asks R replicas
//        for the newest timestamp, then stores (timestamp + 1, its replica)
//        on W; a read asks R replicas and writes the newest value back to W
//        before answering. With W + R > N every two quorums meet, which
//        makes the store linearizable; with W + R <= N they need not, and
//        reads can miss acknowledged writes. A coordinator that cannot
//        gather its quorum within `timeout` answers ok:false: a write that
//        never reached its store phase certainly did not take effect; one
//        that did may have reached some replicas (outcome unknown).
//   AP   every replica answers from and writes to its own copy at once and
//        replicates in the background; conflicts resolve by last-writer-wins
//        on (time of write, replica). A read also pushes the coordinator's
//        version to the others and pulls newer ones back (read repair);
//        every `anti_entropy` each replica sends the keys it changed since
//        its last round to every other, and its whole store once links come
//        back (heal, or a partition that reconnects some). Vector clocks are kept beside each
//        version only to notice when LWW overwrites a version its writer
//        never saw: that write is lost data, and is reported.
//   AP with conflict = vclock: sibling versions, as Dynamo (DeCandia et al.
//        2007, 4.4) and Riak with allow_mult. A write carries its client's
//        context (the clock of what that client last read or wrote of the
//        key) and gets a dot (its coordinator, that replica's next counter);
//        it replaces exactly the versions whose dots its context covers and
//        sits beside the rest as a sibling. A read returns every sibling and
//        their joined clock as the context of the client's next write. The
//        dot is kept apart from the context (as in dotted version vectors,
//        Preguica et al. 2012) so that two clients writing through one
//        replica stay siblings; messages carry a replica's whole sibling set
//        for the key, so a context that covers a counter covers every
//        earlier dot of that replica.
//   cache_fallback / cache_fail  the seed's example: r1 is the database, the
//        other replicas are servers each with a cache. Reads and writes go to
//        r1 (one round trip each way); a server caches what it last got. When
//        r1 does not answer within `timeout`, cache_fallback answers a read
//        from the cache (available, possibly stale) and cache_fail refuses it
//        (consistent); writes that r1 does not acknowledge fail in both.
//
// Invariants: integer microseconds; every event in the sim's EventQueue;
// message delays drawn from the seeded Rng; a message is dropped if its link
// is cut when it is sent or when it would arrive. Clients reach their
// replica over a link that is never cut (a client sits beside its replica).
//
// Left out: crashes and recovery, leader election, hinted handoff and
// sloppy quorums, clock skew (LWW uses the simulated clock), durability,
// cache expiry and invalidation.
#ifndef SDP_CAP_CLUSTER_H_
#define SDP_CAP_CLUSTER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sdp/cap/linearizability.h"
#include "sdp/event_queue.h"
#include "sdp/random.h"

namespace sdp::cap {

enum class Stance : uint8_t { kCp, kAp, kCacheFallback, kCacheFail };
const char* StanceName(Stance stance);
// AP: how concurrent writes resolve.
enum class Conflict : uint8_t { kLww, kVclock };
const char* ConflictName(Conflict conflict);

struct ClusterConfig {
  Stance stance = Stance::kCp;
  uint32_t n = 3;        // replicas
  uint32_t r = 2;        // CP: replies a read (and a write's first phase) waits for
  uint32_t w = 2;        // CP: acks a write (and a read's write-back) waits for
  uint32_t clients = 3;
  Conflict conflict = Conflict::kLww;
  SimTime link_latency = 10 * kMicrosPerMilli;     // replica to replica, at least
  SimTime link_jitter = 5 * kMicrosPerMilli;       // plus uniform [0, jitter]
  SimTime client_latency = 1 * kMicrosPerMilli;    // client to its replica
  SimTime timeout = 200 * kMicrosPerMilli;         // CP: quorum wait
  SimTime anti_entropy = 1000 * kMicrosPerMilli;   // AP: period
};

enum class OpStatus : uint8_t { kInFlight, kOk, kRefused, kUnknown };
const char* OpStatusName(OpStatus status);

// One client operation, as the client saw it.
struct ClientOp {
  uint32_t id = 0;
  uint32_t client = 0;
  uint32_t replica = 0;
  std::string key;
  OpKind kind = OpKind::kRead;
  int64_t value = 0;        // written, or returned by an ok read
  SimTime invoke = 0;
  SimTime response = -1;    // -1 while in flight
  OpStatus status = OpStatus::kInFlight;
  std::string reason;       // why it was refused / unknown
  uint32_t read_from = UINT32_MAX;  // an ok read: the write whose value it returned (UINT32_MAX: initial)
  bool stale = false;       // an ok read that missed a write completed before it began
  // AP vclock: a read's sibling values and the writes they came from, in dot
  // order; a write's context as sent, a read's (the siblings' joined clock)
  // as returned; a write's dot counter at its coordinator.
  std::vector<int64_t> values;
  std::vector<uint32_t> siblings;
  std::vector<uint32_t> context;
  uint32_t dot = 0;
  bool from_cache = false;  // cache_fallback: answered from the server's cache, r1 unreachable
};

// A change to the network, for the timeline's band.
struct NetworkEvent {
  SimTime time;
  std::string what;
};

class Cluster {
 public:
  static constexpr uint32_t kNoWrite = UINT32_MAX;

  // REQUIRES: config valid (1 <= r, w <= n; clients >= 1)
  Cluster(const ClusterConfig& config, uint64_t seed);
  ~Cluster();
  // Copyable (a cloned sim copies its cluster): events reach it through the
  // owner the queue hands them, and messages in flight are immutable, so
  // sharing them between copies is safe.
  Cluster(const Cluster&);  // = default, where Replica is complete
  Cluster& operator=(const Cluster&);

  const ClusterConfig& config() const { return config_; }
  SimTime now() const { return queue_.now(); }
  const EventQueue& queue() const { return queue_; }

  // Network. REQUIRES: replica indices < n; a != b.
  void Cut(uint32_t a, uint32_t b);
  // Replaces the network: links between replicas in different groups are
  // cut, all others up; replicas in no group form one more group together.
  // REQUIRES: groups disjoint, non-empty, indices < n.
  void Partition(const std::vector<std::vector<uint32_t>>& groups);
  void Heal();
  bool IsCut(uint32_t a, uint32_t b) const { return cut_[a * config_.n + b]; }

  // Starts an operation; returns its id. REQUIRES: client < clients, replica < n.
  uint32_t Write(uint32_t client, uint32_t replica, const std::string& key, int64_t value);
  uint32_t Read(uint32_t client, uint32_t replica, const std::string& key);
  // Runs every event up to now + delta.
  void Advance(SimTime delta);
  // Runs events until op `id` is no longer in flight (at most its timeout
  // and latencies later). REQUIRES: id < ops().size()
  void RunUntilDone(uint32_t id);

  const std::vector<ClientOp>& ops() const { return ops_; }
  const std::vector<NetworkEvent>& network_log() const { return network_log_; }
  // The history the checker needs: ok ops, plus writes whose outcome is
  // unknown or still in flight (pending); refused ops and reads without an
  // answer are left out.
  std::vector<HistoryOp> CheckableHistory() const;
  // The value replica `i` holds for `key` (kInitialValue if none); with
  // siblings, the first in dot order.
  int64_t ValueAt(uint32_t replica, const std::string& key) const;
  // Every sibling value replica `i` holds (one value except in AP vclock).
  std::vector<int64_t> ValuesAt(uint32_t replica, const std::string& key) const;
  bool Vclock() const { return config_.stance == Stance::kAp && config_.conflict == Conflict::kVclock; }
  bool CacheMode() const { return config_.stance == Stance::kCacheFallback || config_.stance == Stance::kCacheFail; }
  std::vector<std::string> Keys() const;

  struct Counters {
    uint64_t messages = 0;
    uint64_t dropped = 0;          // sent or arriving over a cut link
    uint64_t repairs = 0;          // AP: replicas updated by read repair
    uint64_t anti_entropy_updates = 0;
    uint64_t stale_reads = 0;
    uint64_t merges = 0;           // versions compared at a replica (work)
  };
  const Counters& counters() const { return counters_; }
  // AP: acknowledged writes LWW overwrote without their writer's successor
  // having seen them, in the order noticed.
  const std::vector<uint32_t>& lost_writes() const { return lost_writes_; }

 private:
  struct Version;
  struct Replica;
  struct Coordination;
  struct Message;

  void Send(uint32_t from, uint32_t to, std::shared_ptr<const Message> message);
  void Receive(uint32_t at, const Message& message);
  uint32_t Invoke(uint32_t client, uint32_t replica, const std::string& key, OpKind kind, int64_t value);
  void Begin(uint32_t op_id);
  void BeginCp(uint32_t op_id);
  void BeginAp(uint32_t op_id);
  void OnReply(uint32_t op_id, const Version& version);
  void OnAck(uint32_t op_id);
  void OnTimeout(uint32_t op_id);
  void Finish(uint32_t op_id, OpStatus status, std::string reason);
  // LWW merge into replica `at`; true if it changed the replica.
  bool Merge(uint32_t at, const std::string& key, const Version& incoming);
  // Vclock merge: keeps `incoming` unless a sibling's context covers its
  // dot, and drops the siblings whose dots its context covers.
  bool MergeSibling(uint32_t at, const std::string& key, const Version& incoming);
  // Merges by the stance's rule; true if it changed the replica.
  bool MergeAny(uint32_t at, const std::string& key, const Version& incoming);
  void BeginApVclock(uint32_t op_id);
  void MarkStaleVclock(ClientOp& read);
  // The quorums the coordinator waits for: 1 (r1 alone) in the cache stances.
  uint32_t ReadQuorum() const { return CacheMode() ? 1 : config_.r; }
  uint32_t WriteQuorum() const { return CacheMode() ? 1 : config_.w; }
  // Each replica sends the keys it changed since its last round, or (full:
  // after heal or a new partition, when links come back) its whole store.
  void AntiEntropyRound(bool full);
  void ScheduleAntiEntropy();
  void MarkStale(ClientOp& read);
  SimTime LinkDelay();

  ClusterConfig config_;
  Rng rng_;
  EventQueue queue_;
  std::vector<uint8_t> cut_;  // n x n
  std::vector<Replica> replicas_;
  std::map<uint32_t, Coordination> coordinating_;  // by op id, CP only
  std::vector<ClientOp> ops_;
  std::vector<NetworkEvent> network_log_;
  std::vector<uint32_t> lost_writes_;
  std::vector<uint8_t> lost_flag_;  // by op id
  // AP vclock: each client's context per key (what it last read or wrote).
  std::map<std::pair<uint32_t, std::string>, std::vector<uint32_t>> contexts_;
  Counters counters_;
};

}  // namespace sdp::cap

#endif  // SDP_CAP_CLUSTER_H_

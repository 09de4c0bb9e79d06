// Simulation `kafka`: brokers, replicated partition logs, a batching producer
// and consumer groups, as discrete events in integer time (microseconds; every
// setting is in ms except broker_request_us).
//
//   brokers     ids 1..N. A topic's replicas are placed like ZooKeeper-mode
//               Kafka's assignReplicasToBrokersRackUnaware over the live brokers
//               (KRaft's StripedReplicaPlacer is not modelled):
//               partition p starts at broker index (p + start) % n, the others
//               follow with a shift that grows every n partitions (start and
//               shift drawn from the seed). The first replica is the leader.
//   replication Followers fetch from the leader every replica_fetch_ms, at most
//               replica_fetch_max_bytes (at least one record) per fetch, so they
//               lag visibly. HW (high watermark) = min LEO over the ISR; only
//               records below HW are visible to consumers. A follower that has
//               not reached the leader's log end for replica_lag_time_max_ms
//               leaves the ISR; one whose LEO reaches HW rejoins.
//               kill_broker: the broker leaves every ISR at once (the controller
//               sees it die); partitions it led elect the first live ISR member
//               in replica order (clean). With none: unclean election of the first
//               live replica if unclean_leader_election_enable (the log is cut
//               to its LEO: those records are "lost"), else the partition is
//               offline (leader -1; the ISR keeps the dead last member, which
//               is elected when it returns). start_broker: each follower replica
//               truncates by leader epoch (KIP-101): it keeps what the leader
//               holds in the same epoch, even above HW, and drops only records
//               past a cut made while it was down; then it catches up.
//   producer    Records go to a partition by key (toPositive(murmur2(key)) %
//               partitions, exactly Kafka's), by the configured keyless
//               partitioner (uniform_sticky | sticky | round_robin), or to an
//               explicit partition. One open batch per (partition, acks): sent
//               when the next record would not fit in batch_size bytes (a batch
//               has a 61-byte header; a record costs key + value + 10 bytes) or
//               when linger_ms has passed since its first record (linger 0: at
//               the end of the current op / stream tick). The leader appends on
//               receipt; it answers after broker_request_us of serial work per
//               request (0 = at once). acks=0: acked when sent; acks=1: on the
//               leader's answer; acks=all: when HW passes the batch, failing with
//               NOT_ENOUGH_REPLICAS_AFTER_APPEND if the ISR is then below
//               min.insync.replicas. No retries, no idempotence.
//   stream      Per topic, a fixed-rate source: record i (1, 2, ...) at start +
//               i/rate (so `rate` records per second, none at the start), its
//               key drawn from the seed: uniform over key_count keys "key-<i>",
//               "hot" (hot_share of the records go to key "hot", the rest uniform
//               over the others; with salt N the hot key is written as "hot#<j>",
//               j uniform in [0, N)), or none (keyless). Streams run in 1 ms
//               ticks. A stream stops when the sim holds kMaxRetainedRecords.
//   consumers   Groups of members, each subscribed to one topic or to every
//               topic that existed when it joined. Every join/leave/crash and
//               assignor change rebalances with the group's assignor (range,
//               roundrobin, sticky, cooperative-sticky; sdp/kafka/assignors.h).
//               Eager protocols revoke every partition; cooperative ones only
//               the moved ones, taking a second round only when a remaining
//               member hands over partitions it owns. On graceful revocation
//               positions are committed if enable_auto_commit. A new owner
//               starts at the committed offset, else auto.offset.reset
//               (earliest = log start, latest = HW); a position that fell off the
//               log (retention, truncation) is reset the same way at the next
//               poll. Records returned by a poll are processed at once. Members
//               with rate > 0 poll by themselves every 100 ms (rate x 0.1 s
//               records). Auto-commit commits every position every
//               auto_commit_interval_ms.
//   retention   Every retention_check_ms, whole segments (rolled at
//               segment_bytes or segment_ms) below HW are deleted from the oldest
//               while older than retention_ms (by their last append) or while
//               the log without them still holds retention_bytes; log start
//               moves to the next segment.
//   checkers    Per group: a record processed at an offset the group had
//               already processed is a duplicate; a keyed record processed after
//               a record of the same logical key with a higher production
//               sequence is out_of_order (the logical key of "k#suffix" is "k",
//               so salting is checked against the unsalted key); records a
//               group's position jumped over are skipped (at-most-once loss,
//               reset to latest) or expired (deleted by retention unread).
//
// Op results. A refused op yields {"error": "<op>: ..."}, naming Kafka's error
// (UNKNOWN_TOPIC_OR_PARTITION, INVALID_PARTITIONS, INVALID_REPLICATION_FACTOR,
// TOPIC_ALREADY_EXISTS, INVALID_TOPIC_EXCEPTION, NOT_ENOUGH_REPLICAS,
// LEADER_NOT_AVAILABLE, UNKNOWN_MEMBER_ID) where Kafka has
// one, and the field; it changes nothing.
//   brokers        {"brokers": [ids], "added": [ids]}
//   create_topic   {"topic", "partitions": [{"partition", "leader", "replicas",
//                  "isr"}], "min_insync_replicas"}
//   produce        {"topic", "partition", "offset" (int, or null while the batch
//                  lingers), "key", "acks", "batch": {"id", "records", "bytes",
//                  "sent", "reason": "full" | "linger" (linger_ms passed; with
//                  linger 0, the end of this op) | "open" (still lingering),
//                  "send_at_ms": when it was or will be sent}}
//   stream         {"topic", "rate", "keys", "key_count", "hot_share", "salt",
//                  "value_bytes", "hot_partitions": [partitions the hot key (or
//                  hot#0.. when salted) map to], "hot_partitions_reached":
//                  distinct partitions in that list, "hot_keys_most_on_one_partition":
//                  the most of those keys sharing one partition, "running": true,
//                  "emitted"};
//                  rate 0: {"topic", "rate": 0, "running": false}
//   producer       {"acks", "linger_ms", "batch_size", "partitioner", "flushed"}
//   consumer_join / consumer_leave / assignor / crash's "rebalance":
//                  {"group", "reason", "generation", "assignor", "protocol":
//                  "eager"|"cooperative", "rounds" (2 when cooperative and a
//                  remaining member hands over partitions it owns, else 1),
//                  "moves": partitions whose owner changed, "revoked": ["t-p"]
//                  (eager: every owned partition; cooperative: the moved ones),
//                  "assignment": {member: ["t-p"]}} (assignor on an empty
//                  group: the same keys, rounds 0, no "reason")
//   poll           {"group", "member", "count", "records": [{"topic",
//                  "partition", "offset", "key", "value", "bytes"}] (first 100;
//                  key/value null when absent, stream values are null; bytes is
//                  the record's share of the log: the first record of a batch
//                  carries the 61-byte header), "resets": [{"partition": "t-p",
//                  "from", "to"}] (auto.offset.reset after OFFSET_OUT_OF_RANGE)}
//   commit         {"group", "member", "committed": {"t-p": offset}}
//   crash_consumer {"group", "member", "when", "batch": count, "redeliver":
//                  records processed but not committed, "lose": records
//                  committed but not processed, "rebalance"}
//   kill_broker    {"broker", "elections": [{"partition", "from", "to", "clean",
//                  "lost"}], "offline": ["t-p"], "isr_removed": ["t-p"]}
//   start_broker   {"broker", "truncated": [{"partition", "from", "to"}],
//                  "elections": [...], "online": ["t-p"]}
//   stall_broker   {"broker", "stalled"}
//   advance        {"time_ms", "during": {counter deltas, see "counters"}}
//
// Snapshot (kFull; kSummary leaves out every "series" and shows 12 log lines):
//   {"time_ms" (double), "config": {every config field, as given or default},
//    "brokers": [{"id", "alive", "stalled", "leaders": partitions it leads,
//      "replicas": replicas it holds}],
//    "topics": [{"name", "replication", "min_insync_replicas", "stream": null |
//      {as the stream result, "emitted": records so far}, "partitions":
//      [{"partition", "leader" (-1 = offline), "epoch", "replicas": [broker ids,
//      the first preferred], "isr": [broker ids, replica order], "leo": [per
//      replica, replica order; a dead replica keeps its last LEO], "log_start",
//      "log_end", "hw", "segments", "bytes", "under_replicated", "offline",
//      "appended": records ever appended, "lost": records cut by elections,
//      "open_batches", "in_flight": sent batches awaiting their answer,
//      "tail": [{"offset", "key", "value"}] (the last 16 records; key / value
//      null when absent; stream values are null)}], "series": {"t_ms",
//      "in_<p>", ...}}],
//    "groups": [{"name", "assignor", "protocol", "generation", "members":
//      [{"id", "topics", "rate", "partitions": ["t-p"], "processed"}],
//      "partitions": [{"partition": "t-p", "owner" ("" = none), "committed"
//      (-1 = none), "position" (-1 = not owned), "lag"}], "counters":
//      {"processed", "duplicates", "out_of_order", "skipped", "expired",
//      "resets", "rebalances", "moves"}, "violations": [{"t_ms", "key" (the
//      logical key), "seq", "after_seq", "partition", "offset"}] (last 10),
//      "last_rebalance": the rebalance result or null, "series": {topic:
//      {"t_ms", "lag_<p>", "consumed_<p>", ...}}}],
//    "producer": {"acks", "linger_ms", "batch_size", "partitioner",
//      "open_batches", "in_flight"},
//    "counters": {"produced", "sent", "batches", "acked", "failed", "lost",
//      "lost_acked", "consumed", "duplicates", "out_of_order", "skipped",
//      "expired", "deleted", "elections", "unclean_elections", "isr_shrinks",
//      "isr_expands"},
//    "errors": {"<KAFKA_ERROR>": records that failed with it},
//    "series": the global columns below, as TimeSeries::ToJson,
//    "log": [{"t_us", "seq", "text"}] (events: elections, ISR changes,
//      rebalances, retention, streams)}
//   A partition is named "t-p" (topic-partition, Kafka's TopicPartition
//   string). lag = HW - position (owned), else HW - committed, else HW - log
//   start.
// Column():
//   "series:<c>"  c in t_ms, p50_us, p99_us (produce latency: record created
//                 -> acked), counters produced, acked, failed, batches,
//                 consumed, duplicates, out_of_order, lost, deleted, levels
//                 (value at the bucket's end) under_replicated, offline,
//                 batch_records (mean records per batch in the bucket).
//   "topic:<topic>:<c>"  c in t_ms, in_<p> (records appended to partition p).
//   "group:<group>:<topic>:<c>"  c in t_ms, lag_<p> (at the bucket's end),
//                 consumed_<p> (records processed, duplicates included).
//   All columns of one sim share the same buckets (t_ms).
//
// Invariants: HW <= min LEO over the ISR and never decreases except when an
// unclean election cuts the log; the ISR is never empty; with acks=all,
// min.insync.replicas >= 2 and clean elections only, no acknowledged record
// is ever lost (counters.lost_acked stays 0) whatever brokers die; a refused op
// changes nothing; time and every random draw are deterministic.
//
// Simplified: one controller that never fails and one group coordinator that
// is always there (no session timeouts: a crashed member leaves at once);
// network time is zero; a follower learns HW at once (Kafka needs one more
// fetch); replicas are prefixes of one shared log; the producer never retries;
// no transactions, compaction, quotas, preferred-leader rebalancing or racks.
#ifndef SDP_KAFKA_SIM_H_
#define SDP_KAFKA_SIM_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sdp/event_queue.h"
#include "sdp/kafka/assignors.h"
#include "sdp/kafka/partitioners.h"
#include "sdp/clone.h"
#include "sdp/simulation.h"

namespace sdp {

namespace kafka::internal {
class KafkaModel;
}

enum class KafkaAcks : uint8_t { kZero = 0, kOne = 1, kAll = 2 };

// Defaults are Kafka's, except replica_fetch_ms (Kafka fetches continuously with
// long polls; a period makes follower lag visible) and the consumer rate.
struct KafkaConfig {
  int32_t brokers = 3;
  SimTime replica_fetch = 100 * kMicrosPerMilli;
  int64_t replica_fetch_max_bytes = 1048576;
  SimTime replica_lag_time_max = 30000 * kMicrosPerMilli;
  int32_t min_insync_replicas = 1;  // default for topics
  bool unclean_leader_election = false;
  KafkaAcks acks = KafkaAcks::kAll;
  SimTime linger = 0;
  int32_t batch_size = 16384;  // bytes
  kafka::KeylessStrategy partitioner = kafka::KeylessStrategy::kUniformSticky;
  SimTime broker_request = 0;           // per produce request at the leader
  int64_t retention_ms = 604800000;     // -1 = forever
  int64_t retention_bytes = -1;         // per partition; -1 = unlimited
  int64_t segment_bytes = 1073741824;
  SimTime segment = 604800000LL * kMicrosPerMilli;
  SimTime retention_check = 300000 * kMicrosPerMilli;
  bool reset_earliest = false;  // auto.offset.reset: earliest | latest
  bool enable_auto_commit = true;
  SimTime auto_commit_interval = 5000 * kMicrosPerMilli;
  int32_t max_poll_records = 500;
  kafka::AssignorKind assignor = kafka::AssignorKind::kRange;  // for new groups
  int64_t consume_rate = 0;  // records/s per member; 0 = polls only when told
  SimTime bucket = 1000 * kMicrosPerMilli;
};

struct KafkaCounters {
  uint64_t produced = 0, sent = 0, batches = 0, acked = 0, failed = 0;
  uint64_t lost = 0, lost_acked = 0, consumed = 0, duplicates = 0, out_of_order = 0;
  uint64_t skipped = 0, expired = 0, deleted = 0;
  uint64_t elections = 0, unclean_elections = 0, isr_shrinks = 0, isr_expands = 0;
};

// One record as stored; key/value empty with has_key/has_value false.
struct KafkaRecord {
  int64_t offset = 0;
  bool has_key = false;
  std::string key;
  bool has_value = false;
  std::string value;
  uint32_t key_seq = 0;  // production order among records of its logical key
  bool acked = false;
};

class KafkaSim : public Cloneable<KafkaSim, Simulation> {
 public:
  static constexpr int32_t kMaxBrokers = 16;
  static constexpr int32_t kMaxTopics = 8;
  static constexpr int32_t kMaxPartitionsPerTopic = 64;
  static constexpr uint32_t kMaxTotalPartitions = 128;
  static constexpr int32_t kMaxGroups = 8;
  static constexpr int32_t kMaxMembersPerGroup = 64;
  static constexpr uint32_t kMaxKeys = 100000;     // distinct key strings
  static constexpr uint32_t kMaxValues = 100000;   // values given by produce ops
  // Records held in all logs together (about 21 bytes each): produce refuses
  // and streams stop beyond it; retention frees room.
  static constexpr uint64_t kMaxRetainedRecords = 2000000;
  // Stream records one advance / stream step may create.
  static constexpr uint64_t kMaxRecordsPerStep = 5000000;
  static constexpr int64_t kMaxStreamRate = 1000000;  // records/s
  static constexpr uint32_t kMaxSeriesBuckets = 2400;

  KafkaSim(uint64_t seed, const KafkaConfig& config);
  ~KafkaSim() override;
  // Out of line: copying model_ needs KafkaModel complete (Clone).
  KafkaSim(const KafkaSim&);

  Result<Json> Apply(const std::string& op, const Json& args) override;
  Json Snapshot(Detail detail) const override;
  uint64_t Work() const override;
  std::vector<uint32_t> Column(std::string_view name) const override;

  // Runs events up to now + duration (no step cap). For tests and the bench.
  void Advance(SimTime duration);
  SimTime now() const;
  const KafkaCounters& counters() const;
  // nullopt unless topic/partition exist and log start <= offset < log end.
  std::optional<KafkaRecord> RecordAt(const std::string& topic, int32_t partition,
                                      int64_t offset) const;

 private:
  DeepPtr<kafka::internal::KafkaModel> model_;
};

SimInfo KafkaSimInfo();

}  // namespace sdp

#endif  // SDP_KAFKA_SIM_H_

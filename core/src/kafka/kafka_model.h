// The state and the mechanics behind sdp::KafkaSim (see sdp/kafka_sim.h for the
// model, op results and snapshot). Private to core/src/kafka; the methods are
// spread by concern: kafka_cluster.cpp (brokers, topics, replication,
// elections, retention), kafka_producer.cpp (partitioning, batching, acks,
// streams), kafka_groups.cpp (consumer groups, offsets, checkers),
// kafka_output.cpp (snapshot, series, columns).
//
// Every op method checks everything first and changes nothing when it refuses.
#ifndef SDP_SRC_KAFKA_KAFKA_MODEL_H_
#define SDP_SRC_KAFKA_KAFKA_MODEL_H_

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kafka/kafka_log.h"
#include "sdp/event_queue.h"
#include "sdp/kafka/assignors.h"
#include "sdp/kafka/partitioners.h"
#include "sdp/kafka_sim.h"
#include "sdp/random.h"
#include "sdp/time_series.h"

namespace sdp::kafka::internal {

constexpr int32_t kNoLeader = -1;
constexpr uint32_t kAcksModes = 3;
constexpr uint32_t kBatchHeaderBytes = 61;   // Kafka's record batch header (v2)
constexpr uint32_t kRecordOverheadBytes = 10;
constexpr SimTime kStreamTick = kMicrosPerMilli;
constexpr SimTime kConsumeTick = 100 * kMicrosPerMilli;

// acks as the producer config spells it.
inline const char* AcksName(KafkaAcks acks) {
  return acks == KafkaAcks::kZero ? "0" : acks == KafkaAcks::kOne ? "1" : "all";
}

struct Replica {
  int32_t broker = 0;
  int64_t leo = 0;
  SimTime last_caught_up = 0;
  // Where the log was cut while this replica was down: it must truncate there
  // when it returns (what Kafka's leader epochs find, KIP-101).
  int64_t diverged = INT64_MAX;
};

struct PendingRecord {
  uint32_t key, seq, value, bytes;
  SimTime created;
};

struct OpenBatch {
  uint64_t id = 0;
  uint32_t bytes = 0;  // records only; the header comes on top
  std::vector<PendingRecord> records;
  EventQueue::EventId linger_event = 0;
  bool linger_pending = false;
};

// A sent batch waiting for the producer's answer.
struct InFlight {
  int64_t first, end;
  KafkaAcks acks;
  SimTime answer_at;  // when the leader has done its request work
  std::vector<SimTime> created;
};

struct Partition {
  uint32_t topic = 0;
  int32_t index = 0;
  std::vector<Replica> replicas;  // assignment order; the first is preferred
  std::vector<int32_t> isr;       // broker ids, in replica order
  int32_t leader = kNoLeader;
  uint32_t epoch = 0;
  int64_t hw = 0;
  PartitionLog log;
  std::array<OpenBatch, kAcksModes> open;
  std::deque<InFlight> in_flight;
  uint64_t appended = 0, lost = 0, appended_sampled = 0;

  Replica* FindReplica(int32_t broker);
  bool InIsr(int32_t broker) const;
  bool offline() const { return leader == kNoLeader; }
};

enum class KeyMode : uint8_t { kUniform, kHot, kNone };

struct Stream {
  int64_t rate = 0;  // records per second
  KeyMode keys = KeyMode::kUniform;
  uint32_t key_count = 0;
  double hot_share = 0;
  uint32_t salt = 0;
  uint32_t value_bytes = 0;
  KafkaAcks acks = KafkaAcks::kAll;
  std::vector<uint32_t> key_ids;  // "key-<i>"
  std::vector<int32_t> key_partitions;
  std::vector<uint32_t> hot_ids;  // "hot", or "hot#<j>" when salted
  std::vector<int32_t> hot_partitions;
  SimTime start = 0;
  uint64_t emitted = 0;  // record i arrives at start + i * 1e6 / rate us
  EventQueue::EventId tick = 0;
};

struct Topic {
  std::string name;
  int32_t partitions = 0, replication = 0, min_isr = 1;
  uint32_t first = 0;  // index of partition 0 in KafkaModel::partitions_
  DeepPtr<Partitioner> partitioner;
  DeepPtr<Stream> stream;
  DeepPtr<TimeSeries> series;  // in_<p>
};

struct GroupPartition {
  std::string owner;         // member id, "" when not owned
  int64_t committed = -1;
  int64_t position = -1;     // -1 when not owned
  int64_t processed_end = -1;  // highest processed offset + 1; -1 = not started
  uint64_t consumed = 0, consumed_sampled = 0;
};

struct Consumer {
  std::vector<std::string> topics;
  int64_t rate = 0;
  int64_t budget_milli = 0;
  std::vector<uint32_t> owned;  // global partition indices, sorted
  uint32_t cursor = 0;
  uint64_t processed = 0;
};

struct Violation {
  SimTime at;
  uint32_t key, seq, after_seq, partition;
  int64_t offset;
};

struct Group {
  std::string name;
  AssignorKind assignor = AssignorKind::kRange;
  uint32_t generation = 0;
  std::map<std::string, Consumer> members;
  std::map<uint32_t, GroupPartition> parts;  // every partition of a subscribed topic
  std::vector<uint32_t> max_seq_plus1;       // by logical key
  uint64_t processed = 0, duplicates = 0, out_of_order = 0, skipped = 0, expired = 0;
  uint64_t resets = 0, rebalances = 0, moves = 0;
  std::deque<Violation> violations;
  Json last_rebalance;
  std::map<uint32_t, DeepPtr<TimeSeries>> series;  // by topic: lag_<p>, consumed_<p>
};

struct Broker {
  int32_t id = 0;
  bool alive = true;
  bool stalled = false;
  SimTime busy_until = 0;
};

class KafkaModel {
 public:
  KafkaModel(uint64_t seed, const KafkaConfig& config);

  // --- cluster (kafka_cluster.cpp)
  Result<Json> AddBrokers(int32_t count);
  Result<Json> CreateTopic(const std::string& name, int32_t partitions, int32_t replication,
                           int32_t min_isr);
  Result<Json> KillBroker(int32_t id);
  Result<Json> StartBroker(int32_t id);
  Result<Json> StallBroker(int32_t id, bool stalled);
  // --- producer (kafka_producer.cpp)
  struct ProduceArgs {
    std::string topic;
    std::optional<std::string> key;
    std::string value;
    std::optional<int32_t> partition;
    KafkaAcks acks;
  };
  Result<Json> Produce(const ProduceArgs& args);
  struct StreamArgs {
    std::string topic;
    int64_t rate;
    KeyMode keys;
    uint32_t key_count, salt, value_bytes;
    double hot_share;
    KafkaAcks acks;
  };
  Result<Json> StartStream(const StreamArgs& args);
  Result<Json> SetProducer(const Json& args);
  // --- groups (kafka_groups.cpp)
  Result<Json> Join(const std::string& group, const std::string& id,
                    const std::optional<std::string>& topic, int64_t rate);
  Result<Json> Leave(const std::string& group, const std::string& id);
  Result<Json> SetAssignor(const std::string& group, AssignorKind kind);
  Result<Json> Poll(const std::string& group, const std::string& id, int64_t max);
  Result<Json> Commit(const std::string& group, const std::string& id,
                      const std::optional<std::string>& topic, std::optional<int32_t> partition,
                      std::optional<int64_t> offset);
  Result<Json> Crash(const std::string& group, const std::string& id, bool after_commit,
                     int64_t max);
  // --- time and output (kafka_output.cpp)
  Status CheckAdvance(SimTime duration) const;
  Json AdvanceOp(SimTime duration);
  void Advance(SimTime duration);
  Json Snapshot(bool full) const;
  std::vector<uint32_t> Column(std::string_view name) const;
  std::optional<KafkaRecord> RecordAt(const std::string& topic, int32_t partition,
                                      int64_t offset) const;

  SimTime now() const { return events_.now(); }
  const KafkaConfig& config() const { return config_; }
  const KafkaCounters& counters() const { return counters_; }
  uint64_t work() const { return work_ + events_.executed(); }

 private:
  // cluster
  Topic* FindTopic(const std::string& name);
  const Topic* FindTopic(const std::string& name) const;
  Broker* FindBroker(int32_t id);
  Status CheckBroker(const char* op, int32_t id) const;
  std::string PartitionName(uint32_t p) const;
  void ReplicationTick();
  void RetentionTick();
  // Elects a leader for `p` after its leader died or while offline; fills `out`.
  void Elect(uint32_t p, Json* elections, Json* offline);
  // Cuts the log of `p` to new_end (unclean election / stale leader).
  void CutLog(uint32_t p, int64_t new_end);
  void UpdateHighWatermark(uint32_t p);
  std::vector<int32_t> AvailablePartitions(const Topic& t) const;
  // producer
  struct SentInfo {
    uint64_t batch_id;
    int64_t first;
    uint32_t records, bytes;
    bool full;
  };
  uint32_t InternKey(const std::string& key);
  // Key strings InternKey(key) would add (the key and its logical key).
  uint32_t NewKeysNeeded(const std::string& key) const;
  bool NeedsNewBatch(uint32_t p, KafkaAcks acks, uint32_t bytes) const;
  int32_t PickKeyless(Topic& t, uint32_t bytes, KafkaAcks acks,
                      const std::vector<int32_t>& available);
  // A keyed or explicitly placed record: tells the 2.4-3.2 sticky partitioner
  // when it opens a new batch (onNewBatch), as KafkaProducer.doSend does.
  void NewBatchHook(Topic& t, int32_t partition, uint32_t bytes, KafkaAcks acks,
                    const std::vector<int32_t>& available);
  uint32_t LogicalKey(uint32_t key) const { return logical_of_[key]; }
  Status CheckSendable(const char* op, const Topic& t, int32_t partition, KafkaAcks acks) const;
  void Accept(Topic& t, int32_t partition, const PendingRecord& r, KafkaAcks acks);
  void SendBatch(uint32_t p, KafkaAcks acks, bool full);
  void FlushZeroLinger();
  void Settle(uint32_t p);
  void FailRecords(uint64_t n, const char* error);
  void AckRecords(uint32_t p, const InFlight& batch);
  void StreamTick(uint32_t topic);
  void ScheduleStreamTick(uint32_t topic, SimTime at);
  Json StreamJson(const Topic& t) const;
  // groups
  Group* FindGroup(const std::string& name);
  Result<Consumer*> FindMember(const char* op, const std::string& group, const std::string& id);
  Status CheckNewGroup(const char* op, const std::string& group) const;
  Group& GetOrCreateGroup(const std::string& name);
  Json Rebalance(Group& g, const std::string& reason, const std::string& gone);
  void SetPosition(Group& g, uint32_t p, int64_t position);
  int64_t ResetOffset(uint32_t p) const;
  void CommitPositions(Group& g, const Consumer& c);
  // Fetches and processes (or only fetches) up to `max` records for a member.
  int64_t Fetch(Group& g, Consumer& c, int64_t max, bool process, Json* listed, Json* resets);
  void ProcessRecord(Group& g, GroupPartition& gp, uint32_t p, int64_t offset);
  void ConsumeTick();
  void AutoCommitTick();
  int64_t Lag(const GroupPartition& gp, uint32_t p) const;
  void EnsureGroupSeries(Group& g, uint32_t topic);
  // time and output
  void Every(SimTime period, void (KafkaModel::*tick)());
  void SampleTick();
  Json PartitionJson(uint32_t p) const;
  Json RecordJson(uint32_t p, int64_t offset) const;
  Json GroupJson(const Group& g, bool full) const;
  Json ConfigJson() const;
  Json CountersJson() const;
  uint64_t RetainedRecords() const;

  KafkaConfig config_;
  uint64_t seed_;
  Rng rng_;
  EventQueue events_;
  std::vector<Broker> brokers_;
  std::vector<Topic> topics_;
  std::vector<Partition> partitions_;
  std::map<std::string, Group> groups_;
  // Keys: every distinct key string, its logical key (the part before '#')
  // and, per logical key, how many records were produced with it.
  std::vector<std::string> key_names_;
  std::vector<uint32_t> logical_of_;
  std::vector<uint32_t> next_seq_;
  std::map<std::string, uint32_t> key_ids_;
  std::vector<std::string> values_;
  std::vector<std::pair<uint32_t, KafkaAcks>> zero_linger_;  // batches to send at the end of this op / tick
  std::vector<SentInfo> recent_sends_;
  bool track_sends_ = false;  // Produce wants to know where its record went
  uint64_t last_accept_batch_ = 0;
  uint32_t last_accept_index_ = 0;
  uint64_t next_batch_id_ = 1;
  KafkaCounters counters_;
  KafkaCounters sampled_;  // at the last series sample
  uint64_t batch_records_in_bucket_ = 0;
  std::map<std::string, uint64_t> errors_;
  TimeSeries series_;
  uint64_t work_ = 0;
};

}  // namespace sdp::kafka::internal

#endif  // SDP_SRC_KAFKA_KAFKA_MODEL_H_

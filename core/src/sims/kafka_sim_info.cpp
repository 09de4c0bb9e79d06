// The kafka sim's declaration: config, ops and their fields as data.
#include "sdp/kafka_sim.h"

namespace sdp {
namespace {

constexpr int64_t kKafkaMaxMs = 86400000;            // one day
constexpr int64_t kMaxRetentionMs = 3153600000000;  // a hundred years
constexpr int64_t kMaxBytes = 1073741824;       // 1 GiB
constexpr uint32_t kMaxName = 64;
constexpr uint32_t kMaxTopicName = 249;         // Kafka's limit
constexpr int64_t kMaxRate = KafkaSim::kMaxStreamRate;

FieldSpec AcksField() {
  return EnumField("acks", false, {"0", "1", "all"},
                   "0: do not wait; 1: the leader's answer; all: every in-sync replica "
                   "(default: the config's acks)");
}

std::vector<FieldSpec> ProducerFields() {
  return {AcksField(),
          IntField("linger_ms", false, 0, 60000,
                   "how long a batch waits for more records before it is sent (default 0)"),
          IntField("batch_size", false, 1, 16777216,
                   "bytes: a batch is sent when the next record would not fit (default 16384)"),
          EnumField("partitioner", false, {"uniform_sticky", "sticky", "round_robin"},
                    "keyless records: uniform_sticky (Java >= 3.3), sticky (Java 2.4-3.2), "
                    "round_robin (kafkajs) (default uniform_sticky)")};
}

std::vector<FieldSpec> MemberFields() {
  return {StringField("group", true, 1, kMaxName, "consumer group id"),
          StringField("id", true, 1, kMaxName, "member (consumer) id")};
}

FieldSpec BrokerId() {
  return IntField("id", true, 1, KafkaSim::kMaxBrokers, "broker id (1..brokers)");
}

std::vector<FieldSpec> ConfigFields() {
  return ConcatFields(
      {IntField("brokers", false, 1, KafkaSim::kMaxBrokers, "brokers at the start (default 3)"),
       IntField("replica_fetch_ms", false, 1, 60000,
                "how often followers fetch from leaders (default 100)"),
       IntField("replica_fetch_max_bytes", false, 1, kMaxBytes,
                "bytes one follower fetch takes at most (default 1048576)"),
       IntField("replica_lag_time_max_ms", false, 1, kKafkaMaxMs,
                "a follower this long behind the leader's log end leaves the ISR (default 30000)"),
       IntField("min_insync_replicas", false, 1, KafkaSim::kMaxBrokers,
                "default for topics: in-sync replicas acks=all needs (default 1)"),
       BoolField("unclean_leader_election_enable", false,
                 "elect an out-of-sync replica when no in-sync one is up, losing data (default "
                 "false)")},
      ProducerFields(),
      std::vector<FieldSpec>{
          IntField("broker_request_us", false, 0, 1000000,
                   "microseconds a leader spends on each produce request (default 0)"),
          IntField("retention_ms", false, -1, kMaxRetentionMs,
                   "delete segments older than this; -1 = forever (default 604800000)"),
          IntField("retention_bytes", false, -1, 1000000000000000,
                   "per partition: delete old segments beyond this size; -1 = no limit (default)"),
          IntField("segment_bytes", false, 14, kMaxBytes,
                   "roll a new segment at this size (default 1073741824)"),
          IntField("segment_ms", false, 1, 31536000000,
                   "roll a new segment after this long (default 604800000)"),
          IntField("retention_check_ms", false, 1, kKafkaMaxMs,
                   "how often retention runs (default 300000)"),
          EnumField("auto_offset_reset", false, {"latest", "earliest"},
                    "where a consumer without a valid committed offset starts (default latest)"),
          BoolField("enable_auto_commit", false,
                    "commit positions every auto_commit_interval_ms and on rebalance (default "
                    "true)"),
          IntField("auto_commit_interval_ms", false, 1, 3600000, "default 5000"),
          IntField("max_poll_records", false, 1, 100000, "records one poll returns at most (default 500)"),
          EnumField("assignor", false, {"range", "roundrobin", "sticky", "cooperative-sticky"},
                    "assignor of new groups (default range)"),
          IntField("consume_rate", false, 0, kMaxRate,
                   "records/s each new member processes by itself; 0 = only on poll (default 0)"),
          IntField("bucket_ms", false, 10, 3600000, "chart bucket width (default 1000)")});
}

Result<KafkaConfig> ParseConfig(const Json& j) {
  KafkaConfig c;
  c.brokers = j.value("brokers", c.brokers);
  c.replica_fetch = MillisField(j, "replica_fetch_ms", c.replica_fetch);
  c.replica_fetch_max_bytes = j.value("replica_fetch_max_bytes", c.replica_fetch_max_bytes);
  c.replica_lag_time_max = MillisField(j, "replica_lag_time_max_ms", c.replica_lag_time_max);
  c.min_insync_replicas = j.value("min_insync_replicas", c.min_insync_replicas);
  c.unclean_leader_election = j.value("unclean_leader_election_enable", false);
  const std::string acks = j.value("acks", std::string("all"));
  c.acks = acks == "0" ? KafkaAcks::kZero : acks == "1" ? KafkaAcks::kOne : KafkaAcks::kAll;
  c.linger = MillisField(j, "linger_ms", c.linger);
  c.batch_size = j.value("batch_size", c.batch_size);
  if (j.contains("partitioner")) {
    Result<kafka::KeylessStrategy> k = kafka::ParseKeyless(j["partitioner"].get<std::string>());
    if (!k.ok()) return Status::Invalid("config: field \"partitioner\": " + k.message());
    c.partitioner = k.value();
  }
  c.broker_request = j.value("broker_request_us", int64_t{0});
  c.retention_ms = j.value("retention_ms", c.retention_ms);
  c.retention_bytes = j.value("retention_bytes", c.retention_bytes);
  c.segment_bytes = j.value("segment_bytes", c.segment_bytes);
  c.segment = MillisField(j, "segment_ms", c.segment);
  c.retention_check = MillisField(j, "retention_check_ms", c.retention_check);
  c.reset_earliest = j.value("auto_offset_reset", std::string("latest")) == "earliest";
  c.enable_auto_commit = j.value("enable_auto_commit", true);
  c.auto_commit_interval = MillisField(j, "auto_commit_interval_ms", c.auto_commit_interval);
  c.max_poll_records = j.value("max_poll_records", c.max_poll_records);
  if (j.contains("assignor")) {
    Result<kafka::AssignorKind> a = kafka::ParseAssignor(j["assignor"].get<std::string>());
    if (!a.ok()) return Status::Invalid("config: field \"assignor\": " + a.message());
    c.assignor = a.value();
  }
  c.consume_rate = j.value("consume_rate", c.consume_rate);
  c.bucket = MillisField(j, "bucket_ms", c.bucket);
  return c;
}

}  // namespace

SimInfo KafkaSimInfo() {
  SimInfo info;
  info.name = "kafka";
  info.help =
      "Kafka: brokers, replicated partitions (ISR, high watermark, elections), a batching "
      "producer with Kafka's partitioners, consumer groups with Kafka's assignors, offsets, "
      "retention";
  info.config = ConfigFields();
  const FieldSpec topic = StringField("topic", true, 1, kMaxTopicName, "topic name");
  info.ops = {
      {"brokers", "add brokers up to count (new ones hold no replicas)",
       {IntField("count", true, 1, KafkaSim::kMaxBrokers, "brokers wanted in all")}},
      {"create_topic",
       "create a topic; replicas placed like ZooKeeper-mode Kafka over the live brokers",
       {StringField("name", true, 1, kMaxTopicName, "ASCII letters, digits, '.', '_', '-'"),
        IntField("partitions", true, -1000, 1000, "partition count (1..64 here)"),
        IntField("replication", false, -1000, 1000, "replication factor <= live brokers (default 1)"),
        IntField("min_insync_replicas", false, 1, KafkaSim::kMaxBrokers,
                 "in-sync replicas acks=all needs (default: the config's)")}},
      {"produce", "one record: by partition, by key (murmur2) or by the keyless partitioner",
       {topic, StringField("value", true, 0, 256, "record value"),
        StringField("key", false, 0, 64, "record key (absent: keyless)"),
        IntField("partition", false, 0, 1000, "explicit partition (overrides the key)"),
        AcksField()}},
      {"stream", "a steady fixed-rate source of records into a topic (rate 0 stops it)",
       {topic, IntField("rate", true, 0, kMaxRate, "records per second"),
        EnumField("keys", false, {"uniform", "hot", "none"},
                  "uniform over key_count keys, one hot key, or keyless (default uniform)"),
        IntField("key_count", false, 1, 10000, "distinct (non-hot) keys (default 100)"),
        NumberField("hot_share", false, 0, 1, "keys=hot: share of records with the hot key (default 0.5)"),
        IntField("salt", false, 0, 64, "keys=hot: spread the hot key over hot#0..hot#(salt-1) (0 or 1 = off)"),
        IntField("value_bytes", false, 0, 100000, "value size (default 100)"), AcksField()}},
      {"producer", "change producer settings (open batches are sent first)", ProducerFields()},
      {"consumer_join", "a member joins a group: the group rebalances",
       ConcatFields(MemberFields(),
                    std::vector<FieldSpec>{
                        StringField("topic", false, 1, kMaxTopicName,
                                    "subscription (default: every topic existing now)"),
                        IntField("rate", false, 0, kMaxRate,
                                 "records/s it processes by itself (default: config consume_rate)")})},
      {"consumer_leave", "a member leaves gracefully (commits if auto-commit): rebalance",
       MemberFields()},
      {"assignor", "set a group's partition assignor (rebalances if it has members)",
       {StringField("group", true, 1, kMaxName, "consumer group id"),
        EnumField("name", true, {"range", "roundrobin", "sticky", "cooperative-sticky"},
                  "Kafka's assignor")}},
      {"poll", "a member fetches and processes records from its positions, up to HW",
       ConcatFields(MemberFields(), std::vector<FieldSpec>{IntField(
                                        "max", false, 1, 100000, "records at most (default max_poll_records)")})},
      {"commit",
       "commit a member's positions (all, one topic, or one partition), or an explicit offset",
       ConcatFields(MemberFields(),
                    std::vector<FieldSpec>{
                        StringField("topic", false, 1, kMaxTopicName, "only this topic"),
                        IntField("partition", false, 0, 1000, "only this partition"),
                        IntField("offset", false, 0, 1000000000000,
                                 "commit this offset for \"partition\" (any current member "
                                 "may, as in Kafka; needed for a partition it does not own)")})},
      {"crash_consumer", "a member polls one more batch and dies before committing it "
                         "(redelivery) or after committing it unprocessed (loss)",
       ConcatFields(MemberFields(),
                    std::vector<FieldSpec>{
                        EnumField("when", true, {"before_commit", "after_commit"},
                                  "before_commit: processed, not committed; after_commit: "
                                  "committed, not processed"),
                        IntField("max", false, 1, 100000, "batch size at most (default max_poll_records)")})},
      {"kill_broker", "stop a broker: leader elections, ISR shrink", {BrokerId()}},
      {"start_broker",
       "restart a broker: it truncates by leader epoch (keeps what the leader has) and catches up",
       {BrokerId()}},
      {"stall_broker", "stop (or resume) a broker's follower fetching while it stays registered",
       {BrokerId(), BoolField("stalled", false, "true stalls, false resumes (default true)")}},
      {"advance", "let time pass", {IntField("ms", true, 1, kKafkaMaxMs, "milliseconds")}},
  };
  info.create = [](uint64_t seed, const Json& config) -> Result<std::unique_ptr<Simulation>> {
    Result<KafkaConfig> c = ParseConfig(config);
    if (!c.ok()) return c.status();
    return std::unique_ptr<Simulation>(std::make_unique<KafkaSim>(seed, c.value()));
  };
  return info;
}

}  // namespace sdp

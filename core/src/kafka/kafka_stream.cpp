// Streams (a steady, seeded source of records per topic) and producer settings.
#include <algorithm>
#include <string>
#include <vector>

#include "kafka/kafka_model.h"
#include "sdp/hash.h"

namespace sdp::kafka::internal {
namespace {

const char* KeyModeName(KeyMode mode) {
  return mode == KeyMode::kUniform ? "uniform" : mode == KeyMode::kHot ? "hot" : "none";
}

SimTime ArrivalTime(const Stream& s, uint64_t i) {
  return s.start + static_cast<SimTime>((i + 1) * static_cast<uint64_t>(kMicrosPerSecond) /
                                        static_cast<uint64_t>(s.rate));
}

}  // namespace

Json KafkaModel::StreamJson(const Topic& t) const {
  if (!t.stream) return nullptr;
  const Stream& s = *t.stream;
  Json hot = Json::array();
  for (int32_t p : s.hot_partitions) hot.push_back(p);
  // How far the hot key (or its salted forms) spreads: distinct partitions
  // reached and the most salted forms sharing one partition. Tours quote these
  // instead of typed numbers.
  std::vector<uint32_t> per_partition(static_cast<size_t>(t.partitions), 0);
  for (int32_t p : s.hot_partitions) ++per_partition[static_cast<size_t>(p)];
  uint32_t reached = 0, most = 0;
  for (uint32_t c : per_partition) {
    if (c > 0) ++reached;
    most = std::max(most, c);
  }
  return {{"topic", t.name},       {"rate", s.rate},          {"keys", KeyModeName(s.keys)},
          {"key_count", s.key_count}, {"hot_share", s.hot_share}, {"salt", s.salt},
          {"value_bytes", s.value_bytes}, {"hot_partitions", hot},
          {"hot_partitions_reached", reached}, {"hot_keys_most_on_one_partition", most},
          {"running", true}, {"emitted", s.emitted}};
}

Result<Json> KafkaModel::StartStream(const StreamArgs& args) {
  Topic* t = FindTopic(args.topic);
  if (t == nullptr) {
    return Status::Invalid("stream: UNKNOWN_TOPIC_OR_PARTITION: field \"topic\": no topic \"" +
                           args.topic + "\"");
  }
  const uint32_t topic = static_cast<uint32_t>(t - topics_.data());
  uint64_t new_keys = 0;
  if (args.rate > 0 && args.keys != KeyMode::kNone) {
    for (uint32_t i = 0; i < args.key_count; ++i) new_keys += NewKeysNeeded("key-" + std::to_string(i));
    if (args.keys == KeyMode::kHot) {
      new_keys += NewKeysNeeded("hot");
      for (uint32_t j = 0; args.salt >= 2 && j < args.salt; ++j) {
        new_keys += NewKeysNeeded("hot#" + std::to_string(j));
      }
    }
  }
  if (key_ids_.size() + new_keys > KafkaSim::kMaxKeys) {
    return Status::Invalid("stream: field \"key_count\": this sim keeps at most " +
                           std::to_string(KafkaSim::kMaxKeys) + " distinct keys");
  }
  if (t->stream) events_.Cancel(t->stream->tick);
  t->stream.reset();
  if (args.rate == 0) {
    events_.Note("stream into " + t->name + " stopped");
    return Json{{"topic", t->name}, {"rate", 0}, {"running", false}};
  }
  auto s = std::make_unique<Stream>();
  s->rate = args.rate;
  s->keys = args.keys;
  s->key_count = args.key_count;
  s->hot_share = args.keys == KeyMode::kHot ? args.hot_share : 0;
  s->salt = args.keys == KeyMode::kHot ? args.salt : 0;
  s->value_bytes = args.value_bytes;
  s->acks = args.acks;
  s->start = events_.now();
  const uint32_t n = static_cast<uint32_t>(t->partitions);
  if (args.keys != KeyMode::kNone) {
    for (uint32_t i = 0; i < args.key_count; ++i) {
      const std::string name = "key-" + std::to_string(i);
      s->key_ids.push_back(InternKey(name));
      s->key_partitions.push_back(static_cast<int32_t>(KafkaPartition(name, n)));
    }
  }
  if (args.keys == KeyMode::kHot) {
    std::vector<std::string> names;
    if (args.salt >= 2) {
      for (uint32_t j = 0; j < args.salt; ++j) names.push_back("hot#" + std::to_string(j));
    } else {
      names.push_back("hot");
    }
    for (const std::string& name : names) {
      s->hot_ids.push_back(InternKey(name));
      s->hot_partitions.push_back(static_cast<int32_t>(KafkaPartition(name, n)));
    }
  }
  t->stream = std::move(s);
  const SimTime first = ArrivalTime(*t->stream, 0);
  ScheduleStreamTick(topic, (first + kStreamTick - 1) / kStreamTick * kStreamTick);
  events_.Note("stream into " + t->name + ": " + std::to_string(args.rate) + " records/s, keys " +
               KeyModeName(args.keys));
  return StreamJson(*t);
}

void KafkaModel::ScheduleStreamTick(uint32_t topic, SimTime at) {
  topics_[topic].stream->tick =
      events_.ScheduleAt(at, "", EventQueue::For<KafkaModel>([topic](KafkaModel& self) { self.StreamTick(topic); }));
}

void KafkaModel::StreamTick(uint32_t topic) {
  Topic& t = topics_[topic];
  Stream& s = *t.stream;
  const SimTime now = events_.now();
  const std::vector<int32_t> available = AvailablePartitions(t);
  const uint64_t held = RetainedRecords();
  uint64_t room = held >= KafkaSim::kMaxRetainedRecords ? 0 : KafkaSim::kMaxRetainedRecords - held;
  const uint32_t value_bytes = s.value_bytes + kRecordOverheadBytes;
  while (ArrivalTime(s, s.emitted) <= now) {
    if (room == 0) {
      FlushZeroLinger();
      events_.Note("stream into " + t.name + " stopped: the sim holds its limit of " +
                   std::to_string(KafkaSim::kMaxRetainedRecords) + " records");
      t.stream.reset();
      return;
    }
    --room;
    uint32_t key = kNoKey;
    int32_t partition = 0;
    if (s.keys == KeyMode::kHot && rng_.Bernoulli(s.hot_share)) {
      const uint32_t j = s.hot_ids.size() > 1 ? static_cast<uint32_t>(rng_.Below(s.hot_ids.size())) : 0;
      key = s.hot_ids[j];
      partition = s.hot_partitions[j];
    } else if (s.keys != KeyMode::kNone) {
      const uint32_t i = static_cast<uint32_t>(rng_.Below(s.key_count));
      key = s.key_ids[i];
      partition = s.key_partitions[i];
    }
    const uint32_t bytes = value_bytes + (key == kNoKey ? 0 : static_cast<uint32_t>(key_names_[key].size()));
    if (key == kNoKey) {
      partition = PickKeyless(t, bytes, s.acks, available);
    } else {
      NewBatchHook(t, partition, bytes, s.acks, available);
    }
    const uint32_t seq = key == kNoKey ? 0 : next_seq_[LogicalKey(key)]++;
    ++counters_.produced;
    Accept(t, partition, {key, seq, kNoValue, bytes, ArrivalTime(s, s.emitted)}, s.acks);
    ++s.emitted;
  }
  FlushZeroLinger();
  const SimTime next = ArrivalTime(s, s.emitted);
  const SimTime tick = (next + kStreamTick - 1) / kStreamTick * kStreamTick;
  ScheduleStreamTick(topic, std::max(tick, now + kStreamTick));
}

Result<Json> KafkaModel::SetProducer(const Json& args) {
  // Open batches leave with the settings they were made under.
  const uint64_t batches = counters_.batches;
  for (uint32_t p = 0; p < partitions_.size(); ++p) {
    for (uint32_t mode = 0; mode < kAcksModes; ++mode) SendBatch(p, static_cast<KafkaAcks>(mode), false);
  }
  zero_linger_.clear();
  if (args.contains("acks")) {
    const std::string acks = args["acks"].get<std::string>();
    config_.acks = acks == "0" ? KafkaAcks::kZero : acks == "1" ? KafkaAcks::kOne : KafkaAcks::kAll;
  }
  config_.linger = MillisField(args, "linger_ms", config_.linger);
  const int32_t batch_size = args.value("batch_size", config_.batch_size);
  KeylessStrategy keyless = config_.partitioner;
  if (args.contains("partitioner")) keyless = ParseKeyless(args["partitioner"].get<std::string>()).value();
  if (batch_size != config_.batch_size || keyless != config_.partitioner) {
    config_.batch_size = batch_size;
    config_.partitioner = keyless;
    for (Topic& t : topics_) {
      t.partitioner = std::make_unique<Partitioner>(keyless, rng_.Next(), batch_size);
    }
  }
  events_.Note("producer settings changed");
  return Json{{"acks", config_.acks == KafkaAcks::kAll ? "all" : config_.acks == KafkaAcks::kOne ? "1" : "0"},
              {"linger_ms", config_.linger / kMicrosPerMilli},
              {"batch_size", config_.batch_size},
              {"partitioner", KeylessName(config_.partitioner)},
              {"flushed", counters_.batches - batches}};
}

}  // namespace sdp::kafka::internal

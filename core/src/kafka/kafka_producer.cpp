// The producer: partition choice, the record accumulator (one open batch per
// partition and acks mode), sending, acknowledgements, and streams.
#include <algorithm>
#include <string>

#include "kafka/kafka_model.h"
#include "sdp/hash.h"
#include "sdp/step_budget.h"

namespace sdp::kafka::internal {
namespace {


}  // namespace

uint32_t KafkaModel::InternKey(const std::string& key) {
  if (auto it = key_ids_.find(key); it != key_ids_.end()) return it->second;
  const size_t hash = key.find('#');
  const uint32_t logical = hash == std::string::npos ? kNoKey : InternKey(key.substr(0, hash));
  const uint32_t id = static_cast<uint32_t>(key_names_.size());
  key_names_.push_back(key);
  key_ids_.emplace(key, id);
  logical_of_.push_back(logical == kNoKey ? id : logical);
  next_seq_.push_back(0);
  return id;
}

uint32_t KafkaModel::NewKeysNeeded(const std::string& key) const {
  if (key_ids_.count(key) != 0) return 0;
  const size_t hash = key.find('#');
  return hash == std::string::npos ? 1 : 1 + NewKeysNeeded(key.substr(0, hash));
}

uint64_t KafkaModel::RetainedRecords() const {
  uint64_t n = 0;
  for (const Partition& part : partitions_) {
    n += part.log.records();
    for (const OpenBatch& b : part.open) n += b.records.size();
  }
  return n;
}

Status KafkaModel::CheckSendable(const char* op, const Topic& t, int32_t partition,
                                 KafkaAcks acks) const {
  const Partition& part = partitions_[t.first + partition];
  const std::string name = t.name + "-" + std::to_string(partition);
  if (part.offline()) {
    return Status::Invalid(std::string(op) + ": LEADER_NOT_AVAILABLE: partition " + name +
                           " has no leader (no in-sync replica is up); field \"topic\"");
  }
  if (acks == KafkaAcks::kAll && static_cast<int32_t>(part.isr.size()) < t.min_isr) {
    return Status::Invalid(std::string(op) + ": NOT_ENOUGH_REPLICAS: partition " + name +
                           " has " + std::to_string(part.isr.size()) +
                           " in-sync replicas, min.insync.replicas is " +
                           std::to_string(t.min_isr) + " (field \"acks\" = all)");
  }
  return Status::Ok();
}

bool KafkaModel::NeedsNewBatch(uint32_t p, KafkaAcks acks, uint32_t bytes) const {
  const OpenBatch& b = partitions_[p].open[static_cast<uint32_t>(acks)];
  return b.records.empty() ||
         kBatchHeaderBytes + b.bytes + bytes > static_cast<uint32_t>(config_.batch_size);
}

int32_t KafkaModel::PickKeyless(Topic& t, uint32_t bytes, KafkaAcks acks,
                                const std::vector<int32_t>& available) {
  Partitioner& pick = *t.partitioner;
  int32_t p = pick.Partition(std::nullopt, static_cast<int32_t>(bytes), t.partitions, available);
  // Java 2.4-3.2 (KIP-480): a record that needs a new batch first moves the
  // sticky partition on, then is partitioned again.
  if (pick.keyless() == KeylessStrategy::kSticky && NeedsNewBatch(t.first + p, acks, bytes)) {
    pick.OnNewBatch(p, t.partitions, available);
    p = pick.Partition(std::nullopt, static_cast<int32_t>(bytes), t.partitions, available);
  }
  return p;
}

void KafkaModel::NewBatchHook(Topic& t, int32_t partition, uint32_t bytes, KafkaAcks acks,
                              const std::vector<int32_t>& available) {
  // Java 2.4-3.2 KafkaProducer.doSend appends with abortOnNewBatch for every
  // record, keyed or explicit too; when the record needs a new batch it calls
  // partitioner.onNewBatch(prevPartition), which moves the sticky partition if
  // that partition was the sticky one (or none was set yet).
  Partitioner& pick = *t.partitioner;
  if (pick.keyless() == KeylessStrategy::kSticky &&
      NeedsNewBatch(t.first + static_cast<uint32_t>(partition), acks, bytes)) {
    pick.OnNewBatch(partition, t.partitions, available);
  }
}

Result<Json> KafkaModel::Produce(const ProduceArgs& args) {
  Topic* t = FindTopic(args.topic);
  if (t == nullptr) {
    return Status::Invalid("produce: UNKNOWN_TOPIC_OR_PARTITION: field \"topic\": no topic \"" +
                           args.topic + "\"");
  }
  if (args.partition && *args.partition >= t->partitions) {
    return Status::Invalid("produce: UNKNOWN_TOPIC_OR_PARTITION: field \"partition\": " +
                           args.topic + " has partitions 0.." + std::to_string(t->partitions - 1));
  }
  if (values_.size() >= KafkaSim::kMaxValues) {
    return Status::Invalid("produce: field \"value\": this sim keeps at most " +
                           std::to_string(KafkaSim::kMaxValues) + " produced values");
  }
  if (args.key && key_ids_.size() + NewKeysNeeded(*args.key) > KafkaSim::kMaxKeys) {
    return Status::Invalid("produce: field \"key\": this sim keeps at most " +
                           std::to_string(KafkaSim::kMaxKeys) + " distinct keys");
  }
  if (RetainedRecords() >= KafkaSim::kMaxRetainedRecords) {
    return Status::Invalid("produce: the sim holds its limit of " +
                           std::to_string(KafkaSim::kMaxRetainedRecords) +
                           " records (field \"topic\"); lower retention_ms or retention_bytes");
  }
  const uint32_t bytes = static_cast<uint32_t>((args.key ? args.key->size() : 0) +
                                               args.value.size()) + kRecordOverheadBytes;
  int32_t partition = 0;
  const Partitioner saved = *t->partitioner;  // a refusal must not move the sticky choice
  if (args.partition || args.key) {
    partition = args.partition ? *args.partition
                               : static_cast<int32_t>(KafkaPartition(
                                     *args.key, static_cast<uint32_t>(t->partitions)));
    NewBatchHook(*t, partition, bytes, args.acks, AvailablePartitions(*t));
  } else {
    partition = PickKeyless(*t, bytes, args.acks, AvailablePartitions(*t));
  }
  if (Status s = CheckSendable("produce", *t, partition, args.acks); !s.ok()) {
    *t->partitioner = saved;
    return s;
  }
  const uint32_t key = args.key ? InternKey(*args.key) : kNoKey;
  const uint32_t seq = key == kNoKey ? 0 : next_seq_[LogicalKey(key)]++;
  values_.push_back(args.value);
  const PendingRecord record{key, seq, static_cast<uint32_t>(values_.size() - 1), bytes,
                             events_.now()};
  ++counters_.produced;
  recent_sends_.clear();
  track_sends_ = true;
  const uint32_t p = t->first + static_cast<uint32_t>(partition);
  Accept(*t, partition, record, args.acks);
  const OpenBatch& open = partitions_[p].open[static_cast<uint32_t>(args.acks)];
  const uint64_t batch_id = last_accept_batch_;
  const uint32_t index = last_accept_index_;
  FlushZeroLinger();
  track_sends_ = false;
  Json result = {{"topic", t->name}, {"partition", partition}, {"offset", nullptr},
                 {"key", args.key ? Json(*args.key) : Json(nullptr)}, {"acks", AcksName(args.acks)}};
  for (const SentInfo& s : recent_sends_) {
    if (s.batch_id != batch_id) continue;
    result["offset"] = s.first + index;
    result["batch"] = {{"id", s.batch_id}, {"records", s.records}, {"bytes", s.bytes},
                       {"sent", true}, {"reason", s.full ? "full" : "linger"},
                       {"send_at_ms", events_.now() / kMicrosPerMilli}};
    return result;
  }
  result["batch"] = {{"id", open.id},
                     {"records", open.records.size()},
                     {"bytes", kBatchHeaderBytes + open.bytes},
                     {"sent", false},
                     {"reason", "open"},
                     {"send_at_ms", (open.records.front().created + config_.linger) / kMicrosPerMilli}};
  return result;
}

void KafkaModel::Accept(Topic& t, int32_t partition, const PendingRecord& r, KafkaAcks acks) {
  const uint32_t p = t.first + static_cast<uint32_t>(partition);
  const uint32_t mode = static_cast<uint32_t>(acks);
  OpenBatch& b = partitions_[p].open[mode];
  const uint32_t limit = static_cast<uint32_t>(config_.batch_size);
  if (!b.records.empty() && kBatchHeaderBytes + b.bytes + r.bytes > limit) SendBatch(p, acks, true);
  if (b.records.empty()) {
    b.id = next_batch_id_++;
    if (config_.linger > 0) {
      const uint64_t id = b.id;
      b.linger_event = events_.ScheduleAt(
          std::max(events_.now(), r.created + config_.linger), "",
          EventQueue::For<KafkaModel>([p, acks, id](KafkaModel& self) {
            OpenBatch& open = self.partitions_[p].open[static_cast<uint32_t>(acks)];
            if (!open.linger_pending || open.id != id) return;
            open.linger_pending = false;
            self.SendBatch(p, acks, false);
          }));
      b.linger_pending = true;
    } else {
      zero_linger_.push_back({p, acks});
    }
  }
  b.records.push_back(r);
  b.bytes += r.bytes;
  last_accept_batch_ = b.id;
  last_accept_index_ = static_cast<uint32_t>(b.records.size() - 1);
  if (kBatchHeaderBytes + b.bytes >= limit) SendBatch(p, acks, true);
}

void KafkaModel::FlushZeroLinger() {
  for (size_t i = 0; i < zero_linger_.size(); ++i) {
    SendBatch(zero_linger_[i].first, zero_linger_[i].second, false);
  }
  zero_linger_.clear();
}

void KafkaModel::FailRecords(uint64_t n, const char* error) {
  if (n == 0) return;
  counters_.failed += n;
  errors_[error] += n;
}

void KafkaModel::SendBatch(uint32_t p, KafkaAcks acks, bool full) {
  Partition& part = partitions_[p];
  OpenBatch& b = part.open[static_cast<uint32_t>(acks)];
  if (b.records.empty()) return;
  if (b.linger_pending) {
    events_.Cancel(b.linger_event);
    b.linger_pending = false;
  }
  const Topic& t = topics_[part.topic];
  const uint32_t n = static_cast<uint32_t>(b.records.size());
  const uint32_t bytes = kBatchHeaderBytes + b.bytes;
  ++counters_.batches;
  counters_.sent += n;
  batch_records_in_bucket_ += n;
  const char* error = part.offline() ? "LEADER_NOT_AVAILABLE"
                      : acks == KafkaAcks::kAll && static_cast<int32_t>(part.isr.size()) < t.min_isr
                          ? "NOT_ENOUGH_REPLICAS"
                          : nullptr;
  if (track_sends_) recent_sends_.push_back({b.id, part.log.end(), n, bytes, full});
  if (error != nullptr) {
    FailRecords(n, error);
    b.records.clear();
    b.bytes = 0;
    return;
  }
  part.log.PrepareAppend(events_.now(), bytes, static_cast<uint64_t>(config_.segment_bytes),
                         config_.segment);
  InFlight flight{part.log.end(), part.log.end() + n, acks, events_.now(), {}};
  flight.created.reserve(n);
  // The batch header is counted with its first record: log sizes, segment
  // rolls and fetch sizes then see whole batches as Kafka does.
  uint32_t header = kBatchHeaderBytes;
  for (const PendingRecord& r : b.records) {
    part.log.Append(r.key, r.seq, r.value, r.bytes + header);
    header = 0;
    flight.created.push_back(r.created);
  }
  part.appended += n;
  work_ += n;
  part.FindReplica(part.leader)->leo = part.log.end();
  UpdateHighWatermark(p);
  b.records.clear();
  b.bytes = 0;
  if (acks == KafkaAcks::kZero) {  // the producer does not wait
    AckRecords(p, flight);
    return;
  }
  Broker& leader = brokers_[part.leader - 1];
  flight.answer_at = std::max(events_.now(), leader.busy_until) + config_.broker_request;
  leader.busy_until = flight.answer_at;
  if (flight.answer_at > events_.now()) {
    events_.ScheduleAt(flight.answer_at, "", EventQueue::For<KafkaModel>([p](KafkaModel& self) { self.Settle(p); }));
  }
  part.in_flight.push_back(std::move(flight));
  Settle(p);
}

void KafkaModel::AckRecords(uint32_t p, const InFlight& batch) {
  counters_.acked += batch.created.size();
  partitions_[p].log.MarkAcked(batch.first, batch.end);
  for (SimTime created : batch.created) series_.Latency(events_.now() - created);
}

void KafkaModel::Settle(uint32_t p) {
  Partition& part = partitions_[p];
  const int32_t min_isr = topics_[part.topic].min_isr;
  const SimTime now = events_.now();
  auto done = [&](const InFlight& b) {
    if (now < b.answer_at) return false;
    if (b.acks != KafkaAcks::kAll) {
      AckRecords(p, b);
      return true;
    }
    if (part.hw < b.end) return false;
    if (static_cast<int32_t>(part.isr.size()) < min_isr) {
      FailRecords(b.created.size(), "NOT_ENOUGH_REPLICAS_AFTER_APPEND");
    } else {
      AckRecords(p, b);
    }
    return true;
  };
  while (!part.in_flight.empty() && done(part.in_flight.front())) part.in_flight.pop_front();
  if (part.in_flight.size() < 2) return;
  // Rare: an acks=1 answer behind a waiting acks=all batch. The pass costs
  // the whole backlog, once per settle: charged, so a backlog that keeps
  // growing (rate far above what the brokers take) ends the step. Moving a
  // batch costs about an eighth of an event (bench/step_budget.md).
  StepBudget::Charge((part.in_flight.size() + 7) / 8);
  std::deque<InFlight> kept;
  for (InFlight& b : part.in_flight) {
    if (!done(b)) kept.push_back(std::move(b));
  }
  part.in_flight = std::move(kept);
}

}  // namespace sdp::kafka::internal

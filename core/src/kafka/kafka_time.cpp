// The clock: the periodic work every KafkaModel does (retention, consumer
// polls, auto-commit, chart sampling; follower fetches are in
// kafka_cluster.cpp) and advancing time.
#include <algorithm>
#include <string>

#include "kafka/kafka_model.h"

namespace sdp::kafka::internal {
namespace {

// Events one advance may run: it keeps one step inside the scenario budget.
constexpr uint64_t kMaxEventsPerStep = 20000000;

enum Counter : uint32_t { kProduced, kAcked, kFailed, kBatches, kConsumed, kDuplicates,
                          kOutOfOrder, kLost, kDeleted };
enum Level : uint32_t { kUnderReplicated, kOffline, kBatchRecords };

uint32_t Delta(uint64_t now, uint64_t before) {
  return static_cast<uint32_t>(std::min<uint64_t>(now - before, UINT32_MAX));
}

}  // namespace

KafkaModel::KafkaModel(uint64_t seed, const KafkaConfig& config)
    : config_(config),
      seed_(seed),
      rng_(seed),
      events_(200),
      series_(config.bucket,
              {"produced", "acked", "failed", "batches", "consumed", "duplicates", "out_of_order",
               "lost", "deleted"},
              {{"under_replicated", TimeSeries::LevelKind::kLast},
               {"offline", TimeSeries::LevelKind::kLast},
               {"batch_records", TimeSeries::LevelKind::kLast}},
              KafkaSim::kMaxSeriesBuckets) {
  for (int32_t id = 1; id <= config_.brokers; ++id) brokers_.push_back({id, true, false, 0});
  Every(config_.replica_fetch, &KafkaModel::ReplicationTick);
  Every(config_.retention_check, &KafkaModel::RetentionTick);
  Every(kConsumeTick, &KafkaModel::ConsumeTick);
  if (config_.enable_auto_commit) Every(config_.auto_commit_interval, &KafkaModel::AutoCommitTick);
  Every(config_.bucket, &KafkaModel::SampleTick);
}

void KafkaModel::Every(SimTime period, void (KafkaModel::*tick)()) {
  events_.ScheduleIn(period, "", EventQueue::For<KafkaModel>([period, tick](KafkaModel& self) {
    (self.*tick)();
    self.Every(period, tick);
  }));
}

Status KafkaModel::CheckAdvance(SimTime duration) const {
  uint64_t rate = 0;
  uint64_t streams = 0;
  for (const Topic& t : topics_) {
    if (!t.stream) continue;
    rate += static_cast<uint64_t>(t.stream->rate);
    ++streams;
  }
  const uint64_t us = static_cast<uint64_t>(duration);
  const uint64_t records = rate * us / static_cast<uint64_t>(kMicrosPerSecond);
  if (records > KafkaSim::kMaxRecordsPerStep) {
    return Status::Invalid("advance: field \"ms\": the streams would produce " +
                           std::to_string(records) + " records in one step (at most " +
                           std::to_string(KafkaSim::kMaxRecordsPerStep) + "); split it");
  }
  const uint64_t events = us / static_cast<uint64_t>(config_.replica_fetch) +
                          us / static_cast<uint64_t>(kConsumeTick) +
                          us / static_cast<uint64_t>(config_.bucket) +
                          us / static_cast<uint64_t>(config_.retention_check) +
                          (config_.enable_auto_commit
                               ? us / static_cast<uint64_t>(config_.auto_commit_interval)
                               : 0) +
                          streams * (us / static_cast<uint64_t>(kStreamTick));
  if (events > kMaxEventsPerStep) {
    return Status::Invalid("advance: field \"ms\" is too long for one step at these settings (" +
                           std::to_string(events) + " periodic events, at most " +
                           std::to_string(kMaxEventsPerStep) + "); split it");
  }
  return Status::Ok();
}

void KafkaModel::Advance(SimTime duration) { events_.AdvanceTo(events_.now() + duration, this); }

Json KafkaModel::AdvanceOp(SimTime duration) {
  const KafkaCounters before = counters_;
  Advance(duration);
  const KafkaCounters& c = counters_;
  return Json{{"time_ms", static_cast<double>(events_.now()) / kMicrosPerMilli},
              {"during",
               {{"produced", c.produced - before.produced},
                {"acked", c.acked - before.acked},
                {"failed", c.failed - before.failed},
                {"batches", c.batches - before.batches},
                {"consumed", c.consumed - before.consumed},
                {"duplicates", c.duplicates - before.duplicates},
                {"out_of_order", c.out_of_order - before.out_of_order},
                {"skipped", c.skipped - before.skipped},
                {"expired", c.expired - before.expired},
                {"lost", c.lost - before.lost},
                {"deleted", c.deleted - before.deleted}}}};
}

void KafkaModel::RetentionTick() {
  int64_t deleted = 0;
  uint32_t touched = 0;
  for (Partition& part : partitions_) {
    const int64_t n = part.log.DeleteOldSegments(events_.now(), config_.retention_ms,
                                                 config_.retention_bytes, part.hw);
    deleted += n;
    touched += n > 0 ? 1 : 0;
  }
  if (deleted == 0) return;
  counters_.deleted += static_cast<uint64_t>(deleted);
  events_.Note("retention deleted " + std::to_string(deleted) + " records (whole segments) in " +
               std::to_string(touched) + " partitions");
}

void KafkaModel::SampleTick() {
  const SimTime now = events_.now();
  const KafkaCounters& c = counters_;
  const KafkaCounters& s = sampled_;
  series_.Count(kProduced, Delta(c.produced, s.produced));
  series_.Count(kAcked, Delta(c.acked, s.acked));
  series_.Count(kFailed, Delta(c.failed, s.failed));
  const uint32_t batches = Delta(c.batches, s.batches);
  series_.Count(kBatches, batches);
  series_.Count(kConsumed, Delta(c.consumed, s.consumed));
  series_.Count(kDuplicates, Delta(c.duplicates, s.duplicates));
  series_.Count(kOutOfOrder, Delta(c.out_of_order, s.out_of_order));
  series_.Count(kLost, Delta(c.lost, s.lost));
  series_.Count(kDeleted, Delta(c.deleted, s.deleted));
  uint32_t under = 0, offline = 0;
  for (const Partition& part : partitions_) {
    under += part.isr.size() < part.replicas.size() ? 1 : 0;
    offline += part.offline() ? 1 : 0;
  }
  series_.SetLevel(kUnderReplicated, under);
  series_.SetLevel(kOffline, offline);
  series_.SetLevel(kBatchRecords,
                   batches == 0 ? 0 : static_cast<uint32_t>(batch_records_in_bucket_ / batches));
  batch_records_in_bucket_ = 0;
  sampled_ = counters_;
  series_.AdvanceTo(now);
  for (Topic& t : topics_) {
    for (int32_t i = 0; i < t.partitions; ++i) {
      Partition& part = partitions_[t.first + static_cast<uint32_t>(i)];
      t.series->Count(static_cast<uint32_t>(i), Delta(part.appended, part.appended_sampled));
      part.appended_sampled = part.appended;
    }
    t.series->AdvanceTo(now);
  }
  for (auto& [name, g] : groups_) {
    for (auto& [topic, series] : g.series) {
      const Topic& t = topics_[topic];
      for (int32_t i = 0; i < t.partitions; ++i) {
        const uint32_t p = t.first + static_cast<uint32_t>(i);
        GroupPartition& gp = g.parts[p];
        series->Count(static_cast<uint32_t>(i), Delta(gp.consumed, gp.consumed_sampled));
        gp.consumed_sampled = gp.consumed;
        series->SetLevel(static_cast<uint32_t>(i),
                         static_cast<uint32_t>(std::min<int64_t>(Lag(gp, p), UINT32_MAX)));
      }
      series->AdvanceTo(now);
    }
  }
}

}  // namespace sdp::kafka::internal

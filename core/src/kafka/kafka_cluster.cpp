// Brokers, topics, replica placement, follower fetches, the ISR and the high
// watermark, leader elections and retention.
#include <algorithm>
#include <string>

#include "kafka/kafka_model.h"

namespace sdp::kafka::internal {
namespace {

constexpr size_t kMaxTopicNameLength = 249;  // Kafka's limit

bool LegalTopicName(const std::string& name) {
  if (name.empty() || name.size() > kMaxTopicNameLength || name == "." || name == "..") {
    return false;
  }
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// AdminUtils.replicaIndex: the j-th follower of a partition whose first
// replica sits at index `first`.
uint32_t ReplicaIndex(uint32_t first, uint32_t shift, uint32_t j, uint32_t n) {
  const uint32_t offset = 1 + (shift + j) % (n - 1);
  return (first + offset) % n;
}

}  // namespace

Replica* Partition::FindReplica(int32_t broker) {
  for (Replica& r : replicas) {
    if (r.broker == broker) return &r;
  }
  return nullptr;
}

bool Partition::InIsr(int32_t broker) const {
  return std::find(isr.begin(), isr.end(), broker) != isr.end();
}

Topic* KafkaModel::FindTopic(const std::string& name) {
  for (Topic& t : topics_) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

const Topic* KafkaModel::FindTopic(const std::string& name) const {
  for (const Topic& t : topics_) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

Broker* KafkaModel::FindBroker(int32_t id) {
  return id >= 1 && id <= static_cast<int32_t>(brokers_.size()) ? &brokers_[id - 1] : nullptr;
}

Status KafkaModel::CheckBroker(const char* op, int32_t id) const {
  if (id < 1 || id > static_cast<int32_t>(brokers_.size())) {
    return Status::Invalid(std::string(op) + ": field \"id\": broker " + std::to_string(id) +
                           " does not exist; brokers are 1.." + std::to_string(brokers_.size()));
  }
  return Status::Ok();
}

std::string KafkaModel::PartitionName(uint32_t p) const {
  return topics_[partitions_[p].topic].name + "-" + std::to_string(partitions_[p].index);
}

std::vector<int32_t> KafkaModel::AvailablePartitions(const Topic& t) const {
  std::vector<int32_t> out;
  for (int32_t i = 0; i < t.partitions; ++i) {
    if (!partitions_[t.first + i].offline()) out.push_back(i);
  }
  return out;
}

Result<Json> KafkaModel::AddBrokers(int32_t count) {
  const int32_t have = static_cast<int32_t>(brokers_.size());
  if (count < have) {
    return Status::Invalid("brokers: field \"count\": brokers can only be added (count >= " +
                           std::to_string(have) + "); kill_broker stops one");
  }
  Json added = Json::array();
  for (int32_t id = have + 1; id <= count; ++id) {
    brokers_.push_back({id, true, false, events_.now()});
    added.push_back(id);
  }
  Json ids = Json::array();
  for (const Broker& b : brokers_) ids.push_back(b.id);
  if (!added.empty()) {
    events_.Note("brokers " + added.dump() +
                 " joined; they hold no replicas until a topic is created (Kafka does not "
                 "move partitions by itself)");
  }
  return Json{{"brokers", ids}, {"added", added}};
}

Result<Json> KafkaModel::CreateTopic(const std::string& name, int32_t partitions,
                                     int32_t replication, int32_t min_isr) {
  const std::string op = "create_topic: ";
  if (!LegalTopicName(name)) {
    return Status::Invalid(op + "INVALID_TOPIC_EXCEPTION: field \"name\": 1 to 249 of ASCII "
                           "letters, digits, '.', '_' and '-', not \".\" or \"..\"");
  }
  if (FindTopic(name) != nullptr) {
    return Status::Invalid(op + "TOPIC_ALREADY_EXISTS: field \"name\": topic \"" + name +
                           "\" already exists");
  }
  if (partitions <= 0 || partitions > KafkaSim::kMaxPartitionsPerTopic) {
    return Status::Invalid(op + "INVALID_PARTITIONS: field \"partitions\" must be at least 1 (" +
                           "and at most " + std::to_string(KafkaSim::kMaxPartitionsPerTopic) +
                           " in this sim), got " + std::to_string(partitions));
  }
  std::vector<int32_t> live;
  for (const Broker& b : brokers_) {
    if (b.alive) live.push_back(b.id);
  }
  if (replication <= 0 || replication > static_cast<int32_t>(live.size())) {
    return Status::Invalid(op + "INVALID_REPLICATION_FACTOR: field \"replication\" must be in "
                           "[1, " + std::to_string(live.size()) + "] (live brokers), got " +
                           std::to_string(replication));
  }
  if (min_isr < 1) {
    return Status::Invalid(op + "INVALID_CONFIG: field \"min_insync_replicas\" must be >= 1");
  }
  if (static_cast<int32_t>(topics_.size()) >= KafkaSim::kMaxTopics) {
    return Status::Invalid(op + "this sim holds at most " +
                           std::to_string(KafkaSim::kMaxTopics) + " topics (field \"name\")");
  }
  if (partitions_.size() + static_cast<size_t>(partitions) > KafkaSim::kMaxTotalPartitions) {
    return Status::Invalid(op + "INVALID_PARTITIONS: field \"partitions\": this sim holds at most " +
                           std::to_string(KafkaSim::kMaxTotalPartitions) + " partitions in all (" +
                           std::to_string(partitions_.size()) + " exist)");
  }
  Topic t;
  t.name = name;
  t.partitions = partitions;
  t.replication = replication;
  t.min_isr = min_isr;
  t.first = static_cast<uint32_t>(partitions_.size());
  t.partitioner = std::make_unique<Partitioner>(config_.partitioner, seed_ ^ (0x9e3779b9ULL * static_cast<uint64_t>(topics_.size() + 1)),
                                                config_.batch_size);
  std::vector<std::string> in_names;
  for (int32_t i = 0; i < partitions; ++i) in_names.push_back("in_" + std::to_string(i));
  t.series = std::make_unique<TimeSeries>(config_.bucket, in_names,
                                          std::vector<TimeSeries::LevelSpec>{},
                                          KafkaSim::kMaxSeriesBuckets);
  // Kafka's rack-unaware placement over the sorted live brokers.
  const uint32_t n = static_cast<uint32_t>(live.size());
  const uint32_t start = static_cast<uint32_t>(rng_.Below(n));
  uint32_t shift = static_cast<uint32_t>(rng_.Below(n));
  Json listed = Json::array();
  for (int32_t i = 0; i < partitions; ++i) {
    if (i > 0 && static_cast<uint32_t>(i) % n == 0) ++shift;
    const uint32_t first = (static_cast<uint32_t>(i) + start) % n;
    Partition part;
    part.topic = static_cast<uint32_t>(topics_.size());
    part.index = i;
    part.replicas.push_back({live[first], 0, events_.now()});
    for (int32_t j = 0; j + 1 < replication; ++j) {
      part.replicas.push_back({live[ReplicaIndex(first, shift, static_cast<uint32_t>(j), n)], 0,
                               events_.now()});
    }
    for (const Replica& r : part.replicas) part.isr.push_back(r.broker);
    part.leader = part.replicas.front().broker;
    Json replicas = part.isr;
    listed.push_back({{"partition", i}, {"leader", part.leader}, {"replicas", replicas},
                      {"isr", replicas}});
    partitions_.push_back(std::move(part));
  }
  topics_.push_back(std::move(t));
  events_.Note("topic " + name + " created: " + std::to_string(partitions) + " partitions x " +
               std::to_string(replication) + " replicas");
  return Json{{"topic", name}, {"partitions", listed}, {"min_insync_replicas", min_isr}};
}

void KafkaModel::UpdateHighWatermark(uint32_t p) {
  Partition& part = partitions_[p];
  if (part.offline()) return;
  int64_t low = part.log.end();
  for (const Replica& r : part.replicas) {
    if (part.InIsr(r.broker)) low = std::min(low, r.leo);
  }
  part.hw = std::max(part.hw, low);
}

void KafkaModel::CutLog(uint32_t p, int64_t new_end) {
  Partition& part = partitions_[p];
  const PartitionLog::Cut cut = part.log.TruncateTo(new_end);
  counters_.lost += static_cast<uint64_t>(cut.records);
  counters_.lost_acked += static_cast<uint64_t>(cut.acked);
  part.lost += static_cast<uint64_t>(cut.records);
  for (Replica& r : part.replicas) {
    if (brokers_[r.broker - 1].alive) {
      r.leo = std::min(r.leo, new_end);
    } else if (r.leo > new_end) {
      r.diverged = std::min(r.diverged, new_end);  // it still holds the cut records
    }
  }
  part.hw = std::min(part.hw, new_end);
  // Batches with records past the cut never get a good answer.
  std::deque<InFlight> kept;
  for (InFlight& b : part.in_flight) {
    if (b.end > new_end) {
      FailRecords(b.created.size(), "NOT_LEADER_OR_FOLLOWER");
    } else {
      kept.push_back(std::move(b));
    }
  }
  part.in_flight = std::move(kept);
  for (auto& [name, g] : groups_) {
    auto it = g.parts.find(p);
    if (it != g.parts.end() && it->second.processed_end > new_end) {
      it->second.processed_end = new_end;
    }
  }
  if (cut.records > 0) {
    events_.Note(PartitionName(p) + ": log cut to offset " + std::to_string(new_end) + ", " +
                 std::to_string(cut.records) + " records lost (" + std::to_string(cut.acked) +
                 " of them acknowledged)");
  }
}

void KafkaModel::Elect(uint32_t p, Json* elections, Json* offline) {
  Partition& part = partitions_[p];
  const int32_t old = part.leader;
  std::vector<int32_t> live_isr;
  for (const Replica& r : part.replicas) {
    if (part.InIsr(r.broker) && brokers_[r.broker - 1].alive) live_isr.push_back(r.broker);
  }
  int32_t chosen = kNoLeader;
  bool clean = true;
  if (!live_isr.empty()) {
    chosen = live_isr.front();
    part.isr = live_isr;
  } else if (config_.unclean_leader_election) {
    for (const Replica& r : part.replicas) {
      if (brokers_[r.broker - 1].alive) {
        chosen = r.broker;
        break;
      }
    }
    clean = false;
    if (chosen != kNoLeader) part.isr = {chosen};
  }
  // A leader that dies before answering leaves acks=0/1 producers with an error.
  std::deque<InFlight> kept;
  for (InFlight& b : part.in_flight) {
    if (b.acks != KafkaAcks::kAll && b.answer_at > events_.now()) {
      FailRecords(b.created.size(), "NOT_LEADER_OR_FOLLOWER");
    } else {
      kept.push_back(std::move(b));
    }
  }
  part.in_flight = std::move(kept);
  if (chosen != old) ++part.epoch;
  part.leader = chosen;
  if (chosen == kNoLeader) {
    if (old != kNoLeader) {
      offline->push_back(PartitionName(p));
      events_.Note(PartitionName(p) + " is offline: no live in-sync replica" +
                   (config_.unclean_leader_election ? "" : " (unclean election is off)"));
    }
    return;
  }
  ++counters_.elections;
  if (!clean) ++counters_.unclean_elections;
  Replica* leader = part.FindReplica(chosen);
  leader->leo = std::max(std::min(leader->leo, leader->diverged), part.log.start());
  leader->diverged = INT64_MAX;
  const int64_t before = static_cast<int64_t>(part.lost);
  if (leader->leo < part.log.end()) CutLog(p, leader->leo);
  for (Replica& r : part.replicas) {
    if (part.InIsr(r.broker)) r.last_caught_up = events_.now();
  }
  UpdateHighWatermark(p);
  elections->push_back({{"partition", PartitionName(p)}, {"from", old}, {"to", chosen},
                        {"clean", clean}, {"lost", static_cast<int64_t>(part.lost) - before}});
  events_.Note(PartitionName(p) + ": broker " + std::to_string(chosen) + " elected leader" +
               (clean ? " from the ISR" : " UNCLEANLY (not in sync)"));
  Settle(p);
}

Result<Json> KafkaModel::KillBroker(int32_t id) {
  SDP_RETURN_IF_ERROR(CheckBroker("kill_broker", id));
  Broker& b = brokers_[id - 1];
  if (!b.alive) {
    return Status::Invalid("kill_broker: field \"id\": broker " + std::to_string(id) +
                           " is already down");
  }
  b.alive = false;
  events_.Note("broker " + std::to_string(id) + " killed");
  Json elections = Json::array(), offline = Json::array(), removed = Json::array();
  for (uint32_t p = 0; p < partitions_.size(); ++p) {
    Partition& part = partitions_[p];
    if (part.FindReplica(id) == nullptr) continue;
    if (part.leader == id) {
      Elect(p, &elections, &offline);
    } else if (part.InIsr(id) && part.isr.size() > 1) {
      part.isr.erase(std::find(part.isr.begin(), part.isr.end(), id));
      removed.push_back(PartitionName(p));
      UpdateHighWatermark(p);
      Settle(p);
    }
  }
  return Json{{"broker", id}, {"elections", elections}, {"offline", offline},
              {"isr_removed", removed}};
}

Result<Json> KafkaModel::StartBroker(int32_t id) {
  SDP_RETURN_IF_ERROR(CheckBroker("start_broker", id));
  Broker& b = brokers_[id - 1];
  if (b.alive) {
    return Status::Invalid("start_broker: field \"id\": broker " + std::to_string(id) +
                           " is already running");
  }
  b.alive = true;
  b.busy_until = events_.now();
  events_.Note("broker " + std::to_string(id) + " started");
  Json truncated = Json::array(), elections = Json::array(), online = Json::array(),
       none = Json::array();
  for (uint32_t p = 0; p < partitions_.size(); ++p) {
    Partition& part = partitions_[p];
    Replica* r = part.FindReplica(id);
    if (r == nullptr) continue;
    if (part.offline()) {
      Elect(p, &elections, &none);
      if (!part.offline()) online.push_back(PartitionName(p));
      if (part.leader == id) continue;
    }
    // A returning follower truncates by leader epoch (KIP-101, Kafka 0.11+;
    // AbstractFetcherThread.truncateToEpochEndOffsets): the leader answers
    // OffsetsForLeaderEpoch with where the follower's last epoch ends on its
    // log, so records the leader holds in the same epoch are kept, even above
    // HW. Only what lies past a cut made while it was down (the log diverged
    // there) goes; then it fetches.
    const int64_t keep = std::max(std::min(r->leo, r->diverged), part.log.start());
    r->diverged = INT64_MAX;
    if (keep < r->leo) {
      truncated.push_back({{"partition", PartitionName(p)}, {"from", r->leo}, {"to", keep}});
    }
    r->leo = keep;
  }
  return Json{{"broker", id}, {"truncated", truncated}, {"elections", elections},
              {"online", online}};
}

Result<Json> KafkaModel::StallBroker(int32_t id, bool stalled) {
  SDP_RETURN_IF_ERROR(CheckBroker("stall_broker", id));
  Broker& b = brokers_[id - 1];
  if (b.stalled != stalled) {
    b.stalled = stalled;
    events_.Note("broker " + std::to_string(id) +
                 (stalled ? " stalled: its followers stop fetching" : " fetching again"));
  }
  return Json{{"broker", id}, {"stalled", stalled}};
}

void KafkaModel::ReplicationTick() {
  const SimTime now = events_.now();
  for (uint32_t p = 0; p < partitions_.size(); ++p) {
    Partition& part = partitions_[p];
    if (part.offline()) continue;
    const int64_t end = part.log.end();
    bool changed = false;
    for (Replica& r : part.replicas) {
      if (r.broker == part.leader) continue;
      const Broker& b = brokers_[r.broker - 1];
      if (!b.alive || b.stalled) continue;
      ++work_;
      // Out of range below log start: Kafka restarts the follower there.
      r.leo = std::clamp(r.leo, part.log.start(), end);
      r.leo = part.log.FetchEnd(r.leo, static_cast<uint64_t>(config_.replica_fetch_max_bytes));
      if (r.leo == end) r.last_caught_up = now;
      if (!part.InIsr(r.broker) && r.leo >= part.hw) {
        r.last_caught_up = now;
        std::vector<int32_t> isr;
        for (const Replica& q : part.replicas) {
          if (q.broker == r.broker || part.InIsr(q.broker)) isr.push_back(q.broker);
        }
        part.isr = std::move(isr);
        ++counters_.isr_expands;
        changed = true;
        events_.Note(PartitionName(p) + ": broker " + std::to_string(r.broker) + " back in the ISR");
      }
    }
    for (const Replica& r : part.replicas) {
      if (r.broker == part.leader || !part.InIsr(r.broker)) continue;
      if (now - r.last_caught_up > config_.replica_lag_time_max) {
        part.isr.erase(std::find(part.isr.begin(), part.isr.end(), r.broker));
        ++counters_.isr_shrinks;
        changed = true;
        events_.Note(PartitionName(p) + ": broker " + std::to_string(r.broker) +
                     " dropped from the ISR (behind for more than replica.lag.time.max.ms)");
      }
    }
    const int64_t hw = part.hw;
    UpdateHighWatermark(p);
    if (changed || part.hw != hw || !part.in_flight.empty()) Settle(p);
  }
}

}  // namespace sdp::kafka::internal

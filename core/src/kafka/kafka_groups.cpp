// Consumer groups: membership and rebalancing with Kafka's assignors, positions
// and committed offsets, polling, crashes, and the per-group checkers
// (duplicates, skipped / expired records, per-key ordering).
#include <algorithm>
#include <string>

#include "kafka/kafka_model.h"

namespace sdp::kafka::internal {
namespace {

constexpr uint32_t kRecordsListed = 100;
constexpr size_t kViolationsKept = 10;

}  // namespace

Group* KafkaModel::FindGroup(const std::string& name) {
  auto it = groups_.find(name);
  return it == groups_.end() ? nullptr : &it->second;
}

Result<Consumer*> KafkaModel::FindMember(const char* op, const std::string& group,
                                         const std::string& id) {
  Group* g = FindGroup(group);
  if (g == nullptr || g->members.count(id) == 0) {
    return Status::Invalid(std::string(op) + ": UNKNOWN_MEMBER_ID: field \"id\": \"" + id +
                           "\" is not a member of group \"" + group + "\"");
  }
  return &g->members.at(id);
}

Status KafkaModel::CheckNewGroup(const char* op, const std::string& group) const {
  if (groups_.count(group) == 0 && static_cast<int32_t>(groups_.size()) >= KafkaSim::kMaxGroups) {
    return Status::Invalid(std::string(op) + ": field \"group\": this sim holds at most " +
                           std::to_string(KafkaSim::kMaxGroups) + " groups");
  }
  return Status::Ok();
}

Group& KafkaModel::GetOrCreateGroup(const std::string& name) {
  auto [it, inserted] = groups_.try_emplace(name);
  if (inserted) {
    it->second.name = name;
    it->second.assignor = config_.assignor;
  }
  return it->second;
}

int64_t KafkaModel::ResetOffset(uint32_t p) const {
  return config_.reset_earliest ? partitions_[p].log.start() : partitions_[p].hw;
}

int64_t KafkaModel::Lag(const GroupPartition& gp, uint32_t p) const {
  const Partition& part = partitions_[p];
  const int64_t from = gp.position >= 0 ? gp.position
                       : gp.committed >= 0 ? gp.committed
                                           : part.log.start();
  return std::max<int64_t>(0, part.hw - from);
}

void KafkaModel::SetPosition(Group& g, uint32_t p, int64_t position) {
  GroupPartition& gp = g.parts[p];
  const int64_t start = partitions_[p].log.start();
  if (gp.processed_end < 0) {
    gp.processed_end = position;  // where this group begins: nothing skipped yet
  } else if (position > gp.processed_end) {
    const uint64_t expired = static_cast<uint64_t>(std::max<int64_t>(0, std::min(position, start) - gp.processed_end));
    const uint64_t skipped = static_cast<uint64_t>(std::max<int64_t>(0, position - std::max(gp.processed_end, start)));
    g.expired += expired;
    g.skipped += skipped;
    counters_.expired += expired;
    counters_.skipped += skipped;
    gp.processed_end = position;
  }
  gp.position = position;
}

void KafkaModel::CommitPositions(Group& g, const Consumer& c) {
  for (uint32_t p : c.owned) {
    GroupPartition& gp = g.parts[p];
    if (gp.position >= 0) gp.committed = gp.position;
  }
}

Json KafkaModel::Rebalance(Group& g, const std::string& reason, const std::string& gone) {
  std::map<std::string, int32_t> counts;
  for (const Topic& t : topics_) counts[t.name] = t.partitions;
  Assignment before;
  for (const auto& [p, gp] : g.parts) {
    if (!gp.owner.empty()) {
      before[gp.owner].push_back({topics_[partitions_[p].topic].name, partitions_[p].index});
    }
  }
  for (auto& [id, list] : before) std::sort(list.begin(), list.end());
  std::vector<Member> members;
  for (const auto& [id, c] : g.members) {
    auto it = before.find(id);
    members.push_back({id, c.topics, it == before.end() ? std::vector<TopicPartition>{} : it->second});
  }
  const Assignment after = Assign(g.assignor, counts, members);
  const int32_t moves = CountMoves(before, after);
  const bool cooperative = IsCooperative(g.assignor);
  std::map<uint32_t, std::string> owner_after;
  for (const auto& [id, list] : after) {
    for (const TopicPartition& tp : list) owner_after[FindTopic(tp.topic)->first + static_cast<uint32_t>(tp.partition)] = id;
  }
  std::map<uint32_t, std::string> owner_before;
  for (const auto& [p, gp] : g.parts) {
    if (!gp.owner.empty()) owner_before[p] = gp.owner;
  }
  Json revoked = Json::array();
  for (auto& [p, gp] : g.parts) {
    if (gp.owner.empty()) continue;
    auto it = owner_after.find(p);
    const bool keeps = it != owner_after.end() && it->second == gp.owner;
    if (cooperative && keeps) continue;
    // A graceful revocation commits first (auto-commit on rebalance).
    if (gp.owner != gone && config_.enable_auto_commit && gp.position >= 0) gp.committed = gp.position;
    revoked.push_back(PartitionName(p));
    gp.owner.clear();
    gp.position = -1;
  }
  Json assignment = Json::object();
  for (auto& [id, c] : g.members) c.owned.clear();
  for (const auto& [p, id] : owner_after) {
    g.members.at(id).owned.push_back(p);
    GroupPartition& gp = g.parts[p];
    if (gp.owner == id) continue;
    gp.owner = id;
    const bool valid = gp.committed >= 0 && gp.committed >= partitions_[p].log.start() &&
                       gp.committed <= partitions_[p].log.end();
    SetPosition(g, p, valid ? gp.committed : ResetOffset(p));
  }
  for (const auto& [id, c] : g.members) {
    Json names = Json::array();
    for (uint32_t p : c.owned) names.push_back(PartitionName(p));
    assignment[id] = names;
  }
  // Cooperative protocol (KIP-429): CooperativeStickyAssignor.adjustAssignment
  // holds back every partition that a member of this rebalance still owns and
  // must hand over; that member revokes it in ConsumerCoordinator.onJoinComplete
  // and rejoins ("need to revoke partitions and re-join"), and the second round
  // assigns it. Partitions of a member that left or crashed, or that nobody
  // owned, are assigned in the first round: a first join, a leave or a crash
  // takes one round.
  bool handover = false;
  if (cooperative) {
    for (const auto& [p, id] : owner_before) {
      auto it = owner_after.find(p);
      if (g.members.count(id) != 0 && (it == owner_after.end() || it->second != id)) handover = true;
    }
  }
  const uint32_t rounds = handover ? 2 : 1;
  g.generation += rounds;
  ++g.rebalances;
  g.moves += static_cast<uint64_t>(moves);
  g.last_rebalance = {{"group", g.name},
                      {"reason", reason},
                      {"generation", g.generation},
                      {"assignor", AssignorName(g.assignor)},
                      {"protocol", cooperative ? "cooperative" : "eager"},
                      {"rounds", rounds},
                      {"moves", moves},
                      {"revoked", revoked},
                      {"assignment", assignment}};
  events_.Note("group " + g.name + " rebalanced (" + reason + "): " + std::to_string(moves) +
               " partitions moved");
  return g.last_rebalance;
}

Result<Json> KafkaModel::Join(const std::string& group, const std::string& id,
                              const std::optional<std::string>& topic, int64_t rate) {
  if (topic && FindTopic(*topic) == nullptr) {
    return Status::Invalid("consumer_join: UNKNOWN_TOPIC_OR_PARTITION: field \"topic\": no topic \"" +
                           *topic + "\"");
  }
  if (!topic && topics_.empty()) {
    return Status::Invalid("consumer_join: UNKNOWN_TOPIC_OR_PARTITION: field \"topic\": no topics "
                           "exist yet; create_topic first");
  }
  SDP_RETURN_IF_ERROR(CheckNewGroup("consumer_join", group));
  if (const Group* g = FindGroup(group); g != nullptr) {
    if (g->members.count(id) != 0) {
      return Status::Invalid("consumer_join: field \"id\": \"" + id +
                             "\" is already a member of group \"" + group + "\"");
    }
    if (static_cast<int32_t>(g->members.size()) >= KafkaSim::kMaxMembersPerGroup) {
      return Status::Invalid("consumer_join: field \"id\": a group holds at most " +
                             std::to_string(KafkaSim::kMaxMembersPerGroup) + " members here");
    }
  }
  Group& g = GetOrCreateGroup(group);
  Consumer c;
  c.rate = rate;
  for (const Topic& t : topics_) {
    if (topic && t.name != *topic) continue;
    c.topics.push_back(t.name);
    const uint32_t index = static_cast<uint32_t>(&t - topics_.data());
    for (int32_t i = 0; i < t.partitions; ++i) g.parts.try_emplace(t.first + static_cast<uint32_t>(i));
    EnsureGroupSeries(g, index);
  }
  g.members.emplace(id, std::move(c));
  return Rebalance(g, id + " joined", "");
}

Result<Json> KafkaModel::Leave(const std::string& group, const std::string& id) {
  Result<Consumer*> c = FindMember("consumer_leave", group, id);
  if (!c.ok()) return c.status();
  Group& g = *FindGroup(group);
  if (config_.enable_auto_commit) CommitPositions(g, *c.value());
  g.members.erase(id);
  return Rebalance(g, id + " left", id);
}

Result<Json> KafkaModel::SetAssignor(const std::string& group, AssignorKind kind) {
  SDP_RETURN_IF_ERROR(CheckNewGroup("assignor", group));
  Group& g = GetOrCreateGroup(group);
  g.assignor = kind;
  if (!g.members.empty()) return Rebalance(g, "assignor " + std::string(AssignorName(kind)), "");
  return Json{{"group", group}, {"generation", g.generation}, {"assignor", AssignorName(kind)},
              {"protocol", IsCooperative(kind) ? "cooperative" : "eager"}, {"rounds", 0},
              {"moves", 0}, {"revoked", Json::array()}, {"assignment", Json::object()}};
}

void KafkaModel::ProcessRecord(Group& g, GroupPartition& gp, uint32_t p, int64_t offset) {
  ++g.processed;
  ++gp.consumed;
  ++counters_.consumed;
  if (offset < gp.processed_end) {
    ++g.duplicates;
    ++counters_.duplicates;
    return;
  }
  gp.processed_end = offset + 1;
  const PartitionLog& log = partitions_[p].log;
  const uint32_t key = log.Key(offset);
  if (key == kNoKey) return;
  const uint32_t logical = LogicalKey(key);
  const uint32_t seq = log.Seq(offset);
  if (g.max_seq_plus1.size() <= logical) g.max_seq_plus1.resize(key_names_.size(), 0);
  uint32_t& seen = g.max_seq_plus1[logical];
  if (seen <= seq) {
    seen = seq + 1;
    return;
  }
  ++g.out_of_order;
  ++counters_.out_of_order;
  g.violations.push_back({events_.now(), logical, seq, seen - 1, p, offset});
  if (g.violations.size() > kViolationsKept) g.violations.pop_front();
}

int64_t KafkaModel::Fetch(Group& g, Consumer& c, int64_t max, bool process, Json* listed,
                          Json* resets) {
  if (c.owned.empty()) return 0;
  const size_t n = c.owned.size();
  const size_t first = c.cursor++ % n;
  int64_t taken = 0;
  for (size_t k = 0; k < n && taken < max; ++k) {
    const uint32_t p = c.owned[(first + k) % n];
    const Partition& part = partitions_[p];
    if (part.offline()) continue;
    GroupPartition& gp = g.parts[p];
    if (gp.position < part.log.start() || gp.position > part.log.end()) {  // OFFSET_OUT_OF_RANGE
      const int64_t to = ResetOffset(p);
      if (resets != nullptr) resets->push_back({{"partition", PartitionName(p)}, {"from", gp.position}, {"to", to}});
      ++g.resets;
      SetPosition(g, p, to);
    }
    const int64_t end = std::min(part.hw, gp.position + (max - taken));
    for (int64_t o = gp.position; o < end; ++o) {
      if (process) ProcessRecord(g, gp, p, o);
      if (listed != nullptr && listed->size() < kRecordsListed) listed->push_back(RecordJson(p, o));
    }
    if (end > gp.position) {
      taken += end - gp.position;
      if (process) c.processed += static_cast<uint64_t>(end - gp.position);
      gp.position = end;
    }
  }
  work_ += static_cast<uint64_t>(taken) + n;
  return taken;
}

Result<Json> KafkaModel::Poll(const std::string& group, const std::string& id, int64_t max) {
  Result<Consumer*> c = FindMember("poll", group, id);
  if (!c.ok()) return c.status();
  Json listed = Json::array(), resets = Json::array();
  const int64_t n = Fetch(*FindGroup(group), *c.value(), max, true, &listed, &resets);
  return Json{{"group", group}, {"member", id}, {"count", n}, {"records", listed}, {"resets", resets}};
}

// Kafka's group coordinator validates an offset commit by member id and
// generation only (GroupCoordinator.validateOffsetCommit; the KIP-848
// coordinator checks the member epoch the same way): a member of the current
// generation may commit any partition, owned or not. Without "offset" a member
// commits its own positions (commitSync()); a partition it does not own has no
// position here, so it needs an explicit "offset" (commitSync(Map)).
Result<Json> KafkaModel::Commit(const std::string& group, const std::string& id,
                                const std::optional<std::string>& topic,
                                std::optional<int32_t> partition, std::optional<int64_t> offset) {
  Result<Consumer*> found = FindMember("commit", group, id);
  if (!found.ok()) return found.status();
  const Consumer& c = *found.value();
  Group& g = *FindGroup(group);
  if (offset && !partition) {
    return Status::Invalid("commit: field \"offset\" needs \"partition\" (an explicit offset "
                           "is committed for one partition)");
  }
  std::vector<uint32_t> targets;
  if (partition || topic) {
    std::string name = topic ? *topic : (c.topics.size() == 1 ? c.topics.front() : "");
    if (name.empty()) {
      return Status::Invalid("commit: field \"topic\" is needed with \"partition\" when the member "
                             "subscribes to several topics");
    }
    const Topic* t = FindTopic(name);
    if (t == nullptr || (partition && *partition >= t->partitions)) {
      return Status::Invalid("commit: UNKNOWN_TOPIC_OR_PARTITION: field \"" +
                             std::string(t == nullptr ? "topic" : "partition") + "\": " + name +
                             (partition ? "-" + std::to_string(*partition) : "") + " does not exist");
    }
    if (partition) {
      const uint32_t p = t->first + static_cast<uint32_t>(*partition);
      const bool owned = g.parts.count(p) != 0 && g.parts.at(p).owner == id;
      if (!owned && !offset) {
        return Status::Invalid("commit: field \"offset\" is needed: " + PartitionName(p) +
                               " is not assigned to \"" + id +
                               "\", so there is no position to commit (Kafka accepts an explicit "
                               "offset for it from any current member)");
      }
      targets.push_back(p);
    } else {
      for (uint32_t p : c.owned) {
        if (partitions_[p].topic == static_cast<uint32_t>(t - topics_.data())) targets.push_back(p);
      }
    }
  } else {
    targets = c.owned;
  }
  Json committed = Json::object();
  for (uint32_t p : targets) {
    GroupPartition& gp = g.parts[p];
    gp.committed = offset ? *offset : gp.position;
    committed[PartitionName(p)] = gp.committed;
  }
  return Json{{"group", group}, {"member", id}, {"committed", committed}};
}

Result<Json> KafkaModel::Crash(const std::string& group, const std::string& id,
                               bool after_commit, int64_t max) {
  Result<Consumer*> found = FindMember("crash_consumer", group, id);
  if (!found.ok()) return found.status();
  Consumer& c = *found.value();
  Group& g = *FindGroup(group);
  // at-most-once: commit, then die before processing; at-least-once: process,
  // then die before committing.
  const int64_t batch = Fetch(g, c, max, !after_commit, nullptr, nullptr);
  if (after_commit) CommitPositions(g, c);
  int64_t redeliver = 0;
  for (uint32_t p : c.owned) {
    const GroupPartition& gp = g.parts[p];
    const int64_t from = gp.committed >= 0 ? gp.committed : ResetOffset(p);
    redeliver += std::max<int64_t>(0, gp.processed_end - from);
  }
  g.members.erase(id);
  const std::string when = after_commit ? "after_commit" : "before_commit";
  events_.Note("consumer " + id + " of group " + group + " crashed " + when);
  Json rebalance = Rebalance(g, id + " crashed", id);
  return Json{{"group", group}, {"member", id}, {"when", when}, {"batch", batch},
              {"redeliver", redeliver}, {"lose", after_commit ? batch : 0}, {"rebalance", rebalance}};
}

void KafkaModel::ConsumeTick() {
  for (auto& [name, g] : groups_) {
    for (auto& [id, c] : g.members) {
      if (c.rate <= 0) continue;
      c.budget_milli += c.rate * (kConsumeTick / kMicrosPerMilli);
      const int64_t take = c.budget_milli / 1000;
      c.budget_milli -= take * 1000;  // an idle consumer does not bank its budget
      if (take > 0) Fetch(g, c, take, true, nullptr, nullptr);
    }
  }
}

void KafkaModel::AutoCommitTick() {
  for (auto& [name, g] : groups_) {
    for (const auto& [id, c] : g.members) CommitPositions(g, c);
  }
}

void KafkaModel::EnsureGroupSeries(Group& g, uint32_t topic) {
  if (g.series.count(topic) != 0) return;
  std::vector<std::string> consumed;
  std::vector<TimeSeries::LevelSpec> lags;
  for (int32_t i = 0; i < topics_[topic].partitions; ++i) {
    consumed.push_back("consumed_" + std::to_string(i));
    lags.push_back({"lag_" + std::to_string(i), TimeSeries::LevelKind::kLast});
  }
  g.series.emplace(topic, std::make_unique<TimeSeries>(config_.bucket, consumed, lags,
                                                        KafkaSim::kMaxSeriesBuckets));
}

}  // namespace sdp::kafka::internal

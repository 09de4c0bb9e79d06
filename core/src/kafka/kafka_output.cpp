// What the sim shows: the snapshot (shape documented in sdp/kafka_sim.h),
// chart columns and single records.
#include <string>

#include "kafka/kafka_model.h"

namespace sdp::kafka::internal {
namespace {

constexpr int64_t kTailShown = 16;
constexpr uint32_t kLogShownFull = 200;
constexpr uint32_t kLogShownSummary = 12;


int64_t Ms(SimTime t) { return t / kMicrosPerMilli; }

}  // namespace

Json KafkaModel::ConfigJson() const {
  const KafkaConfig& c = config_;
  return {{"brokers", c.brokers},
          {"replica_fetch_ms", Ms(c.replica_fetch)},
          {"replica_fetch_max_bytes", c.replica_fetch_max_bytes},
          {"replica_lag_time_max_ms", Ms(c.replica_lag_time_max)},
          {"min_insync_replicas", c.min_insync_replicas},
          {"unclean_leader_election_enable", c.unclean_leader_election},
          {"acks", AcksName(c.acks)},
          {"linger_ms", Ms(c.linger)},
          {"batch_size", c.batch_size},
          {"partitioner", KeylessName(c.partitioner)},
          {"broker_request_us", c.broker_request},
          {"retention_ms", c.retention_ms},
          {"retention_bytes", c.retention_bytes},
          {"segment_bytes", c.segment_bytes},
          {"segment_ms", Ms(c.segment)},
          {"retention_check_ms", Ms(c.retention_check)},
          {"auto_offset_reset", c.reset_earliest ? "earliest" : "latest"},
          {"enable_auto_commit", c.enable_auto_commit},
          {"auto_commit_interval_ms", Ms(c.auto_commit_interval)},
          {"max_poll_records", c.max_poll_records},
          {"assignor", AssignorName(c.assignor)},
          {"consume_rate", c.consume_rate},
          {"bucket_ms", Ms(c.bucket)}};
}

Json KafkaModel::CountersJson() const {
  const KafkaCounters& c = counters_;
  return {{"produced", c.produced},   {"sent", c.sent},
          {"batches", c.batches},     {"acked", c.acked},
          {"failed", c.failed},       {"lost", c.lost},
          {"lost_acked", c.lost_acked}, {"consumed", c.consumed},
          {"duplicates", c.duplicates}, {"out_of_order", c.out_of_order},
          {"skipped", c.skipped},     {"expired", c.expired},
          {"deleted", c.deleted},     {"elections", c.elections},
          {"unclean_elections", c.unclean_elections}, {"isr_shrinks", c.isr_shrinks},
          {"isr_expands", c.isr_expands}};
}

Json KafkaModel::RecordJson(uint32_t p, int64_t offset) const {
  const Partition& part = partitions_[p];
  const uint32_t key = part.log.Key(offset);
  const uint32_t value = part.log.Value(offset);
  return {{"topic", topics_[part.topic].name},
          {"partition", part.index},
          {"offset", offset},
          {"key", key == kNoKey ? Json(nullptr) : Json(key_names_[key])},
          {"value", value == kNoValue ? Json(nullptr) : Json(values_[value])},
          {"bytes", part.log.Bytes(offset)}};
}

Json KafkaModel::PartitionJson(uint32_t p) const {
  const Partition& part = partitions_[p];
  Json replicas = Json::array(), leo = Json::array(), tail = Json::array();
  for (const Replica& r : part.replicas) {
    replicas.push_back(r.broker);
    leo.push_back(r.leo);
  }
  for (int64_t o = std::max(part.log.start(), part.log.end() - kTailShown); o < part.log.end(); ++o) {
    const uint32_t key = part.log.Key(o);
    const uint32_t value = part.log.Value(o);
    tail.push_back({{"offset", o},
                    {"key", key == kNoKey ? Json(nullptr) : Json(key_names_[key])},
                    {"value", value == kNoValue ? Json(nullptr) : Json(values_[value])}});
  }
  uint64_t open = 0;
  for (const OpenBatch& b : part.open) open += b.records.empty() ? 0 : 1;
  return {{"partition", part.index},
          {"leader", part.leader},
          {"epoch", part.epoch},
          {"replicas", replicas},
          {"isr", part.isr},
          {"leo", leo},
          {"log_start", part.log.start()},
          {"log_end", part.log.end()},
          {"hw", part.hw},
          {"segments", part.log.segment_count()},
          {"bytes", part.log.bytes()},
          {"under_replicated", part.isr.size() < part.replicas.size()},
          {"offline", part.offline()},
          {"appended", part.appended},
          {"lost", part.lost},
          {"open_batches", open},
          {"in_flight", part.in_flight.size()},
          {"tail", tail}};
}

Json KafkaModel::GroupJson(const Group& g, bool full) const {
  Json members = Json::array();
  for (const auto& [id, c] : g.members) {
    Json owned = Json::array();
    for (uint32_t p : c.owned) owned.push_back(PartitionName(p));
    members.push_back({{"id", id}, {"topics", c.topics}, {"rate", c.rate}, {"partitions", owned},
                       {"processed", c.processed}});
  }
  Json parts = Json::array();
  for (const auto& [p, gp] : g.parts) {
    parts.push_back({{"partition", PartitionName(p)}, {"owner", gp.owner}, {"committed", gp.committed},
                     {"position", gp.position}, {"lag", Lag(gp, p)}});
  }
  Json violations = Json::array();
  for (const Violation& v : g.violations) {
    violations.push_back({{"t_ms", Ms(v.at)}, {"key", key_names_[v.key]}, {"seq", v.seq},
                          {"after_seq", v.after_seq}, {"partition", PartitionName(v.partition)},
                          {"offset", v.offset}});
  }
  Json out = {{"name", g.name},
              {"assignor", AssignorName(g.assignor)},
              {"protocol", IsCooperative(g.assignor) ? "cooperative" : "eager"},
              {"generation", g.generation},
              {"members", members},
              {"partitions", parts},
              {"counters",
               {{"processed", g.processed}, {"duplicates", g.duplicates},
                {"out_of_order", g.out_of_order}, {"skipped", g.skipped}, {"expired", g.expired},
                {"resets", g.resets}, {"rebalances", g.rebalances}, {"moves", g.moves}}},
              {"violations", violations},
              {"last_rebalance", g.last_rebalance}};
  if (full) {
    Json series = Json::object();
    for (const auto& [topic, s] : g.series) series[topics_[topic].name] = s->ToJson();
    out["series"] = series;
  }
  return out;
}

Json KafkaModel::Snapshot(bool full) const {
  Json brokers = Json::array();
  for (const Broker& b : brokers_) {
    uint32_t leaders = 0, replicas = 0;
    for (const Partition& part : partitions_) {
      leaders += part.leader == b.id ? 1 : 0;
      for (const Replica& r : part.replicas) replicas += r.broker == b.id ? 1 : 0;
    }
    brokers.push_back({{"id", b.id}, {"alive", b.alive}, {"stalled", b.stalled},
                       {"leaders", leaders}, {"replicas", replicas}});
  }
  Json topics = Json::array();
  for (const Topic& t : topics_) {
    Json parts = Json::array();
    for (int32_t i = 0; i < t.partitions; ++i) parts.push_back(PartitionJson(t.first + static_cast<uint32_t>(i)));
    Json topic = {{"name", t.name}, {"replication", t.replication}, {"min_insync_replicas", t.min_isr},
                  {"stream", StreamJson(t)}, {"partitions", parts}};
    if (full) topic["series"] = t.series->ToJson();
    topics.push_back(std::move(topic));
  }
  Json groups = Json::array();
  for (const auto& [name, g] : groups_) groups.push_back(GroupJson(g, full));
  uint64_t open = 0, in_flight = 0;
  for (const Partition& part : partitions_) {
    for (const OpenBatch& b : part.open) open += b.records.empty() ? 0 : 1;
    in_flight += part.in_flight.size();
  }
  Json errors = Json::object();
  for (const auto& [name, n] : errors_) errors[name] = n;
  Json out = {{"time_ms", static_cast<double>(events_.now()) / kMicrosPerMilli},
              {"config", ConfigJson()},
              {"brokers", brokers},
              {"topics", topics},
              {"groups", groups},
              {"producer",
               {{"acks", AcksName(config_.acks)}, {"linger_ms", Ms(config_.linger)},
                {"batch_size", config_.batch_size}, {"partitioner", KeylessName(config_.partitioner)},
                {"open_batches", open}, {"in_flight", in_flight}}},
              {"counters", CountersJson()},
              {"errors", errors},
              {"log", events_.log().ToJson(full ? kLogShownFull : kLogShownSummary)}};
  if (full) out["series"] = series_.ToJson();
  return out;
}

std::vector<uint32_t> KafkaModel::Column(std::string_view name) const {
  auto take = [&name](std::string_view prefix) {
    if (name.substr(0, prefix.size()) != prefix) return false;
    name.remove_prefix(prefix.size());
    return true;
  };
  if (take("series:")) return series_.Column(name);
  // The column is after the last ':', the topic before it (topic names have no ':').
  const size_t last = name.rfind(':');
  if (last == std::string_view::npos) return {};
  const std::string_view column = name.substr(last + 1);
  if (take("topic:")) {
    const Topic* t = FindTopic(std::string(name.substr(0, name.rfind(':'))));
    return t == nullptr ? std::vector<uint32_t>{} : t->series->Column(column);
  }
  if (take("group:")) {
    const std::string_view rest = name.substr(0, name.rfind(':'));
    const size_t split = rest.rfind(':');
    if (split == std::string_view::npos) return {};
    const auto g = groups_.find(std::string(rest.substr(0, split)));
    const Topic* t = FindTopic(std::string(rest.substr(split + 1)));
    if (g == groups_.end() || t == nullptr) return {};
    const auto s = g->second.series.find(static_cast<uint32_t>(t - topics_.data()));
    return s == g->second.series.end() ? std::vector<uint32_t>{} : s->second->Column(column);
  }
  return {};
}

std::optional<KafkaRecord> KafkaModel::RecordAt(const std::string& topic, int32_t partition,
                                                int64_t offset) const {
  const Topic* t = FindTopic(topic);
  if (t == nullptr || partition < 0 || partition >= t->partitions) return std::nullopt;
  const PartitionLog& log = partitions_[t->first + static_cast<uint32_t>(partition)].log;
  if (offset < log.start() || offset >= log.end()) return std::nullopt;
  KafkaRecord r;
  r.offset = offset;
  const uint32_t key = log.Key(offset);
  const uint32_t value = log.Value(offset);
  r.has_key = key != kNoKey;
  if (r.has_key) r.key = key_names_[key];
  r.has_value = value != kNoValue;
  if (r.has_value) r.value = values_[value];
  r.key_seq = log.Seq(offset);
  r.acked = log.Acked(offset);
  return r;
}

}  // namespace sdp::kafka::internal

// The cluster's state changes: nodes, the index and its shard copies,
// writes, node loss and recovery, health. The search is cluster_search.cpp.
#include "sdp/search/cluster.h"

#include <algorithm>

#include "sdp/search/routing.h"
#include "sdp/step_budget.h"

namespace sdp::search {

Cluster::Cluster(Mapping mapping, Bm25Params bm25, MergePolicy merge_policy, uint64_t seed)
    : mapping_(std::move(mapping)), bm25_(bm25), merge_policy_(merge_policy), rng_(seed) {}

Result<Json> Cluster::AddNodes(uint32_t count, bool master, bool data, bool ingest) {
  if (nodes_.size() + count > kMaxNodes) {
    return Status::Invalid("nodes: field \"count\": the cluster would have " + std::to_string(nodes_.size() + count) +
                           " nodes; this model allows at most " + std::to_string(kMaxNodes));
  }
  Json added = Json::array();
  for (uint32_t i = 0; i < count; ++i) {
    ClusterNode n;
    n.name = "node-" + std::to_string(nodes_.size() + 1);
    n.master_eligible = master;
    n.data = data;
    n.ingest = ingest;
    added.push_back(n.name);
    nodes_.push_back(std::move(n));
  }
  Json out = {{"added", std::move(added)}};
  // A new data node takes the copies still waiting for one.
  if (has_index_ && data) out["allocation"] = Reallocate(true);
  return out;
}

int32_t Cluster::Master() const {
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].up && nodes_[i].master_eligible) return static_cast<int32_t>(i);
  }
  return -1;
}

uint32_t Cluster::CopiesOn(int32_t node) const {
  uint32_t n = 0;
  for (const auto& shard : copies_) {
    for (const ShardCopy& c : shard) n += (c.active && c.node == node) ? 1 : 0;
  }
  return n;
}

// The live data node with the fewest active copies and no copy of `shard`;
// ties go to the first such node after the primary's (so that replicas
// spread instead of piling on node-1).
int32_t Cluster::PickNode(uint32_t shard) const {
  const ShardCopy* primary = ActivePrimaryOf(shard);
  const size_t start = primary == nullptr ? 0 : static_cast<size_t>(primary->node) + 1;
  int32_t best = -1;
  uint32_t best_load = 0;
  for (size_t k = 0; k < nodes_.size(); ++k) {
    const size_t i = (start + k) % nodes_.size();
    const ClusterNode& n = nodes_[i];
    if (!n.up || !n.data) continue;
    bool holds = false;
    for (const ShardCopy& c : copies_[shard]) holds = holds || (c.active && c.node == static_cast<int32_t>(i));
    if (holds) continue;
    const uint32_t load = CopiesOn(static_cast<int32_t>(i));
    if (best < 0 || load < best_load) {
      best = static_cast<int32_t>(i);
      best_load = load;
    }
  }
  return best;
}

std::string Cluster::Label(const ShardCopy& c) const {
  return (c.primary ? "P" : "R") + std::to_string(c.shard);
}

Result<Json> Cluster::CreateIndex(uint32_t shards, uint32_t replicas) {
  if (has_index_) {
    return Status::Invalid(std::string("create_index: [resource_already_exists_exception] index [") + kIndexName +
                           "] already exists");
  }
  if (Master() < 0) {
    return Status::Invalid("create_index: [master_not_discovered_exception] no live master-eligible node");
  }
  has_index_ = true;
  shards_ = shards;
  replicas_ = replicas;
  routing_num_shards_ = NumRoutingShards(shards);
  copies_.assign(shards, {});
  rotation_.assign(shards, 0);
  for (uint32_t s = 0; s < shards; ++s) {
    for (uint32_t r = 0; r <= replicas; ++r) {
      copies_[s].push_back(ShardCopy{s, r == 0, -1, false, true, 0, Index(mapping_, merge_policy_, true)});
    }
  }
  // Primaries first (an empty primary starts as a new copy), then replicas.
  for (uint32_t s = 0; s < shards; ++s) {
    ShardCopy& p = copies_[s][0];
    p.node = PickNode(s);
    p.active = p.node >= 0;
    p.uid = next_uid_++;
  }
  Json allocation = Reallocate(true);
  return Json{{"acknowledged", true},
              {"index", kIndexName},
              {"number_of_shards", shards},
              {"number_of_replicas", replicas},
              {"number_of_routing_shards", routing_num_shards_},
              {"routing_factor", routing_num_shards_ / shards},
              {"allocation", std::move(allocation)},
              {"health", Health()}};
}

ShardCopy* Cluster::ActivePrimary(uint32_t shard) {
  for (ShardCopy& c : copies_[shard]) {
    if (c.primary && c.active) return &c;
  }
  return nullptr;
}

const ShardCopy* Cluster::ActivePrimaryOf(uint32_t shard) const {
  for (const ShardCopy& c : copies_[shard]) {
    if (c.primary && c.active) return &c;
  }
  return nullptr;
}

// Promotes in-sync replicas of lost primaries; with allocate_replicas, also
// recovers every unassigned copy it can (from the primary).
Json Cluster::Reallocate(bool allocate_replicas) {
  Json events = Json::array();
  if (Master() < 0) return events;  // only a master changes the routing table
  for (uint32_t s = 0; s < shards_; ++s) {
    std::vector<ShardCopy>& copies = copies_[s];
    if (ActivePrimary(s) == nullptr) {
      ShardCopy* old = nullptr;
      for (ShardCopy& c : copies) old = c.primary ? &c : old;
      ShardCopy* next = nullptr;
      for (ShardCopy& c : copies) {
        if (next == nullptr && c.active && c.in_sync) next = &c;
      }
      if (next == nullptr) {
        // A stale-free copy on a node that came back: it is the primary again.
        for (ShardCopy& c : copies) {
          if (next == nullptr && !c.active && c.in_sync && c.node >= 0 && nodes_[static_cast<size_t>(c.node)].up) next = &c;
        }
        if (next != nullptr) next->active = true;
      }
      bool never_allocated = true;
      for (const ShardCopy& c : copies) never_allocated = never_allocated && c.uid == 0;
      if (next == nullptr && never_allocated) {
        // A new index whose primary found no data node: an empty primary now.
        const int32_t target = PickNode(s);
        if (target >= 0) {
          next = &copies[0];
          next->node = target;
          next->active = true;
          next->uid = next_uid_++;
        }
      }
      if (next != nullptr && next != old) {
        if (old != nullptr) old->primary = false;
        next->primary = true;
        promotions_ += 1;
        events.push_back({{"event", "promoted"}, {"shard", s}, {"node", nodes_[static_cast<size_t>(next->node)].name}});
      } else if (next != nullptr) {
        events.push_back({{"event", "primary back"}, {"shard", s}, {"node", nodes_[static_cast<size_t>(next->node)].name}});
      }
    }
    const ShardCopy* primary = ActivePrimary(s);
    if (!allocate_replicas || primary == nullptr) continue;
    for (ShardCopy& c : copies) {
      if (c.active) continue;
      const bool back = c.node >= 0 && nodes_[static_cast<size_t>(c.node)].up && nodes_[static_cast<size_t>(c.node)].data;
      const int32_t target = back ? c.node : PickNode(s);
      if (target < 0) continue;
      // Peer recovery: the replica copies the primary's segments.
      c.index = primary->index;
      StepBudget::Charge(1 + primary->index.TotalDocs() / 16);
      c.node = target;
      c.active = true;
      c.in_sync = true;
      c.uid = next_uid_++;
      c.primary = false;
      recoveries_ += 1;
      events.push_back({{"event", "recovered"}, {"shard", s}, {"copy", Label(c)}, {"node", nodes_[static_cast<size_t>(target)].name},
                        {"docs_copied", primary->index.TotalDocs()}});
      primary = ActivePrimary(s);  // the vector did not move, but stay explicit
    }
  }
  return events;
}

Result<uint32_t> Cluster::FindNode(const std::string& op, const std::string& name) const {
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].name == name) return static_cast<uint32_t>(i);
  }
  std::string known;
  for (const ClusterNode& n : nodes_) known += (known.empty() ? "" : ", ") + n.name;
  return Status::Invalid(op + ": field \"node\": no node named [" + name + "]; the nodes are: " +
                         (known.empty() ? "(none yet: add some with `nodes`)" : known));
}

Result<Json> Cluster::KillNode(const std::string& name) {
  auto found = FindNode("kill_node", name);
  if (!found.ok()) return found.status();
  ClusterNode& n = nodes_[found.value()];
  if (!n.up) return Status::Invalid("kill_node: field \"node\": [" + name + "] is already down");
  n.up = false;
  // Its heap goes with it: the query cache starts empty when it comes back.
  n.history.clear();
  n.cached.clear();
  Json lost = Json::array();
  for (auto& shard : copies_) {
    for (ShardCopy& c : shard) {
      if (c.active && c.node == static_cast<int32_t>(found.value())) {
        c.active = false;
        lost.push_back(Label(c));
      }
    }
  }
  Json events = Reallocate(false);  // promote now; replicas wait (delayed allocation)
  return Json{{"node", name}, {"copies_lost", std::move(lost)}, {"allocation", std::move(events)},
              {"master", Master() < 0 ? Json(nullptr) : Json(nodes_[static_cast<size_t>(Master())].name)},
              {"health", Health()}};
}

Result<Json> Cluster::StartNode(const std::string& name) {
  auto found = FindNode("start_node", name);
  if (!found.ok()) return found.status();
  ClusterNode& n = nodes_[found.value()];
  if (n.up) return Status::Invalid("start_node: field \"node\": [" + name + "] is already up");
  n.up = true;
  Json events = has_index_ ? Reallocate(true) : Json::array();
  return Json{{"node", name}, {"allocation", std::move(events)},
              {"master", Master() < 0 ? Json(nullptr) : Json(nodes_[static_cast<size_t>(Master())].name)},
              {"health", Health()}};
}

Result<Json> Cluster::Reroute() {
  if (!has_index_) return Json{{"allocation", Json::array()}, {"health", Health()}};
  Json events = Reallocate(true);
  return Json{{"allocation", std::move(events)}, {"health", Health()}};
}

std::string Cluster::HealthOf(uint32_t shard) const {
  if (ActivePrimaryOf(shard) == nullptr) return "red";
  for (const ShardCopy& c : copies_[shard]) {
    if (!c.active) return "yellow";
  }
  return "green";
}

std::string Cluster::Health() const {
  std::string worst = "green";
  for (uint32_t s = 0; s < shards_; ++s) {
    const std::string h = HealthOf(s);
    if (h == "red") return h;
    if (h == "yellow") worst = h;
  }
  return worst;
}

uint32_t Cluster::ShardFor(const std::string& routing) const {
  return ShardIdFor(routing, shards_, routing_num_shards_);
}

Status Cluster::WritableShard(const std::string& op, uint32_t shard) const {
  if (Master() < 0) {
    return Status::Invalid(op + ": [cluster_block_exception] blocked by: [SERVICE_UNAVAILABLE/2/no master];");
  }
  if (ActivePrimaryOf(shard) == nullptr) {
    return Status::Invalid(op + ": [unavailable_shards_exception] [" + kIndexName + "][" + std::to_string(shard) +
                           "] primary shard is not active Timeout: [1m]");
  }
  return Status::Ok();
}

void Cluster::MarkMissedWrite(uint32_t shard) {
  for (ShardCopy& c : copies_[shard]) {
    if (!c.active) c.in_sync = false;
  }
}

Json Cluster::WriteToCopies(uint32_t shard, const ParsedDoc& doc) {
  Json written = Json::array();
  Json result;
  for (ShardCopy& c : copies_[shard]) {
    if (!c.active) continue;
    Json r = c.index.Put(doc);
    if (c.primary) result = std::move(r);
    written.push_back(Label(c) + "@" + nodes_[static_cast<size_t>(c.node)].name);
  }
  MarkMissedWrite(shard);
  result["copies"] = std::move(written);
  return result;
}

std::string Cluster::NextAutoId() {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string id;
  for (int i = 0; i < 20; ++i) id.push_back(kAlphabet[rng_.Below(64)]);
  return id;
}

uint64_t Cluster::LiveDocs() const {
  uint64_t live = 0;
  for (uint32_t s = 0; s < shards_; ++s) {
    const ShardCopy* p = ActivePrimaryOf(s);
    if (p != nullptr) live += p->index.TotalDocs();
  }
  return live;
}

Result<Json> Cluster::IndexDoc(const std::optional<std::string>& id, const Json& doc,
                               const std::optional<std::string>& routing) {
  if (!has_index_) {
    return Status::Invalid(std::string("index: [index_not_found_exception] no such index [") + kIndexName +
                           "]; run create_index first");
  }
  if (LiveDocs() >= kMaxDocs) {
    return Status::Invalid("index: the index holds " + std::to_string(kMaxDocs) + " documents, the most this model keeps");
  }
  auto parsed = ParseDocument(mapping_, id.value_or("?"), doc);
  if (!parsed.ok()) return Status::Invalid("index: field \"doc\": " + parsed.message());
  // Check everything before drawing an id, so a refusal changes nothing.
  if (id) {
    const uint32_t shard = ShardFor(routing.value_or(*id));
    Status ok = WritableShard("index", shard);
    if (!ok.ok()) return ok;
  }
  // An auto id is drawn from a copy of the stream, kept only on success.
  const Rng before = rng_;
  const std::string doc_id = id ? *id : NextAutoId();
  const std::string effective = routing.value_or(doc_id);
  const uint32_t shard = ShardFor(effective);
  Status ok = WritableShard("index", shard);
  if (!ok.ok()) {
    rng_ = before;
    return ok;
  }
  parsed.value().id = doc_id;
  Json result = WriteToCopies(shard, parsed.value());
  result["_id"] = doc_id;
  result["_shard"] = shard;
  if (routing) result["_routing"] = *routing;
  result["routing_hash"] = RoutingHash(effective);
  return result;
}

Result<Json> Cluster::Delete(const std::string& id, const std::optional<std::string>& routing) {
  if (!has_index_) {
    return Status::Invalid(std::string("delete: [index_not_found_exception] no such index [") + kIndexName + "]");
  }
  const uint32_t shard = ShardFor(routing.value_or(id));
  Status ok = WritableShard("delete", shard);
  if (!ok.ok()) return ok;
  Json result;
  for (ShardCopy& c : copies_[shard]) {
    if (!c.active) continue;
    Json r = c.index.Delete(id);
    if (c.primary) result = std::move(r);
  }
  MarkMissedWrite(shard);
  result["_shard"] = shard;
  return result;
}

Result<Json> Cluster::Refresh() {
  if (!has_index_) {
    return Status::Invalid(std::string("refresh: [index_not_found_exception] no such index [") + kIndexName + "]");
  }
  uint32_t refreshed = 0;
  for (auto& shard : copies_) {
    for (ShardCopy& c : shard) {
      if (!c.active) continue;
      (void)c.index.Refresh();
      refreshed += 1;
    }
  }
  const uint32_t total = shards_ * (replicas_ + 1);
  return Json{{"_shards", {{"total", total}, {"successful", refreshed}, {"failed", 0}}}};
}

Result<Json> Cluster::Bulk(uint32_t count) {
  if (!has_index_) {
    return Status::Invalid(std::string("bulk: [index_not_found_exception] no such index [") + kIndexName + "]");
  }
  if (LiveDocs() + count > kMaxDocs) {
    return Status::Invalid("bulk: field \"count\": the index would hold " + std::to_string(LiveDocs() + count) +
                           " documents; this model keeps at most " + std::to_string(kMaxDocs));
  }
  const MappingField* title = mapping_.Find("title");
  const MappingField* tag = mapping_.Find("tag");
  const MappingField* price_field = mapping_.Find("price");
  if (title == nullptr || title->type != FieldType::kText || tag == nullptr || tag->type != FieldType::kKeyword ||
      price_field == nullptr || price_field->type != FieldType::kInteger) {
    return Status::Invalid("bulk: the generated products need title:text, tag:keyword and price:integer in the mapping");
  }
  static const char* kColours[] = {"red", "blue", "black", "white", "green", "grey", "navy", "orange"};
  static const char* kAdjectives[] = {"wireless", "waterproof", "classic", "compact", "slim", "vintage", "organic", "premium"};
  static const char* kNouns[][2] = {{"running shoes", "shoes"}, {"hiking boots", "shoes"}, {"headphones", "audio"},
                                    {"speaker", "audio"},       {"coffee mug", "kitchen"},  {"kettle", "kitchen"},
                                    {"lamp", "home"},           {"blanket", "home"},        {"backpack", "outdoor"},
                                    {"tent", "outdoor"},        {"notebook", "office"},     {"desk chair", "office"}};
  uint64_t indexed = 0;
  Json failed = Json::array();
  for (uint32_t i = 0; i < count; ++i) {
    StepBudget::Charge(1 + replicas_);
    const uint64_t n = bulk_docs_++;
    const char* colour = kColours[rng_.Below(8)];
    const char* adjective = kAdjectives[rng_.Below(8)];
    const auto& noun = kNouns[rng_.Below(12)];
    const int64_t price = 5 + static_cast<int64_t>(rng_.Below(200));
    // Some titles repeat their noun, so term frequencies differ.
    const bool twice = rng_.Below(6) == 0;
    std::string title_text = std::string(adjective) + " " + colour + " " + noun[0] + (twice ? std::string(" ") + noun[0] : "");
    const std::string id = "p" + std::to_string(n);
    const uint32_t shard = ShardFor(id);
    if (!WritableShard("bulk", shard).ok()) {
      if (failed.size() < 20) failed.push_back(id);
      continue;
    }
    auto parsed = ParseDocument(mapping_, id, Json{{"title", std::move(title_text)}, {"tag", noun[1]}, {"price", price}});
    SDP_CHECK(parsed.ok());
    (void)WriteToCopies(shard, parsed.value());
    indexed += 1;
  }
  return Json{{"indexed", indexed}, {"errors", !failed.empty()}, {"failed_ids", std::move(failed)}};
}

}  // namespace sdp::search

#include "sdp/hash_ring_sim.h"

#include <algorithm>
#include <cmath>

namespace sdp {
namespace {

constexpr uint32_t kMaxWalkShown = 64;
constexpr uint32_t kMaxIdsInMessage = 10;

std::string Hex32(uint32_t x) {
  static const char* kDigits = "0123456789abcdef";
  std::string out = "0x00000000";
  for (int i = 9; i >= 2; --i, x >>= 4) out[i] = kDigits[x & 15];
  return out;
}

}  // namespace

Result<HashRingSim::Config> HashRingSim::Config::FromJson(const Json& config) {
  Config c;
  c.vnodes = config.value("vnodes", c.vnodes);
  c.replicas = config.value("replicas", c.replicas);
  const std::string hash = config.value("hash", std::string(RingHashName(c.hash)));
  SDP_CHECK(ParseRingHash(hash, &c.hash));  // the field spec allows only known names
  return c;
}

Json HashRingSim::Config::ToJson() const {
  return {{"vnodes", vnodes}, {"replicas", replicas}, {"hash", RingHashName(hash)}};
}

Json HashRingSim::Change::ToJson() const {
  Json out = {{"change", what},
              {"moved", moved},
              {"keys", total},
              {"moved_fraction", total == 0 ? 0.0 : static_cast<double>(moved) / total},
              {"moved_to", moved_to},
              {"moved_from", moved_from}};
  out["expected_fraction"] = expected_fraction < 0 ? Json(nullptr) : Json(expected_fraction);
  return out;
}

HashRingSim::HashRingSim(uint64_t seed, const Config& config)
    : config_(config), rng_(seed), ring_(config.hash, config.vnodes) {}

double HashRingSim::TotalWeight() const {
  double total = 0;
  for (const auto& node : ring_.nodes()) total += node.weight;
  return total;
}

HashRingSim::Change HashRingSim::Reassign(std::string what,
                                          const std::vector<std::string>& old_ids,
                                          double expected_fraction) {
  Change change;
  change.what = std::move(what);
  change.total = static_cast<uint32_t>(keys_.size());
  change.expected_fraction = expected_fraction;
  moved_keys_.clear();
  work_ += keys_.size() + ring_.total_points() / 64;
  const auto& nodes = ring_.nodes();
  for (uint32_t i = 0; i < keys_.size(); ++i) {
    Key& key = keys_[i];
    const uint32_t owner = ring_.empty() ? kNoOwner : ring_.OwnerOf(key.position);
    const std::string& new_id = owner == kNoOwner ? std::string() : nodes[owner].id;
    const bool had_owner = key.owner != kNoOwner;
    if (!had_owner || old_ids[key.owner] != new_id) {
      if (had_owner && owner != kNoOwner) {
        ++change.moved;
        ++change.moved_to[new_id];
        ++change.moved_from[old_ids[key.owner]];
        moved_keys_.push_back(i);
      }
    }
    key.owner = owner;
  }
  last_change_ = change.ToJson();
  return change;
}

Result<HashRingSim::Change> HashRingSim::AddNode(const std::string& id, double weight) {
  if (ring_.FindNode(id) >= 0) {
    return Status::Invalid("add_node: a node \"" + id + "\" already exists; ids must be unique");
  }
  if (ring_.nodes().size() >= kMaxNodes) {
    return Status::Invalid("add_node: the ring already has the maximum of " +
                           std::to_string(kMaxNodes) + " nodes");
  }
  const uint64_t points = ring_.total_points() + ring_.PointsFor(weight);
  if (points > kMaxPoints) {
    return Status::Invalid("add_node: this would put " + std::to_string(points) +
                           " points on the ring; at most " + std::to_string(kMaxPoints) +
                           " (lower vnodes or the weight)");
  }
  std::vector<std::string> old_ids;
  for (const auto& node : ring_.nodes()) old_ids.push_back(node.id);
  // With random points every point is equally likely to own any arc, so the
  // new node's expected share is its points over all points: p / (P + p).
  // That is w / (W + w) only when points are proportional to weight, not
  // when the at-least-one-point rule or rounding gives it more or fewer.
  const double points_before = static_cast<double>(ring_.total_points());
  const bool had_nodes = !ring_.empty();
  ring_.AddNode(id, weight);
  const double mine = ring_.nodes().back().points;
  work_ += ring_.nodes().back().points;
  return Reassign("add_node " + id, old_ids, had_nodes ? mine / (points_before + mine) : -1);
}

Result<HashRingSim::Change> HashRingSim::RemoveNode(const std::string& id) {
  const int32_t index = ring_.FindNode(id);
  if (index < 0) {
    std::string known;
    for (uint32_t i = 0; i < ring_.nodes().size() && i < kMaxIdsInMessage; ++i) {
      known += (i == 0 ? "" : ", ") + ring_.nodes()[i].id;
    }
    if (ring_.nodes().size() > kMaxIdsInMessage) known += ", ...";
    return Status::Invalid("remove_node: no node \"" + id + "\"" +
                           (known.empty() ? std::string("; the ring is empty")
                                          : "; nodes are: " + known));
  }
  std::vector<std::string> old_ids;
  for (const auto& node : ring_.nodes()) old_ids.push_back(node.id);
  // Expected over random rings: the node's share of the points, p_i / P.
  const double points_before = static_cast<double>(ring_.total_points());
  const double mine = ring_.nodes()[index].points;
  ring_.RemoveNode(static_cast<uint32_t>(index));
  // With no node left, keys have nowhere to go: nothing "moves".
  return Reassign("remove_node " + id, old_ids,
                  ring_.empty() ? -1 : mine / points_before);
}

Result<HashRingSim::Change> HashRingSim::SetVnodes(uint32_t count) {
  uint64_t points = 0;
  for (const auto& node : ring_.nodes()) {
    const double exact = std::floor(node.weight * count + 0.5);
    points += exact < 1 ? 1 : static_cast<uint64_t>(exact);
  }
  if (points > kMaxPoints) {
    return Status::Invalid("set_vnodes: " + std::to_string(count) + " vnodes would put " +
                           std::to_string(points) + " points on the ring; at most " +
                           std::to_string(kMaxPoints));
  }
  std::vector<std::string> old_ids;
  for (const auto& node : ring_.nodes()) old_ids.push_back(node.id);
  config_.vnodes = count;
  ring_.SetVnodes(count);
  work_ += ring_.total_points();
  return Reassign("set_vnodes " + std::to_string(count), old_ids, -1);
}

Status HashRingSim::AddKey(const std::string& key) {
  if (key_index_.count(key) != 0) {
    return Status::Invalid("add_key: key \"" + key + "\" is already on the ring");
  }
  if (keys_.size() >= kMaxKeys) {
    return Status::Invalid("add_key: the ring already holds the maximum of " +
                           std::to_string(kMaxKeys) + " keys");
  }
  const uint32_t position = RingPosition(config_.hash, key);
  const uint32_t owner = ring_.empty() ? kNoOwner : ring_.OwnerOf(position);
  key_index_.emplace(key, static_cast<uint32_t>(keys_.size()));
  keys_.push_back({key, position, owner});
  ++work_;
  return Status::Ok();
}

Result<uint32_t> HashRingSim::AddKeys(uint32_t count, const std::string& prefix) {
  if (keys_.size() + count > kMaxKeys) {
    return Status::Invalid("add_keys: " + std::to_string(count) + " more keys would make " +
                           std::to_string(keys_.size() + count) + "; at most " +
                           std::to_string(kMaxKeys));
  }
  static const char* kDigits = "0123456789abcdef";
  for (uint32_t added = 0; added < count;) {
    uint64_t bits = rng_.Next();
    std::string key = prefix;
    for (int i = 0; i < 12; ++i, bits >>= 4) key += kDigits[bits & 15];
    // A repeat (about 1 in 2^48 per pair) is simply drawn again.
    if (AddKey(key).ok()) ++added;
  }
  return count;
}

Result<Json> HashRingSim::Lookup(const std::string& key) const {
  if (ring_.empty()) return Status::Invalid("lookup: the ring is empty; add a node first");
  const uint32_t position = RingPosition(config_.hash, key);
  std::vector<uint32_t> walked;
  const std::vector<uint32_t> replicas = ring_.PreferenceList(position, config_.replicas, &walked);
  Json replica_ids = Json::array();
  for (uint32_t node : replicas) replica_ids.push_back(ring_.nodes()[node].id);
  Json walk = Json::array();
  for (uint32_t i = 0; i < walked.size() && i < kMaxWalkShown; ++i) {
    const auto& point = ring_.points()[walked[i]];
    walk.push_back({{"position", point.position}, {"node", ring_.nodes()[point.node].id},
                    {"vnode", point.vnode}});
  }
  return Json{{"key", key},         {"hash", position},  {"hash_hex", Hex32(position)},
              {"node", replica_ids[0]}, {"replicas", replica_ids}, {"walk", walk},
              {"walk_length", walked.size()}};
}

Result<Json> HashRingSim::Apply(const std::string& op, const Json& args) {
  auto change_json = [](const Result<Change>& r) -> Result<Json> {
    if (!r.ok()) return r.status();
    return r.value().ToJson();
  };
  if (op == "add_node") {
    const std::string id = args["id"];
    Result<Change> r = AddNode(id, args.value("weight", 1.0));
    if (!r.ok()) return r.status();
    Json out = r.value().ToJson();
    out["node"] = id;
    out["points"] = ring_.nodes().back().points;
    return out;
  }
  if (op == "remove_node") return change_json(RemoveNode(args["id"]));
  if (op == "set_vnodes") return change_json(SetVnodes(args["count"]));
  if (op == "add_key") {
    const std::string key = args["key"];
    SDP_RETURN_IF_ERROR(AddKey(key));
    const Key& added = keys_.back();
    return Json{{"key", key},
                {"hash", added.position},
                {"node", added.owner == kNoOwner ? Json(nullptr)
                                                 : Json(ring_.nodes()[added.owner].id)}};
  }
  if (op == "add_keys") {
    Result<uint32_t> r = AddKeys(args["count"], args.value("prefix", std::string("key:")));
    if (!r.ok()) return r.status();
    return Json{{"added", r.value()}, {"keys", keys_.size()}};
  }
  if (op == "lookup") {
    Result<Json> r = Lookup(args["key"]);
    if (r.ok()) work_ += 1 + r.value()["walk_length"].get<uint64_t>();
    return r;
  }
  SDP_CHECK(false && "op declared in HashRingSimInfo but not handled");
  return Status::Invalid(op);
}

Json HashRingSim::LoadStats() const {
  const auto& nodes = ring_.nodes();
  const uint64_t n = nodes.size();
  const uint64_t k = keys_.size();
  Json stats = {{"keys", k}, {"nodes", n}};
  if (n == 0) return stats;
  std::vector<uint64_t> load(n, 0);
  for (const Key& key : keys_) ++load[key.owner];
  const double mean = static_cast<double>(k) / static_cast<double>(n);
  double squares = 0;
  uint64_t max = 0, min = UINT64_MAX;
  for (uint64_t l : load) {
    const double d = static_cast<double>(l) - mean;
    squares += d * d;
    max = std::max(max, l);
    min = std::min(min, l);
  }
  const double stddev = std::sqrt(squares / static_cast<double>(n));
  stats["mean"] = mean;
  stats["max"] = max;
  stats["min"] = min;
  stats["stddev"] = stddev;
  stats["max_over_mean"] = k == 0 ? Json(nullptr) : Json(static_cast<double>(max) / mean);
  stats["cv"] = k == 0 ? Json(nullptr) : Json(stddev / mean);
  // Theory for equal weights, random points: a node's arc is Beta(v, (n-1)v),
  // and its keys Binomial(k, arc), so CV^2 = (n-1)/k + (n-1)/(nv+1) * (1-1/k).
  const bool equal_weights = std::all_of(nodes.begin(), nodes.end(), [&](const auto& node) {
    return node.weight == nodes[0].weight;
  });
  if (k > 0 && equal_weights) {
    const double nd = static_cast<double>(n), kd = static_cast<double>(k);
    const double v = static_cast<double>(nodes[0].points);
    stats["expected_cv"] = std::sqrt((nd - 1) / kd + (nd - 1) / (nd * v + 1) * (1 - 1 / kd));
  } else {
    stats["expected_cv"] = nullptr;
  }
  return stats;
}

Json HashRingSim::Snapshot(Detail detail) const {
  const auto& nodes = ring_.nodes();
  std::vector<uint32_t> load(nodes.size(), 0);
  for (const Key& key : keys_) {
    if (key.owner != kNoOwner) ++load[key.owner];
  }
  const std::vector<double> shares = ring_.Shares();
  std::vector<std::vector<uint32_t>> points_by_node(nodes.size());
  if (detail == Detail::kFull) {
    for (const auto& p : ring_.points()) points_by_node[p.node].push_back(p.position);
  }
  Json nodes_json = Json::array();
  for (uint32_t i = 0; i < nodes.size(); ++i) {
    Json node = {{"id", nodes[i].id}, {"weight", nodes[i].weight}, {"points", nodes[i].points},
                 {"keys", load[i]}, {"share", shares[i]}};
    if (detail == Detail::kFull) node["ring_points"] = points_by_node[i];
    nodes_json.push_back(std::move(node));
  }
  Json out = {{"config", config_.ToJson()},
              {"nodes", nodes_json},
              {"keys", keys_.size()},
              {"ring_points", ring_.total_points()},
              {"load", LoadStats()},
              {"last_change", last_change_}};
  // What the next change should cost: adding a node of weight 1 (p points)
  // to P points moves p/(P+p) of the keys; removing node i moves p_i/P.
  const double p = ring_.PointsFor(1.0), all = static_cast<double>(ring_.total_points());
  out["theory"] = {{"add_node_expected_fraction", nodes.empty() ? Json(nullptr) : Json(p / (all + p))}};
  if (detail == Detail::kFull) {
    Json assignment = Json::object();
    for (const Key& key : keys_) {
      assignment[key.name] = key.owner == kNoOwner ? Json(nullptr) : Json(nodes[key.owner].id);
    }
    out["assignment"] = std::move(assignment);
  }
  return out;
}

std::vector<uint32_t> HashRingSim::Column(std::string_view name) const {
  std::vector<uint32_t> out;
  if (name == "key_hash" || name == "key_owner") {
    out.reserve(keys_.size());
    for (const Key& key : keys_) out.push_back(name == "key_hash" ? key.position : key.owner);
  } else if (name == "key_point" && !ring_.empty()) {
    out.reserve(keys_.size());
    for (const Key& key : keys_) out.push_back(ring_.SuccessorPoint(key.position));
  } else if (name == "point_pos" || name == "point_owner") {
    out.reserve(ring_.points().size());
    for (const auto& p : ring_.points()) out.push_back(name == "point_pos" ? p.position : p.node);
  } else if (name == "moved_keys") {
    out = moved_keys_;
  }
  return out;
}

SimInfo HashRingSimInfo() {
  SimInfo info;
  info.name = "hash_ring";
  info.help = "Consistent-hash ring with virtual nodes, weights and replication";
  info.config = {
      IntField("vnodes", false, 1, HashRingSim::kMaxVnodes, "ring points per unit of weight"),
      IntField("replicas", false, 1, 10, "R: distinct nodes in each key's preference list"),
      EnumField("hash", false, {"murmur3", "fnv1a", "xxhash64"},
                "hash that places node points and keys on the 32-bit ring")};
  const FieldSpec node_id = StringField("id", true, 1, 64, "node id");
  info.ops = {
      {"add_node", "add a node with round(vnodes*weight) points; reports the keys that moved",
       {node_id, NumberField("weight", false, 0.01, HashRingSim::kMaxWeight,
                             "relative capacity (default 1)")}},
      {"remove_node", "remove a node; its keys move to their next clockwise nodes", {node_id}},
      {"set_vnodes", "change the points per unit of weight for every node",
       {IntField("count", true, 1, HashRingSim::kMaxVnodes, "points per unit of weight")}},
      {"add_keys", "add generated keys (prefix + 12 random hex digits from the seed)",
       {IntField("count", true, 1, HashRingSim::kMaxKeys, "how many keys"),
        StringField("prefix", false, 0, 32, "start of each key (default \"key:\")")}},
      {"add_key", "add one key", {StringField("key", true, 1, 256, "the key")}},
      {"lookup", "which node owns a key, its replicas and the clockwise walk",
       {StringField("key", true, 1, 256, "the key")}},
  };
  info.create = [](uint64_t seed, const Json& config) -> Result<std::unique_ptr<Simulation>> {
    Result<HashRingSim::Config> c = HashRingSim::Config::FromJson(config);
    if (!c.ok()) return c.status();
    return std::unique_ptr<Simulation>(std::make_unique<HashRingSim>(seed, c.value()));
  };
  return info;
}

}  // namespace sdp

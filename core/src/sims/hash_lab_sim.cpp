#include "sdp/hash_lab_sim.h"

#include <algorithm>
#include <bit>
#include <cmath>

#include "sdp/hash.h"

namespace sdp {
namespace {

constexpr uint32_t kNoOwner = UINT32_MAX;
constexpr uint32_t kSweepVnodes[] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};
constexpr uint32_t kSweepTableSizes[] = {101, 251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65537};

struct LoadStats {
  double mean = 0, stddev = 0, max = 0;
};

LoadStats StatsOf(const std::vector<double>& values) {
  LoadStats s;
  if (values.empty()) return s;
  for (double v : values) s.mean += v;
  s.mean /= static_cast<double>(values.size());
  for (double v : values) {
    s.stddev += (v - s.mean) * (v - s.mean);
    s.max = std::max(s.max, v);
  }
  s.stddev = std::sqrt(s.stddev / static_cast<double>(values.size()));
  return s;
}

std::string NearbyPrimes(uint64_t n) {
  uint64_t below = n > 2 ? n - 1 : 2, above = n + 1;
  while (below > 2 && !MaglevTable::IsPrime(below)) --below;
  while (!MaglevTable::IsPrime(above)) ++above;
  return std::to_string(below) + " or " + std::to_string(above);
}

// `base` with the fields present in `fields` applied, checked as a whole.
Result<HashLabSim::Config> WithFields(HashLabSim::Config base, const Json& fields,
                                      const std::string& context) {
  base.vnodes = fields.value("vnodes", base.vnodes);
  base.ketama_vnodes = fields.value("ketama_vnodes", base.ketama_vnodes);
  base.table_size = fields.value("table_size", base.table_size);
  base.epsilon = fields.value("epsilon", base.epsilon);
  if (!MaglevTable::IsPrime(base.table_size)) {
    return Status::Invalid(context + ": field \"table_size\" must be prime for Maglev; " +
                           std::to_string(base.table_size) + " is not (try " +
                           NearbyPrimes(base.table_size) + ")");
  }
  return base;
}

}  // namespace

const char* HashLabSim::SchemeName(uint32_t scheme) {
  static const char* kNames[] = {"ring", "ketama", "jump", "rendezvous", "maglev", "bounded"};
  return scheme < kSchemes ? kNames[scheme] : "?";
}

HashLabSim::HashLabSim(uint64_t seed, const Config& config)
    : config_(config), rng_(seed), ring_(RingHash::kMurmur3, config.vnodes) {}

std::vector<std::string> HashLabSim::NodeIds() const {
  std::vector<std::string> ids;
  for (const PlacedNode& n : nodes_) ids.push_back(n.id);
  return ids;
}

int32_t HashLabSim::FindNode(std::string_view id) const {
  for (uint32_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].id == id) return static_cast<int32_t>(i);
  }
  return -1;
}

void HashLabSim::RebuildSchemes() {
  if (nodes_.empty()) return;
  ketama_.Build(nodes_, config_.ketama_vnodes);
  rendezvous_.Build(nodes_);
  maglev_.Build(nodes_, config_.table_size);
  work_ += ring_.total_points() + ketama_.points() + config_.table_size;
}

uint32_t HashLabSim::JumpOwner(const Request& r, uint32_t* probes) const {
  const int32_t bucket =
      JumpConsistentHash(r.key_hash, static_cast<int32_t>(jump_buckets_.size()), probes);
  return jump_buckets_[bucket];
}

uint32_t HashLabSim::BalanceFactor() const {
  return static_cast<uint32_t>(std::lround(100 * (1 + config_.epsilon)));
}

HashLabSim::BoundedWeights HashLabSim::WeightUnits() const {
  // HAProxy weights are integers; ours are hundredths of a unit (0.01 .. 10).
  BoundedWeights w;
  for (const PlacedNode& n : nodes_) {
    const auto units = std::max<uint64_t>(1, static_cast<uint64_t>(std::llround(n.weight * 100)));
    w.units.push_back(units);
    w.cumulative.push_back(w.total);
    w.total += units;
  }
  return w;
}

uint64_t HashLabSim::BoundedSlots(uint64_t served, const BoundedWeights& w, uint32_t node) const {
  // HAProxy lb_chash.c, chash_server_is_eligible(): the requests in flight,
  // the new one included, times the factor, rounded up, split by weight.
  const uint64_t tot_slots = ((served + 1) * BalanceFactor() + 99) / 100;
  const uint64_t slots_per_weight = tot_slots / w.total;
  const uint64_t remainder = tot_slots % w.total;
  const uint64_t units = w.units[node], cumulative = w.cumulative[node];
  uint64_t slots = units * slots_per_weight;
  slots += (cumulative + units) * remainder / w.total - cumulative * remainder / w.total;
  return slots == 0 ? 1 : slots;  // "never leave a server with 0"
}

std::vector<uint64_t> HashLabSim::BoundedSlotsAll(uint64_t served) const {
  const BoundedWeights w = WeightUnits();
  std::vector<uint64_t> slots;
  for (uint32_t i = 0; i < nodes_.size(); ++i) slots.push_back(BoundedSlots(served, w, i));
  return slots;
}

uint32_t HashLabSim::BoundedWalk(uint32_t position, uint64_t served, const BoundedWeights& w,
                                 const std::vector<uint64_t>& load, uint32_t* probes) const {
  const auto& points = ring_.points();
  uint32_t index = ring_.SuccessorPoint(position);
  if (probes != nullptr) *probes += static_cast<uint32_t>(std::bit_width(points.size()));
  // The slots add up to at least served + 1, so some node is eligible; the
  // walk stops after one turn anyway, as HAProxy's loop guard does.
  for (uint64_t steps = 0; steps < points.size(); ++steps) {
    const uint32_t node = points[index].node;
    if (load[node] < BoundedSlots(served, w, node)) break;
    index = index + 1 == points.size() ? 0 : index + 1;
    if (probes != nullptr) ++*probes;
  }
  return points[index].node;
}

std::vector<uint32_t> HashLabSim::BoundedOwners(uint32_t* probes) const {
  // Requests arrive in order and none has finished: request i finds i served.
  const BoundedWeights w = WeightUnits();
  std::vector<uint64_t> load(nodes_.size(), 0);
  std::vector<uint32_t> owners;
  owners.reserve(requests_.size());
  for (uint64_t i = 0; i < requests_.size(); ++i) {
    const uint32_t node = BoundedWalk(requests_[i].ring_position, i, w, load, probes);
    ++load[node];
    owners.push_back(node);
  }
  return owners;
}

std::array<uint32_t, HashLabSim::kSchemes> HashLabSim::Reassign(
    const std::vector<std::string>& old_ids) {
  std::array<uint32_t, kSchemes> moved{};
  std::array<std::vector<uint32_t>, kSchemes> fresh;
  probes_ = {};
  if (nodes_.empty()) {
    for (auto& owners : fresh) owners.assign(requests_.size(), kNoOwner);
  } else {
    for (auto& owners : fresh) owners.reserve(requests_.size());
    for (const Request& r : requests_) {
      uint32_t p[kSchemes] = {};
      const uint32_t ring_point = ring_.SuccessorPoint(r.ring_position);
      p[kRing] = static_cast<uint32_t>(std::bit_width(ring_.total_points()));
      fresh[kRing].push_back(ring_.points()[ring_point].node);
      fresh[kKetama].push_back(ketama_.Lookup(r.key, &p[kKetama]));
      fresh[kJump].push_back(JumpOwner(r, &p[kJump]));
      fresh[kRendezvous].push_back(rendezvous_.Lookup(r.key, &p[kRendezvous]));
      fresh[kMaglev].push_back(maglev_.Lookup(r.key, &p[kMaglev]));
      for (uint32_t s = 0; s < kBounded; ++s) probes_[s] += p[s];
    }
    uint32_t bounded_probes = 0;
    fresh[kBounded] = BoundedOwners(&bounded_probes);
    probes_[kBounded] = bounded_probes;
  }
  work_ += requests_.size() * (8 + nodes_.size());
  for (uint32_t s = 0; s < kSchemes; ++s) {
    const auto& before = owners_[s];
    for (uint64_t i = 0; i < before.size() && i < fresh[s].size(); ++i) {
      if (before[i] == kNoOwner || fresh[s][i] == kNoOwner) continue;
      if (old_ids[before[i]] != nodes_[fresh[s][i]].id) ++moved[s];
    }
    owners_[s] = std::move(fresh[s]);
  }
  return moved;
}

Json HashLabSim::ChangeJson(const std::string& what, double ideal,
                            const std::array<uint32_t, kSchemes>& moved) {
  last_moved_ = moved;
  const double k = static_cast<double>(requests_.size());
  Json per_scheme = Json::object();
  for (uint32_t s = 0; s < kSchemes; ++s) {
    per_scheme[SchemeName(s)] = {{"moved", moved[s]},
                                 {"moved_fraction", k == 0 ? 0.0 : moved[s] / k}};
  }
  last_change_ = {{"change", what},
                  {"requests", requests_.size()},
                  {"ideal_fraction", ideal < 0 ? Json(nullptr) : Json(ideal)},
                  {"schemes", per_scheme}};
  return last_change_;
}

Result<Json> HashLabSim::AddNode(const std::string& id, double weight) {
  if (FindNode(id) >= 0) {
    return Status::Invalid("add_node: a node \"" + id + "\" already exists; ids must be unique");
  }
  if (nodes_.size() >= kMaxNodes) {
    return Status::Invalid("add_node: the lab already has the maximum of " +
                           std::to_string(kMaxNodes) + " nodes");
  }
  if (config_.table_size <= nodes_.size()) {
    return Status::Invalid("add_node: Maglev's table (M = " + std::to_string(config_.table_size) +
                           ") needs more slots than nodes; raise table_size first");
  }
  const std::vector<std::string> old_ids = NodeIds();
  double total = 0;
  for (const PlacedNode& n : nodes_) total += n.weight;
  nodes_.push_back({id, weight});
  jump_buckets_.push_back(static_cast<uint32_t>(nodes_.size() - 1));
  ring_.AddNode(id, weight);
  RebuildSchemes();
  const auto moved = Reassign(old_ids);
  return ChangeJson("add_node " + id, old_ids.empty() ? -1 : weight / (total + weight), moved);
}

Result<Json> HashLabSim::RemoveNode(const std::string& id, bool failed) {
  const char* op = failed ? "fail_node" : "remove_node";
  const int32_t index = FindNode(id);
  if (index < 0) {
    return Status::Invalid(std::string(op) + ": no node \"" + id + "\"" +
                           (nodes_.empty() ? "; the lab has no nodes" : ""));
  }
  const std::vector<std::string> old_ids = NodeIds();
  double total = 0;
  for (const PlacedNode& n : nodes_) total += n.weight;
  const double weight = nodes_[index].weight;
  const auto removed = static_cast<uint32_t>(index);
  // Jump can only drop its last bucket: the last bucket's node takes the
  // removed node's bucket number.
  const auto bucket = static_cast<uint32_t>(
      std::find(jump_buckets_.begin(), jump_buckets_.end(), removed) - jump_buckets_.begin());
  jump_buckets_[bucket] = jump_buckets_.back();
  jump_buckets_.pop_back();
  for (uint32_t& b : jump_buckets_) {
    if (b > removed) --b;
  }
  nodes_.erase(nodes_.begin() + index);
  ring_.RemoveNode(removed);
  RebuildSchemes();
  const auto moved = Reassign(old_ids);
  return ChangeJson(std::string(op) + " " + id, nodes_.empty() ? -1 : weight / total, moved);
}

Result<Json> HashLabSim::AddRequests(uint32_t count, const std::string& prefix, double zipf) {
  if (requests_.size() + count > kMaxRequests) {
    return Status::Invalid("add_keys: " + std::to_string(count) + " more keys would make " +
                           std::to_string(requests_.size() + count) + "; at most " +
                           std::to_string(kMaxRequests));
  }
  static const char* kDigits = "0123456789abcdef";
  const Zipf ranks(count, zipf);
  for (uint32_t i = 0; i < count; ++i) {
    std::string key = prefix;
    if (zipf > 0) {
      key += std::to_string(ranks.Draw(rng_));  // rank 1 is the hottest key
    } else {
      uint64_t bits = rng_.Next();
      for (int d = 0; d < 12; ++d, bits >>= 4) key += kDigits[bits & 15];
    }
    ++request_count_[key];
    requests_.push_back({key, Murmur3X86_32(key), XxHash64(key)});
  }
  const std::vector<std::string> ids = NodeIds();
  (void)Reassign(ids);  // placing new keys moves nothing that was placed
  last_moved_ = {};
  return Json{{"added", count}, {"requests", requests_.size()},
              {"distinct_keys", request_count_.size()}};
}

Result<Json> HashLabSim::Set(const Json& args) {
  Result<Config> with = WithFields(config_, args, "set");
  if (!with.ok()) return with.status();
  const Config next = with.value();
  if (next.table_size <= nodes_.size()) {
    return Status::Invalid("set: field \"table_size\" must exceed the number of nodes (" +
                           std::to_string(nodes_.size()) + ")");
  }
  uint64_t ring_points = 0;
  for (const PlacedNode& n : nodes_) {
    ring_points += std::max(1.0, std::floor(n.weight * next.vnodes + 0.5));
  }
  if (ring_points > 1000000) {
    return Status::Invalid("set: field \"vnodes\": " + std::to_string(next.vnodes) +
                           " would put about " + std::to_string(ring_points) +
                           " points on the ring; at most 1000000");
  }
  const std::vector<std::string> ids = NodeIds();
  config_ = next;
  if (ring_.vnodes() != next.vnodes) ring_.SetVnodes(next.vnodes);
  RebuildSchemes();
  std::string what = "set";
  for (const auto& [key, value] : args.items()) {
    if (key != "op") what += " " + key + "=" + value.dump();
  }
  return ChangeJson(what, -1, Reassign(ids));
}

Result<Json> HashLabSim::Lookup(const std::string& key) const {
  if (nodes_.empty()) return Status::Invalid("lookup: the lab has no nodes; add one first");
  const Request r{key, Murmur3X86_32(key), XxHash64(key)};
  Json owners = Json::object();
  owners["ring"] = nodes_[ring_.OwnerOf(r.ring_position)].id;
  owners["ketama"] = nodes_[ketama_.Lookup(key)].id;
  owners["jump"] = nodes_[JumpOwner(r, nullptr)].id;
  owners["rendezvous"] = nodes_[rendezvous_.Lookup(key)].id;
  owners["maglev"] = nodes_[maglev_.Lookup(key)].id;
  // Where bounded loads would put one more request for this key now, with
  // every placed request still in flight.
  std::vector<uint64_t> load(nodes_.size(), 0);
  for (uint32_t owner : owners_[kBounded]) {
    if (owner != kNoOwner) ++load[owner];
  }
  owners["bounded"] = nodes_[BoundedWalk(r.ring_position, requests_.size(), WeightUnits(), load, nullptr)].id;
  return Json{{"key", key},
              {"owners", owners},
              {"ring_position", r.ring_position},
              {"ketama_position", KetamaRing::KeyPosition(key)},
              {"jump_bucket", JumpConsistentHash(r.key_hash, static_cast<int32_t>(jump_buckets_.size()))}};
}

Result<Json> HashLabSim::Sweep(const std::string& scheme) const {
  if (nodes_.empty()) return Status::Invalid("sweep: the lab has no nodes; add some first");
  const double n = static_cast<double>(nodes_.size());
  double total_weight = 0;
  for (const PlacedNode& node : nodes_) total_weight += node.weight;
  Json x = Json::array(), measured = Json::array(), theory = Json::array();
  if (scheme == "ring") {
    // The theory is for n nodes of p points each (Beta(p, (n-1)p) arcs), so it
    // needs equal weights; p is the points a node really gets (vnodes per unit
    // of weight x its weight, rounded, at least 1), not vnodes.
    const bool equal_weights = std::all_of(nodes_.begin(), nodes_.end(), [&](const PlacedNode& node) {
      return node.weight == nodes_[0].weight;
    });
    for (uint32_t v : kSweepVnodes) {
      ConsistentHashRing ring(RingHash::kMurmur3, v);
      uint64_t points = 0;
      for (const PlacedNode& node : nodes_) points += ring.PointsFor(node.weight);
      if (points > 1000000) break;
      for (const PlacedNode& node : nodes_) ring.AddNode(node.id, node.weight);
      // Each node's arc share relative to its fair share by weight.
      const std::vector<double> shares = ring.Shares();
      std::vector<double> ratio;
      for (uint32_t i = 0; i < nodes_.size(); ++i) {
        ratio.push_back(shares[i] / (nodes_[i].weight / total_weight));
      }
      const LoadStats stats = StatsOf(ratio);
      x.push_back(v);
      measured.push_back(stats.stddev / stats.mean);
      const double p = ring.PointsFor(nodes_[0].weight);
      theory.push_back(std::sqrt((n - 1) / (n * p + 1)));
    }
    if (!equal_weights) {
      return Json{{"scheme", "ring"}, {"x", x}, {"x_label", "vnodes per unit of weight"},
                  {"measured_cv", measured}, {"theory_cv", nullptr},
                  {"theory", "none: nodes of unequal weight have unequal point counts, and no single "
                             "formula gives their spread"}};
    }
    return Json{{"scheme", "ring"}, {"x", x}, {"x_label", "vnodes per unit of weight"},
                {"measured_cv", measured}, {"theory_cv", theory},
                {"theory", "sqrt((n-1)/(n*p+1)), p = points per node: arcs of random points"}};
  }
  // Maglev: the share of table slots that change owner when the last node
  // leaves, against the ideal 1/n (only the leaver's slots).
  if (nodes_.size() < 2) return Status::Invalid("sweep: maglev needs at least 2 nodes");
  std::vector<PlacedNode> fewer(nodes_.begin(), nodes_.end() - 1);
  for (uint32_t m : kSweepTableSizes) {
    if (m <= nodes_.size()) continue;
    MaglevTable all, less;
    all.Build(nodes_, m);
    less.Build(fewer, m);
    uint64_t changed = 0;
    for (uint32_t slot = 0; slot < m; ++slot) {
      if (nodes_[all.Entry(slot)].id != fewer[less.Entry(slot)].id) ++changed;
    }
    x.push_back(m);
    measured.push_back(static_cast<double>(changed) / m);
    theory.push_back(1.0 / n);
  }
  return Json{{"scheme", "maglev"}, {"x", x}, {"x_label", "table size M"},
              {"measured_moved", measured}, {"ideal_moved", theory},
              {"theory", "ideal: only the leaving node's 1/n of the keys move"}};
}

Result<Json> HashLabSim::Apply(const std::string& op, const Json& args) {
  if (op == "add_node") return AddNode(args["id"], args.value("weight", 1.0));
  if (op == "remove_node") return RemoveNode(args["id"], false);
  if (op == "fail_node") return RemoveNode(args["id"], true);
  if (op == "add_keys") {
    return AddRequests(args["count"], args.value("prefix", std::string("key:")),
                       args.value("zipf", 0.0));
  }
  if (op == "set") return Set(args);
  // Lookup counts the bounded loads over all requests (a cheap pass: /64); a
  // sweep builds a ring (W * v points) or two Maglev tables (M slots) per value.
  if (op == "lookup") {
    Result<Json> r = Lookup(args["key"]);
    if (r.ok()) work_ += 1 + requests_.size() / 64;
    return r;
  }
  if (op == "sweep") {
    Result<Json> r = Sweep(args["scheme"]);
    if (!r.ok()) return r;
    double weight = 0;
    for (const PlacedNode& n : nodes_) weight += n.weight;
    for (const Json& x : r.value()["x"]) {
      work_ += r.value()["scheme"] == "ring"
                   ? nodes_.size() + static_cast<uint64_t>(weight * x.get<double>())
                   : x.get<uint64_t>();
    }
    return r;
  }
  if (op == "jump_hash") {
    const uint64_t key = args["key"].get<uint64_t>();
    return Json{{"key", key},
                {"buckets", args["buckets"]},
                {"bucket", JumpConsistentHash(key, args["buckets"].get<int32_t>())}};
  }
  SDP_CHECK(false && "op declared in HashLabSimInfo but not handled");
  return Status::Invalid(op);
}

Json HashLabSim::SchemeJson(uint32_t scheme, Detail detail) const {
  std::vector<double> load(nodes_.size(), 0);
  for (uint32_t owner : owners_[scheme]) {
    if (owner != kNoOwner) load[owner] += 1;
  }
  const LoadStats stats = StatsOf(load);
  const double k = static_cast<double>(requests_.size());
  uint64_t memory = 0;
  switch (scheme) {
    case kRing: memory = ring_.total_points() * 8; break;
    case kKetama: memory = ketama_.MemoryBytes(); break;
    case kJump: memory = jump_buckets_.size() * 4; break;
    case kRendezvous: memory = rendezvous_.MemoryBytes(); break;
    case kMaglev: memory = nodes_.empty() ? 0 : maglev_.MemoryBytes(); break;
    case kBounded: memory = ring_.total_points() * 8 + nodes_.size() * 4; break;
  }
  Json out = {{"scheme", SchemeName(scheme)},
              {"load", load},
              {"max", stats.max},
              {"mean", stats.mean},
              {"stddev", stats.stddev},
              {"max_over_mean", stats.mean > 0 ? Json(stats.max / stats.mean) : Json(nullptr)},
              {"cv", stats.mean > 0 ? Json(stats.stddev / stats.mean) : Json(nullptr)},
              {"moved", last_moved_[scheme]},
              {"memory_bytes", memory},
              {"lookup_cost", k > 0 ? Json(static_cast<double>(probes_[scheme]) / k) : Json(nullptr)}};
  if (detail == Detail::kFull) out["owners"] = owners_[scheme];
  return out;
}

Json HashLabSim::BoundedJson() const {
  // The slots each node would offer the next request (HAProxy's rule with all
  // placed requests in flight); "capacity" is the largest, for one line.
  Json out = {{"balance_factor", BalanceFactor()}, {"slots", nullptr}, {"capacity", nullptr}};
  if (nodes_.empty()) return out;
  const std::vector<uint64_t> slots = BoundedSlotsAll(requests_.size());
  out["slots"] = slots;
  out["capacity"] = *std::max_element(slots.begin(), slots.end());
  return out;
}

Json HashLabSim::Snapshot(Detail detail) const {
  Json nodes = Json::array();
  for (const PlacedNode& n : nodes_) nodes.push_back({{"id", n.id}, {"weight", n.weight}});
  Json jump = Json::array();
  for (uint32_t b : jump_buckets_) jump.push_back(nodes_[b].id);
  Json schemes = Json::array();
  for (uint32_t s = 0; s < kSchemes; ++s) schemes.push_back(SchemeJson(s, detail));
  Json hottest = nullptr;
  uint32_t hottest_count = 0;
  for (const auto& [key, count] : request_count_) {
    if (count > hottest_count) {
      hottest = {{"key", key}, {"requests", count}};
      hottest_count = count;
    }
  }
  return {{"config", {{"vnodes", config_.vnodes}, {"ketama_vnodes", config_.ketama_vnodes},
                      {"table_size", config_.table_size}, {"epsilon", config_.epsilon}}},
          {"nodes", nodes},
          {"jump_buckets", jump},
          {"requests", requests_.size()},
          {"distinct_keys", request_count_.size()},
          {"hottest_key", hottest},
          {"bounded", BoundedJson()},
          {"last_change", last_change_},
          {"schemes", schemes}};
}

std::vector<uint32_t> HashLabSim::Column(std::string_view name) const {
  for (uint32_t s = 0; s < kSchemes; ++s) {
    if (name == std::string("owners:") + SchemeName(s)) return owners_[s];
  }
  if (name == "key_position") {
    std::vector<uint32_t> out;
    for (const Request& r : requests_) out.push_back(r.ring_position);
    return out;
  }
  return {};
}

SimInfo HashLabSimInfo() {
  SimInfo info;
  info.name = "hash_lab";
  info.help = "Ring, ketama, jump, rendezvous, Maglev and bounded loads on one key set";
  info.config = {
      IntField("vnodes", false, 1, 1000, "ring points per unit of weight (default 160)"),
      IntField("ketama_vnodes", false, 1, 1000, "ketama MD5 digests per server, x4 points (default 40)"),
      IntField("table_size", false, 2, HashLabSim::kMaxTableSize, "Maglev table size M, prime (default 65537)"),
      NumberField("epsilon", false, 0.01, 10, "bounded loads: HAProxy hash-balance-factor = round(100 x (1+epsilon)) (default 0.25)")};
  const FieldSpec node_id = StringField("id", true, 1, 64, "node id");
  info.ops = {
      {"add_node", "add a node; every scheme re-places the keys",
       {node_id, NumberField("weight", false, 0.01, 10, "relative capacity (default 1)")}},
      {"remove_node", "remove a node", {node_id}},
      {"fail_node", "a node fails (removed like remove_node, labelled as a failure)", {node_id}},
      {"add_keys", "add requests: distinct random keys, or with zipf > 0 repeats of hot keys",
       {IntField("count", true, 1, HashLabSim::kMaxRequests, "how many requests"),
        StringField("prefix", false, 0, 32, "start of each key (default \"key:\")"),
        NumberField("zipf", false, 0, 3, "skew: 0 = distinct keys, 1 = classic Zipf, higher = hotter")}},
      {"set", "change scheme parameters; moves are reported per scheme",
       {IntField("vnodes", false, 1, 1000, "ring points per unit of weight"),
        IntField("ketama_vnodes", false, 1, 1000, "ketama digests per server"),
        IntField("table_size", false, 2, HashLabSim::kMaxTableSize, "Maglev M (prime, > nodes)"),
        NumberField("epsilon", false, 0.01, 10, "bounded loads slack")}},
      {"lookup", "each scheme's owner of a key", {StringField("key", true, 1, 256, "the key")}},
      {"sweep", "load spread (ring) or disruption (maglev) across parameter values",
       {EnumField("scheme", true, {"ring", "maglev"}, "which scheme to sweep")}},
      {"jump_hash", "the jump consistent hash function itself: key -> bucket",
       {IntField("key", true, 0, INT64_MAX, "64-bit key"),
        IntField("buckets", true, 1, INT32_MAX, "number of buckets")}},
  };
  info.create = [](uint64_t seed, const Json& config) -> Result<std::unique_ptr<Simulation>> {
    Result<HashLabSim::Config> c = WithFields(HashLabSim::Config{}, config, "config");
    if (!c.ok()) return c.status();
    return std::unique_ptr<Simulation>(std::make_unique<HashLabSim>(seed, c.value()));
  };
  return info;
}

}  // namespace sdp

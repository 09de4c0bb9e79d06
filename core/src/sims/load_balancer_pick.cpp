// The balancing algorithms, the rotation they pick from, and the client ->
// server tables of the two hash algorithms (kept for every client, so that a
// change of the rotation can say how many clients each would move).
#include <algorithm>
#include <iterator>
#include <numeric>

#include "sdp/load_balancer_sim.h"

namespace sdp {
namespace {

constexpr const char* kAlgorithmNames[] = {
    "round_robin",       "weighted_round_robin", "sticky",
    "random",            "weighted_random",      "least_connections",
    "least_response_time", "power_of_two_choices", "ip_hash",
    "consistent_ip_hash"};
static_assert(std::size(kAlgorithmNames) == static_cast<size_t>(LbAlgorithm::kCount));

}  // namespace

uint32_t NginxIpHash(uint32_t hash, uint32_t ipv4) {
  // ngx_http_upstream_get_ip_hash_peer: for (i = 0; i < addrlen; i++)
  //   hash = (hash * 113 + addr[i]) % 6271;  with addrlen 3 for AF_INET.
  for (int shift = 24; shift >= 8; shift -= 8) hash = (hash * 113 + ((ipv4 >> shift) & 0xff)) % 6271;
  return hash;
}

uint32_t LbClientAddress(uint32_t client) { return 0x0a000001u + (client << 8); }

const char* LbAlgorithmName(LbAlgorithm algorithm) {
  const auto i = static_cast<size_t>(algorithm);
  return i < std::size(kAlgorithmNames) ? kAlgorithmNames[i] : "?";
}

bool ParseLbAlgorithm(std::string_view name, LbAlgorithm* out) {
  for (size_t i = 0; i < std::size(kAlgorithmNames); ++i) {
    if (name == kAlgorithmNames[i]) {
      *out = static_cast<LbAlgorithm>(i);
      return true;
    }
  }
  return false;
}

std::vector<std::string> LbAlgorithmNames() {
  return std::vector<std::string>(std::begin(kAlgorithmNames), std::end(kAlgorithmNames));
}

int64_t LoadBalancerSim::EffectiveWeight(uint32_t server) const {
  const Server& s = servers_[server];
  int64_t w = static_cast<int64_t>(s.weight) * 1000;
  if (config_.slow_start > 0 && s.ramp_start >= 0) {
    const SimTime elapsed = events_.now() - s.ramp_start;
    // Linear from (almost) zero, like nginx's slow_start; never zero, or the
    // weighted algorithms could not pick it at all.
    if (elapsed < config_.slow_start) w = std::max<int64_t>(1, w * elapsed / config_.slow_start);
  }
  return w;
}

uint64_t LoadBalancerSim::LoadOf(const ServerLoad& load) const {
  // L4 sees connections only; L7 sees every request it has handed out.
  return config_.mode == LbMode::kL4 ? load.connections : load.busy + load.waiting;
}

bool LoadBalancerSim::UsesLightestIndex(const Lane& lane) const {
  return config_.slow_start == 0 && (lane.algorithm == LbAlgorithm::kLeastConnections ||
                                     lane.algorithm == LbAlgorithm::kLeastResponseTime);
}

LoadBalancerSim::LightKey LoadBalancerSim::KeyOf(const Lane& lane, uint32_t server) const {
  const ServerLoad& load = lane.servers[server];
  LightKey key;
  key.load = LoadOf(load);
  key.weight = static_cast<uint64_t>(EffectiveWeight(server));
  if (lane.algorithm == LbAlgorithm::kLeastResponseTime) {
    // One division, so that the order is a total order in floating point
    // (cross-multiplied doubles round twice and need not be transitive).
    const double ewma = load.has_ewma ? load.ewma_us : 0.0;
    key.cost = ewma * static_cast<double>(key.load + 1) / static_cast<double>(key.weight);
  }
  return key;
}

bool LoadBalancerSim::KeyLess(const Lane& lane, const LightKey& a, const LightKey& b) {
  if (lane.light_by_load) return a.load < b.load;
  if (lane.algorithm == LbAlgorithm::kLeastResponseTime) return a.cost < b.cost;
  // load_a / w_a < load_b / w_b, cross-multiplied: exact.
  return a.load * b.weight < b.load * a.weight;
}

bool LoadBalancerSim::Better(const Lane& lane, uint32_t a, uint32_t b) {
  const LightKey& ka = lane.light_keys[a];
  const LightKey& kb = lane.light_keys[b];
  // The common case, kept to one comparison: the hot path of every update.
  if (lane.light_by_load) return ka.load < kb.load || (ka.load == kb.load && a < b);
  if (KeyLess(lane, ka, kb)) return true;
  return a < b && !KeyLess(lane, kb, ka);
}

void LoadBalancerSim::Reindex(Lane& lane, uint32_t server) {
  if (!lane.lightest_valid) return;
  if (server >= rotation_pos_.size() || rotation_pos_[server] < 0) return;
  const auto pos = static_cast<uint32_t>(rotation_pos_[server]);
  lane.light_keys[pos] = KeyOf(lane, server);
  lane.lightest.Update(pos, [&lane](uint32_t a, uint32_t b) { return Better(lane, a, b); });
}

void LoadBalancerSim::InvalidateIndexes() {
  for (Lane& l : lanes_) {
    l.lightest_valid = false;
    MaterializeWrr(l);
    l.wrr_no_period = false;
  }
}

int32_t LoadBalancerSim::SmoothWrrStep(Lane& lane, const std::vector<uint32_t>& c) {
  // nginx's smooth weighted round robin (ngx_http_upstream_get_peer): every
  // current weight grows by its weight, the largest wins and pays the total.
  work_ += c.size() / 16;
  int64_t* current_weight = lane.wrr_current.data();
  int64_t total = 0;
  int64_t best_weight = 0;
  int32_t best = -1;
  auto visit = [&](uint32_t s, int64_t w) {
    const int64_t current = current_weight[s] += w;
    total += w;
    if (best < 0 || current > best_weight) {
      best = static_cast<int32_t>(s);
      best_weight = current;
    }
  };
  if (config_.slow_start > 0) {
    for (uint32_t s : c) visit(s, EffectiveWeight(s));
  } else {
    const int64_t* weight = weight_pm_.data();  // constant without slow start
    for (uint32_t s : c) visit(s, weight[s]);
  }
  current_weight[best] -= total;
  return best;
}

void LoadBalancerSim::MaterializeWrr(Lane& lane) {
  if (!lane.wrr_replaying) return;
  lane.wrr_replaying = false;
  for (uint32_t i = 0; i < lane.wrr_next; ++i) (void)SmoothWrrStep(lane, rotation_);
}

int32_t LoadBalancerSim::PickWeightedRoundRobin(Lane& lane, const std::vector<uint32_t>& c) {
  if (&c != &rotation_ || config_.slow_start > 0) {
    MaterializeWrr(lane);
    return SmoothWrrStep(lane, c);
  }
  if (!lane.wrr_replaying && !lane.wrr_no_period) {
    // From the zero state the period is sum(w) / gcd(w) picks, each server
    // picked w / gcd times. Other states (after a change of weights or
    // servers) may not come back; then we keep stepping.
    uint64_t g = 0, sum = 0;
    for (uint32_t s : c) g = std::gcd(g, static_cast<uint64_t>(weight_pm_[s]));
    for (uint32_t s : c) sum += static_cast<uint64_t>(weight_pm_[s]) / g;
    lane.wrr_no_period = true;
    if (sum * c.size() <= kMaxWrrPeriodWork) {
      const std::vector<int64_t> start = lane.wrr_current;
      lane.wrr_period.clear();
      for (uint64_t i = 0; i < sum; ++i) lane.wrr_period.push_back(static_cast<uint32_t>(SmoothWrrStep(lane, c)));
      const bool periodic = lane.wrr_current == start;
      lane.wrr_current = start;
      if (periodic) {
        lane.wrr_replaying = true;
        lane.wrr_no_period = false;
        lane.wrr_next = 0;
      }
    }
  }
  if (!lane.wrr_replaying) return SmoothWrrStep(lane, c);
  ++work_;
  const uint32_t s = lane.wrr_period[lane.wrr_next];
  if (++lane.wrr_next == lane.wrr_period.size()) lane.wrr_next = 0;
  return static_cast<int32_t>(s);
}

bool LoadBalancerSim::PassiveOut(const Lane& lane, uint32_t server) const {
  // ngx_http_upstream_get_*_peer: peer->max_fails && peer->fails >=
  // peer->max_fails && now - peer->checked <= peer->fail_timeout: skip it.
  if (config_.max_fails == 0) return false;
  const ServerLoad& load = lane.servers[server];
  return load.fails >= config_.max_fails && events_.now() - load.checked <= config_.fail_timeout;
}

void LoadBalancerSim::PassiveResult(Lane& lane, uint32_t server, bool ok) {
  // A single server is never taken out: ngx_http_upstream_free_round_robin_peer
  // returns early when rrp->peers->single.
  if (configured_.size() == 1) return;
  ServerLoad& load = lane.servers[server];
  const SimTime now = events_.now();
  // At the pick: if (now - best->checked > best->fail_timeout) best->checked = now;
  if (now - load.checked > config_.fail_timeout) load.checked = now;
  if (!ok) {
    // ngx_http_upstream_free_round_robin_peer, NGX_PEER_FAILED.
    ++load.fails;
    load.accessed = now;
    load.checked = now;
  } else if (load.accessed < load.checked) {
    load.fails = 0;  // "mark peer live if check passed"
  }
}

int32_t LoadBalancerSim::IpHashWalk(const Lane* lane, uint32_t client, Tried* t) const {
  // ngx_http_upstream_get_ip_hash_peer: more than 20 tries, or fewer than
  // two servers, and round robin decides.
  if (t->hash_tries > kIpHashMaxTries || configured_.size() < 2) return -1;
  const uint32_t address = LbClientAddress(client);
  const uint64_t total = configured_end_.back();
  uint32_t hash = t->hash;
  for (;;) {
    hash = NginxIpHash(hash, address);
    // w = hash % total_weight; while (w >= peer->weight) w -= peer->weight, next peer.
    const uint64_t w = hash % total;
    const auto p = static_cast<size_t>(
        std::upper_bound(configured_end_.begin(), configured_end_.end(), w) - configured_end_.begin());
    const uint32_t s = configured_[p];
    // Tried, down or failed: goto next (only this client rehashes).
    if (!t->Has(s) && servers_[s].in_rotation && (lane == nullptr || !PassiveOut(*lane, s))) {
      t->hash = hash;
      return static_cast<int32_t>(s);
    }
    if (++t->hash_tries > kIpHashMaxTries) return -1;
  }
}

int32_t LoadBalancerSim::LeastConnTie(Lane& l, const std::vector<uint32_t>& c, uint32_t from) {
  // ngx_http_upstream_get_least_conn_peer, "many": from the first best peer
  // on, every peer with the same conns/weight adds its effective weight to
  // its current weight; the largest current weight (the first on a tie)
  // wins and pays the total. Smooth weighted round robin among the tied.
  MaterializeWrr(l);
  const LightKey key = KeyOf(l, c[from]);
  int64_t* current = l.wrr_current.data();
  int64_t total = 0;
  uint32_t best = c[from];
  auto visit = [&](uint32_t s) {
    const int64_t w = EffectiveWeight(s);
    current[s] += w;
    total += w;
    if (current[s] > current[best]) best = s;
  };
  visit(c[from]);
  if (&c == &rotation_ && l.lightest_valid) {
    // The tied positions one by one, from the index: O(ties x log n).
    auto better = [&l](uint32_t a, uint32_t b) { return Better(l, a, b); };
    const uint32_t n = static_cast<uint32_t>(c.size());
    for (uint32_t pos = from + 1; pos < n;) {
      const int32_t next = l.lightest.Query(pos, n, better);
      if (next < 0) break;
      const auto q = static_cast<uint32_t>(next);
      if (KeyLess(l, key, l.light_keys[q])) break;  // the rest are heavier
      visit(c[q]);
      work_ += 1;
      pos = q + 1;
    }
  } else {
    work_ += (c.size() - from) / 16;
    for (size_t i = from + 1; i < c.size(); ++i) {
      const LightKey k = KeyOf(l, c[i]);
      if (!KeyLess(l, key, k) && !KeyLess(l, k, key)) visit(c[i]);
    }
  }
  current[best] -= total;
  return static_cast<int32_t>(best);
}

int32_t LoadBalancerSim::Pick(uint32_t lane, uint32_t client, Tried& tried) {
  Lane& l = lanes_[lane];
  const std::vector<uint32_t>* candidates = &rotation_;
  bool passive = false;  // some server is out by the passive check
  if (config_.max_fails > 0) {
    work_ += rotation_.size() / 16;
    for (uint32_t s : rotation_) passive = passive || PassiveOut(l, s);
  }
  if (tried.n > 0 || passive) {
    scratch_.clear();
    for (uint32_t s : rotation_) {
      if (!tried.Has(s) && !PassiveOut(l, s)) scratch_.push_back(s);
    }
    candidates = &scratch_;
  }
  const std::vector<uint32_t>& c = *candidates;
  const uint32_t n = static_cast<uint32_t>(c.size());
  if (n == 0 && passive) {
    // nginx: no live peer left; "all peers failed, mark them as live for
    // quick recovery", and this request fails (502).
    for (uint32_t s : rotation_) l.servers[s].fails = 0;
    return kAllFailed;
  }
  if (n == 0) return -1;
  auto round_robin = [&] {
    const uint32_t i = l.cursor % n;
    l.cursor = i + 1;
    return static_cast<int32_t>(c[i]);
  };
  // a beats b when load_a / w_a < load_b / w_b (cross-multiplied: exact).
  auto lighter = [&](uint32_t a, uint32_t b) {
    return LoadOf(l.servers[a]) * static_cast<uint64_t>(EffectiveWeight(b)) <
           LoadOf(l.servers[b]) * static_cast<uint64_t>(EffectiveWeight(a));
  };
  switch (l.algorithm) {
    case LbAlgorithm::kRoundRobin:
      return round_robin();
    case LbAlgorithm::kWeightedRoundRobin:
      return PickWeightedRoundRobin(l, c);
    case LbAlgorithm::kSticky: {
      const int32_t current = l.session[client];
      if (current >= 0 && servers_[static_cast<uint32_t>(current)].in_rotation &&
          !tried.Has(static_cast<uint32_t>(current)) && !PassiveOut(l, static_cast<uint32_t>(current))) {
        return current;
      }
      const int32_t next = round_robin();
      if (current >= 0) ++l.sessions_moved;
      l.session[client] = next;
      return next;
    }
    case LbAlgorithm::kRandom:
      return static_cast<int32_t>(c[l.rng.Below(n)]);
    case LbAlgorithm::kWeightedRandom: {
      work_ += n / 16;
      uint64_t total = 0;
      for (uint32_t s : c) total += static_cast<uint64_t>(EffectiveWeight(s));
      uint64_t r = l.rng.Below(total);
      for (uint32_t s : c) {
        const uint64_t w = static_cast<uint64_t>(EffectiveWeight(s));
        if (r < w) return static_cast<int32_t>(s);
        r -= w;
      }
      return static_cast<int32_t>(c.back());
    }
    case LbAlgorithm::kLeastConnections:
    case LbAlgorithm::kLeastResponseTime: {
      // The first lightest server in rotation order. Least connections
      // compares load / weight and, like nginx's least_conn, splits a tie by
      // smooth weighted round robin among the tied servers (LeastConnTie).
      // Least response time (our own variant) compares EWMA x (outstanding +
      // 1) / weight, where no answer yet scores 0 (a new server is tried
      // before it is judged), from a start that moves one further each pick:
      // its ties go round robin.
      const bool least_conn = l.algorithm == LbAlgorithm::kLeastConnections;
      const uint32_t start = least_conn ? 0 : l.cursor++ % n;
      if (candidates == &rotation_ && UsesLightestIndex(l)) {
        auto better = [&l](uint32_t a, uint32_t b) { return Better(l, a, b); };
        if (!l.lightest_valid) {
          work_ += n / 4;
          l.light_keys.resize(n);
          bool equal_weights = true;
          for (uint32_t i = 0; i < n; ++i) {
            l.light_keys[i] = KeyOf(l, c[i]);
            equal_weights = equal_weights && l.light_keys[i].weight == l.light_keys[0].weight;
          }
          // Equal weights: load_a * w < load_b * w is load_a < load_b.
          l.light_by_load = equal_weights && least_conn;
          l.lightest.Build(n, better);
          l.lightest_valid = true;
        }
        work_ += 1;
        const int32_t after = l.lightest.Query(start, n, better);
        const int32_t before = l.lightest.Query(0, start, better);
        // Positions before `start` come later in the cyclic order: they win
        // only when strictly lighter.
        const bool wrap = before >= 0 && KeyLess(l, l.light_keys[static_cast<uint32_t>(before)],
                                                 l.light_keys[static_cast<uint32_t>(after)]);
        const auto best = static_cast<uint32_t>(wrap ? before : after);
        return least_conn ? LeastConnTie(l, c, best) : static_cast<int32_t>(c[best]);
      }
      // Retries (some servers excluded) and slow start (weights that change
      // with time): a scan in the same order.
      work_ += n / 16;
      l.light_by_load = false;
      uint32_t best = start;
      LightKey best_key = KeyOf(l, c[start]);
      for (uint32_t k = 1; k < n; ++k) {
        const uint32_t i = start + k < n ? start + k : start + k - n;
        const LightKey key = KeyOf(l, c[i]);
        if (KeyLess(l, key, best_key)) {
          best = i;
          best_key = key;
        }
      }
      return least_conn ? LeastConnTie(l, c, best) : static_cast<int32_t>(c[best]);
    }
    case LbAlgorithm::kPowerOfTwoChoices: {
      if (n == 1) return static_cast<int32_t>(c[0]);
      const uint32_t i = static_cast<uint32_t>(l.rng.Below(n));
      uint32_t j = static_cast<uint32_t>(l.rng.Below(n - 1));
      if (j >= i) ++j;
      return static_cast<int32_t>(lighter(c[j], c[i]) ? c[j] : c[i]);
    }
    case LbAlgorithm::kIpHash: {
      // The first pick comes from the client table (the same walk, done when
      // the servers changed); a retry continues the walk from its hash.
      int32_t owner = -1;
      if (!tried.hash_started && !passive) {
        owner = ip_owner_[client];
        tried.hash = ip_hash_after_[client];
        tried.hash_tries = ip_tries_after_[client];
        tried.hash_started = true;
      } else {
        // A retry, or servers out by the passive check the table ignores.
        work_ += 1;
        tried.hash_started = true;
        owner = IpHashWalk(&l, client, &tried);
      }
      if (owner >= 0) return owner;
      // nginx gives up hashing: ngx_http_upstream_get_round_robin_peer,
      // smooth weighted round robin over the servers not tried.
      return PickWeightedRoundRobin(l, c);
    }
    case LbAlgorithm::kConsistentIpHash: {
      const int32_t owner = ring_owner_[client];
      if (owner >= 0 && !tried.Has(static_cast<uint32_t>(owner)) &&
          !PassiveOut(l, static_cast<uint32_t>(owner))) {
        return owner;
      }
      return round_robin();  // our model: the next servers in rotation
    }
    case LbAlgorithm::kCount:
      break;
  }
  return -1;
}

// --- rotation and client tables --------------------------------------------------

void LoadBalancerSim::ResizeClients(uint32_t clients) {
  for (Lane& l : lanes_) {
    // Connections of clients that no longer exist close.
    for (size_t c = clients; c < l.connection.size(); ++c) {
      if (l.connection[c] >= 0) {
        --l.servers[static_cast<uint32_t>(l.connection[c])].connections;
        ++l.connections_closed;
      }
    }
    l.session.resize(clients, -1);
    l.connection.resize(clients, -1);
    l.opened.resize(clients, 0);
  }
  const uint32_t before = std::min(clients, static_cast<uint32_t>(client_position_.size()));
  client_position_.resize(clients);
  for (uint32_t c = before; c < clients; ++c) {
    client_position_[c] = RingPosition(RingHash::kMurmur3, "client-" + std::to_string(c));
  }
  work_ += clients > before ? clients - before : 0;
  RebuildClientTables();
}

void LoadBalancerSim::RebuildClientTables() {
  const uint32_t clients = static_cast<uint32_t>(client_position_.size());
  ip_owner_.assign(clients, -1);
  ip_hash_after_.assign(clients, kNginxIpHashStart);
  ip_tries_after_.assign(clients, 0);
  ring_owner_.assign(clients, -1);
  if (rotation_.empty()) return;
  work_ += clients / 4;
  for (uint32_t c = 0; c < clients; ++c) {
    Tried fresh;
    ip_owner_[c] = IpHashWalk(nullptr, c, &fresh);  // no lane's passive check
    ip_hash_after_[c] = fresh.hash;
    ip_tries_after_[c] = fresh.hash_tries;
    // Ring nodes were added in rotation order, so node i is rotation_[i].
    ring_owner_[c] = static_cast<int32_t>(rotation_[ring_.OwnerOf(client_position_[c])]);
  }
}

Json LoadBalancerSim::UpdateRotation() {
  std::vector<uint32_t> next;
  std::vector<uint32_t> configured;
  std::vector<uint64_t> configured_end;
  uint64_t weights = 0;
  for (uint32_t s = 0; s < servers_.size(); ++s) {
    if (servers_[s].removed) continue;
    configured.push_back(s);
    configured_end.push_back(weights += servers_[s].weight);
    if (servers_[s].in_rotation) next.push_back(s);
  }
  if (next == rotation_ && configured == configured_ && configured_end == configured_end_) return nullptr;
  const std::vector<int32_t> ip_before = ip_owner_;
  const std::vector<int32_t> ring_before = ring_owner_;
  const std::vector<uint32_t> rotation_before = rotation_;
  const bool same_config = configured == configured_ && configured_end == configured_end_;
  const uint64_t weight_before = configured_end_.empty() ? 0 : configured_end_.back();
  const uint32_t n_before = static_cast<uint32_t>(rotation_.size());
  InvalidateIndexes();  // with the rotation they were built for
  rotation_ = std::move(next);
  configured_ = std::move(configured);
  configured_end_ = std::move(configured_end);
  rotation_pos_.assign(servers_.size(), -1);
  for (uint32_t i = 0; i < rotation_.size(); ++i) rotation_pos_[rotation_[i]] = static_cast<int32_t>(i);
  // Weight 1 each: the ring shows what moves when servers come and go.
  ring_ = ConsistentHashRing(RingHash::kMurmur3, 100);
  std::vector<std::pair<std::string, double>> nodes;
  for (uint32_t s : rotation_) nodes.emplace_back(servers_[s].id, 1.0);
  ring_.AddNodes(nodes);
  work_ += nodes.size() * 100;
  RebuildClientTables();
  uint64_t ip_moved = 0, ring_moved = 0;
  for (size_t c = 0; c < ip_owner_.size(); ++c) {
    ip_moved += ip_before[c] != ip_owner_[c] ? 1 : 0;
    ring_moved += ring_before[c] != ring_owner_[c] ? 1 : 0;
  }
  const uint32_t n_after = static_cast<uint32_t>(rotation_.size());
  const double larger = static_cast<double>(std::max(n_before, n_after));
  const double diff = static_cast<double>(n_after > n_before ? n_after - n_before : n_before - n_after);
  const bool defined = n_before > 0 && n_after > 0;
  // ip_hash under a uniform hash. The same configured servers: only the
  // clients of servers that left rotation, and those hashing to servers that
  // came back, move: their share of the total weight. A changed list, total
  // weight N -> M: a client stays when hash % N and hash % M name the same
  // server, min(N, M) residues in every lcm(N, M) for servers added or removed
  // at the end (weights 1).
  double ip_expected = 1.0;
  if (defined && same_config) {
    uint64_t flipped = 0;
    for (size_t i = 0; i < configured_.size(); ++i) {
      const uint32_t s = configured_[i];
      const bool was = std::binary_search(rotation_before.begin(), rotation_before.end(), s);
      const bool is = rotation_pos_[s] >= 0;
      if (was != is) flipped += configured_end_[i] - (i == 0 ? 0 : configured_end_[i - 1]);
    }
    ip_expected = std::min(1.0, static_cast<double>(flipped) / static_cast<double>(configured_end_.back()));
  } else if (defined) {
    const uint64_t m = configured_end_.back();
    const uint64_t lcm = std::lcm(weight_before, m);
    ip_expected = 1.0 - static_cast<double>(std::min(weight_before, m)) / static_cast<double>(lcm);
  }
  return Json{{"at_ms", static_cast<double>(events_.now()) / kMicrosPerMilli},
              {"servers_before", n_before},
              {"servers_after", n_after},
              {"clients", ip_owner_.size()},
              {"ip_hash_moved", ip_moved},
              {"consistent_moved", ring_moved},
              {"ip_hash_expected", ip_expected},
              {"consistent_expected", defined ? diff / larger : 1.0}};
}

}  // namespace sdp

// The balancing algorithms, the rotation they pick from, and the client ->
// server tables of the two hash algorithms (kept for every client, so that a
// change of the rotation can say how many clients each would move).
#include <algorithm>
#include <iterator>

#include "sdp/load_balancer_sim.h"

namespace sdp {
namespace {

// SplitMix64's finaliser: a client id spread over 64 bits, the same everywhere.
uint64_t Mix64(uint64_t x) {
  uint64_t z = x + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

constexpr const char* kAlgorithmNames[] = {
    "round_robin",       "weighted_round_robin", "sticky",
    "random",            "weighted_random",      "least_connections",
    "least_response_time", "power_of_two_choices", "ip_hash",
    "consistent_ip_hash"};
static_assert(std::size(kAlgorithmNames) == static_cast<size_t>(LbAlgorithm::kCount));

}  // namespace

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

int32_t LoadBalancerSim::Pick(uint32_t lane, uint32_t client, const Tried& tried) {
  Lane& l = lanes_[lane];
  const std::vector<uint32_t>* candidates = &rotation_;
  if (tried.n > 0) {
    scratch_.clear();
    for (uint32_t s : rotation_) {
      if (!tried.Has(s)) scratch_.push_back(s);
    }
    candidates = &scratch_;
  }
  const std::vector<uint32_t>& c = *candidates;
  const uint32_t n = static_cast<uint32_t>(c.size());
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
    case LbAlgorithm::kWeightedRoundRobin: {
      // nginx's smooth weighted round robin (ngx_http_upstream_get_peer).
      work_ += n / 16;
      int64_t total = 0;
      int32_t best = -1;
      for (uint32_t s : c) {
        const int64_t w = EffectiveWeight(s);
        l.servers[s].current_weight += w;
        total += w;
        if (best < 0 || l.servers[s].current_weight > l.servers[static_cast<uint32_t>(best)].current_weight) {
          best = static_cast<int32_t>(s);
        }
      }
      l.servers[static_cast<uint32_t>(best)].current_weight -= total;
      return best;
    }
    case LbAlgorithm::kSticky: {
      const int32_t current = l.session[client];
      if (current >= 0 && servers_[static_cast<uint32_t>(current)].in_rotation &&
          !tried.Has(static_cast<uint32_t>(current))) {
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
    case LbAlgorithm::kLeastConnections: {
      // Start the scan one further each time: ties go round robin, as in
      // nginx's least_conn. The hot loop of the load-aware picks: the mode
      // and the slow-start test are hoisted out of it.
      work_ += n / 16;
      const bool l4 = config_.mode == LbMode::kL4;
      const bool ramps = config_.slow_start > 0;
      auto load_of = [&](uint32_t s) -> uint64_t {
        const ServerLoad& load = l.servers[s];
        return l4 ? load.connections : load.busy + load.waiting;
      };
      auto weight_of = [&](uint32_t s) -> uint64_t {
        return ramps ? static_cast<uint64_t>(EffectiveWeight(s)) : uint64_t{servers_[s].weight} * 1000;
      };
      const uint32_t start = l.cursor++ % n;
      uint32_t best = c[start];
      uint64_t best_load = load_of(best);
      uint64_t best_weight = weight_of(best);
      for (uint32_t k = 1; k < n; ++k) {
        const uint32_t s = c[start + k < n ? start + k : start + k - n];
        const uint64_t load = load_of(s);
        const uint64_t weight = weight_of(s);
        if (load * best_weight < best_load * weight) {
          best = s;
          best_load = load;
          best_weight = weight;
        }
      }
      return static_cast<int32_t>(best);
    }
    case LbAlgorithm::kLeastResponseTime: {
      // Smallest EWMA x (outstanding + 1) / weight, cross-multiplied (no
      // division in the loop). No answer yet scores 0: a new server is tried
      // before it is judged.
      work_ += n / 16;
      const uint32_t start = l.cursor++ % n;
      int32_t best = -1;
      double best_cost = 0, best_weight = 1;
      for (uint32_t k = 0; k < n; ++k) {
        const uint32_t s = c[start + k < n ? start + k : start + k - n];
        const ServerLoad& load = l.servers[s];
        const double cost = (load.has_ewma ? load.ewma_us : 0.0) * static_cast<double>(LoadOf(load) + 1);
        const double weight = static_cast<double>(EffectiveWeight(s));
        if (best < 0 || cost * best_weight < best_cost * weight) {
          best = static_cast<int32_t>(s);
          best_cost = cost;
          best_weight = weight;
        }
      }
      return best;
    }
    case LbAlgorithm::kPowerOfTwoChoices: {
      if (n == 1) return static_cast<int32_t>(c[0]);
      const uint32_t i = static_cast<uint32_t>(l.rng.Below(n));
      uint32_t j = static_cast<uint32_t>(l.rng.Below(n - 1));
      if (j >= i) ++j;
      return static_cast<int32_t>(lighter(c[j], c[i]) ? c[j] : c[i]);
    }
    case LbAlgorithm::kIpHash:
    case LbAlgorithm::kConsistentIpHash: {
      const int32_t owner =
          (l.algorithm == LbAlgorithm::kIpHash ? ip_owner_ : ring_owner_)[client];
      if (owner >= 0 && !tried.Has(static_cast<uint32_t>(owner))) return owner;
      return round_robin();  // nginx's ip_hash falls back to round robin
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
  const uint32_t before = std::min(clients, static_cast<uint32_t>(client_hash_.size()));
  client_hash_.resize(clients);
  client_position_.resize(clients);
  for (uint32_t c = before; c < clients; ++c) {
    client_hash_[c] = Mix64(c);
    client_position_[c] = RingPosition(RingHash::kMurmur3, "client-" + std::to_string(c));
  }
  work_ += clients > before ? clients - before : 0;
  RebuildClientTables();
}

void LoadBalancerSim::RebuildClientTables() {
  const uint32_t clients = static_cast<uint32_t>(client_hash_.size());
  ip_owner_.assign(clients, -1);
  ring_owner_.assign(clients, -1);
  if (rotation_.empty()) return;
  work_ += clients / 4;
  const uint64_t n = rotation_.size();
  for (uint32_t c = 0; c < clients; ++c) {
    ip_owner_[c] = static_cast<int32_t>(rotation_[client_hash_[c] % n]);
    // Ring nodes were added in rotation order, so node i is rotation_[i].
    ring_owner_[c] = static_cast<int32_t>(rotation_[ring_.OwnerOf(client_position_[c])]);
  }
}

Json LoadBalancerSim::UpdateRotation() {
  std::vector<uint32_t> next;
  for (uint32_t s = 0; s < servers_.size(); ++s) {
    if (servers_[s].in_rotation && !servers_[s].removed) next.push_back(s);
  }
  if (next == rotation_) return nullptr;
  const std::vector<int32_t> ip_before = ip_owner_;
  const std::vector<int32_t> ring_before = ring_owner_;
  const uint32_t n_before = static_cast<uint32_t>(rotation_.size());
  rotation_ = std::move(next);
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
  return Json{{"at_ms", static_cast<double>(events_.now()) / kMicrosPerMilli},
              {"servers_before", n_before},
              {"servers_after", n_after},
              {"clients", ip_owner_.size()},
              {"ip_hash_moved", ip_moved},
              {"consistent_moved", ring_moved},
              {"ip_hash_expected", defined ? 1.0 - 1.0 / larger : 1.0},
              {"consistent_expected", defined ? diff / larger : 1.0}};
}

}  // namespace sdp

#include "sdp/gossip/epidemic.h"

#include <utility>

#include "sdp/detmath.h"
#include "sdp/status.h"

namespace sdp::gossip {

const char* KindName(Kind kind) { return kind == Kind::kAntiEntropy ? "anti_entropy" : "rumor"; }

const char* DirectionName(Direction direction) {
  switch (direction) {
    case Direction::kPush: return "push";
    case Direction::kPull: return "pull";
    case Direction::kPushPull: return "push_pull";
  }
  return "?";
}

Epidemic::Epidemic(uint32_t nodes)
    : state_(nodes, kSusceptible), counter_(nodes, 0), learned_(nodes, kNever), live_(nodes) {
  SDP_CHECK(nodes >= 2);
}

void Epidemic::Inform(uint32_t node) {
  if (state_[node] == kSusceptible) {
    ++informed_;
    learned_[node] = round_;
    ++newly_;
  }
  if (state_[node] != kInfective) ++infective_;
  state_[node] = kInfective;
  counter_[node] = 0;
}

void Epidemic::Inject(uint32_t node) {
  SDP_CHECK(node < size() && state_[node] != kCrashed);
  Inform(node);
}

void Epidemic::Crash(uint32_t node) {
  SDP_CHECK(node < size() && state_[node] != kCrashed && live_ > 1);
  if (state_[node] != kSusceptible) --informed_;
  if (state_[node] == kInfective) --infective_;
  state_[node] = kCrashed;
  --live_;
}

void Epidemic::CrashRandom(uint32_t count, Rng& rng) {
  SDP_CHECK(count < live_);
  std::vector<uint32_t> alive;
  alive.reserve(live_);
  for (uint32_t i = 0; i < size(); ++i) {
    if (state_[i] != kCrashed) alive.push_back(i);
  }
  // A partial Fisher-Yates shuffle: the first `count` are a uniform sample.
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t j = i + static_cast<uint32_t>(rng.Below(alive.size() - i));
    std::swap(alive[i], alive[j]);
    Crash(alive[i]);
  }
}

void Epidemic::LoseInterest(uint32_t node, const Strategy& strategy, Rng& rng) {
  if (state_[node] != kInfective) return;
  bool stop;
  if (strategy.counter) {
    stop = ++counter_[node] >= strategy.k;
  } else {
    stop = rng.Below(strategy.k) == 0;
  }
  if (stop) {
    state_[node] = kRemoved;
    --infective_;
  }
}

void Epidemic::Useful(uint32_t node, const Strategy& strategy, Rng& rng) {
  if (!strategy.feedback) {
    LoseInterest(node, strategy, rng);
  } else if (strategy.counter) {
    counter_[node] = 0;  // k unnecessary sends in a row, as Table 1 needs
  }
}

void Epidemic::PickPartners(uint32_t node, uint32_t fanout, Rng& rng) {
  partners_.clear();
  const uint32_t others = size() - 1;
  while (partners_.size() < fanout) {
    uint32_t j = static_cast<uint32_t>(rng.Below(others));
    if (j >= node) ++j;
    bool seen = false;
    for (uint32_t p : partners_) seen = seen || p == j;
    if (!seen) partners_.push_back(j);
  }
}

bool Epidemic::Deliver(uint32_t to, double loss, Rng& rng, RoundStats* stats) {
  ++stats->messages;
  const bool lost = (loss > 0 && rng.Bernoulli(loss)) || state_[to] == kCrashed;
  if (lost) ++stats->lost;
  return !lost;
}

RoundStats Epidemic::Round(const Strategy& s, double loss, Rng& rng) {
  SDP_CHECK(s.fanout >= 1 && s.fanout < size() && s.k >= 1);
  ++round_;
  newly_ = 0;
  start_ = state_;
  RoundStats stats;
  const bool push = s.direction != Direction::kPull;
  const bool pull = s.direction != Direction::kPush;
  for (uint32_t i = 0; i < size(); ++i) {
    if (state_[i] == kCrashed) continue;
    if (s.kind == Kind::kAntiEntropy) {
      PickPartners(i, s.fanout, rng);
      for (uint32_t j : partners_) {
        ++stats.contacts;
        if (state_[j] == kCrashed) continue;  // no answer: nothing to compare
        if (push && start_[i] != kSusceptible && state_[j] == kSusceptible) {
          if (Deliver(j, loss, rng, &stats)) Inform(j);
        } else if (pull && start_[j] != kSusceptible && state_[i] == kSusceptible) {
          if (Deliver(i, loss, rng, &stats)) Inform(i);
        }
      }
      continue;
    }
    // Rumour mongering. Push: a node infective since the start of the round
    // sends to its partners until it loses interest.
    if (push && start_[i] == kInfective && state_[i] == kInfective) {
      PickPartners(i, s.fanout, rng);
      for (uint32_t j : partners_) {
        ++stats.contacts;
        if (!Deliver(j, loss, rng, &stats)) {
          if (!s.feedback) LoseInterest(i, s, rng);
        } else if (start_[j] == kSusceptible) {
          Inform(j);  // (a no-op if another node informed j earlier this round)
          Useful(i, s, rng);
        } else {
          LoseInterest(i, s, rng);
        }
        if (state_[i] != kInfective) break;
      }
    }
    // Pull: every live node asks its partners; an infective one answers
    // with the update.
    if (pull) {
      PickPartners(i, s.fanout, rng);
      for (uint32_t j : partners_) {
        ++stats.contacts;
        if (state_[j] == kCrashed || start_[j] != kInfective || state_[j] != kInfective) continue;
        if (!Deliver(i, loss, rng, &stats)) {
          if (!s.feedback) LoseInterest(j, s, rng);
        } else if (start_[i] == kSusceptible) {
          Inform(i);
          Useful(j, s, rng);
        } else {
          LoseInterest(j, s, rng);
        }
      }
    }
  }
  stats.round = round_;
  stats.informed = informed_;
  stats.infective = infective_;
  stats.newly = newly_;
  return stats;
}

bool Epidemic::Quiet(const Strategy& strategy) const {
  if (strategy.kind == Kind::kRumor) return infective_ == 0;
  return informed_ == 0 || informed_ == live_;
}

uint64_t Epidemic::ContactsPerRound(const Strategy& s) const {
  const uint64_t f = s.fanout;
  if (s.kind == Kind::kAntiEntropy) return live_ * f;
  uint64_t contacts = 0;
  if (s.direction != Direction::kPull) contacts += infective_ * f;
  if (s.direction != Direction::kPush) contacts += live_ * f;
  return contacts;
}

std::vector<double> SimpleEpidemicCurve(Direction direction, uint32_t fanout, double loss,
                                        uint32_t nodes, uint32_t live, uint32_t rounds) {
  std::vector<double> out;
  out.reserve(rounds);
  if (live == 0 || nodes < 2) return out;
  const double others = static_cast<double>(nodes - 1);
  const double arrive = 1 - loss;
  const double f = static_cast<double>(fanout);
  const double n_live = static_cast<double>(live);
  double x = 1 / n_live;  // informed fraction of the live nodes
  for (uint32_t r = 0; r < rounds; ++r) {
    const double informed = x * n_live;
    double stay = 1;  // a susceptible node stays susceptible this round
    if (direction != Direction::kPull) {
      const double miss = 1 - f * arrive / others;
      stay *= miss <= 0 ? 0 : DetPow(miss, informed);
    }
    if (direction != Direction::kPush) {
      const double miss = 1 - arrive * informed / others;
      stay *= miss <= 0 ? 0 : DetPow(miss, f);
    }
    x = 1 - (1 - x) * stay;
    out.push_back(x);
  }
  return out;
}

double CoinResidue(uint32_t k, bool feedback) {
  const double rate = static_cast<double>(feedback ? k + 1 : k);
  // Fixed-point iteration from 0 climbs monotonically to the smallest root.
  double s = 0;
  for (int i = 0; i < 2000; ++i) {
    const double next = DetExp(-rate * (1 - s));
    if (next - s < 1e-15 && s - next < 1e-15) return next;
    s = next;
  }
  return s;
}

}  // namespace sdp::gossip

// One update spreading through n nodes in synchronous rounds: the epidemic
// algorithms of Demers et al., "Epidemic Algorithms for Replicated Database
// Maintenance" (PODC '87).
//
//   anti-entropy   every live node contacts `fanout` random partners a round
//                  and the two compare: push sends the update to a partner
//                  that lacks it, pull fetches it from a partner that has it,
//                  push-pull does both. Nodes never stop (a simple epidemic).
//   rumour         only "infective" (hot) nodes spread. Push: an infective
//                  node sends to `fanout` random partners. Pull: every live
//                  node asks `fanout` partners, and an infective partner
//                  answers with the update. A sender loses interest (becomes
//                  "removed") after an unnecessary send (feedback: the
//                  recipient already knew) or after any send (blind); with a
//                  counter after k such sends, with a coin with probability
//                  1/k each time (a complex epidemic, which can die out with
//                  some nodes never informed: the residue).
//
// Invariants: partners are distinct, never the node itself, drawn from the
// seeded Rng in node-index order; who may send in a round is decided by the
// state at the start of the round (news learnt in round r is passed on from
// round r+1), and so is whether a send was necessary: two nodes that push to
// the same uninformed node in one round both count it as necessary. With
// feedback and a counter, a node loses interest after k unnecessary sends
// in a row (a necessary one restarts the count). Both choices are what
// reproduces Table 1 of the paper (0.176 / 0.037 / 0.011 at k = 1 / 2 / 3);
// judging necessity on arrival and never restarting the count gives 0.20 /
// 0.060 / 0.019 instead (see docs/gossip.md). A crashed node neither sends nor answers; messages to it are
// wasted. Each message is lost independently with probability `loss`; a lost
// message gives its sender no feedback.
//
// Left out: the database itself (one update), connection limits, spatial
// distributions. Asynchronous timing (each node on its own timer, messages
// with a delay) is async_epidemic.h, on these same node states.
#ifndef SDP_GOSSIP_EPIDEMIC_H_
#define SDP_GOSSIP_EPIDEMIC_H_

#include <cstdint>
#include <vector>

#include "sdp/random.h"

namespace sdp::gossip {

enum class Kind : uint8_t { kAntiEntropy, kRumor };
enum class Direction : uint8_t { kPush, kPull, kPushPull };

struct Strategy {
  Kind kind = Kind::kRumor;
  Direction direction = Direction::kPush;
  uint32_t fanout = 1;    // partners each node contacts a round
  uint32_t k = 1;         // loss of interest: after k sends (counter) or p = 1/k (coin)
  bool feedback = true;   // false: blind
  bool counter = true;    // false: coin
};

const char* KindName(Kind kind);
const char* DirectionName(Direction direction);

// What one round did.
struct RoundStats {
  uint32_t round = 0;      // 1-based count of rounds since the start
  uint32_t informed = 0;   // live nodes that know the update, after the round
  uint32_t infective = 0;  // live nodes still spreading it (rumour), after the round
  uint32_t newly = 0;      // nodes that learnt it in this round
  uint32_t messages = 0;   // update transmissions sent, lost ones included
  uint32_t contacts = 0;   // partners contacted (messages + empty exchanges)
  uint32_t lost = 0;       // transmissions lost on the way or sent to a crashed node
};

class Epidemic {
 public:
  enum State : uint8_t { kSusceptible = 0, kInfective = 1, kRemoved = 2, kCrashed = 3 };
  static constexpr uint32_t kNever = UINT32_MAX;

  // REQUIRES: nodes >= 2
  explicit Epidemic(uint32_t nodes);

  uint32_t size() const { return static_cast<uint32_t>(state_.size()); }
  uint32_t live() const { return live_; }
  uint32_t informed() const { return informed_; }
  uint32_t infective() const { return infective_; }
  uint32_t rounds() const { return round_; }
  // REQUIRES: node < size()
  State state(uint32_t node) const { return static_cast<State>(state_[node]); }
  // The round in which a node learnt the update (0 for one injected before
  // any round), or kNever.
  uint32_t learned(uint32_t node) const { return learned_[node]; }

  // Makes a live node know the update and spread it (again, if it had lost
  // interest). REQUIRES: node < size(), not crashed.
  void Inject(uint32_t node);
  // REQUIRES: node < size(), not crashed, live() > 1.
  void Crash(uint32_t node);
  // Crashes `count` live nodes chosen at random. REQUIRES: count < live().
  void CrashRandom(uint32_t count, Rng& rng);

  // REQUIRES: 1 <= strategy.fanout < size(), strategy.k >= 1, 0 <= loss <= 1
  RoundStats Round(const Strategy& strategy, double loss, Rng& rng);
  // True when no further round can change who knows: rumour with no
  // infective node; anti-entropy when every live node knows, or none does.
  bool Quiet(const Strategy& strategy) const;
  // Contacts the next round will make at most (what a round costs).
  uint64_t ContactsPerRound(const Strategy& strategy) const;

 private:
  // The asynchronous variant drives the same states, one event at a time.
  friend class AsyncEpidemic;
  // Async: a period of simulated time starts (counted as a round).
  void BeginPeriod() {
    ++round_;
    newly_ = 0;
  }
  void Inform(uint32_t node);
  void LoseInterest(uint32_t node, const Strategy& strategy, Rng& rng);
  // A send that informed its recipient: blind, it still counts; with
  // feedback and a counter, it restarts the count of unnecessary sends.
  void Useful(uint32_t node, const Strategy& strategy, Rng& rng);
  // Fills partners_ with `fanout` distinct random nodes other than `node`.
  void PickPartners(uint32_t node, uint32_t fanout, Rng& rng);
  // One message carrying the update; false if it did not arrive.
  bool Deliver(uint32_t to, double loss, Rng& rng, RoundStats* stats);

  std::vector<uint8_t> state_;
  std::vector<uint8_t> start_;  // state_ at the start of the current round
  std::vector<uint32_t> counter_;
  std::vector<uint32_t> learned_;
  std::vector<uint32_t> partners_;
  uint32_t live_ = 0;
  uint32_t informed_ = 0;
  uint32_t infective_ = 0;
  uint32_t round_ = 0;
  uint32_t newly_ = 0;
};

// Mean-field expectation of the informed fraction of live nodes after each
// of `rounds` rounds of anti-entropy in `direction` (the simple epidemic),
// starting from one informed node: a susceptible node stays so in a round
// with probability (1 - f(1-l)/(n-1))^(informed) for push and
// (1 - (1-l) informed/(n-1))^f for pull (their product for push-pull);
// for fanout 1 and no loss, pull gives Demers' p_{i+1} = p_i^2.
std::vector<double> SimpleEpidemicCurve(Direction direction, uint32_t fanout, double loss,
                                        uint32_t nodes, uint32_t live, uint32_t rounds);

// The residue rumour mongering leaves, from the paper's differential
// equations for push with a coin: feedback s = e^{-(k+1)(1-s)}, blind
// s = e^{-k(1-s)} (the smallest root in [0, 1]).
double CoinResidue(uint32_t k, bool feedback);

}  // namespace sdp::gossip

#endif  // SDP_GOSSIP_EPIDEMIC_H_

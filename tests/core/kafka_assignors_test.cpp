// Kafka's consumer-group assignors against the examples in their javadoc
// (RangeAssignor, RoundRobinAssignor, StickyAssignor), plus properties over
// seeded random groups: every subscribed partition assigned exactly once to a
// subscriber, balance, stickiness and determinism.
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sdp/kafka/assignors.h"
#include "sdp/random.h"

namespace sdp::kafka::kafka_assignors_test {
namespace {

std::vector<TopicPartition> Parts(std::initializer_list<const char*> names) {
  // "t0p1" -> {"t0", 1}
  std::vector<TopicPartition> out;
  for (std::string name : names) {
    const size_t p = name.rfind('p');
    out.push_back({name.substr(0, p), std::stoi(name.substr(p + 1))});
  }
  return out;
}

Member M(std::string id, std::vector<std::string> topics, std::vector<TopicPartition> owned = {}) {
  return Member{std::move(id), std::move(topics), std::move(owned)};
}

// Members with their previous assignment as `owned`, minus the ones leaving.
std::vector<Member> Rejoin(const std::vector<Member>& members, const Assignment& previous,
                           const std::set<std::string>& leaving) {
  std::vector<Member> out;
  for (const Member& m : members) {
    if (leaving.count(m.id) != 0) continue;
    out.push_back(M(m.id, m.topics, previous.at(m.id)));
  }
  return out;
}

TEST_CASE("assignor names parse both ways; only cooperative-sticky is cooperative",
          "[kafka_assign]") {
  for (const char* name : {"range", "roundrobin", "sticky", "cooperative-sticky"}) {
    Result<AssignorKind> kind = ParseAssignor(name);
    REQUIRE(kind.ok());
    CHECK(AssignorName(kind.value()) == name);
    CHECK(IsCooperative(kind.value()) == (std::string(name) == "cooperative-sticky"));
  }
  Result<AssignorKind> bad = ParseAssignor("round_robin");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.message().find("round_robin") != std::string::npos);
  CHECK(bad.message().find("roundrobin") != std::string::npos);
  CHECK(TopicPartition{"t0", 1}.Name() == "t0p1");
}

TEST_CASE("RangeAssignor javadoc: C0, C1 on t0, t1 with 3 partitions each", "[kafka_assign]") {
  const std::map<std::string, int32_t> partitions = {{"t0", 3}, {"t1", 3}};
  const Assignment a =
      Assign(AssignorKind::kRange, partitions, {M("C0", {"t0", "t1"}), M("C1", {"t0", "t1"})});
  CHECK(a.at("C0") == Parts({"t0p0", "t0p1", "t1p0", "t1p1"}));
  CHECK(a.at("C1") == Parts({"t0p2", "t1p2"}));
}

TEST_CASE("RangeAssignor: per topic, subscribers by member id, the first n % c get one extra",
          "[kafka_assign]") {
  // t0: 5 partitions over a, b, c -> 2, 2, 1. t1: 2 partitions over b, c only.
  // Input order does not matter: members are sorted by id.
  const std::map<std::string, int32_t> partitions = {{"t0", 5}, {"t1", 2}, {"unused", 4}};
  const Assignment a = Assign(
      AssignorKind::kRange, partitions,
      {M("c", {"t0", "t1"}), M("a", {"t0", "missing"}), M("b", {"t1", "t0"}), M("idle", {})});
  CHECK(a.at("a") == Parts({"t0p0", "t0p1"}));
  CHECK(a.at("b") == Parts({"t0p2", "t0p3", "t1p0"}));
  CHECK(a.at("c") == Parts({"t0p4", "t1p1"}));
  CHECK(a.at("idle").empty());
  CHECK(a.size() == 4);
}

TEST_CASE("RoundRobinAssignor javadoc: C0, C1 on t0, t1 with 3 partitions each", "[kafka_assign]") {
  const std::map<std::string, int32_t> partitions = {{"t0", 3}, {"t1", 3}};
  const Assignment a =
      Assign(AssignorKind::kRoundRobin, partitions, {M("C0", {"t0", "t1"}), M("C1", {"t0", "t1"})});
  CHECK(a.at("C0") == Parts({"t0p0", "t0p2", "t1p1"}));
  CHECK(a.at("C1") == Parts({"t0p1", "t1p0", "t1p2"}));
}

// The unequal-subscription group of the RoundRobinAssignor and StickyAssignor javadoc.
const std::map<std::string, int32_t> kUnequalTopics = {{"t0", 1}, {"t1", 2}, {"t2", 3}};
std::vector<Member> UnequalGroup() {
  return {M("C0", {"t0"}), M("C1", {"t0", "t1"}), M("C2", {"t0", "t1", "t2"})};
}

TEST_CASE("RoundRobinAssignor javadoc: unequal subscriptions skip non-subscribers",
          "[kafka_assign]") {
  const Assignment a = Assign(AssignorKind::kRoundRobin, kUnequalTopics, UnequalGroup());
  CHECK(a.at("C0") == Parts({"t0p0"}));
  CHECK(a.at("C1") == Parts({"t1p0"}));
  CHECK(a.at("C2") == Parts({"t1p1", "t2p0", "t2p1", "t2p2"}));
}

TEST_CASE("StickyAssignor javadoc: unequal subscriptions, then C0 leaves", "[kafka_assign]") {
  for (AssignorKind kind : {AssignorKind::kSticky, AssignorKind::kCooperativeSticky}) {
    const std::vector<Member> group = UnequalGroup();
    const Assignment first = Assign(kind, kUnequalTopics, group);
    CHECK(first.at("C0") == Parts({"t0p0"}));
    CHECK(first.at("C1") == Parts({"t1p0", "t1p1"}));
    CHECK(first.at("C2") == Parts({"t2p0", "t2p1", "t2p2"}));

    const Assignment second = Assign(kind, kUnequalTopics, Rejoin(group, first, {"C0"}));
    CHECK(second.size() == 2);
    CHECK(second.at("C1") == Parts({"t0p0", "t1p0", "t1p1"}));
    CHECK(second.at("C2") == Parts({"t2p0", "t2p1", "t2p2"}));
    CHECK(CountMoves(first, second) == 1);  // only t0p0 moves
  }
  // Round robin, same change: the javadoc's C1 [t0p0, t1p1], C2 [t1p0, t2p0, t2p1, t2p2].
  const Assignment rr_first = Assign(AssignorKind::kRoundRobin, kUnequalTopics, UnequalGroup());
  const Assignment rr_second = Assign(AssignorKind::kRoundRobin, kUnequalTopics,
                                      {M("C1", {"t0", "t1"}), M("C2", {"t0", "t1", "t2"})});
  CHECK(rr_second.at("C1") == Parts({"t0p0", "t1p1"}));
  CHECK(rr_second.at("C2") == Parts({"t1p0", "t2p0", "t2p1", "t2p2"}));
  CHECK(CountMoves(rr_first, rr_second) == 3);  // t0p0, t1p0, t1p1
}

TEST_CASE("StickyAssignor javadoc: C0..C2 on t0..t3 (2 partitions each), then C1 leaves",
          "[kafka_assign]") {
  const std::map<std::string, int32_t> partitions = {{"t0", 2}, {"t1", 2}, {"t2", 2}, {"t3", 2}};
  const std::vector<std::string> all = {"t0", "t1", "t2", "t3"};
  const std::vector<Member> group = {M("C0", all), M("C1", all), M("C2", all)};

  const Assignment first = Assign(AssignorKind::kSticky, partitions, group);
  // The javadoc's balanced starting point, 3/3/2.
  CHECK(first.at("C0") == Parts({"t0p0", "t1p1", "t3p0"}));
  CHECK(first.at("C1") == Parts({"t0p1", "t2p0", "t3p1"}));
  CHECK(first.at("C2") == Parts({"t1p0", "t2p1"}));
  CHECK(Assign(AssignorKind::kRoundRobin, partitions, group) == first);

  const Assignment sticky = Assign(AssignorKind::kSticky, partitions, Rejoin(group, first, {"C1"}));
  REQUIRE(sticky.size() == 2);
  CHECK(sticky.at("C0").size() == 4);
  CHECK(sticky.at("C2").size() == 4);
  for (const char* id : {"C0", "C2"}) {
    for (const TopicPartition& tp : first.at(id)) {
      CHECK(std::count(sticky.at(id).begin(), sticky.at(id).end(), tp) == 1);
    }
  }
  const Assignment round_robin =
      Assign(AssignorKind::kRoundRobin, partitions, {M("C0", all), M("C2", all)});
  CHECK(round_robin.at("C0") == Parts({"t0p0", "t1p0", "t2p0", "t3p0"}));
  CHECK(round_robin.at("C2") == Parts({"t0p1", "t1p1", "t2p1", "t3p1"}));
  // Sticky moves only C1's three partitions; round robin also reshuffles t1p0, t1p1.
  CHECK(CountMoves(first, sticky) == 3);
  CHECK(CountMoves(first, round_robin) == 5);
  CHECK(CountMoves(first, sticky) < CountMoves(first, round_robin));
}

TEST_CASE("sticky: a partition claimed by two members counts as owned by neither",
          "[kafka_assign]") {
  // 4 partitions, 2 members: quota 2 each. Both claim t0p0; A also owns t0p1.
  const std::map<std::string, int32_t> partitions = {{"t0", 4}};
  const Assignment a =
      Assign(AssignorKind::kSticky, partitions,
             {M("A", {"t0"}, Parts({"t0p0", "t0p1"})), M("B", {"t0"}, Parts({"t0p0", "t0p3"}))});
  // A keeps t0p1, B keeps t0p3; the free t0p0, t0p2 are dealt A, B in order.
  CHECK(a.at("A") == Parts({"t0p0", "t0p1"}));
  CHECK(a.at("B") == Parts({"t0p2", "t0p3"}));
}

TEST_CASE("sticky: an over-full member keeps maxQuota of its partitions while slots remain",
          "[kafka_assign]") {
  // 5 partitions, 2 members: quotas 3 and 2, one 3-slot. A owned all 5 and keeps
  // its first three; B, new, takes the other two.
  const std::map<std::string, int32_t> partitions = {{"t0", 5}};
  const Assignment a =
      Assign(AssignorKind::kSticky, partitions,
             {M("A", {"t0"}, Parts({"t0p0", "t0p1", "t0p2", "t0p3", "t0p4"})), M("B", {"t0"})});
  CHECK(a.at("A") == Parts({"t0p0", "t0p1", "t0p2"}));
  CHECK(a.at("B") == Parts({"t0p3", "t0p4"}));
}

TEST_CASE("CountMoves counts moved, newly assigned and unassigned partitions", "[kafka_assign]") {
  const Assignment before = {{"A", Parts({"t0p0", "t0p1"})}, {"B", Parts({"t0p2"})}};
  const Assignment after = {{"A", Parts({"t0p0"})}, {"B", Parts({"t0p1", "t0p3"})}};
  // t0p1 moved A->B, t0p2 unassigned, t0p3 newly assigned; t0p0 stays.
  CHECK(CountMoves(before, after) == 3);
  CHECK(CountMoves(after, after) == 0);
  CHECK(CountMoves({}, after) == 3);
}

// ---------------------------------------------------------------------------
// Properties over seeded random groups.

struct RandomGroup {
  std::map<std::string, int32_t> partitions;
  std::vector<Member> members;
};

RandomGroup MakeGroup(Rng& rng, bool equal_subscriptions) {
  RandomGroup g;
  const int64_t topics = rng.Between(1, 5);
  std::vector<std::string> names;
  for (int64_t t = 0; t < topics; ++t) {
    names.push_back("t" + std::to_string(t));
    g.partitions[names.back()] = static_cast<int32_t>(rng.Between(1, 20));
  }
  const int64_t members = rng.Between(1, 10);
  std::vector<std::string> shared;
  for (const std::string& n : names) {
    if (rng.Bernoulli(0.6)) shared.push_back(n);
  }
  if (shared.empty()) shared.push_back(names.front());
  for (int64_t m = 0; m < members; ++m) {
    Member member;
    member.id = "m" + std::to_string(rng.Below(100));  // ids may repeat; first wins
    if (equal_subscriptions) {
      member.topics = shared;
    } else {
      for (const std::string& n : names) {
        if (rng.Bernoulli(0.5)) member.topics.push_back(n);
      }
      if (rng.Bernoulli(0.1)) member.topics.push_back("gone");
    }
    g.members.push_back(std::move(member));
  }
  // Prior ownership: most partitions owned by a random member (some by two,
  // some by members whose subscription no longer covers them), plus stale
  // partitions that no longer exist.
  for (const auto& [topic, count] : g.partitions) {
    for (int32_t p = 0; p < count + 2; ++p) {
      if (!rng.Bernoulli(0.7)) continue;
      const uint64_t owner = rng.Below(g.members.size());
      g.members[owner].owned.push_back({topic, p});
      if (rng.Bernoulli(0.05)) {
        const uint64_t second = rng.Below(g.members.size());
        g.members[second].owned.push_back({topic, p});
      }
    }
  }
  return g;
}

// The group's distinct members (first occurrence of each id), as Assign sees them.
std::map<std::string, const Member*> Distinct(const RandomGroup& g) {
  std::map<std::string, const Member*> out;
  for (const Member& m : g.members) out.emplace(m.id, &m);
  return out;
}

bool Subscribes(const Member& m, const std::string& topic) {
  return std::find(m.topics.begin(), m.topics.end(), topic) != m.topics.end();
}

void CheckValid(const RandomGroup& g, const Assignment& a) {
  const auto members = Distinct(g);
  REQUIRE(a.size() == members.size());
  std::map<TopicPartition, int> times;
  for (const auto& [id, list] : a) {
    REQUIRE(members.count(id) == 1);
    CHECK(std::is_sorted(list.begin(), list.end()));
    for (const TopicPartition& tp : list) {
      ++times[tp];
      CHECK(Subscribes(*members.at(id), tp.topic));
      auto topic = g.partitions.find(tp.topic);  // an existing partition
      REQUIRE(topic != g.partitions.end());
      CHECK((tp.partition >= 0 && tp.partition < topic->second));
    }
  }
  for (const auto& [topic, count] : g.partitions) {
    bool subscribed = false;
    for (const auto& [id, m] : members) subscribed = subscribed || Subscribes(*m, topic);
    for (int32_t p = 0; p < count; ++p) {
      CHECK(times[TopicPartition{topic, p}] == (subscribed ? 1 : 0));
    }
  }
}

// Members with the same subscription differ by at most one partition.
void CheckBalancedWithinSubscription(const RandomGroup& g, const Assignment& a) {
  std::map<std::set<std::string>, std::pair<size_t, size_t>> range;  // min, max
  for (const auto& [id, m] : Distinct(g)) {
    std::set<std::string> subscription;
    for (const std::string& t : m->topics) {
      if (g.partitions.count(t) != 0) subscription.insert(t);
    }
    const size_t n = a.at(id).size();
    auto [it, fresh] = range.emplace(subscription, std::make_pair(n, n));
    it->second.first = std::min(it->second.first, n);
    it->second.second = std::max(it->second.second, n);
  }
  for (const auto& [subscription, mm] : range) CHECK(mm.second - mm.first <= 1);
}

// The owned partitions Kafka would honour: existing, subscribed, claimed once.
std::map<std::string, std::set<TopicPartition>> ValidOwned(const RandomGroup& g) {
  const auto members = Distinct(g);
  std::map<TopicPartition, std::set<std::string>> claimants;
  for (const auto& [id, m] : members) {
    for (const TopicPartition& tp : m->owned) {
      auto it = g.partitions.find(tp.topic);
      if (it == g.partitions.end() || tp.partition >= it->second) continue;
      if (!Subscribes(*m, tp.topic)) continue;
      claimants[tp].insert(id);
    }
  }
  std::map<std::string, std::set<TopicPartition>> out;
  for (const auto& [id, m] : members) out[id];
  for (const auto& [tp, ids] : claimants) {
    if (ids.size() == 1) out[*ids.begin()].insert(tp);
  }
  return out;
}

TEST_CASE("every assignor: each subscribed partition exactly once, to a subscriber",
          "[kafka_assign]") {
  for (AssignorKind kind : {AssignorKind::kRange, AssignorKind::kRoundRobin, AssignorKind::kSticky,
                            AssignorKind::kCooperativeSticky}) {
    Rng rng(101);
    for (int trial = 0; trial < 300; ++trial) {
      const RandomGroup g = MakeGroup(rng, trial % 2 == 0);
      CAPTURE(AssignorName(kind), trial);
      CheckValid(g, Assign(kind, g.partitions, g.members));
    }
  }
}

TEST_CASE("round robin with equal subscriptions and sticky always: balanced within one",
          "[kafka_assign]") {
  Rng rng(202);
  for (int trial = 0; trial < 400; ++trial) {
    const bool equal = trial % 2 == 0;
    const RandomGroup g = MakeGroup(rng, equal);
    CAPTURE(trial);
    if (equal)
      CheckBalancedWithinSubscription(g,
                                      Assign(AssignorKind::kRoundRobin, g.partitions, g.members));
    CheckBalancedWithinSubscription(g, Assign(AssignorKind::kSticky, g.partitions, g.members));
  }
}

TEST_CASE("sticky, equal subscriptions: each member keeps min(owned, final count) of its own",
          "[kafka_assign]") {
  // Quotas are floor/ceil(N / M). A member that owned no more than its final
  // count keeps everything; one that owned more ends with only its own partitions.
  Rng rng(303);
  for (int trial = 0; trial < 400; ++trial) {
    const RandomGroup g = MakeGroup(rng, true);
    const Assignment a = Assign(AssignorKind::kSticky, g.partitions, g.members);
    const auto owned = ValidOwned(g);
    size_t total = 0;
    for (const auto& [id, list] : a) total += list.size();
    const size_t min_quota = total / a.size();
    for (const auto& [id, list] : a) {
      CAPTURE(trial, id);
      size_t kept = 0;
      for (const TopicPartition& tp : list) kept += owned.at(id).count(tp);
      CHECK(kept == std::min(owned.at(id).size(), list.size()));
      if (owned.at(id).size() <= min_quota) CHECK(kept == owned.at(id).size());
    }
  }
}

TEST_CASE("sticky: rebalancing an assignment it produced moves nothing", "[kafka_assign]") {
  Rng rng(404);
  for (int trial = 0; trial < 300; ++trial) {
    RandomGroup g = MakeGroup(rng, trial % 2 == 0);
    const Assignment first = Assign(AssignorKind::kSticky, g.partitions, g.members);
    for (Member& m : g.members) m.owned = first.at(m.id);
    CAPTURE(trial);
    CHECK(Assign(AssignorKind::kSticky, g.partitions, g.members) == first);
  }
}

TEST_CASE("sticky, equal subscriptions: a member leaving moves no more than round robin",
          "[kafka_assign]") {
  // With equal subscriptions round robin is balanced too, and no balanced
  // assignment keeps more owned partitions than the sticky one: it hands the
  // maxQuota slots to members that owned more than minQuota.
  Rng rng(505);
  for (int trial = 0; trial < 300; ++trial) {
    RandomGroup g = MakeGroup(rng, true);
    const Assignment before = Assign(AssignorKind::kRoundRobin, g.partitions, g.members);
    for (Member& m : g.members) m.owned = before.at(m.id);
    g.members.pop_back();  // someone leaves (or a duplicate id vanishes)
    const Assignment sticky = Assign(AssignorKind::kSticky, g.partitions, g.members);
    const Assignment rr = Assign(AssignorKind::kRoundRobin, g.partitions, g.members);
    CAPTURE(trial);
    CHECK(CountMoves(before, sticky) <= CountMoves(before, rr));
  }
}

TEST_CASE("assignors are deterministic and ignore the order members are listed in",
          "[kafka_assign]") {
  Rng rng(606);
  for (int trial = 0; trial < 200; ++trial) {
    RandomGroup g = MakeGroup(rng, trial % 3 == 0);
    // Reversing changes which duplicate id wins, so drop duplicates first.
    std::set<std::string> seen;
    std::vector<Member> unique;
    for (const Member& m : g.members) {
      if (seen.insert(m.id).second) unique.push_back(m);
    }
    std::vector<Member> reversed(unique.rbegin(), unique.rend());
    for (AssignorKind kind :
         {AssignorKind::kRange, AssignorKind::kRoundRobin, AssignorKind::kSticky}) {
      CAPTURE(trial, AssignorName(kind));
      const Assignment a = Assign(kind, g.partitions, unique);
      CHECK(Assign(kind, g.partitions, unique) == a);
      CHECK(Assign(kind, g.partitions, reversed) == a);
    }
  }
}

TEST_CASE("assignors handle an empty group and topics nobody subscribes to", "[kafka_assign]") {
  for (AssignorKind kind :
       {AssignorKind::kRange, AssignorKind::kRoundRobin, AssignorKind::kSticky}) {
    CHECK(Assign(kind, {{"t0", 3}}, {}).empty());
    const Assignment a = Assign(kind, {{"t0", 3}, {"t1", 0}}, {M("A", {"t1", "nope"})});
    CHECK(a.at("A").empty());
  }
}

}  // namespace
}  // namespace sdp::kafka::kafka_assignors_test
// The kafka sim's replication: follower fetches and the high watermark, ISR
// shrink and expand, acks=all with min.insync.replicas, clean and unclean
// leader election, and the durability property: with acks=all, min ISR 2 and
// clean elections, no committed record is ever lost whatever brokers do.
#include <map>
#include <utility>

#include "kafka_test_util.h"
#include "sdp/random.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace kafka_replication_test {

// Make, Step, Refused, Partition, Group, As and Json: kafka_test_util.h.
using namespace kafka_test;  // NOLINT(build/namespaces): test helpers only

namespace {

// HW <= min LEO over the ISR, log start <= HW <= log end, the ISR never empty.
void CheckWatermarks(const Json& snap) {
  for (const Json& topic : snap["topics"]) {
    for (const Json& p : topic["partitions"]) {
      INFO(topic["name"] << "-" << p["partition"]);
      REQUIRE_FALSE(p["isr"].empty());
      int64_t low = INT64_MAX;
      for (size_t i = 0; i < p["replicas"].size(); ++i) {
        for (const Json& in_sync : p["isr"]) {
          if (in_sync == p["replicas"][i]) low = std::min(low, p["leo"][i].get<int64_t>());
        }
      }
      CHECK(p["hw"].get<int64_t>() <= low);
      CHECK(p["hw"].get<int64_t>() <= p["log_end"].get<int64_t>());
      CHECK(p["log_start"].get<int64_t>() <= p["hw"].get<int64_t>());
    }
  }
}

void CheckWatermarks(sdp::Simulation& sim) {
  CheckWatermarks(sim.Snapshot(sdp::Simulation::Detail::kSummary));
}

Json OnePartition(const Json& extra) {
  Json config = {{"replica_fetch_ms", 100}, {"replica_lag_time_max_ms", 1000}};
  for (const auto& [k, v] : extra.items()) config[k] = v;
  return config;
}

}  // namespace

TEST_CASE("kafka: followers fetch periodically; HW follows the slowest in-sync replica",
          "[kafka]") {
  auto sim = Make(OnePartition({{"acks", "1"}}));
  Step(*sim, {{"op", "create_topic"}, {"name", "t"}, {"partitions", 1}, {"replication", 3}});
  for (int i = 0; i < 5; ++i) Step(*sim, {{"op", "produce"}, {"topic", "t"}, {"value", "v"}});
  Json p = Partition(*sim, 0, 0);
  CHECK(p["leo"] == Json({5, 0, 0}));
  CHECK(p["hw"] == 0);
  Step(*sim, {{"op", "advance"}, {"ms", 100}});
  p = Partition(*sim, 0, 0);
  CHECK(p["leo"] == Json({5, 5, 5}));
  CHECK(p["hw"] == 5);
  CheckWatermarks(*sim);
}

TEST_CASE("kafka: a stalled follower holds acks=all back until it leaves the ISR", "[kafka]") {
  auto sim = Make(OnePartition({{"acks", "all"}}));
  const Json t = Step(*sim, {{"op", "create_topic"}, {"name", "t"}, {"partitions", 1},
                             {"replication", 3}, {"min_insync_replicas", 2}});
  const int follower = t["partitions"][0]["replicas"][1];
  Step(*sim, {{"op", "stall_broker"}, {"id", follower}});
  Step(*sim, {{"op", "produce"}, {"topic", "t"}, {"value", "v"}});
  Step(*sim, {{"op", "advance"}, {"ms", 1000}});
  CHECK(As(*sim).counters().acked == 0);
  CHECK(Partition(*sim, 0, 0)["hw"] == 0);
  CHECK(Partition(*sim, 0, 0)["isr"].size() == 3);
  Step(*sim, {{"op", "advance"}, {"ms", 100}});  // 1100 ms > replica.lag.time.max.ms
  CHECK(As(*sim).counters().isr_shrinks == 1);
  CHECK(Partition(*sim, 0, 0)["isr"].size() == 2);
  CHECK(As(*sim).counters().acked == 1);
  Step(*sim, {{"op", "stall_broker"}, {"id", follower}, {"stalled", false}});
  Step(*sim, {{"op", "advance"}, {"ms", 100}});
  CHECK(As(*sim).counters().isr_expands == 1);
  CHECK(Partition(*sim, 0, 0)["isr"].size() == 3);
  Step(*sim, {{"op", "advance"}, {"ms", 900}});
  // Produced at 0, acknowledged at 1100 ms, in the bucket [1000, 2000).
  CHECK(sim->Column("series:p99_us") == std::vector<uint32_t>{0, 1100000});
  CheckWatermarks(*sim);
}

TEST_CASE("kafka: acks=all needs min.insync.replicas, before and after the append", "[kafka]") {
  auto sim = Make(OnePartition({}));
  const Json t = Step(*sim, {{"op", "create_topic"}, {"name", "t"}, {"partitions", 1},
                             {"replication", 3}, {"min_insync_replicas", 2}});
  const Json replicas = t["partitions"][0]["replicas"];
  Step(*sim, {{"op", "produce"}, {"topic", "t"}, {"value", "v"}});
  // Both followers die before fetching: HW reaches the record with an ISR of one.
  Step(*sim, {{"op", "kill_broker"}, {"id", replicas[1]}});
  Step(*sim, {{"op", "kill_broker"}, {"id", replicas[2]}});
  Json snap = sim->Snapshot(sdp::Simulation::Detail::kSummary);
  CHECK(snap["errors"]["NOT_ENOUGH_REPLICAS_AFTER_APPEND"] == 1);
  CHECK(snap["counters"]["acked"] == 0);
  Refused(*sim, {{"op", "produce"}, {"topic", "t"}, {"value", "v"}}, "NOT_ENOUGH_REPLICAS");
  Step(*sim, {{"op", "produce"}, {"topic", "t"}, {"value", "v"}, {"acks", "1"}});
  CHECK(As(*sim).counters().acked == 1);
}

TEST_CASE("kafka: unclean election loses exactly what the new leader never fetched", "[kafka]") {
  for (bool unclean : {true, false}) {
    INFO("unclean " << unclean);
    auto sim = Make(OnePartition({{"acks", "1"}, {"unclean_leader_election_enable", unclean}}));
    const Json t = Step(*sim, {{"op", "create_topic"}, {"name", "t"}, {"partitions", 1},
                               {"replication", 3}});
    const Json r = t["partitions"][0]["replicas"];  // r[0] leads
    auto produce = [&](int n) {
      for (int i = 0; i < n; ++i) Step(*sim, {{"op", "produce"}, {"topic", "t"}, {"value", "v"}});
    };
    produce(5);
    Step(*sim, {{"op", "advance"}, {"ms", 200}});
    Step(*sim, {{"op", "kill_broker"}, {"id", r[2]}});  // r[2] stops at offset 5
    produce(3);
    Step(*sim, {{"op", "advance"}, {"ms", 200}});
    Step(*sim, {{"op", "kill_broker"}, {"id", r[1]}});  // r[1] stops at 8
    produce(4);                                          // only r[0] has 8..11
    const Json kill = Step(*sim, {{"op", "kill_broker"}, {"id", r[0]}});
    CHECK(kill["offline"] == Json({"t-0"}));
    const Json start = Step(*sim, {{"op", "start_broker"}, {"id", r[2]}});
    if (unclean) {
      REQUIRE(start["elections"].size() == 1);
      CHECK(start["elections"][0]["clean"] == false);
      CHECK(start["elections"][0]["to"] == r[2]);
      CHECK(start["elections"][0]["lost"] == 7);  // offsets 5..11
      CHECK(As(*sim).counters().lost == 7);
      CHECK(As(*sim).counters().lost_acked == 7);
      CHECK(Partition(*sim, 0, 0)["log_end"] == 5);
    } else {
      CHECK(start["elections"].empty());
      CHECK(Partition(*sim, 0, 0)["offline"] == true);
      Refused(*sim, {{"op", "produce"}, {"topic", "t"}, {"value", "v"}}, "LEADER_NOT_AVAILABLE");
      // The last in-sync replica returns: elected cleanly, nothing lost.
      const Json back = Step(*sim, {{"op", "start_broker"}, {"id", r[0]}});
      CHECK(back["elections"][0]["clean"] == true);
      CHECK(back["elections"][0]["lost"] == 0);
      CHECK(Partition(*sim, 0, 0)["log_end"] == 12);
      CHECK(As(*sim).counters().lost == 0);
    }
    CheckWatermarks(*sim);
  }
}

TEST_CASE("kafka: a restarted follower keeps its same-epoch records, catches up, rejoins the ISR",
          "[kafka]") {
  // 61 + 40 + 10 = 111-byte batches of one record, 400-byte fetches: three per fetch.
  auto sim = Make(OnePartition({{"acks", "1"}, {"replica_fetch_max_bytes", 400}}));
  const Json t = Step(*sim, {{"op", "create_topic"}, {"name", "t"}, {"partitions", 1},
                             {"replication", 3}});
  const Json r = t["partitions"][0]["replicas"];
  auto produce = [&](int n) {
    for (int i = 0; i < n; ++i) Step(*sim, {{"op", "produce"}, {"topic", "t"}, {"value", std::string(40, 'v')}});
  };
  Step(*sim, {{"op", "stall_broker"}, {"id", r[2]}});  // in the ISR at 0: holds HW at 0
  produce(3);
  Step(*sim, {{"op", "advance"}, {"ms", 100}});
  CHECK(Partition(*sim, 0, 0)["leo"] == Json({3, 3, 0}));
  CHECK(Partition(*sim, 0, 0)["hw"] == 0);
  Step(*sim, {{"op", "kill_broker"}, {"id", r[1]}});
  // Leader epochs (KIP-101): 0..2 are on the leader in the same epoch, so the
  // follower keeps them although HW is 0 (before 0.11 it truncated to HW).
  const Json start = Step(*sim, {{"op", "start_broker"}, {"id", r[1]}});
  CHECK(start["truncated"].empty());
  CHECK(Partition(*sim, 0, 0)["isr"].size() == 2);
  Step(*sim, {{"op", "stall_broker"}, {"id", r[2]}, {"stalled", false}});
  produce(9);
  Step(*sim, {{"op", "advance"}, {"ms", 100}});
  Json p = Partition(*sim, 0, 0);
  CHECK(p["leo"] == Json({12, 6, 3}));
  CHECK(p["hw"] == 3);
  CHECK(p["isr"].size() == 3);  // its LEO reached HW: back in sync
  CHECK(As(*sim).counters().isr_expands == 1);
  Step(*sim, {{"op", "advance"}, {"ms", 300}});
  p = Partition(*sim, 0, 0);
  CHECK(p["leo"] == Json({12, 12, 12}));
  CHECK(p["hw"] == 12);
  CheckWatermarks(*sim);
}

namespace {

// A seeded random life of a 4-partition topic on 4 brokers: produce, advance,
// kill, start, stall. Returns {lost_acked, elections}; checks that committed
// records survive.
std::pair<uint64_t, uint64_t> RandomLife(uint64_t seed, const char* acks, bool unclean, bool check_committed) {
  auto sim = Make({{"brokers", 4}, {"acks", acks}, {"unclean_leader_election_enable", unclean},
                   {"replica_fetch_ms", 50}, {"replica_lag_time_max_ms", 300}}, seed);
  Step(*sim, {{"op", "create_topic"}, {"name", "t"}, {"partitions", 4}, {"replication", 3},
              {"min_insync_replicas", 2}});
  sdp::Rng rng(seed * 7919);
  std::map<std::pair<int, int64_t>, std::string> produced, committed;
  int counter = 0;
  for (int step = 0; step < 120; ++step) {
    const uint64_t action = rng.Below(10);
    const int broker = static_cast<int>(rng.Below(4)) + 1;
    if (action < 5) {
      const std::string value = "v" + std::to_string(counter++);
      auto r = kafka_test::Try(*sim, {{"op", "produce"}, {"topic", "t"},
                                      {"key", "k" + std::to_string(rng.Below(20))}, {"value", value}});
      if (r.ok()) produced[{r.value()["partition"].get<int>(), r.value()["offset"].get<int64_t>()}] = value;
    } else if (action < 7) {
      Step(*sim, {{"op", "advance"}, {"ms", 10 + rng.Below(400)}});
    } else if (action == 7) {
      (void)kafka_test::Try(*sim, {{"op", "kill_broker"}, {"id", broker}});
    } else if (action == 8) {
      (void)kafka_test::Try(*sim, {{"op", "start_broker"}, {"id", broker}});
    } else {
      Step(*sim, {{"op", "stall_broker"}, {"id", broker}, {"stalled", rng.Bernoulli(0.5)}});
    }
    if (!check_committed) continue;
    const Json snap = sim->Snapshot(sdp::Simulation::Detail::kSummary);
    CheckWatermarks(snap);
    const Json& parts = snap["topics"][0]["partitions"];
    for (const auto& [where, value] : produced) {
      if (where.second < parts[where.first]["hw"].get<int64_t>()) committed.emplace(where, value);
    }
  }
  for (int b = 1; b <= 4; ++b) {
    (void)kafka_test::Try(*sim, {{"op", "start_broker"}, {"id", b}});
    Step(*sim, {{"op", "stall_broker"}, {"id", b}, {"stalled", false}});
  }
  Step(*sim, {{"op", "advance"}, {"ms", 1000}});
  if (check_committed) {
    CHECK(As(*sim).counters().acked > 0);
    for (const auto& [where, value] : committed) {
      const auto record = As(*sim).RecordAt("t", where.first, where.second);
      INFO("seed " << seed << " t-" << where.first << "@" << where.second);
      REQUIRE(record.has_value());
      CHECK(record->value == value);
    }
  }
  return {As(*sim).counters().lost_acked, As(*sim).counters().elections};
}

}  // namespace

TEST_CASE("kafka: acks=all, min ISR 2, clean elections: nothing committed is ever lost",
          "[kafka]") {
  uint64_t elections = 0;
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    INFO("seed " << seed);
    const auto [lost_acked, elected] = RandomLife(seed, "all", false, true);
    CHECK(lost_acked == 0);
    elections += elected;
  }
  CHECK(elections > 30);  // leaders really moved
  // The same lives with acks=1 and unclean elections do lose acknowledged
  // records: the check above is not vacuous.
  uint64_t lost = 0;
  for (uint64_t seed = 1; seed <= 40; ++seed) lost += RandomLife(seed, "1", true, false).first;
  CHECK(lost > 0);
}

}  // namespace kafka_replication_test

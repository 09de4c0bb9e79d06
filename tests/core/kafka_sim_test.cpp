// The kafka sim's producer side and its refusals: Kafka's error names, keyed
// partitioning equal to Kafka's murmur2, Kafka's replica placement, batching
// with linger.ms / batch.size, the keyless partitioners, determinism.
#include <map>
#include <set>

#include "kafka_test_util.h"
#include "sdp/hash.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace kafka_sim_test {

// Make, Step, Refused, Partition, Group, As and Json: kafka_test_util.h.
using namespace kafka_test;  // NOLINT(build/namespaces): test helpers only

TEST_CASE("kafka: bad requests are refused with Kafka's error names and change nothing",
          "[kafka]") {
  auto sim = Make({{"brokers", 3}});
  Step(*sim, {{"op", "create_topic"}, {"name", "orders"}, {"partitions", 3}, {"replication", 3},
              {"min_insync_replicas", 2}});
  Step(*sim, {{"op", "produce"}, {"topic", "orders"}, {"key", "a"}, {"value", "1"}});
  Step(*sim, {{"op", "consumer_join"}, {"group", "g"}, {"id", "c1"}});
  Step(*sim, {{"op", "consumer_join"}, {"group", "g"}, {"id", "c2"}});
  Step(*sim, {{"op", "advance"}, {"ms", 500}});

  Refused(*sim, {{"op", "create_topic"}, {"name", "x"}, {"partitions", 0}}, "INVALID_PARTITIONS");
  Refused(*sim, {{"op", "create_topic"}, {"name", "x"}, {"partitions", -3}}, "INVALID_PARTITIONS");
  Refused(*sim, {{"op", "create_topic"}, {"name", "x"}, {"partitions", 1}, {"replication", 4}},
          "INVALID_REPLICATION_FACTOR");
  Refused(*sim, {{"op", "create_topic"}, {"name", "x"}, {"partitions", 1}, {"replication", 0}},
          "INVALID_REPLICATION_FACTOR");
  Refused(*sim, {{"op", "create_topic"}, {"name", "orders"}, {"partitions", 1}},
          "TOPIC_ALREADY_EXISTS");
  Refused(*sim, {{"op", "create_topic"}, {"name", "a b"}, {"partitions", 1}},
          "INVALID_TOPIC_EXCEPTION");
  Refused(*sim, {{"op", "produce"}, {"topic", "nope"}, {"value", "v"}}, "UNKNOWN_TOPIC_OR_PARTITION");
  Refused(*sim, {{"op", "produce"}, {"topic", "orders"}, {"value", "v"}, {"partition", 3}},
          "UNKNOWN_TOPIC_OR_PARTITION");
  Refused(*sim, {{"op", "stream"}, {"topic", "nope"}, {"rate", 10}}, "UNKNOWN_TOPIC_OR_PARTITION");
  Refused(*sim, {{"op", "consumer_join"}, {"group", "g"}, {"id", "c3"}, {"topic", "nope"}},
          "UNKNOWN_TOPIC_OR_PARTITION");
  Refused(*sim, {{"op", "consumer_join"}, {"group", "g"}, {"id", "c1"}}, "already a member");
  Refused(*sim, {{"op", "poll"}, {"group", "g"}, {"id", "zz"}}, "UNKNOWN_MEMBER_ID");
  Refused(*sim, {{"op", "consumer_leave"}, {"group", "nogroup"}, {"id", "c1"}}, "UNKNOWN_MEMBER_ID");
  // Range gives c1 orders-0, orders-1 and c2 orders-2: c1 has no position of
  // orders-2 to commit (Kafka would accept an explicit offset for it).
  Refused(*sim, {{"op", "commit"}, {"group", "g"}, {"id", "c1"}, {"topic", "orders"}, {"partition", 2}},
          "field \"offset\" is needed");
  Refused(*sim, {{"op", "commit"}, {"group", "g"}, {"id", "c1"}, {"topic", "orders"}, {"partition", 7}},
          "UNKNOWN_TOPIC_OR_PARTITION");
  Refused(*sim, {{"op", "kill_broker"}, {"id", 9}}, "\"id\"");
  Refused(*sim, {{"op", "start_broker"}, {"id", 1}}, "already running");
  Refused(*sim, {{"op", "brokers"}, {"count", 2}}, "\"count\"");

  // Two followers down: the ISR of every partition is its leader alone.
  Step(*sim, {{"op", "kill_broker"}, {"id", 1}});
  Step(*sim, {{"op", "kill_broker"}, {"id", 2}});
  Refused(*sim, {{"op", "produce"}, {"topic", "orders"}, {"value", "v"}, {"partition", 0}},
          "NOT_ENOUGH_REPLICAS");
  Refused(*sim, {{"op", "kill_broker"}, {"id", 1}}, "already down");
  Step(*sim, {{"op", "produce"}, {"topic", "orders"}, {"value", "v"}, {"partition", 0}, {"acks", "1"}});
  // The last broker down: every partition is offline.
  Step(*sim, {{"op", "kill_broker"}, {"id", 3}});
  Refused(*sim, {{"op", "produce"}, {"topic", "orders"}, {"value", "v"}, {"acks", "1"}},
          "LEADER_NOT_AVAILABLE");
}

TEST_CASE("kafka: a keyed record goes to toPositive(murmur2(key)) % partitions", "[kafka]") {
  auto sim = Make(Json::object());
  Step(*sim, {{"op", "create_topic"}, {"name", "t"}, {"partitions", 12}});
  std::map<int, int64_t> next_offset;
  for (int i = 0; i < 300; ++i) {
    const std::string key = "user-" + std::to_string(i * 7919);
    const Json r = Step(*sim, {{"op", "produce"}, {"topic", "t"}, {"key", key}, {"value", "v"}});
    const int p = r["partition"].get<int>();
    CHECK(p == static_cast<int>(sdp::KafkaPartition(key, 12)));
    CHECK(r["offset"].get<int64_t>() == next_offset[p]++);
    const auto stored = As(*sim).RecordAt("t", p, r["offset"].get<int64_t>());
    REQUIRE(stored.has_value());
    CHECK(stored->key == key);
  }
  // Kafka's own vector: murmur2("21") = -973932308 -> toPositive % 12.
  const Json r = Step(*sim, {{"op", "produce"}, {"topic", "t"}, {"key", "21"}, {"value", "v"}});
  CHECK(r["partition"] == (static_cast<uint32_t>(-973932308) & 0x7fffffffu) % 12);
}

TEST_CASE("kafka: replicas are placed like Kafka's rack-unaware assignment", "[kafka]") {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    auto sim = Make({{"brokers", 3}}, seed);
    const Json created = Step(*sim, {{"op", "create_topic"}, {"name", "t"}, {"partitions", 6},
                                     {"replication", 3}})["partitions"];
    std::map<int, int> leaders;
    for (int p = 0; p < 6; ++p) {
      const Json replicas = created[p]["replicas"];
      REQUIRE(replicas.size() == 3);
      CHECK(std::set<int>(replicas.begin(), replicas.end()).size() == 3);
      CHECK(created[p]["leader"] == replicas[0]);
      ++leaders[replicas[0].get<int>()];
      // First replicas go round the brokers in order: (p + start) % n.
      if (p > 0) {
        const int before = created[p - 1]["replicas"][0].get<int>();
        CHECK(replicas[0].get<int>() == before % 3 + 1);
      }
      // The follower shift grows by one every n partitions, so partition p
      // and p + 3 share a leader but order their followers the other way.
      if (p < 3) {
        const Json later = created[p + 3]["replicas"];
        CHECK(later[0] == replicas[0]);
        CHECK(later[1] == replicas[2]);
        CHECK(later[2] == replicas[1]);
      }
    }
    CHECK(leaders == std::map<int, int>{{1, 2}, {2, 2}, {3, 2}});
  }
}

TEST_CASE("kafka: linger.ms holds a batch open; batch.size sends it when full", "[kafka]") {
  // Records of 1 + 39 + 10 = 50 bytes; 61 + 3 x 50 = 211 fits 220, a fourth does not.
  auto sim = Make({{"linger_ms", 10}, {"batch_size", 220}, {"acks", "1"}});
  Step(*sim, {{"op", "create_topic"}, {"name", "t"}, {"partitions", 1}});
  const std::string value(39, 'x');
  Json r = Step(*sim, {{"op", "produce"}, {"topic", "t"}, {"key", "k"}, {"value", value}});
  CHECK(r["offset"].is_null());
  CHECK(r["batch"]["sent"] == false);
  CHECK(r["batch"]["send_at_ms"] == 10);
  Step(*sim, {{"op", "advance"}, {"ms", 5}});
  r = Step(*sim, {{"op", "produce"}, {"topic", "t"}, {"key", "k"}, {"value", value}});
  CHECK(r["batch"]["records"] == 2);
  Step(*sim, {{"op", "advance"}, {"ms", 5}});  // t = 10: linger expires
  CHECK(Partition(*sim, 0, 0)["log_end"] == 2);
  CHECK(As(*sim).counters().batches == 1);
  for (int i = 0; i < 3; ++i) {
    r = Step(*sim, {{"op", "produce"}, {"topic", "t"}, {"key", "k"}, {"value", value}});
  }
  CHECK(r["batch"]["sent"] == false);  // 3 records = 211 bytes: still room
  r = Step(*sim, {{"op", "produce"}, {"topic", "t"}, {"key", "k"}, {"value", value}});
  // The fourth did not fit: the first three left as a full batch, it starts a new one.
  CHECK(As(*sim).counters().batches == 2);
  CHECK(Partition(*sim, 0, 0)["log_end"] == 5);
  CHECK(r["batch"]["records"] == 1);
}

TEST_CASE("kafka: linger trades latency for fewer, fuller batches", "[kafka]") {
  auto run = [](int64_t linger) {
    auto sim = Make({{"linger_ms", linger}, {"acks", "1"}, {"bucket_ms", 1000}});
    Step(*sim, {{"op", "create_topic"}, {"name", "t"}, {"partitions", 4}});
    Step(*sim, {{"op", "stream"}, {"topic", "t"}, {"rate", 20000}, {"key_count", 50}});
    Step(*sim, {{"op", "advance"}, {"ms", 3000}});
    const auto p50 = sim->Column("series:p50_us");
    REQUIRE(p50.size() == 3);
    return std::pair<uint64_t, uint32_t>(As(*sim).counters().batches, p50[1]);
  };
  const auto [batches0, p50_0] = run(0);
  const auto [batches20, p50_20] = run(20);
  CHECK(batches20 * 4 < batches0);
  CHECK(p50_0 <= 1000);             // sent at the end of its 1 ms tick
  CHECK(p50_20 >= 10000);           // waits for the batch to fill or linger out
  CHECK(p50_20 <= 20000);
}

TEST_CASE("kafka: keyless round robin spreads evenly, sticky sticks to a batch", "[kafka]") {
  auto rr = Make({{"partitioner", "round_robin"}});
  Step(*rr, {{"op", "create_topic"}, {"name", "t"}, {"partitions", 3}});
  std::map<int, int> count;
  for (int i = 0; i < 30; ++i) {
    ++count[Step(*rr, {{"op", "produce"}, {"topic", "t"}, {"value", "v"}})["partition"].get<int>()];
  }
  CHECK(count == std::map<int, int>{{0, 10}, {1, 10}, {2, 10}});

  // Sticky with linger: records stay on one partition while its batch is open.
  auto sticky = Make({{"partitioner", "sticky"}, {"linger_ms", 50}});
  Step(*sticky, {{"op", "create_topic"}, {"name", "t"}, {"partitions", 6}});
  std::set<int> used;
  for (int i = 0; i < 20; ++i) {
    used.insert(Step(*sticky, {{"op", "produce"}, {"topic", "t"}, {"value", "v"}})["partition"].get<int>());
  }
  CHECK(used.size() == 1);
  Step(*sticky, {{"op", "advance"}, {"ms", 60}});  // the batch left: the next record moves on
  const int next = Step(*sticky, {{"op", "produce"}, {"topic", "t"}, {"value", "v"}})["partition"];
  CHECK(used.count(next) == 0);
}

TEST_CASE("kafka: same seed, same snapshot; refused steps change nothing", "[kafka]") {
  const Json scenario = Json::parse(R"({"sim":"kafka","seed":42,"config":{"consume_rate":300},
    "steps":[{"op":"create_topic","name":"t","partitions":6,"replication":3,"min_insync_replicas":2},
      {"op":"stream","topic":"t","rate":2000,"keys":"hot","hot_share":0.4,"salt":4},
      {"op":"consumer_join","group":"g","id":"a"},{"op":"consumer_join","group":"g","id":"b"},
      {"op":"advance","ms":1500},{"op":"kill_broker","id":2},{"op":"advance","ms":700},
      {"op":"produce","topic":"zz","value":"v"},{"op":"start_broker","id":2},
      {"op":"advance","ms":1000}]})");
  auto a = sdp::RunScenario(scenario);
  auto b = sdp::RunScenario(scenario);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a.value().dump() == b.value().dump());
  Json other = scenario;
  other["seed"] = 43;
  CHECK(sdp::RunScenario(other).value()["snapshot"].dump() != a.value()["snapshot"].dump());
  // The refused produce (unknown topic) left no trace: dropping it changes nothing.
  Json without = scenario;
  without["steps"].erase(7);
  CHECK(sdp::RunScenario(without).value()["snapshot"] == a.value()["snapshot"]);
}

}  // namespace kafka_sim_test

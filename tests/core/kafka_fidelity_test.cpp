// The kafka sim against what Apache Kafka's own code does (issue 23): each
// test is named after the source it follows.
#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "kafka_test_util.h"
#include "sdp/hash.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace kafka_fidelity_test {

// Make, Step, Refused, Partition, Group, As and Json: kafka_test_util.h.
using namespace kafka_test;  // NOLINT(build/namespaces): test helpers only

TEST_CASE("Kafka ConsumerCoordinator.onJoinComplete rejoins only when a live member revokes",
          "[kafka]") {
  // CooperativeStickyAssignor.adjustAssignment holds back partitions a member of
  // the rebalance still owns; that member revokes them and rejoins ("need to
  // revoke partitions and re-join"). Nobody else needs a second round.
  auto sim = Make({{"assignor", "cooperative-sticky"}});
  Step(*sim, {{"op", "create_topic"}, {"name", "t"}, {"partitions", 6}});
  const Json first = Step(*sim, {{"op", "consumer_join"}, {"group", "g"}, {"id", "a"}});
  CHECK(first["rounds"] == 1);  // a first join: nothing owned, nothing revoked
  CHECK(first["generation"] == 1);
  const Json second = Step(*sim, {{"op", "consumer_join"}, {"group", "g"}, {"id", "b"}});
  CHECK(second["moves"] == 3);
  CHECK(second["rounds"] == 2);  // a gives three partitions to b
  CHECK(second["generation"] == 3);
  const Json third = Step(*sim, {{"op", "consumer_join"}, {"group", "g"}, {"id", "c"}});
  CHECK(third["rounds"] == 2);
  const Json leave = Step(*sim, {{"op", "consumer_leave"}, {"group", "g"}, {"id", "c"}});
  CHECK(leave["moves"] == 2);
  CHECK(leave["rounds"] == 1);  // c's partitions were nobody's to revoke
  const Json crash = Step(*sim, {{"op", "crash_consumer"}, {"group", "g"}, {"id", "b"},
                                 {"when", "before_commit"}});
  CHECK(crash["rebalance"]["moves"] == 3);
  CHECK(crash["rebalance"]["rounds"] == 1);
  CHECK(crash["rebalance"]["generation"] == 3 + 2 + 1 + 1);
  // Eager assignors always take one round.
  const Json eager = Step(*sim, {{"op", "assignor"}, {"group", "g"}, {"name", "range"}});
  CHECK(eager["rounds"] == 1);
  CHECK(Step(*sim, {{"op", "consumer_join"}, {"group", "g"}, {"id", "d"}})["rounds"] == 1);
}

TEST_CASE("Kafka GroupCoordinator.validateOffsetCommit accepts a commit for an unowned partition",
          "[kafka]") {
  // The coordinator checks member id and generation only, not the assignment.
  auto sim = Make({{"auto_offset_reset", "earliest"}, {"enable_auto_commit", false}});
  Step(*sim, {{"op", "create_topic"}, {"name", "t"}, {"partitions", 3}});
  for (int i = 0; i < 30; ++i) {
    Step(*sim, {{"op", "produce"}, {"topic", "t"}, {"value", "v"}, {"partition", i % 3}});
  }
  Step(*sim, {{"op", "consumer_join"}, {"group", "g"}, {"id", "c1"}});
  Step(*sim, {{"op", "consumer_join"}, {"group", "g"}, {"id", "c2"}});  // range: c2 owns t-2
  // Without an offset there is no position of t-2 at c1 to commit: a clear refusal.
  Refused(*sim, {{"op", "commit"}, {"group", "g"}, {"id", "c1"}, {"partition", 2}}, "\"offset\"");
  Refused(*sim, {{"op", "commit"}, {"group", "g"}, {"id", "c1"}, {"offset", 4}}, "\"partition\"");
  const Json c = Step(*sim, {{"op", "commit"}, {"group", "g"}, {"id", "c1"}, {"partition", 2},
                             {"offset", 7}});
  CHECK(c["committed"] == Json({{"t-2", 7}}));
  // c2 is gone without committing: c1 takes t-2 over at the offset it committed.
  Step(*sim, {{"op", "crash_consumer"}, {"group", "g"}, {"id", "c2"}, {"when", "before_commit"},
              {"max", 1}});
  const Json poll = Step(*sim, {{"op", "poll"}, {"group", "g"}, {"id", "c1"}, {"max", 100}});
  std::set<int64_t> offsets_of_t2;
  for (const Json& r : poll["records"]) {
    if (r["partition"] == 2) offsets_of_t2.insert(r["offset"].get<int64_t>());
  }
  REQUIRE_FALSE(offsets_of_t2.empty());
  CHECK(*offsets_of_t2.begin() == 7);
  // An unknown member is still refused.
  Refused(*sim, {{"op", "commit"}, {"group", "g"}, {"id", "c2"}, {"partition", 2}, {"offset", 1}},
          "UNKNOWN_MEMBER_ID");
}

TEST_CASE("Kafka AbstractFetcherThread.truncateToEpochEndOffsets keeps same-epoch records (KIP-101)",
          "[kafka]") {
  // A follower that returns with records the leader holds in the same leader
  // epoch keeps them, even above HW; one whose records were cut from the
  // leader's log while it was away (an unclean election) truncates there.
  auto sim = Make({{"acks", "1"}, {"unclean_leader_election_enable", true}, {"replica_fetch_ms", 100}});
  const Json t = Step(*sim, {{"op", "create_topic"}, {"name", "t"}, {"partitions", 1},
                             {"replication", 3}});
  const Json r = t["partitions"][0]["replicas"];
  auto produce = [&](int n) {
    for (int i = 0; i < n; ++i) Step(*sim, {{"op", "produce"}, {"topic", "t"}, {"value", "v"}});
  };
  Step(*sim, {{"op", "stall_broker"}, {"id", r[2]}});  // holds HW at 0
  produce(4);
  Step(*sim, {{"op", "advance"}, {"ms", 100}});
  CHECK(Partition(*sim, 0, 0)["leo"] == Json({4, 4, 0}));
  CHECK(Partition(*sim, 0, 0)["hw"] == 0);
  Step(*sim, {{"op", "kill_broker"}, {"id", r[1]}});
  const Json back = Step(*sim, {{"op", "start_broker"}, {"id", r[1]}});
  CHECK(back["truncated"].empty());  // 0..3 are on the leader in the same epoch
  CHECK(Partition(*sim, 0, 0)["leo"] == Json({4, 4, 0}));
  // Now a divergence: r[1] and r[2] die, r[0] appends alone, dies; r[2] (at 0)
  // is elected uncleanly and the log is cut to 0.
  Step(*sim, {{"op", "stall_broker"}, {"id", r[2]}, {"stalled", false}});
  Step(*sim, {{"op", "kill_broker"}, {"id", r[2]}});
  Step(*sim, {{"op", "kill_broker"}, {"id", r[1]}});
  produce(2);  // only r[0] has 4..5
  Step(*sim, {{"op", "kill_broker"}, {"id", r[0]}});
  const Json unclean = Step(*sim, {{"op", "start_broker"}, {"id", r[2]}});
  REQUIRE(unclean["elections"].size() == 1);
  CHECK(unclean["elections"][0]["clean"] == false);
  CHECK(Partition(*sim, 0, 0)["log_end"] == 0);
  const Json old_leader = Step(*sim, {{"op", "start_broker"}, {"id", r[0]}});
  CHECK(old_leader["truncated"] ==
        Json::array({{{"partition", "t-0"}, {"from", 6}, {"to", 0}}}));
}

TEST_CASE("Kafka 2.4-3.2 KafkaProducer.doSend calls onNewBatch for keyed records too", "[kafka]") {
  // Two partitions, so the sticky partition toggles. A keyless record r1 opens
  // a batch on the sticky partition S; a keyed record for S that does not fit
  // needs a new batch, so onNewBatch(S) moves the sticky partition away; the
  // next keyless record then finds no batch there, moves back and lands on S.
  // (Without the call it would find S's batch full and move away from S.)
  for (uint64_t seed : {1u, 2u, 3u, 4u}) {
    INFO("seed " << seed);
    auto sim = Make({{"partitioner", "sticky"}, {"linger_ms", 1000}, {"batch_size", 100}}, seed);
    Step(*sim, {{"op", "create_topic"}, {"name", "t"}, {"partitions", 2}});
    const std::string value(19, 'v');  // 29 bytes keyless: 61 + 29 = 90 of 100
    const Json r1 = Step(*sim, {{"op", "produce"}, {"topic", "t"}, {"value", value}});
    const int s = r1["partition"].get<int>();
    std::string key = "k0";
    for (int i = 0; sdp::KafkaPartition(key, 2) != static_cast<uint32_t>(s); ++i) {
      key = "k" + std::to_string(i);
    }
    const Json keyed = Step(*sim, {{"op", "produce"}, {"topic", "t"}, {"key", key}, {"value", value}});
    CHECK(keyed["partition"] == s);
    const Json r2 = Step(*sim, {{"op", "produce"}, {"topic", "t"}, {"value", value}});
    CHECK(r2["partition"] == s);
  }
}

TEST_CASE("kafka stream reports how many partitions the salted hot keys reach", "[kafka]") {
  auto sim = Make({{"acks", "1"}});
  Step(*sim, {{"op", "create_topic"}, {"name", "t"}, {"partitions", 12}});
  for (int salt : {0, 8, 16}) {
    const Json s = Step(*sim, {{"op", "stream"}, {"topic", "t"}, {"rate", 10}, {"keys", "hot"},
                               {"salt", salt}});
    std::set<int> distinct;
    std::map<int, int> count;
    int most = 0;
    for (const Json& p : s["hot_partitions"]) {
      distinct.insert(p.get<int>());
      most = std::max(most, ++count[p.get<int>()]);
    }
    CHECK(s["hot_partitions_reached"] == distinct.size());
    CHECK(s["hot_keys_most_on_one_partition"] == most);
    CHECK(s["hot_partitions"].size() == (salt == 0 ? 1u : static_cast<size_t>(salt)));
    // docs/kafka.md states these (Kafka's murmur2 of "hot#j", 12 partitions):
    // hot#0..hot#7 put three on one partition; 16 salts reach only 9 of 12.
    if (salt == 8) CHECK(most == 3);
    if (salt == 16) CHECK(distinct.size() == 9u);
  }
}

}  // namespace kafka_fidelity_test

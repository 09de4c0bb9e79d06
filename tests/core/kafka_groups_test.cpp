// The kafka sim's consumer side: rebalancing with Kafka's assignors (the
// javadoc examples), eager vs cooperative revocation, at-least-once
// redelivery and at-most-once loss counted exactly, retention and
// auto.offset.reset, hot keys, salting and the per-key ordering checker.
#include "kafka_test_util.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace kafka_groups_test {

// Make, Step, Refused, Partition, Group, As and Json: kafka_test_util.h.
using namespace kafka_test;  // NOLINT(build/namespaces): test helpers only

namespace {

// Two topics t0, t1 with 3 partitions each, consumers C0 and C1 subscribed to both.
std::unique_ptr<sdp::Simulation> JavadocGroup(const char* assignor) {
  auto sim = Make({{"assignor", assignor}});
  Step(*sim, {{"op", "create_topic"}, {"name", "t0"}, {"partitions", 3}});
  Step(*sim, {{"op", "create_topic"}, {"name", "t1"}, {"partitions", 3}});
  Step(*sim, {{"op", "consumer_join"}, {"group", "g"}, {"id", "C0"}});
  Step(*sim, {{"op", "consumer_join"}, {"group", "g"}, {"id", "C1"}});
  return sim;
}

int64_t Lag(const Json& group, const std::string& partition) {
  for (const Json& p : group["partitions"]) {
    if (p["partition"] == partition) return p["lag"].get<int64_t>();
  }
  FAIL("no partition " << partition);
  return -1;
}

}  // namespace

TEST_CASE("kafka: Kafka's javadoc examples for range and roundrobin hold", "[kafka]") {
  auto range = JavadocGroup("range");
  const Json a = Group(*range, 0)["last_rebalance"]["assignment"];
  CHECK(a["C0"] == Json({"t0-0", "t0-1", "t1-0", "t1-1"}));
  CHECK(a["C1"] == Json({"t0-2", "t1-2"}));
  auto rr = JavadocGroup("roundrobin");
  const Json b = Group(*rr, 0)["last_rebalance"]["assignment"];
  CHECK(b["C0"] == Json({"t0-0", "t0-2", "t1-1"}));
  CHECK(b["C1"] == Json({"t0-1", "t1-0", "t1-2"}));
  // Changing the assignor rebalances at once.
  const Json changed = Step(*range, {{"op", "assignor"}, {"group", "g"}, {"name", "roundrobin"}});
  CHECK(changed["assignment"] == b);
  CHECK(changed["moves"] == 3);  // t0-1, t0-2 and t1-0 change owner
}

TEST_CASE("kafka: join and leave rebalance; cooperative revokes only what moves", "[kafka]") {
  for (const char* assignor : {"range", "cooperative-sticky"}) {
    INFO(assignor);
    const bool cooperative = std::string(assignor) == "cooperative-sticky";
    auto sim = Make({{"assignor", assignor}, {"enable_auto_commit", false},
                     {"auto_offset_reset", "earliest"}});
    Step(*sim, {{"op", "create_topic"}, {"name", "t"}, {"partitions", 6}});
    for (int i = 0; i < 60; ++i) {
      Step(*sim, {{"op", "produce"}, {"topic", "t"}, {"value", "v"}, {"partition", i % 6}});
    }
    for (const char* id : {"a", "b", "c"}) Step(*sim, {{"op", "consumer_join"}, {"group", "g"}, {"id", id}});
    for (const char* id : {"a", "b", "c"}) Step(*sim, {{"op", "poll"}, {"group", "g"}, {"id", id}});
    CHECK(Group(*sim, 0)["counters"]["processed"] == 60);
    const Json join = Step(*sim, {{"op", "consumer_join"}, {"group", "g"}, {"id", "d"}});
    CHECK(join["protocol"] == (cooperative ? "cooperative" : "eager"));
    const int moves = join["moves"].get<int>();
    CHECK(join["revoked"].size() == (cooperative ? static_cast<size_t>(moves) : 6u));
    CHECK(join["rounds"] == (cooperative ? 2 : 1));
    // Nothing was committed: an eager rebalance rewinds every partition to the
    // reset offset; a cooperative one only the moved partitions.
    for (const char* id : {"a", "b", "c", "d"}) Step(*sim, {{"op", "poll"}, {"group", "g"}, {"id", id}});
    const Json counters = Group(*sim, 0)["counters"];
    CHECK(counters["duplicates"] == (cooperative ? 10 * moves : 60));
    // Leave: the leaver's partitions go to the others.
    const Json leave = Step(*sim, {{"op", "consumer_leave"}, {"group", "g"}, {"id", "d"}});
    CHECK(leave["assignment"].size() == 3);
    CHECK(leave["assignment"].contains("d") == false);
    size_t owned = 0;
    for (const auto& [id, list] : leave["assignment"].items()) owned += list.size();
    CHECK(owned == 6);
  }
}

TEST_CASE("kafka: at-least-once redelivers, at-most-once loses, exactly", "[kafka]") {
  const Json config = {{"enable_auto_commit", false}, {"auto_offset_reset", "earliest"}};
  auto setup = [&config] {
    auto sim = Make(config);
    Step(*sim, {{"op", "create_topic"}, {"name", "t"}, {"partitions", 1}});
    for (int i = 0; i < 10; ++i) {
      Step(*sim, {{"op", "produce"}, {"topic", "t"}, {"key", "k"}, {"value", std::to_string(i)}});
    }
    Step(*sim, {{"op", "consumer_join"}, {"group", "g"}, {"id", "c1"}});
    CHECK(Step(*sim, {{"op", "poll"}, {"group", "g"}, {"id", "c1"}, {"max", 4}})["count"] == 4);
    CHECK(Step(*sim, {{"op", "commit"}, {"group", "g"}, {"id", "c1"}})["committed"]["t-0"] == 4);
    return sim;
  };
  SECTION("crash after processing, before committing: records 4..6 come again") {
    auto sim = setup();
    const Json crash = Step(*sim, {{"op", "crash_consumer"}, {"group", "g"}, {"id", "c1"},
                                   {"when", "before_commit"}, {"max", 3}});
    CHECK(crash["batch"] == 3);
    CHECK(crash["redeliver"] == 3);
    CHECK(crash["lose"] == 0);
    Step(*sim, {{"op", "consumer_join"}, {"group", "g"}, {"id", "c2"}});
    const Json poll = Step(*sim, {{"op", "poll"}, {"group", "g"}, {"id", "c2"}});
    CHECK(poll["count"] == 6);
    CHECK(poll["records"][0]["offset"] == 4);
    CHECK(poll["records"][0]["value"] == "4");
    const Json c = Group(*sim, 0)["counters"];
    CHECK(c["processed"] == 13);
    CHECK(c["duplicates"] == 3);
    CHECK(c["skipped"] == 0);
    CHECK(c["out_of_order"] == 0);  // redeliveries are duplicates, not reorderings
  }
  SECTION("crash after committing, before processing: records 4..6 are never processed") {
    auto sim = setup();
    const Json crash = Step(*sim, {{"op", "crash_consumer"}, {"group", "g"}, {"id", "c1"},
                                   {"when", "after_commit"}, {"max", 3}});
    CHECK(crash["lose"] == 3);
    CHECK(crash["redeliver"] == 0);
    Step(*sim, {{"op", "consumer_join"}, {"group", "g"}, {"id", "c2"}});
    const Json poll = Step(*sim, {{"op", "poll"}, {"group", "g"}, {"id", "c2"}});
    CHECK(poll["count"] == 3);
    CHECK(poll["records"][0]["offset"] == 7);
    const Json c = Group(*sim, 0)["counters"];
    CHECK(c["processed"] == 7);
    CHECK(c["skipped"] == 3);
    CHECK(c["duplicates"] == 0);
    CHECK(As(*sim).counters().skipped == 3);
  }
}

TEST_CASE("kafka: retention deletes whole segments; a lost offset resets", "[kafka]") {
  // 1 record per batch: 61 + (39 + 10) = 110 bytes. 500-byte segments hold 4
  // batches. 20 records = 2200 bytes in 5 segments; retention.bytes 1000 deletes
  // the oldest while the rest still holds 1000: two segments (2200 -> 1320 -> 880
  // would be below).
  for (const char* reset : {"earliest", "latest"}) {
    INFO(reset);
    auto sim = Make({{"segment_bytes", 500}, {"retention_bytes", 1000}, {"retention_check_ms", 1000},
                     {"enable_auto_commit", false}, {"auto_offset_reset", reset}});
    Step(*sim, {{"op", "create_topic"}, {"name", "t"}, {"partitions", 1}});
    Step(*sim, {{"op", "produce"}, {"topic", "t"}, {"value", std::string(39, 'v')}});
    Step(*sim, {{"op", "consumer_join"}, {"group", "g"}, {"id", "c1"}});
    for (int i = 1; i < 20; ++i) {
      Step(*sim, {{"op", "produce"}, {"topic", "t"}, {"value", std::string(39, 'v')}});
    }
    Step(*sim, {{"op", "poll"}, {"group", "g"}, {"id", "c1"}, {"max", 2}});
    Step(*sim, {{"op", "commit"}, {"group", "g"}, {"id", "c1"}});
    Json part = Partition(*sim, 0, 0);
    CHECK(part["segments"] == 5);
    CHECK(part["bytes"] == 2200);
    Step(*sim, {{"op", "advance"}, {"ms", 1000}});
    part = Partition(*sim, 0, 0);
    CHECK(part["log_start"] == 8);
    CHECK(part["segments"] == 3);
    CHECK(part["bytes"] == 1320);
    CHECK(As(*sim).counters().deleted == 8);
    // The committed offset (earliest: 2; latest began at HW 1, so 3) fell off the log.
    Step(*sim, {{"op", "consumer_leave"}, {"group", "g"}, {"id", "c1"}});
    Step(*sim, {{"op", "consumer_join"}, {"group", "g"}, {"id", "c2"}});
    const Json poll = Step(*sim, {{"op", "poll"}, {"group", "g"}, {"id", "c2"}});
    const Json c = Group(*sim, 0)["counters"];
    if (std::string(reset) == "earliest") {
      CHECK(poll["records"][0]["offset"] == 8);
      CHECK(poll["count"] == 12);
      CHECK(c["expired"] == 6);  // 2..7 were deleted unread
      CHECK(c["skipped"] == 0);
    } else {
      CHECK(poll["count"] == 0);  // latest: starts at HW 20
      CHECK(c["expired"] == 5);   // 3..7 deleted unread
      CHECK(c["skipped"] == 12);  // 8..19 jumped over
    }
  }
}

TEST_CASE("kafka: a hot key's partition lags; salting spreads it but breaks key order",
          "[kafka]") {
  auto run = [](int salt) {
    auto sim = Make({{"consume_rate", 700}, {"acks", "1"}});
    Step(*sim, {{"op", "create_topic"}, {"name", "t"}, {"partitions", 12}});
    for (const char* id : {"a", "b", "c", "d"}) Step(*sim, {{"op", "consumer_join"}, {"group", "g"}, {"id", id}});
    const Json s = Step(*sim, {{"op", "stream"}, {"topic", "t"}, {"rate", 2000}, {"keys", "hot"},
                               {"hot_share", 0.5}, {"key_count", 200}, {"salt", salt}});
    Step(*sim, {{"op", "advance"}, {"ms", 10000}});
    int64_t max_lag = 0, hot_lag = 0;
    const Json g = Group(*sim, 0);
    for (const Json& p : g["partitions"]) max_lag = std::max(max_lag, p["lag"].get<int64_t>());
    hot_lag = Lag(g, "t-" + std::to_string(s["hot_partitions"][0].get<int>()));
    const auto lag_column = sim->Column("group:g:t:lag_" + std::to_string(s["hot_partitions"][0].get<int>()));
    CHECK(lag_column.size() == sim->Column("series:t_ms").size());
    return std::tuple<int64_t, int64_t, uint64_t, uint32_t>(max_lag, hot_lag,
                                                           As(*sim).counters().out_of_order,
                                                           lag_column.empty() ? 0 : lag_column.back());
  };
  const auto [max_hot, hot_lag, disorder_hot, hot_column] = run(0);
  // ~1000 records/s into one partition whose consumer handles 700/s for all of its 3.
  CHECK(hot_lag == max_hot);
  CHECK(hot_lag > 3000);
  CHECK(hot_column > 3000);
  CHECK(disorder_hot == 0);  // one key, one partition: always in order
  // 16 sub-keys: hot#j land on 9 of the 12 partitions (the stream's
  // hot_partitions_reached; 8 would crowd three onto one).
  const auto [max_salted, salted_hot_lag, disorder_salted, salted_column] = run(16);
  CHECK(max_salted * 4 < max_hot);
  CHECK(disorder_salted > 0);  // hot#0..hot#7 sit in different partitions
}

}  // namespace kafka_groups_test

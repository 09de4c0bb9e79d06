// The producer's partition choice: keyed records by Kafka's murmur2 (vectors
// from Kafka's UtilsTest run through toPositive(h) % n), keyless records by
// kafkajs's round robin, Java 2.4-3.2's StickyPartitionCache and Java >= 3.3's
// built-in uniform sticky partitioner.
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sdp/kafka/partitioners.h"

namespace sdp::kafka::kafka_partitioners_test {
namespace {

const std::vector<int32_t> kAllUp;  // empty: every partition counts as available

std::vector<int32_t> Keyless(Partitioner& p, int count, int32_t n,
                             const std::vector<int32_t>& available, int32_t bytes = 100) {
  std::vector<int32_t> out;
  for (int i = 0; i < count; ++i) out.push_back(p.Partition(std::nullopt, bytes, n, available));
  return out;
}

TEST_CASE("keyless strategy names parse both ways", "[kafka_part]") {
  for (const char* name : {"round_robin", "sticky", "uniform_sticky"}) {
    Result<KeylessStrategy> s = ParseKeyless(name);
    REQUIRE(s.ok());
    CHECK(KeylessName(s.value()) == name);
  }
  Result<KeylessStrategy> bad = ParseKeyless("roundrobin");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.message().find("round_robin, sticky, uniform_sticky") != std::string::npos);
}

TEST_CASE("keyed records: toPositive(murmur2(key)) % n, whatever the strategy or availability",
          "[kafka_part]") {
  // murmur2("21") = -973932308 -> toPositive 1173551340; "foobar" = -790332482 ->
  // 1357151166; "a-little-bit-long-string" = -985981536 -> 1161502112.
  for (KeylessStrategy s :
       {KeylessStrategy::kRoundRobin, KeylessStrategy::kSticky, KeylessStrategy::kUniformSticky}) {
    Partitioner p(s, 1, 16384);
    CHECK(p.Partition("21", 10, 7, kAllUp) == 1173551340 % 7);
    CHECK(p.Partition("foobar", 10, 10, kAllUp) == 1357151166 % 10);
    CHECK(p.Partition("a-little-bit-long-string", 10, 3, kAllUp) == 1161502112 % 3);
    // Partition 6 of 10 has no leader: the keyed record still goes there.
    CHECK(p.Partition("foobar", 10, 10, {0, 1, 2}) == 6);
  }
}

TEST_CASE("round robin (kafkajs): successive records walk the available partitions evenly",
          "[kafka_part]") {
  Partitioner p(KeylessStrategy::kRoundRobin, 7, 16384);
  const std::vector<int32_t> seq = Keyless(p, 400, 4, kAllUp);
  std::map<int32_t, int> counts;
  for (size_t i = 0; i < seq.size(); ++i) {
    ++counts[seq[i]];
    if (i > 0) CHECK(seq[i] == (seq[i - 1] + 1) % 4);
  }
  CHECK(counts == std::map<int32_t, int>{{0, 100}, {1, 100}, {2, 100}, {3, 100}});

  // Only partitions 1 and 4 of 6 have a leader: the counter indexes that list.
  const std::vector<int32_t> up = Keyless(p, 10, 6, {1, 4});
  for (size_t i = 0; i < up.size(); ++i) {
    CHECK((up[i] == 1 || up[i] == 4));
    if (i > 0) CHECK(up[i] != up[i - 1]);
  }
  // The counter carries on across the change: 400 records after a start s gave
  // index s+401 next, and the available list is indexed by it.
  Partitioner q(KeylessStrategy::kRoundRobin, 7, 16384);
  const int32_t first = q.Partition(std::nullopt, 1, 4, kAllUp);
  Keyless(q, 399, 4, kAllUp);
  CHECK(q.Partition(std::nullopt, 1, 2, {0, 1}) == (first + 400) % 2);
}

TEST_CASE("round robin: the counter starts at a seeded random value", "[kafka_part]") {
  std::set<int32_t> firsts;
  for (uint64_t seed = 0; seed < 32; ++seed) {
    Partitioner p(KeylessStrategy::kRoundRobin, seed, 16384);
    firsts.insert(p.Partition(std::nullopt, 1, 8, kAllUp));
  }
  CHECK(firsts.size() > 1);  // not always partition 0 or 1, as a zero start would give
}

TEST_CASE("sticky (Java 2.4-3.2): stays on one partition until the producer starts a new batch",
          "[kafka_part]") {
  Partitioner p(KeylessStrategy::kSticky, 11, 16384);
  const std::vector<int32_t> seq = Keyless(p, 50, 6, kAllUp);
  for (int32_t s : seq) CHECK(s == seq.front());
  const int32_t current = seq.front();

  // A new batch for another partition (say, a keyed record's) changes nothing.
  p.OnNewBatch((current + 1) % 6, 6, kAllUp);
  CHECK(p.Partition(std::nullopt, 100, 6, kAllUp) == current);

  // A new batch for the sticky partition moves it, always to a different one.
  int32_t last = current;
  std::map<int32_t, int> visits;
  for (int batch = 0; batch < 600; ++batch) {
    p.OnNewBatch(last, 6, kAllUp);
    const int32_t next = p.Partition(std::nullopt, 100, 6, kAllUp);
    CHECK(next != last);
    CHECK(p.Partition(std::nullopt, 100, 6, kAllUp) == next);
    ++visits[next];
    last = next;
  }
  CHECK(visits.size() == 6);
  for (const auto& [partition, n] : visits) CHECK((n > 60 && n < 180));  // ~100 each
}

TEST_CASE("sticky: picks only available partitions; with one available it must stay",
          "[kafka_part]") {
  Partitioner p(KeylessStrategy::kSticky, 3, 16384);
  const int32_t first = p.Partition(std::nullopt, 100, 8, {2, 5});
  CHECK((first == 2 || first == 5));
  p.OnNewBatch(first, 8, {2, 5});
  CHECK(p.Partition(std::nullopt, 100, 8, {2, 5}) == (first == 2 ? 5 : 2));
  p.OnNewBatch(p.Partition(std::nullopt, 100, 8, {2, 5}), 8, {7});
  CHECK(p.Partition(std::nullopt, 100, 8, {7}) == 7);
  p.OnNewBatch(7, 8, {7});
  CHECK(p.Partition(std::nullopt, 100, 8, {7}) == 7);
  // The cached partition is kept even after its leader goes away (Java does too).
  CHECK(p.Partition(std::nullopt, 100, 8, {1, 3}) == 7);
}

TEST_CASE("uniform sticky (Java >= 3.3): switches after batch.size bytes to the partition",
          "[kafka_part]") {
  // 100-byte records, batch.size 1000: the record that brings the total to 1000
  // still goes to the current partition, then a new one is drawn. Runs are
  // therefore 10 records long (a draw may pick the same partition again).
  Partitioner p(KeylessStrategy::kUniformSticky, 5, 1000);
  const std::vector<int32_t> seq = Keyless(p, 5000, 5, kAllUp, 100);
  int switches = 0;
  std::map<int32_t, int> counts;
  for (size_t i = 0; i < seq.size(); ++i) {
    ++counts[seq[i]];
    if (i % 10 != 0) CHECK(seq[i] == seq[i - 1]);
    if (i > 0 && seq[i] != seq[i - 1]) ++switches;
  }
  CHECK(switches > 300);  // ~ 499 * 4/5 = 399 expected
  for (const auto& [partition, n] : counts) CHECK((n > 700 && n < 1300));  // ~1000

  // 300-byte records: 4 records reach 1200 >= 1000, so runs of 4.
  Partitioner q(KeylessStrategy::kUniformSticky, 5, 1000);
  const std::vector<int32_t> big = Keyless(q, 400, 5, kAllUp, 300);
  for (size_t i = 0; i < big.size(); ++i) {
    if (i % 4 != 0) CHECK(big[i] == big[i - 1]);
  }
}

TEST_CASE("uniform sticky: keyed records do not count toward the switch; only available picked",
          "[kafka_part]") {
  Partitioner p(KeylessStrategy::kUniformSticky, 9, 1000);
  std::vector<int32_t> keyless;
  for (int i = 0; i < 400; ++i) {
    keyless.push_back(p.Partition(std::nullopt, 100, 8, {1, 6}));
    p.Partition("some-key", 500, 8, {1, 6});
  }
  for (size_t i = 0; i < keyless.size(); ++i) {
    CHECK((keyless[i] == 1 || keyless[i] == 6));
    if (i % 10 != 0) CHECK(keyless[i] == keyless[i - 1]);
  }
  // batch.size 0 behaves as 1 (the producer uses max(1, batch.size)): a new
  // draw after every record.
  Partitioner tiny(KeylessStrategy::kUniformSticky, 9, 0);
  const std::vector<int32_t> seq = Keyless(tiny, 200, 4, kAllUp, 1);
  int switches = 0;
  for (size_t i = 1; i < seq.size(); ++i) switches += seq[i] != seq[i - 1] ? 1 : 0;
  CHECK(switches > 100);  // ~ 199 * 3/4
}

TEST_CASE("partitioners: same seed, same choices; another seed, other choices", "[kafka_part]") {
  for (KeylessStrategy s :
       {KeylessStrategy::kRoundRobin, KeylessStrategy::kSticky, KeylessStrategy::kUniformSticky}) {
    auto run = [s](uint64_t seed) {
      Partitioner p(s, seed, 500);
      std::vector<int32_t> out;
      for (int i = 0; i < 300; ++i) {
        const int32_t chosen = p.Partition(std::nullopt, 100, 12, kAllUp);
        out.push_back(chosen);
        if (i % 7 == 6) p.OnNewBatch(chosen, 12, kAllUp);
      }
      return out;
    };
    CAPTURE(KeylessName(s));
    CHECK(run(42) == run(42));
    CHECK(run(42) != run(43));
  }
}

}  // namespace
}  // namespace sdp::kafka::kafka_partitioners_test
// Kafka simulation speed, built natively (build/native/sdp_kafka_bench) and as
// wasm run by node (build/wasm/sdp_kafka_bench.js) from this one file.
//   1. murmur2 partitioning (sdp::KafkaPartition) of 1M keys "key-<i>" over 12
//      partitions, with a checksum (sum of partition x (i + 1) mod 2^32) that
//      the JS side can reproduce.
//   2. The target: 1M messages through 3 brokers / 12 partitions
//      (replication 3, min ISR 2, acks=all) / 4 consumers processing them, under
//      1 s in wasm. A stream of 200,000 records/s for 5 s plus 2 s to drain,
//      for several key modes and linger settings.
// Wall-clock time is fine here: nothing measured feeds a simulation.
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <string>

#include "sdp/hash.h"
#include "sdp/kafka_sim.h"
#include "sdp/scenario.h"

#include "bench_timing.h"

namespace {

using sdp_bench::BestOf;
using sdp_bench::kPlatform;

constexpr int kRuns = sdp_bench::kDefaultRuns;

struct Run {
  const char* name;
  sdp::Json stream;  // extra stream fields
  int64_t linger_ms;
};

}  // namespace

int main() {
  int status = 0;
  std::printf("sdp_kafka_bench (%s), best of %d\n", kPlatform, kRuns);

  std::vector<std::string> keys;
  keys.reserve(1000000);
  for (uint32_t i = 0; i < 1000000; ++i) keys.push_back("key-" + std::to_string(i));
  uint32_t checksum = 0;
  const double hash_s = BestOf([&] {
    uint32_t sum = 0;
    for (uint32_t i = 0; i < keys.size(); ++i) sum += sdp::KafkaPartition(keys[i], 12) * (i + 1);
    checksum = sum;
  });
  std::printf("murmur2 partition of 1M keys: %.3f s (%.1f ns/key), checksum %" PRIu32 "\n", hash_s,
              hash_s * 1e9 / 1e6, checksum);

  const sdp::SimInfo* info = sdp::FindSim("kafka");
  const Run runs[] = {
      {"uniform keys, linger 0", {{"keys", "uniform"}, {"key_count", 1000}}, 0},
      {"uniform keys, linger 5", {{"keys", "uniform"}, {"key_count", 1000}}, 5},
      {"keyless uniform_sticky", {{"keys", "none"}}, 0},
      {"hot key 30%, salt 8", {{"keys", "hot"}, {"hot_share", 0.3}, {"salt", 8}}, 0},
  };
  std::printf("1M messages, 3 brokers, 12 partitions x 3 replicas, 4 consumers\n");
  // For bench/compare_kafka.mjs: one JSON line at the end.
  std::string json = "JSON {\"hash_s\":" + std::to_string(hash_s) + ",\"checksum\":" + std::to_string(checksum) + ",\"runs\":[";
  for (const Run& run : runs) {
    sdp::KafkaCounters counters;
    const double seconds = BestOf([&] {
      auto sim = sdp::CreateSim(*info, 1,
                                {{"brokers", 3}, {"linger_ms", run.linger_ms}, {"consume_rate", 60000}});
      if (!sim.ok()) return;
      auto& kafka = dynamic_cast<sdp::KafkaSim&>(*sim.value());
      sdp::Json stream = {{"op", "stream"}, {"topic", "events"}, {"rate", 200000}};
      for (auto& [k, v] : run.stream.items()) stream[k] = v;
      const sdp::Json steps[] = {
          {{"op", "create_topic"}, {"name", "events"}, {"partitions", 12}, {"replication", 3},
           {"min_insync_replicas", 2}},
          {{"op", "consumer_join"}, {"group", "g"}, {"id", "c1"}},
          {{"op", "consumer_join"}, {"group", "g"}, {"id", "c2"}},
          {{"op", "consumer_join"}, {"group", "g"}, {"id", "c3"}},
          {{"op", "consumer_join"}, {"group", "g"}, {"id", "c4"}},
          stream};
      for (const sdp::Json& step : steps) {
        if (!sdp::ApplyStep(*info, kafka, step).ok()) return;
      }
      kafka.Advance(5000 * sdp::kMicrosPerMilli);
      (void)sdp::ApplyStep(*info, kafka, {{"op", "stream"}, {"topic", "events"}, {"rate", 0}});
      kafka.Advance(2000 * sdp::kMicrosPerMilli);
      counters = kafka.counters();
    });
    if (counters.produced != 1000000 || counters.acked != 1000000) status = 1;
    std::printf("  %-24s %7.3f s  %6.2f M msgs/s  (produced %" PRIu64 ", acked %" PRIu64
                ", batches %" PRIu64 ", consumed %" PRIu64 ", out_of_order %" PRIu64 ")\n",
                run.name, seconds, counters.produced / seconds / 1e6, counters.produced,
                counters.acked, counters.batches, counters.consumed, counters.out_of_order);
    json += std::string(&run == runs ? "" : ",") + "{\"name\":\"" + run.name + "\",\"s\":" + std::to_string(seconds) + "}";
  }
  std::printf("%s]}\n", json.c_str());
  return status;
}

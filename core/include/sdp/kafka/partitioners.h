// Which partition a produced record goes to, as the real clients decide.
//
// Keyed records: toPositive(murmur2(key)) % numPartitions (Java's
// BuiltInPartitioner / DefaultPartitioner, and kafkajs's DefaultPartitioner, which
// is Java-compatible) — sdp::KafkaPartition in sdp/hash.h.
// Keyless records, three strategies:
//   - kRoundRobin: kafkajs's DefaultPartitioner — a counter over the available
//     partitions (Java's RoundRobinPartitioner is the same idea).
//   - kSticky: Java 2.4–3.2 (KIP-480 DefaultPartitioner with StickyPartitionCache):
//     stick to one random available partition; pick a new one (different when more
//     than one is available) whenever the producer starts a new batch for it.
//   - kUniformSticky: Java >= 3.3 (KIP-794 built-in partitioner): stick to a partition
//     until batch.size bytes were produced to it, then switch.
#ifndef SDP_KAFKA_PARTITIONERS_H_
#define SDP_KAFKA_PARTITIONERS_H_

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "sdp/random.h"
#include "sdp/status.h"

namespace sdp::kafka {

enum class KeylessStrategy { kRoundRobin, kSticky, kUniformSticky };

// "round_robin", "sticky", "uniform_sticky".
Result<KeylessStrategy> ParseKeyless(std::string_view name);
std::string_view KeylessName(KeylessStrategy strategy);

class Partitioner {
 public:
  Partitioner(KeylessStrategy keyless, uint64_t seed, int32_t batch_size_bytes);

  // REQUIRES: num_partitions >= 1. `available` lists partitions whose leader is up
  // (sorted, may be empty => all partitions count as available for keyless choice).
  // Keyed records ignore availability, exactly like Java (the record waits/fails).
  int32_t Partition(std::optional<std::string_view> key, int32_t record_bytes,
                    int32_t num_partitions, const std::vector<int32_t>& available);

  // The producer tells the sticky partitioner it closed the batch it was filling
  // for `partition` (batch full or linger expired): kSticky switches partition.
  void OnNewBatch(int32_t partition, int32_t num_partitions,
                  const std::vector<int32_t>& available);

  KeylessStrategy keyless() const { return keyless_; }

 private:
  KeylessStrategy keyless_;
  Rng rng_;
  int32_t batch_size_bytes_;
  uint32_t counter_ = 0;          // round robin
  int32_t sticky_ = -1;           // current sticky partition, -1 = none yet
  int64_t produced_to_sticky_ = 0;  // bytes, for kUniformSticky
};

}  // namespace sdp::kafka

#endif  // SDP_KAFKA_PARTITIONERS_H_

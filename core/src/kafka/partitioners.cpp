// Keyless partition choice as kafkajs's DefaultPartitioner (round robin), Java's
// StickyPartitionCache (2.4-3.2) and Java's BuiltInPartitioner (>= 3.3, without
// adaptive load weighting) make it. Where Java draws
// Utils.toPositive(ThreadLocalRandom.nextInt()) we draw 31 bits from sdp::Rng.
#include "sdp/kafka/partitioners.h"

#include <algorithm>
#include <string>

#include "sdp/hash.h"

namespace sdp::kafka {
namespace {

// Java's toPositive(random int): a uniform value in [0, 2^31).
uint32_t PositiveRandom(Rng& rng) {
  const uint32_t bits = static_cast<uint32_t>(rng.Next() >> 32);
  return bits & 0x7fffffffu;
}

// The available partitions that exist, sorted and unique (callers promise this;
// checking keeps a bad list from picking a partition out of range). Empty
// means every partition counts as available (the header's contract), which is
// also what each client does when no leader is known: choose among all.
std::vector<int32_t> UsableAvailable(const std::vector<int32_t>& available,
                                     int32_t num_partitions) {
  std::vector<int32_t> usable;
  usable.reserve(available.size());
  for (int32_t p : available) {
    if (p >= 0 && p < num_partitions) usable.push_back(p);
  }
  std::sort(usable.begin(), usable.end());
  usable.erase(std::unique(usable.begin(), usable.end()), usable.end());
  return usable;
}

// The `index`-th usable partition, reading an empty list as 0..n-1.
int32_t UsableAt(const std::vector<int32_t>& usable, uint32_t index) {
  return usable.empty() ? static_cast<int32_t>(index) : usable[index];
}

uint32_t UsableCount(const std::vector<int32_t>& usable, int32_t num_partitions) {
  return usable.empty() ? static_cast<uint32_t>(num_partitions)
                        : static_cast<uint32_t>(usable.size());
}

// StickyPartitionCache.nextPartition's choice: the only available partition
// when there is one, else a random available one other than `old` (-1 = none
// yet), redrawing until it differs.
int32_t PickStickyPartition(Rng& rng, int32_t old, const std::vector<int32_t>& usable,
                            int32_t num_partitions) {
  const uint32_t count = UsableCount(usable, num_partitions);
  if (count == 1) return UsableAt(usable, 0);
  // The usable partitions are distinct, so each draw differs from `old` with
  // probability >= 1/2.
  int32_t candidate = old;
  while (candidate == old) candidate = UsableAt(usable, PositiveRandom(rng) % count);
  return candidate;
}

// BuiltInPartitioner.nextPartition without load stats: uniform over the
// available partitions, possibly the current one again.
int32_t PickUniformPartition(Rng& rng, const std::vector<int32_t>& usable, int32_t num_partitions) {
  return UsableAt(usable, PositiveRandom(rng) % UsableCount(usable, num_partitions));
}

}  // namespace

Result<KeylessStrategy> ParseKeyless(std::string_view name) {
  for (KeylessStrategy s :
       {KeylessStrategy::kRoundRobin, KeylessStrategy::kSticky, KeylessStrategy::kUniformSticky}) {
    if (name == KeylessName(s)) return s;
  }
  return Status::Invalid("keyless partitioner \"" + std::string(name) +
                         "\" is unknown: allowed are round_robin, sticky, uniform_sticky");
}

std::string_view KeylessName(KeylessStrategy strategy) {
  switch (strategy) {
    case KeylessStrategy::kRoundRobin:
      return "round_robin";
    case KeylessStrategy::kSticky:
      return "sticky";
    case KeylessStrategy::kUniformSticky:
      return "uniform_sticky";
  }
  return "?";
}

Partitioner::Partitioner(KeylessStrategy keyless, uint64_t seed, int32_t batch_size_bytes)
    : keyless_(keyless),
      rng_(seed),
      // The Java producer uses max(1, batch.size) as the sticky batch size.
      batch_size_bytes_(std::max<int32_t>(1, batch_size_bytes)) {
  // kafkajs starts each topic's counter at a random unsigned 32-bit value.
  if (keyless_ == KeylessStrategy::kRoundRobin) {
    counter_ = static_cast<uint32_t>(rng_.Next() >> 32);
  }
}

int32_t Partitioner::Partition(std::optional<std::string_view> key, int32_t record_bytes,
                               int32_t num_partitions, const std::vector<int32_t>& available) {
  if (num_partitions < 1) return 0;  // REQUIRES violated; stay in range, never crash
  if (key.has_value()) {
    return static_cast<int32_t>(KafkaPartition(*key, static_cast<uint32_t>(num_partitions)));
  }
  const bool sticky_valid = sticky_ >= 0 && sticky_ < num_partitions;
  switch (keyless_) {
    case KeylessStrategy::kRoundRobin: {
      // kafkajs: toPositive(++counter) % numAvailable indexes the available
      // list (an empty list reads as all partitions, which is also kafkajs's
      // toPositive(++counter) % numPartitions fallback).
      ++counter_;
      const uint32_t index = counter_ & 0x7fffffffu;
      const std::vector<int32_t> usable = UsableAvailable(available, num_partitions);
      return UsableAt(usable, index % UsableCount(usable, num_partitions));
    }
    case KeylessStrategy::kSticky: {
      // The cached partition is returned even if its leader went away; only a
      // new batch moves it.
      if (!sticky_valid) {
        sticky_ = PickStickyPartition(rng_, -1, UsableAvailable(available, num_partitions),
                                      num_partitions);
      }
      return sticky_;
    }
    case KeylessStrategy::kUniformSticky: {
      if (!sticky_valid) {
        sticky_ =
            PickUniformPartition(rng_, UsableAvailable(available, num_partitions), num_partitions);
        produced_to_sticky_ = 0;
      }
      const int32_t chosen = sticky_;
      produced_to_sticky_ += std::max<int32_t>(0, record_bytes);
      if (produced_to_sticky_ >= batch_size_bytes_) {
        sticky_ =
            PickUniformPartition(rng_, UsableAvailable(available, num_partitions), num_partitions);
        produced_to_sticky_ = 0;
      }
      return chosen;
    }
  }
  return 0;
}

void Partitioner::OnNewBatch(int32_t partition, int32_t num_partitions,
                             const std::vector<int32_t>& available) {
  if (keyless_ != KeylessStrategy::kSticky || num_partitions < 1) return;
  const bool sticky_valid = sticky_ >= 0 && sticky_ < num_partitions;
  // StickyPartitionCache.nextPartition(prev): change only when there is no
  // sticky partition yet or the batch was for the current one.
  if (sticky_valid && sticky_ != partition) return;
  const int32_t old = sticky_valid ? sticky_ : -1;
  sticky_ =
      PickStickyPartition(rng_, old, UsableAvailable(available, num_partitions), num_partitions);
}

}  // namespace sdp::kafka

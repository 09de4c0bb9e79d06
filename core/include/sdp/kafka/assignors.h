// Kafka consumer-group partition assignors, with the real client's rules.
//
// Range and RoundRobin follow org.apache.kafka.clients.consumer.RangeAssignor /
// RoundRobinAssignor: members sorted by member id, partitions by (topic, partition);
// Range works topic by topic (the first `n % members` members get one extra);
// RoundRobin deals all partitions of all subscribed topics round the sorted members,
// skipping members not subscribed to a partition's topic.
// Sticky (StickyAssignor / the target of CooperativeStickyAssignor): as balanced as
// possible (partition counts differ by at most one among members with equal
// subscriptions) while keeping as many previously owned partitions as it can.
// Cooperative-sticky has the same target; the difference is the rebalance protocol
// (only moved partitions are revoked, in a second round), which the sim models.
#ifndef SDP_KAFKA_ASSIGNORS_H_
#define SDP_KAFKA_ASSIGNORS_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sdp/status.h"

namespace sdp::kafka {

struct TopicPartition {
  std::string topic;
  int32_t partition = 0;
  // Spelled out: Emscripten 3.1.6's libc++ has no operator<=> for std::string.
  bool operator==(const TopicPartition& o) const { return topic == o.topic && partition == o.partition; }
  bool operator!=(const TopicPartition& o) const { return !(*this == o); }
  bool operator<(const TopicPartition& o) const {
    return topic != o.topic ? topic < o.topic : partition < o.partition;
  }
  // "t0p1": the notation of Kafka's javadoc examples.
  std::string Name() const;
};

struct Member {
  std::string id;
  std::vector<std::string> topics;      // subscription
  std::vector<TopicPartition> owned;    // what it owns now (sticky assignors use it)
};

// member id -> its partitions, each list sorted by (topic, partition).
using Assignment = std::map<std::string, std::vector<TopicPartition>>;

enum class AssignorKind { kRange, kRoundRobin, kSticky, kCooperativeSticky };

// "range", "roundrobin", "sticky", "cooperative-sticky" (Kafka's assignor names).
Result<AssignorKind> ParseAssignor(std::string_view name);
std::string_view AssignorName(AssignorKind kind);
// Whether the assignor uses the cooperative (incremental) rebalance protocol.
bool IsCooperative(AssignorKind kind);

// `partitions`: topic -> partition count. Topics a member subscribes to that are
// missing from `partitions` are ignored. Every member appears in the result (possibly
// with an empty list). Deterministic: depends only on the arguments.
Assignment Assign(AssignorKind kind, const std::map<std::string, int32_t>& partitions,
                  const std::vector<Member>& members);

// Partitions whose owner differs between `before` and `after` (moved, newly
// assigned or unassigned), for the "moves on rebalance" count.
int32_t CountMoves(const Assignment& before, const Assignment& after);

}  // namespace sdp::kafka

#endif  // SDP_KAFKA_ASSIGNORS_H_

// The consumer group as the assignors see it: members deduplicated and sorted
// by id, subscriptions reduced to topics that exist, owned partitions reduced to
// ones the member may still hold. Private to core/src/kafka.
#ifndef SDP_SRC_KAFKA_GROUP_VIEW_H_
#define SDP_SRC_KAFKA_GROUP_VIEW_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sdp/kafka/assignors.h"

namespace sdp::kafka::internal {

struct GroupMember {
  std::string id;
  std::set<std::string> topics;       // subscribed topics present in `partitions`
  std::vector<TopicPartition> owned;  // valid, unique, sorted by (topic, partition)
};

// Sorted by id; a repeated id keeps its first occurrence. Owned partitions are
// kept only if the topic exists, the member still subscribes to it, the index
// is in range and no other member claims the same partition (Kafka treats a
// partition claimed by two members as owned by neither).
std::vector<GroupMember> BuildGroup(const std::map<std::string, int32_t>& partitions,
                                    const std::vector<Member>& members);

// Every member of `group` with an empty list.
Assignment EmptyAssignment(const std::vector<GroupMember>& group);

// Partition count of `topic`, 0 when unknown or negative.
int32_t PartitionCount(const std::map<std::string, int32_t>& partitions, const std::string& topic);

// The sticky target assignment (StickyAssignor / CooperativeStickyAssignor).
Assignment StickyAssign(const std::map<std::string, int32_t>& partitions,
                        const std::vector<GroupMember>& group);

}  // namespace sdp::kafka::internal

#endif  // SDP_SRC_KAFKA_GROUP_VIEW_H_

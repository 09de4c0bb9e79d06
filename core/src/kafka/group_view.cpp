#include "group_view.h"

#include <algorithm>
#include <utility>

namespace sdp::kafka::internal {

int32_t PartitionCount(const std::map<std::string, int32_t>& partitions, const std::string& topic) {
  auto it = partitions.find(topic);
  if (it == partitions.end() || it->second < 0) return 0;
  return it->second;
}

std::vector<GroupMember> BuildGroup(const std::map<std::string, int32_t>& partitions,
                                    const std::vector<Member>& members) {
  std::map<std::string, GroupMember> by_id;
  for (const Member& m : members) {
    if (by_id.count(m.id) != 0) continue;
    GroupMember g;
    g.id = m.id;
    for (const std::string& topic : m.topics) {
      if (partitions.count(topic) != 0) g.topics.insert(topic);
    }
    std::set<TopicPartition> owned;
    for (const TopicPartition& tp : m.owned) {
      if (g.topics.count(tp.topic) == 0) continue;
      if (tp.partition < 0 || tp.partition >= PartitionCount(partitions, tp.topic)) continue;
      owned.insert(tp);
    }
    g.owned.assign(owned.begin(), owned.end());
    by_id.emplace(m.id, std::move(g));
  }

  std::map<TopicPartition, int32_t> claims;
  for (const auto& [id, g] : by_id) {
    for (const TopicPartition& tp : g.owned) ++claims[tp];
  }
  std::vector<GroupMember> group;
  group.reserve(by_id.size());
  for (auto& [id, g] : by_id) {
    std::erase_if(g.owned, [&](const TopicPartition& tp) { return claims[tp] > 1; });
    group.push_back(std::move(g));
  }
  return group;
}

Assignment EmptyAssignment(const std::vector<GroupMember>& group) {
  Assignment result;
  for (const GroupMember& g : group) result[g.id];
  return result;
}

}  // namespace sdp::kafka::internal

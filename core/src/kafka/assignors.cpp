// Range and RoundRobin exactly as org.apache.kafka.clients.consumer.RangeAssignor /
// RoundRobinAssignor deal partitions (members ordered by member id, no static
// group instance ids, no racks); the sticky assignors live in sticky_assignor.cpp.
#include "sdp/kafka/assignors.h"

#include <algorithm>
#include <set>

#include "group_view.h"

namespace sdp::kafka {
namespace {

using internal::GroupMember;

void SortLists(Assignment& assignment) {
  for (auto& [id, list] : assignment) std::sort(list.begin(), list.end());
}

// Per topic, the subscribers in member-id order share the partitions in
// contiguous ranges; the first n % c subscribers take one extra partition.
Assignment RangeAssign(const std::map<std::string, int32_t>& partitions,
                       const std::vector<GroupMember>& group) {
  Assignment result = internal::EmptyAssignment(group);
  for (const auto& [topic, count] : partitions) {
    std::vector<const GroupMember*> subscribers;
    for (const GroupMember& g : group) {
      if (g.topics.count(topic) != 0) subscribers.push_back(&g);
    }
    if (subscribers.empty() || count <= 0) continue;
    const int32_t members = static_cast<int32_t>(subscribers.size());
    const int32_t per_member = count / members;
    const int32_t with_extra = count % members;
    for (int32_t i = 0; i < members; ++i) {
      const int32_t start = per_member * i + std::min(i, with_extra);
      const int32_t length = per_member + (i < with_extra ? 1 : 0);
      auto& list = result[subscribers[i]->id];
      for (int32_t p = start; p < start + length; ++p) list.push_back({topic, p});
    }
  }
  SortLists(result);
  return result;
}

// All partitions of every subscribed topic in (topic, partition) order, dealt
// round the sorted members by one circular iterator that skips members not
// subscribed to the partition's topic.
Assignment RoundRobinAssign(const std::map<std::string, int32_t>& partitions,
                            const std::vector<GroupMember>& group) {
  Assignment result = internal::EmptyAssignment(group);
  if (group.empty()) return result;
  std::set<std::string> subscribed;
  for (const GroupMember& g : group) subscribed.insert(g.topics.begin(), g.topics.end());
  size_t cursor = 0;
  for (const std::string& topic : subscribed) {
    const int32_t count = internal::PartitionCount(partitions, topic);
    for (int32_t p = 0; p < count; ++p) {
      // Terminates: `topic` came from some member's subscription.
      while (group[cursor].topics.count(topic) == 0) cursor = (cursor + 1) % group.size();
      result[group[cursor].id].push_back({topic, p});
      cursor = (cursor + 1) % group.size();
    }
  }
  SortLists(result);
  return result;
}

}  // namespace

std::string TopicPartition::Name() const { return topic + "p" + std::to_string(partition); }

Result<AssignorKind> ParseAssignor(std::string_view name) {
  for (AssignorKind kind : {AssignorKind::kRange, AssignorKind::kRoundRobin, AssignorKind::kSticky,
                            AssignorKind::kCooperativeSticky}) {
    if (name == AssignorName(kind)) return kind;
  }
  return Status::Invalid("assignor \"" + std::string(name) +
                         "\" is unknown: allowed are range, roundrobin, sticky, "
                         "cooperative-sticky");
}

std::string_view AssignorName(AssignorKind kind) {
  switch (kind) {
    case AssignorKind::kRange:
      return "range";
    case AssignorKind::kRoundRobin:
      return "roundrobin";
    case AssignorKind::kSticky:
      return "sticky";
    case AssignorKind::kCooperativeSticky:
      return "cooperative-sticky";
  }
  return "?";
}

bool IsCooperative(AssignorKind kind) { return kind == AssignorKind::kCooperativeSticky; }

Assignment Assign(AssignorKind kind, const std::map<std::string, int32_t>& partitions,
                  const std::vector<Member>& members) {
  const std::vector<GroupMember> group = internal::BuildGroup(partitions, members);
  switch (kind) {
    case AssignorKind::kRange:
      return RangeAssign(partitions, group);
    case AssignorKind::kRoundRobin:
      return RoundRobinAssign(partitions, group);
    case AssignorKind::kSticky:
    case AssignorKind::kCooperativeSticky:
      return internal::StickyAssign(partitions, group);
  }
  return internal::EmptyAssignment(group);
}

int32_t CountMoves(const Assignment& before, const Assignment& after) {
  // partition -> its owners (normally one), so a doubly-listed partition still
  // compares sensibly.
  using Owners = std::map<TopicPartition, std::set<std::string>>;
  auto owners_of = [](const Assignment& assignment) {
    Owners owners;
    for (const auto& [id, list] : assignment) {
      for (const TopicPartition& tp : list) owners[tp].insert(id);
    }
    return owners;
  };
  const Owners old_owners = owners_of(before);
  const Owners new_owners = owners_of(after);
  static const std::set<std::string> kNobody;
  auto lookup = [](const Owners& owners, const TopicPartition& tp) -> const std::set<std::string>& {
    auto it = owners.find(tp);
    return it == owners.end() ? kNobody : it->second;
  };
  int32_t moves = 0;
  for (const auto& [tp, ids] : old_owners) {
    if (lookup(new_owners, tp) != ids) ++moves;
  }
  for (const auto& [tp, ids] : new_owners) {
    if (old_owners.count(tp) == 0) ++moves;
  }
  return moves;
}

}  // namespace sdp::kafka

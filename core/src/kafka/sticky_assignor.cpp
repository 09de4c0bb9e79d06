// The sticky target assignment, after Kafka's AbstractStickyAssignor.
//
// Equal subscriptions (Kafka's constrainedAssign): with N partitions and M
// members every member ends with minQuota = N / M or maxQuota = ceil(N / M)
// partitions, exactly N % M of them with maxQuota. Each member first keeps its
// owned partitions up to its quota (maxQuota while such slots remain, else
// minQuota); the rest are dealt in (topic, partition) order round the members
// still under minQuota, then one each to members at minQuota.
//
// Unequal subscriptions (Kafka's generalAssign, simplified): keep every owned
// partition, give each unowned one (partitions with fewest possible owners
// first) to its least loaded subscriber, then move partitions from a member to
// a co-subscriber holding at least two fewer until no such move exists, which
// leaves members with equal subscriptions within one of each other. Moves
// prefer partitions the member did not own before.
#include <algorithm>
#include <deque>
#include <set>
#include <tuple>

#include "group_view.h"

namespace sdp::kafka::internal {
namespace {

Assignment ToAssignment(const std::vector<GroupMember>& group,
                        std::vector<std::vector<TopicPartition>>& lists) {
  Assignment result;
  for (size_t i = 0; i < group.size(); ++i) {
    std::sort(lists[i].begin(), lists[i].end());
    result[group[i].id] = std::move(lists[i]);
  }
  return result;
}

bool AllSubscriptionsEqual(const std::vector<GroupMember>& group) {
  for (const GroupMember& g : group) {
    if (g.topics != group.front().topics) return false;
  }
  return true;
}

Assignment ConstrainedAssign(const std::map<std::string, int32_t>& partitions,
                             const std::vector<GroupMember>& group) {
  std::vector<TopicPartition> all;
  for (const std::string& topic : group.front().topics) {
    const int32_t count = PartitionCount(partitions, topic);
    for (int32_t p = 0; p < count; ++p) all.push_back({topic, p});
  }
  const size_t members = group.size();
  const size_t min_quota = all.size() / members;
  const size_t max_quota = min_quota + (all.size() % members == 0 ? 0 : 1);
  size_t max_quota_slots = all.size() % members;

  std::vector<std::vector<TopicPartition>> lists(members);
  std::set<TopicPartition> kept;
  std::vector<size_t> under_min;  // in member order
  std::deque<size_t> at_min;      // may take one more while slots remain
  for (size_t i = 0; i < members; ++i) {
    const std::vector<TopicPartition>& owned = group[i].owned;
    size_t keep = owned.size();
    if (owned.size() > min_quota) {
      if (max_quota_slots > 0) {
        keep = max_quota;
        --max_quota_slots;
      } else {
        keep = min_quota;
      }
    }
    lists[i].assign(owned.begin(), owned.begin() + static_cast<std::ptrdiff_t>(keep));
    kept.insert(lists[i].begin(), lists[i].end());
    if (keep < min_quota) {
      under_min.push_back(i);
    } else if (keep == min_quota) {
      at_min.push_back(i);
    }
  }

  std::vector<TopicPartition> unassigned;
  for (const TopicPartition& tp : all) {
    if (kept.count(tp) == 0) unassigned.push_back(tp);
  }
  size_t next = 0;
  while (!under_min.empty() && next < unassigned.size()) {
    std::vector<size_t> still_under;
    for (size_t i : under_min) {
      if (next < unassigned.size()) lists[i].push_back(unassigned[next++]);
      if (lists[i].size() == min_quota) {
        at_min.push_back(i);
      } else {
        still_under.push_back(i);
      }
    }
    under_min = std::move(still_under);
  }
  // The quotas add up to N, so at_min always has room for what is left.
  while (next < unassigned.size()) {
    SDP_CHECK(!at_min.empty());
    lists[at_min.front()].push_back(unassigned[next++]);
    at_min.pop_front();
  }
  return ToAssignment(group, lists);
}

Assignment GeneralAssign(const std::map<std::string, int32_t>& partitions,
                         const std::vector<GroupMember>& group) {
  std::map<std::string, std::vector<size_t>> subscribers;  // topic -> members, in id order
  for (size_t i = 0; i < group.size(); ++i) {
    for (const std::string& topic : group[i].topics) subscribers[topic].push_back(i);
  }
  std::vector<size_t> load(group.size(), 0);
  std::map<TopicPartition, size_t> holder;
  for (size_t i = 0; i < group.size(); ++i) {
    for (const TopicPartition& tp : group[i].owned) holder[tp] = i;
    load[i] = group[i].owned.size();
  }
  auto least_loaded = [&](const std::string& topic, size_t skip) {
    size_t best = group.size();
    for (size_t i : subscribers[topic]) {
      if (i == skip) continue;
      if (best == group.size() || load[i] < load[best]) best = i;
    }
    return best;
  };

  // Unowned partitions, those with the fewest possible owners first.
  std::vector<std::tuple<size_t, TopicPartition>> unowned;
  for (const auto& [topic, members] : subscribers) {
    const int32_t count = PartitionCount(partitions, topic);
    for (int32_t p = 0; p < count; ++p) {
      TopicPartition tp{topic, p};
      if (holder.count(tp) == 0) unowned.emplace_back(members.size(), std::move(tp));
    }
  }
  std::sort(unowned.begin(), unowned.end());
  for (const auto& [choices, tp] : unowned) {
    const size_t to = least_loaded(tp.topic, group.size());
    holder[tp] = to;
    ++load[to];
  }

  // Each move lowers the sum of squared loads by at least 2, so this ends.
  bool moved = true;
  while (moved) {
    moved = false;
    std::vector<std::tuple<bool, TopicPartition>> order;  // (owned before, tp)
    for (const auto& [tp, i] : holder) {
      const bool owned = std::binary_search(group[i].owned.begin(), group[i].owned.end(), tp);
      order.emplace_back(owned, tp);
    }
    std::sort(order.begin(), order.end());
    for (const auto& [owned, tp] : order) {
      const size_t from = holder[tp];
      const size_t to = least_loaded(tp.topic, from);
      if (to == group.size() || load[from] <= load[to] + 1) continue;
      holder[tp] = to;
      --load[from];
      ++load[to];
      moved = true;
    }
  }

  std::vector<std::vector<TopicPartition>> lists(group.size());
  for (const auto& [tp, i] : holder) lists[i].push_back(tp);
  return ToAssignment(group, lists);
}

}  // namespace

Assignment StickyAssign(const std::map<std::string, int32_t>& partitions,
                        const std::vector<GroupMember>& group) {
  if (group.empty()) return {};
  if (AllSubscriptionsEqual(group)) return ConstrainedAssign(partitions, group);
  return GeneralAssign(partitions, group);
}

}  // namespace sdp::kafka::internal

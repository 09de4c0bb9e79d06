// The sorted-set skip list, a line-by-line port of t_zset.c's zsl* functions
// with indices instead of pointers.
#include "sdp/redis/skiplist.h"

#include <algorithm>

#include "sdp/status.h"

namespace sdp::redis {

void SkipList::Node::ResetLevels(uint32_t n) {
  level_count = n;
  for (Level& l : low) l = Level{};
  high.assign(n > kInlineLevels ? n - kInlineLevels : 0, Level{});
}

SkipList::SkipList(uint64_t seed) : rng_(seed) {
  nodes_.emplace_back();
  nodes_[0].ResetLevels(kMaxLevel);
}

// zslRandomLevel: level 1, plus one while random() < P * RAND_MAX (P = 1/4).
uint32_t SkipList::RandomLevel() {
  uint32_t level = 1;
  while (level < kMaxLevel && (rng_.Next() >> 62) == 0) ++level;
  return level;
}

uint32_t SkipList::NewNode(uint32_t level, double score, std::string_view member) {
  uint32_t index;
  if (!free_.empty()) {
    index = free_.back();
    free_.pop_back();
  } else {
    index = static_cast<uint32_t>(nodes_.size());
    nodes_.emplace_back();
  }
  Node& n = nodes_[index];
  n.member.assign(member.data(), member.size());
  n.score = score;
  n.backward = kNone;
  n.ResetLevels(level);
  return index;
}

void SkipList::FreeNode(uint32_t index) {
  Node& n = nodes_[index];
  n.member.clear();
  n.member.shrink_to_fit();
  n.ResetLevels(0);
  n.high.shrink_to_fit();
  free_.push_back(index);
}

void SkipList::Insert(double score, std::string_view member, SkipInsertTrace* trace) {
  uint32_t update[kMaxLevel];
  uint64_t rank[kMaxLevel];
  if (trace != nullptr) {
    trace->member.assign(member.data(), member.size());
    trace->score = score;
    trace->list_level_before = level_;
    trace->path.clear();
  }
  uint32_t x = 0;
  for (int i = static_cast<int>(level_) - 1; i >= 0; --i) {
    rank[i] = i == static_cast<int>(level_) - 1 ? 0 : rank[i + 1];
    // The trace's step for this level, only when tracing: the untraced
    // search (every bulk insert) stays free of it.
    SkipInsertTrace::LevelStep* step = nullptr;
    if (trace != nullptr) {
      step = &trace->path.emplace_back();
      step->level = static_cast<uint32_t>(i) + 1;
    }
    for (;;) {
      const uint32_t fw = nodes_[x].level(i).forward;
      if (fw == kNone || !Before(nodes_[fw], score, member)) break;
      rank[i] += nodes_[x].level(i).span;
      x = fw;
      if (step != nullptr) {
        if (step->visited.size() < SkipInsertTrace::kMaxVisitedPerLevel) {
          step->visited.push_back(nodes_[x].member);
        } else {
          ++step->more_visited;
        }
      }
    }
    update[i] = x;
    if (step != nullptr) {
      if (x != 0) step->stop = nodes_[x].member;
      const uint32_t fw = nodes_[x].level(i).forward;
      if (fw != kNone) step->next = nodes_[fw].member;
      step->rank = rank[i];
    }
  }
  const uint32_t level = RandomLevel();
  if (level > level_) {
    for (uint32_t i = level_; i < level; ++i) {
      rank[i] = 0;
      update[i] = 0;
      nodes_[0].level(i).span = length_;
    }
    level_ = level;
  }
  const uint32_t n = NewNode(level, score, member);
  for (uint32_t i = 0; i < level; ++i) {
    Level& before = nodes_[update[i]].level(i);
    nodes_[n].level(i).forward = before.forward;
    before.forward = n;
    nodes_[n].level(i).span = before.span - (rank[0] - rank[i]);
    before.span = (rank[0] - rank[i]) + 1;
  }
  for (uint32_t i = level; i < level_; ++i) nodes_[update[i]].level(i).span++;
  nodes_[n].backward = update[0] == 0 ? kNone : update[0];
  const uint32_t fw = nodes_[n].level(0).forward;
  if (fw != kNone) {
    nodes_[fw].backward = n;
  } else {
    tail_ = n;
  }
  ++length_;
  if (trace != nullptr) {
    trace->drawn_level = level;
    trace->rank = rank[0] + 1;
  }
}

void SkipList::FindPredecessors(double score, std::string_view member, uint32_t* update) const {
  Descend([&](const Node& next) { return Before(next, score, member); },
          [update](uint32_t level, uint32_t x) { update[level] = x; });
}

void SkipList::DeleteNode(uint32_t x, const uint32_t* update) {
  for (uint32_t i = 0; i < level_; ++i) {
    Level& before = nodes_[update[i]].level(i);
    if (before.forward == x) {
      before.span += nodes_[x].level(i).span - 1;
      before.forward = nodes_[x].level(i).forward;
    } else {
      before.span -= 1;
    }
  }
  const uint32_t fw = nodes_[x].level(0).forward;
  if (fw != kNone) {
    nodes_[fw].backward = nodes_[x].backward;
  } else {
    tail_ = nodes_[x].backward;
  }
  while (level_ > 1 && nodes_[0].level(level_ - 1).forward == kNone) --level_;
  --length_;
}

bool SkipList::Delete(double score, std::string_view member) {
  uint32_t update[kMaxLevel];
  FindPredecessors(score, member, update);
  const uint32_t x = nodes_[update[0]].level(0).forward;
  if (x == kNone || nodes_[x].score != score || nodes_[x].member != member) return false;
  DeleteNode(x, update);
  FreeNode(x);
  return true;
}

void SkipList::UpdateScore(double cur_score, std::string_view member, double new_score) {
  uint32_t update[kMaxLevel];
  FindPredecessors(cur_score, member, update);
  const uint32_t x = nodes_[update[0]].level(0).forward;
  SDP_CHECK(x != kNone && nodes_[x].score == cur_score && nodes_[x].member == member);
  const uint32_t back = nodes_[x].backward;
  const uint32_t fw = nodes_[x].level(0).forward;
  // Strict comparisons, as in Redis: an equal neighbour score means re-insert.
  if ((back == kNone || nodes_[back].score < new_score) &&
      (fw == kNone || nodes_[fw].score > new_score)) {
    nodes_[x].score = new_score;
    return;
  }
  const std::string kept = nodes_[x].member;
  DeleteNode(x, update);
  FreeNode(x);
  Insert(new_score, kept, nullptr);
}

uint64_t SkipList::Rank(double score, std::string_view member) const {
  uint64_t rank = 0;
  uint32_t x = 0;
  for (int i = static_cast<int>(level_) - 1; i >= 0; --i) {
    for (;;) {
      const uint32_t fw = nodes_[x].level(i).forward;
      if (fw == kNone) break;
      const Node& f = nodes_[fw];
      if (!(f.score < score || (f.score == score && std::string_view(f.member) <= member))) break;
      rank += nodes_[x].level(i).span;
      x = fw;
    }
    if (x != 0 && nodes_[x].score == score && nodes_[x].member == member) return rank;
  }
  return 0;
}

uint32_t SkipList::NodeAtRank(uint64_t rank) const {
  uint64_t traversed = 0;
  uint32_t x = 0;
  for (int i = static_cast<int>(level_) - 1; i >= 0; --i) {
    for (;;) {
      const uint32_t fw = nodes_[x].level(i).forward;
      if (fw == kNone || traversed + nodes_[x].level(i).span > rank) break;
      traversed += nodes_[x].level(i).span;
      x = fw;
    }
    if (traversed == rank) return x == 0 ? kNone : x;
  }
  return kNone;
}

uint32_t SkipList::FirstFrom(double min, bool exclusive) const {
  // The last node below the range; the first in it follows.
  const uint32_t x = Descend([&](const Node& next) { return !(exclusive ? next.score > min : next.score >= min); },
                             [](uint32_t, uint32_t) {});
  return nodes_[x].level(0).forward;
}

uint32_t SkipList::LastUpTo(double max, bool exclusive) const {
  const uint32_t x = Descend([&](const Node& next) { return exclusive ? next.score < max : next.score <= max; },
                             [](uint32_t, uint32_t) {});
  return x == 0 ? kNone : x;
}

std::string SkipList::CheckInvariants() const {
  // Level 0 gives every node its rank; every other level must agree with it.
  std::vector<uint64_t> rank_of(nodes_.size(), 0);
  uint64_t count = 0;
  uint32_t prev = kNone;
  for (uint32_t x = First(); x != kNone; x = Next(x)) {
    rank_of[x] = ++count;
    const Node& n = nodes_[x];
    if (n.level_count == 0 || n.level_count > kMaxLevel) return "node level out of range";
    if (n.level_count > level_) return "node above the list's level";
    if (n.high.size() != (n.level_count > kInlineLevels ? n.level_count - kInlineLevels : 0)) {
      return "node's high links disagree with its level";
    }
    if (n.backward != prev) return "backward link broken at rank " + std::to_string(count);
    if (prev != kNone && !Before(nodes_[prev], n.score, n.member)) {
      return "order broken at rank " + std::to_string(count);
    }
    prev = x;
  }
  if (count != length_) return "length " + std::to_string(length_) + " but " +
                               std::to_string(count) + " nodes";
  if (tail_ != prev) return "tail is not the last node";
  if (level_ < 1 || level_ > kMaxLevel) return "list level out of range";
  if (level_ > 1 && nodes_[0].level(level_ - 1).forward == kNone) return "empty top level";
  for (uint32_t i = 0; i < level_; ++i) {
    uint32_t x = 0;
    uint64_t at = 0;
    for (;;) {
      const Level& l = nodes_[x].level(i);
      if (l.forward == kNone) {
        // Redis keeps even the last span exact: the distance to the end.
        if (at + l.span != length_) return "last span wrong on level " + std::to_string(i + 1);
        break;
      }
      if (at + l.span != rank_of[l.forward]) {
        return "span mismatch on level " + std::to_string(i + 1) + " at rank " +
               std::to_string(at);
      }
      at = rank_of[l.forward];
      x = l.forward;
    }
  }
  return "";
}

}  // namespace sdp::redis

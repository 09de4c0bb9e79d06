// The skip list of a Redis sorted set, ported from t_zset.c (zslInsert,
// zslDeleteNode, zslUpdateScore, zslGetRank, zslGetElementByRank).
//
// Nodes are ordered by (score, member), members compared as bytes (memcmp,
// shorter first on a common prefix), like sdscmp. Every node has a random
// level: 1, then +1 while a draw succeeds with P = 1/4, at most 32 (Redis's
// ZSKIPLIST_P and ZSKIPLIST_MAXLEVEL). Our draw is "the top two bits of one
// xoshiro256** output are both zero", exactly 1/4, from a seeded sdp::Rng
// instead of libc random(), so runs repeat.
//
// Each forward link carries a span: how many level-0 steps it jumps. Summing
// spans along a search path gives a node's rank (1-based) in O(log n).
//
// Nodes live in one vector and link by index: copying a SkipList copies the
// whole structure correctly (the persistence sim keeps copies as snapshots).
// A node keeps its score and first kInlineLevels links inline, like Redis's
// zskiplistNode with its level[] flexible array: a search step then touches
// one node, not a node and a separate array (3 in 4 nodes have level 1, 255
// in 256 at most 4; the rest keep their higher links in `high`).
#ifndef SDP_REDIS_SKIPLIST_H_
#define SDP_REDIS_SKIPLIST_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sdp/random.h"

namespace sdp::redis {

// What one insert did, for the sim's trace: the path the search took, level by
// level from the top, and the random level the new node drew.
struct SkipInsertTrace {
  // Visited members per level are capped at this many (the rest are counted).
  static constexpr uint32_t kMaxVisitedPerLevel = 32;
  struct LevelStep {
    uint32_t level = 0;                 // 1-based
    std::vector<std::string> visited;   // nodes the search moved onto at this level
    uint32_t more_visited = 0;          // beyond kMaxVisitedPerLevel
    std::optional<std::string> stop;    // where it went down (nullopt: the header)
    std::optional<std::string> next;    // the forward node that stopped it (nullopt: end)
    uint64_t rank = 0;                  // rank of `stop` (0 = header)
  };
  std::string member;
  double score = 0;
  uint32_t drawn_level = 0;        // the random level of the new node
  uint32_t list_level_before = 0;  // the list's level before the insert
  uint64_t rank = 0;               // 1-based rank of the new node
  std::vector<LevelStep> path;     // top level first
};

class SkipList {
 public:
  static constexpr uint32_t kMaxLevel = 32;  // ZSKIPLIST_MAXLEVEL
  static constexpr uint32_t kNone = UINT32_MAX;

  static constexpr uint32_t kInlineLevels = 4;

  struct Level {
    uint32_t forward = kNone;
    uint64_t span = 0;
  };
  struct Node {
    double score = 0;
    Level low[kInlineLevels];
    uint32_t backward = kNone;
    uint32_t level_count = 0;
    std::string member;
    std::vector<Level> high;  // levels [kInlineLevels, level_count)

    // REQUIRES: i < level_count
    const Level& level(uint32_t i) const { return i < kInlineLevels ? low[i] : high[i - kInlineLevels]; }
    Level& level(uint32_t i) { return i < kInlineLevels ? low[i] : high[i - kInlineLevels]; }
    // Sets the node's level to n, every link empty.
    void ResetLevels(uint32_t n);
  };

  explicit SkipList(uint64_t seed);

  uint64_t length() const { return length_; }
  uint32_t level() const { return level_; }

  // REQUIRES: (score, member) is not in the list. Draws a random level.
  void Insert(double score, std::string_view member, SkipInsertTrace* trace);
  // Removes (score, member); false if absent.
  bool Delete(double score, std::string_view member);
  // Moves member from cur_score to new_score: in place when the order allows
  // (Redis's shortcut, no new level drawn), else delete + insert.
  // REQUIRES: (cur_score, member) is in the list.
  void UpdateScore(double cur_score, std::string_view member, double new_score);
  // 1-based rank of (score, member), 0 if absent.
  uint64_t Rank(double score, std::string_view member) const;
  // The node at 1-based `rank`, kNone if out of range.
  uint32_t NodeAtRank(uint64_t rank) const;
  // The first node with score > min (exclusive) or >= min; kNone if none.
  uint32_t FirstFrom(double min, bool exclusive) const;
  // The last node with score < max (exclusive) or <= max; kNone if none.
  uint32_t LastUpTo(double max, bool exclusive) const;

  // Walking the list in order: First() then Next(); Last() then Prev().
  uint32_t First() const { return nodes_[0].low[0].forward; }
  uint32_t Last() const { return tail_; }
  uint32_t Next(uint32_t node) const { return nodes_[node].low[0].forward; }
  uint32_t Prev(uint32_t node) const { return nodes_[node].backward; }
  const Node& node(uint32_t index) const { return nodes_[index]; }
  // The header's link on level i (0-based, i < level()): where it starts.
  const Level& header_level(uint32_t i) const { return nodes_[0].level(i); }

  // Checks order, back links, level bounds and that spans add up to ranks;
  // returns what is wrong, or an empty string.
  std::string CheckInvariants() const;

 private:
  uint32_t RandomLevel();
  uint32_t NewNode(uint32_t level, double score, std::string_view member);
  void FreeNode(uint32_t index);
  // Redis's zslDeleteNode: unlinks x given the update[] of a search for it.
  void DeleteNode(uint32_t x, const uint32_t* update);
  // Finds update[] for (score, member): the last node before it on each level.
  void FindPredecessors(double score, std::string_view member, uint32_t* update) const;
  // The search every lookup shares: from the header's top level down, move
  // right while `go_right(next node)`, call `down(level, node)` where the
  // search goes down; returns the last node reached (0: the header).
  template <typename GoRight, typename Down>
  uint32_t Descend(const GoRight& go_right, const Down& down) const {
    uint32_t x = 0;
    for (int i = static_cast<int>(level_) - 1; i >= 0; --i) {
      for (;;) {
        const uint32_t fw = nodes_[x].level(static_cast<uint32_t>(i)).forward;
        if (fw == kNone || !go_right(nodes_[fw])) break;
        x = fw;
      }
      down(static_cast<uint32_t>(i), x);
    }
    return x;
  }
  bool Before(const Node& n, double score, std::string_view member) const {
    return n.score < score || (n.score == score && std::string_view(n.member) < member);
  }

  Rng rng_;
  std::vector<Node> nodes_;  // [0] is the header, with kMaxLevel levels
  std::vector<uint32_t> free_;
  uint32_t tail_ = kNone;
  uint32_t level_ = 1;
  uint64_t length_ = 0;
};

}  // namespace sdp::redis

#endif  // SDP_REDIS_SKIPLIST_H_

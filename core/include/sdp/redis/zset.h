// A Redis sorted set: skip list (P = 0.25, max level 32, as t_zset.c) plus a
// member -> score map, and the listpack encoding Redis uses while the set is small
// (zset-max-listpack-entries 128, zset-max-listpack-value 64).
// Order: by score, then member by binary comparison (memcmp, shorter first on ties).
// The R1 helper owns this file and may extend it; keep these members.
//
// Encoding, as Redis 7.0's zsetAdd: a set starts as a listpack (here a sorted
// vector, which is what a listpack is: entries in order, found by scanning). A
// new member that would make it 129 entries, or a member longer than 64 bytes,
// converts it to a skip list first (every existing entry is inserted in order,
// each drawing its random level), then the member is inserted. It never
// converts back (7.0 converts back only in the *STORE commands, not modelled).
// Scores are never NaN (callers refuse NaN before calling Set).
#ifndef SDP_REDIS_ZSET_H_
#define SDP_REDIS_ZSET_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sdp/redis/member_dict.h"
#include "sdp/redis/skiplist.h"

namespace sdp::redis {

class ZSet {
 public:
  static constexpr uint32_t kListpackMaxEntries = 128;  // zset-max-listpack-entries
  static constexpr uint32_t kListpackMaxValue = 64;     // zset-max-listpack-value, bytes
  enum class Encoding { kListpack, kSkiplist };
  using Item = std::pair<std::string, double>;

  // A score interval as ZRANGEBYSCORE / ZCOUNT take it: "(" makes a bound exclusive.
  struct ScoreRange {
    double min = 0;
    double max = 0;
    bool min_exclusive = false;
    bool max_exclusive = false;
    bool AboveMin(double s) const { return min_exclusive ? s > min : s >= min; }
    bool BelowMax(double s) const { return max_exclusive ? s < max : s <= max; }
  };

  ZSet() : ZSet(1) {}
  // The skip list's random levels are drawn from an Rng seeded with level_seed.
  explicit ZSet(uint64_t level_seed);

  size_t size() const;
  std::optional<double> Score(std::string_view member) const;
  // Inserts or updates; returns true when the member is new.
  bool Set(std::string_view member, double score);
  // The same; when a new member goes into the skip list, *trace (if given)
  // records that insert (trace->drawn_level stays 0 otherwise).
  bool Set(std::string_view member, double score, SkipInsertTrace* trace);
  bool Remove(std::string_view member);
  // Members with min <= score <= max, in order.
  std::vector<std::pair<std::string, double>> RangeByScore(double min, double max) const;
  // All members in order.
  std::vector<std::pair<std::string, double>> Items() const;

  Encoding encoding() const { return skiplist_ ? Encoding::kSkiplist : Encoding::kListpack; }
  static const char* EncodingName(Encoding e) {
    return e == Encoding::kSkiplist ? "skiplist" : "listpack";
  }
  // 0-based rank from the lowest (or, reverse, the highest) score.
  std::optional<uint64_t> Rank(std::string_view member, bool reverse) const;
  // Ranks [start, end], 0-based, inclusive. REQUIRES: start <= end < size().
  std::vector<Item> RangeByRank(uint64_t start, uint64_t end, bool reverse) const;
  // Members in `range`, ascending (or descending), skipping `offset`, at most
  // `limit` (negative: no limit). A negative offset yields nothing, as in Redis.
  std::vector<Item> RangeByScore(const ScoreRange& range, bool reverse, int64_t offset,
                                 int64_t limit) const;
  uint64_t Count(const ScoreRange& range) const;
  // The lowest / highest entry. REQUIRES: size() > 0.
  Item First() const;
  Item Last() const;

  // The structures themselves, for drawing: the skip list (null while a listpack).
  const SkipList* skiplist() const { return skiplist_ ? &*skiplist_ : nullptr; }
  // The listpack's entries in order (empty once a skip list).
  const std::vector<Item>& listpack() const { return listpack_; }
  // Checks the map, the order and the skip list's spans; returns what is
  // wrong, or an empty string.
  std::string CheckInvariants() const;

 private:
  void ConvertToSkiplist();
  std::vector<Item>::iterator ListpackFind(std::string_view member, double score);

  uint64_t level_seed_;
  MemberDict scores_;  // the dict
  std::vector<Item> listpack_;                         // while Encoding::kListpack
  std::optional<SkipList> skiplist_;                   // once Encoding::kSkiplist
};

}  // namespace sdp::redis

#endif  // SDP_REDIS_ZSET_H_

// Sorted set: the member -> score map plus a listpack or a skip list, with
// Redis 7.0's conversion rule (zsetAdd in t_zset.c).
#include "sdp/redis/zset.h"

#include <algorithm>

#include "sdp/status.h"

namespace sdp::redis {
namespace {

bool ItemBefore(const ZSet::Item& a, double score, std::string_view member) {
  return a.second < score || (a.second == score && std::string_view(a.first) < member);
}

}  // namespace

ZSet::ZSet(uint64_t level_seed) : level_seed_(level_seed) {}

size_t ZSet::size() const { return scores_.size(); }

std::optional<double> ZSet::Score(std::string_view member) const {
  const double* score = scores_.Find(member);
  if (score == nullptr) return std::nullopt;
  return *score;
}

std::vector<ZSet::Item>::iterator ZSet::ListpackFind(std::string_view member, double score) {
  return std::lower_bound(listpack_.begin(), listpack_.end(), 0,
                          [&](const Item& a, int) { return ItemBefore(a, score, member); });
}

void ZSet::ConvertToSkiplist() {
  skiplist_.emplace(level_seed_);
  // zsetConvert: the entries go in, in order, each drawing its level.
  for (const Item& item : listpack_) skiplist_->Insert(item.second, item.first, nullptr);
  listpack_.clear();
  listpack_.shrink_to_fit();
}

bool ZSet::Set(std::string_view member, double score) { return Set(member, score, nullptr); }

bool ZSet::Set(std::string_view member, double score, SkipInsertTrace* trace) {
  // A listpack keeps scores as text or integers and reads -0 back as 0 (seen on
  // the real 7.0.15: ZADD k -0 m; ZSCORE k m -> "0"); a skip list keeps -0.
  const auto stored = [this](double s) { return !skiplist_ && s == 0 ? 0.0 : s; };
  if (double* existing = scores_.Find(member)) {
    const double current = *existing;
    if (current == score) return false;  // Redis leaves an equal score (even -0 vs 0) alone
    if (skiplist_) {
      skiplist_->UpdateScore(current, member, score);
    } else {
      score = stored(score);
      listpack_.erase(ListpackFind(member, current));
      listpack_.insert(ListpackFind(member, score), Item(std::string(member), score));
    }
    *existing = score;
    return false;
  }
  if (!skiplist_ && (listpack_.size() + 1 > kListpackMaxEntries ||
                     member.size() > kListpackMaxValue)) {
    ConvertToSkiplist();
  }
  score = stored(score);
  if (skiplist_) {
    skiplist_->Insert(score, member, trace);
  } else {
    listpack_.insert(ListpackFind(member, score), Item(std::string(member), score));
  }
  scores_.Insert(member, score);
  return true;
}

bool ZSet::Remove(std::string_view member) {
  const double* found = scores_.Find(member);
  if (found == nullptr) return false;
  const double score = *found;
  if (skiplist_) {
    SDP_CHECK(skiplist_->Delete(score, member));
  } else {
    listpack_.erase(ListpackFind(member, score));
  }
  scores_.Erase(member);
  return true;
}

std::vector<ZSet::Item> ZSet::RangeByScore(double min, double max) const {
  return RangeByScore(ScoreRange{min, max, false, false}, false, 0, -1);
}

std::vector<ZSet::Item> ZSet::Items() const {
  if (size() == 0) return {};
  return RangeByRank(0, size() - 1, false);
}

std::optional<uint64_t> ZSet::Rank(std::string_view member, bool reverse) const {
  const double* score = scores_.Find(member);
  if (score == nullptr) return std::nullopt;
  uint64_t rank;  // 0-based from the lowest
  if (skiplist_) {
    rank = skiplist_->Rank(*score, member) - 1;
  } else {
    const auto pos = std::lower_bound(
        listpack_.begin(), listpack_.end(), 0,
        [&](const Item& a, int) { return ItemBefore(a, *score, member); });
    rank = static_cast<uint64_t>(pos - listpack_.begin());
  }
  return reverse ? size() - 1 - rank : rank;
}

std::vector<ZSet::Item> ZSet::RangeByRank(uint64_t start, uint64_t end, bool reverse) const {
  SDP_CHECK(start <= end && end < size());
  std::vector<Item> out;
  out.reserve(end - start + 1);
  const uint64_t n = size();
  if (!skiplist_) {
    for (uint64_t r = start; r <= end; ++r) out.push_back(listpack_[reverse ? n - 1 - r : r]);
    return out;
  }
  uint32_t x = skiplist_->NodeAtRank(reverse ? n - start : start + 1);
  for (uint64_t r = start; r <= end; ++r) {
    const SkipList::Node& node = skiplist_->node(x);
    out.emplace_back(node.member, node.score);
    x = reverse ? skiplist_->Prev(x) : skiplist_->Next(x);
  }
  return out;
}

std::vector<ZSet::Item> ZSet::RangeByScore(const ScoreRange& range, bool reverse, int64_t offset,
                                           int64_t limit) const {
  std::vector<Item> out;
  if (offset < 0 || limit == 0) return out;
  const auto emit = [&](const std::string& member, double score) {
    if (offset > 0) {
      --offset;
      return true;
    }
    out.emplace_back(member, score);
    return limit < 0 || static_cast<int64_t>(out.size()) < limit;
  };
  if (!skiplist_) {
    const uint64_t n = listpack_.size();
    for (uint64_t i = 0; i < n; ++i) {
      const Item& item = listpack_[reverse ? n - 1 - i : i];
      if (!range.AboveMin(item.second) || !range.BelowMax(item.second)) continue;
      if (!emit(item.first, item.second)) break;
    }
    return out;
  }
  uint32_t x = reverse ? skiplist_->LastUpTo(range.max, range.max_exclusive)
                       : skiplist_->FirstFrom(range.min, range.min_exclusive);
  while (x != SkipList::kNone) {
    const SkipList::Node& node = skiplist_->node(x);
    if (reverse ? !range.AboveMin(node.score) : !range.BelowMax(node.score)) break;
    if (!emit(node.member, node.score)) break;
    x = reverse ? skiplist_->Prev(x) : skiplist_->Next(x);
  }
  return out;
}

uint64_t ZSet::Count(const ScoreRange& range) const {
  if (!skiplist_) {
    uint64_t count = 0;
    for (const Item& item : listpack_) {
      count += range.AboveMin(item.second) && range.BelowMax(item.second) ? 1 : 0;
    }
    return count;
  }
  // By ranks, as zcountCommand does: rank(last in range) - rank(first) + 1.
  const uint32_t first = skiplist_->FirstFrom(range.min, range.min_exclusive);
  const uint32_t last = skiplist_->LastUpTo(range.max, range.max_exclusive);
  if (first == SkipList::kNone || last == SkipList::kNone) return 0;
  const SkipList::Node& f = skiplist_->node(first);
  const SkipList::Node& l = skiplist_->node(last);
  const uint64_t rf = skiplist_->Rank(f.score, f.member);
  const uint64_t rl = skiplist_->Rank(l.score, l.member);
  return rl >= rf ? rl - rf + 1 : 0;
}

ZSet::Item ZSet::First() const {
  SDP_CHECK(size() > 0);
  if (!skiplist_) return listpack_.front();
  const SkipList::Node& n = skiplist_->node(skiplist_->First());
  return {n.member, n.score};
}

ZSet::Item ZSet::Last() const {
  SDP_CHECK(size() > 0);
  if (!skiplist_) return listpack_.back();
  const SkipList::Node& n = skiplist_->node(skiplist_->Last());
  return {n.member, n.score};
}

std::string ZSet::CheckInvariants() const {
  const std::vector<Item> items = Items();
  if (items.size() != scores_.size()) return "map and structure differ in size";
  for (size_t i = 0; i < items.size(); ++i) {
    const double* score = scores_.Find(items[i].first);
    if (score == nullptr || *score != items[i].second) return "map disagrees at " + items[i].first;
    if (i > 0 && !ItemBefore(items[i - 1], items[i].second, items[i].first)) return "out of order";
  }
  if (skiplist_) return skiplist_->CheckInvariants();
  if (listpack_.size() > kListpackMaxEntries) return "listpack over its entry limit";
  for (const Item& item : listpack_) {
    if (item.first.size() > kListpackMaxValue) return "listpack member over the value limit";
  }
  return "";
}

}  // namespace sdp::redis

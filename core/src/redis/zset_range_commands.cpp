// Sorted-set range reads: ZRANGE (by rank, BYSCORE, BYLEX, REV, LIMIT,
// WITHSCORES), ZRANGEBYSCORE, ZREVRANGE, ZREVRANGEBYSCORE, ZCOUNT, following
// Redis 7.0's zrangeGenericCommand: options first, then the range, then the key.
#include "redis/args.h"
#include "sdp/redis/db.h"

namespace sdp::redis {
namespace {

enum class RangeType { kAuto, kRank, kScore, kLex };
enum class Direction { kAuto, kForward, kReverse };

// One end of a BYLEX range: "-" / "+" are the infinities, "[" inclusive, "(" exclusive.
struct LexBound {
  enum class Kind { kMin, kMax, kValue } kind = Kind::kValue;
  std::string value;
  bool exclusive = false;
};

bool ParseLexBound(const std::string& s, LexBound* bound) {
  // The C string ends at a NUL: "+\0x" counts as "+".
  const bool single = s.size() == 1 || (s.size() > 1 && s[1] == '\0');
  if (s.empty()) return false;
  switch (s[0]) {
    case '+': bound->kind = LexBound::Kind::kMax; bound->exclusive = true; return single;
    case '-': bound->kind = LexBound::Kind::kMin; bound->exclusive = true; return single;
    case '(': bound->exclusive = true; bound->value = s.substr(1); return true;
    case '[': bound->exclusive = false; bound->value = s.substr(1); return true;
    default: return false;
  }
}

bool GteMin(std::string_view v, const LexBound& min) {
  if (min.kind == LexBound::Kind::kMin) return true;
  if (min.kind == LexBound::Kind::kMax) return false;
  const int c = v.compare(min.value);
  return min.exclusive ? c > 0 : c >= 0;
}

bool LteMax(std::string_view v, const LexBound& max) {
  if (max.kind == LexBound::Kind::kMax) return true;
  if (max.kind == LexBound::Kind::kMin) return false;
  const int c = v.compare(max.value);
  return max.exclusive ? c < 0 : c <= 0;
}

// sdscmplex: the infinities compare below / above everything.
int CompareLex(const LexBound& a, const LexBound& b) {
  if (a.kind == b.kind && a.kind != LexBound::Kind::kValue) return 0;
  if (a.kind == LexBound::Kind::kMin || b.kind == LexBound::Kind::kMax) return -1;
  if (a.kind == LexBound::Kind::kMax || b.kind == LexBound::Kind::kMin) return 1;
  const int c = a.value.compare(b.value);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

// genericZrangebylexCommand as the listpack runs it (a scan in order). With
// equal scores, the only case Redis defines, the skip list gives the same.
std::vector<ZSet::Item> RangeByLex(const ZSet& zs, const LexBound& min, const LexBound& max,
                                   bool reverse, int64_t offset, int64_t limit) {
  std::vector<ZSet::Item> out;
  const int cmp = CompareLex(min, max);
  if (cmp > 0 || (cmp == 0 && (min.exclusive || max.exclusive))) return out;
  const std::vector<ZSet::Item> items = zs.Items();
  if (items.empty() || !GteMin(items.back().first, min) || !LteMax(items.front().first, max)) {
    return out;
  }
  const int64_t n = static_cast<int64_t>(items.size());
  int64_t i = 0;
  const auto at = [&](int64_t k) -> const ZSet::Item& { return items[reverse ? n - 1 - k : k]; };
  // The starting point: the first entry past the near bound, which must also
  // be within the far bound.
  for (; i < n; ++i) {
    if (reverse ? LteMax(at(i).first, max) : GteMin(at(i).first, min)) break;
  }
  if (i == n || !(reverse ? GteMin(at(i).first, min) : LteMax(at(i).first, max))) return out;
  if (offset < 0 || offset >= n - i) return out;
  i += offset;
  for (; i < n && limit != 0; ++i, --limit) {
    if (!(reverse ? GteMin(at(i).first, min) : LteMax(at(i).first, max))) break;
    out.push_back(at(i));
  }
  return out;
}

Reply ItemsReply(const std::vector<ZSet::Item>& items, bool withscores) {
  std::vector<Reply> out;
  out.reserve(items.size() * (withscores ? 2 : 1));
  for (const ZSet::Item& item : items) {
    out.push_back(Reply::Bulk(item.first));
    if (withscores) out.push_back(Reply::Bulk(FormatDouble(item.second)));
  }
  return Reply::Array(std::move(out));
}

Reply RangeGeneric(Db& db, const Argv& argv, RangeType type, Direction direction) {
  bool withscores = false;
  int64_t offset = 0, limit = -1;
  for (size_t j = 4; j < argv.size(); ++j) {
    const size_t left = argv.size() - j - 1;
    const std::string& opt = argv[j];
    if (EqualsIgnoreCase(opt, "withscores")) {
      withscores = true;
    } else if (EqualsIgnoreCase(opt, "limit") && left >= 2) {
      const auto o = ParseInteger(argv[j + 1]);
      if (!o) return Reply::Error(kNotInteger);
      const auto l = ParseInteger(argv[j + 2]);
      if (!l) return Reply::Error(kNotInteger);
      offset = *o;
      limit = *l;
      j += 2;
    } else if (direction == Direction::kAuto && EqualsIgnoreCase(opt, "rev")) {
      direction = Direction::kReverse;
    } else if (type == RangeType::kAuto && EqualsIgnoreCase(opt, "bylex")) {
      type = RangeType::kLex;
    } else if (type == RangeType::kAuto && EqualsIgnoreCase(opt, "byscore")) {
      type = RangeType::kScore;
    } else {
      return Reply::Error(kSyntaxError);
    }
  }
  if (direction == Direction::kAuto) direction = Direction::kForward;
  if (type == RangeType::kAuto) type = RangeType::kRank;
  if (limit != -1 && type == RangeType::kRank) {
    return Reply::Error(
        "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
  }
  if (withscores && type == RangeType::kLex) {
    return Reply::Error("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
  }
  const bool reverse = direction == Direction::kReverse;
  // BYSCORE / BYLEX with REV take the range as max, min.
  const bool swap = reverse && type != RangeType::kRank;
  const std::string& min_arg = swap ? argv[3] : argv[2];
  const std::string& max_arg = swap ? argv[2] : argv[3];
  int64_t start = 0, end = 0;
  ZSet::ScoreRange score_range;
  LexBound lex_min, lex_max;
  if (type == RangeType::kRank) {
    const auto s = ParseInteger(min_arg);
    if (!s) return Reply::Error(kNotInteger);
    const auto e = ParseInteger(max_arg);
    if (!e) return Reply::Error(kNotInteger);
    start = *s;
    end = *e;
  } else if (type == RangeType::kScore) {
    if (!ParseScoreRange(min_arg, max_arg, &score_range)) {
      return Reply::Error("ERR min or max is not a float");
    }
  } else if (!ParseLexBound(min_arg, &lex_min) || !ParseLexBound(max_arg, &lex_max)) {
    return Reply::Error("ERR min or max not valid string range item");
  }
  if (db.TypeOf(argv[1]) == Db::KeyType::kString) return Reply::Error(kWrongType);
  const ZSet* zs = db.FindZSet(argv[1]);
  if (zs == nullptr) return Reply::Array({});
  if (type == RangeType::kScore) {
    return ItemsReply(zs->RangeByScore(score_range, reverse, offset, limit), withscores);
  }
  if (type == RangeType::kLex) {
    return ItemsReply(RangeByLex(*zs, lex_min, lex_max, reverse, offset, limit), false);
  }
  // genericZrangebyrankCommand's index sanitising.
  const auto length = static_cast<int64_t>(zs->size());
  if (start < 0) start = length + start;
  if (end < 0) end = length + end;
  if (start < 0) start = 0;
  if (start > end || start >= length) return Reply::Array({});
  if (end >= length) end = length - 1;
  return ItemsReply(
      zs->RangeByRank(static_cast<uint64_t>(start), static_cast<uint64_t>(end), reverse),
      withscores);
}

Reply ZRange(Db& db, const Argv& argv) {
  return RangeGeneric(db, argv, RangeType::kAuto, Direction::kAuto);
}
Reply ZRangeByScore(Db& db, const Argv& argv) {
  return RangeGeneric(db, argv, RangeType::kScore, Direction::kForward);
}
Reply ZRevRange(Db& db, const Argv& argv) {
  return RangeGeneric(db, argv, RangeType::kRank, Direction::kReverse);
}
Reply ZRevRangeByScore(Db& db, const Argv& argv) {
  return RangeGeneric(db, argv, RangeType::kScore, Direction::kReverse);
}
Reply ZRangeByLex(Db& db, const Argv& argv) {
  return RangeGeneric(db, argv, RangeType::kLex, Direction::kForward);
}

Reply ZCount(Db& db, const Argv& argv) {
  ZSet::ScoreRange range;
  if (!ParseScoreRange(argv[2], argv[3], &range)) {
    return Reply::Error("ERR min or max is not a float");
  }
  if (db.TypeOf(argv[1]) == Db::KeyType::kString) return Reply::Error(kWrongType);
  const ZSet* zs = db.FindZSet(argv[1]);
  return Reply::Integer(zs != nullptr ? static_cast<int64_t>(zs->Count(range)) : 0);
}

}  // namespace

std::vector<CommandSpec> ZSetRangeCommands() {
  return {
      {"zrange", -4, false, ZRange},
      {"zrangebyscore", -4, false, ZRangeByScore},
      {"zrevrange", -4, false, ZRevRange},
      {"zrevrangebyscore", -4, false, ZRevRangeByScore},
      {"zrangebylex", -4, false, ZRangeByLex},
      {"zcount", 4, false, ZCount},
  };
}

}  // namespace sdp::redis

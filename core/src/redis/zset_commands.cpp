// Sorted-set writes and point reads: ZADD ZINCRBY ZREM ZSCORE ZMSCORE ZRANK
// ZREVRANK ZCARD ZPOPMIN ZPOPMAX, following Redis 7.0's t_zset.c step by step
// (the order of checks decides which error a bad command gets).
#include <cmath>

#include "redis/args.h"
#include "sdp/redis/db.h"

namespace sdp::redis {

std::vector<CommandSpec> ZSetRangeCommands();  // zset_range_commands.cpp

namespace {

// The ZSet at `key` for a command that must not create it: null if absent.
// WRONGTYPE comes back as *error.
ZSet* ExistingZSet(Db& db, const std::string& key, Reply* error) {
  switch (db.TypeOf(key)) {
    case Db::KeyType::kNone: return nullptr;
    case Db::KeyType::kString: *error = Reply::Error(kWrongType); return nullptr;
    case Db::KeyType::kZSet: return std::get<ZSet*>(db.ZSetForWrite(key));
  }
  return nullptr;
}

// zaddGenericCommand; ZINCRBY is ZADD with INCR forced on (so "ZINCRBY k NX m"
// parses NX as an option and fails as a syntax error, exactly like Redis).
Reply ZAddGeneric(Db& db, const Argv& argv, bool incr) {
  bool nx = false, xx = false, gt = false, lt = false, ch = false;
  size_t scoreidx = 2;
  for (; scoreidx < argv.size(); ++scoreidx) {
    const std::string& opt = argv[scoreidx];
    if (EqualsIgnoreCase(opt, "nx")) nx = true;
    else if (EqualsIgnoreCase(opt, "xx")) xx = true;
    else if (EqualsIgnoreCase(opt, "ch")) ch = true;
    else if (EqualsIgnoreCase(opt, "incr")) incr = true;
    else if (EqualsIgnoreCase(opt, "gt")) gt = true;
    else if (EqualsIgnoreCase(opt, "lt")) lt = true;
    else break;
  }
  const size_t args = argv.size() - scoreidx;
  if (args % 2 != 0 || args == 0) return Reply::Error(kSyntaxError);
  const size_t elements = args / 2;
  if (nx && xx) return Reply::Error("ERR XX and NX options at the same time are not compatible");
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    return Reply::Error("ERR GT, LT, and/or NX options at the same time are not compatible");
  }
  if (incr && elements > 1) {
    return Reply::Error("ERR INCR option supports a single increment-element pair");
  }
  // Every score first: the command runs fully or not at all.
  std::vector<double> scores(elements);
  for (size_t j = 0; j < elements; ++j) {
    const auto score = ParseDouble(argv[scoreidx + j * 2]);
    if (!score) return Reply::Error(kNotFloat);
    scores[j] = *score;
  }
  const std::string& key = argv[1];
  const Db::KeyType type = db.TypeOf(key);
  if (type == Db::KeyType::kString) return Reply::Error(kWrongType);
  int64_t added = 0, updated = 0, processed = 0;
  double score = 0;
  if (type != Db::KeyType::kNone || !xx) {
    ZSet* zs = std::get<ZSet*>(db.ZSetForWrite(key));
    for (size_t j = 0; j < elements; ++j) {
      const std::string& member = argv[scoreidx + 1 + j * 2];
      double newscore = scores[j];
      const std::optional<double> current = zs->Score(member);
      if (current) {
        if (nx) continue;
        if (incr) {
          newscore += *current;
          if (std::isnan(newscore)) {
            // Only INCR gets here, with its single element: nothing has changed.
            return Reply::Error("ERR resulting score is not a number (NaN)");
          }
        }
        if ((lt && newscore >= *current) || (gt && newscore <= *current)) continue;
        if (newscore != *current) {
          zs->Set(member, newscore);
          ++updated;
        }
      } else if (!xx) {
        zs->Set(member, newscore, db.TraceSlot());
        db.KeepTrace();
        ++added;
      } else {
        continue;
      }
      ++processed;
      score = newscore;
    }
  }
  if (added + updated > 0) db.Propagate(argv);
  if (incr) return processed > 0 ? Reply::Bulk(FormatDouble(score)) : Reply::Nil();
  return Reply::Integer(ch ? added + updated : added);
}

Reply ZAdd(Db& db, const Argv& argv) { return ZAddGeneric(db, argv, false); }
Reply ZIncrBy(Db& db, const Argv& argv) { return ZAddGeneric(db, argv, true); }

Reply ZRem(Db& db, const Argv& argv) {
  Reply error;
  ZSet* zs = ExistingZSet(db, argv[1], &error);
  if (zs == nullptr) return error.IsError() ? error : Reply::Integer(0);
  int64_t deleted = 0;
  for (size_t j = 2; j < argv.size() && zs->size() > 0; ++j) deleted += zs->Remove(argv[j]);
  db.DeleteIfEmpty(argv[1]);
  if (deleted > 0) db.Propagate(argv);
  return Reply::Integer(deleted);
}

Reply ZScore(Db& db, const Argv& argv) {
  if (db.TypeOf(argv[1]) == Db::KeyType::kString) return Reply::Error(kWrongType);
  const ZSet* zs = db.FindZSet(argv[1]);
  const std::optional<double> score = zs != nullptr ? zs->Score(argv[2]) : std::nullopt;
  return score ? Reply::Bulk(FormatDouble(*score)) : Reply::Nil();
}

Reply ZMScore(Db& db, const Argv& argv) {
  if (db.TypeOf(argv[1]) == Db::KeyType::kString) return Reply::Error(kWrongType);
  const ZSet* zs = db.FindZSet(argv[1]);
  std::vector<Reply> out;
  for (size_t j = 2; j < argv.size(); ++j) {
    const std::optional<double> score = zs != nullptr ? zs->Score(argv[j]) : std::nullopt;
    out.push_back(score ? Reply::Bulk(FormatDouble(*score)) : Reply::Nil());
  }
  return Reply::Array(std::move(out));
}

Reply ZRankGeneric(Db& db, const Argv& argv, bool reverse) {
  if (db.TypeOf(argv[1]) == Db::KeyType::kString) return Reply::Error(kWrongType);
  const ZSet* zs = db.FindZSet(argv[1]);
  const std::optional<uint64_t> rank = zs != nullptr ? zs->Rank(argv[2], reverse) : std::nullopt;
  return rank ? Reply::Integer(static_cast<int64_t>(*rank)) : Reply::Nil();
}

Reply ZRank(Db& db, const Argv& argv) { return ZRankGeneric(db, argv, false); }
Reply ZRevRank(Db& db, const Argv& argv) { return ZRankGeneric(db, argv, true); }

Reply ZCard(Db& db, const Argv& argv) {
  if (db.TypeOf(argv[1]) == Db::KeyType::kString) return Reply::Error(kWrongType);
  const ZSet* zs = db.FindZSet(argv[1]);
  return Reply::Integer(zs != nullptr ? static_cast<int64_t>(zs->size()) : 0);
}

// zpopMinMaxCommand + genericZpopCommand (RESP2: one flat array).
Reply ZPop(Db& db, const Argv& argv, bool max) {
  if (argv.size() > 3) return Reply::Error(kSyntaxError);
  int64_t count = 1;
  if (argv.size() == 3) {
    // getPositiveLongFromObjectOrReply with its message for *every* failure,
    // so "abc" also says "out of range, must be positive".
    const auto parsed = ParseInteger(argv[2]);
    if (!parsed || *parsed < 0) return Reply::Error("ERR value is out of range, must be positive");
    count = *parsed;
  }
  Reply error;
  ZSet* zs = ExistingZSet(db, argv[1], &error);
  if (error.IsError()) return error;
  if (zs == nullptr || count == 0) return Reply::Array({});
  std::vector<Reply> out;
  for (int64_t i = 0; i < count && zs->size() > 0; ++i) {
    const ZSet::Item item = max ? zs->Last() : zs->First();
    zs->Remove(item.first);
    out.push_back(Reply::Bulk(item.first));
    out.push_back(Reply::Bulk(FormatDouble(item.second)));
  }
  db.DeleteIfEmpty(argv[1]);
  db.Propagate(argv);
  return Reply::Array(std::move(out));
}

Reply ZPopMin(Db& db, const Argv& argv) { return ZPop(db, argv, false); }
Reply ZPopMax(Db& db, const Argv& argv) { return ZPop(db, argv, true); }

}  // namespace

std::vector<CommandSpec> ZSetCommands() {
  std::vector<CommandSpec> out = {
      {"zadd", -4, true, ZAdd},
      {"zincrby", 4, true, ZIncrBy},
      {"zrem", -3, true, ZRem},
      {"zscore", 3, false, ZScore},
      {"zmscore", -3, false, ZMScore},
      {"zrank", 3, false, ZRank},
      {"zrevrank", 3, false, ZRevRank},
      {"zcard", 2, false, ZCard},
      {"zpopmin", -2, true, ZPopMin},
      {"zpopmax", -2, true, ZPopMax},
  };
  for (CommandSpec& spec : ZSetRangeCommands()) out.push_back(std::move(spec));
  return out;
}

}  // namespace sdp::redis

// Strings and keyspace commands, enough for the persistence sim: SET GET DEL
// EXISTS INCR DECR INCRBY TYPE DBSIZE FLUSHALL OBJECT ENCODING PING SELECT,
// with Redis 7.0's replies and error texts (t_string.c, db.c, object.c).
#include "redis/args.h"
#include "sdp/redis/db.h"

namespace sdp::redis {
namespace {

constexpr uint32_t kEmbstrSizeLimit = 44;  // OBJ_ENCODING_EMBSTR_SIZE_LIMIT

Reply Ping(Db&, const Argv& argv) {
  if (argv.size() > 2) return Reply::Error("ERR wrong number of arguments for 'ping' command");
  return argv.size() == 2 ? Reply::Bulk(argv[1]) : Reply::Status("PONG");
}

Reply Select(Db&, const Argv& argv) {
  const auto id = ParseInteger(argv[1]);
  if (!id || *id < INT32_MIN || *id > INT32_MAX) return Reply::Error(kNotInteger);
  if (*id < 0 || *id >= 16) return Reply::Error("ERR DB index is out of range");
  if (*id != 0) return Reply::Error("ERR this model keeps only db 0");
  return Reply::Status("OK");
}

Reply Get(Db& db, const Argv& argv) {
  if (db.TypeOf(argv[1]) == Db::KeyType::kZSet) return Reply::Error(kWrongType);
  const std::string* s = db.FindString(argv[1]);
  return s != nullptr ? Reply::Bulk(*s) : Reply::Nil();
}

// SET key value [NX | XX] [GET] [KEEPTTL]; expiry options are refused.
Reply Set(Db& db, const Argv& argv) {
  bool nx = false, xx = false, get = false;
  for (size_t j = 3; j < argv.size(); ++j) {
    const std::string& opt = argv[j];
    const bool has_next = j + 1 < argv.size();
    if (EqualsIgnoreCase(opt, "nx") && !xx) {
      nx = true;
    } else if (EqualsIgnoreCase(opt, "xx") && !nx) {
      xx = true;
    } else if (EqualsIgnoreCase(opt, "get")) {
      get = true;
    } else if (EqualsIgnoreCase(opt, "keepttl")) {
      // no expiry is kept at all, so KEEPTTL changes nothing
    } else if ((EqualsIgnoreCase(opt, "ex") || EqualsIgnoreCase(opt, "px") ||
                EqualsIgnoreCase(opt, "exat") || EqualsIgnoreCase(opt, "pxat")) &&
               has_next) {
      return Reply::Error("ERR this model keeps no expiry: SET's EX, PX, EXAT and PXAT are not "
                          "supported");
    } else {
      return Reply::Error(kSyntaxError);
    }
  }
  Reply old = Reply::Nil();
  if (get) {
    old = Get(db, argv);
    if (old.IsError()) return old;
  }
  const bool found = db.TypeOf(argv[1]) != Db::KeyType::kNone;
  if ((nx && found) || (xx && !found)) return get ? old : Reply::Nil();
  db.SetString(argv[1], argv[2]);
  db.Propagate(argv);
  return get ? old : Reply::Status("OK");
}

Reply Del(Db& db, const Argv& argv) {
  int64_t deleted = 0;
  for (size_t i = 1; i < argv.size(); ++i) deleted += db.Delete(argv[i]) ? 1 : 0;
  if (deleted > 0) db.Propagate(argv);
  return Reply::Integer(deleted);
}

Reply Exists(Db& db, const Argv& argv) {
  int64_t count = 0;
  for (size_t i = 1; i < argv.size(); ++i) count += db.TypeOf(argv[i]) != Db::KeyType::kNone;
  return Reply::Integer(count);
}

Reply IncrBy(Db& db, const Argv& argv, int64_t incr) {
  const Db::KeyType type = db.TypeOf(argv[1]);
  if (type == Db::KeyType::kZSet) return Reply::Error(kWrongType);
  int64_t value = 0;
  if (type == Db::KeyType::kString) {
    const auto parsed = ParseInteger(*db.FindString(argv[1]));
    if (!parsed) return Reply::Error(kNotInteger);
    value = *parsed;
  }
  if ((incr < 0 && value < 0 && incr < INT64_MIN - value) ||
      (incr > 0 && value > 0 && incr > INT64_MAX - value)) {
    return Reply::Error("ERR increment or decrement would overflow");
  }
  value += incr;
  db.SetString(argv[1], std::to_string(value));
  db.Propagate(argv);
  return Reply::Integer(value);
}

Reply Incr(Db& db, const Argv& argv) { return IncrBy(db, argv, 1); }
Reply Decr(Db& db, const Argv& argv) { return IncrBy(db, argv, -1); }

Reply IncrByCommand(Db& db, const Argv& argv) {
  const auto incr = ParseInteger(argv[2]);
  if (!incr) return Reply::Error(kNotInteger);
  return IncrBy(db, argv, *incr);
}

Reply Type(Db& db, const Argv& argv) {
  switch (db.TypeOf(argv[1])) {
    case Db::KeyType::kNone: return Reply::Status("none");
    case Db::KeyType::kString: return Reply::Status("string");
    case Db::KeyType::kZSet: return Reply::Status("zset");
  }
  return Reply::Status("none");
}

Reply DbSize(Db& db, const Argv&) { return Reply::Integer(static_cast<int64_t>(db.KeyCount())); }

Reply FlushAll(Db& db, const Argv& argv) {
  if (argv.size() > 2 ||
      (argv.size() == 2 && !EqualsIgnoreCase(argv[1], "sync") &&
       !EqualsIgnoreCase(argv[1], "async"))) {
    return Reply::Error(kSyntaxError);
  }
  db.Clear();
  db.Propagate(argv);  // always, even when there was nothing to flush
  return Reply::Status("OK");
}

// OBJECT ENCODING key; OBJECT's other subcommands are not modelled.
Reply Object(Db& db, const Argv& argv) {
  if (!EqualsIgnoreCase(argv[1], "encoding")) {
    std::string sub = argv[1].substr(0, argv[1].find('\0')).substr(0, 128);
    for (char& c : sub) {
      if (c == '\r' || c == '\n') c = ' ';
    }
    return Reply::Error("ERR unknown subcommand '" + sub + "'. Try OBJECT HELP.");
  }
  if (argv.size() != 3) {
    return Reply::Error("ERR wrong number of arguments for 'object|encoding' command");
  }
  switch (db.TypeOf(argv[2])) {
    case Db::KeyType::kNone: return Reply::Nil();
    case Db::KeyType::kZSet:
      return Reply::Bulk(ZSet::EncodingName(db.FindZSet(argv[2])->encoding()));
    case Db::KeyType::kString: return Reply::Bulk(StringEncoding(*db.FindString(argv[2])));
  }
  return Reply::Nil();
}

}  // namespace

// tryObjectEncoding: integers up to 20 bytes as "int", short strings embedded.
const char* StringEncoding(std::string_view value) {
  if (value.size() <= 20 && ParseInteger(value)) return "int";
  return value.size() <= kEmbstrSizeLimit ? "embstr" : "raw";
}

std::vector<CommandSpec> StringCommands() {
  return {
      {"ping", -1, false, Ping},
      {"select", 2, false, Select},
      {"get", 2, false, Get},
      {"set", -3, true, Set},
      {"del", -2, true, Del},
      {"exists", -2, false, Exists},
      {"incr", 2, true, Incr},
      {"decr", 2, true, Decr},
      {"incrby", 3, true, IncrByCommand},
      {"type", 2, false, Type},
      {"dbsize", 1, false, DbSize},
      {"flushall", -1, true, FlushAll},
      {"object", -2, false, Object},
  };
}

}  // namespace sdp::redis

#include "sdp/redis_cli_sim.h"

#include <algorithm>

namespace sdp {
namespace {

using redis::Argv;
using redis::Db;

std::string Str(uint64_t v) { return std::to_string(v); }

// The most entries a command can add: ZADD one per score-member pair,
// GEOADD one per longitude-latitude-member triple, the commands that create
// a key one; removals and reads none (they must work on a full data set).
uint64_t MaxGrowth(const Argv& argv) {
  const redis::CommandSpec* spec = Db::FindCommand(argv[0]);
  if (spec == nullptr || argv.size() < 2) return 0;
  const uint64_t args = argv.size() - 2;  // after the name and the key
  if (spec->name == "zadd") return args / 2;
  if (spec->name == "geoadd") return args / 3;
  for (const char* creates : {"zincrby", "set", "incr", "decr", "incrby"}) {
    if (spec->name == creates) return 1;
  }
  return 0;
}

}  // namespace

FieldSpec RedisCliSim::LineField() {
  return StringField("line", true, 1, kMaxLineBytes,
                     "the command as typed into redis-cli (quotes and \\xHH escapes allowed)");
}

FieldSpec RedisCliSim::KeyField() { return StringField("key", true, 1, kMaxKeyBytes, "a key name"); }

Result<Argv> RedisCliSim::ParseCommand(const std::string& line) const {
  Result<Argv> split = redis::SplitCommandLine(line);
  if (!split.ok()) {
    return Status::Invalid(
        "command: field \"line\": Invalid argument(s) (redis-cli's answer: a quote is not "
        "closed, or a closing quote is not followed by a space)");
  }
  const Argv& argv = split.value();
  if (argv.empty()) return Status::Invalid("command: field \"line\" has no command, only blanks");
  const uint64_t growth = MaxGrowth(argv);
  if (growth > 0) SDP_RETURN_IF_ERROR(CheckRoom("command: field \"line\"", growth, argv[1]));
  return split;
}

Status RedisCliSim::CheckRoom(const std::string& where, uint64_t growth, const std::string& key) const {
  if (db_.EntryCount() + growth > caps_.max_entries) {
    return Status::Invalid(where + ": the data set holds " + Str(db_.EntryCount()) +
                           " entries and this simulation keeps at most " + Str(caps_.max_entries) +
                           "; remove some (ZPOPMIN, ZREM, DEL, FLUSHALL) first");
  }
  if (db_.KeyCount() >= caps_.max_keys && db_.TypeOf(key) == Db::KeyType::kNone) {
    return Status::Invalid(where + ": already " + Str(caps_.max_keys) +
                           " keys, the most this simulation keeps; use an existing key");
  }
  return Status::Ok();
}

Status RedisCliSim::MissingKeyError(const std::string& key) const {
  std::string known;
  for (const std::string& k : db_.Keys()) {
    if (known.size() > 200) {
      known += ", ...";
      break;
    }
    known += (known.empty() ? "" : ", ") + k;
  }
  return Status::Invalid("view: field \"key\": no key \"" + key + "\" exists" +
                         (known.empty() ? " (the data set is empty)" : "; keys: " + known));
}

void RedisCliSim::CountReply(const redis::Reply& reply) {
  ++commands_;
  if (reply.IsError()) ++error_replies_;
}

void RedisCliSim::NoteTouchedKey(const Argv& argv) {
  if (argv.size() >= 2 && db_.TypeOf(argv[1]) == Db::KeyType::kZSet) last_zset_key_ = argv[1];
}

}  // namespace sdp

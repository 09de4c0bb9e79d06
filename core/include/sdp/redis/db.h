// A Redis keyspace (db 0) that executes commands and answers like Redis 7.
//
// Commands come as argv (see reply.h SplitCommandLine). Dispatch is by a command
// table assembled from per-family lists (StringCommands, ZSetCommands, GeoCommands),
// each entry with Redis's arity convention (N = exactly N args including the name,
// -N = at least N) and whether it writes. Arity errors use Redis's text:
// "ERR wrong number of arguments for 'zadd' command"; unknown commands
// "ERR unknown command 'foo', with args beginning with: 'a' 'b' " exactly like 7.0.
// A command that answers an error changes nothing.
//
// Propagation (TakePropagated), checked against the AOF a real Redis 7.0.15
// writes with appendonly yes (appendfsync always) after each command:
//   - every command here that changed data is propagated verbatim, as typed
//     (case kept): SET, DEL (all its keys, even missing ones), INCR, INCRBY,
//     DECR, ZADD (flags and all, also INCR), ZINCRBY, ZREM (all members),
//     ZPOPMIN / ZPOPMAX (with the count as given, e.g. "ZPOPMIN q 5" when only
//     2 were left);
//   - FLUSHALL is propagated even on an empty data set;
//   - nothing is propagated for reads, for errors, or for writes that changed
//     nothing (ZADD NX of an existing member, ZREM of a missing one, ZPOPMIN
//     of a missing key or with count 0, SET NX on an existing key, DEL of
//     missing keys);
//   - the AOF also starts with "SELECT 0" before the first command: that is
//     the file writer's business (the persistence sim), not returned here.
// Strings hold no expiry: SET's EX/PX/EXAT/PXAT are refused with an error
// saying so (Redis would rewrite them to PXAT for the AOF).
#ifndef SDP_REDIS_DB_H_
#define SDP_REDIS_DB_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sdp/redis/reply.h"
#include "sdp/redis/zset.h"

namespace sdp::redis {

class Db;

struct CommandSpec {
  std::string name;  // lower case
  int arity;         // Redis convention, counts the command name
  bool write;
  Reply (*handler)(Db& db, const Argv& argv);
};

std::vector<CommandSpec> StringCommands();  // SET GET DEL EXISTS INCR INCRBY DBSIZE TYPE ...
std::vector<CommandSpec> ZSetCommands();    // ZADD ZREM ZSCORE ZRANK ZRANGE ZPOPMIN ...
std::vector<CommandSpec> GeoCommands();     // GEOADD GEOPOS GEOHASH GEODIST GEOSEARCH ...

// What OBJECT ENCODING reports for a string value: "int" (an integer of at
// most 20 bytes), "embstr" (at most 44 bytes) or "raw".
const char* StringEncoding(std::string_view value);

class Db {
 public:
  enum class KeyType { kNone, kString, kZSet };

  Db();
  // Each new sorted set gets its own skip-list level seed drawn from `seed`.
  explicit Db(uint64_t seed);
  Reply Execute(const Argv& argv);
  // The command table entry for argv[0] (any case), or null.
  static const CommandSpec* FindCommand(std::string_view name);

  // Write commands that changed the data set since the last call, as Redis
  // propagates them to the AOF / replicas (verbatim for the commands we support,
  // in execution order). Read-only and no-op writes propagate nothing.
  std::vector<Argv> TakePropagated();

  // Commands that rebuild the data set (what BGREWRITEAOF writes), keys sorted:
  // SET key value per string; ZADD key s1 m1 ... with at most 64 pairs per
  // command (AOF_REWRITE_ITEMS_PER_CMD), in order, scores as FormatDouble.
  std::vector<Argv> RewriteCommands() const;
  size_t KeyCount() const;
  // The whole data set as JSON, keys sorted: {"key": {"type":"zset","items":[[m,s],...]}}.
  // s is the score as Redis replies it (a string: "1.5", "inf"), so it compares
  // directly with ZRANGE ... WITHSCORES from a real server. Strings:
  // {"key": {"type":"string","value":"..."}}.
  nlohmann::json Dump() const;
  void Clear();

  // Typed access for command handlers.
  const ZSet* FindZSet(std::string_view key) const;
  // Existing zset, or a new empty one; a WRONGTYPE Reply if the key holds another type.
  std::variant<ZSet*, Reply> ZSetForWrite(std::string_view key);
  // Removes `key` if it holds an empty zset (Redis deletes empty keys).
  void DeleteIfEmpty(std::string_view key);
  // Handlers call this when they changed data: `argv` is what gets propagated.
  void Propagate(Argv argv);

  KeyType TypeOf(std::string_view key) const;
  // The string at `key`, null if absent or not a string.
  const std::string* FindString(std::string_view key) const;
  // Stores a string, replacing whatever the key held.
  void SetString(std::string_view key, std::string value);
  // Removes a key of any type; false if it did not exist.
  bool Delete(std::string_view key);
  // All keys, sorted (bytewise).
  std::vector<std::string> Keys() const;
  // Total entries over all sorted sets plus one per string key: a size the
  // sims cap.
  uint64_t EntryCount() const;

  // While set, ZADD / ZINCRBY record their skip-list inserts here (the sim's
  // trace). Not owned; null turns tracing off.
  struct ZSetTrace {
    static constexpr uint32_t kMaxInserts = 8;  // later inserts are only counted
    std::vector<SkipInsertTrace> inserts;
    uint64_t more_inserts = 0;
  };
  void set_zset_trace(ZSetTrace* trace) { zset_trace_ = trace; }
  // For handlers: pass TraceSlot() to ZSet::Set, then call KeepTrace(), which
  // keeps the slot if Set recorded a skip-list insert. Null when tracing is off.
  SkipInsertTrace* TraceSlot();
  void KeepTrace();

 private:
  using Value = std::variant<std::string, ZSet>;
  std::map<std::string, Value, std::less<>> keys_;
  std::vector<Argv> propagated_;
  uint64_t seed_;
  uint64_t zsets_created_ = 0;  // feeds each new set's level seed
  ZSetTrace* zset_trace_ = nullptr;
  SkipInsertTrace scratch_trace_;
};

}  // namespace sdp::redis

#endif  // SDP_REDIS_DB_H_

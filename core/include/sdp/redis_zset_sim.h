// Simulation `redis_zset`: a Redis 7.0 keyspace driven by redis-cli lines,
// with the sorted set's skip list drawn level by level. The use case is a
// priority queue of jobs: ZADD deadlines, workers ZPOPMIN the earliest.
//
// Ops (every result is an object):
//   command {line}   one redis-cli line, at most kMaxLineBytes bytes, split
//                    as redis-cli splits it ("double quotes" with \n \xHH ...
//                    escapes, 'single quotes'). Result:
//                    {"argv":[...], "reply": <Reply::ToJson>,
//                     "propagated": [[argv...], ...]   what the AOF would get,
//                     "trace": {...}}
//                    (+ "reply_truncated": true, "reply_elements": n when a
//                    reply array has more than kMaxReplyElements elements:
//                    only the first kMaxReplyElements are shown)
//                    A Redis error is a successful step whose reply is
//                    {"type":"error","value":"ERR ..."}, as Redis answers.
//                    trace is {} for non-zset commands; for Z* commands (and
//                    any other whose key is a sorted set) it is
//                    {"key", "encoding_before": "listpack"|"skiplist"|null
//                     (null: no such key), "encoding_after": ...|null,
//                     "converted": bool (listpack -> skiplist in this command),
//                     "inserts": [ {"member","score","drawn_level",
//                        "list_level_before","rank" (1-based),
//                        "path": [ {"level" (1-based, top first), "visited":
//                          [members the search stepped onto], "more_visited": n,
//                          "stop": member|null (null = header), "next":
//                          member|null (the node that stopped it; null = end),
//                          "rank": rank of stop} ]} ],
//                     "more_inserts": n}
//                    inserts lists skip-list inserts of new members (at most
//                    Db::ZSetTrace::kMaxInserts; more_inserts counts the rest);
//                    listpack inserts and the re-inserts of a conversion are
//                    not listed.
//   view {key}       which key the snapshot draws (must exist now).
//                    -> {"key", "type", "size"}
//   fill {key, count, prefix?, seed?, max_score?}
//                    count ZADDs of members prefix+N (N from the key's size + 1
//                    upwards) with random integer scores in [0, max_score]
//                    (a deadline in ms), drawn from seed or the sim's stream.
//                    -> {"key","added","size","encoding_before",
//                        "encoding_after","converted","converted_at_size"}
// Refusals (Status errors, nothing changes): a line that is empty or has
// unbalanced quotes, a command that could grow the data set past
// kMaxEntries entries or kMaxKeys keys, view of a missing key, fill of a key
// holding a string.
//
// Snapshot:
//   {"keys": [{"key","type":"zset"|"string","size": entries or bytes,
//              "encoding": "listpack"|"skiplist"|"int"|"embstr"|"raw"}]
//             (sorted, at most kMaxListedKeys; "keys_total" counts all),
//    "keys_total", "entries_total", "commands", "error_replies",
//    "limits": {"zset_max_listpack_entries":128,"zset_max_listpack_value":64,
//               "skiplist_max_level":32,"skiplist_p":0.25},
//    "view": null | {"key", "exists": bool, "type", "size", "encoding",
//       listpack:  "entries": [[member, score], ...]  (first draw_nodes)
//       skiplist:  "level": list level, "length",
//                  "header_spans": [span per level 1..level],
//                  "nodes": [{"rank","member","score","level",
//                             "spans": [per level 1..level of the node]}]
//                           (first draw_nodes nodes in order),
//       "drawn": n, "truncated": bool (more entries than drawn)}}
// Scores are strings as Redis replies them ("1.5", "inf").
//
// Invariants: the skip list is sorted by (score, member bytes), each node's
// span on a level is the number of level-0 steps to its forward node (so spans
// on any level sum to ranks); a set stays a listpack while it has at most 128
// entries all of at most 64 bytes, and never converts back. Work() counts
// arguments, entries touched and reply elements.
//
// Simplified: one database (db 0); only the commands in db.h's tables
// (strings: SET GET DEL EXISTS INCR DECR INCRBY TYPE DBSIZE FLUSHALL OBJECT
// ENCODING PING SELECT 0; sorted sets: ZADD ZINCRBY ZREM ZSCORE ZMSCORE ZRANK
// ZREVRANK ZCARD ZCOUNT ZRANGE ZRANGEBYSCORE ZREVRANGE ZREVRANGEBYSCORE
// ZRANGEBYLEX ZPOPMIN ZPOPMAX); no expiry; no blocking pops; random levels
// from our seeded generator instead of libc random().
#ifndef SDP_REDIS_ZSET_SIM_H_
#define SDP_REDIS_ZSET_SIM_H_

#include <cstdint>
#include <optional>
#include <string>

#include "sdp/random.h"
#include "sdp/clone.h"
#include "sdp/redis_cli_sim.h"

namespace sdp {

class RedisZSetSim : public Cloneable<RedisZSetSim, RedisCliSim> {
 public:
  static constexpr uint64_t kMaxEntries = 200000;  // all zset entries + string keys
  static constexpr uint64_t kMaxKeys = 1000;
  static constexpr uint32_t kMaxFill = 20000;
  static constexpr uint32_t kMaxListedKeys = 200;
  static constexpr uint32_t kMaxDrawNodes = 512;
  // A reply array longer than this is cut in the step's result
  // ("reply_truncated": true, "reply_elements": the full count).
  static constexpr uint32_t kMaxReplyElements = 2000;

  struct Config {
    uint32_t draw_nodes = 64;  // entries of the viewed key the snapshot draws
  };

  RedisZSetSim(uint64_t seed, const Config& config);

  Result<Json> Apply(const std::string& op, const Json& args) override;
  Json Snapshot(Detail detail) const override;

 private:
  Result<Json> Command(const std::string& line);
  Result<Json> View(const std::string& key);
  Result<Json> Fill(const Json& args);
  Json ViewJson() const;
  Json KeyJson(const std::string& key) const;

  Config config_;
  Rng rng_;  // fill's scores
};

SimInfo RedisZSetSimInfo();

}  // namespace sdp

#endif  // SDP_REDIS_ZSET_SIM_H_

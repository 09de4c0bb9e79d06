// What the redis-cli driven sims (redis_zset, redis_geo) share: one keyspace,
// a `command` op that takes a line as typed into redis-cli, a `view` op that
// picks the key the snapshot draws, caps on the data set, and the counters.
// Each sim adds its own trace, view and snapshot on top.
#ifndef SDP_REDIS_CLI_SIM_H_
#define SDP_REDIS_CLI_SIM_H_

#include <cstdint>
#include <optional>
#include <string>

#include "sdp/redis/db.h"
#include "sdp/simulation.h"

namespace sdp {

class RedisCliSim : public Simulation {
 public:
  static constexpr uint32_t kMaxLineBytes = 4096;
  static constexpr uint32_t kMaxKeyBytes = 512;

  uint64_t Work() const override { return work_; }
  const redis::Db& db() const { return db_; }

  // The ops' fields, declared once for both sims.
  static FieldSpec LineField();
  static FieldSpec KeyField();

 protected:
  struct Caps {
    uint64_t max_entries;  // zset entries + string keys
    uint64_t max_keys;
  };

  RedisCliSim(uint64_t seed, Caps caps) : db_(seed), caps_(caps) {}

  // redis-cli's split of `line` (quotes, \xHH escapes), refusing a line with
  // an unclosed quote or no command, and a write that could pass the caps.
  Result<redis::Argv> ParseCommand(const std::string& line) const;
  // Refuses adding up to `growth` entries (to `key`, if it is new) past the
  // caps; `where` starts the message, e.g. `command: field "line"`.
  Status CheckRoom(const std::string& where, uint64_t growth, const std::string& key) const;
  // `view`'s answer for a key that does not exist: the keys that do.
  Status MissingKeyError(const std::string& key) const;
  // Counts a command and whether Redis answered with an error.
  void CountReply(const redis::Reply& reply);
  // The key the snapshot draws: the one chosen by `view`, else the sorted
  // set the last command touched (nullopt: neither yet).
  const std::optional<std::string>& ViewedKey() const { return view_key_ ? view_key_ : last_zset_key_; }
  // After a command on argv: remembers argv[1] if it now holds a sorted set.
  void NoteTouchedKey(const redis::Argv& argv);

  redis::Db db_;
  Caps caps_;
  std::optional<std::string> view_key_;       // chosen by `view`
  std::optional<std::string> last_zset_key_;  // drawn when no view was chosen
  uint64_t commands_ = 0;
  uint64_t error_replies_ = 0;
  uint64_t work_ = 0;
};

}  // namespace sdp

#endif  // SDP_REDIS_CLI_SIM_H_

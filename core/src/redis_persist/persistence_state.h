// The redis_persistence sim's private pieces, shared by its source files.
#ifndef SDP_REDIS_PERSIST_PERSISTENCE_STATE_H_
#define SDP_REDIS_PERSIST_PERSISTENCE_STATE_H_

#include <cstdint>
#include <string>

#include "redis_persist/aof_file.h"
#include "redis_persist/seq_set.h"
#include "sdp/redis/db.h"
#include "sdp/redis/rdb_file.h"
#include "sdp/redis_persistence_sim.h"

namespace sdp {

// ASCII lower case: config values and op names are matched case-blind.
inline std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// A forked child: BGSAVE (rdb) or BGREWRITEAOF. Its output is computed at the
// fork (that is what copy-on-write gives it) and published when it is done.
struct RedisPersistenceSim::Child {
  bool rdb = true;
  bool preamble = false;      // rewrite: the base is an RDB
  uint32_t pid = 0;
  SimTime fork_at = 0;
  SimTime done_at = 0;
  std::string bytes;       // dump.rdb, or the AOF base
  redis_persist::SeqSet seqs;  // writes the data held at the fork
  uint64_t keys = 0;
  uint64_t bytes_before = 0;  // rewrite: AOF size (base + incr files) at the fork
};

struct RedisPersistenceSim::RdbFile {
  bool exists = false;
  std::string bytes;
  redis_persist::SeqSet seqs;
  uint64_t keys = 0;
  SimTime fork_at = 0;
  SimTime done_at = 0;
};

// What the last crash left behind, for the loss report at the next start.
struct RedisPersistenceSim::CrashFacts {
  SimTime at = 0;
  bool power = false;
  redis_persist::SeqSet alive;              // the data set at the crash
  uint64_t buffer_first_seq = UINT64_MAX;   // writes from here were only in aof_buf
  uint64_t unsynced_first_seq = UINT64_MAX; // power: from here only in the page cache
  uint64_t torn_seq = 0;                    // the write cut by torn_bytes, 0 if none
};

struct RedisPersistenceSim::Stream {
  int64_t rate = 0;  // writes per second
  std::string pattern = "jobs";
  int64_t keys = 10;
  SimTime start = 0;   // arrival k is at start + k * 1e6 / rate
  SimTime until = -1;  // -1: until stopped
  uint64_t index = 0;
  uint64_t sent = 0;
  uint64_t jobs = 0;   // job:<n> counter
  uint64_t generation = 0;
};

}  // namespace sdp

#endif  // SDP_REDIS_PERSIST_PERSISTENCE_STATE_H_

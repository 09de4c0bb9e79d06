// The redis_persistence sim's declaration: config, ops and their fields as data.
#include "sdp/redis_persistence_sim.h"

namespace sdp {
namespace {

constexpr int64_t kMaxChildMs = 3600000;

// Config fields; `op` leaves out what only a new sim can set.
std::vector<FieldSpec> ConfigFields(bool op) {
  const std::string unchanged = op ? " (default: unchanged)" : "";
  std::vector<FieldSpec> fields = {
      EnumField("appendonly", false, {"yes", "no"},
                "keep an append-only file; restart loads it instead of dump.rdb (Redis default "
                "no)" + unchanged),
      EnumField("appendfsync", false, {"always", "everysec", "no"},
                "when the AOF is fsynced: before every reply, once a second in the background, "
                "or never (the OS writes back) (default everysec)" + unchanged),
      StringField("save", false, 0, 200,
                  "RDB save points, Redis syntax \"<seconds> <changes> ...\", \"\" for none "
                  "(default \"3600 1 300 100 60 10000\")" + unchanged),
      EnumField("aof_use_rdb_preamble", false, {"yes", "no"},
                "BGREWRITEAOF writes the data as an RDB preamble (default yes)" + unchanged),
      EnumField("aof_load_truncated", false, {"yes", "no"},
                "a truncated AOF tail is dropped with a warning (yes) or stops the start (no) "
                "(default yes)" + unchanged),
      IntField("fsync_ms", false, 0, 60000,
               "how long one fsync takes on this disk, ms (default 2; a few thousand is a "
               "struggling disk)" + unchanged),
      IntField("child_ms", false, 0, kMaxChildMs,
               "a BGSAVE / rewrite child takes this long, ms, ..." + unchanged),
      IntField("child_ms_per_1000_keys", false, 0, kMaxChildMs,
               "... plus this per 1000 keys (default 20 + 10)" + unchanged),
      IntField("dirty_expire_ms", false, 0, 3600000,
               "the kernel writes dirty pages back once they are this old, ms "
               "(vm.dirty_expire_centisecs=3000: default 30000)" + unchanged),
      IntField("writeback_interval_ms", false, 100, 600000,
               "the kernel flusher wakes this often, ms (vm.dirty_writeback_centisecs=500: "
               "default 5000)" + unchanged)};
  if (!op) {
    fields.push_back(IntField("bucket_ms", false, 100, 3600000,
                              "width of the series buckets, ms (default 1000)"));
  }
  return fields;
}

}  // namespace

SimInfo RedisPersistenceSimInfo() {
  SimInfo info;
  info.name = "redis_persistence";
  info.help =
      "Redis 7 persistence: a stream of writes, crash (kill -9 or power loss) and restart; RDB "
      "save points vs AOF appendfsync always/everysec/no, BGREWRITEAOF, the RDB preamble and a "
      "torn AOF tail; exactly which acknowledged writes are lost and why";
  info.config = ConfigFields(false);
  const int64_t max_ms = RedisPersistenceSim::kMaxTimeMs;
  info.ops = {
      {"write",
       "one redis-cli command line (SET, INCR, ZADD, ZPOPMIN, ..., BGSAVE, BGREWRITEAOF)",
       {StringField("line", true, 1, 4096, "e.g. ZADD jobs 5 job:1")}},
      {"stream",
       "a seeded stream of writes from now, evenly spaced; rate 0 stops it",
       {IntField("rate", true, 0, 5000, "writes per second"),
        EnumField("pattern", false, {"jobs", "counters", "strings", "mixed"},
                  "jobs: ZADD jobs <1..100> job:<n>, one in 5 a ZPOPMIN jobs; counters: INCR "
                  "counter:<k>; strings: SET key:<k> v<n>; mixed (default jobs)"),
        IntField("keys", false, 1, 100000, "distinct keys for counters / strings (default 10)"),
        IntField("duration_ms", false, 1, max_ms, "stop after this long (default: never)")}},
      {"advance", "let time pass", {IntField("ms", true, 1, max_ms, "milliseconds")}},
      {"crash",
       "kill the server: process (kill -9, the page cache survives) or power (only durable "
       "bytes survive)",
       {EnumField("kind", true, {"process", "power"}, "what fails"),
        IntField("torn_bytes", false, 0, 1000000,
                 "leave this many bytes of the first lost command in the AOF: a torn tail "
                 "(default 0)")}},
      {"restart", "start the server (a clean SHUTDOWN first if it is up) and load the data", {}},
      {"config_set",
       "CONFIG SET: change any of these now (kept across restarts)",
       ConfigFields(true)},
      {"bgsave", "BGSAVE: fork a child that writes dump.rdb", {}},
      {"bgrewriteaof", "BGREWRITEAOF: fork a child that rewrites the AOF", {}},
      {"read_file",
       "the bytes on disk now (base64): dump.rdb, or appendonlydir (the manifest and every file "
       "it names)",
       {EnumField("name", true, {"appendonlydir", "dump.rdb"}, "what to read")}},
  };
  info.create = [](uint64_t seed, const Json& config) -> Result<std::unique_ptr<Simulation>> {
    RedisPersistenceConfig c;
    const auto yes = [&](const char* name, bool fallback) {
      return config.contains(name) ? config[name].get<std::string>() == "yes" : fallback;
    };
    c.appendonly = yes("appendonly", c.appendonly);
    c.aof_use_rdb_preamble = yes("aof_use_rdb_preamble", c.aof_use_rdb_preamble);
    c.aof_load_truncated = yes("aof_load_truncated", c.aof_load_truncated);
    if (config.contains("appendfsync")) {
      const std::string f = config["appendfsync"].get<std::string>();
      c.appendfsync = f == "always" ? RedisPersistenceConfig::Fsync::kAlways
                      : f == "no"   ? RedisPersistenceConfig::Fsync::kNo
                                    : RedisPersistenceConfig::Fsync::kEverysec;
    }
    if (config.contains("save")) {
      auto points = ParseSavePoints(config["save"].get<std::string>(), "save");
      if (!points.ok()) return Status::Invalid("config: " + points.message());
      c.save = config["save"].get<std::string>();
      c.save_points = points.value();
    }
    c.fsync_ms = config.value("fsync_ms", c.fsync_ms);
    c.child_ms = config.value("child_ms", c.child_ms);
    c.child_ms_per_1000_keys = config.value("child_ms_per_1000_keys", c.child_ms_per_1000_keys);
    c.dirty_expire_ms = config.value("dirty_expire_ms", c.dirty_expire_ms);
    c.writeback_interval_ms = config.value("writeback_interval_ms", c.writeback_interval_ms);
    c.bucket_ms = config.value("bucket_ms", c.bucket_ms);
    return std::unique_ptr<Simulation>(std::make_unique<RedisPersistenceSim>(seed, c));
  };
  return info;
}

}  // namespace sdp

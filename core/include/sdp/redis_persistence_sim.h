// Simulation `redis_persistence`: one Redis 7.0 server, a stream of writes,
// crash it at any moment, restart it, and see exactly which acknowledged
// writes are lost and why: RDB snapshots (save points, BGSAVE) vs the AOF
// with appendfsync always | everysec | no, BGREWRITEAOF, 7.0's manifest with
// base and incr files, and a torn incr file with aof-load-truncated.
//
// THE MODEL (integer time on the shared EventQueue, us inside, ms in every
// result; deterministic)
// - Event loop. A write executes when it arrives (Db::Execute) and its
//   propagated command (TakePropagated, RESP) goes into Redis's aof_buf,
//   preceded by SELECT 0 when the AOF has not selected a db yet (after start,
//   and at every rewrite, as feedAppendOnlyFile does). Before the loop sleeps
//   again (beforeSleep) flushAppendOnlyFile runs and then the replies go out:
//   that is the write's ack time. serverCron runs every 100 ms (hz 10) and is
//   also a loop iteration. Redis's unixtime is floor(now_ms / 1000).
// - appendfsync always: write(2) then fsync on the main thread; the loop is
//   blocked for fsync_ms and the replies leave when the fsync returns (every
//   write that arrived meanwhile shares the next fsync: group commit).
// - everysec: write(2) every iteration; when unixtime > last fsync second a
//   background (bio) fsync starts and makes the bytes written so far durable
//   fsync_ms later. If a bio fsync is still running the write is postponed
//   (aof_flush_postponed_start) and retried each iteration; once the postponing
//   is >= 2 s old (unixtime - start >= 2) Redis writes anyway, counts
//   aof_delayed_fsync and logs "Asynchronous AOF fsync is taking too long".
//   The replies are sent even while the write is postponed: those acked
//   writes exist only in aof_buf and are lost even by a process crash.
//   With an empty buffer 7.0 still fsyncs pending bytes once a second, and
//   (7.0.12+) appendfsync always fsyncs them at once (e.g. after CONFIG SET
//   appendfsync always while idle).
// - no: only write(2). The OS writes dirty pages back: the flusher wakes every
//   writeback_interval_ms (dirty_writeback_centisecs=500) and writes the file
//   back once its first dirty page is dirty_expire_ms old
//   (dirty_expire_centisecs=3000), i.e. data can wait ~30-35 s. This writeback
//   runs in every mode, while Redis is down too (the kernel is still up).
// - RDB: save points "<seconds> <changes> ..." (Redis syntax, "" = none) fire
//   in serverCron when dirty >= changes and unixtime - lastsave > seconds.
//   BGSAVE forks: the child writes the data as of the fork, takes
//   child_ms + child_ms_per_1000_keys * keys / 1000, fsyncs and renames
//   dump.rdb at its end (it survives any crash from then on); the parent sees
//   it at the next cron (dirty -= dirty at fork, lastsave = now). One child at
//   a time: BGREWRITEAOF during a BGSAVE is scheduled, save points wait.
// - The AOF is 7.0's multi-part one (aof.c): appendonlydir/ holds a manifest
//   naming a base file (appendonly.aof.<n>.base.rdb | .aof) and incr files
//   (appendonly.aof.<n>.incr.aof); writes go to the last incr file. A start
//   on no AOF creates base 1 (an RDB preamble of no keys, or an empty file)
//   and incr 1.
// - BGREWRITEAOF: flush aof_buf, open a new incr file (in the manifest at
//   once) and fsync + close the old one in the background (fsync_ms later,
//   under every appendfsync policy: aof_background_fsync_and_close), fork;
//   the child writes the base (RDB preamble of the fork-time data if
//   aof-use-rdb-preamble yes, else Db::RewriteCommands after SELECT 0) in
//   the same time model. When the parent sees it done the new base and the
//   current incr file are the manifest; the older files are deleted.
//   appendonly turned on at runtime writes to temp-appendonly.aof.incr until
//   that first rewrite is done (no manifest names it before).
// - crash {kind}: "process" (kill -9): aof_buf and unsent replies are gone,
//   every byte write(2)n survives in the page cache (and is written back
//   later). "power" (or a kernel crash): only durable bytes (fsynced / written
//   back) and completed RDB files survive; allowed while Redis is down too.
//   Children and a running fsync die with the process. torn_bytes > 0: the
//   first command that does not survive keeps its first torn_bytes bytes
//   (power: it was half written back; process: write(2) of aof_buf was cut),
//   so the file ends inside a command. If every written command survives
//   there is nothing to tear (torn.note says so): fsynced data is not torn.
// - restart: if the server is up, a clean SHUTDOWN first (flush + fsync the
//   AOF, SAVE when save points are set). appendonly yes loads the AOF only
//   (7.0 ignores dump.rdb then; no AOF means an empty data set), file by file
//   as loadAppendOnlyFiles: the base (an RDB, or commands), then each incr
//   file; MULTI/EXEC replayed as a unit. Commands replayed from AOF files
//   count as changes (dirty), keys from an RDB do not. A truncated file: with
//   aof-load-truncated yes Redis's three "!!!" lines and that file alone is
//   cut at its last whole command (so a torn first command after a rewrite
//   empties the incr file and the base stays); if it is not the last file the
//   start then fails ("Fatal error: the truncated file is not the last
//   file") and the next start loads the cut file. With no, startup fails with
//   Redis's message and the server stays "failed" until a restart succeeds.
//   appendonly no loads dump.rdb if there is one, else starts empty.
//
// OPS (fields -> result). Times are ms since the sim started.
//   write {line}   one redis-cli line (sdp::redis::SplitCommandLine). BGSAVE and
//       BGREWRITEAOF are served by the sim, the rest by sdp::redis::Db. A
//       Redis error reply refuses the op (nothing changes): {"error": "write:
//       field \"line\": (error) ERR ..."}; refused while the server is down.
//       -> {"reply": Reply::ToJson(), "resp": "<the reply in RESP>",
//           "seq": n | null (null: the command changed nothing to persist),
//           "acked": bool, "ack_ms": n | null,
//           "ack_expected_ms": n | null (always: when the fsync returns)}
//   stream {rate, pattern?, keys?, duration_ms?}   a seeded stream from now,
//       write k at now + k * 1000 / rate ms; rate 0 stops it. pattern: jobs
//       (ZADD jobs <1..100> job:<n>; one in 5 is ZPOPMIN jobs), counters
//       (INCR counter:<k>), strings (SET key:<k> v<n>), mixed. k < keys
//       (default 10). Paused while the server is down, resumed by restart.
//       -> {"rate", "pattern", "keys", "until_ms" | null}
//   advance {ms}  -> {"now_ms", "acked" (writes acked meanwhile), "fsyncs",
//                     "log": [{"t_ms","text"}] (lines logged meanwhile)}
//   crash {kind: "process" | "power", torn_bytes?}
//       -> {"kind", "at_ms", "acked_last_seq", "aof_buffer_bytes" (dropped),
//           "page_cache_bytes_lost" (power only), "children_killed":
//           ["bgsave" | "bgrewriteaof"], "torn": null | {"file" | null,
//           "seq" | null, "kept_bytes", "of_bytes", "note"?}, "file_bytes"
//           (the AOF files after the crash, together), "log"}
//   restart {}
//       -> {"started": bool, "shutdown": null | {"saved_rdb", "log"},
//           "loaded_from": "aof" | "rdb" | "empty", "keys",
//           "truncated": null | {"file", "at_offset", "dropped_bytes"},
//           "lost": LossReport, "log": [Redis log lines of the start]}
//       or, when the start fails: {"started": false, "loaded_from": "aof",
//           "startup_error": "<Redis's message>", "log", "shutdown", "truncated"}
//       LossReport (against the data set at the crash, or before SHUTDOWN):
//         {"acked_lost", "unacked_lost" (executed, never answered),
//          "resurrected" (loaded, but not in the data set at the crash: a stale
//          file), "seqs": [the first 100 lost acked seqs], "first_seq",
//          "last_seq", "first_ack_ms", "last_ack_ms", "window_ms" (crash time
//          minus first_ack_ms) -- null when nothing was lost --,
//          "by_reason": [{"reason", "count", "first_seq", "last_seq",
//          "first_ack_ms", "last_ack_ms"}]}
//       reasons: torn_tail; in_aof_buffer (acked, never write(2)n: a postponed
//       everysec write); not_fsynced (only in the page cache at a power loss);
//       not_in_aof (no AOF yet, or a stale one);
//       after_last_save (RDB: acked after the fork of the dump.rdb loaded);
//       no_snapshot (appendonly no and no dump.rdb).
//   config_set {appendonly?, appendfsync?, save?, aof_use_rdb_preamble?,
//       aof_load_truncated?, fsync_ms?, child_ms?, child_ms_per_1000_keys?,
//       dirty_expire_ms?, writeback_interval_ms?}   CONFIG SET, kept across
//       restarts (as if CONFIG REWRITE ran). appendonly yes while running
//       starts the initial rewrite (state wait_rewrite: the old file, if any,
//       is what a crash finds); appendonly no flushes, fsyncs and stops. (The
//       op is not called "config": the field validator reserves that name.)
//       -> {"changed": [field names], "config": {...}}
//   bgsave {}, bgrewriteaof {}  -> {"reply": Reply::ToJson()} (Redis's status
//       text; its error replies refuse the op: already in progress, another
//       child active). BGREWRITEAOF during a BGSAVE is "scheduled".
//   read_file {name: "appendonlydir" | "dump.rdb"}  as on disk now.
//       dump.rdb -> {"name", "exists", "bytes", "durable_bytes", "base64"};
//       appendonlydir -> {"name", "exists", "manifest" (its text), "files":
//       [{"name", "bytes", "durable_bytes", "base64"}] in manifest order}
//
// SNAPSHOT (kFull; kSummary leaves out "data", "series" and record texts)
//   {"now_ms",
//    "server": {"state": "up" | "down" | "failed", "pid", "started_ms",
//               "loop_blocked_until_ms" | null (always: an fsync holds the loop)},
//    "config": {every config field; yes/no fields as "yes" / "no"},
//    "writes": {"last_seq", "acked", "alive" (writes the data set holds),
//               "awaiting_reply"},
//    "at_risk": {"process_crash", "power_loss"}  acked writes a crash now loses
//    "aof": {"state": "off" | "on" | "wait_rewrite", "exists", "file_bytes",
//      "durable_bytes" (both: all files the manifest names), "buffer_bytes"
//      (aof_buf), "torn", "manifest": null | text, "files": [{"name", "type":
//      "base" | "incr", "bytes", "durable_bytes"}],
//      "base": null | {"name", "kind": "rdb_preamble" | "commands", "bytes",
//      "keys"},
//      "fsync": {"in_progress", "done_at_ms" | null, "last_fsync_s",
//                "postponed_since_s" | null, "fsyncs", "postponed",
//                "delayed_fsync"},
//      "records_total", "records_shown_from",
//      "records": the last 64 commands of the incr files (wait_rewrite: the
//        temporary one) then of aof_buf, each {"file", "offset" (in that
//        file; buffered ones where they will land), "bytes",
//         "seq" | null (SELECT), "state": "durable" | "written" | "buffer",
//         "torn": true (only on a cut last command), "text"} -- text is the
//        RESP with CR LF kept and any other byte outside 0x20-0x7e as \xHH,
//        at most 256 bytes then "..."; the base is not a record;
//      "rewrite": null | {"fork_ms", "done_ms"},
//      "last_rewrite": null | {"fork_ms", "done_ms", "bytes_before",
//        "bytes_after", "base_bytes", "tail_bytes" (the incr file then)}},
//    "rdb": {"exists", "bytes", "keys", "fork_ms" | null, "done_ms" | null,
//      "saves", "dirty", "lastsave_s", "save_points": [{"seconds","changes"}],
//      "bgsave": null | {"fork_ms", "done_ms"}},
//    "stream": null | {"rate", "pattern", "keys", "until_ms" | null, "sent"},
//    "last_crash": null | <crash result>, "last_restart": null | <restart result>,
//    "data": {"keys", "dump": Db::Dump() | null when over 5000 entries},
//    "series": TimeSeries::ToJson(): bucket_ms, t_ms, counters "acked" and
//      "fsyncs", levels "at_risk_process" and "at_risk_power" (the most at
//      risk during the bucket), p50_us / p99_us = execution-to-reply latency
//      of the writes acked in the bucket,
//    "log": [{"t_ms", "text"}] the newest 40 log lines: Redis 7.0.15's texts,
//      except ours, which start with "[sim] " (crash, kernel writeback, caps)}
// Column(): t_ms, acked, fsyncs, at_risk_process, at_risk_power, p50_us,
// p99_us (the series), and ack_ms (per seq - 1; 0xFFFFFFFF = never acked).
//
// INVARIANTS: a refused op changes nothing. Writes get seqs 1, 2, ... in
// execution order and are acked in that order. A process crash loses no acked
// write except those in aof_buf (postponed); with always a power loss loses
// no acked write; after a restart the data set is the surviving writes
// replayed in order. Caps (refused beyond): kMaxWrites writes, kMaxFileBytes
// of AOF + aof_buf, kMaxTimeMs of simulated time.
//
// SIMPLIFIED: the manifest is written atomically and durably at once (Redis
// fsyncs it and the directory); history files vanish at once (Redis deletes
// them in the background); commands run
// when they arrive (also while an always-fsync blocks the loop; only their
// replies wait); write(2) and fork take no time; an fsync makes durable what
// was written when it started; dirty counts one per changing command (Redis
// counts elements: ZADD of 3 new members adds 3); no auto-aof-rewrite (its
// 64 MB minimum is beyond kMaxFileBytes), no no-appendfsync-on-rewrite, no
// dirty_background_ratio writeback, no write errors / disk full; children die
// with their parent; only db 0; RDB strings raw and zsets as ZSET_2 (see
// sdp/redis/rdb_file.h).
#ifndef SDP_REDIS_PERSISTENCE_SIM_H_
#define SDP_REDIS_PERSISTENCE_SIM_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sdp/clone.h"
#include "sdp/event_queue.h"
#include "sdp/random.h"
#include "sdp/simulation.h"
#include "sdp/time_series.h"

namespace sdp {

namespace redis {
class Db;
struct Reply;
}
namespace redis_persist {
class AofFile;
struct AofBuffer;
struct AofDir;
class SeqSet;
}  // namespace redis_persist

struct RedisPersistenceConfig {
  enum class Fsync { kAlways, kEverysec, kNo };
  struct SavePoint {
    int64_t seconds;
    int64_t changes;
  };
  bool appendonly = false;  // Redis's default
  Fsync appendfsync = Fsync::kEverysec;
  std::string save = "3600 1 300 100 60 10000";  // Redis 7.0's default
  std::vector<SavePoint> save_points = {{3600, 1}, {300, 100}, {60, 10000}};
  bool aof_use_rdb_preamble = true;
  bool aof_load_truncated = true;
  int64_t fsync_ms = 2;                  // one fsync on this disk
  int64_t child_ms = 20;                 // a BGSAVE / rewrite child: fixed part
  int64_t child_ms_per_1000_keys = 10;   // ... plus this per 1000 keys
  int64_t dirty_expire_ms = 30000;       // vm.dirty_expire_centisecs = 3000
  int64_t writeback_interval_ms = 5000;  // vm.dirty_writeback_centisecs = 500
  int64_t bucket_ms = 1000;              // series bucket width
};

// Parses Redis's save syntax ("3600 1 300 100", "" for none); the message
// names `field`.
Result<std::vector<RedisPersistenceConfig::SavePoint>> ParseSavePoints(const std::string& text,
                                                                       const char* field);

class RedisPersistenceSim : public Cloneable<RedisPersistenceSim, Simulation> {
 public:
  static constexpr uint64_t kMaxWrites = 300000;
  static constexpr uint64_t kMaxFileBytes = 16u << 20;
  static constexpr int64_t kMaxTimeMs = 7LL * 24 * 3600 * 1000;
  static constexpr int64_t kCronMs = 100;  // hz 10
  static constexpr uint32_t kRecordsShown = 64;
  static constexpr uint32_t kRecordTextBytes = 256;
  static constexpr uint32_t kLogShown = 40;
  static constexpr uint64_t kMaxDumpEntries = 5000;
  static constexpr uint32_t kLostSeqsShown = 100;

  using Config = RedisPersistenceConfig;

  RedisPersistenceSim(uint64_t seed, const Config& config);
  ~RedisPersistenceSim() override;
  // Out of line: copying the files and the child needs their types complete
  // (Clone); clang instantiates Clone wherever this header is included.
  RedisPersistenceSim(const RedisPersistenceSim&);

  Result<Json> Apply(const std::string& op, const Json& args) override;
  Json Snapshot(Detail detail) const override;
  uint64_t Work() const override { return work_; }
  std::vector<uint32_t> Column(std::string_view name) const override;

 private:
  enum class ServerState { kUp, kDown, kFailed };
  enum class AofState { kOff, kOn, kWaitRewrite };
  struct Child;
  struct RdbFile;
  struct CrashFacts;
  struct Stream;

  // Ops (redis_persistence_ops.cpp).
  Result<Json> Write(const Json& args);
  Result<Json> StartStream(const Json& args);
  Result<Json> Advance(const Json& args);
  Result<Json> Crash(const Json& args);
  Result<Json> Restart();
  Result<Json> SetConfig(const Json& args);
  Result<Json> ReadFile(const Json& args) const;
  Status CheckRoom(const char* op, uint64_t writes, uint64_t bytes) const;
  std::string DownMessage() const;
  void StartAppendOnly();
  void StopAppendOnly();

  // The server's life and write path (redis_persistence_sim.cpp).
  Json Boot();  // start a process and load the data; the restart result
  // loadAppendOnlyFiles; `rdb_commands` = how many of `commands` come from an
  // RDB base (those do not count as changes).
  Result<redis_persist::SeqSet> LoadAof(std::vector<std::vector<std::string>>& commands,
                                        size_t& rdb_commands, Json& out);
  void OpenAofOnStart();  // aofOpenIfNeededOnServerStart
  redis_persist::AofFile* NewIncrFile(std::string name);
  // The file writes go to: the last incr file, or the temporary one while
  // waiting for the first rewrite. nullptr when there is none.
  redis_persist::AofFile* Current() const;
  redis_persist::AofFile* FindFile(uint64_t generation) const;
  std::vector<redis_persist::AofFile*> AllFiles() const;  // the dir's, then the temporary one
  Json Shutdown();
  // Executes argv; fills `result` (reply, resp, seq) when given.
  void ExecuteWrite(const std::vector<std::string>& argv, Json* result);
  void AppendToAofBuffer(std::vector<std::vector<std::string>> commands, uint64_t seq);
  redis::Reply BgsaveCommand();
  redis::Reply BgrewriteaofCommand();
  void StartChild(bool rdb);
  void FinishChild();

  // The event loop (redis_persistence_loop.cpp).
  void ScheduleIteration();
  void BeforeSleep();
  void Cron();
  // flushAppendOnlyFile; returns the time the pending replies may leave.
  SimTime FlushAof(bool force);
  void StartBioFsync();
  void SendReplies(SimTime at, const std::vector<uint64_t>& seqs);
  void ScheduleWriteback();
  void ScheduleStreamArrival();
  void OnStreamArrival(uint64_t epoch, uint64_t generation);
  std::vector<std::string> NextStreamCommand();
  void CheckSavePoints();
  void UpdateSeries();

  // Output (redis_persistence_output.cpp).
  redis_persist::SeqSet SurvivorsOnCrash(bool power) const;
  uint64_t AtRisk(bool power) const;
  Json LossReport(const redis_persist::SeqSet& alive_before,
                  const redis_persist::SeqSet& loaded, bool from_aof, bool rdb_existed) const;
  Json AofJson(Detail detail) const;
  Json RdbJson() const;
  Json ConfigJson() const;
  Json LogSince(uint64_t first_seq) const;
  void Log(std::string text);
  int64_t UnixTime() const { return events_.now() / kMicrosPerSecond; }
  bool Alive(uint64_t epoch) const { return epoch == epoch_ && state_ == ServerState::kUp; }

  Config config_;
  Rng rng_;
  uint64_t db_seed_;
  EventQueue events_;
  DeepPtr<redis::Db> db_;
  ServerState state_ = ServerState::kUp;
  uint64_t epoch_ = 0;  // one per process: events of a dead process do nothing
  uint32_t pid_ = 1000;
  uint32_t child_pid_ = 2000;
  SimTime started_at_ = 0;

  AofState aof_state_ = AofState::kOff;
  DeepPtr<redis_persist::AofDir> dir_;         // appendonlydir: what its manifest names
  DeepPtr<redis_persist::AofFile> temp_incr_;  // wait_rewrite: temp-appendonly.aof.incr
  DeepPtr<redis_persist::AofBuffer> aof_buf_;
  uint64_t file_generation_ = 0;
  bool aof_selected_ = false;  // SELECT 0 already in the AOF stream
  bool bio_busy_ = false;
  SimTime bio_done_at_ = 0;
  int64_t aof_last_fsync_s_ = 0;
  uint64_t aof_fsync_offset_ = 0;
  int64_t postponed_start_s_ = -1;
  uint64_t fsyncs_ = 0, postponed_ = 0, delayed_fsync_ = 0;
  SimTime loop_blocked_until_ = 0;
  bool iteration_pending_ = false;
  std::vector<uint64_t> awaiting_reply_;
  SimTime writeback_at_ = -1;  // the flusher's next wake-up for this file, -1 none

  DeepPtr<RdbFile> rdb_;
  DeepPtr<Child> child_;
  bool rewrite_scheduled_ = false, bgsave_scheduled_ = false;
  uint64_t dirty_ = 0, dirty_at_fork_ = 0, saves_ = 0;
  int64_t lastsave_s_ = 0;
  Json last_rewrite_ = nullptr;

  uint64_t next_seq_ = 1;
  std::vector<int64_t> ack_us_;   // by seq - 1; -1 = not acknowledged
  std::vector<int64_t> exec_us_;  // by seq - 1: when it executed
  DeepPtr<redis_persist::SeqSet> alive_;  // writes the data set holds
  DeepPtr<redis_persist::SeqSet> acked_;
  DeepPtr<CrashFacts> crash_;
  Json last_crash_ = nullptr, last_restart_ = nullptr;

  DeepPtr<Stream> stream_;
  TimeSeries series_;
  uint64_t work_ = 0;
};

SimInfo RedisPersistenceSimInfo();

}  // namespace sdp

#endif  // SDP_REDIS_PERSISTENCE_SIM_H_

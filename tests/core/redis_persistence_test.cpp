// redis_persistence: which acknowledged writes survive a crash, per Redis
// 7.0's aof.c / rdb.c rules, and the RDB bytes (the real-server side of the
// AOF is tests/js/redis_aof_real.test.mjs).
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "sdp/redis/db.h"
#include "sdp/redis/rdb_file.h"
#include "sdp/redis_persistence_sim.h"
#include "sdp/scenario.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace redis_persistence_test {

using sdp::Json;

namespace {

class Run {
 public:
  explicit Run(Json config, uint64_t seed = 1) : info_(sdp::FindSim("redis_persistence")) {
    REQUIRE(info_ != nullptr);
    auto sim = sdp::CreateSim(*info_, seed, config);
    REQUIRE(sim.ok());
    sim_ = std::move(sim).value();
  }
  Json Step(const Json& step) {
    auto r = sdp::ApplyStep(*info_, *sim_, step);
    INFO(step.dump() << " -> " << (r.ok() ? std::string("ok") : r.message()));
    REQUIRE(r.ok());
    return r.value();
  }
  sdp::Result<Json> Try(const Json& step) { return sdp::ApplyStep(*info_, *sim_, step); }
  Json Snap() const { return sim_->Snapshot(sdp::Simulation::Detail::kFull); }
  Json Write(const std::string& line) { return Step({{"op", "write"}, {"line", line}}); }
  Json Advance(int64_t ms) { return Step({{"op", "advance"}, {"ms", ms}}); }
  Json Stream(int64_t rate, const std::string& pattern = "counters") {
    return Step({{"op", "stream"}, {"rate", rate}, {"pattern", pattern}});
  }
  Json Crash(const std::string& kind, int64_t torn = 0) {
    return Step({{"op", "crash"}, {"kind", kind}, {"torn_bytes", torn}});
  }
  Json Restart() { return Step({{"op", "restart"}}); }
  Json Dump() const { return Snap()["data"]["dump"]; }

 private:
  const sdp::SimInfo* info_;
  std::unique_ptr<sdp::Simulation> sim_;
};

Json Aof(const std::string& fsync, int64_t fsync_ms = 2) {
  return {{"appendonly", "yes"}, {"appendfsync", fsync}, {"save", ""}, {"fsync_ms", fsync_ms}};
}

}  // namespace

TEST_CASE("RDB bytes: Redis's CRC-64 and a round trip", "[redis_persist]") {
  // The check value of CRC-64/Jones as Redis's crc64.c test prints it.
  CHECK(sdp::redis::Crc64Jones(0, "123456789") == 0xe9c6d914c4b8d9caULL);
  sdp::redis::DataSet data = {
      {"counter", sdp::redis::DataEntry::Type::kString, "41", {}},
      {"q", sdp::redis::DataEntry::Type::kZSet, "", {{"b", -HUGE_VAL}, {"a", 1.5}, {"c", 1.5}}}};
  const std::string rdb = sdp::redis::EncodeRdb(data, false);
  CHECK(rdb.substr(0, 9) == "REDIS0010");
  uint64_t stored = 0;
  for (int i = 0; i < 8; ++i) stored |= uint64_t{static_cast<uint8_t>(rdb[rdb.size() - 8 + i])} << (8 * i);
  CHECK(stored == sdp::redis::Crc64Jones(0, std::string_view(rdb).substr(0, rdb.size() - 8)));
  auto decoded = sdp::redis::DecodeRdb(rdb + "*1\r\n$4\r\nPING\r\n");
  REQUIRE(decoded.ok());
  CHECK(decoded.value().length == rdb.size());
  CHECK(decoded.value().data == data);
  std::string broken = rdb;
  broken[20] ^= 1;
  CHECK_FALSE(sdp::redis::DecodeRdb(broken).ok());
}

TEST_CASE("everysec: a power loss costs about the last second, a process crash nothing",
          "[redis_persist]") {
  for (int64_t crash_at : {2500, 5990, 7400}) {
    INFO("crash at " << crash_at);
    Run process(Aof("everysec"));
    process.Stream(200);
    process.Advance(crash_at);
    process.Crash("process");
    CHECK(process.Restart()["lost"]["acked_lost"] == 0);

    Run power(Aof("everysec"));
    power.Stream(200);
    power.Advance(crash_at);
    power.Crash("power");
    const Json lost = power.Restart()["lost"];
    CHECK(lost["acked_lost"].get<int64_t>() > 0);
    CHECK(lost["window_ms"].get<int64_t>() <= 1100);  // fsync at the first loop pass of each second
    REQUIRE(lost["by_reason"].size() == 1);
    CHECK(lost["by_reason"][0]["reason"] == "not_fsynced");
  }
}

TEST_CASE("always: nothing acknowledged is lost; the reply waits for the fsync",
          "[redis_persist]") {
  Run run(Aof("always", 40));
  const Json w = run.Write("SET a 1");
  CHECK(w["acked"] == false);
  CHECK(w["ack_expected_ms"] == 40);
  // Arrives while that fsync holds the loop: its own fsync runs 40-80 ms.
  CHECK(run.Write("SET b 2")["ack_expected_ms"] == 80);
  run.Advance(79);
  CHECK(run.Snap()["writes"]["acked"] == 1);
  run.Advance(1);
  CHECK(run.Snap()["writes"]["acked"] == 2);
  run.Stream(300, "mixed");
  run.Advance(3333);
  const Json before = run.Snap();
  CHECK(before["at_risk"]["power_loss"] == 0);
  CHECK(before["writes"]["awaiting_reply"].get<int64_t>() > 0);  // group commit in flight
  run.Crash("power");
  const Json lost = run.Restart()["lost"];
  CHECK(lost["acked_lost"] == 0);
  CHECK(lost["unacked_lost"].get<int64_t>() > 0);  // executed, never answered
}

TEST_CASE("no: the OS writes back after dirty_expire (30 s), so a power loss can cost ~35 s",
          "[redis_persist]") {
  Run run(Aof("no"));
  run.Advance(7);
  run.Stream(100);  // writes at 7, 17, ... ms: the file is dirty from 7 ms
  run.Advance(34983);
  CHECK(run.Snap()["at_risk"]["power_loss"] == 3499);  // nothing is on disk yet
  run.Advance(15);  // the flusher woke at 35.000 s: dirty for 34.993 s >= 30 s
  CHECK(run.Snap()["aof"]["durable_bytes"] == run.Snap()["aof"]["file_bytes"]);
  run.Advance(34992);  // 69.997 s: dirty again since 35.007 s, next writeback at 70 s
  run.Crash("power");
  const Json lost = run.Restart()["lost"];
  CHECK(lost["first_ack_ms"] == 35007);
  CHECK(lost["window_ms"] == 34990);
  CHECK(lost["by_reason"][0]["reason"] == "not_fsynced");

  Run process(Aof("no"));
  process.Stream(100);
  process.Advance(20000);
  process.Crash("process");
  CHECK(process.Restart()["lost"]["acked_lost"] == 0);  // the page cache survives kill -9
}

TEST_CASE("RDB: save points fire by Redis's rule; a crash loses what came after the fork",
          "[redis_persist]") {
  Run run({{"appendonly", "no"}, {"save", "2 100"}, {"child_ms", 300}});
  run.Stream(100);
  run.Advance(2900);
  CHECK(run.Snap()["rdb"]["saves"] == 0);  // 200 changes, but unixtime - lastsave = 2, not > 2
  run.Advance(200);                         // cron at 3.0 s: 3 - 0 > 2 and 300 >= 100
  const Json rdb = run.Snap()["rdb"];
  CHECK(rdb["bgsave"]["fork_ms"] == 3000);
  run.Advance(400);
  CHECK(run.Snap()["rdb"]["fork_ms"] == 3000);
  CHECK(run.Snap()["rdb"]["done_ms"] == 3300);
  CHECK(run.Snap()["rdb"]["dirty"].get<int64_t>() < 100);  // dirty -= dirty at the fork
  run.Advance(1000);
  run.Crash("process");
  const Json restart = run.Restart();
  CHECK(restart["loaded_from"] == "rdb");
  const Json lost = restart["lost"];
  CHECK(lost["first_ack_ms"] == 3000);  // the write at the fork's own ms came after it
  CHECK(lost["by_reason"][0]["reason"] == "after_last_save");
  CHECK(lost["acked_lost"] == 151);  // 3.000 s to 4.500 s at 100/s
}

TEST_CASE("BGSAVE writes the data as of the fork; killed children leave nothing",
          "[redis_persist]") {
  Json config = {{"appendonly", "no"}, {"save", ""}, {"child_ms", 5000}};
  Run run(config);
  run.Write("SET a 1");
  CHECK(run.Step({{"op", "bgsave"}})["reply"]["value"] == "Background saving started");
  CHECK_FALSE(run.Try({{"op", "bgsave"}}).ok());  // ERR Background save already in progress
  run.Write("SET a 2");
  run.Advance(6000);
  run.Crash("process");
  const Json restart = run.Restart();
  CHECK(run.Dump()["a"]["value"] == "1");
  CHECK(restart["lost"]["acked_lost"] == 1);

  Run early(config);
  early.Write("SET a 1");
  early.Step({{"op", "bgsave"}});
  early.Advance(1000);
  CHECK(early.Crash("power")["children_killed"] == Json::array({"bgsave"}));
  const Json r = early.Restart();
  CHECK(r["loaded_from"] == "empty");
  CHECK(r["lost"]["by_reason"][0]["reason"] == "no_snapshot");
}

TEST_CASE("a slow disk postpones everysec writes for up to 2 s; those acked writes die even "
          "with kill -9",
          "[redis_persist]") {
  Run run(Aof("everysec", 3000));
  run.Stream(100);
  // bio fsync 1: 1.000-4.000 s (serverCron at 1.000 runs before the write due
  // then). Writes from 1.000 s are postponed (start 1) and forced at unixtime
  // 3; fsync 2 starts at 4.000 s; writes are postponed again from 4.000 s.
  const Json advanced = run.Advance(5990);
  CHECK(advanced["log"][0]["text"].get<std::string>().rfind(
            "Asynchronous AOF fsync is taking too long", 0) == 0);
  CHECK(advanced["log"][0]["t_ms"] == 3000);
  const Json aof = run.Snap()["aof"];
  CHECK(aof["fsync"]["delayed_fsync"] == 1);
  CHECK(aof["fsync"]["postponed_since_s"] == 4);
  CHECK(run.Snap()["at_risk"]["process_crash"] == 200);
  run.Crash("process");
  const Json lost = run.Restart()["lost"];
  CHECK(lost["acked_lost"] == 200);
  CHECK(lost["first_ack_ms"] == 4000);
  CHECK(lost["window_ms"] == 1990);
  CHECK(lost["by_reason"][0]["reason"] == "in_aof_buffer");
}

TEST_CASE("a torn AOF tail: aof-load-truncated yes drops it, no refuses to start",
          "[redis_persist]") {
  for (const std::string setting : {"yes", "no"}) {
    INFO("aof-load-truncated " << setting);
    Json config = Aof("everysec");
    config["aof_load_truncated"] = setting;
    Run run(config);
    run.Stream(100);
    run.Advance(1550);
    const Json crash = run.Crash("power", 25);
    CHECK(crash["torn"]["kept_bytes"] == 25);
    CHECK(crash["torn"]["file"] == "appendonly.aof.1.incr.aof");
    const int64_t file = crash["file_bytes"];
    const int64_t incr = run.Snap()["aof"]["files"][1]["bytes"];
    const Json restart = run.Restart();
    if (setting == "yes") {
      CHECK(restart["started"] == true);
      CHECK(restart["truncated"]["file"] == "appendonly.aof.1.incr.aof");
      CHECK(restart["truncated"]["at_offset"] == incr - 25);
      CHECK(restart["truncated"]["dropped_bytes"] == 25);
      CHECK(restart["log"][4]["text"] ==
            "!!! Warning: short read while loading the AOF file appendonly.aof.1.incr.aof!!!");
      CHECK(restart["lost"]["by_reason"][0]["reason"] == "torn_tail");
      CHECK(run.Snap()["aof"]["file_bytes"] == file - 25);
    } else {
      CHECK(restart["started"] == false);
      CHECK(restart["startup_error"].get<std::string>().rfind(
                "Unexpected end of file reading the append only file appendonly.aof.1.incr.aof. "
                "You can: 1) "
                "Make a backup of your AOF file, then use ./redis-check-aof --fix",
                0) == 0);
      CHECK(run.Snap()["server"]["state"] == "failed");
      CHECK_FALSE(run.Try({{"op", "write"}, {"line", "SET x 1"}}).ok());
      run.Step({{"op", "config_set"}, {"aof_load_truncated", "yes"}});
      CHECK(run.Restart()["started"] == true);
    }
  }
}

TEST_CASE("aof.c manifest: a base file and incr files; a start on nothing creates both",
          "[redis_persist]") {
  Run run(Aof("everysec"));
  Json aof = run.Snap()["aof"];
  CHECK(aof["manifest"] ==
        "file appendonly.aof.1.base.rdb seq 1 type b\n"
        "file appendonly.aof.1.incr.aof seq 1 type i\n");
  CHECK(aof["base"]["kind"] == "rdb_preamble");
  CHECK(aof["files"][1]["bytes"] == 0);
  const Json boot = run.Snap()["log"];
  CHECK(boot[1]["text"] == "Creating AOF base file appendonly.aof.1.base.rdb on server start");
  CHECK(boot[2]["text"] == "Creating AOF incr file appendonly.aof.1.incr.aof on server start");
  run.Write("SET a 1");
  run.Step({{"op", "bgrewriteaof"}});
  // openNewIncrAofForAppend: the new incr file is in the manifest at once.
  CHECK(run.Snap()["aof"]["manifest"] ==
        "file appendonly.aof.1.base.rdb seq 1 type b\n"
        "file appendonly.aof.1.incr.aof seq 1 type i\n"
        "file appendonly.aof.2.incr.aof seq 2 type i\n");
  const Json done = run.Advance(1000)["log"];
  std::vector<std::string> lines;
  for (const Json& l : done) lines.push_back(l["text"]);
  CHECK(lines == std::vector<std::string>{
                     "Background AOF rewrite terminated with success",
                     "Successfully renamed the temporary AOF base file temp-rewriteaof-bg-2001.aof "
                     "into appendonly.aof.2.base.rdb",
                     "Removing the history file appendonly.aof.1.incr.aof in the background",
                     "Removing the history file appendonly.aof.1.base.rdb in the background",
                     "Background AOF rewrite finished successfully"});
  CHECK(run.Snap()["aof"]["manifest"] ==
        "file appendonly.aof.2.base.rdb seq 2 type b\n"
        "file appendonly.aof.2.incr.aof seq 2 type i\n");
  run.Crash("process");
  const Json restart = run.Restart();
  CHECK(restart["log"].back()["text"] == "Ready to accept connections");
  CHECK(restart["log"][restart["log"].size() - 2]["text"] ==
        "Opening AOF incr file appendonly.aof.2.incr.aof on server start");
  CHECK(run.Dump()["a"]["value"] == "1");
}

TEST_CASE("aof.c loadAppendOnlyFiles: a torn incr file after a rewrite is cut alone; the base "
          "stays",
          "[redis_persist]") {
  // The case a single-file model gets wrong: the first command after the
  // rewrite is torn, so the incr file is truncated at offset 0 -- of the incr
  // file, not of the whole AOF: the base keeps every write before it.
  Run run(Aof("everysec"));
  run.Stream(200, "jobs");
  run.Advance(1500);
  run.Step({{"op", "bgrewriteaof"}});
  run.Step({{"op", "stream"}, {"rate", 0}});
  run.Advance(1000);
  run.Step({{"op", "config_set"}, {"appendfsync", "no"}});
  run.Write("SET after rewrite");
  const Json crash = run.Crash("power", 10);
  CHECK(crash["torn"]["file"] == "appendonly.aof.2.incr.aof");
  const Json restart = run.Restart();
  CHECK(restart["truncated"]["file"] == "appendonly.aof.2.incr.aof");
  CHECK(restart["truncated"]["at_offset"] == 0);
  const Json aof = run.Snap()["aof"];
  CHECK(aof["files"][0]["name"] == "appendonly.aof.2.base.rdb");
  CHECK(aof["files"][0]["bytes"].get<int64_t>() > 1000);
  CHECK(aof["files"][1]["bytes"] == 0);
  const Json lost = restart["lost"];
  CHECK(lost["acked_lost"] == 1);  // only the SET after the rewrite (never written back)
  CHECK(lost["by_reason"][0]["reason"] == "not_fsynced");
  const Json data = run.Dump();
  CHECK(data.contains("jobs"));
  // ... and a kill -9 afterwards loses nothing acknowledged.
  run.Write("SET later 1");
  run.Crash("process");
  CHECK(run.Restart()["lost"]["acked_lost"] == 0);
  CHECK(run.Dump()["jobs"] == data["jobs"]);
}

TEST_CASE("aof.c openNewIncrAofForAppend: a rewrite start fsyncs the old incr file in the "
          "background under every policy",
          "[redis_persist]") {
  // A power cut 100 ms into a long rewrite loses only what came after its
  // start: the old incr file was fsynced fsync_ms after it.
  for (const std::string policy : {"everysec", "no"}) {
    INFO(policy);
    Json config = Aof(policy);
    config["child_ms"] = 5000;
    Run run(config);
    run.Stream(200);
    run.Advance(1900);  // everysec: last fsync at 1.000 s
    run.Step({{"op", "bgrewriteaof"}});
    run.Advance(100);
    run.Crash("power");
    const Json lost = run.Restart()["lost"];
    CHECK(lost["acked_lost"].get<int64_t>() <= 21);
    CHECK(lost["first_ack_ms"].get<int64_t>() >= 1900);
  }
}

TEST_CASE("aof.c loadAppendOnlyFiles: a truncated incr file that is not the last is fatal; the "
          "next start loads the cut file",
          "[redis_persist]") {
  Json config = Aof("no", 1500);
  config["child_ms"] = 5000;
  Run run(config);
  run.Stream(100);
  run.Advance(1000);
  run.Step({{"op", "bgrewriteaof"}});  // incr 2 opens; incr 1's fsync needs 1.5 s
  run.Advance(100);
  const Json crash = run.Crash("power", 5);
  CHECK(crash["torn"]["file"] == "appendonly.aof.1.incr.aof");
  const Json first = run.Restart();
  CHECK(first["started"] == false);
  CHECK(first["startup_error"] == "Fatal error: the truncated file is not the last file");
  CHECK(first["truncated"]["file"] == "appendonly.aof.1.incr.aof");
  const Json second = run.Restart();
  CHECK(second["started"] == true);
  CHECK(second["truncated"].is_null());
}

TEST_CASE("loadSingleAppendOnlyFile runs the replayed commands: they count as changes, so a "
          "save point can fire after a restart",
          "[redis_persist]") {
  Run run({{"appendonly", "yes"}, {"save", "5 10"}});
  for (int i = 0; i < 20; ++i) run.Write("SET k" + std::to_string(i) + " v");
  run.Advance(1000);
  run.Crash("process");
  run.Restart();
  CHECK(run.Snap()["rdb"]["dirty"] == 20);  // rdb_changes_since_last_save
  const Json later = run.Advance(6500);
  CHECK(run.Snap()["rdb"]["saves"] == 1);
  CHECK(later["log"][0]["text"] == "10 changes in 5 seconds. Saving...");
}

TEST_CASE("flushAppendOnlyFile (7.0.12+): always fsyncs written bytes when the buffer is empty",
          "[redis_persist]") {
  Run run(Aof("everysec"));
  run.Advance(1100);
  run.Write("SET a 1");  // fsynced: unixtime 1 > last fsync 0
  run.Advance(100);
  run.Write("SET b 2");  // written, not fsynced until the next second
  run.Advance(1);
  CHECK(run.Snap()["at_risk"]["power_loss"] == 1);
  run.Step({{"op", "config_set"}, {"appendfsync", "always"}});
  run.Advance(150);  // the next loop pass (serverCron) fsyncs with no new command
  CHECK(run.Snap()["at_risk"]["power_loss"] == 0);
}

TEST_CASE("bgrewriteaof compacts the file and keeps the data set", "[redis_persist]") {
  for (const std::string preamble : {"yes", "no"}) {
    INFO("preamble " << preamble);
    Json config = Aof("everysec");
    config["aof_use_rdb_preamble"] = preamble;
    Run run(config);
    run.Stream(300, "mixed");
    run.Advance(2000);
    run.Step({{"op", "bgrewriteaof"}});
    CHECK_FALSE(run.Try({{"op", "bgrewriteaof"}}).ok());  // already in progress
    run.Advance(1000);
    run.Step({{"op", "stream"}, {"rate", 0}});
    run.Advance(2000);
    const Json snap = run.Snap();
    const Json rewrite = snap["aof"]["last_rewrite"];
    CHECK(rewrite["bytes_after"].get<int64_t>() * 3 < rewrite["bytes_before"].get<int64_t>());
    CHECK(snap["aof"]["base"]["kind"] == (preamble == "yes" ? "rdb_preamble" : "commands"));
    const Json before = run.Dump();
    CHECK(run.Restart()["lost"]["acked_lost"] == 0);
    CHECK(run.Dump() == before);
    run.Crash("power");
    CHECK(run.Restart()["lost"]["acked_lost"] == 0);
    CHECK(run.Dump() == before);
  }
}

TEST_CASE("after a restart the data set is exactly the surviving writes replayed",
          "[redis_persist]") {
  Run run(Aof("everysec"));
  std::vector<std::string> lines;
  for (int i = 1; i <= 400; ++i) {
    lines.push_back(i % 3 == 0 ? "INCR c" : "ZADD jobs " + std::to_string(i % 17) + " job:" + std::to_string(i));
    CHECK(run.Write(lines.back())["seq"] == i);
    run.Advance(7);
  }
  run.Crash("power");
  const Json lost = run.Restart()["lost"];
  REQUIRE(lost["acked_lost"].get<int64_t>() > 0);
  sdp::redis::Db reference;
  for (int i = 1; i < lost["first_seq"].get<int>(); ++i) {
    auto argv = sdp::redis::SplitCommandLine(lines[i - 1]);
    reference.Execute(argv.value());
  }
  CHECK(run.Dump() == reference.Dump());
}

TEST_CASE("appendonly yes at runtime: until the first rewrite ends there is no AOF to load",
          "[redis_persist]") {
  Run run({{"appendonly", "no"}, {"save", ""}, {"child_ms", 2000}});
  run.Write("SET a 1");
  run.Step({{"op", "config_set"}, {"appendonly", "yes"}});
  CHECK(run.Snap()["aof"]["state"] == "wait_rewrite");
  CHECK_FALSE(run.Try({{"op", "restart"}}).ok());  // Writing initial AOF, can't exit.
  run.Advance(500);
  run.Crash("process");
  CHECK(run.Restart()["loaded_from"] == "empty");  // 7.0 does not fall back to dump.rdb
  run.Write("SET a 2");
  run.Advance(2500);
  CHECK(run.Snap()["aof"]["state"] == "on");
  run.Crash("process");
  run.Restart();
  CHECK(run.Dump()["a"]["value"] == "2");
}

TEST_CASE("refused ops change nothing", "[redis_persist]") {
  Run run(Aof("everysec"));
  run.Stream(50);
  run.Advance(1234);
  const Json bad[] = {
      {{"op", "write"}, {"line", "ZADD q notanumber m"}},
      {{"op", "write"}, {"line", "ZADD q NX GT 1 m"}},
      {{"op", "write"}, {"line", "SET \"unbalanced"}},
      {{"op", "write"}, {"line", "   "}},
      {{"op", "config_set"}, {"save", "60"}},
      {{"op", "config_set"}, {"save", "0 1"}},
      {{"op", "advance"}, {"ms", sdp::RedisPersistenceSim::kMaxTimeMs}},
  };
  for (const Json& step : bad) {
    INFO(step.dump());
    const Json before = run.Snap();
    CHECK_FALSE(run.Try(step).ok());
    CHECK(run.Snap() == before);
  }
  run.Crash("process");
  const Json down = run.Snap();
  CHECK_FALSE(run.Try({{"op", "write"}, {"line", "SET a 1"}}).ok());
  CHECK_FALSE(run.Try({{"op", "crash"}, {"kind", "process"}}).ok());
  CHECK_FALSE(run.Try({{"op", "bgsave"}}).ok());
  CHECK(run.Snap() == down);
}

TEST_CASE("same seed, same bytes; another seed, another stream", "[redis_persist]") {
  const auto text = [](uint64_t seed) {
    return Json{{"sim", "redis_persistence"}, {"seed", seed}, {"config", Aof("everysec", 700)},
                {"steps",
                 {{{"op", "stream"}, {"rate", 500}, {"pattern", "mixed"}},
                  {{"op", "advance"}, {"ms", 4000}},
                  {{"op", "bgrewriteaof"}},
                  {{"op", "advance"}, {"ms", 800}},
                  {{"op", "crash"}, {"kind", "power"}, {"torn_bytes", 9}},
                  {{"op", "restart"}}}}}
        .dump();
  };
  const auto a = sdp::RunScenarioText(text(5));
  const auto b = sdp::RunScenarioText(text(5));
  const auto c = sdp::RunScenarioText(text(6));
  REQUIRE(a.ok());
  REQUIRE(c.ok());
  CHECK(a.value() == b.value());
  CHECK(a.value() != c.value());
}

}  // namespace redis_persistence_test

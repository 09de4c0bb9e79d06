// The redis_zset sim: command results, the insert trace, fill and the
// encoding switch, the snapshot's skip list, refusals that change nothing.
#include <catch2/catch.hpp>
#include <string>

#include "sdp/redis_zset_sim.h"
#include "sdp/scenario.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace redis_zset_sim_test {

using sdp::Json;

namespace {

const sdp::SimInfo& Info() { return *sdp::FindSim("redis_zset"); }

std::unique_ptr<sdp::Simulation> NewSim(uint64_t seed = 1) {
  auto sim = sdp::CreateSim(Info(), seed, Json::object());
  REQUIRE(sim.ok());
  return std::move(sim).value();
}

sdp::Result<Json> Step(sdp::Simulation& sim, const Json& step) {
  return sdp::ApplyStep(Info(), sim, step);
}

Json Command(sdp::Simulation& sim, const std::string& line) {
  auto r = Step(sim, {{"op", "command"}, {"line", line}});
  REQUIRE(r.ok());
  return r.value();
}

}  // namespace

TEST_CASE("redis_zset: a command returns argv, Redis's reply, what it propagates and a trace",
          "[redis_zset]") {
  auto sim = NewSim();
  Json r = Command(*sim, "ZADD jobs 1700 \"job 1\" 1500 job:2");
  CHECK(r["argv"] == Json::array({"ZADD", "jobs", "1700", "job 1", "1500", "job:2"}));
  CHECK(r["reply"] == Json{{"type", "integer"}, {"value", 2}});
  CHECK(r["propagated"] == Json::array({r["argv"]}));
  CHECK(r["trace"]["encoding_before"].is_null());
  CHECK(r["trace"]["encoding_after"] == "listpack");
  CHECK(r["trace"]["inserts"].empty());  // listpack inserts are not skip-list inserts
  r = Command(*sim, "ZPOPMIN jobs");
  CHECK(r["reply"]["value"] == Json::array({{{"type", "bulk"}, {"value", "job:2"}},
                                            {{"type", "bulk"}, {"value", "1500"}}}));
  // A Redis error is a successful step whose reply is the error.
  r = Command(*sim, "ZADD jobs NX GT 1 a");
  CHECK(r["reply"] == Json{{"type", "error"},
                           {"value", "ERR GT, LT, and/or NX options at the same time are not "
                                     "compatible"}});
  CHECK(r["propagated"].empty());
  CHECK(Command(*sim, "GET nothing")["trace"] == Json::object());
  const Json snap = sim->Snapshot(sdp::Simulation::Detail::kFull);
  CHECK(snap["commands"] == 4);
  CHECK(snap["error_replies"] == 1);
  CHECK(snap["view"]["key"] == "jobs");
  CHECK(snap["view"]["entries"] == Json::array({Json::array({"job 1", "1700"})}));
}

TEST_CASE("redis_zset: fill converts at the 129th entry; a skip-list insert shows its search "
          "path and random level", "[redis_zset]") {
  auto sim = NewSim(5);
  auto r = Step(*sim, {{"op", "fill"}, {"key", "q"}, {"count", 128}, {"seed", 3}});
  REQUIRE(r.ok());
  CHECK(r.value()["encoding_after"] == "listpack");
  CHECK_FALSE(r.value()["converted"].get<bool>());
  r = Step(*sim, {{"op", "fill"}, {"key", "q"}, {"count", 1}});
  REQUIRE(r.ok());
  CHECK(r.value()["converted"].get<bool>());
  CHECK(r.value()["converted_at_size"] == 129);

  const Json ins = Command(*sim, "ZADD q 500000 zz:new")["trace"];
  CHECK(ins["encoding_before"] == "skiplist");
  CHECK_FALSE(ins["converted"].get<bool>());
  REQUIRE(ins["inserts"].size() == 1);
  const Json& t = ins["inserts"][0];
  CHECK(t["member"] == "zz:new");
  CHECK(t["drawn_level"].get<int>() >= 1);
  const auto levels = t["list_level_before"].get<size_t>();
  REQUIRE(t["path"].size() == levels);
  // Top level first; ranks never decrease on the way down; the new node lands
  // right after the last node the bottom level stopped at.
  uint64_t rank = 0;
  for (size_t i = 0; i < levels; ++i) {
    CHECK(t["path"][i]["level"] == levels - i);
    CHECK(t["path"][i]["rank"].get<uint64_t>() >= rank);
    rank = t["path"][i]["rank"].get<uint64_t>();
  }
  CHECK(t["rank"].get<uint64_t>() == rank + 1);
  const Json zrank = Command(*sim, "ZRANK q zz:new")["reply"];
  CHECK(zrank["value"].get<uint64_t>() == rank);  // ZRANK is 0-based

  // The snapshot draws the skip list; spans on every level point at the next
  // node tall enough, or past the end.
  const Json view = sim->Snapshot(sdp::Simulation::Detail::kFull)["view"];
  CHECK(view["encoding"] == "skiplist");
  CHECK(view["length"] == 130);
  CHECK(view["drawn"] == 64);
  CHECK(view["truncated"].get<bool>());
  const Json& nodes = view["nodes"];
  for (size_t i = 0; i < nodes.size(); ++i) {
    const auto& spans = nodes[i]["spans"];
    for (size_t l = 0; l < spans.size(); ++l) {
      const uint64_t target = nodes[i]["rank"].get<uint64_t>() + spans[l].get<uint64_t>();
      if (target <= nodes.size()) {
        CHECK(nodes[target - 1]["level"].get<size_t>() > l);
        for (uint64_t between = nodes[i]["rank"].get<uint64_t>() + 1; between < target; ++between) {
          CHECK(nodes[between - 1]["level"].get<size_t>() <= l);
        }
      }
    }
  }
}

TEST_CASE("redis_zset: refusals are Status errors that change nothing", "[redis_zset]") {
  auto sim = NewSim();
  Command(*sim, "SET s text");
  Command(*sim, "ZADD q 1 a");
  const Json before = sim->Snapshot(sdp::Simulation::Detail::kFull);
  const Json bad[] = {
      {{"op", "command"}, {"line", "ZADD q \"1 a"}},
      {{"op", "command"}, {"line", "ZADD q \"1\"a"}},
      {{"op", "command"}, {"line", "   "}},
      {{"op", "command"}, {"line", std::string(sdp::RedisZSetSim::kMaxLineBytes + 1, 'x')}},
      {{"op", "view"}, {"key", "missing"}},
      {{"op", "fill"}, {"key", "s"}, {"count", 5}},
      {{"op", "fill"}, {"key", "q"}, {"count", 0}},
  };
  for (const Json& step : bad) {
    INFO(step.dump().substr(0, 80));
    auto r = Step(*sim, step);
    REQUIRE_FALSE(r.ok());
    CHECK(sim->Snapshot(sdp::Simulation::Detail::kFull) == before);
  }
  CHECK_THAT(Step(*sim, bad[0]).message(), Catch::Contains("Invalid argument(s)"));
  CHECK_THAT(Step(*sim, bad[4]).message(), Catch::Contains("keys: q, s"));
  auto view = Step(*sim, {{"op", "view"}, {"key", "s"}});
  REQUIRE(view.ok());
  CHECK(view.value() == Json{{"key", "s"}, {"type", "string"}, {"size", 4}, {"encoding", "embstr"}});
}

TEST_CASE("redis_zset: the data set is capped; the command past the cap is refused",
          "[redis_zset]") {
  auto sim = NewSim();
  const uint64_t per_fill = sdp::RedisZSetSim::kMaxFill;
  for (uint64_t filled = 0; filled + per_fill <= sdp::RedisZSetSim::kMaxEntries; filled += per_fill) {
    REQUIRE(Step(*sim, {{"op", "fill"}, {"key", "big"}, {"count", per_fill}, {"seed", 1}}).ok());
  }
  const Json before = sim->Snapshot(sdp::Simulation::Detail::kFull);
  CHECK(before["entries_total"] == sdp::RedisZSetSim::kMaxEntries);
  auto r = Step(*sim, {{"op", "command"}, {"line", "ZADD big 1 one-more"}});
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.message(), Catch::Contains("at most 200000"));
  CHECK(sim->Snapshot(sdp::Simulation::Detail::kFull) == before);
  // Reads and removals still work; a huge reply is cut in the step's JSON.
  CHECK(Command(*sim, "ZCARD big")["reply"]["value"] == 200000);
  const Json all = Command(*sim, "ZRANGE big 0 -1");
  CHECK(all["reply_truncated"].get<bool>());
  CHECK(all["reply_elements"] == 200000);
  CHECK(all["reply"]["value"].size() == sdp::RedisZSetSim::kMaxReplyElements);
  CHECK(Command(*sim, "ZPOPMIN big 2")["reply"]["value"].size() == 4);
  CHECK(Step(*sim, {{"op", "command"}, {"line", "ZADD big 1 one-more"}}).ok());
}

TEST_CASE("redis_zset: the same seed gives the same skip list, another seed other levels",
          "[redis_zset]") {
  const auto run = [](uint64_t seed) {
    Json scenario = {{"sim", "redis_zset"}, {"seed", seed},
                     {"steps", Json::array({{{"op", "fill"}, {"key", "q"}, {"count", 200}, {"seed", 9}}})}};
    auto out = sdp::RunScenario(scenario);
    REQUIRE(out.ok());
    return out.value()["snapshot"]["view"]["nodes"];
  };
  CHECK(run(1) == run(1));
  CHECK(run(1) != run(2));
}

}  // namespace redis_zset_sim_test

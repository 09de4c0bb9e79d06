// The `cap` sim's two additions to AP last-writer-wins and CP: vector-clock
// siblings (conflict: vclock) and the seed's server -> database with a cache
// (mode: cache_fallback / cache_fail).
#include <catch2/catch.hpp>

#include <string>

#include "sdp/cap_sim.h"
#include "sim_test_util.h"

namespace cap_siblings_test {

using sim_test::Json;
using sim_test::Make;

namespace {

Json Step(sdp::Simulation& s, const Json& step) { return sim_test::Step("cap", s, step); }

Json Write(sdp::Simulation& s, const char* client, const char* replica, int64_t value) {
  return Step(s, {{"op", "write"}, {"client", client}, {"replica", replica}, {"key", "x"}, {"value", value}});
}
Json Read(sdp::Simulation& s, const char* client, const char* replica) {
  return Step(s, {{"op", "read"}, {"client", client}, {"replica", replica}, {"key", "x"}});
}
Json Snap(const sdp::Simulation& s) { return s.Snapshot(sdp::Simulation::Detail::kFull); }

// Concurrent writes on both sides of a partition (the scenario of
// scenarios/cap/02 and 05), under the given conflict rule.
std::unique_ptr<sdp::Simulation> SplitBrain(const char* conflict) {
  auto sim = Make("cap", 1, {{"mode", "ap"}, {"conflict", conflict}});
  Write(*sim, "c1", "r1", 1);
  Step(*sim, {{"op", "advance"}, {"ms", 100}});
  Read(*sim, "c2", "r2");  // c2 has seen 1: its write will replace it
  Step(*sim, {{"op", "partition"}, {"groups", Json::parse(R"([["r1"],["r2","r3"]])")}});
  Write(*sim, "c2", "r2", 2);
  Write(*sim, "c1", "r1", 3);
  Step(*sim, {{"op", "heal"}});
  Step(*sim, {{"op", "advance"}, {"ms", 100}});
  return sim;
}

}  // namespace

TEST_CASE("vclock: concurrent writes on both sides stay siblings; a write with the read's context resolves them",
          "[cap]") {
  auto sim = SplitBrain("vclock");
  // Every replica holds both, after anti-entropy; nothing was dropped.
  const Json split = Snap(*sim);  // named: a range-for over a temporary's member reads freed memory
  for (const Json& replica : split["replicas"]) CHECK(replica["values"]["x"] == Json::array({3, 2}));
  CHECK(Snap(*sim)["counts"]["lost_writes"] == 0);
  const Json read = Read(*sim, "c3", "r3");
  CHECK(read["values"] == Json::array({3, 2}));  // r1's dot before r2's
  CHECK(read["context"] == "r1:2,r2:1");
  CHECK(read["stale"] == false);
  // c3 writes with what it read: both siblings are replaced by one value.
  const Json resolved = Write(*sim, "c3", "r3", 4);
  CHECK(resolved["context"] == "r1:2,r2:1");
  CHECK(resolved["dot"] == "r3:1");
  Step(*sim, {{"op", "advance"}, {"ms", 100}});
  const Json after = Snap(*sim);
  for (const Json& replica : after["replicas"]) CHECK(replica["values"]["x"] == 4);
  // The register checker does not judge sibling reads, and says so.
  const Json check = Step(*sim, {{"op", "check"}});
  CHECK(check["verdict"] == "not_checked");
  CHECK(check["linearizable"].is_null());
}

TEST_CASE("vclock vs lww on the same actions: lww keeps one value and reports the other lost", "[cap]") {
  auto lww = SplitBrain("lww");
  const Json lww_state = Snap(*lww);
  for (const Json& replica : lww_state["replicas"]) CHECK(replica["values"]["x"] == 3);  // the later write
  CHECK(Snap(*lww)["lost_writes"] == Json::array({2}));  // op 2: c2's write of 2
}

// Two clients writing blind through one replica: a vector clock of
// replica counters alone would call the second a successor of the first;
// the dot kept apart from the context keeps both.
TEST_CASE("vclock: two clients writing through one replica without reading stay siblings", "[cap]") {
  auto sim = Make("cap", 1, {{"mode", "ap"}, {"conflict", "vclock"}, {"clients", 4}});
  Write(*sim, "c1", "r1", 1);
  Write(*sim, "c4", "r1", 2);  // c4 sits beside r1 too and never read x
  CHECK(Read(*sim, "c1", "r1")["values"] == Json::array({1, 2}));
  // c1's own next write replaces only what c1 has seen.
  auto again = Make("cap", 1, {{"mode", "ap"}, {"conflict", "vclock"}, {"clients", 4}});
  Write(*again, "c1", "r1", 1);
  Write(*again, "c1", "r1", 5);
  Step(*again, {{"op", "advance"}, {"ms", 100}});
  CHECK(Read(*again, "c2", "r2")["values"] == Json::array({5}));
}

TEST_CASE("vclock: a read that misses a completed write is stale; after a workload no write is lost", "[cap]") {
  auto sim = Make("cap", 1, {{"mode", "ap"}, {"conflict", "vclock"}});
  Step(*sim, {{"op", "partition"}, {"groups", "r1|r2,r3"}});
  Write(*sim, "c2", "r2", 7);
  Step(*sim, {{"op", "advance"}, {"ms", 10}});  // the read begins after the write's answer, not at the same instant
  const Json missed = Read(*sim, "c1", "r1");
  CHECK(missed["values"] == Json::array({0}));
  CHECK(missed["stale"] == true);
  Step(*sim, {{"op", "heal"}});
  Step(*sim, {{"op", "workload"}, {"ops", 200}});
  Step(*sim, {{"op", "advance"}, {"ms", 2000}});
  // Converged, and every acknowledged write is a sibling or in the causal
  // past of one (a read's context covers its dot): nothing was dropped.
  const Json replicas = Snap(*sim)["replicas"];
  for (const Json& replica : replicas) CHECK(replica["values"] == replicas[0]["values"]);
  const auto& cluster = dynamic_cast<const sdp::CapSim&>(*sim).cluster();
  const size_t writes_end = cluster.ops().size();
  uint32_t checked = 0;
  for (const char* key : {"k1", "k2", "k3"}) {
    const Json read = Step(*sim, {{"op", "read"}, {"client", "c1"}, {"replica", "r1"}, {"key", key}});
    const sdp::cap::ClientOp& r = cluster.ops()[read["id"].get<uint32_t>()];
    for (size_t i = 0; i < writes_end; ++i) {
      const sdp::cap::ClientOp& w = cluster.ops()[i];
      if (w.kind != sdp::cap::OpKind::kWrite || w.key != key || w.status != sdp::cap::OpStatus::kOk) continue;
      INFO("write #" << w.id);
      CHECK(r.context[w.replica] >= w.dot);
      ++checked;
    }
  }
  CHECK(checked > 50);
  CHECK(Snap(*sim)["counts"]["lost_writes"] == 0);
}

TEST_CASE("cache: with r1 (the database) cut off, cache_fallback serves stale reads, cache_fail refuses", "[cap]") {
  for (const char* mode : {"cache_fallback", "cache_fail"}) {
    INFO(mode);
    auto sim = Make("cap", 1, {{"mode", mode}});
    CHECK(Write(*sim, "c2", "r2", 1)["ok"] == true);  // through server r2 to the database, cached at r2
    Step(*sim, {{"op", "advance"}, {"ms", 10}});  // later writes begin after this one's answer
    Step(*sim, {{"op", "partition"}, {"groups", "r1|r2,r3"}});
    CHECK(Write(*sim, "c1", "r1", 2)["ok"] == true);  // c1 sits beside the database
    Step(*sim, {{"op", "advance"}, {"ms", 10}});
    const Json write = Write(*sim, "c2", "r2", 3);
    CHECK(write["status"] == "refused");
    CHECK_THAT(write["reason"].get<std::string>(), Catch::Contains("database r1 did not answer"));
    const Json read = Read(*sim, "c2", "r2");
    const Json uncached = Read(*sim, "c3", "r3");  // r3 never cached x
    CHECK(uncached["status"] == "refused");
    if (std::string(mode) == "cache_fallback") {
      CHECK(read["ok"] == true);
      CHECK(read["value"] == 1);
      CHECK(read["from_cache"] == true);
      CHECK(read["stale"] == true);  // the write of 2 had completed
      CHECK_THAT(uncached["reason"].get<std::string>(), Catch::Contains("cache holds nothing"));
      CHECK(Step(*sim, {{"op", "check"}})["linearizable"] == false);
    } else {
      CHECK(read["status"] == "refused");
      CHECK_THAT(read["reason"].get<std::string>(), Catch::Contains("cache_fail refuses"));
      CHECK(Step(*sim, {{"op", "check"}})["linearizable"] == true);
    }
    Step(*sim, {{"op", "heal"}});
    const Json after = Read(*sim, "c2", "r2");
    CHECK(after["value"] == 2);
    CHECK_FALSE(after.contains("from_cache"));
  }
}

}  // namespace cap_siblings_test

// SimSession: a step that fails part-way -- out of memory -- changes nothing.
//
// Allocation failures are made deterministic by a test-only hook: this test
// binary (never the core, the CLI or the wasm module) replaces the global
// operator new, and a test names which allocations, counted from when it
// arms the hook, throw std::bad_alloc. Disarmed it costs a branch.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "sdp/scenario.h"
#include "sdp/sim_session.h"

namespace {

std::vector<uint64_t> g_fail_at;  // allocation numbers to fail, ascending
uint64_t g_allocations = 0;       // since the hook was armed
uint64_t g_failed = 0;
bool g_armed = false;

// Fails the allocations numbered `at` (1 = the next one). Stays armed until
// Disarm(), which returns how many it failed.
void FailAllocations(std::vector<uint64_t> at) {
  g_armed = false;
  g_fail_at = std::move(at);  // allocates: not yet armed
  g_allocations = 0;
  g_failed = 0;
  g_armed = true;
}

uint64_t Disarm() {
  g_armed = false;
  return g_failed;
}

}  // namespace

void* operator new(std::size_t size) {
  if (g_armed) {
    ++g_allocations;
    for (uint64_t at : g_fail_at) {
      if (at == g_allocations) {
        ++g_failed;
        throw std::bad_alloc();
      }
    }
  }
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
// The nothrow forms too (std::get_temporary_buffer uses them): what one
// allocates, our operator delete frees, so both must come from malloc, or
// ASan rightly reports a new/free mismatch.
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  try {
    return ::operator new(size);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}
// g++ sees free() of what operator new returned once they are inlined into
// one caller: here that is the point, not a mismatch.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

using sdp::Json;
using sdp::SimSession;

namespace {

SimSession Open(const std::string& sim, uint64_t seed, const Json& config) {
  auto opened = SimSession::Open(*sdp::FindSim(sim), seed, config);
  REQUIRE(opened.ok());
  return std::move(opened).value();
}

Json Apply(SimSession& session, const Json& step) {
  auto result = session.Apply(step);
  INFO(step.dump() << " -> " << (result.ok() ? std::string("ok") : result.message()));
  REQUIRE(result.ok());
  return result.value();
}

std::string Full(const SimSession& session) {
  return session.sim().Snapshot(sdp::Simulation::Detail::kFull).dump();
}

}  // namespace

TEST_CASE("a step that runs out of memory part-way changes nothing", "[session][memory]") {
  // The case: add_keys stopped at 65,536 of 200,000 keys and kept them.
  SimSession session = Open("hash_ring", 7, {{"vnodes", 50}});
  SimSession twin = Open("hash_ring", 7, {{"vnodes", 50}});  // never fails
  for (SimSession* s : {&session, &twin}) {
    Apply(*s, {{"op", "add_node"}, {"id", "A"}});
    Apply(*s, {{"op", "add_node"}, {"id", "B"}});
    Apply(*s, {{"op", "add_keys"}, {"count", 500}});
  }
  const Json add_keys = {{"op", "add_keys"}, {"count", 1000}};
  // 1000 keys make several thousand allocations (key strings, index nodes,
  // the growing vector): each of these lands mid-step, on both platforms.
  for (uint64_t at : {1, 10, 100, 1000}) {
    INFO("allocation " << at << " fails");
    const std::string before = Full(session);
    Json step = add_keys;  // copied before arming: the copy allocates
    FailAllocations({at});
    const auto result = session.Apply(std::move(step));
    REQUIRE(Disarm() == 1);
    REQUIRE_FALSE(result.ok());
    CHECK(result.message() ==
          "add_keys: out of memory: this step needs more memory than is left; nothing was changed");
    CHECK(session.last_failure() == SimSession::Failure::kOutOfMemory);
    CHECK(session.ok());
    CHECK(session.steps() == 3);
    CHECK(Full(session) == before);
  }
  // The failed attempts drew random keys; the rebuilt sim draws them again.
  CHECK(Apply(session, add_keys) == Apply(twin, add_keys));
  CHECK(Full(session) == Full(twin));
}

TEST_CASE("without a session, the same failure leaves the step half done", "[session][memory]") {
  // What the session is for: ApplyStep alone reports the failure but cannot
  // undo what the sim did before it.
  const sdp::SimInfo& info = *sdp::FindSim("hash_ring");
  auto sim = info.create(7, {{"vnodes", 50}});
  REQUIRE(sdp::ApplyStep(info, *sim.value(), {{"op", "add_keys"}, {"count", 500}}).ok());
  Json step = {{"op", "add_keys"}, {"count", 1000}};
  FailAllocations({1000});
  const auto result = sdp::ApplyStep(info, *sim.value(), step);
  REQUIRE(Disarm() == 1);
  CHECK(result.message() == "add_keys: out of memory");
  const auto keys = sim.value()->Snapshot(sdp::Simulation::Detail::kSummary)["keys"].get<int>();
  CHECK(keys > 500);
  CHECK(keys < 1500);
}

TEST_CASE("a ring change that runs out of memory part-way changes nothing", "[session][memory]") {
  const sdp::SimInfo& info = *sdp::FindSim("hash_ring");
  const Json setup[] = {{{"op", "add_node"}, {"id", "A"}}, {{"op", "add_node"}, {"id", "B"}},
                        {{"op", "add_node"}, {"id", "C"}}, {{"op", "add_node"}, {"id", "D"}},
                        {{"op", "add_keys"}, {"count", 2000}}};
  SimSession session = Open("hash_ring", 3, {{"vnodes", 200}});
  for (const Json& step : setup) Apply(session, step);
  const std::string before = Full(session);
  // set_vnodes rebuilds every node's points, then re-assigns every key. Each
  // of these allocations fails after the ring has begun to change: the same
  // failure leaves a bare sim half changed (checked first). Later ones would
  // land in building the result, where nlohmann's destructors allocate and a
  // failure there is std::terminate, not an exception (wasm/memory.cpp).
  for (uint64_t at : {20, 40, 80}) {
    INFO("allocation " << at << " fails");
    auto bare = info.create(3, {{"vnodes", 200}});
    for (const Json& step : setup) REQUIRE(sdp::ApplyStep(info, *bare.value(), step).ok());
    Json step = {{"op", "set_vnodes"}, {"count", 500}};
    FailAllocations({at});
    REQUIRE_FALSE(sdp::ApplyStep(info, *bare.value(), step).ok());
    REQUIRE(Disarm() == 1);
    REQUIRE(bare.value()->Snapshot(sdp::Simulation::Detail::kFull).dump() != before);

    step = {{"op", "set_vnodes"}, {"count", 500}};
    FailAllocations({at});
    const auto result = session.Apply(std::move(step));
    REQUIRE(Disarm() == 1);
    REQUIRE_FALSE(result.ok());
    CHECK_THAT(result.message(), Catch::StartsWith("set_vnodes: out of memory"));
    CHECK(Full(session) == before);
  }
  CHECK(Apply(session, {{"op", "set_vnodes"}, {"count", 500}})["keys"] == 2000);
}

TEST_CASE("a refused step is not logged and a session can take back its last step",
          "[session]") {
  SimSession session = Open("hash_ring", 1, Json::object());
  Apply(session, {{"op", "add_node"}, {"id", "A"}});
  const std::string one_node = Full(session);
  const auto refused = session.Apply({{"op", "add_node"}, {"id", "A"}});
  REQUIRE_FALSE(refused.ok());
  CHECK(session.last_failure() == SimSession::Failure::kRefused);
  CHECK(session.steps() == 1);
  Apply(session, {{"op", "add_node"}, {"id", "B"}});
  REQUIRE(session.UndoLast().ok());
  CHECK(session.steps() == 1);
  CHECK(Full(session) == one_node);
}

TEST_CASE("a session whose rebuild also runs out of memory is lost, politely", "[session][memory]") {
  // Only add_keys: the sim then holds no JSON, whose destructor would itself
  // allocate (nlohmann's destroy() does) while allocations are failing.
  SimSession session = Open("hash_ring", 1, Json::object());
  Apply(session, {{"op", "add_keys"}, {"count", 100}});
  // The first failure stops the step; the next allocation is the rebuild's.
  Json step = {{"op", "add_keys"}, {"count", 100}};
  FailAllocations({50, 51});
  const auto result = session.Apply(std::move(step));
  REQUIRE(Disarm() == 2);
  REQUIRE_FALSE(result.ok());
  CHECK_THAT(result.message(), Catch::StartsWith("add_keys: out of memory"));
  CHECK_THAT(result.message(), Catch::EndsWith("reset it"));
  CHECK_FALSE(session.ok());
  const auto after = session.Apply({{"op", "add_keys"}, {"count", 1}});
  REQUIRE_FALSE(after.ok());
  CHECK_THAT(after.message(), Catch::Contains("lost"));
}

TEST_CASE("opening a session that runs out of memory is an error, not a crash",
          "[session][memory]") {
  for (uint64_t at : {1, 2, 3}) {
    Json config = {{"vnodes", 10}};
    FailAllocations({at});
    const auto opened = SimSession::Open(*sdp::FindSim("hash_ring"), 1, std::move(config));
    REQUIRE(Disarm() == 1);
    REQUIRE_FALSE(opened.ok());
    CHECK_THAT(opened.message(), Catch::StartsWith("out of memory"));
  }
}

TEST_CASE("the scenario runner undoes a step that runs out of memory", "[session][memory][scenario]") {
  const Json scenario = {{"sim", "hash_ring"},
                         {"seed", 5},
                         {"steps", {{{"op", "add_node"}, {"id", "A"}},
                                    {{"op", "add_keys"}, {"count", 3000}},
                                    {{"op", "add_keys"}, {"count", 10}}}}};
  Json without = scenario;
  without["steps"].erase(1);
  const auto clean = sdp::RunScenario(without);
  REQUIRE(clean.ok());
  // Somewhere inside the 3000 keys (each takes at least three allocations),
  // whatever the runner allocated before them.
  FailAllocations({4000});
  const auto failed = sdp::RunScenario(scenario);
  REQUIRE(Disarm() == 1);
  REQUIRE(failed.ok());
  const Json& results = failed.value()["results"];
  CHECK(results[1]["error"] ==
        "add_keys: out of memory: this step needs more memory than is left; nothing was changed");
  // As if the failed step had never been there: the same keys drawn after it.
  CHECK(results[0] == clean.value()["results"][0]);
  CHECK(results[2] == clean.value()["results"][1]);
  CHECK(failed.value()["snapshot"] == clean.value()["snapshot"]);
}

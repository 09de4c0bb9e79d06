// Simulation::Clone for every registered sim, and SimSession's time travel
// (GoTo, branching, checkpoints) on top of it.
//
// The scenarios in scenarios/<sim>/ drive each sim: every file is run part
// way, cloned, and both the clone and a fresh replay of the same steps are
// taken to the end. Their results and full snapshots must be byte-identical
// -- the later steps draw random numbers, so a clone with another RNG state
// would part ways -- and the original must not move while the clone does.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "sdp/scenario.h"
#include "sdp/sim_session.h"
#include "sim_test_util.h"

namespace clone_test {

namespace {

using sdp::Json;
using sdp::Simulation;

struct Scenario {
  std::string file;
  uint64_t seed = 1;
  Json config = Json::object();
  std::vector<Json> steps;
};

std::vector<Scenario> ScenariosOf(const std::string& sim) {
  std::vector<Scenario> out;
  std::vector<std::string> names;
  const std::vector<Json> files = sim_test::CanonicalScenarios(sim, &names);
  for (size_t i = 0; i < files.size(); ++i) {
    const Json& j = files[i];
    Scenario s;
    s.file = names[i];
    s.seed = j.value("seed", uint64_t{1});
    if (j.contains("config")) s.config = j["config"];
    if (j.contains("steps")) s.steps = j["steps"].get<std::vector<Json>>();
    out.push_back(std::move(s));
  }
  return out;
}

std::string Full(const Simulation& sim) { return sim.Snapshot(Simulation::Detail::kFull).dump(); }

// The result text of one step, refusals included (a refused step is part of
// the scenario too: it must be refused in both).
std::string Run(const sdp::SimInfo& info, Simulation& sim, const Json& step) {
  const sdp::Result<Json> r = sdp::ApplyStep(info, sim, step);
  return r.ok() ? r.value().dump() : "error: " + r.message();
}

std::unique_ptr<Simulation> Fresh(const sdp::SimInfo& info, const Scenario& s) {
  auto made = sdp::CreateSim(info, s.seed, s.config);
  REQUIRE(made.ok());
  return std::move(made.value());
}

}  // namespace

TEST_CASE("every sim clones to an independent, identical copy", "[clone]") {
  for (const sdp::SimInfo& info : sdp::AllSims()) {
    const std::vector<Scenario> scenarios = ScenariosOf(info.name);
    INFO(info.name);
    REQUIRE_FALSE(scenarios.empty());  // every sim has canonical scenarios
    for (const Scenario& s : scenarios) {
      INFO(s.file);
      const size_t half = s.steps.size() / 2;
      auto original = Fresh(info, s);
      for (size_t i = 0; i < half; ++i) Run(info, *original, s.steps[i]);
      auto clone = original->Clone();
      REQUIRE(clone != nullptr);
      REQUIRE(Full(*clone) == Full(*original));
      const std::string at_clone = Full(*original);

      auto replay = Fresh(info, s);
      for (size_t i = 0; i < half; ++i) Run(info, *replay, s.steps[i]);
      for (size_t i = half; i < s.steps.size(); ++i) {
        INFO("step " << i << ": " << s.steps[i].dump());
        CHECK(Run(info, *clone, s.steps[i]) == Run(info, *replay, s.steps[i]));
      }
      CHECK(Full(*clone) == Full(*replay));
      CHECK(clone->Work() == replay->Work());
      // The clone moved on; the original did not move with it.
      CHECK(Full(*original) == at_clone);
      // And the other way round: the original's events reach only itself.
      for (size_t i = half; i < s.steps.size(); ++i) Run(info, *original, s.steps[i]);
      CHECK(Full(*original) == Full(*replay));
      CHECK(Full(*clone) == Full(*replay));
    }
  }
}

TEST_CASE("GoTo shows what a fresh replay of that many steps shows", "[clone][session]") {
  for (const sdp::SimInfo& info : sdp::AllSims()) {
    for (const Scenario& s : ScenariosOf(info.name)) {
      INFO(info.name << " " << s.file);
      auto opened = sdp::SimSession::Open(info, s.seed, s.config);
      REQUIRE(opened.ok());
      sdp::SimSession& session = opened.value();
      session.SetCheckpointSpacing(1);  // a checkpoint after every step
      // The accepted steps: what the log holds.
      std::vector<Json> accepted;
      for (const Json& step : s.steps) {
        if (session.Apply(step).ok()) {
          accepted.push_back(step);
          session.MaybeCheckpoint();
        }
      }
      REQUIRE(session.steps() == accepted.size());
      if (!accepted.empty()) CHECK(session.checkpoints() > 0);
      std::vector<std::string> expected;  // expected[n]: after n steps
      {
        auto fresh = Fresh(info, s);
        expected.push_back(Full(*fresh));
        for (const Json& step : accepted) {
          Run(info, *fresh, step);
          expected.push_back(Full(*fresh));
        }
      }
      // Backwards one step at a time, then jumping about: always the replay's
      // state. The jumps go forward by 7 (the path that replays from the
      // current state when no checkpoint lies between) and back past the
      // start, so a separate forward pass would test no other code path;
      // it was a third of this test's time under the sanitizers.
      const size_t n = accepted.size();
      std::vector<size_t> order;
      for (size_t i = n + 1; i-- > 0;) order.push_back(i);
      for (size_t i = 0; i <= n; ++i) order.push_back((i * 7 + 3) % (n + 1));
      for (size_t at : order) {
        INFO("go to " << at);
        REQUIRE(session.GoTo(at).ok());
        CHECK(session.position() == at);
        CHECK(session.steps() == n);
        CHECK(Full(session.sim()) == expected[at]);
      }
      CHECK_FALSE(session.GoTo(n + 1).ok());
    }
  }
}

TEST_CASE("acting in the past discards the future (a branch)", "[clone][session]") {
  const sdp::SimInfo& info = *sdp::FindSim("load_balancer");
  auto opened = sdp::SimSession::Open(info, 7, Json::object());
  REQUIRE(opened.ok());
  sdp::SimSession& session = opened.value();
  session.SetCheckpointSpacing(1);
  for (int i = 0; i < 6; ++i) {
    REQUIRE(session.Apply({{"op", "advance"}, {"ms", 500}}).ok());
    session.MaybeCheckpoint();
  }
  REQUIRE(session.GoTo(2).ok());
  const Json branch = {{"op", "advance"}, {"ms", 250}};
  REQUIRE(session.Apply(branch).ok());
  CHECK(session.steps() == 3);
  CHECK(session.position() == 3);
  CHECK_FALSE(session.GoTo(4).ok());  // the old steps 3..6 are gone

  auto fresh = sdp::CreateSim(info, 7, Json::object());
  REQUIRE(fresh.ok());
  for (int i = 0; i < 2; ++i) Run(info, *fresh.value(), {{"op", "advance"}, {"ms", 500}});
  Run(info, *fresh.value(), branch);
  CHECK(Full(session.sim()) == Full(*fresh.value()));

  // A refused step in the past discards nothing.
  REQUIRE(session.GoTo(1).ok());
  CHECK_FALSE(session.Apply({{"op", "no_such_op"}}).ok());
  CHECK(session.steps() == 3);
  CHECK(session.position() == 1);
}

TEST_CASE("checkpoints stay bounded on a long log", "[clone][session]") {
  const sdp::SimInfo& info = *sdp::FindSim("circuit_breaker");
  auto opened = sdp::SimSession::Open(info, 3, Json::object());
  REQUIRE(opened.ok());
  sdp::SimSession& session = opened.value();
  session.SetCheckpointSpacing(1);
  size_t most = 0;
  for (int i = 0; i < 600; ++i) {
    REQUIRE(session.Apply({{"op", "advance"}, {"ms", 1000}}).ok());
    session.MaybeCheckpoint();
    most = std::max(most, session.checkpoints());
  }
  CHECK(most <= sdp::SimSession::kMaxCheckpoints);
  CHECK(session.checkpoints() >= sdp::SimSession::kMaxCheckpoints / 2);
  // UndoLast takes the last step out of the log, from a checkpoint.
  const size_t before = session.steps();
  REQUIRE(session.UndoLast().ok());
  CHECK(session.steps() == before - 1);
  auto fresh = sdp::CreateSim(info, 3, Json::object());
  REQUIRE(fresh.ok());
  for (size_t i = 0; i + 1 < before; ++i) Run(info, *fresh.value(), {{"op", "advance"}, {"ms", 1000}});
  CHECK(Full(session.sim()) == Full(*fresh.value()));
}

TEST_CASE("a checkpoint let go for memory is not copied again at the next step", "[clone][session]") {
  // The wasm layer drops a checkpoint that breaks the page's memory budget.
  // Before, the spacing still counted from the last kept one, so every later
  // step copied the whole state and dropped it again.
  const sdp::SimInfo& info = *sdp::FindSim("circuit_breaker");
  auto opened = sdp::SimSession::Open(info, 3, Json::object());
  REQUIRE(opened.ok());
  sdp::SimSession& session = opened.value();
  session.SetCheckpointSpacing(1);
  const Json step = {{"op", "advance"}, {"ms", 1000}};
  REQUIRE(session.Apply(step).ok());
  REQUIRE(session.MaybeCheckpoint());
  const uint64_t dropped_at = session.sim().Work();
  session.DropNewestCheckpoint();
  CHECK(session.checkpoints() == 0);
  REQUIRE(session.Apply(step).ok());
  // A spacing that one step since the dropped checkpoint does not reach,
  // but the two steps since the start do.
  session.SetCheckpointSpacing(session.sim().Work() - dropped_at + sdp::SimSession::kStepWork + 1);
  session.MaybeCheckpoint();
  CHECK(session.checkpoints() == 0);
  for (int i = 0; i < 400 && session.checkpoints() == 0; ++i) {
    REQUIRE(session.Apply(step).ok());
    session.MaybeCheckpoint();
  }
  CHECK(session.checkpoints() == 1);  // and later, once the work is done, it tries again
}

}  // namespace clone_test

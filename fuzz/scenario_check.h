// What must hold for ANY bytes given to the scenario runner. Checked on every
// input by the fuzzer (fuzz/scenario_fuzzer.cpp) and on every saved input by
// tests/core/fuzz_regression_test.cpp (natively and as wasm):
//
//  1. RunScenarioText returns (no crash, no sanitizer report) and gives the
//     same result twice;
//  2. a scenario the runner accepts, replayed step by step with CreateSim +
//     ApplyStep, gives the runner's results and final snapshot;
//  3. a step that fails leaves Snapshot(kFull) exactly as it was.
//
// CheckScenarioText returns "" or a description of the first broken property.
#ifndef SDP_FUZZ_SCENARIO_CHECK_H_
#define SDP_FUZZ_SCENARIO_CHECK_H_

#include <chrono>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>

#include "sdp/scenario.h"
#include "sdp/simulation.h"

namespace sdp::fuzz {

// A snapshot costs about one Work() unit per item of state: these keep the
// extra checks of an input with a large state to a few runs' worth.
// The fuzzer's work budget: small, so that one input stays well inside
// libFuzzer's -timeout under sanitizers (the default is for people).
constexpr uint64_t kFuzzWorkBudget = 2000000;
constexpr uint64_t kSnapshotWorkBudget = kFuzzWorkBudget / 4;
constexpr uint64_t kRerunWorkLimit = kFuzzWorkBudget / 20;

struct CheckOptions {
  // Past this many seconds the check adds no more work: no replay after a slow
  // first run, no more snapshots, no third run. The fuzzer sets it, as its
  // -timeout would otherwise flag inputs that are slow only under sanitizers
  // (a 1M-point ring with 200k keys); tests leave it off and check everything.
  double seconds = std::numeric_limits<double>::infinity();
};

inline std::string DumpForCheck(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

inline std::string Clip(const std::string& s) {
  return s.size() > 600 ? s.substr(0, 600) + "..." : s;
}

inline std::string CheckScenarioText(std::string_view text, const CheckOptions& options = {}) {
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  const Result<std::string> first = RunScenarioText(text, kFuzzWorkBudget);
  if (!first.ok()) {
    // Refused as a whole: cheap, so just check it is refused the same way again.
    const Result<std::string> again = RunScenarioText(text, kFuzzWorkBudget);
    if (again.ok() || again.message() != first.message()) {
      return "refused once, then not the same way: " + Clip(first.message());
    }
    return "";
  }

  // The runner accepted it, so it is an object naming a known sim with a good
  // seed, config and steps; replay it through the step API.
  if (elapsed() > options.seconds / 2) return "";  // the replay would take as long again
  const Result<Json> doc = ParseJson(text);
  if (!doc.ok()) return "RunScenarioText accepted text that ParseJson refuses";
  const SimInfo* info = FindSim(doc.value().at("sim").get<std::string>());
  if (info == nullptr) return "RunScenarioText accepted an unknown sim";
  const uint64_t seed = doc.value().value("seed", kDefaultSeed);
  const Json config = doc.value().value("config", Json::object());
  const Json steps = doc.value().value("steps", Json::array());
  Result<std::unique_ptr<Simulation>> created = CreateSim(*info, seed, config);
  if (!created.ok()) return "RunScenarioText ran a config CreateSim refuses: " + created.message();
  Simulation& sim = *created.value();

  const Result<Json> ran = ParseJson(first.value());
  if (!ran.ok()) return "RunScenarioText printed invalid JSON: " + ran.message();
  const Json& results = ran.value().at("results");
  if (!results.is_array() || results.size() != steps.size()) {
    return "the runner did not give one result per step";
  }

  uint64_t snapshot_work = 0;
  for (size_t i = 0; i < steps.size(); ++i) {
    if (elapsed() > options.seconds) return "";
    const std::string where = "step " + std::to_string(i) + " " + Clip(DumpForCheck(steps[i]));
    if (sim.Work() >= kFuzzWorkBudget) {
      // The runner refuses every step from here on, which changes nothing.
      if (!results[i].contains("error")) return where + ": ran after the work budget was used up";
      continue;
    }
    const bool fails = results[i].contains("error");
    std::string before;  // compared as text: NaN-safe, and how users see it
    if (fails && snapshot_work + 2 * (sim.Work() + 100) <= kSnapshotWorkBudget) {
      snapshot_work += 2 * (sim.Work() + 100);
      before = DumpForCheck(sim.Snapshot(Simulation::Detail::kFull));
    }
    const Result<Json> result = ApplyStep(*info, sim, steps[i]);
    if (result.ok() == fails) return where + ": the runner and ApplyStep disagree on failing";
    const Json replayed = result.ok() ? result.value() : Json{{"error", result.message()}};
    if (DumpForCheck(replayed) != DumpForCheck(results[i])) {
      return where + ": the runner gave " + Clip(DumpForCheck(results[i])) + " but ApplyStep " +
             Clip(DumpForCheck(replayed));
    }
    if (!before.empty() && DumpForCheck(sim.Snapshot(Simulation::Detail::kFull)) != before) {
      return where + ": failed (" + Clip(result.message()) + ") but changed the snapshot";
    }
  }
  if (DumpForCheck(sim.Snapshot(Simulation::Detail::kFull)) !=
      DumpForCheck(ran.value().at("snapshot"))) {
    return "the final snapshot differs between the runner and the step-by-step replay";
  }

  // The replay above was a second run; a third, byte for byte, when cheap.
  if (sim.Work() < kRerunWorkLimit && elapsed() < options.seconds / 2) {
    const Result<std::string> again = RunScenarioText(text, kFuzzWorkBudget);
    if (!again.ok() || again.value() != first.value()) {
      return "the same text ran twice gave different output";
    }
  }
  return "";
}

}  // namespace sdp::fuzz

#endif  // SDP_FUZZ_SCENARIO_CHECK_H_

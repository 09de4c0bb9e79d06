// The per-step work budget (core/include/sdp/step_budget.h, issue #24):
// (1) the most work any step of the canonical scenarios, tours and exercise
//     references does (the budget must sit far above it), and
// (2) every op of every sim with every field at the top of its declared
//     range, applied to the end state of each of the sim's scenarios through
//     a SimSession (the budget on, as in the page): the slowest such step per
//     sim, and whether it ran or was refused.
// Native only: the target is "no step runs longer than 1 s natively", and
// the scenario files are read from disk.
//
//   build/native/sdp_step_budget_bench [SCENARIO_DIR [EXERCISE_DIR]]
//   (defaults: scenarios exercises; prints markdown, bench/step_budget.md)
#ifdef __EMSCRIPTEN__
#include <cstdio>
int main() {
  std::puts("step_budget_bench: native only (it reads the scenario files)");
  return 0;
}
#else
#include <algorithm>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "sdp/sim_session.h"
#include "sdp/simulation.h"
#include "sdp/step_budget.h"

namespace {

using sdp::Json;
namespace fs = std::filesystem;

struct Run {
  std::string sim;
  uint64_t seed;
  Json config;
  std::vector<Json> steps;
  std::string file;
};

Json ReadJson(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return Json::parse(text.str(), nullptr, false);
}

std::vector<fs::path> JsonFiles(const fs::path& dir) {
  std::vector<fs::path> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() == ".json") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<Run> Runs(const fs::path& scenarios, const fs::path& exercises) {
  std::vector<Run> runs;
  for (const fs::path& path : JsonFiles(scenarios)) {
    const Json s = ReadJson(path);
    if (!s.is_object() || !s.contains("sim")) continue;
    runs.push_back({s["sim"], s.value("seed", uint64_t{1}), s.value("config", Json::object()),
                    s.value("steps", std::vector<Json>{}), path.string()});
  }
  // Each exercise's reference solution, then its check steps, on its first seed.
  for (const fs::path& path : JsonFiles(exercises)) {
    const Json e = ReadJson(path);
    if (!e.is_object() || !e.contains("start")) continue;
    const Json& start = e["start"];
    Json config = start.value("config", Json::object());
    std::vector<Json> steps = start.value("steps", std::vector<Json>{});
    // Plain lookups: g++ -O3 warns (a false "maybe uninitialized") on
    // chained value() temporaries.
    if (e.contains("reference")) {
      const Json& reference = e["reference"];
      if (reference.contains("config")) {
        for (const auto& [k, v] : reference["config"].items()) config[k] = v;
      }
      if (reference.contains("steps")) {
        for (const Json& step : reference["steps"]) steps.push_back(step);
      }
    }
    if (e.contains("check") && e["check"].contains("steps")) {
      for (const Json& step : e["check"]["steps"]) steps.push_back(step);
    }
    const uint64_t seed = e.contains("hidden_seeds") && !e["hidden_seeds"].empty() ? e["hidden_seeds"][0].get<uint64_t>()
                                                                                   : start.value("seed", uint64_t{1});
    runs.push_back({start["sim"], seed, config, steps, path.string()});
  }
  return runs;
}

// CPU seconds of this (single-threaded) process: other work on the machine
// does not inflate it the way it inflates wall time.
double CpuNow() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

// The step with every field of `op` at the top of its range.
Json AtMaximum(const sdp::OpSpec& op) {
  Json step = {{"op", op.name}};
  for (const sdp::FieldSpec& f : op.fields) {
    switch (f.type) {
      case sdp::FieldType::kInt: step[f.name] = f.int_max; break;
      case sdp::FieldType::kNumber: step[f.name] = f.max; break;
      case sdp::FieldType::kBool: step[f.name] = true; break;
      case sdp::FieldType::kString:
        step[f.name] = f.one_of.empty() ? std::string(std::min<uint32_t>(f.max_length, 4096), 'x') : f.one_of.back();
        break;
      default: break;  // JSON values: left out (optional) or refused (required)
    }
  }
  return step;
}

struct Worst {
  double seconds = 0;
  std::string what;
};

// A session at the end of a canonical scenario (exercises are left out).
std::optional<sdp::SimSession> EndState(const Run& run) {
  const sdp::SimInfo* info = sdp::FindSim(run.sim);
  if (info == nullptr || run.file.find("exercises") != std::string::npos) return std::nullopt;
  auto opened = sdp::SimSession::Open(*info, run.seed, run.config);
  if (!opened.ok()) return std::nullopt;
  sdp::SimSession session = std::move(opened).value();
  for (const Json& step : run.steps) (void)session.Apply(step);
  return session;
}

// Applies the op at its maxima, timed; keeps the slowest in `worst`.
sdp::Result<Json> Timed(sdp::SimSession& session, const sdp::OpSpec& op, const Run& run, Worst& worst) {
  const Json step = AtMaximum(op);
  const double start = CpuNow();
  auto result = session.Apply(step);
  const double took = CpuNow() - start;
  if (took > worst.seconds) {
    worst = {took, fs::path(run.file).filename().string() + ": " + step.dump().substr(0, 110) +
                       (result.ok() ? " (ran)" : " (refused: " + result.status().message().substr(0, 120) + ")")};
  }
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path scenarios = argc > 1 ? argv[1] : "scenarios";
  const fs::path exercises = argc > 2 ? argv[2] : "exercises";
  const std::vector<Run> runs = Runs(scenarios, exercises);

  // (1) The canonical steps, without a budget: units and time per step.
  std::map<std::string, std::pair<uint64_t, Worst>> canonical;  // sim -> (max units, its step)
  for (const Run& run : runs) {
    const sdp::SimInfo* info = sdp::FindSim(run.sim);
    if (info == nullptr) continue;
    auto created = sdp::CreateSim(*info, run.seed, run.config);
    if (!created.ok()) continue;
    auto sim = std::move(created).value();
    for (const Json& step : run.steps) {
      const sdp::StepBudget unlimited(UINT64_MAX / 2);
      const double start = CpuNow();
      (void)sdp::ApplyStep(*info, *sim, step);
      const double took = CpuNow() - start;
      auto& [units, worst] = canonical[run.sim];
      if (sdp::StepBudget::Used() > units) {
        units = sdp::StepBudget::Used();
        worst = {took, fs::path(run.file).filename().string() + ": " + sdp::StepName(step)};
      }
    }
  }
  std::printf("## Canonical steps: the most work one step does\n\n");
  std::printf("| sim | units | share of the budget | CPU time | step |\n|---|---:|---:|---:|---|\n");
  for (const auto& [sim, entry] : canonical) {
    std::printf("| %s | %llu | %.2f %% | %.3f s | %s |\n", sim.c_str(), static_cast<unsigned long long>(entry.first),
                100.0 * entry.first / sdp::StepBudget::kDefaultUnits, entry.second.seconds, entry.second.what.c_str());
  }

  // (2) Every op at its fields' maxima, on each scenario's end state.
  std::map<std::string, Worst> slowest;
  std::map<std::string, std::pair<int, int>> counts;  // sim -> (ran, refused)
  for (const Run& run : runs) {
    auto session = EndState(run);
    if (!session) continue;
    for (const sdp::OpSpec& op : session->info().ops) {
      const auto result = Timed(*session, op, run, slowest[run.sim]);
      auto& [ran, refused] = counts[run.sim];
      (result.ok() ? ran : refused) += 1;
      if (result.ok()) (void)session->UndoLast();
    }
  }
  // (3) rate x duration x size: every op at its maxima one after another
  // (declaration order: the sims declare set-up ops before time passing),
  // twice, keeping each one that runs, so a maximal rate meets a maximal
  // advance.
  std::map<std::string, Worst> combined;
  for (const Run& run : runs) {
    auto session = EndState(run);
    if (!session) continue;
    for (int pass = 0; pass < 2; ++pass) {
      for (const sdp::OpSpec& op : session->info().ops) (void)Timed(*session, op, run, combined[run.sim]);
    }
  }

  std::printf("\n## Every op with every field at its maximum, on each scenario's end state\n\n");
  std::printf("| sim | steps ran | refused | slowest (CPU) | that step |\n|---|---:|---:|---:|---|\n");
  for (const auto& [sim, worst] : slowest) {
    std::printf("| %s | %d | %d | %.3f s | `%s` |\n", sim.c_str(), counts[sim].first, counts[sim].second, worst.seconds,
                worst.what.c_str());
  }
  std::printf("\n## Every op at its maxima one after another (twice), from each scenario's end state\n\n");
  std::printf("| sim | slowest step (CPU) | that step |\n|---|---:|---|\n");
  for (const auto& [sim, worst] : combined) {
    std::printf("| %s | %.3f s | `%s` |\n", sim.c_str(), worst.seconds, worst.what.c_str());
  }
  return 0;
}
#endif

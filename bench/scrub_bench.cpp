// Scrubbing and undo on SimSession's checkpoints (sim_session.h), natively
// (and as wasm under node, from the same source: then run it from the repo
// root so that the workloads file is found). The workloads are
// bench/scrub_workloads.json: widgets' 10-minute runs at their default
// size (the widget's own start, the user's setup, then `count` rounds of
// `step`, one step or a list). Per workload:
//   build      the run applied step by step, a checkpoint taken when due
//              (what the wasm layer does after every accepted step)
//   go to      GoTo(p) from the latest state, for 40 positions spread over
//              the run (best of 3 each): median and worst
//   replay     the old way to show position p: a fresh sim given p steps
//              (8 of the positions): median and worst
//   undo n     the last of n steps taken back: replay of n-1 steps from the
//              seed (before) vs GoTo(n-1) from the nearest checkpoint (after)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sdp/scenario.h"
#include "sdp/sim_session.h"

#include "bench_timing.h"

namespace {

using sdp::Json;
using Clock = std::chrono::steady_clock;

double Ms(Clock::time_point since) {
  return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
}

struct Workload {
  std::string widget;
  const sdp::SimInfo* info;
  uint64_t seed;
  Json config;
  std::vector<Json> steps;  // start + setup + the rounds' steps
};

// The first `total` steps of the workload (all of it with `count` rounds when
// total is 0).
Workload Load(const Json& w, size_t total = 0) {
  Workload out{w["widget"], sdp::FindSim(w["sim"].get<std::string>()), w["seed"], w["config"], {}};
  for (const Json& s : w["start"]) out.steps.push_back(s);
  for (const Json& s : w.value("setup", Json::array())) out.steps.push_back(s);
  const Json round = w["step"].is_array() ? w["step"] : Json::array({w["step"]});
  const size_t rounds = w["count"].get<size_t>();
  for (size_t i = 0; total ? out.steps.size() < total : i < rounds; ++i) {
    for (const Json& s : round) out.steps.push_back(s);
  }
  if (total) out.steps.resize(total);
  return out;
}

sdp::SimSession Run(const Workload& w) {
  sdp::SimSession session = std::move(sdp::SimSession::Open(*w.info, w.seed, w.config)).value();
  for (const Json& step : w.steps) {
    if (!session.Apply(step).ok()) std::fprintf(stderr, "%s: a step was refused\n", w.widget.c_str());
    session.MaybeCheckpoint();
  }
  return session;
}

double ReplayMs(const Workload& w, size_t n) {
  const auto start = Clock::now();
  auto sim = std::move(sdp::CreateSim(*w.info, w.seed, w.config)).value();
  for (size_t i = 0; i < n; ++i) (void)sdp::ApplyStep(*w.info, *sim, w.steps[i]);
  return Ms(start);
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const char* path = argc > 1 ? argv[1] : "bench/scrub_workloads.json";
  std::ifstream file(path);
  if (!file) {
    std::fprintf(stderr, "cannot read %s (run from the repo root)\n", path);
    return 1;
  }
  std::stringstream text;
  text << file.rdbuf();
  const Json workloads = Json::parse(text.str())["workloads"];

  std::printf("scrub, %s: ms\n\n", sdp_bench::kPlatform);
  std::printf("| widget | steps | build | checkpoints | clone | go to: median | go to: worst | replay: median | replay: worst |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (const Json& j : workloads) {
    const Workload w = Load(j);
    const auto built = Clock::now();
    sdp::SimSession session = Run(w);
    const double build = Ms(built);
    const size_t n = session.steps();
    const double clone = sdp_bench::BestOf([&] { (void)session.sim().Clone(); }) * 1000;
    std::vector<double> go, replay;
    for (size_t i = 0; i < 40; ++i) {
      const size_t p = (i * 7919 + 13) % (n + 1);
      double best = 1e300;  // of 3, from the latest state each time: the machine is shared
      for (int run = 0; run < 3; ++run) {
        (void)session.GoTo(n);
        const auto start = Clock::now();
        (void)session.GoTo(p);
        best = std::min(best, Ms(start));
      }
      go.push_back(best);
      if (i % 5 == 0) replay.push_back(ReplayMs(w, p));
    }
    std::printf("| %s | %zu | %.0f | %zu | %.1f | %.2f | %.2f | %.1f | %.1f |\n", w.widget.c_str(), n, build,
                session.checkpoints(), clone, Median(go), *std::max_element(go.begin(), go.end()),
                Median(replay), *std::max_element(replay.begin(), replay.end()));
  }

  std::printf("\nundo the last of n steps: replay from the seed (before) vs GoTo from a checkpoint (after)\n\n");
  std::printf("| widget | n | before | after |\n|---|---:|---:|---:|\n");
  for (const Json& j : workloads) {
    for (size_t n : {size_t{30}, size_t{1000}}) {
      const Workload w = Load(j, n);
      sdp::SimSession session = Run(w);
      const double before = sdp_bench::BestOf([&] { ReplayMs(w, n - 1); }) * 1000;
      double after = 1e300;
      for (int run = 0; run < 3; ++run) {
        (void)session.GoTo(n);
        const auto start = Clock::now();
        (void)session.GoTo(n - 1);
        after = std::min(after, Ms(start));
      }
      std::printf("| %s | %zu | %.1f | %.2f |\n", w.widget.c_str(), n, before, after);
    }
  }
  return 0;
}

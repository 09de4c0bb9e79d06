// The scenario runner: DESIGN.md contract 3, shared by the `sdp` CLI and the
// wasm module's runScenario so that both give byte-identical output.
//
//   {"sim":"hash_ring","seed":7,"config":{...},"steps":[{"op":..},..]}
//   -> {"sim":"hash_ring","results":[..one per step..],"snapshot":{..}}
//
// A step that is invalid yields {"error": "..."} and leaves the sim unchanged;
// later steps still run. A document that is not JSON, not an object, names no
// or an unknown sim, or has a bad config is a failed Result (the CLI exits
// non-zero with that message).
#ifndef SDP_SCENARIO_H_
#define SDP_SCENARIO_H_

#include <string>
#include <string_view>

#include "sdp/simulation.h"

namespace sdp {

constexpr uint64_t kDefaultSeed = 1;
constexpr uint32_t kMaxSteps = 100000;
// JSON nested deeper is refused before parsing: copying or printing a parsed
// document recurses once per level, and ~100k levels overflow the stack.
constexpr uint32_t kMaxJsonDepth = 256;
// The default cap on a scenario's total Simulation::Work() (seconds of core
// work natively), and on the step-budget units its steps used, refused ones
// included (sim_session.h last_step_units); steps after the budget is used up
// are refused with an error and change nothing. The fuzzer passes a smaller
// one. A page refuses a link or file whose replay passes it (web/replay-runner.mjs).
constexpr uint64_t kMaxScenarioWork = 50000000;

Result<Json> RunScenario(const Json& scenario, uint64_t work_budget = kMaxScenarioWork);
// Parses, runs and serialises (compact, keys sorted) in one go.
Result<std::string> RunScenarioText(std::string_view text,
                                    uint64_t work_budget = kMaxScenarioWork);
// Parses JSON text; the message says where it broke.
Result<Json> ParseJson(std::string_view text);
// `sdp list`: every sim with its config fields and ops.
Json ListSims();

}  // namespace sdp

#endif  // SDP_SCENARIO_H_

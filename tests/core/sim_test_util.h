// Helpers any sim's Catch2 tests share: build a sim by name, apply a step that
// must succeed, or one that must be refused and leave the sim unchanged.
#ifndef SDP_TESTS_CORE_SIM_TEST_UTIL_H_
#define SDP_TESTS_CORE_SIM_TEST_UTIL_H_

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "sdp/scenario.h"

namespace sim_test {

using sdp::Json;

inline const sdp::SimInfo& Info(const std::string& sim) {
  const sdp::SimInfo* info = sdp::FindSim(sim);
  REQUIRE(info != nullptr);
  return *info;
}

inline std::unique_ptr<sdp::Simulation> Make(const std::string& sim, uint64_t seed, const Json& config) {
  auto made = sdp::CreateSim(Info(sim), seed, config);
  INFO(config.dump() << " -> " << (made.ok() ? "" : made.message()));
  REQUIRE(made.ok());
  return std::move(made.value());
}

inline Json Step(const std::string& sim, sdp::Simulation& s, const Json& step) {
  auto result = sdp::ApplyStep(Info(sim), s, step);
  INFO(step.dump() << " -> " << (result.ok() ? "" : result.message()));
  REQUIRE(result.ok());
  return result.value();
}

// The refusal's message; the full snapshot must be the same before and after.
inline std::string Refused(const std::string& sim, sdp::Simulation& s, const Json& step) {
  const Json before = s.Snapshot(sdp::Simulation::Detail::kFull);
  auto result = sdp::ApplyStep(Info(sim), s, step);
  INFO(step.dump());
  REQUIRE_FALSE(result.ok());
  CHECK(s.Snapshot(sdp::Simulation::Detail::kFull) == before);
  return result.message();
}

// The canonical scenario files of a sim (scenarios/<sim>/*.json), parsed,
// in file-name order; with their names when `names` is given.
inline std::vector<Json> CanonicalScenarios(const std::string& sim, std::vector<std::string>* names = nullptr) {
  std::vector<Json> out;
  const std::filesystem::path dir = std::filesystem::path(SDP_SCENARIO_DIR) / sim;
  if (!std::filesystem::exists(dir)) return out;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    out.push_back(Json::parse(text.str()));
    if (names) names->push_back(path.filename().string());
  }
  return out;
}

}  // namespace sim_test

#endif  // SDP_TESTS_CORE_SIM_TEST_UTIL_H_

// Helpers shared by the kafka sim tests: build a sim, apply steps, read the
// snapshot.
#ifndef SDP_TESTS_CORE_KAFKA_TEST_UTIL_H_
#define SDP_TESTS_CORE_KAFKA_TEST_UTIL_H_

#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "sdp/kafka_sim.h"
#include "sdp/scenario.h"

namespace kafka_test {

using sdp::Json;

inline const sdp::SimInfo& Info() {
  const sdp::SimInfo* info = sdp::FindSim("kafka");
  REQUIRE(info != nullptr);
  return *info;
}

inline std::unique_ptr<sdp::Simulation> Make(const Json& config, uint64_t seed = 1) {
  auto sim = sdp::CreateSim(Info(), seed, config);
  REQUIRE(sim.ok());
  return std::move(sim.value());
}

inline sdp::KafkaSim& As(sdp::Simulation& sim) { return dynamic_cast<sdp::KafkaSim&>(sim); }

inline sdp::Result<Json> Try(sdp::Simulation& sim, const Json& step) {
  return sdp::ApplyStep(Info(), sim, step);
}

inline Json Step(sdp::Simulation& sim, const Json& step) {
  auto result = Try(sim, step);
  INFO(step.dump() << " -> " << (result.ok() ? std::string("ok") : result.message()));
  REQUIRE(result.ok());
  return result.value();
}

// The step must be refused with a message containing `error`, and the full
// snapshot must not change.
inline void Refused(sdp::Simulation& sim, const Json& step, const std::string& error) {
  const Json before = sim.Snapshot(sdp::Simulation::Detail::kFull);
  auto result = Try(sim, step);
  INFO(step.dump());
  REQUIRE_FALSE(result.ok());
  CHECK_THAT(result.message(), Catch::Contains(error));
  CHECK(sim.Snapshot(sdp::Simulation::Detail::kFull) == before);
}

inline Json Partition(sdp::Simulation& sim, int topic, int p) {
  return sim.Snapshot(sdp::Simulation::Detail::kSummary)["topics"][topic]["partitions"][p];
}

inline Json Group(sdp::Simulation& sim, int g) {
  return sim.Snapshot(sdp::Simulation::Detail::kSummary)["groups"][g];
}

}  // namespace kafka_test

#endif  // SDP_TESTS_CORE_KAFKA_TEST_UTIL_H_

// The service model around the breaker: the pile-up the seed describes, how
// the breaker prevents it, recovery, retries, and the ramp after recovery.
#include <catch2/catch.hpp>

#include <numeric>

#include "sdp/circuit_breaker_sim.h"
#include "sdp/scenario.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace circuit_breaker_sim_test {

namespace {

using sdp::CircuitBreakerSim;
using sdp::Json;

std::unique_ptr<sdp::Simulation> Make(uint64_t seed, const Json& config) {
  const sdp::SimInfo* info = sdp::FindSim("circuit_breaker");
  REQUIRE(info != nullptr);
  auto sim = sdp::CreateSim(*info, seed, config);
  REQUIRE(sim.ok());
  return std::move(sim.value());
}

Json Step(sdp::Simulation& sim, const Json& step) {
  auto result = sdp::ApplyStep(*sdp::FindSim("circuit_breaker"), sim, step);
  INFO(step.dump());
  REQUIRE(result.ok());
  return result.value();
}

CircuitBreakerSim& As(sdp::Simulation& sim) { return dynamic_cast<CircuitBreakerSim&>(sim); }

// 100 rps into 20 workers; the dependency answers in ~50 ms; calls time out
// after 500 ms; a small breaker window so it reacts within a second.
Json PileUpConfig() {
  return {{"rps", 100},          {"workers", 20},
          {"queue_limit", 100},  {"timeout_ms", 500},
          {"client_timeout_ms", 2000},
          {"sliding_window_size", 20},
          {"minimum_number_of_calls", 10},
          {"wait_duration_in_open_state_ms", 2000}};
}

}  // namespace

TEST_CASE("cb sim: a dead dependency piles requests up to the queue limit without a breaker",
          "[cb_sim]") {
  auto sim = Make(3, PileUpConfig());
  Step(*sim, {{"op", "disable"}});
  Step(*sim, {{"op", "advance"}, {"ms", 3000}});
  CHECK(As(*sim).max_queue_seen() < 20);  // healthy: hardly any queue
  Step(*sim, {{"op", "dependency"}, {"down", true}});
  Step(*sim, {{"op", "advance"}, {"ms", 10000}});
  const CircuitBreakerSim& cb = As(*sim);
  CHECK(cb.max_queue_seen() == 100);
  CHECK(cb.queue_length() == 100);
  CHECK(cb.busy_workers() == 20);
  CHECK(cb.total(CircuitBreakerSim::kOverloaded) > 0);
  CHECK(cb.total(CircuitBreakerSim::kGaveUp) > 0);
  CHECK(cb.wasted() > 0);  // the service still works for clients that left
}

TEST_CASE("cb sim: with the breaker on, the same failure never fills the queue", "[cb_sim]") {
  auto sim = Make(3, PileUpConfig());
  Step(*sim, {{"op", "advance"}, {"ms", 3000}});
  Step(*sim, {{"op", "dependency"}, {"down", true}});
  Json r = Step(*sim, {{"op", "advance"}, {"ms", 10000}});
  const CircuitBreakerSim& cb = As(*sim);
  CHECK(cb.max_queue_seen() < 100);
  CHECK(cb.total(CircuitBreakerSim::kOverloaded) == 0);
  CHECK(cb.total(CircuitBreakerSim::kRejected) > 500);  // fast failures instead
  // It keeps probing: OPEN -> HALF_OPEN -> OPEN while the dependency is down.
  uint32_t probes = 0;
  for (const auto& t : cb.breaker().transitions()) probes += t.to == sdp::BreakerState::kHalfOpen ? 1 : 0;
  CHECK(probes >= 3);

  SECTION("and closes again once the dependency is back") {
    Step(*sim, {{"op", "dependency"}, {"down", false}});
    Step(*sim, {{"op", "advance"}, {"ms", 5000}});
    CHECK(cb.breaker().state() == sdp::BreakerState::kClosed);
    const uint64_t ok_before = cb.total(CircuitBreakerSim::kOk);
    Step(*sim, {{"op", "advance"}, {"ms", 5000}});
    const uint64_t ok_after = cb.total(CircuitBreakerSim::kOk) - ok_before;
    CHECK(ok_after == Approx(500).epsilon(0.15));  // all 100 rps served again
  }
}

TEST_CASE("cb sim: immediate retries multiply the load on a failing dependency", "[cb_sim]") {
  Json config = PileUpConfig();
  config["retry"] = "immediate";
  config["max_retries"] = 3;
  auto sim = Make(5, config);
  Step(*sim, {{"op", "dependency"}, {"error_rate", 1.0}});
  Step(*sim, {{"op", "disable"}});
  Step(*sim, {{"op", "advance"}, {"ms", 10000}});
  const CircuitBreakerSim& cb = As(*sim);
  Json totals = sim->Snapshot(sdp::Simulation::Detail::kSummary)["totals"];
  // Every request fails, so each is tried 4 times: ~4000 attempts in 10 s.
  CHECK(totals["sent"].get<double>() == Approx(4000).epsilon(0.1));
  CHECK(cb.retries() == Approx(3000).epsilon(0.1));
}

TEST_CASE("cb sim: backoff with jitter spreads retries out in time", "[cb_sim]") {
  Json config = PileUpConfig();
  config["retry"] = "backoff";
  config["max_retries"] = 3;
  config["backoff_base_ms"] = 200;
  config["rps"] = 0;
  auto sim = Make(5, config);
  Step(*sim, {{"op", "dependency"}, {"error_rate", 1.0}});
  Step(*sim, {{"op", "disable"}});
  Step(*sim, {{"op", "call"}, {"count", 20}});
  Step(*sim, {{"op", "advance"}, {"ms", 3000}});
  const CircuitBreakerSim& cb = As(*sim);
  CHECK(cb.retries() == 60);
  // The retries did not all arrive at once: the series shows attempts in
  // more than one bucket after the burst.
  std::vector<uint32_t> sent = sim->Column("series:sent");
  const size_t buckets_used = std::count_if(sent.begin() + 1, sent.end(), [](uint32_t n) { return n > 0; });
  CHECK(buckets_used >= 3);
}

TEST_CASE("cb sim: the ramp lets a warming dependency recover without re-opening", "[cb_sim][ramp]") {
  // The dependency comes back with 10% of its capacity and needs 20 s to warm
  // up. Without a ramp the full load hits it at once, calls time out and the
  // breaker flaps; with a linear ramp over 20 s it closes for good.
  auto opens_after_recovery = [](const char* ramp) {
    Json config = PileUpConfig();
    config["rps"] = 300;
    config["workers"] = 60;
    config["capacity"] = 20;
    config["latency_ms"] = 50;
    config["ramp"] = ramp;
    config["ramp_window_ms"] = 20000;
    config["ramp_min_percent"] = 5;
    config["automatic_transition_from_open_to_half_open"] = true;
    auto sim = Make(9, config);
    Step(*sim, {{"op", "dependency"}, {"down", true}, {"warmup_ms", 20000}});
    Step(*sim, {{"op", "advance"}, {"ms", 5000}});
    Step(*sim, {{"op", "dependency"}, {"down", false}});
    const uint64_t before = As(*sim).breaker().transition_count();
    Step(*sim, {{"op", "advance"}, {"ms", 40000}});
    uint32_t opens = 0;
    const auto& all = As(*sim).breaker().transitions();
    for (size_t i = all.size() - (As(*sim).breaker().transition_count() - before); i < all.size(); ++i) {
      opens += all[i].to == sdp::BreakerState::kOpen ? 1 : 0;
    }
    return opens;
  };
  const uint32_t without = opens_after_recovery("none");
  const uint32_t with_linear = opens_after_recovery("linear");
  INFO("re-opens without ramp " << without << ", with ramp " << with_linear);
  CHECK(without >= 2);
  CHECK(with_linear < without);
}

TEST_CASE("cb sim: the series adds up to the totals", "[cb_sim]") {
  auto sim = Make(3, PileUpConfig());
  Step(*sim, {{"op", "advance"}, {"ms", 2000}});
  Step(*sim, {{"op", "dependency"}, {"down", true}});
  Step(*sim, {{"op", "advance"}, {"ms", 4000}});
  Json snap = sim->Snapshot(sdp::Simulation::Detail::kFull);
  for (const char* outcome : {"ok", "failed", "rejected", "overloaded", "gave_up"}) {
    std::vector<uint32_t> col = sim->Column(std::string("series:") + outcome);
    INFO(outcome);
    CHECK(std::accumulate(col.begin(), col.end(), uint64_t{0}) == snap["totals"][outcome].get<uint64_t>());
  }
  CHECK(sim->Column("series:t_ms").size() == 24);  // 6 s of 250 ms buckets
}

TEST_CASE("cb sim: same seed, same run; a refused step changes nothing", "[cb_sim]") {
  auto a = Make(42, PileUpConfig());
  auto b = Make(42, PileUpConfig());
  for (auto* sim : {a.get(), b.get()}) {
    Step(*sim, {{"op", "advance"}, {"ms", 1500}});
    Step(*sim, {{"op", "dependency"}, {"error_rate", 0.6}});
    Step(*sim, {{"op", "advance"}, {"ms", 1500}});
  }
  const std::string before = a->Snapshot(sdp::Simulation::Detail::kFull).dump();
  CHECK(before == b->Snapshot(sdp::Simulation::Detail::kFull).dump());

  Step(*a, {{"op", "load"}, {"rps", 100000}});
  const std::string loaded = a->Snapshot(sdp::Simulation::Detail::kFull).dump();
  auto refused = sdp::ApplyStep(*sdp::FindSim("circuit_breaker"), *a, {{"op", "advance"}, {"ms", 3600000}});
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(refused.status().message(), Catch::Contains("\"ms\""));
  CHECK(a->Snapshot(sdp::Simulation::Detail::kFull).dump() == loaded);

  // resilience4j refuses METRICS_ONLY -> OPEN; the step is refused, nothing changes.
  Step(*a, {{"op", "metrics_only"}});
  const std::string metrics_only = a->Snapshot(sdp::Simulation::Detail::kFull).dump();
  auto refused_trip = sdp::ApplyStep(*sdp::FindSim("circuit_breaker"), *a, {{"op", "trip"}});
  REQUIRE_FALSE(refused_trip.ok());
  CHECK_THAT(refused_trip.status().message(),
             Catch::Contains("trip: illegal state transition from METRICS_ONLY to OPEN"));
  CHECK(a->Snapshot(sdp::Simulation::Detail::kFull).dump() == metrics_only);
  Step(*a, {{"op", "reset"}});
  const std::string reset = a->Snapshot(sdp::Simulation::Detail::kFull).dump();

  auto bad_after_wait = sdp::ApplyStep(*sdp::FindSim("circuit_breaker"), *a,
                                       {{"op", "configure"}, {"transition_to_state_after_wait_duration", "HALF_OPEN"}});
  REQUIRE_FALSE(bad_after_wait.ok());
  CHECK_THAT(bad_after_wait.status().message(), Catch::Contains("transition_to_state_after_wait_duration"));
  CHECK(a->Snapshot(sdp::Simulation::Detail::kFull).dump() == reset);

  auto bad_config = sdp::ApplyStep(*sdp::FindSim("circuit_breaker"), *a,
                                   {{"op", "configure"}, {"ramp", "linear"}, {"failure_rate_threshold", 0}});
  REQUIRE_FALSE(bad_config.ok());
  CHECK_THAT(bad_config.status().message(), Catch::Contains("failure_rate_threshold"));
  CHECK(a->Snapshot(sdp::Simulation::Detail::kFull).dump() == reset);
}

}  // namespace circuit_breaker_sim_test

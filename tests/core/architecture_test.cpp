// The `architecture` sim: queueing theory where it predicts (M/M/1, M/M/c),
// wiring errors that name the component and change nothing, faults that move
// load where they should, the alert rules, step 9's verify, and a step too
// large for one budget refused.
#include <catch2/catch.hpp>

#include <string>

#include "sdp/architecture_sim.h"
#include "sdp/queueing.h"
#include "sdp/step_budget.h"
#include "sim_test_util.h"

namespace architecture_test {

namespace {

using sdp::Json;

std::unique_ptr<sdp::Simulation> Make(uint64_t seed = 1) { return sim_test::Make("architecture", seed, Json::object()); }
Json Step(sdp::Simulation& sim, const Json& step) { return sim_test::Step("architecture", sim, step); }
std::string Refused(sdp::Simulation& sim, const Json& step) { return sim_test::Refused("architecture", sim, step); }
Json Add(sdp::Simulation& sim, const std::string& id, const std::string& kind, const Json& params = Json::object()) {
  return Step(sim, {{"op", "component_add"}, {"id", id}, {"kind", kind}, {"params", params}});
}
void Wire(sdp::Simulation& sim, const std::string& from, const std::string& to) {
  Step(sim, {{"op", "connect"}, {"from", from}, {"to", to}});
}
Json Component(const Json& snap, const std::string& id) {
  for (const Json& c : snap["components"]) {
    if (c["id"] == id) return c;
  }
  FAIL("no component " << id);
  return nullptr;
}

// client -> one service of c slots with exponential service; the mean time
// in system over several seeds.
double MeasuredMean(uint32_t slots, double service_ms, double rps, int64_t ms, int seeds) {
  double sum = 0;
  for (int seed = 1; seed <= seeds; ++seed) {
    auto sim = Make(static_cast<uint64_t>(seed));
    Add(*sim, "users", "client");
    Add(*sim, "svc", "service", {{"replicas", 1}, {"concurrency", slots}, {"service_ms", service_ms}, {"max_queue", 100000}});
    Wire(*sim, "users", "svc");
    Step(*sim, {{"op", "traffic"}, {"rps", rps}});
    Step(*sim, {{"op", "advance"}, {"ms", ms}});
    sum += sim->Snapshot(sdp::Simulation::Detail::kFull)["end_to_end"]["mean_ms"].get<double>();
  }
  return sum / seeds;
}

// A small shop: users -> gateway -> lb -> 2 services -> cache -> db (1 replica).
std::unique_ptr<sdp::Simulation> Shop() {
  auto sim = Make();
  Add(*sim, "users", "client");
  Add(*sim, "gw", "api_gateway");
  Add(*sim, "lb", "load_balancer", {{"policy", "least_connections"}});
  Add(*sim, "app1", "service", {{"replicas", 1}, {"concurrency", 4}, {"service_ms", 5}});
  Add(*sim, "app2", "service", {{"replicas", 1}, {"concurrency", 4}, {"service_ms", 5}});
  Add(*sim, "cache", "cache", {{"hit_share", 0.9}});
  Add(*sim, "db", "database", {{"read_replicas", 1}, {"concurrency", 2}, {"read_ms", 4}});
  Wire(*sim, "users", "gw");
  Wire(*sim, "gw", "lb");
  Wire(*sim, "lb", "app1");
  Wire(*sim, "lb", "app2");
  Wire(*sim, "app1", "cache");
  Wire(*sim, "app2", "cache");
  Wire(*sim, "app1", "db");
  Wire(*sim, "app2", "db");
  Wire(*sim, "cache", "db");
  Step(*sim, {{"op", "traffic"}, {"rps", 400}, {"mix", 0.9}});
  return sim;
}

}  // namespace

TEST_CASE("architecture: one M/M/1 service matches 1/(mu - lambda); M/M/4 matches Erlang C", "[architecture]") {
  // mu = 100/s (10 ms), lambda = 50/s: rho 0.5, W = 1/(100 - 50) = 20 ms.
  const double mm1 = sdp::MmcMeanTimeInSystem(1, 50, 100) * 1000;
  CHECK(mm1 == Approx(20.0));
  // 4 seeds x 200 s x 50 rps = 40,000 requests: the mean's standard error
  // at rho 0.5 is under 2 %; 6 % leaves room without hiding a wrong model.
  CHECK(MeasuredMean(1, 10, 50, 200000, 4) == Approx(mm1).epsilon(0.06));
  // c = 4 slots of 10 ms at 300 rps (rho 0.75).
  const double mm4 = sdp::MmcMeanTimeInSystem(4, 300, 100) * 1000;
  CHECK(MeasuredMean(4, 10, 300, 40000, 3) == Approx(mm4).epsilon(0.06));
}

TEST_CASE("architecture: wiring errors name the component and change nothing", "[architecture]") {
  auto sim = Make();
  Add(*sim, "users", "client");
  Add(*sim, "a", "service");
  Add(*sim, "b", "service");
  Wire(*sim, "users", "a");
  Wire(*sim, "a", "b");
  CHECK_THAT(Refused(*sim, {{"op", "connect"}, {"from", "b"}, {"to", "a"}}), Catch::Contains("cycle"));
  CHECK_THAT(Refused(*sim, {{"op", "connect"}, {"from", "b"}, {"to", "b"}}), Catch::Contains("cycle"));
  CHECK_THAT(Refused(*sim, {{"op", "connect"}, {"from", "a"}, {"to", "users"}}), Catch::Contains("clients only send"));
  CHECK_THAT(Refused(*sim, {{"op", "connect"}, {"from", "a"}, {"to", "nope"}}), Catch::Contains("no component \"nope\""));
  CHECK_THAT(Refused(*sim, {{"op", "component_add"}, {"id", "x"}, {"kind", "mainframe"}}), Catch::Contains("kind"));
  CHECK_THAT(Refused(*sim, {{"op", "component_add"}, {"id", "a"}, {"kind", "cache"}}), Catch::Contains("already taken"));
  CHECK_THAT(Refused(*sim, {{"op", "component_add"}, {"id", "x"}, {"kind", "cache"}, {"params", {{"colour", 1}}}}),
             Catch::Contains("colour"));
  CHECK_THAT(Refused(*sim, {{"op", "component_add"}, {"id", "x"}, {"kind", "service"}, {"params", {{"replicas", 0}}}}),
             Catch::Contains("replicas"));
  Add(*sim, "db", "database");
  CHECK_THAT(Refused(*sim, {{"op", "connect"}, {"from", "db"}, {"to", "a"}}), Catch::Contains("connects to nothing"));
  // db has no path from a client: advance refuses, naming it.
  const std::string unreachable = Refused(*sim, {{"op", "advance"}, {"ms", 100}});
  CHECK_THAT(unreachable, Catch::Contains("\"db\"") && Catch::Contains("unreachable"));
  Wire(*sim, "b", "db");
  Add(*sim, "edge", "cdn");
  Wire(*sim, "users", "edge");
  CHECK_THAT(Refused(*sim, {{"op", "advance"}, {"ms", 100}}), Catch::Contains("\"edge\"") && Catch::Contains("connects to nothing"));
  Wire(*sim, "edge", "a");
  Step(*sim, {{"op", "advance"}, {"ms", 100}});
  CHECK_THAT(Refused(*sim, {{"op", "fault"}, {"component", "users"}, {"kind", "slow"}}), Catch::Contains("does not apply"));
  // Removing a component takes its connections with it, once it is empty.
  Step(*sim, {{"op", "traffic"}, {"rps", 0}});
  Step(*sim, {{"op", "advance"}, {"ms", 2000}});
  Step(*sim, {{"op", "component_remove"}, {"id", "edge"}});
  const Json snap = sim->Snapshot(sdp::Simulation::Detail::kFull);
  CHECK(snap["components"].size() == 4);
  CHECK(Component(snap, "users")["to"] == Json::array({"a"}));
  CHECK_THAT(Refused(*sim, {{"op", "component_remove"}, {"id", "edge"}}), Catch::Contains("no component"));
}

TEST_CASE("architecture: a partitioned cache sends its reads to the database; a killed replica moves them", "[architecture]") {
  auto sim = Shop();
  Step(*sim, {{"op", "advance"}, {"ms", 5000}});
  Json snap = sim->Snapshot(sdp::Simulation::Detail::kFull);
  const uint64_t db_before = Component(snap, "db")["stats"]["arrived"];
  const uint64_t app1 = Component(snap, "app1")["stats"]["arrived"];
  const uint64_t app2 = Component(snap, "app2")["stats"]["arrived"];
  CHECK(app1 + app2 == Component(snap, "lb")["stats"]["completed"].get<uint64_t>());
  CHECK(app1 > app2 * 8 / 10);  // least connections shares the load
  CHECK(snap["alerts"].empty());
  // About 10 % of reads miss plus every write: roughly 0.19 of the traffic.
  CHECK(static_cast<double>(db_before) == Approx(0.19 * 2000).epsilon(0.15));
  Step(*sim, {{"op", "fault"}, {"component", "cache"}, {"kind", "partition"}});
  Step(*sim, {{"op", "advance"}, {"ms", 5000}});
  snap = sim->Snapshot(sdp::Simulation::Detail::kFull);
  CHECK(Component(snap, "db")["stats"]["arrived"].get<uint64_t>() > db_before * 4);
  // 2 nodes x 2 slots of 4 ms carry 1,000 reads/s: 400 rps at rho 0.4 is fine.
  Step(*sim, {{"op", "fault"}, {"component", "db"}, {"kind", "kill_replica"}});
  Step(*sim, {{"op", "traffic"}, {"rps", 600}});
  Step(*sim, {{"op", "advance"}, {"ms", 5000}});
  snap = sim->Snapshot(sdp::Simulation::Detail::kFull);
  const Json db = Component(snap, "db");
  CHECK(db["nodes"][1]["alive"] == false);
  CHECK(db["stats"]["utilization"].get<double>() > 0.8);
  bool paged = false;
  for (const Json& a : snap["alerts"]) paged = paged || (a["rule"] == "saturation" && a["component"] == "db");
  CHECK(paged);
  // Healing brings the replica back.
  Step(*sim, {{"op", "fault"}, {"component", "db"}, {"kind", "heal"}});
  Step(*sim, {{"op", "fault"}, {"component", "cache"}, {"kind", "heal"}});
  Step(*sim, {{"op", "advance"}, {"ms", 3000}});
  snap = sim->Snapshot(sdp::Simulation::Detail::kFull);
  CHECK(Component(snap, "db")["nodes"][1]["alive"] == true);
}

TEST_CASE("architecture: a gateway's token bucket refuses the excess; a spike and a slow service page", "[architecture]") {
  auto sim = Make();
  Add(*sim, "users", "client");
  Add(*sim, "gw", "api_gateway", {{"rate_limit_rps", 100}, {"burst", 10}});
  Add(*sim, "svc", "service", {{"replicas", 2}, {"concurrency", 4}, {"service_ms", 20}, {"breaker", true}, {"slow_call_ms", 100}});
  Add(*sim, "db", "database", {{"read_replicas", 0}, {"concurrency", 8}});
  Wire(*sim, "users", "gw");
  Wire(*sim, "gw", "svc");
  Wire(*sim, "svc", "db");
  Step(*sim, {{"op", "traffic"}, {"rps", 80}});
  Step(*sim, {{"op", "advance"}, {"ms", 4000}});
  Json snap = sim->Snapshot(sdp::Simulation::Detail::kFull);
  CHECK(snap["alerts"].empty());
  CHECK(snap["end_to_end"]["throughput_rps"].get<double>() == Approx(80).epsilon(0.15));
  Step(*sim, {{"op", "fault"}, {"component", "users"}, {"kind", "spike"}});  // 400 rps into a 100 rps limit
  Step(*sim, {{"op", "advance"}, {"ms", 4000}});
  snap = sim->Snapshot(sdp::Simulation::Detail::kFull);
  const Json gw = Component(snap, "gw");
  CHECK(gw["stats"]["error_reasons"]["rate limited (429)"].get<uint64_t>() > 1000);
  CHECK(gw["stats"]["completed"].get<double>() == Approx(400 + 10).epsilon(0.05));  // 100/s x 4 s + the burst
  Step(*sim, {{"op", "fault"}, {"component", "users"}, {"kind", "heal"}});
  Step(*sim, {{"op", "fault"}, {"component", "svc"}, {"kind", "slow"}});  // 200 ms calls: the breaker sees slow calls
  Step(*sim, {{"op", "advance"}, {"ms", 4000}});
  snap = sim->Snapshot(sdp::Simulation::Detail::kFull);
  bool p99 = false;
  for (const Json& a : snap["alerts"]) p99 = p99 || a["rule"] == "p99_slo";
  CHECK(p99);
  CHECK(snap["pages_total"].get<uint64_t>() >= 2);
}

TEST_CASE("architecture: step 9 checks the estimate against the run", "[architecture]") {
  auto sim = Shop();
  // 1.73M requests a day at peak x2 is 40 rps at peak: far under what the shop carries.
  Step(*sim, {{"op", "estimate"}, {"inputs", {{"dau", 172800}, {"requests_per_user_per_day", 10},
                                              {"read_write_ratio", "9:1"}, {"per_server_qps", 1000}}}});
  Step(*sim, {{"op", "traffic"}, {"rps", 40}, {"mix", 0.9}});
  Step(*sim, {{"op", "advance"}, {"ms", 10000}});
  const Json snap = sim->Snapshot(sdp::Simulation::Detail::kFull);
  const Json& verify = snap["verify"];
  REQUIRE(verify.size() == 5);
  CHECK(verify[0]["estimate"].get<double>() == Approx(40));
  CHECK(verify[0]["measured"].get<double>() == Approx(40).epsilon(0.1));
  CHECK(verify[3]["pass"] == true);  // p99 within 200 ms
  CHECK(verify[4]["pass"] == true);  // 2 replicas >= 1 server estimated
  CHECK_THAT(Refused(*sim, {{"op", "estimate"}, {"inputs", {{"dau", -1}}}}), Catch::Contains("dau"));
}

TEST_CASE("architecture: a step past the work budget is stopped, not run for minutes", "[architecture]") {
  auto sim = Shop();
  Step(*sim, {{"op", "traffic"}, {"rps", 100000}});
  // A small budget stands in for the real one (5M units), to keep the test cheap.
  sdp::StepBudget budget(20000);
  CHECK_THROWS_AS(sdp::ApplyStepOrThrow(sim_test::Info("architecture"), *sim, {{"op", "advance"}, {"ms", 60000}}),
                  sdp::StepTooLarge);
}

}  // namespace architecture_test

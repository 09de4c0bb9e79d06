// The asynchronous epidemic (sdp/gossip/async_epidemic.h): each node on its
// own timer, messages with a seeded delay, on the kernel's event queue.
// Cheap on purpose (n <= 1000, a few dozen epidemics): it checks that async
// push-pull anti-entropy reaches everyone, that async rumour mongering leaves
// a residue close to the synchronous one, and the async contracts (advance
// moves the epidemic, chunks do not change the run, bad timing is refused).
#include <catch2/catch.hpp>

#include <cmath>
#include <iostream>
#include <string>

#include "sdp/gossip_sim.h"
#include "sdp/scenario.h"
#include "sim_test_util.h"

namespace gossip_async_test {

namespace {

using sdp::Json;

std::unique_ptr<sdp::Simulation> Make(uint64_t seed, const Json& config) {
  return sim_test::Make("gossip", seed, config);
}
Json Step(sdp::Simulation& sim, const Json& step) { return sim_test::Step("gossip", sim, step); }
std::string Refused(sdp::Simulation& sim, const Json& step) { return sim_test::Refused("gossip", sim, step); }
Json Full(const sdp::Simulation& sim) { return sim.Snapshot(sdp::Simulation::Detail::kFull); }

}  // namespace

TEST_CASE("gossip async: push-pull anti-entropy with no loss reaches every node, in about the synchronous rounds", "[gossip][async]") {
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    auto sim = Make(seed, {{"nodes", 1000}, {"kind", "anti_entropy"}, {"direction", "push_pull"}, {"timing", "async"}});
    Step(*sim, {{"op", "inject"}, {"node", 0}});
    const Json r = Step(*sim, {{"op", "run"}, {"max_rounds", 100}});
    INFO("seed " << seed << ": " << r.dump());
    CHECK(r["stopped"] == "quiet");
    CHECK(r["informed"] == 1000);
    CHECK(Full(*sim)["residue"] == 0.0);
    // Synchronous push-pull needs log3 n + ln ln n = 8.2 rounds at n = 1000;
    // a node informed mid-period passes it on at its own next tick (half a
    // period later on average) and a pull answer takes two delays, so the
    // async epidemic is of the same order, not a multiple.
    const uint32_t periods = r["periods"];
    std::cout << "async push-pull n=1000 seed " << seed << ": " << periods << " periods, "
              << r["now_ms"].get<double>() << " ms\n";
    CHECK(periods >= 5);
    CHECK(periods <= 14);
  }
}

TEST_CASE("gossip async: rumour mongering's residue is close to the synchronous one", "[gossip][async][fidelity]") {
  // Push, feedback, counter, n = 1000, 20 epidemics each way. Tolerance 0.05
  // absolute at k = 1 (sync 0.176, Table 1): async differs for two stated
  // reasons. (1) Necessity is judged on arrival: two nodes pushing to the
  // same susceptible node in one period no longer both count as necessary
  // (the paper's alternative, which gives 0.20 in rounds, docs/gossip.md).
  // (2) A node informed mid-period spreads at its next tick, not a round
  // later, and hears feedback a delay later. 20 epidemics of 1000 nodes give
  // a standard error near 0.004, so 0.05 is room for the model difference
  // (0.02-0.03 measured), not for noise.
  for (uint32_t k : {1u}) {
    const Json config = {{"nodes", 1000}, {"kind", "rumor"}, {"direction", "push"}, {"k", k}};
    auto sync = Make(5, config);
    Json async_config = config;
    async_config["timing"] = "async";
    auto async = Make(5, async_config);
    const Json s = Step(*sync, {{"op", "trials"}, {"count", 20}});
    const Json a = Step(*async, {{"op", "trials"}, {"count", 20}});
    REQUIRE(a["trials"] == 20);
    const double rs = s["residue"], ra = a["residue"];
    std::cout << "rumour k=" << k << ": residue sync " << rs << ", async " << ra << "; traffic sync "
              << s["traffic"].get<double>() << ", async " << a["traffic"].get<double>() << "\n";
    CHECK(ra > 0);
    CHECK(std::abs(ra - rs) < 0.05);
    // s = e^{-m} still ties residue to traffic (within 35% at these sizes).
    CHECK(std::abs(std::exp(-a["traffic"].get<double>()) / ra - 1) < 0.35);
  }
}

TEST_CASE("gossip async: advance moves the epidemic; chunks of time give the same run", "[gossip][async][determinism]") {
  const Json config = {{"nodes", 300}, {"kind", "rumor"}, {"k", 2}, {"timing", "async"}, {"loss", 0.05}};
  auto whole = Make(9, config);
  auto chunks = Make(9, config);
  for (auto* sim : {whole.get(), chunks.get()}) Step(*sim, {{"op", "inject"}, {"node", 3}});
  const Json before = Full(*whole);
  Step(*whole, {{"op", "advance"}, {"ms", 4000}});
  for (int i = 0; i < 8; ++i) Step(*chunks, {{"op", "advance"}, {"ms", 500}});
  const Json a = Full(*whole), b = Full(*chunks);
  CHECK(a == b);
  CHECK(a["informed"].get<uint32_t>() > before["informed"].get<uint32_t>());
  CHECK(a["async"]["now_ms"] == 4000.0);
  // Four whole periods of 1000 ms, one row each; the fifth has begun (a
  // round counts the period under way, as the synchronous round does).
  CHECK(a["round"] == 5);
  CHECK(whole->Column("round_informed").size() == 4);
  // Once nothing can change, the timers stop: after the last messages and
  // the stopped timers' last ticks (within a period plus its jitter) have
  // run, a long advance costs no events.
  Step(*whole, {{"op", "run"}, {"max_rounds", 1000}});
  Step(*whole, {{"op", "advance"}, {"ms", 2000}});
  const uint64_t events = Full(*whole)["async"]["events"];
  const Json idle = Step(*whole, {{"op", "advance"}, {"ms", 600000}});
  CHECK(idle["events"] == 0);
  CHECK(Full(*whole)["async"]["events"] == events);
  CHECK(Full(*whole)["async"]["running"] == false);
}

TEST_CASE("gossip async: bad timing is refused by name and changes nothing", "[gossip][async][bad_input]") {
  auto sim = Make(1, {{"nodes", 10}, {"timing", "async"}, {"period_ms", 500}});
  CHECK_THAT(Refused(*sim, {{"op", "strategy"}, {"kind", "rumor"}, {"jitter_ms", 500}}), Catch::Contains("\"jitter_ms\""));
  CHECK_THAT(Refused(*sim, {{"op", "strategy"}, {"kind", "rumor"}, {"delay_ms", 10}, {"delay_jitter_ms", 11}}),
             Catch::Contains("\"delay_jitter_ms\""));
  CHECK_THAT(Refused(*sim, {{"op", "strategy"}, {"kind", "rumor"}, {"timing", "later"}}), Catch::Contains("\"timing\""));
  CHECK_THAT(Refused(*sim, {{"op", "round"}}), Catch::Contains("async"));
  CHECK_FALSE(sdp::CreateSim(sim_test::Info("gossip"), 1, {{"period_ms", 0}}).ok());
  // Back to rounds: round works again, and the snapshot drops the async keys.
  Step(*sim, {{"op", "inject"}});
  Step(*sim, {{"op", "advance"}, {"ms", 700}});
  Step(*sim, {{"op", "strategy"}, {"kind", "rumor"}, {"timing", "rounds"}});
  Step(*sim, {{"op", "round"}});
  const Json snap = Full(*sim);
  CHECK_FALSE(snap.contains("async"));
  CHECK_FALSE(snap["config"].contains("timing"));
}

}  // namespace gossip_async_test

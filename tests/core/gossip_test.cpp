// Gossip against Demers et al., "Epidemic Algorithms for Replicated Database
// Maintenance" (PODC '87): Table 1 (push rumour mongering with feedback and
// a counter, n = 1000), the coin variants' equations, pull anti-entropy's
// p_{i+1} = p_i^2, push-pull's O(log n) rounds; and the sim's contracts
// (bad input changes nothing, every step does bounded work).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <string>

#include "sdp/gossip_sim.h"
#include "sdp/scenario.h"
#include "sim_test_util.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace gossip_test {

namespace {

using sdp::GossipSim;
using sdp::Json;

std::unique_ptr<sdp::Simulation> Make(uint64_t seed, const Json& config) {
  return sim_test::Make("gossip", seed, config);
}
Json Step(sdp::Simulation& sim, const Json& step) { return sim_test::Step("gossip", sim, step); }
std::string Refused(sdp::Simulation& sim, const Json& step) { return sim_test::Refused("gossip", sim, step); }

Json Full(const sdp::Simulation& sim) { return sim.Snapshot(sdp::Simulation::Detail::kFull); }

}  // namespace

// Demers et al. 1987, Table 1: "Performance of an epidemic on 1000 sites
// using feedback and counters" (push, one contact per cycle). Residue s and
// traffic m (update messages per site); the paper's s = e^{-m} ties them.
TEST_CASE("gossip: push rumour with feedback and counter matches Table 1 of Demers et al.", "[gossip][fidelity]") {
  struct Row {
    uint32_t k;
    double residue, traffic, t_ave, t_last;
  };
  const Row paper[] = {{1, 0.176, 1.74, 11.0, 16.8},
                       {2, 0.037, 3.30, 12.1, 16.9},
                       {3, 0.011, 4.53, 12.5, 17.4},
                       {4, 0.0036, 5.64, 12.7, 17.5},
                       {5, 0.0012, 6.68, 12.8, 17.7}};
  for (const Row& row : paper) {
    // The table's own consistency: s = e^{-m} within 10%.
    CHECK(std::abs(std::exp(-row.traffic) / row.residue - 1) < 0.1);
    auto sim = Make(19, {{"nodes", 1000}, {"kind", "rumor"}, {"direction", "push"}, {"k", row.k},
                         {"feedback", true}, {"counter", true}});
    const Json r = Step(*sim, {{"op", "trials"}, {"count", 400}});
    REQUIRE(r["trials"] == 400);
    const double s = r["residue"], m = r["traffic"];
    std::cout << "Table 1 k=" << row.k << ": residue " << s << " (paper " << row.residue << "), traffic "
              << m << " (paper " << row.traffic << "), t_ave " << r["t_ave"].get<double>() << " (paper "
              << row.t_ave << "), t_last " << r["t_last"].get<double>() << " (paper " << row.t_last
              << ")\n";
    // Residue within 15% of the paper's (or 0.0005 absolute where it is
    // tiny: 400 runs of 1000 nodes see ~500 misses at k = 5); traffic
    // within 5%; our own s against e^{-m} within 15%.
    CHECK(std::abs(s - row.residue) <= std::max(0.15 * row.residue, 0.0005));
    CHECK(std::abs(m / row.traffic - 1) < 0.05);
    CHECK(std::abs(r["residue_from_traffic"].get<double>() - s) <= std::max(0.15 * s, 0.0005));
  }
}

TEST_CASE("gossip: coin variants match the paper's equations s = e^{-(k+1)(1-s)} and e^{-k(1-s)}", "[gossip][fidelity]") {
  // Feedback + coin: s = e^{-(k+1)(1-s)}: 0.2032, 0.0595, 0.0198.
  CHECK(sdp::gossip::CoinResidue(1, true) == Approx(0.2032).margin(0.0001));
  CHECK(sdp::gossip::CoinResidue(2, true) == Approx(0.0595).margin(0.0001));
  CHECK(sdp::gossip::CoinResidue(3, true) == Approx(0.0198).margin(0.0001));
  // Blind + coin: s = e^{-k(1-s)}; the paper's Table 2 has 0.205, 0.060 at k = 2, 3.
  CHECK(sdp::gossip::CoinResidue(2, false) == Approx(0.2032).margin(0.0001));
  CHECK(sdp::gossip::CoinResidue(3, false) == Approx(0.0595).margin(0.0001));
  for (bool feedback : {true, false}) {
    for (uint32_t k : {2u, 3u}) {
      auto sim = Make(5, {{"nodes", 1000}, {"kind", "rumor"}, {"k", k}, {"feedback", feedback}, {"counter", false}});
      const Json r = Step(*sim, {{"op", "trials"}, {"count", 300}});
      const double s = r["residue"], theory = r["coin_residue"];
      std::cout << "coin " << (feedback ? "feedback" : "blind") << " k=" << k << ": residue " << s
                << " (equation " << theory << "), traffic " << r["traffic"].get<double>() << "\n";
      // The equations are the large-n limit; on 1000 nodes within 20%.
      CHECK(std::abs(s / theory - 1) < 0.2);
    }
  }
}

TEST_CASE("gossip: pull anti-entropy squares the susceptible share each round (p_{i+1} = p_i^2)", "[gossip][fidelity]") {
  double ratio_sum = 0, push_sum = 0;
  uint32_t ratios = 0, pushes = 0;
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    for (const char* direction : {"pull", "push"}) {
      auto sim = Make(seed, {{"nodes", 10000}, {"kind", "anti_entropy"}, {"direction", direction}});
      Step(*sim, {{"op", "inject"}, {"node", 0}});
      Step(*sim, {{"op", "run"}, {"max_rounds", 100}});
      const Json rows = Full(*sim)["rounds"]["rows"];
      double p = 1 - 1.0 / 10000;
      for (const Json& row : rows) {
        const double next = 1 - row[1].get<double>() / 10000;
        // Late rounds only, and while enough nodes remain to measure.
        if (p < 0.5 && p > 0.005) {
          if (std::string(direction) == "pull") {
            ratio_sum += next / (p * p);
            ++ratios;
          } else {
            // Each of the (1 - p) n informed nodes misses a given node with
            // probability 1 - 1/(n-1): p_{i+1} = p_i e^{-(1 - p_i)}.
            push_sum += next / (p * std::exp(-(1 - p)));
            ++pushes;
          }
        }
        p = next;
      }
    }
  }
  const double pull_ratio = ratio_sum / ratios, push_ratio = push_sum / pushes;
  std::cout << "pull: mean p_{i+1}/p_i^2 = " << pull_ratio << " over " << ratios
            << " rounds; push: mean p_{i+1}/(p_i e^{-(1-p_i)}) = " << push_ratio << "\n";
  CHECK(std::abs(pull_ratio - 1) < 0.1);
  // Push's late phase only shrinks by about e^{-1} a round: pull is far faster.
  CHECK(std::abs(push_ratio - 1) < 0.1);
}

TEST_CASE("gossip: push-pull anti-entropy informs everyone in O(log n) rounds", "[gossip][fidelity]") {
  std::vector<double> mean_rounds;
  for (uint32_t n : {100u, 1000u, 10000u}) {
    auto sim = Make(3, {{"nodes", n}, {"kind", "anti_entropy"}, {"direction", "push_pull"}});
    const Json r = Step(*sim, {{"op", "trials"}, {"count", n == 10000 ? 20 : 100}});
    CHECK(r["all_informed"] == 1.0);
    const double rounds = r["rounds"];
    const double log3 = std::log(n) / std::log(3.0);
    std::cout << "push-pull n=" << n << ": " << rounds << " rounds (log3 n = " << log3
              << ", log3 n + ln ln n = " << log3 + std::log(std::log(n)) << ")\n";
    CHECK(rounds >= log3);
    CHECK(rounds <= log3 + std::log(std::log(n)) + 2);
    mean_rounds.push_back(rounds);
  }
  // Each factor of 10 in n adds about log3(10) = 2.1 rounds: logarithmic, not linear.
  for (size_t i = 1; i < mean_rounds.size(); ++i) {
    const double step = mean_rounds[i] - mean_rounds[i - 1];
    CHECK(step > 1.0);
    CHECK(step < 3.5);
  }
}

TEST_CASE("gossip: with no loss and no crash anti-entropy always reaches every node", "[gossip]") {
  for (const char* direction : {"push", "pull", "push_pull"}) {
    for (uint32_t n : {2u, 3u, 50u, 777u}) {
      for (uint64_t seed = 1; seed <= 5; ++seed) {
        auto sim = Make(seed, {{"nodes", n}, {"kind", "anti_entropy"}, {"direction", direction}});
        Step(*sim, {{"op", "inject"}, {"node", n - 1}});
        const Json r = Step(*sim, {{"op", "run"}, {"max_rounds", 1000}});
        INFO(direction << " n=" << n << " seed=" << seed);
        CHECK(r["stopped"] == "quiet");
        CHECK(r["informed"] == n);
        CHECK(Full(*sim)["residue"] == 0.0);
      }
    }
  }
}

TEST_CASE("gossip: a rumour leaves a residue; anti-entropy afterwards reaches the rest", "[gossip]") {
  auto sim = Make(7, {{"nodes", 1000}, {"kind", "rumor"}, {"k", 1}});
  Step(*sim, {{"op", "inject"}});
  Json r = Step(*sim, {{"op", "run"}});
  CHECK(r["stopped"] == "quiet");
  Json snap = Full(*sim);
  const double residue = snap["residue"];
  CHECK(residue > 0.05);
  CHECK(residue < 0.4);
  CHECK(snap["infective"] == 0);
  Step(*sim, {{"op", "strategy"}, {"kind", "anti_entropy"}, {"direction", "push_pull"}});
  r = Step(*sim, {{"op", "run"}});
  CHECK(r["informed"] == 1000);
  CHECK(Full(*sim)["residue"] == 0.0);
}

TEST_CASE("gossip: crashes and loss: residue counts live nodes only; lost messages are counted", "[gossip]") {
  auto sim = Make(11, {{"nodes", 1000}, {"kind", "anti_entropy"}, {"direction", "push_pull"}});
  Json c = Step(*sim, {{"op", "crash"}, {"fraction", 0.25}});
  CHECK(c["crashed"] == 250);
  CHECK(c["live"] == 750);
  Step(*sim, {{"op", "loss"}, {"p", 0.3}});
  // Inject at a live node.
  const std::vector<uint32_t> state = sim->Column("node_state");
  uint32_t live_node = 0;
  while (state[live_node] == 3) ++live_node;
  Step(*sim, {{"op", "inject"}, {"node", live_node}});
  const Json r = Step(*sim, {{"op", "run"}});
  CHECK(r["informed"] == 750);
  const Json snap = Full(*sim);
  CHECK(snap["residue"] == 0.0);
  CHECK(snap["totals"]["lost"].get<uint64_t>() > 0);
  CHECK(snap["crashed"] == 250);
  std::string nodes = snap["nodes"];
  CHECK(std::count(nodes.begin(), nodes.end(), 'x') == 250);
}

TEST_CASE("gossip: bad input is refused by name and changes nothing", "[gossip][bad_input]") {
  auto sim = Make(1, {{"nodes", 10}});
  Step(*sim, {{"op", "crash"}, {"node", 3}});
  CHECK_THAT(Refused(*sim, {{"op", "strategy"}, {"kind", "rumor"}, {"fanout", 10}}), Catch::Contains("\"fanout\""));
  CHECK_THAT(Refused(*sim, {{"op", "strategy"}, {"kind", "rumor"}, {"fanout", 0}}), Catch::Contains("\"fanout\""));
  CHECK_THAT(Refused(*sim, {{"op", "strategy"}, {"kind", "rumor"}, {"k", 0}}), Catch::Contains("\"k\""));
  CHECK_THAT(Refused(*sim, {{"op", "loss"}, {"p", 1.5}}), Catch::Contains("\"p\""));
  CHECK_THAT(Refused(*sim, {{"op", "loss"}, {"p", -0.1}}), Catch::Contains("\"p\""));
  CHECK_THAT(Refused(*sim, {{"op", "inject"}, {"node", 10}}), Catch::Contains("\"node\""));
  CHECK_THAT(Refused(*sim, {{"op", "inject"}, {"node", 3}}), Catch::Contains("crashed"));
  CHECK_THAT(Refused(*sim, {{"op", "crash"}}), Catch::Contains("exactly one"));
  CHECK_THAT(Refused(*sim, {{"op", "crash"}, {"node", 1}, {"fraction", 0.5}}), Catch::Contains("exactly one"));
  CHECK_THAT(Refused(*sim, {{"op", "crash"}, {"fraction", 1}}), Catch::Contains("at least one"));
  CHECK_THAT(Refused(*sim, {{"op", "crash"}, {"node", 3}}), Catch::Contains("already"));
  Step(*sim, {{"op", "strategy"}, {"kind", "rumor"}, {"fanout", 5}});
  CHECK_THAT(Refused(*sim, {{"op", "nodes"}, {"count", 5}}), Catch::Contains("\"fanout\""));
  CHECK_FALSE(sdp::CreateSim(sim_test::Info("gossip"), 1, {{"nodes", 2}, {"fanout", 2}}).ok());
  CHECK(sdp::CreateSim(sim_test::Info("gossip"), 1, {{"nodes", 2}, {"fanout", 1}}).ok());
}

TEST_CASE("gossip: every step's work is bounded, even at 10,000 nodes and fanout 50", "[gossip]") {
  auto sim = Make(1, {{"nodes", 10000}, {"kind", "anti_entropy"}, {"direction", "push_pull"}, {"fanout", 50}, {"loss", 1}});
  Step(*sim, {{"op", "inject"}});
  const Json r = Step(*sim, {{"op", "run"}, {"max_rounds", 1000}});
  CHECK(r["stopped"] == "work_limit");
  CHECK(Full(*sim)["totals"]["contacts"].get<uint64_t>() <= GossipSim::kMaxStepContacts);
  const Json t = Step(*sim, {{"op", "trials"}, {"count", 1000}});
  CHECK(t["stopped"] == "work_limit");
  CHECK(t["trials"].get<uint32_t>() < 1000);
  // Rounds are capped per run; then `round` is refused until `nodes` starts over.
  auto small = Make(1, {{"nodes", 2}, {"kind", "anti_entropy"}});
  for (int i = 0; i < 5; ++i) Step(*small, {{"op", "round"}, {"count", 1000}});
  CHECK_THAT(Refused(*small, {{"op", "round"}}), Catch::Contains("maximum"));
  Step(*small, {{"op", "nodes"}, {"count", 3}});
  Step(*small, {{"op", "round"}});
}

TEST_CASE("gossip: same seed, same run; columns agree with the snapshot", "[gossip][determinism]") {
  const Json scenario = {{"sim", "gossip"}, {"seed", 42}, {"config", {{"nodes", 500}, {"k", 2}}},
                         {"steps", {{{"op", "crash"}, {"fraction", 0.1}}, {{"op", "inject"}, {"node", 7}},
                                    {{"op", "run"}}, {{"op", "trials"}, {"count", 20}}}}};
  auto a = sdp::RunScenario(scenario);
  auto b = sdp::RunScenario(scenario);
  REQUIRE(a.ok());
  CHECK(a.value() == b.value());
  auto sim = Make(42, {{"nodes", 500}, {"k", 2}});
  for (const Json& step : scenario["steps"]) Step(*sim, step);
  const Json snap = Full(*sim);
  const std::vector<uint32_t> informed = sim->Column("round_informed");
  REQUIRE(informed.size() == snap["rounds"]["rows"].size());
  CHECK(informed.back() == snap["informed"]);
  CHECK(sim->Column("theory_ppm").size() == informed.size());
  CHECK(sim->Column("node_state").size() == 500);
}

}  // namespace gossip_test

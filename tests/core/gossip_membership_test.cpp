// Membership and failure detection in the `gossip` sim: SWIM (Das, Gupta,
// Motivala 2002) against its paper's first-detection expectation e/(e-1)
// protocol periods and its scalability claim (per-member load independent
// of n), heartbeat gossip (van Renesse et al. 1998) whose messages grow
// with n; and the membership ops' bad input.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "sdp/gossip_sim.h"
#include "sim_test_util.h"

namespace gossip_membership_test {

namespace {

using sdp::Json;

std::unique_ptr<sdp::Simulation> Make(uint32_t nodes, uint64_t seed, double loss = 0) {
  auto sim = sim_test::Make("gossip", seed, {{"nodes", nodes}});
  if (loss > 0) sim_test::Step("gossip", *sim, {{"op", "loss"}, {"p", loss}});
  return sim;
}
Json Step(sdp::Simulation& sim, const Json& step) { return sim_test::Step("gossip", sim, step); }
std::string Refused(sdp::Simulation& sim, const Json& step) { return sim_test::Refused("gossip", sim, step); }

// Runs `ms` of membership time in as many steps as the work limit needs.
Json Advance(sdp::Simulation& sim, int64_t ms) {
  Json r = sim.Snapshot(sdp::Simulation::Detail::kSummary)["membership"];
  const int64_t end = r["now_ms"].get<int64_t>() + ms;
  while (r["now_ms"].get<int64_t>() < end) {
    const int64_t left = end - r["now_ms"].get<int64_t>();
    r = Step(sim, {{"op", "advance"}, {"ms", std::min<int64_t>(left, sdp::GossipSim::kMaxAdvanceMs)}});
  }
  return r;
}

}  // namespace

TEST_CASE("gossip membership: a killed node is declared dead by every live member, no false positives without loss", "[gossip][membership]") {
  for (const char* protocol : {"swim", "heartbeat"}) {
    INFO(protocol);
    auto sim = Make(100, 3);
    Step(*sim, {{"op", "membership"}, {"protocol", protocol}});
    Advance(*sim, 5000);
    Step(*sim, {{"op", "kill"}, {"node", 7}});
    const Json m = Advance(*sim, 40000);
    const Json& k = m["killed"][0];
    CHECK(k["node"] == 7);
    CHECK(k["views"]["dead"] == 99);
    CHECK(k["views"]["alive"] == 0);
    CHECK(k["declared"] == 99);
    REQUIRE(!k["all_declared_ms"].is_null());
    CHECK(m["false_positives"]["declarations"] == 0);
    // Heartbeat: nobody declares before T_fail (15 s) of silence, counted
    // from its last heartbeat, at most one interval (1 s) before the kill.
    if (std::string(protocol) == "heartbeat") CHECK(k["first_detection_ms"].get<int64_t>() >= 14000);
    // SWIM: suspicion first, death after the suspicion timeout (4 * log10(100) * 1 s = 8 s).
    if (std::string(protocol) == "swim") {
      CHECK(m["params"]["suspicion_timeout_ms"] == 8000);
      CHECK(k["all_declared_ms"].get<int64_t>() >= 8000);
    }
  }
}

// SWIM section 3.1: each period every live member pings one random member,
// so a failed member is first pinged in period m with probability
// (1 - q)^(m-1) q, q = 1 - (1 - 1/(n-1))^(n-1) -> 1 - 1/e: mean e/(e-1).
TEST_CASE("gossip membership: SWIM first pings a killed node after e/(e-1) protocol periods on average", "[gossip][membership][fidelity]") {
  // The model directly (no JSON per step): this is the costly test.
  double sum = 0;
  uint32_t samples = 0;
  sdp::gossip::MembershipParams params;
  params.gossip_interval_ms = 0;  // dissemination does not change who pings whom
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    sdp::Rng rng(seed);
    sdp::gossip::Membership m(300, params, 0.0, rng);
    for (uint32_t kill = 0; kill < sdp::GossipSim::kMaxKills; ++kill) {
      m.Kill(kill * 13 + 1);
      const sdp::gossip::Membership::Killed& k = m.killed()[kill];
      for (int i = 0; i < 20 && m.killed()[kill].first_probe_ms == sdp::gossip::Membership::kNever; ++i) {
        m.Advance(1000, UINT64_MAX / 2, rng);
      }
      const int64_t first = m.killed()[kill].first_probe_ms;
      REQUIRE(first != sdp::gossip::Membership::kNever);
      // Periods counted as the sim's first_probe_periods does.
      sum += static_cast<double>((first - k.at_ms + params.interval_ms - 1) / params.interval_ms);
      ++samples;
    }
  }
  const double mean = sum / samples;
  const double e = std::exp(1.0);
  INFO("mean first-probe period " << mean << " over " << samples << " kills; e/(e-1) = " << e / (e - 1));
  // 240 geometric samples: standard error ~0.064; up to 20 of 300 dead
  // shift the expectation to ~1.61.
  CHECK(std::abs(mean - e / (e - 1)) < 0.2);
}

// The scalability claim (SWIM section 1, memberlist README): SWIM's load per
// member does not grow with n; heartbeat gossip sends the whole table.
TEST_CASE("gossip membership: SWIM's per-member load stays flat as n grows, heartbeat tables grow with n", "[gossip][membership][fidelity]") {
  auto load = [](const char* protocol, uint32_t n) {
    auto sim = Make(n, 5, 0.01);
    Step(*sim, {{"op", "membership"}, {"protocol", protocol}});
    return Advance(*sim, 4000);
  };
  const Json swim_small = load("swim", 50), swim_big = load("swim", 800);
  const Json hb_small = load("heartbeat", 50), hb_big = load("heartbeat", 400);
  const double swim_msgs = swim_big["messages_per_member_per_second"].get<double>() /
                           swim_small["messages_per_member_per_second"].get<double>();
  const double swim_bytes = swim_big["bytes_per_member_per_second"].get<double>() /
                            swim_small["bytes_per_member_per_second"].get<double>();
  const double hb_bytes = hb_big["bytes_per_member_per_second"].get<double>() /
                          hb_small["bytes_per_member_per_second"].get<double>();
  INFO("n x16: swim messages x" << swim_msgs << ", swim bytes x" << swim_bytes << "; n x8: heartbeat bytes x" << hb_bytes);
  CHECK(std::abs(swim_msgs - 1) < 0.1);
  CHECK(std::abs(swim_bytes - 1) < 0.25);
  CHECK(hb_bytes > 6);  // 8x the entries per message, plus a fixed header
  // Heartbeat gossip sends one message per member per interval (fanout 1).
  CHECK(std::abs(hb_big["messages_per_member_per_second"].get<double>() - 1) < 0.05);
}

TEST_CASE("gossip membership: a live member suspected under loss refutes; same seed, same run", "[gossip][membership][determinism]") {
  auto run = [](uint64_t seed) {
    auto sim = Make(100, seed, 0.3);
    Step(*sim, {{"op", "membership"}, {"protocol", "swim"}});
    return Advance(*sim, 8000);
  };
  const Json a = run(9), b = run(9);
  CHECK(a == b);
  CHECK(a["refutations"].get<uint64_t>() > 0);
}

TEST_CASE("gossip membership: bad input is refused by name and changes nothing", "[gossip][membership][bad_input]") {
  auto sim = Make(10, 1);
  CHECK_THAT(Refused(*sim, {{"op", "kill"}, {"node", 1}}), Catch::Contains("no membership group"));
  CHECK_THAT(Refused(*sim, {{"op", "advance"}, {"ms", 10}}), Catch::Contains("no membership group"));
  CHECK_THAT(Refused(*sim, {{"op", "membership"}, {"protocol", "swim"}, {"probe_timeout_ms", 1000}}),
             Catch::Contains("\"probe_timeout_ms\""));
  CHECK_THAT(Refused(*sim, {{"op", "membership"}, {"protocol", "heartbeat"}, {"fanout", 10}}), Catch::Contains("\"fanout\""));
  CHECK_THAT(Refused(*sim, {{"op", "membership"}, {"protocol", "swim"}, {"indirect_checks", 9}}),
             Catch::Contains("\"indirect_checks\""));
  CHECK_THAT(Refused(*sim, {{"op", "membership"}, {"protocol", "gossip"}}), Catch::Contains("\"protocol\""));
  Step(*sim, {{"op", "membership"}, {"protocol", "swim"}});
  CHECK_THAT(Refused(*sim, {{"op", "kill"}, {"node", 10}}), Catch::Contains("\"node\""));
  CHECK_THAT(Refused(*sim, {{"op", "advance"}, {"ms", 0}}), Catch::Contains("\"ms\""));
  CHECK_THAT(Refused(*sim, {{"op", "advance"}, {"ms", 1.5}}), Catch::Contains("\"ms\""));
  Step(*sim, {{"op", "kill"}, {"node", 2}});
  CHECK_THAT(Refused(*sim, {{"op", "kill"}, {"node", 2}}), Catch::Contains("already dead"));
  auto big = Make(1001, 1);
  CHECK_THAT(Refused(*big, {{"op", "membership"}, {"protocol", "heartbeat"}}), Catch::Contains("at most 1000"));
  // The `nodes` op starts over: the membership group goes with it.
  Step(*sim, {{"op", "nodes"}, {"count", 20}});
  CHECK(sim->Snapshot(sdp::Simulation::Detail::kSummary)["membership"].is_null());
}

}  // namespace gossip_membership_test

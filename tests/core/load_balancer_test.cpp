// The load balancer against theory (M/M/1, Erlang C, balls into bins) and
// against the rules it claims: exact round robin, nginx's smooth WRR, stable
// hashing, sticky sessions, L4 vs L7, health checks, slow start, compare mode.
#include <catch2/catch.hpp>

#include <algorithm>
#include <iostream>
#include <numeric>

#include "sdp/load_balancer_sim.h"
#include "sdp/queueing.h"
#include "sdp/scenario.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace load_balancer_test {

namespace {

using sdp::Json;
using sdp::LoadBalancerSim;

const sdp::SimInfo& Info() {
  const sdp::SimInfo* info = sdp::FindSim("load_balancer");
  REQUIRE(info != nullptr);
  return *info;
}

std::unique_ptr<sdp::Simulation> Make(uint64_t seed, const Json& config) {
  auto sim = sdp::CreateSim(Info(), seed, config);
  INFO(config.dump());
  REQUIRE(sim.ok());
  return std::move(sim.value());
}

Json Step(sdp::Simulation& sim, const Json& step) {
  auto result = sdp::ApplyStep(Info(), sim, step);
  INFO(step.dump() << " -> " << (result.ok() ? "" : result.message()));
  REQUIRE(result.ok());
  return result.value();
}

Json Snap(const sdp::Simulation& sim) { return sim.Snapshot(sdp::Simulation::Detail::kSummary); }

LoadBalancerSim& As(sdp::Simulation& sim) { return dynamic_cast<LoadBalancerSim&>(sim); }

// One server, no balancer cost, no timeouts, no checks: a plain M/M/c queue.
Json QueueConfig(uint32_t workers, double capacity, double rps) {
  return {{"servers", 1},           {"workers", workers},        {"capacity", capacity},
          {"rps", rps},             {"queue_limit", 100000},     {"timeout_ms", 3600000},
          {"l7_overhead_us", 0},    {"health_interval_ms", 0}};
}

// Steps in single milliseconds and notes which server each request reached,
// 'a' for the first: `count` picks.
std::string PickSequence(sdp::Simulation& sim, size_t count, uint32_t servers) {
  std::string sequence;
  std::vector<uint32_t> last = sim.Column("server:assigned");
  while (sequence.size() < count) {
    Step(sim, {{"op", "advance"}, {"ms", 1}});
    const std::vector<uint32_t> now = sim.Column("server:assigned");
    uint32_t changed = 0;
    for (uint32_t s = 0; s < servers; ++s) {
      REQUIRE(now[s] - last[s] <= 1);
      if (now[s] != last[s]) {
        sequence += static_cast<char>('a' + s);
        ++changed;
      }
    }
    REQUIRE(changed <= 1);  // one request per millisecond at most, or the order is lost
    last = now;
  }
  return sequence;
}

}  // namespace

TEST_CASE("lb: one server, one worker is M/M/1: mean time in system 1/(mu - lambda)",
          "[load_balancer][theory]") {
  // mu = 1000/s, lambda = 800/s: 1/(mu - lambda) = 5 ms. 800k requests.
  auto sim = Make(11, QueueConfig(1, 1000, 800));
  for (int i = 0; i < 10; ++i) Step(*sim, {{"op", "advance"}, {"ms", 100000}});
  const Json snap = Snap(*sim);
  const double measured = snap["lanes"][0]["latency"]["mean_ms"].get<double>();
  const double theory = 1000.0 / (1000 - 800);
  std::cout << "M/M/1 rho 0.8: measured mean " << measured << " ms, theory " << theory << " ms\n";
  CHECK(snap["theory"]["mean_ms"].get<double>() == Approx(theory).epsilon(1e-12));
  CHECK(measured == Approx(theory).epsilon(0.05));
  CHECK(snap["lanes"][0]["totals"]["arrived"].get<double>() == Approx(800000).epsilon(0.01));
}

TEST_CASE("lb: c workers wait with the Erlang C probability", "[load_balancer][theory]") {
  // c = 4, mu = 250/s per worker, lambda = 800/s: a = 3.2, rho = 0.8.
  auto sim = Make(12, QueueConfig(4, 1000, 800));
  for (int i = 0; i < 10; ++i) Step(*sim, {{"op", "advance"}, {"ms", 50000}});
  const Json theory = Snap(*sim)["theory"];
  const double erlang_c = sdp::ErlangC(4, 3.2);
  const double p_wait = theory["measured"]["p_wait"].get<double>();
  const double mean = theory["measured"]["mean_ms"].get<double>();
  std::cout << "M/M/4 rho 0.8: P(wait) measured " << p_wait << ", Erlang C " << erlang_c
            << "; mean " << mean << " ms, theory " << theory["mean_ms"].get<double>() << " ms\n";
  CHECK(erlang_c == Approx(0.5964).margin(0.0005));  // published tables: C(4, 3.2) = 0.596
  CHECK(theory["p_wait"].get<double>() == Approx(erlang_c).epsilon(1e-12));
  CHECK(p_wait == Approx(erlang_c).margin(0.02));
  CHECK(mean == Approx(theory["mean_ms"].get<double>()).epsilon(0.05));
}

TEST_CASE("lb: Erlang C and M/M/c agree with their closed forms", "[load_balancer][theory]") {
  CHECK(sdp::ErlangC(1, 0.8) == Approx(0.8));  // M/M/1: P(wait) = rho
  CHECK(sdp::MmcMeanTimeInSystem(1, 800, 1000) == Approx(0.005));
  // c = 2: C = 2 rho^2 / (1 + rho).
  CHECK(sdp::ErlangC(2, 1.0) == Approx(2 * 0.25 / 1.5));
  CHECK(sdp::ErlangC(1000, 900) > 0);  // no overflow for large c
  CHECK(sdp::ErlangC(1000, 900) < 1);
}

TEST_CASE("lb: balls into bins: two choices beat one by a widening gap", "[load_balancer][theory]") {
  auto sim = Make(13, {{"servers", 0}, {"rps", 0}});
  double previous_gap = 0;
  for (uint32_t n : {1000u, 10000u, 100000u}) {
    const Json r = Step(*sim, {{"op", "balls_into_bins"}, {"n", n}, {"choices", 2}, {"trials", 10}});
    const double two = r["mean_max_load"].get<double>();
    const double one = r["one_choice"]["mean_max_load"].get<double>();
    const double est_two = r["estimate"].get<double>();
    const double est_one = r["one_choice"]["estimate"].get<double>();
    std::cout << "balls into bins n=" << n << ": one choice max " << one << " (ln n/ln ln n = " << est_one
              << "), two choices max " << two << " (ln ln n/ln 2 = " << est_two << ")\n";
    CHECK(two <= one - 1.5);
    // The formulas are leading terms: one choice runs above its estimate by
    // less than 2x; two choices stays within 1.5 of ln ln n / ln 2.
    CHECK(one >= est_one);
    CHECK(one <= 2 * est_one);
    CHECK(two >= est_two - 1.5);
    CHECK(two <= est_two + 1.5);
    CHECK(one - two >= previous_gap);
    previous_gap = one - two;
  }
  // The same op twice gives the same balls: it has its own stream.
  const Json a = Step(*sim, {{"op", "balls_into_bins"}, {"n", 5000}, {"trials", 3}});
  const Json b = Step(*sim, {{"op", "balls_into_bins"}, {"n", 5000}, {"trials", 3}});
  CHECK(a == b);
}

TEST_CASE("lb: round robin hands out requests exactly evenly", "[load_balancer]") {
  auto sim = Make(14, {{"servers", 5}, {"capacity", 1000}, {"rps", 500}});
  Step(*sim, {{"op", "advance"}, {"ms", 10000}});
  const std::vector<uint32_t> assigned = sim->Column("server:assigned");
  REQUIRE(assigned.size() == 5);
  const auto [lo, hi] = std::minmax_element(assigned.begin(), assigned.end());
  CHECK(*hi - *lo <= 1);
  CHECK(*lo > 900);
}

TEST_CASE("lb: smooth weighted round robin gives nginx's sequence for weights 5,1,1",
          "[load_balancer]") {
  auto sim = Make(15, {{"servers", 0}, {"rps", 5}, {"capacity", 1000}});
  Step(*sim, {{"op", "server_add"}, {"id", "a"}, {"weight", 5}});
  Step(*sim, {{"op", "server_add"}, {"id", "b"}, {"weight", 1}});
  Step(*sim, {{"op", "server_add"}, {"id", "c"}, {"weight", 1}});
  Step(*sim, {{"op", "algorithm"}, {"name", "weighted_round_robin"}});
  CHECK(PickSequence(*sim, 21, 3) == "aabacaaaabacaaaabacaa");
  // Over many full cycles the counts match the weights.
  Step(*sim, {{"op", "advance"}, {"ms", 60000}});
  const std::vector<uint32_t> assigned = sim->Column("server:assigned");
  const double total = assigned[0] + assigned[1] + assigned[2];
  CHECK(std::abs(assigned[0] - total * 5 / 7) <= 2);
  CHECK(std::abs(assigned[1] - total / 7) <= 1);
  CHECK(std::abs(assigned[2] - total / 7) <= 1);
}

TEST_CASE("lb: ip hash keeps a client on one server; adding a server moves most clients, the ring few",
          "[load_balancer]") {
  for (uint64_t seed : {1u, 2u, 3u}) {
    auto sim = Make(seed, {{"servers", 8}, {"clients", 1}, {"algorithm", "ip_hash"}, {"rps", 200}});
    Step(*sim, {{"op", "advance"}, {"ms", 5000}});
    const std::vector<uint32_t> assigned = sim->Column("server:assigned");
    CHECK(std::count_if(assigned.begin(), assigned.end(), [](uint32_t n) { return n > 0; }) == 1);
  }
  auto sim = Make(4, {{"servers", 4}, {"clients", 10000}, {"algorithm", "consistent_ip_hash"}, {"rps", 100}});
  std::vector<int32_t> before;
  for (uint32_t c = 0; c < 10000; ++c) before.push_back(As(*sim).HashOwner(false, c));
  Step(*sim, {{"op", "advance"}, {"ms", 3000}});
  for (uint32_t c = 0; c < 10000; ++c) REQUIRE(As(*sim).HashOwner(false, c) == before[c]);  // stable in time
  const Json remap = Step(*sim, {{"op", "server_add"}, {"id", "s5"}})["remap"];
  const double ip = remap["ip_hash_moved"].get<double>() / 10000;
  const double ring = remap["consistent_moved"].get<double>() / 10000;
  std::cout << "4 -> 5 servers, 10000 clients: ip_hash moved " << ip << " (expected "
            << remap["ip_hash_expected"] << "), consistent moved " << ring << " (expected "
            << remap["consistent_expected"] << ")\n";
  // hash % 4 and hash % 5 agree on 4 residues in every 20: 80% move.
  CHECK(remap["ip_hash_expected"].get<double>() == Approx(0.8));
  CHECK(ip == Approx(0.8).margin(0.03));
  CHECK(ring == Approx(0.2).margin(0.07));
}

TEST_CASE("lb: mod-N remap keeps min(N, M)/lcm(N, M): 4 -> 2 servers moves 50%, not 75%",
          "[load_balancer]") {
  // 4 -> 3 (coprime): 3 of every 12 residues agree, 75% move.
  auto sim = Make(4, {{"servers", 4}, {"clients", 10000}, {"algorithm", "ip_hash"}, {"rps", 100}});
  std::vector<int32_t> four;
  for (uint32_t c = 0; c < 10000; ++c) four.push_back(As(*sim).HashOwner(false, c));
  const Json remap = Step(*sim, {{"op", "server_remove"}, {"id", "s4"}})["remap"];
  CHECK(remap["ip_hash_expected"].get<double>() == Approx(0.75));
  CHECK(remap["ip_hash_moved"].get<double>() / 10000 == Approx(0.75).margin(0.02));
  // 4 -> 2 (a common factor): hash % 4 and hash % 2 agree on 2 of every 4
  // residues, so half stay, not the 1/max(N, M) = 25% of the old formula.
  auto two = Make(4, {{"servers", 2}, {"clients", 10000}, {"algorithm", "ip_hash"}, {"rps", 100}});
  uint32_t moved = 0;
  for (uint32_t c = 0; c < 10000; ++c) moved += As(*two).HashOwner(false, c) != four[c] ? 1 : 0;
  CHECK(moved / 10000.0 == Approx(0.5).margin(0.02));
}

TEST_CASE("nginx ip_hash hashes the first three octets of an IPv4 address", "[load_balancer][nginx]") {
  // ngx_http_upstream_get_ip_hash_peer: hash = 89, then (hash * 113 + octet)
  // % 6271 for octets 10, 0, 0 of 10.0.0.x: 3796, 2520, 2565.
  CHECK(sdp::NginxIpHash(sdp::kNginxIpHashStart, 0x0a000001u) == 2565);
  // The fourth octet is not hashed: a whole /24 lands together.
  CHECK(sdp::NginxIpHash(89, 0x0a0102ffu) == sdp::NginxIpHash(89, 0x0a010203u));
  CHECK(sdp::NginxIpHash(89, 0x0a010303u) != sdp::NginxIpHash(89, 0x0a010203u));
  // Client c is 10.0.0.1 + (c << 8): client 0 hashes to 2565, and 2565 % 4
  // is 1, so with four servers of weight 1 it goes to s2.
  CHECK(sdp::LbClientAddress(0) == 0x0a000001u);
  CHECK(sdp::LbClientAddress(257) == 0x0a010101u);
  auto sim = Make(1, {{"servers", 4}, {"clients", 3}, {"algorithm", "ip_hash"}});
  CHECK(As(*sim).HashOwner(false, 0) == 1);
}

TEST_CASE("nginx ip_hash keeps clients of live peers when one fails", "[load_balancer][nginx]") {
  auto sim = Make(5, {{"servers", 4}, {"clients", 10000}, {"algorithm", "ip_hash"}, {"rps", 100},
                      {"health_interval_ms", 500}, {"health_fall", 1}, {"health_rise", 1}});
  std::vector<int32_t> before;
  for (uint32_t c = 0; c < 10000; ++c) before.push_back(As(*sim).HashOwner(false, c));
  Step(*sim, {{"op", "server_fail"}, {"id", "s2"}});
  const Json r = Step(*sim, {{"op", "advance"}, {"ms", 1000}});
  const Json remap = Snap(*sim)["remap"];
  REQUIRE(remap["servers_after"] == 3);
  uint32_t moved = 0, of_s2 = 0;
  for (uint32_t c = 0; c < 10000; ++c) {
    const int32_t now = As(*sim).HashOwner(false, c);
    CHECK(now != 1);
    if (before[c] == 1) {
      ++of_s2;
    } else {
      REQUIRE(now == before[c]);  // only the failed server's clients rehash
    }
    moved += now != before[c] ? 1 : 0;
  }
  CHECK(moved == of_s2);
  CHECK(remap["ip_hash_moved"] == moved);
  CHECK(moved / 10000.0 == Approx(0.25).margin(0.02));  // a mod-N over the live rotation moved ~75%
  CHECK(remap["ip_hash_expected"].get<double>() == Approx(0.25));
  // Back in rotation, every client is where it was.
  Step(*sim, {{"op", "server_recover"}, {"id", "s2"}});
  Step(*sim, {{"op", "advance"}, {"ms", 1000}});
  for (uint32_t c = 0; c < 10000; ++c) REQUIRE(As(*sim).HashOwner(false, c) == before[c]);
  (void)r;
}

TEST_CASE("nginx ip_hash honours weights (hash % total_weight walks the peers)", "[load_balancer][nginx]") {
  auto sim = Make(6, {{"servers", 0}, {"clients", 10000}, {"algorithm", "ip_hash"}, {"rps", 100}});
  Step(*sim, {{"op", "server_add"}, {"id", "a"}, {"weight", 1}});
  Step(*sim, {{"op", "server_add"}, {"id", "b"}, {"weight", 3}});
  uint32_t on_b = 0;
  for (uint32_t c = 0; c < 10000; ++c) on_b += As(*sim).HashOwner(false, c) == 1 ? 1 : 0;
  CHECK(on_b / 10000.0 == Approx(0.75).margin(0.02));
}

TEST_CASE("nginx ip_hash rehashes a refused client before falling back to round robin",
          "[load_balancer][nginx]") {
  // No health checks: the failed server stays in rotation and refuses. nginx
  // marks it tried and rehashes this client from its last hash, so all of its
  // retries land on one server; round robin would spread them over three.
  auto sim = Make(7, {{"servers", 4}, {"clients", 1}, {"algorithm", "ip_hash"}, {"rps", 200},
                      {"health_interval_ms", 0}, {"retries", 1}});
  const int32_t owner = As(*sim).HashOwner(false, 0);
  REQUIRE(owner == 1);
  Step(*sim, {{"op", "server_fail"}, {"id", "s2"}});
  const Json r = Step(*sim, {{"op", "advance"}, {"ms", 3000}});
  CHECK(r["during"][0]["retried"].get<uint64_t>() > 100);
  CHECK(r["during"][0]["failed"] == 0);
  const std::vector<uint32_t> assigned = sim->Column("server:assigned_recent");
  uint32_t used = 0;
  for (uint32_t s = 0; s < 4; ++s) used += s != 1 && assigned[s] > 0 ? 1 : 0;
  CHECK(used == 1);
}

TEST_CASE("nginx least_conn splits ties by smooth weighted round robin", "[load_balancer][nginx]") {
  // ngx_http_upstream_get_least_conn_peer: idle servers of weights 2 and 1
  // tie at 0 connections; the tied peers' current weights decide.
  auto sim = Make(15, {{"servers", 0}, {"rps", 5}, {"capacity", 100000}, {"algorithm", "least_connections"}});
  Step(*sim, {{"op", "server_add"}, {"id", "a"}, {"weight", 2}});
  Step(*sim, {{"op", "server_add"}, {"id", "b"}, {"weight", 1}});
  CHECK(PickSequence(*sim, 9, 2) == "abaabaaba");
  // Equal weights: plain alternation, as before.
  auto even = Make(15, {{"servers", 3}, {"rps", 5}, {"capacity", 100000}, {"algorithm", "least_connections"}});
  CHECK(PickSequence(*even, 9, 3) == "abcabcabc");
}

TEST_CASE("nginx max_fails=1 fail_timeout=10s takes a refusing server out after one failure",
          "[load_balancer][nginx]") {
  // Least connections and a crashed server nobody health-checks: without a
  // passive check the dead server, holding no connections, is picked again
  // and again (the black hole). With nginx's defaults (max_fails=1
  // fail_timeout=10s; ngx_http_upstream_free_round_robin_peer counts the
  // failure, ngx_http_upstream_get_least_conn_peer skips the peer) one
  // refusal takes it out for 10 s, then one connection tries it again.
  const Json config = {{"servers", 4}, {"rps", 200}, {"algorithm", "least_connections"},
                       {"health_interval_ms", 0}, {"retries", 1}};
  auto hole = Make(9, config);
  Step(*hole, {{"op", "advance"}, {"ms", 1000}});
  Step(*hole, {{"op", "server_fail"}, {"id", "s2"}});
  const Json without = Step(*hole, {{"op", "advance"}, {"ms", 25000}});
  CHECK(without["during"][0]["retried"].get<uint64_t>() > 1000);

  Json passive_config = config;
  passive_config["max_fails"] = 1;
  passive_config["fail_timeout_ms"] = 10000;
  auto passive = Make(9, passive_config);
  Step(*passive, {{"op", "advance"}, {"ms", 1000}});
  Step(*passive, {{"op", "server_fail"}, {"id", "s2"}});
  // Refused at about 1 s, 11 s and 21 s: three refusals in 25 s, all retried.
  const Json with = Step(*passive, {{"op", "advance"}, {"ms", 25000}});
  CHECK(with["during"][0]["retried"] == 3);
  CHECK(with["during"][0]["failed"] == 0);
  // Back up: the next try after fail_timeout is accepted and resets the fails.
  Step(*passive, {{"op", "server_recover"}, {"id", "s2"}});
  Step(*passive, {{"op", "advance"}, {"ms", 10000}});
  const std::vector<uint32_t> before = passive->Column("server:assigned");
  Step(*passive, {{"op", "advance"}, {"ms", 2000}});
  CHECK(passive->Column("server:assigned")[1] > before[1] + 50);
}

TEST_CASE("nginx passive check: with every server out, fails reset and the request fails",
          "[load_balancer][nginx]") {
  auto sim = Make(10, {{"servers", 2}, {"rps", 100}, {"health_interval_ms", 0}, {"retries", 0},
                       {"max_fails", 2}, {"fail_timeout_ms", 10000}});
  Step(*sim, {{"op", "server_fail"}, {"id", "s1"}});
  Step(*sim, {{"op", "server_fail"}, {"id", "s2"}});
  const Json r = Step(*sim, {{"op", "advance"}, {"ms", 2000}});
  // Each refused twice, then out: "all peers failed, mark them as live", so
  // the next request fails without a try and the ones after try again.
  CHECK(r["during"][0]["no_server"] == 0);
  CHECK(r["during"][0]["failed"] == r["during"][0]["arrived"]);
  const std::vector<uint32_t> refused = sim->Column("server:failed");
  CHECK(refused[0] + refused[1] < r["during"][0]["arrived"].get<uint32_t>());
  CHECK(refused[0] + refused[1] > r["during"][0]["arrived"].get<uint32_t>() / 2);
  // A single server is never taken out (peers->single): every request tries it.
  auto one = Make(10, {{"servers", 1}, {"rps", 100}, {"health_interval_ms", 0}, {"retries", 0},
                       {"max_fails", 1}, {"fail_timeout_ms", 10000}});
  Step(*one, {{"op", "server_fail"}, {"id", "s1"}});
  const Json single = Step(*one, {{"op", "advance"}, {"ms", 2000}});
  CHECK(one->Column("server:failed")[0] == single["during"][0]["arrived"].get<uint32_t>());
}

TEST_CASE("nginx stream proxy retries the next upstream by default (proxy_next_upstream on)",
          "[load_balancer][nginx]") {
  auto sim = Make(8, {{"servers", 4}, {"clients", 40}, {"rps", 200}, {"mode", "l4"},
                      {"health_interval_ms", 0}, {"connection_lifetime_ms", 200}});
  Step(*sim, {{"op", "advance"}, {"ms", 2000}});
  Step(*sim, {{"op", "server_fail"}, {"id", "s1"}});
  const Json r = Step(*sim, {{"op", "advance"}, {"ms", 3000}});
  // Reconnections that reach the dead s1 are retried on the next server.
  CHECK(r["during"][0]["retried"].get<uint64_t>() > 10);
  CHECK(r["during"][0]["failed"] == 0);
  // retries 0: refused at once, as the sim did before.
  Step(*sim, {{"op", "configure"}, {"retries", 0}});
  const Json none = Step(*sim, {{"op", "advance"}, {"ms", 3000}});
  CHECK(none["during"][0]["failed"].get<uint64_t>() > 10);
  CHECK(none["during"][0]["retried"] == 0);
}

TEST_CASE("lb: sticky sessions survive until their server dies, then move once",
          "[load_balancer]") {
  auto sim = Make(16, {{"servers", 4}, {"clients", 40}, {"algorithm", "sticky"}, {"rps", 200},
                       {"health_interval_ms", 500}, {"health_fall", 2}});
  Step(*sim, {{"op", "advance"}, {"ms", 5000}});
  Step(*sim, {{"op", "server_add"}, {"id", "s5"}});
  Step(*sim, {{"op", "advance"}, {"ms", 5000}});
  Json snap = Snap(*sim);
  CHECK(snap["lanes"][0]["totals"]["sessions_moved"] == 0);
  CHECK(sim->Column("server:assigned_recent")[4] == 0);  // every client already has a server
  Step(*sim, {{"op", "server_fail"}, {"id", "s2"}});
  Step(*sim, {{"op", "advance"}, {"ms", 5000}});
  snap = Snap(*sim);
  const uint64_t moved = snap["lanes"][0]["totals"]["sessions_moved"];
  CHECK(moved > 0);
  CHECK(moved <= 40);
  Step(*sim, {{"op", "advance"}, {"ms", 5000}});
  CHECK(Snap(*sim)["lanes"][0]["totals"]["sessions_moved"] == moved);  // moved once, then stay
}

TEST_CASE("lb: with long-lived connections L4 leaves a new server idle, L7 evens the load out",
          "[load_balancer]") {
  auto spread_after_add = [](const char* mode) {
    auto sim = Make(17, {{"servers", 4}, {"clients", 40}, {"rps", 300}, {"mode", mode}});
    Step(*sim, {{"op", "advance"}, {"ms", 5000}});
    Step(*sim, {{"op", "server_add"}, {"id", "s5"}});
    Step(*sim, {{"op", "advance"}, {"ms", 5000}});
    Step(*sim, {{"op", "advance"}, {"ms", 10000}});
    const Json snap = Snap(*sim);
    return std::make_pair(snap["lanes"][0]["spread"], sim->Column("server:assigned_recent")[4]);
  };
  const auto [l4, l4_new] = spread_after_add("l4");
  const auto [l7, l7_new] = spread_after_add("l7");
  std::cout << "after adding a 5th server, utilisation max/mean: L4 " << l4["utilisation"]["max_over_mean"]
            << " (new server got " << l4_new << " requests), L7 " << l7["utilisation"]["max_over_mean"]
            << " (new server got " << l7_new << ")\n";
  CHECK(l4_new == 0);
  CHECK(l4["utilisation"]["min"].get<double>() == 0);
  CHECK(l4["requests"]["max_over_mean"].get<double>() > 1.2);
  CHECK(l7_new > 500);
  CHECK(l7["requests"]["max_over_mean"].get<double>() < 1.01);
  CHECK(l7["utilisation"]["max_over_mean"].get<double>() < 1.2);
}

TEST_CASE("lb: L4 least connections balances connections, not load", "[load_balancer]") {
  // A few heavy clients (Zipf): every server holds the same number of
  // connections, but the requests on them are far from even.
  auto sim = Make(18, {{"servers", 4}, {"clients", 40}, {"client_skew", 1.2}, {"rps", 200}, {"mode", "l4"},
                       {"algorithm", "least_connections"}, {"capacity", 1000}});
  Step(*sim, {{"op", "advance"}, {"ms", 20000}});
  const std::vector<uint32_t> conns = sim->Column("server:connections");
  const auto [lo, hi] = std::minmax_element(conns.begin(), conns.end());
  CHECK(*hi - *lo <= 1);
  CHECK(Snap(*sim)["lanes"][0]["spread"]["requests"]["max_over_mean"].get<double>() > 1.3);
}

TEST_CASE("lb: health checks notice a failure after health_fall checks; slow start ramps it back",
          "[load_balancer]") {
  auto sim = Make(19, {{"servers", 3}, {"rps", 150}, {"health_interval_ms", 1000}, {"health_fall", 3},
                       {"health_rise", 2}, {"slow_start_ms", 10000}, {"algorithm", "least_connections"}});
  Step(*sim, {{"op", "advance"}, {"ms", 10500}});
  const Json failed = Step(*sim, {{"op", "server_fail"}, {"id", "s2"}});
  CHECK(failed["in_rotation"] == true);
  CHECK(failed["noticed_within_ms"] == 3000.0);
  Step(*sim, {{"op", "advance"}, {"ms", 2400}});  // t = 12.9 s: checks at 11 and 12 s failed
  CHECK(Snap(*sim)["servers"][1]["in_rotation"] == true);
  CHECK(Snap(*sim)["servers"][1]["failed_checks"] == 2);
  Step(*sim, {{"op", "advance"}, {"ms", 100}});  // the third, at 13 s
  CHECK(Snap(*sim)["servers"][1]["in_rotation"] == false);
  CHECK(Snap(*sim)["rotation"] == 2);
  // L7 retried the refusals on other servers: nothing failed but what s2 held.
  const Json totals = Snap(*sim)["lanes"][0]["totals"];
  CHECK(totals["retried"].get<uint64_t>() > 0);
  CHECK(totals["failed"].get<uint64_t>() == failed["lost"][0].get<uint64_t>());

  Step(*sim, {{"op", "advance"}, {"ms", 7500}});  // t = 20.5 s
  Step(*sim, {{"op", "server_recover"}, {"id", "s2"}});
  Step(*sim, {{"op", "advance"}, {"ms", 1400}});  // 21.9 s: one pass
  CHECK(Snap(*sim)["servers"][1]["in_rotation"] == false);
  Step(*sim, {{"op", "advance"}, {"ms", 100}});  // 22 s: the second pass
  Json s2 = Snap(*sim)["servers"][1];
  CHECK(s2["in_rotation"] == true);
  CHECK(s2["weight_now"].get<double>() == Approx(0.001));
  CHECK(s2["slow_start_left_ms"] == 10000.0);
  Step(*sim, {{"op", "advance"}, {"ms", 5000}});  // half way
  s2 = Snap(*sim)["servers"][1];
  CHECK(s2["weight_now"].get<double>() == Approx(0.5));
  const std::vector<uint32_t> recent = sim->Column("server:assigned_recent");
  CHECK(recent[1] < recent[0] * 3 / 4);  // still taking less than the others
  Step(*sim, {{"op", "advance"}, {"ms", 5000}});
  CHECK(Snap(*sim)["servers"][1]["weight_now"].get<double>() == 1.0);
}

TEST_CASE("lb: compare runs two algorithms on the identical request stream", "[load_balancer]") {
  const Json config = {{"servers", 4}, {"rps", 350}, {"cost", "pareto"}, {"compare", "round_robin"}};
  auto same = Make(20, config);
  Step(*same, {{"op", "advance"}, {"ms", 10000}});
  Json lanes = Snap(*same)["lanes"];
  REQUIRE(lanes.size() == 2);
  CHECK(lanes[0]["totals"] == lanes[1]["totals"]);  // same algorithm, same requests: same run
  CHECK(lanes[0]["latency"] == lanes[1]["latency"]);

  // One server at a quarter speed: round robin still sends it a quarter of
  // the requests (62 rps into 25 of capacity); least_response_time does not.
  auto sim = Make(20, {{"servers", 4}, {"rps", 250}});
  Step(*sim, {{"op", "advance"}, {"ms", 5000}});
  Step(*sim, {{"op", "server_slow"}, {"id", "s1"}, {"factor", 4}});
  Step(*sim, {{"op", "algorithm"}, {"name", "round_robin"}, {"compare", "least_response_time"}});
  const Json r = Step(*sim, {{"op", "advance"}, {"ms", 20000}});
  CHECK(r["during"][0]["arrived"] == r["during"][1]["arrived"]);
  lanes = Snap(*sim)["lanes"];
  const double rr_p99 = lanes[0]["latency"]["p99_ms"].get<double>();
  const double lrt_p99 = lanes[1]["latency"]["p99_ms"].get<double>();
  std::cout << "slow server, p99: round_robin " << rr_p99 << " ms, least_response_time " << lrt_p99 << " ms\n";
  CHECK(lrt_p99 < rr_p99 / 4);
  CHECK(sim->Column("series_b:arrived") == sim->Column("series:arrived"));
  CHECK(sim->Column("server_b:assigned").size() == 4);
  Step(*sim, {{"op", "algorithm"}, {"name", "random"}, {"compare", "off"}});
  CHECK(Snap(*sim)["lanes"].size() == 1);
  CHECK(sim->Column("series_b:arrived").empty());
  Step(*sim, {{"op", "advance"}, {"ms", 1000}});  // the dropped lane's events are gone
}

TEST_CASE("lb: zero servers and a dead last server fail visibly", "[load_balancer]") {
  auto none = Make(21, {{"servers", 0}, {"rps", 100}});
  const Json r = Step(*none, {{"op", "advance"}, {"ms", 2000}});
  CHECK(r["during"][0]["arrived"].get<uint64_t>() > 100);
  CHECK(r["during"][0]["no_server"] == r["during"][0]["arrived"]);

  auto one = Make(21, {{"servers", 1}, {"rps", 50}, {"health_interval_ms", 1000}, {"health_fall", 1}});
  Step(*one, {{"op", "advance"}, {"ms", 2000}});
  Step(*one, {{"op", "server_fail"}, {"id", "s1"}});
  const Json before_noticed = Step(*one, {{"op", "advance"}, {"ms", 900}});
  CHECK(before_noticed["during"][0]["failed"].get<uint64_t>() > 0);  // refused, nothing to retry on
  const Json after = Step(*one, {{"op", "advance"}, {"ms", 3000}});
  CHECK(after["during"][0]["no_server"].get<uint64_t>() > 0);
  CHECK(after["during"][0]["ok"] == 0);
}

TEST_CASE("lb: refused steps name the field and change nothing", "[load_balancer]") {
  auto sim = Make(22, {{"servers", 3}, {"rps", 200}});
  Step(*sim, {{"op", "advance"}, {"ms", 1000}});
  Step(*sim, {{"op", "server_fail"}, {"id", "s3"}});
  const std::string before = sim->Snapshot(sdp::Simulation::Detail::kFull).dump();
  const std::vector<std::pair<Json, std::string>> refused = {
      {{{"op", "server_add"}, {"id", "s1"}}, "\"id\""},
      {{{"op", "server_add"}, {"id", "x"}, {"weight", 0}}, "\"weight\""},
      {{{"op", "server_add"}, {"id", "x"}, {"capacity", -5}}, "\"capacity\""},
      {{{"op", "server_remove"}, {"id", "nope"}}, "\"id\""},
      {{{"op", "server_fail"}, {"id", "s3"}}, "\"id\""},
      {{{"op", "server_recover"}, {"id", "s1"}}, "\"id\""},
      {{{"op", "server_slow"}, {"id", "s1"}, {"factor", 0}}, "\"factor\""},
      {{{"op", "traffic"}, {"rps", -1}}, "\"rps\""},
      {{{"op", "algorithm"}, {"name", "fastest"}}, "\"name\""},
      {{{"op", "mode"}, {"mode", "l5"}}, "\"mode\""},
      {{{"op", "configure"}, {"max_fails", -1}}, "\"max_fails\""},
      {{{"op", "configure"}, {"fail_timeout_ms", 0}}, "\"fail_timeout_ms\""},
      {{{"op", "configure"}, {"retries", 4}}, "\"retries\""},
      {{{"op", "balls_into_bins"}, {"n", 1000000}, {"trials", 100}}, "\"trials\""},
  };
  for (const auto& [step, field] : refused) {
    auto result = sdp::ApplyStep(Info(), *sim, step);
    INFO(step.dump());
    REQUIRE_FALSE(result.ok());
    CHECK_THAT(result.message(), Catch::Contains(field));
    CHECK(sim->Snapshot(sdp::Simulation::Detail::kFull).dump() == before);
  }
  Step(*sim, {{"op", "traffic"}, {"rps", 1000000}});
  const std::string fast = sim->Snapshot(sdp::Simulation::Detail::kFull).dump();
  auto too_long = sdp::ApplyStep(Info(), *sim, {{"op", "advance"}, {"ms", 2000}});
  REQUIRE_FALSE(too_long.ok());
  CHECK_THAT(too_long.message(), Catch::Contains("\"ms\""));
  CHECK(sim->Snapshot(sdp::Simulation::Detail::kFull).dump() == fast);
}

TEST_CASE("lb: same seed, same bytes; another seed, another run", "[load_balancer][determinism]") {
  const Json scenario = {
      {"sim", "load_balancer"},
      {"seed", 5},
      {"config", {{"servers", 5}, {"rps", 400}, {"pattern", "bursty"}, {"cost", "lognormal"},
                  {"algorithm", "power_of_two_choices"}, {"compare", "weighted_random"}, {"clients", 500},
                  {"client_skew", 0.8}, {"slow_start_ms", 3000}, {"health_interval_ms", 500}}},
      {"steps",
       {{{"op", "advance"}, {"ms", 3000}},
        {{"op", "server_fail"}, {"id", "s4"}},
        {{"op", "advance"}, {"ms", 3000}},
        {{"op", "server_recover"}, {"id", "s4"}},
        {{"op", "mode"}, {"mode", "l4"}},
        {{"op", "algorithm"}, {"name", "consistent_ip_hash"}, {"compare", "sticky"}},
        {{"op", "advance"}, {"ms", 5000}}}}};
  const auto a = sdp::RunScenarioText(scenario.dump());
  const auto b = sdp::RunScenarioText(scenario.dump());
  REQUIRE(a.ok());
  CHECK(a.value() == b.value());
  Json other = scenario;
  other["seed"] = 6;
  CHECK(sdp::RunScenarioText(other.dump()).value() != a.value());
}

TEST_CASE("lb: the series add up to the totals", "[load_balancer]") {
  auto sim = Make(23, {{"servers", 3}, {"rps", 400}, {"timeout_ms", 200}});
  Step(*sim, {{"op", "advance"}, {"ms", 4000}});
  const Json totals = Snap(*sim)["lanes"][0]["totals"];
  for (const char* name : {"arrived", "ok", "timed_out", "rejected", "failed", "no_server"}) {
    const std::vector<uint32_t> col = sim->Column(std::string("series:") + name);
    INFO(name);
    CHECK(std::accumulate(col.begin(), col.end(), uint64_t{0}) <= totals[name].get<uint64_t>());
  }
  CHECK(totals["timed_out"].get<uint64_t>() > 0);  // 400 rps into 300 of capacity
  CHECK(sim->Column("series:t_ms").size() == 16);
}

}  // namespace load_balancer_test

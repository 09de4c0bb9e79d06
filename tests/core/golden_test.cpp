// Golden determinism: canonical scenarios -> fixed hashes of the CLI output.
// The same test runs natively and as wasm, so a platform difference anywhere
// in a sim (containers, RNG, float formatting) fails one of the two builds.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "sdp/hash.h"
#include "sdp/scenario.h"

namespace {

std::string ReadScenario(const std::string& name) {
  std::ifstream file(std::string(SDP_SCENARIO_DIR) + "/" + name, std::ios::binary);
  REQUIRE(file.good());
  std::ostringstream buffer;
  buffer << file.rdbuf();
  return buffer.str();
}

}  // namespace

TEST_CASE("canonical scenarios hash to their recorded values", "[golden][determinism]") {
  struct Golden {
    const char* file;
    uint64_t fnv1a64;
  };
  const Golden goldens[] = {
      {"hash_ring/01_fifth_node_joins.json", 0xb69acf05e32dd53bULL},
      {"hash_ring/03_replicas_and_failure.json", 0x1f9ee0ec528fabecULL},
      {"hash_lab/01_one_node_joins.json", 0x6a55d677778fa7daULL},
      {"hash_lab/02_hot_key_bounded_loads.json", 0x0ff11d266b2153c4ULL},
      {"circuit_breaker/01_pile_up.json", 0xe588efa7461d3b05ULL},
      {"circuit_breaker/02_breaker_trips.json", 0x0e3dda28af3c5781ULL},
      {"circuit_breaker/04_ramp_up.json", 0x990ecd0044bb7c74ULL},
      {"rate_limiter/01_nginx_burst.json", 0x28ed12af43756b91ULL},
      {"rate_limiter/02_fixed_window_edge.json", 0x5a0c49bc8c6c4553ULL},
      {"rate_limiter/03_sliding_counter_vs_log.json", 0x0748db5b729d7648ULL},
      {"api_gateway/01_forged_token_401.json", 0x37874b7f7b798dd8ULL},
      {"api_gateway/02_one_user_burst.json", 0x6b0c9d017fddd245ULL},
      {"api_gateway/03_routes_and_outage.json", 0x2f04d924dfb588a4ULL},
      {"load_balancer/01_heavy_tail_compare.json", 0xe4093fad495eaff6ULL},
      {"load_balancer/02_l4_vs_l7_new_server.json", 0x0cce235429c746c4ULL},
      {"load_balancer/03_failure_health_checks_slow_start.json", 0x1c9a1e9381bb6901ULL},
      {"load_balancer/04_hashing_moves_clients.json", 0xdc80cb35c58be28cULL},
      {"load_balancer/05_two_choices_and_theory.json", 0x3e33435c4f3b746cULL},
      {"load_balancer/06_mm1_theory.json", 0x36cba3a5c5d0ac83ULL},
  };
  for (const Golden& g : goldens) {
    INFO(g.file);
    auto out = sdp::RunScenarioText(ReadScenario(g.file));
    REQUIRE(out.ok());
    CHECK(sdp::Fnv1a64(out.value()) == g.fnv1a64);
  }
}

// Golden determinism: canonical scenarios -> fixed hashes of the CLI output.
// The same test runs natively and as wasm, so a platform difference anywhere
// in a sim (containers, RNG, float formatting) fails one of the two builds.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "sdp/hash.h"
#include "sdp/scenario.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace golden_test {

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
      {"hash_lab/01_one_node_joins.json", 0xf7aa25e1a006d3c1ULL},
      {"hash_lab/02_hot_key_bounded_loads.json", 0x39beab1be60699ddULL},
      {"circuit_breaker/01_pile_up.json", 0xbeee2f7795e58192ULL},
      {"circuit_breaker/02_breaker_trips.json", 0x5fdd82af0216a58aULL},
      {"circuit_breaker/04_ramp_up.json", 0xa0e516dd317f7b35ULL},
      {"rate_limiter/01_nginx_burst.json", 0x3bc6d9d78b184c3eULL},
      {"rate_limiter/02_fixed_window_edge.json", 0xdb1e80b12299202aULL},
      {"rate_limiter/03_sliding_counter_vs_log.json", 0x7d88869594447eb1ULL},
      {"api_gateway/01_forged_token_401.json", 0x37874b7f7b798dd8ULL},
      {"api_gateway/02_one_user_burst.json", 0x6b0c9d017fddd245ULL},
      {"api_gateway/03_routes_and_outage.json", 0x2f04d924dfb588a4ULL},
      {"load_balancer/01_heavy_tail_compare.json", 0xaa05448f579730b3ULL},
      {"load_balancer/02_l4_vs_l7_new_server.json", 0xaed22ac79b83e36cULL},
      {"load_balancer/03_failure_health_checks_slow_start.json", 0x8437ec31d5e7ab11ULL},
      {"load_balancer/04_hashing_moves_clients.json", 0xf79ebb919566187bULL},
      {"load_balancer/05_two_choices_and_theory.json", 0xc01c0aca77b03888ULL},
      {"load_balancer/06_mm1_theory.json", 0x05ce5c0de7758263ULL},
      {"redis_zset/01_job_queue.json", 0x3bbdfa870b1b7d6fULL},
      {"redis_zset/02_encoding_switch.json", 0x159dd96582449841ULL},
      {"redis_geo/01_sicily_radius_search.json", 0x4ce96547414efb67ULL},
      {"redis_geo/02_edges_poles_and_errors.json", 0x8c87000bdcaa98cbULL},
      {"redis_persistence/01_everysec_vs_always_power_loss.json", 0x8ebad6760498f76aULL},
      {"redis_persistence/02_rdb_save_points.json", 0x93195250e9b818c9ULL},
      {"redis_persistence/03_truncated_tail.json", 0xad658e7018c6af45ULL},
      {"redis_persistence/04_slow_disk_two_seconds.json", 0xf4f628ac10f00e42ULL},
      {"redis_persistence/05_rewrite_and_preamble.json", 0xd112b38512693b1dULL},
      {"kafka/01_keys_and_partitions.json", 0xf8806f1dc480188bULL},
      {"kafka/02_leader_election.json", 0xa82aae518bbc3f85ULL},
      {"kafka/03_unclean_election.json", 0x2bae63baea50ba0bULL},
      {"kafka/04_rebalance_assignors.json", 0xc8d4b44c190e333ULL},
      {"kafka/05_delivery_semantics.json", 0xd946b0acd63b7ce6ULL},
      {"kafka/06_retention_offset_reset.json", 0xc56bd14ce17fe68bULL},
      {"kafka/07_hot_key_salting.json", 0xac53060943609e8fULL},
      {"kafka/08_batching_linger.json", 0x85a49a700e9cb950ULL},
      {"gossip/01_rumor_residue.json", 0x5cc5d93299cee286ULL},
      {"gossip/02_table1_counter_k.json", 0xa0f0cfc76920f91eULL},
      {"gossip/03_push_pull_log_n.json", 0xbbc0f06a49e2bad1ULL},
      {"gossip/04_loss_and_crashes.json", 0x8766b49f003f7cd5ULL},
      {"gossip/05_membership_swim_vs_heartbeat.json", 0xdf9645b61fb35ce3ULL},
      {"gossip/06_async_timers.json", 0xdae27da0d7e9d254ULL},
      {"gossip/07_async_edges.json", 0x36552c350b48c0b2ULL},
      {"tcp/01_handshake_and_close.json", 0x4b08607baf4c695eULL},
      {"tcp/02_simultaneous_close.json", 0x8c4d073658c3d61eULL},
      {"tcp/03_lost_syn.json", 0x6d24c2c684cb2323ULL},
      {"tcp/04_rst_closed_port.json", 0x5581d577e6485dc2ULL},
      {"transport/01_tcp_vs_udp_lossy.json", 0x4f2faaf2adcb5c46ULL},
      {"transport/02_fast_retransmit.json", 0x4d68f29aa0f35f79ULL},
      {"transport/03_rto_backoff.json", 0x5f9d723c80858f91ULL},
      {"transport/04_mathis_points.json", 0xfeaa767e83698b0fULL},
      {"transport/05_loss_sweep_mathis.json", 0x6bc755b46acbd191ULL},
      {"cap/01_cp_minority_refuses.json", 0xabfa544b401de210ULL},
      {"cap/02_ap_stale_read_and_lost_write.json", 0x5ce065b9452a41baULL},
      {"cap/03_quorum_overlap.json", 0x4a3f3f5543489196ULL},
      {"cap/04_cut_links_one_by_one.json", 0x049f9b514e51e7bdULL},
      {"cap/05_vclock_siblings.json", 0x3ac6c2ef5e0dab37ULL},
      {"cap/06_cache_serve_stale_or_fail.json", 0x8c2e621e06e058f7ULL},
      {"search_index/01_bm25_deletes_merge.json", 0x8d1f2b64eaa61c9dULL},
      {"search_index/02_segments_tombstones_merge.json", 0x49a77314d8448b55ULL},
      {"search_index/03_phrase_slop_facet.json", 0xdb6dab9dc65db004ULL},
      {"search_cluster/01_routing_node_loss_recovery.json", 0x7894104e45ac4410ULL},
      {"search_cluster/02_phases_deep_paging_dfs.json", 0xc64cd373b20aa04eULL},
      {"search_cluster/03_query_cache_cheapest_clause.json", 0x89caff971fd46c47ULL},
      {"layers/01_get_down_and_up.json", 0x9a951c817d24e1e3ULL},
      {"layers/02_post_fragmented.json", 0x7e46b52cc11488e8ULL},
      {"layers/03_ttl_expires.json", 0xd243c83171bd2bc8ULL},
      {"layers/04_dont_fragment.json", 0x48cda8b8968bf914ULL},
      {"realtime/01_long_polling_exactly_once.json", 0x41eaaaffa6a700f4ULL},
      {"realtime/02_sse_resumes_websocket_loses.json", 0x8ef53f8c54ca1fbaULL},
      {"realtime/03_short_polling_half_interval.json", 0x31f12c4a20cd6abbULL},
      {"realtime/04_webrtc_signalling_then_p2p.json", 0x777299adebd0dd1dULL},
      {"realtime/05_compare_long_polling_vs_websocket.json", 0x4b6d65d129bae7fULL},
      {"rest/01_cache_fresh_stale_revalidate.json", 0x6d0f44d1ce540547ULL},
      {"rest/02_idempotency_put_post_key.json", 0xcaf3e181afc99a20ULL},
      {"rest/03_stateless_replicas.json", 0x590049a8d89a3cf6ULL},
      {"rest/04_uniform_interface_errors.json", 0xe718def7f822d2beULL},
      {"https/01_eavesdrop_http_vs_https.json", 0x2b2bcab5660b6dc6ULL},
      {"https/02_tamper.json", 0xbfeed1386b3407a3ULL},
      {"https/03_impersonate.json", 0xcf5ab8187b06dce2ULL},
      {"https/04_sizes_and_padding.json", 0xf9b0c8f808e7b92dULL},
      {"estimator/01_from_users_to_qps.json", 0x2eca09d6979160dbULL},
      {"estimator/02_url_shortener_storage.json", 0xfe7afc6c570bb1b8ULL},
      {"estimator/03_latency_budget.json", 0xdde71e7cf8721b08ULL},
      {"estimator/04_refused_inputs.json", 0x26cae19e759952f7ULL},
      {"architecture/01_url_shortener.json", 0xa632c3dd49003103ULL},
      {"architecture/02_chat.json", 0xb54a0783c104cb6dULL},
      {"architecture/03_news_feed.json", 0x88ae78711828f5b5ULL},
      {"architecture/04_mm1_single_service.json", 0x9c9745f0e6d2bd98ULL},
      {"architecture/05_wiring_errors.json", 0x5584f155d9d55fffULL},
  };
  for (const Golden& g : goldens) {
    INFO(g.file);
    auto out = sdp::RunScenarioText(ReadScenario(g.file));
    REQUIRE(out.ok());
    CHECK(sdp::Fnv1a64(out.value()) == g.fnv1a64);
  }
}

}  // namespace golden_test

// The list of simulations. Explicit on purpose: no static-initialisation
// registration, so the order (and `sdp list`) is the same in every build.
#include "sdp/circuit_breaker_sim.h"
#include "sdp/hash_lab_sim.h"
#include "sdp/hash_ring_sim.h"
#include "sdp/rate_limiter_sim.h"
#include "sdp/simulation.h"
#include "sdp/api_gateway_sim.h"
#include "sdp/load_balancer_sim.h"
#include "sdp/kafka_sim.h"
#include "sdp/redis_zset_sim.h"
#include "sdp/redis_geo_sim.h"
#include "sdp/redis_persistence_sim.h"
#include "sdp/tcp_sim.h"
#include "sdp/gossip_sim.h"
#include "sdp/transport_sim.h"
#include "sdp/cap_sim.h"
#include "sdp/search_index_sim.h"
#include "sdp/search_cluster_sim.h"
#include "sdp/layers_sim.h"
#include "sdp/realtime_sim.h"
#include "sdp/rest_sim.h"
#include "sdp/https_sim.h"
#include "sdp/estimator_sim.h"
#include "sdp/architecture_sim.h"

namespace sdp {

const std::vector<SimInfo>& AllSims() {
  static const std::vector<SimInfo> sims = {HashRingSimInfo(), HashLabSimInfo(), CircuitBreakerSimInfo(), RateLimiterSimInfo(), ApiGatewaySimInfo(), LoadBalancerSimInfo(), RedisZSetSimInfo(), RedisGeoSimInfo(), RedisPersistenceSimInfo(), KafkaSimInfo(), GossipSimInfo(), TcpSimInfo(), TransportSimInfo(), CapSimInfo(), SearchIndexSimInfo(), SearchClusterSimInfo(), LayersSimInfo(), RealtimeSimInfo(), RestSimInfo(), HttpsSimInfo(), EstimatorSimInfo(), ArchitectureSimInfo()};
  return sims;
}

}  // namespace sdp

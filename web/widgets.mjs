// Registers every <sdp-*> element once; entry points (the gallery, the embed
// bundle) call defineWidgets() after choosing how the wasm module loads.
import { ApiGatewayElement } from './api-gateway.mjs';
import { CapElement } from './cap.mjs';
import { CircuitBreakerElement } from './circuit-breaker.mjs';
import { EstimatorElement } from './estimator.mjs';
import { DesignElement } from './design.mjs';
import { GossipElement } from './gossip.mjs';
import { HashLabElement } from './hash-lab.mjs';
import { HashRingElement } from './hash-ring.mjs';
import { HttpVsHttpsElement } from './http-vs-https.mjs';
import { KafkaElement } from './kafka.mjs';
import { LoadBalancerElement } from './load-balancer.mjs';
import { RateLimiterElement } from './rate-limiter.mjs';
import { RedisGeoElement } from './redis-geo.mjs';
import { RedisPersistenceElement } from './redis-persistence.mjs';
import { RedisZSetElement } from './redis-zset.mjs';
import { SearchIndexElement } from './search-index.mjs';
import { SearchClusterElement } from './search-cluster.mjs';
import { LayersElement } from './layers.mjs';
import { RealtimeElement } from './realtime.mjs';
import { RestElement } from './rest.mjs';
import { TcpConnectionElement } from './tcp-connection.mjs';
import { TcpVsUdpElement } from './tcp-vs-udp.mjs';

const WIDGETS = {
  'sdp-hash-ring': HashRingElement,
  'sdp-hash-lab': HashLabElement,
  'sdp-circuit-breaker': CircuitBreakerElement,
  'sdp-rate-limiter': RateLimiterElement,
  'sdp-api-gateway': ApiGatewayElement,
  'sdp-load-balancer': LoadBalancerElement,
  'sdp-kafka': KafkaElement,
  'sdp-redis-zset': RedisZSetElement,
  'sdp-redis-geo': RedisGeoElement,
  'sdp-redis-persistence': RedisPersistenceElement,
  'sdp-gossip': GossipElement,
  'sdp-tcp-connection': TcpConnectionElement,
  'sdp-tcp-vs-udp': TcpVsUdpElement,
  'sdp-cap': CapElement,
  'sdp-rest': RestElement,
  'sdp-realtime': RealtimeElement,
  'sdp-layers': LayersElement,
  'sdp-http-vs-https': HttpVsHttpsElement,
  'sdp-search-index': SearchIndexElement,
  'sdp-search-cluster': SearchClusterElement,
  'sdp-estimator': EstimatorElement,
  'sdp-design': DesignElement,
};

// The tags of every widget, in gallery order.
export function widgetTags() {
  return Object.keys(WIDGETS);
}

export function widgetClass(tag) {
  return WIDGETS[tag];
}

export function defineWidgets() {
  for (const [tag, widget] of Object.entries(WIDGETS)) {
    if (!customElements.get(tag)) customElements.define(tag, widget);
  }
}

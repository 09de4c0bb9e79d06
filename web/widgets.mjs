// Registers every <sdp-*> element once; entry points (the gallery, the embed
// bundle) call defineWidgets() after choosing how the wasm module loads.
import { ApiGatewayElement } from './api-gateway.mjs';
import { CircuitBreakerElement } from './circuit-breaker.mjs';
import { HashLabElement } from './hash-lab.mjs';
import { HashRingElement } from './hash-ring.mjs';
import { LoadBalancerElement } from './load-balancer.mjs';
import { RateLimiterElement } from './rate-limiter.mjs';

const WIDGETS = {
  'sdp-hash-ring': HashRingElement,
  'sdp-hash-lab': HashLabElement,
  'sdp-circuit-breaker': CircuitBreakerElement,
  'sdp-rate-limiter': RateLimiterElement,
  'sdp-api-gateway': ApiGatewayElement,
  'sdp-load-balancer': LoadBalancerElement,
};

export function defineWidgets() {
  for (const [tag, widget] of Object.entries(WIDGETS)) {
    if (!customElements.get(tag)) customElements.define(tag, widget);
  }
}

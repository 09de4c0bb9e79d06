#include "sdp/transport/link.h"

#include <algorithm>

namespace sdp::transport {
namespace {

SimTime DrawDelay(const LinkConfig& link, Rng& rng) {
  SimTime delay = link.latency;
  if (link.jitter > 0) {
    const int64_t j = rng.Between(-link.jitter, link.jitter);
    delay = std::max<SimTime>(0, delay + j);
  }
  if (link.reorder > 0 && rng.Bernoulli(link.reorder)) delay += link.reorder_delay;
  return delay;
}

}  // namespace

Fate DrawFate(const LinkConfig& link, Rng& rng) {
  Fate fate;
  if (link.loss > 0 && rng.Bernoulli(link.loss)) return fate;
  fate.delay[fate.copies++] = DrawDelay(link, rng);
  if (link.duplicate > 0 && rng.Bernoulli(link.duplicate)) fate.delay[fate.copies++] = DrawDelay(link, rng);
  return fate;
}

}  // namespace sdp::transport

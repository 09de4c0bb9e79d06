// One direction of a lossy link, netem-style: every packet independently may
// be lost, duplicated, delayed by jitter or held back (reordered). The fate of
// a packet is drawn from the caller's seeded Rng in a fixed order, so a seed
// gives the same link on every platform.
//
// Left out: bandwidth and queueing (a packet's delay does not depend on the
// traffic), correlated (bursty) loss, corruption, MTU and fragmentation.
#ifndef SDP_TRANSPORT_LINK_H_
#define SDP_TRANSPORT_LINK_H_

#include <cstdint>

#include "sdp/event_queue.h"
#include "sdp/random.h"

namespace sdp::transport {

struct LinkConfig {
  SimTime latency = 50 * kMicrosPerMilli;       // one way
  SimTime jitter = 0;                           // each packet's delay is latency + uniform[-jitter, +jitter]
  double loss = 0;                              // probability a packet is lost
  double reorder = 0;                           // probability a packet is held back by reorder_delay
  SimTime reorder_delay = 20 * kMicrosPerMilli; // how long a held-back packet waits
  double duplicate = 0;                         // probability a second copy is delivered
};

// What happens to one packet: 0, 1 or 2 copies arrive, after these delays.
struct Fate {
  uint32_t copies = 0;
  SimTime delay[2] = {0, 0};
};

// Draws, in this order: lost?, the first copy's delay, duplicated?, the second
// copy's delay. A lost packet draws nothing more.
Fate DrawFate(const LinkConfig& link, Rng& rng);

}  // namespace sdp::transport

#endif  // SDP_TRANSPORT_LINK_H_

// The load_balancer's request stream: when each request arrives, from which
// client, and how much work it carries. One stream with its own Rng feeds
// every balancer of a compare run, so both see the very same requests in the
// same order, whatever either balancer draws for itself.
#ifndef SDP_BALANCE_REQUEST_SOURCE_H_
#define SDP_BALANCE_REQUEST_SOURCE_H_

#include <cstdint>
#include <optional>

#include "sdp/event_queue.h"
#include "sdp/load_balancer_sim.h"
#include "sdp/random.h"

namespace sdp {

struct LbRequest {
  SimTime at;
  uint32_t client;
  double demand;  // service time as a multiple of the server's mean; mean 1
};

class RequestSource {
 public:
  // The largest demand drawn: a Pareto tail could otherwise produce one
  // request longer than any run.
  static constexpr double kMaxDemand = 1000;

  RequestSource(uint64_t seed, const LbTraffic& traffic, SimTime now);
  // New traffic from `now` on. Arrivals are memoryless, so restarting the
  // gap (and the on/off phase) at `now` is exact.
  void Restart(const LbTraffic& traffic, SimTime now);
  // REQUIRES: traffic.rps > 0
  LbRequest Next();

 private:
  double Demand();

  Rng rng_;
  LbTraffic traffic_;
  std::optional<Zipf> zipf_;
  double clock_ = 0;  // exact arrival time, us: rounding each gap would bias short gaps
  SimTime last_ = 0;
  double phase_end_ = 0;  // bursty: when the current ON period ends
  // Precomputed from cost_variance (squared coefficient of variation).
  double lognormal_mu_ = 0, lognormal_sigma_ = 0, pareto_alpha_ = 0, pareto_scale_ = 0;
};

}  // namespace sdp

#endif  // SDP_BALANCE_REQUEST_SOURCE_H_

// Queueing and load-balancing theory, shown beside what the simulations
// measure (the load_balancer sim's `theory` block, its tests and its
// `balls_into_bins` op).
//
//   M/M/c      Poisson arrivals at rate lambda, exponential service at rate
//              mu per worker, c workers, infinite queue. Erlang C is the
//              probability that an arrival has to wait; the mean time in
//              system is C / (c mu - lambda) + 1 / mu (for c = 1: 1/(mu - lambda)).
//   balls      n balls into n bins. One uniform choice per ball: the fullest
//              bin holds about ln n / ln ln n (Gonnet 1981; Raab & Steger
//              1998). d >= 2 choices, each ball to the least loaded:
//              ln ln n / ln d + O(1) (Azar, Broder, Karlin, Upfal 1994;
//              Mitzenmacher's thesis 1996, "The Power of Two Choices").
//
// Invariants: only +, -, *, / and detmath's DetLog, so the numbers are the
// same natively and in wasm; the balls are thrown with our seeded Rng.
#ifndef SDP_QUEUEING_H_
#define SDP_QUEUEING_H_

#include <cstdint>
#include <vector>

#include "sdp/random.h"

namespace sdp {

// Erlang C: P(wait > 0) in M/M/c with offered load a = lambda / mu.
// Computed through the Erlang B recursion, which neither overflows nor
// cancels for c in the thousands. REQUIRES: c >= 1, 0 <= a < c
double ErlangC(uint32_t c, double offered_load);
// Mean time in system (seconds) of M/M/c. REQUIRES: lambda < c * mu, mu > 0
double MmcMeanTimeInSystem(uint32_t c, double lambda, double mu);

// Throws n balls into n bins; each ball draws `choices` bins uniformly (with
// replacement) and goes to the least loaded of them, the first drawn on a
// tie. Returns the fullest bin's load. REQUIRES: n >= 1, choices >= 1
uint32_t BallsIntoBinsMaxLoad(uint32_t n, uint32_t choices, Rng& rng);
// ln n / ln ln n; 0 where it is not defined (n <= e).
double OneChoiceMaxLoadEstimate(double n);
// ln ln n / ln d; 0 where it is not defined (n <= e or d < 2).
double DChoiceMaxLoadEstimate(double n, uint32_t d);

}  // namespace sdp

#endif  // SDP_QUEUEING_H_

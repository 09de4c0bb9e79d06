// Simulation `estimator`: back-of-the-envelope estimates as a worksheet.
//
// One op, `estimate {inputs: {...}}`, takes the worksheet's inputs (omitted
// ones take the defaults in estimator/estimate.h: 100M DAU, 10 requests per
// user per day, 10:1 reads to writes, peak 2x, 1 KB objects, 5 years, 3
// replicas, 20% cache, 1,000 QPS per server, 1 TB per shard, 200 ms p99) and
// derives every number with its unit and formula (estimator::Estimate).
// A fresh sim holds the estimate of the defaults.
//
// Invariants: a refused estimate (a field out of range, a ratio that is not
// a:b, a result too large to count) changes nothing. Nothing is random and
// nothing takes simulated time: the seed is accepted and unused.
#ifndef SDP_ESTIMATOR_SIM_H_
#define SDP_ESTIMATOR_SIM_H_

#include <cstdint>
#include <vector>

#include "sdp/clone.h"
#include "sdp/estimator/estimate.h"
#include "sdp/simulation.h"

namespace sdp {

class EstimatorSim : public Cloneable<EstimatorSim, Simulation> {
 public:
  explicit EstimatorSim(uint64_t seed);

  Result<Json> Apply(const std::string& op, const Json& args) override;
  Json Snapshot(Detail detail) const override;
  uint64_t Work() const override { return estimates_; }

 private:
  estimator::Inputs inputs_;
  std::vector<std::string> defaulted_;  // inputs the last estimate left out
  estimator::Estimates estimates_now_;
  uint64_t estimates_ = 0;
};

// The fields of `estimate`'s `inputs` object (checked by the sim, since the
// runner sees `inputs` as one JSON field).
const std::vector<FieldSpec>& EstimatorInputFields();
// The inputs from that object, or an error naming the field.
Result<estimator::Inputs> ParseEstimatorInputs(const Json& inputs, std::vector<std::string>* defaulted);

SimInfo EstimatorSimInfo();

}  // namespace sdp

#endif  // SDP_ESTIMATOR_SIM_H_

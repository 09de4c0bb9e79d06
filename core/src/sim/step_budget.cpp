#include "sdp/step_budget.h"

namespace sdp {

thread_local uint64_t StepBudget::limit_ = 0;
thread_local uint64_t StepBudget::used_ = 0;

StepBudget::StepBudget(uint64_t units) : outer_limit_(limit_), outer_used_(used_) {
  limit_ = units;
  used_ = 0;
}

StepBudget::~StepBudget() {
  limit_ = outer_limit_;
  used_ = outer_used_;
}

}  // namespace sdp

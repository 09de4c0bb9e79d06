// A ceiling on the work one user step may do (issue #24: a 280-character
// Kafka link — 64 partitions, 100,000 records/s of 100 KB, advance 10 s —
// froze a tab for minutes; the scenario work budget is checked only between
// steps, so any step whose cost grows with rate × duration × size escaped
// it).
//
// Deterministic, never a clock: the same step is refused on every machine,
// so native and wasm stay byte-identical. Work is counted in units — one per
// event the kernel's queue runs (EventQueue::Step), plus what the loops
// inside a sim charge for themselves (a scan over a backlog). SimSession::
// Apply opens a budget around each new step; past it, Charge throws
// StepTooLarge from deep inside the step, and the session rebuilds the state
// from before the step, as it does when memory runs out. Replays of steps
// already accepted (undo, the timeline, checkpoints) run without a budget.
#ifndef SDP_STEP_BUDGET_H_
#define SDP_STEP_BUDGET_H_

#include <cstdint>
#include <exception>

namespace sdp {

class StepTooLarge : public std::exception {
 public:
  const char* what() const noexcept override { return "too much work for one step"; }
};

class StepBudget {
 public:
  // Units one step may use. A unit is about one event's work: 10-200 ns
  // natively depending on the sim (bench/step_budget.md measures them), so
  // the budget is at most about 1 s natively, and several times the largest
  // step of the canonical scenarios, tours and exercises (measured there too).
  static constexpr uint64_t kDefaultUnits = 5'000'000;

  // Opens a budget of `units` on this thread until destroyed; an inner
  // budget replaces the outer one while it lives.
  explicit StepBudget(uint64_t units = kDefaultUnits);
  ~StepBudget();
  StepBudget(const StepBudget&) = delete;
  StepBudget& operator=(const StepBudget&) = delete;

  // Counts `units` of work against the open budget (none open: free).
  // Throws StepTooLarge once the budget is passed.
  static void Charge(uint64_t units = 1) {
    if (limit_ != 0 && (used_ += units) > limit_) throw StepTooLarge();
  }
  // Units charged since the innermost budget opened.
  static uint64_t Used() { return used_; }

 private:
  static thread_local uint64_t limit_;
  static thread_local uint64_t used_;
  uint64_t outer_limit_;
  uint64_t outer_used_;
};

}  // namespace sdp

#endif  // SDP_STEP_BUDGET_H_

// A simulation that takes back a step whatever went wrong inside it.
//
// A sim's own refusals (an unknown node id, a count over its cap) already
// leave it unchanged: it checks before it changes anything. An exception from
// inside a step cannot promise that: std::bad_alloc when memory runs out
// stops the sim part-way (65,536 of 200,000 keys added, a ring half rebuilt).
// A SimSession keeps what made its sim -- seed, config and every step it
// accepted -- and after such a failure rebuilds the sim by replaying them.
// The sims are deterministic, so the replay is the same state byte for byte,
// including the random generator (a failed add_keys has drawn numbers; the
// next add_keys still draws what it would have drawn).
//
// Why replay, and not one of the other ways to undo (bench/session_bench.cpp
// on the heavy widget, a hash_ring with 50 nodes x 1000 vnodes and
// 200,000 keys; native and wasm alike, bench/README.md):
//   - copy the sim before each step: ~85 ms on *every* step, a lookup
//     included, and twice the sim's memory while the step runs -- the very
//     thing that runs out (sims do have a Clone() now, for the checkpoints
//     below, which are taken far more rarely than every step);
//   - snapshot + restore: no sim can restore itself from its snapshot (a
//     snapshot is a view for renderers, not the whole state), and writing
//     the full snapshot alone takes ~500 ms;
//   - check each step's cost up front: an estimate per op per sim, and an
//     allocation an estimate did not foresee still fails half-way;
//   - replay: on the success path only the step is kept (~200 bytes; a
//     lookup step costs the same 4.7 us natively, 6.9 us as wasm, with or
//     without it); one rebuild, ~450-550 ms here (what an undo or a share
//     link costs anyway), is paid only when a step fails.
//
// Time travel (GoTo) and checkpoints. The log is a timeline: GoTo(n) shows
// the state after its first n steps and keeps the rest, so the user can go
// forward again; Apply() while in the past discards the later steps first
// (a branch, as RaftScope does). Replaying from the seed made an undo cost
// the whole history (216 ms after 30 x "+30 s" in the load balancer, seconds
// for a 10-minute run), so the session keeps checkpoints: clones of the sim
// (Simulation::Clone) after some steps, and GoTo(n) clones the nearest one
// at or before n and replays only the steps after it. The bounds:
//   - when: MaybeCheckpoint() takes one once the replay since the last one
//     would cost kCheckpointWork units (sim Work() plus kStepWork per step,
//     a step's own overhead); no clock, so the same log gets the same
//     checkpoints on every machine;
//   - how many: at most kMaxCheckpoints; past that every other one is
//     dropped and the spacing doubles, so a long log keeps them evenly
//     spread and the replay after the nearest is at most ~2/kMaxCheckpoints
//     of the whole run;
//   - bytes: the caller may drop the newest (DropNewestCheckpoint) when it
//     breaks a memory budget (the wasm layer keeps them under half the
//     page's budget); then GoTo replays from an older one or the seed, and
//     the next try waits for twice the spacing, counted from the dropped one;
//   - never on its own: Apply() does not take checkpoints, so the scenario
//     runner (`sdp run`, runScenario) pays nothing for them.
// A sim whose Clone() is null gets no checkpoints and is replayed from the
// seed, as before.
//
// Invariant: after every Apply(), GoTo() and UndoLast(), the sim equals a
// fresh sim with the same seed and config given exactly the first
// position() steps of the log, and so does every checkpoint for its own
// count; unless ok() is false (a rebuild itself failed), when the session
// holds no sim.
#ifndef SDP_SIM_SESSION_H_
#define SDP_SIM_SESSION_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "sdp/simulation.h"
#include "sdp/step_budget.h"

namespace sdp {

class SimSession {
 public:
  // Why the last Apply() failed.
  enum class Failure {
    kNone,
    kRefused,      // the step was invalid; the sim never changed
    kOutOfMemory,  // std::bad_alloc inside the step; the sim was rebuilt
    kInternal,     // another exception inside the step; the sim was rebuilt
  };

  // Validates the config and creates the sim.
  static Result<SimSession> Open(const SimInfo& info, uint64_t seed, Json config);

  // Applies one step ({"op": ..., ...}). On any failure -- a refusal, or an
  // exception part-way -- the sim is exactly as before and the message says
  // so; last_failure() says which kind it was. In the past (position() <
  // steps()), an accepted step first discards the steps after position().
  Result<Json> Apply(Json step);

  // Shows the state after the first n logged steps, keeping the log.
  // Refuses n > steps(). On failure (out of memory) the session is rebuilt
  // at its old position, or lost (ok() false).
  Status GoTo(size_t n);

  // Takes a checkpoint of the current state if the policy above says one is
  // due; true if it took one.
  bool MaybeCheckpoint();
  // Lets go of the newest checkpoint (it broke the caller's memory budget).
  void DropNewestCheckpoint();
  // Spacing of new checkpoints in work units (tests and benchmarks set it
  // small to get many). REQUIRES: work > 0
  void SetCheckpointSpacing(uint64_t work) { checkpoint_work_ = work; }
  // Work one new step may do before it is refused and undone
  // (step_budget.h; tests set it small). REQUIRES: units > 0
  void SetStepBudget(uint64_t units) { step_budget_ = units; }

  // Takes back the last step Apply() accepted and removes it from the log,
  // for callers whose own work after it failed (its result could not be
  // sent on, or it broke a memory budget). REQUIRES: position() > 0 and
  // position() == steps(), as right after an Apply().
  Status UndoLast();

  // False only after a rebuild itself failed (out of memory even for the
  // state that fitted before); the session then refuses every step.
  bool ok() const { return sim_ != nullptr; }
  // REQUIRES: ok()
  const Simulation& sim() const { return *sim_; }
  const SimInfo& info() const { return *info_; }
  // The timeline's length, and how many of its steps the sim has seen.
  size_t steps() const { return log_.size(); }
  size_t position() const { return position_; }
  const std::vector<Json>& log() const { return log_; }
  size_t checkpoints() const { return checkpoints_.size(); }

  // The policy's constants (see the top of this file).
  static constexpr uint64_t kCheckpointWork = 20000;  // ~4 ms natively
  static constexpr uint64_t kStepWork = 1000;
  static constexpr size_t kMaxCheckpoints = 32;
  Failure last_failure() const { return last_failure_; }
  // Work units (step_budget.h) the last Apply() used, accepted or refused:
  // a page replaying a link adds them up to refuse a link whose replay as a
  // whole is too much work (web/replay-runner.mjs), deterministically.
  uint64_t last_step_units() const { return last_step_units_; }

 private:
  SimSession(const SimInfo& info, uint64_t seed, Json config, std::unique_ptr<Simulation> sim);
  // Rebuilds the sim as it was before `step`, whose Apply threw; the
  // message says what went wrong (`what` + `detail`) and that it was undone.
  Status Undo(const Json& step, const char* what, const char* detail = "");
  // Replaces the sim by the state after the first `steps` logged steps
  // (from the nearest checkpoint, else from the seed), truncating the log.
  Status Rebuild(size_t steps);
  // The same, keeping the log: position() becomes `steps`.
  Status Restore(size_t steps);
  // Replays log_[position_, n) onto sim_. Throws what the sim throws.
  Status ReplayTo(size_t n);
  // Replay cost of the current state since the newest checkpoint.
  uint64_t CostSinceCheckpoint() const;

  struct Checkpoint {
    size_t steps;   // state after this many logged steps
    uint64_t work;  // its Work()
    std::unique_ptr<Simulation> sim;
  };

  const SimInfo* info_;
  uint64_t seed_;
  Json config_;
  std::vector<Json> log_;
  size_t position_ = 0;
  std::unique_ptr<Simulation> sim_;
  std::vector<Checkpoint> checkpoints_;  // by steps, ascending
  uint64_t checkpoint_work_ = kCheckpointWork;  // current spacing
  // Where the newest checkpoint let go for memory was taken ({steps, work}):
  // the spacing counts from it too. Counted only from kept ones, a state too
  // big to keep a copy of was copied and dropped again at every step (a
  // 60,000-document index stalled the page).
  size_t dropped_steps_ = 0;
  uint64_t dropped_work_ = 0;
  Failure last_failure_ = Failure::kNone;
  uint64_t step_budget_ = StepBudget::kDefaultUnits;
  uint64_t last_step_units_ = 0;
};

}  // namespace sdp

#endif  // SDP_SIM_SESSION_H_

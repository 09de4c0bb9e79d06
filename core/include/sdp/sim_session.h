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
//     thing that runs out; and each sim would need a Clone();
//   - snapshot + restore: no sim can restore itself from its snapshot (a
//     snapshot is a view for renderers, not the whole state), and writing
//     the full snapshot alone takes ~500 ms;
//   - check each step's cost up front: an estimate per op per sim, and an
//     allocation an estimate did not foresee still fails half-way;
//   - replay: on the success path only the step is kept (~200 bytes; a
//     lookup step costs the same 4.7 us natively, 6.9 us as wasm, with or
//     without it); one rebuild, ~450-550 ms here (what an undo or a share
//     link costs anyway), is paid only when a step fails.
// Invariant: after every Apply() and UndoLast(), the sim equals a fresh sim
// with the same seed and config given exactly the steps in the log; unless
// ok() is false (the rebuild itself failed), when the session holds no sim.
#ifndef SDP_SIM_SESSION_H_
#define SDP_SIM_SESSION_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "sdp/simulation.h"

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
  // so; last_failure() says which kind it was.
  Result<Json> Apply(Json step);

  // Takes back the last step Apply() accepted, for callers whose own work
  // after it failed (its result could not be sent on, or it broke a memory
  // budget). REQUIRES: steps() > 0.
  Status UndoLast();

  // False only after a rebuild itself failed (out of memory even for the
  // state that fitted before); the session then refuses every step.
  bool ok() const { return sim_ != nullptr; }
  // REQUIRES: ok()
  const Simulation& sim() const { return *sim_; }
  const SimInfo& info() const { return *info_; }
  size_t steps() const { return log_.size(); }
  Failure last_failure() const { return last_failure_; }

 private:
  SimSession(const SimInfo& info, uint64_t seed, Json config, std::unique_ptr<Simulation> sim);
  // Rebuilds the sim as it was before `step`, whose Apply threw; the
  // message says what went wrong (`what` + `detail`) and that it was undone.
  Status Undo(const Json& step, const char* what, const char* detail = "");
  // Replaces the sim by a fresh one given the first `steps` logged steps.
  Status Rebuild(size_t steps);

  const SimInfo* info_;
  uint64_t seed_;
  Json config_;
  std::vector<Json> log_;
  std::unique_ptr<Simulation> sim_;
  Failure last_failure_ = Failure::kNone;
};

}  // namespace sdp

#endif  // SDP_SIM_SESSION_H_

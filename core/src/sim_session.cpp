#include "sdp/sim_session.h"

#include <exception>
#include <new>
#include <string>
#include <utility>

namespace sdp {

Result<SimSession> SimSession::Open(const SimInfo& info, uint64_t seed, Json config) {
  try {
    Result<std::unique_ptr<Simulation>> created = CreateSim(info, seed, config);
    if (!created.ok()) return created.status();
    return SimSession(info, seed, std::move(config), std::move(created).value());
  } catch (const std::bad_alloc&) {
    return Status::Invalid("out of memory: creating the simulation needs more memory than is left");
  }
}

SimSession::SimSession(const SimInfo& info, uint64_t seed, Json config,
                       std::unique_ptr<Simulation> sim)
    : info_(&info), seed_(seed), config_(std::move(config)), sim_(std::move(sim)) {}

Result<Json> SimSession::Apply(Json step) {
  if (!sim_) {
    last_failure_ = Failure::kRefused;
    return Status::Invalid(
        "this simulation was lost when memory ran out and it could not be rebuilt; reset it");
  }
  try {
    Result<Json> result = ApplyStepOrThrow(*info_, *sim_, step);
    if (!result.ok()) {
      last_failure_ = Failure::kRefused;
      return result;
    }
    // May itself run out of memory: the step is then undone below, as if
    // the sim had failed.
    log_.push_back(std::move(step));
    last_failure_ = Failure::kNone;
    return result;
  } catch (const std::bad_alloc&) {
    last_failure_ = Failure::kOutOfMemory;
    return Undo(step, "out of memory: this step needs more memory than is left");
  } catch (const std::exception& e) {
    last_failure_ = Failure::kInternal;
    return Undo(step, "internal error: ", e.what());
  }
}

// Called inside the catch handler: nothing may allocate before the rebuild
// has freed the part-way state (a message is a std::string), and e.what()
// lives only as long as the handler.
Status SimSession::Undo(const Json& step, const char* what, const char* detail) {
  const Status rebuilt = Rebuild(log_.size());
  std::string message = StepName(step) + ": " + what + detail;
  if (!rebuilt.ok()) return Status::Invalid(message + "; " + rebuilt.message());
  return Status::Invalid(message + "; nothing was changed");
}

Status SimSession::UndoLast() {
  SDP_CHECK(!log_.empty());
  return Rebuild(log_.size() - 1);
}

Status SimSession::Rebuild(size_t steps) {
  sim_.reset();  // the replay needs the memory the old state holds
  log_.resize(steps);
  try {
    Result<std::unique_ptr<Simulation>> fresh = CreateSim(*info_, seed_, config_);
    if (!fresh.ok()) {
      return Status::Invalid("the simulation could not be rebuilt (" + fresh.message() +
                             "); reset it");
    }
    for (size_t i = 0; i < log_.size(); ++i) {
      // A logged step failing now would be a determinism bug in its sim.
      const Result<Json> again = ApplyStepOrThrow(*info_, *fresh.value(), log_[i]);
      if (!again.ok()) {
        log_.clear();
        return Status::Invalid("the simulation could not be rebuilt (step " + std::to_string(i + 1) +
                               " failed on replay: " + again.message() + "); reset it");
      }
    }
    sim_ = std::move(fresh).value();
    return Status::Ok();
  } catch (const std::exception&) {
    log_.clear();
    return Status::Invalid(
        "the simulation was lost: rebuilding it ran out of memory too; reset it");
  }
}

}  // namespace sdp

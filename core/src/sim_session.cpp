#include "sdp/sim_session.h"

#include <exception>
#include <new>
#include <string>
#include <utility>

#include "sdp/step_budget.h"

namespace sdp {

namespace {

// What to ask for instead: the step's own numbers, by name (what made it
// large may also be a rate or a size set by an earlier step).
std::string TooLargeAdvice(const Json& step, uint64_t units) {
  std::string fields;
  if (step.is_object()) {
    for (const auto& [name, value] : step.items()) {
      if (!value.is_number() || fields.size() > 200) continue;
      fields += (fields.empty() ? "" : ", ") + ("\"" + name + "\" (" + value.dump() + ")");
    }
  }
  std::string limit = std::to_string(units);
  for (size_t i = limit.size(); i > 3; i -= 3) limit.insert(i - 3, ",");
  return ". It passed " + limit +
         " units of work (events, and the loops inside them: about 1 s natively); ask for less at once: " +
         (fields.empty() ? std::string() : "lower " + fields + ", or ") +
         "lower the rates and sizes set before it";
}

}  // namespace

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
  last_step_units_ = 0;
  try {
    const StepBudget budget(step_budget_);
    // Destroyed before `budget`, also when the step throws: reads its count.
    struct RecordUnits {
      uint64_t& out;
      ~RecordUnits() { out = StepBudget::Used(); }
    } record{last_step_units_};
    Result<Json> result = ApplyStepOrThrow(*info_, *sim_, step);
    if (!result.ok()) {
      last_failure_ = Failure::kRefused;
      return result;
    }
    // A branch: the future the user went back from is gone (sim_ already
    // left it, so only the log and the checkpoints past here remain).
    log_.resize(position_);
    while (!checkpoints_.empty() && checkpoints_.back().steps > position_) checkpoints_.pop_back();
    if (dropped_steps_ > position_) dropped_steps_ = 0;
    // May itself run out of memory: the step is then undone below, as if
    // the sim had failed.
    log_.push_back(std::move(step));
    position_ = log_.size();
    last_failure_ = Failure::kNone;
    return result;
  } catch (const std::bad_alloc&) {
    last_failure_ = Failure::kOutOfMemory;
    return Undo(step, "out of memory: this step needs more memory than is left");
  } catch (const StepTooLarge&) {
    last_failure_ = Failure::kRefused;
    const Status undone = Undo(step, "too much work for one step");
    return Status::Invalid(undone.message() + TooLargeAdvice(step, step_budget_));
  } catch (const std::exception& e) {
    last_failure_ = Failure::kInternal;
    return Undo(step, "internal error: ", e.what());
  }
}

// Called inside the catch handler: nothing may allocate before the rebuild
// has freed the part-way state (a message is a std::string), and e.what()
// lives only as long as the handler.
Status SimSession::Undo(const Json& step, const char* what, const char* detail) {
  const Status rebuilt = Restore(position_);
  std::string message = StepName(step) + ": " + what + detail;
  if (!rebuilt.ok()) return Status::Invalid(message + "; " + rebuilt.message());
  return Status::Invalid(message + "; nothing was changed");
}

Status SimSession::UndoLast() {
  SDP_CHECK(position_ > 0 && position_ == log_.size());
  return Rebuild(position_ - 1);
}

Status SimSession::GoTo(size_t n) {
  if (n > log_.size()) {
    return Status::Invalid("go to: position " + std::to_string(n) + " is past the last step (" +
                           std::to_string(log_.size()) + ")");
  }
  if (!sim_) return Status::Invalid("this simulation was lost when memory ran out; reset it");
  // Forward with no checkpoint in between: the current state is the
  // nearest start.
  const bool later_checkpoint = !checkpoints_.empty() && checkpoints_.back().steps > position_ &&
                                checkpoints_.back().steps <= n;
  if (n >= position_ && !later_checkpoint) {
    const size_t from = position_;
    try {
      const Status replayed = ReplayTo(n);
      if (replayed.ok()) return replayed;
    } catch (const std::exception&) {
    }
    return Restore(from);  // part-way through a step: back to where it was
  }
  return Restore(n);
}

Status SimSession::Rebuild(size_t steps) {
  log_.resize(steps);
  while (!checkpoints_.empty() && checkpoints_.back().steps > steps) checkpoints_.pop_back();
  return Restore(steps);
}

Status SimSession::Restore(size_t steps) {
  sim_.reset();  // the replay needs the memory the old state holds
  position_ = 0;
  try {
    const Checkpoint* start = nullptr;
    for (const Checkpoint& c : checkpoints_) {
      if (c.steps <= steps) start = &c;
    }
    if (start != nullptr) {
      sim_ = start->sim->Clone();
      position_ = start->steps;
    } else {
      Result<std::unique_ptr<Simulation>> fresh = CreateSim(*info_, seed_, config_);
      if (!fresh.ok()) {
        return Status::Invalid("the simulation could not be rebuilt (" + fresh.message() +
                               "); reset it");
      }
      sim_ = std::move(fresh).value();
    }
    const Status replayed = ReplayTo(steps);
    if (!replayed.ok()) {
      sim_.reset();
      log_.clear();
      checkpoints_.clear();
      position_ = 0;
    }
    return replayed;
  } catch (const std::exception&) {
    sim_.reset();
    log_.clear();
    checkpoints_.clear();
    position_ = 0;
    return Status::Invalid(
        "the simulation was lost: rebuilding it ran out of memory too; reset it");
  }
}

Status SimSession::ReplayTo(size_t n) {
  for (; position_ < n; ++position_) {
    // A logged step failing now would be a determinism bug in its sim.
    const Result<Json> again = ApplyStepOrThrow(*info_, *sim_, log_[position_]);
    if (!again.ok()) {
      return Status::Invalid("the simulation could not be rebuilt (step " +
                             std::to_string(position_ + 1) + " failed on replay: " +
                             again.message() + "); reset it");
    }
  }
  return Status::Ok();
}

uint64_t SimSession::CostSinceCheckpoint() const {
  const uint64_t work = sim_->Work();
  size_t steps = 0;
  uint64_t since = 0;
  if (!checkpoints_.empty()) {
    const Checkpoint& last = checkpoints_.back();
    if (last.steps > position_) return 0;  // in the past: checkpoints already cover it
    steps = last.steps;
    since = last.work;
  }
  if (dropped_steps_ > steps && dropped_steps_ <= position_) {
    steps = dropped_steps_;
    since = dropped_work_;
  }
  return (work > since ? work - since : 0) + kStepWork * (position_ - steps);
}

bool SimSession::MaybeCheckpoint() {
  if (!sim_ || position_ == 0 || CostSinceCheckpoint() < checkpoint_work_) return false;
  // Only at the end of the timeline: in the past the log ahead may still
  // be discarded, and the checkpoints there already exist.
  if (position_ != log_.size()) return false;
  std::unique_ptr<Simulation> copy;
  try {
    copy = sim_->Clone();
  } catch (const std::bad_alloc&) {
    return false;  // a checkpoint is an optimisation: skip it
  }
  if (copy == nullptr) return false;  // this sim cannot be copied
  checkpoints_.push_back({position_, sim_->Work(), std::move(copy)});
  if (checkpoints_.size() > kMaxCheckpoints) {
    // Keep every other one (the newest included) and space them twice as far.
    std::vector<Checkpoint> kept;
    for (size_t i = checkpoints_.size() % 2 == 0 ? 1 : 0; i < checkpoints_.size(); i += 2) {
      kept.push_back(std::move(checkpoints_[i]));
    }
    checkpoints_ = std::move(kept);
    checkpoint_work_ *= 2;
  }
  return true;
}

void SimSession::DropNewestCheckpoint() {
  if (checkpoints_.empty()) return;
  dropped_steps_ = checkpoints_.back().steps;
  dropped_work_ = checkpoints_.back().work;
  checkpoints_.pop_back();
  // Memory is short: try again only after twice the work (each try copies
  // the whole state), so the copies cost a bounded share of the steps.
  checkpoint_work_ *= 2;
}

}  // namespace sdp

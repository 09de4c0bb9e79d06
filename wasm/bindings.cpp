// Embind registrations: the only code that includes <emscripten/...>.
//
// Nothing here throws into JS. Throwing JS errors from C++, or letting C++
// exceptions escape, leaked and crashed the instance after ~164k failures on
// this toolchain; returning {ok, value | error} and throwing from the JS
// facade (sdp.mjs) held flat over 1M failing calls. So every entry point
// catches everything and answers with such an envelope; a failure that is
// about memory also carries memory: true (the facade names the widget).
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <malloc.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <new>
#include <optional>
#include <string>

#include "memory.h"
#include "sdp/circuit_breaker.h"
#include "sdp/consistent_hash_ring.h"
#include "sdp/scenario.h"
#include "sdp/sim_session.h"

namespace {

using emscripten::val;

// Fixed text: a message for when even a message cannot be allocated.
constexpr const char* kOutOfMemory =
    "out of memory: this step needs more memory than the page has left; nothing was changed";
constexpr const char* kOutOfMemoryReading =
    "out of memory: the page has no memory left to read this simulation's state";
constexpr const char* kLost =
    "this simulation was lost when memory ran out and it could not be rebuilt; reset it";

// embind copies a std::string out to JS through a malloc it does not check
// (a null would be written through): so first make sure there is room.
bool RoomForString(const std::string& text) { return sdp_wasm::RoomFor(text.size() + 16); }

// Fixed ASCII text: passed by pointer, nothing allocated.
val Fail(const char* message, bool memory = false) {
  val out = val::object();
  out.set("ok", false);
  out.set("error", val(message));
  if (memory) out.set("memory", true);
  return out;
}

val Fail(const std::string& message, bool memory = false) {
  if (!RoomForString(message)) return Fail(kOutOfMemory, true);
  val out = val::object();
  out.set("ok", false);
  out.set("error", message);
  if (memory) out.set("memory", true);
  return out;
}

val FailInternal(const char* what) {
  try {
    return Fail(std::string("internal error: ") + what);
  } catch (...) {
    return Fail("internal error");
  }
}

val Ok(const std::string& value) {
  if (!RoomForString(value)) return Fail(kOutOfMemoryReading, true);
  val out = val::object();
  out.set("ok", true);
  out.set("value", value);
  return out;
}

double Mib(size_t bytes) { return std::round(static_cast<double>(bytes) / 1048576.0); }

// The budget (memory.h) is the page's: the message says how it was used.
std::string BudgetMessage(const std::string& op, size_t before, size_t after) {
  char numbers[200];
  std::snprintf(numbers, sizeof numbers,
                " (the page's simulations may use %.0f MiB together: %.0f MiB were in use, %.0f MiB "
                "with this step)",
                Mib(sdp_wasm::Budget()), Mib(before), Mib(after));
  return op + ": out of memory: this step needs more memory than the page has left" + numbers +
         "; nothing was changed";
}

std::string BudgetMessageForOpen(size_t before) {
  char numbers[200];
  std::snprintf(numbers, sizeof numbers,
                "out of memory: the page's simulations already use %.0f MiB of the %.0f MiB they may "
                "use together; this one was not started",
                Mib(before), Mib(sdp_wasm::Budget()));
  return numbers;
}

template <typename F>
val Guard(F&& body, const char* out_of_memory = kOutOfMemory) {
  val out = val::undefined();
  try {
    out = body();
  } catch (const std::bad_alloc&) {
    out = Fail(out_of_memory, true);
  } catch (const std::exception& e) {
    out = FailInternal(e.what());
  } catch (...) {
    out = Fail("internal error");
  }
  sdp_wasm::RestoreReserve();
  return out;
}

// A live simulation for a widget: created once, stepped by user actions.
// JS owns it: the facade calls .delete() when the widget goes away.
class Session {
 public:
  val Open(const std::string& sim, double seed, const std::string& config_json) {
    return Guard([&] {
      const sdp::SimInfo* info = sdp::FindSim(sim);
      if (info == nullptr) return Fail("unknown sim \"" + sim + "\"");
      if (!(seed >= 0 && seed <= 9007199254740991.0 && std::floor(seed) == seed)) {
        return Fail("seed must be an integer in [0, 9007199254740991]");
      }
      sdp::Result<sdp::Json> config = sdp::ParseJson(config_json);
      if (!config.ok()) return Fail("config: " + config.message());
      const size_t before = sdp_wasm::LiveBytes();
      auto opened = sdp::SimSession::Open(*info, static_cast<uint64_t>(seed), config.value());
      if (!opened.ok()) {
        return Fail(opened.message(), opened.message().rfind("out of memory", 0) == 0);
      }
      if (sdp_wasm::OverBudget(before)) {
        return Fail(BudgetMessageForOpen(before), true);
      }
      session_.emplace(std::move(opened).value());
      return Ok(sim);
    });
  }

  // A step that fails changes nothing: the sim refuses it, or the session
  // undoes it (out of memory part-way), or this undoes it (over the budget,
  // or its result cannot be sent on).
  val Apply(const std::string& step_json) {
    return Guard([&] {
      if (!session_) return Fail("session is not open");
      sdp::Result<sdp::Json> step = sdp::ParseJson(step_json);
      if (!step.ok()) return Fail(step.message());
      const std::string op = sdp::StepName(step.value());
      const size_t before = sdp_wasm::LiveBytes();
      sdp::Result<sdp::Json> result = session_->Apply(std::move(step).value());
      if (!result.ok()) {
        return Fail(result.message(), !session_->ok() || session_->last_failure() ==
                                                             sdp::SimSession::Failure::kOutOfMemory);
      }
      std::optional<std::string> text;
      if (!sdp_wasm::OverBudget(before)) {
        try {
          text = result.value().dump(-1, ' ', false, sdp::Json::error_handler_t::replace);
        } catch (const std::bad_alloc&) {
        }
      }
      if (!text || !RoomForString(*text)) {
        const bool over = sdp_wasm::OverBudget(before);
        const size_t after = sdp_wasm::LiveBytes();
        result = sdp::Json();  // its memory, before the rebuild
        text.reset();
        const sdp::Status undone = session_->UndoLast();
        std::string message = over ? BudgetMessage(op, before, after) : op + ": " + kOutOfMemory;
        if (!undone.ok()) message += " (" + undone.message() + ")";
        return Fail(message, true);
      }
      Checkpoint();
      return Ok(*text);
    });
  }

  // Shows the state after the first `n` steps of the log, which is kept
  // (sim_session.h); a later apply() discards the steps after n.
  val GoTo(double n) {
    return Guard([&] {
      if (!session_) return Fail("session is not open");
      if (!(n >= 0 && n <= 4294967295.0 && std::floor(n) == n)) {
        return Fail("go to: position must be an integer in [0, " +
                    std::to_string(session_->steps()) + "]");
      }
      const sdp::Status moved = session_->GoTo(static_cast<size_t>(n));
      if (!moved.ok()) return Fail(moved.message(), !session_->ok());
      return Ok(std::to_string(session_->position()));
    });
  }

  // The work units (step_budget.h) the last apply used, accepted or refused.
  double LastStepUnits() const { return session_ ? static_cast<double>(session_->last_step_units()) : 0.0; }

  // {position, steps, checkpoints}: where on the timeline the sim is.
  val Timeline() const {
    val out = val::object();
    out.set("position", session_ ? static_cast<double>(session_->position()) : 0.0);
    out.set("steps", session_ ? static_cast<double>(session_->steps()) : 0.0);
    out.set("checkpoints", session_ ? static_cast<double>(session_->checkpoints()) : 0.0);
    return out;
  }

  val Snapshot(bool full) {
    return Guard([&] {
      if (!session_) return Fail("session is not open");
      if (!session_->ok()) return Fail(kLost, true);
      const auto detail = full ? sdp::Simulation::Detail::kFull : sdp::Simulation::Detail::kSummary;
      return Ok(session_->sim().Snapshot(detail).dump(-1, ' ', false,
                                                      sdp::Json::error_handler_t::replace));
    }, kOutOfMemoryReading);
  }

  // A copy (never a live heap view, which memory growth would invalidate).
  val Column(const std::string& name) {
    return Guard([&] {
      const std::vector<uint32_t> data =
          session_ && session_->ok() ? session_->sim().Column(name) : std::vector<uint32_t>();
      val out = val::object();
      out.set("ok", true);
      out.set("value", val::global("Uint32Array")
                           .call<val>("from", val(emscripten::typed_memory_view(data.size(),
                                                                                data.data()))));
      return out;
    }, kOutOfMemoryReading);
  }

 private:
  // A checkpoint is a copy of the sim: it may hold at most half the page's
  // budget together with the live state, so that the next steps still fit;
  // one that would pass that is let go (GoTo then replays from an older one).
  void Checkpoint() {
    if (!session_->MaybeCheckpoint()) return;
    const size_t budget = sdp_wasm::Budget();
    if (budget != 0 && sdp_wasm::LiveBytes() > budget / 2) session_->DropNewestCheckpoint();
  }

  std::optional<sdp::SimSession> session_;
};

// The bare ring as a typed, JSON-free API for hot paths (benchmarks, and
// embedders who want lookups at full speed). Lookups return node indices.
class Ring {
 public:
  explicit Ring(int vnodes) : ring_(sdp::RingHash::kMurmur3, vnodes < 1 ? 1 : vnodes) {}

  val AddNode(const std::string& id, double weight) {
    return Guard([&] {
      if (id.empty() || ring_.FindNode(id) >= 0) return Fail("addNode: id must be new and non-empty");
      if (!(weight >= 0.01 && weight <= 100)) return Fail("addNode: weight must be in [0.01, 100]");
      if (ring_.total_points() + ring_.PointsFor(weight) > 1000000) {
        return Fail("addNode: at most 1000000 points");
      }
      ring_.AddNode(id, weight);
      return Ok(id);
    });
  }
  bool RemoveNode(const std::string& id) {
    const int32_t index = ring_.FindNode(id);
    if (index >= 0) ring_.RemoveNode(static_cast<uint32_t>(index));
    return index >= 0;
  }
  // Index of the owning node, or -1 on an empty ring.
  int Lookup(const std::string& key) const {
    if (ring_.empty()) return -1;
    return static_cast<int>(ring_.OwnerOf(sdp::RingPosition(ring_.hash(), key)));
  }
  std::string NodeId(int index) const {
    return index >= 0 && static_cast<size_t>(index) < ring_.nodes().size() ? ring_.nodes()[index].id
                                                                           : std::string();
  }
  int Size() const { return static_cast<int>(ring_.nodes().size()); }

 private:
  sdp::ConsistentHashRing ring_;
};

// The bare breaker (resilience4j defaults) for hot paths: one decision and
// one recorded outcome per call, no JSON. Times are milliseconds; a time
// that is not a finite number, or earlier than the last one, counts as the
// last one, so no input can break the breaker's invariants.
class Breaker {
 public:
  Breaker() : breaker_(sdp::BreakerConfig{}, 0) {}
  // 0 permitted, 1 rejected by the state, 2 shed by the ramp.
  int TryAcquire(double now_ms) { return static_cast<int>(breaker_.TryAcquirePermission(Clamp(now_ms))); }
  void OnResult(double now_ms, double duration_ms, bool failed) {
    const sdp::SimTime now = Clamp(now_ms);
    const double d = std::isfinite(duration_ms) && duration_ms > 0 ? std::min(duration_ms, 1e12) : 0;
    breaker_.OnResult(now, static_cast<sdp::SimTime>(d * sdp::kMicrosPerMilli), failed);
  }
  std::string State() const { return sdp::BreakerStateName(breaker_.state()); }

 private:
  sdp::SimTime Clamp(double ms) {
    if (std::isfinite(ms) && ms * sdp::kMicrosPerMilli > static_cast<double>(last_) && ms < 1e15) {
      last_ = static_cast<sdp::SimTime>(ms * sdp::kMicrosPerMilli);
    }
    return last_;
  }
  sdp::CircuitBreaker breaker_;
  sdp::SimTime last_ = 0;
};

val RunScenario(const std::string& json) {
  return Guard([&] {
    sdp::Result<std::string> out = sdp::RunScenarioText(json);
    return out.ok() ? Ok(out.value()) : Fail(out.message());
  });
}

std::string ListSims() { return sdp::ListSims().dump(); }

// Bytes malloc has handed out and not got back: leak checks compare it
// before and after many widget create/remove cycles. Exact but slow (it
// walks the heap); the budget uses liveBytes().
double HeapInUse() { return static_cast<double>(mallinfo().uordblks); }

// Bytes C++ objects hold now (memory.h): what the page's budget limits.
double LiveBytes() { return static_cast<double>(sdp_wasm::LiveBytes()); }

}  // namespace

EMSCRIPTEN_BINDINGS(sdp) {
  emscripten::class_<Session>("Session")
      .constructor<>()
      .function("open", &Session::Open)
      .function("apply", &Session::Apply)
      .function("snapshot", &Session::Snapshot)
      .function("column", &Session::Column)
      .function("goTo", &Session::GoTo)
      .function("timeline", &Session::Timeline)
      .function("lastStepUnits", &Session::LastStepUnits);
  emscripten::class_<Ring>("Ring")
      .constructor<int>()
      .function("addNode", &Ring::AddNode)
      .function("removeNode", &Ring::RemoveNode)
      .function("lookup", &Ring::Lookup)
      .function("nodeId", &Ring::NodeId)
      .function("size", &Ring::Size);
  emscripten::class_<Breaker>("Breaker")
      .constructor<>()
      .function("tryAcquire", &Breaker::TryAcquire)
      .function("onResult", &Breaker::OnResult)
      .function("state", &Breaker::State);
  emscripten::function("runScenario", &RunScenario);
  // What one replay (a link, a scenario file) may use: the `sdp run` budget.
  emscripten::constant("scenarioWorkBudget", static_cast<double>(sdp::kMaxScenarioWork));
  emscripten::function("listSims", &ListSims);
  emscripten::function("heapInUse", &HeapInUse);
  emscripten::function("liveBytes", &LiveBytes);
  emscripten::function("setMemoryBudget", &sdp_wasm::SetBudget);
  emscripten::function("failAllocationAfter", &sdp_wasm::FailAllocationAfter);
}

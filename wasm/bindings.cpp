// Embind registrations: the only code that includes <emscripten/...>.
//
// Nothing here throws into JS. Throwing JS errors from C++, or letting C++
// exceptions escape, leaked and crashed the instance after ~164k failures on
// this toolchain; returning {ok, value | error} and throwing from the JS
// facade (sdp.mjs) held flat over 1M failing calls. So every entry point
// catches everything and answers with such an envelope.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <malloc.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

#include "sdp/circuit_breaker.h"
#include "sdp/consistent_hash_ring.h"
#include "sdp/scenario.h"

namespace {

using emscripten::val;

val Ok(const std::string& value) {
  val out = val::object();
  out.set("ok", true);
  out.set("value", value);
  return out;
}

val Fail(const std::string& message) {
  val out = val::object();
  out.set("ok", false);
  out.set("error", message);
  return out;
}

template <typename F>
val Guard(F&& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    return Fail(std::string("internal error: ") + e.what());
  } catch (...) {
    return Fail("internal error");
  }
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
      auto created = sdp::CreateSim(*info, static_cast<uint64_t>(seed), config.value());
      if (!created.ok()) return Fail(created.message());
      info_ = info;
      sim_ = std::move(created).value();
      return Ok(sim);
    });
  }

  val Apply(const std::string& step_json) {
    return Guard([&] {
      if (!sim_) return Fail("session is not open");
      sdp::Result<sdp::Json> step = sdp::ParseJson(step_json);
      if (!step.ok()) return Fail(step.message());
      sdp::Result<sdp::Json> result = sdp::ApplyStep(*info_, *sim_, step.value());
      if (!result.ok()) return Fail(result.message());
      return Ok(result.value().dump(-1, ' ', false, sdp::Json::error_handler_t::replace));
    });
  }

  val Snapshot(bool full) {
    return Guard([&] {
      if (!sim_) return Fail("session is not open");
      const auto detail = full ? sdp::Simulation::Detail::kFull : sdp::Simulation::Detail::kSummary;
      return Ok(sim_->Snapshot(detail).dump(-1, ' ', false, sdp::Json::error_handler_t::replace));
    });
  }

  // A copy (never a live heap view, which memory growth would invalidate).
  val Column(const std::string& name) {
    const std::vector<uint32_t> data = sim_ ? sim_->Column(name) : std::vector<uint32_t>();
    return val::global("Uint32Array")
        .call<val>("from", val(emscripten::typed_memory_view(data.size(), data.data())));
  }

 private:
  const sdp::SimInfo* info_ = nullptr;
  std::unique_ptr<sdp::Simulation> sim_;
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
// before and after many widget create/remove cycles.
double HeapInUse() { return static_cast<double>(mallinfo().uordblks); }

}  // namespace

EMSCRIPTEN_BINDINGS(sdp) {
  emscripten::class_<Session>("Session")
      .constructor<>()
      .function("open", &Session::Open)
      .function("apply", &Session::Apply)
      .function("snapshot", &Session::Snapshot)
      .function("column", &Session::Column);
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
  emscripten::function("listSims", &ListSims);
  emscripten::function("heapInUse", &HeapInUse);
}

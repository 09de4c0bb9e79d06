#include "sdp/rate_limiter_sim.h"

#include "sdp/limiter_args.h"

#include <algorithm>

#include "sdp/request_trace.h"
#include "sims/sim_text.h"

namespace sdp {
namespace {

constexpr uint32_t kLog = static_cast<uint32_t>(Algorithm::kSlidingLog);
constexpr uint32_t kLeaky = static_cast<uint32_t>(Algorithm::kLeakyBucket);
constexpr uint32_t kGcraLane = static_cast<uint32_t>(Algorithm::kGcra);
constexpr uint32_t kCounter = static_cast<uint32_t>(Algorithm::kSlidingCounter);
const char* const kDefaultKey = "client";

uint32_t Clamp32(int64_t v) { return static_cast<uint32_t>(std::clamp<int64_t>(v, 0, UINT32_MAX)); }

}  // namespace

RateLimiterSim::RateLimiterSim(uint64_t seed, const Config& config) : config_(config), rng_(seed) {
  for (uint32_t a = 0; a < kAlgorithmCount; ++a) {
    lanes_[a].spec = config;
    lanes_[a].spec.algorithm = static_cast<Algorithm>(a);
  }
}

Status RateLimiterSim::CheckRoom(const char* op, const std::string& key, int64_t at_ms,
                                 int64_t last_ms, uint64_t count) const {
  const std::string where = std::string(op) + ": ";
  if (at_ms < now_ms_) {
    return Status::Invalid(where + "field \"" +
                           (std::string(op) == "traffic" ? "start_ms" : "at_ms") + "\" is " +
                           Str(at_ms) + " but the simulation is already at " + Str(now_ms_) +
                           " ms; time only moves forward");
  }
  if (last_ms > kMaxTimeMs) {
    return Status::Invalid(where + "field \"duration_ms\": the traffic would end at " +
                           Str(last_ms) + " ms; hits must stay at or before " + Str(kMaxTimeMs) +
                           " ms");
  }
  if (hits() + count > kMaxHits) {
    return Status::Invalid(where + Str(static_cast<int64_t>(count)) + " more hits would make " +
                           Str(static_cast<int64_t>(hits() + count)) +
                           "; the trace holds at most " + Str(kMaxHits) + " hits");
  }
  if (key_index_.count(key) == 0 && key_names_.size() >= kMaxKeys) {
    return Status::Invalid(where + "field \"key\": already tracking the maximum of " +
                           Str(kMaxKeys) + " keys; reuse one of them");
  }
  return Status::Ok();
}

uint32_t RateLimiterSim::KeyIndex(const std::string& key) {
  const auto it = key_index_.find(key);
  if (it != key_index_.end()) return it->second;
  const auto index = static_cast<uint32_t>(key_names_.size());
  key_names_.push_back(key);
  key_index_[key] = index;
  for (Lane& lane : lanes_) {
    lane.per_key.push_back(MakeLimiter(lane.spec));
    lane.peaks.emplace_back(lane.spec.window_ms);
  }
  audits_.emplace_back(lanes_[kCounter].spec.limit, lanes_[kCounter].spec.window_ms);
  nginx_.pos.emplace_back();
  nginx_.in.push_back(0);
  return index;
}

// ngx_http_limit_req_lookup: a key without a node is new, and before its node
// is made, expire(ctx, 1) deletes up to two LRU nodes idle >= 60 s and drained,
// stopping at the first that is not.
void RateLimiterSim::NginxLookup(uint32_t key, int64_t at_ms) {
  auto& nginx = static_cast<NginxLimitReq&>(*lanes_[kLeaky].per_key[key]);
  if (nginx.has_node()) return;
  for (int n = 1; n < 3 && !nginx_.order.empty(); ++n) {
    const uint32_t oldest = nginx_.order.front();
    auto& node = static_cast<NginxLimitReq&>(*lanes_[kLeaky].per_key[oldest]);
    if (!node.Expirable(at_ms)) return;
    node.Forget();
    nginx_.order.pop_front();
    nginx_.in[oldest] = 0;
    ++nginx_forgotten_;
  }
}

// Every lookup of an existing node moves it to the head of the queue, refused
// or not; a new node is inserted at the head.
void RateLimiterSim::NginxTouch(uint32_t key) {
  const auto& nginx = static_cast<const NginxLimitReq&>(*lanes_[kLeaky].per_key[key]);
  if (nginx_.in[key]) nginx_.order.erase(nginx_.pos[key]);
  nginx_.in[key] = nginx.has_node() ? 1 : 0;
  if (nginx.has_node()) nginx_.pos[key] = nginx_.order.insert(nginx_.order.end(), key);
}

std::array<Decision, kAlgorithmCount> RateLimiterSim::Process(uint32_t key, int64_t at_ms,
                                                              int64_t qty) {
  std::array<Decision, kAlgorithmCount> out;
  // CL.THROTTLE's reply needs redis-cell's own precision (ns), not the Decision's ms.
  const auto& gcra = static_cast<const Gcra&>(*lanes_[kGcraLane].per_key[key]);
  const Gcra::Reply reply = gcra.ToReply(gcra.Evaluate(at_ms, qty, nullptr));
  last_gcra_reply_ = {reply.limited, reply.limit, reply.remaining, reply.retry_after_s,
                      reply.reset_after_s};
  if (qty > 0) NginxLookup(key, at_ms);
  for (uint32_t a = 0; a < kAlgorithmCount; ++a) {
    Lane& lane = lanes_[a];
    Limiter& limiter = *lane.per_key[key];
    const Decision d = limiter.Hit(at_ms, qty);
    if (a == kLeaky && qty > 0) NginxTouch(key);
    out[a] = d;
    lane.allowed_bits.push_back(d.allowed ? 1 : 0);
    lane.used_milli.push_back(Clamp32(limiter.UsedMilli(at_ms)));
    if (d.allowed) {
      ++lane.allowed;
      if (d.delay_ms > 0) ++lane.delayed;
      if (qty > 0) lane.peaks[key].Add(at_ms + d.delay_ms, qty);
    } else {
      ++lane.rejected;
    }
    lane.has_last = true;
    lane.last = d;
  }
  for (uint32_t a = 0; a < kAlgorithmCount; ++a) {
    if (out[a].allowed && !out[kLog].allowed) ++lanes_[a].wrongly_allowed;
    if (!out[a].allowed && out[kLog].allowed) ++lanes_[a].wrongly_limited;
  }
  if (qty > 0) audits_[key].Add(at_ms, qty);
  hit_time_.push_back(Clamp32(at_ms));
  hit_key_.push_back(key);
  hit_qty_.push_back(Clamp32(qty));
  delay_ms_.push_back(Clamp32(out[kLeaky].delay_ms));
  now_ms_ = at_ms;
  last_key_ = key;
  work_ += kAlgorithmCount;
  return out;
}

Json RateLimiterSim::DecisionJson(uint32_t lane, const Decision& d) const {
  Json out = {{"allowed", d.allowed},
              {"remaining", d.remaining},
              {"retry_after_ms", d.retry_after_ms},
              {"reset_after_ms", d.reset_after_ms}};
  if (lane == kLeaky) out["delay_ms"] = d.delay_ms;
  return out;
}

Json RateLimiterSim::RunSummary(uint64_t first) const {
  const uint64_t count = hits() - first;
  Json out = Json::object();
  for (uint32_t a = 0; a < kAlgorithmCount; ++a) {
    const Lane& lane = lanes_[a];
    uint64_t allowed = 0, differ = 0;
    std::string bits;
    for (uint64_t i = first; i < hits(); ++i) {
      allowed += lane.allowed_bits[i];
      differ += lane.allowed_bits[i] != lanes_[kLog].allowed_bits[i] ? 1 : 0;
      if (count <= kDetailHits) bits.push_back(lane.allowed_bits[i] ? '1' : '0');
    }
    Json s = {{"allowed", allowed}, {"rejected", count - allowed}};
    if (a != kLog) s["differ_from_sliding_log"] = differ;
    if (count <= kDetailHits) s["allowed_bits"] = bits;
    if (a == kLeaky && count <= kDetailHits) {
      s["delays_ms"] =
          std::vector<uint32_t>(delay_ms_.begin() + static_cast<int64_t>(first), delay_ms_.end());
    }
    out[AlgorithmName(static_cast<Algorithm>(a))] = s;
  }
  return out;
}

Result<Json> RateLimiterSim::Hit(const Json& args) {
  const std::string key = args.value("key", std::string(kDefaultKey));
  const int64_t at = args["at_ms"].get<int64_t>();
  const int64_t qty = args.value("qty", int64_t{1});
  SDP_RETURN_IF_ERROR(CheckRoom("hit", key, at, at, 1));
  const auto decisions = Process(KeyIndex(key), at, qty);
  Json per = Json::object();
  for (uint32_t a = 0; a < kAlgorithmCount; ++a) {
    per[AlgorithmName(static_cast<Algorithm>(a))] = DecisionJson(a, decisions[a]);
  }
  per["gcra"]["cl_throttle"] = last_gcra_reply_;
  return Json{{"at_ms", at}, {"key", key}, {"qty", qty}, {"decisions", per}};
}

Result<Json> RateLimiterSim::Burst(const Json& args) {
  const std::string key = args.value("key", std::string(kDefaultKey));
  const int64_t at = args.value("at_ms", now_ms_);
  const int64_t qty = args.value("qty", int64_t{1});
  const auto count = args["count"].get<uint64_t>();
  SDP_RETURN_IF_ERROR(CheckRoom("burst", key, at, at, count));
  const uint64_t first = hits();
  const uint32_t k = KeyIndex(key);
  for (uint64_t i = 0; i < count; ++i) Process(k, at, qty);
  return Json{{"at_ms", at}, {"key", key}, {"count", count}, {"algorithms", RunSummary(first)}};
}

Result<Json> RateLimiterSim::Traffic(const Json& args) {
  const std::string pattern = args["pattern"];
  const std::string key = args.value("key", std::string(kDefaultKey));
  TrafficSpec spec;
  spec.pattern = pattern == "steady"    ? TrafficPattern::kSteady
                 : pattern == "poisson" ? TrafficPattern::kPoisson
                 : pattern == "bursty"  ? TrafficPattern::kBursty
                                        : TrafficPattern::kBoundary;
  if (spec.pattern == TrafficPattern::kBoundary && args.contains("rps")) {
    return Status::Invalid(
        "traffic: field \"rps\" does not apply to pattern boundary (it puts "
        "burst_size hits either side of every other fixed-window edge)");
  }
  spec.start_ms = args.value("start_ms", now_ms_);
  spec.duration_ms = args["duration_ms"].get<int64_t>();
  spec.rps = args.value(
      "rps", static_cast<double>(config_.limit) * 1000 / static_cast<double>(config_.window_ms));
  spec.burst_size = args.value("burst_size", config_.limit);
  spec.window_ms = lanes_[static_cast<uint32_t>(Algorithm::kFixedWindow)].spec.window_ms;
  const int64_t end = spec.start_ms + spec.duration_ms;
  SDP_RETURN_IF_ERROR(CheckRoom("traffic", key, spec.start_ms, end, 0));
  // Drawn from a copy: a refused trace must leave the seeded stream untouched.
  Rng rng = rng_;
  std::vector<int64_t> times;
  if (!GenerateTraffic(spec, rng, kMaxHits - hits(), &times)) {
    return Status::Invalid("traffic: this trace would add more than the " + Str(kMaxHits - hits()) +
                           " hits left: the trace holds at most " + Str(kMaxHits) +
                           " hits; lower rps or duration_ms");
  }
  rng_ = rng;
  const uint64_t first = hits();
  const uint32_t k = KeyIndex(key);
  for (int64_t at : times) Process(k, at, 1);
  now_ms_ = end;
  return Json{
      {"pattern", pattern},       {"key", key},   {"hits", static_cast<uint64_t>(times.size())},
      {"from_ms", spec.start_ms}, {"to_ms", end}, {"algorithms", RunSummary(first)}};
}

void RateLimiterSim::ResetLane(uint32_t a) {
  Lane& lane = lanes_[a];
  for (auto& limiter : lane.per_key) limiter = MakeLimiter(lane.spec);
  for (WindowPeak& peak : lane.peaks) peak = WindowPeak(lane.spec.window_ms);
  lane.allowed = lane.rejected = lane.delayed = 0;
  lane.wrongly_allowed = lane.wrongly_limited = 0;
  lane.has_last = false;
  if (a == kLeaky) {
    nginx_.order.clear();
    for (auto& in : nginx_.in) in = 0;
    nginx_forgotten_ = 0;
  }
  if (a == kCounter) {
    for (SlidingCounterAudit& audit : audits_)
      audit = SlidingCounterAudit(lane.spec.limit, lane.spec.window_ms);
  }
}

Result<Json> RateLimiterSim::SetLimiter(const Json& args) {
  const Algorithm algorithm = AlgorithmFromName(args["algorithm"].get<std::string>());
  const auto a = static_cast<uint32_t>(algorithm);
  const std::string name = AlgorithmName(algorithm);
  // The same field rules as the gateway's limiters (sdp/limiter_args.h).
  Result<LimiterSpec> next = LimiterSpecFromArgs(lanes_[a].spec, args, "limiter");
  if (!next.ok()) return next.status();
  const LimiterSpec spec = next.value();
  lanes_[a].spec = spec;
  ResetLane(a);
  work_ += key_names_.size();
  return Json{{"algorithm", name},
              {"params", SpecJson(spec)},
              {"reset", name + " restarts from empty state for every key, and its totals and "
                               "peak restart too; its earlier decisions stay in the timeline"}};
}

Result<Json> RateLimiterSim::Advance(int64_t ms) {
  if (now_ms_ + ms > kMaxTimeMs) {
    return Status::Invalid("advance: field \"ms\": the clock would reach " + Str(now_ms_ + ms) +
                           " ms; at most " + Str(kMaxTimeMs));
  }
  now_ms_ += ms;
  Json out = {{"now_ms", now_ms_}};
  if (last_key_ >= 0) {
    Json peek = Json::object();
    for (uint32_t a = 0; a < kAlgorithmCount; ++a) {
      peek[AlgorithmName(static_cast<Algorithm>(a))] =
          DecisionJson(a, lanes_[a].per_key[last_key_]->Peek(now_ms_));
    }
    out["key"] = key_names_[last_key_];
    out["peek"] = peek;
  }
  return out;
}

Result<Json> RateLimiterSim::Apply(const std::string& op, const Json& args) {
  if (op == "hit") return Hit(args);
  if (op == "burst") return Burst(args);
  if (op == "traffic") return Traffic(args);
  if (op == "limiter") return SetLimiter(args);
  if (op == "advance") return Advance(args["ms"].get<int64_t>());
  SDP_CHECK(false && "op declared in RateLimiterSimInfo but not handled");
  return Status::Invalid(op);
}

Json RateLimiterSim::LaneJson(uint32_t a, Detail detail) const {
  const Lane& lane = lanes_[a];
  int64_t peak = 0, peak_at = -1;
  std::string peak_key;
  for (uint32_t k = 0; k < lane.peaks.size(); ++k) {
    if (lane.peaks[k].peak() > peak) {
      peak = lane.peaks[k].peak();
      peak_at = lane.peaks[k].peak_at_ms();
      peak_key = key_names_[k];
    }
  }
  Json out = {{"algorithm", AlgorithmName(static_cast<Algorithm>(a))},
              {"reference", AlgorithmReference(static_cast<Algorithm>(a))},
              {"params", SpecJson(lane.spec)},
              {"allowed", lane.allowed},
              {"rejected", lane.rejected},
              {"sliding_window_peak",
               {{"max_admitted", peak},
                {"window_end_ms", peak_at < 0 ? Json(nullptr) : Json(peak_at)},
                {"key", peak_at < 0 ? Json(nullptr) : Json(peak_key)},
                {"limit", lane.spec.limit},
                {"window_ms", lane.spec.window_ms},
                {"ratio", static_cast<double>(peak) / static_cast<double>(lane.spec.limit)},
                {"measured_on", a == kLeaky ? "served time (arrival + delay)" : "arrival time"}}},
              {"last", lane.has_last ? DecisionJson(a, lane.last) : Json(nullptr)}};
  if (a == kLeaky) {
    out["delayed"] = lane.delayed;
    out["forgotten_keys"] = nginx_forgotten_;  // nodes ngx_http_limit_req_expire deleted
  }
  const uint64_t decisions = lane.allowed + lane.rejected;
  if (a == kLog) {
    out["vs_sliding_log"] = nullptr;
  } else {
    const uint64_t differ = lane.wrongly_allowed + lane.wrongly_limited;
    out["vs_sliding_log"] = {{"differ", differ},
                             {"wrongly_allowed", lane.wrongly_allowed},
                             {"wrongly_limited", lane.wrongly_limited},
                             {"fraction", decisions == 0 ? Json(nullptr)
                                                         : Json(static_cast<double>(differ) /
                                                                static_cast<double>(decisions))}};
  }
  if (a == kCounter) {
    uint64_t requests = 0, wrongly_allowed = 0, wrongly_limited = 0;
    Json by_key = Json::object();
    for (uint32_t k = 0; k < audits_.size(); ++k) {
      const SlidingCounterAudit& audit = audits_[k];
      requests += audit.requests();
      wrongly_allowed += audit.wrongly_allowed();
      wrongly_limited += audit.wrongly_limited();
      if (detail == Detail::kFull) {
        by_key[key_names_[k]] = {{"requests", audit.requests()},
                                 {"wrong", audit.wrongly_allowed() + audit.wrongly_limited()}};
      }
    }
    const uint64_t wrong = wrongly_allowed + wrongly_limited;
    out["estimate_audit"] = {
        {"requests", requests},
        {"wrongly_allowed", wrongly_allowed},
        {"wrongly_limited", wrongly_limited},
        {"fraction", requests == 0
                         ? Json(nullptr)
                         : Json(static_cast<double>(wrong) / static_cast<double>(requests))},
        {"cloudflare_2017", "0.003% of 400 million requests wrongly allowed or limited"}};
    if (detail == Detail::kFull) out["estimate_audit"]["by_key"] = by_key;
  }
  Json state = Json::object();
  for (uint32_t k = 0; k < key_names_.size(); ++k) {
    if (detail == Detail::kFull || static_cast<int64_t>(k) == last_key_) {
      state[key_names_[k]] = lane.per_key[k]->State(now_ms_);
    }
  }
  out["state"] = state;
  return out;
}

Json RateLimiterSim::Snapshot(Detail detail) const {
  Json lanes = Json::array();
  for (uint32_t a = 0; a < kAlgorithmCount; ++a) lanes.push_back(LaneJson(a, detail));
  Json out = {{"config",
               {{"limit", config_.limit},
                {"window_ms", config_.window_ms},
                {"capacity", config_.capacity},
                {"burst", config_.burst},
                {"delay", config_.delay},
                {"nodelay", config_.nodelay}}},
              {"now_ms", now_ms_},
              {"hits", hits()},
              {"max_hits", kMaxHits},
              {"key_count", static_cast<uint64_t>(key_names_.size())},
              {"last_key", last_key_ < 0 ? Json(nullptr) : Json(key_names_[last_key_])},
              {"last_cl_throttle", last_gcra_reply_},
              {"algorithms", lanes}};
  if (detail == Detail::kFull) out["keys"] = key_names_;
  return out;
}

std::vector<uint32_t> RateLimiterSim::Column(std::string_view name) const {
  if (name == "hit_time_ms") return hit_time_;
  if (name == "hit_key") return hit_key_;
  if (name == "hit_qty") return hit_qty_;
  if (name == "delay_ms") return delay_ms_;
  for (uint32_t a = 0; a < kAlgorithmCount; ++a) {
    const std::string alg = AlgorithmName(static_cast<Algorithm>(a));
    if (name == "allowed:" + alg) {
      return std::vector<uint32_t>(lanes_[a].allowed_bits.begin(), lanes_[a].allowed_bits.end());
    }
    if (name == "used_milli:" + alg) return lanes_[a].used_milli;
  }
  return {};
}

}  // namespace sdp

// The component kinds and the params each accepts (ranges and defaults are
// data, so the runner's messages, `sdp list` and the docs agree).
#include <iterator>

#include "architecture/params.h"

namespace sdp::architecture {
namespace {

constexpr const char* kKindNames[] = {"client", "dns",      "cdn",   "api_gateway", "load_balancer",
                                      "service", "cache", "database", "queue", "search_index"};
static_assert(std::size(kKindNames) == static_cast<size_t>(Kind::kCount));

// The load balancer policies the architecture routes by (a subset of the
// load_balancer sim's: those that need no weights, sessions or addresses).
constexpr LbAlgorithm kPolicies[] = {LbAlgorithm::kRoundRobin, LbAlgorithm::kRandom,
                                     LbAlgorithm::kLeastConnections, LbAlgorithm::kPowerOfTwoChoices};

std::vector<std::string> PolicyNames() {
  std::vector<std::string> names;
  for (LbAlgorithm a : kPolicies) names.push_back(LbAlgorithmName(a));
  return names;
}

FieldSpec Latency(double dflt, const char* what) {
  return NumberField("latency_ms", false, 0, 10000,
                     std::string(what) + " in ms (default " + Json(dflt).dump() + ")");
}
FieldSpec MaxQueue() {
  return IntField("max_queue", false, 0, 100000, "requests that may wait; more are dropped (default 1000)");
}

}  // namespace

const char* KindName(Kind kind) {
  const auto i = static_cast<size_t>(kind);
  return i < std::size(kKindNames) ? kKindNames[i] : "?";
}

bool ParseKind(std::string_view name, Kind* out) {
  for (size_t i = 0; i < std::size(kKindNames); ++i) {
    if (name == kKindNames[i]) {
      *out = static_cast<Kind>(i);
      return true;
    }
  }
  return false;
}

std::vector<std::string> KindNames() { return {std::begin(kKindNames), std::end(kKindNames)}; }

const std::vector<FieldSpec>& KindParams(Kind kind) {
  static const std::vector<std::vector<FieldSpec>> all = {
      {},  // client
      {Latency(1, "name resolution")},
      {Latency(5, "edge latency"),
       NumberField("hit_share", false, 0, 1, "share of reads the edge answers (default 0.5)")},
      {Latency(1, "authentication cost"),
       IntField("rate_limit_rps", false, 0, 1000000, "token bucket refill per second, 0 = no limit (default 0)"),
       IntField("burst", false, 0, 1000000, "token bucket capacity (default: one second of rate_limit_rps)")},
      {EnumField("policy", false, PolicyNames(), "how a target is picked (default round_robin)"),
       EnumField("mode", false, {"l4", "l7"}, "l4 forwards connections (0.05 ms), l7 parses each request (0.5 ms); default l4")},
      {IntField("replicas", false, 1, 100, "instances (default 2)"),
       IntField("concurrency", false, 1, 1000, "requests one replica serves at once (default 8)"),
       NumberField("service_ms", false, 0.001, 60000, "mean service time in ms (default 10)"),
       EnumField("distribution", false, {"exponential", "fixed"}, "service time distribution (default exponential)"),
       MaxQueue(), BoolField("breaker", false, "a circuit breaker on its calls onward (default false)"),
       NumberField("slow_call_ms", false, 1, 600000, "the breaker counts calls slower than this as slow (default 1000)")},
      {Latency(0.5, "lookup latency"),
       NumberField("hit_share", false, 0, 1, "share of reads answered from cache (default 0.8)"),
       IntField("keys", false, 0, 1000000, "distinct keys; with capacity, the hit share comes from Zipf popularity (default 0: use hit_share)"),
       IntField("capacity", false, 0, 1000000, "keys the cache holds, the most popular (default keys / 5)"),
       NumberField("zipf_s", false, 0, 3, "Zipf exponent of key popularity (default 1)")},
      {IntField("read_replicas", false, 0, 10, "read replicas beside the primary (default 1)"),
       IntField("concurrency", false, 1, 1000, "queries one node runs at once (default 16)"),
       NumberField("read_ms", false, 0.001, 60000, "mean read time in ms (default 2)"),
       NumberField("write_ms", false, 0.001, 60000, "mean write time in ms (default 5)"), MaxQueue(),
       NumberField("lag_ms", false, 0, 600000, "replication lag in ms: how stale a replica read may be (default 0)")},
      {Latency(2, "append (enqueue) latency"),
       NumberField("consumer_rps", false, 0, 10000000, "records the consumers drain per second (default 1000)")},
      {IntField("replicas", false, 1, 100, "instances (default 1)"),
       IntField("concurrency", false, 1, 1000, "queries one replica runs at once (default 16)"),
       NumberField("service_ms", false, 0.001, 60000, "mean query time in ms (default 20)"), MaxQueue()},
  };
  return all[static_cast<size_t>(kind)];
}

Result<Params> ParseParams(Kind kind, const Json& params) {
  const std::string context = std::string("component_add: params of a ") + KindName(kind);
  if (!params.is_object()) {
    return Status::Invalid(context + " must be an object such as {} (got " + params.dump().substr(0, 40) + ")");
  }
  SDP_RETURN_IF_ERROR(ValidateFields(context, KindParams(kind), params));
  Params p;
  switch (kind) {
    case Kind::kDns: p.latency_ms = 1; break;
    case Kind::kCdn: p.latency_ms = 5; p.hit_share = 0.5; break;
    case Kind::kApiGateway: p.latency_ms = 1; break;
    case Kind::kService: p.replicas = 2; p.concurrency = 8; p.service_ms = 10; break;
    case Kind::kCache: p.latency_ms = 0.5; p.hit_share = 0.8; break;
    case Kind::kDatabase: p.read_replicas = 1; p.concurrency = 16; break;
    case Kind::kQueue: p.latency_ms = 2; break;
    case Kind::kSearchIndex: p.replicas = 1; p.concurrency = 16; p.service_ms = 20; break;
    default: break;
  }
  p.latency_ms = params.value("latency_ms", p.latency_ms);
  p.hit_share = params.value("hit_share", p.hit_share);
  p.keys = params.value("keys", p.keys);
  p.capacity = params.value("capacity", p.keys / 5);
  p.zipf_s = params.value("zipf_s", p.zipf_s);
  if (p.capacity > p.keys && p.keys > 0) {
    return Status::Invalid(context + ": field \"capacity\" (" + std::to_string(p.capacity) +
                           ") must be at most \"keys\" (" + std::to_string(p.keys) + ")");
  }
  if (p.keys == 0 && params.contains("capacity")) {
    return Status::Invalid(context + ": field \"capacity\" needs \"keys\" (the number of distinct keys) too");
  }
  p.rate_limit_rps = params.value("rate_limit_rps", p.rate_limit_rps);
  p.burst = params.value("burst", p.rate_limit_rps);
  if (p.rate_limit_rps > 0 && p.burst == 0) {
    return Status::Invalid(context + ": field \"burst\" must be at least 1 when rate_limit_rps is set");
  }
  if (params.contains("policy")) ParseLbAlgorithm(params["policy"].get<std::string>(), &p.policy);
  p.l7 = params.value("mode", std::string("l4")) == "l7";
  if (kind == Kind::kLoadBalancer) p.latency_ms = p.l7 ? 0.5 : 0.05;
  p.replicas = params.value("replicas", p.replicas);
  p.concurrency = params.value("concurrency", p.concurrency);
  p.service_ms = params.value("service_ms", p.service_ms);
  p.fixed = params.value("distribution", std::string("exponential")) == "fixed";
  p.max_queue = params.value("max_queue", p.max_queue);
  p.breaker = params.value("breaker", p.breaker);
  p.slow_call_ms = params.value("slow_call_ms", p.slow_call_ms);
  p.read_replicas = params.value("read_replicas", p.read_replicas);
  p.read_ms = params.value("read_ms", p.read_ms);
  p.write_ms = params.value("write_ms", p.write_ms);
  p.lag_ms = params.value("lag_ms", p.lag_ms);
  p.consumer_rps = params.value("consumer_rps", p.consumer_rps);
  return p;
}

}  // namespace sdp::architecture

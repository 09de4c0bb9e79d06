// The api_gateway's configuration ops (routes, services, the default
// limiter, the clock) and what it shows: Snapshot() and Column().
#include <algorithm>

#include "sdp/api_gateway_sim.h"
#include "sdp/limiter_args.h"
#include "sims/sim_text.h"

namespace sdp {
namespace {

template <typename Map>
std::string Names(const Map& map) {
  std::string out;
  uint32_t n = 0;
  for (const auto& [name, value] : map) {
    (void)value;
    if (n++ == kListedInErrors) return out + ", ...";
    out += (out.empty() ? "" : ", ") + name;
  }
  return out.empty() ? "none" : out;
}

}  // namespace

Json RateLimitPolicy(const LimiterSpec& spec) {
  // Draft -06 "Quota Policy": the limit per whole-second window; what the
  // limiter admits at once, when more, as a burst parameter (the draft's own
  // example is "12;w=1;burst=1000").
  if (spec.window_ms % 1000 != 0) return nullptr;
  std::string policy = Str(spec.limit) + ";w=" + Str(spec.window_ms / 1000);
  if (LimiterQuota(spec) != spec.limit) policy += ";burst=" + Str(LimiterQuota(spec));
  return policy;
}

Json ApiGatewaySim::LimiterJson(const LimiterSpec& spec) const {
  Json out = {{"algorithm", AlgorithmName(spec.algorithm)},
              {"reference", AlgorithmReference(spec.algorithm)},
              {"params", SpecJson(spec)},
              {"quota", LimiterQuota(spec)},
              {"policy", RateLimitPolicy(spec)}};
  if (spec.algorithm == Algorithm::kLeakyBucket) {
    // What nginx itself answers when limit_req refuses a request.
    out["refused_with"] = {{"status", config_.limit_req_status},
                           {"retry_after", false},
                           {"ratelimit_fields", false},
                           {"nginx", config_.limit_req_status == 503
                                         ? "limit_req_status 503; (the default)"
                                         : "limit_req_status 429;"}};
  }
  return out;
}

Json ApiGatewaySim::RouteJson(const Route& route) const {
  return Json{{"prefix", route.prefix},
              {"service", route.service},
              {"methods", MethodList(route.methods)},
              {"any_method", route.methods == kAnyMethod},
              {"limiter", route.own_limiter ? LimiterJson(route.limiter) : Json(nullptr)},
              {"matched", route.matched}};
}

Result<Json> ApiGatewaySim::RouteAdd(const Json& args) {
  const std::string prefix = args["prefix"].get<std::string>();
  SDP_RETURN_IF_ERROR(RouteTable::CheckPrefix(prefix, "route_add"));
  if (routes_.Find(prefix) != nullptr) {
    return Status::Invalid("route_add: field \"prefix\": a route for \"" + prefix +
                           "\" already exists; route_remove it first");
  }
  if (routes_.size() >= kMaxRoutes) {
    return Status::Invalid("route_add: field \"prefix\": the gateway already has the maximum of " +
                           Str(kMaxRoutes) + " routes; route_remove one first");
  }
  const std::string service = args["service"].get<std::string>();
  if (services_.find(service) == services_.end() && services_.size() >= kMaxServices) {
    return Status::Invalid(
        "route_add: field \"service\": a new service, but the gateway already "
        "has the maximum of " +
        Str(kMaxServices) + " services; use one of: " + Names(services_));
  }
  Route route;
  route.prefix = prefix;
  route.service = service;
  if (args.contains("methods")) {
    SDP_RETURN_IF_ERROR(
        ParseMethods(args["methods"].get<std::string>(), "route_add", &route.methods));
  }
  if (HasLimiterArgs(args)) {
    Result<LimiterSpec> spec = LimiterSpecFromArgs(default_limiter_, args, "route_add");
    if (!spec.ok()) return spec.status();
    route.own_limiter = true;
    route.limiter = spec.value();
  }
  Json out = {{"route", RouteJson(route)}};
  routes_.Add(std::move(route));
  AddService(service);
  return out;
}

Result<Json> ApiGatewaySim::RouteRemove(const Json& args) {
  const std::string prefix = args["prefix"].get<std::string>();
  const Route* route = routes_.Find(prefix);
  if (route == nullptr) {
    return Status::Invalid("route_remove: field \"prefix\": no route \"" + Excerpt(prefix, 64) +
                           "\"; the routes are: " + Names(routes_.routes()));
  }
  Json out = {{"removed", RouteJson(*route)}};
  if (route->own_limiter) {
    for (User& user : users_) user.limiters.erase(prefix);
  }
  routes_.Remove(prefix);
  work_ += users_.size();
  return out;
}

Result<Json> ApiGatewaySim::SetService(const Json& args) {
  const std::string name = args["name"].get<std::string>();
  const auto it = services_.find(name);
  if (it == services_.end()) {
    return Status::Invalid("service: field \"name\": no service \"" + name +
                           "\"; the services are: " + Names(services_) +
                           " (route_add creates services)");
  }
  const bool was_up = it->second.up;
  it->second.up = args["up"].get<bool>();
  return Json{{"service", name}, {"up", it->second.up}, {"was_up", was_up}};
}

Result<Json> ApiGatewaySim::SetLimiter(const Json& args) {
  Result<LimiterSpec> spec = LimiterSpecFromArgs(default_limiter_, args, "limiter");
  if (!spec.ok()) return spec.status();
  default_limiter_ = spec.value();
  for (User& user : users_) user.limiters.erase("default");
  work_ += users_.size();
  return Json{{"limiter", LimiterJson(default_limiter_)},
              {"reset",
               "every user's default limiter restarts from idle; routes with a limiter of their "
               "own keep theirs"}};
}

Result<Json> ApiGatewaySim::Advance(int64_t ms) {
  if (now_ms_ + ms > kMaxTimeMs) {
    return Status::Invalid("advance: field \"ms\": the clock would reach " + Str(now_ms_ + ms) +
                           " ms; at most " + Str(kMaxTimeMs));
  }
  now_ms_ += ms;
  return Json{{"now_ms", now_ms_}};
}

Result<Json> ApiGatewaySim::Apply(const std::string& op, const Json& args) {
  if (op == "request") return Request(args);
  if (op == "burst") return Burst(args);
  if (op == "issue_token") return IssueToken(args);
  if (op == "route_add") return RouteAdd(args);
  if (op == "route_remove") return RouteRemove(args);
  if (op == "service") return SetService(args);
  if (op == "limiter") return SetLimiter(args);
  if (op == "advance") return Advance(args["ms"].get<int64_t>());
  SDP_CHECK(false && "op declared in ApiGatewaySimInfo but not handled");
  return Status::Invalid(op);
}

Json ApiGatewaySim::Snapshot(Detail detail) const {
  auto by_status = [](const std::array<uint64_t, kStatusCount>& counts) {
    Json out = Json::object();
    for (uint32_t s = 0; s < kStatusCount; ++s) out[Str(kStatuses[s])] = counts[s];
    return out;
  };
  Json routes = Json::array();
  for (const auto& [prefix, route] : routes_.routes()) routes.push_back(RouteJson(route));
  Json services = Json::array();
  for (const auto& [name, s] : services_) {
    services.push_back({{"name", name},
                        {"up", s.up},
                        {"requests", s.requests},
                        {"ok", s.ok},
                        {"unavailable", s.unavailable}});
  }
  Json users = Json::array();
  for (const User& user : users_) {
    Json limits = Json::array();
    for (const auto& [group, limiter] : user.limiters) {
      const Decision peek = limiter->Peek(now_ms_);
      Json limit = {
          {"group", group}, {"remaining", peek.remaining}, {"reset_after_ms", peek.reset_after_ms}};
      if (detail == Detail::kFull) limit["state"] = limiter->State(now_ms_);
      limits.push_back(std::move(limit));
    }
    users.push_back({{"user", user.name},
                     {"requests", user.requests},
                     {"by_status", by_status(user.by_status)},
                     {"limits", limits}});
  }
  Json by_stage = Json::object();
  const char* const stages[] = {"auth", "rate_limit", "route", "service"};
  for (uint32_t s = 0; s < 4; ++s) by_stage[stages[s]] = by_stage_[s];
  Json recent = Json::array();
  for (const Outcome& o : recent_) recent.push_back(ResultJson(o));
  return Json{
      {"now_ms", now_ms_},
      {"limiter", LimiterJson(default_limiter_)},
      {"routes", routes},
      {"services", services},
      {"users", users},
      {"totals",
       {{"requests", requests_}, {"by_status", by_status(by_status_)}, {"by_stage", by_stage}}},
      {"recent", recent},
      {"recent_capacity", config_.recent},
      {"caps", {{"users", kMaxUsers}, {"routes", kMaxRoutes}, {"services", kMaxServices}}}};
}

std::vector<uint32_t> ApiGatewaySim::Column(std::string_view name) const {
  std::vector<uint32_t> out;
  const bool known = name == "recent_status" || name == "recent_at_ms" || name == "recent_stage" ||
                     name == "recent_user";
  if (!known) return out;
  out.reserve(recent_.size());
  for (const Outcome& o : recent_) {
    if (name == "recent_status") out.push_back(static_cast<uint32_t>(kStatuses[o.status_index]));
    if (name == "recent_at_ms") {
      out.push_back(static_cast<uint32_t>(std::clamp<int64_t>(o.at_ms, 0, UINT32_MAX)));
    }
    if (name == "recent_stage") out.push_back(o.stage);
    if (name == "recent_user")
      out.push_back(o.user < 0 ? UINT32_MAX : static_cast<uint32_t>(o.user));
  }
  return out;
}

}  // namespace sdp

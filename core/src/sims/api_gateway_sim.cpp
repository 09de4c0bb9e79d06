// The api_gateway pipeline: auth -> rate limit -> route -> service, and the
// ops that send requests (`request`, `burst`) or mint tokens (`issue_token`).
#include "sdp/api_gateway_sim.h"

#include "sdp/limiter_args.h"
#include "sims/sim_text.h"

namespace sdp {
namespace {

const char* const kStageNames[] = {"auth", "rate_limit", "route", "service"};
enum Stage : uint32_t { kAuth, kRateLimit, kRoute, kService };
enum StatusIndex : uint32_t { k200, k401, k404, k405, k429, k503 };

// HTTP delay-seconds: whole seconds, rounded up so a client never comes back early.
int64_t CeilSeconds(int64_t ms) { return ms <= 0 ? 0 : (ms + 999) / 1000; }

std::string JoinMethods(uint32_t mask) {
  std::string out;
  for (const std::string& m : MethodList(mask)) out += (out.empty() ? "" : ", ") + m;
  return out;
}

}  // namespace

ApiGatewaySim::ApiGatewaySim(const Config& config)
    : config_(config), default_limiter_(config.limiter) {
  if (!config_.default_routes) return;
  const struct {
    const char* prefix;
    const char* service;
    const char* methods;
  } defaults[] = {{"/api/orders", "orders", "GET,POST"},
                  {"/api/users", "users", "GET,POST,PUT,DELETE"},
                  {"/static", "cdn", "GET,HEAD"}};
  for (const auto& d : defaults) {
    Route route;
    route.prefix = d.prefix;
    route.service = d.service;
    SDP_CHECK(ParseMethods(d.methods, "default routes", &route.methods).ok());
    routes_.Add(std::move(route));
    AddService(d.service);
  }
}

void ApiGatewaySim::AddService(const std::string& name) {
  if (services_.find(name) == services_.end()) services_.emplace(name, Service{});
}

std::string ApiGatewaySim::Mint(const std::string& user, int64_t iat_s, int64_t exp_s) const {
  const Json header = {{"alg", "HS256"}, {"typ", "JWT"}};
  const Json payload = {{"sub", user}, {"iat", iat_s}, {"exp", exp_s}};
  return SignJwtHs256(config_.secret, header, payload);
}

ApiGatewaySim::Identity ApiGatewaySim::Authenticate(const std::string& token, int64_t at_ms) const {
  const JwtVerdict verdict = VerifyJwtHs256(config_.secret, token, at_ms);
  Identity out;
  out.valid = verdict.valid;
  out.reason = verdict.reason;
  out.user = verdict.subject;
  return out;
}

Result<ApiGatewaySim::Incoming> ApiGatewaySim::Check(const char* op, const Json& args) const {
  const std::string where = std::string(op) + ": ";
  Incoming in;
  in.path = args["path"].get<std::string>();
  if (in.path.front() != '/') {
    return Status::Invalid(where + "field \"path\" must start with \"/\" (e.g. \"/api/orders/7\")");
  }
  in.method = 0;
  const std::string method = args.value("method", std::string("GET"));
  for (uint32_t i = 0; i < kMethodCount; ++i) {
    if (method == MethodName(i)) in.method = i;
  }
  in.at_ms = args.value("at_ms", now_ms_);
  if (in.at_ms < now_ms_) {
    return Status::Invalid(where + "field \"at_ms\" is " + Str(in.at_ms) +
                           " but the simulation is already at " + Str(now_ms_) +
                           " ms; time only moves forward");
  }
  if (args.contains("token") && args.contains("user")) {
    return Status::Invalid(where +
                           "fields \"token\" and \"user\" exclude each other: give a token, or a "
                           "user to send a freshly issued valid token for");
  }
  if (args.contains("token")) {
    in.who = Authenticate(args["token"].get<std::string>(), in.at_ms);
  } else if (args.contains("user")) {
    const int64_t iat = in.at_ms / 1000;
    in.who = Authenticate(Mint(args["user"].get<std::string>(), iat, iat + config_.token_ttl_s),
                          in.at_ms);
    SDP_CHECK(in.who.valid);  // the user field has sub's constraints
  } else {
    in.who.missing = true;
    in.who.reason = "no token: the request has no Authorization: Bearer header";
  }
  if (in.who.valid && user_index_.find(in.who.user) == user_index_.end() &&
      users_.size() >= kMaxUsers) {
    return Status::Invalid(where + "field \"" + (args.contains("token") ? "token" : "user") +
                           "\": a new user, but the gateway already tracks the maximum of " +
                           Str(kMaxUsers) + " users; reuse one of them");
  }
  return in;
}

const ApiGatewaySim::Outcome& ApiGatewaySim::Handle(const Incoming& in) {
  Outcome o;
  o.id = requests_;
  o.at_ms = in.at_ms;
  o.method = in.method;
  o.path = in.path;
  now_ms_ = in.at_ms;
  User* user = nullptr;
  if (!in.who.valid) {
    o.status_index = k401;
    o.stage = kAuth;
    o.token_missing = in.who.missing;
    o.auth_reason = in.who.reason;
  } else {
    auto it = user_index_.find(in.who.user);
    if (it == user_index_.end()) {
      it = user_index_.emplace(in.who.user, static_cast<uint32_t>(users_.size())).first;
      users_.emplace_back();
      users_.back().name = in.who.user;
    }
    o.user = it->second;
    user = &users_[it->second];
    // The route is looked up first only to choose the limiter (see the header).
    const Route* matched = routes_.Match(in.path);
    Route* route = matched == nullptr ? nullptr : routes_.Find(matched->prefix);
    const bool own = route != nullptr && route->own_limiter;
    o.limited = true;
    o.group = own ? route->prefix : "default";
    o.spec = own ? route->limiter : default_limiter_;
    auto slot = user->limiters.find(o.group);
    if (slot == user->limiters.end()) {
      slot = user->limiters.emplace(o.group, MakeLimiter(o.spec)).first;
    }
    o.decision = slot->second->Hit(in.at_ms, 1);
    if (!o.decision.allowed) {
      // nginx limit_req answers with limit_req_status (503 unless set).
      o.status_index = o.spec.algorithm == Algorithm::kLeakyBucket && config_.limit_req_status == 503
                           ? k503
                           : k429;
      o.stage = kRateLimit;
    } else if (route == nullptr) {
      o.status_index = k404;
      o.stage = kRoute;
    } else {
      ++route->matched;
      o.route = route->prefix;
      if ((route->methods & (1u << in.method)) == 0) {
        o.status_index = k405;
        o.stage = kRoute;
        o.allow = route->methods;
      } else {
        const auto svc = services_.find(route->service);
        SDP_CHECK(svc != services_.end());  // every route's service is registered
        Service& service = svc->second;
        o.service = route->service;
        o.stage = kService;
        ++service.requests;
        if (service.up) {
          o.status_index = k200;
          ++service.ok;
        } else {
          o.status_index = k503;
          ++service.unavailable;
        }
      }
    }
  }
  ++requests_;
  ++by_status_[o.status_index];
  ++by_stage_[o.stage];
  if (user != nullptr) {
    ++user->requests;
    ++user->by_status[o.status_index];
  }
  ++work_;
  recent_.push_back(std::move(o));
  while (recent_.size() > config_.recent) recent_.pop_front();
  return recent_.back();
}

std::string ApiGatewaySim::LimitedReason(const Outcome& o, int64_t wait_ms) const {
  std::string out = "rate limited by the " +
                    (o.group == "default" ? std::string("default") : "route " + o.group) + " " +
                    AlgorithmName(o.spec.algorithm) + " limiter of " + users_[o.user].name +
                    ": 0 left, retry in " + Str(wait_ms) + " ms";
  if (o.spec.algorithm == Algorithm::kLeakyBucket) {
    out += config_.limit_req_status == 503
               ? "; answered as nginx limit_req does: 503 (its default limit_req_status), "
                 "no Retry-After (limit_req_status 429; makes it 429)"
               : "; answered as nginx limit_req with limit_req_status 429; does: no Retry-After";
  }
  return out;
}

Json ApiGatewaySim::ResultJson(const Outcome& o) const {
  const int status = kStatuses[o.status_index];
  const std::string method = MethodName(o.method);
  Json headers = Json::object();
  Json rate_limit = nullptr;
  const bool nginx = o.limited && o.spec.algorithm == Algorithm::kLeakyBucket;
  // Waiting can never help only for a request above the burst (not qty 1);
  // then the honest wait is until the limiter is idle.
  const int64_t wait =
      o.decision.retry_after_ms >= 0 ? o.decision.retry_after_ms : o.decision.reset_after_ms;
  if (o.limited) {
    const Decision& d = o.decision;
    // nginx limit_req sends none of these fields (nor Retry-After).
    if (!nginx) {
      headers["RateLimit-Limit"] = Str(o.spec.limit);
      headers["RateLimit-Remaining"] = Str(d.remaining);
      // Draft -06: with Retry-After, Reset SHOULD name the same instant.
      headers["RateLimit-Reset"] = Str(CeilSeconds(d.allowed ? d.reset_after_ms : wait));
      const Json policy = RateLimitPolicy(o.spec);
      if (!policy.is_null()) headers["RateLimit-Policy"] = policy.get<std::string>();
    }
    rate_limit = {{"group", o.group},
                  {"algorithm", AlgorithmName(o.spec.algorithm)},
                  {"allowed", d.allowed},
                  {"remaining", d.remaining},
                  {"retry_after_ms", d.retry_after_ms},
                  {"reset_after_ms", d.reset_after_ms},
                  {"delay_ms", d.delay_ms}};
  }
  std::string reason;
  switch (o.status_index) {
    case k401:
      reason = o.auth_reason;
      headers["WWW-Authenticate"] = o.token_missing
                                        ? "Bearer realm=\"api\""
                                        : "Bearer realm=\"api\", error=\"invalid_token\"";
      break;
    case k429:
      if (!nginx) headers["Retry-After"] = Str(CeilSeconds(wait));
      reason = LimitedReason(o, wait);
      break;
    case k404:
      reason = "no route matches " + Excerpt(o.path, 64);
      break;
    case k405:
      headers["Allow"] = JoinMethods(o.allow);
      reason = "route " + o.route + " allows " + JoinMethods(o.allow) + ", not " + method;
      break;
    case k503:
      reason = o.stage == kRateLimit ? LimitedReason(o, wait) : "service " + o.service + " is down";
      break;
    default:
      reason = "served by " + o.service;
      if (o.decision.delay_ms > 0) {
        reason += " (nginx limit_req would first hold it " + Str(o.decision.delay_ms) + " ms)";
      }
  }
  return Json{{"id", o.id},
              {"at_ms", o.at_ms},
              {"method", method},
              {"path", o.path},
              {"status", status},
              {"stage", kStageNames[o.stage]},
              {"reason", reason},
              {"user", o.user < 0 ? Json(nullptr) : Json(users_[o.user].name)},
              {"route", o.route.empty() ? Json(nullptr) : Json(o.route)},
              {"service", o.service.empty() ? Json(nullptr) : Json(o.service)},
              {"headers", headers},
              {"rate_limit", rate_limit}};
}

Result<Json> ApiGatewaySim::Request(const Json& args) {
  Result<Incoming> in = Check("request", args);
  if (!in.ok()) return in.status();
  return ResultJson(Handle(in.value()));
}

Result<Json> ApiGatewaySim::Burst(const Json& args) {
  Result<Incoming> in = Check("burst", args);
  if (!in.ok()) return in.status();
  const auto count = args["count"].get<uint64_t>();
  std::array<uint64_t, kStatusCount> counts{};
  Json first = Json::array();
  Json last = nullptr;
  for (uint64_t i = 0; i < count; ++i) {
    const Outcome& o = Handle(in.value());
    ++counts[o.status_index];
    if (i < kBurstDetail) first.push_back(ResultJson(o));
    if (i + 1 == count) last = ResultJson(o);
  }
  Json by_status = Json::object();
  for (uint32_t s = 0; s < kStatusCount; ++s) by_status[Str(kStatuses[s])] = counts[s];
  const Identity& who = in.value().who;
  return Json{{"count", count},
              {"at_ms", in.value().at_ms},
              {"user", who.valid ? Json(who.user) : Json(nullptr)},
              {"by_status", by_status},
              {"first", first},
              {"last", last}};
}

Result<Json> ApiGatewaySim::IssueToken(const Json& args) const {
  const std::string user = args["user"].get<std::string>();
  const std::string forge = args.value("forge", std::string());
  if (forge == "expired" && args.contains("ttl_s")) {
    return Status::Invalid(
        "issue_token: field \"ttl_s\" does not apply to forge \"expired\" (that token's exp is "
        "the current second, so it is already expired)");
  }
  const int64_t iat = now_ms_ / 1000;
  const int64_t exp = forge == "expired" ? iat : iat + args.value("ttl_s", config_.token_ttl_s);
  Json header = {{"alg", "HS256"}, {"typ", "JWT"}};
  const Json payload = {{"sub", user}, {"iat", iat}, {"exp", exp}};
  std::string token;
  if (forge == "signature") {
    // The attacker's guess at the key: never the gateway's (one byte longer).
    token = SignJwtHs256(config_.secret + "?", header, payload);
  } else if (forge == "alg_none") {
    token = UnsignedJwt(payload);
    header["alg"] = "none";
  } else {
    token = Mint(user, iat, exp);
  }
  return Json{{"token", token},
              {"user", user},
              {"iat", iat},
              {"exp", exp},
              {"forge", forge.empty() ? Json(nullptr) : Json(forge)},
              {"header", header},
              {"payload", payload}};
}

}  // namespace sdp

// Simulation `api_gateway`: authenticate -> rate limit -> route, per request.
//
// Every request goes through three stages and stops at the first that
// refuses it:
//   auth        a bearer token, JWT-style, HS256 (sdp/jwt.h), signed with the
//               gateway's `secret`. Missing, malformed, alg "none" or any alg
//               but HS256, bad signature, expired (now >= exp), no usable
//               sub: 401, with the precise reason and WWW-Authenticate.
//   rate_limit  one limiter per (user id from the token's sub, group): the
//               group is the matched route's prefix if that route has a
//               limiter of its own, else "default" (the gateway's default
//               limiter, shared by every such route). Limiters are the
//               classes of rate_limiters.h, the rate_limiter sim's code.
//               Refused: 429 with Retry-After; a leaky_bucket limiter
//               (nginx limit_req) answers as nginx does instead: its
//               limit_req_status (config, 503 by default, or 429) and no
//               Retry-After. Keyed by user, not by IP: two
//               tokens of one user share a bucket; two users never do.
//   route       the longest prefix on segment boundaries (sdp/route_table.h);
//               none: 404; the owning route does not allow the method: 405
//               with Allow (we say 405 rather than fold it into 404).
//   service     the route's service: marked down, 503; else 200.
// The route is looked up before rate limiting, but only to pick the limiter;
// a request with no route is limited by the default limiter, then answered
// 404 at the route stage. So 404s and 405s spend quota (scanning for routes
// is not free); 401s do not (no user is known).
//
// Headers (values are strings, as in HTTP), after the rate_limit stage,
// named as in draft-ietf-httpapi-ratelimit-headers-06 (the last revision
// with separate fields): RateLimit-Limit (the limiter's `limit`, its quota
// per window), RateLimit-Remaining, RateLimit-Reset (seconds until the
// limiter is idle again, rounded up; on a 429 the Retry-After value, as the
// draft says both SHOULD name the same instant), RateLimit-Policy ("10;w=1",
// plus ";burst=N" when the limiter admits N > limit at once; only when
// window_ms is whole seconds); on 429 Retry-After (RFC 9110 delay-seconds,
// the limiter's retry_after_ms rounded up). A leaky_bucket limiter sends
// none of these: nginx limit_req sets no header. On 405 Allow; on 401
// WWW-Authenticate (RFC 6750: error="invalid_token" unless missing).
//
// Result of `request` (and each item of `recent`, `first`, `last`):
//   {"id": 0-based sequence, "at_ms", "method", "path",
//    "status": 200|401|404|405|429|503,
//    "stage": "auth"|"rate_limit"|"route"|"service"  (where it stopped),
//    "reason": "...", "user": sub or null, "route": prefix or null,
//    "service": name or null, "headers": {"Name": "value", ...},
//    "rate_limit": null (401) or {"group", "algorithm", "allowed",
//        "remaining", "retry_after_ms", "reset_after_ms", "delay_ms"}}
// `burst`: {"count", "at_ms", "user", "by_status": {"200": n, ...all six},
//   "first": [first 5 results], "last": result}.
// `issue_token`: {"token", "user", "iat", "exp", "forge": null|kind,
//   "header": {...}, "payload": {...}}; changes no state (tokens are
//   stateless: the gateway keeps no list of them).
// Snapshot:
//   {"now_ms", "limiter": L (the default), "routes": [{"prefix", "service",
//    "methods": ["GET", ...], "any_method", "limiter": L or null (default),
//    "matched"}] by prefix, "services": [{"name", "up", "requests", "ok",
//    "unavailable"}] by name, "users": [{"user", "requests", "by_status",
//    "limits": [{"group", "remaining", "reset_after_ms", "state" (kFull
//    only)}]}] in first-seen order, "totals": {"requests", "by_status",
//    "by_stage"}, "recent": [results, oldest first], "recent_capacity",
//    "caps": {"users", "routes", "services"}}
//   L = {"algorithm", "reference", "params" (SpecJson), "quota", "policy"}.
// Column(): recent_status, recent_at_ms, recent_stage (0 auth, 1 rate_limit,
// 2 route, 3 service), recent_user (index into users; 0xFFFFFFFF if none),
// all over `recent`, oldest first.
//
// Invariants: time never goes backwards (a request before now is refused,
// naming at_ms); a refused op changes nothing (every check precedes the
// first change); Work() counts one unit per request; memory is bounded:
// kMaxUsers users, kMaxRoutes routes, kMaxServices services, `recent` keeps
// the last config.recent results; past a cap the op is refused by name.
//
// Simplified: no network, no latency, no real backends (a service is up or
// down); the gateway draws no random numbers (the seed is unused); requests
// without a valid token are not rate limited (a real gateway would limit
// them by IP); paths are matched byte for byte (no percent-decoding, no dot
// segments); changing the default limiter restarts every user's default
// limiter from idle, and removing a route forgets its limiter state; a
// route's own limiter does not follow later changes of the default.
#ifndef SDP_API_GATEWAY_SIM_H_
#define SDP_API_GATEWAY_SIM_H_

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sdp/jwt.h"
#include "sdp/rate_limiters.h"
#include "sdp/route_table.h"
#include "sdp/clone.h"
#include "sdp/simulation.h"

namespace sdp {

class ApiGatewaySim : public Cloneable<ApiGatewaySim, Simulation> {
 public:
  static constexpr uint32_t kMaxUsers = 1000;
  static constexpr uint32_t kMaxRoutes = 64;
  static constexpr uint32_t kMaxServices = 64;
  static constexpr uint32_t kMaxRecent = 1000;
  static constexpr uint32_t kMaxBurst = 100000;
  static constexpr uint32_t kBurstDetail = 5;        // results a burst lists in full
  static constexpr int64_t kMaxTimeMs = 4000000000;  // ~46 days, like rate_limiter
  static constexpr int64_t kMaxTtlS = 315360000;     // 10 years

  struct Config {
    std::string secret = "sdp-playground-secret";  // HS256 key
    int64_t token_ttl_s = 3600;                    // issue_token's default lifetime, seconds
    bool default_routes = true;                    // /api/orders, /api/users, /static
    uint32_t recent = 100;                         // results kept for `recent`
    LimiterSpec limiter;                           // default: token bucket, 10 per 1000 ms
    // What a leaky_bucket (nginx limit_req) refusal answers: nginx's
    // limit_req_status, 503 by default; 429 here too (nginx takes 400-599).
    int limit_req_status = 503;
  };

  ApiGatewaySim(const Config& config);

  Result<Json> Apply(const std::string& op, const Json& args) override;
  Json Snapshot(Detail detail) const override;
  uint64_t Work() const override { return work_; }
  std::vector<uint32_t> Column(std::string_view name) const override;

  int64_t now_ms() const { return now_ms_; }

 private:
  static constexpr uint32_t kStatusCount = 6;
  static constexpr int kStatuses[kStatusCount] = {200, 401, 404, 405, 429, 503};

  struct User {
    std::string name;
    uint64_t requests = 0;
    std::array<uint64_t, kStatusCount> by_status{};
    std::map<std::string, DeepPtr<Limiter>, std::less<>> limiters;  // by group
  };
  struct Service {
    bool up = true;
    uint64_t requests = 0, ok = 0, unavailable = 0;
  };
  // Who a request is, once the auth stage has looked at it.
  struct Identity {
    bool valid = false;
    bool missing = false;  // no token at all
    std::string reason;    // why not valid
    std::string user;
  };
  // A request's op fields, checked against the state (nothing changed yet).
  struct Incoming {
    Identity who;
    uint32_t method = 0;  // index into MethodName()
    std::string path;
    int64_t at_ms = 0;
  };
  // What happened to one request; turned into JSON only when shown (a burst
  // of 100k requests keeps a handful), so the pipeline stays cheap.
  struct Outcome {
    uint64_t id = 0;
    int64_t at_ms = 0;
    uint32_t method = 0;
    std::string path;
    uint32_t status_index = 0;  // into kStatuses
    uint32_t stage = 0;         // 0 auth, 1 rate_limit, 2 route, 3 service
    bool token_missing = false;
    std::string auth_reason;  // 401 only
    int64_t user = -1;        // index into users_
    bool limited = false;     // the rate_limit stage ran
    std::string group;
    LimiterSpec spec;
    Decision decision;
    std::string route, service;
    uint32_t allow = 0;  // 405: the route's methods
  };
  Result<Json> Request(const Json& args);
  Result<Json> Burst(const Json& args);
  Result<Json> IssueToken(const Json& args) const;
  Result<Json> RouteAdd(const Json& args);
  Result<Json> RouteRemove(const Json& args);
  Result<Json> SetService(const Json& args);
  Result<Json> SetLimiter(const Json& args);
  Result<Json> Advance(int64_t ms);

  // The checks `request` and `burst` share: path, time, token or user, caps.
  Result<Incoming> Check(const char* op, const Json& args) const;
  Identity Authenticate(const std::string& token, int64_t at_ms) const;
  std::string Mint(const std::string& user, int64_t iat_s, int64_t exp_s) const;
  // Runs one request through the pipeline and records it. REQUIRES: Check().
  const Outcome& Handle(const Incoming& in);
  Json ResultJson(const Outcome& o) const;
  std::string LimitedReason(const Outcome& o, int64_t wait_ms) const;
  Json LimiterJson(const LimiterSpec& spec) const;
  Json RouteJson(const Route& route) const;
  void AddService(const std::string& name);

  Config config_;
  int64_t now_ms_ = 0;
  LimiterSpec default_limiter_;
  RouteTable routes_;
  std::map<std::string, Service, std::less<>> services_;
  std::vector<User> users_;
  std::map<std::string, uint32_t, std::less<>> user_index_;
  std::deque<Outcome> recent_;  // the last config_.recent, oldest first
  uint64_t requests_ = 0;
  std::array<uint64_t, kStatusCount> by_status_{};
  std::array<uint64_t, 4> by_stage_{};
  uint64_t work_ = 0;
};

SimInfo ApiGatewaySimInfo();
// The RateLimit-Policy field for a limiter, or null when its window is not
// whole seconds (the draft has no subsecond windows).
Json RateLimitPolicy(const LimiterSpec& spec);

}  // namespace sdp

#endif  // SDP_API_GATEWAY_SIM_H_

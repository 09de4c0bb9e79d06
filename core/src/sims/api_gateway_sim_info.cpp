// The api_gateway sim's declaration: config, ops and their fields as data.
#include "sdp/api_gateway_sim.h"
#include "sdp/limiter_args.h"

namespace sdp {
namespace {

constexpr uint32_t kMaxTokenBytes = 4096;
constexpr uint32_t kMaxPathBytes = 512;
constexpr uint32_t kMaxServiceBytes = 32;

FieldSpec UserField(bool required, const std::string& help) {
  return StringField("user", required, 1, kMaxSubjectBytes, help);
}

std::vector<FieldSpec> RequestFields() {
  return {StringField("token", false, 0, kMaxTokenBytes,
                      "the bearer token, header.payload.signature (default: none, a 401); any "
                      "text is accepted and judged by the auth stage"),
          UserField(false, "instead of token: send a valid token freshly issued for this user"),
          StringField("path", true, 1, kMaxPathBytes, "request path, starting with /"),
          EnumField("method", false, MethodNames(), "HTTP method (default GET)"),
          IntField("at_ms", false, 0, ApiGatewaySim::kMaxTimeMs,
                   "arrival time in ms (default: now); never before the previous request")};
}

}  // namespace

SimInfo ApiGatewaySimInfo() {
  SimInfo info;
  info.name = "api_gateway";
  info.help =
      "An API gateway: JWT (HS256) authentication, per-user rate limiting and longest-prefix "
      "routing to services, request by request";
  info.config =
      ConcatFields({StringField("secret", false, 1, 256, "the HS256 key tokens are signed with"),
              IntField("token_ttl_s", false, 1, ApiGatewaySim::kMaxTtlS,
                       "issue_token's default lifetime in seconds (default 3600)"),
              BoolField("default_routes", false,
                        "start with /api/orders -> orders, /api/users -> users, /static -> cdn "
                        "(default true)"),
              IntField("recent", false, 1, ApiGatewaySim::kMaxRecent,
                       "how many of the last requests the snapshot keeps (default 100)"),
              IntField("limit_req_status", false, 400, 599,
                       "the status a leaky_bucket (nginx limit_req) refusal gets: 503 (nginx's "
                       "default) or 429")},
             LimiterArgFields("token_bucket, 10 per 1000 ms"));
  const FieldSpec prefix = StringField("prefix", true, 1, RouteTable::kMaxPrefixBytes,
                                       "path prefix, starting with / (e.g. /api/orders)");
  std::vector<FieldSpec> burst = RequestFields();
  burst.insert(burst.begin() + 2, IntField("count", true, 1, ApiGatewaySim::kMaxBurst,
                                           "how many requests, all in the same millisecond"));
  info.ops = {
      {"request", "one request through auth, rate limit and routing", RequestFields()},
      {"burst", "count identical requests at the same instant", burst},
      {"issue_token",
       "mint a token with the gateway's secret (or a forged / expired one); changes nothing",
       {UserField(true, "the user id (the token's sub)"),
        IntField("ttl_s", false, 1, ApiGatewaySim::kMaxTtlS,
                 "lifetime in seconds (default: config token_ttl_s)"),
        EnumField("forge", false, {"signature", "expired", "alg_none"},
                  "signature: signed with a wrong key; expired: exp is now; alg_none: unsigned")}},
      {"route_add", "add a routing rule; limiter fields give the route a limiter of its own",
       ConcatFields({prefix,
               StringField("service", true, 1, kMaxServiceBytes,
                           "the backend service (created if new)"),
               StringField("methods", false, 1, 64,
                           "comma-separated methods, e.g. GET,POST, or * (default *)")},
              LimiterArgFields("the default limiter's"))},
      {"route_remove", "remove the routing rule with this prefix", {prefix}},
      {"service",
       "mark a service up or down (down: 503)",
       {StringField("name", true, 1, kMaxServiceBytes, "the service"),
        BoolField("up", true, "false marks it down")}},
      {"limiter", "change the default limiter; every user's default limiter restarts from idle",
       LimiterArgFields("unchanged")},
      {"advance",
       "let time pass without requests",
       {IntField("ms", true, 1, ApiGatewaySim::kMaxTimeMs, "milliseconds to advance")}},
  };
  info.create = [](uint64_t seed, const Json& config) -> Result<std::unique_ptr<Simulation>> {
    (void)seed;  // nothing random happens in a gateway
    ApiGatewaySim::Config c;
    c.secret = config.value("secret", c.secret);
    c.token_ttl_s = config.value("token_ttl_s", c.token_ttl_s);
    c.default_routes = config.value("default_routes", c.default_routes);
    c.recent = config.value("recent", c.recent);
    c.limit_req_status = config.value("limit_req_status", c.limit_req_status);
    if (c.limit_req_status != 503 && c.limit_req_status != 429) {
      return Status::Invalid("config: field \"limit_req_status\" must be 503 or 429 (nginx accepts "
                             "400-599; the gateway counts these two)");
    }
    Result<LimiterSpec> spec = LimiterSpecFromArgs(LimiterSpec{}, config, "config");
    if (!spec.ok()) return spec.status();
    c.limiter = spec.value();
    return std::unique_ptr<Simulation>(std::make_unique<ApiGatewaySim>(c));
  };
  return info;
}

}  // namespace sdp

// The declaration of `rest`: config fields, ops, and how fields map onto the config.
#include "sdp/rest_sim.h"

namespace sdp {

SimInfo RestSimInfo() {
  SimInfo info;
  info.name = "rest";
  info.help = "A resource API (/users, /users/{id}, /users/{id}/orders, /orders/{id}) behind a shared cache, a gateway "
              "and stateless replicas: RFC 9110 methods and status codes, RFC 9111 caching, Idempotency-Key";
  info.config = {
      IntField("replicas", false, 1, 8, "service replicas behind the gateway (default 3)"),
      IntField("max_age_s", false, 0, 86400, "seconds in GET responses' Cache-Control max-age (default 60)"),
      EnumField("cache_control", false, {"public", "private", "no-cache", "no-store"},
                "what GET responses allow: public -> \"public, max-age=N\", private -> \"private, max-age=N\", "
                "no-cache -> \"public, no-cache\", no-store -> \"no-store\" (default public)"),
      BoolField("cache", false, "put a shared cache (CDN / proxy) in front of the gateway (default true)"),
      IntField("log_size", false, 1, 200, "requests kept in the snapshot's log (default 20)"),
  };
  info.ops = {
      {"request", "the client sends one HTTP request; the result is the response and the layer that answered",
       {EnumField("method", true, {"GET", "POST", "PUT", "PATCH", "DELETE"}, "HTTP method"),
        StringField("path", true, 1, 200, "request target, e.g. /users/1 or /users/1/orders"),
        JsonField("headers", false, 4096,
                  "object of header name -> value, e.g. {\"Authorization\": \"Bearer alice\", \"If-None-Match\": "
                  "\"\\\"...\\\"\", \"Idempotency-Key\": \"\\\"k1\\\"\"}"),
        JsonField("body", false, 4096,
                  "the request body: a JSON value, or a string holding the raw text (not JSON: the API answers 400)")}},
      {"advance", "let simulated time pass (cached responses age)",
       {IntField("ms", true, 1, 86400000, "milliseconds, up to one day")}},
      {"kill_replica", "stop a service replica; the gateway skips it",
       {IntField("id", true, 1, 8, "replica number, 1 to the config's replicas")}},
      {"start_replica", "start a stopped service replica again",
       {IntField("id", true, 1, 8, "replica number, 1 to the config's replicas")}},
  };
  info.create = [](uint64_t seed, const Json& config) -> Result<std::unique_ptr<Simulation>> {
    RestSimConfig c;
    c.replicas = config.value("replicas", c.replicas);
    c.max_age_s = config.value("max_age_s", c.max_age_s);
    c.cache_control = config.value("cache_control", c.cache_control);
    c.cache = config.value("cache", c.cache);
    c.log_size = config.value("log_size", c.log_size);
    return std::unique_ptr<Simulation>(std::make_unique<RestSim>(seed, c));
  };
  return info;
}

}  // namespace sdp

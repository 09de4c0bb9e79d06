// Simulation `rest`: a small resource API called through the layers of a
// RESTful system: client -> shared cache (CDN / proxy) -> gateway -> one of N
// stateless service replicas -> the data store they share.
//
// What it shows: the uniform interface (methods with RFC 9110's semantics,
// status codes, JSON bodies, Location on 201, Allow on 405); statelessness
// (every request carries Authorization; the gateway sends requests round
// robin to whichever replicas are up, so killing one changes nothing the
// client sees); cacheability (RFC 9111: max-age, Age, ETag + If-None-Match
// revalidation and 304, no-store / private / no-cache, invalidation by
// writes); idempotency (PUT and DELETE repeated leave the same state, POST
// repeated creates twice unless an Idempotency-Key is sent); and the layered
// system (the client cannot tell which layer answered; `served_by` says).
//
// Time is integer milliseconds and moves only with `advance`; requests take
// no simulated time. Nothing is random: the seed is accepted and unused.
// Invariants: a refused op changes nothing; the cache only ever holds GET 200
// responses the origin sent.
#ifndef SDP_REST_SIM_H_
#define SDP_REST_SIM_H_

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "sdp/rest/cache.h"
#include "sdp/rest/origin.h"
#include "sdp/clone.h"
#include "sdp/simulation.h"

namespace sdp {

struct RestSimConfig {
  uint32_t replicas = 3;                 // service replicas behind the gateway
  uint32_t max_age_s = 60;               // seconds, in GET responses' Cache-Control
  std::string cache_control = "public";  // public | private | no-cache | no-store
  bool cache = true;                     // false: no shared cache in front
  uint32_t log_size = 20;                // requests kept in the snapshot's log
};

// The Cache-Control value GET 200 responses carry under a config.
std::string RestCacheControlValue(const RestSimConfig& config);

class RestSim : public Cloneable<RestSim, Simulation> {
 public:
  RestSim(uint64_t seed, const RestSimConfig& config);

  Result<Json> Apply(const std::string& op, const Json& args) override;
  Json Snapshot(Detail detail) const override;
  uint64_t Work() const override { return work_; }

 private:
  struct Exchange {  // one response and who produced it
    rest::Response response;
    std::string served_by;          // "cache", "gateway", "replica-2"
    std::vector<std::string> via;   // every layer the request reached
    std::string cache = "bypass";   // hit | revalidated | miss | bypass
  };
  struct Replica {
    bool up = true;
    uint64_t served = 0;
  };

  Result<Json> Request(const Json& args);
  Result<Json> SetReplica(const Json& args, bool up);
  Exchange ThroughCache(const rest::Request& request);
  Exchange ToOrigin(const rest::Request& request);

  RestSimConfig config_;
  rest::Origin origin_;
  rest::SharedCache cache_;
  std::vector<Replica> replicas_;
  uint32_t next_replica_ = 0;  // round robin: the first one to try next
  uint64_t now_ms_ = 0;
  std::deque<Json> log_;
  // Counters.
  uint64_t requests_ = 0;
  uint64_t origin_requests_ = 0;
  uint64_t cache_hits_ = 0;
  uint64_t cache_misses_ = 0;
  uint64_t cache_revalidations_ = 0;
  uint64_t cache_stores_ = 0;
  uint64_t invalidations_ = 0;
  uint64_t bytes_client_ = 0;  // client <-> cache, both directions
  uint64_t bytes_origin_ = 0;  // cache <-> gateway <-> replica
  uint64_t work_ = 0;
};

SimInfo RestSimInfo();

}  // namespace sdp

#endif  // SDP_REST_SIM_H_

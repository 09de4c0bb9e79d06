// The redis_geo sim's per-command traces (shapes: sdp/redis_geo_sim.h).
#ifndef SDP_SIMS_REDIS_GEO_TRACE_H_
#define SDP_SIMS_REDIS_GEO_TRACE_H_

#include <cstdint>

#include "sdp/redis/db.h"
#include "sdp/simulation.h"

namespace sdp {

// GEOADD traces its first points in full (about 1.5 KB of JSON each); the
// rest are only counted.
constexpr uint64_t kMaxTracedPoints = 16;

struct TracedReply {
  redis::Reply reply;
  Json trace = Json::object();
  uint64_t candidates = 0;  // a search's candidates (each costs a haversine)
};

// Runs `argv` on `db` with exactly Db::Execute's reply, plus the trace:
// GEOADD's per-point encoding, GEOSEARCH's plan and scan, GEODIST's endpoints;
// {} for other commands and for error replies.
TracedReply ExecuteWithGeoTrace(redis::Db& db, const redis::Argv& argv);

}  // namespace sdp

#endif  // SDP_SIMS_REDIS_GEO_TRACE_H_

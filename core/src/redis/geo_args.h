// Argument helpers the GEO commands share (geo.c's extract*OrReply), with
// Redis 7.0's error texts. Private to core/src/redis.
#ifndef SDP_REDIS_GEO_ARGS_H_
#define SDP_REDIS_GEO_ARGS_H_

#include <cstddef>
#include <string_view>
#include <variant>

#include "sdp/redis/geohash.h"
#include "sdp/redis/reply.h"

namespace sdp::redis {

inline constexpr const char* kGeoUnitError =
    "ERR unsupported unit provided. please use M, KM, FT, MI";

// Meters per unit for m / km / ft / mi (any case), or 0 for anything else.
double GeoUnitToMeters(std::string_view unit);

// extractLongLatOrReply: two floats, then the range check whose message
// prints both with "%f": "ERR invalid longitude,latitude pair 200.000000,100.000000".
std::variant<GeoPoint, Reply> ParseLonLat(std::string_view lon, std::string_view lat);

// GEOADD's options: the index of the first longitude, after any NX / XX / CH
// (any case); sets *nx / *xx.
size_t GeoAddFirstPoint(const Argv& argv, bool* nx, bool* xx);

}  // namespace sdp::redis

#endif  // SDP_REDIS_GEO_ARGS_H_

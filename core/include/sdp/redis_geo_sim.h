// Simulation `redis_geo`: Redis 7.0's GEO commands on a keyspace driven by
// redis-cli lines, with the geohash behind each answer laid open. A GEO key is
// a sorted set whose score is the 52-bit interleaved geohash of the place, held
// in a double (the seed's "each geohash requires approx 8 bytes").
//
// Ops (every result is an object):
//   command {line}   one redis-cli line (at most kMaxLineBytes bytes, split as
//                    redis-cli does: "double quotes" with \n \xHH escapes,
//                    'single quotes'). Any command of db.h's tables runs (GEOADD
//                    GEOPOS GEOHASH GEODIST GEOSEARCH, the Z* and string ones).
//                    -> {"argv": [...], "reply": Reply::ToJson (e.g.
//                        {"type":"array","value":[{"type":"bulk","value":"x"}]},
//                        types status error integer bulk nil array nil_array),
//                        "trace": {...}}
//                    A Redis error is a successful step whose reply is
//                    {"type":"error","value":"ERR ..."}; its trace is {}.
//   view {key}       which key the snapshot lists (must exist now).
//                    -> {"key", "type", "size"}
// Refusals (Status errors, nothing changes): an empty line or unbalanced
// quotes (field "line"); a write that could grow the data set past kMaxEntries
// entries or kMaxKeys keys; view of a missing key.
//
// Traces (all numbers are JSON numbers unless said; a 64-bit integer above
// 2^53 - 1 is written as a decimal string, as Reply::ToJson does):
//   GEOADD: {"bytes_per_point": 8, "points": [ per lon/lat/member triple:
//     {"member", "lon", "lat" (as given), "score" (the 52-bit geohash, what
//      ZADD receives), "bits" (string of 52 '0'/'1', most significant first:
//      character 0 is longitude bit 25, 1 is latitude bit 25, 2 longitude bit
//      24 ... 51 latitude bit 0; at longitude 180 / latitude 85.05112878 the
//      index is 2^26 and spills above bit 51, see "overflow_bits"),
//      "overflow_bits" (the score >> 52: 0 except at those edges),
//      "lon_index", "lat_index" (the 26-bit cell indexes),
//      "cell": {"min_lon","max_lon","min_lat","max_lat"} (the 26-step cell),
//      "geopos": [lon, lat] (strings: the cell centre as GEOPOS prints it),
//      "geohash" (GEOHASH's 11 characters),
//      "neighbors": {"north","south","east","west","north_east",
//                    "north_west","south_east","south_west": cell bounds},
//      "existed": whether the member was in the key before}] (the first 16
//      points; "more_points" counts the others)}
//   GEOSEARCH: {"center": {"lon","lat"}, "shape": {"kind":"radius"|"box",
//      "radius"|"width","height" (in unit), "unit_meters"},
//      "bounding_box": {"min_lon","min_lat","max_lon","max_lat"},
//      "radius_meters" (radius, or half the box diagonal: what sets the step),
//      "estimated_step", "decreased" (bool: a N/S/E/W neighbour did not reach
//      the bounding box, so one step coarser), "step", "cells": 9 in scan order
//      [{"name": center|north|south|east|west|north_east|north_west|
//        south_east|south_west, "status": "scanned"|"excluded" (a zero cell:
//        the centre cell already covers that side)|"duplicate" (same cell as
//        the previous one scanned)|"not_scanned_any_limit", and unless
//        excluded "bits","step","bounds" (shaped like "cell"), "score_min",
//        "score_max" (the zset range [min, max) scanned), and
//        "members_in_range" when scanned}],
//      "candidates": [{"member","lon","lat" (decoded), "score" (the zset's
//        score, a double), "distance_m" (from the centre), "kept",
//        "outside": "height"|"width" (box searches, when not kept)}]
//      (at most 500, "candidates_total" counts all), "matches"}.
//      {} when the key does not exist.
//   GEODIST: {"from": {"member","lon","lat"}, "to": {...}, "meters"} when
//      both members exist, else {}.
//   Other commands: {}.
//
// Snapshot:
//   {"keys": [{"key","type":"zset"|"string","size"}] (sorted, at most
//    kMaxListedKeys; "keys_total" counts all), "entries_total", "commands",
//    "error_replies", "bytes_per_point": 8,
//    "limits": {"lon_min":-180,"lon_max":180,"lat_min":-85.05112878,
//               "lat_max":85.05112878,"step_max":26},
//    "view": null | {"key","exists","type","size",
//       "places": [{"member","lon","lat" (decoded from the score, as GEOPOS),
//                   "score"}] in score order, at most config places (<=
//                   kMaxPlaces), "shown", "truncated"}}
// The viewed key is the one chosen by `view`, else the key of the latest
// command whose key holds a sorted set.
//
// Invariants: a command answering an error changes nothing; scores are
// Redis's bit for bit (tests/js/redis_geo_diff.test.mjs compares every reply
// with a real redis-server); Work() counts arguments, reply elements and the
// entries a command scans (20 per candidate of a search: two haversines,
// one for the reply and one for the trace).
//
// Simplified: one database; no GEOSEARCHSTORE / GEORADIUS*; no expiry.
#ifndef SDP_REDIS_GEO_SIM_H_
#define SDP_REDIS_GEO_SIM_H_

#include <cstdint>
#include <optional>
#include <string>

#include "sdp/clone.h"
#include "sdp/redis_cli_sim.h"

namespace sdp {

class RedisGeoSim : public Cloneable<RedisGeoSim, RedisCliSim> {
 public:
  static constexpr uint64_t kMaxEntries = 100000;  // zset entries + string keys
  static constexpr uint64_t kMaxKeys = 200;
  static constexpr uint32_t kMaxListedKeys = 100;
  static constexpr uint32_t kMaxPlaces = 2000;

  struct Config {
    uint32_t places = 500;  // places of the viewed key the snapshot lists
  };

  RedisGeoSim(uint64_t seed, const Config& config);

  Result<Json> Apply(const std::string& op, const Json& args) override;
  Json Snapshot(Detail detail) const override;

 private:
  Result<Json> Command(const std::string& line);
  Result<Json> View(const std::string& key);
  Json ViewJson() const;

  Config config_;
};

SimInfo RedisGeoSimInfo();

}  // namespace sdp

#endif  // SDP_REDIS_GEO_SIM_H_

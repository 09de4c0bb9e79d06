// The redis_geo sim's declaration: config, ops and their fields as data.
#include "sdp/redis_geo_sim.h"

namespace sdp {

SimInfo RedisGeoSimInfo() {
  using Sim = RedisGeoSim;
  SimInfo info;
  info.name = "redis_geo";
  info.help =
      "Redis 7.0 GEO commands: GEOADD's 52-bit interleaved score (8 bytes a place), GEOHASH, "
      "GEOPOS, GEODIST and the 9 geohash cells GEOSEARCH scans";
  info.config = {IntField("places", false, 1, Sim::kMaxPlaces,
                          "places of the viewed key the snapshot lists (default 500)")};
  info.ops = {
      {"command",
       "one redis-cli line, e.g. GEOADD Sicily 13.361389 38.115556 Palermo; the reply is "
       "Redis's, the trace shows the geohash behind it",
       {Sim::LineField()}},
      {"view",
       "choose which key the snapshot lists",
       {Sim::KeyField()}},
  };
  info.create = [](uint64_t seed, const Json& config) -> Result<std::unique_ptr<Simulation>> {
    Sim::Config c;
    c.places = config.value("places", uint32_t{500});
    return std::unique_ptr<Simulation>(std::make_unique<Sim>(seed, c));
  };
  return info;
}

}  // namespace sdp

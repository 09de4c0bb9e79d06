#include "redis/geo_args.h"

#include "redis/args.h"

namespace sdp::redis {

double GeoUnitToMeters(std::string_view unit) {
  if (EqualsIgnoreCase(unit, "m")) return 1;
  if (EqualsIgnoreCase(unit, "km")) return 1000;
  if (EqualsIgnoreCase(unit, "ft")) return 0.3048;
  if (EqualsIgnoreCase(unit, "mi")) return 1609.34;
  return 0;
}

std::variant<GeoPoint, Reply> ParseLonLat(std::string_view lon, std::string_view lat) {
  const std::optional<double> x = ParseDouble(lon);
  if (!x) return Reply::Error(kNotFloat);
  const std::optional<double> y = ParseDouble(lat);
  if (!y) return Reply::Error(kNotFloat);
  if (*x < kGeoLonMin || *x > kGeoLonMax || *y < kGeoLatMin || *y > kGeoLatMax) {
    return Reply::Error("ERR invalid longitude,latitude pair " + GeoFormatFixed(*x, 6) + "," +
                        GeoFormatFixed(*y, 6));
  }
  return GeoPoint{*x, *y};
}

size_t GeoAddFirstPoint(const Argv& argv, bool* nx, bool* xx) {
  size_t first = 2;
  for (; first < argv.size(); ++first) {
    if (EqualsIgnoreCase(argv[first], "nx")) {
      *nx = true;
    } else if (EqualsIgnoreCase(argv[first], "xx")) {
      *xx = true;
    } else if (!EqualsIgnoreCase(argv[first], "ch")) {
      break;  // CH is ZADD's business: GEOADD passes it on
    }
  }
  return first;
}

}  // namespace sdp::redis

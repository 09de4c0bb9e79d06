// GEOADD, GEOPOS, GEOHASH, GEODIST and GEOSEARCH as Redis 7.0.15 answers them
// (geo.c). A GEO key is an ordinary sorted set: GEOADD turns each
// "lon lat member" into "score member" and runs ZADD itself, exactly as Redis
// does (so its flags, reply, WRONGTYPE and AOF form "zadd key ... score member"
// are ZADD's). GEOSEARCHSTORE and the GEORADIUS family are not provided.
#include <string>

#include "redis/args.h"
#include "redis/geo_args.h"
#include "redis/geo_search.h"

namespace sdp::redis {
namespace {

// GEOADD key [NX|XX] [CH] lon lat member [lon lat member ...]
Reply GeoAdd(Db& db, const Argv& argv) {
  bool nx = false, xx = false;
  const size_t first = GeoAddFirstPoint(argv, &nx, &xx);
  if ((argv.size() - first) % 3 != 0 || (nx && xx)) return Reply::Error(kSyntaxError);
  Argv zadd(argv.begin(), argv.begin() + static_cast<std::ptrdiff_t>(first));
  zadd[0] = "zadd";
  for (size_t i = first; i < argv.size(); i += 3) {
    auto point = ParseLonLat(argv[i], argv[i + 1]);
    if (auto* error = std::get_if<Reply>(&point)) return *error;
    const GeoPoint p = std::get<GeoPoint>(point);
    zadd.push_back(std::to_string(GeoScoreOf(p.lon, p.lat)));
    zadd.push_back(argv[i + 2]);
  }
  // No elements ("GEOADD k CH CH CH") is left to ZADD, which says syntax error.
  const CommandSpec* zadd_spec = Db::FindCommand("zadd");
  SDP_CHECK(zadd_spec != nullptr);
  return zadd_spec->handler(db, zadd);
}

// The key as a sorted set for a read: null when missing, WRONGTYPE as a Reply.
std::variant<const ZSet*, Reply> ReadZSet(const Db& db, const std::string& key) {
  const Db::KeyType type = db.TypeOf(key);
  if (type != Db::KeyType::kNone && type != Db::KeyType::kZSet) return Reply::Error(kWrongType);
  return db.FindZSet(key);
}

// GEOPOS and GEOHASH: one answer per member from its decoded position, or
// `missing` for a member (or key) that does not exist.
template <typename Answer>
Reply PerMember(const Db& db, const Argv& argv, const Reply& missing, const Answer& answer) {
  auto found = ReadZSet(db, argv[1]);
  if (auto* error = std::get_if<Reply>(&found)) return *error;
  const ZSet* zset = std::get<const ZSet*>(found);
  std::vector<Reply> out;
  for (size_t j = 2; j < argv.size(); ++j) {
    const std::optional<double> score = zset ? zset->Score(argv[j]) : std::nullopt;
    out.push_back(score ? answer(GeoDecodeScore(*score)) : missing);
  }
  return Reply::Array(std::move(out));
}

// GEOPOS key [member ...]: [lon, lat] per member, a nil array when missing.
Reply GeoPos(Db& db, const Argv& argv) {
  return PerMember(db, argv, Reply::NilArray(), [](const GeoPoint& p) {
    return Reply::Array({Reply::Bulk(GeoFormatCoordinate(p.lon)), Reply::Bulk(GeoFormatCoordinate(p.lat))});
  });
}

// GEOHASH key [member ...]: the 11-character string, a nil bulk when missing.
Reply GeoHash(Db& db, const Argv& argv) {
  return PerMember(db, argv, Reply::Nil(), [](const GeoPoint& p) { return Reply::Bulk(GeoHashString(p.lon, p.lat)); });
}

// GEODIST key member1 member2 [m|km|ft|mi]: the unit is checked before the key.
Reply GeoDist(Db& db, const Argv& argv) {
  double to_meters = 1;
  if (argv.size() == 5) {
    to_meters = GeoUnitToMeters(argv[4]);
    if (to_meters == 0) return Reply::Error(kGeoUnitError);
  } else if (argv.size() > 5) {
    return Reply::Error(kSyntaxError);
  }
  auto found = ReadZSet(db, argv[1]);
  if (auto* error = std::get_if<Reply>(&found)) return *error;
  const ZSet* zset = std::get<const ZSet*>(found);
  if (zset == nullptr) return Reply::Nil();
  const std::optional<double> s1 = zset->Score(argv[2]);
  const std::optional<double> s2 = zset->Score(argv[3]);
  if (!s1 || !s2) return Reply::Nil();
  const GeoPoint a = GeoDecodeScore(*s1);
  const GeoPoint b = GeoDecodeScore(*s2);
  return Reply::Bulk(GeoFormatDistance(GeoDistance(a.lon, a.lat, b.lon, b.lat) / to_meters));
}

// GEOSEARCH key FROMMEMBER m | FROMLONLAT lon lat, BYRADIUS r unit |
// BYBOX w h unit, [ASC|DESC] [COUNT n [ANY]] [WITHCOORD] [WITHDIST] [WITHHASH]
Reply GeoSearch(Db& db, const Argv& argv) {
  auto parsed = ParseGeoSearch(db, argv);
  if (auto* error = std::get_if<Reply>(&parsed)) return *error;
  return RunGeoSearch(std::get<GeoSearchQuery>(parsed));
}

}  // namespace

std::vector<CommandSpec> GeoCommands() {
  return {
      {"geoadd", -5, true, GeoAdd},        {"geopos", -2, false, GeoPos},
      {"geohash", -2, false, GeoHash},     {"geodist", -4, false, GeoDist},
      {"geosearch", -7, false, GeoSearch},
  };
}

}  // namespace sdp::redis

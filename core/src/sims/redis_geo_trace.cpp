// The redis_geo sim's traces: what Redis computes behind GEOADD, GEOSEARCH
// and GEODIST, in the shapes documented in redis_geo_sim.h, built from the
// same library calls the commands use (GEOADD's and GEODIST's before the
// command runs, GEOSEARCH's from the scan that makes its reply).
#include "sims/redis_geo_trace.h"

#include "redis/geo_args.h"
#include "redis/geo_search.h"

namespace sdp {
namespace {

using redis::Argv;
using redis::Db;
using redis::GeoArea;
using redis::GeoHashBits;

Json BoundsJson(GeoHashBits cell) {
  GeoArea a;
  redis::GeoDecodeWgs84(cell, &a);
  return {{"min_lon", a.lon.min},
          {"max_lon", a.lon.max},
          {"min_lat", a.lat.min},
          {"max_lat", a.lat.max}};
}

Json PointJson(const redis::ZSet* zset, double lon, double lat, const std::string& member) {
  const uint64_t score = redis::GeoScoreOf(lon, lat);
  std::string bits(52, '0');
  for (int i = 0; i < 52; ++i) {
    if ((score >> (51 - i)) & 1) bits[static_cast<size_t>(i)] = '1';
  }
  GeoHashBits cell;
  redis::GeoEncodeWgs84(lon, lat, redis::kGeoStepMax, &cell);
  const uint64_t separated = redis::Deinterleave64(cell.bits);
  // The position GEOPOS will show comes from the score as the zset stores it.
  const redis::GeoPoint center = redis::GeoDecodeScore(static_cast<double>(score));
  const redis::GeoNeighbors n = redis::GeoNeighborsOf(cell);
  return {
      {"member", member},
      {"lon", lon},
      {"lat", lat},
      {"score", redis::SafeIntegerJson(score)},
      {"bits", bits},
      {"overflow_bits", score >> 52},
      {"lon_index", separated >> 32},
      {"lat_index", separated & 0xFFFFFFFFu},
      {"cell", BoundsJson(cell)},
      {"geopos", {redis::GeoFormatCoordinate(center.lon), redis::GeoFormatCoordinate(center.lat)}},
      {"geohash", redis::GeoHashString(center.lon, center.lat)},
      {"neighbors",
       {{"north", BoundsJson(n.north)},
        {"south", BoundsJson(n.south)},
        {"east", BoundsJson(n.east)},
        {"west", BoundsJson(n.west)},
        {"north_east", BoundsJson(n.north_east)},
        {"north_west", BoundsJson(n.north_west)},
        {"south_east", BoundsJson(n.south_east)},
        {"south_west", BoundsJson(n.south_west)}}},
      {"existed", zset != nullptr && zset->Score(member).has_value()}};
}

Json GeoAddTrace(const Db& db, const Argv& argv) {
  bool nx = false, xx = false;
  const size_t first = redis::GeoAddFirstPoint(argv, &nx, &xx);
  if ((argv.size() - first) % 3 != 0 || first == argv.size()) return Json::object();
  const redis::ZSet* zset = db.FindZSet(argv[1]);
  Json points = Json::array();
  uint64_t more = 0;
  for (size_t i = first; i < argv.size(); i += 3) {
    auto parsed = redis::ParseLonLat(argv[i], argv[i + 1]);
    if (std::holds_alternative<redis::Reply>(parsed)) return Json::object();
    if (points.size() >= kMaxTracedPoints) {
      ++more;
      continue;
    }
    const redis::GeoPoint p = std::get<redis::GeoPoint>(parsed);
    points.push_back(PointJson(zset, p.lon, p.lat, argv[i + 2]));
  }
  return {{"bytes_per_point", redis::kGeoBytesPerPoint},
          {"points", std::move(points)},
          {"more_points", more}};
}

// GEOSEARCH runs here (not through Db::Execute) so that one scan makes both
// the reply and the trace; RunGeoSearch is what the command handler runs.
TracedReply TracedGeoSearch(const Db& db, const Argv& argv) {
  TracedReply out;
  auto parsed = redis::ParseGeoSearch(db, argv);
  if (auto* error = std::get_if<redis::Reply>(&parsed)) {
    out.reply = *error;
    return out;
  }
  const redis::GeoSearchQuery& q = std::get<redis::GeoSearchQuery>(parsed);
  redis::GeoScanTrace scan;
  redis::GeoSearchArea area;
  out.reply = redis::RunGeoSearch(q, &scan, &area);
  if (q.zset == nullptr) return out;
  out.candidates = scan.candidates_total;
  const redis::GeoShape& s = q.shape;
  Json shape = {{"unit_meters", s.conversion}};
  if (s.kind == redis::GeoShape::Kind::kCircle) {
    shape.update({{"kind", "radius"}, {"radius", s.radius}});
  } else {
    shape.update({{"kind", "box"}, {"width", s.width}, {"height", s.height}});
  }
  out.trace = {{"center", {{"lon", s.lon}, {"lat", s.lat}}},
               {"shape", std::move(shape)},
               {"bounding_box",
                {{"min_lon", area.bounds[0]},
                 {"min_lat", area.bounds[1]},
                 {"max_lon", area.bounds[2]},
                 {"max_lat", area.bounds[3]}}},
               {"radius_meters", area.radius_meters},
               {"estimated_step", area.estimated_step},
               {"decreased", area.decreased},
               {"step", area.step},
               {"cells", std::move(scan.cells)},
               {"candidates", std::move(scan.candidates)},
               {"candidates_total", scan.candidates_total},
               {"matches", scan.matches}};
  return out;
}

Json GeoDistTrace(const Db& db, const Argv& argv) {
  const redis::ZSet* zset = db.FindZSet(argv[1]);
  if (zset == nullptr) return Json::object();
  const auto s1 = zset->Score(argv[2]);
  const auto s2 = zset->Score(argv[3]);
  if (!s1 || !s2) return Json::object();
  const redis::GeoPoint a = redis::GeoDecodeScore(*s1);
  const redis::GeoPoint b = redis::GeoDecodeScore(*s2);
  return {{"from", {{"member", argv[2]}, {"lon", a.lon}, {"lat", a.lat}}},
          {"to", {{"member", argv[3]}, {"lon", b.lon}, {"lat", b.lat}}},
          {"meters", redis::GeoDistance(a.lon, a.lat, b.lon, b.lat)}};
}

}  // namespace

TracedReply ExecuteWithGeoTrace(Db& db, const Argv& argv) {
  const redis::CommandSpec* spec = Db::FindCommand(argv[0]);
  const auto argc = static_cast<int>(argv.size());
  const bool arity_ok =
      spec != nullptr && (spec->arity > 0 ? argc == spec->arity : argc >= -spec->arity);
  if (arity_ok && spec->name == "geosearch") return TracedGeoSearch(db, argv);
  TracedReply out;
  if (arity_ok && spec->name == "geoadd") out.trace = GeoAddTrace(db, argv);
  if (arity_ok && spec->name == "geodist" && argc <= 5) out.trace = GeoDistTrace(db, argv);
  out.reply = db.Execute(argv);
  if (out.reply.IsError()) out.trace = Json::object();
  return out;
}

}  // namespace sdp

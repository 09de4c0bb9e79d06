// GEOSEARCH's argument parsing: georadiusGeneric of Redis 7.0 with the
// GEOSEARCH flag. Options are read left to right and the first problem is
// the reply, so "BYRADIUS -1 km BYBOX" answers the radius error, not a
// syntax error; the FROM/BY/ANY checks come after the whole line is read.
#include "redis/args.h"
#include "redis/geo_args.h"
#include "redis/geo_search.h"

namespace sdp::redis {
namespace {

constexpr const char* kNotMember = "ERR could not decode requested zset member";

// extractDistanceOrReply / extractBoxOrReply: a number, then a unit.
std::variant<double, Reply> ParseSize(std::string_view text, const char* not_numeric) {
  const std::optional<double> v = ParseDouble(text);
  if (!v) return Reply::Error(std::string("ERR ") + not_numeric);
  return *v;
}

}  // namespace

std::variant<GeoSearchQuery, Reply> ParseGeoSearch(const Db& db, const Argv& argv) {
  const Db::KeyType type = db.TypeOf(argv[1]);
  if (type != Db::KeyType::kNone && type != Db::KeyType::kZSet) return Reply::Error(kWrongType);
  GeoSearchQuery q;
  q.zset = db.FindZSet(argv[1]);
  bool from_member = false, from_lonlat = false, by_radius = false, by_box = false;
  constexpr size_t kBase = 2;
  const size_t remaining = argv.size() - kBase;
  for (size_t i = 0; i < remaining; ++i) {
    const std::string_view arg = argv[kBase + i];
    auto next = [&](size_t k) -> const std::string& { return argv[kBase + i + k]; };
    if (EqualsIgnoreCase(arg, "withdist")) {
      q.with_dist = true;
    } else if (EqualsIgnoreCase(arg, "withhash")) {
      q.with_hash = true;
    } else if (EqualsIgnoreCase(arg, "withcoord")) {
      q.with_coord = true;
    } else if (EqualsIgnoreCase(arg, "any")) {
      q.any = true;
    } else if (EqualsIgnoreCase(arg, "asc")) {
      q.sort = GeoSort::kAsc;
    } else if (EqualsIgnoreCase(arg, "desc")) {
      q.sort = GeoSort::kDesc;
    } else if (EqualsIgnoreCase(arg, "count") && i + 1 < remaining) {
      const std::optional<int64_t> count = ParseInteger(next(1));
      if (!count) return Reply::Error(kNotInteger);
      if (*count <= 0) return Reply::Error("ERR COUNT must be > 0");
      q.count = *count;
      ++i;
    } else if (EqualsIgnoreCase(arg, "frommember") && i + 1 < remaining && !from_lonlat) {
      // A missing key still parses the rest (the reply is then empty).
      if (q.zset != nullptr) {
        const std::optional<double> score = q.zset->Score(next(1));
        if (!score) return Reply::Error(kNotMember);
        const GeoPoint p = GeoDecodeScore(*score);
        q.shape.lon = p.lon;
        q.shape.lat = p.lat;
      }
      from_member = true;
      ++i;
    } else if (EqualsIgnoreCase(arg, "fromlonlat") && i + 2 < remaining && !from_member) {
      auto point = ParseLonLat(next(1), next(2));
      if (auto* error = std::get_if<Reply>(&point)) return *error;
      q.shape.lon = std::get<GeoPoint>(point).lon;
      q.shape.lat = std::get<GeoPoint>(point).lat;
      from_lonlat = true;
      i += 2;
    } else if (EqualsIgnoreCase(arg, "byradius") && i + 2 < remaining && !by_box) {
      auto radius = ParseSize(next(1), "need numeric radius");
      if (auto* error = std::get_if<Reply>(&radius)) return *error;
      if (std::get<double>(radius) < 0) return Reply::Error("ERR radius cannot be negative");
      q.shape.radius = std::get<double>(radius);
      const double to_meters = GeoUnitToMeters(next(2));
      if (to_meters == 0) return Reply::Error(kGeoUnitError);
      q.shape.conversion = to_meters;
      q.shape.kind = GeoShape::Kind::kCircle;
      by_radius = true;
      i += 2;
    } else if (EqualsIgnoreCase(arg, "bybox") && i + 3 < remaining && !by_radius) {
      auto width = ParseSize(next(1), "need numeric width");
      if (auto* error = std::get_if<Reply>(&width)) return *error;
      auto height = ParseSize(next(2), "need numeric height");
      if (auto* error = std::get_if<Reply>(&height)) return *error;
      if (std::get<double>(height) < 0 || std::get<double>(width) < 0) {
        return Reply::Error("ERR height or width cannot be negative");
      }
      q.shape.width = std::get<double>(width);
      q.shape.height = std::get<double>(height);
      const double to_meters = GeoUnitToMeters(next(3));
      if (to_meters == 0) return Reply::Error(kGeoUnitError);
      q.shape.conversion = to_meters;
      q.shape.kind = GeoShape::Kind::kBox;
      by_box = true;
      i += 3;
    } else {
      return Reply::Error(kSyntaxError);
    }
  }
  // The command name as typed: Redis prints c->argv[0].
  if (!from_member && !from_lonlat) {
    return Reply::Error("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " +
                        argv[0]);
  }
  if (!by_radius && !by_box) {
    return Reply::Error("ERR exactly one of BYRADIUS and BYBOX can be specified for " + argv[0]);
  }
  if (q.any && q.count == 0) return Reply::Error("ERR the ANY argument requires COUNT argument");
  // COUNT needs an order to mean "the nearest N"; ANY does not.
  if (q.count != 0 && q.sort == GeoSort::kNone && !q.any) q.sort = GeoSort::kAsc;
  return q;
}

}  // namespace sdp::redis

// GEOSEARCH's scan of the 9 cells and its reply (geo.c membersOfAllNeighbors,
// geoGetPointsInRange and the reply part of georadiusGeneric).
#include <cmath>

#include "redis/geo_search.h"

namespace sdp::redis {
namespace {

using nlohmann::json;

json AreaJson(const GeoArea& a) {
  return {{"min_lon", a.lon.min},
          {"max_lon", a.lon.max},
          {"min_lat", a.lat.min},
          {"max_lat", a.lat.max}};
}

// addReplyLongLong(c, gp->score): C's (long long) of the double, which on
// x86-64 is cvttsd2si (INT64_MIN when out of range).
int64_t ScoreAsInteger(double score) {
  if (std::isnan(score) || score >= 9223372036854775808.0 || score < -9223372036854775808.0) {
    return INT64_MIN;
  }
  return static_cast<int64_t>(score);
}

void TraceCandidate(const GeoShape& shape, const GeoMatch& m, bool kept, GeoScanTrace* trace) {
  ++trace->candidates_total;
  if (trace->candidates.size() >= GeoScanTrace::kMaxCandidates) return;
  // The filter computed the distance unless a box test failed first.
  const bool have_distance = kept || shape.kind == GeoShape::Kind::kCircle;
  const double distance =
      have_distance ? m.distance : GeoDistance(shape.lon, shape.lat, m.lon, m.lat);
  json c = {{"member", m.member}, {"lon", m.lon},           {"lat", m.lat},
            {"score", m.score},   {"distance_m", distance}, {"kept", kept}};
  if (!kept && shape.kind == GeoShape::Kind::kBox) {
    // Which side of the box it is outside: the latitude test runs first.
    const bool too_far_north_south =
        GeoLatDistance(m.lat, shape.lat) > shape.height * shape.conversion / 2;
    c["outside"] = too_far_north_south ? "height" : "width";
  }
  trace->candidates.push_back(std::move(c));
}

}  // namespace

std::vector<GeoMatch> ScanGeoSearch(const ZSet& zset, const GeoShape& shape,
                                    const GeoSearchArea& area, uint64_t limit,
                                    GeoScanTrace* trace) {
  std::vector<GeoMatch> matches;
  const std::array<GeoHashBits, 9> cells = GeoScanOrder(area);
  // As membersOfAllNeighbors: 0 doubles as "none yet", so a cell equal to
  // the centre would not count as a duplicate (neighbours never are).
  int last_scanned = 0;
  bool limit_reached = false;
  for (int i = 0; i < 9; ++i) {
    const GeoHashBits cell = cells[static_cast<size_t>(i)];
    GeoHashBits next = cell;
    ++next.bits;
    const uint64_t min = GeoAlign52Bits(cell);  // inclusive
    const uint64_t max = GeoAlign52Bits(next);  // exclusive
    json cell_json;
    if (trace != nullptr) {
      cell_json = {{"name", kGeoScanNames[static_cast<size_t>(i)]}};
      if (!cell.IsZero()) {
        GeoArea bounds;
        GeoDecodeWgs84(cell, &bounds);
        cell_json.update({{"bits", SafeIntegerJson(cell.bits)},
                          {"step", cell.step},
                          {"bounds", AreaJson(bounds)},
                          {"score_min", SafeIntegerJson(min)},
                          {"score_max", SafeIntegerJson(max)}});
      }
    }
    std::string status;
    uint64_t in_range = 0;
    if (cell.IsZero()) {
      status = "excluded";  // the centre cell already covers that side
    } else if (last_scanned != 0 && cells[static_cast<size_t>(last_scanned)] == cell) {
      status = "duplicate";  // huge radius: neighbours wrapped onto the same cell
    } else if (limit_reached || (limit != 0 && matches.size() >= limit)) {
      limit_reached = true;
      status = "not_scanned_any_limit";
    } else {
      status = "scanned";
      last_scanned = i;
      const ZSet::ScoreRange range{static_cast<double>(min), static_cast<double>(max), false, true};
      for (const ZSet::Item& item : zset.RangeByScore(range, false, 0, -1)) {
        ++in_range;
        const GeoPoint p = GeoDecodeScore(item.second);
        GeoMatch m{item.first, p.lon, p.lat, item.second, 0};
        const bool kept = GeoWithinShape(shape, p.lon, p.lat, &m.distance);
        if (trace != nullptr) TraceCandidate(shape, m, kept, trace);
        if (kept) matches.push_back(std::move(m));
        if (limit != 0 && matches.size() >= limit) break;  // ANY: enough found
      }
    }
    if (trace != nullptr) {
      cell_json["status"] = status;
      if (status == "scanned") cell_json["members_in_range"] = in_range;
      trace->cells.push_back(std::move(cell_json));
    }
  }
  if (trace != nullptr) trace->matches = matches.size();
  return matches;
}

Reply RunGeoSearch(const GeoSearchQuery& q, GeoScanTrace* trace, GeoSearchArea* area_out) {
  if (q.zset == nullptr) return Reply::Array({});
  const GeoSearchArea area = GeoAreasForShape(q.shape);
  if (area_out != nullptr) *area_out = area;
  const uint64_t limit = q.any ? static_cast<uint64_t>(q.count) : 0;
  std::vector<GeoMatch> matches = ScanGeoSearch(*q.zset, q.shape, area, limit, trace);
  const uint64_t total = matches.size();
  const uint64_t returned = (q.count == 0 || total < static_cast<uint64_t>(q.count))
                                ? total
                                : static_cast<uint64_t>(q.count);
  SortGeoMatches(&matches, q.sort, returned);
  const bool nested = q.with_dist || q.with_hash || q.with_coord;
  std::vector<Reply> out;
  for (uint64_t i = 0; i < returned; ++i) {
    const GeoMatch& m = matches[i];
    if (!nested) {
      out.push_back(Reply::Bulk(m.member));
      continue;
    }
    std::vector<Reply> item = {Reply::Bulk(m.member)};
    if (q.with_dist)
      item.push_back(Reply::Bulk(GeoFormatDistance(m.distance / q.shape.conversion)));
    if (q.with_hash) item.push_back(Reply::Integer(ScoreAsInteger(m.score)));
    if (q.with_coord) {
      item.push_back(Reply::Array(
          {Reply::Bulk(GeoFormatCoordinate(m.lon)), Reply::Bulk(GeoFormatCoordinate(m.lat))}));
    }
    out.push_back(Reply::Array(std::move(item)));
  }
  return Reply::Array(std::move(out));
}

}  // namespace sdp::redis

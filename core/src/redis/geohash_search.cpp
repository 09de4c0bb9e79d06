// Distances and the 9-cell search plan of Redis 7.0 (geohash_helper.c), with
// DetSin/DetCos/DetAsin standing in for libm so native and wasm agree.
#include <cmath>

#include "sdp/detmath.h"
#include "sdp/redis/geohash.h"

namespace sdp::redis {
namespace {

// Redis's D_R is M_PI / 180.0, folded to a double at compile time.
constexpr double kDegToRad = 3.14159265358979323846 / 180.0;

double DegRad(double degrees) { return degrees * kDegToRad; }
double RadDeg(double radians) { return radians / kDegToRad; }

// geohashBoundingBox: the latitude span from the height (or radius), the
// longitude span from the width at the latitude where it is widest: the edge
// nearer a pole (top edge in the north, bottom edge in the south).
std::array<double, 4> BoundingBox(const GeoShape& shape) {
  const bool circle = shape.kind == GeoShape::Kind::kCircle;
  const double height = shape.conversion * (circle ? shape.radius : shape.height / 2);
  const double width = shape.conversion * (circle ? shape.radius : shape.width / 2);
  const double lat_delta = RadDeg(height / kEarthRadiusMeters);
  const double lon_delta_top =
      RadDeg(width / kEarthRadiusMeters / DetCos(DegRad(shape.lat + lat_delta)));
  const double lon_delta_bottom =
      RadDeg(width / kEarthRadiusMeters / DetCos(DegRad(shape.lat - lat_delta)));
  const bool southern = shape.lat < 0;
  std::array<double, 4> bounds;
  bounds[0] = southern ? shape.lon - lon_delta_bottom : shape.lon - lon_delta_top;
  bounds[2] = southern ? shape.lon + lon_delta_bottom : shape.lon + lon_delta_top;
  bounds[1] = shape.lat - lat_delta;
  bounds[3] = shape.lat + lat_delta;
  return bounds;
}

struct Cells {
  GeoHashBits hash;
  GeoNeighbors neighbors;
  GeoArea area;
};

Cells CellsAt(double lon, double lat, int step) {
  Cells c;
  GeoEncodeWgs84(lon, lat, step, &c.hash);
  c.neighbors = GeoNeighborsOf(c.hash);
  GeoDecodeWgs84(c.hash, &c.area);
  return c;
}

GeoArea Decoded(GeoHashBits hash) {
  GeoArea area;
  GeoDecodeWgs84(hash, &area);
  return area;
}

}  // namespace

double GeoLatDistance(double lat1, double lat2) {
  return kEarthRadiusMeters * std::fabs(DegRad(lat2) - DegRad(lat1));
}

double GeoDistance(double lon1, double lat1, double lon2, double lat2) {
  const double lon1r = DegRad(lon1);
  const double lon2r = DegRad(lon2);
  const double v = DetSin((lon2r - lon1r) / 2);
  // Same longitude: Redis skips the haversine (asin(sin x) == x).
  if (v == 0.0) return GeoLatDistance(lat1, lat2);
  const double lat1r = DegRad(lat1);
  const double lat2r = DegRad(lat2);
  const double u = DetSin((lat2r - lat1r) / 2);
  const double a = u * u + DetCos(lat1r) * DetCos(lat2r) * v * v;
  return 2.0 * kEarthRadiusMeters * DetAsin(std::sqrt(a));
}

bool GeoWithinShape(const GeoShape& shape, double lon, double lat, double* distance) {
  if (shape.kind == GeoShape::Kind::kCircle) {
    *distance = GeoDistance(shape.lon, shape.lat, lon, lat);
    return !(*distance > shape.radius * shape.conversion);
  }
  const double width_m = shape.width * shape.conversion;
  const double height_m = shape.height * shape.conversion;
  // geohashGetDistanceIfInRectangle: the cheap latitude test first.
  if (GeoLatDistance(lat, shape.lat) > height_m / 2) return false;
  if (GeoDistance(lon, lat, shape.lon, lat) > width_m / 2) return false;
  *distance = GeoDistance(shape.lon, shape.lat, lon, lat);
  return true;
}

int GeoEstimateSteps(double range_meters, double lat) {
  if (range_meters == 0) return 26;
  int step = 1;
  // Bounded: a finite positive range doubles past kMercatorMax in < 1100
  // rounds; NaN fails the test at once (Redis parses no NaN anyway).
  while (range_meters < kMercatorMax) {
    range_meters *= 2;
    ++step;
  }
  step -= 2;
  if (lat > 66 || lat < -66) {
    --step;
    if (lat > 80 || lat < -80) --step;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

GeoSearchArea GeoAreasForShape(const GeoShape& shape) {
  GeoSearchArea out;
  out.bounds = BoundingBox(shape);
  const double min_lon = out.bounds[0];
  const double min_lat = out.bounds[1];
  const double max_lon = out.bounds[2];
  const double max_lat = out.bounds[3];
  double radius = shape.radius;
  if (shape.kind == GeoShape::Kind::kBox) {
    radius =
        std::sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2));
  }
  out.radius_meters = radius * shape.conversion;
  int step = GeoEstimateSteps(out.radius_meters, shape.lat);
  out.estimated_step = step;
  Cells cells = CellsAt(shape.lon, shape.lat, step);

  // The estimate can be too fine when the centre sits near a cell edge: if a
  // N/S/E/W neighbour does not reach the bounding box, go one step coarser.
  const GeoArea north = Decoded(cells.neighbors.north);
  const GeoArea south = Decoded(cells.neighbors.south);
  const GeoArea east = Decoded(cells.neighbors.east);
  const GeoArea west = Decoded(cells.neighbors.west);
  const bool decrease = north.lat.max < max_lat || south.lat.min > min_lat ||
                        east.lon.max < max_lon || west.lon.min > min_lon;
  if (step > 1 && decrease) {
    --step;
    out.decreased = true;
    cells = CellsAt(shape.lon, shape.lat, step);
  }

  // Neighbours on a side the centre cell already covers are not scanned.
  GeoNeighbors& n = cells.neighbors;
  const GeoHashBits zero;
  if (step >= 2) {
    if (cells.area.lat.min < min_lat) n.south = n.south_west = n.south_east = zero;
    if (cells.area.lat.max > max_lat) n.north = n.north_east = n.north_west = zero;
    if (cells.area.lon.min < min_lon) n.west = n.south_west = n.north_west = zero;
    if (cells.area.lon.max > max_lon) n.east = n.south_east = n.north_east = zero;
  }
  out.step = step;
  out.hash = cells.hash;
  out.area = cells.area;
  out.neighbors = n;
  return out;
}

}  // namespace sdp::redis

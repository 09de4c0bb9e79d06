// Redis's geohash, bit for bit (src/geohash.c, geohash_helper.c, geo.c of 7.0).
//
// A GEO key is a sorted set whose score is a 52-bit interleaved geohash held in
// a double (the seed's "each geohash requires approx 8 bytes": 52 bits fit a
// double's 53-bit mantissa exactly). Encoding: longitude in [-180, 180] and
// latitude in [-85.05112878, 85.05112878] (Web Mercator's limits) are each
// turned into a 26-bit cell index, offset = (v - min) / (max - min) * 2^26
// truncated; the indexes are interleaved with latitude on the even bits and
// longitude on the odd bits, so reading the 52-bit score from its most
// significant bit gives lon25 lat25 lon24 lat24 ... lon0 lat0.
// Edge case Redis has too: longitude 180 or latitude 85.05112878 gives index
// 2^26, which lands on bit 53 / 52 (the score exceeds 2^52); decoding clamps.
//
// Every step uses the same floating-point operations in the same order as
// Redis, and the trigonometry comes from detmath.h (DetSin/DetCos/DetAsin, ~
// correctly rounded), so scores, GEOPOS/GEOHASH strings, distances and the
// cells a search scans are Redis's, identically natively and in wasm.
// Vectors (tests/core/redis_geo_test.cpp, checked against a real 7.0.15):
//   Palermo (13.361389, 38.115556) -> 3479099956230698, "sqc8b49rny0"
//   Catania (15.087269, 37.502669) -> 3479447370796909, "sqdtr74hyu0"
//   distance Palermo-Catania "166274.1516" m.
#ifndef SDP_REDIS_GEOHASH_H_
#define SDP_REDIS_GEOHASH_H_

#include <array>
#include <cstdint>
#include <string>

namespace sdp::redis {

constexpr double kGeoLonMin = -180;
constexpr double kGeoLonMax = 180;
constexpr double kGeoLatMin = -85.05112878;
constexpr double kGeoLatMax = 85.05112878;
constexpr int kGeoStepMax = 26;  // bits per coordinate: 52-bit scores
constexpr double kEarthRadiusMeters = 6372797.560856;
constexpr double kMercatorMax = 20037726.37;
// What one GEO point costs as a score: a double (see above).
constexpr int kGeoBytesPerPoint = 8;

struct GeoRange {
  double min = 0;
  double max = 0;
};

// A cell: `step` bits per coordinate, 2*step interleaved bits in `bits`.
// bits == 0 && step == 0 is Redis's "zero" cell (a neighbour not scanned).
struct GeoHashBits {
  uint64_t bits = 0;
  uint8_t step = 0;
  bool IsZero() const { return bits == 0 && step == 0; }
  bool operator==(const GeoHashBits&) const = default;
};

struct GeoArea {
  GeoHashBits hash;
  GeoRange lon;
  GeoRange lat;
};

// In Redis's order of the scan: the cell itself first, then these.
struct GeoNeighbors {
  GeoHashBits north, south, east, west, north_east, north_west, south_east, south_west;
};

constexpr GeoRange kWgs84LonRange = {kGeoLonMin, kGeoLonMax};
constexpr GeoRange kWgs84LatRange = {kGeoLatMin, kGeoLatMax};

// Latitude bits to the even positions, longitude bits to the odd ones.
uint64_t Interleave64(uint32_t lat_index, uint32_t lon_index);
// Inverse: latitude index in the low 32 bits, longitude index in the high 32.
uint64_t Deinterleave64(uint64_t interleaved);

// Redis's geohashEncode: false when a coordinate is outside the GEO limits or
// the given ranges, or step is not in [1, 32].
bool GeoEncode(GeoRange lon_range, GeoRange lat_range, double lon, double lat, int step,
               GeoHashBits* out);
bool GeoEncodeWgs84(double lon, double lat, int step, GeoHashBits* out);
// The cell's bounds; false for a zero cell.
bool GeoDecode(GeoRange lon_range, GeoRange lat_range, GeoHashBits hash, GeoArea* out);
bool GeoDecodeWgs84(GeoHashBits hash, GeoArea* out);
// The cell's centre, clamped to the GEO limits (what GEOPOS shows).
void GeoAreaCenter(const GeoArea& area, double* lon, double* lat);
// Redis's geohashAlign52Bits: the cell as the lowest score it covers.
uint64_t GeoAlign52Bits(GeoHashBits hash);
// The 8 neighbours at the same step. Like Redis, moving past an edge wraps
// around (east of longitude 180 is -180, north of the top row is the bottom).
GeoNeighbors GeoNeighborsOf(GeoHashBits hash);

// A zset score as Redis's `(uint64_t)score` on x86-64 gives it (Redis never
// checks the score is a valid geohash): truncation, values >= 2^63 wrap,
// negative, NaN and out-of-range values follow cvttsd2si.
uint64_t GeoScoreToBits(double score);
// decodeGeohash(): the 52-bit cell of `score` and its clamped centre.
struct GeoPoint {
  double lon = 0;
  double lat = 0;
};
GeoPoint GeoDecodeScore(double score);
// GEOADD's score for a valid coordinate pair (as the integer ZADD receives).
// REQUIRES: lon in [-180, 180], lat in [-85.05112878, 85.05112878].
uint64_t GeoScoreOf(double lon, double lat);
// GEOHASH's 11-character string for a decoded point: re-encoded with the
// standard [-90, 90] latitude range, base32 "0123456789bcdefghjkmnpqrstuvwxyz",
// the 11th character always '0' (52 bits give 10 characters and 2 bits).
std::string GeoHashString(double lon, double lat);

// Haversine distance in meters on a sphere of kEarthRadiusMeters; when the
// longitudes give sin(dlon/2) == 0 Redis uses the latitude difference alone.
double GeoDistance(double lon1, double lat1, double lon2, double lat2);
double GeoLatDistance(double lat1, double lat2);

// The search shape of GEOSEARCH: a circle (BYRADIUS) or a box (BYBOX)
// around (lon, lat). Sizes are in `unit`s; conversion = meters per unit.
struct GeoShape {
  enum class Kind { kCircle, kBox };
  Kind kind = Kind::kCircle;
  double lon = 0;
  double lat = 0;
  double radius = 0;  // kCircle
  double width = 0;   // kBox
  double height = 0;  // kBox
  double conversion = 1;
};

// The filter Redis applies to each candidate: in the circle (distance <=
// radius) or in the box (latitude distance <= height/2, then the distance
// along the candidate's parallel <= width/2). `distance` is the haversine
// distance from the centre in meters, set when the point is inside.
bool GeoWithinShape(const GeoShape& shape, double lon, double lat, double* distance);

// geohashEstimateStepsByRadius: the step whose cells are about the search
// size: 1 + the doublings of `range_meters` until it reaches kMercatorMax,
// minus 2; one less beyond latitude 66, another beyond 80; in [1, 26].
int GeoEstimateSteps(double range_meters, double lat);

// The 9 cells a search scans (geohashCalculateAreasByShapeWGS84).
struct GeoSearchArea {
  // Bounding box of the shape: {min_lon, min_lat, max_lon, max_lat}.
  std::array<double, 4> bounds = {0, 0, 0, 0};
  double radius_meters = 0;  // circle radius, or half the box diagonal
  int estimated_step = 0;
  // The step was lowered by one because a N/S/E/W neighbour did not reach
  // the bounding box.
  bool decreased = false;
  int step = 0;
  GeoHashBits hash;  // the centre cell
  GeoArea area;      // its bounds
  // The neighbours; the ones entirely useless for the box are zero cells
  // (only when step >= 2, as Redis).
  GeoNeighbors neighbors;
};
GeoSearchArea GeoAreasForShape(const GeoShape& shape);
// The cells in scan order: centre, N, S, E, W, NE, NW, SE, SW.
std::array<GeoHashBits, 9> GeoScanOrder(const GeoSearchArea& area);
extern const std::array<const char*, 9> kGeoScanNames;

// Reply formatting as Redis 7.0 does it.
// printf("%.*f", decimals, v) exactly (exact decimal expansion, ties to
// even), e.g. the "%f" of "ERR invalid longitude,latitude pair %f,%f".
std::string GeoFormatFixed(double v, int decimals);
// addReplyHumanLongDouble: "%.17Lf" with trailing zeros (and a bare ".")
// removed, "-0" shown as "0": GEOPOS / WITHCOORD coordinates.
std::string GeoFormatCoordinate(double v);
// addReplyDoubleDistance (fixedpoint_d2string, 4 digits): llrint(d * 10000)
// printed with 4 decimals.
std::string GeoFormatDistance(double meters_in_unit);

}  // namespace sdp::redis

#endif  // SDP_REDIS_GEOHASH_H_

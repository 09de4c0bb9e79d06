// Encoding, decoding and neighbours of Redis's geohash (geohash.h), with the
// same operations in the same order as src/geohash.c so every bit agrees.
#include "sdp/redis/geohash.h"

#include <cmath>

namespace sdp::redis {
namespace {

// Spreads the 32 bits of v to the even positions of a 64-bit word.
uint64_t SpreadBits(uint32_t v) {
  uint64_t x = v;
  x = (x | (x << 16)) & 0x0000FFFF0000FFFFULL;
  x = (x | (x << 8)) & 0x00FF00FF00FF00FFULL;
  x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FULL;
  x = (x | (x << 2)) & 0x3333333333333333ULL;
  x = (x | (x << 1)) & 0x5555555555555555ULL;
  return x;
}

// Gathers the even bits of v into the low 32 bits.
uint64_t GatherBits(uint64_t v) {
  uint64_t x = v & 0x5555555555555555ULL;
  x = (x | (x >> 1)) & 0x3333333333333333ULL;
  x = (x | (x >> 2)) & 0x0F0F0F0F0F0F0F0FULL;
  x = (x | (x >> 4)) & 0x00FF00FF00FF00FFULL;
  x = (x | (x >> 8)) & 0x0000FFFF0000FFFFULL;
  x = (x | (x >> 16)) & 0x00000000FFFFFFFFULL;
  return x;
}

// C's (uint32_t) of a non-negative double below 2^64, as x86-64 computes it
// (through a 64-bit integer, keeping the low 32 bits). Offsets here lie in
// [0, 2^step], so this is plain truncation except for the edge index 2^32.
uint32_t OffsetToIndex(double offset) {
  return static_cast<uint32_t>(static_cast<uint64_t>(offset));
}

// cvttsd2si: truncation toward zero, 0x8000000000000000 when out of range.
uint64_t TruncateToInt64Bits(double v) {
  if (std::isnan(v) || v >= 9223372036854775808.0 || v < -9223372036854775808.0) {
    return 0x8000000000000000ULL;
  }
  return static_cast<uint64_t>(static_cast<int64_t>(v));
}

// Moves a cell one step east (+1) or west (-1): longitude bits are the odd
// ones; filling the even positions with ones lets the carry run through them.
void MoveX(GeoHashBits* hash, int direction) {
  uint64_t x = hash->bits & 0xaaaaaaaaaaaaaaaaULL;
  const uint64_t y = hash->bits & 0x5555555555555555ULL;
  const uint64_t fill = 0x5555555555555555ULL >> (64 - hash->step * 2);
  if (direction > 0) {
    x = x + (fill + 1);
  } else {
    x = x | fill;
    x = x - (fill + 1);
  }
  x &= (0xaaaaaaaaaaaaaaaaULL >> (64 - hash->step * 2));
  hash->bits = x | y;
}

// North (+1) / south (-1): latitude bits are the even ones.
void MoveY(GeoHashBits* hash, int direction) {
  const uint64_t x = hash->bits & 0xaaaaaaaaaaaaaaaaULL;
  uint64_t y = hash->bits & 0x5555555555555555ULL;
  const uint64_t fill = 0xaaaaaaaaaaaaaaaaULL >> (64 - hash->step * 2);
  if (direction > 0) {
    y = y + (fill + 1);
  } else {
    y = y | fill;
    y = y - (fill + 1);
  }
  y &= (0x5555555555555555ULL >> (64 - hash->step * 2));
  hash->bits = x | y;
}

GeoHashBits Moved(GeoHashBits hash, int dx, int dy) {
  if (dx != 0) MoveX(&hash, dx);
  if (dy != 0) MoveY(&hash, dy);
  return hash;
}

}  // namespace

const std::array<const char*, 9> kGeoScanNames = {"center",     "north",      "south",
                                                  "east",       "west",       "north_east",
                                                  "north_west", "south_east", "south_west"};

uint64_t Interleave64(uint32_t lat_index, uint32_t lon_index) {
  return SpreadBits(lat_index) | (SpreadBits(lon_index) << 1);
}

uint64_t Deinterleave64(uint64_t interleaved) {
  return GatherBits(interleaved) | (GatherBits(interleaved >> 1) << 32);
}

bool GeoEncode(GeoRange lon_range, GeoRange lat_range, double lon, double lat, int step,
               GeoHashBits* out) {
  if (step > 32 || step <= 0) return false;
  if (lat_range.min == 0 && lat_range.max == 0) return false;
  if (lon_range.min == 0 && lon_range.max == 0) return false;
  // NaN never reaches here in Redis (string2d refuses it); refuse it too.
  if (std::isnan(lon) || std::isnan(lat)) return false;
  if (lon > kGeoLonMax || lon < kGeoLonMin || lat > kGeoLatMax || lat < kGeoLatMin) return false;
  out->bits = 0;
  out->step = static_cast<uint8_t>(step);
  if (lat < lat_range.min || lat > lat_range.max || lon < lon_range.min || lon > lon_range.max) {
    return false;
  }
  double lat_offset = (lat - lat_range.min) / (lat_range.max - lat_range.min);
  double lon_offset = (lon - lon_range.min) / (lon_range.max - lon_range.min);
  const double cells = static_cast<double>(1ULL << step);
  lat_offset *= cells;
  lon_offset *= cells;
  out->bits = Interleave64(OffsetToIndex(lat_offset), OffsetToIndex(lon_offset));
  return true;
}

bool GeoEncodeWgs84(double lon, double lat, int step, GeoHashBits* out) {
  return GeoEncode(kWgs84LonRange, kWgs84LatRange, lon, lat, step, out);
}

bool GeoDecode(GeoRange lon_range, GeoRange lat_range, GeoHashBits hash, GeoArea* out) {
  if (hash.IsZero()) return false;
  out->hash = hash;
  const uint64_t separated = Deinterleave64(hash.bits);
  const double lat_scale = lat_range.max - lat_range.min;
  const double lon_scale = lon_range.max - lon_range.min;
  const auto lat_index = static_cast<uint32_t>(separated);
  const auto lon_index = static_cast<uint32_t>(separated >> 32);
  // uint32 arithmetic: index + 1 wraps at 2^32 exactly as in C.
  const auto lat_next = static_cast<uint32_t>(lat_index + 1u);
  const auto lon_next = static_cast<uint32_t>(lon_index + 1u);
  const double cells = static_cast<double>(1ULL << hash.step);
  out->lat.min = lat_range.min + (lat_index * 1.0 / cells) * lat_scale;
  out->lat.max = lat_range.min + (lat_next * 1.0 / cells) * lat_scale;
  out->lon.min = lon_range.min + (lon_index * 1.0 / cells) * lon_scale;
  out->lon.max = lon_range.min + (lon_next * 1.0 / cells) * lon_scale;
  return true;
}

bool GeoDecodeWgs84(GeoHashBits hash, GeoArea* out) {
  return GeoDecode(kWgs84LonRange, kWgs84LatRange, hash, out);
}

void GeoAreaCenter(const GeoArea& area, double* lon, double* lat) {
  double x = (area.lon.min + area.lon.max) / 2;
  if (x > kGeoLonMax) x = kGeoLonMax;
  if (x < kGeoLonMin) x = kGeoLonMin;
  double y = (area.lat.min + area.lat.max) / 2;
  if (y > kGeoLatMax) y = kGeoLatMax;
  if (y < kGeoLatMin) y = kGeoLatMin;
  *lon = x;
  *lat = y;
}

uint64_t GeoAlign52Bits(GeoHashBits hash) { return hash.bits << (52 - hash.step * 2); }

GeoNeighbors GeoNeighborsOf(GeoHashBits hash) {
  GeoNeighbors n;
  n.east = Moved(hash, 1, 0);
  n.west = Moved(hash, -1, 0);
  n.south = Moved(hash, 0, -1);
  n.north = Moved(hash, 0, 1);
  n.north_west = Moved(hash, -1, 1);
  n.north_east = Moved(hash, 1, 1);
  n.south_east = Moved(hash, 1, -1);
  n.south_west = Moved(hash, -1, -1);
  return n;
}

uint64_t GeoScoreToBits(double score) {
  // g++ on x86-64 converts double -> uint64 in two ranges split at 2^63.
  constexpr double kTwo63 = 9223372036854775808.0;
  if (score >= kTwo63) return TruncateToInt64Bits(score - kTwo63) ^ 0x8000000000000000ULL;
  return TruncateToInt64Bits(score);
}

GeoPoint GeoDecodeScore(double score) {
  GeoArea area;
  GeoPoint p;
  GeoDecodeWgs84(GeoHashBits{GeoScoreToBits(score), kGeoStepMax}, &area);  // step != 0
  GeoAreaCenter(area, &p.lon, &p.lat);
  return p;
}

uint64_t GeoScoreOf(double lon, double lat) {
  GeoHashBits hash;
  GeoEncodeWgs84(lon, lat, kGeoStepMax, &hash);
  return GeoAlign52Bits(hash);
}

std::string GeoHashString(double lon, double lat) {
  static constexpr char kAlphabet[] = "0123456789bcdefghjkmnpqrstuvwxyz";
  GeoHashBits hash;
  // Decoded points are inside the limits, so this succeeds (Redis does not check).
  GeoEncode({-180, 180}, {-90, 90}, lon, lat, kGeoStepMax, &hash);
  std::string out(11, '0');
  for (int i = 0; i < 10; ++i) {
    out[static_cast<size_t>(i)] = kAlphabet[(hash.bits >> (52 - (i + 1) * 5)) & 0x1f];
  }
  return out;  // the 11th stays '0': Redis assumes zero bits past the 52nd
}

std::array<GeoHashBits, 9> GeoScanOrder(const GeoSearchArea& area) {
  const GeoNeighbors& n = area.neighbors;
  return {area.hash,    n.north,      n.south,      n.east,      n.west,
          n.north_east, n.north_west, n.south_east, n.south_west};
}

}  // namespace sdp::redis

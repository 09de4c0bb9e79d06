// Redis's geohash library (sdp/redis/geohash.h) against the published vectors
// (Redis docs' Palermo / Catania) and values read from a real Redis 7.0.15
// (redis-cli: ZSCORE, GEOPOS, GEOHASH, GEODIST on the same points).
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <string>

#include "sdp/random.h"
#include "sdp/redis/geohash.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace redis_geohash_test {

using namespace sdp::redis;

namespace {

std::string Pos(double score) {
  const GeoPoint p = GeoDecodeScore(score);
  return GeoFormatCoordinate(p.lon) + "," + GeoFormatCoordinate(p.lat);
}

std::string HashOf(double score) {
  const GeoPoint p = GeoDecodeScore(score);
  return GeoHashString(p.lon, p.lat);
}

}  // namespace

TEST_CASE("Palermo and Catania encode to Redis's scores and GEOHASH strings", "[redis_geo]") {
  const uint64_t palermo = GeoScoreOf(13.361389, 38.115556);
  const uint64_t catania = GeoScoreOf(15.087269, 37.502669);
  CHECK(palermo == 3479099956230698ULL);
  CHECK(catania == 3479447370796909ULL);
  CHECK(HashOf(static_cast<double>(palermo)) == "sqc8b49rny0");
  CHECK(HashOf(static_cast<double>(catania)) == "sqdtr74hyu0");
  // GEOPOS shows the cell centre, "%.17Lf" with trailing zeros cut.
  CHECK(Pos(static_cast<double>(palermo)) == "13.36138933897018433,38.11555639549629859");
  CHECK(Pos(static_cast<double>(catania)) == "15.08726745843887329,37.50266842333162032");
}

TEST_CASE("GEODIST Palermo-Catania in every unit, as Redis prints it", "[redis_geo]") {
  const GeoPoint p = GeoDecodeScore(3479099956230698.0);
  const GeoPoint c = GeoDecodeScore(3479447370796909.0);
  const double meters = GeoDistance(p.lon, p.lat, c.lon, c.lat);
  CHECK(GeoFormatDistance(meters) == "166274.1516");
  CHECK(GeoFormatDistance(meters / 1000) == "166.2742");
  CHECK(GeoFormatDistance(meters / 1609.34) == "103.3182");
  CHECK(GeoFormatDistance(meters / 0.3048) == "545518.8700");
  // Same longitude: Redis's shortcut, the latitude arc alone (real server:
  // GEOADD meridian 10 0 a 10 1 b 10 -45 c 10.000001 45 d; GEODIST a b / a c /
  // a d: all three share a's longitude cell, so the shortcut applies).
  CHECK(GeoDistance(10, 0, 10, 1) == GeoLatDistance(0, 1));
  auto dist = [](double lon1, double lat1, double lon2, double lat2) {
    const GeoPoint a = GeoDecodeScore(static_cast<double>(GeoScoreOf(lon1, lat1)));
    const GeoPoint b = GeoDecodeScore(static_cast<double>(GeoScoreOf(lon2, lat2)));
    return GeoFormatDistance(GeoDistance(a.lon, a.lat, b.lon, b.lat));
  };
  CHECK(dist(10, 0, 10, 1) == "111226.0989");
  CHECK(dist(10, 0, 10, -45) == "5005183.7532");
  CHECK(dist(10, 0, 10.000001, 45) == "5005183.4712");
  CHECK(GeoDistance(1, 2, 1, 2) == 0.0);
}

TEST_CASE("edge coordinates overflow the 26-bit index exactly as in Redis", "[redis_geo]") {
  // lon 180 / lat 85.05112878 give index 2^26: bits 53 and 52 (real server:
  // ZSCORE 13510798882111488, GEOPOS 180 85.0511287799999991).
  CHECK(GeoScoreOf(180, 85.05112878) == 13510798882111488ULL);
  CHECK(Pos(13510798882111488.0) == "180,85.0511287799999991");
  CHECK(HashOf(13510798882111488.0) == "bp05b5048p0");
  CHECK(GeoScoreOf(-180, -85.05112878) == 0);
  CHECK(Pos(0) == "-179.99999731779098511,-85.05112751263942528");
  CHECK(HashOf(0) == "00bh0hbj200");
}

TEST_CASE("scores that are not geohashes decode like Redis on x86-64", "[redis_geo]") {
  // Values a ZADD can store; read back with GEOPOS from a real 7.0.15.
  CHECK(Pos(-1) == "180,85.0511287799999991");  // all bits set
  CHECK(Pos(1) == "-179.99999731779098511,-85.05112497791824921");
  CHECK(Pos(3.5) == "-179.99999195337295532,-85.05112497791824921");
  CHECK(Pos(9007199254740992.0) == "180,-85.05112751263942528");  // 2^53
  CHECK(Pos(1e19) == "180,85.0511287799999991");
  CHECK(Pos(INFINITY) == "-179.99999731779098511,-85.05112751263942528");
  CHECK(Pos(-INFINITY) == "180,-85.05112751263942528");
  CHECK(Pos(-1e19) == "180,-85.05112751263942528");
  CHECK(HashOf(1) == "00bh0hbj210");
  CHECK(GeoScoreToBits(1e19) == 10000000000000000000ULL);
  CHECK(GeoScoreToBits(-1) == UINT64_MAX);
  CHECK(GeoScoreToBits(INFINITY) == 0);
  CHECK(GeoScoreToBits(-INFINITY) == 0x8000000000000000ULL);
}

TEST_CASE("interleaving puts longitude on the odd bits, latitude on the even", "[redis_geo]") {
  CHECK(Interleave64(1, 0) == 1);
  CHECK(Interleave64(0, 1) == 2);
  CHECK(Interleave64(0xFFFFFFFFu, 0) == 0x5555555555555555ULL);
  CHECK(Interleave64(0, 0xFFFFFFFFu) == 0xAAAAAAAAAAAAAAAAULL);
  sdp::Rng rng(11);
  for (int i = 0; i < 1000; ++i) {
    const auto lat = static_cast<uint32_t>(rng.Next());
    const auto lon = static_cast<uint32_t>(rng.Next());
    const uint64_t sep = Deinterleave64(Interleave64(lat, lon));
    CHECK(static_cast<uint32_t>(sep) == lat);
    CHECK(static_cast<uint32_t>(sep >> 32) == lon);
  }
}

TEST_CASE("neighbours touch the cell and wrap around the edges", "[redis_geo]") {
  GeoHashBits cell;
  REQUIRE(GeoEncodeWgs84(13.361389, 38.115556, 10, &cell));
  GeoArea c, e, w, n, s;
  const GeoNeighbors nb = GeoNeighborsOf(cell);
  REQUIRE(GeoDecodeWgs84(cell, &c));
  REQUIRE(GeoDecodeWgs84(nb.east, &e));
  REQUIRE(GeoDecodeWgs84(nb.west, &w));
  REQUIRE(GeoDecodeWgs84(nb.north, &n));
  REQUIRE(GeoDecodeWgs84(nb.south, &s));
  CHECK(e.lon.min == c.lon.max);
  CHECK(w.lon.max == c.lon.min);
  CHECK(n.lat.min == c.lat.max);
  CHECK(s.lat.max == c.lat.min);
  CHECK(e.lat.min == c.lat.min);
  // East of the last column is the first one (Redis does not stop at 180).
  GeoHashBits last;
  REQUIRE(GeoEncodeWgs84(179.9, 0, 4, &last));
  GeoArea wrapped;
  REQUIRE(GeoDecodeWgs84(GeoNeighborsOf(last).east, &wrapped));
  CHECK(wrapped.lon.min == -180);
  CHECK(GeoAlign52Bits(cell) == cell.bits << 32);
}

TEST_CASE("step estimation follows geohashEstimateStepsByRadius", "[redis_geo]") {
  // 200 km doubles 7 times to pass 20037726.37 m: 1 + 7 - 2 = 6.
  CHECK(GeoEstimateSteps(200000, 37) == 6);
  CHECK(GeoEstimateSteps(200000, 70) == 5);   // beyond 66 degrees: one less
  CHECK(GeoEstimateSteps(200000, -81) == 4);  // beyond 80: two less
  CHECK(GeoEstimateSteps(0, 0) == 26);
  CHECK(GeoEstimateSteps(1, 0) == 24);  // 2^25 > 20037726.37: 1 + 25 - 2 = 24
  CHECK(GeoEstimateSteps(0.01, 0) == 26);
  CHECK(GeoEstimateSteps(1e7, 0) == 1);
  CHECK(GeoEstimateSteps(INFINITY, 0) == 1);
}

TEST_CASE("a radius search plans 9 cells that cover the circle", "[redis_geo]") {
  GeoShape shape;
  shape.lon = 15;
  shape.lat = 37;
  shape.radius = 200;
  shape.conversion = 1000;
  const GeoSearchArea area = GeoAreasForShape(shape);
  CHECK(area.estimated_step == 6);
  CHECK(area.step == (area.decreased ? 5 : 6));
  // Every point within the radius lies in one of the scanned cells.
  sdp::Rng rng(5);
  const auto cells = GeoScanOrder(area);
  for (int i = 0; i < 2000; ++i) {
    const double lon = rng.Uniform(12, 18);
    const double lat = rng.Uniform(35, 39);
    double d = 0;
    if (!GeoWithinShape(shape, lon, lat, &d)) continue;
    const uint64_t score = GeoScoreOf(lon, lat);
    bool covered = false;
    for (const GeoHashBits& cell : cells) {
      if (cell.IsZero()) continue;
      GeoHashBits next = cell;
      ++next.bits;
      covered = covered || (score >= GeoAlign52Bits(cell) && score < GeoAlign52Bits(next));
    }
    CHECK(covered);
  }
}

TEST_CASE("number formatting reproduces printf and fixedpoint_d2string", "[redis_geo]") {
  // The texts of "ERR invalid longitude,latitude pair %f,%f" from the server.
  CHECK(GeoFormatFixed(200, 6) == "200.000000");
  CHECK(GeoFormatFixed(INFINITY, 6) == "inf");
  CHECK(GeoFormatFixed(-0.0, 6) == "-0.000000");
  CHECK(GeoFormatFixed(1e300, 6) ==
        "1000000000000000052504760255204420248704468581108159154915854115511802457988908195786"
        "371375080447864043704443832883878176942523235360430575644792184786706982848387200926"
        "575803737830233794788090059368953234970799945081119038967640880074652742780142494579"
        "258788820056842838115669472196386865459400540160.000000");
  CHECK(GeoFormatFixed(0.5, 0) == "0");  // ties to even, as glibc
  CHECK(GeoFormatFixed(2.5, 0) == "2");
  CHECK(GeoFormatFixed(0.125, 2) == "0.12");
  CHECK(GeoFormatCoordinate(-1e-20) == "0");
  CHECK(GeoFormatCoordinate(180) == "180");
  // Against this platform's printf for many values.
  sdp::Rng rng(3);
  for (int i = 0; i < 5000; ++i) {
    const double v = rng.Uniform(-200, 200) * (i % 3 == 0 ? 1e-6 : 1);
    char buf[128];
    std::snprintf(buf, sizeof buf, "%f", v);
    CHECK(GeoFormatFixed(v, 6) == buf);
    std::snprintf(buf, sizeof buf, "%.17Lf", static_cast<long double>(v));
    CHECK(GeoFormatFixed(v, 17) == buf);
  }
  CHECK(GeoFormatDistance(0) == "0.0000");
  CHECK(GeoFormatDistance(0.5) == "0.5000");
  CHECK(GeoFormatDistance(1.23456) == "1.2346");
  CHECK(GeoFormatDistance(0.00001) == "0.0000");
  CHECK(GeoFormatDistance(NAN) == "-922337203685477.5808");  // llrint(NaN) on x86-64
}

}  // namespace redis_geohash_test

// Redis sorted set and geohash speed, built natively (build/native/
// sdp_redis_bench) and as wasm run by node (build/wasm/sdp_redis_bench.js)
// from this one file. bench/compare_redis.mjs runs both and times the npm
// packages people use (redis-sorted-set, ngeohash) on the same inputs.
//   1. ZADD 1M members "job:<i>" with score (i * 2654435761) mod 1000003,
//      then ZPOPMIN all of them (First + Remove: what ZPOPMIN does), on
//      sdp::redis::ZSet (skip list + member map, as t_zset.c).
//   2. GEOADD's encoding of 1M points (Redis's 52-bit score) and GEOHASH's
//      11-character string, lon = (i * 7919 mod 360000) / 1000 - 180,
//      lat = (i * 104729 mod 170000) / 1000 - 85.
// Checksums let the JS side confirm it timed the same work.
#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "sdp/redis/geohash.h"
#include "sdp/redis/zset.h"

#include "bench_timing.h"

namespace {

constexpr uint32_t kN = 1000000;

double Score(uint32_t i) { return static_cast<double>((uint64_t{i} * 2654435761u) % 1000003u); }
double Lon(uint32_t i) { return static_cast<double>((uint64_t{i} * 7919u) % 360000u) / 1000.0 - 180.0; }
double Lat(uint32_t i) { return static_cast<double>((uint64_t{i} * 104729u) % 170000u) / 1000.0 - 85.0; }

}  // namespace

int main() {
  std::printf("sdp_redis_bench (%s), best of %d, %u items\n", sdp_bench::kPlatform, sdp_bench::kDefaultRuns, kN);
  std::vector<std::string> members;
  members.reserve(kN);
  for (uint32_t i = 0; i < kN; ++i) members.push_back("job:" + std::to_string(i));

  // Each run fills a fresh set (timed as ZADD), then empties it (ZPOPMIN);
  // the fastest run of each phase is kept.
  double zadd_s = 1e300, zpopmin_s = 1e300;
  uint64_t pop_checksum = 0;
  for (int run = 0; run < sdp_bench::kDefaultRuns; ++run) {
    sdp::redis::ZSet z(1);
    zadd_s = std::min(zadd_s, sdp_bench::BestOf([&] {
      for (uint32_t i = 0; i < kN; ++i) z.Set(members[i], Score(i));
    }, 1));
    zpopmin_s = std::min(zpopmin_s, sdp_bench::BestOf([&] {
      // The first ten popped scores, as a checksum of the order.
      uint64_t sum = 0;
      for (uint32_t i = 0; i < kN; ++i) {
        const auto item = z.First();
        if (i < 10) sum = sum * 1000003u + static_cast<uint64_t>(item.second);
        z.Remove(item.first);
      }
      pop_checksum = sum;
    }, 1));
  }

  uint64_t score_checksum = 0;
  const double geo_s = sdp_bench::BestOf([&] {
    uint64_t sum = 0;
    for (uint32_t i = 0; i < kN; ++i) sum ^= sdp::redis::GeoScoreOf(Lon(i), Lat(i)) * (i | 1);
    score_checksum = sum;
  });
  uint64_t hash_checksum = 0;
  const double geohash_s = sdp_bench::BestOf([&] {
    uint64_t sum = 0;
    for (uint32_t i = 0; i < kN; ++i) sum += static_cast<unsigned char>(sdp::redis::GeoHashString(Lon(i), Lat(i))[3]);
    hash_checksum = sum;
  });

  const double m = kN / 1e6;
  std::printf("  ZADD                 %7.3f s  %6.2f M/s\n", zadd_s, m / zadd_s);
  std::printf("  ZPOPMIN              %7.3f s  %6.2f M/s  (first scores checksum %" PRIu64 ")\n", zpopmin_s, m / zpopmin_s, pop_checksum);
  std::printf("  GEOADD score encode  %7.3f s  %6.2f M/s  (checksum %" PRIu64 ")\n", geo_s, m / geo_s, score_checksum);
  std::printf("  GEOHASH string       %7.3f s  %6.2f M/s\n", geohash_s, m / geohash_s);
  std::printf("JSON {\"zadd_s\":%.4f,\"zpopmin_s\":%.4f,\"geo_score_s\":%.4f,\"geohash_s\":%.4f,\"pop_checksum\":\"%" PRIu64
              "\",\"hash_checksum\":%" PRIu64 "}\n",
              zadd_s, zpopmin_s, geo_s, geohash_s, pop_checksum, hash_checksum);
  return 0;
}

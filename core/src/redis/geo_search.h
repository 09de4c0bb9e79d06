// GEOSEARCH's pieces, shared by its command handler and the redis_geo sim's
// trace (private to core/src). Semantics of Redis 7.0's georadiusGeneric.
#ifndef SDP_REDIS_GEO_SEARCH_H_
#define SDP_REDIS_GEO_SEARCH_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <variant>
#include <vector>

#include "sdp/redis/db.h"
#include "sdp/redis/geohash.h"

namespace sdp::redis {

enum class GeoSort { kNone, kAsc, kDesc };

struct GeoSearchQuery {
  GeoShape shape;
  bool with_dist = false;
  bool with_hash = false;
  bool with_coord = false;
  GeoSort sort = GeoSort::kNone;  // COUNT without ANY already turned into kAsc
  bool any = false;
  int64_t count = 0;           // 0: no COUNT
  const ZSet* zset = nullptr;  // null: the key does not exist (empty reply)
};

// The arguments as Redis parses them, in order, with its first error as the
// Reply. REQUIRES: argv.size() >= 7 (the command's arity).
std::variant<GeoSearchQuery, Reply> ParseGeoSearch(const Db& db, const Argv& argv);

struct GeoMatch {
  std::string member;
  double lon = 0;
  double lat = 0;
  double score = 0;
  double distance = 0;  // meters
};

// An unsigned integer for a trace: a JSON number up to 2^53 - 1 (what
// JavaScript holds exactly), a decimal string above, as Reply::ToJson does.
inline nlohmann::json SafeIntegerJson(uint64_t v) {
  if (v > 9007199254740991ULL) return std::to_string(v);
  return v;
}

// What the scan did, for the sim: filled when a pointer is given.
struct GeoScanTrace {
  static constexpr uint32_t kMaxCandidates = 500;  // later ones are only counted
  nlohmann::json cells = nlohmann::json::array();
  nlohmann::json candidates = nlohmann::json::array();
  uint64_t candidates_total = 0;
  uint64_t matches = 0;  // candidates the filter kept
};

// membersOfAllNeighbors: the 9 cells in order, skipping zero cells and a cell
// equal to the previous one scanned, stopping early once `limit` (ANY COUNT)
// matches are found; candidates in score order within a cell.
std::vector<GeoMatch> ScanGeoSearch(const ZSet& zset, const GeoShape& shape,
                                    const GeoSearchArea& area, uint64_t limit, GeoScanTrace* trace);

// Redis's orderings of the matches by distance: glibc's qsort (a stable merge
// sort) when every match is returned, pqsort (Bentley-McIlroy quicksort that
// only orders [0, returned)) under COUNT. Equal distances therefore come out
// exactly as Redis lists them.
void SortGeoMatches(std::vector<GeoMatch>* matches, GeoSort sort, uint64_t returned);

// The reply for a parsed query (runs the scan). With `trace` / `area` given,
// also what the scan did and the 9-cell plan (the sim's trace, from the same
// single scan that makes the reply).
Reply RunGeoSearch(const GeoSearchQuery& query, GeoScanTrace* trace = nullptr,
                   GeoSearchArea* area = nullptr);

}  // namespace sdp::redis

#endif  // SDP_REDIS_GEO_SEARCH_H_

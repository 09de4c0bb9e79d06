// The shared cache (a CDN or reverse proxy) in front of the `rest` API,
// following RFC 9111 for the directives the sim uses:
//   3 / 3.5  stores a GET 200 unless no-store or private (it is a shared
//            cache), and, since requests carry Authorization, only if the
//            response says public, s-maxage or must-revalidate;
//   4.2      serves a stored response while fresh (s-maxage, else max-age,
//            beats its age), adding Age;
//   4.3      otherwise (stale, or no-cache) asks the origin with
//            If-None-Match; a 304 refreshes the stored response;
//   4.4      a 2xx/3xx answer to an unsafe method invalidates the target URI
//            and its Location.
// No heuristic freshness (4.2.2), no Vary (4.1), no stale-if-error.
#ifndef SDP_REST_CACHE_H_
#define SDP_REST_CACHE_H_

#include <cstdint>
#include <map>
#include <string>

#include "sdp/rest/http.h"

namespace sdp::rest {

constexpr uint32_t kMaxCacheEntries = 1000;

struct CacheEntry {
  Response response;          // as the origin sent it (no Age)
  uint64_t stored_at_ms = 0;  // response_time of RFC 9111 4.2.3; a 304 moves it
  uint64_t lifetime_s = 0;    // freshness lifetime (4.2.1)
  bool must_validate = false; // no-cache: validate before every reuse (5.2.2.4)
};

class SharedCache {
 public:
  // RFC 9111 3 and 3.5. `why_not` (if not null) gets the reason when false.
  static bool Storable(const Request& request, const Response& response, std::string* why_not);

  CacheEntry* Find(const std::string& uri);
  // REQUIRES: Storable(). Evicts the entry stored longest ago when full.
  void Store(const std::string& uri, const Response& response, uint64_t now_ms);
  // A 304 from the origin: its Cache-Control and ETag replace the stored ones
  // and the stored response counts as just received (4.3.4).
  void Freshen(CacheEntry* entry, const Response& not_modified, uint64_t now_ms);
  bool Invalidate(const std::string& uri);

  static uint64_t AgeMs(const CacheEntry& entry, uint64_t now_ms) { return now_ms - entry.stored_at_ms; }
  static bool Fresh(const CacheEntry& entry, uint64_t now_ms) {
    return entry.lifetime_s * 1000 > AgeMs(entry, now_ms);
  }

  Json SnapshotJson(uint64_t now_ms) const;
  uint64_t size() const { return entries_.size(); }

 private:
  std::map<std::string, CacheEntry> entries_;  // by URI (path): GET only
};

}  // namespace sdp::rest

#endif  // SDP_REST_CACHE_H_

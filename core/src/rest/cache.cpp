#include "sdp/rest/cache.h"

namespace sdp::rest {
namespace {

CacheControl ResponseDirectives(const Response& response) {
  const std::string* cc = FindHeader(response.headers, "Cache-Control");
  return cc == nullptr ? CacheControl() : ParseCacheControl(*cc);
}

void SetLifetime(CacheEntry* entry) {
  const CacheControl cc = ResponseDirectives(entry->response);
  // 4.2.1: a shared cache takes s-maxage first, then max-age.
  entry->lifetime_s = cc.s_maxage_s.value_or(cc.max_age_s.value_or(0));
  entry->must_validate = cc.no_cache;
}

}  // namespace

bool SharedCache::Storable(const Request& request, const Response& response, std::string* why_not) {
  auto no = [&](const char* reason) {
    if (why_not != nullptr) *why_not = reason;
    return false;
  };
  if (request.method != "GET") return no("only GET responses are stored");
  if (response.status != 200) return no("only 200 responses are stored (no heuristic freshness)");
  const CacheControl cc = ResponseDirectives(response);
  if (cc.no_store) return no("the response says no-store (RFC 9111 5.2.2.5)");
  if (cc.is_private) return no("the response says private: a shared cache must not store it (5.2.2.7)");
  const std::string* req_cc = FindHeader(request.headers, "Cache-Control");
  if (req_cc != nullptr && ParseCacheControl(*req_cc).no_store) return no("the request says no-store (5.2.1.5)");
  if (FindHeader(request.headers, "Authorization") != nullptr && !cc.is_public && !cc.s_maxage_s &&
      !cc.must_revalidate) {
    return no("the request has Authorization and the response is not public (3.5)");
  }
  if (!cc.max_age_s && !cc.s_maxage_s && !cc.no_cache) return no("the response has no explicit freshness");
  return true;
}

CacheEntry* SharedCache::Find(const std::string& uri) {
  const auto it = entries_.find(uri);
  return it == entries_.end() ? nullptr : &it->second;
}

void SharedCache::Store(const std::string& uri, const Response& response, uint64_t now_ms) {
  if (entries_.size() >= kMaxCacheEntries && entries_.count(uri) == 0) {
    auto oldest = entries_.begin();
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->second.stored_at_ms < oldest->second.stored_at_ms) oldest = it;
    }
    entries_.erase(oldest);
  }
  CacheEntry entry;
  entry.response = response;
  entry.stored_at_ms = now_ms;
  SetLifetime(&entry);
  entries_[uri] = std::move(entry);
}

void SharedCache::Freshen(CacheEntry* entry, const Response& not_modified, uint64_t now_ms) {
  for (const char* name : {"Cache-Control", "ETag"}) {
    if (const std::string* v = FindHeader(not_modified.headers, name)) SetHeader(&entry->response.headers, name, *v);
  }
  entry->stored_at_ms = now_ms;
  SetLifetime(entry);
}

bool SharedCache::Invalidate(const std::string& uri) { return entries_.erase(uri) > 0; }

Json SharedCache::SnapshotJson(uint64_t now_ms) const {
  Json out = Json::array();
  for (const auto& [uri, e] : entries_) {
    const std::string* etag = FindHeader(e.response.headers, "ETag");
    out.push_back({{"uri", uri},
                   {"etag", etag ? *etag : ""},
                   {"stored_at_ms", e.stored_at_ms},
                   {"max_age_s", e.lifetime_s},
                   {"age_s", AgeMs(e, now_ms) / 1000},
                   {"fresh", Fresh(e, now_ms) && !e.must_validate},
                   {"no_cache", e.must_validate},
                   {"bytes", static_cast<uint64_t>(e.response.body ? e.response.body->size() : 0)}});
  }
  return out;
}

}  // namespace sdp::rest

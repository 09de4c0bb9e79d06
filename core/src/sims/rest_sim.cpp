#include "sdp/rest_sim.h"

#include <algorithm>
#include <string_view>

namespace sdp {
namespace rest {
namespace {

constexpr uint32_t kMaxRequestHeaders = 32;
constexpr uint32_t kMaxHeaderValue = 1024;

bool IsTchar(char c) {  // RFC 9110 5.6.2
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// The `headers` field: an object of field name -> string value, as RFC 9110
// 5.1 / 5.5 allow them (a token; visible ASCII, space and tab).
Result<Headers> ParseRequestHeaders(const Json& field) {
  const std::string where = "request: field \"headers\": ";
  if (!field.is_object()) {
    return Status::Invalid(where + "must be an object of header name -> string value, e.g. "
                                   "{\"Authorization\": \"Bearer alice\"}");
  }
  if (field.size() > kMaxRequestHeaders) {
    return Status::Invalid(where + "at most " + std::to_string(kMaxRequestHeaders) + " headers");
  }
  Headers out;
  for (const auto& [name, value] : field.items()) {
    if (name.empty() || name.size() > 64 || !std::all_of(name.begin(), name.end(), IsTchar)) {
      return Status::Invalid(where + "a header name must be 1-64 letters, digits or !#$%&'*+-.^_`|~ (got \"" +
                             name.substr(0, 40) + "\")");
    }
    if (FindHeader(out, name) != nullptr) {
      return Status::Invalid(where + "\"" + name + "\" appears twice (names ignore case)");
    }
    if (!value.is_string()) return Status::Invalid(where + "the value of \"" + name + "\" must be a string");
    const std::string& v = value.get_ref<const std::string&>();
    const bool printable = std::all_of(v.begin(), v.end(), [](char c) { return (c >= 0x20 && c < 0x7f) || c == '\t'; });
    if (v.size() > kMaxHeaderValue || !printable) {
      return Status::Invalid(where + "the value of \"" + name + "\" must be at most " + std::to_string(kMaxHeaderValue) +
                             " bytes of visible ASCII, space or tab");
    }
    out.push_back({name, v});
  }
  return out;
}

bool IsOriginFormPath(const std::string& path) {
  if (path.empty() || path[0] != '/') return false;
  return std::all_of(path.begin(), path.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

Json BodyJson(const Response& response) {
  if (!response.body) return nullptr;
  return Json::parse(*response.body);  // the origin only writes JSON it dumped
}

}  // namespace
}  // namespace rest

std::string RestCacheControlValue(const RestSimConfig& config) {
  const std::string max_age = "max-age=" + std::to_string(config.max_age_s);
  if (config.cache_control == "private") return "private, " + max_age;
  // public: requests carry Authorization, and without it a shared cache may
  // not store the response at all (RFC 9111 3.5).
  if (config.cache_control == "no-cache") return "public, no-cache";
  if (config.cache_control == "no-store") return "no-store";
  return "public, " + max_age;
}

RestSim::RestSim(uint64_t seed, const RestSimConfig& config)
    : config_(config), origin_(rest::OriginPolicy{RestCacheControlValue(config)}), replicas_(config.replicas) {
  (void)seed;  // nothing in the model is random
}

Result<Json> RestSim::Apply(const std::string& op, const Json& args) {
  ++work_;
  if (op == "request") return Request(args);
  if (op == "kill_replica") return SetReplica(args, false);
  if (op == "start_replica") return SetReplica(args, true);
  // advance
  now_ms_ += args["ms"].get<uint64_t>();
  return Json{{"time_ms", now_ms_}};
}

Result<Json> RestSim::SetReplica(const Json& args, bool up) {
  const uint32_t id = args["id"].get<uint32_t>();
  const std::string op = up ? "start_replica" : "kill_replica";
  if (id > replicas_.size()) {
    return Status::Invalid(op + ": field \"id\": there is no replica " + std::to_string(id) + "; the replicas are 1-" +
                           std::to_string(replicas_.size()));
  }
  Replica& r = replicas_[id - 1];
  if (r.up == up) {
    return Status::Invalid(op + ": field \"id\": replica " + std::to_string(id) + " is already " + (up ? "up" : "down"));
  }
  r.up = up;
  return Json{{"replica", "replica-" + std::to_string(id)}, {"up", up}};
}

Result<Json> RestSim::Request(const Json& args) {
  rest::Request request;
  request.method = args["method"].get<std::string>();
  request.path = args["path"].get<std::string>();
  if (args.contains("headers")) {
    Result<rest::Headers> headers = rest::ParseRequestHeaders(args["headers"]);
    if (!headers.ok()) return headers.status();
    request.headers = std::move(headers).value();
  }
  if (!rest::IsOriginFormPath(request.path)) {
    return Status::Invalid("request: field \"path\": \"" + request.path.substr(0, 40) +
                           "\" must start with / and hold only visible ASCII (no spaces), e.g. /users/1");
  }
  if (args.contains("body")) {
    const Json& body = args["body"];
    // A string is the raw body as sent (it may not be JSON: then 400);
    // anything else is sent as its JSON text.
    request.body = body.is_string() ? body.get<std::string>() : body.dump();
    work_ += request.body->size() / 64;
  }

  ++requests_;
  bytes_client_ += rest::RequestBytes(request);
  Exchange ex = config_.cache ? ThroughCache(request) : ToOrigin(request);
  Json invalidated = Json::array();
  const bool unsafe = request.method != "GET";
  if (config_.cache && unsafe && ex.response.status >= 200 && ex.response.status < 400) {
    // RFC 9111 4.4: the target URI, and the URI in Location.
    std::vector<std::string> uris = {request.path};
    if (const std::string* location = rest::FindHeader(ex.response.headers, "Location")) uris.push_back(*location);
    for (const std::string& uri : uris) {
      if (cache_.Invalidate(uri)) {
        ++invalidations_;
        invalidated.push_back(uri);
      }
    }
  }
  bytes_client_ += rest::ResponseBytes(ex.response);
  if (ex.response.body) work_ += ex.response.body->size() / 64;

  log_.push_back({{"t_ms", now_ms_}, {"method", request.method}, {"path", request.path},
                  {"status", ex.response.status}, {"served_by", ex.served_by}, {"cache", ex.cache}});
  while (log_.size() > config_.log_size) log_.pop_front();

  Json out = {{"status", ex.response.status},
              {"headers", rest::HeadersJson(ex.response.headers)},
              {"body", rest::BodyJson(ex.response)},
              {"served_by", ex.served_by},
              {"via", ex.via},
              {"cache", ex.cache}};
  if (!invalidated.empty()) out["invalidated"] = invalidated;
  return out;
}

RestSim::Exchange RestSim::ThroughCache(const rest::Request& request) {
  if (request.method != "GET") {
    Exchange ex = ToOrigin(request);
    ex.via.insert(ex.via.begin(), "cache");
    return ex;
  }
  const std::string* req_cc = rest::FindHeader(request.headers, "Cache-Control");
  const bool client_no_cache = req_cc != nullptr && rest::ParseCacheControl(*req_cc).no_cache;
  const std::string* client_inm = rest::FindHeader(request.headers, "If-None-Match");
  rest::CacheEntry* entry = cache_.Find(request.path);

  // The stored response as the client gets it: Age added, or a 304 if the
  // client's own If-None-Match matches (RFC 9111 4.3.2).
  auto from_store = [&](const rest::CacheEntry& e) {
    rest::Response r = e.response;
    rest::SetHeader(&r.headers, "Age", std::to_string(rest::SharedCache::AgeMs(e, now_ms_) / 1000));
    const std::string* etag = rest::FindHeader(r.headers, "ETag");
    if (client_inm != nullptr && etag != nullptr && rest::IfNoneMatchMatches(*client_inm, *etag)) {
      r.status = 304;
      r.body.reset();
      rest::RemoveHeader(&r.headers, "Content-Type");
    }
    return r;
  };

  if (entry != nullptr && rest::SharedCache::Fresh(*entry, now_ms_) && !entry->must_validate && !client_no_cache) {
    ++cache_hits_;
    return {from_store(*entry), "cache", {"cache"}, "hit"};
  }
  rest::Request forwarded = request;
  if (entry != nullptr) {
    // RFC 9111 4.3.1: validate the stored response with its entity tag.
    const std::string* etag = rest::FindHeader(entry->response.headers, "ETag");
    if (etag != nullptr) rest::SetHeader(&forwarded.headers, "If-None-Match", *etag);
  }
  Exchange ex = ToOrigin(forwarded);
  ex.via.insert(ex.via.begin(), "cache");
  if (entry != nullptr && ex.response.status == 304) {
    ++cache_revalidations_;
    cache_.Freshen(entry, ex.response, now_ms_);
    ex.response = from_store(*entry);
    ex.served_by = "cache";
    ex.cache = "revalidated";
    return ex;
  }
  ++cache_misses_;
  ex.cache = "miss";
  if (rest::SharedCache::Storable(forwarded, ex.response, nullptr)) {
    cache_.Store(request.path, ex.response, now_ms_);
    ++cache_stores_;
  } else if (entry != nullptr && ex.response.status == 404) {
    cache_.Invalidate(request.path);  // the resource is gone
  }
  // The cache validated with its own tag; the client may hold the new one.
  if (entry != nullptr && ex.response.status == 200 && client_inm != nullptr) {
    const std::string* etag = rest::FindHeader(ex.response.headers, "ETag");
    if (etag != nullptr && rest::IfNoneMatchMatches(*client_inm, *etag)) {
      ex.response.status = 304;
      ex.response.body.reset();
      rest::RemoveHeader(&ex.response.headers, "Content-Type");
    }
  }
  return ex;
}

RestSim::Exchange RestSim::ToOrigin(const rest::Request& request) {
  Exchange ex;
  ex.via = {"gateway"};
  bytes_origin_ += rest::RequestBytes(request);
  const uint32_t n = static_cast<uint32_t>(replicas_.size());
  uint32_t chosen = n;
  for (uint32_t i = 0; i < n && chosen == n; ++i) {
    const uint32_t candidate = (next_replica_ + i) % n;
    if (replicas_[candidate].up) chosen = candidate;
  }
  if (chosen == n) {
    ex.response = rest::ErrorResponse(503, "no service replica is up (start one with start_replica)");
    ex.served_by = "gateway";
  } else {
    next_replica_ = (chosen + 1) % n;
    ++replicas_[chosen].served;
    ++origin_requests_;
    ex.served_by = "replica-" + std::to_string(chosen + 1);
    ex.via.push_back(ex.served_by);
    ex.response = origin_.Handle(request);
  }
  bytes_origin_ += rest::ResponseBytes(ex.response);
  return ex;
}

Json RestSim::Snapshot(Detail detail) const {
  (void)detail;  // small either way
  Json replicas = Json::array();
  for (uint32_t i = 0; i < replicas_.size(); ++i) {
    replicas.push_back({{"id", i + 1}, {"name", "replica-" + std::to_string(i + 1)}, {"up", replicas_[i].up},
                        {"served", replicas_[i].served}});
  }
  Json log = Json::array();
  for (const Json& entry : log_) log.push_back(entry);
  return {{"time_ms", now_ms_},
          {"cache_control", RestCacheControlValue(config_)},
          {"resources", origin_.SnapshotJson()},
          {"cache", {{"enabled", config_.cache}, {"entries", cache_.SnapshotJson(now_ms_)}}},
          {"replicas", replicas},
          {"counters", {{"requests", requests_},
                        {"origin_requests", origin_requests_},
                        {"cache_hits", cache_hits_},
                        {"cache_misses", cache_misses_},
                        {"cache_revalidations", cache_revalidations_},
                        {"cache_stores", cache_stores_},
                        {"cache_invalidations", invalidations_},
                        {"bytes_client", bytes_client_},
                        {"bytes_origin", bytes_origin_}}},
          {"log", log}};
}

}  // namespace sdp

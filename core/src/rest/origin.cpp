#include "sdp/rest/origin.h"

#include <vector>

#include "sdp/scenario.h"

namespace sdp::rest {
namespace {

constexpr std::string_view kJsonType = "application/json";
constexpr std::string_view kPaths = "the API has /users, /users/{id}, /users/{id}/orders and /orders/{id}";

bool IsB64TokenChar(char c) {  // RFC 6750 2.1 b64token
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~' || c == '+' || c == '/';
}

// The token of "Bearer <b64token>", or empty if the field is not that.
std::string BearerToken(const std::string& field) {
  if (field.size() < 8) return "";
  for (size_t i = 0; i < 6; ++i) {
    if ((field[i] | 0x20) != "bearer"[i]) return "";
  }
  if (field[6] != ' ') return "";
  const std::string token = field.substr(7);
  size_t i = 0;
  while (i < token.size() && IsB64TokenChar(token[i])) ++i;
  if (i == 0) return "";
  while (i < token.size() && token[i] == '=') ++i;
  return i == token.size() ? token : "";
}

constexpr uint64_t kMaxId = 999999999;

// One id per resource: 1-9 digits, no leading zero.
std::optional<uint64_t> ParseId(std::string_view s) {
  if (s.empty() || s.size() > 9 || s[0] == '0') return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path[0] != '/') return out;
  path.remove_prefix(1);
  while (true) {
    const size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

Response NotAllowed(const Request& request, std::string allow) {
  Response r = ErrorResponse(405, request.method + " is not allowed on " + request.path + "; allowed: " + allow);
  SetHeader(&r.headers, "Allow", std::move(allow));
  return r;
}

// The body as a JSON object in *out, or the 400 that says why it is not one.
std::optional<Response> ObjectBody(const Request& request, bool merge_patch, Json* out) {
  if (!request.body) return ErrorResponse(400, request.method + " needs a JSON object as its body");
  Result<Json> parsed = ParseJson(*request.body);
  if (!parsed.ok()) return ErrorResponse(400, "the body is " + parsed.message());  // "not valid JSON: ..."
  if (!parsed.value().is_object()) {
    return ErrorResponse(400, merge_patch ? "a merge patch (RFC 7396) for a resource must be a JSON object"
                                          : "a resource must be a JSON object, e.g. {\"name\": \"Ada\"}");
  }
  *out = std::move(parsed).value();
  return std::nullopt;
}

// What makes two POSTs "the same request" for an Idempotency-Key: the
// target and the body (parsed, so that spacing does not count).
std::string Fingerprint(const Request& request) {
  std::string body = request.body.value_or("");
  Result<Json> parsed = ParseJson(body);
  if (parsed.ok()) body = parsed.value().dump();
  return request.method + " " + request.path + " " + body;
}

// An Idempotency-Key is a Structured Field string (RFC 8941 3.3.3): quoted.
bool IsSfString(const std::string& v) {
  if (v.size() < 3 || v.front() != '"' || v.back() != '"') return false;
  for (size_t i = 1; i + 1 < v.size(); ++i) {
    if (v[i] == '"' || v[i] == '\\') return false;
  }
  return true;
}

}  // namespace

Response ErrorResponse(uint32_t status, const std::string& message) {
  Response r;
  r.status = status;
  r.headers.push_back({"Content-Type", std::string(kJsonType)});
  r.body = Json{{"error", message}}.dump();
  return r;
}

Response Origin::Handle(const Request& request) {
  const std::string* auth = FindHeader(request.headers, "Authorization");
  if (auth == nullptr) {
    Response r = ErrorResponse(401, "every request must carry its credentials: Authorization: Bearer <token>");
    SetHeader(&r.headers, "WWW-Authenticate", "Bearer realm=\"api\"");  // RFC 6750 3
    return r;
  }
  const std::string token = BearerToken(*auth);
  if (token.empty()) {
    Response r = ErrorResponse(401, "Authorization must be \"Bearer <token>\" (RFC 6750 2.1)");
    SetHeader(&r.headers, "WWW-Authenticate", "Bearer realm=\"api\", error=\"invalid_token\"");
    return r;
  }
  return Route(request, token);
}

Response Origin::Route(const Request& request, const std::string& token) {
  const std::vector<std::string_view> s = Segments(request.path);
  const auto not_found = [&] { return ErrorResponse(404, "no resource at " + request.path + "; " + std::string(kPaths)); };
  const bool users = !s.empty() && s[0] == "users";
  const bool orders = !s.empty() && s[0] == "orders";
  const std::optional<uint64_t> id = s.size() >= 2 ? ParseId(s[1]) : std::nullopt;
  if (users && s.size() == 2 && id) return Item(request, &users_, "/users", *id);
  if (orders && s.size() == 2 && id) return Item(request, &orders_, "/orders", *id);
  const bool user_orders = users && s.size() == 3 && id && s[2] == "orders";
  if (!(users && s.size() == 1) && !user_orders) return not_found();
  if (user_orders && users_.count(*id) == 0) {
    return ErrorResponse(404, "no user " + std::to_string(*id) + ", so no " + request.path);
  }
  const Json owner = user_orders ? Json(*id) : Json();
  Table* table = user_orders ? &orders_ : &users_;
  const std::string base = user_orders ? "/orders" : "/users";
  const Json* filter = user_orders ? &owner : nullptr;

  // POST with an Idempotency-Key (draft-ietf-httpapi-idempotency-key-header):
  // the first response is kept and replayed for the same key and payload.
  const std::string* key = request.method == "POST" ? FindHeader(request.headers, "Idempotency-Key") : nullptr;
  if (key == nullptr) return Collection(request, table, base, filter);
  if (!IsSfString(*key)) {
    return ErrorResponse(400, "Idempotency-Key must be a quoted string (RFC 8941 sf-string), e.g. \"order-7f3a\"");
  }
  const std::string record = token + " " + *key;
  const std::string fingerprint = Fingerprint(request);
  const auto it = idempotency_.find(record);
  if (it != idempotency_.end()) {
    if (it->second.fingerprint == fingerprint) return it->second.response;
    return ErrorResponse(422, "Idempotency-Key " + *key + " was already used for a different request payload");
  }
  Response r = Collection(request, table, base, filter);
  if (idempotency_.size() < kMaxIdempotencyRecords && r.status < 500) idempotency_[record] = {fingerprint, r};
  return r;
}

Response Origin::Collection(const Request& request, Table* table, const std::string& base, const Json* owner) {
  if (request.method == "GET") {
    Json list = Json::array();
    for (const auto& [id, resource] : *table) {
      if (owner == nullptr || resource.value("user_id", Json()) == *owner) list.push_back(resource);
    }
    return Representation(200, list, true);
  }
  if (request.method != "POST") return NotAllowed(request, "GET, POST");
  Json resource;
  if (std::optional<Response> error = ObjectBody(request, false, &resource)) return *error;
  if (owner != nullptr) resource["user_id"] = *owner;
  return Create(table, base, std::move(resource));
}

Response Origin::Create(Table* table, const std::string& base, Json resource) {
  if (resource_count() >= kMaxResources) {
    return ErrorResponse(507, "the store is full (" + std::to_string(kMaxResources) + " resources)");
  }
  uint64_t& next = table == &users_ ? next_user_id_ : next_order_id_;
  if (next > kMaxId) return ErrorResponse(507, "ids are used up (the largest is " + std::to_string(kMaxId) + ")");
  const uint64_t id = next++;
  resource["id"] = id;
  (*table)[id] = resource;
  Response r = Representation(201, resource, false);
  SetHeader(&r.headers, "Location", base + "/" + std::to_string(id));
  return r;
}

Response Origin::Item(const Request& request, Table* table, const std::string& base, uint64_t id) {
  const auto it = table->find(id);
  const bool exists = it != table->end();
  const std::string what = base.substr(1, base.size() - 2) + " " + std::to_string(id);  // "user 7"
  if (request.method == "GET") {
    if (!exists) return ErrorResponse(404, "no " + what);
    Response r = Representation(200, it->second, true);
    const std::string* inm = FindHeader(request.headers, "If-None-Match");
    if (inm != nullptr && IfNoneMatchMatches(*inm, *FindHeader(r.headers, "ETag"))) {
      // RFC 9110 15.4.5: a 304 carries the validator and Cache-Control, no body.
      r.status = 304;
      r.body.reset();
      RemoveHeader(&r.headers, "Content-Type");
    }
    return r;
  }
  if (request.method == "DELETE") {
    if (!exists) return ErrorResponse(404, "no " + what);
    table->erase(it);
    Response r;
    r.status = 204;
    return r;
  }
  if (request.method != "PUT" && request.method != "PATCH") return NotAllowed(request, "GET, PUT, PATCH, DELETE");
  if (request.method == "PATCH" && !exists) return ErrorResponse(404, "no " + what + " to patch; PUT creates one");
  Json resource;
  if (std::optional<Response> error = ObjectBody(request, request.method == "PATCH", &resource)) return *error;
  if (request.method == "PATCH") {
    Json patched = it->second;
    patched.merge_patch(resource);
    resource = std::move(patched);
  }
  if (!exists && resource_count() >= kMaxResources) {
    return ErrorResponse(507, "the store is full (" + std::to_string(kMaxResources) + " resources)");
  }
  resource["id"] = id;  // the URI names the resource; a body cannot move it
  (*table)[id] = resource;
  uint64_t& next = table == &users_ ? next_user_id_ : next_order_id_;
  if (id >= next) next = id + 1;
  Response r = Representation(exists ? 200 : 201, resource, false);
  if (!exists) SetHeader(&r.headers, "Location", base + "/" + std::to_string(id));
  return r;
}

Response Origin::Representation(uint32_t status, const Json& value, bool for_get) const {
  Response r;
  r.status = status;
  r.body = value.dump();
  r.headers.push_back({"Content-Type", std::string(kJsonType)});
  r.headers.push_back({"ETag", StrongEtag(*r.body)});
  if (for_get) r.headers.push_back({"Cache-Control", policy_.cache_control});
  return r;
}

Json Origin::SnapshotJson() const {
  Json users = Json::array();
  for (const auto& [id, u] : users_) users.push_back(u);
  Json orders = Json::array();
  for (const auto& [id, o] : orders_) orders.push_back(o);
  Json keys = Json::array();
  for (const auto& [record, stored] : idempotency_) {
    keys.push_back({{"key", record.substr(record.find(' ') + 1)}, {"request", stored.fingerprint.substr(0, 80)},
                    {"status", stored.response.status}});
  }
  return {{"users", users}, {"orders", orders}, {"next_user_id", next_user_id_},
          {"next_order_id", next_order_id_}, {"idempotency_keys", keys}};
}

}  // namespace sdp::rest

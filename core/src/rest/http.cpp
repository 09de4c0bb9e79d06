#include "sdp/rest/http.h"

#include <cstdio>

#include "sdp/hash.h"

namespace sdp::rest {
namespace {

// Every request names the API's host (RFC 9112 3.2: Host is required).
constexpr std::string_view kHostLine = "Host: api.example.com\r\n";
constexpr std::string_view kVersion = "HTTP/1.1";
constexpr std::string_view kLineEnd = "\r\n";
constexpr std::string_view kFieldSeparator = ": ";
constexpr std::string_view kContentLength = "Content-Length";

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool SameName(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

uint64_t FieldLinesBytes(const Headers& headers) {
  uint64_t n = 0;
  for (const Header& h : headers) n += h.name.size() + kFieldSeparator.size() + h.value.size() + kLineEnd.size();
  return n;
}

uint64_t ContentLengthBytes(uint64_t body_size) {
  return kContentLength.size() + kFieldSeparator.size() + std::to_string(body_size).size() + kLineEnd.size();
}

// Splits on commas outside quoted strings (entity tags hold no comma, but a
// quoted directive value may).
std::vector<std::string_view> SplitList(std::string_view value) {
  std::vector<std::string_view> out;
  bool quoted = false;
  size_t start = 0;
  for (size_t i = 0; i <= value.size(); ++i) {
    if (i == value.size() || (value[i] == ',' && !quoted)) {
      std::string_view item = Trim(value.substr(start, i - start));
      if (!item.empty()) out.push_back(item);
      start = i + 1;
    } else if (value[i] == '"') {
      quoted = !quoted;
    }
  }
  return out;
}

std::optional<uint64_t> DeltaSeconds(std::string_view s) {
  if (!s.empty() && s.front() == '"' && s.size() >= 2 && s.back() == '"') s = s.substr(1, s.size() - 2);
  if (s.empty() || s.size() > 10) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

}  // namespace

const std::string* FindHeader(const Headers& headers, std::string_view name) {
  for (const Header& h : headers) {
    if (SameName(h.name, name)) return &h.value;
  }
  return nullptr;
}

void SetHeader(Headers* headers, std::string_view name, std::string value) {
  for (Header& h : *headers) {
    if (SameName(h.name, name)) {
      h.value = std::move(value);
      return;
    }
  }
  headers->push_back({std::string(name), std::move(value)});
}

void RemoveHeader(Headers* headers, std::string_view name) {
  for (size_t i = 0; i < headers->size();) {
    if (SameName((*headers)[i].name, name)) {
      headers->erase(headers->begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      ++i;
    }
  }
}

Json HeadersJson(const Headers& headers) {
  Json out = Json::object();
  for (const Header& h : headers) out[h.name] = h.value;
  return out;
}

std::string_view ReasonPhrase(uint32_t status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 422: return "Unprocessable Content";
    case 503: return "Service Unavailable";
    case 507: return "Insufficient Storage";
  }
  return "";
}

uint64_t RequestBytes(const Request& request) {
  // "GET /users/1 HTTP/1.1\r\n"
  uint64_t n = request.method.size() + 1 + request.path.size() + 1 + kVersion.size() + kLineEnd.size();
  n += kHostLine.size() + FieldLinesBytes(request.headers);
  if (request.body) n += ContentLengthBytes(request.body->size()) + request.body->size();
  return n + kLineEnd.size();
}

uint64_t ResponseBytes(const Response& response) {
  // "HTTP/1.1 200 OK\r\n"
  uint64_t n = kVersion.size() + 1 + std::to_string(response.status).size() + 1 +
               ReasonPhrase(response.status).size() + kLineEnd.size();
  n += FieldLinesBytes(response.headers);
  // RFC 9110 8.6: no Content-Length in a 204; a 304 here sends none either.
  if (response.status != 204 && response.status != 304) {
    const uint64_t body = response.body ? response.body->size() : 0;
    n += ContentLengthBytes(body) + body;
  }
  return n + kLineEnd.size();
}

std::string StrongEtag(std::string_view representation) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(XxHash64(representation)));
  return "\"" + std::string(hex) + "\"";
}

bool IfNoneMatchMatches(std::string_view header, std::string_view etag) {
  auto opaque = [](std::string_view tag) {
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    return tag;
  };
  for (std::string_view tag : SplitList(header)) {
    if (tag == "*") return true;
    if (opaque(tag) == opaque(etag)) return true;
  }
  return false;
}

CacheControl ParseCacheControl(std::string_view value) {
  CacheControl cc;
  for (std::string_view item : SplitList(value)) {
    const size_t eq = item.find('=');
    const std::string_view name = Trim(item.substr(0, eq));
    const std::string_view arg = eq == std::string_view::npos ? std::string_view() : Trim(item.substr(eq + 1));
    if (SameName(name, "no-store")) cc.no_store = true;
    else if (SameName(name, "no-cache")) cc.no_cache = true;
    else if (SameName(name, "private")) cc.is_private = true;
    else if (SameName(name, "public")) cc.is_public = true;
    else if (SameName(name, "must-revalidate")) cc.must_revalidate = true;
    else if (SameName(name, "max-age")) cc.max_age_s = DeltaSeconds(arg);
    else if (SameName(name, "s-maxage")) cc.s_maxage_s = DeltaSeconds(arg);
  }
  return cc;
}

}  // namespace sdp::rest

// HTTP messages as the `rest` sim passes them between its layers, and the
// few pieces of RFC 9110 / 9111 every layer reads: case-insensitive header
// names (RFC 9110 5.1), entity tags and their weak comparison (8.8.3.2,
// 13.1.2), Cache-Control directives (RFC 9111 5.2), and a message's size on
// the wire as HTTP/1.1 text (RFC 9112), counted from the text itself.
#ifndef SDP_REST_HTTP_H_
#define SDP_REST_HTTP_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sdp/simulation.h"

namespace sdp::rest {

struct Header {
  std::string name;
  std::string value;
};
using Headers = std::vector<Header>;

// nullptr if absent. Names compare case-insensitively (RFC 9110 5.1).
const std::string* FindHeader(const Headers& headers, std::string_view name);
// Replaces the first field of that name, or appends one.
void SetHeader(Headers* headers, std::string_view name, std::string value);
void RemoveHeader(Headers* headers, std::string_view name);
// An object {"Name": "value"} in the headers' order of first appearance.
Json HeadersJson(const Headers& headers);

struct Request {
  std::string method;
  std::string path;
  Headers headers;
  std::optional<std::string> body;  // the raw text, as sent
};

struct Response {
  uint32_t status = 200;
  Headers headers;
  std::optional<std::string> body;  // JSON text; none for 204 and 304
};

// RFC 9110 section 15's reason phrase for the statuses the sim sends.
std::string_view ReasonPhrase(uint32_t status);

// Bytes of the HTTP/1.1 message (request line or status line, header lines
// including Host and Content-Length, the blank line, the body).
uint64_t RequestBytes(const Request& request);
uint64_t ResponseBytes(const Response& response);

// A strong entity tag derived from the representation's bytes: "<16 hex>".
std::string StrongEtag(std::string_view representation);
// If-None-Match (RFC 9110 13.1.2): "*" or a list of entity tags, compared
// weakly (W/ ignored). True if `etag` is one of them.
bool IfNoneMatchMatches(std::string_view header, std::string_view etag);

// The directives of a Cache-Control field that the sim acts on.
struct CacheControl {
  bool no_store = false;
  bool no_cache = false;
  bool is_private = false;
  bool is_public = false;
  bool must_revalidate = false;
  std::optional<uint64_t> max_age_s;
  std::optional<uint64_t> s_maxage_s;
};
CacheControl ParseCacheControl(std::string_view value);

}  // namespace sdp::rest

#endif  // SDP_REST_HTTP_H_

// The api_gateway's routing rules: path prefix -> service, with methods and
// an optional limiter of the route's own.
//
// Matching is longest prefix on path-segment boundaries: prefix P matches
// path Q when Q == P, or Q starts with P followed by '/', or P is "/". So
// "/api" matches "/api" and "/api/x" but not "/apix". The query ("?...") and
// fragment ("#...") are cut off first. The longest matching prefix owns the
// path; if it does not allow the method, the answer is 405 (with Allow), not
// a shorter route that might.
//
// Prefixes are checked by CheckPrefix: they start with "/", do not end with
// "/" (except "/" itself: "/api/" would never match "/api"), and hold no
// empty segment, '?' or '#'. No percent-decoding or dot-segment removal:
// paths are compared byte for byte, case-sensitively.
#ifndef SDP_ROUTE_TABLE_H_
#define SDP_ROUTE_TABLE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sdp/rate_limiters.h"
#include "sdp/status.h"

namespace sdp {

// HTTP methods as bits of a mask, in this order.
constexpr uint32_t kMethodCount = 7;
const char* MethodName(uint32_t index);  // GET HEAD POST PUT PATCH DELETE OPTIONS
std::vector<std::string> MethodNames();
constexpr uint32_t kAnyMethod = (1u << kMethodCount) - 1;
// "GET,POST" (spaces around names allowed; duplicates ignored) or "*".
Status ParseMethods(std::string_view text, std::string_view context, uint32_t* mask);
// REQUIRES: name is one of MethodNames().
uint32_t MethodBit(std::string_view name);
std::vector<std::string> MethodList(uint32_t mask);  // canonical order

struct Route {
  std::string prefix;
  std::string service;
  uint32_t methods = kAnyMethod;
  bool own_limiter = false;  // else the gateway's default limiter
  LimiterSpec limiter;       // when own_limiter
  uint64_t matched = 0;      // requests whose path this route owned
};

class RouteTable {
 public:
  static constexpr uint32_t kMaxPrefixBytes = 128;

  static Status CheckPrefix(std::string_view prefix, std::string_view context);

  // The route owning `path` (longest prefix, see above); nullptr if none.
  const Route* Match(std::string_view path) const;
  Route* Find(std::string_view prefix);
  const Route* Find(std::string_view prefix) const;
  // REQUIRES: CheckPrefix(route.prefix) passed and no route has that prefix.
  void Add(Route route);
  // REQUIRES: a route with that prefix exists.
  void Remove(std::string_view prefix);

  uint32_t size() const { return static_cast<uint32_t>(routes_.size()); }
  // By prefix, in byte order.
  const std::map<std::string, Route, std::less<>>& routes() const { return routes_; }

 private:
  std::map<std::string, Route, std::less<>> routes_;
};

}  // namespace sdp

#endif  // SDP_ROUTE_TABLE_H_

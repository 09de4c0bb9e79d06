// Longest-prefix routing on path-segment boundaries (see sdp/route_table.h).
#include "sdp/route_table.h"

namespace sdp {
namespace {

const char* const kMethods[kMethodCount] = {"GET",   "HEAD",   "POST",   "PUT",
                                            "PATCH", "DELETE", "OPTIONS"};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// Echoes a short ASCII name; anything else is data we do not repeat.
std::string Shown(std::string_view item) {
  if (item.size() > 16) return "a name";
  for (unsigned char c : item) {
    if (c < 0x20 || c >= 0x7f) return "a name";
  }
  return "\"" + std::string(item) + "\"";
}

}  // namespace

const char* MethodName(uint32_t index) { return kMethods[index]; }

std::vector<std::string> MethodNames() { return {std::begin(kMethods), std::end(kMethods)}; }

uint32_t MethodBit(std::string_view name) {
  for (uint32_t i = 0; i < kMethodCount; ++i) {
    if (name == kMethods[i]) return 1u << i;
  }
  SDP_CHECK(false && "MethodBit: not a method name");
  return 0;
}

std::vector<std::string> MethodList(uint32_t mask) {
  std::vector<std::string> out;
  for (uint32_t i = 0; i < kMethodCount; ++i) {
    if (mask & (1u << i)) out.push_back(kMethods[i]);
  }
  return out;
}

Status ParseMethods(std::string_view text, std::string_view context, uint32_t* mask) {
  if (Trim(text) == "*") {
    *mask = kAnyMethod;
    return Status::Ok();
  }
  uint32_t out = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    const std::string_view item = Trim(text.substr(start, comma - start));
    uint32_t bit = 0;
    for (uint32_t i = 0; i < kMethodCount; ++i) {
      if (item == kMethods[i]) bit = 1u << i;
    }
    if (bit == 0) {
      return Status::Invalid(std::string(context) + ": field \"methods\": " +
                             (item.empty() ? std::string("an empty name") : Shown(item)) +
                             " is not a method; give a comma-separated list of GET, HEAD, "
                             "POST, PUT, PATCH, DELETE, OPTIONS (upper case), or *");
    }
    out |= bit;
    start = comma + 1;
  }
  *mask = out;
  return Status::Ok();
}

Status RouteTable::CheckPrefix(std::string_view prefix, std::string_view context) {
  const std::string where = std::string(context) + ": field \"prefix\" ";
  if (prefix.empty() || prefix.front() != '/') {
    return Status::Invalid(where + "must start with \"/\" (e.g. \"/api/orders\")");
  }
  if (prefix.size() > kMaxPrefixBytes) {
    return Status::Invalid(where + "must be at most " + std::to_string(kMaxPrefixBytes) + " bytes");
  }
  if (prefix.size() > 1 && prefix.back() == '/') {
    return Status::Invalid(where +
                           "must not end with \"/\" (except \"/\" itself): prefixes match "
                           "whole segments, so \"/api\" already covers \"/api/...\"");
  }
  if (prefix.find("//") != std::string_view::npos) {
    return Status::Invalid(where + "must not contain an empty segment (\"//\")");
  }
  if (prefix.find_first_of("?#") != std::string_view::npos) {
    return Status::Invalid(where + "must be a path only, without \"?\" or \"#\"");
  }
  return Status::Ok();
}

const Route* RouteTable::Match(std::string_view path) const {
  const size_t end = path.find_first_of("?#");
  std::string_view candidate = path.substr(0, end);
  // Try the path itself, then every shorter prefix that ends at a '/'.
  while (!candidate.empty()) {
    const auto it = routes_.find(candidate);
    if (it != routes_.end()) return &it->second;
    const size_t slash = candidate.rfind('/');
    if (slash == std::string_view::npos) return nullptr;
    if (slash == 0) {
      if (candidate == "/") return nullptr;
      candidate = "/";
    } else {
      candidate = candidate.substr(0, slash);
    }
  }
  return nullptr;
}

Route* RouteTable::Find(std::string_view prefix) {
  const auto it = routes_.find(prefix);
  return it == routes_.end() ? nullptr : &it->second;
}

const Route* RouteTable::Find(std::string_view prefix) const {
  const auto it = routes_.find(prefix);
  return it == routes_.end() ? nullptr : &it->second;
}

void RouteTable::Add(Route route) {
  SDP_CHECK(routes_.count(route.prefix) == 0);
  std::string key = route.prefix;
  routes_.emplace(std::move(key), std::move(route));
}

void RouteTable::Remove(std::string_view prefix) {
  const auto it = routes_.find(prefix);
  SDP_CHECK(it != routes_.end());
  routes_.erase(it);
}

}  // namespace sdp

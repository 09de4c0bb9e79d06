#include "sdp/search/routing.h"

#include <vector>

#include "sdp/hash.h"

namespace sdp::search {
namespace {

// Decodes one UTF-8 sequence at s[i]; a malformed one is U+FFFD, one byte.
uint32_t NextCodePoint(std::string_view s, size_t& i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return 0xFFFD;
  }
  uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (size_t k = 1; k < len; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  i += len;
  return cp > 0x10FFFF ? 0xFFFD : cp;
}

}  // namespace

int32_t RoutingHash(std::string_view utf8) {
  // Java strings are UTF-16: each char becomes two bytes, low byte first.
  std::string bytes;
  bytes.reserve(utf8.size() * 2);
  const auto put = [&](uint32_t unit) {
    bytes.push_back(static_cast<char>(unit & 0xFF));
    bytes.push_back(static_cast<char>((unit >> 8) & 0xFF));
  };
  for (size_t i = 0; i < utf8.size();) {
    const uint32_t cp = NextCodePoint(utf8, i);
    if (cp >= 0x10000) {
      put(0xD800 + ((cp - 0x10000) >> 10));
      put(0xDC00 + ((cp - 0x10000) & 0x3FF));
    } else {
      put(cp);
    }
  }
  return static_cast<int32_t>(Murmur3X86_32(bytes, 0));
}

uint32_t NumRoutingShards(uint32_t shards) {
  constexpr int kLog2MaxShards = 10;  // log2(1024)
  int log2_shards = 0;                 // ceil(log2(shards)) = 32 - nlz(shards - 1)
  while ((uint64_t{1} << log2_shards) < shards) ++log2_shards;
  int splits = kLog2MaxShards - log2_shards;
  if (splits < 1) splits = 1;  // the index can be split at least once
  return shards << splits;
}

uint32_t ShardIdFor(std::string_view routing, uint32_t shards, uint32_t routing_num_shards) {
  const int64_t hash = RoutingHash(routing);
  const int64_t n = routing_num_shards;
  const int64_t floor_mod = ((hash % n) + n) % n;  // Math.floorMod
  return static_cast<uint32_t>(floor_mod) / (routing_num_shards / shards);
}

}  // namespace sdp::search

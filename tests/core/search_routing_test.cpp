// Elasticsearch 7's document routing (sdp/search/routing.h), checked against
// the fixed expectations in Elasticsearch's own tests:
//   Murmur3HashFunctionTests.testKnownValues,
//   MetadataCreateIndexServiceTests.testCalculateNumRoutingShards,
//   OperationRoutingTests.testBWC (8 shards, routing_num_shards 8).
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "sdp/search/routing.h"

namespace search_routing_test {

namespace search = sdp::search;

TEST_CASE("search routing: Murmur3HashFunction.hash equals Elasticsearch's known values", "[search_cluster]") {
  const std::vector<std::pair<uint32_t, std::string>> known = {
      {0x5a0cb7c3u, "hell"},
      {0xd7c31989u, "hello"},
      {0x22ab2984u, "hello w"},
      {0xdf0ca123u, "hello wo"},
      {0xe7744d61u, "hello wor"},
      {0xe07db09cu, "The quick brown fox jumps over the lazy dog"},
      {0x4e63d2adu, "The quick brown fox jumps over the lazy cog"},
  };
  for (const auto& [expected, text] : known) {
    INFO(text);
    CHECK(static_cast<uint32_t>(search::RoutingHash(text)) == expected);
  }
  // UTF-16: "é" is one char (E9 00), "😀" two surrogates; "hello" as bytes
  // hashes differently from its UTF-16 form.
  CHECK(search::RoutingHash("\xC3\xA9") != search::RoutingHash("\xE9"));
  CHECK(search::RoutingHash("\xF0\x9F\x98\x80") == search::RoutingHash("\xF0\x9F\x98\x80"));
}

TEST_CASE("search routing: the default number_of_routing_shards (7.x)", "[search_cluster]") {
  const std::vector<std::pair<uint32_t, uint32_t>> expected = {
      {1, 1024}, {2, 1024}, {3, 768}, {9, 576}, {512, 1024}, {1024, 2048}, {2048, 4096}};
  for (const auto& [shards, routing] : expected) CHECK(search::NumRoutingShards(shards) == routing);
  CHECK(search::NumRoutingShards(5) == 640);  // 5 * 2^7: a default 7.x index splits to 640
}

TEST_CASE("search routing: OperationRoutingTests.testBWC shard ids", "[search_cluster]") {
  // A sample of the 100 fixed (term -> shard) pairs, 8 shards, routing 8.
  const std::vector<std::pair<std::string, uint32_t>> bwc = {
      {"sEERfFzPSI", 1}, {"cNRiIrjzYd", 7}, {"BgfLBXUyWT", 5}, {"cnepjZhQnb", 3}, {"OKCmuYkeCK", 6},
      {"OutXGRQUja", 5}, {"yCdyocKWou", 1}, {"KXuNWWNgVj", 2}, {"DGJOYrpESx", 4}, {"upLDybdTGs", 5},
      {"hswhrppvDH", 0}, {"EquPtdKaBZ", 4}, {"qoZALVcite", 7}, {"FYQRIBcNqz", 0}, {"EBzEDAPODe", 2},
      {"PeGJjomyik", 3}, {"tFyVdQauWR", 6}, {"bGEIEBLATe", 6}, {"QrklDfvEJU", 6}, {"AITyyoyLLs", 4},
  };
  for (const auto& [term, shard] : bwc) {
    INFO(term);
    CHECK(search::ShardIdFor(term, 8, 8) == shard);
  }
  // With the 7.x default (routing_num_shards 1024 for 8 shards) the ids can
  // differ, but every routing value still lands on one of the 8 shards, and
  // a split to 16 (1024 / 64) sends each document to one of two children.
  for (const auto& [term, shard] : bwc) {
    const uint32_t s8 = search::ShardIdFor(term, 8, 1024);
    const uint32_t s16 = search::ShardIdFor(term, 16, 1024);
    CHECK(s8 < 8);
    CHECK(s16 / 2 == s8);
  }
}

}  // namespace search_routing_test

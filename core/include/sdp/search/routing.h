// Document routing exactly as Elasticsearch 7.x computes it: which primary
// shard a document (or a routed search) goes to.
//
//   hash    = Murmur3HashFunction.hash(routing)   the routing's UTF-16 code
//             units as little-endian byte pairs, MurmurHash3_x86_32, seed 0,
//             read as a signed Java int
//   shard   = Math.floorMod(hash, routing_num_shards) / routing_factor
//             (OperationRouting.calculateScaledShardId)
//   routing_factor     = routing_num_shards / number_of_shards
//   routing_num_shards = the largest number_of_shards * 2^k <= 1024, k >= 1
//             (MetadataCreateIndexService.calculateNumRoutingShards, the
//             default for indices created on 7.0 or later)
//
// The routing value is `_routing` when given, else `_id`
// (OperationRouting.generateShardId). Left out: index.routing_partition_size
// (partitioned indices), shrink and split.
#ifndef SDP_SEARCH_ROUTING_H_
#define SDP_SEARCH_ROUTING_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace sdp::search {

// Murmur3HashFunction.hash(String) for a UTF-8 string (invalid UTF-8 bytes
// count as U+FFFD, as Java's decoder would give).
int32_t RoutingHash(std::string_view utf8);

// MetadataCreateIndexService.calculateNumRoutingShards(shards, 7.x).
// REQUIRES: shards >= 1
uint32_t NumRoutingShards(uint32_t shards);

// OperationRouting.calculateScaledShardId.
// REQUIRES: routing_num_shards is a multiple of shards
uint32_t ShardIdFor(std::string_view routing, uint32_t shards, uint32_t routing_num_shards);

}  // namespace sdp::search

#endif  // SDP_SEARCH_ROUTING_H_

// Real RDB bytes for the persistence sim: what BGSAVE writes to dump.rdb and
// what an AOF rewrite writes as the RDB preamble (aof-use-rdb-preamble yes).
//
// The encoder writes RDB version 10 (Redis 7.0): "REDIS0010", aux fields
// redis-ver=7.0.15, redis-bits=64, aof-base=0|1, SELECTDB 0, RESIZEDB, then
// each key (sorted) as RDB_TYPE_STRING (0) or RDB_TYPE_ZSET_2 (5: member, then
// the score as a little-endian IEEE double, greatest score first as Redis saves
// a skip list), EOF (0xFF) and the CRC-64 Redis uses (Jones polynomial,
// reflected, crc64("123456789") = 0xe9c6d914c4b8d9ca) little-endian.
// Real redis-check-rdb / redis-check-aof and redis-server 7.0 accept these bytes.
//
// Simplified against what Redis itself writes: strings are always raw (Redis
// may use its integer or LZF encodings), small sorted sets are written as
// ZSET_2 instead of a listpack (Redis converts them back when loading), no
// ctime / used-mem aux fields (they would make the bytes depend on the clock).
// The decoder reads exactly what the encoder writes (plus the integer string
// encodings); anything else is an error naming the offset.
#ifndef SDP_REDIS_RDB_FILE_H_
#define SDP_REDIS_RDB_FILE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sdp/redis/db.h"
#include "sdp/redis/reply.h"
#include "sdp/status.h"

namespace sdp::redis {

// Redis's crc64 (src/crc64.c): Jones polynomial 0xad93d23594c935a9, reflected
// input and output, no final xor. Feed `crc` = 0 for a fresh checksum.
uint64_t Crc64Jones(uint64_t crc, std::string_view data);

// A data set in a form both files can hold: keys sorted, no empty values.
struct DataEntry {
  enum class Type { kString, kZSet };
  std::string key;
  Type type = Type::kString;
  std::string value;                                  // kString
  std::vector<std::pair<std::string, double>> items;  // kZSet, in score order
  bool operator==(const DataEntry&) const = default;
};
using DataSet = std::vector<DataEntry>;

// The whole keyspace of `db`, keys sorted.
DataSet DataSetFromDb(const Db& db);
// Commands that rebuild `data` in an empty db (SET, and ZADD in batches of 64
// pairs like Redis's rewrite), as the RDB loader's stand-in when filling a Db.
std::vector<Argv> DataSetCommands(const DataSet& data);

// RDB v10 bytes. `aof_base` sets the aof-base aux field (1 for a preamble).
std::string EncodeRdb(const DataSet& data, bool aof_base);

struct DecodedRdb {
  DataSet data;
  uint64_t length = 0;  // bytes consumed, checksum included: where an AOF tail starts
};
// Reads one RDB from the start of `bytes`; trailing bytes (an AOF tail) are left.
Result<DecodedRdb> DecodeRdb(std::string_view bytes);

}  // namespace sdp::redis

#endif  // SDP_REDIS_RDB_FILE_H_

// Hash functions shared by the simulations.
//
// Why these exist instead of std::hash: every simulation must produce
// byte-identical output whether it is compiled natively or to WebAssembly.
// std::hash is implementation-defined, size_t is 32 bits in wasm32, and wide
// or unaligned loads depend on the target. Everything here reads its input one
// byte at a time, assembles little-endian words explicitly and does all
// arithmetic in fixed-width unsigned integers, so the results are the same on
// every platform.
//
// Why these particular functions: the simulations model real systems and must
// place keys exactly where those systems would. Ketama-style consistent
// hashing (libmemcached, hashring) uses MD5, Kafka's default partitioner uses
// its Java murmur2, Cassandra and Guava use MurmurHash3 x64_128, and FNV-1a,
// MurmurHash3 x86_32 and xxHash64 are common defaults elsewhere. Each function
// reproduces its reference implementation bit for bit and is tested against
// that reference's published vectors.

#ifndef SDP_HASH_H_
#define SDP_HASH_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace sdp {

// FNV-1a (Fowler/Noll/Vo), 32- and 64-bit variants.
uint32_t Fnv1a32(std::string_view data);
uint64_t Fnv1a64(std::string_view data);

// MurmurHash3_x86_32 from Austin Appleby's SMHasher reference.
uint32_t Murmur3X86_32(std::string_view data, uint32_t seed = 0);

// The two 64-bit halves of MurmurHash3_x64_128, as the reference writes them
// to out[0] (h1) and out[1] (h2).
struct Hash128 {
  uint64_t h1;
  uint64_t h2;
};

// MurmurHash3_x64_128 from Austin Appleby's SMHasher reference. As there, the
// 32-bit seed is zero-extended into both 64-bit halves. Guava's
// Hashing.murmur3_128(int) sign-extends instead (google/guava#3493), so the
// two agree only for seeds below 2^31.
Hash128 Murmur3X64_128(std::string_view data, uint32_t seed = 0);

// XXH64 from Yann Collet's xxHash.
uint64_t XxHash64(std::string_view data, uint64_t seed = 0);

// MD5 (RFC 1321). Md5Hex returns the 32-character lowercase hex digest.
std::array<uint8_t, 16> Md5(std::string_view data);
std::string Md5Hex(std::string_view data);

// Kafka's org.apache.kafka.common.utils.Utils.murmur2: MurmurHash2 with seed
// 0x9747b28c. Returns the same signed 32-bit value the Java method returns.
int32_t KafkaMurmur2(std::string_view data);

// Kafka's Utils.toPositive: clears the sign bit (h & 0x7fffffff). Unlike
// abs(), this maps INT32_MIN to 0 rather than leaving it negative.
uint32_t KafkaToPositive(int32_t h);

// The partition Kafka's default partitioner picks for a non-null key:
// toPositive(murmur2(key)) % num_partitions.
// REQUIRES: num_partitions > 0
uint32_t KafkaPartition(std::string_view key, uint32_t num_partitions);

}  // namespace sdp

#endif  // SDP_HASH_H_

#include "sdp/hash.h"

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sdp {
namespace {

// Input is only ever read through these helpers: one byte at a time, converted
// to uint8_t (so a signed char never sign-extends) and widened before any
// shift (so no shift happens in int). Words are assembled little-endian by
// hand, which is what every reference below does on x86, and is independent
// of the host's endianness and alignment rules.
template <typename Bytes>
uint32_t Byte32(const Bytes& b, std::size_t i) {
  return static_cast<uint8_t>(b[i]);
}

template <typename Bytes>
uint64_t Byte64(const Bytes& b, std::size_t i) {
  return static_cast<uint8_t>(b[i]);
}

template <typename Bytes>
uint32_t Load32Le(const Bytes& b, std::size_t i) {
  return Byte32(b, i) | Byte32(b, i + 1) << 8 | Byte32(b, i + 2) << 16 |
         Byte32(b, i + 3) << 24;
}

template <typename Bytes>
uint64_t Load64Le(const Bytes& b, std::size_t i) {
  return static_cast<uint64_t>(Load32Le(b, i)) |
         static_cast<uint64_t>(Load32Le(b, i + 4)) << 32;
}

// ---------------------------------------------------------------------------
// FNV-1a

constexpr uint32_t kFnv32Offset = 0x811c9dc5u;
constexpr uint32_t kFnv32Prime = 0x01000193u;
constexpr uint64_t kFnv64Offset = 0xcbf29ce484222325u;
constexpr uint64_t kFnv64Prime = 0x00000100000001b3u;

// ---------------------------------------------------------------------------
// MurmurHash3

constexpr uint32_t kMurmur32C1 = 0xcc9e2d51u;
constexpr uint32_t kMurmur32C2 = 0x1b873593u;
constexpr uint64_t kMurmur128C1 = 0x87c37b91114253d5u;
constexpr uint64_t kMurmur128C2 = 0x4cf5ad432745937fu;

uint32_t Murmur32MixK1(uint32_t k1) {
  k1 *= kMurmur32C1;
  k1 = std::rotl(k1, 15);
  return k1 * kMurmur32C2;
}

uint32_t Murmur32Fmix(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

uint64_t Murmur128MixK1(uint64_t k1) {
  k1 *= kMurmur128C1;
  k1 = std::rotl(k1, 31);
  return k1 * kMurmur128C2;
}

uint64_t Murmur128MixK2(uint64_t k2) {
  k2 *= kMurmur128C2;
  k2 = std::rotl(k2, 33);
  return k2 * kMurmur128C1;
}

uint64_t Murmur128Fmix(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdu;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53u;
  k ^= k >> 33;
  return k;
}

// ---------------------------------------------------------------------------
// xxHash64

constexpr uint64_t kXxPrime1 = 0x9e3779b185ebca87u;
constexpr uint64_t kXxPrime2 = 0xc2b2ae3d27d4eb4fu;
constexpr uint64_t kXxPrime3 = 0x165667b19e3779f9u;
constexpr uint64_t kXxPrime4 = 0x85ebca77c2b2ae63u;
constexpr uint64_t kXxPrime5 = 0x27d4eb2f165667c5u;

uint64_t XxRound(uint64_t acc, uint64_t input) {
  acc += input * kXxPrime2;
  acc = std::rotl(acc, 31);
  return acc * kXxPrime1;
}

uint64_t XxMergeRound(uint64_t acc, uint64_t lane) {
  acc ^= XxRound(0, lane);
  return acc * kXxPrime1 + kXxPrime4;
}

// ---------------------------------------------------------------------------
// MD5

// T[i] = floor(2^32 * |sin(i + 1)|), written out so that no floating point
// (and no libm difference between targets) is involved.
constexpr std::array<uint32_t, 64> kMd5T = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a,
    0xa8304613, 0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
    0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340,
    0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8,
    0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
    0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
    0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92,
    0xffeff47d, 0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
    0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

// Left-rotation amounts: round r (steps 16r..16r+15) cycles through
// kMd5Shift[4r..4r+3].
constexpr std::array<int, 16> kMd5Shift = {
    7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21,
};

// Templated on the byte container so the same code reads the caller's bytes
// in place and the locally built padding block(s), without copying the input.
template <typename Bytes>
void Md5Block(std::array<uint32_t, 4>& state, const Bytes& bytes,
              std::size_t offset) {
  std::array<uint32_t, 16> m;
  for (std::size_t j = 0; j < 16; ++j) m[j] = Load32Le(bytes, offset + 4 * j);

  uint32_t a = state[0];
  uint32_t b = state[1];
  uint32_t c = state[2];
  uint32_t d = state[3];
  for (std::size_t i = 0; i < 64; ++i) {
    uint32_t f;
    std::size_t g;
    switch (i / 16) {
      case 0:
        f = (b & c) | (~b & d);
        g = i;
        break;
      case 1:
        f = (d & b) | (~d & c);
        g = (5 * i + 1) % 16;
        break;
      case 2:
        f = b ^ c ^ d;
        g = (3 * i + 5) % 16;
        break;
      default:
        f = c ^ (b | ~d);
        g = (7 * i) % 16;
        break;
    }
    f += a + kMd5T[i] + m[g];
    a = d;
    d = c;
    c = b;
    b += std::rotl(f, kMd5Shift[(i / 16) * 4 + i % 4]);
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
}

// ---------------------------------------------------------------------------
// Kafka murmur2

constexpr uint32_t kKafkaSeed = 0x9747b28cu;
constexpr uint32_t kKafkaM = 0x5bd1e995u;
constexpr int kKafkaR = 24;

}  // namespace

uint32_t Fnv1a32(std::string_view data) {
  uint32_t h = kFnv32Offset;
  for (std::size_t i = 0; i < data.size(); ++i) {
    h ^= Byte32(data, i);
    h *= kFnv32Prime;
  }
  return h;
}

uint64_t Fnv1a64(std::string_view data) {
  uint64_t h = kFnv64Offset;
  for (std::size_t i = 0; i < data.size(); ++i) {
    h ^= Byte64(data, i);
    h *= kFnv64Prime;
  }
  return h;
}

uint32_t Murmur3X86_32(std::string_view data, uint32_t seed) {
  const std::size_t n = data.size();
  const std::size_t body = n - n % 4;
  uint32_t h1 = seed;

  for (std::size_t i = 0; i < body; i += 4) {
    h1 ^= Murmur32MixK1(Load32Le(data, i));
    h1 = std::rotl(h1, 13);
    h1 = h1 * 5 + 0xe6546b64u;
  }

  // The reference reads the tail through a uint8_t pointer, so bytes >= 0x80
  // contribute as 0x80..0xff, never sign-extended.
  uint32_t k1 = 0;
  for (std::size_t i = body; i < n; ++i) {
    k1 |= Byte32(data, i) << (8 * (i - body));
  }
  if (body < n) h1 ^= Murmur32MixK1(k1);

  // The reference takes the length as an int and mixes in its low 32 bits.
  h1 ^= static_cast<uint32_t>(n);
  return Murmur32Fmix(h1);
}

Hash128 Murmur3X64_128(std::string_view data, uint32_t seed) {
  const std::size_t n = data.size();
  const std::size_t body = n - n % 16;
  uint64_t h1 = seed;
  uint64_t h2 = seed;

  for (std::size_t i = 0; i < body; i += 16) {
    h1 ^= Murmur128MixK1(Load64Le(data, i));
    h1 = std::rotl(h1, 27);
    h1 += h2;
    h1 = h1 * 5 + 0x52dce729u;

    h2 ^= Murmur128MixK2(Load64Le(data, i + 8));
    h2 = std::rotl(h2, 31);
    h2 += h1;
    h2 = h2 * 5 + 0x38495ab5u;
  }

  // A loop instead of the reference's fall-through switch; XOR-ing disjoint
  // bytes is order-independent, so the result is the same.
  const std::size_t tail = n - body;
  uint64_t k1 = 0;
  uint64_t k2 = 0;
  for (std::size_t i = 0; i < tail; ++i) {
    const uint64_t byte = Byte64(data, body + i);
    if (i < 8) {
      k1 |= byte << (8 * i);
    } else {
      k2 |= byte << (8 * (i - 8));
    }
  }
  if (tail > 8) h2 ^= Murmur128MixK2(k2);
  if (tail > 0) h1 ^= Murmur128MixK1(k1);

  h1 ^= static_cast<uint64_t>(n);
  h2 ^= static_cast<uint64_t>(n);
  h1 += h2;
  h2 += h1;
  h1 = Murmur128Fmix(h1);
  h2 = Murmur128Fmix(h2);
  h1 += h2;
  h2 += h1;
  return Hash128{h1, h2};
}

uint64_t XxHash64(std::string_view data, uint64_t seed) {
  const std::size_t n = data.size();
  std::size_t p = 0;
  uint64_t h;

  if (n >= 32) {
    uint64_t v1 = seed + kXxPrime1 + kXxPrime2;
    uint64_t v2 = seed + kXxPrime2;
    uint64_t v3 = seed;
    uint64_t v4 = seed - kXxPrime1;
    for (; p + 32 <= n; p += 32) {
      v1 = XxRound(v1, Load64Le(data, p));
      v2 = XxRound(v2, Load64Le(data, p + 8));
      v3 = XxRound(v3, Load64Le(data, p + 16));
      v4 = XxRound(v4, Load64Le(data, p + 24));
    }
    h = std::rotl(v1, 1) + std::rotl(v2, 7) + std::rotl(v3, 12) +
        std::rotl(v4, 18);
    h = XxMergeRound(h, v1);
    h = XxMergeRound(h, v2);
    h = XxMergeRound(h, v3);
    h = XxMergeRound(h, v4);
  } else {
    h = seed + kXxPrime5;
  }

  h += static_cast<uint64_t>(n);

  for (; p + 8 <= n; p += 8) {
    h ^= XxRound(0, Load64Le(data, p));
    h = std::rotl(h, 27) * kXxPrime1 + kXxPrime4;
  }
  if (p + 4 <= n) {
    h ^= static_cast<uint64_t>(Load32Le(data, p)) * kXxPrime1;
    h = std::rotl(h, 23) * kXxPrime2 + kXxPrime3;
    p += 4;
  }
  for (; p < n; ++p) {
    h ^= Byte64(data, p) * kXxPrime5;
    h = std::rotl(h, 11) * kXxPrime1;
  }

  h ^= h >> 33;
  h *= kXxPrime2;
  h ^= h >> 29;
  h *= kXxPrime3;
  h ^= h >> 32;
  return h;
}

std::array<uint8_t, 16> Md5(std::string_view data) {
  std::array<uint32_t, 4> state = {0x67452301u, 0xefcdab89u, 0x98badcfeu,
                                   0x10325476u};
  const std::size_t n = data.size();
  const std::size_t body = n - n % 64;
  for (std::size_t off = 0; off < body; off += 64) Md5Block(state, data, off);

  // Padding: the leftover bytes, 0x80, zeros up to 56 mod 64, then the
  // message length in bits as a 64-bit little-endian integer. That is one
  // block if the leftover is at most 55 bytes, two otherwise.
  std::array<uint8_t, 128> last{};
  const std::size_t rest = n % 64;  // (not n - body: g++ -O3 then sees rest < 64)
  for (std::size_t i = 0; i < rest; ++i) {
    last[i] = static_cast<uint8_t>(data[body + i]);
  }
  last[rest] = 0x80;
  const std::size_t last_len = rest < 56 ? 64 : 128;
  const uint64_t bit_len = static_cast<uint64_t>(n) * 8;
  for (std::size_t i = 0; i < 8; ++i) {
    last[last_len - 8 + i] = static_cast<uint8_t>(bit_len >> (8 * i));
  }
  for (std::size_t off = 0; off < last_len; off += 64) {
    Md5Block(state, last, off);
  }

  std::array<uint8_t, 16> digest;
  for (std::size_t i = 0; i < 16; ++i) {
    digest[i] = static_cast<uint8_t>(state[i / 4] >> (8 * (i % 4)));
  }
  return digest;
}

std::string Md5Hex(std::string_view data) {
  static constexpr char kHexDigits[] = "0123456789abcdef";
  const std::array<uint8_t, 16> digest = Md5(data);
  std::string hex;
  hex.reserve(32);
  for (const uint8_t byte : digest) {
    hex.push_back(kHexDigits[byte >> 4]);
    hex.push_back(kHexDigits[byte & 0x0f]);
  }
  return hex;
}

int32_t KafkaMurmur2(std::string_view data) {
  // Java's int arithmetic wraps and `>>>` is a logical shift, so unsigned
  // 32-bit arithmetic reproduces it exactly. Java bytes are signed, but Kafka
  // masks every byte with 0xff, which is what Byte32 yields.
  const std::size_t n = data.size();
  const std::size_t body = n - n % 4;
  uint32_t h = kKafkaSeed ^ static_cast<uint32_t>(n);

  for (std::size_t i = 0; i < body; i += 4) {
    uint32_t k = Load32Le(data, i);
    k *= kKafkaM;
    k ^= k >> kKafkaR;
    k *= kKafkaM;
    h *= kKafkaM;
    h ^= k;
  }

  // Same effect as Kafka's fall-through switch on length % 4: the tail bytes
  // are xored in little-endian, then one multiply if there was any tail.
  for (std::size_t i = body; i < n; ++i) {
    h ^= Byte32(data, i) << (8 * (i - body));
  }
  if (body < n) h *= kKafkaM;

  h ^= h >> 13;
  h *= kKafkaM;
  h ^= h >> 15;
  // Two's-complement reinterpretation, as Java's int holds it (well-defined
  // modular conversion since C++20).
  return static_cast<int32_t>(h);
}

uint32_t KafkaToPositive(int32_t h) {
  return static_cast<uint32_t>(h) & 0x7fffffffu;
}

uint32_t KafkaPartition(std::string_view key, uint32_t num_partitions) {
  return KafkaToPositive(KafkaMurmur2(key)) % num_partitions;
}

}  // namespace sdp

#include "sdp/hash.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

namespace sdp::hash_test {
namespace {

using std::string_view_literals::operator""sv;

// Little-endian bytes of the low `bytes` bytes of `v`, the way the reference
// implementations store their results on x86.
std::string LeBytes(uint64_t v, int bytes) {
  std::string out;
  for (int i = 0; i < bytes; ++i) {
    out.push_back(static_cast<char>(static_cast<uint8_t>(v >> (8 * i))));
  }
  return out;
}

// SMHasher's VerificationTest (KeysetTest.cpp in aappleby/smhasher and
// rurban/smhasher): hash the keys {}, {0}, {0,1}, ..., {0,...,254} with seeds
// 256, 255, ..., 1, concatenate the outputs, hash that with seed 0 and read
// the first four bytes of the result as a little-endian integer. It touches
// every tail length, every byte value and many seeds at once.
template <typename HashToBytes>
uint32_t SmhasherVerification(HashToBytes hash) {
  std::string key;
  std::string hashes;
  for (uint32_t i = 0; i < 256; ++i) {
    hashes += hash(key, 256 - i);
    key.push_back(static_cast<char>(static_cast<uint8_t>(i)));
  }
  const std::string final_hash = hash(hashes, 0);
  uint32_t verification = 0;
  for (int i = 0; i < 4; ++i) {
    verification |= static_cast<uint32_t>(static_cast<uint8_t>(final_hash[i]))
                    << (8 * i);
  }
  return verification;
}

// The pseudo-random buffer xxHash's self-test hashes (XSUM_fillTestBuffer in
// xxHash cli/xsum_sanity_check.c). Most of its bytes are >= 0x80.
std::string XxHashSanityBuffer(std::size_t len) {
  std::string buffer;
  uint64_t byte_gen = 2654435761u;  // PRIME32
  for (std::size_t i = 0; i < len; ++i) {
    buffer.push_back(static_cast<char>(static_cast<uint8_t>(byte_gen >> 56)));
    byte_gen *= 11400714785074694797u;  // PRIME64
  }
  return buffer;
}

// ---------------------------------------------------------------------------
// FNV-1a

// Source: the FNV reference test suite, Landon Curt Noll's test_fnv.c v5.3
// (http://www.isthe.com/chongo/tech/comp/fnv/, vendored e.g. in
// github.com/drichardson/fnv), tables fnv1a_32_vector and fnv1a_64_vector.
// The selection covers the short strings, trailing NULs, the entries mixing
// 0xff with zeros, and R10/R500 repetitions, several mostly bytes >= 0x80.
struct FnvVector {
  std::string input;
  uint32_t fnv1a32;
  uint64_t fnv1a64;
};

std::string Repeat(std::string_view s, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += s;
  return out;
}

TEST_CASE("Fnv1a32 and Fnv1a64 match the FNV reference test suite", "[hash]") {
  const std::array<FnvVector, 28> kVectors = {{
      {"", 0x811c9dc5u, 0xcbf29ce484222325u},
      {"a", 0xe40c292cu, 0xaf63dc4c8601ec8cu},
      {"b", 0xe70c2de5u, 0xaf63df4c8601f1a5u},
      {"c", 0xe60c2c52u, 0xaf63de4c8601eff2u},
      {"d", 0xe10c2473u, 0xaf63d94c8601e773u},
      {"e", 0xe00c22e0u, 0xaf63d84c8601e5c0u},
      {"f", 0xe30c2799u, 0xaf63db4c8601ead9u},
      {"fo", 0x6222e842u, 0x08985907b541d342u},
      {"foo", 0xa9f37ed7u, 0xdcb27518fed9d577u},
      {"foob", 0x3f5076efu, 0xdd120e790c2512afu},
      {"fooba", 0x39aaa18au, 0xcac165afa2fef40au},
      {"foobar", 0xbf9cf968u, 0x85944171f73967e8u},
      {std::string("\0"sv), 0x050c5d1fu, 0xaf63bd4c8601b7dfu},
      {std::string("foobar\0"sv), 0x0c1c9eb8u, 0x34531ca7168b8f38u},
      {"hello", 0x4f9f2cabu, 0xa430d84680aabd0bu},
      {std::string("\xff\x00\x00\x01"sv), 0xc48fb86du, 0x6961196491cc682du},
      {std::string("\x01\x00\x00\xff"sv), 0x2269f369u, 0xad2bb1774799dfe9u},
      {std::string("\xff\x00\x00\x02"sv), 0xc18fb3b4u, 0x6961166491cc6314u},
      {std::string("\x02\x00\x00\xff"sv), 0x50ef1236u, 0x8d1bb3904a3b1236u},
      {std::string("\xff\x00\x00\x03"sv), 0xc28fb547u, 0x6961176491cc64c7u},
      {std::string("\x03\x00\x00\xff"sv), 0x96c3bf47u, 0xed205d87f40434c7u},
      {std::string("\xff\x00\x00\x04"sv), 0xbf8fb08eu, 0x6961146491cc5faeu},
      {std::string("\x04\x00\x00\xff"sv), 0xf3e4d49cu, 0xcd3baf5e44f8ad9cu},
      {Repeat("\x54\xc5", 10), 0x241e9075u, 0x0803564445050395u},
      {Repeat("\xc5\x54", 10), 0x063f70ddu, 0xaa1574ecf4642ffdu},
      {Repeat("\xfe\xdc\xba\x98\x76\x54\x32\x10", 10), 0x0ae4ff65u,
       0x9175cbb2160836c5u},
      {std::string(500, '\0'), 0xfa823dd5u, 0x1fe3fce62bd816b5u},
      {std::string(500, '\x7f'), 0x813b0881u, 0x39e9f18f2f85e221u},
  }};
  for (const FnvVector& v : kVectors) {
    CAPTURE(v.input.size());
    CHECK(Fnv1a32(v.input) == v.fnv1a32);
    CHECK(Fnv1a64(v.input) == v.fnv1a64);
  }
}

// ---------------------------------------------------------------------------
// MurmurHash3 x86_32

// Source: Ian Boyd's vectors, produced with a port verified against SMHasher,
// https://stackoverflow.com/a/31929528 (question 14747343); also used by
// mmh3's tests/test_mmh3.py. Each row isolates one pitfall: unsigned seed,
// unsigned block math, word endianness, 1-3 byte tails, embedded zeros.
TEST_CASE("Murmur3X86_32 matches Ian Boyd's byte vectors", "[hash]") {
  CHECK(Murmur3X86_32(""sv, 0) == 0u);
  CHECK(Murmur3X86_32(""sv, 1) == 0x514e28b7u);
  CHECK(Murmur3X86_32(""sv, 0xffffffffu) == 0x81f16f39u);
  CHECK(Murmur3X86_32("\xff\xff\xff\xff"sv, 0) == 0x76293b50u);
  CHECK(Murmur3X86_32("\x21\x43\x65\x87"sv, 0) == 0xf55b516bu);
  CHECK(Murmur3X86_32("\x21\x43\x65\x87"sv, 0x5082edeeu) == 0x2362f9deu);
  CHECK(Murmur3X86_32("\x21\x43\x65"sv, 0) == 0x7e4a8634u);
  CHECK(Murmur3X86_32("\x21\x43"sv, 0) == 0xa0f7b07au);
  CHECK(Murmur3X86_32("\x21"sv, 0) == 0x72661cf4u);
  CHECK(Murmur3X86_32("\0\0\0\0"sv, 0) == 0x2362f9deu);
  CHECK(Murmur3X86_32("\0\0\0"sv, 0) == 0x85f0b427u);
  CHECK(Murmur3X86_32("\0\0"sv, 0) == 0x30f4c306u);
  CHECK(Murmur3X86_32("\0"sv, 0) == 0x514e28b7u);
}

// Source: Ian Boyd's string vectors from the same answer
// (https://stackoverflow.com/a/31929528), all with seed 0x9747b28c. The pi
// string is eight U+03C0 in UTF-8 (CF 80), i.e. bytes >= 0x80 in both the
// blocks and the tail.
TEST_CASE("Murmur3X86_32 matches Ian Boyd's string vectors", "[hash]") {
  constexpr uint32_t kSeed = 0x9747b28cu;
  CHECK(Murmur3X86_32("aaaa", kSeed) == 0x5a97808au);
  CHECK(Murmur3X86_32("aaa", kSeed) == 0x283e0130u);
  CHECK(Murmur3X86_32("aa", kSeed) == 0x5d211726u);
  CHECK(Murmur3X86_32("a", kSeed) == 0x7fa09ea6u);
  CHECK(Murmur3X86_32("abcd", kSeed) == 0xf0478627u);
  CHECK(Murmur3X86_32("abc", kSeed) == 0xc84a62ddu);
  CHECK(Murmur3X86_32("ab", kSeed) == 0x74875592u);
  CHECK(Murmur3X86_32("Hello, world!", kSeed) == 0x24884cbau);
  CHECK(Murmur3X86_32("\xcf\x80\xcf\x80\xcf\x80\xcf\x80"
                      "\xcf\x80\xcf\x80\xcf\x80\xcf\x80",
                      kSeed) == 0xd58063c1u);
  CHECK(Murmur3X86_32(std::string(256, 'a'), kSeed) == 0x37405bdcu);
}

// Source: Wikipedia, "MurmurHash" article, test-vector table
// (https://en.wikipedia.org/wiki/MurmurHash).
TEST_CASE("Murmur3X86_32 matches the Wikipedia vectors", "[hash]") {
  constexpr std::string_view kFox =
      "The quick brown fox jumps over the lazy dog";
  CHECK(Murmur3X86_32("test", 0) == 0xba6bd213u);
  CHECK(Murmur3X86_32("test", 0x9747b28cu) == 0x704b81dcu);
  CHECK(Murmur3X86_32("Hello, world!", 0) == 0xc0363e43u);
  CHECK(Murmur3X86_32("Hello, world!", 0x9747b28cu) == 0x24884cbau);
  CHECK(Murmur3X86_32(kFox, 0) == 0x2e4ff723u);
  CHECK(Murmur3X86_32(kFox, 0x9747b28cu) == 0x2fa826cdu);
}

// Source: SMHasher's expected verification value for "Murmur3A"
// (MurmurHash3_x86_32), 0xB0F57EE3, in main.cpp's hash table
// (https://github.com/aappleby/smhasher, src/main.cpp).
TEST_CASE("Murmur3X86_32 passes the SMHasher verification test", "[hash]") {
  const uint32_t verification =
      SmhasherVerification([](std::string_view key, uint32_t seed) {
        return LeBytes(Murmur3X86_32(key, seed), 4);
      });
  CHECK(verification == 0xb0f57ee3u);
}

// ---------------------------------------------------------------------------
// MurmurHash3 x64_128

// Source: Guava's Murmur3Hash128Test.testKnownValues
// (google/guava, guava-tests/test/com/google/common/hash/
// Murmur3Hash128Test.java). Guava lays the hash out as h1 then h2, each
// little-endian, matching the reference's out[0]/out[1].
TEST_CASE("Murmur3X64_128 matches Guava's known values", "[hash]") {
  struct Vector {
    uint32_t seed;
    uint64_t h1;
    uint64_t h2;
    std::string_view input;
  };
  constexpr std::array<Vector, 8> kVectors = {{
      {0, 0x629942693e10f867u, 0x92db0b82baeb5347u, "hell"},
      {1, 0xa78ddff5adae8d10u, 0x128900ef20900135u, "hello"},
      {2, 0x8a486b23f422e826u, 0xf962a2c58947765fu, "hello "},
      {3, 0x2ea59f466f6bed8cu, 0xc610990acc428a17u, "hello w"},
      {4, 0x79f6305a386c572cu, 0x46305aed3483b94eu, "hello wo"},
      {5, 0xc2219d213ec1f1b5u, 0xa1d8e2e0a52785bdu, "hello wor"},
      {0, 0xe34bbc7bbc071b6cu, 0x7a433ca9c49a9347u,
       "The quick brown fox jumps over the lazy dog"},
      {0, 0x658ca970ff85269au, 0x43fee3eaa68e5c3eu,
       "The quick brown fox jumps over the lazy cog"},
  }};
  for (const Vector& v : kVectors) {
    CAPTURE(v.input, v.seed);
    const Hash128 h = Murmur3X64_128(v.input, v.seed);
    CHECK(h.h1 == v.h1);
    CHECK(h.h2 == v.h2);
  }
}

// Source: not a published table. Expected values come from Austin Appleby's
// reference MurmurHash3_x64_128 (aappleby/smhasher src/MurmurHash3.cpp)
// compiled and run on the build machine. They pin the zero-extension of a
// seed >= 2^31 into h1/h2; Guava sign-extends such seeds (google/guava#3493)
// and so cannot serve as the source here.
TEST_CASE("Murmur3X64_128 zero-extends seeds >= 2^31 like the reference",
          "[hash]") {
  constexpr std::string_view kFox =
      "The quick brown fox jumps over the lazy dog";
  const Hash128 fox = Murmur3X64_128(kFox, 0xffffffffu);
  CHECK(fox.h1 == 0x691c1d73a800a18au);
  CHECK(fox.h2 == 0x647d67096440b412u);
  const Hash128 high = Murmur3X64_128("\xff\xfe\x80"sv, 0x9747b28cu);
  CHECK(high.h1 == 0xc305ab663a5080e7u);
  CHECK(high.h2 == 0x6e6d2ba0d01fc876u);
}

// Source: SMHasher's expected verification value for "Murmur3F"
// (MurmurHash3_x64_128), 0x6384BA69, in main.cpp's hash table
// (https://github.com/aappleby/smhasher, src/main.cpp). The reference stores
// h1 then h2, little-endian.
TEST_CASE("Murmur3X64_128 passes the SMHasher verification test", "[hash]") {
  const uint32_t verification =
      SmhasherVerification([](std::string_view key, uint32_t seed) {
        const Hash128 h = Murmur3X64_128(key, seed);
        return LeBytes(h.h1, 8) + LeBytes(h.h2, 8);
      });
  CHECK(verification == 0x6384ba69u);
}

// ---------------------------------------------------------------------------
// xxHash64

// Source: xxHash's own self-test, XSUM_XXH64_testdata in
// cli/xsum_sanity_check.c (https://github.com/Cyan4973/xxHash), plus lengths
// 3, 8, 16, 17, 24, 32 and 2367 from xxHash's tests/sanity_test_vectors.h
// (as quoted by a third-party test suite). Every row was also
// re-checked against the reference libxxhash 0.8.1 (XXH64) on the build
// machine. Length 3 takes the 1-byte tail steps, 4 the 4-byte step,
// 14 = 8 + 4 + 2 all three tail steps, 32 exactly one 4-lane stripe, 222 and
// 2367 many stripes plus every kind of tail.
TEST_CASE("XxHash64 matches xxHash's sanity-check vectors", "[hash]") {
  constexpr uint64_t kPrime32 = 2654435761u;
  struct Vector {
    std::size_t len;
    uint64_t seed;
    uint64_t expected;
  };
  constexpr std::array<Vector, 24> kVectors = {{
      {0, 0, 0xef46db3751d8e999u},
      {0, kPrime32, 0xac75fda2929b17efu},
      {1, 0, 0xe934a84adb052768u},
      {1, kPrime32, 0x5014607643a9b4c3u},
      {3, 0, 0xff7e1959cb50794au},
      {3, kPrime32, 0xaa8584e83660f7d1u},
      {4, 0, 0x9136a0dca57457eeu},
      {4, kPrime32, 0xcaab286bd8e9fdb5u},
      {8, 0, 0xcdbcf538e71d1348u},
      {8, kPrime32, 0xfe0c047a5353cdacu},
      {14, 0, 0x8282dcc4994e35c8u},
      {14, kPrime32, 0xc3bd6bf63deb6df0u},
      {16, 0, 0x98c90b57fdfcb55cu},
      {16, kPrime32, 0xc900ad2d536b607eu},
      {17, 0, 0x0d39a2d051a30c2cu},
      {17, kPrime32, 0x495cd68a647c7a22u},
      {24, 0, 0xf75a6dea42dc5bf4u},
      {24, kPrime32, 0x8b7c67eb59778e22u},
      {32, 0, 0x18b216492bb44b70u},
      {32, kPrime32, 0xb3f33bdf93ade409u},
      {222, 0, 0xb641ae8cb691c174u},
      {222, kPrime32, 0x20cb8ab7ae10c14au},
      {2367, 0, 0xa82418ddec0ea581u},
      {2367, kPrime32, 0xa36a93c18052673au},
  }};
  const std::string buffer = XxHashSanityBuffer(2367);
  for (const Vector& v : kVectors) {
    CAPTURE(v.len, v.seed);
    CHECK(XxHash64(std::string_view(buffer).substr(0, v.len), v.seed) ==
          v.expected);
  }
}

// Source: Zig standard library, lib/std/hash/xxhash.zig, test "xxhash64"
// (https://github.com/ziglang/zig); the same table appears in several other
// ports. Re-checked against libxxhash 0.8.1. "message digest" (14 bytes) hits
// the 8-, 4- and 1-byte tail steps; the 62- and 80-byte strings take the
// 4-lane path.
TEST_CASE("XxHash64 matches the published string vectors", "[hash]") {
  CHECK(XxHash64("") == 0xef46db3751d8e999u);
  CHECK(XxHash64("a") == 0xd24ec4f1a98c6e5bu);
  CHECK(XxHash64("abc") == 0x44bc2cf5ad770999u);
  CHECK(XxHash64("message digest") == 0x066ed728fceeb3beu);
  CHECK(XxHash64("abcdefghijklmnopqrstuvwxyz") == 0xcfe1f278fa89835cu);
  CHECK(XxHash64("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                 "0123456789") == 0xaaa46907d3047814u);
  CHECK(XxHash64("1234567890123456789012345678901234567890"
                 "1234567890123456789012345678901234567890") ==
        0xe04a477f19ee145du);
}

// Source: rurban/smhasher main.cpp, entry "xxHash64", verification value
// 0x024B7CF4 (https://github.com/rurban/smhasher). SMHasher passes its 32-bit
// seed to XXH64 and stores the 64-bit result little-endian.
TEST_CASE("XxHash64 passes the SMHasher verification test", "[hash]") {
  const uint32_t verification =
      SmhasherVerification([](std::string_view key, uint32_t seed) {
        return LeBytes(XxHash64(key, seed), 8);
      });
  CHECK(verification == 0x024b7cf4u);
}

// ---------------------------------------------------------------------------
// MD5

// Source: RFC 1321, appendix A.5 "Test suite"
// (https://www.rfc-editor.org/rfc/rfc1321), all seven vectors.
TEST_CASE("Md5Hex matches the RFC 1321 test suite", "[hash]") {
  CHECK(Md5Hex("") == "d41d8cd98f00b204e9800998ecf8427e");
  CHECK(Md5Hex("a") == "0cc175b9c0f1b6a831c399e269772661");
  CHECK(Md5Hex("abc") == "900150983cd24fb0d6963f7d28e17f72");
  CHECK(Md5Hex("message digest") == "f96b697d7cb7938d525a2f31aaf161d0");
  CHECK(Md5Hex("abcdefghijklmnopqrstuvwxyz") ==
        "c3fcd3d76192e4007dfb496cca67e13b");
  CHECK(Md5Hex("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
               "0123456789") == "d174ab98d277d9f5a5611c2c9f419d9f");
  CHECK(Md5Hex("1234567890123456789012345678901234567890"
               "1234567890123456789012345678901234567890") ==
        "57edf4a22be3c955ac49da2e2107b67a");
}

// Source: RFC 1321 A.5 again ("abc"), as raw bytes: the digest is the four
// state words, each little-endian, which is what ketama reads its points from.
TEST_CASE("Md5 returns the raw digest bytes", "[hash]") {
  constexpr std::array<uint8_t, 16> kAbc = {0x90, 0x01, 0x50, 0x98, 0x3c, 0xd2,
                                            0x4f, 0xb0, 0xd6, 0x96, 0x3f, 0x7d,
                                            0x28, 0xe1, 0x7f, 0x72};
  CHECK(Md5("abc") == kAbc);
}

// Source: not a published table. Values computed with Python's hashlib.md5
// (OpenSSL), an independent implementation. They pin the padding edges: 55
// bytes is the longest message whose length fits in the same block, 56..63
// force a second padding block, 64 is exactly one block.
TEST_CASE("Md5Hex handles every padding boundary", "[hash]") {
  CHECK(Md5Hex(std::string(55, 'a')) == "ef1772b6dff9a122358552954ad0df65");
  CHECK(Md5Hex(std::string(56, 'a')) == "3b0c8ac703f828b04c6c197006d17218");
  CHECK(Md5Hex(std::string(57, 'a')) == "652b906d60af96844ebd21b674f35e93");
  CHECK(Md5Hex(std::string(63, 'a')) == "b06521f39153d618550606be297466d5");
  CHECK(Md5Hex(std::string(64, 'a')) == "014842d480b571495a4a0363793f7367");
  CHECK(Md5Hex(std::string(65, 'a')) == "c743a45e0d2e6a95cb859adae0248435");
  CHECK(Md5Hex(std::string(119, 'a')) == "8a7bd0732ed6a28ce75f6dabc90e1613");
  CHECK(Md5Hex(std::string(120, 'a')) == "5f61c0ccad4cac44c75ff505e1f1e537");
  CHECK(Md5Hex(std::string(128, 'a')) == "e510683b3f5ffe4093d021808bc6ff70");
}

// ---------------------------------------------------------------------------
// Kafka murmur2

// Source: Kafka's own UtilsTest.testMurmur2 (apache/kafka,
// clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java).
TEST_CASE("KafkaMurmur2 matches Kafka's UtilsTest", "[hash]") {
  CHECK(KafkaMurmur2("21") == -973932308);
  CHECK(KafkaMurmur2("foobar") == -790332482);
  CHECK(KafkaMurmur2("a-little-bit-long-string") == -985981536);
  CHECK(KafkaMurmur2("a-little-bit-longer-string") == -1486304829);
  CHECK(KafkaMurmur2("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8") ==
        -58897971);
  constexpr std::array<char, 3> kAbc = {'a', 'b', 'c'};
  CHECK(KafkaMurmur2(std::string_view(kAbc.data(), kAbc.size())) == 479470107);
}

// Source: akka/akka Murmur2Spec.scala (akka-cluster-sharding-typed), whose
// expected values are taken from Kafka's Utils.murmur2. Lengths 1..5 cover
// every tail length.
TEST_CASE("KafkaMurmur2 matches Akka's Kafka-derived vectors", "[hash]") {
  CHECK(KafkaMurmur2("1") == -1993445489);
  CHECK(KafkaMurmur2("12") == 126087238);
  CHECK(KafkaMurmur2("123") == -267702483);
  CHECK(KafkaMurmur2("1234") == -1614185708);
  CHECK(KafkaMurmur2("12345") == -1188365604);
}

// Source: Apache Commons Codec MurmurHash2Test.results32_standard
// (apache/commons-codec, src/test/java/org/apache/commons/codec/digest/
// MurmurHash2Test.java), "from the original C implementation". Commons Codec's
// MurmurHash2.hash32(byte[], int) uses the same default seed, 0x9747b28c, so
// these are Kafka's murmur2 on arbitrary binary input: most bytes are >= 0x80
// (negative as Java bytes), in both the 4-byte blocks and every tail length.
TEST_CASE("KafkaMurmur2 matches Commons Codec's binary vectors", "[hash]") {
  struct Vector {
    std::string_view input;
    uint32_t expected;
  };
  const std::array<Vector, 17> kVectors = {{
      {"\xed\x53\xc4\xa5\x3b\x1b\xbd\xc2\x52\x7d\xc3\xef\x53\x5f\xae\x3b"sv,
       0x96814fb3u},
      {"\x21\x65\x59\x4e\xd8\x12\xf9\x05\x80\xe9\x1e\xed\xe4\x56\xbb"sv,
       0x485dcabau},
      {"\x2b\x02\xb1\xd0\x3d\xce\x31\x3d\x97\xc4\x91\x0d\xf7\x17"sv,
       0x331dc4aeu},
      {"\x8e\xa7\x9a\x02\xe8\xb9\x6a\xda\x92\xad\xe9\x2d\x21"sv, 0xc6a7bf2fu},
      {"\xa9\x6d\xea\x77\x06\xce\x1b\x85\x48\x27\x4c\xfe"sv, 0xcdf35de0u},
      {"\xec\x93\xa0\x12\x60\xee\xc8\x0a\xc5\x90\x62"sv, 0xd9dec7ccu},
      {"\x55\x6d\x93\x66\x14\x6d\xdf\x00\x58\x99"sv, 0x63a7318au},
      {"\x3c\x72\x20\x1f\xd2\x59\x19\xdb\xa1"sv, 0xd0d3c2deu},
      {"\x23\xa8\xb1\x87\x55\xf7\x8a\x4b"sv, 0x90923aefu},
      {"\xe2\x42\x1c\x2d\xc1\xe4\x3e"sv, 0xaf35c1e2u},
      {"\x66\xa6\xb5\x5a\x74\xd9"sv, 0x735377b2u},
      {"\xe8\x76\xa8\x90\x76"sv, 0x366c98f3u},
      {"\xeb\x25\x3f\x87"sv, 0x9c48ee29u},
      {"\x37\xa0\xa9"sv, 0x0b615790u},
      {"\x5b\x5d"sv, 0xb4308ac1u},
      {"\x7e"sv, 0xec98125au},
      {""sv, 0x106e08d9u},
  }};
  for (const Vector& v : kVectors) {
    CAPTURE(v.input.size());
    CHECK(static_cast<uint32_t>(KafkaMurmur2(v.input)) == v.expected);
  }
}

// Source: librdkafka src/rdmurmur2.c, unittest_murmurhashneutral2, whose
// java_murmur2_results are toPositive(murmur2(key)) as Kafka's Java client
// computes them (https://github.com/confluentinc/librdkafka).
TEST_CASE("KafkaToPositive matches librdkafka's Java-derived vectors",
          "[hash]") {
  CHECK(KafkaToPositive(KafkaMurmur2("kafka")) == 1348980580u);
  CHECK(KafkaToPositive(KafkaMurmur2("amqp")) == 767747138u);
  CHECK(KafkaToPositive(KafkaMurmur2("giberish123456789")) == 257239820u);
}

// Source: Kafka's Utils.toPositive is `number & 0x7fffffff`; the edge cases
// follow from that definition (and show why it is not abs()).
TEST_CASE("KafkaToPositive clears only the sign bit", "[hash]") {
  CHECK(KafkaToPositive(0) == 0u);
  CHECK(KafkaToPositive(1) == 1u);
  CHECK(KafkaToPositive(-1) == 0x7fffffffu);
  CHECK(KafkaToPositive(INT32_MAX) == 0x7fffffffu);
  CHECK(KafkaToPositive(INT32_MIN) == 0u);
  CHECK(KafkaToPositive(-973932308) == 1173551340u);
}

// Source: derived from the vectors above: Kafka's default partitioner picks
// toPositive(murmur2(key)) % numPartitions for a keyed record.
TEST_CASE("KafkaPartition is toPositive(murmur2) modulo the count", "[hash]") {
  // murmur2("21") = -973932308, toPositive = 1173551340.
  CHECK(KafkaPartition("21", 1) == 0u);
  CHECK(KafkaPartition("21", 3) == 1173551340u % 3);
  CHECK(KafkaPartition("21", 12) == 1173551340u % 12);
  // toPositive(murmur2("kafka")) = 1348980580 (librdkafka).
  CHECK(KafkaPartition("kafka", 7) == 1348980580u % 7);
  CHECK(KafkaPartition("kafka", 0x7fffffffu) == 1348980580u);
  for (uint32_t n = 1; n <= 64; ++n) {
    CAPTURE(n);
    CHECK(KafkaPartition("foobar", n) ==
          KafkaToPositive(KafkaMurmur2("foobar")) % n);
    CHECK(KafkaPartition("\xff\xfe\x80", n) < n);
  }
}

// ---------------------------------------------------------------------------
// Bytes >= 0x80

// Sign-extension traps: char may be signed, Java bytes are signed (Kafka
// masks them with 0xff), the MurmurHash3 reference reads its tail through
// uint8_t. Source for the expected values: not a published table, but a
// second, independent implementation of each algorithm run on the build
// machine over the same bytes:
//   FNV-1a      - a direct Python transcription of the FNV-1a definition
//   Murmur3     - Guava 31.1 Hashing.murmur3_32_fixed / murmur3_128 (Java)
//   XXH64       - the reference libxxhash 0.8.1 (XXH64, via ctypes)
//   MD5         - Python hashlib.md5 (OpenSSL)
//   Kafka       - Kafka's Utils.murmur2 source, compiled and run on the JVM
// The Commons Codec and xxHash sanity-buffer cases above are published
// vectors that also contain such bytes.
TEST_CASE("Bytes >= 0x80 hash like the reference implementations", "[hash]") {
  constexpr std::string_view kHigh = "\xff\xfe\x80"sv;
  CHECK(Fnv1a32(kHigh) == 0x306143b0u);
  CHECK(Fnv1a64(kHigh) == 0xf994151be4779090u);
  CHECK(Murmur3X86_32(kHigh, 0) == 0x12cb5f1fu);
  CHECK(Murmur3X86_32(kHigh, 0x9747b28cu) == 0x82ad6fceu);
  const Hash128 m128 = Murmur3X64_128(kHigh, 0);
  CHECK(m128.h1 == 0xdb616480c266665au);
  CHECK(m128.h2 == 0x9edbd299eb1cbba6u);
  const Hash128 m128_seeded = Murmur3X64_128(kHigh, 42);
  CHECK(m128_seeded.h1 == 0x4df9a6dc04f51432u);
  CHECK(m128_seeded.h2 == 0x5cc4d3acac455547u);
  CHECK(XxHash64(kHigh) == 0x9f49840836c4364bu);
  CHECK(XxHash64(kHigh, 0x9747b28cu) == 0x26b90e42587af590u);
  CHECK(Md5Hex(kHigh) == "45a6eeda47eb0845d0095f2f0576e2f7");
  CHECK(KafkaMurmur2(kHigh) == -160726397);
  CHECK(KafkaToPositive(KafkaMurmur2(kHigh)) == 1986757251u);

  // A block plus a 2-byte tail, with a 0x00 and a 0x7f among the high bytes.
  constexpr std::string_view kMixed = "\xff\xfe\x80\x7f\x00\xc3"sv;
  CHECK(Murmur3X86_32(kMixed, 0) == 0x3cb9cb66u);
  const Hash128 m128_mixed = Murmur3X64_128(kMixed, 0);
  CHECK(m128_mixed.h1 == 0x904b8963d3ba8a45u);
  CHECK(m128_mixed.h2 == 0xd3990d5749092303u);
  CHECK(KafkaMurmur2(kMixed) == 1790922012);
}

}  // namespace
}  // namespace sdp::hash_test
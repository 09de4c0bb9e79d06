// SHA-256, HMAC-SHA256 and base64url against their published vectors.
#include "sdp/sha256.h"

#include <catch2/catch.hpp>
#include <string>

namespace sdp::sha256_test {
namespace {

std::string Hex(const Sha256Digest& digest) {
  return HexOf(digest.data(), static_cast<uint32_t>(digest.size()));
}

std::string Bytes(uint8_t byte, int count) { return std::string(count, static_cast<char>(byte)); }

// Source: FIPS 180-2 Appendix B (SHA-256 examples B.1-B.3) and NIST's
// "SHA256.pdf" example values, which FIPS 180-4 refers to.
TEST_CASE("Sha256 matches the FIPS 180 examples", "[sha256]") {
  CHECK(Sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(Sha256Hex(std::string(1000000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("Sha256 pads correctly around the 55/56/64-byte edges", "[sha256]") {
  // 55 bytes fit one block with padding, 56 need a second; 64 is exactly one.
  // Values from Python's hashlib (an independent implementation).
  CHECK(Sha256Hex(std::string(55, 'a')) ==
        "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  CHECK(Sha256Hex(std::string(56, 'a')) ==
        "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  CHECK(Sha256Hex(std::string(64, 'a')) ==
        "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

// Source: RFC 4231 §4.2-4.8, every HMAC-SHA-256 result.
TEST_CASE("HmacSha256 matches RFC 4231 test cases 1-7", "[sha256][hmac]") {
  std::string key4;
  for (int i = 1; i <= 25; ++i) key4.push_back(static_cast<char>(i));
  // 1: a 20-byte key of 0x0b.
  CHECK(Hex(HmacSha256(Bytes(0x0b, 20), "Hi There")) ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  // 2: a key shorter than the output.
  CHECK(Hex(HmacSha256("Jefe", "what do ya want for nothing?")) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // 3: 50 bytes of 0xdd under 20 bytes of 0xaa.
  CHECK(Hex(HmacSha256(Bytes(0xaa, 20), Bytes(0xdd, 50))) ==
        "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  // 4: key 0x01..0x19, 50 bytes of 0xcd.
  CHECK(Hex(HmacSha256(key4, Bytes(0xcd, 50))) ==
        "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
  // 5: truncated to 128 bits.
  CHECK(Hex(HmacSha256(Bytes(0x0c, 20), "Test With Truncation")).substr(0, 32) ==
        "a3b6167473100ee06e0c796c2955552b");
  // 6 and 7: a 131-byte key, longer than the block, is hashed first.
  CHECK(
      Hex(HmacSha256(Bytes(0xaa, 131), "Test Using Larger Than Block-Size Key - Hash Key First")) ==
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  CHECK(Hex(HmacSha256(Bytes(0xaa, 131),
                       "This is a test using a larger than block-size key and a larger than "
                       "block-size data. The key needs to be hashed before being used by the "
                       "HMAC algorithm.")) ==
        "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

// Source: RFC 4648 §10 (the base64 vectors, which base64url shares for these
// inputs, written without the '=' padding as RFC 7515 §2 does), and RFC 7515
// Appendix C's example bytes, which exercise '-' and '_'.
TEST_CASE("Base64Url round-trips RFC 4648 and RFC 7515 vectors", "[sha256][base64url]") {
  const std::pair<std::string, std::string> kVectors[] = {
      {"", ""},
      {"f", "Zg"},
      {"fo", "Zm8"},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg"},
      {"fooba", "Zm9vYmE"},
      {"foobar", "Zm9vYmFy"},
      {std::string("\x03\xec\xff\xe0\xc1", 5), "A-z_4ME"},
      {std::string("\xfb\xff", 2), "-_8"}};
  for (const auto& [bytes, text] : kVectors) {
    INFO(text);
    CHECK(Base64UrlEncode(bytes) == text);
    const Result<std::string> decoded = Base64UrlDecode(text);
    REQUIRE(decoded.ok());
    CHECK(decoded.value() == bytes);
  }
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  CHECK(Base64UrlDecode(Base64UrlEncode(all)).value() == all);
}

TEST_CASE("Base64UrlDecode refuses what is not canonical unpadded base64url",
          "[sha256][base64url]") {
  CHECK_THAT(Base64UrlDecode("Zg==").message(),
             Catch::Contains("'=' at position 2") && Catch::Contains("unpadded"));
  CHECK_THAT(Base64UrlDecode("+/8").message(), Catch::Contains("standard base64"));
  CHECK_THAT(Base64UrlDecode("Zm 9").message(), Catch::Contains("position 2"));
  CHECK_THAT(Base64UrlDecode("Zm9vY").message(), Catch::Contains("4k+1"));
  // "Zh" decodes to 'f' only if the 4 unused bits are ignored ('h' = 33 = 0b100001).
  CHECK_THAT(Base64UrlDecode("Zh").message(), Catch::Contains("unused bits"));
  CHECK_THAT(Base64UrlDecode(std::string("Zm\x80v", 4)).message(), Catch::Contains("byte 0x80"));
}

}  // namespace
}  // namespace sdp::sha256_test
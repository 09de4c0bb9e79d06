#include "sdp/sha256.h"

#include <bit>
#include <cstddef>

namespace sdp {
namespace {

// FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube
// roots of the first 64 primes.
constexpr uint32_t kRound[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

// §5.3.3: the first 32 bits of the fractional parts of the square roots of
// the first 8 primes.
constexpr uint32_t kInitial[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

constexpr char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// One 64-byte block (§6.2.2).
void Compress(uint32_t state[8], const uint8_t block[64]) {
  uint32_t w[64];
  for (int t = 0; t < 16; ++t) {
    w[t] = uint32_t{block[4 * t]} << 24 | uint32_t{block[4 * t + 1]} << 16 |
           uint32_t{block[4 * t + 2]} << 8 | uint32_t{block[4 * t + 3]};
  }
  for (int t = 16; t < 64; ++t) {
    const uint32_t s0 = std::rotr(w[t - 15], 7) ^ std::rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
    const uint32_t s1 = std::rotr(w[t - 2], 17) ^ std::rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
    w[t] = w[t - 16] + s0 + w[t - 7] + s1;
  }
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
  uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
  for (int t = 0; t < 64; ++t) {
    const uint32_t big_s1 = std::rotr(e, 6) ^ std::rotr(e, 11) ^ std::rotr(e, 25);
    const uint32_t ch = (e & f) ^ (~e & g);
    const uint32_t t1 = h + big_s1 + ch + kRound[t] + w[t];
    const uint32_t big_s0 = std::rotr(a, 2) ^ std::rotr(a, 13) ^ std::rotr(a, 22);
    const uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
    const uint32_t t2 = big_s0 + maj;
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
  state[4] += e;
  state[5] += f;
  state[6] += g;
  state[7] += h;
}

// Value of a base64url character, or -1.
int Base64UrlValue(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

std::string ShownChar(char c) {
  const auto byte = static_cast<uint8_t>(c);
  if (byte >= 0x21 && byte < 0x7f) return std::string("'") + c + "'";
  static const char* kHex = "0123456789abcdef";
  return std::string("byte 0x") + kHex[byte >> 4] + kHex[byte & 15];
}

}  // namespace

Sha256Digest Sha256(std::string_view data) {
  uint32_t state[8];
  for (int i = 0; i < 8; ++i) state[i] = kInitial[i];
  uint8_t block[64];
  const uint64_t size = data.size();
  uint64_t offset = 0;
  for (; offset + 64 <= size; offset += 64) {
    for (int i = 0; i < 64; ++i) block[i] = static_cast<uint8_t>(data[offset + i]);
    Compress(state, block);
  }
  // Padding (§5.1.1): 0x80, zeros, then the length in bits as 64-bit big-endian.
  const uint64_t rest = size - offset;
  for (uint64_t i = 0; i < rest; ++i) block[i] = static_cast<uint8_t>(data[offset + i]);
  block[rest & 63] = 0x80;  // rest < 64; the mask tells g++ 12 so (-Wstringop-overflow)
  for (uint64_t i = rest + 1; i < 64; ++i) block[i] = 0;
  if (rest >= 56) {
    Compress(state, block);
    for (int i = 0; i < 64; ++i) block[i] = 0;
  }
  const uint64_t bits = size * 8;
  for (int i = 0; i < 8; ++i) block[56 + i] = static_cast<uint8_t>(bits >> (56 - 8 * i));
  Compress(state, block);

  Sha256Digest digest;
  for (int i = 0; i < 8; ++i) {
    for (int j = 0; j < 4; ++j) digest[4 * i + j] = static_cast<uint8_t>(state[i] >> (24 - 8 * j));
  }
  return digest;
}

Sha256Digest HmacSha256(std::string_view key, std::string_view message) {
  constexpr uint32_t kBlock = 64;
  std::string block_key(key);
  if (block_key.size() > kBlock) block_key = DigestBytes(Sha256(block_key));
  block_key.resize(kBlock, '\0');
  std::string inner(kBlock, '\0'), outer(kBlock, '\0');
  for (uint32_t i = 0; i < kBlock; ++i) {
    inner[i] = static_cast<char>(static_cast<uint8_t>(block_key[i]) ^ 0x36);
    outer[i] = static_cast<char>(static_cast<uint8_t>(block_key[i]) ^ 0x5c);
  }
  inner.append(message);
  outer += DigestBytes(Sha256(inner));
  return Sha256(outer);
}

std::string HexOf(const uint8_t* bytes, uint32_t size) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(2 * size);
  for (uint32_t i = 0; i < size; ++i) {
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 15]);
  }
  return out;
}

std::string Sha256Hex(std::string_view data) {
  const Sha256Digest digest = Sha256(data);
  return HexOf(digest.data(), static_cast<uint32_t>(digest.size()));
}

std::string DigestBytes(const Sha256Digest& digest) {
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  uint64_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v = uint32_t{static_cast<uint8_t>(bytes[i])} << 16 |
                       uint32_t{static_cast<uint8_t>(bytes[i + 1])} << 8 |
                       uint32_t{static_cast<uint8_t>(bytes[i + 2])};
    out.push_back(kBase64Url[v >> 18]);
    out.push_back(kBase64Url[(v >> 12) & 63]);
    out.push_back(kBase64Url[(v >> 6) & 63]);
    out.push_back(kBase64Url[v & 63]);
  }
  const uint64_t rest = bytes.size() - i;
  if (rest == 1) {
    const uint32_t v = static_cast<uint8_t>(bytes[i]);
    out.push_back(kBase64Url[v >> 2]);
    out.push_back(kBase64Url[(v & 3) << 4]);
  } else if (rest == 2) {
    const uint32_t v = uint32_t{static_cast<uint8_t>(bytes[i])} << 8 |
                       uint32_t{static_cast<uint8_t>(bytes[i + 1])};
    out.push_back(kBase64Url[v >> 10]);
    out.push_back(kBase64Url[(v >> 4) & 63]);
    out.push_back(kBase64Url[(v & 15) << 2]);
  }
  return out;
}

Result<std::string> Base64UrlDecode(std::string_view text) {
  if (text.size() % 4 == 1) {
    return Status::Invalid("base64url: a length of " + std::to_string(text.size()) +
                           " characters cannot be valid (4k+1 never encodes whole bytes)");
  }
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t bits = 0, count = 0;
  for (uint64_t i = 0; i < text.size(); ++i) {
    const int v = Base64UrlValue(text[i]);
    if (v < 0) {
      const std::string hint = text[i] == '='   ? " (base64url here is unpadded: drop the '=')"
                               : text[i] == '+' ? " (that is standard base64; base64url uses '-')"
                               : text[i] == '/' ? " (that is standard base64; base64url uses '_')"
                                                : "";
      return Status::Invalid("base64url: " + ShownChar(text[i]) + " at position " +
                             std::to_string(i) + " is not in the alphabet A-Z a-z 0-9 - _" + hint);
    }
    bits = bits << 6 | static_cast<uint32_t>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>(static_cast<uint8_t>(bits >> count)));
      bits &= (1u << count) - 1;
    }
  }
  if (bits != 0) {
    return Status::Invalid(
        "base64url: the last character has non-zero unused bits "
        "(not the canonical encoding of any bytes)");
  }
  return out;
}

}  // namespace sdp

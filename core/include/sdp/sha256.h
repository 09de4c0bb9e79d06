// SHA-256 (FIPS 180-4), HMAC-SHA256 (RFC 2104) and base64url (RFC 4648 §5).
//
// What they are for: the API gateway signs JWT-style tokens with HS256, which
// is HMAC-SHA256 over `base64url(header) "." base64url(payload)`, and writes
// every segment in unpadded base64url (RFC 7515 §2). Like hash.h, everything
// reads its input one byte at a time and assembles big-endian words by hand,
// so native and wasm give the same bytes.
//
// Tested against FIPS 180's examples, all seven RFC 4231 HMAC-SHA256 cases
// and RFC 4648's vectors (in their unpadded base64url form).
//
// Base64UrlDecode is strict, as a verifier should be: it refuses '=' padding,
// '+' and '/' (the other alphabet), whitespace, a length of 4k+1, and a final
// character whose unused low bits are not zero (so every byte string has
// exactly one accepted encoding).
#ifndef SDP_SHA256_H_
#define SDP_SHA256_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "sdp/status.h"

namespace sdp {

using Sha256Digest = std::array<uint8_t, 32>;

Sha256Digest Sha256(std::string_view data);
// HMAC with SHA-256: keys longer than the 64-byte block are hashed first.
Sha256Digest HmacSha256(std::string_view key, std::string_view message);

// Lowercase hex of any bytes (e.g. a digest), two characters per byte.
std::string HexOf(const uint8_t* bytes, uint32_t size);
std::string Sha256Hex(std::string_view data);
// The digest as a byte string (what a signature segment encodes).
std::string DigestBytes(const Sha256Digest& digest);

// Unpadded base64url: A-Z a-z 0-9 - _, no '='.
std::string Base64UrlEncode(std::string_view bytes);
Result<std::string> Base64UrlDecode(std::string_view text);

}  // namespace sdp

#endif  // SDP_SHA256_H_

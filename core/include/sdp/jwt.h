// JWT-style bearer tokens with HS256: just what the api_gateway sim needs.
//
// A token is the JWS compact serialization (RFC 7515 §7.1) of a JWT (RFC 7519):
//   base64url(header) "." base64url(payload) "." base64url(signature)
// with signature = HMAC-SHA256(key, base64url(header) "." base64url(payload)),
// the two encoded segments taken exactly as received (never re-encoded).
//
// VerifyJwtHs256 checks in this order, so that every refusal has one
// precise reason:
//   1. structure: 3 segments, each strict base64url; the header a JSON
//      object                                            ("malformed token: ...")
//   2. header: alg must be "HS256" ("none" and every other alg refused, as
//      RFC 8725 §3.1 asks: the verifier, not the token, picks the algorithm);
//      typ, if present, "JWT" or "application/JWT" in any case (RFC 7519 §5.1
//      and RFC 7515 §4.1.9 only recommend it; refusing other values is this
//      gateway's own choice: it takes JWTs only); no "crit" (RFC 7515
//      §4.1.11: an extension we do not understand must be refused)
//   3. signature: 32 bytes equal to the HMAC, compared without early exit
//   4. payload: parsed as a JSON object only now, after the signature has
//      verified (as PyJWT does: api_jws verifies, then api_jwt json.loads)
//   5. claims: exp present and a number; expired when now >= exp (RFC 7519
//      §4.1.4: "on or after"); sub a string of 1-64 bytes without control
//      characters (it becomes a user id shown to people).
// The order of the header checks among themselves is ours.
// Any byte sequence is a token with a reason, never a crash: JSON is parsed
// with ParseJson (depth-limited, every exception caught) and no reason
// echoes more than a short, UTF-8-safe excerpt of what the token said.
//
// Not modelled: nbf, iat checks, iss/aud, clock skew leeway, JWE, key ids.
#ifndef SDP_JWT_H_
#define SDP_JWT_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "sdp/status.h"

namespace sdp {

// A decoded compact JWS, not yet verified.
struct Jws {
  std::string signing_input;  // header_b64 "." payload_b64, as received
  nlohmann::json header;      // a JSON object
  std::string payload;        // raw bytes, not parsed until verified
  std::string signature;      // raw bytes
};

// Step 1 above. The message starts with "malformed token: ".
Result<Jws> DecodeJws(std::string_view token);
// Step 4: the payload as a JSON object, or "malformed token: payload ...".
Result<nlohmann::json> ParseJwsPayload(const Jws& jws);

// Serialises header and payload (compact, keys sorted) and signs with HS256.
std::string SignJwtHs256(std::string_view key, const nlohmann::json& header,
                         const nlohmann::json& payload);
// An unsigned token (alg "none", empty signature segment) for the attacker.
std::string UnsignedJwt(const nlohmann::json& payload);

constexpr uint32_t kMaxSubjectBytes = 64;

struct JwtVerdict {
  bool valid = false;
  std::string reason;   // empty when valid
  std::string subject;  // sub, only when valid
};

// Steps 1-5 above. now_ms is the verifier's clock (ms since the epoch).
JwtVerdict VerifyJwtHs256(std::string_view key, std::string_view token, int64_t now_ms);

// A string of at most `max_bytes` bytes (plus "..." when cut), cut on a
// UTF-8 character boundary so that the result stays valid UTF-8.
std::string Excerpt(std::string_view text, uint32_t max_bytes);

}  // namespace sdp

#endif  // SDP_JWT_H_

// HS256 JWTs: decoding, signing and the verifier's checks (see sdp/jwt.h).
#include "sdp/jwt.h"

#include <vector>

#include "sdp/scenario.h"
#include "sdp/sha256.h"

namespace sdp {
namespace {

using Json = nlohmann::json;

constexpr uint32_t kShownBytes = 24;  // of a header value echoed in a reason

std::string Quoted(std::string_view text) { return "\"" + Excerpt(text, kShownBytes) + "\""; }

// Split on '.', keeping empty segments ("a..b" has three).
std::vector<std::string_view> Segments(std::string_view token) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    const size_t dot = token.find('.', start);
    if (dot == std::string_view::npos) break;
    out.push_back(token.substr(start, dot - start));
    start = dot + 1;
  }
  out.push_back(token.substr(start));
  return out;
}

Result<std::string> DecodeSegment(std::string_view segment, const char* name) {
  const std::string where = std::string("malformed token: ") + name + " segment: ";
  if (segment.empty()) return Status::Invalid(where + "empty");
  Result<std::string> bytes = Base64UrlDecode(segment);
  if (!bytes.ok()) return Status::Invalid(where + bytes.message());
  return bytes;
}

Result<Json> ParseObject(const std::string& bytes, const char* name) {
  const std::string where = std::string("malformed token: ") + name + " segment: ";
  // ParseJson limits nesting and catches every exception; its message quotes
  // the bytes it choked on, which may be anything, so it is not passed on.
  Result<Json> json = ParseJson(bytes);
  if (!json.ok()) return Status::Invalid(where + "not valid JSON (UTF-8 text expected)");
  if (!json.value().is_object()) return Status::Invalid(where + "JSON but not an object");
  return json;
}

bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
    if (x != y) return false;
  }
  return true;
}

// "" if the header is acceptable, else the reason.
std::string CheckHeader(const Json& header) {
  const auto alg = header.find("alg");
  if (alg == header.end()) return "header has no \"alg\"";
  if (!alg->is_string()) return "header \"alg\" must be a string";
  const auto& name = alg->get_ref<const std::string&>();
  if (EqualsIgnoringAsciiCase(name, "none")) {
    return "alg " + Quoted(name) + " refused: unsigned tokens are never accepted (only HS256)";
  }
  if (name != "HS256") return "alg " + Quoted(name) + " refused: only HS256 is accepted";
  // RFC 7515 4.1.9: typ is a media type, compared without case, and
  // "application/" may be left out, so "JWT" and "application/JWT" are one.
  const auto typ = header.find("typ");
  if (typ != header.end()) {
    const bool jwt = typ->is_string() &&
                     (EqualsIgnoringAsciiCase(typ->get_ref<const std::string&>(), "JWT") ||
                      EqualsIgnoringAsciiCase(typ->get_ref<const std::string&>(), "application/JWT"));
    if (!jwt) {
      return "header \"typ\" is " + (typ->is_string() ? Quoted(typ->get_ref<const std::string&>())
                                                      : std::string("not a string")) +
             ": this gateway takes only JWTs (typ \"JWT\" or \"application/JWT\", any case); "
             "RFC 7519 5.1 only recommends typ, the gateway is stricter on purpose";
    }
  }
  if (header.contains("crit")) {
    return "header has \"crit\": no JWS extensions are supported (RFC 7515 4.1.11)";
  }
  return "";
}

// Compares every byte whatever the first difference: how real verifiers
// avoid leaking through timing how much of a forged signature was right.
bool SameBytes(std::string_view a, const Sha256Digest& b) {
  if (a.size() != b.size()) return false;
  uint8_t diff = 0;
  for (size_t i = 0; i < b.size(); ++i) diff |= static_cast<uint8_t>(a[i]) ^ b[i];
  return diff == 0;
}

bool HasControlCharacter(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// "" if exp says the token is still valid at now_ms, else the reason.
std::string CheckExpiry(const Json& payload, int64_t now_ms) {
  const auto exp = payload.find("exp");
  if (exp == payload.end()) return "token has no \"exp\" claim";
  if (!exp->is_number()) return "claim \"exp\" must be a number (seconds since the epoch)";
  bool expired;
  if (exp->is_number_unsigned()) {
    expired = exp->get<uint64_t>() <= static_cast<uint64_t>(now_ms / 1000);
  } else if (exp->is_number_integer()) {
    // now >= exp  <=>  now_ms >= exp * 1000  <=>  exp <= floor(now_ms / 1000)
    expired = exp->get<int64_t>() <= now_ms / 1000;
  } else {
    expired = static_cast<double>(now_ms) >= exp->get<double>() * 1000.0;
  }
  if (!expired) return "";
  return "token expired: exp is " + exp->dump() + " s and the clock is at " +
         std::to_string(now_ms) + " ms (expired on or after exp)";
}

std::string CheckSubject(const Json& payload) {
  const auto sub = payload.find("sub");
  if (sub == payload.end()) return "token has no \"sub\" claim (the user id)";
  if (!sub->is_string()) return "claim \"sub\" must be a string";
  const auto& s = sub->get_ref<const std::string&>();
  if (s.empty() || s.size() > kMaxSubjectBytes || HasControlCharacter(s)) {
    return "claim \"sub\" must be 1-" + std::to_string(kMaxSubjectBytes) +
           " bytes without control characters";
  }
  return "";
}

}  // namespace

std::string Excerpt(std::string_view text, uint32_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t cut = max_bytes;
  // Back off continuation bytes (10xxxxxx) so no character is split.
  while (cut > 0 && (static_cast<uint8_t>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

Result<Jws> DecodeJws(std::string_view token) {
  const std::vector<std::string_view> parts = Segments(token);
  if (parts.size() != 3) {
    return Status::Invalid("malformed token: " + std::to_string(parts.size()) +
                           (parts.size() == 1 ? " segment" : " segments") +
                           "; a JWT has 3 (header.payload.signature)");
  }
  Result<std::string> header_bytes = DecodeSegment(parts[0], "header");
  if (!header_bytes.ok()) return header_bytes.status();
  Result<Json> header = ParseObject(header_bytes.value(), "header");
  if (!header.ok()) return header.status();
  // The payload is only base64url-decoded here; it is parsed once the
  // signature has verified (ParseJwsPayload), as PyJWT does.
  Result<std::string> payload = DecodeSegment(parts[1], "payload");
  if (!payload.ok()) return payload.status();
  Result<std::string> signature = Base64UrlDecode(parts[2]);
  if (!signature.ok()) {
    return Status::Invalid("malformed token: signature segment: " + signature.message());
  }
  Jws out;
  out.signing_input = std::string(parts[0]) + "." + std::string(parts[1]);
  out.header = std::move(header.value());
  out.payload = std::move(payload.value());
  out.signature = std::move(signature.value());
  return out;
}

Result<Json> ParseJwsPayload(const Jws& jws) { return ParseObject(jws.payload, "payload"); }

std::string SignJwtHs256(std::string_view key, const Json& header, const Json& payload) {
  const std::string input = Base64UrlEncode(header.dump()) + "." + Base64UrlEncode(payload.dump());
  return input + "." + Base64UrlEncode(DigestBytes(HmacSha256(key, input)));
}

std::string UnsignedJwt(const Json& payload) {
  const Json header = {{"alg", "none"}, {"typ", "JWT"}};
  return Base64UrlEncode(header.dump()) + "." + Base64UrlEncode(payload.dump()) + ".";
}

JwtVerdict VerifyJwtHs256(std::string_view key, std::string_view token, int64_t now_ms) {
  JwtVerdict out;
  Result<Jws> jws = DecodeJws(token);
  if (!jws.ok()) {
    out.reason = jws.message();
    return out;
  }
  const Jws& t = jws.value();
  out.reason = CheckHeader(t.header);
  if (!out.reason.empty()) return out;
  if (t.signature.size() != 32) {
    out.reason = "bad signature: " + std::to_string(t.signature.size()) +
                 " bytes, an HS256 signature has 32";
    return out;
  }
  if (!SameBytes(t.signature, HmacSha256(key, t.signing_input))) {
    out.reason = "bad signature: it does not match (forged, or signed with another key)";
    return out;
  }
  Result<Json> payload = ParseJwsPayload(t);
  if (!payload.ok()) {
    out.reason = payload.message();
    return out;
  }
  out.reason = CheckExpiry(payload.value(), now_ms);
  if (!out.reason.empty()) return out;
  out.reason = CheckSubject(payload.value());
  if (!out.reason.empty()) return out;
  out.valid = true;
  out.subject = payload.value()["sub"].get<std::string>();
  return out;
}

}  // namespace sdp

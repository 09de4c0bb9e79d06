// The TLS 1.3 record layer (RFC 8446 5), with a stand-in for the AEAD.
//
// A protected record is exactly as long as a real TLS_AES_128_GCM_SHA256
// record (RFC 8446 5.2): a 5-byte header (opaque_type 23, legacy_record_version
// 0x0303, length) and an encrypted TLSInnerPlaintext (content || content type
// byte || zero padding) followed by a 16-byte tag, so
//   length = content + 1 + padding + 16.
// The header is the additional data; the nonce is the sequence number XORed
// into a 12-byte IV (RFC 8446 5.3), so each direction counts its own records.
//
// NOT real cryptography: the "encryption" XORs an HMAC-SHA256 keystream and the
// tag is HMAC-SHA256 over (nonce, header, ciphertext) cut to 16 bytes. That
// keeps the two properties the widget shows — the bytes on the wire do not
// reveal the content, and changing any byte of a record (header, ciphertext or
// tag) makes Open() refuse it — with the right sizes, and nothing more. Keys
// come from the seed, not from a key exchange.
#ifndef SDP_HTTPS_TLS_RECORD_H_
#define SDP_HTTPS_TLS_RECORD_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "sdp/status.h"

namespace sdp::https {

// RFC 8446 5.1 ContentType.
enum class ContentType : uint8_t { kAlert = 21, kHandshake = 22, kApplicationData = 23 };
const char* ContentTypeName(ContentType type);

constexpr uint32_t kRecordHeaderBytes = 5;     // type (1), legacy_record_version (2), length (2)
constexpr uint32_t kAeadTagBytes = 16;         // AES-128-GCM's tag
constexpr uint32_t kMaxPlaintextBytes = 16384;  // 2^14, RFC 8446 5.1
constexpr uint16_t kLegacyRecordVersion = 0x0303;
// The initial ClientHello's record MAY say 0x0301 (RFC 8446 5.1); browsers do.
constexpr uint16_t kInitialClientHelloVersion = 0x0301;

// The length field of a protected record carrying `content` bytes (RFC 8446 5.2).
constexpr uint32_t ProtectedLength(uint32_t content, uint32_t padding) {
  return content + 1 + padding + kAeadTagBytes;
}

// What anyone on the path can read of a record: its 5-byte header.
struct RecordHeader {
  uint8_t type = 0;
  uint16_t legacy_version = 0;
  uint16_t length = 0;
};
// REQUIRES: record.size() >= kRecordHeaderBytes
RecordHeader ParseHeader(std::string_view record);

// An unprotected record (the ClientHello and ServerHello travel this way).
// REQUIRES: fragment.size() <= kMaxPlaintextBytes
std::string PlaintextRecord(ContentType type, uint16_t legacy_version, std::string_view fragment);

struct Opened {
  ContentType type;
  std::string content;
};

// One direction's traffic key and its record sequence number.
class RecordProtection {
 public:
  // REQUIRES: iv.size() == 12
  RecordProtection(std::string key, std::string iv) : key_(std::move(key)), iv_(std::move(iv)) {}

  // REQUIRES: content.size() + 1 + padding <= kMaxPlaintextBytes
  std::string Seal(ContentType type, std::string_view content, uint32_t padding);
  // Refuses (and does not count) a record whose tag does not verify: the
  // caller sends bad_record_mac (RFC 8446 5.2). A record whose inner
  // plaintext is all zeros is refused too (RFC 8446 5.4: unexpected_message).
  Result<Opened> Open(std::string_view record);
  uint64_t sequence() const { return sequence_; }

 private:
  std::string Nonce() const;
  std::string Tag(std::string_view nonce, std::string_view header, std::string_view ciphertext) const;
  void Crypt(std::string_view nonce, std::string* data) const;

  std::string key_;
  std::string iv_;
  uint64_t sequence_ = 0;
};

}  // namespace sdp::https

#endif  // SDP_HTTPS_TLS_RECORD_H_

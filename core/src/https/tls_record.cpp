#include "sdp/https/tls_record.h"

#include "sdp/sha256.h"

namespace sdp::https {

const char* ContentTypeName(ContentType type) {
  switch (type) {
    case ContentType::kAlert: return "alert";
    case ContentType::kHandshake: return "handshake";
    case ContentType::kApplicationData: return "application_data";
  }
  return "?";
}

RecordHeader ParseHeader(std::string_view record) {
  SDP_CHECK(record.size() >= kRecordHeaderBytes);
  const auto byte = [&](uint32_t i) { return static_cast<uint8_t>(record[i]); };
  return {byte(0), static_cast<uint16_t>(byte(1) << 8 | byte(2)), static_cast<uint16_t>(byte(3) << 8 | byte(4))};
}

namespace {

std::string Header(uint8_t type, uint16_t version, uint32_t length) {
  SDP_CHECK(length <= 0xffff);
  return {static_cast<char>(type), static_cast<char>(version >> 8), static_cast<char>(version & 0xff),
          static_cast<char>(length >> 8), static_cast<char>(length & 0xff)};
}

}  // namespace

std::string PlaintextRecord(ContentType type, uint16_t legacy_version, std::string_view fragment) {
  SDP_CHECK(fragment.size() <= kMaxPlaintextBytes);
  return Header(static_cast<uint8_t>(type), legacy_version, static_cast<uint32_t>(fragment.size())) +
         std::string(fragment);
}

// RFC 8446 5.3: the 64-bit sequence number, big-endian, XORed into the IV's last 8 bytes.
std::string RecordProtection::Nonce() const {
  std::string nonce = iv_;
  for (uint32_t i = 0; i < 8; ++i) {
    nonce[11 - i] = static_cast<char>(static_cast<uint8_t>(nonce[11 - i]) ^ static_cast<uint8_t>(sequence_ >> (8 * i)));
  }
  return nonce;
}

std::string RecordProtection::Tag(std::string_view nonce, std::string_view header, std::string_view ciphertext) const {
  const Sha256Digest mac = HmacSha256(key_, "tag" + std::string(nonce) + std::string(header) + std::string(ciphertext));
  return DigestBytes(mac).substr(0, kAeadTagBytes);
}

void RecordProtection::Crypt(std::string_view nonce, std::string* data) const {
  for (uint32_t block = 0; block * 32 < data->size(); ++block) {
    const Sha256Digest stream = HmacSha256(key_, "ks" + std::string(nonce) + std::to_string(block));
    for (uint32_t i = 0; i < 32 && block * 32 + i < data->size(); ++i) {
      (*data)[block * 32 + i] = static_cast<char>(static_cast<uint8_t>((*data)[block * 32 + i]) ^ stream[i]);
    }
  }
}

std::string RecordProtection::Seal(ContentType type, std::string_view content, uint32_t padding) {
  SDP_CHECK(content.size() + 1 + padding <= kMaxPlaintextBytes);
  std::string inner(content);
  inner.push_back(static_cast<char>(type));
  inner.append(padding, '\0');
  const std::string nonce = Nonce();
  Crypt(nonce, &inner);
  const std::string header = Header(static_cast<uint8_t>(ContentType::kApplicationData), kLegacyRecordVersion,
                                    ProtectedLength(static_cast<uint32_t>(content.size()), padding));
  ++sequence_;
  return header + inner + Tag(nonce, header, inner);
}

Result<Opened> RecordProtection::Open(std::string_view record) {
  if (record.size() < kRecordHeaderBytes + 1 + kAeadTagBytes) {
    return Status::Invalid("bad_record_mac: the record is too short to hold a tag");
  }
  const std::string_view header = record.substr(0, kRecordHeaderBytes);
  const RecordHeader h = ParseHeader(record);
  if (h.length != record.size() - kRecordHeaderBytes) {
    return Status::Invalid("bad_record_mac: the length field does not match the record");
  }
  const std::string_view ciphertext = record.substr(kRecordHeaderBytes, h.length - kAeadTagBytes);
  const std::string_view tag = record.substr(record.size() - kAeadTagBytes);
  const std::string nonce = Nonce();
  const std::string expected = Tag(nonce, header, ciphertext);
  uint8_t difference = 0;  // no early exit, as a verifier should compare
  for (uint32_t i = 0; i < kAeadTagBytes; ++i) difference |= static_cast<uint8_t>(expected[i] ^ tag[i]);
  if (difference != 0) return Status::Invalid("bad_record_mac: the tag does not verify");
  std::string inner(ciphertext);
  Crypt(nonce, &inner);
  // RFC 8446 5.4: the content type is the last non-zero byte.
  while (!inner.empty() && inner.back() == '\0') inner.pop_back();
  if (inner.empty()) return Status::Invalid("unexpected_message: the inner plaintext is all padding");
  const uint8_t type = static_cast<uint8_t>(inner.back());
  inner.pop_back();
  ++sequence_;
  return Opened{static_cast<ContentType>(type), std::move(inner)};
}

}  // namespace sdp::https

#include "sdp/https/tls_handshake.h"

#include "sdp/https/tls_record.h"
#include "sdp/sha256.h"
#include "sdp/status.h"

namespace sdp::https {

const char* HandshakeName(uint8_t type) {
  switch (static_cast<HandshakeType>(type)) {
    case HandshakeType::kClientHello: return "ClientHello";
    case HandshakeType::kServerHello: return "ServerHello";
    case HandshakeType::kEncryptedExtensions: return "EncryptedExtensions";
    case HandshakeType::kCertificate: return "Certificate";
    case HandshakeType::kCertificateVerify: return "CertificateVerify";
    case HandshakeType::kFinished: return "Finished";
  }
  return "unknown";
}

const char* AlertName(Alert alert) {
  switch (alert) {
    case Alert::kBadRecordMac: return "bad_record_mac";
    case Alert::kBadCertificate: return "bad_certificate";
    case Alert::kUnknownCa: return "unknown_ca";
    case Alert::kDecryptError: return "decrypt_error";
  }
  return "?";
}

namespace {

// Appends big-endian integers and length-prefixed vectors (RFC 8446 3).
class Writer {
 public:
  void U8(uint32_t v) { out_.push_back(static_cast<char>(v & 0xff)); }
  void U16(uint32_t v) { U8(v >> 8), U8(v); }
  void U24(uint32_t v) { U8(v >> 16), U16(v & 0xffff); }
  void Bytes(std::string_view b) { out_.append(b); }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

std::string WithHeader(HandshakeType type, std::string_view body) {
  Writer w;
  w.U8(static_cast<uint8_t>(type));
  w.U24(static_cast<uint32_t>(body.size()));
  w.Bytes(body);
  return w.Take();
}

std::string Extension(uint16_t type, std::string_view data) {
  Writer w;
  w.U16(type);
  w.U16(static_cast<uint32_t>(data.size()));
  w.Bytes(data);
  return w.Take();
}

constexpr uint16_t kServerNameExtension = 0;           // RFC 6066 3
constexpr uint16_t kSupportedGroupsExtension = 10;     // RFC 8446 4.2.7
constexpr uint16_t kSignatureAlgorithmsExtension = 13;  // RFC 8446 4.2.3
constexpr uint16_t kSupportedVersionsExtension = 43;   // RFC 8446 4.2.1
constexpr uint16_t kKeyShareExtension = 51;            // RFC 8446 4.2.8
constexpr uint16_t kX25519 = 0x001d;
constexpr uint16_t kTls13 = 0x0304;
constexpr uint16_t kEd25519 = 0x0807;

std::string KeyShareEntry(std::string_view key_share) {
  SDP_CHECK(key_share.size() == kX25519KeyBytes);
  Writer w;
  w.U16(kX25519);
  w.U16(kX25519KeyBytes);
  w.Bytes(key_share);
  return w.Take();
}

// A stand-in for bytes nobody on the path can read: deterministic filler.
std::string Filler(std::string_view label, uint32_t size) {
  std::string out;
  for (uint32_t block = 0; out.size() < size; ++block) out += DigestBytes(Sha256(std::string(label) + std::to_string(block)));
  out.resize(size);
  return out;
}

// Reads big-endian fields off a record, refusing to run past its end.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  bool Skip(uint32_t n) {
    if (data_.size() - at_ < n) return false;
    at_ += n;
    return true;
  }
  std::optional<uint32_t> Uint(uint32_t bytes) {
    if (data_.size() - at_ < bytes) return std::nullopt;
    uint32_t v = 0;
    for (uint32_t i = 0; i < bytes; ++i) v = v << 8 | static_cast<uint8_t>(data_[at_++]);
    return v;
  }
  // Skips a vector with a `bytes`-byte length prefix.
  bool SkipVector(uint32_t bytes) {
    const std::optional<uint32_t> n = Uint(bytes);
    return n && Skip(*n);
  }
  std::optional<std::string_view> Take(uint32_t n) {
    if (data_.size() - at_ < n) return std::nullopt;
    at_ += n;
    return data_.substr(at_ - n, n);
  }

 private:
  std::string_view data_;
  uint32_t at_ = 0;
};

}  // namespace

std::string ClientHello(std::string_view server_name, std::string_view random, std::string_view session_id,
                        std::string_view key_share) {
  SDP_CHECK(random.size() == kRandomBytes && session_id.size() == 32);
  Writer sni;  // server_name_list with one host_name (RFC 6066 3)
  sni.U16(static_cast<uint32_t>(3 + server_name.size()));
  sni.U8(0);
  sni.U16(static_cast<uint32_t>(server_name.size()));
  sni.Bytes(server_name);
  Writer versions;
  versions.U8(2);
  versions.U16(kTls13);
  Writer groups;
  groups.U16(2);
  groups.U16(kX25519);
  Writer shares;
  shares.U16(2 + 2 + kX25519KeyBytes);
  shares.Bytes(KeyShareEntry(key_share));
  Writer algorithms;  // Ed25519, ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256
  algorithms.U16(6);
  algorithms.U16(kEd25519);
  algorithms.U16(0x0403);
  algorithms.U16(0x0804);
  const std::string extensions = Extension(kServerNameExtension, sni.Take()) +
                                 Extension(kSupportedVersionsExtension, versions.Take()) +
                                 Extension(kSupportedGroupsExtension, groups.Take()) +
                                 Extension(kKeyShareExtension, shares.Take()) +
                                 Extension(kSignatureAlgorithmsExtension, algorithms.Take());
  Writer body;
  body.U16(kLegacyRecordVersion);
  body.Bytes(random);
  body.U8(static_cast<uint32_t>(session_id.size()));
  body.Bytes(session_id);
  body.U16(6);  // TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256
  body.U16(kTlsAes128GcmSha256);
  body.U16(0x1302);
  body.U16(0x1303);
  body.U8(1);  // legacy_compression_methods: null only
  body.U8(0);
  body.U16(static_cast<uint32_t>(extensions.size()));
  body.Bytes(extensions);
  return WithHeader(HandshakeType::kClientHello, body.Take());
}

std::string ServerHello(std::string_view random, std::string_view session_id, std::string_view key_share) {
  SDP_CHECK(random.size() == kRandomBytes && session_id.size() == 32);
  Writer version;
  version.U16(kTls13);
  const std::string extensions =
      Extension(kSupportedVersionsExtension, version.Take()) + Extension(kKeyShareExtension, KeyShareEntry(key_share));
  Writer body;
  body.U16(kLegacyRecordVersion);
  body.Bytes(random);
  body.U8(static_cast<uint32_t>(session_id.size()));
  body.Bytes(session_id);  // legacy_session_id_echo
  body.U16(kTlsAes128GcmSha256);
  body.U8(0);
  body.U16(static_cast<uint32_t>(extensions.size()));
  body.Bytes(extensions);
  return WithHeader(HandshakeType::kServerHello, body.Take());
}

// The server acknowledges the SNI with an empty server_name (RFC 6066 3).
std::string EncryptedExtensions() {
  Writer body;
  body.U16(4);
  body.Bytes(Extension(kServerNameExtension, ""));
  return WithHeader(HandshakeType::kEncryptedExtensions, body.Take());
}

uint32_t CertificateDerBytes(const Certificate& cert) {
  return kCertificateBaseBytes + static_cast<uint32_t>(cert.subject.size() + cert.issuer.size());
}

std::string CertificateMessage(const Certificate& cert) {
  const uint32_t der_bytes = CertificateDerBytes(cert);
  std::string der = "subject=" + cert.subject + ";issuer=" + cert.issuer + ";key=" + cert.key + ";";
  der += Filler(der, der_bytes - static_cast<uint32_t>(der.size()));
  Writer body;
  body.U8(0);                 // certificate_request_context: empty
  body.U24(3 + der_bytes + 2);  // certificate_list: one CertificateEntry
  body.U24(der_bytes);
  body.Bytes(der);
  body.U16(0);  // the entry's extensions
  return WithHeader(HandshakeType::kCertificate, body.Take());
}

std::string CertificateVerify(std::string_view signer_key, std::string_view transcript) {
  Writer body;
  body.U16(kEd25519);
  body.U16(kEd25519SignatureBytes);
  const std::string mac = DigestBytes(HmacSha256(signer_key, transcript));
  body.Bytes(mac + DigestBytes(HmacSha256(signer_key, mac)));
  return WithHeader(HandshakeType::kCertificateVerify, body.Take());
}

std::string Finished(std::string_view verify_data) {
  SDP_CHECK(verify_data.size() == kSha256Bytes);
  return WithHeader(HandshakeType::kFinished, verify_data);
}

HandshakeType TypeOf(std::string_view message) {
  SDP_CHECK(!message.empty());
  return static_cast<HandshakeType>(static_cast<uint8_t>(message[0]));
}

std::optional<std::string> ServerNameOf(std::string_view record) {
  Reader r(record);
  const std::optional<uint32_t> type = r.Uint(1);
  if (!type || *type != static_cast<uint8_t>(ContentType::kHandshake) || !r.Skip(4)) return std::nullopt;
  const std::optional<uint32_t> msg = r.Uint(1);
  if (!msg || *msg != static_cast<uint8_t>(HandshakeType::kClientHello)) return std::nullopt;
  if (!r.Skip(3 + 2 + kRandomBytes) || !r.SkipVector(1) || !r.SkipVector(2) || !r.SkipVector(1)) return std::nullopt;
  std::optional<uint32_t> left = r.Uint(2);
  while (left && *left >= 4) {
    const std::optional<uint32_t> ext = r.Uint(2);
    const std::optional<uint32_t> size = r.Uint(2);
    if (!ext || !size || *size + 4 > *left) return std::nullopt;
    if (*ext == kServerNameExtension) {
      if (!r.Skip(2 + 1)) return std::nullopt;  // list length, name_type
      const std::optional<uint32_t> n = r.Uint(2);
      if (!n) return std::nullopt;
      const std::optional<std::string_view> name = r.Take(*n);
      if (!name) return std::nullopt;
      return std::string(*name);
    }
    if (!r.Skip(*size)) return std::nullopt;
    *left -= 4 + *size;
  }
  return std::nullopt;
}

std::optional<uint16_t> CipherSuiteOf(std::string_view record) {
  Reader r(record);
  const std::optional<uint32_t> type = r.Uint(1);
  if (!type || *type != static_cast<uint8_t>(ContentType::kHandshake) || !r.Skip(4)) return std::nullopt;
  const std::optional<uint32_t> msg = r.Uint(1);
  if (!msg || *msg != static_cast<uint8_t>(HandshakeType::kServerHello)) return std::nullopt;
  if (!r.Skip(3 + 2 + kRandomBytes) || !r.SkipVector(1)) return std::nullopt;
  const std::optional<uint32_t> suite = r.Uint(2);
  if (!suite) return std::nullopt;
  return static_cast<uint16_t>(*suite);
}

// The order of a client's checks: the chain to a trust anchor (RFC 5280 6),
// the name (RFC 9525 6), then the handshake signature (RFC 8446 4.4.3).
std::optional<Refusal> CheckServer(const Certificate& cert, std::string_view signer_key, std::string_view expected_name,
                                   const std::vector<std::string>& trusted_cas) {
  bool trusted = false;
  for (const std::string& ca : trusted_cas) trusted = trusted || ca == cert.issuer;
  if (!trusted) {
    return Refusal{Alert::kUnknownCa, "the certificate's issuer, " + cert.issuer + ", is not a CA the client trusts"};
  }
  if (cert.subject != expected_name) {
    return Refusal{Alert::kBadCertificate,
                   "the certificate is for " + cert.subject + ", not " + std::string(expected_name)};
  }
  if (signer_key != cert.key) {
    return Refusal{Alert::kDecryptError,
                   "CertificateVerify was not signed with the key the certificate names (" + cert.key +
                       "): whoever sent it does not hold that private key"};
  }
  return std::nullopt;
}

}  // namespace sdp::https

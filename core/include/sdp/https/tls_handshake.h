// TLS 1.3's full handshake messages (RFC 8446 4), built byte for byte where
// the structure fixes the size, and the client's checks of the server.
//
// ClientHello and ServerHello are built from their structures (4.1.2, 4.1.3)
// with the extensions a client needs here: server_name (RFC 6066 3),
// supported_versions, supported_groups (x25519), key_share (x25519: 32 bytes)
// and signature_algorithms; a 32-byte legacy_session_id as browsers send in
// middlebox compatibility mode (D.4). EncryptedExtensions, CertificateVerify
// (Ed25519: a 64-byte signature) and Finished (SHA-256: 32 bytes) have exact
// sizes too. Only the certificate's DER bytes are a representative figure
// (kCertificateBaseBytes plus its names), filled with stand-in bytes.
//
// Signatures are modelled, not computed: a certificate names its issuer and
// the key it certifies (every certificate here really comes from the CA it
// names); CertificateVerify is valid when the key that made it is the one
// the certificate names.
#ifndef SDP_HTTPS_TLS_HANDSHAKE_H_
#define SDP_HTTPS_TLS_HANDSHAKE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sdp::https {

// RFC 8446 4 HandshakeType.
enum class HandshakeType : uint8_t {
  kClientHello = 1,
  kServerHello = 2,
  kEncryptedExtensions = 8,
  kCertificate = 11,
  kCertificateVerify = 15,
  kFinished = 20,
};
const char* HandshakeName(uint8_t type);

// RFC 8446 6.2 AlertDescription (the ones this model sends).
enum class Alert : uint8_t { kBadRecordMac = 20, kBadCertificate = 42, kUnknownCa = 48, kDecryptError = 51 };
const char* AlertName(Alert alert);

constexpr uint32_t kHandshakeHeaderBytes = 4;     // msg_type (1), length (3)
constexpr uint32_t kRandomBytes = 32;
constexpr uint32_t kX25519KeyBytes = 32;           // RFC 7748
constexpr uint32_t kEd25519SignatureBytes = 64;    // RFC 8032
constexpr uint32_t kSha256Bytes = 32;              // Finished's verify_data
constexpr uint32_t kCertificateBaseBytes = 800;    // representative; see docs/https.md
constexpr uint16_t kTlsAes128GcmSha256 = 0x1301;

// The ClientHello's size with a server_name of n bytes: 161 + n (the
// structure is spelled out in tls_handshake.cpp and docs/https.md).
constexpr uint32_t ClientHelloBytes(uint32_t server_name_length) { return 161 + server_name_length; }

std::string ClientHello(std::string_view server_name, std::string_view random, std::string_view session_id,
                        std::string_view key_share);
std::string ServerHello(std::string_view random, std::string_view session_id, std::string_view key_share);
std::string EncryptedExtensions();

struct Certificate {
  std::string subject;    // the DNS name it is for
  std::string issuer;     // the CA that signed it
  std::string key;      // whose key it certifies
};
uint32_t CertificateDerBytes(const Certificate& cert);
std::string CertificateMessage(const Certificate& cert);
std::string CertificateVerify(std::string_view signer_key, std::string_view transcript);
std::string Finished(std::string_view verify_data);

// The type of a handshake message (its first byte).
// REQUIRES: !message.empty()
HandshakeType TypeOf(std::string_view message);

// What an eavesdropper reads from a ClientHello record: the server_name, if
// the record parses as one and carries the extension.
std::optional<std::string> ServerNameOf(std::string_view client_hello_record);
// The cipher suite a ServerHello record chose, if it parses.
std::optional<uint16_t> CipherSuiteOf(std::string_view server_hello_record);

// The client's checks of the server's Certificate and CertificateVerify, in
// the order a client makes them. nullopt: accepted.
struct Refusal {
  Alert alert;
  std::string reason;
};
std::optional<Refusal> CheckServer(const Certificate& cert, std::string_view signer_key, std::string_view expected_name,
                                   const std::vector<std::string>& trusted_cas);

}  // namespace sdp::https

#endif  // SDP_HTTPS_TLS_HANDSHAKE_H_

// One HTTP request and its response, over HTTP or HTTPS, with someone on
// the path: the messages (for the sequence diagram), what each party's
// application sent and received, what the attacker saw, and a verdict.
//
// The path: client <-- latency/2 --> attacker's point <-- latency/2 --> server.
// Every request opens a new connection (the TCP handshake is left out; the
// `tcp` sim has it); over HTTPS it starts with TLS 1.3's full handshake (RFC
// 8446 2, Figure 1) and the HTTP text travels in protected records.
//
// The attacker:
//   eavesdrop    reads what passes (derived from the wire bytes only)
//   tamper       also changes what passes in one direction: over HTTP it
//                replaces `find` with `replace` (and fixes Content-Length);
//                over HTTPS it cannot read the record, so it flips one byte
//   impersonate  answers in the server's place: over HTTP with its own
//                response; over HTTPS with its own handshake and a
//                certificate it has (own_ca, other_name, copied)
#ifndef SDP_HTTPS_EXCHANGE_H_
#define SDP_HTTPS_EXCHANGE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sdp/event_queue.h"
#include "sdp/https/tls_handshake.h"
#include "sdp/random.h"

namespace sdp::https {

enum class Party : uint8_t { kClient, kAttacker, kServer };
const char* PartyName(Party party);

struct Request {
  std::string method = "GET";
  std::string path = "/";
  std::string body;
  bool https = true;
  uint32_t padding = 0;  // zero bytes after the content type byte (RFC 8446 5.4)
};

enum class Mode : uint8_t { kNone, kEavesdrop, kTamper, kImpersonate };
// What an impersonator presents over HTTPS.
enum class Forgery : uint8_t {
  kOwnCa,      // a certificate for the server's name from the attacker's own CA
  kOtherName,  // a real certificate from a trusted CA, for the attacker's own name
  kCopied,     // the server's real certificate, without its private key
};

struct Attacker {
  Mode mode = Mode::kNone;
  std::string find = "to=bob";
  std::string replace = "to=mallory";
  bool on_response = false;  // tamper with the response instead of the request
  Forgery forgery = Forgery::kOwnCa;
};

struct Setup {
  std::string server_name = "bank.example";
  SimTime latency = 20 * kMicrosPerMilli;  // one way, client to server
};

// The CA the client trusts, and the attacker's.
inline constexpr const char* kTrustedCa = "Example Root CA";
inline constexpr const char* kAttackerCa = "Mallory Root CA";
inline constexpr const char* kAttackerName = "mallory.example";

// One arrow on the diagram: one TLS record (or the HTTP text) one party sent.
struct Message {
  Party from;
  Party to;
  bool via_attacker;  // passes the attacker's point on the path
  SimTime sent;
  SimTime arrives;
  // What it carries, in RFC 8446's notation: {...} under handshake keys,
  // [...] under application keys ("ClientHello", "[HTTP request]").
  std::string label;
  bool http;             // plain HTTP text, not a TLS record
  bool carries_http;     // the HTTP request or response, in the clear or not
  std::string wire;      // the bytes as sent
  std::string received;  // the bytes as they arrived
  bool altered = false;  // the attacker changed them on the way
};

struct Exchange {
  Request request;
  Attacker attacker;
  SimTime start = 0;
  SimTime end = 0;
  std::vector<Message> messages;
  // Handshake messages as sent, in order: (sender, type).
  std::vector<std::pair<Party, HandshakeType>> handshake;
  nlohmann::json seen = nlohmann::json::array();  // what the attacker saw
  std::optional<std::string> client_sent, server_received, server_sent, client_received;
  std::optional<Alert> alert;
  Party alert_from = Party::kClient;
  std::string alert_reason;
  bool read = false;       // the attacker read the request's text
  bool altered = false;    // what an application received is not what was sent
  bool detected = false;   // ... and the receiver knew (an alert)
  bool delivered = false;  // the client's application got the server's genuine response
  std::string verdict;
};

// Runs one exchange from `start`, drawing keys and randoms from `rng`.
Exchange RunExchange(const Setup& setup, const Request& request, const Attacker& attacker, SimTime start, Rng* rng);

// The HTTP/1.1 text of a request (RFC 9112 3) and of the server's response.
std::string RequestText(const Request& request, const std::string& host);
std::string ResponseText(const std::string& request_text, const std::string& host);
// Replaces every `find` in the head and the body; rewrites Content-Length
// when the body's length changed, as an attacker must for the message to parse.
std::string AlterHttp(const std::string& text, const std::string& find, const std::string& replace);

}  // namespace sdp::https

#endif  // SDP_HTTPS_EXCHANGE_H_

#include "sdp/realtime/wire.h"

#include <string_view>

namespace sdp::realtime {
namespace {

// What a browser adds to every request to the app's origin (Chrome 120's
// User-Agent, its Accept-Encoding/-Language, one session cookie).
constexpr std::string_view kBrowserLines =
    "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36\r\n"
    "Accept-Encoding: gzip, deflate, br\r\n"
    "Accept-Language: en-US,en;q=0.9\r\n"
    "Cookie: session=3f9a1c0e8b7d4a2f9e6c5b4a3d2e1f00\r\n";
constexpr std::string_view kHost = "Host: app.example.com\r\n";
constexpr std::string_view kDate = "Date: Mon, 07 Dec 2026 11:00:00 GMT\r\n";

// The same block for every poll response but the Content-Length value.
constexpr std::string_view kPollResponseHead =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: application/json\r\n"
    "Cache-Control: no-store\r\n"
    "Connection: keep-alive\r\n";

constexpr std::string_view kSseResponseHead =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: text/event-stream\r\n"
    "Cache-Control: no-cache\r\n"
    "Transfer-Encoding: chunked\r\n"
    "Connection: keep-alive\r\n";

// RFC 6455 section 1.2's example handshake, with the browser's own lines.
constexpr std::string_view kWsUpgradeHead =
    "GET /chat HTTP/1.1\r\n"
    "Upgrade: websocket\r\n"
    "Connection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    "Origin: http://example.com\r\n"
    "Sec-WebSocket-Protocol: chat, superchat\r\n"
    "Sec-WebSocket-Version: 13\r\n";
constexpr std::string_view kWsUpgradeResponse =
    "HTTP/1.1 101 Switching Protocols\r\n"
    "Upgrade: websocket\r\n"
    "Connection: Upgrade\r\n"
    "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
    "Sec-WebSocket-Protocol: chat\r\n"
    "\r\n";

// A data-channel-only session description as Chrome writes it (JSEP,
// RFC 8829 section 5.2; SCTP over DTLS per RFC 8841). The answer differs in
// its o= id, ICE credentials, fingerprint and a=setup:active.
constexpr std::string_view kOfferSdp =
    "v=0\r\n"
    "o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n"
    "s=-\r\n"
    "t=0 0\r\n"
    "a=group:BUNDLE 0\r\n"
    "a=extmap-allow-mixed\r\n"
    "a=msid-semantic: WMS\r\n"
    "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "a=ice-ufrag:EsAw\r\n"
    "a=ice-pwd:bP+XJMM09aR8AiX1jdukzR6Y\r\n"
    "a=ice-options:trickle\r\n"
    "a=fingerprint:sha-256 "
    "D2:FA:0E:C3:22:59:5E:14:95:69:92:3D:13:B4:84:24:2C:C2:A2:C0:3E:FD:34:8E:5E:EA:6F:AF:52:CE:E6:0F\r\n"
    "a=setup:actpass\r\n"
    "a=mid:0\r\n"
    "a=sctp-port:5000\r\n"
    "a=max-message-size:262144\r\n";
constexpr std::string_view kSetupActpass = "actpass";
constexpr std::string_view kSetupActive = "active";
constexpr std::string_view kSdpEnvelope = R"({"type":"offer","sdp":""})";  // "answer": +1
constexpr std::string_view kCandidateMessage =
    R"({"type":"candidate","candidate":"candidate:842163049 1 udp 1677729535 203.0.113.7 46154 )"
    R"(typ srflx raddr 192.168.1.2 rport 46154 generation 0 ufrag EsAw network-cost 999",)"
    R"("sdpMid":"0","sdpMLineIndex":0})";

uint32_t Len(std::string_view s) { return static_cast<uint32_t>(s.size()); }

// A chunk of chunked transfer coding: hex size, CRLF, data, CRLF.
uint32_t ChunkBytes(uint64_t data) { return HexDigits(data) + 2 + static_cast<uint32_t>(data) + 2; }

// The SDP inside a JSON string: each CRLF becomes the four characters \r\n.
uint32_t SdpInJsonBytes() {
  uint32_t crlf = 0;
  for (char c : kOfferSdp) crlf += c == '\n';
  return Len(kOfferSdp) + 2 * crlf;
}

}  // namespace

uint32_t DecimalDigits(uint64_t v) {
  uint32_t n = 1;
  while (v >= 10) {
    v /= 10;
    ++n;
  }
  return n;
}

uint32_t HexDigits(uint64_t v) {
  uint32_t n = 1;
  while (v >= 16) {
    v /= 16;
    ++n;
  }
  return n;
}

std::string PollRequestText(uint64_t last_id) {
  std::string out = "GET /events?after=" + std::to_string(last_id) + " HTTP/1.1\r\n";
  out += kHost;
  out += "Accept: application/json\r\n";
  out += kBrowserLines;
  out += "Connection: keep-alive\r\n\r\n";
  return out;
}

uint32_t PollRequestBytes(uint64_t last_id) {
  static const uint32_t fixed = Len(PollRequestText(0)) - 1;
  return fixed + DecimalDigits(last_id);
}

uint64_t PollBodyBytes(uint64_t events, uint32_t size) {
  // "[]" when empty; n events and n-1 commas otherwise.
  return events == 0 ? 2 : 2 + events * size + (events - 1);
}

uint64_t PollResponseBytes(uint64_t events, uint32_t size) {
  const uint64_t body = PollBodyBytes(events, size);
  const uint32_t head = Len(kPollResponseHead) + Len(kDate) + Len("Content-Length: \r\n") + DecimalDigits(body) + 2;
  return head + body;
}

uint32_t SseRequestBytes(bool resume, uint64_t last_id) {
  uint32_t n = Len("GET /stream HTTP/1.1\r\n") + Len(kHost) + Len("Accept: text/event-stream\r\n") +
               Len("Cache-Control: no-cache\r\n") + Len(kBrowserLines) + Len("Connection: keep-alive\r\n\r\n");
  if (resume) n += Len("Last-Event-ID: \r\n") + DecimalDigits(last_id);
  return n;
}

uint32_t SseResponseBytes(uint64_t retry_ms) {
  const uint32_t retry_line = Len("retry: \n\n") + DecimalDigits(retry_ms);
  return Len(kSseResponseHead) + Len(kDate) + 2 + ChunkBytes(retry_line);
}

uint32_t SseEventBytes(uint64_t id, uint32_t size) {
  const uint64_t event = Len("id: \n") + DecimalDigits(id) + Len("data: \n\n") + uint64_t{size};
  return ChunkBytes(event);
}

std::string WsUpgradeRequestText() {
  std::string out(kWsUpgradeHead);
  out += kHost;
  out += kBrowserLines;
  out += "\r\n";
  return out;
}

std::string WsUpgradeResponseText() { return std::string(kWsUpgradeResponse); }

uint32_t WsUpgradeRequestBytes() {
  static const uint32_t n = Len(WsUpgradeRequestText());
  return n;
}

uint32_t WsUpgradeResponseBytes() { return Len(kWsUpgradeResponse); }

uint32_t WsFrameHeaderBytes(uint64_t payload, bool masked) {
  uint32_t n = 2;
  if (payload >= 65536) {
    n += 8;
  } else if (payload > 125) {
    n += 2;
  }
  return masked ? n + 4 : n;
}

uint32_t OfferBytes() { return Len(kSdpEnvelope) + SdpInJsonBytes(); }

uint32_t AnswerBytes() {
  return Len(kSdpEnvelope) + 1 + SdpInJsonBytes() - Len(kSetupActpass) + Len(kSetupActive);
}

uint32_t CandidateBytes() { return Len(kCandidateMessage); }

uint32_t DataChannelMessageBytes(uint32_t size) {
  const uint32_t dtls = 13 + 8 + 16;
  const uint32_t sctp = 12 + 16;
  const uint32_t padded = (size + 3) / 4 * 4;
  return dtls + sctp + padded;
}

}  // namespace sdp::realtime

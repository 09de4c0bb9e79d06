// Bytes on the wire for each real-time technique, from the protocols' own
// framing: HTTP/1.1 messages (RFC 9112), the WebSocket handshake and frame
// header (RFC 6455 sections 1.2, 4 and 5.2), the event-stream format of
// server-sent events (WHATWG HTML, "Server-sent events"), chunked transfer
// coding (RFC 9112 section 7.1) and a WebRTC data channel's SCTP-over-DTLS
// framing (RFC 8831, RFC 9260 section 3, RFC 6347 section 4.1, RFC 5288).
//
// The HTTP header blocks are literal strings (wire.cpp) of what a browser
// and a typical server send: their sizes are counted, not typed in. Bytes
// below the application protocol (TCP/IP headers, TLS records for HTTP and
// WebSocket, ACKs) are left out for every technique alike.
#ifndef SDP_REALTIME_WIRE_H_
#define SDP_REALTIME_WIRE_H_

#include <cstdint>
#include <string>

namespace sdp::realtime {

// Decimal digits of v (for ids and lengths written as text).
uint32_t DecimalDigits(uint64_t v);
// Hex digits of v (chunk sizes).
uint32_t HexDigits(uint64_t v);

// A poll (short or long): GET /events?after=<last_id> with a browser's headers.
uint32_t PollRequestBytes(uint64_t last_id);
// The poll's response: 200 with a JSON array of `events` events of `size` bytes.
uint64_t PollResponseBytes(uint64_t events, uint32_t size);
// JSON array body of the poll response: "[" e1 "," e2 ... "]".
uint64_t PollBodyBytes(uint64_t events, uint32_t size);

// SSE: GET /stream with Accept: text/event-stream (and Last-Event-ID on a
// reconnect, resuming after `last_id`).
uint32_t SseRequestBytes(bool resume, uint64_t last_id);
// The 200 response's header block plus the first chunk, `retry: <ms>`.
uint32_t SseResponseBytes(uint64_t retry_ms);
// One event `id: <id>\ndata: <payload>\n\n` in its own chunk.
uint32_t SseEventBytes(uint64_t id, uint32_t size);

// WebSocket: the HTTP Upgrade request and the 101 response (RFC 6455 1.2).
uint32_t WsUpgradeRequestBytes();
uint32_t WsUpgradeResponseBytes();
// Frame header: 2 bytes, +2 (payload 126..65535) or +8 (larger), +4 when
// masked (every client-to-server frame).
uint32_t WsFrameHeaderBytes(uint64_t payload, bool masked);

// WebRTC. Signalling messages travel over a WebSocket to the server:
// the offer's and answer's SDP, and one ICE candidate.
uint32_t OfferBytes();
uint32_t AnswerBytes();
uint32_t CandidateBytes();
// One data-channel message: DTLS record (13 header + 8 explicit nonce + 16
// tag, AES-128-GCM) + SCTP common header (12) + DATA chunk (16) + payload
// padded to 4 bytes.
uint32_t DataChannelMessageBytes(uint32_t size);
// TURN ChannelData header (RFC 8656 section 12.4) in front of a relayed packet.
constexpr uint32_t kTurnChannelDataHeader = 4;

// The literal header blocks, for the docs and tests.
std::string PollRequestText(uint64_t last_id);
std::string WsUpgradeRequestText();
std::string WsUpgradeResponseText();

}  // namespace sdp::realtime

#endif  // SDP_REALTIME_WIRE_H_

// One HTTP request's walk through the layers: built whole, then shown one
// stage at a time by the `layers` sim.
//
// A stage is one tick: every packet moves one hop (or one layer inside a
// host) per stage, so the stages read as the request going down the
// client's stack, across the routers, and up the server's stack:
//   client: application (HTTP) -> transport (TCP segments at the MSS)
//           -> network (IPv4 datagrams, route lookup, fragments at the MTU)
//           -> link (Ethernet frames)
//   each router: network (route lookup, TTL, fragmentation) + link (out)
//   server: link -> network (reassembly) -> transport (in order) -> application
// A router that drops a datagram (no route, TTL expired, DF and too big)
// answers with an ICMP error, which walks back to the client the same way.
//
// Router order follows Linux's ip_forward() (net/ipv4/ip_forward.c): the
// route is looked up on input, then TTL <= 1 -> Time Exceeded, then too big
// with DF -> Fragmentation Needed, then TTL - 1 and out (fragmenting).
//
// Left out: the TCP handshake and ACKs (the `tcp` sim has them), ARP,
// timing (stages are not time), loss, and any reaction to an ICMP error
// beyond saying what TCP would do.
#ifndef SDP_LAYERS_WALK_H_
#define SDP_LAYERS_WALK_H_

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sdp/layers/network.h"
#include "sdp/status.h"

namespace sdp::layers {

constexpr uint32_t kTcpHeaderBytes = 20;       // RFC 9293 3.1, no options
constexpr uint32_t kTcpTimestampsBytes = 12;   // RFC 7323 option (10) + 2 NOPs, on every segment
constexpr uint32_t kEthernetHeaderBytes = 14;  // destination, source, EtherType
constexpr uint32_t kEthernetFcsBytes = 4;
constexpr uint32_t kEthernetMinPayload = 46;   // shorter payloads are padded
constexpr uint32_t kIcmpHeaderBytes = 8;
// RFC 1812 4.3.2.3 (and Linux's icmp_send): an ICMP error quotes as much of
// the offending datagram as fits in 576 bytes.
constexpr uint32_t kIcmpErrorMaxBytes = 576;
constexpr uint32_t kMaxSegments = 500;
constexpr uint32_t kMaxPacketsPerStage = 4000;

struct Request {
  std::string method = "GET";
  std::string path = "/index.html";
  uint32_t body_bytes = 0;
  uint8_t ttl = 64;
  bool df = false;
};

// What stays between requests: one established TCP connection.
struct Connection {
  std::string client = "client";
  std::string server = "server";
  std::string host_header = "www.example.com";
  uint16_t client_port = 0;
  uint16_t server_port = 80;
  uint32_t iss = 0;          // the client's initial sequence number
  uint32_t server_iss = 0;   // the server's, which the client acknowledges
  uint32_t next_rel_seq = 1;  // the SYN took ISS: data starts at ISS + 1
  uint16_t next_ip_id = 0;
  uint32_t mss = 1460;
  bool timestamps = false;
};

struct Walk {
  Request request;
  nlohmann::json http;               // the request as the application wrote it
  std::vector<nlohmann::json> stages;  // each {"events": [...]}
  uint32_t segments = 0;
  uint32_t datagrams = 0;            // datagrams the client's IP sent
  uint32_t fragments_created = 0;    // extra datagrams made by fragmenting
  uint32_t forwarded = 0;            // datagrams routers sent on
  uint32_t icmp_sent = 0;
  uint32_t bytes_delivered = 0;      // request bytes the server's TCP delivered in order
  bool delivered = false;            // the server read the whole request
  std::string outcome;
};

// Builds the walk; on success advances `connection` (sequence numbers, IP
// identification). Refuses (and changes nothing) when the request would
// need more than kMaxSegments segments or kMaxPacketsPerStage packets.
Result<Walk> BuildWalk(const Network& network, const Request& request, Connection* connection);

}  // namespace sdp::layers

#endif  // SDP_LAYERS_WALK_H_

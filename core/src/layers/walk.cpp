#include "sdp/layers/walk.h"

#include <algorithm>
#include <map>
#include <utility>

namespace sdp::layers {

namespace {

using Json = nlohmann::json;

constexpr uint32_t kClientStages = 4;  // application, transport, network, link
constexpr uint32_t kMaxStages = 1200;  // TTL <= 255 there, <= 64 for the ICMP back
constexpr uint8_t kIcmpTtl = 64;       // Linux's default TTL, for what routers originate

struct TcpSegment {
  uint32_t rel_seq;
  uint32_t len;
  bool last;
};

struct IcmpError {
  uint8_t type;
  uint8_t code;
  std::string name;
  Datagram about;
  uint32_t next_hop_mtu;  // Fragmentation Needed only (RFC 1191)
  std::string reporter;
};

struct Hop {
  Datagram datagram;
  std::string to;
  std::string link;
};

std::string Plural(uint64_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

class WalkBuilder {
 public:
  WalkBuilder(const Network& net, const Request& request, const Connection& conn)
      : net_(net), request_(request), conn_(conn) {}

  Status Run(Walk* walk);
  const Connection& connection() const { return conn_; }

 private:
  std::vector<Json>& At(uint32_t tick) {
    while (stages_.size() <= tick) stages_.emplace_back();
    return stages_[tick];
  }
  Json& Event(uint32_t tick, const std::string& node, const char* layer, const char* action, std::string text,
              Json pdus) {
    At(tick).push_back({{"node", node}, {"layer", layer}, {"action", action}, {"text", std::move(text)},
                        {"pdus", std::move(pdus)}});
    return At(tick).back();
  }

  void BuildHttp();
  void ClientDown();
  // Routes and (if allowed) fragments the host's own datagrams; sends at tick + 1.
  void HostSend(uint32_t tick, const std::string& host, std::vector<Datagram> datagrams);
  void RouterTick(uint32_t tick, const std::string& router, const std::vector<Hop>& arrivals);
  void HostTick(uint32_t tick, const std::string& host, const std::vector<Hop>& arrivals);
  // Frames on `link` from `from` to `to`: a link event now, an arrival next tick.
  void Transmit(uint32_t tick, const std::string& from, const std::string& link, const std::string& to,
                const std::vector<Datagram>& datagrams);
  // RFC 1812 4.3.2.7: never about an ICMP error, never about a fragment
  // other than the first. Returns a line for the router's text.
  std::string SendIcmp(const Node& router, const Datagram& about, uint8_t type, uint8_t code,
                       const std::string& name, uint32_t next_hop_mtu);
  // The node a route hands `dst` to, or "" when nobody there owns it.
  std::string NextNode(const Route& route, Addr dst) const;

  Json TcpJson(const TcpSegment& s) const;
  Json IpJson(const Datagram& d) const;
  Json FrameJson(const Datagram& d, const Link& link, const std::string& from, const std::string& to) const;
  std::string Carries(const Datagram& d) const;
  // The TCP or ICMP header inside: only a first fragment (offset 0) has it.
  uint32_t TransportHeaderBytes(const Datagram& d) const {
    if (d.offset8 != 0) return 0;
    if (d.protocol == kProtocolIcmp) return kIcmpHeaderBytes;
    return kTcpHeaderBytes + (conn_.timestamps ? kTcpTimestampsBytes : 0);
  }
  std::string DecisionText(const Node& node, Addr dst, const Route* chosen,
                           const std::vector<const Route*>& matches) const;
  Json LookupJson(Addr dst, const Route* chosen, const std::vector<const Route*>& matches) const;

  const Network& net_;
  Request request_;
  Connection conn_;
  Walk walk_;
  std::string http_text_;
  uint32_t http_bytes_ = 0;
  std::vector<TcpSegment> segments_;
  std::vector<IcmpError> icmps_;
  std::vector<std::vector<Json>> stages_;
  std::vector<Hop> in_flight_;
  std::vector<Hop> pending_icmp_;  // ICMP errors a router made this tick, not yet sent
  std::map<std::string, Reassembler> reassembly_;
  uint32_t server_next_ = 0;  // bytes the server's TCP has delivered in order
  std::map<uint32_t, uint32_t> out_of_order_;  // offset -> length, held until the gap fills
  std::vector<std::string> drops_;
};

void WalkBuilder::BuildHttp() {
  std::vector<std::string> headers = {"Host: " + conn_.host_header, "User-Agent: sdp-layers/1", "Accept: */*"};
  if (request_.body_bytes > 0 || request_.method == "POST" || request_.method == "PUT") {
    headers.push_back("Content-Type: application/octet-stream");
    headers.push_back("Content-Length: " + std::to_string(request_.body_bytes));
  }
  // RFC 9112 2.1: start line, header fields, each ending in CRLF, an empty line.
  const std::string start = request_.method + " " + request_.path + " HTTP/1.1";
  http_text_ = start + "\r\n";
  for (const std::string& h : headers) http_text_ += h + "\r\n";
  http_text_ += "\r\n";
  const uint32_t header_bytes = static_cast<uint32_t>(http_text_.size());
  http_bytes_ = header_bytes + request_.body_bytes;
  walk_.http = {{"type", "http"},          {"start_line", start},
                {"headers", headers},      {"header_bytes", header_bytes},
                {"body_bytes", request_.body_bytes}, {"bytes", http_bytes_}};
}

std::string WalkBuilder::NextNode(const Route& route, Addr dst) const {
  if (!route.connected) return route.via;
  const Node* owner = net_.Owner(dst);
  if (owner == nullptr || owner->On(route.link) == nullptr) return "";
  return owner->name;
}

Json WalkBuilder::TcpJson(const TcpSegment& s) const {
  Json out = {{"type", "tcp"},
              {"src_port", conn_.client_port},
              {"dst_port", conn_.server_port},
              {"seq", static_cast<uint32_t>(conn_.iss + s.rel_seq)},
              {"rel_seq", s.rel_seq},
              {"ack", static_cast<uint32_t>(conn_.server_iss + 1u)},
              {"rel_ack", 1},
              {"flags", s.last ? "PSH,ACK" : "ACK"},
              {"header_bytes", kTcpHeaderBytes + (conn_.timestamps ? kTcpTimestampsBytes : 0)},
              {"len", s.len}};
  if (conn_.timestamps) out["options"] = "NOP,NOP,TS";
  return out;
}

std::string WalkBuilder::Carries(const Datagram& d) const {
  if (d.protocol == kProtocolIcmp) {
    const IcmpError& e = icmps_[static_cast<size_t>(d.payload)];
    return "ICMP " + e.name + " from " + e.reporter + " about datagram id " + std::to_string(e.about.id);
  }
  const TcpSegment& s = segments_[static_cast<size_t>(d.payload)];
  const uint32_t header = kTcpHeaderBytes + (conn_.timestamps ? kTcpTimestampsBytes : 0);
  const std::string seqs = "seq " + std::to_string(s.rel_seq) + "-" + std::to_string(s.rel_seq + s.len - 1);
  if (!d.is_fragment()) return "TCP segment, " + seqs;
  const uint32_t from = d.offset8 * 8u;
  const std::string bytes =
      "bytes " + std::to_string(from) + "-" + std::to_string(from + d.data_bytes - 1) + " of the TCP segment (" + seqs + ")";
  // Only the first fragment carries the TCP header (and so the ports).
  return from == 0 ? bytes + ", with its " + std::to_string(header) + "-byte TCP header"
                   : bytes + ": no TCP header, no ports";
}

Json WalkBuilder::IpJson(const Datagram& d) const {
  Json out = {{"type", "ip"},
              {"src", FormatAddr(d.src)},
              {"dst", FormatAddr(d.dst)},
              {"ttl", d.ttl},
              {"id", d.id},
              {"protocol", d.protocol == kProtocolTcp ? "TCP" : "ICMP"},
              {"protocol_number", d.protocol},
              {"header_bytes", kIpv4HeaderBytes},
              {"total_length", d.total_length()},
              {"data_bytes", d.data_bytes},
              {"df", d.df},
              {"mf", d.mf},
              {"offset", d.offset8},
              {"offset_bytes", d.offset8 * 8u},
              {"transport_header_bytes", TransportHeaderBytes(d)},
              {"carries", Carries(d)}};
  if (d.protocol == kProtocolIcmp) {
    const IcmpError& e = icmps_[static_cast<size_t>(d.payload)];
    out["icmp"] = {{"type", e.type}, {"code", e.code}, {"name", e.name}, {"about_id", e.about.id}};
    if (e.next_hop_mtu > 0) out["icmp"]["next_hop_mtu"] = e.next_hop_mtu;
  }
  return out;
}

Json WalkBuilder::FrameJson(const Datagram& d, const Link& link, const std::string& from, const std::string& to) const {
  const Interface* src = net_.FindNode(from)->On(link.name);
  const Interface* dst = net_.FindNode(to)->On(link.name);
  const uint32_t padding = d.total_length() < kEthernetMinPayload ? kEthernetMinPayload - d.total_length() : 0;
  return {{"type", "ethernet"},
          {"link", link.name},
          {"src_mac", src->mac},
          {"dst_mac", dst->mac},
          {"ethertype", "0x0800 (IPv4)"},
          {"header_bytes", kEthernetHeaderBytes},
          {"fcs_bytes", kEthernetFcsBytes},
          {"padding", padding},
          {"frame_bytes", kEthernetHeaderBytes + d.total_length() + padding + kEthernetFcsBytes},
          {"ip_id", d.id},
          {"ip_total_length", d.total_length()},
          {"ip_protocol", d.protocol == kProtocolTcp ? "TCP" : "ICMP"},
          {"transport_header_bytes", TransportHeaderBytes(d)}};
}

Json WalkBuilder::LookupJson(Addr dst, const Route* chosen, const std::vector<const Route*>& matches) const {
  Json m = Json::array();
  for (const Route* r : matches) m.push_back(r->prefix.ToString());
  Json out = {{"dst", FormatAddr(dst)}, {"matches", m}};
  if (chosen != nullptr) out["chosen"] = chosen->prefix.ToString();
  return out;
}

std::string WalkBuilder::DecisionText(const Node& node, Addr dst, const Route* chosen,
                                      const std::vector<const Route*>& matches) const {
  if (chosen == nullptr) return "no route in " + node.name + "'s table matches " + FormatAddr(dst);
  std::string text = "longest match for " + FormatAddr(dst) + " is " + chosen->prefix.ToString() +
                     (chosen->connected ? " (directly connected on " + chosen->link + ")" : " via " + chosen->via);
  if (matches.size() > 1) {
    text += ", over";
    for (size_t i = 1; i < matches.size(); ++i) text += (i > 1 ? ", " : " ") + matches[i]->prefix.ToString();
  }
  return text;
}

void WalkBuilder::Transmit(uint32_t tick, const std::string& from, const std::string& link_name, const std::string& to,
                           const std::vector<Datagram>& datagrams) {
  const Link& link = *net_.FindLink(link_name);
  Json frames = Json::array();
  uint32_t largest = 0;
  for (const Datagram& d : datagrams) {
    frames.push_back(FrameJson(d, link, from, to));
    largest = std::max(largest, frames.back()["frame_bytes"].get<uint32_t>());
    in_flight_.push_back({d, to, link_name});
  }
  Event(tick, from, "link", "transmit",
        Plural(datagrams.size(), "Ethernet frame", "Ethernet frames") + " on " + link_name + " to " + to +
            " (14-byte header + 4-byte FCS around each datagram; largest frame " + std::to_string(largest) +
            " bytes, MTU " + std::to_string(link.mtu) + ").",
        std::move(frames))["link"] = link_name;
}

void WalkBuilder::ClientDown() {
  const std::string& client = conn_.client;
  Event(0, client, "application", "send",
        "The browser writes an HTTP request: \"" + walk_.http["start_line"].get<std::string>() + "\", " +
            std::to_string(walk_.http["header_bytes"].get<uint32_t>()) + " bytes of request line and headers" +
            (request_.body_bytes > 0 ? " and a " + std::to_string(request_.body_bytes) + "-byte body" : "") + ".",
        Json::array({walk_.http}));
  // Linux subtracts the options it puts on every segment from the MSS.
  const uint32_t per_segment = conn_.mss - (conn_.timestamps ? kTcpTimestampsBytes : 0);
  Json tcp = Json::array();
  for (uint32_t done = 0; done < http_bytes_;) {
    const uint32_t len = std::min(per_segment, http_bytes_ - done);
    segments_.push_back({conn_.next_rel_seq + done, len, done + len == http_bytes_});
    tcp.push_back(TcpJson(segments_.back()));
    done += len;
  }
  walk_.segments = static_cast<uint32_t>(segments_.size());
  Event(1, client, "transport", "segment",
        "TCP cuts the " + std::to_string(http_bytes_) + " bytes into " + Plural(segments_.size(), "segment", "segments") +
            " of at most " + std::to_string(per_segment) + " data bytes (MSS " + std::to_string(conn_.mss) +
            (conn_.timestamps ? ", less 12 for the timestamps option" : "") + "), each with a " +
            std::to_string(kTcpHeaderBytes + (conn_.timestamps ? kTcpTimestampsBytes : 0)) +
            "-byte header: ports " + std::to_string(conn_.client_port) + " -> " + std::to_string(conn_.server_port) +
            ", sequence numbers from " + std::to_string(conn_.next_rel_seq) + " (relative).",
        std::move(tcp));
  std::vector<Datagram> datagrams;
  const Node& node = *net_.FindNode(client);
  const Node& server = *net_.FindNode(conn_.server);
  for (size_t i = 0; i < segments_.size(); ++i) {
    Datagram d;
    d.src = node.interfaces.front().addr;
    d.dst = server.interfaces.front().addr;
    d.ttl = request_.ttl;
    d.id = conn_.next_ip_id++;
    d.protocol = kProtocolTcp;
    d.df = request_.df;
    d.data_bytes = kTcpHeaderBytes + (conn_.timestamps ? kTcpTimestampsBytes : 0) + segments_[i].len;
    d.payload = static_cast<int32_t>(i);
    datagrams.push_back(d);
  }
  walk_.datagrams = static_cast<uint32_t>(datagrams.size());
  HostSend(2, client, std::move(datagrams));
}

void WalkBuilder::HostSend(uint32_t tick, const std::string& host, std::vector<Datagram> datagrams) {
  const Node& node = *net_.FindNode(host);
  std::vector<const Route*> matches;
  const Addr dst = datagrams.front().dst;
  const Route* route = node.table.Lookup(dst, &matches);
  std::string text = "IP puts each segment in a datagram (20-byte header, TTL " + std::to_string(request_.ttl) +
                     (request_.df ? ", DF set" : "") + ", identification " + std::to_string(datagrams.front().id) +
                     (datagrams.size() > 1 ? " to " + std::to_string(datagrams.back().id) : "") + "); " +
                     DecisionText(node, dst, route, matches);
  Json pdus = Json::array();
  for (const Datagram& d : datagrams) pdus.push_back(IpJson(d));
  const std::string next = route ? NextNode(*route, dst) : "";
  if (route == nullptr || next.empty()) {
    const std::string why = route == nullptr ? "no route: the host cannot send (ENETUNREACH)"
                                             : "nobody on " + route->link + " owns " + FormatAddr(dst);
    walk_.outcome = "not sent: " + why;
    Event(tick, host, "network", "drop", text + ". Not sent: " + why + ".", std::move(pdus));
    return;
  }
  const Link& link = *net_.FindLink(route->link);
  std::vector<Datagram> out;
  bool too_big = false;
  for (const Datagram& d : datagrams) {
    if (d.total_length() > link.mtu && d.df) {
      too_big = true;
      continue;
    }
    std::vector<Datagram> pieces = Fragment(d, link.mtu);
    walk_.fragments_created += static_cast<uint32_t>(pieces.size() - 1);
    out.insert(out.end(), pieces.begin(), pieces.end());
  }
  text += ", out on " + link.name + " (MTU " + std::to_string(link.mtu) + ")";
  if (too_big) {
    text += "; a datagram larger than the MTU with DF set is refused on the spot (EMSGSIZE)";
    drops_.push_back("too big for " + link.name + " at the client");
  }
  if (out.size() > datagrams.size()) text += "; fragmented into " + Plural(out.size(), "datagram", "datagrams");
  Json& event = Event(tick, host, "network", "route", text + ".", std::move(pdus));
  event["lookups"] = Json::array({LookupJson(dst, route, matches)});
  if (!out.empty()) Transmit(tick + 1, host, link.name, next, out);
}

std::string WalkBuilder::SendIcmp(const Node& router, const Datagram& about, uint8_t type,
                                  uint8_t code, const std::string& name, uint32_t next_hop_mtu) {
  if (about.protocol == kProtocolIcmp) return " (no ICMP error about an ICMP error)";
  if (about.offset8 != 0) return " (no ICMP error about a fragment other than the first)";
  std::vector<const Route*> matches;
  const Route* route = router.table.Lookup(about.src, &matches);
  const std::string next = route ? NextNode(*route, about.src) : "";
  if (route == nullptr || next.empty()) return " (no route back to " + FormatAddr(about.src) + ": no ICMP error sent)";
  icmps_.push_back({type, code, name, about, next_hop_mtu, router.name});
  Datagram icmp;
  // RFC 1812 4.3.2.4: the source is an address of the interface it leaves by.
  icmp.src = router.On(route->link)->addr;
  icmp.dst = about.src;
  icmp.ttl = kIcmpTtl;
  icmp.id = static_cast<uint16_t>(0x4000 + icmps_.size());
  icmp.protocol = kProtocolIcmp;
  icmp.data_bytes = std::min(kIcmpErrorMaxBytes - kIpv4HeaderBytes, kIcmpHeaderBytes + about.total_length());
  icmp.payload = static_cast<int32_t>(icmps_.size() - 1);
  ++walk_.icmp_sent;
  const uint32_t mtu = net_.FindLink(route->link)->mtu;
  for (const Datagram& piece : Fragment(icmp, mtu)) {
    Hop hop{piece, next, route->link};
    // Sent this tick, beside the router's data: the link event gathers them.
    pending_icmp_.push_back(hop);
  }
  return "; ICMP " + name + " sent back to " + FormatAddr(about.src);
}


void WalkBuilder::RouterTick(uint32_t tick, const std::string& router_name, const std::vector<Hop>& arrivals) {
  const Node& router = *net_.FindNode(router_name);
  std::vector<std::pair<std::string, std::vector<Datagram>>> out;  // by link, in first-use order
  const auto send = [&](const std::string& link, const Datagram& d) {
    for (auto& [name, list] : out) {
      if (name == link) {
        list.push_back(d);
        return;
      }
    }
    out.push_back({link, {d}});
  };
  std::vector<std::string> lines;
  const auto line = [&](const std::string& text) {
    if (std::find(lines.begin(), lines.end(), text) == lines.end()) lines.push_back(text);
  };
  Json pdus = Json::array();
  Json lookups = Json::array();
  std::vector<Addr> looked_up;
  uint32_t dropped = 0;
  std::string from_links;
  for (const Hop& hop : arrivals) {
    if (from_links.find(hop.link) == std::string::npos) from_links += (from_links.empty() ? "" : ", ") + hop.link;
  }
  for (const Hop& hop : arrivals) {
    Datagram d = hop.datagram;
    std::vector<const Route*> matches;
    const Route* route = router.table.Lookup(d.dst, &matches);
    if (std::find(looked_up.begin(), looked_up.end(), d.dst) == looked_up.end()) {
      looked_up.push_back(d.dst);
      lookups.push_back(LookupJson(d.dst, route, matches));
      line(DecisionText(router, d.dst, route, matches));
    }
    Json pdu = IpJson(d);
    const auto drop = [&](const std::string& why, uint8_t type, uint8_t code, const std::string& name, uint32_t mtu) {
      pdu["dropped"] = why;
      pdus.push_back(pdu);
      ++dropped;
      drops_.push_back(why + " at " + router.name);
      line("dropped: " + why + SendIcmp(router, d, type, code, name, mtu));
    };
    if (route == nullptr) {
      drop("no route to " + FormatAddr(d.dst), 3, 0, "Destination Unreachable (net unreachable)", 0);
      continue;
    }
    if (d.ttl <= 1) {
      drop("TTL " + std::to_string(d.ttl) + " would reach 0", 11, 0, "Time Exceeded (TTL exceeded in transit)", 0);
      continue;
    }
    const std::string next = NextNode(*route, d.dst);
    if (next.empty()) {
      drop("nobody on " + route->link + " owns " + FormatAddr(d.dst), 3, 1,
           "Destination Unreachable (host unreachable)", 0);
      continue;
    }
    const Link& link = *net_.FindLink(route->link);
    if (d.total_length() > link.mtu && d.df) {
      drop(std::to_string(d.total_length()) + " bytes with DF set do not fit " + link.name + "'s MTU of " +
               std::to_string(link.mtu),
           3, 4, "Destination Unreachable (fragmentation needed, next-hop MTU " + std::to_string(link.mtu) + ")",
           link.mtu);
      continue;
    }
    const uint8_t ttl_in = d.ttl;
    d.ttl = static_cast<uint8_t>(d.ttl - 1);
    std::vector<Datagram> pieces = Fragment(d, link.mtu);
    walk_.fragments_created += static_cast<uint32_t>(pieces.size() - 1);
    walk_.forwarded += static_cast<uint32_t>(pieces.size());
    line("TTL " + std::to_string(ttl_in) + " -> " + std::to_string(d.ttl));
    if (pieces.size() > 1) {
      const uint32_t most = (link.mtu - kIpv4HeaderBytes) / 8 * 8;
      line("too big for " + link.name + " (MTU " + std::to_string(link.mtu) + "): split into fragments of at most " +
           std::to_string(most) + " data bytes (a multiple of 8)");
    }
    for (const Datagram& piece : pieces) {
      Json p = IpJson(piece);
      p["out"] = link.name;
      pdus.push_back(p);
      send(link.name, piece);
    }
    line("out on " + link.name + " to " + next);
  }
  for (const Hop& hop : pending_icmp_) send(hop.link, hop.datagram);
  for (const Hop& hop : pending_icmp_) pdus.push_back(IpJson(hop.datagram));
  pending_icmp_.clear();
  std::string text = router.name + ": " + Plural(arrivals.size(), "datagram", "datagrams") + " in from " + from_links + "; ";
  for (size_t i = 0; i < lines.size(); ++i) text += (i ? "; " : "") + lines[i];
  Json& event = Event(tick, router.name, "network", "forward", text + ".", std::move(pdus));
  event["lookups"] = std::move(lookups);
  event["dropped"] = dropped;
  for (const auto& [link_name, list] : out) {
    Transmit(tick, router.name, link_name, net_.FindLink(link_name)->Other(router.name), list);
  }
}

void WalkBuilder::HostTick(uint32_t tick, const std::string& host, const std::vector<Hop>& arrivals) {
  const Node& node = *net_.FindNode(host);
  Json frames = Json::array();
  for (const Hop& hop : arrivals) frames.push_back(IpJson(hop.datagram));
  Event(tick, host, "link", "receive",
        host + " receives " + Plural(arrivals.size(), "frame", "frames") + " on " + arrivals.front().link +
            ": EtherType 0x0800, so each payload goes to IPv4.",
        std::move(frames));
  std::vector<Datagram> whole;
  uint32_t fragments = 0;
  Reassembler& reassembler = reassembly_[host];
  uint32_t not_mine = 0;
  for (const Hop& hop : arrivals) {
    if (net_.Owner(hop.datagram.dst) != &node) {  // hosts do not forward (RFC 1122 3.3.4.1)
      ++not_mine;
      continue;
    }
    if (hop.datagram.is_fragment()) ++fragments;
    if (auto done = reassembler.Add(hop.datagram)) whole.push_back(*done);
  }
  Json pdus = Json::array();
  for (const Datagram& d : whole) pdus.push_back(IpJson(d));
  std::string text = "IP checks the destination (" + host + "'s own address)";
  if (fragments > 0) {
    text += "; " + Plural(fragments, "fragment", "fragments") + " put back together by identification and offset: " +
            Plural(whole.size(), "datagram", "datagrams") + " complete" +
            (reassembler.pending() ? ", " + Plural(reassembler.pending(), "still waits", "still wait") + " for pieces" : "");
  }
  if (not_mine > 0) text += "; " + Plural(not_mine, "datagram is", "datagrams are") + " for another address: discarded, hosts do not forward";
  text += "; payloads go to " + std::string(whole.empty() ? "nobody yet" : whole.front().protocol == kProtocolTcp ? "TCP" : "ICMP") + ".";
  Event(tick + 1, host, "network", fragments ? "reassemble" : "receive", text, std::move(pdus));
  if (whole.empty()) return;
  Json tcp = Json::array();
  std::vector<std::string> icmp_lines;
  for (const Datagram& d : whole) {
    if (d.protocol == kProtocolTcp) {
      const TcpSegment& s = segments_[static_cast<size_t>(d.payload)];
      tcp.push_back(TcpJson(s));
      out_of_order_[s.rel_seq - conn_.next_rel_seq] = s.len;
      for (auto it = out_of_order_.begin(); it != out_of_order_.end() && it->first == server_next_;) {
        server_next_ += it->second;
        it = out_of_order_.erase(it);
      }
      continue;
    }
    const IcmpError& e = icmps_[static_cast<size_t>(d.payload)];
    // RFC 1122 4.2.3.9: Time Exceeded and most Destination Unreachable codes
    // are soft errors for TCP; Fragmentation Needed lowers the path MTU (RFC 1191).
    icmp_lines.push_back(
        e.type == 3 && e.code == 4
            ? "ICMP Fragmentation Needed from " + e.reporter + ": TCP would lower its path MTU to " +
                  std::to_string(e.next_hop_mtu) + " and send the segment again, smaller (RFC 1191; not shown)"
            : "ICMP " + e.name + " from " + e.reporter + ": a soft error for TCP (RFC 1122 4.2.3.9): the connection stays, and the segment is sent again when its retransmission timer expires (not shown)");
  }
  if (!tcp.empty()) {
    const uint32_t before = walk_.bytes_delivered;
    walk_.bytes_delivered = server_next_;
    const std::string took = "TCP on port " + std::to_string(conn_.server_port) + " takes " +
                             Plural(tcp.size(), "segment", "segments");
    Event(tick + 2, host, "transport", "deliver",
          server_next_ > before
              ? took + " and hands bytes " + std::to_string(before + 1) + "-" + std::to_string(server_next_) +
                    " of the stream to the application, in order (its ACKs back are not shown)."
              : took + " but holds them: earlier bytes are missing, and TCP delivers only in order.",
          std::move(tcp));
    if (server_next_ == http_bytes_) {
      walk_.delivered = true;
      Event(tick + 3, host, "application", "receive",
            "The web server reads the whole request (" + std::to_string(http_bytes_) + " bytes): \"" +
                walk_.http["start_line"].get<std::string>() + "\".",
            Json::array({walk_.http}));
    }
  }
  for (const std::string& l : icmp_lines) Event(tick + 2, host, "transport", "icmp", l + ".", Json::array());
}

Status WalkBuilder::Run(Walk* walk) {
  walk_.request = request_;
  BuildHttp();
  const uint32_t per_segment = conn_.mss - (conn_.timestamps ? kTcpTimestampsBytes : 0);
  const uint64_t segments = (http_bytes_ + static_cast<uint64_t>(per_segment) - 1) / per_segment;
  if (segments > kMaxSegments) {
    return Status::Invalid("request: " + std::to_string(http_bytes_) + " bytes at " + std::to_string(per_segment) +
                           " data bytes per segment would be " + std::to_string(segments) + " segments; at most " +
                           std::to_string(kMaxSegments) + " (send a smaller body or raise mss)");
  }
  ClientDown();
  uint32_t tick = kClientStages;
  while (!in_flight_.empty()) {
    if (in_flight_.size() > kMaxPacketsPerStage) {
      return Status::Invalid("request: " + std::to_string(in_flight_.size()) + " packets would be on the way at once; at most " +
                             std::to_string(kMaxPacketsPerStage) + " (send a smaller body, or raise the smallest MTU)");
    }
    SDP_CHECK(tick < kMaxStages);
    std::vector<Hop> arrivals = std::move(in_flight_);
    in_flight_.clear();
    std::vector<std::pair<std::string, std::vector<Hop>>> by_node;  // in arrival order
    for (const Hop& hop : arrivals) {
      auto it = std::find_if(by_node.begin(), by_node.end(), [&](const auto& g) { return g.first == hop.to; });
      if (it == by_node.end()) {
        by_node.push_back({hop.to, {}});
        it = by_node.end() - 1;
      }
      it->second.push_back(hop);
    }
    for (const auto& [node, hops] : by_node) {
      if (net_.FindNode(node)->router) {
        RouterTick(tick, node, hops);
      } else {
        HostTick(tick, node, hops);
      }
    }
    ++tick;
  }
  if (walk_.delivered) {
    walk_.outcome = "delivered: the server read all " + std::to_string(http_bytes_) + " bytes";
  } else if (walk_.outcome.empty()) {
    walk_.outcome = "not delivered: " + (drops_.empty() ? std::string("lost") : drops_.front());
  }
  conn_.next_rel_seq += http_bytes_;
  for (std::vector<Json>& events : stages_) walk_.stages.push_back({{"events", std::move(events)}});
  *walk = std::move(walk_);
  return Status::Ok();
}

}  // namespace

Result<Walk> BuildWalk(const Network& network, const Request& request, Connection* connection) {
  WalkBuilder builder(network, request, *connection);
  Walk walk;
  Status status = builder.Run(&walk);
  if (!status.ok()) return status;
  *connection = builder.connection();
  return walk;
}

}  // namespace sdp::layers

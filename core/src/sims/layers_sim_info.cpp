// The declaration of `layers`: config fields, ops, and how fields map onto the config.
#include "sdp/layers_sim.h"

namespace sdp {

namespace {

std::vector<std::string> NodeNames() {
  std::vector<std::string> out;
  const layers::Network net = layers::Network::Default();  // outlives the loop
  for (const layers::Node& n : net.nodes()) out.push_back(n.name);
  return out;
}

FieldSpec RouterField() {
  return EnumField("router", true, layers::Network::Default().RouterNames(), "the router whose table changes");
}

FieldSpec PrefixField() {
  return StringField("prefix", true, 9, 18, "destination prefix a.b.c.d/len, e.g. 203.0.113.0/24 (0.0.0.0/0: the default route)");
}

}  // namespace

SimInfo LayersSimInfo() {
  SimInfo info;
  info.name = "layers";
  info.help = "One HTTP request down the stack (HTTP, TCP, IPv4, Ethernet), hop by hop through routers "
              "(longest-prefix match, TTL, fragmentation at the MTU, ICMP errors), and back up";
  info.config = {
      IntField("mss", false, 88, 65495, "TCP maximum segment size in bytes (default 1460 = 1500 - 40); 88 is Linux's floor"),
      IntField("ttl", false, 1, 255, "TTL the client's datagrams start with (default 64, Linux's)"),
      BoolField("tcp_timestamps", false, "put the 12-byte timestamps option (RFC 7323) on every segment, as Linux does (default false)"),
  };
  info.ops = {
      {"request", "the client sends an HTTP request to the server over its TCP connection; shows the first stage",
       {EnumField("method", false, {"GET", "POST", "PUT"}, "HTTP method (default GET)"),
        StringField("path", false, 1, 200, "request target, e.g. /index.html (default)"),
        IntField("body_bytes", false, 0, 65536, "body size in bytes (default 0)"),
        IntField("ttl", false, 1, 255, "TTL of this request's datagrams (default: the config's ttl)"),
        BoolField("dont_fragment", false, "set DF: a router drops a datagram too big for the next link and sends ICMP Fragmentation Needed (default false)")}},
      {"step", "show the next stage(s) of the walk", {IntField("count", false, 1, 1000, "how many stages (default 1)")}},
      {"run", "show the last stage of the walk (at the end already: nothing changes)", {}},
      {"set_mtu", "change a link's MTU (applies to the next request)",
       {EnumField("link", true, layers::Network::Default().LinkNames(), "which link"),
        IntField("mtu", true, layers::kMinimumMtu, layers::kMaximumMtu, "bytes; RFC 791: at least 68")}},
      {"set_route", "add a route to a router's table, or replace the one with the same prefix",
       {RouterField(), PrefixField(), EnumField("via", true, NodeNames(), "the neighbour that gets matching packets")}},
      {"remove_route", "remove a route from a router's table", {RouterField(), PrefixField()}},
  };
  info.create = [](uint64_t seed, const Json& config) -> Result<std::unique_ptr<Simulation>> {
    LayersSimConfig c;
    c.mss = config.value("mss", c.mss);
    c.ttl = config.value("ttl", c.ttl);
    c.tcp_timestamps = config.value("tcp_timestamps", c.tcp_timestamps);
    return std::unique_ptr<Simulation>(std::make_unique<LayersSim>(seed, c));
  };
  return info;
}

}  // namespace sdp

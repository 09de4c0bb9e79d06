#include "sdp/layers/network.h"

#include <algorithm>

namespace sdp::layers {

namespace {

constexpr Addr Ip(uint32_t a, uint32_t b, uint32_t c, uint32_t d) { return (a << 24) | (b << 16) | (c << 8) | d; }

// Longest prefix first, so that a lookup can stop at the first match; then
// by address, so that the table prints in one stable order.
bool MoreSpecific(const Route& x, const Route& y) {
  if (x.prefix.length != y.prefix.length) return x.prefix.length > y.prefix.length;
  return x.prefix.addr < y.prefix.addr;
}

}  // namespace

const Route* RoutingTable::Lookup(Addr dst, std::vector<const Route*>* matches) const {
  const Route* best = nullptr;
  for (const Route& r : routes_) {
    if (!r.prefix.Contains(dst)) continue;
    if (best == nullptr) best = &r;
    if (matches == nullptr) break;
    matches->push_back(&r);
  }
  return best;
}

void RoutingTable::Set(const Route& route) {
  for (Route& r : routes_) {
    if (r.prefix == route.prefix) {
      r = route;
      return;
    }
  }
  routes_.push_back(route);
  std::sort(routes_.begin(), routes_.end(), MoreSpecific);
}

void RoutingTable::Remove(const Prefix& prefix) {
  const auto it = std::find_if(routes_.begin(), routes_.end(), [&](const Route& r) { return r.prefix == prefix; });
  SDP_CHECK(it != routes_.end());
  routes_.erase(it);
}

const Route* RoutingTable::Find(const Prefix& prefix) const {
  for (const Route& r : routes_) {
    if (r.prefix == prefix) return &r;
  }
  return nullptr;
}

const Interface* Node::On(std::string_view link) const {
  for (const Interface& i : interfaces) {
    if (i.link == link) return &i;
  }
  return nullptr;
}

Node* Network::FindNode(std::string_view name) {
  for (Node& n : nodes_) {
    if (n.name == name) return &n;
  }
  return nullptr;
}

const Node* Network::FindNode(std::string_view name) const { return const_cast<Network*>(this)->FindNode(name); }

Link* Network::FindLink(std::string_view name) {
  for (Link& l : links_) {
    if (l.name == name) return &l;
  }
  return nullptr;
}

const Link* Network::FindLink(std::string_view name) const { return const_cast<Network*>(this)->FindLink(name); }

const Link* Network::Between(std::string_view a, std::string_view b) const {
  for (const Link& l : links_) {
    if ((l.a == a && l.b == b) || (l.a == b && l.b == a)) return &l;
  }
  return nullptr;
}

const Node* Network::Owner(Addr addr) const {
  for (const Node& n : nodes_) {
    for (const Interface& i : n.interfaces) {
      if (i.addr == addr) return &n;
    }
  }
  return nullptr;
}

std::vector<std::string> Network::RouterNames() const {
  std::vector<std::string> out;
  for (const Node& n : nodes_) {
    if (n.router) out.push_back(n.name);
  }
  return out;
}

std::vector<std::string> Network::LinkNames() const {
  std::vector<std::string> out;
  for (const Link& l : links_) out.push_back(l.name);
  return out;
}

void Network::AddLink(const std::string& name, const std::string& a, Addr a_addr, const std::string& b, Addr b_addr,
                      uint8_t prefix_length, uint32_t mtu) {
  links_.push_back({name, a, b, mtu});
  const Prefix subnet{a_addr & Prefix{0, prefix_length}.Mask(), prefix_length};
  for (const auto& [node_name, addr] : {std::pair{a, a_addr}, std::pair{b, b_addr}}) {
    Node* node = FindNode(node_name);
    SDP_CHECK(node != nullptr);
    // 02:... is a locally administered unicast MAC (IEEE 802): made up, unique here.
    const uint32_t n = static_cast<uint32_t>(node - nodes_.data());
    const uint32_t i = static_cast<uint32_t>(node->interfaces.size());
    const char hex[] = "0123456789abcdef";
    std::string mac = "02:00:00:00:0";
    mac += hex[n & 15];
    mac += ":0";
    mac += hex[i & 15];
    node->interfaces.push_back({name, addr, prefix_length, mac});
    node->table.Set({subnet, "", name, true});
  }
}

Network Network::Default() {
  Network net;
  for (const char* name : {"client", "R1", "R2", "R3", "R4", "server"}) {
    net.nodes_.push_back({name, name[0] == 'R', {}, {}});
  }
  net.AddLink("lan", "client", Ip(192, 168, 1, 10), "R1", Ip(192, 168, 1, 1), 24, 1500);
  net.AddLink("R1-R2", "R1", Ip(10, 0, 12, 1), "R2", Ip(10, 0, 12, 2), 24, 1500);
  net.AddLink("R2-R3", "R2", Ip(10, 0, 23, 2), "R3", Ip(10, 0, 23, 3), 24, 1500);
  net.AddLink("R1-R4", "R1", Ip(10, 0, 14, 1), "R4", Ip(10, 0, 14, 4), 24, 1500);
  // 576: the datagram size RFC 791 says every host must be ready to accept.
  net.AddLink("R4-R3", "R4", Ip(10, 0, 43, 4), "R3", Ip(10, 0, 43, 3), 24, 576);
  net.AddLink("dc", "R3", Ip(203, 0, 113, 1), "server", Ip(203, 0, 113, 80), 24, 1500);
  const auto route = [&](const char* node, Prefix prefix, const char* via) {
    Node* n = net.FindNode(node);
    const Link* link = net.Between(node, via);
    SDP_CHECK(n != nullptr && link != nullptr);
    n->table.Set({prefix, via, link->name, false});
  };
  const Prefix any{0, 0};
  const Prefix home{Ip(192, 168, 1, 0), 24};
  const Prefix site{Ip(203, 0, 113, 0), 24};
  route("client", any, "R1");
  route("server", any, "R3");
  // R1 sends the site's upper quarter (203.0.113.64/26, where the server is)
  // by R4, the rest by R2: longest match picks R4 for the server.
  route("R1", any, "R2");
  route("R1", site, "R2");
  route("R1", {Ip(203, 0, 113, 64), 26}, "R4");
  route("R2", home, "R1");
  route("R2", any, "R3");
  route("R4", home, "R1");
  route("R4", site, "R3");
  route("R3", {Ip(192, 168, 0, 0), 16}, "R2");
  route("R3", {Ip(10, 0, 12, 0), 24}, "R2");
  route("R3", {Ip(10, 0, 14, 0), 24}, "R4");
  return net;
}

}  // namespace sdp::layers

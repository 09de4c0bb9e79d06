// The `layers` sim's network: two hosts and four routers joined by named
// links, each with its own MTU, and a routing table per node.
//
//   client --lan-- R1 --R1-R2-- R2 --R2-R3-- R3 --dc-- server
//                   \                       /
//                    --R1-R4-- R4 --R4-R3--
//
// Routing is longest-prefix match (RFC 1812 5.2.4.3, "Longest Match"): of
// the routes whose prefix contains the destination, the one with the most
// prefix bits wins; the default route 0.0.0.0/0 matches everything and so
// wins only when nothing else does. Connected routes come from a node's
// interfaces and cannot be removed; the others name a neighbour as next hop.
#ifndef SDP_LAYERS_NETWORK_H_
#define SDP_LAYERS_NETWORK_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sdp/layers/ipv4.h"

namespace sdp::layers {

struct Interface {
  std::string link;
  Addr addr = 0;
  uint8_t prefix_length = 24;
  std::string mac;  // locally administered, for the Ethernet header
};

struct Route {
  Prefix prefix;
  std::string via;   // the neighbour to hand the packet to; "" when connected
  std::string link;  // the link it leaves by
  bool connected = false;
};

class RoutingTable {
 public:
  // The longest match for `dst`, or nullptr; `matches` (if given) receives
  // every route that contains it, longest first.
  const Route* Lookup(Addr dst, std::vector<const Route*>* matches = nullptr) const;
  // Adds, or replaces the route with the same prefix.
  void Set(const Route& route);
  // REQUIRES: a route with that prefix exists.
  void Remove(const Prefix& prefix);
  const Route* Find(const Prefix& prefix) const;
  // Longest prefix first, then by address: the order a lookup tries them.
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

struct Node {
  std::string name;
  bool router = false;
  std::vector<Interface> interfaces;
  RoutingTable table;

  const Interface* On(std::string_view link) const;
};

struct Link {
  std::string name;
  std::string a;
  std::string b;
  uint32_t mtu = 1500;

  const std::string& Other(std::string_view node) const { return node == a ? b : a; }
};

class Network {
 public:
  // The topology drawn above, with its default MTUs and routes.
  static Network Default();

  Node* FindNode(std::string_view name);
  const Node* FindNode(std::string_view name) const;
  Link* FindLink(std::string_view name);
  const Link* FindLink(std::string_view name) const;
  // The link joining two nodes directly, or nullptr.
  const Link* Between(std::string_view a, std::string_view b) const;
  // The node owning `addr` on some interface, or nullptr.
  const Node* Owner(Addr addr) const;

  const std::vector<Node>& nodes() const { return nodes_; }
  const std::vector<Link>& links() const { return links_; }
  std::vector<std::string> RouterNames() const;
  std::vector<std::string> LinkNames() const;

 private:
  void AddLink(const std::string& name, const std::string& a, Addr a_addr, const std::string& b, Addr b_addr,
               uint8_t prefix_length, uint32_t mtu);

  std::vector<Node> nodes_;
  std::vector<Link> links_;
};

}  // namespace sdp::layers

#endif  // SDP_LAYERS_NETWORK_H_

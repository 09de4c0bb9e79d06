// Simulation `layers`: one HTTP request walking down the client's stack
// (HTTP -> TCP segments at the MSS -> IPv4 datagrams -> Ethernet frames),
// hop by hop through routers (longest-prefix match, TTL, fragmentation at
// each link's MTU, ICMP errors back), and up the server's stack
// (reassembly, in-order delivery, the request read whole). See
// sdp/layers/walk.h for the stages and sdp/layers/network.h for the
// network and its routes.
//
// A `request` builds the whole walk at once and shows its first stage;
// `step` and `run` move through it. Routes and MTUs can be changed between
// requests; a change applies to the next request, never to one on its way.
//
// Invariants: the ports, the initial sequence numbers and the first IP
// identification are drawn from the seeded Rng; sequence numbers and
// identifications continue from one request to the next (one connection);
// a refused op changes nothing.
#ifndef SDP_LAYERS_SIM_H_
#define SDP_LAYERS_SIM_H_

#include <cstdint>
#include <optional>
#include <string>

#include "sdp/layers/network.h"
#include "sdp/layers/walk.h"
#include "sdp/random.h"
#include "sdp/clone.h"
#include "sdp/simulation.h"

namespace sdp {

struct LayersSimConfig {
  uint32_t mss = 1460;          // bytes: Ethernet's 1500 less 40 of IPv4 + TCP headers
  uint32_t ttl = 64;            // Linux's default (net.ipv4.ip_default_ttl)
  bool tcp_timestamps = false;  // RFC 7323 option on every segment: 12 bytes of each MSS
};

class LayersSim : public Cloneable<LayersSim, Simulation> {
 public:
  LayersSim(uint64_t seed, const LayersSimConfig& config);

  Result<Json> Apply(const std::string& op, const Json& args) override;
  Json Snapshot(Detail detail) const override;
  uint64_t Work() const override { return work_; }

  const layers::Network& network() const { return network_; }
  const std::optional<layers::Walk>& walk() const { return walk_; }
  uint32_t position() const { return position_; }

 private:
  Result<Json> SendRequest(const Json& args);
  Result<Json> SetRoute(const Json& args);
  Result<Json> RemoveRoute(const Json& args);
  Json StageResult() const;
  Json WalkJson(Detail detail) const;
  Json NetworkJson() const;

  LayersSimConfig config_;
  Rng rng_;
  layers::Network network_;
  layers::Connection connection_;
  std::optional<layers::Walk> walk_;
  uint32_t position_ = 0;  // the stage on show
  uint64_t requests_ = 0;
  uint64_t delivered_ = 0;
  uint64_t work_ = 0;
};

SimInfo LayersSimInfo();

}  // namespace sdp

#endif  // SDP_LAYERS_SIM_H_

// Simulation `hash_lab`: one key set, six placement schemes, side by side.
//
// The user adds, removes and fails nodes once; every scheme reacts in
// lockstep, and the lab measures what each change cost (keys moved, against
// the ideal: the changed node's share of the weight), how even the load is,
// what a lookup costs and how much memory the scheme holds:
//
//   ring        consistent hashing with virtual nodes (our hash_ring: murmur3)
//   ketama      the same idea as npm `hashring` builds it (libketama's layout,
//               but hashring's double-precision digest count)
//   jump        jump consistent hash (buckets in the order nodes joined)
//   rendezvous  highest random weight, weighted
//   maglev      Maglev's lookup table of prime size M
//   bounded     the ring with bounded loads (Mirrokni et al. 2018) as HAProxy's
//               hash-balance-factor does it: ceil((served + 1) * factor / 100)
//               slots split by weight; a request walks clockwise past full nodes
//
// Requests are keys in arrival order; with `zipf` > 0 they repeat a few hot
// keys, which is what bounded loads exist for.
//
// Invariants: after every change each scheme's owners are recomputed from
// scratch for all requests; a refused op changes nothing.
//
// Simplified: jump can only grow or shrink at the end, so removing a node from
// the middle moves the last bucket's node into its place (what real users of
// jump do); weights are ignored by jump and Maglev (equal shares), and bounded
// loads re-assign every request in order after a change (no state is kept
// about where a request "was" beyond its previous owner).
#ifndef SDP_HASH_LAB_SIM_H_
#define SDP_HASH_LAB_SIM_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sdp/consistent_hash_ring.h"
#include "sdp/placement.h"
#include "sdp/random.h"
#include "sdp/clone.h"
#include "sdp/simulation.h"

namespace sdp {

class HashLabSim : public Cloneable<HashLabSim, Simulation> {
 public:
  enum Scheme : uint32_t { kRing, kKetama, kJump, kRendezvous, kMaglev, kBounded, kSchemes };
  static const char* SchemeName(uint32_t scheme);

  static constexpr uint32_t kMaxNodes = 100;
  static constexpr uint32_t kMaxRequests = 100000;
  static constexpr uint32_t kMaxTableSize = 1000003;

  struct Config {
    uint32_t vnodes = 160;                                 // ring points per unit of weight
    uint32_t ketama_vnodes = KetamaRing::kDefaultVnodes;   // MD5 digests (x4 points) per server
    uint32_t table_size = MaglevTable::kDefaultSize;       // Maglev M, prime
    double epsilon = 0.25;                                 // bounded loads: factor 100 x (1+eps)
  };

  HashLabSim(uint64_t seed, const Config& config);

  Result<Json> Apply(const std::string& op, const Json& args) override;
  Json Snapshot(Detail detail) const override;
  uint64_t Work() const override { return work_; }
  // owners:<scheme> (node index per request), key_position (ring hash per request).
  std::vector<uint32_t> Column(std::string_view name) const override;

  const std::vector<PlacedNode>& nodes() const { return nodes_; }
  const std::vector<uint32_t>& owners(uint32_t scheme) const { return owners_[scheme]; }

 private:
  struct Request {
    std::string key;
    uint32_t ring_position;  // murmur3: ring and bounded
    uint64_t key_hash;       // xxHash64: jump's integer key
  };
  Result<Json> AddNode(const std::string& id, double weight);
  Result<Json> RemoveNode(const std::string& id, bool failed);
  Result<Json> AddRequests(uint32_t count, const std::string& prefix, double zipf);
  Result<Json> Set(const Json& args);
  Result<Json> Lookup(const std::string& key) const;
  Result<Json> Sweep(const std::string& scheme) const;

  int32_t FindNode(std::string_view id) const;
  // Node ids in index order: what owner indices meant before a change.
  std::vector<std::string> NodeIds() const;
  void RebuildSchemes();
  // Recomputes every scheme's owners; returns the moved count per scheme.
  std::array<uint32_t, kSchemes> Reassign(const std::vector<std::string>& old_ids);
  uint32_t JumpOwner(const Request& r, uint32_t* probes) const;
  // Bounded loads as HAProxy's hash-balance-factor (lb_chash.c): the factor
  // is 100 * (1 + epsilon), rounded; weights in integer units of 0.01.
  struct BoundedWeights {
    std::vector<uint64_t> units, cumulative;  // per node; cumulative = units before it
    uint64_t total = 0;
  };
  uint32_t BalanceFactor() const;
  BoundedWeights WeightUnits() const;
  // Slots of `node` for a new request when `served` requests are in flight.
  uint64_t BoundedSlots(uint64_t served, const BoundedWeights& w, uint32_t node) const;
  std::vector<uint64_t> BoundedSlotsAll(uint64_t served) const;
  // The first node clockwise from `position` whose load is below its slots.
  uint32_t BoundedWalk(uint32_t position, uint64_t served, const BoundedWeights& w,
                       const std::vector<uint64_t>& load, uint32_t* probes) const;
  std::vector<uint32_t> BoundedOwners(uint32_t* probes) const;
  Json BoundedJson() const;
  Json ChangeJson(const std::string& what, double ideal,
                  const std::array<uint32_t, kSchemes>& moved);
  Json SchemeJson(uint32_t scheme, Detail detail) const;

  Config config_;
  Rng rng_;
  std::vector<PlacedNode> nodes_;
  std::vector<uint32_t> jump_buckets_;  // bucket b is served by nodes_[jump_buckets_[b]]
  ConsistentHashRing ring_;
  KetamaRing ketama_;
  Rendezvous rendezvous_;
  MaglevTable maglev_;
  std::vector<Request> requests_;
  std::map<std::string, uint32_t> request_count_;  // key -> how often requested
  std::array<std::vector<uint32_t>, kSchemes> owners_;  // node index per request
  std::array<uint64_t, kSchemes> probes_{};       // lookup work over all requests
  std::array<uint32_t, kSchemes> last_moved_{};
  Json last_change_ = nullptr;
  uint64_t work_ = 0;
};

SimInfo HashLabSimInfo();

}  // namespace sdp

#endif  // SDP_HASH_LAB_SIM_H_

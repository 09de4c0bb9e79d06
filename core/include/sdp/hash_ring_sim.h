// Simulation `hash_ring`: keys placed on a consistent-hash ring, and what
// moves when the ring changes.
//
// Models the seed's "hash ring -> place nodes -> go clockwise from request ->
// place virtual nodes to distribute more evenly": nodes with weights, vnodes
// points per unit of weight, keys owned by their clockwise successor and
// replicated to the next R distinct nodes. Every change reports how many of
// the current keys moved, from where to where, beside what theory expects
// (weight_new / total_weight on an add: 1/(n+1) for equal weights).
//
// Invariants: every key is owned by the first point clockwise of its hash;
// removing a node moves only its keys; adding a node moves keys only to it.
//
// Left out: data transfer cost, failure detection (a removal is instant),
// the hash lab's other schemes.
#ifndef SDP_HASH_RING_SIM_H_
#define SDP_HASH_RING_SIM_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sdp/consistent_hash_ring.h"
#include "sdp/random.h"
#include "sdp/clone.h"
#include "sdp/simulation.h"

namespace sdp {

class HashRingSim : public Cloneable<HashRingSim, Simulation> {
 public:
  static constexpr uint32_t kMaxNodes = 1000;
  static constexpr uint32_t kMaxVnodes = 1000;
  static constexpr uint64_t kMaxPoints = 1000000;
  static constexpr uint32_t kMaxKeys = 200000;
  static constexpr double kMaxWeight = 100;

  struct Config {
    uint32_t vnodes = 100;                 // ring points per unit of weight
    uint32_t replicas = 1;                 // R: length of each key's preference list
    RingHash hash = RingHash::kMurmur3;    // how ids and keys become positions
    static Result<Config> FromJson(const Json& config);  // REQUIRES: fields validated
    Json ToJson() const;
  };

  // What one change of the ring did to the keys.
  struct Change {
    std::string what;                        // e.g. "add_node B"
    uint32_t moved = 0;                      // keys whose owner changed
    uint32_t total = 0;                      // keys at the time
    double expected_fraction = -1;           // theory, or -1 where none applies
    std::map<std::string, uint32_t> moved_to;    // new owner -> keys it gained
    std::map<std::string, uint32_t> moved_from;  // old owner -> keys it lost
    Json ToJson() const;
  };

  HashRingSim(uint64_t seed, const Config& config);

  // Typed operations. Each either succeeds or returns an error and changes nothing.
  Result<Change> AddNode(const std::string& id, double weight);
  Result<Change> RemoveNode(const std::string& id);
  Result<Change> SetVnodes(uint32_t count);
  Status AddKey(const std::string& key);
  Result<uint32_t> AddKeys(uint32_t count, const std::string& prefix);
  Result<Json> Lookup(const std::string& key) const;

  Result<Json> Apply(const std::string& op, const Json& args) override;
  Json Snapshot(Detail detail) const override;
  uint64_t Work() const override { return work_; }
  // key_hash, key_owner (index into nodes), key_point (index of the owning
  // point), point_pos, point_owner, moved_keys.
  std::vector<uint32_t> Column(std::string_view name) const override;

  const ConsistentHashRing& ring() const { return ring_; }
  uint32_t OwnerOfKey(uint32_t key_index) const { return keys_[key_index].owner; }

 private:
  struct Key {
    std::string name;
    uint32_t position;
    uint32_t owner;  // index into ring_.nodes(); meaningless while the ring is empty
  };
  static constexpr uint32_t kNoOwner = UINT32_MAX;

  // Re-assigns every key after the ring changed; `old_ids` are the node ids
  // the old owner indices referred to.
  Change Reassign(std::string what, const std::vector<std::string>& old_ids,
                  double expected_fraction);
  double TotalWeight() const;
  Json LoadStats() const;

  Config config_;
  Rng rng_;
  ConsistentHashRing ring_;
  std::vector<Key> keys_;
  std::map<std::string, uint32_t> key_index_;
  std::vector<uint32_t> moved_keys_;
  Json last_change_ = nullptr;
  uint64_t work_ = 0;  // points hashed + keys re-assigned + points walked + points/64 moved
};

SimInfo HashRingSimInfo();

}  // namespace sdp

#endif  // SDP_HASH_RING_SIM_H_

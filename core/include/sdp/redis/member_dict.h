// A sorted set's dict: member -> score, as Redis's `dict` (a hash table).
//
// Our own open-addressing table rather than the standard library's hash map: its layout
// depends only on our hash (xxHash64) and the order of operations, never on
// the standard library, so native and wasm hold identical tables and even
// an iteration added later could not differ between platforms. Linear
// probing with backward-shift deletion (no tombstones), capacity a power of
// two, grown at 3/4 load.
#ifndef SDP_REDIS_MEMBER_DICT_H_
#define SDP_REDIS_MEMBER_DICT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sdp::redis {

class MemberDict {
 public:
  size_t size() const { return size_; }
  // The member's score, or null when absent.
  const double* Find(std::string_view member) const;
  double* Find(std::string_view member);
  // REQUIRES: member is absent.
  void Insert(std::string_view member, double score);
  // False when absent.
  bool Erase(std::string_view member);

 private:
  struct Slot {
    bool used = false;
    uint64_t hash = 0;
    std::string member;
    double score = 0;
  };
  // The slot holding member, or the empty slot where the probe stopped.
  size_t Probe(std::string_view member, uint64_t hash) const;
  void Grow();

  std::vector<Slot> slots_;  // size 0 or a power of two
  size_t size_ = 0;
};

}  // namespace sdp::redis

#endif  // SDP_REDIS_MEMBER_DICT_H_

#include "sdp/redis/member_dict.h"

#include <utility>

#include "sdp/hash.h"
#include "sdp/status.h"

namespace sdp::redis {

size_t MemberDict::Probe(std::string_view member, uint64_t hash) const {
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (!s.used || (s.hash == hash && s.member == member)) return i;
  }
}

const double* MemberDict::Find(std::string_view member) const {
  if (size_ == 0) return nullptr;
  const Slot& s = slots_[Probe(member, XxHash64(member))];
  return s.used ? &s.score : nullptr;
}

double* MemberDict::Find(std::string_view member) {
  return const_cast<double*>(std::as_const(*this).Find(member));
}

void MemberDict::Insert(std::string_view member, double score) {
  if (4 * (size_ + 1) > 3 * slots_.size()) Grow();
  const uint64_t hash = XxHash64(member);
  Slot& s = slots_[Probe(member, hash)];
  SDP_CHECK(!s.used);
  s.used = true;
  s.hash = hash;
  s.member.assign(member.data(), member.size());
  s.score = score;
  ++size_;
}

bool MemberDict::Erase(std::string_view member) {
  if (size_ == 0) return false;
  const size_t mask = slots_.size() - 1;
  size_t hole = Probe(member, XxHash64(member));
  if (!slots_[hole].used) return false;
  // Backward shift: later entries of the same probe run move into the hole
  // when their home slot does not lie cyclically in (hole, j].
  for (size_t j = (hole + 1) & mask; slots_[j].used; j = (j + 1) & mask) {
    const size_t home = slots_[j].hash & mask;
    const bool home_in_gap = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
    if (!home_in_gap) {
      slots_[hole] = std::move(slots_[j]);
      hole = j;
    }
  }
  Slot& freed = slots_[hole];
  freed.used = false;
  freed.member.clear();
  --size_;
  return true;
}

void MemberDict::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_ = std::vector<Slot>(old.empty() ? 8 : 2 * old.size());
  const size_t mask = slots_.size() - 1;
  for (Slot& s : old) {
    if (!s.used) continue;
    size_t i = s.hash & mask;
    while (slots_[i].used) i = (i + 1) & mask;
    slots_[i] = std::move(s);
  }
}

}  // namespace sdp::redis

// Copying a simulation: the one generic Clone() and a pointer that copies
// what it points to.
//
// SimSession's checkpoints (sim_session.h) are copies of a sim. A sim is
// copied by its copy constructor, member by member, so that no sim writes
// (and forgets to update) a hand-made copy. Two things would make that copy
// shallow, and both are ruled out here:
//   - a std::unique_ptr member does not copy at all; DeepPtr<T> copies its
//     pointee (through T's own Clone() when T is polymorphic);
//   - an event that captured `this` would still reach the original: events
//     are EventQueue::OwnedActions instead (event_queue.h).
// A sim whose parts point at each other (a TCP endpoint at the host that
// routes its segments, a flow at the sim's queue and RNG) is still copied
// member by member; then Cloneable calls its Rebind(), which re-points those
// parts at the copy's own members. Only the list of back-pointers is written
// by hand, never the list of members.
// What a copy cannot catch by itself (a raw pointer into the sim) the
// registry-wide test catches: tests/core/clone_test.cpp runs every sim on,
// clones it mid-way and requires the clone and a fresh replay to agree byte
// for byte, and the original to stay as it was while the clone moves on.
#ifndef SDP_CLONE_H_
#define SDP_CLONE_H_

#include <memory>
#include <type_traits>
#include <utility>

namespace sdp {

// Implements Base's `virtual std::unique_ptr<...> Clone() const` once, by
// copy-constructing Derived:  class HashRingSim : public Cloneable<HashRingSim, Simulation>.
// A Derived with back-pointers declares `void Rebind()` (and befriends its
// Cloneable, so that the call below reaches it); the others inherit the no-op.
template <typename Derived, typename Base>
class Cloneable : public Base {
 public:
  using Base::Base;
  auto Clone() const -> decltype(std::declval<const Base&>().Clone()) override {
    auto copy = std::make_unique<Derived>(static_cast<const Derived&>(*this));
    static_cast<Derived&>(*copy).Rebind();
    return copy;
  }

 protected:
  void Rebind() {}
};

// A unique_ptr whose copy is a copy of the object (null stays null).
template <typename T>
class DeepPtr {
 public:
  DeepPtr() = default;
  DeepPtr(std::nullptr_t) {}  // NOLINT: as unique_ptr
  DeepPtr(std::unique_ptr<T> p) : p_(std::move(p)) {}  // NOLINT: as unique_ptr
  template <typename U, typename = std::enable_if_t<std::is_convertible_v<U*, T*>>>
  DeepPtr(std::unique_ptr<U> p) : p_(std::move(p)) {}  // NOLINT
  DeepPtr(const DeepPtr& other) : p_(Copy(other.p_.get())) {}
  DeepPtr(DeepPtr&&) noexcept = default;
  DeepPtr& operator=(const DeepPtr& other) {
    if (this != &other) p_ = Copy(other.p_.get());
    return *this;
  }
  DeepPtr& operator=(DeepPtr&&) noexcept = default;
  ~DeepPtr() = default;

  T* get() const { return p_.get(); }
  T& operator*() const { return *p_; }
  T* operator->() const { return p_.get(); }
  explicit operator bool() const { return p_ != nullptr; }
  void reset(T* p = nullptr) { p_.reset(p); }
  friend bool operator==(const DeepPtr& a, std::nullptr_t) { return a.p_ == nullptr; }
  friend bool operator!=(const DeepPtr& a, std::nullptr_t) { return a.p_ != nullptr; }

 private:
  static std::unique_ptr<T> Copy(const T* p) {
    if (p == nullptr) return nullptr;
    if constexpr (std::is_polymorphic_v<T>) {
      return p->Clone();  // the dynamic type's copy, not a slice
    } else {
      return std::make_unique<T>(*p);
    }
  }

  std::unique_ptr<T> p_;
};

}  // namespace sdp

#endif  // SDP_CLONE_H_

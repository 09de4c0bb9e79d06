#include "sdp/cap/linearizability.h"

#include <algorithm>
#include <map>
#include <set>

#include "sdp/status.h"

namespace sdp::cap {
namespace {

// The operations linearized so far, one bit each.
using Bits = std::vector<uint64_t>;

// A state of the search: which operations are linearized, and the register's
// value after them. Kept in an ordered set: only membership is ever asked,
// and an ordered container needs no hash, so nothing about it can differ
// between 64-bit native and 32-bit wasm builds.
struct Explored {
  Bits linearized;
  int64_t value;
  // The value first: it is one compare, and it often tells states apart.
  bool operator<(const Explored& o) const {
    if (value != o.value) return value < o.value;
    return linearized < o.linearized;
  }
};

// Events in a doubly linked list (indices; `kHead` is a sentinel in front)
// so that linearizing an operation unlinks its call and its return in O(1)
// and backtracking relinks them: the structure of Porcupine's lift/unlift.
class EventList {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  explicit EventList(const std::vector<const HistoryOp*>& ops) : ops_(ops) {
    const uint32_t n = static_cast<uint32_t>(ops.size());
    // Event 2i is op i's call, 2i + 1 its return.
    std::vector<uint32_t> order(2 * n);
    for (uint32_t e = 0; e < 2 * n; ++e) order[e] = e;
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      const int64_t ta = Time(a), tb = Time(b);
      if (ta != tb) return ta < tb;
      const bool ca = IsCall(a), cb = IsCall(b);
      if (ca != cb) return ca;  // touching intervals overlap
      return a < b;
    });
    head_ = 2 * n;
    next_.assign(2 * n + 1, kNone);
    prev_.assign(2 * n + 1, kNone);
    uint32_t last = head_;
    for (uint32_t e : order) {
      next_[last] = e;
      prev_[e] = last;
      last = e;
    }
  }

  uint32_t head() const { return head_; }
  uint32_t next(uint32_t e) const { return next_[e]; }
  static bool IsCall(uint32_t e) { return (e & 1) == 0; }
  static uint32_t OpOf(uint32_t e) { return e >> 1; }

  // Unlinks op's call and return.
  void Lift(uint32_t call) {
    Unlink(call);
    Unlink(call + 1);
  }
  // Undoes the matching Lift (LIFO order).
  void Unlift(uint32_t call) {
    Relink(call + 1);
    Relink(call);
  }

 private:
  int64_t Time(uint32_t e) const {
    const HistoryOp* op = ops_[OpOf(e)];
    return IsCall(e) ? op->invoke : op->response;
  }
  void Unlink(uint32_t e) {
    next_[prev_[e]] = next_[e];
    if (next_[e] != kNone) prev_[next_[e]] = prev_[e];
  }
  void Relink(uint32_t e) {
    next_[prev_[e]] = e;
    if (next_[e] != kNone) prev_[next_[e]] = e;
  }

  const std::vector<const HistoryOp*>& ops_;
  uint32_t head_ = 0;
  std::vector<uint32_t> next_, prev_;
};

// The register: a read must return the current value; a write sets it.
bool Apply(const HistoryOp& op, int64_t value, int64_t* next) {
  if (op.kind == OpKind::kWrite) {
    *next = op.value;
    return true;
  }
  *next = value;
  return op.value == value;
}

}  // namespace

const char* VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kLinearizable: return "linearizable";
    case Verdict::kNotLinearizable: return "not_linearizable";
    case Verdict::kUnknown: return "unknown";
  }
  return "?";
}

KeyCheck CheckRegister(const std::vector<const HistoryOp*>& ops, uint64_t budget) {
  KeyCheck out;
  const uint32_t n = static_cast<uint32_t>(ops.size());
  out.ops = n;
  for (const HistoryOp* op : ops) SDP_CHECK(op->invoke <= op->response);
  EventList list(ops);
  const uint64_t words = (n + 63) / 64;
  Bits linearized(words, 0);
  std::set<Explored> explored;
  struct Frame {
    uint32_t call;
    int64_t value_before;
    bool forced;  // a read taken by the rule below, with no alternatives tried
  };
  std::vector<Frame> stack;
  int64_t value = kInitialValue;
  bool have_dead_end = false;
  auto bit = [&](uint32_t i, bool on) {
    if (on) linearized[i / 64] |= uint64_t{1} << (i % 64);
    else linearized[i / 64] &= ~(uint64_t{1} << (i % 64));
  };
  // Linearizes op `call` next if (linearized + it, value after it) is new.
  auto try_take = [&](uint32_t call, bool forced) {
    const uint32_t i = EventList::OpOf(call);
    int64_t after = 0;
    if (!Apply(*ops[i], value, &after)) return false;
    Explored next{linearized, after};
    next.linearized[i / 64] |= uint64_t{1} << (i % 64);
    if (!explored.insert(std::move(next)).second) return false;
    stack.push_back({call, value, forced});
    value = after;
    bit(i, true);
    list.Lift(call);
    return true;
  };

  uint32_t e = list.next(list.head());
  bool fresh = true;  // just arrived at a state not yet looked at
  while (list.next(list.head()) != EventList::kNone) {
    ++out.steps;
    out.cost += words;
    if (out.cost > budget) {
      out.verdict = Verdict::kUnknown;
      out.order.clear();
      out.stuck.clear();
      return out;
    }
    bool dead = false;
    if (fresh) {
      fresh = false;
      // A read that returns the current value and may come next can always
      // come next: it changes nothing, and no remaining op had to precede it
      // (it was invoked before every pending response). So it is taken
      // without trying the alternatives; if it leads nowhere, neither does
      // this state. This keeps many concurrent reads of one value from
      // multiplying the states the search visits.
      uint32_t read = EventList::kNone;
      for (uint32_t c = list.next(list.head()); c != EventList::kNone && EventList::IsCall(c); c = list.next(c)) {
        const HistoryOp& op = *ops[EventList::OpOf(c)];
        if (op.kind == OpKind::kRead && op.value == value) {
          read = c;
          break;
        }
      }
      if (read != EventList::kNone) {
        if (try_take(read, true)) {
          e = list.next(list.head());
          fresh = true;
          continue;
        }
        dead = true;  // explored before, from here, and it failed
      }
    }
    if (!dead && EventList::IsCall(e)) {
      if (try_take(e, false)) {
        e = list.next(list.head());
        fresh = true;
      } else {
        e = list.next(e);
      }
      continue;
    }
    // A dead end: every call before the first pending return was tried.
    if (!have_dead_end || stack.size() > out.order.size()) {
      have_dead_end = true;
      out.order.clear();
      for (const Frame& f : stack) out.order.push_back(ops[EventList::OpOf(f.call)]->id);
      out.stuck.clear();
      for (uint32_t c = list.next(list.head()); c != EventList::kNone && EventList::IsCall(c); c = list.next(c)) {
        out.stuck.push_back(ops[EventList::OpOf(c)]->id);
      }
      out.value_after_order = value;
    }
    // Undo forced reads (their state is dead too), then one free choice,
    // and go on with the next candidate after it.
    bool resumed = false;
    while (!stack.empty() && !resumed) {
      const Frame top = stack.back();
      stack.pop_back();
      bit(EventList::OpOf(top.call), false);
      value = top.value_before;
      list.Unlift(top.call);
      if (!top.forced) {
        e = list.next(top.call);
        resumed = true;
      }
    }
    if (!resumed) {
      out.verdict = Verdict::kNotLinearizable;
      std::sort(out.stuck.begin(), out.stuck.end());
      return out;
    }
  }
  out.verdict = Verdict::kLinearizable;
  out.order.clear();
  for (const Frame& f : stack) out.order.push_back(ops[EventList::OpOf(f.call)]->id);
  out.stuck.clear();
  out.value_after_order = value;
  return out;
}

CheckResult CheckLinearizable(const std::vector<HistoryOp>& history, uint64_t budget) {
  std::map<std::string, std::vector<const HistoryOp*>> by_key;
  for (const HistoryOp& op : history) by_key[op.key].push_back(&op);
  CheckResult out;
  bool unknown = false, failed = false;
  for (const auto& [key, ops] : by_key) {
    KeyCheck k = CheckRegister(ops, budget - std::min(budget, out.cost));
    k.key = key;
    out.steps += k.steps;
    out.cost += k.cost;
    if (k.verdict == Verdict::kUnknown) unknown = true;
    if (k.verdict == Verdict::kNotLinearizable) {
      failed = true;
      out.violating.insert(out.violating.end(), k.stuck.begin(), k.stuck.end());
    }
    out.keys.push_back(std::move(k));
  }
  std::sort(out.violating.begin(), out.violating.end());
  out.verdict = failed ? Verdict::kNotLinearizable : unknown ? Verdict::kUnknown : Verdict::kLinearizable;
  return out;
}

}  // namespace sdp::cap

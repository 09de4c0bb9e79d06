// A linearizability checker for histories of read/write registers, one
// register per key: Wing & Gong's search ("Testing and verifying concurrent
// objects", 1993) with Lowe's memoisation ("Testing for linearizability",
// 2017), arranged as Porcupine's checkSingle (github.com/anishathalye/
// porcupine, checker.go). Keys are checked one by one (P-compositionality,
// Herlihy & Wing 1990 §3.3: a history is linearizable iff each object's
// sub-history is), as Porcupine does after its Partition step.
//
// The search: events (invocations and responses) sorted by time, a call
// before a return at the same instant (Porcupine's byTime), so operations
// that touch in time count as concurrent. It repeatedly takes a not yet
// linearized operation whose invocation precedes every pending response,
// applies it to the register if the result matches, and backtracks when none
// fits. Memoisation: a (set of linearized operations, register value) pair
// already explored is never explored again. One pruning rule of our own: a
// read that may come next and returns the current value is taken at once,
// without trying alternatives (it changes nothing and nothing remaining had
// to precede it, so if any order exists, one with it next does); without it,
// many concurrent reads of one value multiply the states visited.
//
// What goes in: completed operations, and writes whose outcome the client
// does not know (a timeout after the write may have reached replicas):
// response = kPending, so they may take effect at any point after their
// invocation, or never (placed last, after every read). Operations that
// certainly did not take effect (a refusal before any replica stored the
// value) and reads without a response carry no information and must be left
// out by the caller.
//
// What comes out for a key that is not linearizable (what `violating_ops`
// means): the longest linearizable prefix the search found (an order of
// some of the key's operations consistent with real time and the register),
// and the "stuck" operations: those not in that prefix that were eligible to
// come next (invoked before every remaining operation's response). One of
// them had to be next, and none could follow the prefix. Like Porcupine's
// partial linearizations this is one witness, not a minimum core.
//
// Work is bounded: each search step copies the set of linearized operations
// and looks it up among the explored states (an ordered set: compares of
// ceil(n / 64) words), so a step on a key of n operations costs ceil(n / 64)
// units;
// once a check has spent `budget` units, the key being searched and every
// key after it is "unknown" (Porcupine returns Unknown on its timeout).
#ifndef SDP_CAP_LINEARIZABILITY_H_
#define SDP_CAP_LINEARIZABILITY_H_

#include <cstdint>
#include <string>
#include <vector>

namespace sdp::cap {

enum class OpKind : uint8_t { kRead, kWrite };

// The register's value before any write (a read of a never-written key).
constexpr int64_t kInitialValue = 0;
// The response time of a write whose outcome is unknown.
constexpr int64_t kPendingResponse = INT64_MAX;
constexpr uint64_t kDefaultBudget = 20000000;

struct HistoryOp {
  uint32_t id = 0;      // the caller's id, reported back
  uint32_t client = 0;
  std::string key;
  OpKind kind = OpKind::kRead;
  int64_t value = 0;    // the value written, or the value the read returned
  int64_t invoke = 0;   // microseconds
  int64_t response = 0; // microseconds, >= invoke; kPendingResponse for an unknown write
};

enum class Verdict : uint8_t { kLinearizable, kNotLinearizable, kUnknown };
const char* VerdictName(Verdict verdict);

struct KeyCheck {
  std::string key;
  Verdict verdict = Verdict::kLinearizable;
  uint32_t ops = 0;
  uint64_t steps = 0;
  uint64_t cost = 0;  // steps * ceil(ops / 64)
  // The full linearization if linearizable, else the longest prefix found.
  std::vector<uint32_t> order;
  // Not linearizable: the operations that could come next after `order`, none
  // of which fits. Empty otherwise.
  std::vector<uint32_t> stuck;
  int64_t value_after_order = kInitialValue;
};

struct CheckResult {
  Verdict verdict = Verdict::kLinearizable;
  uint64_t steps = 0;
  uint64_t cost = 0;
  std::vector<KeyCheck> keys;          // in key order
  std::vector<uint32_t> violating;     // every failing key's `stuck`, by id
};

// REQUIRES: invoke <= response for every op.
CheckResult CheckLinearizable(const std::vector<HistoryOp>& history,
                              uint64_t budget = kDefaultBudget);

// One register's history (the key is ignored). REQUIRES: as above.
KeyCheck CheckRegister(const std::vector<const HistoryOp*>& ops, uint64_t budget);

}  // namespace sdp::cap

#endif  // SDP_CAP_LINEARIZABILITY_H_

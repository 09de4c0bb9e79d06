// The linearizability checker against histories whose answer is known
// (Porcupine's register tests, which take theirs from MIT 6.824's 2017 quiz 2
// section VII; the two), and against a brute-force permutation
// checker on many random small histories.
#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>
#include <vector>

#include "sdp/cap/linearizability.h"
#include "sdp/random.h"

// Every test file has its own namespace, so that the unity build (several
// test files per translation unit) never sees two files' helpers at once.
namespace cap_linearizability_test {

using sdp::cap::CheckLinearizable;
using sdp::cap::HistoryOp;
using sdp::cap::OpKind;
using sdp::cap::Verdict;

namespace {

HistoryOp Put(uint32_t id, int64_t value, int64_t invoke, int64_t response, const char* key = "x") {
  return {id, id, key, OpKind::kWrite, value, invoke, response};
}
HistoryOp Get(uint32_t id, int64_t value, int64_t invoke, int64_t response, const char* key = "x") {
  return {id, id, key, OpKind::kRead, value, invoke, response};
}

// Tries every order of the ops: one that respects real time (a before b when
// a responded before b was invoked) and register semantics is a witness.
// A pending write (response = kPendingResponse) may also be left out.
bool BruteForceLinearizable(const std::vector<HistoryOp>& ops) {
  const uint32_t n = static_cast<uint32_t>(ops.size());
  std::vector<uint32_t> pending;
  for (uint32_t i = 0; i < n; ++i) {
    if (ops[i].response == sdp::cap::kPendingResponse) pending.push_back(i);
  }
  for (uint32_t mask = 0; mask < (1u << pending.size()); ++mask) {
    std::vector<uint32_t> order;
    for (uint32_t i = 0; i < n; ++i) {
      const auto it = std::find(pending.begin(), pending.end(), i);
      if (it != pending.end() && (mask & (1u << (it - pending.begin())))) continue;  // dropped
      order.push_back(i);
    }
    do {
      bool ok = true;
      int64_t value = sdp::cap::kInitialValue;
      for (size_t a = 0; a < order.size() && ok; ++a) {
        for (size_t b = a + 1; b < order.size() && ok; ++b) {
          if (ops[order[b]].response < ops[order[a]].invoke) ok = false;
        }
        const HistoryOp& op = ops[order[a]];
        if (op.kind == OpKind::kWrite) value = op.value;
        else if (op.value != value) ok = false;
      }
      if (ok) return true;
    } while (std::next_permutation(order.begin(), order.end()));
  }
  return false;
}

}  // namespace

TEST_CASE("Porcupine's register examples (6.824 2017 quiz 2, VII)", "[cap][linearizability]") {
  // put(100) over [0, 100]; get -> 100 over [25, 75]; get -> 0 over [30, 60].
  const auto ok = CheckLinearizable({Put(0, 100, 0, 100), Get(1, 100, 25, 75), Get(2, 0, 30, 60)});
  CHECK(ok.verdict == Verdict::kLinearizable);
  REQUIRE(ok.keys.size() == 1);
  CHECK(ok.keys[0].order == std::vector<uint32_t>{2, 0, 1});  // get->0, put, get->100
  // put(200) over [0, 100]; get -> 200 over [10, 30]; then get -> 0 over [40, 90].
  const auto bad = CheckLinearizable({Put(0, 200, 0, 100), Get(1, 200, 10, 30), Get(2, 0, 40, 90)});
  CHECK(bad.verdict == Verdict::kNotLinearizable);
  CHECK(bad.violating == std::vector<uint32_t>{2});
  CHECK(bad.keys[0].order == std::vector<uint32_t>{0, 1});
  CHECK(bad.keys[0].value_after_order == 200);
}

TEST_CASE("Porcupine's zero-duration examples", "[cap][linearizability]") {
  CHECK(CheckLinearizable({Put(0, 100, 0, 100), Get(1, 100, 25, 75), Get(2, 0, 30, 30), Get(3, 0, 30, 30)})
            .verdict == Verdict::kLinearizable);
  CHECK(CheckLinearizable({Put(0, 200, 0, 100), Get(1, 200, 10, 10), Get(2, 200, 10, 10), Get(3, 0, 40, 90)})
            .verdict == Verdict::kNotLinearizable);
}

TEST_CASE("the issue's histories", "[cap][linearizability]") {
  // put(100) concurrent with get -> 100 and get -> 0: linearizable.
  CHECK(CheckLinearizable({Put(0, 100, 0, 50), Get(1, 100, 10, 20), Get(2, 0, 15, 30)}).verdict ==
        Verdict::kLinearizable);
  // A read of an old value after a completed newer write: not.
  const auto stale = CheckLinearizable({Put(0, 1, 0, 10), Put(1, 2, 20, 30), Get(2, 1, 40, 50)});
  CHECK(stale.verdict == Verdict::kNotLinearizable);
  CHECK(stale.violating == std::vector<uint32_t>{2});
  CHECK(stale.keys[0].order == std::vector<uint32_t>{0, 1});
}

TEST_CASE("keys are checked separately; one bad key fails the history", "[cap][linearizability]") {
  const auto r = CheckLinearizable({Put(0, 1, 0, 10, "a"), Get(1, 1, 20, 30, "b"), Get(2, 1, 20, 30, "a")});
  CHECK(r.verdict == Verdict::kNotLinearizable);
  REQUIRE(r.keys.size() == 2);
  CHECK(r.keys[0].verdict == Verdict::kLinearizable);     // a
  CHECK(r.keys[1].verdict == Verdict::kNotLinearizable);  // b: 1 was never written there
  CHECK(r.violating == std::vector<uint32_t>{1});
}

TEST_CASE("a write with an unknown outcome may or may not take effect", "[cap][linearizability]") {
  const int64_t kPending = sdp::cap::kPendingResponse;
  // Seen by a later read: it took effect.
  CHECK(CheckLinearizable({Put(0, 7, 0, kPending), Get(1, 7, 50, 60)}).verdict == Verdict::kLinearizable);
  // Never seen: it did not (or not yet).
  CHECK(CheckLinearizable({Put(0, 7, 0, kPending), Get(1, 0, 50, 60)}).verdict == Verdict::kLinearizable);
  // Seen, then unseen: no order explains that.
  CHECK(CheckLinearizable({Put(0, 7, 0, kPending), Get(1, 7, 50, 60), Get(2, 0, 70, 80)}).verdict ==
        Verdict::kNotLinearizable);
}

TEST_CASE("the step budget gives up with 'unknown'", "[cap][linearizability]") {
  std::vector<HistoryOp> ops;
  for (uint32_t i = 0; i < 12; ++i) ops.push_back(Put(i, i + 1, 0, 100));
  ops.push_back(Get(12, 99, 0, 100));  // no write of 99: every order fails
  CHECK(CheckLinearizable(ops).verdict == Verdict::kNotLinearizable);
  CHECK(CheckLinearizable(ops, 5).verdict == Verdict::kUnknown);
}

TEST_CASE("random small histories agree with the brute-force checker", "[cap][linearizability]") {
  uint32_t linearizable = 0, not_linearizable = 0;
  for (uint64_t seed = 1; seed <= 3000; ++seed) {
    sdp::Rng rng(seed);
    const uint32_t n = 1 + static_cast<uint32_t>(rng.Below(7));
    std::vector<HistoryOp> ops;
    for (uint32_t i = 0; i < n; ++i) {
      const int64_t invoke = rng.Between(0, 20);
      const int64_t length = rng.Between(0, 10);
      const bool write = rng.Bernoulli(0.5);
      const int64_t value = rng.Between(0, 3);
      const bool pending = write && rng.Bernoulli(0.15);
      ops.push_back({i, i, "x", write ? OpKind::kWrite : OpKind::kRead, value, invoke,
                     pending ? sdp::cap::kPendingResponse : invoke + length});
    }
    const bool expected = BruteForceLinearizable(ops);
    const auto got = CheckLinearizable(ops);
    INFO("seed " << seed);
    REQUIRE(got.verdict == (expected ? Verdict::kLinearizable : Verdict::kNotLinearizable));
    (expected ? linearizable : not_linearizable)++;
    if (!expected) {
      CHECK_FALSE(got.violating.empty());
      CHECK(got.keys[0].order.size() < n);
    } else {
      CHECK(got.keys[0].order.size() == n);
    }
  }
  // Both answers occur often enough for the comparison to mean something.
  CHECK(linearizable > 500);
  CHECK(not_linearizable > 500);
}

}  // namespace cap_linearizability_test

// What the wasm module does about memory (memory.cpp has the reasons):
// it counts the bytes C++ holds, keeps a reserve for running out, and checks
// the page-wide budget that wasm/sdp.mjs sets.
#ifndef SDP_WASM_MEMORY_H_
#define SDP_WASM_MEMORY_H_

#include <cstddef>

namespace sdp_wasm {

// Bytes held through operator new right now (malloc's chunks): every
// simulation's state, cheap to read. Freed memory counts as free at once,
// although the wasm memory itself never shrinks.
size_t LiveBytes();

// The page-wide budget for LiveBytes(), in bytes (0: none).
void SetBudget(double bytes);
size_t Budget();
// Whether growing from `before` to LiveBytes() broke the budget: a step that
// shrinks the state is never refused, even when over it.
bool OverBudget(size_t before);

// Whether a block of `bytes` can be allocated now (tried, then freed):
// checked before embind copies a long string out, since embind's own malloc
// for it is not checked.
bool RoomFor(size_t bytes);

// After each call from JS: takes the reserve back if it was spent.
void RestoreReserve();

// Test hook (tests/js): the `n`-th allocation from now fails as if memory
// had run out (0 disarms). One branch per allocation when disarmed.
void FailAllocationAfter(unsigned n);

}  // namespace sdp_wasm

#endif  // SDP_WASM_MEMORY_H_

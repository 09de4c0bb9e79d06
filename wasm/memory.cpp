// Running out of memory in the one wasm instance a page shares.
//
// What went wrong before (issue #25): 73 heavy widgets filled the 2 GiB the
// module may grow to. Then (1) steps failed part-way and kept what they had
// done (fixed in the core: sdp::SimSession undoes them); (2) with the heap
// full, destroying any nlohmann::json array or object threw std::bad_alloc
// inside its noexcept destructor -- its destroy() allocates a stack to avoid
// recursion -- so std::terminate ran; (3) libc++abi's terminate handler calls
// abort(), Emscripten's JS abort() *throws* a RuntimeError, and under
// -fwasm-exceptions `catch (...)` (catch_all) also catches that JS exception:
// std::__terminate catches it and terminates again, which aborts again...
// ~7,000 "Aborted()" lines per call until V8's stack overflowed: "Maximum
// call stack size exceeded". (4) Session::Column had no guard, so its
// bad_alloc reached JS as "[object WebAssembly.Exception]".
//
// So, here:
// - operator new counts live bytes, so the budget check is one comparison
//   (mallinfo() walks the whole heap: 135 ms at 350 MiB of hash-ring keys,
//   against ~1 us; the two agree within 1%);
// - a reserve of kReserveBytes is held from startup; when malloc fails it is
//   released before std::bad_alloc is thrown, so the unwinding, the
//   destructors that allocate, the rollback and the message have memory;
// - std::terminate traps (one RuntimeError "unreachable" to JS) instead of
//   looping, should anything still call it; the facade then stops using the
//   engine, whose stack pointer a trap does not restore.
#include "memory.h"

#include <malloc.h>

#include <cstdlib>
#include <exception>
#include <new>

namespace sdp_wasm {
namespace {

// Enough for the largest thing a failed step still allocates while it
// unwinds: destroying a 200,000-entry JSON object takes a 3.2 MB stack.
constexpr size_t kReserveBytes = size_t{4} << 20;

size_t g_live_bytes = 0;
size_t g_budget = 0;
void* g_reserve = nullptr;
unsigned g_fail_countdown = 0;

void ReleaseReserve() {
  std::free(g_reserve);
  g_reserve = nullptr;
}

// What the block takes from the heap: dlmalloc's chunk is the usable size
// plus its size word, so the count agrees with mallinfo() (8% more than the
// usable sizes for a ring's many small blocks).
size_t ChunkBytes(void* p) { return malloc_usable_size(p) + sizeof(size_t); }

[[noreturn]] void TrapOnTerminate() { __builtin_trap(); }

// Static initialisation: before any binding runs.
[[maybe_unused]] const bool g_ready = [] {
  std::set_terminate(TrapOnTerminate);
  g_reserve = std::malloc(kReserveBytes);
  return true;
}();

}  // namespace

size_t LiveBytes() { return g_live_bytes; }

void SetBudget(double bytes) {
  g_budget = bytes > 0 && bytes < 4294967296.0 ? static_cast<size_t>(bytes) : 0;
}

size_t Budget() { return g_budget; }

bool OverBudget(size_t before) {
  return g_budget != 0 && g_live_bytes > g_budget && g_live_bytes > before;
}

bool RoomFor(size_t bytes) {
  void* probe = std::malloc(bytes);
  if (probe == nullptr && g_reserve != nullptr) {
    ReleaseReserve();
    probe = std::malloc(bytes);
  }
  std::free(probe);
  return probe != nullptr;
}

void RestoreReserve() {
  if (g_reserve == nullptr) g_reserve = std::malloc(kReserveBytes);
}

void FailAllocationAfter(unsigned n) { g_fail_countdown = n; }

}  // namespace sdp_wasm

void* operator new(std::size_t size) {
  using namespace sdp_wasm;
  const bool fail = g_fail_countdown != 0 && --g_fail_countdown == 0;
  void* p = fail ? nullptr : std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) {
    ReleaseReserve();
    throw std::bad_alloc();
  }
  g_live_bytes += ChunkBytes(p);
  return p;
}

void operator delete(void* p) noexcept {
  if (p == nullptr) return;
  sdp_wasm::g_live_bytes -= sdp_wasm::ChunkBytes(p);
  std::free(p);
}

// libc++ forwards these to the two above already; spelled out so that the
// count does not depend on that.
void* operator new[](std::size_t size) { return ::operator new(size); }
void operator delete[](void* p) noexcept { ::operator delete(p); }
void operator delete(void* p, std::size_t) noexcept { ::operator delete(p); }
void operator delete[](void* p, std::size_t) noexcept { ::operator delete(p); }

// Running out of memory in the one wasm instance a page shares (issue #25):
// a step that cannot get its memory is an ordinary refused step -- the
// session unchanged, a message naming who asked -- the instance keeps
// working, freeing sessions frees memory, and the page-wide budget refuses
// the session that would exceed it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  loadSdp, MEMORY_BUDGET_BYTES, memoryUse, SdpError, setMemoryBudget, SimSession,
} from '../../dist/wasm/sdp.mjs';

const MiB = 1024 * 1024;
const module = await loadSdp();

// The widget: <sdp-hash-ring nodes="50" keys="200000" vnodes="1000">.
async function heavyRing(owner, { keys = 200000 } = {}) {
  const session = await SimSession.create('hash_ring', { seed: 1, config: { vnodes: 1000 }, owner });
  for (let i = 0; i < 50; i += 1) session.apply({ op: 'add_node', id: `n${i}` });
  if (keys) session.apply({ op: 'add_keys', count: keys, prefix: 'user:' });
  return session;
}

function isMemoryError(pattern) {
  return (e) => e instanceof SdpError && e.memory === true && pattern.test(e.message);
}

test('the budget is 1 GiB by default and applies to the loaded module', () => {
  assert.equal(MEMORY_BUDGET_BYTES, 1024 * MiB);
  assert.equal(memoryUse().budget, MEMORY_BUDGET_BYTES);
  assert.ok(memoryUse().inUse > 0);
});

test('a step whose allocation fails part-way is refused and changes nothing', async () => {
  const session = await SimSession.create('hash_ring', { seed: 4, owner: 'ring A' });
  const twin = await SimSession.create('hash_ring', { seed: 4 });
  for (const s of [session, twin]) {
    s.apply({ op: 'add_node', id: 'A' });
    s.apply({ op: 'add_node', id: 'B' });
    s.apply({ op: 'add_keys', count: 500 });
  }
  const before = session.snapshot({ full: true });
  // 5000 keys take over 10,000 allocations: number 3000 is mid-step, the
  // 65,536-of-200,000 case of the issue.
  module.failAllocationAfter(3000);
  assert.throws(() => session.apply({ op: 'add_keys', count: 5000 }), isMemoryError(
    /^ring A: add_keys: out of memory: this step needs more memory than is left; nothing was changed$/));
  module.failAllocationAfter(0);
  assert.deepEqual(session.snapshot({ full: true }), before);
  // The failed step drew random keys; the rebuilt session draws them again.
  assert.deepEqual(session.apply({ op: 'add_keys', count: 5000 }), twin.apply({ op: 'add_keys', count: 5000 }));
  assert.deepEqual(session.snapshot({ full: true }), twin.snapshot({ full: true }));
  session.delete();
  twin.delete();
});

test('an allocation that fails while embind copies the step in is a memory SdpError too', async () => {
  const session = await SimSession.create('hash_ring', { owner: 'ring E' });
  session.apply({ op: 'add_node', id: 'A' });
  const before = session.snapshot({ full: true });
  module.failAllocationAfter(1); // the step's JSON text, copied into a std::string
  assert.throws(() => session.apply({ op: 'add_keys', count: 100 }), isMemoryError(
    /^ring E: out of memory: the engine could not take this call in; nothing was changed$/));
  module.failAllocationAfter(0);
  assert.deepEqual(session.snapshot({ full: true }), before);
  assert.equal(session.apply({ op: 'add_keys', count: 100 }).keys, 100);
  session.delete();
});

test('the page budget refuses the session that would exceed it, by name; the others carry on', async () => {
  const budget = 100 * MiB;
  setMemoryBudget(budget);
  const sessions = [];
  try {
    let refused = null;
    for (let i = 1; i <= 12 && !refused; i += 1) {
      try {
        sessions.push(await heavyRing(`ring ${i}`));
      } catch (error) {
        refused = { i, error };
      }
    }
    assert.ok(refused, 'twelve heavy rings fitted in 100 MiB');
    const perRing = memoryUse().inUse / sessions.length;
    console.log(`# ${sessions.length} heavy rings fitted in a 100 MiB budget; ring ${refused.i} was refused;`
      + ` ${(memoryUse().inUse / MiB).toFixed(1)} MiB in use (${(perRing / MiB).toFixed(1)} MiB a ring),`
      + ` wasm memory ${(memoryUse().memory / MiB).toFixed(0)} MiB`);
    assert.ok(isMemoryError(new RegExp(`^ring ${refused.i}: add_keys: out of memory: this step needs more memory than the page has left `
      + `\\(the page's simulations may use 100 MiB together: \\d+ MiB were in use, \\d+ MiB with this step\\); nothing was changed$`))(refused.error),
    refused.error.message);
    assert.ok(memoryUse().inUse <= budget, 'the refused step was undone');
    // The earlier sessions still answer.
    for (const s of sessions) assert.equal(typeof s.apply({ op: 'lookup', key: 'user:1' }).node, 'string');
    // Over the budget, a new session is refused too, by name.
    setMemoryBudget(memoryUse().inUse);
    await assert.rejects(heavyRing('ring late'), isMemoryError(/^ring late: /));
    setMemoryBudget(budget);
    // Freeing sessions frees budget: a ring refused before fits now.
    const inUse = memoryUse().inUse;
    for (const s of sessions.splice(0, 3)) s.delete();
    assert.ok(inUse - memoryUse().inUse > 3 * 25 * MiB, `freed ${inUse - memoryUse().inUse} bytes`);
    sessions.push(await heavyRing('ring again'));
    assert.equal(sessions.at(-1).snapshot().keys, 200000);
  } finally {
    for (const s of sessions) s.delete();
    setMemoryBudget(MEMORY_BUDGET_BYTES);
  }
});

test('deleting sessions gives back exactly what they held', async () => {
  const base = memoryUse().inUse;
  for (let round = 0; round < 3; round += 1) {
    const sessions = [];
    for (let i = 0; i < 20; i += 1) sessions.push(await heavyRing(`r${i}`, { keys: 2000 }));
    for (const s of sessions) s.delete();
    assert.equal(memoryUse().inUse, base, `round ${round}`);
  }
});

test('when the wasm memory itself runs out, steps are refused one by one and freeing recovers', async () => {
  // No budget: the memory the module may grow to (2 GiB) runs out, or the
  // browser stops giving more. Most of it is taken here by raw blocks, which
  // is quicker than 70 heavy rings and leaves the same full heap.
  setMemoryBudget(0);
  const sessions = [await heavyRing('ring A'), await heavyRing('ring B')];
  const blocks = [];
  try {
    const sizes = [];
    for (const size of [256 * MiB, 16 * MiB, MiB, 64 * 1024]) {
      for (let p = module._malloc(size); p !== 0; p = module._malloc(size)) {
        blocks.push(p);
        sizes.push(size);
      }
    }
    // Room for a session and its nodes, not for 200,000 keys: ~6 MiB, the
    // smallest blocks first (how many of each fit depends on the heap's
    // layout, which the sessions' checkpoints change).
    for (let freed = 0; freed < 6 * MiB;) {
      module._free(blocks.pop());
      freed += sizes.pop();
    }
    console.log(`# wasm memory ${(memoryUse().memory / MiB).toFixed(0)} MiB, full but ~6 MiB`);
    const ring = await heavyRing('ring C', { keys: 0 });
    sessions.push(ring);
    const before = ring.snapshot({ full: true });
    for (let i = 0; i < 3; i += 1) {
      // An SdpError each time: never an abort, a stack overflow or a WebAssembly.Exception.
      assert.throws(() => ring.apply({ op: 'add_keys', count: 200000, prefix: 'user:' }),
        isMemoryError(/^ring C: add_keys: out of memory: this step needs more memory than is left; nothing was changed$/));
      assert.deepEqual(ring.snapshot({ full: true }), before); // not 65,536 keys: none
    }
    // The instance survives: the other sessions still answer and render.
    for (const s of sessions.slice(0, 2)) {
      assert.equal(typeof s.apply({ op: 'lookup', key: 'user:7' }).node, 'string');
      assert.equal(s.column('key_hash').length, 200000);
    }
    // Freeing recovers.
    while (blocks.length) module._free(blocks.pop());
    assert.equal(ring.apply({ op: 'add_keys', count: 200000, prefix: 'user:' }).keys, 200000);
  } finally {
    while (blocks.length) module._free(blocks.pop());
    for (const s of sessions) s.delete();
    setMemoryBudget(MEMORY_BUDGET_BYTES);
  }
});

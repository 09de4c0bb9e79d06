// The last resort (wasm/memory.cpp): an allocation that fails inside a
// noexcept destructor -- nlohmann::json's destroy() allocates -- calls
// std::terminate. Before issue #25 that looped (terminate -> abort() throws a
// JS error -> catch_all -> terminate ...): ~7,000 "Aborted()" lines per call,
// then "Maximum call stack size exceeded". Now it traps once, and the facade
// says the engine stopped instead of using it again. Its own file: the
// engine it stops is this process's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SdpError, SimSession, useModuleFactory } from '../../dist/wasm/sdp.mjs';

const dir = fileURLToPath(new URL('../../dist/wasm/', import.meta.url));
const factory = createRequire(import.meta.url)(`${dir}sdp.js`);
const wasmBinary = readFileSync(`${dir}sdp.wasm`);

process.setMaxListeners(0); // every instance adds emscripten's own process listeners

const SETUP = [{ op: 'add_node', id: 'A' }, { op: 'add_node', id: 'B' }, { op: 'add_node', id: 'C' },
  { op: 'add_node', id: 'D' }, { op: 'add_keys', count: 2000 }];
const STEP = { op: 'set_vnodes', count: 500 };

// The first allocation of STEP whose failure ends in std::terminate: set_vnodes
// builds its result as JSON last, so one is found after the ring's own
// allocations (80 with emscripten 3.1.6). A fresh instance per try.
async function findTerminatingAllocation() {
  for (let n = 1; n <= 1000; n += 1) {
    const printed = [];
    const module = await factory({ wasmBinary, printErr: (line) => printed.push(line) });
    const session = new module.Session();
    session.open('hash_ring', 3, '{"vnodes":200}');
    for (const step of SETUP) assert.ok(session.apply(JSON.stringify(step)).ok);
    module.failAllocationAfter(n);
    try {
      const envelope = session.apply(JSON.stringify(STEP));
      assert.equal(envelope.ok, false, `allocation ${n}: the step succeeded`);
      assert.equal(envelope.memory, true);
    } catch (error) {
      // A C++ exception out of embind's argument copy: the instance is fine.
      if (error instanceof WebAssembly.Exception) continue;
      return { n, error, printed };
    }
  }
  return null;
}

test('std::terminate traps once; the facade then refuses to use the engine', async () => {
  const found = await findTerminatingAllocation();
  assert.ok(found, 'no allocation of set_vnodes ended in std::terminate');
  // One trap: no "Aborted()" storm, no stack overflow.
  assert.ok(found.error instanceof WebAssembly.RuntimeError, String(found.error));
  assert.match(found.error.message, /unreachable/);
  assert.deepEqual(found.printed, []);

  useModuleFactory(factory, { wasmBinary });
  const session = await SimSession.create('hash_ring', { seed: 3, config: { vnodes: 200 }, owner: 'ring T' });
  const other = await SimSession.create('hash_ring', { owner: 'ring U' });
  for (const step of SETUP) session.apply(step);
  const { loadSdp } = await import('../../dist/wasm/sdp.mjs');
  (await loadSdp()).failAllocationAfter(found.n);
  assert.throws(() => session.apply(STEP), (e) => e instanceof SdpError
    && e.message === 'ring T: the simulation engine stopped (RuntimeError: unreachable); reload the page');
  // Every later call says the same, for whoever asks.
  assert.throws(() => other.snapshot(), /: ring U: the simulation engine stopped/);
  await assert.rejects(SimSession.create('hash_ring', { owner: 'ring V' }), /: ring V: the simulation engine stopped/);
  session.delete();
  other.delete();
});

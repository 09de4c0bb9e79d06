// The JS facade over the wasm module: errors, ownership, copies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liveSessions, listSims, runScenario, SdpError, SimSession } from '../../dist/wasm/sdp.mjs';

test('a C++ error surfaces as an SdpError with its message, and the session is unchanged', async () => {
  const session = await SimSession.create('hash_ring', { seed: 3 });
  session.apply({ op: 'add_node', id: 'A' });
  const before = session.snapshot({ full: true });
  assert.throws(() => session.apply({ op: 'add_node', id: 'A' }),
    (e) => e instanceof SdpError && e.message === 'add_node: a node "A" already exists; ids must be unique');
  assert.throws(() => session.apply({ op: 'add_node', id: 'B', weight: -1 }),
    (e) => e instanceof SdpError && /field "weight" must be a number in \[0\.01, 100\]/.test(e.message));
  assert.throws(() => session.apply({ op: 'lookup' }), /missing required field "key"/);
  assert.deepEqual(session.snapshot({ full: true }), before);
  assert.equal(session.apply({ op: 'add_node', id: 'B' }).node, 'B');
  session.delete();
});

test('the instance keeps working after many failing calls', async () => {
  const session = await SimSession.create('hash_ring');
  for (let i = 0; i < 20000; i += 1) {
    assert.throws(() => session.apply({ op: 'remove_node', id: `ghost-${i}` }), SdpError);
  }
  assert.equal(session.apply({ op: 'add_node', id: 'alive' }).node, 'alive');
  session.delete();
});

test('bad sims, configs, seeds and JSON are refused with clear messages', async () => {
  await assert.rejects(SimSession.create('nope'), /unknown sim "nope"/);
  await assert.rejects(SimSession.create('hash_ring', { config: { vnodes: 0 } }),
    /config: field "vnodes" must be an integer in \[1, 1000\] \(got 0\)/);
  await assert.rejects(SimSession.create('hash_ring', { seed: -1 }), /seed must be an integer/);
  await assert.rejects(SimSession.create('hash_ring', { seed: 1.5 }), /seed must be an integer/);
  await assert.rejects(runScenario('{"sim":'), /not valid JSON/);
  await assert.rejects(runScenario('{"sim":"x"}'), /unknown sim "x"; known: hash_ring/);
});

test('sessions are counted until .delete(); deleted sessions refuse politely', async () => {
  const base = liveSessions();
  const sessions = await Promise.all([1, 2, 3].map((seed) => SimSession.create('hash_ring', { seed })));
  assert.equal(liveSessions(), base + 3);
  for (const s of sessions) s.delete();
  sessions[0].delete(); // twice is harmless
  assert.equal(liveSessions(), base);
  assert.throws(() => sessions[1].snapshot(), /session was deleted/);
});

test('columns are copies, not live views of the wasm heap', async () => {
  const session = await SimSession.create('hash_ring');
  session.apply({ op: 'add_node', id: 'A' });
  session.apply({ op: 'add_keys', count: 10 });
  const hashes = session.column('key_hash');
  assert.ok(hashes instanceof Uint32Array);
  assert.equal(hashes.length, 10);
  const copy = Uint32Array.from(hashes);
  hashes.fill(0);
  session.apply({ op: 'add_keys', count: 50000 }); // grows the heap
  assert.deepEqual(session.column('key_hash').slice(0, 10), copy);
  assert.equal(session.column('no_such_column').length, 0);
  session.delete();
});

test('listSims describes hash_ring and its ops', async () => {
  const { sims } = await listSims();
  const ring = sims.find((s) => s.sim === 'hash_ring');
  assert.ok(ring);
  assert.deepEqual(ring.ops.map((o) => o.op),
    ['add_node', 'remove_node', 'set_vnodes', 'add_keys', 'add_key', 'lookup']);
});

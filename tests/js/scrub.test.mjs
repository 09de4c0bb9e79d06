// Time travel through the JS facade (SimSession.goTo / timeline): going to
// a position equals a fresh replay of that many steps, acting there is a
// branch, and the checkpoints make a long log cheap to move in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SdpError, SimSession } from '../../dist/wasm/sdp.mjs';

// Steps of the load balancer: waits, a crash and a recovery, more load.
const STEPS = [
  { op: 'advance', ms: 5000 }, { op: 'server_fail', id: 's2' }, { op: 'advance', ms: 5000 },
  { op: 'traffic', rps: 400 }, { op: 'advance', ms: 5000 }, { op: 'server_recover', id: 's2' },
  { op: 'advance', ms: 5000 },
];

async function replayed(count, steps = STEPS) {
  const fresh = await SimSession.create('load_balancer', { seed: 5 });
  for (const step of steps.slice(0, count)) fresh.apply(step);
  const snap = fresh.snapshot({ full: true });
  fresh.delete();
  return snap;
}

test('goTo(n) shows what a fresh replay of n steps shows, back and forth', async () => {
  const session = await SimSession.create('load_balancer', { seed: 5 });
  for (const step of STEPS) session.apply(step);
  assert.deepEqual(session.timeline().steps, STEPS.length);
  for (const n of [3, 0, STEPS.length, 1, 6, 2]) {
    assert.equal(session.goTo(n), n);
    assert.deepEqual(session.timeline(), { ...session.timeline(), position: n, steps: STEPS.length });
    assert.deepEqual(session.snapshot({ full: true }), await replayed(n), `after goTo(${n})`);
  }
  session.delete();
});

test('applying in the past discards the later steps (a branch)', async () => {
  const session = await SimSession.create('load_balancer', { seed: 5 });
  for (const step of STEPS) session.apply(step);
  session.goTo(2);
  const other = { op: 'advance', ms: 1234 };
  session.apply(other);
  assert.equal(session.timeline().steps, 3);
  assert.equal(session.timeline().position, 3);
  assert.deepEqual(session.snapshot({ full: true }), await replayed(3, [...STEPS.slice(0, 2), other]));
  assert.throws(() => session.goTo(4), (e) => e instanceof SdpError && /past the last step \(3\)/.test(e.message));
  session.delete();
});

test('a refused step in the past discards nothing; bad positions are refused', async () => {
  const session = await SimSession.create('load_balancer', { seed: 5 });
  for (const step of STEPS) session.apply(step);
  session.goTo(1);
  assert.throws(() => session.apply({ op: 'server_fail', id: 'nope' }), SdpError);
  assert.deepEqual(session.timeline(), { ...session.timeline(), position: 1, steps: STEPS.length });
  for (const bad of [-1, 1.5, NaN, 'x']) {
    assert.throws(() => session.goTo(bad), (e) => e instanceof SdpError && /position must be an integer/.test(e.message), String(bad));
  }
  assert.equal(session.timeline().position, 1);
  session.delete();
});

test('a long log gets checkpoints, and going back lands on the right state', async () => {
  const steps = Array.from({ length: 200 }, (_, i) => (i % 50 === 25 ? { op: 'traffic', rps: 100 + i } : { op: 'advance', ms: 3000 }));
  const session = await SimSession.create('load_balancer', { seed: 9 });
  for (const step of steps) session.apply(step);
  assert.ok(session.timeline().checkpoints > 0, 'a 10-minute run keeps checkpoints');
  assert.ok(session.timeline().checkpoints <= 32, 'at most kMaxCheckpoints');
  session.goTo(137);
  const fresh = await SimSession.create('load_balancer', { seed: 9 });
  for (const step of steps.slice(0, 137)) fresh.apply(step);
  assert.deepEqual(session.snapshot({ full: true }), fresh.snapshot({ full: true }));
  fresh.delete();
  session.delete();
});

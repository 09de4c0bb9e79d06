// The pure parts of <sdp-cap>'s drawing: which replicas form a side (from
// the snapshot's cut links), the spans during which the network was not
// whole (from its network_log), and the labels the timeline's bars carry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sides } from '../../web/cap-cluster.mjs';
import { networkSpans, opLabel } from '../../web/cap-timeline.mjs';

test('sides: replicas still linked form one side, whichever links are cut', () => {
  assert.deepEqual(sides(3, []), { side: [0, 0, 0], count: 1 });
  // One cut link splits nothing: r1 reaches r2 through r3.
  assert.deepEqual(sides(3, [['r1', 'r2']]), { side: [0, 0, 0], count: 1 });
  assert.deepEqual(sides(3, [['r1', 'r2'], ['r1', 'r3']]), { side: [0, 1, 1], count: 2 });
  // partition r1,r2 | r3,r4 | r5 as the sim lists its cut links (a < b).
  const cut = [['r1', 'r3'], ['r1', 'r4'], ['r1', 'r5'], ['r2', 'r3'], ['r2', 'r4'], ['r2', 'r5'], ['r3', 'r5'], ['r4', 'r5']];
  assert.deepEqual(sides(5, cut), { side: [0, 0, 1, 1, 2], count: 3 });
});

test('networkSpans: a partition lasts until heal; cuts add up; a partition replaces them', () => {
  const log = [
    { t_us: 1000, what: 'cut r1-r2' },
    { t_us: 5000, what: 'cut r1-r3' },
    { t_us: 9000, what: 'heal' },
    { t_us: 12000, what: 'partition r1 | r2,r3' },
    { t_us: 15000, what: 'cut r2-r3' },
    { t_us: 20000, what: 'partition r1,r2 | r3' },
  ];
  assert.deepEqual(networkSpans(log, 30000), [
    { from: 1000, to: 5000, what: ['cut r1-r2'] },
    { from: 5000, to: 9000, what: ['cut r1-r2', 'cut r1-r3'] },
    { from: 12000, to: 15000, what: ['partition r1 | r2,r3'] },
    { from: 15000, to: 20000, what: ['partition r1 | r2,r3', 'cut r2-r3'] },
    { from: 20000, to: 30000, what: ['partition r1,r2 | r3'] },
  ]);
  assert.deepEqual(networkSpans([], 100), []);
});

test('opLabel: id, kind, key and value; long keys are shortened', () => {
  const op = { id: 3, kind: 'write', key: 'x', value: 2, ok: true };
  assert.equal(opLabel(op), '#3 W x=2');
  assert.equal(opLabel({ ...op, kind: 'read', value: 1 }), '#3 R x→1');
  assert.equal(opLabel({ ...op, kind: 'read', ok: false }), '#3 R x');
  assert.equal(opLabel({ ...op, key: 'user:12345' }), '#3 W user:…=2');
  // A right-to-left override in a key stays inside the key.
  assert.equal(opLabel({ ...op, key: '\u202eevil' }), '#3 W \u2068\u202eevil\u2069=2');
});

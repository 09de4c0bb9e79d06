// The pure parts of <sdp-cap>'s drawing: which replicas form a side (from
// the snapshot's cut links), the spans during which the network was not
// whole (from its network_log), the rows of their labels, and the labels
// the timeline's bars carry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { at, CLUSTER_RING, CLUSTER_SIZE, sides } from '../../web/cap-cluster.mjs';
import { beyondLine, lineInSquare } from '../../web/cap-knife.mjs';
import { bandLabelRows, networkSpans, opLabel } from '../../web/cap-timeline.mjs';

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

test('bandLabelRows: labels that would overprint go a row up; a row is reused once it is clear', () => {
  // Two partitions at the same instant (the first lasts 0 us), then one far right.
  const { labels, rows } = bandLabelRows([
    { x: 100, text: '✂ partition r3 | r1,r2' },
    { x: 100, text: '✂ partition r2,r3 | r1' },
    { x: 400, text: '✂ cut r1-r2' },
  ]);
  assert.deepEqual(labels.map((l) => l.row), [0, 1, 0]);
  assert.equal(rows, 2);
  // A label that starts inside the one before it (a short band) also goes up.
  assert.deepEqual(bandLabelRows([{ x: 10, text: '✂ cut r1-r2' }, { x: 30, text: '✂ cut r1-r2, cut r1-r3' }]).labels.map((l) => l.row), [0, 1]);
  assert.equal(bandLabelRows([]).rows, 1);
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

test('opLabel: sibling reads show every value; cache reads say so', () => {
  const read = { id: 4, kind: 'read', key: 'x', ok: true, value: 3, values: [3, 2] };
  assert.equal(opLabel(read), '#4 R x→{3,2}');
  assert.equal(opLabel({ ...read, values: [3] }), '#4 R x→3');
  assert.equal(opLabel({ id: 5, kind: 'read', key: 'x', ok: true, value: 1, from_cache: true }), '#5 R x→1 (cache)');
});

test('beyondLine: the partition line splits off the replicas beyond it, as the picture places them', () => {
  const c = CLUSTER_SIZE / 2;
  const ring = (n) => Array.from({ length: n }, (_, i) => at(i, n, CLUSTER_RING));
  const up = -Math.PI / 2; // towards r1, drawn at the top
  // Far out: nothing; a little inside r1: r1 alone; through the centre: the upper half.
  assert.deepEqual(beyondLine(ring(3), c, up, CLUSTER_RING + 1), []);
  assert.deepEqual(beyondLine(ring(3), c, up, CLUSTER_RING * 0.55), [0]);
  assert.deepEqual(beyondLine(ring(5), c, up, 0), [0, 1, 4]);
  // Facing between r1 and r2 of 4 (r2 is at the right): both, and only them.
  assert.deepEqual(beyondLine(ring(4), c, -Math.PI / 4, CLUSTER_RING * 0.5), [0, 1]);
  // Behind the centre: everything but the far side.
  assert.deepEqual(beyondLine(ring(3), c, up, -CLUSTER_RING * 0.9), [0, 1, 2]);
});

test('lineInSquare: the partition line ends at the picture\'s edges', () => {
  assert.deepEqual(lineInSquare(50, 30, 1, 0, 100), [0, 30, 100, 30]);
  assert.deepEqual(lineInSquare(50, 30, 0, -1, 100), [50, 100, 50, 0]);
  const [x1, y1, x2, y2] = lineInSquare(50, 50, 1, 1, 100);
  assert.deepEqual([x1, y1, x2, y2].map((v) => Math.round(v)), [0, 0, 100, 100]);
});

// What <sdp-tcp-vs-udp> draws, from the `transport` sim's real output (the
// built wasm engine): the delivered-bytes curve ends at the totals, the
// congestion-window series split by phase with the fast retransmit where RFC
// 5681 puts it, the Mathis chart's curve and points both from the sim, and
// UDP's arrival order marked as the sim counted it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SimSession } from '../../dist/wasm/sdp.mjs';
import {
  arrivalOrder, cwndSeries, deliveredSeries, latencySeries, mathisSeries, NOT_DELIVERED, UDP_FATE, udpSummary,
} from '../../web/tcp-vs-udp-data.mjs';

const MSS = 1460;

async function run(config, steps, seed = 1) {
  const session = await SimSession.create('transport', { seed, config });
  for (const step of steps) session.apply(step);
  const column = (name) => Array.from(session.column(name));
  return { session, snap: session.snapshot(), column };
}

test('delivered bytes: cumulative per bucket, ending at each application\'s total at now', async () => {
  const { session, snap, column } = await run({ loss: 0.05, jitter_ms: 10, reorder: 0.05, duplicate: 0.02 },
    [{ op: 'send', messages: 100, size: 1000, interval_ms: 10 }, { op: 'run' }], 7);
  const [xs, tcp, udp] = deliveredSeries({ tMs: column('t_ms'), tcpBytes: column('tcp_bytes'), udpBytes: column('udp_bytes'),
    bucketMs: 100, nowMs: snap.now_us / 1000, tcpTotal: snap.tcp.delivered_bytes, udpTotal: snap.udp.delivered_bytes });
  assert.equal(tcp.at(-1), 100000); // every message, once
  assert.equal(udp.at(-1), snap.udp.delivered_bytes);
  assert.ok(udp.at(-1) < 100000 && udp.at(-1) >= 90000, String(udp.at(-1)));
  assert.ok(Math.abs(xs.at(-1) - snap.now_us / 1e6) < 1e-9, `${xs.at(-1)} s`);
  for (let i = 1; i < xs.length; i += 1) {
    assert.ok(xs[i] > xs[i - 1] && tcp[i] >= tcp[i - 1] && udp[i] >= udp[i - 1], `not cumulative at ${i}`);
  }
  // UDP's first bytes arrive one latency after the first send; TCP's after the handshake too.
  const first = (ys) => xs[ys.findIndex((y) => y > 0)];
  assert.ok(first(udp) < first(tcp), `${first(udp)} vs ${first(tcp)}`);
  session.delete();
});

test('cwnd: slow start, then fast recovery at the third duplicate ACK (200 ms), marked at ssthresh + 3 MSS', async () => {
  const { session, snap, column } = await run({ initial_cwnd: 10 },
    [{ op: 'send', messages: 1, size: 100 * MSS, protocol: 'tcp' }, { op: 'drop', segment: 5 }, { op: 'run' }]);
  const [xs, slow, avoid, recovery, ssthresh, timeouts, fast] = cwndSeries({ traceT: column('trace_t_ms'),
    traceCwnd: column('trace_cwnd'), tracePhase: column('trace_phase'), events: snap.tcp_events, mss: MSS });
  assert.equal(xs.length, slow.length);
  const at = fast.findIndex((v) => v !== null);
  assert.equal(xs[at], 0.2);
  assert.equal(fast[at], 15 / 2 + 3); // RFC 5681 3.2: ssthresh = 15 in flight / 2, + 3 SMSS
  assert.equal(ssthresh[at], 7.5);
  assert.ok(timeouts.every((v) => v === null));
  // The window starts at 10 segments in slow start and is in recovery at 200 ms, avoidance after.
  assert.equal(slow.find((v) => v !== null), 10);
  assert.ok(recovery.some((v, i) => v !== null && xs[i] === 0.2));
  assert.ok(avoid.some((v, i) => v !== null && xs[i] >= 0.3));
  // One unbroken line: every row has a value on some phase line once data flows.
  const begun = slow.findIndex((v) => v !== null);
  for (let i = begun; i < xs.length; i += 1) assert.ok([slow, avoid, recovery].some((line) => line[i] !== null), `gap at ${xs[i]} s`);
  session.delete();
});

test('Mathis chart: the curve is the sim\'s, each measured point sits on it with its own prediction; another RTT is hidden', async () => {
  const { session } = await run({}, [{ op: 'mathis', loss: 0.01, seconds: 60 }, { op: 'mathis', loss: 0.004, seconds: 60 }]);
  session.apply({ op: 'link', latency_ms: 30 });
  session.apply({ op: 'mathis', loss: 0.01, seconds: 60 });
  const snap = session.snapshot();
  const { data, points, hidden } = mathisSeries(snap.mathis_curve, snap.mathis);
  assert.equal(points.length, 1);
  assert.equal(hidden, 2);
  const [ps, formula, measured] = data;
  assert.deepEqual(ps.filter((p, i) => measured[i] === null), snap.mathis_curve.loss.map((p) => p * 100));
  const row = measured.findIndex((m) => m !== null);
  assert.equal(ps[row], 1);
  assert.equal(formula[row], points[0].predicted_bytes_per_s / 1000);
  assert.equal(measured[row], points[0].measured_bytes_per_s / 1000);
  // The formula by hand at 60 ms RTT and p = 1%: (1460 / 0.06) * sqrt(1.5) / 0.1 bytes/s.
  assert.ok(Math.abs(formula[row] - (1460 / 0.06) * Math.sqrt(1.5) / 0.1 / 1000) < 1e-9);
  for (let i = 1; i < ps.length; i += 1) assert.ok(ps[i] >= ps[i - 1]);
  // Latency 0: no round trip, no curve, no points; the axis keeps its range.
  assert.deepEqual(mathisSeries(null, snap.mathis), { data: [[0.1, 5], [null, null], [null, null]], points: [], hidden: 3 });
  session.delete();
});

test('UDP: arrival order and fates agree with the sim\'s counters; latency is null where nothing arrived', async () => {
  const { session, snap, column } = await run({ loss: 0.1, duplicate: 0.1, reorder: 0.2, reorder_delay_ms: 5 },
    [{ op: 'send', messages: 150, size: 200, interval_ms: 1, protocol: 'udp' }, { op: 'run' }], 3);
  const arrivals = arrivalOrder(snap.udp.app.first_received_ids);
  assert.equal(arrivals.filter((a) => a.again).length, snap.udp.app.duplicates);
  assert.equal(arrivals.filter((a) => a.late).length, snap.udp.app.out_of_order);
  const fates = column('msg_udp_fate');
  const copies = column('msg_udp_copies');
  const { lost, late, twice } = udpSummary(fates, copies);
  assert.equal(lost.length, snap.udp.app.missing);
  assert.equal(late.length, snap.udp.app.out_of_order);
  assert.equal(twice.length, snap.udp.app.duplicates);
  const [ids, tcp, udp] = latencySeries(column('msg_tcp_us'), column('msg_udp_us'));
  assert.equal(ids.length, 150);
  assert.ok(tcp.every((v) => v === null)); // UDP only
  lost.forEach((id) => assert.equal(udp[id], null));
  assert.ok(udp.filter((v) => v !== null).every((v) => v >= 50)); // one latency at least
  assert.ok(fates.every((f) => f !== UDP_FATE.inFlight && f !== UDP_FATE.notSent));
  assert.equal(NOT_DELIVERED, 2 ** 32 - 1);
  session.delete();
});

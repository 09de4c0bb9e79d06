// The `transport` sim's columns and snapshot turned into what the
// <sdp-tcp-vs-udp> charts and strips draw. Pure functions (no DOM), so node
// tests check them directly (tests/js/tcp_vs_udp_data.test.mjs); the numbers
// all come from the sim, these only reshape them.

// TCP's phase, by the sim's trace_phase value (PhaseName in tcp_flow.cpp).
export const SLOW_START = 2;
export const CONGESTION_AVOIDANCE = 3;
export const FAST_RECOVERY = 4;
// The latency columns' "not delivered (yet)".
export const NOT_DELIVERED = 0xffffffff;
// The msg_udp_fate column (TransportSim::UdpFate).
export const UDP_FATE = { notSent: 0, inFlight: 1, arrived: 2, late: 3, lost: 4 };

const toSeconds = (ms) => ms / 1000;

// Bytes each application received so far, at the end of every closed chart
// bucket, then at `now` (the open bucket is not in the columns yet; the
// totals are): [x (s), TCP bytes, UDP bytes].
export function deliveredSeries({ tMs, tcpBytes, udpBytes, bucketMs, nowMs, tcpTotal, udpTotal }) {
  const xs = [0];
  const tcp = [0];
  const udp = [0];
  let sumTcp = 0;
  let sumUdp = 0;
  for (let i = 0; i < tMs.length; i += 1) {
    sumTcp += tcpBytes[i];
    sumUdp += udpBytes[i];
    xs.push(toSeconds(tMs[i] + bucketMs));
    tcp.push(sumTcp);
    udp.push(sumUdp);
  }
  if (nowMs > xs.at(-1) * 1000 || tcp.at(-1) !== tcpTotal || udp.at(-1) !== udpTotal) {
    xs.push(toSeconds(Math.max(nowMs, xs.at(-1) * 1000)));
    tcp.push(tcpTotal);
    udp.push(udpTotal);
  }
  return [xs, tcp, udp];
}

// Each message's latency in ms by id, null where it has not arrived.
export function latencySeries(tcpUs, udpUs) {
  const n = Math.max(tcpUs.length, udpUs.length);
  const ms = (v) => (v === undefined || v === NOT_DELIVERED ? null : v / 1000);
  return [Array.from({ length: n }, (_, i) => i), Array.from({ length: n }, (_, i) => ms(tcpUs[i])),
    Array.from({ length: n }, (_, i) => ms(udpUs[i]))];
}

// TCP's congestion window in segments over time, one series per phase (so
// the colour says slow start, congestion avoidance or fast recovery), the
// slow-start threshold, and the retransmissions as markers at the window
// they left behind: [x (s), slow start, avoidance, recovery, ssthresh,
// timeout markers, fast-retransmit markers].
// trace: every change of cwnd (trace_t_ms / trace_cwnd / trace_phase);
// events: the snapshot's tcp_events ({t_us, what, cwnd, ssthresh}).
export function cwndSeries({ traceT, traceCwnd, tracePhase, events, mss }) {
  const lineOf = { [SLOW_START]: 0, [CONGESTION_AVOIDANCE]: 1, [FAST_RECOVERY]: 2 };
  const rows = [];
  for (let i = 0; i < traceT.length; i += 1) {
    rows.push({ t: traceT[i], event: false, cwnd: traceCwnd[i] / mss, line: lineOf[tracePhase[i]] ?? -1 });
  }
  for (const e of events) {
    const marker = e.what === 'timeout' ? 'timeout' : e.what === 'fast retransmit' || e.what === 'partial ack' ? 'fast' : null;
    rows.push({ t: e.t_us / 1000, event: true, cwnd: e.cwnd / mss, marker, ssthresh: e.ssthresh ? e.ssthresh / mss : null });
  }
  // Stable: at one instant the window's changes come before the events.
  rows.sort((a, b) => a.t - b.t || a.event - b.event);
  const out = Array.from({ length: 7 }, () => []);
  let active = -1; // the phase line being drawn
  let level = null; // its last value
  let ssthresh = null;
  for (const row of rows) {
    const lines = [null, null, null];
    if (!row.event) {
      // The line of the phase that just ended runs on to this point, so the
      // window is one unbroken curve that changes colour.
      if (active >= 0) lines[active] = row.cwnd;
      if (row.line >= 0) lines[row.line] = row.cwnd;
      active = row.line;
      level = row.cwnd;
    } else {
      if (active >= 0) lines[active] = level; // the line passes through the event
      if (row.ssthresh !== null) ssthresh = row.ssthresh;
    }
    out[0].push(toSeconds(row.t));
    for (let i = 0; i < 3; i += 1) out[i + 1].push(lines[i]);
    out[4].push(ssthresh);
    out[5].push(row.event && row.marker === 'timeout' ? row.cwnd : null);
    out[6].push(row.event && row.marker === 'fast' ? row.cwnd : null);
  }
  return out;
}

// The Mathis chart: the formula's curve (the sim's mathis_curve) and the
// measured points at the same RTT, on one x axis of loss in percent:
// {data: [p %, formula kB/s, measured kB/s], points (those drawn), hidden
// (measured at another RTT)}. At a measured p off the curve's grid the
// formula's value is the point's own prediction, also the sim's.
export function mathisSeries(curve, measured) {
  // No RTT, no curve: an empty chart over the same range (a log axis needs one).
  if (!curve) return { data: [[0.1, 5], [null, null], [null, null]], points: [], hidden: measured.length };
  const points = measured.filter((m) => m.rtt_ms === curve.rtt_ms);
  const rows = curve.loss.map((p, i) => ({ p, formula: curve.predicted_bytes_per_s[i], measured: null }));
  for (const m of points) rows.push({ p: m.loss, formula: m.predicted_bytes_per_s, measured: m.measured_bytes_per_s });
  rows.sort((a, b) => a.p - b.p || (a.measured === null) - (b.measured === null));
  const kB = (v) => (v === null ? null : v / 1000);
  return {
    data: [rows.map((r) => r.p * 100), rows.map((r) => kB(r.formula)), rows.map((r) => kB(r.measured))],
    points,
    hidden: measured.length - points.length,
  };
}

// What the UDP application saw, from the first copies it received (the
// snapshot's first_received_ids, in arrival order): each id once per copy,
// marked `late` when a higher id had come before it, `again` when it is a
// second copy.
export function arrivalOrder(ids) {
  const seen = new Set();
  let highest = -1;
  return ids.map((id) => {
    const again = seen.has(id);
    const late = !again && id < highest;
    seen.add(id);
    highest = Math.max(highest, id);
    return { id, late, again };
  });
}

// Ids by UDP fate (lost, late, twice) for the sentence under the strip.
export function udpSummary(fates, copies) {
  const lost = [];
  const late = [];
  const twice = [];
  fates.forEach((fate, id) => {
    if (fate === UDP_FATE.lost) lost.push(id);
    if (fate === UDP_FATE.late) late.push(id);
    if (copies[id] > 1) twice.push(id);
  });
  return { lost, late, twice };
}

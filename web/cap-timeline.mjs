// The history timeline of <sdp-cap>: one lane per client, each operation a
// bar from its invocation to its response (what a linearizability checker
// reasons about), the network's state as a band across the lanes, refused
// and stale operations marked in words as well as colour, and the
// operations the checker could not order outlined.
//
// Time is drawn in proportion (one link latency = LATENCY_PX) but every bar
// gets at least the width of its label, and quiet stretches longer than
// MAX_GAP are cut short and labelled: a history with a 200 ms timeout and
// 2 ms local reads stays readable, and a quorum round trip is not cut. Only the newest MAX_OPS operations are
// drawn; the note under the timeline says so.

import { formatCount, svg } from './dom.mjs';

export const MAX_OPS = 60;
const LEFT = 44; // lane labels
const RIGHT = 90; // room after "now" for its label
const HEADER = 26; // the network band's first label row
const BAND_ROW = 16; // each further row of band labels (a label box is 15 px high)
const LANE = 44;
const BAR = 20;
const AXIS = 30;
export const LATENCY_PX = 24;
const MIN_GAP = 4;
const MAX_GAP = 240;
const CHAR_PX = 6.4; // about one character of the 11.5 px labels
const MIN_WIDTH = 900;

export const ms = (us) => (us >= 10000000 ? `${formatCount(Math.round(us / 1e6))} s` : us >= 1000000 ? `${(us / 1e6).toFixed(2)} s` : `${formatCount(Math.round(us / 1000))} ms`);

// A key as typed, but a bidi override in it (U+202E) cannot reverse the
// text after it: the key is isolated (U+2068 ... U+2069) when it has one.
export function keyText(key) {
  return /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(key) ? `\u2068${key}\u2069` : key;
}

// "#3 W x=2", "#4 R x→1": what the bar says.
export function opLabel(op) {
  const key = keyText(op.key.length > 6 ? `${op.key.slice(0, 5)}…` : op.key);
  if (op.kind === 'write') return `#${op.id} W ${key}=${op.value}`;
  if (!op.ok) return `#${op.id} R ${key}`;
  return `#${op.id} R ${key}→${readText(op)}${op.from_cache ? ' (cache)' : ''}`;
}

// A read's answer: one value, or its siblings (vector clocks) as {3,2}.
const readText = (op) => (op.values && op.values.length > 1 ? `{${op.values.join(',')}}` : `${op.value}`);

function opTitle(op) {
  const key = keyText(op.key);
  const what = op.kind === 'write' ? `writes ${key} = ${op.value}` : op.ok ? `reads ${key} → ${readText(op)}` : `reads ${key}`;
  const clock = op.context === undefined ? '' : ` (context ${op.context || 'empty'}${op.dot ? `, dot ${op.dot}` : ''})`;
  const when = op.response_us === null ? `invoked at ${ms(op.invoke_us)}, no answer yet`
    : `${ms(op.invoke_us)} → ${ms(op.response_us)}`;
  const fate = op.status === 'ok' ? (op.stale ? 'ok, but stale: a write completed before this read began was missed' : 'ok')
    : op.status === 'in_flight' ? 'in flight' : `${op.status}: ${op.reason ?? ''}`;
  const cached = op.from_cache ? `; from the cache: ${op.reason}` : '';
  return `#${op.id}: ${op.client} ${what}${clock} via ${op.replica}, ${when}; ${fate}${cached}`;
}

// The network's state over time, from the snapshot's network_log: spans
// during which some link was cut, each with what cut it.
export function networkSpans(log, now) {
  const spans = [];
  let open = null;
  for (const e of log) {
    if (e.what === 'heal') {
      if (open) open.to = e.t_us;
      open = null;
    } else if (e.what.startsWith('partition')) {
      if (open) open.to = e.t_us;
      open = { from: e.t_us, to: null, what: [e.what] };
      spans.push(open);
    } else {
      if (open && open.from !== e.t_us) {
        open.to = e.t_us;
        open = { from: e.t_us, to: null, what: [...open.what] };
        spans.push(open);
      }
      if (!open) {
        open = { from: e.t_us, to: null, what: [] };
        spans.push(open);
      }
      open.what.push(e.what);
    }
  }
  for (const s of spans) s.to ??= now;
  return spans;
}

// Rows for the band labels, given left to right as {x, text}: each goes
// on the lowest row where it clears the labels already there. Two bands
// that start at the same x (a partition replaced at the same instant, or
// bands that began before the view, all drawn from its start) are stacked
// instead of printed over each other. Returns [{x, text, row}] and rows.
export function bandLabelRows(labels) {
  const rowEnds = [];
  const placed = labels.map(({ x, text }) => {
    let row = rowEnds.findIndex((end) => end <= x);
    if (row < 0) row = rowEnds.push(0) - 1;
    rowEnds[row] = x + text.length * CHAR_PX + 8;
    return { x, text, row };
  });
  return { labels: placed, rows: Math.max(1, rowEnds.length) };
}

// The client lanes' names, at the left of the lanes starting at `top`.
function laneLabels(clients, top) {
  return Array.from({ length: clients }, (_, c) =>
    svg('text', { class: 'lane-label', x: 8, y: top + c * LANE + 14 + BAR / 2 + 4, text: `c${c + 1}` }));
}

// The same names as HTML, for the strip that stays in view: each span's
// middle on its lane's baseline (laneLabels' y, less half the 12 px font).
function laneNameSpans(clients, top) {
  return Array.from({ length: clients }, (_, c) => {
    const span = document.createElement('span');
    span.className = 'lane-label';
    span.textContent = `c${c + 1}`;
    span.style.top = `${top + c * LANE + 14 + BAR / 2 + 4 - 11}px`;
    return span;
  });
}

// Maps times to x: in proportion to the latency between MIN_GAP and
// MAX_GAP (longer stretches become labelled cuts), and widened so that
// each bar holds its label.
function layout(ops, times, now, linkMs) {
  const pxPerUs = LATENCY_PX / Math.max(1000, linkMs * 1000);
  const sorted = [...new Set(times)].sort((a, b) => a - b);
  const index = new Map(sorted.map((t, i) => [t, i]));
  const ending = sorted.map(() => []);
  for (const op of ops) {
    const end = op.response_us ?? now;
    if (end > op.invoke_us) ending[index.get(end)].push(op);
  }
  const xs = [];
  const cuts = [];
  sorted.forEach((t, i) => {
    if (i === 0) {
      xs.push(LEFT + 10);
      return;
    }
    const natural = (t - sorted[i - 1]) * pxPerUs;
    if (natural > MAX_GAP) cuts.push({ x: xs[i - 1] + MAX_GAP / 2, us: t - sorted[i - 1] });
    let x = xs[i - 1] + Math.min(MAX_GAP, Math.max(MIN_GAP, natural));
    for (const op of ending[i]) x = Math.max(x, xs[index.get(op.invoke_us)] + opLabel(op).length * CHAR_PX + 10);
    xs.push(x);
  });
  return { x: (t) => xs[index.get(t)], cuts, end: xs.at(-1) ?? LEFT };
}

// Draws into `target` (an <svg>), and the lanes' names also into `names`
// (a <div> kept at the left while the timeline scrolls; optional: HTML on
// its own background, so that contrast checkers can read it, which they
// cannot for text drawn over another picture);
// returns {shown, hidden, violatingHidden}.
export function drawTimeline(target, snap, violating, names = null) {
  const all = snap.ops ?? [];
  const ops = all.slice(-MAX_OPS);
  const now = snap.now_us;
  const clients = snap.config.clients;
  const from = ops.length ? ops[0].invoke_us : 0;
  const spans = networkSpans(snap.network_log, now).filter((s) => s.to >= from);
  const times = [from, now];
  for (const op of ops) times.push(op.invoke_us, op.response_us ?? now);
  for (const s of spans) times.push(Math.max(from, s.from), s.to);
  const map = layout(ops, times, now, snap.config.link_ms);
  const bands = bandLabelRows(spans.map((s) => ({ x: map.x(Math.max(from, s.from)) + 4, text: `✂ ${s.what.join(', ')}` })));
  const width = Math.max(MIN_WIDTH, map.end + RIGHT, ...bands.labels.map((l) => l.x + l.text.length * CHAR_PX + 8));
  const top = HEADER + (bands.rows - 1) * BAND_ROW; // where the lanes start
  const lanesBottom = top + clients * LANE;
  const height = lanesBottom + AXIS;
  const nodes = [];
  // The network band first, under everything; its label on its row above.
  spans.forEach((s, i) => {
    const x1 = map.x(Math.max(from, s.from));
    const x2 = Math.max(x1 + 2, map.x(s.to));
    const { text, row } = bands.labels[i];
    nodes.push(svg('rect', { class: 'band', x: x1, y: top - 4, width: x2 - x1, height: clients * LANE + 4 },
      svg('title', { text: `${s.what.join(', ')}: ${ms(s.from)} → ${s.to === now ? 'now' : ms(s.to)}` })));
    nodes.push(svg('text', { class: 'band-label', x: x1 + 4, y: top - 9 - row * BAND_ROW, text }));
  });
  // Lanes.
  for (let c = 0; c < clients; c += 1) {
    const y = top + c * LANE;
    nodes.push(svg('line', { class: 'lane', x1: LEFT, y1: y + LANE - 6, x2: width - 10, y2: y + LANE - 6 }));
  }
  nodes.push(...laneLabels(clients, top));
  for (const cut of map.cuts) {
    nodes.push(svg('line', { class: 'break', x1: cut.x, y1: top, x2: cut.x, y2: lanesBottom }));
    nodes.push(svg('text', { class: 'muted', x: cut.x, y: lanesBottom + 14, 'text-anchor': 'middle', text: `… ${ms(cut.us)} …` }));
  }
  // Operations.
  for (const op of ops) {
    const lane = Number(op.client.slice(1)) - 1;
    const y = top + lane * LANE + 14;
    const x1 = map.x(op.invoke_us);
    const x2 = Math.max(x1 + 6, map.x(op.response_us ?? now));
    const bad = violating.has(op.id);
    const classes = ['op', op.kind, op.status, op.stale ? 'stale' : '', bad ? 'violating' : ''].filter(Boolean).join(' ');
    const mark = bad ? '✗ not linearizable' : op.stale ? 'stale' : op.status === 'refused' ? '✕ refused'
      : op.status === 'unknown' ? '? unknown' : op.status === 'in_flight' ? '… waiting' : '';
    nodes.push(svg('g', { class: classes, 'data-op': op.id },
      svg('title', { text: opTitle(op) }),
      svg('rect', { x: x1, y, width: x2 - x1, height: BAR, rx: 3 }),
      svg('text', { x: x1 + 4, y: y + BAR / 2 + 4, text: opLabel(op) }),
      mark ? svg('text', { class: 'mark', x: x1 + 2, y: y - 3, text: mark }) : null));
  }
  // The axis: where the view starts, and now.
  nodes.push(svg('text', { class: 'muted', x: LEFT + 10, y: height - 6, text: `t = ${ms(from)}` }));
  const nowX = map.x(now);
  nodes.push(svg('line', { class: 'now', x1: nowX, y1: top - 4, x2: nowX, y2: lanesBottom }));
  nodes.push(svg('text', { class: 'now-label', x: nowX + 4, y: height - 6, text: `now ${ms(now)}` }));
  target.setAttribute('viewBox', `0 0 ${width} ${height}`);
  target.setAttribute('width', width);
  target.setAttribute('height', height);
  target.replaceChildren(...nodes);
  if (names) {
    names.style.width = `${LEFT}px`;
    names.style.height = `${height}px`;
    names.style.marginRight = `-${LEFT}px`; // over the timeline's own label column
    names.replaceChildren(...laneNameSpans(clients, top));
  }
  const shownIds = new Set(ops.map((o) => o.id));
  return { shown: ops.length, total: all.length, violatingHidden: [...violating].filter((id) => !shownIds.has(id)) };
}

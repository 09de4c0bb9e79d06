// The per-client timeline of <sdp-realtime>: one lane per client (the
// first few), with its requests, what the server holds open for it, what it
// receives, and drops and losses, over the last seconds of the run. It reads
// the snapshot's `timeline` ({t_us, client, what}: the sim's own lines,
// core/src/realtime/world*.cpp) and sorts each line into a kind by its
// wording; spans are drawn between a line that opens something and the one
// that ends it.

import { el, formatCount, plural, svg } from './dom.mjs';
import { watchedWidth } from './element-width.mjs';

export const TIMELINE_LANES = 5;
// The widest window shown; a busier run shows less (the sim keeps the last
// 200 lines of its first clients).
const WINDOW_US = 10e6;
const LANE = 30;
const LEFT = 66;
const RIGHT = 12;
const TOP = 6;
const AXIS = 22;

// What ends a span, by technique: a held long-poll GET ends with its answer;
// a stream or a peer connection only with a drop.
function endsSpan(kind, technique) {
  if (kind === 'drop') return true;
  return technique === 'long_polling' && (kind === 'delivery' || kind === 'empty');
}

// A held GET and an open stream or channel are both drawn as a span.
const opensSpan = (kind) => kind === 'open' || kind === 'held';

// One lane's marks and spans from its lines (oldest first). `openAtStart`:
// the client had something open before the window (its state says so, or
// its first line ends a span nobody saw open).
export function laneOf(lines, { technique, from, to, openAtStart }) {
  const marks = [];
  const spans = [];
  const peer = technique === 'webrtc';
  let openSince = openAtStart ? from : null;
  for (const line of lines) {
    const { kind } = line;
    if (endsSpan(kind, technique) && openSince !== null) {
      spans.push({ from: openSince, to: line.t_us, peer });
      openSince = null;
    }
    if (opensSpan(kind) && openSince === null) openSince = line.t_us;
    marks.push({ t: line.t_us, kind, what: line.what });
  }
  if (openSince !== null) spans.push({ from: openSince, to, peer });
  return { marks, spans };
}

// Did the client have something open when the window starts? Its first
// line that is not a request says so (an answer or an event arriving on a
// stream ends or continues one); without such a line, its state does.
function openBefore(lines, state, technique) {
  const first = lines.map((l) => l.kind).find((k) => k !== 'request');
  if (first === undefined) return state === 'held' || state === 'open';
  if (first === 'drop' || first === 'delivery' || first === 'empty') return technique !== 'short_polling';
  return false;
}

const seconds = (us) => `${(us / 1e6).toFixed(2)} s`;

// Draws the lanes into `svgEl` (width from the element); returns the text a
// screen reader gets instead.
export function drawTimeline(svgEl, snap) {
  const width = Math.max(320, Math.floor(watchedWidth(svgEl, () => drawTimeline(svgEl, snap)) || 800));
  const clients = snap.first_clients.slice(0, TIMELINE_LANES);
  const height = TOP + Math.max(1, clients.length) * LANE + AXIS;
  svgEl.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svgEl.setAttribute('height', height);
  const now = snap.now_us;
  const lines = snap.timeline.filter((l) => l.client < clients.length);
  const earliest = lines.length ? lines[0].t_us : now;
  // Lines from before the technique was last chosen belong to another
  // technique's state machine: the lanes start with the current one.
  const techniqueSince = now - snap.metrics.elapsed_ms * 1000 - 999;
  const from = Math.max(0, now - WINDOW_US, Math.min(earliest, now), Math.min(techniqueSince, now));
  const to = Math.max(now, from + 1);
  const x = (t) => LEFT + ((t - from) / (to - from)) * (width - LEFT - RIGHT);
  const parts = [];
  const summaries = [];
  clients.forEach((client, lane) => {
    const top = TOP + lane * LANE;
    const mid = top + LANE / 2;
    const mine = lines.filter((l) => l.client === client.client && l.t_us >= from);
    const { marks, spans } = laneOf(mine, { technique: snap.technique, from, to, openAtStart: openBefore(mine, client.state, snap.technique) });
    parts.push(svg('line', { class: 'lane', x1: LEFT, x2: width - RIGHT, y1: mid, y2: mid }),
      svg('text', { class: 'lane-name', x: LEFT - 8, y: mid + 4, 'text-anchor': 'end', text: `client ${client.client}` }));
    for (const span of spans) {
      const x1 = x(span.from);
      parts.push(svg('rect', { class: span.peer ? 'span peer' : 'span held', x: x1.toFixed(1), y: mid - 7,
        width: Math.max(1, x(span.to) - x1).toFixed(1), height: 14, rx: 3 },
      svg('title', { text: `client ${client.client}: ${span.peer ? 'peer-to-peer data channel open' : 'held open by the server'} from ${seconds(span.from)} to ${seconds(span.to)}` })));
    }
    for (const mark of marks) parts.push(markShape(mark, x(mark.t), mid, client.client));
    const count = (kind) => marks.filter((m) => m.kind === kind).length;
    summaries.push(`client ${client.client}: ${plural(count('request'), 'request')}, ${formatCount(count('delivery'))} ${count('delivery') === 1 ? 'delivery' : 'deliveries'}` +
      `${count('drop') ? `, ${count('drop')} dropped` : ''}${count('lost') ? `, ${count('lost')} with events lost` : ''}, now ${client.state.replace('_', ' ')}`);
  });
  const axisY = TOP + clients.length * LANE + 14;
  parts.push(svg('text', { class: 'axis-label', x: LEFT, y: axisY, text: seconds(from) }),
    svg('text', { class: 'axis-label', x: width - RIGHT, y: axisY, 'text-anchor': 'end', text: `${seconds(to)} (now)` }));
  if (clients.length === 0) parts.push(svg('text', { class: 'axis-label', x: LEFT, y: TOP + 18, text: 'No clients: add some.' }));
  svgEl.replaceChildren(...parts);
  const text = `Timeline of the first ${clients.length} clients from ${seconds(from)} to ${seconds(to)}: ${summaries.join('; ') || 'no clients'}.`;
  svgEl.setAttribute('aria-label', text);
  return text;
}

function markShape(mark, cx, mid, client) {
  const title = svg('title', { text: `client ${client} at ${seconds(mark.t)}: ${mark.what}` });
  const at = cx.toFixed(1);
  switch (mark.kind) {
    case 'request':
    case 'signal':
      return svg('path', { class: `mark ${mark.kind}`, d: `M${at},${mid - 13} l-4,7 h8 z` }, title);
    case 'delivery':
      return svg('circle', { class: 'mark delivery', cx: at, cy: mid, r: 3.5 }, title);
    case 'empty':
      return svg('circle', { class: 'mark empty', cx: at, cy: mid, r: 3.5 }, title);
    case 'drop':
      return svg('path', { class: 'mark drop', d: `M${cx - 5},${mid - 5} l10,10 m0,-10 l-10,10` }, title);
    case 'lost':
      return svg('rect', { class: 'mark lost', x: (cx - 4).toFixed(1), y: mid + 5, width: 8, height: 8 }, title);
    case 'open':
    case 'held':
      return svg('line', { class: 'mark open', x1: at, x2: at, y1: mid - 8, y2: mid + 8 }, title);
    case 'noticed':
      return svg('path', { class: 'mark noticed', d: `M${at},${mid + 4} l5,8 h-10 z` }, title);
    default:
      return svg('line', { class: 'mark other', x1: at, x2: at, y1: mid - 8, y2: mid + 8 }, title);
  }
}

export const timelineCss = `
.timeline { width: 100%; display: block; }
.timeline .lane { stroke: var(--sdp-line); }
.timeline .lane-name, .timeline .axis-label { fill: var(--sdp-muted); font-size: 12px; }
.timeline .span.held { fill: var(--sdp-accent); opacity: 0.22; }
.timeline .span.peer { fill: var(--sdp-ok); opacity: 0.22; }
.timeline .mark.request { fill: var(--sdp-accent); }
.timeline .mark.signal { fill: var(--sdp-warn); }
.timeline .mark.delivery { fill: var(--sdp-ok); }
.timeline .mark.empty { fill: none; stroke: var(--sdp-muted); stroke-width: 1.5; }
.timeline .mark.drop { stroke: var(--sdp-error); stroke-width: 2.5; fill: none; }
.timeline .mark.lost { fill: var(--sdp-error); }
.timeline .mark.noticed { fill: var(--sdp-warn); }
.timeline .mark.open { stroke: var(--sdp-accent); stroke-width: 2; }
.timeline .mark.other { stroke: var(--sdp-muted); }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 0.82rem; color: var(--sdp-muted); margin: 2px 0 0; padding: 0; list-style: none; }
.legend svg { vertical-align: middle; margin-right: 4px; }
`;

// The legend under the lanes: the same shapes, named.
export function timelineLegend() {
  const item = (text, shape) => el('li', {}, svg('svg', { class: 'timeline', width: 16, height: 16, viewBox: '0 0 16 16', 'aria-hidden': 'true' }, shape), text);
  return el('ul', { class: 'legend', 'aria-label': 'Timeline legend' },
    item('request / signalling', svg('path', { class: 'mark request', d: 'M8,3 l-4,7 h8 z' })),
    item('opened', svg('line', { class: 'mark open', x1: 8, x2: 8, y1: 2, y2: 14 })),
    item('held by the server', svg('rect', { class: 'span held', x: 1, y: 4, width: 14, height: 8, rx: 2 })),
    item('peer to peer (WebRTC)', svg('rect', { class: 'span peer', x: 1, y: 4, width: 14, height: 8, rx: 2 })),
    item('event(s) received', svg('circle', { class: 'mark delivery', cx: 8, cy: 8, r: 3.5 })),
    item('empty response', svg('circle', { class: 'mark empty', cx: 8, cy: 8, r: 3.5 })),
    item('connection dropped', svg('path', { class: 'mark drop', d: 'M3,3 l10,10 m0,-10 l-10,10' })),
    item('client notices, reconnects', svg('path', { class: 'mark noticed', d: 'M8,4 l5,8 h-10 z' })),
    item('events lost', svg('rect', { class: 'mark lost', x: 4, y: 4, width: 8, height: 8 })));
}

// The sequence diagram of one `https` exchange: three lifelines (client,
// attacker, server) and one arrow per message — an HTTP text or one TLS
// record — labelled in RFC 8446's notation ({...} under handshake keys,
// [...] under application keys) with its size on the wire. Time runs down;
// each distinct instant gets its own row, so a message slants over the
// latency it takes, and records sent at one instant stack below each other.
// An arrow that passes the attacker gets a dot where it crosses its line;
// one the attacker changed, a red ✎ there.

import { formatCount, svg } from './dom.mjs';

export const DIAGRAM_WIDTH = 780;
const X = { client: 120, attacker: 390, server: 660 };
const TOP = 44;
const ROW = 84; // px between two instants
const STACK = 22; // px between records sent at one instant by one party

export const DIAGRAM_CSS = `
.diagram { display: block; width: 100%; max-width: 900px; margin: 0 auto; height: auto; font-family: inherit; }
.diagram text { fill: var(--sdp-fg); font-size: 12px; }
.diagram text.who { font-weight: 700; font-size: 13px; }
.diagram text.muted { fill: var(--sdp-muted); }
.diagram .lifeline { stroke: var(--sdp-line); stroke-width: 2; }
.diagram .lifeline.attacker { stroke: var(--sdp-error); stroke-dasharray: 6 4; }
.diagram .lifeline.absent { stroke: var(--sdp-line); stroke-dasharray: 2 6; }
.diagram .msg { stroke: var(--sdp-fg); stroke-width: 1.6; fill: none; }
.diagram .msg.tls { stroke: var(--sdp-ok); }
.diagram .msg.alert { stroke: var(--sdp-error); stroke-width: 2.2; }
.diagram .head { fill: var(--sdp-fg); }
.diagram .head.tls { fill: var(--sdp-ok); }
.diagram .head.alert { fill: var(--sdp-error); }
.diagram .tap { fill: var(--sdp-warn); }
.diagram text.altered { fill: var(--sdp-error); font-weight: 700; }
.diagram text.alert { fill: var(--sdp-error); font-weight: 600; }
.diagram .label-bg { fill: var(--sdp-panel); opacity: 0.9; }
`;

const bytes = (n) => `${formatCount(n)} B`;

// Where each arrow starts and ends. Instants go down in order, ROW apart.
// What one party sends at one instant stacks STACK apart, below whatever
// arrives at that instant, so that a reply never seems to leave before
// the message it answers has come in.
function layoutOf(messages) {
  const times = [...new Set(messages.flatMap((m) => [m.sent_us, m.arrives_us]))].sort((a, b) => a - b);
  const arriving = new Map(); // instant -> messages arriving then
  for (const m of messages) arriving.set(m.arrives_us, (arriving.get(m.arrives_us) ?? 0) + 1);
  const bursts = new Map();
  const rowY = (t) => TOP + 24 + times.indexOf(t) * ROW;
  const ends = messages.map((m) => {
    const key = `${m.from}@${m.sent_us}`;
    const slot = (bursts.get(key) ?? 0) + (arriving.get(m.sent_us) ?? 0);
    bursts.set(key, (bursts.get(key) ?? 0) + 1);
    return { y1: rowY(m.sent_us) + slot * STACK, y2: rowY(m.arrives_us) + slot * STACK };
  });
  const lowest = Math.max(TOP + 80, ...ends.map((e) => e.y2));
  return { ends, height: lowest + 40 };
}

// The SVG nodes for `exchange` (null: nothing sent yet) with the attacker `mode`.
export function drawExchange(diagram, exchange, mode) {
  const nodes = [];
  const messages = exchange?.messages ?? [];
  const { ends, height } = layoutOf(messages);
  const bottom = height - 12;
  const attackerName = mode === 'none' ? 'nobody on the path' : `attacker (${mode})`;
  for (const [who, x] of Object.entries(X)) {
    const name = who === 'attacker' ? attackerName : who === 'client' ? 'Client' : 'Server';
    const cls = who !== 'attacker' ? 'lifeline' : mode === 'none' ? 'lifeline absent' : 'lifeline attacker';
    nodes.push(svg('text', { class: who === 'attacker' && mode === 'none' ? 'who muted' : 'who', x, y: 18, 'text-anchor': 'middle', text: name }));
    nodes.push(svg('line', { class: cls, x1: x, y1: TOP - 10, x2: x, y2: bottom }));
  }
  messages.forEach((m, i) => {
    const x1 = X[m.from];
    const x2 = X[m.to];
    const { y1, y2 } = ends[i];
    const alert = m.label.includes('alert');
    const kind = alert ? 'alert' : m.kind === 'record' ? 'tls' : '';
    nodes.push(svg('line', { class: `msg ${kind}`, x1, y1, x2, y2 }, svg('title', { text: titleOf(m) })));
    const angle = Math.atan2(y2 - y1, x2 - x1);
    const at = (d) => `${x2 - 10 * Math.cos(angle + d)},${y2 - 10 * Math.sin(angle + d)}`;
    nodes.push(svg('path', { class: `head ${kind}`, d: `M${x2},${y2}L${at(0.4)}L${at(-0.4)}Z` }));
    if (m.via_attacker) {
      const ym = y1 + ((y2 - y1) * (X.attacker - x1)) / (x2 - x1);
      nodes.push(svg('circle', { class: 'tap', cx: X.attacker, cy: ym, r: 4.5 }, svg('title', { text: m.altered ? 'changed by the attacker' : 'copied by the attacker' })));
      if (m.altered) nodes.push(svg('text', { class: 'altered', x: X.attacker - 8, y: ym + 16, 'text-anchor': 'end', text: '✎ altered' }));
    }
    // The label rides above the arrow, near its sender.
    const text = `${m.label} · ${bytes(m.bytes)}`;
    const rightward = x2 > x1;
    const width = text.length * 6.4 + 6;
    // A long label leaving leftwards would run off the picture: it is kept inside.
    const lx = rightward ? x1 + 10 : Math.max(x1 - 10, width + 4);
    nodes.push(svg('rect', { class: 'label-bg', x: rightward ? lx - 3 : lx - width + 3, y: y1 - 15, width, height: 14, rx: 2 }));
    nodes.push(svg('text', { class: alert ? 'alert' : '', x: lx, y: y1 - 4, 'text-anchor': rightward ? 'start' : 'end', text }));
  });
  if (!exchange) {
    nodes.push(svg('text', { class: 'muted', x: DIAGRAM_WIDTH / 2, y: TOP + 60, 'text-anchor': 'middle', text: 'Send a request to see its messages.' }));
  }
  diagram.setAttribute('viewBox', `0 0 ${DIAGRAM_WIDTH} ${height}`);
  diagram.replaceChildren(...nodes);
}

function titleOf(m) {
  const header = m.kind === 'record'
    ? `record header: type ${m.content_type}, version 0x${m.legacy_version.toString(16).padStart(4, '0')}, length ${m.length}`
    : 'plain text';
  return `${m.from} → ${m.to} at ${Math.round(m.sent_us / 1000)} ms: ${m.label}, ${m.bytes} bytes (${header})${m.altered ? '; altered on the way' : ''}`;
}

// Step 6 of <sdp-design>: the runnable architecture. The wiring drawn as an
// SVG graph (columns by distance from the clients), each component's stats
// of the last run window in a table, and the end-to-end line. Only reads
// the `architecture` sim's snapshot.

import { el, formatCount, scrollRegion, svg, wideDiagram } from './dom.mjs';

const BOX_W = 140;
const BOX_H = 48;
const COL_W = 176;
const ROW_H = 64;
const PAD = 8;
const SATURATED = 0.8; // the sim's saturation alert threshold

export const architectureCss = `
.graph-node rect { fill: var(--sdp-panel); stroke: var(--sdp-line); stroke-width: 1.5; }
.graph-node.hot rect { stroke: var(--sdp-error); stroke-width: 2.5; }
.graph-node.faulty rect { stroke-dasharray: 5 3; stroke: var(--sdp-warn); stroke-width: 2.5; }
.graph-node text { fill: var(--sdp-fg); font-size: 12px; }
.graph-node text.kind, .graph-node text.stat { fill: var(--sdp-muted); font-size: 11px; }
.graph-edge { stroke: var(--sdp-muted); stroke-width: 1.3; fill: none; }
.graph-arrow { fill: var(--sdp-muted); }
.stats-table { border-collapse: collapse; font-size: 0.86rem; width: 100%; }
.stats-table th, .stats-table td { padding: 3px 6px; border-bottom: 1px solid var(--sdp-line); text-align: right; white-space: nowrap; }
.stats-table th:first-child, .stats-table td:first-child, .stats-table .text { text-align: left; }
.stats-table td.bad { color: var(--sdp-error); font-weight: 600; }
.table-scroll { overflow-x: auto; max-width: 100%; }
.e2e { font-weight: 600; margin: 6px 0; }
.empty-note { color: var(--sdp-muted); font-style: italic; }
`;

// Longest distance from a client, for each component (the wiring is acyclic).
function depths(components) {
  const byId = new Map(components.map((c) => [c.id, c]));
  const depth = new Map();
  const visit = (id, d) => {
    if ((depth.get(id) ?? -1) >= d) return;
    depth.set(id, d);
    for (const to of byId.get(id)?.to ?? []) visit(to, d + 1);
  };
  for (const c of components) if (c.kind === 'client') visit(c.id, 0);
  for (const c of components) if (!depth.has(c.id)) depth.set(c.id, 0);
  return depth;
}

function statLine(c) {
  const s = c.stats;
  if (s.utilization !== undefined) {
    // A database: its busiest node, which saturates first.
    const busy = c.nodes ? `busiest ${Math.round(s.utilization_max * 100)} %` : `${Math.round(s.utilization * 100)} % busy`;
    return `${busy} · ${formatCount(Math.round(s.throughput_rps))}/s`;
  }
  if (c.kind === 'queue') return `backlog ${formatCount(s.backlog)}`;
  if (c.hit_share !== undefined) return `hit ${Math.round(c.hit_share * 100)} % · ${formatCount(Math.round(s.throughput_rps))}/s`;
  return `${formatCount(Math.round(s.throughput_rps))}/s`;
}

// The wiring as SVG, or a note when there is nothing to draw.
export function drawGraph(host, snap) {
  host.replaceChildren();
  const comps = snap.components;
  if (comps.length === 0) {
    host.append(el('p', { class: 'empty-note', text: 'No components yet: load the worked architecture or add some below.' }));
    return;
  }
  const depth = depths(comps);
  const rows = new Map();
  const pos = new Map();
  for (const c of comps) {
    const d = depth.get(c.id);
    const r = rows.get(d) ?? 0;
    rows.set(d, r + 1);
    pos.set(c.id, { x: PAD + d * COL_W, y: PAD + r * ROW_H });
  }
  const width = PAD * 2 + (Math.max(...depth.values()) * COL_W) + BOX_W;
  const height = PAD * 2 + (Math.max(...rows.values()) - 1) * ROW_H + BOX_H;
  const picture = svg('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img',
    'aria-label': `Architecture: ${comps.length} components` });
  picture.append(svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 8 8', refX: 8, refY: 4, markerWidth: 7, markerHeight: 7, orient: 'auto' },
    svg('path', { d: 'M0,0 L8,4 L0,8 z', class: 'graph-arrow' }))));
  for (const c of comps) {
    const a = pos.get(c.id);
    for (const to of c.to) {
      const b = pos.get(to);
      const x1 = a.x + BOX_W, y1 = a.y + BOX_H / 2, x2 = b.x, y2 = b.y + BOX_H / 2;
      const mid = (x1 + x2) / 2;
      picture.append(svg('path', { class: 'graph-edge', d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`, 'marker-end': 'url(#arrow)' }));
    }
  }
  for (const c of comps) {
    const { x, y } = pos.get(c.id);
    const hot = (c.stats.utilization_max ?? 0) > SATURATED || c.stats.error_rate > 0.01;
    const cls = `graph-node${hot ? ' hot' : ''}${c.faults.length ? ' faulty' : ''}`;
    const title = `${c.id} (${c.kind})${c.faults.length ? `, faults: ${c.faults.join(', ')}` : ''}`;
    picture.append(svg('g', { class: cls }, svg('title', { text: title }),
      svg('rect', { x, y, width: BOX_W, height: BOX_H, rx: 6 }),
      svg('text', { x: x + 6, y: y + 15, text: c.id.length > 18 ? `${c.id.slice(0, 17)}…` : c.id }),
      svg('text', { x: x + BOX_W - 6, y: y + 15, 'text-anchor': 'end', class: 'kind', text: c.kind.replace('_', ' ') }),
      svg('text', { x: x + 6, y: y + 36, class: 'stat', text: statLine(c) })));
  }
  host.append(wideDiagram(picture, 'Architecture diagram', { units: width, labelPx: 11 }));
}

const ms = (v) => (v === undefined ? '–' : `${v} ms`);
const pct = (v) => (v === undefined ? '–' : `${(v * 100).toFixed(1)} %`);

// One row per component: the last window's numbers.
export function drawStats(host, snap) {
  host.replaceChildren();
  const e = snap.end_to_end;
  host.append(el('p', { class: 'e2e', text: snap.window_ms
    ? `End to end over the last ${formatCount(snap.window_ms)} ms: ${formatCount(Math.round(e.throughput_rps))} req/s served, p50 ${e.p50_ms} ms, p99 ${e.p99_ms} ms (SLO ${snap.slo_ms} ms), errors ${pct(e.error_rate)}.`
    : 'Not run yet: set the traffic and run.' }));
  if (snap.components.length === 0) return;
  const head = ['component', 'kind', 'req/s', 'p50', 'p99', 'busy (busiest node)', 'queue', 'errors'];
  const body = snap.components.map((c) => {
    const s = c.stats;
    const reasons = Object.entries(s.error_reasons).map(([why, n]) => `${formatCount(n)} ${why}`).join('; ');
    return el('tr', {},
      el('td', { text: c.id }), el('td', { class: 'text', text: c.kind }),
      el('td', { text: formatCount(Math.round(s.throughput_rps)) }),
      el('td', { text: ms(s.p50_ms) }), el('td', { text: ms(s.p99_ms) }),
      el('td', { class: (s.utilization_max ?? 0) > SATURATED ? 'bad' : '',
        text: c.nodes ? `${pct(s.utilization)} (${pct(s.utilization_max)})` : pct(s.utilization) }),
      el('td', { text: s.queue_length !== undefined ? `${formatCount(s.queue_length)} (max ${formatCount(s.queue_max)})` : (s.backlog !== undefined ? `${formatCount(s.backlog)} backlog` : '–') }),
      el('td', { class: s.error_rate > 0.01 ? 'bad' : '', title: reasons, text: s.errors ? `${formatCount(s.errors)} (${pct(s.error_rate)})` : '0' }));
  });
  host.append(scrollRegion('div', 'Per-component stats', { class: 'table-scroll' },
    el('table', { class: 'stats-table' }, el('thead', {}, el('tr', {}, ...head.map((h, i) => el('th', { class: i === 1 ? 'text' : null, text: h })))), el('tbody', {}, ...body))));
}

// The architecture and its last results as one JSON document (Download).
export function resultsDocument(snap) {
  const { problem, slo_ms, traffic, components, end_to_end, alerts, pages, estimate, verify, time_ms } = snap;
  return { problem, time_ms, slo_ms, traffic, components, end_to_end, alerts, pages, estimate: estimate ?? null, verify: verify ?? null };
}

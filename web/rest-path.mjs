// The layered system of <sdp-rest> as an SVG: client -> shared cache ->
// gateway -> replica-1..N -> data store. The last request's route (the
// result's `via`) is drawn in the accent colour and the layer that answered
// (`served_by`) is outlined and labelled; replicas that are down are greyed
// and dashed. Each box carries its counters from the snapshot.

import { formatCount, plural, svg } from './dom.mjs';

export const pathCss = `
svg.layers { width: 100%; height: auto; display: block; margin: 4px 0 8px; }
svg.layers .box { fill: var(--sdp-panel); stroke: var(--sdp-line); stroke-width: 1.5; }
svg.layers .box.reached { stroke: var(--sdp-accent); }
svg.layers .box.answered { stroke: var(--sdp-accent); stroke-width: 3.5; }
svg.layers .box.down { fill: none; stroke: var(--sdp-muted); stroke-dasharray: 5 4; }
svg.layers .box.absent { fill: none; stroke: var(--sdp-line); stroke-dasharray: 3 4; }
svg.layers g.down text { fill: var(--sdp-muted); }
svg.layers .title { font-size: 13px; font-weight: 600; }
svg.layers .note { font-size: 11px; fill: var(--sdp-muted); }
svg.layers .badge { font-size: 11px; font-weight: 700; fill: var(--sdp-accent); }
svg.layers .edge { stroke: var(--sdp-line); stroke-width: 1.5; fill: none; }
svg.layers .edge.on { stroke: var(--sdp-accent); stroke-width: 3; }
svg.layers .head { fill: var(--sdp-line); }
svg.layers .head.on { fill: var(--sdp-accent); }
`;

const W = 900;
export const PATH_WIDTH = W;
const ROW = 34; // one replica's box and its gap
const COLUMNS = {
  client: { x: 8, w: 128 },
  cache: { x: 172, w: 160 },
  gateway: { x: 368, w: 126 },
  replica: { x: 532, w: 150 },
  store: { x: 720, w: 172 },
};

function text(x, y, cls, t) {
  return svg('text', { x, y, class: cls, text: t });
}

// An arrow from (x1, y1) to (x2, y2), highlighted when the request took it.
function arrow(x1, y1, x2, y2, on) {
  const angle = Math.atan2(y2 - y1, x2 - x1);
  const head = [[0, 0], [-9, -4.5], [-9, 4.5]].map(([dx, dy]) => [
    x2 + dx * Math.cos(angle) - dy * Math.sin(angle), y2 + dx * Math.sin(angle) + dy * Math.cos(angle)]);
  return [svg('path', { d: `M${x1} ${y1} L${x2} ${y2}`, class: on ? 'edge on' : 'edge' }),
    svg('path', { d: `M${head.map((p) => p.map((v) => v.toFixed(1)).join(' ')).join(' L')} Z`, class: on ? 'head on' : 'head' })];
}

// What the last request reached and who answered, as the result says.
function route(last) {
  if (!last) return { via: new Set(), answered: null, replica: null };
  const via = new Set(last.via);
  const replica = last.via.find((v) => v.startsWith('replica-')) ?? null;
  return { via, answered: last.served_by, replica };
}

// Who answered, in a few words (the badge beside the answering box).
export function answeredText(last) {
  if (!last) return '';
  if (last.served_by === 'cache') return last.cache === 'revalidated' ? 'answered (revalidated: 304)' : 'answered (fresh hit)';
  if (last.served_by === 'gateway') return 'answered (no replica up)';
  return 'answered';
}

export function drawPath(host, snap, last) {
  const n = snap.replicas.length;
  const height = Math.max(190, 46 + n * ROW);
  const mid = height / 2;
  const box = { h: 118, y: mid - 59 };
  const { via, answered, replica } = route(last);
  const cacheOn = snap.cache.enabled;
  const nodes = [];
  const add = (...items) => nodes.push(...items);
  // The store is reached through a replica; the client by every request.
  const reached = (name) => (name === 'store' ? replica !== null : name === 'client' ? Boolean(last) : via.has(name));
  const layerBox = (key, name, cls, lines) => {
    const c = COLUMNS[key];
    const classes = ['box', cls, reached(name) ? 'reached' : '', answered === name ? 'answered' : ''].filter(Boolean).join(' ');
    add(svg('rect', { x: c.x, y: box.y, width: c.w, height: box.h, rx: 8, class: classes }));
    lines.forEach(([cls2, t], i) => add(text(c.x + 10, box.y + 20 + i * 17, cls2, t)));
    if (answered === name) add(text(c.x + 4, box.y + box.h + 15, 'badge', `▲ ${answeredText(last)}`));
  };

  // Client -> cache -> gateway: one line each, highlighted when taken.
  const reachedGateway = via.has('gateway');
  const cx = COLUMNS;
  add(...arrow(cx.client.x + cx.client.w, mid, cx.cache.x - 2, mid, Boolean(last)));
  add(...arrow(cx.cache.x + cx.cache.w, mid, cx.gateway.x - 2, mid, reachedGateway));

  const status = last ? `${last.status}${last.headers?.Age !== undefined ? `, Age ${last.headers.Age}` : ''}` : '—';
  layerBox('client', 'client', '', [['title', 'Client'], ['note', 'sees only HTTP:'], ['note', `last: ${status}`]]);
  const c = snap.counters;
  layerBox('cache', 'cache', cacheOn ? '' : 'absent', cacheOn
    ? [['title', 'Shared cache'], ['note', 'CDN / proxy'], ['note', `${formatCount(snap.cache.entries.length)} stored, ${formatCount(c.cache_misses)} misses`],
      ['note', `${formatCount(c.cache_hits)} fresh hits`], ['note', `${formatCount(c.cache_revalidations)} revalidated (304)`]]
    : [['title', 'No shared cache'], ['note', 'config cache = false:'], ['note', 'every request goes on']]);
  layerBox('gateway', 'gateway', '', [['title', 'Gateway'], ['note', 'round robin over'], ['note', 'replicas that are up'],
    ['note', `${formatCount(c.origin_requests)} sent to replicas`]]);

  // Replicas: one row each, fanned out from the gateway.
  const top = mid - (n * ROW - 6) / 2;
  const r = COLUMNS.replica;
  snap.replicas.forEach((rep, i) => {
    const y = top + i * ROW;
    const on = replica === rep.name;
    add(...arrow(cx.gateway.x + cx.gateway.w, mid, r.x - 2, y + 14, on));
    add(...arrow(r.x + r.w, y + 14, cx.store.x - 2, mid, on));
    const classes = ['box', rep.up ? '' : 'down', on ? 'reached' : '', answered === rep.name ? 'answered' : ''].filter(Boolean).join(' ');
    add(svg('g', { class: rep.up ? '' : 'down' },
      svg('rect', { x: r.x, y, width: r.w, height: ROW - 6, rx: 6, class: classes }),
      text(r.x + 8, y + 18, 'title', rep.name),
      text(r.x + 82, y + 18, 'note', rep.up ? `${formatCount(rep.served)} served` : 'down')));
  });
  if (replica && answered === replica) add(text(r.x + 4, top + n * ROW + 8, 'badge', '▲ answered'));
  else if (replica && answered === 'cache') add(text(r.x + 4, top + n * ROW + 8, 'badge', `▲ ${replica}: 304 to the cache`));

  const res = snap.resources;
  layerBox('store', 'store', '', [['title', 'Data store (shared)'], ['note', `${plural(res.users.length, 'user')}, ${plural(res.orders.length, 'order')}`],
    ['note', `${plural(res.idempotency_keys.length, 'Idempotency-Key')} kept`], ['note', 'the replicas keep nothing:'], ['note', 'any one can serve']]);

  host.setAttribute('viewBox', `0 0 ${W} ${height + 22}`);
  host.setAttribute('aria-label', pathSummary(snap, last));
  host.replaceChildren(...nodes);
}

// The picture in words, for a screen reader.
function pathSummary(snap, last) {
  const reps = snap.replicas.map((r) => `${r.name} ${r.up ? 'up' : 'down'}`).join(', ');
  const layers = `Client → ${snap.cache.enabled ? 'shared cache' : 'no cache'} → gateway → ${reps} → one shared data store`;
  if (!last) return `${layers}. No request yet.`;
  return `${layers}. The last request went through ${last.via.join(' → ')} and was answered by ${last.served_by} (${last.status}).`;
}

// The cluster picture of <sdp-cap>: replicas r1..rN on a circle with every
// link between them (a cut link dashed and crossed), each replica's values,
// the clients beside the replica they sit next to, and the sides of a
// partition: replicas that can still reach each other share a colour and a
// "side" name, so a partition reads at a glance and not only by colour.
// In the cache stances r1 is the database (a square) and the others servers
// whose values are their caches. With vector clocks a key's siblings show
// as {3,2}. The picture is drawn into its own group, so that what the widget
// adds on top (the partition line) survives a redraw, focus included.

import { svg } from './dom.mjs';
import { slotColour, textOn } from './palette.mjs';
import { keyText } from './cap-timeline.mjs';

const SIZE = 380;
export const CLUSTER_SIZE = SIZE;
const CENTRE = SIZE / 2;
const RING = 118;
export const CLUSTER_RING = RING;
const NODE_R = 25;
const CLIENT_RING = RING + 46;
const SIDE_NAMES = ['A', 'B', 'C', 'D', 'E', 'F', 'G'];
// Side colours: palette slots with white or black text at >= 4.5:1.
const SIDE_SLOTS = [0, 1, 4, 6, 2, 3, 8];

// The sides: replicas connected by uncut links (links are symmetric).
export function sides(n, cut) {
  const isCut = new Set(cut.map(([a, b]) => `${a}|${b}`));
  const linked = (a, b) => !isCut.has(`r${a + 1}|r${b + 1}`) && !isCut.has(`r${b + 1}|r${a + 1}`);
  const side = new Array(n).fill(-1);
  let count = 0;
  for (let start = 0; start < n; start += 1) {
    if (side[start] >= 0) continue;
    const stack = [start];
    side[start] = count;
    while (stack.length) {
      const a = stack.pop();
      for (let b = 0; b < n; b += 1) {
        if (side[b] < 0 && linked(a, b)) {
          side[b] = count;
          stack.push(b);
        }
      }
    }
    count += 1;
  }
  return { side, count };
}

export const at = (i, n, radius) => {
  const angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
  return [CENTRE + radius * Math.cos(angle), CENTRE + radius * Math.sin(angle)];
};

// One value, or a key's siblings (vector clocks) as {3,2}.
export const valueText = (v) => (Array.isArray(v) ? `{${v.join(',')}}` : String(v));

export const isCacheMode = (mode) => mode === 'cache_fallback' || mode === 'cache_fail';

function stanceText(c) {
  if (c.mode === 'cp') return `CP · N=${c.n} R=${c.r} W=${c.w}`;
  if (c.mode === 'ap') return `AP · N=${c.n} · ${c.conflict === 'vclock' ? 'vector clocks' : 'LWW'}`;
  return c.mode === 'cache_fallback' ? 'Cache: serve stale' : 'Cache: fail';
}

function valuesText(values) {
  const entries = Object.entries(values);
  if (entries.length === 0) return 'empty';
  const shown = entries.slice(0, 3).map(([k, v]) => `${keyText(k.length > 6 ? `${k.slice(0, 5)}…` : k)}=${valueText(v)}`).join(' ');
  return entries.length > 3 ? `${shown} +${entries.length - 3}` : shown;
}

export function drawCluster(target, snap) {
  const { n, clients } = snap.config;
  const cache = isCacheMode(snap.config.mode);
  const { side, count } = sides(n, snap.cut);
  const nodes = [];
  const isCut = new Set(snap.cut.map(([a, b]) => `${a}|${b}`));
  for (let a = 0; a < n; a += 1) {
    for (let b = a + 1; b < n; b += 1) {
      const [x1, y1] = at(a, n, RING);
      const [x2, y2] = at(b, n, RING);
      const cut = isCut.has(`r${a + 1}|r${b + 1}`);
      const name = `r${a + 1}–r${b + 1}`;
      nodes.push(svg('line', { class: cut ? 'link cut' : 'link', x1, y1, x2, y2 },
        svg('title', { text: `link ${name}${cut ? ': cut' : ''}` })));
      if (cut) {
        const [mx, my] = [(x1 + x2) / 2, (y1 + y2) / 2];
        nodes.push(svg('path', { class: 'cross', d: `M${mx - 5},${my - 5}L${mx + 5},${my + 5}M${mx - 5},${my + 5}L${mx + 5},${my - 5}` }));
      }
    }
  }
  for (let c = 0; c < clients; c += 1) {
    const home = c % n;
    // More clients than replicas: the later ones beside one replica fan out
    // to either side of the first.
    const stacked = Math.floor(c / n);
    const turn = (stacked % 2 ? 1 : -1) * Math.ceil(stacked / 2) * 0.24;
    const [rx, ry] = at(home, n, RING + NODE_R);
    const [cx, cy] = at(home + turn, n, CLIENT_RING);
    nodes.push(svg('line', { class: 'client-link', x1: rx, y1: ry, x2: cx, y2: cy }));
    nodes.push(svg('rect', { class: 'client', x: cx - 14, y: cy - 10, width: 28, height: 20, rx: 4 }));
    nodes.push(svg('text', { class: 'client-label', x: cx, y: cy + 4, 'text-anchor': 'middle', text: `c${c + 1}` }));
  }
  for (let i = 0; i < n; i += 1) {
    const [x, y] = at(i, n, RING);
    const colour = slotColour(SIDE_SLOTS[side[i] % SIDE_SLOTS.length]);
    const replica = snap.replicas[i];
    const sideText = count > 1 ? `side ${SIDE_NAMES[side[i]] ?? side[i] + 1}` : '';
    const role = !cache ? '' : i === 0 ? ' (the database)' : ' (a server; its values are its cache)';
    const shape = cache && i === 0
      ? svg('rect', { x: x - NODE_R, y: y - NODE_R, width: 2 * NODE_R, height: 2 * NODE_R, rx: 6, fill: colour })
      : svg('circle', { cx: x, cy: y, r: NODE_R, fill: colour });
    const name = cache && i === 0 ? `${replica.id} DB` : replica.id;
    nodes.push(svg('g', { class: 'replica', 'data-replica': replica.id },
      svg('title', { text: `${replica.id}${role}${sideText ? ` (${sideText})` : ''}: ${valuesText(replica.values)}` }),
      shape,
      svg('text', { x, y: y - 2, 'text-anchor': 'middle', fill: textOn(colour), 'font-weight': 700, text: name }),
      sideText ? svg('text', { x, y: y + 11, 'text-anchor': 'middle', fill: textOn(colour), 'font-size': 10, text: sideText }) : null));
  }
  // Values inside the ring, beside each replica, so they never meet the clients.
  for (let i = 0; i < n; i += 1) {
    const [x, y] = at(i, n, RING - NODE_R - 16);
    nodes.push(svg('text', { class: 'values', x, y: y + 4, 'text-anchor': 'middle', text: valuesText(snap.replicas[i].values) }));
  }
  const c = snap.config;
  nodes.push(svg('text', { class: 'stance', x: CENTRE, y: CENTRE + 4, 'text-anchor': 'middle', text: stanceText(c) }));
  const sub = c.mode === 'cp' ? (c.strict_quorum ? 'R + W > N: quorums overlap' : 'R + W ≤ N: quorums may miss')
    : cache ? `r1 = database, r2..r${n} cache it` : '';
  if (sub) nodes.push(svg('text', { class: 'muted', x: CENTRE, y: CENTRE + 20, 'text-anchor': 'middle', text: sub }));
  target.setAttribute('viewBox', `0 0 ${SIZE} ${SIZE}`);
  let picture = target.querySelector(':scope > g.picture');
  if (!picture) {
    picture = svg('g', { class: 'picture' });
    target.prepend(picture);
  }
  picture.replaceChildren(...nodes);
  return { sides: count, points: Array.from({ length: n }, (_, i) => at(i, n, RING)) };
}

// <sdp-hash-ring>: the consistent-hash ring. Nodes own the arcs ending at
// their points; keys sit at their hash and belong to the first point
// clockwise. Changing the ring shows which keys move, and where, beside what
// theory expects. Attributes: nodes, keys, vnodes, replicas, hash, seed,
// sync-url, state-key.

import { el, formatCount, formatPercent, plural, svg } from './dom.mjs';
import { barChartCss, renderBarChart } from './bar-chart.mjs';
import { Palette } from './palette.mjs';
import { sheetFrom } from './theme.mjs';
import { chartSheet, LineChart } from './chart.mjs';
import { SdpWidget } from './sdp-widget.mjs';
import { buildNodeControls, initialNodeSteps } from './node-controls.mjs';

const TURN = 4294967296; // 2^32 ring positions
const R_BAND = 150;
const R_KEYS = 126;
const R_WALK = 172;
const MAX_DOTS = 2000; // above this, keys are drawn as a density ring
const MAX_TICKS = 3000;
const MAX_TRAILS = 200;
const DENSITY_BINS = 360;
const KEY_BUTTONS = [100, 1000, 10000];

const styles = sheetFrom(`${barChartCss}
.layout { display: grid; grid-template-columns: minmax(280px, 1.1fr) minmax(260px, 1fr); gap: 16px; align-items: start; }
@container (max-width: 720px) { .layout { grid-template-columns: 1fr; } }
/* A phone draws the 430-unit ring at about 320 px: labels at 14 units stay 10 px. */
@container (max-width: 480px) { svg.ring text { font-size: 14px; } }
.ring { width: 100%; max-width: 520px; aspect-ratio: 1; display: block; margin: 0 auto; }
.ring .base { fill: none; stroke: var(--sdp-line); stroke-width: 16; }
.ring .band { fill: none; stroke-width: 14; }
.ring .tick { stroke-width: 1.5; }
.ring .key { stroke: var(--sdp-bg); stroke-width: 0.6; transition: fill 600ms; }
.ring .key.moved { stroke: var(--sdp-fg); stroke-width: 1.2; animation: pulse 1.4s ease-out 1; transform-box: fill-box; transform-origin: center; }
.ring .trail { fill: none; stroke-width: 2; stroke-linecap: round; opacity: 0.85; animation: draw 1.2s ease-out 1 both; }
.ring .walk { fill: none; stroke: var(--sdp-accent); stroke-width: 4; stroke-linecap: round; animation: draw 0.9s ease-out 1 both; }
.ring .walk-stop { fill: var(--sdp-bg); stroke: var(--sdp-accent); stroke-width: 2.5; }
.ring .key-marker { stroke: var(--sdp-accent); stroke-width: 3; }
.ring .centre { text-anchor: middle; }
.ring .centre.big { font-size: 15px; font-weight: 600; }
.ring .label-strong { font-weight: 600; }
@keyframes pulse { 0% { transform: scale(2.4); } 100% { transform: scale(1); } }
@keyframes draw { from { stroke-dashoffset: var(--len); } to { stroke-dashoffset: 0; } }
.stats p { margin: 4px 0; }
.stats .theory { color: var(--sdp-muted); }
.stats strong { font-variant-numeric: tabular-nums; }
.controls .control { margin-bottom: 4px; }
.controls input[type="text"] { width: 9em; }
.controls select { max-width: 14em; }
.controls input.key-input { flex: 1; min-width: 8em; }
.controls output { font-variant-numeric: tabular-nums; min-width: 3ch; display: inline-block; }
.section { margin-top: 12px; }
.legend-note { color: var(--sdp-muted); font-size: 0.85rem; margin: 4px 0 0; }
`);

function angle(position) {
  return (position / TURN) * 2 * Math.PI;
}

function polar(position, r) {
  const a = angle(position);
  return [r * Math.sin(a), -r * Math.cos(a)];
}

// Clockwise arc path from position `from` to `to` at radius r.
function arcPath(from, to, r) {
  let span = to - from;
  if (span < 0) span += TURN;
  if (span === 0) return '';
  const [x0, y0] = polar(from, r);
  if (span >= TURN - 1) { // the whole circle: two halves
    const [xm, ym] = polar(from + TURN / 2, r);
    return `M${x0.toFixed(2)} ${y0.toFixed(2)}A${r} ${r} 0 1 1 ${xm.toFixed(2)} ${ym.toFixed(2)}A${r} ${r} 0 1 1 ${x0.toFixed(2)} ${y0.toFixed(2)}`;
  }
  const [x1, y1] = polar(to, r);
  const large = span > TURN / 2 ? 1 : 0;
  return `M${x0.toFixed(2)} ${y0.toFixed(2)}A${r} ${r} 0 ${large} 1 ${x1.toFixed(2)} ${y1.toFixed(2)}`;
}

function arcLength(from, to, r) {
  let span = to - from;
  if (span < 0) span += TURN;
  return (span / TURN) * 2 * Math.PI * r;
}

// What the ring shows, in words: the nodes and their shares, the keys, what
// the last action moved or looked up.
function ringSummary(snapshot, lastResult, movedCount) {
  const nodes = snapshot.nodes;
  const parts = [`Hash ring: ${plural(nodes.length, 'node')}`];
  if (nodes.length) parts[0] += ` (${nodes.map((n) => `${n.id} holds ${formatPercent(n.share, 0)}`).join(', ')})`;
  parts.push(`${plural(snapshot.ring_points, 'point')}, ${plural(snapshot.keys, 'key')}`);
  if (movedCount) parts.push(`the last change moved ${plural(movedCount, 'key')}`);
  if (Array.isArray(lastResult?.walk) && lastResult.walk.length) {
    const owners = [...new Set(lastResult.walk.map((p) => p.node))];
    parts.push(`key “${lastResult.key}” goes to ${owners.join(', then ')}`);
  }
  return `${parts.join('; ')}.`;
}

export class HashRingElement extends SdpWidget {
  static sim = 'hash_ring';
  static title = 'Consistent hashing';
  static subtitle = 'Nodes own the arc before each of their points; a key belongs to the first point clockwise from its hash.';
  static styles = [styles, chartSheet];

  palette = new Palette();
  changes = []; // {label, measured, expected} per ring change, for the chart
  #v = {};
  // The key dots drawn, by key index, with what they were drawn with: a
  // redraw changes only the dots whose key changed (issue #24: rebuilding
  // ~1,000 dots took most of a click).
  #dots = [];

  static attributes = {
    nodes: { type: 'integer', min: 0, max: 50, default: 4 },
    keys: { op: 'add_keys', field: 'count', min: 0, default: 200 },
    vnodes: { config: 'vnodes' },
    replicas: { config: 'replicas' },
    hash: { config: 'hash' },
  };

  initialSteps({ nodes, keys }) {
    const steps = initialNodeSteps(nodes);
    if (keys > 0) steps.push({ op: 'add_keys', count: keys, prefix: 'user:' });
    return steps;
  }

  replayStarted() {
    this.palette.clear();
    this.changes = [];
  }

  stepApplied(step, result) {
    this.palette.follow(step);
    if (result && 'moved' in result && result.keys > 0) {
      this.changes.push({ label: result.change, measured: result.moved_fraction, expected: result.expected_fraction });
    }
  }

  describe(step, r) {
    switch (step.op) {
      case 'add_node':
        return r.keys
          ? `Added node ${r.node} (${plural(r.points, 'point')}): ${formatCount(r.moved)} of ${formatCount(r.keys)} keys moved, all to ${r.node} (${formatPercent(r.moved_fraction)}; theory ${r.expected_fraction == null ? '–' : formatPercent(r.expected_fraction)}).`
          : `Added node ${r.node} with ${plural(r.points, 'point')} on the ring.`;
      case 'remove_node': {
        const to = Object.entries(r.moved_to).map(([id, n]) => `${id} ${formatCount(n)}`).join(', ');
        return `Removed node ${step.id}: only its ${formatCount(r.moved)} keys moved${to ? ` (to ${to})` : ''}.`;
      }
      case 'set_vnodes':
        return `Virtual nodes set to ${step.count} per unit of weight: ${formatCount(r.moved)} of ${formatCount(r.keys)} keys changed owner.`;
      case 'add_keys':
        return `Added ${formatCount(r.added)} keys (${formatCount(r.keys)} in total).`;
      case 'add_key':
        return `Added key "${r.key}"${r.node ? `; it belongs to ${r.node}` : ' (no node yet)'}.`;
      case 'lookup':
        return `"${r.key}" hashes to ${r.hash_hex}; clockwise, the first point belongs to ${r.node}.${r.replicas.length > 1 ? ` Replicas: ${r.replicas.join(', ')}.` : ''}`;
      default:
        return '';
    }
  }

  buildBody(body) {
    const v = this.#v;
    v.ring = svg('svg', { class: 'ring', viewBox: '-215 -215 430 430', role: 'img', 'aria-label': 'Hash ring' }); // described when drawn
    // Three layers, in drawing order: what lies under the keys (the band,
    // the ticks), the key dots (kept from draw to draw: up to 2,000 nodes),
    // and what lies over them (density bars, trails, the walk, the labels).
    v.under = svg('g');
    v.keyDots = svg('g');
    v.over = svg('g');
    v.ring.append(v.under, v.keyDots, v.over);
    v.ringNote = el('p', { class: 'legend-note' });
    v.barsNote = el('p', { class: 'legend-note' });
    v.bars = svg('svg', { class: 'bars' });
    v.stats = el('div', { class: 'stats' });
    v.chartHost = el('div', { class: 'chart' });
    v.chartEmpty = el('p', { class: 'chart-empty', text: 'Add or remove a node while keys are on the ring to chart how many keys move.' });
    v.chart = new LineChart(v.chartHost, {
      title: 'Keys moved per ring change',
      xLabel: 'change #',
      yLabel: 'keys moved',
      yFormat: (x) => `${(x * 100).toFixed(0)}%`,
      series: [
        { label: 'measured', colour: '#2457d6' },
        { label: 'theory (share of points)', colour: '#e15759', dash: [6, 4] },
      ],
    });
    body.append(el('div', { class: 'layout' },
      el('div', {}, v.ring, v.ringNote),
      el('div', { class: 'controls' }, ...this.#buildControls(), el('div', { class: 'panel section' }, el('h3', { text: 'Numbers' }), v.stats))),
    el('div', { class: 'section' }, el('h3', { text: 'Keys per node' }), v.bars, v.barsNote),
    el('div', { class: 'section' }, v.chartEmpty, v.chartHost));
  }

  #buildControls() {
    const v = this.#v;
    v.nodeControls = buildNodeControls(this);
    const keyButtons = KEY_BUTTONS.map((n) => {
      const b = el('button', { type: 'button', text: `Add ${formatCount(n)} keys` });
      b.addEventListener('click', () => this.act({ op: 'add_keys', count: n, prefix: 'user:' }, b));
      return b;
    });
    v.vnodes = el('input', { type: 'range', min: 1, max: 500, step: 1, 'aria-label': 'Virtual nodes per unit of weight' });
    v.vnodesOut = el('output', {});
    v.vnodes.addEventListener('input', () => { v.vnodesOut.textContent = v.vnodes.value; });
    v.vnodes.addEventListener('change', () => this.act({ op: 'set_vnodes', count: Number(v.vnodes.value) }, v.vnodes));
    v.replicas = el('select', { 'aria-label': 'Replicas per key' },
      ...[1, 2, 3, 4, 5].map((n) => el('option', { value: n, text: String(n) })));
    v.replicas.addEventListener('change', () => this.setConfig({ replicas: Number(v.replicas.value) }, v.replicas));
    v.hash = el('select', { 'aria-label': 'Hash function' },
      ...['murmur3', 'fnv1a', 'xxhash64'].map((h) => el('option', { value: h, text: h })));
    v.hash.addEventListener('change', () => this.setConfig({ hash: v.hash.value }, v.hash));
    v.key = el('input', { type: 'text', class: 'key-input', maxlength: 256, value: 'user:42', 'aria-label': 'Key to look up' });
    const lookup = el('button', { type: 'button', text: 'Look up', onclick: () => this.act({ op: 'lookup', key: v.key.value }, lookup) });
    const addKey = el('button', { type: 'button', text: 'Add key', onclick: () => this.act({ op: 'add_key', key: v.key.value }, addKey) });
    v.key.addEventListener('keydown', (e) => { if (e.key === 'Enter') lookup.click(); });
    return [
      ...v.nodeControls.groups,
      this.controlGroup(...keyButtons),
      this.controlGroup(el('label', {}, 'Virtual nodes ', v.vnodes), v.vnodesOut),
      this.controlGroup(el('label', {}, 'Replicas ', v.replicas), el('label', {}, 'Hash ', v.hash)),
      this.controlGroup(el('label', { class: 'visually-hidden', text: 'Key' }), v.key, lookup, addKey),
    ];
  }

  render(snapshot, lastResult) {
    const v = this.#v;
    const nodes = snapshot.nodes;
    const ids = nodes.map((n) => n.id);
    // Controls follow the state (also after undo, reset, a shared link).
    v.nodeControls.update(ids);
    v.vnodes.value = String(snapshot.config.vnodes);
    v.vnodesOut.textContent = String(snapshot.config.vnodes);
    v.replicas.value = String(snapshot.config.replicas);
    v.hash.value = snapshot.config.hash;
    this.#drawRing(snapshot, lastResult);
    this.#drawBars(snapshot);
    this.#drawStats(snapshot);
    this.#drawChart();
  }

  #drawRing(snapshot, lastResult) {
    const s = this.session;
    const ids = snapshot.nodes.map((n) => n.id);
    const colour = (index) => this.palette.colour(ids[index]);
    const pointPos = s.column('point_pos');
    const pointOwner = s.column('point_owner');
    const keyHash = s.column('key_hash');
    const keyOwner = s.column('key_owner');
    const layers = [svg('circle', { class: 'base', r: R_BAND })];
    const over = [];

    // Ownership band: each point owns the arc from the previous point;
    // consecutive arcs of one node are merged into one path segment.
    const bandPaths = ids.map(() => []);
    const count = pointPos.length;
    for (let i = 0; i < count;) {
      const owner = pointOwner[i];
      let j = i;
      while (j + 1 < count && pointOwner[j + 1] === owner) j += 1;
      const from = i === 0 ? pointPos[count - 1] : pointPos[i - 1];
      bandPaths[owner].push(count === 1 || (i === 0 && j === count - 1) ? arcPath(pointPos[0], pointPos[0] - 1 + TURN, R_BAND) : arcPath(from, pointPos[j], R_BAND));
      i = j + 1;
    }
    bandPaths.forEach((parts, index) => {
      if (parts.length) layers.push(svg('path', { class: 'band', d: parts.join(''), stroke: colour(index) }, svg('title', { text: `${ids[index]}: ${formatPercent(snapshot.nodes[index].share)} of the ring` })));
    });

    if (count <= MAX_TICKS) {
      const ticks = ids.map(() => []);
      for (let i = 0; i < count; i += 1) {
        const [x0, y0] = polar(pointPos[i], R_BAND + 9);
        const [x1, y1] = polar(pointPos[i], R_BAND + 17);
        ticks[pointOwner[i]].push(`M${x0.toFixed(1)} ${y0.toFixed(1)}L${x1.toFixed(1)} ${y1.toFixed(1)}`);
      }
      ticks.forEach((parts, index) => {
        if (parts.length) layers.push(svg('path', { class: 'tick', d: parts.join(''), stroke: colour(index) }));
      });
    }

    const moved = lastResult && 'moved' in lastResult ? s.column('moved_keys') : new Uint32Array(0);
    if (keyHash.length <= MAX_DOTS) {
      this.#drawKeyDots(keyHash, (k) => (keyOwner.length && ids.length ? colour(keyOwner[k]) : 'gray'), new Set(moved));
    } else {
      this.#drawKeyDots(new Uint32Array(0));
      if (ids.length) over.push(...this.#densityRing(keyHash, keyOwner, colour));
    }

    if (moved.length && ids.length) {
      const keyPoint = s.column('key_point');
      for (let m = 0; m < moved.length && m < MAX_TRAILS; m += 1) {
        const k = moved[m];
        const target = pointPos[keyPoint[k]];
        const len = arcLength(keyHash[k], target, R_KEYS + 10);
        over.push(svg('path', { class: 'trail', d: arcPath(keyHash[k], target, R_KEYS + 10), stroke: colour(keyOwner[k]), style: { '--len': len.toFixed(1), 'stroke-dasharray': len.toFixed(1) } }));
      }
    }

    if (lastResult && Array.isArray(lastResult.walk) && lastResult.walk.length) over.push(...this.#walk(lastResult));

    const keys = snapshot.keys;
    over.push(
      svg('text', { class: 'centre big', x: 0, y: -6, text: plural(ids.length, 'node') }),
      svg('text', { class: 'centre muted', x: 0, y: 12, text: `${plural(snapshot.ring_points, 'point')} · ${plural(keys, 'key')}` }),
      svg('text', { class: 'muted', x: 0, y: -197, 'text-anchor': 'middle', text: '0 = 2³²' }),
    );
    this.#v.under.replaceChildren(...layers);
    this.#v.over.replaceChildren(...over);
    this.#v.ring.setAttribute('aria-label', ringSummary(snapshot, lastResult, moved.length));
    const notes = ['Outer band: the arc each node owns.'];
    notes.push(count > MAX_TICKS ? `Point ticks hidden (${formatCount(count)} points).` : 'Ticks: its points (virtual nodes).');
    notes.push(keyHash.length > MAX_DOTS ? 'Inner bars: key density, coloured by the most common owner.' : 'Inner dots: keys, coloured by owner.');
    this.#v.ringNote.textContent = notes.join(' ');
  }

  // One dot per key, at its hash, in its owner's colour. A dot is replaced
  // (a new node) when its colour changes or its key just moved, so that it
  // shows at once and a moved key pulses, as a fresh drawing did; a dot
  // whose key only moved on the ring (a new hash function) is moved in place.
  #drawKeyDots(keyHash, fillOf = null, movedSet = new Set()) {
    const dots = this.#dots;
    while (dots.length > keyHash.length) dots.pop().node.remove();
    for (let k = 0; k < keyHash.length; k += 1) {
      const position = keyHash[k];
      const fill = fillOf(k);
      const isMoved = movedSet.has(k);
      const dot = dots[k];
      if (dot && dot.fill === fill && !isMoved) {
        if (dot.moved) dot.node.setAttribute('class', 'key');
        if (dot.position !== position) {
          const [x, y] = polar(position, R_KEYS);
          dot.node.setAttribute('cx', x.toFixed(1));
          dot.node.setAttribute('cy', y.toFixed(1));
        }
        dot.position = position;
        dot.moved = false;
        continue;
      }
      const [x, y] = polar(position, R_KEYS);
      const node = svg('circle', { class: isMoved ? 'key moved' : 'key', cx: x.toFixed(1), cy: y.toFixed(1), r: 3.2, fill });
      if (dot) dot.node.replaceWith(node);
      else this.#v.keyDots.append(node);
      dots[k] = { node, position, fill, moved: isMoved };
    }
  }

  // Many keys: one radial bar per angular bin, length by count, coloured by
  // the bin's most common owner.
  #densityRing(keyHash, keyOwner, colour) {
    const bins = new Uint32Array(DENSITY_BINS);
    const owners = new Map();
    keyHash.forEach((position, k) => {
      const b = Math.floor((position / TURN) * DENSITY_BINS);
      bins[b] += 1;
      const key = b * 65536 + keyOwner[k];
      owners.set(key, (owners.get(key) ?? 0) + 1);
    });
    const top = new Int32Array(DENSITY_BINS).fill(-1);
    const best = new Uint32Array(DENSITY_BINS);
    for (const [key, n] of owners) {
      const b = Math.floor(key / 65536);
      if (n > best[b]) { best[b] = n; top[b] = key % 65536; }
    }
    const max = Math.max(...bins);
    const paths = new Map();
    for (let b = 0; b < DENSITY_BINS; b += 1) {
      if (!bins[b]) continue;
      const mid = ((b + 0.5) / DENSITY_BINS) * TURN;
      const [x0, y0] = polar(mid, R_KEYS);
      const [x1, y1] = polar(mid, R_KEYS - 4 - (bins[b] / max) * 30);
      const list = paths.get(top[b]) ?? [];
      list.push(`M${x0.toFixed(1)} ${y0.toFixed(1)}L${x1.toFixed(1)} ${y1.toFixed(1)}`);
      paths.set(top[b], list);
    }
    return [...paths].map(([owner, parts]) => svg('path', { d: parts.join(''), stroke: colour(owner), 'stroke-width': 2.4 }));
  }

  // The lookup: the key's position, the clockwise walk, the replicas in order.
  #walk(result) {
    const out = [];
    const last = result.walk[result.walk.length - 1].position;
    const len = arcLength(result.hash, last, R_WALK);
    if (len > 0.5) out.push(svg('path', { class: 'walk', d: arcPath(result.hash, last, R_WALK), style: { '--len': len.toFixed(1), 'stroke-dasharray': len.toFixed(1) } }));
    const [mx0, my0] = polar(result.hash, R_KEYS - 6);
    const [mx1, my1] = polar(result.hash, R_WALK + 10);
    out.push(svg('line', { class: 'key-marker', x1: mx0.toFixed(1), y1: my0.toFixed(1), x2: mx1.toFixed(1), y2: my1.toFixed(1) }));
    // The key's name goes inside the ring, where replica labels never are.
    const [lx, ly] = polar(result.hash, R_KEYS - 16);
    const name = result.key.length > 20 ? `${result.key.slice(0, 19)}…` : result.key;
    out.push(svg('text', { class: 'label-strong', x: lx.toFixed(1), y: (ly + 4).toFixed(1), 'text-anchor': Math.abs(lx) < 20 ? 'middle' : lx < 0 ? 'start' : 'end', text: name }));
    const seen = new Set();
    for (const point of result.walk) {
      if (seen.has(point.node)) continue;
      seen.add(point.node);
      const [x, y] = polar(point.position, R_WALK);
      const [tx, ty] = polar(point.position, R_WALK + 16);
      out.push(svg('circle', { class: 'walk-stop', cx: x.toFixed(1), cy: y.toFixed(1), r: 6 }),
        svg('text', { class: 'label-strong', x: tx.toFixed(1), y: (ty + 4).toFixed(1), 'text-anchor': 'middle', text: `${seen.size}·${point.node.length > 10 ? `${point.node.slice(0, 9)}…` : point.node}` }));
    }
    return out;
  }

  #drawBars(snapshot) {
    const nodes = snapshot.nodes;
    const totalWeight = nodes.reduce((a, n) => a + n.weight, 0);
    renderBarChart(this.#v.bars, nodes.map((node) => ({
      label: node.id,
      value: node.keys,
      colour: this.palette.colour(node.id),
      mark: snapshot.keys ? (snapshot.keys * node.weight) / totalWeight : undefined,
      title: `${node.id}: ${formatCount(node.keys)} keys, weight ${node.weight}, ${node.points} points, ${formatPercent(node.share)} of the ring`,
    })), { lines: snapshot.keys ? [{ value: snapshot.load.mean, label: 'mean' }] : [], emptyText: 'No nodes yet: add one.', name: 'Keys per node', unit: 'keys' });
    this.#v.barsNote.textContent = snapshot.keys
      ? `Dashed line: the mean (${formatCount(Math.round(snapshot.load.mean))} keys). Solid mark on each bar: its fair share by weight. Hover a bar for its numbers.`
      : '';
  }

  #drawStats(snapshot) {
    const out = [];
    const change = snapshot.last_change;
    const load = snapshot.load;
    if (change && change.keys) {
      out.push(el('p', {}, 'Last change (', el('strong', { text: change.change }), '): ',
        el('strong', { text: `${formatCount(change.moved)} of ${formatCount(change.keys)}` }), ` keys moved (${formatPercent(change.moved_fraction)}).`));
      if (change.expected_fraction != null) {
        out.push(el('p', { class: 'theory', text: `Theory: ${formatPercent(change.expected_fraction)} — the changed node's share of the ring's points (its weight share, except where rounding or the one-point minimum gives it more or fewer points). A naive hash(key) mod n would move about ${formatPercent(1 - 1 / Math.max(2, snapshot.nodes.length + (change.change.startsWith('add') ? 0 : 1)))}.` }));
      }
    } else {
      out.push(el('p', { class: 'theory', text: 'Add keys, then add or remove a node to see how many keys move.' }));
    }
    if (snapshot.keys && snapshot.nodes.length) {
      out.push(el('p', {}, 'Load: busiest node has ', el('strong', { text: `${load.max_over_mean.toFixed(2)}×` }),
        ' the mean; spread (std dev / mean) ', el('strong', { text: load.cv.toFixed(3) }), '.'));
      if (load.expected_cv != null && snapshot.nodes.length > 1) {
        out.push(el('p', { class: 'theory', text: `Theory, averaged over random rings: ≈ ${load.expected_cv.toFixed(3)} = √((n−1)/keys + (n−1)/(n·points+1) · (1 − 1/keys)). One ring with few keys can stray from it; more virtual nodes shrink the second term.` }));
      }
    }
    if (snapshot.theory.add_node_expected_fraction != null) {
      out.push(el('p', { class: 'theory', text: `Adding a node of weight 1 now should move ≈ ${formatPercent(snapshot.theory.add_node_expected_fraction)} of the keys.` }));
    }
    this.#v.stats.replaceChildren(...out);
  }

  #drawChart() {
    const v = this.#v;
    const hasData = this.changes.length > 0;
    v.chartEmpty.hidden = hasData;
    v.chartHost.hidden = !hasData;
    if (!hasData) return;
    v.chart.update([
      this.changes.map((_, i) => i + 1),
      this.changes.map((c) => c.measured),
      this.changes.map((c) => c.expected),
    ]);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    queueMicrotask(() => { if (!this.isConnected) this.#v.chart?.destroy(); });
  }
}

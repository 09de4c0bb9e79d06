// <sdp-hash-lab>: one key set through six placement schemes at once. Each
// change of the cluster is applied to all of them in lockstep; the cards show
// what it cost each scheme (keys moved vs the ideal), how even the load is,
// memory and lookup work. Attributes: nodes, keys, zipf, seed, sync-url,
// state-key.

import { el, formatCount, formatPercent, plural, setSelect, svg } from './dom.mjs';
import { Palette } from './palette.mjs';
import { sheetFrom } from './theme.mjs';
import { chartSheet, LineChart } from './chart.mjs';
import { barChartCss, renderBarChart } from './bar-chart.mjs';
import { buildNodeControls, initialNodeSteps } from './node-controls.mjs';
import { SdpWidget } from './sdp-widget.mjs';

const SCHEMES = {
  ring: { title: 'Ring + virtual nodes', blurb: 'First point clockwise; vnodes points per node (murmur3).', colour: '#4e79a7' },
  ketama: { title: 'Ketama (npm hashring)', blurb: 'MD5 ring as the npm hashring package builds it (libketama’s layout; libketama rounds in float).', colour: '#f28e2b' },
  jump: { title: 'Jump hash', blurb: 'No table at all; buckets are numbered, so only the last can leave cleanly.', colour: '#e15759' },
  rendezvous: { title: 'Rendezvous (HRW)', blurb: 'Every node scores the key; the highest weighted score wins.', colour: '#76b7b2' },
  maglev: { title: 'Maglev', blurb: 'A prime-sized table filled by each node’s permutation: one read per lookup.', colour: '#59a14f' },
  bounded: { title: 'Bounded loads', blurb: 'The ring, but a node with no free slot (HAProxy’s rule, by weight) passes the request on clockwise: one key’s requests spread over nodes, fine for caches, not for sharded data.', colour: '#b07aa1' },
};
const TABLE_SIZES = [101, 251, 1021, 4093, 16381, 65537, 262139, 1000003];
const KEY_COUNTS = [1000, 10000, 50000];

const styles = sheetFrom(`${barChartCss}
.controls { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(300px, 100%), 1fr)); gap: 4px 20px; }
.controls input[type="text"] { width: 8em; }
.controls select { max-width: 14em; }
.controls output { font-variant-numeric: tabular-nums; min-width: 4ch; display: inline-block; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(260px, 100%), 1fr)); gap: 12px; margin-top: 12px; }
.card { border: 1px solid var(--sdp-line); border-radius: var(--sdp-radius); padding: 10px 12px; }
.card h3 { margin: 0; font-size: 0.98rem; display: flex; align-items: center; gap: 6px; }
.card .swatch { width: 10px; height: 10px; border-radius: 50%; display: inline-block; }
.card .blurb { color: var(--sdp-muted); font-size: 0.84rem; margin: 2px 0 6px; min-height: 2.4em; }
.card .owner { font-size: 0.9rem; margin: 4px 0; }
.card dl { display: grid; grid-template-columns: auto 1fr; gap: 1px 10px; margin: 6px 0 0; font-size: 0.88rem; }
.card dt { color: var(--sdp-muted); }
.card dd { margin: 0; font-variant-numeric: tabular-nums; }
.card .over { color: var(--sdp-error); font-weight: 600; }
.moved-bar { height: 8px; background: var(--sdp-panel); border-radius: 4px; position: relative; margin: 2px 0 4px; }
.moved-bar .fill { position: absolute; left: 0; top: 0; bottom: 0; border-radius: 4px; }
.moved-bar .ideal { position: absolute; top: -3px; bottom: -3px; width: 2px; background: var(--sdp-fg); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(320px, 100%), 1fr)); gap: 16px; margin-top: 12px; }
.chart-empty { color: var(--sdp-muted); font-size: 0.9rem; }
.section-note { color: var(--sdp-muted); font-size: 0.85rem; margin: 4px 0 0; }
`);

export class HashLabElement extends SdpWidget {
  static sim = 'hash_lab';
  static title = 'Hashing lab';
  static subtitle = 'Ring, ketama, jump, rendezvous, Maglev and bounded loads on the same keys, reacting to the same changes.';
  static styles = [styles, chartSheet];

  palette = new Palette();
  changes = []; // per change: {label, ideal, moved: {scheme: fraction}}
  sweep = null;
  #v = {};
  // Each scheme's bar chart, kept from draw to draw while its card is
  // rebuilt: its width is then known without a layout (element-width.mjs).
  #barCharts = new Map();

  static attributes = {
    nodes: { type: 'integer', min: 0, max: 100, default: 5 },
    keys: { op: 'add_keys', field: 'count', min: 0, default: 10000 },
    zipf: { op: 'add_keys', field: 'zipf' },
  };

  initialSteps({ nodes, keys, zipf }) {
    const steps = initialNodeSteps(nodes);
    if (keys > 0) {
      const add = { op: 'add_keys', count: keys };
      if (zipf !== undefined) add.zipf = zipf;
      steps.push(add);
    }
    return steps;
  }

  replayStarted() {
    this.palette.clear();
    this.changes = [];
    this.sweep = null;
  }

  stepApplied(step, result) {
    this.palette.follow(step);
    if (result?.schemes && result.requests > 0) {
      const moved = Object.fromEntries(Object.keys(SCHEMES).map((s) => [s, result.schemes[s].moved_fraction]));
      this.changes.push({ label: result.change, ideal: result.ideal_fraction, moved });
    }
    if (step.op === 'sweep') this.sweep = result;
  }

  describe(step, r) {
    switch (step.op) {
      case 'add_node':
      case 'remove_node':
      case 'fail_node': {
        if (!r.requests) return `${r.change}: no keys yet.`;
        const moved = Object.keys(SCHEMES).map((s) => `${s} ${formatPercent(r.schemes[s].moved_fraction)}`).join(', ');
        return `${r.change}: keys moved — ${moved}; ideal ${r.ideal_fraction == null ? '–' : formatPercent(r.ideal_fraction)}.`;
      }
      case 'set':
        return `${r.change}: ${Object.keys(SCHEMES).filter((s) => r.schemes[s].moved).map((s) => `${s} moved ${formatCount(r.schemes[s].moved)}`).join(', ') || 'no key moved'}.`;
      case 'add_keys':
        return `Added ${formatCount(r.added)} requests (${formatCount(r.requests)} in total, ${formatCount(r.distinct_keys)} distinct keys).`;
      case 'lookup':
        return `"${r.key}": ${Object.entries(r.owners).map(([s, id]) => `${s} → ${id}`).join(', ')}.`;
      case 'sweep':
        return r.scheme === 'ring'
          ? (Array.isArray(r.theory_cv)
            ? 'Swept the ring’s virtual nodes: the load spread falls like 1/√p, p = points per node.'
            : 'Swept the ring’s virtual nodes: the load spread falls as points are added (no theory line: the weights differ).')
          : 'Swept Maglev’s table size: disruption falls towards the ideal as M grows.';
      case 'jump_hash':
        return `jump_hash(${r.key}, ${r.buckets}) = ${r.bucket}.`;
      default:
        return '';
    }
  }

  buildBody(body) {
    const v = this.#v;
    v.nodeControls = buildNodeControls(this, { maxWeight: 10, removals: [
      { op: 'remove_node', label: 'Remove' }, { op: 'fail_node', label: 'Fail' }] });
    v.keyCount = el('select', { 'aria-label': 'How many requests to add' }, ...KEY_COUNTS.map((n) => el('option', { value: n, text: formatCount(n) })));
    v.zipf = el('input', { type: 'range', min: 0, max: 2, step: 0.1, value: 0, 'aria-label': 'Zipf skew of the requests' });
    v.zipfOut = el('output', { text: 'off' });
    v.zipf.addEventListener('input', () => { v.zipfOut.textContent = Number(v.zipf.value) ? v.zipf.value : 'off'; });
    const addKeys = el('button', { type: 'button', text: 'Add requests' });
    addKeys.addEventListener('click', () => {
      const step = { op: 'add_keys', count: Number(v.keyCount.value) };
      if (Number(v.zipf.value) > 0) step.zipf = Number(v.zipf.value);
      this.act(step, addKeys);
    });
    v.vnodes = this.#paramSlider('vnodes', 'Ring virtual nodes', 1, 1000, 1);
    v.epsilon = this.#paramSlider('epsilon', 'Bounded loads ε', 0.05, 2, 0.05);
    v.ketama = this.#paramSlider('ketama_vnodes', 'Ketama digests per server', 1, 200, 1);
    v.table = el('select', { 'aria-label': 'Maglev table size M' }, ...TABLE_SIZES.map((m) => el('option', { value: m, text: formatCount(m) })));
    v.table.addEventListener('change', () => this.act({ op: 'set', table_size: Number(v.table.value) }, v.table));
    v.key = el('input', { type: 'text', maxlength: 256, value: 'user:42', 'aria-label': 'Key to look up' });
    const lookup = el('button', { type: 'button', text: 'Look up', onclick: () => this.act({ op: 'lookup', key: v.key.value }, lookup) });
    v.key.addEventListener('keydown', (e) => { if (e.key === 'Enter') lookup.click(); });
    const sweepRing = el('button', { type: 'button', text: 'Sweep vnodes', onclick: () => this.act({ op: 'sweep', scheme: 'ring' }, sweepRing) });
    const sweepMaglev = el('button', { type: 'button', text: 'Sweep Maglev M', onclick: () => this.act({ op: 'sweep', scheme: 'maglev' }, sweepMaglev) });

    v.cards = el('div', { class: 'cards' });
    v.summary = el('p', { class: 'section-note' });
    v.movedHost = el('div', {});
    v.movedEmpty = el('p', { class: 'chart-empty', text: 'Add or remove a node while requests are placed to chart how many keys each scheme moves.' });
    v.movedChart = new LineChart(v.movedHost, {
      title: 'Keys moved per change', xLabel: 'change #', yLabel: 'keys moved', yFormat: (x) => `${(x * 100).toFixed(0)}%`,
      series: [...Object.entries(SCHEMES).map(([name, s]) => ({ label: name, colour: s.colour })),
        { label: 'ideal', colour: '#888888', dash: [6, 4] }],
    });
    v.sweepHost = el('div', {});
    v.sweepEmpty = el('p', { class: 'chart-empty', text: 'Press “Sweep vnodes” or “Sweep Maglev M” to chart a scheme across its parameter.' });
    body.append(
      el('div', { class: 'controls' },
        ...v.nodeControls.groups,
        this.controlGroup(el('label', {}, 'Requests ', v.keyCount), el('label', {}, 'Zipf skew ', v.zipf), v.zipfOut, addKeys),
        this.controlGroup(el('label', { class: 'visually-hidden', text: 'Key' }), v.key, lookup),
        v.vnodes.group, v.ketama.group,
        this.controlGroup(el('label', {}, 'Maglev table size M ', v.table)),
        v.epsilon.group,
        this.controlGroup(sweepRing, sweepMaglev)),
      v.summary,
      v.cards,
      el('div', { class: 'charts' }, el('div', {}, v.movedEmpty, v.movedHost), el('div', {}, v.sweepEmpty, v.sweepHost)));
  }

  // A slider that sets one scheme parameter when released.
  #paramSlider(field, label, min, max, step) {
    const input = el('input', { type: 'range', min, max, step, 'aria-label': label });
    const out = el('output', {});
    input.addEventListener('input', () => { out.textContent = input.value; });
    input.addEventListener('change', () => this.act({ op: 'set', [field]: Number(input.value) }, input));
    return { input, out, group: this.controlGroup(el('label', {}, `${label} `, input), out) };
  }

  render(snapshot, lastResult) {
    const v = this.#v;
    const ids = snapshot.nodes.map((n) => n.id);
    v.nodeControls.update(ids);
    for (const [slider, value] of [[v.vnodes, snapshot.config.vnodes], [v.epsilon, snapshot.config.epsilon], [v.ketama, snapshot.config.ketama_vnodes]]) {
      slider.input.value = String(value);
      slider.out.textContent = String(value);
    }
    v.epsilon.out.textContent = `${snapshot.config.epsilon} (HAProxy hash-balance-factor ${snapshot.bounded.balance_factor})`;
    setSelect(v.table, snapshot.config.table_size, formatCount(snapshot.config.table_size));
    const hot = snapshot.hottest_key;
    v.summary.textContent = `${plural(ids.length, 'node')} · ${plural(snapshot.requests, 'request')} for ${plural(snapshot.distinct_keys, 'distinct key')}`
      + (hot && hot.requests > 1 ? ` · hottest key "${hot.key}" asked ${formatCount(hot.requests)} times` : '')
      + (snapshot.bounded.capacity != null ? ` · bounded loads: up to ${formatCount(snapshot.bounded.capacity)} requests on the largest node (HAProxy slots, split by weight)` : '');
    const lookup = lastResult?.owners ? lastResult : null;
    v.cards.replaceChildren(...snapshot.schemes.map((scheme) => this.#card(scheme, snapshot, lookup)));
    this.#drawCharts();
  }

  #card(scheme, snapshot, lookup) {
    const info = SCHEMES[scheme.scheme];
    const change = snapshot.last_change;
    let bars = this.#barCharts.get(scheme.scheme);
    if (!bars) {
      bars = svg('svg', { class: 'bars', role: 'img', 'aria-label': `${info.title}: requests per node` }); // named again when drawn
      this.#barCharts.set(scheme.scheme, bars);
    }
    const card = el('section', { class: 'card', 'aria-label': info.title },
      el('h3', {}, el('span', { class: 'swatch', style: { background: info.colour } }), info.title),
      el('p', { class: 'blurb', text: info.blurb }));
    if (lookup) card.append(el('p', { class: 'owner' }, `“${lookup.key}” → `, el('strong', { text: lookup.owners[scheme.scheme] })));
    card.append(bars);
    const rows = [];
    if (change && change.requests && change.ideal_fraction != null) {
      const moved = change.schemes[scheme.scheme].moved_fraction;
      const scale = Math.max(0.5, ...Object.values(change.schemes).map((s) => s.moved_fraction), change.ideal_fraction) * 1.1;
      rows.push(['moved', el('span', {}, el('span', { class: moved > change.ideal_fraction * 1.5 ? 'over' : '', text: formatPercent(moved) }),
        ` (ideal ${formatPercent(change.ideal_fraction)})`,
        el('div', { class: 'moved-bar', role: 'img', 'aria-label': `moved ${formatPercent(moved)}, ideal ${formatPercent(change.ideal_fraction)}` },
          el('div', { class: 'fill', style: { width: `${(moved / scale) * 100}%`, background: info.colour } }),
          el('div', { class: 'ideal', style: { left: `${(change.ideal_fraction / scale) * 100}%` } })))]);
    }
    if (scheme.max_over_mean != null) {
      rows.push(['busiest', el('span', { class: scheme.max_over_mean > 1.5 ? 'over' : '', text: `${scheme.max_over_mean.toFixed(2)}× mean` })]);
      rows.push(['spread', `${scheme.cv.toFixed(3)} (std dev / mean)`]);
    }
    rows.push(['memory', formatBytes(scheme.memory_bytes)]);
    if (scheme.lookup_cost != null) rows.push(['lookup', `${scheme.lookup_cost.toFixed(1)} ${LOOKUP_UNITS[scheme.scheme]}`]);
    card.append(el('dl', {}, ...rows.flatMap(([k, value]) => [el('dt', { text: k }), el('dd', {}, value)])));
    // Drawn after insertion so the SVG knows its width.
    queueMicrotask(() => {
      const lines = snapshot.requests ? [{ value: scheme.mean, label: 'mean' }] : [];
      if (scheme.scheme === 'bounded' && snapshot.bounded.capacity != null) lines.push({ value: snapshot.bounded.capacity, label: 'slots (largest)', className: 'cap' });
      renderBarChart(bars, snapshot.nodes.map((node, i) => ({
        label: node.id, value: scheme.load[i] ?? 0, colour: this.palette.colour(node.id),
        title: `${node.id}: ${formatCount(scheme.load[i] ?? 0)} requests`
          + (scheme.scheme === 'bounded' && snapshot.bounded.slots ? ` of ${formatCount(snapshot.bounded.slots[i])} slots` : ''),
      })), { height: 90, lines, emptyText: 'No nodes.', name: `${info.title}: requests per node`, unit: 'requests' });
    });
    return card;
  }

  #drawCharts() {
    const v = this.#v;
    const hasChanges = this.changes.length > 0;
    v.movedEmpty.hidden = hasChanges;
    v.movedHost.hidden = !hasChanges;
    if (hasChanges) {
      v.movedChart.update([this.changes.map((_, i) => i + 1),
        ...Object.keys(SCHEMES).map((s) => this.changes.map((c) => c.moved[s])),
        this.changes.map((c) => c.ideal)]);
    }
    v.sweepEmpty.hidden = !!this.sweep;
    v.sweepHost.hidden = !this.sweep;
    if (!this.sweep) return;
    const ring = this.sweep.scheme === 'ring';
    // Theory only for equal weights: with unequal weights no single formula applies.
    const theory = ring && Array.isArray(this.sweep.theory_cv);
    const kind = `${this.sweep.scheme}${theory ? '+theory' : ''}`;
    if (v.sweepKind !== kind) {
      v.sweepChart?.destroy();
      v.sweepKind = kind;
      v.sweepChart = new LineChart(v.sweepHost, ring
        ? { title: 'Ring: load spread vs virtual nodes', xLabel: 'vnodes per unit of weight (log)', yLabel: 'spread (CV)', logX: true, yFormat: (x) => x.toFixed(2),
          series: [{ label: 'measured', colour: SCHEMES.ring.colour },
            ...(theory ? [{ label: '√((n−1)/(n·p+1)), p = points per node', colour: '#e15759', dash: [6, 4] }] : [])] }
        : { title: 'Maglev: keys moved when a node leaves', xLabel: 'table size M (log)', yLabel: 'moved', logX: true, yFormat: (x) => `${(x * 100).toFixed(0)}%`,
          series: [{ label: 'measured', colour: SCHEMES.maglev.colour }, { label: 'ideal 1/n', colour: '#888888', dash: [6, 4] }] });
    }
    v.sweepChart.update(ring
      ? [this.sweep.x, this.sweep.measured_cv, ...(theory ? [this.sweep.theory_cv] : [])]
      : [this.sweep.x, this.sweep.measured_moved, this.sweep.ideal_moved]);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    queueMicrotask(() => {
      if (this.isConnected) return;
      this.#v.movedChart?.destroy();
      this.#v.sweepChart?.destroy();
      this.#v.sweepKind = null;
    });
  }
}

const LOOKUP_UNITS = {
  ring: 'comparisons', ketama: 'comparisons (+ MD5)', jump: 'loop turns', rendezvous: 'hashes (one per node)',
  maglev: 'table read', bounded: 'comparisons + steps past full nodes',
};

function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

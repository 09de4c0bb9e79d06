// <sdp-rate-limiter>: six rate limiters side by side on one request trace.
// Each row of the timeline is one algorithm; every request is a tick, green
// if it was admitted, red if refused, so the fixed window's edge burst, the
// sliding counter's estimate and nginx's delays line up against the exact
// sliding log. Cards give each algorithm's totals, its worst sliding window
// against the limit, and how often it disagrees with the exact log.
// Attributes: limit, window-ms, seed, sync-url, state-key.

import { el, formatCount, formatPercent, setSelect } from './dom.mjs';
import { sheetFrom } from './theme.mjs';
import { chartSheet, LineChart } from './chart.mjs';
import { SdpWidget } from './sdp-widget.mjs';
import { watchedWidth } from './element-width.mjs';

const ALGORITHMS = [
  { key: 'token_bucket', title: 'Token bucket', colour: '#4e79a7' },
  { key: 'leaky_bucket', title: 'Leaky bucket (nginx limit_req)', colour: '#f28e2b' },
  { key: 'fixed_window', title: 'Fixed window', colour: '#e15759' },
  { key: 'sliding_log', title: 'Sliding log (exact)', colour: '#59a14f' },
  { key: 'sliding_counter', title: 'Sliding counter (Cloudflare)', colour: '#b07aa1' },
  { key: 'gcra', title: 'GCRA (redis-cell)', colour: '#76b7b2' },
];
const PATTERNS = [
  { value: 'steady', text: 'steady' },
  { value: 'poisson', text: 'Poisson (random)' },
  { value: 'bursty', text: 'bursty (on/off)' },
  { value: 'boundary', text: 'at window edges' },
];
const RATES = [5, 10, 15, 20, 40];
const LIMITS = [1, 5, 10, 20, 100];
const WINDOWS = [1000, 10000, 60000];
const SPANS = [2000, 10000, 60000]; // how much of the trace the timeline shows
const CHART_POINTS = 1500;
const ALLOWED = '#3f9a52';
const REFUSED = '#d9434b';

const styles = sheetFrom(`
.controls { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(300px, 100%), 1fr)); gap: 4px 20px; }
.controls h3 { font-size: 0.9rem; margin: 6px 0 2px; color: var(--sdp-muted); font-weight: 600; }
.timeline { width: 100%; display: block; margin-top: 10px; }
.timeline-note { color: var(--sdp-muted); font-size: 0.85rem; margin: 2px 0 0; }
.legend { display: flex; gap: 14px; font-size: 0.82rem; color: var(--sdp-muted); margin: 2px 0; }
.legend .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(250px, 100%), 1fr)); gap: 10px; margin-top: 10px; }
.card { border: 1px solid var(--sdp-line); border-radius: var(--sdp-radius); padding: 8px 10px; }
.card h4 { margin: 0 0 2px; font-size: 0.92rem; display: flex; gap: 6px; align-items: center; }
.card .swatch { width: 10px; height: 10px; border-radius: 50%; display: inline-block; }
.card .ref { color: var(--sdp-muted); font-size: 0.8rem; margin: 0 0 4px; }
.card dl { display: grid; grid-template-columns: auto 1fr; gap: 1px 10px; margin: 0; font-size: 0.85rem; }
.card dt { color: var(--sdp-muted); }
.card dd { margin: 0; font-variant-numeric: tabular-nums; }
.card .over { color: var(--sdp-error); font-weight: 600; }
.card .exact { color: var(--sdp-ok); font-weight: 600; }
.charts { margin-top: 12px; }
`);

export class RateLimiterElement extends SdpWidget {
  static sim = 'rate_limiter';
  static title = 'Rate limiters';
  static subtitle = 'Token bucket, nginx’s leaky bucket, fixed window, sliding log, Cloudflare’s sliding counter and redis-cell’s GCRA on the same requests.';
  static styles = [styles, chartSheet];

  #v = {};

  static attributes = { limit: { config: 'limit' }, 'window-ms': { config: 'window_ms' } };

  baseConfig() { return { limit: 10, window_ms: 1000 }; }

  initialSteps() { return [{ op: 'traffic', pattern: 'bursty', rps: 15, duration_ms: 10000 }]; }

  describe(step, r) {
    const line = (algorithms) => ALGORITHMS.map((a) => `${a.key} ${algorithms[a.key].allowed}`).join(', ');
    switch (step.op) {
      case 'traffic':
        return `${formatCount(r.hits)} ${step.pattern} requests from ${(r.from_ms / 1000).toFixed(1)} s to ${(r.to_ms / 1000).toFixed(1)} s; admitted — ${line(r.algorithms)}.`;
      case 'burst':
        return `A burst of ${r.count} at ${(r.at_ms / 1000).toFixed(1)} s; admitted — ${line(r.algorithms)}.`;
      case 'hit': {
        const yes = ALGORITHMS.filter((a) => r.decisions[a.key].allowed).map((a) => a.key);
        return `One request at ${(r.at_ms / 1000).toFixed(1)} s: admitted by ${yes.join(', ') || 'none'}.`;
      }
      case 'advance': return `Time moves on to ${(r.now_ms / 1000).toFixed(1)} s.`;
      case 'limiter': return `${step.algorithm} reconfigured; it starts from an empty state.`;
      default: return '';
    }
  }

  buildBody(body) {
    const v = this.#v;
    const select = (label, options, value) => {
      const s = el('select', { 'aria-label': label }, ...options.map((o) => el('option', { value: o.value ?? o, text: o.text ?? String(o) })));
      s.value = String(value);
      return s;
    };
    v.limit = select('Limit per window', LIMITS.map((n) => ({ value: n, text: `limit ${n}` })), 10);
    v.window = select('Window', WINDOWS.map((ms) => ({ value: ms, text: `per ${ms / 1000} s` })), 1000);
    const apply = this.controlGroup(v.limit, v.window,
      el('button', { type: 'button', text: 'Apply to all six', onclick: (e) => this.setConfig({ limit: Number(v.limit.value), window_ms: Number(v.window.value) }, e.currentTarget) }));
    v.pattern = select('Traffic pattern', PATTERNS, 'bursty');
    v.rps = select('Requests per second', RATES.map((n) => ({ value: n, text: `${n} req/s` })), 15);
    const traffic = this.controlGroup(v.pattern, v.rps,
      el('button', { type: 'button', class: 'primary', text: 'Send 10 s of traffic',
        onclick: (e) => this.act(this.#trafficStep(), e.currentTarget) }));
    v.span = select('Timeline span', SPANS.map((ms) => ({ value: ms, text: `show the last ${ms / 1000} s` })), 10000);
    v.span.addEventListener('change', () => this.refresh());
    const now = this.controlGroup(
      el('button', { type: 'button', text: 'One request', onclick: (e) => this.act({ op: 'hit', at_ms: this.session.snapshot().now_ms }, e.currentTarget) }),
      el('button', { type: 'button', text: 'Burst of 20', onclick: (e) => this.act({ op: 'burst', count: 20 }, e.currentTarget) }),
      el('button', { type: 'button', text: 'Wait 1 s', onclick: (e) => this.act({ op: 'advance', ms: 1000 }, e.currentTarget) }));

    v.canvas = el('canvas', { class: 'timeline', role: 'img', 'aria-label': 'Each algorithm’s decisions over time' });
    v.note = el('p', { class: 'timeline-note' });
    v.cards = el('div', { class: 'cards' });
    v.chartHost = el('div', { class: 'charts' });
    v.chart = new LineChart(v.chartHost, {
      title: 'How full each limiter is after each request (in requests)', xLabel: 'time (s)', yLabel: 'requests', points: false,
      series: ALGORITHMS.map((a) => ({ label: a.key, colour: a.colour })) });
    body.append(
      el('div', { class: 'controls' },
        el('div', {}, el('h3', { text: 'Limit (all six)' }), apply),
        el('div', {}, el('h3', { text: 'Traffic' }), traffic),
        el('div', {}, el('h3', { text: 'Right now' }), now)),
      this.controlGroup(v.span),
      v.canvas,
      el('div', { class: 'legend' },
        el('span', {}, el('span', { class: 'swatch', style: { background: ALLOWED } }), 'admitted'),
        el('span', {}, el('span', { class: 'swatch', style: { background: REFUSED } }), 'refused')),
      v.note, v.cards, v.chartHost);
  }

  // The boundary pattern sets its own times (bursts at each window edge), so
  // it takes no rate.
  #trafficStep() {
    const v = this.#v;
    const step = { op: 'traffic', pattern: v.pattern.value, duration_ms: 10000 };
    if (v.pattern.value !== 'boundary') step.rps = Number(v.rps.value);
    return step;
  }

  render(snap) {
    const v = this.#v;
    setSelect(v.limit, snap.config.limit, `limit ${snap.config.limit}`);
    setSelect(v.window, snap.config.window_ms, `per ${snap.config.window_ms / 1000} s`);
    const times = this.session.column('hit_time_ms');
    this.#drawTimeline(snap, times);
    this.#drawCards(snap);
    this.#drawChart(times);
  }

  #drawTimeline(snap, times) {
    const canvas = this.#v.canvas;
    const width = Math.max(320, Math.floor(watchedWidth(canvas, () => this.#drawTimeline(snap, times)) || 800));
    const labelWidth = 250;
    const row = 26;
    const height = row * ALGORITHMS.length + 22;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = width * ratio;
    canvas.height = height * ratio;
    canvas.style.height = `${height}px`;
    const ctx = canvas.getContext('2d');
    ctx.scale(ratio, ratio);
    const style = getComputedStyle(this);
    const fg = style.getPropertyValue('--sdp-fg').trim() || '#111';
    const muted = style.getPropertyValue('--sdp-muted').trim() || '#666';
    const line = style.getPropertyValue('--sdp-line').trim() || '#ccc';
    ctx.clearRect(0, 0, width, height);
    const span = Number(this.#v.span.value);
    const end = Math.max(snap.now_ms, times.length ? times[times.length - 1] : 0, span);
    const start = end - span;
    const plotWidth = width - labelWidth - 8;
    const x = (t) => labelWidth + ((t - start) / span) * plotWidth;
    ctx.font = '12px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    // Window edges of the fixed window (aligned to t = 0), as faint lines.
    ctx.strokeStyle = line;
    const w = snap.config.window_ms;
    if (span / w <= 60) {
      for (let t = Math.ceil(start / w) * w; t <= end; t += w) {
        ctx.beginPath(); ctx.moveTo(x(t), 0); ctx.lineTo(x(t), row * ALGORITHMS.length); ctx.stroke();
      }
    }
    let first = 0;
    while (first < times.length && times[first] < start) first++;
    const counts = [];
    ALGORITHMS.forEach((a, i) => {
      const y = i * row;
      const allowed = this.session.column(`allowed:${a.key}`);
      let admitted = 0;
      for (let h = first; h < times.length; h++) {
        admitted += allowed[h];
        ctx.fillStyle = allowed[h] ? ALLOWED : REFUSED;
        ctx.fillRect(Math.floor(x(times[h])), y + 4 + (allowed[h] ? 0 : row / 2 - 3), 2, row / 2 - 5);
      }
      ctx.fillStyle = fg;
      ctx.fillText(a.title, 4, y + row / 2);
      ctx.fillStyle = muted;
      ctx.textAlign = 'right';
      ctx.fillText(`${admitted}/${times.length - first}`, labelWidth - 8, y + row / 2);
      counts.push(`${a.title} ${admitted}`);
      ctx.textAlign = 'left';
    });
    ctx.fillStyle = muted;
    ctx.textBaseline = 'top';
    ctx.fillText(`${(start / 1000).toFixed(1)} s`, labelWidth, row * ALGORITHMS.length + 4);
    ctx.textAlign = 'right';
    ctx.fillText(`${(end / 1000).toFixed(1)} s`, width - 8, row * ALGORITHMS.length + 4);
    ctx.textAlign = 'left';
    const shown = times.length - first;
    canvas.setAttribute('aria-label', `Each algorithm’s decisions from ${(start / 1000).toFixed(1)} s to ${(end / 1000).toFixed(1)} s: ` +
      (shown ? `of ${formatCount(shown)} requests, admitted by ${counts.join(', ')}.` : 'no requests.'));
    this.#v.note.textContent = `The last ${span / 1000} s: ${formatCount(shown)} of ${formatCount(times.length)} requests; ` +
      'the numbers are admitted / sent in that span. Admitted ticks sit high, refused ticks low; ' +
      `faint lines are the fixed window’s edges (every ${w / 1000} s).`;
  }

  #drawCards(snap) {
    const cards = snap.algorithms.map((lane) => {
      const meta = ALGORITHMS.find((a) => a.key === lane.algorithm);
      const peak = lane.sliding_window_peak;
      const over = peak && peak.max_admitted > peak.limit;
      const vs = lane.vs_sliding_log;
      const rows = [
        ['admitted', formatCount(lane.allowed)],
        ['refused', formatCount(lane.rejected)],
        ...(lane.delayed !== undefined ? [['delayed (nginx)', formatCount(lane.delayed)]] : []),
        ['worst window', peak ? el('span', { class: over ? 'over' : 'exact', text: `${peak.max_admitted} in ${peak.window_ms / 1000} s (limit ${peak.limit})` }) : '–'],
        ['differs from exact', vs ? `${formatPercent(vs.fraction)} (${formatCount(vs.wrongly_allowed)} too many, ${formatCount(vs.wrongly_limited)} too few)` : 'it is the reference'],
      ];
      return el('div', { class: 'card', role: 'region', 'aria-label': meta.title },
        el('h4', {}, el('span', { class: 'swatch', style: { background: meta.colour } }), meta.title),
        el('p', { class: 'ref', text: lane.reference }),
        el('dl', {}, ...rows.flatMap(([k, val]) => [el('dt', { text: k }), el('dd', {}, val)])));
    });
    this.#v.cards.replaceChildren(...cards);
  }

  #drawChart(times) {
    const n = times.length;
    const stride = Math.max(1, Math.ceil(n / CHART_POINTS));
    const xs = [];
    for (let h = 0; h < n; h += stride) xs.push(times[h] / 1000);
    const ys = ALGORITHMS.map((a) => {
      const used = this.session.column(`used_milli:${a.key}`);
      const out = [];
      for (let h = 0; h < n; h += stride) out.push(used[h] / 1000);
      return out;
    });
    this.#v.chart.update([xs, ...ys]);
  }
}

// <sdp-load-balancer>: clients -> balancer -> servers, with ten algorithms,
// L4 vs L7, health checks and slow start. Compare mode runs a second
// algorithm on the identical request stream and draws both side by side.
// nginx's passive check (max_fails / fail_timeout) can be turned on to see
// least connections' "black hole" close.
// Attributes: servers, rps, seed, sync-url, state-key.

import { actionButton, el, formatCount, formatPercent, numberBox, numberValue, selectBox, setSelect, showNumber } from './dom.mjs';
import { sheetFrom } from './theme.mjs';
import { chartSheet, LineChart } from './chart.mjs';
import { SdpWidget } from './sdp-widget.mjs';

const ALGORITHMS = [
  ['round_robin', 'round robin'], ['weighted_round_robin', 'weighted round robin (nginx smooth)'],
  ['sticky', 'sticky sessions'], ['random', 'random'], ['weighted_random', 'weighted random'],
  ['least_connections', 'least connections'], ['least_response_time', 'least response time (EWMA)'],
  ['power_of_two_choices', 'power of two choices'], ['ip_hash', 'IP hash (nginx ip_hash)'],
  ['consistent_ip_hash', 'consistent IP hash (ring)'],
];
const RATES = [100, 200, 300, 350, 400];
const COSTS = [['exponential', 'exponential cost'], ['lognormal', 'lognormal cost'], ['pareto', 'heavy-tailed (Pareto)']];
const LANE_COLOURS = ['#4e79a7', '#e15759'];
const SERVER_NAMES = 'abcdefghijklmnopqrstuvwxyz';
// nginx's defaults for every `server` line (ngx_http_upstream_server).
const NGINX_PASSIVE = { max_fails: 1, fail_timeout_ms: 10000 };

const styles = sheetFrom(`
.controls { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(300px, 100%), 1fr)); gap: 4px 20px; }
.controls h3 { font-size: 0.9rem; margin: 6px 0 2px; color: var(--sdp-muted); font-weight: 600; }
.controls select { max-width: 17em; }
.lanes { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(340px, 100%), 1fr)); gap: 12px; margin-top: 10px; }
.lane { border: 1px solid var(--sdp-line); border-radius: var(--sdp-radius); padding: 8px 10px; }
.lane h4 { margin: 0 0 4px; font-size: 0.95rem; display: flex; gap: 6px; align-items: center; }
.lane .swatch { width: 10px; height: 10px; border-radius: 50%; display: inline-block; }
.lane .summary { font-size: 0.86rem; color: var(--sdp-muted); margin: 0 0 6px; font-variant-numeric: tabular-nums; }
.server { display: grid; grid-template-columns: 4.5em 1fr minmax(7.5em, auto); gap: 6px; align-items: center; font-size: 0.82rem; margin: 3px 0; font-variant-numeric: tabular-nums; }
.server .name { font-weight: 600; }
.server .down { color: var(--sdp-error); }
.bars { display: flex; flex-direction: column; gap: 2px; }
.bar { height: 7px; background: var(--sdp-panel); border-radius: 3px; position: relative; overflow: hidden; }
.bar .fill { position: absolute; left: 0; top: 0; bottom: 0; }
.server-actions { display: flex; flex-wrap: wrap; gap: 4px 8px; margin-top: 4px; }
.server-actions .row { display: flex; gap: 4px; align-items: center; font-size: 0.85rem; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(420px, 100%), 1fr)); gap: 12px 16px; margin-top: 12px; }
.note { color: var(--sdp-muted); font-size: 0.85rem; margin: 4px 0 0; }
.controls .note { max-width: 34em; }
.controls input[type=number] { width: 6.5em; }
`);

const label = (name) => ALGORITHMS.find(([key]) => key === name)?.[1] ?? name;
const passiveText = (c) => (c.max_fails === 0 ? 'off (max_fails 0)'
  : `on: max_fails ${c.max_fails}, fail_timeout ${formatCount(c.fail_timeout_ms)} ms`);

export class LoadBalancerElement extends SdpWidget {
  static sim = 'load_balancer';
  static title = 'Load balancer';
  static subtitle = 'Ten balancing algorithms, L4 vs L7, health checks and slow start — and two algorithms on the identical requests, side by side.';
  static styles = [styles, chartSheet];

  #v = {};

  static attributes = { servers: { config: 'servers' }, rps: { config: 'rps' } };
  // The CSV export: the charts' series per time bucket, for each lane.
  static csvColumns = (snapshot) => ['series:t_ms', ...(snapshot.lanes.length > 1 ? ['series', 'series_b'] : ['series'])
    .flatMap((lane) => [`${lane}:p99_us`, `${lane}:max_server_queue`])];

  baseConfig() {
    return {
      servers: 4,
      rps: 300,
      capacity: 100, workers: 4, cost: 'pareto', cost_variance: 4,
      algorithm: 'round_robin', compare: 'least_connections',
    };
  }

  initialSteps() { return [{ op: 'advance', ms: 5000 }]; }

  describe(step, r) {
    const lanes = (during) => during.map((l) => `${label(l.algorithm)}: ${formatCount(l.ok)} ok, ${formatCount(l.timed_out + l.rejected + l.failed + l.no_server)} not, ${formatCount(l.retried)} retried`).join('; ');
    switch (step.op) {
      case 'advance': return `${step.ms / 1000} s: ${lanes(r.during)}.`;
      case 'algorithm': return `Balancing with ${label(r.algorithm)}${r.compare ? `, compared with ${label(r.compare)}` : ''}.`;
      case 'mode': return `Mode ${r.mode.toUpperCase()}${r.connections_closed ? `: ${r.connections_closed} connections closed` : ''}.`;
      case 'server_add': return `Server ${r.server} joins.${r.remap && r.remap.clients ? ` IP hash moved ${formatPercent(r.remap.ip_hash_moved / r.remap.clients)} of clients, the ring ${formatPercent(r.remap.consistent_moved / r.remap.clients)}.` : ''}`;
      case 'server_remove': return `Server ${r.server} removed.`;
      case 'server_fail': return `Server ${r.server} fails; the balancer notices within ${r.noticed_within_ms} ms.`;
      case 'server_recover': return `Server ${r.server} is back; in rotation within ${r.back_within_ms} ms.`;
      case 'server_slow': return `Server ${r.server} now runs ${r.factor}× slower.`;
      case 'traffic': return `Traffic: ${r.traffic.rps} req/s, ${r.traffic.pattern}, ${r.traffic.cost} cost.`;
      case 'configure': {
        const passive = 'max_fails' in step || 'fail_timeout_ms' in step ? `Passive check ${passiveText(r.config)}` : '';
        const others = Object.entries(step).filter(([k]) => !['op', 'max_fails', 'fail_timeout_ms'].includes(k))
          .map(([k, value]) => `${k} = ${value}`).join(', ');
        return `${[passive, others && `Balancer settings: ${others}`].filter(Boolean).join('. ')}.`;
      }
      default: return '';
    }
  }

  buildBody(body) {
    const v = this.#v;
    const select = selectBox;
    v.algorithm = select('Algorithm', ALGORITHMS);
    v.compare = select('Compare with', [['', 'no comparison'], ...ALGORITHMS]);
    const onAlgorithm = (e) => {
      const step = { op: 'algorithm', name: v.algorithm.value };
      if (v.compare.value) step.compare = v.compare.value;
      this.act(step, e.currentTarget);
    };
    v.algorithm.addEventListener('change', onAlgorithm);
    v.compare.addEventListener('change', onAlgorithm);
    v.mode = select('Mode', [['l7', 'L7: a pick per request'], ['l4', 'L4: a pick per connection']]);
    v.mode.addEventListener('change', () => this.act({ op: 'mode', mode: v.mode.value }, v.mode));
    v.rps = select('Requests per second', RATES.map((n) => [n, `${n} req/s`]), (n) => `${n} req/s`);
    v.cost = select('Request cost', COSTS);
    v.pattern = select('Arrival pattern', [['poisson', 'Poisson'], ['bursty', 'bursty on/off']]);
    const traffic = () => ({ op: 'traffic', rps: Number(v.rps.value), cost: v.cost.value, pattern: v.pattern.value });
    for (const s of [v.rps, v.cost, v.pattern]) s.addEventListener('change', () => this.act(traffic(), s));
    v.maxFails = numberBox('max_fails', { min: 0, max: 100 });
    v.failTimeout = numberBox('fail_timeout (ms)', { min: 1, max: 3600000, step: 1000 });
    const passive = (fields) => (e) => this.act({ op: 'configure', ...fields }, e.currentTarget);
    v.servers = el('div', { class: 'server-actions' });
    v.lanes = el('div', { class: 'lanes' });
    v.latencyHost = el('div');
    v.utilHost = el('div');
    v.latency = null;
    v.util = null;
    body.append(
      el('div', { class: 'controls' },
        el('div', {}, el('h3', { text: 'Balancer' }), this.controlGroup(v.algorithm, v.compare), this.controlGroup(v.mode),
          el('h3', { text: 'Passive health check (nginx max_fails)' }),
          this.controlGroup(el('label', {}, 'max_fails ', v.maxFails), el('label', {}, 'fail_timeout (ms) ', v.failTimeout),
            el('button', { type: 'button', text: 'Apply', onclick: (e) => this.act(this.#passiveStep(), e.currentTarget) })),
          this.controlGroup(
            el('button', { type: 'button', text: 'nginx default', title: 'max_fails=1 fail_timeout=10s', onclick: passive(NGINX_PASSIVE) }),
            el('button', { type: 'button', text: 'Off', title: 'max_fails=0: the model\'s default', onclick: passive({ max_fails: 0 }) })),
          el('p', { class: 'note', text: 'Off here by default (max_fails 0), so that least connections\' black hole shows: ' +
            'a failed server refuses at once, holds no connections and so draws the most requests, each one retried elsewhere. ' +
            'nginx\'s own default is on: max_fails=1 fail_timeout=10s takes a server out for 10 s after one refused connection.' })),
        el('div', {}, el('h3', { text: 'Traffic' }), this.controlGroup(v.rps, v.cost, v.pattern),
          this.controlGroup(
            el('button', { type: 'button', class: 'primary', text: '+5 s', onclick: (e) => this.act({ op: 'advance', ms: 5000 }, e.currentTarget) }),
            el('button', { type: 'button', text: '+30 s', onclick: (e) => this.act({ op: 'advance', ms: 30000 }, e.currentTarget) }))),
        el('div', {}, el('h3', { text: 'Servers' }), v.servers,
          this.controlGroup(el('button', { type: 'button', text: 'Add a server', onclick: (e) => this.#addServer(e.currentTarget) })))),
      v.lanes,
      el('div', { class: 'charts' }, v.latencyHost, v.utilHost));
  }

  #passiveStep() {
    return { op: 'configure', max_fails: numberValue(this.#v.maxFails), fail_timeout_ms: numberValue(this.#v.failTimeout) };
  }

  #addServer(source) {
    const snap = this.session.snapshot();
    const taken = new Set(snap.servers.map((s) => s.id));
    let id = `s${snap.servers.length + 1}`;
    for (let i = 0; taken.has(id); i++) id = `s-${SERVER_NAMES[i % 26]}${i}`;
    this.act({ op: 'server_add', id }, source);
  }

  render(snap) {
    const v = this.#v;
    setSelect(v.algorithm, snap.lanes[0].algorithm);
    setSelect(v.compare, snap.lanes[1]?.algorithm ?? '');
    setSelect(v.mode, snap.mode);
    setSelect(v.rps, snap.traffic.rps);
    setSelect(v.cost, snap.traffic.cost);
    setSelect(v.pattern, snap.traffic.pattern);
    showNumber(v.maxFails, snap.config.max_fails);
    showNumber(v.failTimeout, snap.config.fail_timeout_ms);
    this.#drawServerActions(snap);
    this.#drawLanes(snap);
    this.#drawCharts(snap);
  }

  #drawServerActions(snap) {
    const act = (op, id, extra = {}) => (e) => this.act({ op, id, ...extra }, e.currentTarget);
    const rows = snap.servers.filter((s) => !s.removed).map((s) => el('div', { class: 'row' },
      el('strong', { text: s.id }),
      s.up ? actionButton('Fail', s.id, act('server_fail', s.id)) : actionButton('Recover', s.id, act('server_recover', s.id)),
      actionButton(s.slow_factor > 1 ? 'Normal speed' : 'Slow ×5', s.id, act('server_slow', s.id, { factor: s.slow_factor > 1 ? 1 : 5 })),
      actionButton('Remove', s.id, act('server_remove', s.id))));
    this.#v.servers.replaceChildren(...rows);
  }

  #drawLanes(snap) {
    const servers = new Map(snap.servers.map((s) => [s.id, s]));
    const lanes = snap.lanes.map((lane, i) => {
      const t = lane.totals;
      const failed = t.timed_out + t.rejected + t.failed + t.no_server;
      const rows = lane.servers.filter((row) => !servers.get(row.id)?.removed).map((row) => {
        const s = servers.get(row.id);
        const util = Math.min(1, row.utilisation_recent ?? 0);
        const queue = s.queue_limit ? Math.min(1, row.queue / s.queue_limit) : 0;
        const state = !s.up ? 'down' : !s.in_rotation ? 'out of rotation' : s.slow_factor > 1 ? `slow ×${s.slow_factor}` : s.slow_start_left_ms > 0 ? 'slow start' : '';
        return el('div', { class: 'server' },
          el('span', { class: `name${s.up ? '' : ' down'}`, text: row.id, title: state }),
          el('div', { class: 'bars', title: `utilisation ${formatPercent(util)}, queue ${row.queue}/${s.queue_limit}` },
            el('div', { class: 'bar' }, el('div', { class: 'fill', style: { width: `${util * 100}%`, background: LANE_COLOURS[i] } })),
            el('div', { class: 'bar' }, el('div', { class: 'fill', style: { width: `${queue * 100}%`, background: '#e39a22' } }))),
          el('span', { text: s.up ? `${formatPercent(util, 0)} · q ${row.queue}${state ? ` · ${state}` : ''}`
            : `down · ${formatCount(row.failed)} refused or lost` }));
      });
      const spread = lane.spread?.utilisation;
      return el('div', { class: 'lane', role: 'region', 'aria-label': `Lane ${label(lane.algorithm)}` },
        el('h4', {}, el('span', { class: 'swatch', style: { background: LANE_COLOURS[i] } }), label(lane.algorithm)),
        el('p', { class: 'summary', text: `p50 ${lane.latency.p50_ms.toFixed(0)} ms · p99 ${lane.latency.p99_ms.toFixed(0)} ms · ${formatCount(t.ok)} ok · ${formatCount(failed)} failed or late` +
          ` · ${formatCount(t.retried)} retried` +
          (spread ? ` · busiest server at ${spread.max_over_mean.toFixed(2)}× the mean` : '') }),
        ...rows,
        el('p', { class: 'note', text: 'Bars: utilisation over the last step, then queue length.' }));
    });
    this.#v.lanes.replaceChildren(...lanes);
  }

  #drawCharts(snap) {
    const v = this.#v;
    const two = snap.lanes.length > 1;
    const key = `${snap.lanes.map((l) => l.algorithm).join('|')}`;
    if (v.chartKey !== key) {
      v.latency?.destroy();
      v.util?.destroy();
      const names = snap.lanes.map((l) => label(l.algorithm));
      v.latency = new LineChart(v.latencyHost, {
        title: 'p99 latency (ms)', xLabel: 'time (s)', yLabel: 'ms', points: false,
        series: names.map((n, i) => ({ label: n, colour: LANE_COLOURS[i] })) });
      v.util = new LineChart(v.utilHost, {
        title: 'Longest server queue', xLabel: 'time (s)', yLabel: 'requests', points: false,
        series: names.map((n, i) => ({ label: n, colour: LANE_COLOURS[i] })) });
      v.chartKey = key;
    }
    const col = (prefix, name) => Array.from(this.session.column(`${prefix}:${name}`));
    const t = col('series', 't_ms').map((ms) => ms / 1000);
    const prefixes = two ? ['series', 'series_b'] : ['series'];
    v.latency.update([t, ...prefixes.map((p) => col(p, 'p99_us').map((us) => us / 1000))]);
    v.util.update([t, ...prefixes.map((p) => col(p, 'max_server_queue'))]);
  }
}

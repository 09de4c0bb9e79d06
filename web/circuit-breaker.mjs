// <sdp-circuit-breaker>: clients -> service -> dependency with a resilience4j
// circuit breaker around the dependency call. Break the dependency (errors,
// slowness, a hang), trip or disable the breaker, turn on retries, and watch
// throughput, latency, the queue and the breaker's state over simulated time.
// Attributes: rps, seed, sync-url, state-key.

import { el, formatCount, numberBox, numberValue, setPressed, setSelect, showNumber, svg, toggleButton, wideDiagram } from './dom.mjs';
import { sheetFrom } from './theme.mjs';
import { chartSheet, LineChart } from './chart.mjs';
import { textOn } from './palette.mjs';
import { SdpWidget } from './sdp-widget.mjs';

// Index = the sim's BreakerState order.
const STATES = [
  { name: 'CLOSED', colour: '#3f9a52', blurb: 'calls pass; outcomes are recorded' },
  { name: 'OPEN', colour: '#d9434b', blurb: 'calls fail fast; waiting before a trial' },
  { name: 'HALF_OPEN', colour: '#e39a22', blurb: 'a few trial calls decide' },
  { name: 'DISABLED', colour: '#8a8f98', blurb: 'everything passes, nothing recorded' },
  { name: 'FORCED_OPEN', colour: '#8e2a2a', blurb: 'everything rejected until changed' },
  { name: 'METRICS_ONLY', colour: '#4e79a7', blurb: 'records, never opens' },
];
const STATE_INDEX = Object.fromEntries(STATES.map((s, i) => [s.name, i]));
const OUTCOMES = [
  { key: 'ok', label: 'ok', colour: '#3f9a52' },
  { key: 'failed', label: 'failed (error / timeout)', colour: '#d9434b' },
  { key: 'rejected', label: 'rejected fast by breaker', colour: '#e39a22' },
  { key: 'overloaded', label: '503 queue full', colour: '#8e2a2a' },
  { key: 'gave_up', label: 'client gave up', colour: '#8a8f98' },
];
const RATES = [25, 50, 100, 200, 400];
const LIVE_TICK_MS = 500;
// While running live the narration says every change of the breaker's state
// at once, and otherwise sums up every this many ticks (5 simulated seconds):
// often enough to follow, rarely enough not to drown a screen reader.
const LIVE_SUMMARY_TICKS = 10;
// Settings small enough that things happen within seconds on screen (the
// sim's own defaults are resilience4j's: 100-call window, 60 s wait).
const WIDGET_CONFIG = {
  rps: 100, sliding_window_size: 20, minimum_number_of_calls: 10,
  wait_duration_in_open_state_ms: 3000, permitted_number_of_calls_in_half_open_state: 5,
  automatic_transition_from_open_to_half_open: true, slow_call_duration_threshold_ms: 800,
  timeout_ms: 1000, client_timeout_ms: 2000, ramp_window_ms: 10000,
};
const DEPENDENCY_PRESETS = [
  { label: 'Healthy', step: { error_rate: 0, latency_ms: 50, down: false }, help: 'answers in ~50 ms' },
  { label: 'Errors', step: { error_rate: 1, down: false }, help: 'every call fails fast' },
  { label: 'Slow', step: { latency_ms: 1500, down: false }, help: '1.5 s per call: past the 1 s timeout' },
  { label: 'Down (hangs)', step: { down: true }, help: 'no answer until the timeout' },
];

const styles = sheetFrom(`
.diagram { width: 100%; height: auto; display: block; margin: 8px 0; }
.diagram .box { fill: var(--sdp-panel); stroke: var(--sdp-line); }
.diagram .title { font-size: 14px; font-weight: 600; fill: var(--sdp-fg); }
.diagram .label { font-size: 12px; fill: var(--sdp-muted); }
.diagram .value { font-size: 12px; fill: var(--sdp-fg); font-variant-numeric: tabular-nums; }
.diagram .bar-bg { fill: var(--sdp-bg); stroke: var(--sdp-line); }
.diagram .arrow { stroke: var(--sdp-muted); stroke-width: 2; fill: none; }
.diagram .state-text { font-size: 12px; font-weight: 700; }
.diagram .state-text.long { font-size: 10px; }
.controls { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(290px, 100%), 1fr)); gap: 4px 20px; }
.controls h3 { font-size: 0.9rem; margin: 6px 0 2px; color: var(--sdp-muted); font-weight: 600; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(200px, 100%), 1fr)); gap: 10px; margin-top: 10px; }
.stat { border: 1px solid var(--sdp-line); border-radius: var(--sdp-radius); padding: 8px 10px; }
.stat h4 { margin: 0 0 4px; font-size: 0.9rem; }
.stat dl { display: grid; grid-template-columns: auto 1fr; gap: 1px 10px; margin: 0; font-size: 0.86rem; }
.stat dt { color: var(--sdp-muted); }
.stat dd { margin: 0; font-variant-numeric: tabular-nums; }
.rate-bar { height: 8px; background: var(--sdp-panel); border-radius: 4px; position: relative; margin: 4px 0; }
.rate-bar .fill { position: absolute; left: 0; top: 0; bottom: 0; border-radius: 4px; }
.rate-bar .mark { position: absolute; top: -3px; bottom: -3px; width: 2px; background: var(--sdp-fg); }
.transitions { margin: 4px 0 0; padding-left: 1.1em; font-size: 0.84rem; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(420px, 100%), 1fr)); gap: 12px 16px; margin-top: 12px; }
.band { width: 100%; height: 22px; display: block; shape-rendering: crispEdges; }
.band-axis { display: flex; justify-content: space-between; font-size: 0.75rem; color: var(--sdp-muted); }
.legend { display: flex; flex-wrap: wrap; gap: 4px 12px; font-size: 0.8rem; color: var(--sdp-muted); margin: 2px 0 0; }
.legend .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
.section-note { color: var(--sdp-muted); font-size: 0.85rem; margin: 4px 0 0; }
`);

const seconds = (ms) => `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;

const BAND_RUNS = 6;

// The band in words: the breaker's states as runs over time, the latest last.
function bandSummary(states, t) {
  if (!states.length) return 'Breaker state over time: no data yet.';
  const runs = [];
  states.forEach((s, i) => {
    if (runs.length && runs.at(-1).state === s) runs.at(-1).to = t[i];
    else runs.push({ state: s, from: t[i], to: t[i] });
  });
  const shown = runs.slice(-BAND_RUNS).map((r) => `${STATES[r.state]?.name ?? r.state} ${r.from}–${r.to} s`);
  return `Breaker state over time${runs.length > BAND_RUNS ? ` (last ${BAND_RUNS} of ${runs.length} changes)` : ''}: ${shown.join(', ')}.`;
}

export class CircuitBreakerElement extends SdpWidget {
  static sim = 'circuit_breaker';
  static title = 'Circuit breaker';
  static subtitle = 'A failing dependency, a service that piles up requests, and a resilience4j breaker that stops sending, probes and lets traffic back in.';
  static styles = [styles, chartSheet];

  #v = {};
  #live = null;
  #liveNews = null; // {state, ticks, during} since the last live narration

  static attributes = { rps: { config: 'rps' } };
  // The CSV export: the charts' series, per time bucket.
  static csvColumns = ['t_ms', ...OUTCOMES.map((o) => o.key), 'p50_us', 'p99_us', 'busy', 'queue', 'capacity', 'state']
    .map((name) => `series:${name}`);

  baseConfig() { return { ...WIDGET_CONFIG }; }

  initialSteps() { return [{ op: 'advance', ms: 3000 }]; }

  disconnectedCallback() {
    this.#stopLive();
    super.disconnectedCallback();
  }

  describe(step, r) {
    const state = r?.state ? ` Breaker: ${r.state}.` : '';
    switch (step.op) {
      case 'advance': {
        if (step.ms < 1000) return ''; // live ticks stay quiet for screen readers
        const d = r.during;
        return `${seconds(step.ms)} passed: ${formatCount(d.ok)} ok, ${formatCount(d.failed)} failed, ` +
          `${formatCount(d.rejected)} rejected fast, ${formatCount(d.overloaded)} 503, ${formatCount(d.gave_up)} gave up.${state}`;
      }
      case 'dependency': return `Dependency changed (capacity now ${r.capacity_now}).${state}`;
      case 'load': return `Clients now send ${r.rps} requests per second.${state}`;
      case 'call': return `A burst of ${formatCount(r.sent)} requests.${state}`;
      case 'trip': return `Tripped by hand.${state}`;
      case 'reset': return `Reset: CLOSED with an empty window.${state}`;
      case 'force_open': return 'Forced open: every call is rejected until you change it.';
      case 'disable': return 'Breaker disabled: every call goes to the dependency, nothing is recorded.';
      case 'metrics_only': return 'Metrics only: the breaker records and reports but never opens; resilience4j refuses a trip from here (close, reset, force open or disable first).';
      case 'close': return `Closed by hand.${state}`;
      case 'configure': {
        const set = Object.entries(step).filter(([k]) => k !== 'op').map(([k, value]) => `${k} = ${value}`).join(', ');
        return `Settings changed (${set})${r.breaker_restarted ? '; the breaker starts over CLOSED' : ''}.${state}`;
      }
      default: return '';
    }
  }

  buildBody(body) {
    const v = this.#v;
    v.diagram = svg('svg', { class: 'diagram', viewBox: '0 0 760 150', role: 'img', 'aria-label': 'Clients, service, breaker and dependency' });

    const button = (text, step, help) => el('button', { type: 'button', text, title: help, onclick: (e) => this.act(step(), e.currentTarget) });
    v.warmup = el('select', { 'aria-label': 'Warm-up after coming back' },
      ...[0, 10000, 20000, 40000].map((ms) => el('option', { value: ms, text: ms ? `cold: ${seconds(ms)} warm-up` : 'no warm-up' })));
    const dependency = this.controlGroup(
      ...DEPENDENCY_PRESETS.map((p) => button(p.label, () => ({ op: 'dependency', ...p.step, ...(p.step.down === false ? { warmup_ms: Number(v.warmup.value) } : {}) }), p.help)),
      v.warmup);
    const breaker = this.controlGroup(
      button('Trip the breaker', () => ({ op: 'trip' }), 'OPEN now (refused from METRICS_ONLY, as in resilience4j)'),
      button('Reset breaker', () => ({ op: 'reset' }), 'CLOSED, empty window'),
      button('Force open', () => ({ op: 'force_open' })),
      button('Disable', () => ({ op: 'disable' })),
      button('Metrics only', () => ({ op: 'metrics_only' })));
    v.ramp = el('select', { 'aria-label': 'Ramp-up after recovery' },
      el('option', { value: 'none', text: 'no ramp-up' }), el('option', { value: 'linear', text: 'linear ramp (HAProxy slowstart)' }),
      el('option', { value: 'envoy', text: 'Envoy slow start (aggression 2)' }));
    v.ramp.addEventListener('change', () => {
      const step = { op: 'configure', ramp: v.ramp.value };
      if (v.ramp.value === 'envoy') step.ramp_aggression = 2;
      this.act(step, v.ramp);
    });
    // resilience4j's maxWaitDurationInHalfOpenState and transitionToStateAfterWaitDuration.
    v.maxWait = numberBox('HALF_OPEN max wait (ms)', { min: 0, max: 3600000, step: 100 });
    v.afterWait = el('select', { 'aria-label': 'then go to, after the HALF_OPEN max wait' },
      el('option', { value: 'OPEN', text: 'OPEN (default)' }), el('option', { value: 'CLOSED', text: 'CLOSED' }));
    const halfOpenWait = this.controlGroup(el('label', {}, 'HALF_OPEN max wait (ms) ', v.maxWait), el('label', {}, 'then go to ', v.afterWait),
      el('button', { type: 'button', text: 'Apply max wait', onclick: (e) => this.act({ op: 'configure',
        max_wait_duration_in_half_open_state_ms: numberValue(v.maxWait), transition_to_state_after_wait_duration: v.afterWait.value }, e.currentTarget) }));
    v.rps = el('select', { 'aria-label': 'Client requests per second' }, ...RATES.map((n) => el('option', { value: n, text: `${n} req/s` })));
    v.rps.addEventListener('change', () => this.act({ op: 'load', rps: Number(v.rps.value) }, v.rps));
    v.retry = el('select', { 'aria-label': 'Client retries' },
      el('option', { value: 'off', text: 'no retries' }), el('option', { value: 'immediate', text: '3 immediate retries' }),
      el('option', { value: 'backoff', text: '3 retries, backoff + jitter' }));
    v.retry.addEventListener('change', () => this.act({ op: 'configure', retry: v.retry.value, max_retries: 3 }, v.retry));
    v.liveButton = toggleButton('Run live', () => (this.#live ? this.#stopLive(true) : this.#startLive()), { class: 'primary' });
    const time = this.controlGroup(v.liveButton,
      button('+1 s', () => ({ op: 'advance', ms: 1000 })), button('+5 s', () => ({ op: 'advance', ms: 5000 })),
      button('Burst 200', () => ({ op: 'call', count: 200 }), '200 requests at once'));

    v.stats = el('div', { class: 'stats' });
    v.band = svg('svg', { class: 'band', viewBox: '0 0 600 22', preserveAspectRatio: 'none', role: 'img', 'aria-label': 'Breaker state over time' });
    v.bandAxis = el('div', { class: 'band-axis', 'aria-hidden': 'true' });
    v.bandLegend = el('div', { class: 'legend' }, ...STATES.map((s) => el('span', {}, el('span', { class: 'swatch', style: { background: s.colour } }), s.name)));
    v.throughputHost = el('div');
    v.latencyHost = el('div');
    v.queueHost = el('div');
    v.throughput = new LineChart(v.throughputHost, {
      title: 'Answers per second, by outcome', xLabel: 'time (s)', yLabel: 'per second', points: false,
      series: OUTCOMES.map((o) => ({ label: o.label, colour: o.colour })) });
    v.latency = new LineChart(v.latencyHost, {
      title: 'Latency clients see', xLabel: 'time (s)', yLabel: 'ms', points: false,
      series: [{ label: 'p50', colour: '#4e79a7' }, { label: 'p99', colour: '#d9434b' }] });
    v.queue = new LineChart(v.queueHost, {
      title: 'Service: busy workers and queue', xLabel: 'time (s)', yLabel: 'requests', points: false,
      series: [{ label: 'busy workers', colour: '#4e79a7' }, { label: 'queued', colour: '#e39a22' }, { label: 'dependency capacity', colour: '#8a8f98', dash: [4, 4] }] });

    body.append(wideDiagram(v.diagram, 'The diagram (scrolls sideways on a narrow screen)', { units: 760 }),
      el('div', { class: 'controls' },
        el('div', {}, el('h3', { text: 'Dependency' }), dependency),
        el('div', {}, el('h3', { text: 'Breaker' }), breaker, this.controlGroup(v.ramp), halfOpenWait,
          el('p', { class: 'section-note', text: 'A trial in HALF_OPEN that has not decided within the max wait ends in OPEN (resilience4j\'s default) or CLOSED. ' +
            '0 waits for the trial calls forever (the default). Applying a setting starts the breaker over, CLOSED.' })),
        el('div', {}, el('h3', { text: 'Clients' }), this.controlGroup(v.rps, v.retry)),
        el('div', {}, el('h3', { text: 'Time' }), time)),
      v.stats,
      el('div', { class: 'charts' },
        el('div', {}, v.throughputHost, el('p', { class: 'section-note', text: 'Breaker state over the same time:' }), v.band, v.bandAxis, v.bandLegend),
        v.latencyHost, v.queueHost));
  }

  #startLive() {
    this.#liveNews = { state: this.session?.snapshot().breaker.state, ticks: 0, during: {} };
    this.#live = setInterval(() => {
      if (!this.isConnected || !this.session) return this.#stopLive();
      const result = this.act({ op: 'advance', ms: LIVE_TICK_MS });
      if (result) this.#narrateLive(result);
    }, LIVE_TICK_MS);
    setPressed(this.#v.liveButton, true);
    this.narrate(`Running live: ${seconds(LIVE_TICK_MS)} of simulated time every ${seconds(LIVE_TICK_MS)}. Breaker: ${this.#liveNews.state}.`);
  }

  #stopLive(said = false) {
    clearInterval(this.#live);
    this.#live = null;
    if (this.#v.liveButton) setPressed(this.#v.liveButton, false);
    if (said && this.session) this.narrate(`Paused at ${seconds(Math.round(this.session.snapshot().time_ms))}.`);
  }

  // Live ticks are too quiet to describe one by one (describe() skips them):
  // a change of state is said at once, the rest summed up now and then.
  #narrateLive(result) {
    const news = this.#liveNews;
    news.ticks += 1;
    for (const [k, n] of Object.entries(result.during ?? {})) if (typeof n === 'number') news.during[k] = (news.during[k] ?? 0) + n;
    const at = seconds(Math.round(result.time_ms));
    if (result.state && result.state !== news.state) {
      const why = this.session.snapshot().transitions.at(-1);
      this.narrate(`${at}: breaker ${news.state} → ${result.state}${why?.to === result.state ? ` (${why.reason})` : ''}.`);
      news.state = result.state;
    } else if (news.ticks >= LIVE_SUMMARY_TICKS) {
      const d = news.during;
      this.narrate(`${at}, last ${seconds(news.ticks * LIVE_TICK_MS)}: ${formatCount(d.ok ?? 0)} ok, ${formatCount(d.failed ?? 0)} failed, ` +
        `${formatCount(d.rejected ?? 0)} rejected fast. Breaker: ${news.state}.`);
    } else return;
    news.ticks = 0;
    news.during = {};
  }

  render(snap) {
    const v = this.#v;
    setSelect(v.rps, snap.rps, `${snap.rps} req/s`);
    setSelect(v.retry, snap.config.retry);
    setSelect(v.ramp, snap.config.ramp);
    showNumber(v.maxWait, snap.config.max_wait_duration_in_half_open_state_ms);
    setSelect(v.afterWait, snap.config.transition_to_state_after_wait_duration);
    this.#drawDiagram(snap);
    this.#drawStats(snap);
    this.#drawCharts(snap);
  }

  #drawDiagram(snap) {
    const { service: s, dependency: d, breaker: b } = snap;
    const state = STATES[STATE_INDEX[b.state]];
    const text = (x, y, cls, t, anchor = 'start') => svg('text', { x, y, class: cls, 'text-anchor': anchor, text: t });
    const bar = (x, y, w, fraction, colour, label) => [
      svg('rect', { x, y, width: w, height: 10, rx: 3, class: 'bar-bg' }),
      svg('rect', { x, y, width: Math.max(0, Math.min(1, fraction)) * w, height: 10, rx: 3, fill: colour }),
      text(x + w + 6, y + 9, 'value', label)];
    const arrow = (x1, x2) => svg('path', { d: `M${x1} 75 L${x2} 75 M${x2 - 7} 70 L${x2} 75 L${x2 - 7} 80`, class: 'arrow' });
    const depStatus = d.down ? 'DOWN: calls hang' : `${d.latency_ms} ms · ${Math.round(d.error_rate * 100)}% errors`;
    this.#v.diagram.setAttribute('aria-label', `Clients send ${snap.rps} req/s (${snap.config.retry === 'off' ? 'no retries' : `retries: ${snap.config.retry}`}) → ` +
      `service: ${s.busy} of ${s.workers} workers busy, queue ${s.queue} of ${s.queue_limit} → breaker ${b.state} → ` +
      `dependency ${depStatus.replace(' · ', ', ')}, capacity ${d.capacity_now} of ${d.capacity}.`);
    this.#v.diagram.replaceChildren(...[
      svg('rect', { x: 4, y: 30, width: 130, height: 90, rx: 8, class: 'box' }),
      text(16, 52, 'title', 'Clients'),
      text(16, 72, 'value', `${snap.rps} req/s`),
      text(16, 90, 'label', snap.config.retry === 'off' ? 'no retries' : `retries: ${snap.config.retry}`),
      arrow(136, 176),
      svg('rect', { x: 178, y: 20, width: 250, height: 110, rx: 8, class: 'box' }),
      text(190, 42, 'title', 'Service'),
      text(190, 64, 'label', 'workers'),
      ...bar(250, 55, 110, s.busy / s.workers, '#4e79a7', `${s.busy}/${s.workers}`),
      text(190, 86, 'label', 'queue'),
      ...bar(250, 77, 110, s.queue_limit ? s.queue / s.queue_limit : 0, s.queue >= s.queue_limit && s.queue_limit > 0 ? '#8e2a2a' : '#e39a22', `${s.queue}/${s.queue_limit}`),
      text(190, 112, 'label', `call timeout ${seconds(snap.config.timeout_ms)} · clients wait ${seconds(snap.config.client_timeout_ms)}`),
      arrow(430, 466),
      svg('rect', { x: 468, y: 55, width: 110, height: 40, rx: 20, fill: state.colour }),
      svg('text', { x: 523, y: 80, class: `state-text${state.name.length > 10 ? ' long' : ''}`, 'text-anchor': 'middle', style: { fill: textOn(state.colour) }, text: state.name }),
      text(523, 112, 'label', 'breaker', 'middle'),
      arrow(580, 610),
      svg('rect', { x: 612, y: 30, width: 144, height: 90, rx: 8, class: 'box' }),
      text(624, 52, 'title', 'Dependency'),
      text(624, 72, 'value', depStatus),
      text(624, 90, 'label', `capacity ${d.capacity_now}/${d.capacity}`),
    ]);
  }

  #drawStats(snap) {
    const b = snap.breaker;
    const c = snap.config;
    const t = snap.totals;
    const rate = b.failure_rate < 0 ? null : b.failure_rate;
    const dl = (...pairs) => el('dl', {}, ...pairs.flatMap(([k, val]) => [el('dt', { text: k }), el('dd', { text: val })]));
    const recording = !['DISABLED', 'FORCED_OPEN'].includes(b.state);
    const rateBar = !recording ? el('p', { class: 'section-note', text: 'not recording outcomes in this state' })
      : rate === null ? el('p', { class: 'section-note', text: `no rate yet: ${b.window_calls} of ${b.minimum_calls} calls recorded` })
      : el('div', { class: 'rate-bar', title: `failure rate ${rate.toFixed(1)}% vs threshold ${c.failure_rate_threshold}%` },
        el('div', { class: 'fill', style: { width: `${Math.min(100, rate)}%`, background: rate >= c.failure_rate_threshold ? '#d9434b' : '#3f9a52' } }),
        el('div', { class: 'mark', style: { left: `${c.failure_rate_threshold}%` } }));
    const transitions = snap.transitions.slice(-4).reverse().map((tr) =>
      el('li', { text: `${seconds(Math.round(tr.t_ms))}: ${tr.from} → ${tr.to}: ${tr.reason}` }));
    this.#v.stats.replaceChildren(
      el('div', { class: 'stat' }, el('h4', { text: `Breaker: ${b.state}` }),
        el('p', { class: 'section-note', text: STATES[STATE_INDEX[b.state]].blurb }),
        rateBar,
        dl(['window', `${b.window_calls} calls (${c.sliding_window_type === 'COUNT_BASED' ? `last ${c.sliding_window_size}` : `last ${c.sliding_window_size} s`})`],
          ['failed / slow', `${b.window_failed} / ${b.window_slow}`],
          ['opens at', `≥ ${c.failure_rate_threshold}% failed or ≥ ${c.slow_call_rate_threshold}% slow`],
          ['rejected fast', formatCount(b.not_permitted)],
          ...(b.trial_permits_left !== undefined ? [['trial calls left', String(b.trial_permits_left)]] : []),
          ...(b.ramp_share < 1 ? [['ramp admits', `${Math.round(b.ramp_share * 100)}% of calls`]] : []))),
      el('div', { class: 'stat' }, el('h4', { text: `Totals after ${seconds(Math.round(snap.time_ms))}` }),
        dl(['sent (with retries)', formatCount(t.sent)], ['ok', formatCount(t.ok)], ['failed', formatCount(t.failed)],
          ['rejected fast', formatCount(t.rejected)], ['503 queue full', formatCount(t.overloaded)],
          ['client gave up', formatCount(t.gave_up)], ['work for nobody', formatCount(t.wasted)])),
      el('div', { class: 'stat' }, el('h4', { text: 'State changes' }),
        transitions.length ? el('ol', { class: 'transitions' }, ...transitions) : el('p', { class: 'section-note', text: 'none yet' })));
  }

  #drawCharts(snap) {
    const v = this.#v;
    const col = (name) => Array.from(this.session.column(`series:${name}`));
    const t = col('t_ms').map((ms) => ms / 1000);
    const perSecond = 1000 / snap.config.bucket_ms;
    v.throughput.update([t, ...OUTCOMES.map((o) => col(o.key).map((n) => n * perSecond))]);
    v.latency.update([t, col('p50_us').map((us) => us / 1000), col('p99_us').map((us) => us / 1000)]);
    v.queue.update([t, col('busy'), col('queue'), col('capacity')]);
    const states = col('state');
    v.band.setAttribute('aria-label', bandSummary(states, t));
    const width = 600 / Math.max(1, states.length);
    v.band.replaceChildren(...states.map((s, i) => svg('rect', { x: i * width, y: 0, width: width + 1, height: 22, fill: STATES[s]?.colour ?? '#888' })));
    // The times are HTML, not SVG text: the band stretches to the widget's
    // width (preserveAspectRatio none), which would squash or widen letters.
    v.bandAxis.replaceChildren(el('span', { text: t.length ? `${t[0]} s` : '' }), el('span', { text: t.length ? `${t[t.length - 1]} s` : '' }));
  }
}

// <sdp-realtime>: one server pushing a seeded stream of events to N clients
// by short polling, long polling, server-sent events, WebSocket or WebRTC
// (the `realtime` sim). A timeline per client (the first few) of requests,
// held connections and deliveries (web/realtime-timeline.mjs); charts of
// delivery latency, requests per second, bytes on the wire and open
// connections (web/realtime-charts.mjs); dropping a connection; and a table
// of the techniques run fresh on the same stream (web/realtime-compare.mjs).
// Attributes: clients, rate, seed, sync-url, state-key.

import { el, formatCount, NumberFields, plural, scrollRegion, selectBox, setSelect } from './dom.mjs';
import { sheetFrom } from './theme.mjs';
import { chartSheet } from './chart.mjs';
import { SdpWidget } from './sdp-widget.mjs';
import { TECHNIQUE_NAMES, TECHNIQUES } from './realtime-columns.mjs';
import { drawTimeline, TIMELINE_LANES, timelineCss, timelineLegend } from './realtime-timeline.mjs';
import { RealtimeCharts } from './realtime-charts.mjs';
import { ComparisonRuns, compareCss, drawComparison } from './realtime-compare.mjs';

// Small steps: an advance of the default 20 clients takes a few ms.
const ADVANCES = [500, 1000, 2000, 5000, 10000, 30000];
const COMPARE_SECONDS = [5, 10, 30, 60];
// The page runs the sim on its own thread: a step must stay well under
// ~100 ms. A delivery costs ~0.1-0.15 us of wasm (1000 clients x 100
// events/s x 30 s took 0.3-0.4 s in node 20), so a step may simulate at
// most this many, and the client count stays at the attribute's limit.
const MAX_DELIVERIES_PER_STEP = 500000;
const MAX_CLIENTS = 1000;
// The config fields a user may change (a change replays the actions).
const SETTINGS = [
  ['latency_ms', 'Latency (ms)', 'client <-> server, one way'],
  ['jitter_ms', 'Jitter (ms)', '± per message'],
  ['poll_interval_ms', 'Poll every (ms)', 'short polling'],
  ['long_poll_timeout_ms', 'Long-poll timeout (ms)', 'a held GET is answered empty after this'],
  ['sse_retry_ms', 'SSE retry: (ms)', 'the wait before EventSource reconnects'],
  ['ws_reconnect_ms', 'WebSocket back-off (ms)', 'the app waits this long before reconnecting'],
];
const SETTING_DEFAULTS = { latency_ms: 50, jitter_ms: 10, poll_interval_ms: 1000, long_poll_timeout_ms: 30000, sse_retry_ms: 3000, ws_reconnect_ms: 1000 };

const styles = sheetFrom(`
.controls { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(300px, 100%), 1fr)); gap: 4px 20px; }
.controls h3 { font-size: 0.9rem; margin: 6px 0 2px; color: var(--sdp-muted); font-weight: 600; }
.controls label { font-size: 0.86rem; }
.controls input[type=number] { width: 5.5em; }
.settings { display: grid; width: 100%; grid-template-columns: repeat(auto-fill, minmax(min(150px, 100%), 1fr)); gap: 4px 10px; align-items: end; }
.settings label { display: flex; flex-direction: column; gap: 1px; }
.settings input[type=number] { width: 7em; }
.settings label.check { flex-direction: row; align-items: center; gap: 6px; min-height: 30px; }
.stats { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 16px; margin: 10px 0; }
.stat { border: 1px solid var(--sdp-line); border-radius: var(--sdp-radius); padding: 6px 10px; }
.stat h4 { margin: 0 0 4px; font-size: 0.9rem; }
.stat dl { display: grid; grid-template-columns: auto 1fr; gap: 1px 10px; margin: 0; font-size: 0.86rem; }
.stat dt { color: var(--sdp-muted); }
.stat dd { margin: 0; font-variant-numeric: tabular-nums; }
.stat dd.bad { color: var(--sdp-error); font-weight: 600; }
table.clients { border-collapse: collapse; font-size: 0.85rem; font-variant-numeric: tabular-nums; }
table.clients th, table.clients td { border-bottom: 1px solid var(--sdp-line); padding: 2px 8px; text-align: right; }
table.clients th { color: var(--sdp-muted); font-weight: 600; }
table.clients td.bad { color: var(--sdp-error); font-weight: 600; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(420px, 100%), 1fr)); gap: 12px 16px; margin-top: 12px; }
.note { color: var(--sdp-muted); font-size: 0.82rem; margin: 4px 0 0; }
.panel + .panel { margin-top: 10px; }
@container (max-width: 640px) { .stats { grid-template-columns: 1fr; } }
${timelineCss}
${compareCss}
`);

const msText = (us) => `${formatCount(Math.round(us / 1000))} ms`;
const secondsText = (us) => `${(us / 1e6).toFixed(us % 1e6 === 0 ? 0 : 1)} s`;
const mib = (bytes) => `${(bytes / 1048576).toFixed(bytes < 1048576 ? 2 : 1)} MiB`;
const kB = (bytes) => `${formatCount(Math.round(bytes / 1000))} kB`;
const techniqueName = (t) => TECHNIQUE_NAMES[t] ?? t;

export class RealtimeElement extends SdpWidget {
  static sim = 'realtime';
  static fullSnapshot = true; // the scenario's snapshot, as it always drew from
  static title = 'Pushing events: polling, SSE, WebSocket, WebRTC';
  static subtitle = 'One server, N clients, one seeded stream of events. Pick how the events reach the clients and watch requests, held connections and deliveries per client; latency, requests, bytes with their headers and open connections; what a dropped connection costs; and every technique on the same stream, side by side.';
  static styles = [styles, chartSheet];
  static attributes = {
    clients: { config: 'clients', max: MAX_CLIENTS },
    rate: { config: 'rate', max: 100 },
  };
  static csvColumns = ['t_ms', 'requests', 'deliveries', 'bytes_down', 'bytes_up', 'open_connections', 'p50_us', 'p99_us'];

  #v = {};
  #runs = new ComparisonRuns();

  baseConfig() {
    return { technique: 'long_polling', clients: 20, rate: 2, size: 100 };
  }

  initialSteps() {
    return [{ op: 'advance', ms: 5000 }];
  }

  replayStarted() {
    this.#runs.clear();
  }

  stepApplied(step, result) {
    if (step.op === 'compare') this.#runs.add(result);
  }

  describe(step, r) {
    switch (step.op) {
      case 'technique': return `Every client switches to ${techniqueName(r.technique)} and connects now; the measurements restart.`;
      case 'clients': return `${plural(r.clients, 'client')} now.`;
      case 'events': return r.rate === 0 ? 'The server publishes no more events.' : `The server publishes ${r.rate} events/s of ${formatCount(r.size)} bytes from now on.`;
      case 'drop_connection': return r.dropped ? `Client ${r.client}'s connection dropped: ${r.note}.` : `Client ${r.client}: nothing dropped (${r.note || 'no connection open'}).`;
      case 'advance': return this.#progressText(r);
      case 'compare': {
        const [a, b] = r.runs;
        const one = (m) => `${techniqueName(m.technique)} p50 ${msText(m.latency_p50_us)}, ${m.requests_per_s.toFixed(1)} requests/s, ${kB(m.bytes_total)}`;
        return `The same stream for ${formatCount(r.ms / 1000)} s, run fresh twice: ${one(a)}; ${one(b)}.${r.stopped ? ` ${r.stopped}.` : ''}`;
      }
      default: return '';
    }
  }

  #progressText(r) {
    const stopped = r.stopped ? ` (${r.stopped})` : '';
    return `t = ${secondsText(r.now_us)}: ${plural(r.events_published, 'event')} published, ${formatCount(r.deliveries)} deliveries, ` +
      `${formatCount(r.missed)} missed, ${plural(r.requests, 'request')}, ${plural(r.open_connections, 'open connection')}${stopped}.`;
  }

  buildBody(body) {
    const v = this.#v;
    const button = (text, step, props = {}) => el('button', {
      type: 'button', text, ...props,
      onclick: (e) => this.act(typeof step === 'function' ? step() : step, e.currentTarget) });
    const number = (label, props = {}) => el('input', { type: 'number', step: 'any', 'aria-label': label, ...props });
    // "" is sent as null: the sim names the field and what it allows.
    const value = (input) => (input.value.trim() === '' ? null : Number(input.value));
    const techniques = TECHNIQUES.map((t) => [t, TECHNIQUE_NAMES[t]]);
    v.technique = selectBox('Technique', techniques);
    v.technique.addEventListener('change', (e) => this.act({ op: 'technique', name: v.technique.value }, e.currentTarget));
    v.clients = number('Clients', { min: 0, step: 1 });
    v.rate = number('Events per second', { min: 0 });
    v.size = number('Bytes per event', { min: 1, step: 1 });
    v.advance = selectBox('How long', ADVANCES.map((n) => [n, secondsText(n * 1000)]), (n) => secondsText(n * 1000));
    setSelect(v.advance, 5000);
    v.dropClient = number('Client to drop', { min: 0, step: 1, value: 0 });
    v.compareA = selectBox('First technique', techniques);
    v.compareB = selectBox('Second technique', techniques);
    setSelect(v.compareA, 'long_polling');
    setSelect(v.compareB, 'websocket');
    v.compareSeconds = selectBox('Simulated time per run', COMPARE_SECONDS.map((n) => [n, `${n} s each`]), (n) => `${n} s each`);
    setSelect(v.compareSeconds, 10);
    v.settings = new NumberFields(SETTINGS, { min: 0 });
    v.turn = el('input', { type: 'checkbox', 'aria-label': 'WebRTC through a TURN relay' });
    const compareStep = (a, b) => ({ op: 'compare', a, b, ms: Number(v.compareSeconds.value) * 1000 });
    body.append(el('div', { class: 'controls' },
      el('div', {}, el('h3', { text: 'How events reach the clients' }),
        this.controlGroup(el('label', {}, 'Technique ', v.technique)),
        el('h3', { text: 'Clients and the event stream' }),
        this.controlGroup(el('label', {}, 'Clients ', v.clients), el('button', { type: 'button', text: 'Set clients',
          onclick: (e) => this.#setClients(e.currentTarget, value(v.clients)) })),
        this.controlGroup(el('label', {}, 'Events/s ', v.rate), el('label', {}, 'of ', v.size, ' bytes'),
          button('Set stream', () => ({ op: 'events', rate: value(v.rate), size: value(v.size) })))),
      el('div', {}, el('h3', { text: 'Time' }),
        this.controlGroup(el('button', { type: 'button', text: 'Advance', class: 'primary',
          onclick: (e) => this.#withinBudget(e.currentTarget, { op: 'advance', ms: Number(v.advance.value) }) }), v.advance),
        el('h3', { text: 'A dropped connection' }),
        this.controlGroup(el('label', {}, 'Client ', v.dropClient),
          button('Drop connection', () => ({ op: 'drop_connection', client: value(v.dropClient) }),
            { title: 'Cut this client\'s connection now; advance to watch it recover (or not)' })),
        el('h3', { text: 'Side by side on the same stream' }),
        this.controlGroup(v.compareA, el('span', { text: 'vs' }), v.compareB, v.compareSeconds,
          el('button', { type: 'button', text: 'Compare', onclick: (e) => this.#withinBudget(e.currentTarget, compareStep(v.compareA.value, v.compareB.value)) }),
          el('button', { type: 'button', text: 'Compare all five', onclick: (e) => this.#compareAll(e.currentTarget, compareStep) }))),
      el('div', {}, el('h3', { text: 'Network and timing (a change replays the actions)' }),
        this.controlGroup(el('div', { class: 'settings' },
          ...v.settings.labels(),
          el('label', { class: 'check', title: 'WebRTC: relay the peer traffic through a TURN server beside the app server' }, v.turn, 'WebRTC via TURN')),
        el('button', { type: 'button', text: 'Apply settings', onclick: (e) => this.#applySettings(e.currentTarget) })))));
    v.serverStats = el('dl');
    v.clientStats = el('dl');
    body.append(el('div', { class: 'stats' },
      el('div', { class: 'stat' }, el('h4', { text: 'At the server' }), v.serverStats),
      el('div', { class: 'stat' }, el('h4', { text: 'At the clients' }), v.clientStats)));
    v.timeline = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    v.timeline.setAttribute('class', 'timeline');
    v.timeline.setAttribute('role', 'img');
    v.timelineNote = el('p', { class: 'note' });
    v.clientTable = el('div');
    body.append(el('div', { class: 'panel' }, el('h3', { text: `Each client's timeline (the first ${TIMELINE_LANES})` }),
      v.timeline, timelineLegend(), v.timelineNote, v.clientTable));
    v.compare = el('div');
    body.append(el('div', { class: 'panel' }, el('h3', { text: 'Every technique on the same seeded stream' }), v.compare));
    v.charts = el('div', { class: 'charts' });
    v.wireNote = el('p', { class: 'note' });
    body.append(v.charts, v.wireNote);
    v.chartView = new RealtimeCharts(v.charts);
  }

  // Runs the pairs that cover all five; stops at the first refusal.
  #compareAll(source, compareStep) {
    const pairs = [['short_polling', 'long_polling'], ['sse', 'websocket'], ['webrtc', this.session?.snapshot().technique ?? 'long_polling']];
    for (const [a, b] of pairs) {
      if (!this.#withinBudget(source, compareStep(a, b))) return;
    }
  }

  // The sim allows more clients than the page can run quickly.
  #setClients(source, count) {
    if (typeof count === 'number' && count > MAX_CLIENTS) {
      this.#refuse(source, `clients: at most ${formatCount(MAX_CLIENTS)} in the page, so that each step stays quick (got ${formatCount(count)}); the sim itself takes more: run a scenario with sdp run.`);
      return;
    }
    this.act({ op: 'clients', count }, source);
  }

  // Acts unless the step would simulate more deliveries than the page does
  // in one go (every client gets every event: clients x rate x seconds,
  // twice for a comparison); then says so next to the control.
  #withinBudget(source, step) {
    const snap = this.session?.snapshot();
    if (!snap) return null;
    const runs = step.op === 'compare' ? 2 : 1;
    const deliveries = snap.clients * snap.events.rate * (step.ms / 1000) * runs;
    if (deliveries > MAX_DELIVERIES_PER_STEP) {
      const what = step.op === 'compare' ? `${formatCount(step.ms / 1000)} s twice` : `${formatCount(step.ms / 1000)} s`;
      this.#refuse(source, `${step.op}: ${what} of ${plural(snap.clients, 'client')} at ${snap.events.rate} events/s is about ${formatCount(Math.round(deliveries))} deliveries; the page simulates at most ${formatCount(MAX_DELIVERIES_PER_STEP)} per step, so that it never freezes. Choose less time, fewer clients or a lower rate.`);
      return null;
    }
    return this.act(step, source);
  }

  // A refusal of the widget's own (the sim would take the step): said where
  // the base says the sim's refusals, under the control.
  #refuse(source, message) {
    const slot = source.closest('.control')?.querySelector('.field-error');
    if (slot) slot.textContent = message;
    this.narrate(`Refused: ${message}`);
  }

  #applySettings(source) {
    const patch = { ...this.#v.settings.values(), turn: this.#v.turn.checked };
    this.setConfig(patch, source);
  }

  render(snap) {
    const v = this.#v;
    const focused = this.shadowRoot.activeElement;
    const show = (input, text) => { if (focused !== input) input.value = String(text); };
    setSelect(v.technique, snap.technique);
    show(v.clients, snap.clients);
    show(v.rate, snap.events.rate);
    show(v.size, snap.events.size);
    const config = { ...SETTING_DEFAULTS, ...this.config };
    v.settings.show(config);
    v.turn.checked = Boolean(this.config.turn);
    this.#drawStats(snap);
    v.timelineNote.textContent = `${drawTimeline(v.timeline, snap)} The lanes start when the technique was last chosen, at most 10 s back (less on a busy stream: the sim keeps its first clients' last 200 lines); hover a mark for the sim's own words.`;
    this.#drawClients(snap);
    drawComparison(v.compare, this.#runs, this.seed);
    v.chartView.update((name) => this.session.column(name), snap, this.config.bucket_ms ?? 1000);
    const w = snap.wire_bytes;
    v.wireNote.textContent = `Bytes per message at this event size, headers included: a poll ${formatCount(w.poll_request)} B up and ${formatCount(w.poll_response_empty)} B back when empty, ` +
      `${formatCount(w.poll_response_one_event)} B with one event; an SSE event ${formatCount(w.sse_event)} B; a WebSocket frame ${formatCount(w.ws_frame)} B ` +
      `(after a ${formatCount(w.ws_upgrade_request)} + ${formatCount(w.ws_upgrade_response)} B upgrade); a WebRTC data-channel message ${formatCount(w.webrtc_message)} B ` +
      `(after a ${formatCount(w.webrtc_offer)} B offer and ${formatCount(w.webrtc_answer)} B answer). TCP/IP and TLS are not counted.`;
  }

  #drawStats(snap) {
    const v = this.#v;
    const m = snap.metrics;
    const row = (dl, name, text, bad = false) => dl.append(el('dt', { text: name }), el('dd', { text, class: bad ? 'bad' : null }));
    v.serverStats.replaceChildren();
    row(v.serverStats, 'technique', `${techniqueName(snap.technique)}, ${plural(snap.clients, 'client')}, ${snap.events.rate} events/s`);
    row(v.serverStats, 'requests', `${formatCount(m.requests)} (${m.requests_per_s.toFixed(1)}/s; ${formatCount(m.empty_responses)} answered empty)`);
    row(v.serverStats, 'bytes on the wire', `${kB(m.bytes_total)} (${kB(m.bytes_down)} down, ${kB(m.bytes_up)} up): ${formatCount(m.bytes_per_delivery)} B per delivery`);
    row(v.serverStats, 'through the server', snap.technique === 'webrtc'
      ? `${kB(m.server_bytes)}; peer to peer ${kB(m.p2p_bytes)}${m.relay_bytes ? `, via TURN ${kB(m.relay_bytes)}` : ''}; ${formatCount(m.signalling_messages)} signalling messages relayed`
      : kB(m.server_bytes));
    row(v.serverStats, 'open connections', `${formatCount(m.open_connections)} now = ${mib(m.memory_bytes)}; peak ${formatCount(m.peak_open_connections)} = ${mib(m.peak_memory_bytes)}`);
    v.clientStats.replaceChildren();
    row(v.clientStats, 'events published', `${formatCount(m.events_published)} (latest #${snap.events.latest_id})`);
    row(v.clientStats, 'deliveries', formatCount(m.deliveries));
    row(v.clientStats, 'latency p50 / p99 / max', `${msText(m.latency_p50_us)} / ${msText(m.latency_p99_us)} / ${msText(m.latency_max_us)} (mean ${msText(m.latency_mean_us)})`);
    row(v.clientStats, 'missed', formatCount(m.missed), m.missed > 0);
    row(v.clientStats, 'duplicates / out of order', `${formatCount(m.duplicates)} / ${formatCount(m.out_of_order)}`, m.duplicates + m.out_of_order > 0);
    row(v.clientStats, 'measured for', `${secondsText(m.elapsed_ms * 1000)} (since the last technique change)`);
  }

  #drawClients(snap) {
    const cells = (tag, values) => el('tr', {}, ...values.map((c) => (typeof c === 'string' ? el(tag, { text: c }) : el(tag, c))));
    const rows = snap.first_clients.slice(0, TIMELINE_LANES).map((c) => cells('td', [
      `client ${c.client}`, c.state.replace('_', ' '), formatCount(c.received),
      `#${c.first_expected}`, `#${c.last_received}`, { text: formatCount(c.missed), class: c.missed ? 'bad' : null }]));
    this.#v.clientTable.replaceChildren(rows.length ? scrollRegion('div', 'Per-client deliveries (table)', { class: 'table-scroll' }, el('table', { class: 'clients' },
      el('thead', {}, cells('th', ['client', 'state now', 'received (whole run)', 'first expected', 'last received', 'missed (whole run)'])),
      el('tbody', {}, ...rows))) : '');
  }
}

// <sdp-gossip>: one update spreading through 2-10,000 nodes by anti-entropy
// or rumour mongering (Demers et al. 1987), round by round. Nodes are drawn
// as a grid (one cell per node up to 2,500 nodes, beyond that each cell
// blends the colours of the nodes it stands for); charts show the informed
// fraction beside the simple-epidemic theory, messages per node and the
// share still uninformed (the residue once a rumour dies out).
// Timing: synchronous rounds (the paper's) or asynchronous (every node on
// its own timer, messages with a network delay; the charts then run over
// simulated time, a row per period).
// Below, a membership mode (web/gossip-membership.mjs): the same nodes run
// SWIM or heartbeat gossip, a node is killed and the grid shows how each
// other node sees it (alive, suspect, dead).
// Attributes: nodes, fanout, seed, sync-url, state-key.

import { el, formatCount, formatPercent, setSelect } from './dom.mjs';
import { sheetFrom } from './theme.mjs';
import { chartSheet, LineChart } from './chart.mjs';
import { SdpWidget } from './sdp-widget.mjs';
import { legend, StateGrid } from './gossip-grid.mjs';
import { MembershipPanel } from './gossip-membership.mjs';

// Index = the sim's node_state column.
const STATES = [
  { label: 'never heard it', rgb: [160, 168, 180] },
  { label: 'spreading (infective)', rgb: [232, 93, 58] },
  { label: 'knows, stopped spreading', rgb: [52, 120, 206] },
  { label: 'crashed', rgb: [40, 40, 46] },
];
const NODE_COUNTS = [50, 100, 400, 1000, 2500, 10000];
const FANOUTS = [1, 2, 3, 4, 5, 10];
const KS = [1, 2, 3, 4, 5];
const LOSSES = [0, 0.01, 0.1, 0.3];
// One-way network delays offered in async timing; the spread is half of it.
const DELAYS = [0, 10, 50, 200, 500];
const COLOURS = { measured: '#e85d3a', theory: '#8a8f98', messages: '#4e79a7', residue: '#b07aa1' };

const styles = sheetFrom(`
.controls { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(300px, 100%), 1fr)); gap: 4px 20px; }
.controls h3 { font-size: 0.9rem; margin: 6px 0 2px; color: var(--sdp-muted); font-weight: 600; }
.controls select { max-width: 14em; }
.main { display: grid; grid-template-columns: minmax(260px, 1fr) minmax(260px, 1fr); gap: 12px 16px; margin-top: 10px; align-items: start; }
@container (max-width: 640px) { .main { grid-template-columns: 1fr; } }
.grid { width: 100%; height: auto; display: block; shape-rendering: crispEdges; border: 1px solid var(--sdp-line); border-radius: 4px; background: var(--sdp-panel); }
.legend { display: flex; flex-wrap: wrap; gap: 4px 12px; font-size: 0.8rem; color: var(--sdp-muted); margin: 4px 0 0; }
.legend .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
.stat { border: 1px solid var(--sdp-line); border-radius: var(--sdp-radius); padding: 8px 10px; margin-bottom: 10px; }
.stat h4 { margin: 0 0 4px; font-size: 0.9rem; }
.stat dl { display: grid; grid-template-columns: auto 1fr; gap: 1px 10px; margin: 0; font-size: 0.86rem; }
.stat dt { color: var(--sdp-muted); }
.stat dd { margin: 0; font-variant-numeric: tabular-nums; }
.note { color: var(--sdp-muted); font-size: 0.82rem; margin: 4px 0 0; }
.membership { margin-top: 18px; border-top: 1px solid var(--sdp-line); padding-top: 8px; }
.membership h3 { font-size: 1rem; margin: 4px 0 6px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(340px, 100%), 1fr)); gap: 12px 16px; margin-top: 12px; }
`);

const fixed = (x, digits) => (x === null || x === undefined ? '—' : Number(x).toFixed(digits));

const isAsync = (c) => c.timing === 'async';
const seconds = (ms) => `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 2)} s`;

function strategyText(c) {
  const timing = isAsync(c) ? `; async, every ${seconds(c.period_ms)} ± ${c.jitter_ms} ms, delay ${c.delay_ms} ± ${c.delay_jitter_ms} ms` : '';
  if (c.kind === 'anti_entropy') return `anti-entropy ${c.direction.replace('_', '-')}, fanout ${c.fanout}${timing}`;
  return `rumour ${c.direction.replace('_', '-')}, fanout ${c.fanout}, k = ${c.k}, ${c.feedback ? 'feedback' : 'blind'}, ${c.counter ? 'counter' : 'coin'}${timing}`;
}

// An async `advance` or `run`: where the clock is and what spread.
function asyncText(r) {
  const end = r.residue !== null ? `; nothing more can change: ${formatCount(r.susceptible)} live nodes never heard it (residue ${formatPercent(r.residue)})`
    : r.stopped === 'work_limit' ? '; stopped at the per-step work limit' : '';
  return `${seconds(r.now_ms)} of simulated time: ${formatPercent(r.informed_fraction)} informed, ${formatCount(r.messages)} update messages in finished periods, ${formatCount(r.in_flight)} in flight${end}.`;
}

export class GossipElement extends SdpWidget {
  static sim = 'gossip';
  static title = 'Gossip';
  static subtitle = 'One update spreads node to node: anti-entropy reaches everyone, rumour mongering is cheaper but can die out before it does — checked against Demers et al. 1987.';
  static styles = [styles, chartSheet];
  static attributes = { nodes: { config: 'nodes' }, fanout: { config: 'fanout' } };
  // The CSV export: the charts' series, per round.
  static csvColumns = ['round', 'round_informed', 'theory_ppm', 'round_messages'];

  #v = { legend: [] };

  baseConfig() {
    return { nodes: 400, kind: 'rumor', direction: 'push', fanout: 1, k: 1, feedback: true, counter: true, loss: 0 };
  }

  initialSteps() { return [{ op: 'inject', node: 0 }]; }

  describe(step, r) {
    switch (step.op) {
      case 'nodes': return `${formatCount(r.config.nodes)} nodes; nobody knows the update yet.`;
      case 'strategy': return `From now on: ${strategyText(r.config)}.`;
      case 'inject': return `Node ${r.node} learns the update${r.knew ? ' again and spreads it anew' : ''}.`;
      case 'advance':
        if (r.periods === undefined) return MembershipPanel.describe(step, r);
        return `${asyncText(r)}${r.membership ? ` ${MembershipPanel.describe(step, r.membership)}` : ''}`;
      case 'round':
      case 'run': {
        if (r.periods !== undefined) return asyncText(r);
        const rounds = r.rounds === 1 ? '1 round' : `${r.rounds} rounds`;
        const end = r.residue !== null ? `; nothing more can change: ${formatCount(r.susceptible)} live nodes never heard it (residue ${formatPercent(r.residue)})`
          : r.stopped === 'work_limit' ? '; stopped at the per-step work limit' : '';
        return `${rounds}: ${formatPercent(r.informed_fraction)} informed, ${formatCount(r.messages)} update messages${end}.`;
      }
      case 'crash': return `${formatCount(r.crashed)} nodes crash; ${formatCount(r.live)} live.`;
      case 'loss': return `Each message is now lost with probability ${formatPercent(r.loss, 0)}.`;
      case 'trials': return r.residue === undefined ? 'No trial fitted in the work limit.'
        : `${r.trials} fresh epidemics: residue ${fixed(r.residue, 4)}, ${fixed(r.traffic, 2)} messages per node, the last node informed after ${fixed(r.t_last, 1)} rounds on average.`;
      default: return MembershipPanel.describe(step, r);
    }
  }

  buildBody(body) {
    const v = this.#v;
    const select = (aria, options, onchange) => {
      const s = el('select', { 'aria-label': aria }, ...options.map(([value, text]) => el('option', { value, text })));
      s.addEventListener('change', () => onchange(s));
      return s;
    };
    const onStrategy = (source) => {
      const delay = Number(v.delay.value);
      this.act({
        op: 'strategy', kind: v.kind.value, direction: v.direction.value, fanout: Number(v.fanout.value),
        k: Number(v.k.value), feedback: v.feedback.value === 'true', counter: v.counter.value === 'true',
        timing: v.timing.value, delay_ms: delay, delay_jitter_ms: Math.floor(delay / 2),
      }, source);
    };
    v.kind = select('Algorithm', [['rumor', 'rumour mongering'], ['anti_entropy', 'anti-entropy']], onStrategy);
    v.direction = select('Direction', [['push', 'push'], ['pull', 'pull'], ['push_pull', 'push-pull']], onStrategy);
    v.fanout = select('Fanout', FANOUTS.map((f) => [String(f), `fanout ${f}`]), onStrategy);
    v.k = select('k', KS.map((k) => [String(k), `k = ${k}`]), onStrategy);
    v.feedback = select('Loss of interest after', [['true', 'feedback (unneeded)'], ['false', 'blind (every send)']], onStrategy);
    v.counter = select('Counter or coin', [['true', 'counter: after k'], ['false', 'coin: probability 1/k']], onStrategy);
    v.timing = select('Timing', [['rounds', 'rounds'], ['async', 'async timers']], onStrategy);
    v.delay = select('Network delay', DELAYS.map((d) => [String(d), `delay ${d} ms`]), onStrategy);
    v.nodes = select('Nodes', NODE_COUNTS.map((n) => [String(n), `${formatCount(n)} nodes`]), (s) => {
      if (this.act({ op: 'nodes', count: Number(s.value) }, s)) this.act({ op: 'inject', node: 0 }, s);
    });
    v.loss = select('Message loss', LOSSES.map((p) => [String(p), `${formatPercent(p, 0)} lost`]),
      (s) => this.act({ op: 'loss', p: Number(s.value) }, s));
    const button = (text, step, { primary = false, title } = {}) => el('button', {
      type: 'button', text, class: primary ? 'primary' : undefined, title,
      onclick: (e) => this.act(typeof step === 'function' ? step() : step, e.currentTarget) });
    v.grid = new StateGrid('The nodes');
    const key = legend(STATES);
    v.legend = key.labels;
    v.stats = el('dl');
    v.theory = el('dl');
    v.trials = el('div');
    v.membership = new MembershipPanel(this);
    v.informedHost = el('div');
    v.messagesHost = el('div');
    v.residueHost = el('div');
    body.append(
      el('div', { class: 'controls' },
        el('div', {}, el('h3', { text: 'How nodes gossip' }),
          this.controlGroup(v.kind, v.direction, v.fanout), this.controlGroup(v.k, v.feedback, v.counter),
          this.controlGroup(v.timing, v.delay)),
        el('div', {}, el('h3', { text: 'The network' }),
          this.controlGroup(v.nodes, v.loss, button('Crash 10%', { op: 'crash', fraction: 0.1 }, { title: 'Crash a tenth of the live nodes, chosen at random' }))),
        el('div', {}, el('h3', { text: 'Run' }),
          this.controlGroup(
            button('Inject', () => ({ op: 'inject', node: this.#firstLiveNode() }), { title: 'A live node learns the update' }),
            v.step = button('1 round', () => this.#oneStep(), { primary: true }),
            button('Run to the end', { op: 'run' }),
            button('100 trials', { op: 'trials', count: 100 }, { title: '100 fresh epidemics with these settings, averaged' })))),
      el('div', { class: 'main' },
        el('div', {}, v.grid.element, key.row, v.grid.note),
        el('div', {},
          el('div', { class: 'stat' }, el('h4', { text: 'This run' }), v.stats),
          el('div', { class: 'stat' }, el('h4', { text: 'Theory beside it' }), v.theory),
          v.trials)),
      el('div', { class: 'charts' }, v.informedHost, v.messagesHost, v.residueHost),
      v.membership.element);
  }

  // Rounds: one round. Async: one period of simulated time.
  #oneStep() {
    const c = this.session.snapshot().config;
    return isAsync(c) ? { op: 'advance', ms: c.period_ms } : { op: 'round' };
  }

  // The charts' x axis is the round, or in async timing simulated seconds
  // (a row per period): built again when the timing changes.
  #buildCharts(async) {
    const v = this.#v;
    if (v.chartsAsync === async) return;
    for (const chart of [v.informed, v.messages, v.residue]) chart?.destroy();
    for (const host of [v.informedHost, v.messagesHost, v.residueHost]) host.replaceChildren();
    v.chartsAsync = async;
    const x = async ? { xLabel: 'simulated time (s)', xIncrs: [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] } : { xLabel: 'round' };
    const per = async ? 'per period' : 'per round';
    v.informed = new LineChart(v.informedHost, { title: async ? 'Informed fraction over time' : 'Informed fraction per round', ...x, yLabel: 'informed',
      yFormat: (y) => formatPercent(y, 0), points: false,
      series: [{ label: 'measured', colour: COLOURS.measured },
        { label: async ? 'theory (simple epidemic, a round per period)' : 'theory (simple epidemic)', colour: COLOURS.theory, dash: [6, 4] }] });
    v.messages = new LineChart(v.messagesHost, { title: `Update messages per node, ${per}`, ...x, yLabel: 'per node',
      yFormat: (y) => y.toFixed(2), points: false, series: [{ label: 'messages / node', colour: COLOURS.messages }] });
    v.residue = new LineChart(v.residueHost, { title: 'Never informed (the residue once quiet)', ...x, yLabel: 'of live nodes',
      yFormat: (y) => formatPercent(y, 1), points: false, series: [{ label: 'uninformed', colour: COLOURS.residue }] });
  }

  // The first live node that has not heard the update (else the first live one).
  #firstLiveNode() {
    const states = this.session.column('node_state');
    let live = -1;
    for (let i = 0; i < states.length; i += 1) {
      if (states[i] === 0) return i;
      if (live < 0 && states[i] !== 3) live = i;
    }
    return Math.max(live, 0);
  }

  render(snap) {
    const v = this.#v;
    const c = snap.config;
    v.kind.value = c.kind;
    v.direction.value = c.direction;
    setSelect(v.fanout, c.fanout, `fanout ${c.fanout}`);
    setSelect(v.k, c.k, `k = ${c.k}`);
    v.feedback.value = String(c.feedback);
    v.counter.value = String(c.counter);
    v.timing.value = isAsync(c) ? 'async' : 'rounds';
    setSelect(v.delay, c.delay_ms ?? 50, `delay ${c.delay_ms ?? 50} ms`);
    v.delay.disabled = !isAsync(c);
    v.step.textContent = isAsync(c) ? `+${seconds(c.period_ms)} (1 period)` : '1 round';
    setSelect(v.nodes, c.nodes, `${formatCount(c.nodes)} nodes`);
    setSelect(v.loss, c.loss, `${formatPercent(c.loss, 1)} lost`);
    for (const s of [v.k, v.feedback, v.counter]) s.disabled = c.kind !== 'rumor';
    // Anti-entropy never stops (Demers et al.: every site keeps exchanging),
    // so a node that stopped spreading the rumour before the switch is no
    // different from one that heard it since: both are drawn as "informed".
    const antiEntropy = c.kind !== 'rumor';
    v.legend[1].textContent = antiEntropy ? 'informed (anti-entropy: every node keeps exchanging)' : STATES[1].label;
    v.legend[2].parentElement.hidden = antiEntropy;
    const states = this.session.column('node_state');
    v.grid.draw(antiEntropy ? states.map((state) => (state === 2 ? 1 : state)) : states, STATES);
    this.#drawStats(snap);
    this.#drawCharts(snap);
    v.membership.render(snap.membership, snap.config.nodes);
  }

  #drawStats(snap) {
    const v = this.#v;
    const row = (dl, name, value) => dl.append(el('dt', { text: name }), el('dd', { text: value }));
    v.stats.replaceChildren();
    row(v.stats, 'strategy', strategyText(snap.config));
    if (snap.async) {
      row(v.stats, 'simulated time', `${seconds(snap.async.now_ms)} (period ${snap.round})`);
      row(v.stats, 'messages in flight', formatCount(snap.async.in_flight));
    } else {
      row(v.stats, 'round', String(snap.round));
    }
    row(v.stats, 'live nodes', `${formatCount(snap.live)}${snap.crashed ? ` (${formatCount(snap.crashed)} crashed)` : ''}`);
    row(v.stats, 'informed', `${formatCount(snap.informed)} (${formatPercent(snap.informed_fraction)})`);
    if (snap.config.kind === 'rumor') row(v.stats, 'spreading', formatCount(snap.infective));
    row(v.stats, 'messages per node', fixed(snap.totals.messages_per_node, 2));
    row(v.stats, 'residue', snap.residue !== null ? `${formatPercent(snap.residue, 2)} never informed` : snap.injected ? 'still spreading' : 'inject the update first');
    const t = snap.theory;
    v.theory.replaceChildren();
    row(v.theory, 'push, all informed', `~${fixed(t.rounds_push, 1)} rounds (log2 n + ln n)`);
    row(v.theory, 'push-pull, all informed', `~${fixed(t.rounds_push_pull, 1)} rounds (log3 n + ln ln n)`);
    if (t.residue_from_traffic !== null) row(v.theory, 'residue from traffic', `e^-m = ${fixed(t.residue_from_traffic, 4)}`);
    if (t.coin_residue !== null) row(v.theory, 'coin equation', `s = ${fixed(t.coin_residue, 4)}`);
    const tr = snap.last_trials;
    if (!tr || tr.residue === undefined) {
      v.trials.replaceChildren();
      return;
    }
    const dl = el('dl');
    row(dl, 'epidemics', `${tr.trials} × ${formatCount(tr.nodes)} nodes, ${tr.kind === 'rumor' ? `k = ${tr.k}` : tr.direction.replace('_', '-')}`);
    row(dl, 'residue s', fixed(tr.residue, 4));
    row(dl, 'traffic m', `${fixed(tr.traffic, 2)} messages per node`);
    row(dl, 'delay t_ave / t_last', `${fixed(tr.t_ave, 1)} / ${fixed(tr.t_last, 1)} ${isAsync(snap.config) ? 'periods' : 'rounds'}`);
    if (tr.residue_from_traffic !== null) row(dl, 'e^-m', fixed(tr.residue_from_traffic, 4));
    if (tr.coin_residue !== null) row(dl, 'coin equation', fixed(tr.coin_residue, 4));
    row(dl, 'everyone informed', formatPercent(tr.all_informed, 0));
    v.trials.replaceChildren(el('div', { class: 'stat' }, el('h4', { text: 'Last trials (averages)' }), dl));
  }

  #drawCharts(snap) {
    const v = this.#v;
    const col = (name) => Array.from(this.session.column(name));
    const async = isAsync(snap.config);
    this.#buildCharts(async);
    const rounds = col('round');
    const xs = async ? rounds.map((r) => (r * snap.config.period_ms) / 1000) : rounds;
    const live = snap.live || 1;
    const nodes = snap.config.nodes;
    const informed = col('round_informed').map((x) => x / live);
    const theory = col('theory_ppm').map((x, i) => (snap.injected && rounds[i] > snap.inject_round ? x / 1e6 : null));
    v.informed.update([xs, informed, theory]);
    v.messages.update([xs, col('round_messages').map((x) => x / nodes)]);
    v.residue.update([xs, informed.map((x) => 1 - x)]);
  }
}

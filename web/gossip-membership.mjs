// The membership mode of <sdp-gossip>: the sim's `membership`, `kill` and
// `advance` ops. The grid colours every node by how it sees the last killed
// node (alive, suspect, dead); the chart shows, after the kill, how many
// live members have declared it dead; the stats say how soon, at what
// per-member load, and how many live members were declared dead by mistake.
// It holds no simulation logic: it reads the snapshot's `membership` and
// the member_view / member_declared_ms columns.

import { el, formatCount, formatPercent } from './dom.mjs';
import { LineChart } from './chart.mjs';
import { legend, StateGrid } from './gossip-grid.mjs';

// Index = the sim's member_view column.
const VIEWS = [
  { label: 'sees it alive', rgb: [72, 160, 110] },
  { label: 'suspects it', rgb: [236, 170, 40] },
  { label: 'declared it dead', rgb: [214, 62, 62] },
  { label: 'killed', rgb: [128, 90, 213] }, // not the epidemic's near-black: it must show on a dark page too
];
const PROTOCOLS = [['swim', 'SWIM (ping, indirect ping, suspicion)'], ['heartbeat', 'heartbeat gossip (whole tables)']];
const CHART_POINTS = 400;

const ms = (x) => (x === null || x === undefined ? '—' : `${formatCount(Math.round(x))} ms`);
const fixed = (x, digits) => (x === null || x === undefined ? '—' : Number(x).toFixed(digits));

export class MembershipPanel {
  constructor(widget) {
    this.widget = widget;
    const act = (step, source) => widget.act(step, source);
    this.protocol = el('select', { 'aria-label': 'Failure detector' },
      ...PROTOCOLS.map(([value, text]) => el('option', { value, text })));
    const button = (text, step, title) => el('button', { type: 'button', text, title,
      onclick: (e) => act(typeof step === 'function' ? step() : step, e.currentTarget) });
    this.grid = new StateGrid('How every node sees the last killed node');
    this.stats = el('dl');
    this.chartHost = el('div');
    this.hint = el('p', { class: 'note' });
    const key = legend(VIEWS);
    this.element = el('section', { class: 'membership', 'aria-label': 'Membership and failure detection' },
      el('h3', { text: 'Membership: who notices a dead node?' }),
      widget.controlGroup(this.protocol,
        button('Start', () => ({ op: 'membership', protocol: this.protocol.value }), 'A fresh failure detector on these nodes, at time 0, with the current message loss'),
        button('Kill a node', () => ({ op: 'kill', node: this.#nextVictim() }), 'A live node stops answering'),
        button('+1 s', { op: 'advance', ms: 1000 }, 'Let one second of simulated time pass'),
        button('+10 s', { op: 'advance', ms: 10000 }, 'Let ten seconds pass')),
      this.hint,
      el('div', { class: 'main' },
        el('div', {}, this.grid.element, key.row, this.grid.note),
        el('div', {}, el('div', { class: 'stat' }, el('h4', { text: 'The failure detector' }), this.stats), this.chartHost)));
    this.chart = new LineChart(this.chartHost, { title: 'Live members that declared the killed node dead', xLabel: 's after the kill',
      yLabel: 'of live members', yFormat: (x) => formatPercent(x, 0), points: false,
      series: [{ label: 'declared dead', colour: '#d63e3e' }] });
  }

  static describe(step, r) {
    switch (step.op) {
      case 'membership': return `${r.protocol === 'swim' ? 'SWIM' : 'Heartbeat gossip'} starts on ${formatCount(r.nodes)} nodes${r.protocol === 'swim' ? `: suspicion timeout ${ms(r.suspicion_timeout_ms)}, each update piggybacked ${r.retransmit_limit} times` : ''}.`;
      case 'kill': return `Node ${r.node} dies at ${ms(r.at_ms)}; ${formatCount(r.live)} live.`;
      case 'advance': {
        const k = r.killed.at(-1);
        const seen = k ? ` Node ${k.node}: ${formatCount(k.views.dead)} declared it dead, ${formatCount(k.views.suspect)} suspect it.` : '';
        const fp = r.false_positives.members ? ` ${formatCount(r.false_positives.members)} live members were declared dead by mistake.` : '';
        return `At ${ms(r.now_ms)}.${seen}${fp}${r.stopped === 'work_limit' ? ' Stopped at the per-step work limit.' : ''}`;
      }
      default: return '';
    }
  }

  // The first live node from the middle of the grid on: easy to find.
  #nextVictim() {
    const views = this.widget.session.column('member_view');
    const n = views.length;
    for (let i = 0; i < n; i += 1) {
      const node = (Math.floor(n / 2) + i) % n;
      if (views[node] !== 3) return node;
    }
    return 0;
  }

  render(m, nodes) {
    const started = m !== null;
    for (const b of this.element.querySelectorAll('button')) if (b.textContent !== 'Start') b.disabled = !started;
    if (started) this.protocol.value = m.protocol;
    this.hint.textContent = !started ? 'Start a failure detector, kill a node, and let time pass.'
      : m.killed.length === 0 ? 'Kill a node, then let time pass: its neighbours in the grid are not special, anyone may notice first.' : '';
    const views = started ? this.widget.session.column('member_view') : new Uint32Array(nodes);
    this.grid.draw(views, VIEWS);
    this.#drawStats(m);
    this.#drawChart(m);
  }

  #drawStats(m) {
    const row = (name, value) => this.stats.append(el('dt', { text: name }), el('dd', { text: value }));
    this.stats.replaceChildren();
    if (m === null) {
      row('protocol', 'not started');
      return;
    }
    const p = m.params;
    row('protocol', m.protocol === 'swim'
      ? `SWIM, period ${ms(p.interval_ms)}, timeout ${ms(p.probe_timeout_ms)}, ${p.indirect_checks} indirect`
      : `heartbeat, every ${ms(p.interval_ms)} to ${p.fanout}, T_fail ${ms(p.fail_ms)}`);
    if (m.protocol === 'swim') row('suspicion timeout', ms(p.suspicion_timeout_ms));
    row('time', `${ms(m.now_ms)}, ${formatPercent(m.loss, 0)} of messages lost`);
    row('load per member', `${fixed(m.messages_per_member_per_second, 2)} msg/s, ${formatCount(Math.round(m.bytes_per_member_per_second))} B/s`);
    row('false positives', `${formatCount(m.false_positives.members)} live members declared dead (${formatCount(m.false_positives.declarations)} declarations)`);
    if (m.protocol === 'swim') row('refutations', formatCount(m.refutations));
    const k = m.killed.at(-1);
    if (!k) return;
    row('killed node', `${k.node} at ${ms(k.killed_at_ms)}`);
    row('first noticed', k.first_detection_ms === null ? 'not yet' : `after ${ms(k.first_detection_ms)}`);
    if (k.first_probe_periods !== undefined && k.first_probe_periods !== null) {
      row('first pinged', `in protocol period ${k.first_probe_periods} (SWIM expects e/(e−1) ≈ 1.58 on average)`);
    }
    row('declared dead', `${formatCount(k.declared)} of ${formatCount(m.live)} live${k.mean_declared_ms === null ? '' : `, mean ${ms(k.mean_declared_ms)}`}`);
    row('everyone knows', k.all_declared_ms === null ? 'not yet' : `after ${ms(k.all_declared_ms)}`);
  }

  // A step curve: the share of live members that had declared the killed
  // node dead, against seconds since the kill.
  #drawChart(m) {
    const k = m && m.killed.at(-1);
    if (!k) {
      this.chart.update([[], []]);
      return;
    }
    const declared = Array.from(this.widget.session.column('member_declared_ms')).filter((t) => t !== 0xffffffff).sort((a, b) => a - b);
    const end = (m.now_ms - k.killed_at_ms) / 1000;
    const step = Math.max(1, Math.ceil(declared.length / CHART_POINTS));
    const xs = [0], ys = [0];
    for (let i = step - 1; i < declared.length; i += step) {
      xs.push(declared[i] / 1000);
      ys.push((i + 1) / m.live);
    }
    if (declared.length && xs.at(-1) !== declared.at(-1) / 1000) {
      xs.push(declared.at(-1) / 1000);
      ys.push(declared.length / m.live);
    }
    if (end > xs.at(-1)) {
      xs.push(end);
      ys.push(declared.length / m.live);
    }
    this.chart.update([xs, ys]);
  }
}

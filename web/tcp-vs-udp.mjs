// <sdp-tcp-vs-udp>: the same message stream sent by TCP and by UDP over one
// seeded lossy link (the `transport` sim). Link controls (latency, jitter,
// loss, reordering, duplication) and TCP's settings; charts of the bytes each
// application received over time, each message's latency and TCP's
// congestion window by phase with its retransmissions; what each
// application received, message by message (web/tcp-vs-udp-received.mjs);
// and NewReno's measured throughput for p = 0.1%..5% beside Mathis et al.'s
// (MSS/RTT)·1.22/√p, both computed by the sim.
// Attributes: latency-ms, loss, messages, seed, sync-url, state-key.

import { el, formatCount, formatPercent, NumberFields, numberValue, plural, selectBox, setSelect } from './dom.mjs';
import { sheetFrom } from './theme.mjs';
import { chartSheet, LineChart } from './chart.mjs';
import { SdpWidget } from './sdp-widget.mjs';
import { ReceivedView, receivedSheet } from './tcp-vs-udp-received.mjs';
import { cwndSeries, deliveredSeries, latencySeries, mathisSeries } from './tcp-vs-udp-data.mjs';

const MESSAGE_COUNTS = [10, 50, 100, 200, 500, 1000];
const SIZES = [100, 500, 1000, 1460, 4000, 16000];
const INTERVALS = [0, 1, 5, 10, 20, 50, 100];
const ADVANCES = [10, 50, 100, 500, 1000, 5000];
// The issue's range of loss rates for the Mathis plot.
const SWEEP = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05];
const SWEEP_SECONDS = [60, 120, 300, 900];
const TIME_INCRS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];
const COLOURS = { tcp: '#2f6fd6', udp: '#d9822b', slow: '#3a8f4e', avoid: '#2f6fd6', recovery: '#b0439e',
  ssthresh: '#8a8f98', timeout: '#c62828', fast: '#e0a100', formula: '#8a8f98', measured: '#d9822b' };
// The link op's fields, as the inputs show them.
const LINK_FIELDS = [
  ['latency_ms', 'Latency (ms)', 'one way'],
  ['jitter_ms', 'Jitter (ms)', '± per packet: packets may overtake'],
  ['loss', 'Loss (0–1)', 'probability a packet is lost'],
  ['reorder', 'Reorder (0–1)', 'probability a packet is held back'],
  ['reorder_delay_ms', 'Held back by (ms)', 'how long a held-back packet waits'],
  ['duplicate', 'Duplicate (0–1)', 'probability a packet arrives twice'],
];
const TCP_FIELDS = [['mss', 'MSS (bytes)'], ['initial_cwnd', 'Initial window (segments, 0: RFC 5681)'], ['min_rto_ms', 'Minimum RTO (ms)']];

const styles = sheetFrom(`
.controls { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(310px, 100%), 1fr)); gap: 4px 20px; }
.controls h3 { font-size: 0.9rem; margin: 6px 0 2px; color: var(--sdp-muted); font-weight: 600; }
.controls label { font-size: 0.86rem; }
.controls input[type=number] { width: 5.5em; }
.link-grid { display: grid; width: 100%; grid-template-columns: repeat(auto-fill, minmax(min(130px, 100%), 1fr)); gap: 4px 10px; align-items: end; }
.link-grid label { display: flex; flex-direction: column; gap: 1px; }
.link-grid label.check { flex-direction: row; align-items: center; gap: 6px; min-height: 30px; }
.stats { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 16px; margin: 10px 0; }
.stat { border: 1px solid var(--sdp-line); border-radius: var(--sdp-radius); padding: 6px 10px; }
.stat h4 { margin: 0 0 4px; font-size: 0.9rem; }
.stat dl { display: grid; grid-template-columns: auto 1fr; gap: 1px 10px; margin: 0; font-size: 0.86rem; }
.stat dt { color: var(--sdp-muted); }
.stat dd { margin: 0; font-variant-numeric: tabular-nums; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(340px, 100%), 1fr)); gap: 12px 16px; margin-top: 12px; }
.note { color: var(--sdp-muted); font-size: 0.82rem; margin: 4px 0 0; }
table.mathis { border-collapse: collapse; font-size: 0.85rem; font-variant-numeric: tabular-nums; margin-top: 4px; }
table.mathis th, table.mathis td { border-bottom: 1px solid var(--sdp-line); padding: 2px 8px; text-align: right; }
table.mathis th { color: var(--sdp-muted); font-weight: 600; }
@container (max-width: 640px) { .stats { grid-template-columns: 1fr; } }
`);

const kB = (bytes) => `${formatCount(Math.round(bytes / 1000))} kB`;
const ms = (us) => `${formatCount(Math.round(us / 1000))} ms`;
const seconds = (us) => (us >= 10e6 ? `${formatCount(Math.round(us / 1e6))} s` : `${(us / 1e6).toFixed(2)} s`);
const percent = (p) => formatPercent(p, p < 0.01 ? 1 : 0);

function linkText(l) {
  const parts = [`${l.latency_ms} ms one way${l.jitter_ms ? ` ±${l.jitter_ms} ms` : ''}`, `${formatPercent(l.loss)} loss`];
  if (l.reorder) parts.push(`${formatPercent(l.reorder)} held back ${l.reorder_delay_ms} ms`);
  if (l.duplicate) parts.push(`${formatPercent(l.duplicate)} duplicated`);
  return `${parts.join(', ')}; ACKs ${l.impair_acks ? 'suffer it too' : 'only delayed'}`;
}

export class TcpVsUdpElement extends SdpWidget {
  static sim = 'transport';
  static title = 'TCP vs UDP on a lossy link';
  static subtitle = 'The same messages over the same link: TCP hands its application every byte once and in order — later, after handshakes, retransmissions and a window that halves; UDP hands over whatever arrives, at once. With Mathis et al.’s (MSS/RTT)·1.22/√p beside the measured throughput.';
  static styles = [styles, chartSheet, receivedSheet];
  static attributes = {
    'latency-ms': { config: 'latency_ms' },
    loss: { config: 'loss' },
    messages: { op: 'send', field: 'messages', max: 1000, default: 100 },
  };
  static csvColumns = ['t_ms', 'tcp_bytes', 'udp_bytes', 'tcp_retx_timeout', 'tcp_retx_fast', 'cwnd', 'ssthresh', 'phase'];

  #v = {};

  baseConfig() {
    return { latency_ms: 50, jitter_ms: 5, loss: 0.02, reorder: 0.02, duplicate: 0.01 };
  }

  initialSteps(values) {
    return [{ op: 'send', messages: values.messages, size: 1000, interval_ms: 10 }, { op: 'run' }];
  }

  describe(step, r) {
    const snap = this.session.snapshot();
    switch (step.op) {
      case 'link': return `The link from now on: ${linkText(r)}.`;
      case 'send': {
        const over = { both: 'TCP and UDP', tcp: 'TCP only', udp: 'UDP only' }[step.protocol ?? 'both'];
        const pace = step.interval_ms ? `one every ${step.interval_ms} ms` : 'all at once';
        return `The application sends ${plural(step.messages, 'message')} of ${formatCount(step.size)} bytes, ${pace}, over ${over}.`;
      }
      case 'drop': return `The first transmission of TCP segment ${r.segment} (stream byte ${formatCount(r.stream_byte)}) will be lost.`;
      case 'advance':
      case 'run': return this.#progressText(snap, r);
      case 'mathis': return `p = ${percent(r.loss)}, RTT ${r.rtt_ms} ms, ${r.seconds} s: NewReno moved ${kB(r.measured_bytes_per_s)}/s, the formula says ${kB(r.predicted_bytes_per_s)}/s (ratio ${r.ratio.toFixed(2)}; ${r.timeouts} timeouts, ${r.fast_recoveries} fast recoveries).`;
      default: return '';
    }
  }

  #progressText(snap, r) {
    const t = snap.tcp;
    const u = snap.udp;
    const stopped = r.stopped ? ' (stopped at the per-step packet limit: advance again)' : '';
    const tcp = t.app.messages_sent ? `TCP ${formatCount(t.app.messages_delivered)} of ${formatCount(t.app.messages_sent)} messages in order (${t.phase.replace(/_/g, ' ')}; ${t.timeouts} timeouts, ${t.fast_recoveries} fast recoveries)` : 'TCP idle';
    const udp = u.datagrams_sent ? `UDP ${formatCount(u.app.messages_delivered)} of ${formatCount(u.datagrams_sent)} (${u.app.duplicates} twice, ${u.app.out_of_order} after a later one)` : 'UDP idle';
    return `t = ${seconds(r.now_us)}: ${tcp}; ${udp}${r.done ? '; all done' : ''}${stopped}.`;
  }

  buildBody(body) {
    const v = this.#v;
    const button = (text, step, props = {}) => el('button', {
      type: 'button', text, ...props,
      onclick: (e) => this.act(typeof step === 'function' ? step() : step, e.currentTarget) });
    const number = (label, props = {}) => el('input', { type: 'number', step: 'any', 'aria-label': label, ...props });
    const labelled = (text, input, title) => el('label', { title }, text, input);
    v.link = new NumberFields(LINK_FIELDS, { min: 0, step: 'any' });
    v.impair = el('input', { type: 'checkbox', 'aria-label': 'ACKs suffer loss, reordering and duplication too' });
    v.messages = selectBox('Messages', MESSAGE_COUNTS.map((n) => [n, `${n} messages`]), (n) => `${n} messages`);
    v.size = selectBox('Bytes per message', SIZES.map((n) => [n, `of ${formatCount(n)} B`]), (n) => `of ${formatCount(n)} B`);
    v.interval = selectBox('Interval', INTERVALS.map((n) => [n, n ? `every ${n} ms` : 'all at once']), (n) => `every ${n} ms`);
    v.protocol = selectBox('Protocol', [['both', 'over TCP and UDP'], ['tcp', 'over TCP only'], ['udp', 'over UDP only']]);
    setSelect(v.messages, 100);
    setSelect(v.size, 1000);
    setSelect(v.interval, 10);
    v.advance = selectBox('How long', ADVANCES.map((n) => [n, `${formatCount(n)} ms`]));
    setSelect(v.advance, 100);
    v.segment = number('Segment number', { min: 0, step: 1, value: 5 });
    v.tcp = new NumberFields(TCP_FIELDS, { min: 0 });
    v.variant = selectBox('Fast recovery', [['newreno', 'NewReno (RFC 6582)'], ['reno', 'Reno']]);
    v.sweepSeconds = selectBox('Seconds per point', SWEEP_SECONDS.map((n) => [n, `${n} s per point`]));
    setSelect(v.sweepSeconds, 300);
    body.append(el('div', { class: 'controls' },
      el('div', {}, el('h3', { text: 'The link (packets sent from now on)' }),
        this.controlGroup(el('div', { class: 'link-grid' },
          ...v.link.labels(),
          el('label', { class: 'check' }, v.impair, 'ACKs too')),
        el('button', { type: 'button', text: 'Apply to the link', class: 'primary', onclick: (e) => this.#applyLink(e.currentTarget) }))),
      el('div', {}, el('h3', { text: 'The application' }),
        this.controlGroup(v.messages, v.size, v.interval, v.protocol,
          button('Send', () => ({ op: 'send', messages: Number(v.messages.value), size: Number(v.size.value),
            interval_ms: Number(v.interval.value), protocol: v.protocol.value }), { class: 'primary' })),
        el('h3', { text: 'Time' }),
        this.controlGroup(button('Advance', () => ({ op: 'advance', ms: Number(v.advance.value) })), v.advance,
          button('Run to the end', { op: 'run' }, { title: 'Until every packet has arrived or been lost and TCP has nothing left to send' })),
        this.controlGroup(button('Drop TCP segment', () => ({ op: 'drop', segment: numberValue(v.segment) }),
          { title: 'Lose the first transmission of this data segment (segment k starts at byte k × MSS)' }), v.segment)),
      el('div', {}, el('h3', { text: 'TCP (a change replays the actions)' }),
        this.controlGroup(...TCP_FIELDS.map(([field, label]) => labelled(`${label} `, v.tcp.inputs[field])), v.variant,
          el('button', { type: 'button', text: 'Apply TCP settings', onclick: (e) => this.#applyTcp(e.currentTarget) })),
        el('h3', { text: 'Throughput vs loss (Mathis et al. 1997)' }),
        this.controlGroup(el('button', { type: 'button', text: 'Measure p = 0.1%…5%', onclick: (e) => this.#sweep(e.currentTarget),
          title: 'Six long bulk transfers over this link\'s latency, one per loss rate, each beside the formula' }), v.sweepSeconds))));
    v.tcpStats = el('dl');
    v.udpStats = el('dl');
    body.append(el('div', { class: 'stats' },
      el('div', { class: 'stat' }, el('h4', { text: 'TCP' }), v.tcpStats),
      el('div', { class: 'stat' }, el('h4', { text: 'UDP' }), v.udpStats)));
    const host = () => el('div');
    v.hosts = { delivered: host(), latency: host(), cwnd: host(), mathis: host() };
    v.received = el('div', { class: 'panel' }, el('h3', { text: 'What each application received' }));
    v.cwndNote = el('p', { class: 'note' });
    v.mathisNote = el('p', { class: 'note' });
    v.mathisTable = el('div');
    body.append(v.received,
      el('div', { class: 'charts' }, v.hosts.delivered, v.hosts.latency,
        el('div', {}, v.hosts.cwnd, v.cwndNote), el('div', {}, v.hosts.mathis, v.mathisNote, v.mathisTable)));
    v.receivedView = new ReceivedView(v.received);
    const time = { xLabel: 'time (s)', xRange: (min, max) => [0, max > 0 ? max : 1], xIncrs: TIME_INCRS, points: false };
    v.delivered = new LineChart(v.hosts.delivered, { ...time, title: 'Bytes each application received', yLabel: 'kB',
      yFormat: (x) => formatCount(Math.round(x / 1000)),
      series: [{ label: 'TCP (in order)', colour: COLOURS.tcp }, { label: 'UDP (as arrived)', colour: COLOURS.udp, dash: [6, 3] }] });
    v.latency = new LineChart(v.hosts.latency, { title: 'Latency of each message (sent → received)', xLabel: 'message', yLabel: 'ms',
      series: [{ label: 'TCP', colour: COLOURS.tcp, width: 1 }, { label: 'UDP', colour: COLOURS.udp, width: 1 }] });
    v.cwnd = new LineChart(v.hosts.cwnd, { ...time, title: 'TCP\'s congestion window', yLabel: 'segments',
      series: [{ label: 'slow start', colour: COLOURS.slow }, { label: 'congestion avoidance', colour: COLOURS.avoid },
        { label: 'fast recovery', colour: COLOURS.recovery }, { label: 'ssthresh', colour: COLOURS.ssthresh, dash: [5, 4], width: 1.5 },
        { label: 'timeout', colour: COLOURS.timeout, line: false }, { label: 'fast retransmit', colour: COLOURS.fast, line: false }] });
    v.mathis = new LineChart(v.hosts.mathis, { title: 'Throughput vs loss: measured beside (MSS/RTT)·1.22/√p', xLabel: 'loss p (%)',
      yLabel: 'kB/s', logX: true, points: false, yFormat: (x) => formatCount(Math.round(x)),
      series: [{ label: 'Mathis et al. 1997', colour: COLOURS.formula, dash: [6, 4] }, { label: 'measured (this TCP)', colour: COLOURS.measured, line: false }] });
  }

  // Every link field is sent as typed ("" as null), so the sim names the
  // field it refuses and what it allows.
  #applyLink(source) {
    this.act({ op: 'link', ...this.#v.link.values(), impair_acks: this.#v.impair.checked }, source);
  }

  #applyTcp(source) {
    this.setConfig({ variant: this.#v.variant.value, ...this.#v.tcp.values() }, source);
  }

  // One `mathis` step per loss rate: each is in the log, so a link or an undo replays it.
  #sweep(source) {
    const seconds = Number(this.#v.sweepSeconds.value);
    for (const loss of SWEEP) {
      if (!this.act({ op: 'mathis', loss, seconds }, source)) return;
    }
  }

  render(snap) {
    const v = this.#v;
    v.link.show(snap.link);
    v.impair.checked = snap.link.impair_acks;
    const config = { mss: 1460, initial_cwnd: 0, min_rto_ms: 1000, variant: 'newreno', ...this.config };
    v.tcp.show(config);
    setSelect(v.variant, config.variant);
    this.#drawStats(snap);
    const column = (name) => Array.from(this.session.column(name));
    const tcpUs = column('msg_tcp_us');
    v.receivedView.update(snap, { tcpUs, fates: column('msg_udp_fate'), copies: column('msg_udp_copies') });
    const bucketMs = this.config.bucket_ms ?? 100;
    v.delivered.update(deliveredSeries({ tMs: column('t_ms'), tcpBytes: column('tcp_bytes'), udpBytes: column('udp_bytes'),
      bucketMs, nowMs: snap.now_us / 1000, tcpTotal: snap.tcp.delivered_bytes, udpTotal: snap.udp.delivered_bytes }));
    v.latency.update(latencySeries(tcpUs, column('msg_udp_us')));
    const traceT = column('trace_t_ms');
    v.cwnd.update(cwndSeries({ traceT, traceCwnd: column('trace_cwnd'), tracePhase: column('trace_phase'), events: snap.tcp_events, mss: snap.mss }));
    v.cwndNote.textContent = `TCP is in ${snap.tcp.phase.replace(/_/g, ' ')}. The colour of the line is its phase; markers sit at the window a retransmission left.${traceT.length >= 5000 ? ' The sim keeps the first 5,000 changes of the window.' : ''}`;
    this.#drawMathis(snap);
  }

  #drawStats(snap) {
    const v = this.#v;
    const row = (dl, name, value) => dl.append(el('dt', { text: name }), el('dd', { text: value }));
    const t = snap.tcp;
    const m = snap.messages;
    v.tcpStats.replaceChildren();
    row(v.tcpStats, 'phase', `${t.phase.replace(/_/g, ' ')} (${t.variant})`);
    row(v.tcpStats, 'delivered', `${kB(t.delivered_bytes)} of ${kB(t.written_bytes)}`);
    row(v.tcpStats, 'window', `cwnd ${formatCount(t.cwnd)} B, ssthresh ${t.ssthresh === null ? '∞' : `${formatCount(t.ssthresh)} B`}`);
    row(v.tcpStats, 'retransmissions', `${formatCount(t.retransmits_fast)} fast, ${formatCount(t.retransmits_timeout)} after ${plural(t.timeouts, 'timeout')}`);
    row(v.tcpStats, 'RTO', `${ms(t.rto_us)} (SRTT ${ms(t.srtt_us)})`);
    row(v.tcpStats, 'latency p50 / p99 / max', `${ms(m.tcp_latency_p50_us)} / ${ms(m.tcp_latency_p99_us)} / ${ms(m.tcp_latency_max_us)}`);
    const u = snap.udp;
    v.udpStats.replaceChildren();
    row(v.udpStats, 'handshake', 'none: the first datagram leaves at once');
    row(v.udpStats, 'delivered', `${kB(u.delivered_bytes)}; ${formatCount(u.app.messages_delivered)} of ${formatCount(u.datagrams_sent)} datagrams`);
    row(v.udpStats, 'lost / twice / late', `${formatCount(u.lost_by_link)} / ${formatCount(u.app.duplicates)} / ${formatCount(u.app.out_of_order)}`);
    row(v.udpStats, 'latency p50 / p99 / max', `${ms(m.udp_latency_p50_us)} / ${ms(m.udp_latency_p99_us)} / ${ms(m.udp_latency_max_us)}`);
    row(v.udpStats, 'link now', linkText(snap.link));
  }

  #drawMathis(snap) {
    const v = this.#v;
    const { data, points, hidden } = mathisSeries(snap.mathis_curve, snap.mathis);
    v.mathis.update(data);
    const curve = snap.mathis_curve;
    v.mathisNote.textContent = !curve ? 'The formula needs a round-trip time: give the link a latency.'
      : `RTT ${curve.rtt_ms} ms, MSS ${formatCount(curve.mss)} B; random loss of data segments, ACKs unharmed. `
        + `${points.length ? '' : 'Press “Measure” to add the measured points. '}${hidden ? `${plural(hidden, 'point')} measured at another latency not shown.` : ''}`;
    if (points.length === 0) {
      v.mathisTable.replaceChildren();
      return;
    }
    const cells = (tag, values) => el('tr', {}, ...values.map((text) => el(tag, { text })));
    v.mathisTable.replaceChildren(el('table', { class: 'mathis' },
      el('thead', {}, cells('th', ['p', 'formula', 'measured', 'ratio', 'timeouts'])),
      el('tbody', {}, ...points.map((p) => cells('td', [percent(p.loss), `${kB(p.predicted_bytes_per_s)}/s`,
        `${kB(p.measured_bytes_per_s)}/s`, p.ratio.toFixed(2), formatCount(p.timeouts)])))));
  }
}

// <sdp-tcp-connection>: one TCP connection (the `tcp` sim) drawn as a
// sequence diagram. The client's and the server's lifelines carry their RFC
// 9293 state as coloured, labelled bands; each segment is an arrow from the
// sender's lifeline to the receiver's, slanting with the latency, labelled
// with its flags, seq, ack and length. A lost segment ends in a cross half way;
// a retransmission is marked. Long quiet stretches (an RTO, TIME-WAIT) are
// drawn shortened, with the time they stand for written on them, and only the
// last MAX_SEGMENTS segments are drawn (the note under the diagram says so).
// Attributes: latency-ms, msl-ms, seed, sync-url, state-key.

import { el, formatCount, numberValue, readableWidth, scrollRegion, scrollToEnd, svg } from './dom.mjs';
import { sheetFrom } from './theme.mjs';
import { SdpWidget } from './sdp-widget.mjs';

const MAX_SEGMENTS = 40;
const ROW = 22; // px between two things that happen at the same instant
const LATENCY_PX = 66; // one latency, drawn
const MAX_GAP = 110; // a longer quiet stretch is cut to this, and labelled
const WIDTH = 760;
const CLIENT_X = 170;
const SERVER_X = WIDTH - 170;
const TOP = 34;
const BAND = 12; // width of a state band on a lifeline
const LABEL_CHAR_PX = 6.6; // about one character of the 12 px labels
const ADVANCES = [10, 50, 100, 500, 1000, 5000, 60000];

// One colour per state, grouped by phase; the band's label says the state,
// so colour is never the only cue.
const STATE_COLOURS = {
  CLOSED: '#8a8f98',
  LISTEN: '#3fa7d6',
  'SYN-SENT': '#edc948',
  'SYN-RECEIVED': '#f28e2b',
  ESTABLISHED: '#59a14f',
  'FIN-WAIT-1': '#e15759',
  'FIN-WAIT-2': '#ff9da7',
  'CLOSE-WAIT': '#b07aa1',
  CLOSING: '#d37295',
  'LAST-ACK': '#9c755f',
  'TIME-WAIT': '#4e79a7',
};
const SIDES = ['client', 'server'];

const styles = sheetFrom(`
.controls { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(300px, 100%), 1fr)); gap: 4px 20px; }
.controls h3 { font-size: 0.9rem; margin: 6px 0 2px; color: var(--sdp-muted); font-weight: 600; }
.controls input[type=number] { width: 6.5em; }
.controls label { font-size: 0.88rem; }
.status { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 16px; margin: 10px 0 6px; }
.end { border: 1px solid var(--sdp-line); border-radius: var(--sdp-radius); padding: 6px 10px; font-size: 0.88rem; }
.end h4 { margin: 0 0 2px; font-size: 0.9rem; }
.end .state { font-weight: 700; }
.end .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
.end dl { display: grid; grid-template-columns: auto 1fr; gap: 1px 10px; margin: 2px 0 0; }
.end dt { color: var(--sdp-muted); }
.end dd { margin: 0; font-variant-numeric: tabular-nums; }
.diagram-box { max-height: 620px; overflow: auto; border: 1px solid var(--sdp-line); border-radius: 4px; background: var(--sdp-panel); }
.diagram { display: block; width: 100%; max-width: 920px; margin: 0 auto; height: auto; font-family: inherit; }
.diagram text { fill: var(--sdp-fg); font-size: 12px; }
.diagram .muted { fill: var(--sdp-muted); }
.diagram .lifeline { stroke: var(--sdp-line); stroke-width: 2; }
.diagram .seg { stroke: var(--sdp-fg); stroke-width: 1.6; fill: none; }
.diagram .seg.lost { stroke: var(--sdp-error); stroke-dasharray: 5 3; }
.diagram .seg.retx { stroke: var(--sdp-warn); stroke-width: 2.2; }
.diagram .seg.flying { stroke-dasharray: 2 3; }
.diagram .head { fill: var(--sdp-fg); }
.diagram .head.retx { fill: var(--sdp-warn); }
.diagram .cross { stroke: var(--sdp-error); stroke-width: 2.6; }
.diagram text.lost { fill: var(--sdp-error); }
.diagram .break { stroke: var(--sdp-muted); stroke-dasharray: 2 4; }
.diagram .now { stroke: var(--sdp-accent); stroke-width: 1.5; }
.diagram text.now-label { fill: var(--sdp-accent); font-weight: 600; }
.diagram .label-bg { fill: var(--sdp-panel); opacity: 0.85; }
.diagram text.state-label { font-weight: 600; font-size: 11.5px; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 12px; font-size: 0.8rem; color: var(--sdp-muted); margin: 4px 0 0; }
.legend .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
.note { color: var(--sdp-muted); font-size: 0.82rem; margin: 4px 0 0; }
@container (max-width: 640px) { .status { grid-template-columns: 1fr; } }
`);

const ms = (us) => `${formatCount(Math.round(us / 1000))} ms`;
const seconds = (us) => (us >= 10000000 ? `${formatCount(Math.round(us / 1e6))} s` : us >= 1000000 ? `${(us / 1e6).toFixed(1)} s` : ms(us));
const other = (side) => (side === 'client' ? 'server' : 'client');
const capital = (text) => text[0].toUpperCase() + text.slice(1);

// "SYN,ACK seq=0 ack=1", "ACK seq=1 ack=1 len=1,460"
function segmentText(s, relative) {
  const seq = relative ? s.rel_seq : s.seq;
  const ack = relative ? s.rel_ack : s.ack;
  let text = `${s.flags} seq=${seq}`;
  if (s.ack !== undefined) text += ` ack=${ack}`;
  if (s.len > 0) text += ` len=${formatCount(s.len)}`;
  return text;
}

// The earlier sending of a retransmitted segment: same side, flags, seq.
function original(segments, s) {
  let found = null;
  for (const t of segments) {
    if (t.id >= s.id) break;
    if (t.from === s.from && t.seq === s.seq && t.flags.replace(',ACK', '') === s.flags.replace(',ACK', '')) found ??= t;
  }
  return found;
}

export class TcpConnectionElement extends SdpWidget {
  static sim = 'tcp';
  static title = 'TCP connection';
  static subtitle = 'A client and a server: the three-way handshake, data, the four-segment close, lost segments sent again after the RTO, TIME-WAIT for 2·MSL — with both sides’ RFC 9293 states.';
  static styles = [styles];
  static attributes = { 'latency-ms': { config: 'latency_ms' }, 'msl-ms': { config: 'msl_ms' } };

  #v = {};
  #relative = true;

  baseConfig() {
    return { latency_ms: 50, rto_ms: 1000, msl_ms: 30000, mss: 1460 };
  }

  describe(step, r) {
    const snap = this.session.snapshot();
    const parts = [this.#opText(step, r, snap)];
    for (const s of r.segments) {
      if (s.retransmission) parts.push(this.#retransmissionText(s, snap));
    }
    for (const t of r.transitions) {
      parts.push(`${capital(t.side)}: ${t.from} → ${t.to} (${t.cause}).`);
    }
    const lost = r.segments.filter((s) => s.dropped && !s.retransmission);
    for (const s of lost) parts.push(`The ${s.from}'s ${s.flags} (seq ${this.#relative ? s.rel_seq : s.seq}) is lost on the way.`);
    return parts.filter(Boolean).join(' ');
  }

  #opText(step, r, snap) {
    const side = step.side ?? (step.op === 'listen' ? 'server' : 'client');
    const who = side === 'both' ? 'Client and server' : `The ${side}`;
    switch (step.op) {
      case 'connect': return `${who} ${side === 'both' ? 'open' : 'opens'} actively: SYN sent.`;
      case 'listen': return `${who} listens (passive open).`;
      case 'send': {
        const n = r.segments.length;
        return `${who} hands ${formatCount(step.bytes)} bytes to TCP${n ? `: ${n} segment${n === 1 ? '' : 's'} of at most ${formatCount(this.config.mss ?? this.baseConfig().mss)} bytes sent now` : ': they wait (not yet established, or the window is full)'}.`;
      }
      case 'close': return `${who} ${side === 'both' ? 'close' : 'closes'}${side === 'both' ? ' at the same instant (simultaneous close)' : ''}.`;
      case 'abort': return `${who} aborts: ${r.segments.some((s) => s.flags.includes('RST')) ? 'a RST is sent and ' : ''}the connection is forgotten.`;
      case 'drop_next': return `The next ${step.count > 1 ? `${step.count} segments` : 'segment'} from the ${side} will be lost.`;
      case 'advance': {
        const timeWait = SIDES.filter((s) => snap[s].time_wait_ends_us !== undefined)
          .map((s) => `the ${s}'s TIME-WAIT ends in ${seconds(snap[s].time_wait_ends_us - snap.now_us)}`);
        const tail = timeWait.length ? `; ${timeWait.join(', ')}` : '';
        return `${formatCount(step.ms)} ms later (t = ${seconds(snap.now_us)}): ${r.segments.length} segment${r.segments.length === 1 ? '' : 's'} sent${tail}.`;
      }
      default: return '';
    }
  }

  // "The client's SYN was lost; after the RTO of 1,000 ms it is sent again."
  #retransmissionText(s, snap) {
    const first = original(snap.segments, s);
    const what = `The ${s.from}'s ${s.flags.replace(',ACK', '')}`;
    if (!first) return `${what} is sent again (retransmission).`;
    const fate = first.dropped ? 'was lost' : 'was not acknowledged in time';
    const previous = [...snap.segments].reverse().find((t) => t.id < s.id && t.from === s.from && t.seq === s.seq && t.flags === s.flags) ?? first;
    return `${what} ${fate}; after the RTO of ${ms(s.sent_us - previous.sent_us)} it is sent again${s.dropped ? ', and lost again' : ''}.`;
  }

  buildBody(body) {
    const v = this.#v;
    const button = (text, step, props = {}) => el('button', {
      type: 'button', text, ...props,
      onclick: (e) => this.act(typeof step === 'function' ? step() : step, e.currentTarget) });
    v.bytes = el('input', { type: 'number', min: 1, max: 1000000, step: 1, value: 3000, 'aria-label': 'Bytes to send' });
    v.sender = el('select', { 'aria-label': 'Who sends' }, el('option', { value: 'client', text: 'from the client' }), el('option', { value: 'server', text: 'from the server' }));
    v.dropSide = el('select', { 'aria-label': 'Whose next segment' }, el('option', { value: 'client', text: 'client’s' }), el('option', { value: 'server', text: 'server’s' }));
    v.advance = el('select', { 'aria-label': 'How long' }, ...ADVANCES.map((n) => el('option', { value: n, text: `${formatCount(n)} ms`, selected: n === 100 })));
    v.nextEvent = el('button', { type: 'button', text: 'Next event', title: 'Advance to the next arrival or timer (RTO, TIME-WAIT)',
      onclick: (e) => this.#advanceToNextEvent(e.currentTarget) });
    v.relative = el('input', { type: 'checkbox', checked: true,
      onchange: () => { this.#relative = v.relative.checked; this.refresh(); } });
    const number = (label, min, max) => el('input', { type: 'number', min, max, step: 1, 'aria-label': label });
    v.config = { latency_ms: number('Latency (ms)', 0, 10000), rto_ms: number('RTO (ms)', 1, 60000),
      msl_ms: number('MSL (ms)', 1, 600000), mss: number('MSS (bytes)', 1, 65495) };
    const labelled = (text, input) => el('label', {}, `${text} `, input);
    body.append(el('div', { class: 'controls' },
      el('div', {}, el('h3', { text: 'Open and send' }),
        this.controlGroup(button('Connect', { op: 'connect' }, { class: 'primary', title: 'The client sends a SYN (active open)' }),
          button('Listen', { op: 'listen', side: 'server' }, { title: 'The server waits for a SYN (passive open)' })),
        this.controlGroup(button('Send data', () => ({ op: 'send', bytes: Number(v.bytes.value), side: v.sender.value })), v.bytes, v.sender)),
      el('div', {}, el('h3', { text: 'Close' }),
        this.controlGroup(button('Close client', { op: 'close', side: 'client' }), button('Close server', { op: 'close', side: 'server' }),
          button('Close both at once', { op: 'close', side: 'both' }, { title: 'Both send a FIN at the same instant: simultaneous close, through CLOSING' })),
        this.controlGroup(button('Abort client', { op: 'abort', side: 'client' }, { title: 'Send a RST and forget the connection' }),
          button('Abort server', { op: 'abort', side: 'server' }, { title: 'Send a RST (or, in LISTEN, just close the port)' }))),
      el('div', {}, el('h3', { text: 'Network and time' }),
        this.controlGroup(button('Drop next segment', () => ({ op: 'drop_next', side: v.dropSide.value })), v.dropSide),
        this.controlGroup(button('Advance time', () => ({ op: 'advance', ms: Number(v.advance.value) })), v.advance, v.nextEvent),
        this.controlGroup(el('label', {}, v.relative, ' relative seq numbers (off: the ISNs drawn from the seed)'))),
      el('div', {}, el('h3', { text: 'Link and timers (replays the actions)' }),
        this.controlGroup(labelled('Latency (ms)', v.config.latency_ms), labelled('RTO (ms)', v.config.rto_ms)),
        this.controlGroup(labelled('MSL (ms)', v.config.msl_ms), labelled('MSS (bytes)', v.config.mss),
          el('button', { type: 'button', text: 'Apply', onclick: (e) => this.#applyConfig(e.currentTarget) })))));
    v.ends = Object.fromEntries(SIDES.map((side) => [side, el('div', { class: 'end' })]));
    v.diagram = svg('svg', { class: 'diagram', role: 'img', 'aria-label': 'Sequence diagram of the segments between client and server, with both sides’ states' });
    readableWidth(v.diagram, WIDTH);
    v.box = scrollRegion('div', 'Sequence diagram (scrolls)', { class: 'diagram-box' }, v.diagram);
    v.note = el('p', { class: 'note' });
    body.append(el('div', { class: 'status' }, v.ends.client, v.ends.server), v.box, v.note,
      el('div', { class: 'legend' }, ...Object.entries(STATE_COLOURS).map(([name, colour]) =>
        el('span', {}, el('span', { class: 'swatch', style: { background: colour } }), name))));
  }

  // Each config box is read as a number; "" (a cleared box) is sent as
  // null so that the sim names the field and what it allows.
  #applyConfig(source) {
    const patch = {};
    for (const [field, input] of Object.entries(this.#v.config)) {
      patch[field] = numberValue(input);
    }
    this.setConfig(patch, source);
  }

  // The next thing that will happen: an arrival or a timer.
  #advanceToNextEvent(source) {
    const snap = this.session.snapshot();
    const times = snap.segments.filter((s) => !s.dropped && s.arrives_us > snap.now_us).map((s) => s.arrives_us);
    for (const side of SIDES) {
      for (const key of ['retransmit_at_us', 'time_wait_ends_us']) if (snap[side][key] !== undefined) times.push(snap[side][key]);
    }
    if (times.length === 0) {
      this.act({ op: 'advance', ms: Number(this.#v.advance.value) }, source);
      return;
    }
    this.act({ op: 'advance', ms: Math.max(1, Math.ceil((Math.min(...times) - snap.now_us) / 1000)) }, source);
  }

  render(snap) {
    const v = this.#v;
    const config = { ...this.baseConfig(), ...this.config };
    for (const [field, input] of Object.entries(v.config)) {
      if (this.shadowRoot.activeElement !== input) input.value = String(config[field]);
    }
    for (const side of SIDES) this.#drawEnd(side, snap.now_us, snap[side], config);
    this.#drawDiagram(snap, config);
  }

  #drawEnd(side, now, end, config) {
    const rows = [];
    const row = (name, value) => rows.push(el('dt', { text: name }), el('dd', { text: value }));
    const relative = (n) => (this.#relative ? n - end.iss : n);
    row('ISN', this.#relative ? `${end.iss} (shown as 0)` : String(end.iss));
    if (end.state !== 'CLOSED' && end.state !== 'LISTEN') {
      row('SND.UNA / SND.NXT', `${relative(end.snd_una) >>> 0} / ${relative(end.snd_nxt) >>> 0}`);
    }
    if (end.rcv_nxt !== undefined) row('RCV.NXT', String(this.#relative ? (end.rcv_nxt - end.irs) >>> 0 : end.rcv_nxt));
    row('bytes delivered to the app', formatCount(end.bytes_delivered));
    if (end.queued_bytes) row('bytes waiting to be sent', formatCount(end.queued_bytes));
    if (end.retransmissions) row('retransmissions', formatCount(end.retransmissions));
    if (end.retransmit_at_us !== undefined) row('RTO fires in', ms(end.retransmit_at_us - now));
    if (end.time_wait_ends_us !== undefined) {
      row('TIME-WAIT ends in', `${seconds(end.time_wait_ends_us - now)} (2·MSL = ${seconds(2 * config.msl_ms * 1000)})`);
    }
    if (end.drop_next) row('next segments lost', String(end.drop_next));
    if (end.error) row('reported to the app', end.error);
    this.#v.ends[side].replaceChildren(
      el('h4', {}, el('span', { class: 'swatch', style: { background: STATE_COLOURS[end.state] } }),
        `${capital(side)}: `, el('span', { class: 'state', text: end.state })),
      el('dl', {}, ...rows));
  }

  // ---- the sequence diagram -------------------------------------------------

  #drawDiagram(snap, config) {
    const v = this.#v;
    const all = snap.segments;
    const segments = all.slice(-MAX_SEGMENTS);
    const since = segments.length ? segments[0].sent_us : -Infinity;
    const transitions = snap.transitions.filter((t) => t.t_us >= since)
      .map((t) => ({ ...t, order: this.#transitionOrder(t, segments) }));
    const layout = this.#layout(segments, transitions, snap.now_us, config);
    const nodes = [];
    const bottom = layout.height - 16;
    // Lifelines, their state bands and labels.
    for (const side of SIDES) {
      const x = side === 'client' ? CLIENT_X : SERVER_X;
      nodes.push(svg('text', { x, y: 16, 'text-anchor': 'middle', 'font-weight': 700, text: capital(side) }));
      nodes.push(svg('line', { class: 'lifeline', x1: x, y1: TOP - 8, x2: x, y2: bottom }));
      const bands = this.#bands(side, transitions, snap[side].state, layout);
      bands.forEach((b, i) => {
        const y2 = i + 1 < bands.length ? bands[i + 1].y : bottom;
        nodes.push(svg('rect', { x: x - BAND / 2, y: b.y, width: BAND, height: Math.max(1, y2 - b.y), fill: STATE_COLOURS[b.state] },
          svg('title', { text: `${side}: ${b.state}` })));
        const outward = side === 'client' ? -1 : 1;
        nodes.push(svg('text', { class: 'state-label', x: x + outward * (BAND / 2 + 6), y: b.y + 12,
          'text-anchor': side === 'client' ? 'end' : 'start', text: b.state }));
      });
    }
    // Quiet stretches drawn shorter than they were.
    for (const cut of layout.cuts) {
      nodes.push(svg('line', { class: 'break', x1: 24, y1: cut.y, x2: WIDTH - 24, y2: cut.y }));
      nodes.push(svg('text', { class: 'muted', x: WIDTH / 2, y: cut.y - 4, 'text-anchor': 'middle', text: `… ${seconds(cut.us)} later …` }));
    }
    for (const s of segments) nodes.push(...this.#arrow(s, layout, snap.now_us));
    // Now.
    const nowY = layout.y(snap.now_us, Infinity);
    nodes.push(svg('line', { class: 'now', x1: 24, y1: nowY, x2: WIDTH - 24, y2: nowY }));
    // Below the line, in the middle: nothing is drawn there (arrows stop at now).
    nodes.push(svg('text', { class: 'now-label', x: WIDTH / 2, y: nowY + 16, 'text-anchor': 'middle', text: `now: t = ${seconds(snap.now_us)}` }));
    v.diagram.setAttribute('viewBox', `0 0 ${WIDTH} ${layout.height}`);
    v.diagram.replaceChildren(...nodes);
    scrollToEnd(v.box);
    const shown = segments.length < snap.segments_total
      ? `Showing the last ${segments.length} of ${formatCount(snap.segments_total)} segments: the diagram keeps the newest ${MAX_SEGMENTS}.`
      : `${formatCount(segments.length)} segment${segments.length === 1 ? '' : 's'} so far (the diagram keeps the newest ${MAX_SEGMENTS}).`;
    const numbers = this.#relative ? 'Sequence numbers relative to each side’s ISN.' : 'Absolute sequence numbers (ISNs drawn from the seed).';
    v.note.textContent = `Time runs down; one latency (${formatCount(config.latency_ms)} ms) is drawn ${LATENCY_PX} px long, longer quiet stretches are cut short and labelled. ${shown} ${numbers}`;
  }

  // Maps (time, order) to y. Things that happen at one instant get a row
  // each, in the order they happened; time between instants is drawn in
  // proportion to the latency, up to MAX_GAP (then the stretch is "cut").
  #layout(segments, transitions, now, config) {
    const keys = [];
    for (const s of segments) {
      keys.push({ t: s.sent_us, order: 2 * s.id });
      if (!s.dropped && s.arrives_us <= now) keys.push({ t: s.arrives_us, order: 2 * s.id + 1 });
    }
    for (const t of transitions) keys.push({ t: t.t_us, order: t.order });
    keys.push({ t: now, order: Infinity });
    keys.sort((a, b) => a.t - b.t || a.order - b.order);
    const pxPerUs = LATENCY_PX / Math.max(1000, config.latency_ms * 1000);
    const points = [];
    const cuts = [];
    let y = TOP + ROW; // the first row leaves room for the starting states' labels
    let previous = null;
    for (const k of keys) {
      if (previous) {
        if (k.t === previous.t) {
          if (k.order !== previous.order) y += ROW;
        } else {
          const gap = (k.t - previous.t) * pxPerUs;
          if (gap > MAX_GAP) cuts.push({ y: y + MAX_GAP / 2, us: k.t - previous.t });
          y += Math.min(MAX_GAP, Math.max(ROW, gap));
        }
      }
      points.push({ t: k.t, order: k.order, y });
      previous = k;
    }
    // y of an instant: the row of the first key at (t, >= order), or
    // interpolated between the keys around t (a segment in flight).
    const yAt = (t, order = -Infinity) => {
      const exact = points.find((p) => p.t === t && p.order >= order) ?? points.findLast((p) => p.t === t);
      if (exact) return exact.y;
      const after = points.findIndex((p) => p.t > t);
      if (after <= 0) return after === 0 ? points[0].y : points.at(-1).y;
      const a = points[after - 1];
      const b = points[after];
      return a.y + ((b.y - a.y) * (t - a.t)) / (b.t - a.t);
    };
    return { y: yAt, cuts, height: y + 40 };
  }

  // A transition caused by an arriving segment goes on that arrival's row;
  // one the user caused goes on the row of what it sent (connect: the SYN,
  // close: the FIN, abort: the RST); one that sent nothing (listen, a timer
  // such as TIME-WAIT ending) on its own row before the next segment.
  #transitionOrder(t, segments) {
    if (t.on_arrival_of !== undefined) return 2 * t.on_arrival_of + 1;
    const last = segments.find((s) => s.id === t.after_segment - 1);
    if (last && last.from === t.side && last.sent_us === t.t_us) return 2 * last.id;
    return 2 * t.after_segment - 0.5;
  }

  // The state bands of one side: where each state began, in the view.
  #bands(side, transitions, current, layout) {
    const mine = transitions.filter((t) => t.side === side);
    const bands = [{ y: TOP - 8, state: mine.length ? mine[0].from : current }];
    for (const t of mine) {
      const y = layout.y(t.t_us, t.order);
      if (bands.at(-1).y === y) bands.at(-1).state = t.to;
      else bands.push({ y, state: t.to });
    }
    return bands;
  }

  #arrow(s, layout, now) {
    const fromX = s.from === 'client' ? CLIENT_X + BAND / 2 : SERVER_X - BAND / 2;
    const toX = s.from === 'client' ? SERVER_X - BAND / 2 : CLIENT_X + BAND / 2;
    const y1 = layout.y(s.sent_us, 2 * s.id);
    const arrived = !s.dropped && s.arrives_us <= now;
    let x2 = toX;
    let y2 = arrived ? layout.y(s.arrives_us, 2 * s.id + 1) : layout.y(now, Infinity);
    if (s.dropped) {
      // The cross sits half way across, as if lost in mid-flight.
      x2 = (fromX + toX) / 2;
      y2 = y1 + LATENCY_PX / 2;
    } else if (!arrived) {
      // In flight: the arrow reaches as far as it has travelled by now.
      const share = Math.max(0, Math.min(1, (now - s.sent_us) / Math.max(1, s.arrives_us - s.sent_us)));
      x2 = fromX + (toX - fromX) * share;
    }
    const classes = ['seg', s.dropped ? 'lost' : '', s.retransmission ? 'retx' : '', !s.dropped && !arrived ? 'flying' : ''].filter(Boolean).join(' ');
    const out = [svg('line', { class: classes, x1: fromX, y1, x2, y2 }, svg('title', { text: this.#title(s) }))];
    if (s.dropped) {
      out.push(svg('path', { class: 'cross', d: `M${x2 - 6},${y2 - 6}L${x2 + 6},${y2 + 6}M${x2 - 6},${y2 + 6}L${x2 + 6},${y2 - 6}` }));
    } else if (arrived) {
      const angle = Math.atan2(y2 - y1, x2 - fromX);
      const a = (d) => `${x2 - 10 * Math.cos(angle + d)},${y2 - 10 * Math.sin(angle + d)}`;
      out.push(svg('path', { class: `head${s.retransmission ? ' retx' : ''}`, d: `M${x2},${y2}L${a(0.4)}L${a(-0.4)}Z` }));
    }
    // The label sits near the sender, on the arrow's side of the lifeline,
    // so two arrows crossing (simultaneous close) keep their labels apart.
    const text = `${segmentText(s, this.#relative)}${s.retransmission ? '  ↻ retransmission' : ''}${s.dropped ? '  ✕ lost' : ''}`;
    const lx = s.from === 'client' ? fromX + 8 : fromX - 8;
    // A backing under the label, so that an arrow sent just before (data in
    // a burst) does not run through its text; the width is an estimate.
    const width = text.length * LABEL_CHAR_PX + 6;
    out.push(svg('rect', { class: 'label-bg', x: s.from === 'client' ? lx - 3 : lx - width + 3, y: y1 - 16, width, height: 15, rx: 2 }));
    out.push(svg('text', { x: lx, y: y1 - 4, 'text-anchor': s.from === 'client' ? 'start' : 'end', class: s.dropped ? 'lost' : undefined, text }));
    return out;
  }

  #title(s) {
    const fate = s.dropped ? 'lost' : `arrives at ${ms(s.arrives_us)}`;
    return `${capital(s.from)} → ${other(s.from)} at ${ms(s.sent_us)}: ${segmentText(s, this.#relative)}; ${fate}${s.retransmission ? ' (retransmission)' : ''}`;
  }
}

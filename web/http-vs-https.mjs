// <sdp-http-vs-https>: one request at a time (the `https` sim) from a client
// to a server, with an eavesdropper or a man in the middle on the path. The
// sequence diagram shows every message (HTTP text, or TLS 1.3's handshake and
// records); three panes side by side show what the client sent, what the
// attacker saw (derived by the sim from the bytes on the wire alone) and what
// the server received; the verdict line says whether the request was read,
// altered, and whether anyone could tell.
// Attributes: scheme, attacker, latency-ms, server-name, seed, sync-url, state-key.

import { el, formatCount, numberBox, numberValue, selectBox, setSelect, svg } from './dom.mjs';
import { DIAGRAM_CSS, DIAGRAM_WIDTH, drawExchange } from './http-vs-https-diagram.mjs';
import { sheetFrom } from './theme.mjs';
import { SdpWidget } from './sdp-widget.mjs';

const TRANSFER = { method: 'POST', path: '/transfer', body: 'to=bob&amount=100' };
const MODES = [['none', 'nobody'], ['eavesdrop', 'eavesdropper (reads)'], ['tamper', 'tamperer (changes)'], ['impersonate', 'impersonator (answers)']];
const CERTIFICATES = [['own_ca', 'from its own CA'], ['other_name', 'real, for its own name'], ['copied', 'the server’s, copied (no key)']];

const styles = sheetFrom(`
.controls { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 4px 20px; }
.controls h3 { font-size: 0.9rem; margin: 6px 0 2px; color: var(--sdp-muted); font-weight: 600; }
.controls input[type=text] { width: 11em; }
.controls input.body { width: 19em; }
.controls input[type=number] { width: 5.5em; }
.scheme button[aria-pressed=true] { background: var(--sdp-accent); color: var(--sdp-accent-fg); border-color: var(--sdp-accent); }
.verdict { margin: 10px 0 6px; padding: 8px 12px; border-radius: var(--sdp-radius); border: 2px solid var(--sdp-line); font-weight: 600; }
.verdict.bad { border-color: var(--sdp-error); }
.verdict.good { border-color: var(--sdp-ok); }
.verdict .flags { display: flex; flex-wrap: wrap; gap: 4px 16px; margin-bottom: 2px; }
.verdict .flag.yes { color: var(--sdp-error); }
.verdict .flag.no { color: var(--sdp-ok); }
.verdict p { margin: 0; font-weight: 400; }
.diagram-box { border: 1px solid var(--sdp-line); border-radius: 4px; background: var(--sdp-panel); }
${DIAGRAM_CSS}
.panes { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 10px; margin-top: 10px; }
.pane { border: 1px solid var(--sdp-line); border-radius: var(--sdp-radius); padding: 6px 10px; min-width: 0; }
.pane.attacker { border-color: var(--sdp-error); }
.pane h4 { margin: 0 0 4px; font-size: 0.92rem; }
.pane h5 { margin: 6px 0 2px; font-size: 0.82rem; color: var(--sdp-muted); font-weight: 600; }
.pane pre { background: var(--sdp-bg); border: 1px solid var(--sdp-line); border-radius: 4px; padding: 4px 6px; margin: 0 0 4px; font-size: 0.78rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.pane .nothing { color: var(--sdp-muted); font-style: italic; margin: 0 0 4px; font-size: 0.85rem; }
.pane .badge { display: inline-block; font-size: 0.76rem; font-weight: 700; color: var(--sdp-error); margin-left: 6px; }
.pane table { border-collapse: collapse; font-size: 0.76rem; width: 100%; font-variant-numeric: tabular-nums; }
.pane th, .pane td { border-bottom: 1px solid var(--sdp-line); padding: 1px 4px 1px 0; text-align: left; }
.pane td.nowrap { white-space: nowrap; }
.pane th { color: var(--sdp-muted); font-weight: 600; }
.note { color: var(--sdp-muted); font-size: 0.82rem; margin: 4px 0 0; }
@container (max-width: 760px) { .panes { grid-template-columns: 1fr; } }
`);

// HTTP text as it reads: CRLF line ends shown as plain new lines.
const readable = (text) => text.replaceAll('\r\n', '\n');
const hex4 = (n) => `0x${n.toString(16).padStart(4, '0')}`;
const ms = (us) => `${formatCount(Math.round(us / 1000))} ms`;
const initial = (party) => party[0].toUpperCase();

export class HttpVsHttpsElement extends SdpWidget {
  static sim = 'https';
  static title = 'HTTP vs HTTPS: who can read, change or fake a request';
  static subtitle = 'A client, a server with a certificate, and someone on the path. Over HTTP they read and rewrite the text; over HTTPS (a TLS 1.3 handshake, then encrypted records) they see sizes and the server’s name, an altered record fails its check, and a forged certificate is refused.';
  static styles = [styles];
  static attributes = {
    'server-name': { config: 'server_name' },
    'latency-ms': { config: 'latency_ms' },
    scheme: { op: 'request', field: 'scheme', default: 'http' },
    attacker: { op: 'attacker', field: 'mode', default: 'eavesdrop' },
  };

  #v = {};
  #scheme = 'http'; // the toggle's choice, sent with the next request
  #shownAttacker = ''; // the attacker state the form last showed
  #shownExchange = 0; // the exchange whose scheme the toggle last took

  baseConfig() {
    return { server_name: 'bank.example', latency_ms: 20 };
  }

  initialSteps(values) {
    this.#scheme = values.scheme ?? 'http';
    return [{ op: 'attacker', mode: values.attacker ?? 'eavesdrop' }, { op: 'request', scheme: this.#scheme, ...TRANSFER }];
  }

  describe(step, r) {
    switch (step.op) {
      case 'request': return `${r.scheme.toUpperCase()} ${r.request.method} ${r.request.path}: ${r.verdict}`;
      case 'attacker': return `On the path from the next request: ${this.#attackerText(r)}.`;
      case 'advance': return `${formatCount(step.ms)} ms pass (t = ${ms(r.now_us)}).`;
      default: return '';
    }
  }

  #attackerText(a) {
    switch (a.mode) {
      case 'none': return 'nobody';
      case 'eavesdrop': return 'an eavesdropper, copying every byte';
      case 'tamper': return `a tamperer, replacing “${a.find}” with “${a.replace}” in the ${a.direction}`;
      default: return `an impersonator, answering as the server (over HTTPS with a certificate ${CERTIFICATES.find(([c]) => c === a.certificate)[1]})`;
    }
  }

  buildBody(body) {
    const v = this.#v;
    const text = (label, value, props = {}) => el('input', { type: 'text', value, 'aria-label': label, spellcheck: false, ...props });
    const labelled = (t, input) => el('label', {}, `${t} `, input);
    v.schemeButtons = ['http', 'https'].map((s) => el('button', { type: 'button', text: s.toUpperCase(), 'aria-pressed': 'false',
      onclick: () => { this.#scheme = s; this.#showScheme(); } }));
    v.method = selectBox('Method', [['GET', 'GET'], ['POST', 'POST'], ['PUT', 'PUT'], ['DELETE', 'DELETE']]);
    v.method.value = TRANSFER.method;
    v.path = text('Path', TRANSFER.path);
    v.body = text('Body', TRANSFER.body, { class: 'body' });
    v.padding = numberBox('Padding (bytes)', { min: 0, max: 1000, value: 0 });
    v.send = el('button', { type: 'button', class: 'primary', text: 'Send', onclick: (e) => this.act(this.#requestStep(), e.currentTarget) });
    v.mode = selectBox('Who is on the path', MODES);
    v.find = text('Find', 'to=bob');
    v.replace = text('Replace with', 'to=mallory');
    v.direction = selectBox('Which message', [['request', 'the request'], ['response', 'the response']]);
    v.certificate = selectBox('Certificate', CERTIFICATES);
    v.mode.addEventListener('change', () => this.#showAttackerFields());
    v.tamperFields = el('div', {}, this.controlGroup(labelled('Find', v.find), labelled('Replace with', v.replace)),
      this.controlGroup(labelled('In', v.direction)));
    v.certificateFields = this.controlGroup(labelled('Certificate', v.certificate));
    const put = el('button', { type: 'button', text: 'Put on the path', onclick: (e) => this.act(this.#attackerStep(), e.currentTarget) });
    body.append(el('div', { class: 'controls' },
      el('div', {}, el('h3', { text: 'Request (client → server)' }),
        this.controlGroup(el('span', { class: 'scheme', role: 'group', 'aria-label': 'Scheme' }, ...v.schemeButtons)),
        this.controlGroup(labelled('Method', v.method), labelled('Path', v.path)),
        this.controlGroup(labelled('Body', v.body)),
        this.controlGroup(labelled('Padding', v.padding), v.send)),
      el('div', {}, el('h3', { text: 'On the path' }),
        this.controlGroup(labelled('Who', v.mode), put), v.tamperFields, v.certificateFields,
        el('h3', { text: 'Time' }),
        this.controlGroup(el('button', { type: 'button', text: 'Wait 1 s', title: 'Idle time before the next request: the eavesdropper sees when each request passed',
          onclick: (e) => this.act({ op: 'advance', ms: 1000 }, e.currentTarget) })))));
    v.verdict = el('div', { class: 'verdict', 'aria-live': 'off' });
    v.diagram = svg('svg', { class: 'diagram', viewBox: `0 0 ${DIAGRAM_WIDTH} 200`, role: 'img',
      'aria-label': 'Sequence diagram of the last request: client, attacker and server, one arrow per message with its size' });
    v.panes = { client: el('div', { class: 'pane' }), attacker: el('div', { class: 'pane attacker' }), server: el('div', { class: 'pane' }) };
    v.note = el('p', { class: 'note' });
    body.append(v.verdict, el('div', { class: 'diagram-box' }, v.diagram),
      el('div', { class: 'panes' }, v.panes.client, v.panes.attacker, v.panes.server), v.note);
    this.#showScheme();
    this.#showAttackerFields();
  }

  replayStarted() {
    this.#shownAttacker = '';
    this.#shownExchange = 0;
  }

  #requestStep() {
    const v = this.#v;
    const step = { op: 'request', scheme: this.#scheme, method: v.method.value, path: v.path.value };
    if (v.body.value !== '') step.body = v.body.value;
    const padding = numberValue(v.padding);
    if (padding !== 0) step.padding = padding;
    return step;
  }

  #attackerStep() {
    const v = this.#v;
    const step = { op: 'attacker', mode: v.mode.value };
    if (step.mode === 'tamper') Object.assign(step, { find: v.find.value, replace: v.replace.value, direction: v.direction.value });
    if (step.mode === 'impersonate') step.certificate = v.certificate.value;
    return step;
  }

  #showScheme() {
    for (const b of this.#v.schemeButtons) b.setAttribute('aria-pressed', String(b.textContent.toLowerCase() === this.#scheme));
  }

  #showAttackerFields() {
    const v = this.#v;
    v.tamperFields.hidden = v.mode.value !== 'tamper';
    v.certificateFields.hidden = v.mode.value !== 'impersonate';
  }

  render(snap) {
    const v = this.#v;
    const x = snap.last;
    // The form follows the state a link, a tour or an undo put it in, but
    // only when that state changes: what the user is typing stays.
    const attacker = JSON.stringify(snap.attacker);
    if (attacker !== this.#shownAttacker) {
      this.#shownAttacker = attacker;
      setSelect(v.mode, snap.attacker.mode);
      if (snap.attacker.mode === 'tamper') {
        v.find.value = snap.attacker.find;
        v.replace.value = snap.attacker.replace;
        v.direction.value = snap.attacker.direction;
      }
      if (snap.attacker.certificate) v.certificate.value = snap.attacker.certificate;
      this.#showAttackerFields();
    }
    if (x && x.id !== this.#shownExchange) {
      this.#shownExchange = x.id;
      this.#scheme = x.scheme;
      this.#showScheme();
    }
    this.#drawVerdict(x);
    drawExchange(v.diagram, x, x ? this.#modeOfLast(snap) : snap.attacker.mode);
    this.#drawPanes(x);
    v.note.textContent = x
      ? `Request ${formatCount(snap.totals.requests)} at t = ${ms(x.start_us)}; one-way latency ${formatCount(snap.latency_ms)} ms, the attacker half way. Each request opens a new connection (the TCP handshake is left out). {…}: under TLS handshake keys, […]: under application keys. The records are not really encrypted: see the docs.`
      : '';
  }

  // The attacker that was on the path for the exchange on show.
  #modeOfLast(snap) {
    return snap.history.at(-1)?.attacker ?? snap.attacker.mode;
  }

  #drawVerdict(x) {
    const v = this.#v;
    if (!x) {
      v.verdict.replaceChildren(el('p', { text: 'No request yet: press Send.' }));
      v.verdict.className = 'verdict';
      return;
    }
    const flag = (name, on, yes, no) => el('span', { class: `flag ${on ? 'yes' : 'no'}`, text: `${name}: ${on ? yes : no}` });
    const harmed = x.read || (x.altered && !x.detected);
    v.verdict.className = `verdict ${harmed ? 'bad' : 'good'}`;
    v.verdict.replaceChildren(
      el('div', { class: 'flags' },
        flag('Read', x.read, 'yes', 'no'),
        flag('Altered', x.altered, 'yes', 'no'),
        el('span', { class: `flag ${x.altered && !x.detected ? 'yes' : 'no'}`, text: `Detected: ${x.detected ? `yes (alert ${x.alert.name}, ${x.alert.code})` : x.altered ? 'no' : '—'}` }),
        flag('Delivered intact', !x.delivered, 'no', 'yes')),
      el('p', { text: x.verdict }));
  }

  #drawPanes(x) {
    const { client, attacker, server } = this.#v.panes;
    const textOr = (text, nothing, badge = '') => (text === null || text === undefined
      ? el('p', { class: 'nothing', text: nothing })
      : el('div', {}, badge ? el('span', { class: 'badge', text: badge }) : null, el('pre', { text: readable(text) })));
    if (!x) {
      for (const pane of [client, attacker, server]) pane.replaceChildren();
      return;
    }
    const changed = (a, b) => (a !== null && b !== null && a !== b ? '≠ what was sent' : '');
    client.replaceChildren(el('h4', { text: 'What the client sent' }),
      textOr(x.client_sent, x.alert?.from === 'client' && !x.client_sent ? `Nothing: the client refused the handshake (${x.alert.name}).` : 'Nothing.'),
      el('h5', { text: 'and received back' }),
      textOr(x.client_received, x.alert ? `Nothing: alert ${x.alert.name}, connection closed.` : 'Nothing.',
        x.server_sent !== null ? changed(x.server_sent, x.client_received) : x.client_received !== null ? 'not from the server' : ''));
    server.replaceChildren(el('h4', { text: 'What the server received' }),
      textOr(x.server_received, x.alert?.from === 'server' ? `Nothing usable: the record failed its check, alert ${x.alert.name} sent.` : 'Nothing: the request never reached it.',
        changed(x.client_sent, x.server_received)),
      el('h5', { text: 'and sent back' }), textOr(x.server_sent, 'Nothing.'));
    attacker.replaceChildren(el('h4', { text: 'What the attacker sees' }), ...this.#seenView(x.seen));
  }

  #seenView(seen) {
    if (seen.length === 0) return [el('p', { class: 'nothing', text: 'Nobody is on the path.' })];
    const out = [];
    const records = seen.filter((s) => s.kind === 'record');
    for (const s of seen.filter((o) => o.kind === 'http')) {
      out.push(el('h5', { text: `${ms(s.t_us)}: ${s.from} → ${s.to}, ${formatCount(s.bytes)} B, in the clear` }), el('pre', { text: readable(s.text) }));
      if (s.altered_to) out.push(el('h5', { text: 'changed it to' }), el('pre', { text: readable(s.altered_to) }));
    }
    if (records.length) {
      out.push(el('table', {},
        el('thead', {}, el('tr', {}, el('th', { text: 'at' }), el('th', { text: 'way', title: 'C: client, S: server, A: attacker' }),
          ...['type', 'version', 'length', 'readable'].map((h) => el('th', { text: h })))),
        el('tbody', {}, ...records.map((s) => el('tr', {},
          el('td', { class: 'nowrap', text: ms(s.t_us) }), el('td', { class: 'nowrap', text: `${initial(s.from)}→${initial(s.to)}`, title: `${s.from} → ${s.to}` }),
          el('td', { text: String(s.content_type) }),
          el('td', { text: hex4(s.legacy_version) }), el('td', { text: formatCount(s.length) }),
          el('td', { text: this.#readableOf(s) }))))));
      out.push(el('p', { class: 'nothing', text: 'Way: C client, S server, A attacker. Type 22: handshake in the clear; 23: encrypted (application data, or a hidden handshake or alert).' }));
    }
    return out;
  }

  #readableOf(s) {
    const parts = [];
    if (s.handshake) parts.push(s.handshake);
    if (s.server_name) parts.push(`SNI ${s.server_name}`);
    if (s.cipher_suite) parts.push(`suite ${hex4(s.cipher_suite)}`);
    if (s.altered) parts.push('✎ flipped a byte');
    return parts.length ? parts.join(', ') : 'only its size';
  }
}


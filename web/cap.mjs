// <sdp-cap>: the CAP trade-off on a small replicated key-value store (the
// `cap` sim). The cluster picture shows replicas, clients and the cut links;
// the history timeline below it shows every client operation as a bar from
// invocation to response, one lane per client, with the partition as a band
// and refused, stale and non-linearizable operations marked. Counters give
// availability (answered vs refused) and consistency (stale reads, lost
// writes); "Check linearizability" runs the sim's checker and outlines the
// operations it could not order. Stance, N, R and W are the sim's config:
// changing them replays the same actions, and "Run these actions in CP and
// in AP" replays them in both stances side by side. AP resolves conflicts by
// last-writer-wins or keeps siblings with vector clocks; the cache stances
// play the seed's server -> database with a cache. The partition is cut with
// the tick boxes or by dragging a line across the cluster picture.
// Attributes: replicas, mode, clients, seed, sync-url, state-key.

import { runScenario } from '../wasm/sdp.mjs';
import { el, formatCount, formatPercent, numberValue, plural, scrollRegion, scrollToEnd, selectBox, setSelect, svg, wideDiagram } from './dom.mjs';
import { CLUSTER_RING, CLUSTER_SIZE, drawCluster, isCacheMode, valueText } from './cap-cluster.mjs';
import { PartitionKnife } from './cap-knife.mjs';
import { drawTimeline, keyText, LATENCY_PX, MAX_OPS, ms } from './cap-timeline.mjs';
import { capStyles } from './cap-styles.mjs';
import { SdpWidget } from './sdp-widget.mjs';

const WORKLOADS = [20, 50, 200, 1000];
const ADVANCES = [10, 100, 1000, 10000];
const MAX_REPLICAS = 7;
const MAX_CLIENTS = 8;
const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
// Steps after which the history holds more than the last check saw.
const GROWS_HISTORY = new Set(['write', 'read', 'workload', 'advance']);

function opText(op) {
  return op.kind === 'write' ? `${op.client} writes ${keyText(op.key)} = ${op.value} via ${op.replica}`
    : `${op.client} reads ${keyText(op.key)} via ${op.replica}`;
}

function verdictText(check) {
  if (check.verdict === 'linearizable') return '✓ linearizable';
  if (check.verdict === 'not_linearizable') return '✗ not linearizable';
  if (check.verdict === 'not_checked') return '– not checked (reads return siblings)';
  return '? unknown (the check ran out of its budget)';
}

export class CapElement extends SdpWidget {
  static sim = 'cap';
  static fullSnapshot = true; // every op, for the history and the checker
  static title = 'CAP: replicas, partitions, quorums';
  static subtitle = 'Cut the network, then read and write: a CP store refuses on the minority side, an AP store answers everyone and serves stale values — and a linearizability checker says which histories could have come from one copy.';
  static styles = [capStyles];
  static attributes = { replicas: { config: 'n' }, mode: { config: 'mode' }, clients: { config: 'clients' } };

  #v = {};
  #n = 0; // replicas the per-replica controls were built for
  #clients = 0;
  #opsSeen = -1;

  baseConfig() {
    return { mode: 'cp', n: 3, r: 2, w: 2, clients: 3 };
  }

  initialSteps() {
    return [{ op: 'write', client: 'c1', replica: 'r1', key: 'x', value: 1 }];
  }

  describe(step, r) {
    switch (step.op) {
      case 'write':
      case 'read': return this.#clientOpText(step, r);
      case 'partition': return `Network: ${r.network}. Replicas on different sides can no longer talk.`;
      case 'cut': return `Network: link ${step.a}–${step.b} cut.`;
      case 'heal': return 'Network healed: every link is back.';
      case 'advance': return `${formatCount(step.ms)} ms later (t = ${ms(r.now_us)}): ${plural(r.completed.length, 'answer')} arrived.`;
      case 'workload': return `${plural(r.ops, 'random operation')} from the clients through their own replicas: ${formatCount(r.ok)} ok, ${formatCount(r.not_ok)} not.`;
      case 'check': return this.#checkText(r);
      case 'mode': return `Started over: ${r.config.mode.toUpperCase()}, N = ${r.config.n}, R = ${r.config.r}, W = ${r.config.w}; empty store and history.`;
      default: return '';
    }
  }

  #clientOpText(step, op) {
    const what = step.op === 'write' ? `${step.client} writes ${keyText(step.key)} = ${step.value} via ${step.replica}`
      : `${step.client} reads ${keyText(step.key)} via ${step.replica}`;
    if (op.status === 'in_flight') return `${what}: sent; the answer comes as time passes (Advance).`;
    const took = ms(op.response_us - op.invoke_us);
    if (op.status === 'refused') return `${what}: refused after ${took} — ${op.reason}.`;
    if (op.status === 'unknown') return `${what}: outcome unknown after ${took} — ${op.reason}.`;
    if (step.op === 'write') return `${what}: ok after ${took}${op.context !== undefined ? ` (context ${op.context || 'empty'}, dot ${op.dot})` : ''}.`;
    const got = op.values && op.values.length > 1 ? `siblings ${valueText(op.values)} (context ${op.context})` : `${op.value}`;
    const cached = op.from_cache ? ` from ${step.replica}'s cache (the database did not answer)` : '';
    return `${what}: got ${got}${cached} after ${took}${op.stale ? ' — stale: a write that completed before this read began is missing' : ''}.`;
  }

  #checkText(r) {
    if (r.verdict === 'linearizable') return `Checker: the ${plural(r.checked_ops, 'checked operation')} fit one order (linearizable).`;
    if (r.verdict === 'not_checked') return `Checker: not run — ${r.reason}.`;
    if (r.verdict === 'not_linearizable') {
      return `Checker: not linearizable — no order fits; stuck at operation${r.violating_ops.length === 1 ? '' : 's'} ${r.violating_ops.map((id) => `#${id}`).join(', ')}, outlined on the timeline.`;
    }
    return 'Checker: unknown — the search ran out of its budget before deciding.';
  }

  buildBody(body) {
    const v = this.#v;
    const button = (text, onclick, props = {}) => el('button', { type: 'button', text, ...props, onclick: (e) => onclick(e.currentTarget) });
    // Clients.
    v.client = el('select', { 'aria-label': 'Client', onchange: () => this.#followClient() });
    v.replica = el('select', { 'aria-label': 'Through replica' });
    v.key = el('input', { type: 'text', value: 'x', size: 6, 'aria-label': 'Key' });
    v.value = el('input', { type: 'number', min: 1, max: 1000000000, step: 1, value: 2, 'aria-label': 'Value to write' });
    v.wait = el('input', { type: 'checkbox', checked: true });
    v.workload = selectBox('Operations in the workload', WORKLOADS.map((n) => [n, `${n} ops`]));
    v.advance = selectBox('How long', ADVANCES.map((n) => [n, `${formatCount(n)} ms`]));
    setSelect(v.advance, 100);
    // Network.
    v.sideB = el('span', { class: 'sides', role: 'group', 'aria-label': 'Replicas to split off' });
    v.cutA = el('select', { 'aria-label': 'Link from' });
    v.cutB = el('select', { 'aria-label': 'Link to' });
    // Store.
    v.mode = selectBox('Stance', [['cp', 'CP: quorums'], ['ap', 'AP: every replica answers'],
      ['cache_fallback', 'Cache: serve stale if the DB is cut off'], ['cache_fail', 'Cache: fail if the DB is cut off']]);
    v.n = selectBox('Replicas N', range(3, MAX_REPLICAS).map((n) => [n, `N = ${n}`]));
    v.r = selectBox('Read quorum R', range(1, MAX_REPLICAS).map((n) => [n, `R = ${n}`]));
    v.w = selectBox('Write quorum W', range(1, MAX_REPLICAS).map((n) => [n, `W = ${n}`]));
    v.conflict = selectBox('AP conflicts', [['lww', 'AP conflicts: last writer wins'], ['vclock', 'AP conflicts: siblings (vector clocks)']]);
    v.conflictNote = el('span', { class: 'note conflict-note', id: 'conflict-note', text: 'Conflicts: AP only; this stance keeps no concurrent versions.' });
    v.conflict.setAttribute('aria-describedby', 'conflict-note');
    v.mode.addEventListener('change', () => this.#followStance());
    v.clients = selectBox('Clients', range(1, MAX_CLIENTS).map((n) => [n, `${n} client${n === 1 ? '' : 's'}`]));
    const clientStep = (op) => {
      const step = { op, client: v.client.value, replica: v.replica.value, key: v.key.value };
      if (op === 'write') step.value = numberValue(v.value);
      if (!v.wait.checked) step.wait = false;
      return step;
    };
    body.append(el('div', { class: 'controls' },
      el('div', {}, el('h3', { text: 'Clients' }),
        this.controlGroup(v.client, el('label', {}, 'via ', v.replica), el('label', {}, 'key ', v.key),
          el('label', {}, 'value ', v.value)),
        this.controlGroup(button('Write', (b) => this.act(clientStep('write'), b), { class: 'primary' }),
          button('Read', (b) => this.act(clientStep('read'), b)),
          el('label', { title: 'Off: the operation is sent and the step returns at once; Advance lets its answer arrive, so operations overlap' }, v.wait, ' wait for the answer')),
        this.controlGroup(button('Run workload', (b) => this.act({ op: 'workload', ops: Number(v.workload.value), keys: 3, gap_ms: 10 }, b),
          { title: 'Random reads and writes on k1..k3 from random clients through their own replicas' }), v.workload),
        this.controlGroup(button('Advance time', (b) => this.act({ op: 'advance', ms: Number(v.advance.value) }, b)), v.advance)),
      el('div', {}, el('h3', { text: 'Network' }),
        this.controlGroup(el('span', { class: 'label', text: 'Split off:' }), v.sideB,
          button('Partition', (b) => this.#partition(b), { title: 'Cut every link between the ticked replicas and the others: two sides that cannot talk' })),
        this.controlGroup(button('Cut link', (b) => this.act({ op: 'cut', a: v.cutA.value, b: v.cutB.value }, b)), v.cutA, el('span', { text: '–' }), v.cutB),
        this.controlGroup(button('Heal', (b) => this.act({ op: 'heal' }, b), { title: 'Reconnect every link' })),
        el('h3', { text: 'Checker' }),
        this.controlGroup(button('Check linearizability', (b) => this.act({ op: 'check' }, b), { class: 'primary',
          title: 'Is there one order of the operations, consistent with real time, in which every read returns the last write? (Wing & Gong search with Lowe\'s memoisation, per key)' }))),
      el('div', {}, el('h3', { text: 'Store (a change replays your actions)' }),
        this.controlGroup(v.mode, v.conflict, v.conflictNote),
        this.controlGroup(v.n, v.r, v.w, v.clients, button('Apply', (b) => this.#applyStore(b))))));
    v.cluster = svg('svg', { class: 'cluster', role: 'img', 'aria-label': 'The replicas, their links (cut ones crossed), their values and the clients beside them' });
    v.knife = new PartitionKnife({ size: CLUSTER_SIZE, ring: CLUSTER_RING,
      onCut: (beyond, rest) => this.#cutByLine(beyond, rest), onPreview: (beyond) => this.#previewCut(beyond) });
    v.cluster.append(v.knife.node);
    v.knifeControl = this.controlGroup(el('span', { class: 'label', text: 'Or drag the ✂ handle; line:' }), ...v.knife.controls);
    v.counts = el('dl');
    v.verdict = el('p', { class: 'verdict' });
    v.verdictNote = el('p', { class: 'note' });
    v.compare = el('div', { class: 'compare' });
    v.compareButton = button('Run these actions in CP and in AP', (b) => this.#compare(b),
      { title: 'Replays your actions (with the same seed, and a check at the end) once with each stance' });
    v.timeline = svg('svg', { class: 'history', role: 'img', 'aria-label': 'History timeline: each client operation as a bar from invocation to response, one lane per client, the partition as a band' });
    // The lanes' names again, over the timeline's left edge and kept there
    // while it scrolls to "now" (the timeline's own scroll away with it).
    v.laneNames = el('div', { class: 'lane-names', 'aria-hidden': 'true' });
    v.box = scrollRegion('div', 'History timeline (scrolls)', { class: 'timeline-box' },
      el('div', { class: 'history-track' }, v.laneNames, v.timeline));
    v.note = el('p', { class: 'note' });
    body.append(
      el('div', { class: 'main' },
        el('div', {}, wideDiagram(v.cluster, 'The replicas (scroll sideways on a narrow screen)', { units: CLUSTER_SIZE, class: 'cluster-box' }),
          v.knifeControl),
        el('div', {},
          el('div', { class: 'stat' }, el('h4', { text: 'Availability and consistency' }), v.counts),
          el('div', { class: 'stat' }, el('h4', { text: 'Linearizability checker' }), v.verdict, v.verdictNote),
          el('div', { class: 'stat' }, el('h4', { text: 'The same actions, both stances' }), this.controlGroup(v.compareButton), v.compare))),
      el('h3', { class: 'timeline-title', text: 'History' }), v.box, v.note,
      el('div', { class: 'legend' },
        el('span', {}, el('span', { class: 'swatch write' }), 'write ok'),
        el('span', {}, el('span', { class: 'swatch read' }), 'read ok'),
        el('span', {}, el('span', { class: 'swatch stale' }), 'stale read'),
        el('span', {}, el('span', { class: 'swatch refused' }), 'refused / unknown'),
        el('span', {}, el('span', { class: 'swatch violating' }), 'not linearizable (checker)'),
        el('span', {}, el('span', { class: 'swatch band' }), 'network partitioned')));
  }

  // The ticked replicas against the rest; an empty side is the sim's to refuse.
  #partition(source) {
    const boxes = [...this.#v.sideB.querySelectorAll('input')];
    const b = boxes.filter((x) => x.checked).map((x) => x.value);
    const a = boxes.filter((x) => !x.checked).map((x) => x.value);
    this.act({ op: 'partition', groups: [b, a] }, source);
  }

  // The partition line let go: the replicas beyond it against the rest.
  #cutByLine(beyond, rest) {
    const v = this.#v;
    const names = (list) => list.map((i) => `r${i + 1}`);
    if (beyond.length === 0 || rest.length === 0) {
      v.knifeControl.querySelector('.field-error').textContent = 'The line cuts no replica off: drag it between replicas, then let go.';
      return;
    }
    this.act({ op: 'partition', groups: [names(beyond), names(rest)] }, v.knifeControl);
  }

  // While the line moves, the replicas it would split off are outlined.
  #previewCut(beyond) {
    const marked = new Set((beyond ?? []).map((i) => `r${i + 1}`));
    for (const g of this.#v.cluster.querySelectorAll('.replica')) g.classList.toggle('beyond', marked.has(g.dataset.replica));
  }

  #applyStore(source) {
    const v = this.#v;
    this.setConfig({ mode: v.mode.value, n: Number(v.n.value), r: Number(v.r.value), w: Number(v.w.value),
      conflict: v.conflict.value, clients: Number(v.clients.value) }, source);
  }

  // The conflict rule is AP's alone (the sim's Cluster::Vclock): in the
  // other stances the select is disabled and says why.
  #followStance() {
    const v = this.#v;
    const ap = v.mode.value === 'ap';
    v.conflict.disabled = !ap;
    v.conflictNote.hidden = ap;
  }

  #followClient() {
    const v = this.#v;
    const i = Number(v.client.value.slice(1)) - 1;
    v.replica.value = `r${(i % this.#n) + 1}`;
  }

  async #compare(source) {
    const v = this.#v;
    const steps = [...this.log, { op: 'check' }];
    const rows = [];
    v.compareButton.disabled = true;
    try {
      for (const mode of ['cp', 'ap']) {
        const out = JSON.parse(await runScenario({ sim: 'cap', seed: this.seed, config: { ...this.config, mode }, steps }));
        const counts = out.snapshot.counts;
        const check = out.results.at(-1);
        const answered = counts.ok + counts.refused + counts.unknown;
        rows.push(el('tr', {},
          el('th', { scope: 'row', text: mode.toUpperCase() }),
          el('td', { text: `${formatCount(counts.ok)} of ${formatCount(answered)}` }),
          el('td', { text: counts.availability === null ? '—' : formatPercent(counts.availability) }),
          el('td', { text: formatCount(counts.stale_reads) }),
          el('td', { text: formatCount(counts.lost_writes) }),
          el('td', { text: check.error ? '—' : verdictText(check) })));
      }
    } catch (error) {
      source.closest('.control').querySelector('.field-error').textContent = `Could not replay: ${error.message}`;
      return;
    } finally {
      v.compareButton.disabled = false;
    }
    v.compare.replaceChildren(el('table', {},
      el('caption', { text: `Your ${plural(this.log.length, 'action')}, seed ${this.seed}, replayed in each stance` }),
      el('thead', {}, el('tr', {}, ...['stance', 'ok', 'availability', 'stale reads', 'lost writes', 'checker'].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, ...rows)));
    this.narrate(`Replayed ${plural(this.log.length, 'action')} in CP and in AP: see the table.`);
  }

  // The comparison describes the actions it replayed: any change clears it.
  replayStarted() {
    this.#v.compare?.replaceChildren();
  }

  stepApplied() {
    this.#v.compare?.replaceChildren();
  }

  render(snap) {
    const c = snap.config;
    this.#syncControls(c);
    const v = this.#v;
    v.knife.setReplicas(drawCluster(v.cluster, snap).points);
    this.#drawCounts(snap);
    const check = snap.last_check;
    const violating = new Set(check?.violating_ops ?? []);
    this.#drawVerdict(snap, check);
    const drawn = drawTimeline(v.timeline, snap, violating, v.laneNames);
    scrollToEnd(v.box, 'inline');
    const hidden = drawn.violatingHidden.length ? ` Not linearizable operations outside the view: ${drawn.violatingHidden.map((id) => `#${id}`).join(', ')}.` : '';
    const shown = drawn.total > drawn.shown ? `The newest ${drawn.shown} of ${formatCount(drawn.total)} operations (the timeline keeps ${MAX_OPS}).` : `${plural(drawn.total, 'operation')}.`;
    v.note.textContent = `${shown} Time runs right; one link latency (${c.link_ms} ms) is drawn ${LATENCY_PX} px wide, every bar at least as wide as its label, long quiet stretches cut short and labelled. Hover a bar for its times and reason.${hidden}`;
    if (snap.ops.length !== this.#opsSeen) {
      this.#opsSeen = snap.ops.length;
      const written = snap.ops.filter((o) => o.kind === 'write').map((o) => o.value);
      if (this.shadowRoot.activeElement !== v.value) v.value.value = String(Math.max(0, ...written) + 1);
    }
  }

  #drawCounts(snap) {
    const k = snap.counts;
    const c = snap.config;
    const rows = [];
    const row = (name, value, cls) => rows.push(el('dt', { text: name }), el('dd', { class: cls, text: value }));
    row('operations', formatCount(k.ops));
    row('answered ok', formatCount(k.ok), 'ok');
    row('refused', formatCount(k.refused), k.refused ? 'bad' : undefined);
    if (k.unknown) row('outcome unknown', formatCount(k.unknown), 'bad');
    if (k.in_flight) row('waiting for an answer', formatCount(k.in_flight));
    row('availability', k.availability === null ? '—' : `${formatPercent(k.availability)} (ok of answered)`);
    row('stale reads', formatCount(k.stale_reads), k.stale_reads ? 'bad' : undefined);
    const lost = snap.lost_writes.length ? ` (${snap.lost_writes.map((id) => `#${id}`).join(', ')})` : '';
    row('writes lost by LWW', `${formatCount(k.lost_writes)}${lost}`, k.lost_writes ? 'bad' : undefined);
    if (c.mode === 'ap' && c.conflict === 'vclock') {
      const split = Object.keys(snap.replicas[0]?.values ?? {}).filter((key) => snap.replicas.some((r) => Array.isArray(r.values[key])));
      row('keys with siblings', split.length ? `${split.length}: ${split.map((key) => keyText(key)).join(', ')}` : '0', split.length ? 'bad' : undefined);
    }
    if (isCacheMode(c.mode)) {
      const cached = snap.ops.filter((o) => o.from_cache).length;
      row('reads served from a cache', formatCount(cached), cached ? 'bad' : undefined);
    }
    row('messages dropped', `${formatCount(k.dropped)} of ${formatCount(k.messages)}`);
    this.#v.counts.replaceChildren(...rows);
  }

  #drawVerdict(snap, check) {
    const v = this.#v;
    if (!check) {
      v.verdict.textContent = 'Not checked yet.';
      v.verdict.className = 'verdict';
      v.verdictNote.textContent = 'Check linearizability asks whether one order of these operations, consistent with real time, explains every read.';
      return;
    }
    v.verdict.textContent = verdictText(check);
    v.verdict.className = `verdict ${check.verdict}`;
    const byId = new Map(snap.ops.map((o) => [o.id, o]));
    const parts = [`${plural(check.checked_ops, 'operation')} checked (refused ones carry no information and are left out).`];
    if (check.violating_ops.length) {
      const ops = check.violating_ops.map((id) => `#${id} ${byId.has(id) ? opText(byId.get(id)) : ''}`.trim());
      parts.push(`After the longest order it found, none of these can come next: ${ops.join('; ')}.`);
    }
    const lastCheck = this.log.findLastIndex((s) => s.op === 'check');
    if (lastCheck >= 0 && this.log.slice(lastCheck + 1).some((s) => GROWS_HISTORY.has(s.op))) {
      parts.push('The history has changed since: check again.');
    }
    v.verdictNote.textContent = parts.join(' ');
  }

  // The per-replica and per-client controls follow N and the clients; the
  // store's selects follow the config (a tour, a link or a replay sets it).
  #syncControls(c) {
    const v = this.#v;
    const focused = this.shadowRoot.activeElement;
    for (const [select, value] of [[v.mode, c.mode], [v.conflict, c.conflict], [v.n, c.n], [v.r, c.r], [v.w, c.w], [v.clients, c.clients]]) {
      if (focused !== select) setSelect(select, value);
    }
    this.#followStance();
    if (c.n !== this.#n) {
      this.#n = c.n;
      const replicas = range(1, c.n).map((i) => `r${i}`);
      const keep = (select, fallback) => {
        const old = select.value;
        select.replaceChildren(...replicas.map((r) => el('option', { value: r, text: r })));
        select.value = replicas.includes(old) ? old : fallback;
      };
      keep(v.replica, 'r1');
      keep(v.cutA, 'r1');
      keep(v.cutB, 'r2');
      const ticked = new Set([...v.sideB.querySelectorAll('input:checked')].map((x) => x.value));
      if (ticked.size === 0) ticked.add('r1');
      v.sideB.replaceChildren(...replicas.map((r) => el('label', { class: 'side' },
        el('input', { type: 'checkbox', value: r, checked: ticked.has(r) }), r)));
    }
    if (c.clients !== this.#clients) {
      this.#clients = c.clients;
      const old = v.client.value;
      const names = range(1, c.clients).map((i) => `c${i}`);
      v.client.replaceChildren(...names.map((name) => el('option', { value: name, text: name })));
      v.client.value = names.includes(old) ? old : 'c1';
    }
  }
}

// Compare mode for every widget (issue #22 point 2): the toolbar's Compare
// button shows two lanes. Lane A is the widget itself; lane B is a second
// element of the same class (so every widget draws its lane B with its own
// code), running its own session of the same sim with the same seed, fed
// lane A's actions in lockstep: each step lane A applies is applied to B too
// (the same step JSON), and a step B refuses is said on lane B and skipped,
// while A goes on. A table diffs the two lanes' metrics (laneMetrics).
//
// Lane B's own edits (made with lane B's own controls) are settings: a config
// patch and steps that B applies before the shared actions. So lane B's whole
// state is a function of lane A's (seed, config, log) and those edits:
//   seed A, config {...A's config, ...B's patch}, steps [...B's steps, ...A's log]
// which is what the share link holds ({compare: {config, steps}}) and what a
// replay rebuilds; an edit, an undo or a seed change in either lane rebuilds
// B from it. Steps that only move time (SHARED_OPS) are input, not settings:
// made in lane B they act on lane A, and so on both.
//
// Cost: nothing runs while compare is off (no element, no session). Lane B
// and the table draw only while on screen, at most once a frame and every
// DRAW_EVERY_MS. Lane A's charts draw lane B's series too (chart.mjs).

import { dropOverlays } from './chart.mjs';
import { csvText, downloadBlob } from './export.mjs';
import { scenarioFileName, scenarioFileText } from './action-log.mjs';
import { downloadText } from './link-panel.mjs';
import { el, plural, scrollRegion } from './dom.mjs';
import { sheetFrom } from './theme.mjs';

// Ops that move simulated time: both lanes share them (see above).
export const SHARED_OPS = new Set(['advance']);
// Only the differing rows are listed unless asked; never more than this.
const MAX_ROWS = 400;
const DRAW_EVERY_MS = 150;

const frameSheet = sheetFrom(`
.frame.comparing { display: grid; grid-template-columns: minmax(0, 1fr); column-gap: 16px; }
.frame.comparing > * { grid-column: 1 / -1; }
.frame.comparing > .body::before { content: "Lane A"; }
.frame.comparing > .body::before, .lane-b-head h3 {
  display: block; font-size: 0.95rem; font-weight: 700; margin: 0 0 6px; padding-left: 8px; border-left: 4px solid var(--sdp-accent);
}
.lane-b-head h3 { border-left-color: var(--sdp-warn); }
@container (min-width: 1000px) {
  .frame.comparing:not(.stacked) { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
  .frame.comparing:not(.stacked) > .body { grid-column: 1; }
  .frame.comparing:not(.stacked) > .lane-b { grid-column: 2; }
}
.lane-b[hidden], .compare-diff[hidden], .diff-scroll[hidden] { display: none; }
.lane-b { margin-top: 8px; }
.lane-b-head p, .compare-diff p { margin: 0 0 6px; color: var(--sdp-muted); font-size: 0.88rem; overflow-wrap: anywhere; }
.lane-b-head .lane-refused { color: var(--sdp-error); }
.lane-b-head .lane-refused:empty { display: none; }
.lane-b-head .row { margin: 0 0 6px; }
.compare-diff { margin-top: 12px; }
.compare-diff h3 { font-size: 0.95rem; margin: 0 0 4px; }
.compare-diff .diff-scroll { max-height: 22em; overflow: auto; border: 1px solid var(--sdp-line); border-radius: 6px; background: var(--sdp-bg); }
table.diff { border-collapse: collapse; width: 100%; font-size: 0.85rem; font-variant-numeric: tabular-nums; }
table.diff th, table.diff td { padding: 3px 8px; border-bottom: 1px solid var(--sdp-line); text-align: right; }
table.diff thead th { position: sticky; top: 0; background: var(--sdp-panel); color: var(--sdp-muted); font-weight: 600; }
table.diff tbody th { text-align: left; font-weight: 500; overflow-wrap: anywhere; }
table.diff tr.differs th { box-shadow: inset 3px 0 var(--sdp-warn); }
/* The arrow shows the direction only (higher is not always better), in
   colours of at least 4.5:1 on the table's background in both themes. */
table.diff .up .arrow { color: var(--sdp-accent); }
table.diff .down .arrow { color: var(--sdp-error); }
`);

// What lane B hides of the widget frame: its own header, toolbar (but not
// the toolbar's error line) and narration; lane A has them.
const laneSheet = sheetFrom(`
:host { border-color: var(--sdp-warn); }
.frame { padding: 8px 10px 10px; }
.frame > header, .frame > .narration-panel, .toolbar > :not(.field-error) { display: none; }
.toolbar { padding: 0; margin: 0; background: none; }
`);

function formatValue(v) {
  if (typeof v !== 'number') return String(v);
  if (!Number.isFinite(v)) return String(v);
  const rounded = Number.isInteger(v) ? v : Number(v.toPrecision(6));
  return rounded.toLocaleString('en-US', { maximumFractionDigits: 6 });
}

// The metrics a lane is compared on: what Download > Metrics exports
// (export.mjs) — the snapshot's scalar values, and for a widget with time
// series (csvColumns) each series' last value and peak — plus the items of
// short lists of things (LB's lanes and servers, Kafka's partitions), named
// by their id where they have one: that is where most sims keep their
// per-lane and per-server figures. [[name, value]] in the snapshot's order.
const SHORT_LIST = 8;
export function laneMetrics(widget, snapshot) {
  const out = [];
  flatten(snapshot, '', out);
  const declared = widget.constructor.csvColumns;
  const series = typeof declared === 'function' ? declared(snapshot) : declared;
  for (const name of series ?? []) {
    const values = Array.from(widget.session.column(name)).filter(Number.isFinite);
    out.push([`${name} (last)`, values.length ? values.at(-1) : null], [`${name} (peak)`, values.length ? Math.max(...values) : null]);
  }
  return out;
}

function flatten(value, prefix, out) {
  if (Array.isArray(value)) {
    if (value.length > SHORT_LIST || !value.every((item) => item && typeof item === 'object' && !Array.isArray(item))) return;
    value.forEach((item, i) => flatten(item, `${prefix}.${item.id ?? item.name ?? i}`, out));
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (Array.isArray(inner) || (inner !== null && typeof inner === 'object')) flatten(inner, path, out);
      else if (inner !== null) out.push([path, inner]);
    }
  }
}

// [{metric, a, b, same, difference}] over both lanes' metrics, in lane A's
// order (then B's extras); a value a lane lacks is null.
export function diffMetrics(metricsA, metricsB) {
  const a = new Map(metricsA);
  const b = new Map(metricsB);
  const names = [...a.keys(), ...[...b.keys()].filter((k) => !a.has(k))];
  return names.map((metric) => {
    const va = a.has(metric) ? a.get(metric) : null;
    const vb = b.has(metric) ? b.get(metric) : null;
    const same = Object.is(va, vb);
    const difference = typeof va === 'number' && typeof vb === 'number' ? vb - va : null;
    return { metric, a: va, b: vb, same, difference };
  });
}

function differenceCell(row) {
  if (row.same) return el('td', { text: '0' });
  if (row.difference === null || Number.isNaN(row.difference)) return el('td', { text: 'differs' });
  const up = row.difference > 0;
  const relative = row.a ? ` (${up ? '+' : ''}${formatValue(Number(((100 * row.difference) / Math.abs(row.a)).toFixed(1)))}%)` : '';
  return el('td', { class: up ? 'up' : 'down' },
    el('span', { class: 'arrow', 'aria-hidden': 'true', text: up ? '▲ ' : '▼ ' }),
    `${up ? '+' : ''}${formatValue(row.difference)}${relative}`);
}

// Lane B's tag: <sdp-kafka-lane-b>, a subclass that adds nothing, so that
// a selector for the widget (sdp-kafka, through shadow roots as Playwright
// reads them) never matches its lane B.
function laneTag(widget) {
  const tag = `${widget.localName}-lane-b`;
  if (!customElements.get(tag)) customElements.define(tag, class extends widget.constructor {});
  return tag;
}

export class CompareLanes {
  #a;
  #changed;
  #b = null; // the lane B element while comparing
  #own = { config: {}, steps: [] }; // lane B's own edits
  #chain = Promise.resolve(); // lane B's rebuilds, one at a time
  #pending = 0;
  #stale = false; // lane A moved on while a rebuild ran: rebuild again
  #frame = null; // a requested animation frame
  #timer = null; // a wait before requesting one
  #lastDraw = -Infinity;
  #diffDirty = false;
  #bDirty = false;
  #snapshotA = null;
  #snapshotB = null;
  #seen = { lane: false, diff: false };
  #observer = null;
  #showEqual = false;
  #fitChecked = false;
  #ui = {};
  #button;

  // widget: lane A; changed(): the state to link changed.
  constructor(widget, { changed }) {
    this.#a = widget;
    this.#changed = changed;
    const ui = this.#ui;
    this.#button = el('button', { type: 'button', text: 'Compare A/B', 'aria-pressed': 'false',
      title: 'Run a second lane (B) on the same seed and actions with its own settings, and diff the metrics',
      onclick: () => this.toggle() });
    ui.own = el('p');
    ui.refused = el('p', { class: 'lane-refused', role: 'alert' });
    ui.error = el('div', { class: 'field-error', role: 'alert' });
    ui.host = el('div', { class: 'lane-b-host' });
    ui.lane = el('section', { class: 'lane-b', 'aria-label': 'Lane B', hidden: true },
      el('div', { class: 'lane-b-head' },
        el('h3', { text: 'Lane B' }),
        ui.own,
        el('div', { class: 'row' },
          el('button', { type: 'button', text: 'Same as A', title: "Drop lane B's own settings: B becomes a copy of A",
            onclick: () => this.#edit({ config: {}, steps: [] }, ui.error, 'Lane B: its own settings dropped; B is a copy of A again.') }),
          el('button', { type: 'button', text: 'Export B', title: "Lane B's state as a scenario file (what sdp run replays)",
            onclick: () => this.#exportB() })),
        ui.error, ui.refused),
      ui.host);
    ui.summary = el('p', { role: 'status' });
    ui.table = el('div');
    ui.showEqual = el('input', { type: 'checkbox', onchange: () => { this.#showEqual = ui.showEqual.checked; this.#diffDirty = true; this.#schedule(); } });
    ui.diff = el('section', { class: 'compare-diff', 'aria-label': 'Lane A against lane B', hidden: true },
      el('h3', { text: 'Metrics: lane A against lane B' }),
      ui.summary,
      el('div', { class: 'row' },
        el('label', {}, ui.showEqual, ' Show equal metrics too'),
        el('button', { type: 'button', text: 'Diff (CSV)', title: 'The table as CSV: metric, A, B, difference', onclick: () => this.#downloadCsv() })),
      ui.scroll = scrollRegion('div', 'Metrics of both lanes', { class: 'diff-scroll' }, ui.table));
  }

  // The toolbar's button and what goes below the body; a lane B has neither.
  get button() {
    return this.#a.compareLane ? null : this.#button;
  }

  get parts() {
    return this.#a.compareLane ? [] : [this.#ui.lane, this.#ui.diff];
  }

  get on() {
    return this.#b !== null;
  }

  // The widget lane B follows (chart.mjs overlays lane B's series on its charts).
  get laneA() {
    return this.#a;
  }

  // What the share link holds beside seed, config and steps (or null).
  linkState() {
    return this.#b ? { compare: { config: this.#own.config, steps: this.#own.steps } } : null;
  }

  // ---- lane A's hooks (sdp-widget.mjs) ----------------------------------------

  // Lane A applied steps: B applies them too, unless a rebuild is under way
  // (then it reads them from A's log when it runs again).
  mirror(steps) {
    if (!this.#b) return;
    if (this.#pending) {
      this.#stale = true;
      return;
    }
    const refused = this.#b.laneApply(steps);
    this.#ui.refused.textContent = refused.length
      ? `Lane B refused ${plural(refused.length, 'step')} that lane A took (the first: ${refused[0]}); B skipped ${refused.length === 1 ? 'it' : 'them'}.`
      : '';
  }

  // Lane A replayed (undo, seed, config, reset, a tour, a file): rebuild B.
  rebuild() {
    if (!this.#b) return null;
    this.#stale = false;
    return this.#run(() => this.#load(this.#own, 0));
  }

  // Lane A drew (an action, a resize, the OS theme): B draws too.
  laneAChanged(snapshot) {
    if (!this.#b) return;
    this.#snapshotA = snapshot;
    this.#bDirty = true;
    this.#diffDirty = true;
    this.#schedule();
  }

  // Restores {config, steps} from a link (whose: "The link's").
  async restore(state, notes, whose) {
    const valid = state && typeof state === 'object' && !Array.isArray(state)
      && state.config && typeof state.config === 'object' && !Array.isArray(state.config) && Array.isArray(state.steps);
    if (!valid) {
      notes.push(`${whose} compare state is not {config, steps}; compare is off.`);
      return;
    }
    try {
      await this.#open({ config: state.config, steps: state.steps });
    } catch (error) {
      notes.push(`${whose} lane B could not be restored (${error.message}); compare is off.`);
    }
  }

  // ---- lane B's hooks (its act / actAll / setConfig / refresh) ----------------

  // Lane B's controls made steps: time goes to lane A (and so to both);
  // anything else becomes one of B's own settings. Returns lane A's result
  // for shared steps, else null (B rebuilds, which takes a moment).
  edit(steps, source) {
    if (steps.length && steps.every((step) => SHARED_OPS.has(step.op))) {
      return steps.length === 1 ? this.#a.act(steps[0]) : this.#a.actAll(steps);
    }
    const what = steps.map((s) => s.op).join(', ');
    this.#edit({ config: this.#own.config, steps: [...this.#own.steps, ...steps] }, source,
      `Lane B: ${what} set for lane B alone; B replayed the shared actions with it.`);
    return null;
  }

  editConfig(patch, source) {
    const changed = Object.entries(patch).map(([k, v]) => `${k} = ${v}`).join(', ');
    return this.#edit({ config: { ...this.#own.config, ...patch }, steps: this.#own.steps }, source,
      `Lane B: config ${changed} for lane B alone; B replayed the shared actions with it.`);
  }

  drawSoon() {
    this.#bDirty = true;
    this.#snapshotB = null;
    this.#diffDirty = true;
    this.#schedule();
  }

  // ---- on and off ----------------------------------------------------------------

  async toggle() {
    if (!this.#a.session) return;
    this.#ui.error.textContent = '';
    if (this.#b) {
      this.#close();
      this.#a.narrate('Compare A/B off.');
    } else {
      try {
        await this.#open({ config: {}, steps: [] });
      } catch (error) {
        this.#a.laneError(this.#button, `Compare could not start: ${error.message}`);
        return;
      }
      this.#a.narrate('Compare A/B on: lane B runs the same seed and actions; change its settings with its own controls.');
    }
    this.#changed();
  }

  async #open(own) {
    const b = document.createElement(laneTag(this.#a));
    b.compareLane = this;
    this.#ui.host.replaceChildren(b); // connected: builds its frame, waits for laneLoad
    b.shadowRoot.adoptedStyleSheets = [...b.shadowRoot.adoptedStyleSheets, laneSheet];
    try {
      await b.laneLoad(this.#stateB(own), own.steps.length);
    } catch (error) {
      b.remove();
      throw error;
    }
    this.#b = b;
    this.#own = own;
    this.#layout(true);
    this.#describeOwn();
    this.#ui.refused.textContent = '';
    this.#watch();
    this.#a.refresh(); // lane A's width changed where the lanes sit side by side
  }

  #close() {
    const b = this.#b;
    this.#b = null;
    this.#own = { config: {}, steps: [] };
    b.remove(); // its disconnect frees its session
    this.#observer?.disconnect();
    this.#observer = null;
    cancelAnimationFrame(this.#frame);
    clearTimeout(this.#timer);
    this.#frame = null;
    this.#timer = null;
    this.#snapshotA = null;
    this.#snapshotB = null;
    this.#layout(false);
    dropOverlays(this.#a);
    this.#a.refresh();
  }

  #layout(on) {
    const root = this.#a.shadowRoot;
    if (on && !root.adoptedStyleSheets.includes(frameSheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, frameSheet];
    const frame = root.querySelector('.frame');
    frame.classList.toggle('comparing', on);
    frame.classList.remove('stacked');
    this.#fitChecked = false;
    const body = frame.querySelector(':scope > .body');
    if (on) body.setAttribute('aria-label', 'Lane A');
    else body.removeAttribute('aria-label');
    body.setAttribute('role', on ? 'region' : 'none');
    if (!on) body.removeAttribute('role');
    this.#ui.lane.hidden = !on;
    this.#ui.diff.hidden = !on;
    this.#button.setAttribute('aria-pressed', String(on));
  }

  // ---- lane B's state ---------------------------------------------------------------

  #stateB(own) {
    const a = this.#a;
    return { seed: a.seed, config: { ...a.config, ...own.config }, steps: [...own.steps, ...a.log] };
  }

  // One rebuild at a time, in order; lane A's steps that arrive meanwhile
  // make one more rebuild at the end.
  #run(work) {
    this.#pending += 1;
    const done = this.#chain.then(work).finally(() => {
      this.#pending -= 1;
      if (this.#pending === 0 && this.#stale) this.rebuild();
    });
    this.#chain = done.catch(() => {});
    return done;
  }

  // Rebuilds B with `own` as its edits; B refusing one of them throws (and B
  // stays as it was). Steps of lane A's that B refuses are skipped and said.
  async #load(own, strictSteps) {
    const b = this.#b;
    if (!b) return;
    const skipped = await b.laneLoad(this.#stateB(own), strictSteps);
    if (b !== this.#b || !b.isConnected) {
      // Closed (or lane A removed) meanwhile: its disconnect ran before this session existed.
      b.session?.delete();
      b.session = null;
      return;
    }
    this.#own = own;
    this.#ui.refused.textContent = skipped.length
      ? `Lane B refused ${plural(skipped.length, 'step')} of lane A's (the first: ${skipped[0]}); B skipped ${skipped.length === 1 ? 'it' : 'them'}.`
      : '';
  }

  #edit(own, source, said) {
    if (!this.#b) return Promise.resolve();
    const b = this.#b;
    b.laneError(source, '');
    return this.#run(async () => {
      try {
        await this.#load(own, own.steps.length);
      } catch (error) {
        b.laneError(source, `Lane B: ${error.message}`);
        b.laneDraw(); // its controls show its state again
        return;
      }
      this.#describeOwn();
      this.#a.narrate(said);
      this.#changed();
    });
  }

  #describeOwn() {
    const { config, steps } = this.#own;
    const parts = [...Object.entries(config).map(([k, v]) => `${k} = ${JSON.stringify(v)}`),
      ...steps.map((s) => JSON.stringify(s))];
    this.#ui.own.textContent = parts.length
      ? `Same seed and actions as lane A; B's own settings, applied first: ${parts.join('; ')}.`
      : 'A copy of lane A (same seed, config and actions): change a setting with lane B\'s controls below.';
  }

  // ---- drawing: at most once a frame, only what is on screen ---------------------

  #watch() {
    if (this.#observer || typeof IntersectionObserver !== 'function') {
      this.#seen = { lane: true, diff: true };
      this.drawSoon();
      return;
    }
    this.#observer = new IntersectionObserver((entries) => {
      for (const entry of entries) this.#seen[entry.target === this.#ui.lane ? 'lane' : 'diff'] = entry.isIntersecting;
      this.#schedule();
    });
    this.#observer.observe(this.#ui.lane);
    this.#observer.observe(this.#ui.diff);
    this.#bDirty = true;
    this.#diffDirty = true;
  }

  // The next frame, but no sooner than DRAW_EVERY_MS after the last drawing:
  // a burst of actions (a held key, the monkey, a tour at 4x) draws lane B
  // and the table a few times a second instead of after every action.
  #schedule() {
    if (this.#frame !== null || this.#timer !== null || !this.#b) return;
    if (!this.#seen.lane && !this.#seen.diff) return;
    const frame = () => {
      this.#timer = null;
      this.#frame = requestAnimationFrame(() => {
        this.#frame = null;
        this.#lastDraw = performance.now();
        this.#draw();
      });
    };
    const wait = this.#lastDraw + DRAW_EVERY_MS - performance.now();
    if (wait > 0) this.#timer = setTimeout(frame, wait);
    else frame();
  }

  // Nothing waits to be drawn or rebuilt (tests wait for this).
  get idle() {
    return this.#pending === 0 && this.#frame === null && this.#timer === null;
  }

  #draw() {
    const b = this.#b;
    if (!b?.session || !this.#a.session) return;
    this.#stackIfCramped();
    if (this.#bDirty && this.#seen.lane) {
      this.#bDirty = false;
      this.#snapshotB = b.laneDraw();
    }
    if (!this.#seen.diff || !this.#diffDirty) return;
    this.#diffDirty = false;
    this.#snapshotA ??= this.#a.session.snapshot();
    this.#snapshotB ??= b.session.snapshot();
    this.#drawTable(diffMetrics(laneMetrics(this.#a, this.#snapshotA), laneMetrics(b, this.#snapshotB)));
    this.#snapshotA = null; // lane A hands over a new one when it draws
  }

  // Side by side, a widget whose view is wider than half the frame (Kafka's
  // log grid) would run into lane B: then the lanes stack, until compare
  // closes.
  // Checked at the first drawing after Compare is switched on only (reading
  // the widths lays the page out: once per action would cost the monkey).
  #stackIfCramped() {
    if (this.#fitChecked) return;
    this.#fitChecked = true;
    const frame = this.#a.shadowRoot.querySelector('.frame');
    const body = frame.querySelector(':scope > .body');
    if (body.scrollWidth <= body.clientWidth + 1) return;
    frame.classList.add('stacked');
    this.#a.refresh();
    this.#bDirty = true;
  }

  #drawTable(rows) {
    const differing = rows.filter((r) => !r.same);
    this.#ui.summary.textContent = differing.length
      ? `Lane B differs from lane A in ${plural(differing.length, 'metric')} of ${rows.length}.`
      : `The lanes are identical: all ${plural(rows.length, 'metric')} are equal.`;
    const shown = (this.#showEqual ? rows : differing).slice(0, MAX_ROWS);
    this.#ui.scroll.hidden = shown.length === 0;
    const more = (this.#showEqual ? rows : differing).length - shown.length;
    this.#ui.table.replaceChildren(el('table', { class: 'diff' },
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col', text: 'metric' }), el('th', { scope: 'col', text: 'A' }),
        el('th', { scope: 'col', text: 'B' }), el('th', { scope: 'col', text: 'B − A' }))),
      el('tbody', {}, ...shown.map((row) => el('tr', { class: row.same ? '' : 'differs' },
        el('th', { scope: 'row', text: row.metric }),
        el('td', { text: row.a === null ? '–' : formatValue(row.a) }),
        el('td', { text: row.b === null ? '–' : formatValue(row.b) }),
        differenceCell(row))))),
    more > 0 ? el('p', { text: `… and ${plural(more, 'more metric')} (Diff (CSV) has them all).` }) : '');
  }

  // ---- files ---------------------------------------------------------------------

  #downloadCsv() {
    if (!this.#b?.session) return;
    const b = this.#b;
    const rows = diffMetrics(laneMetrics(this.#a, this.#a.session.snapshot()), laneMetrics(b, b.session.snapshot()))
      .map((r) => [r.metric, r.a, r.b, r.difference ?? (r.same ? 0 : 'differs')]);
    const name = `${this.#a.constructor.sim}-seed${this.#a.seed}-compare.csv`;
    downloadBlob(name, new Blob([csvText(['metric', 'A', 'B', 'difference'], rows)], { type: 'text/csv' }));
  }

  #exportB() {
    const b = this.#b;
    if (!b?.session) return;
    const { sim, ...state } = b.scenario();
    downloadText(scenarioFileName(`${sim}-lane-b`, b.log.length), scenarioFileText(sim, state));
    this.#a.narrate(`Exported lane B's ${plural(b.log.length, 'step')} as a scenario file.`);
  }
}

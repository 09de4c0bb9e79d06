// The comparison table of <sdp-realtime>: each technique run fresh on the
// same seeded event stream (the sim's `compare` op runs two at a time), one
// row per technique, in the columns of the docs table
// (web/realtime-columns.mjs). Runs are collected from the action log, so a
// replay (undo, a link) rebuilds the same table; only the runs of the
// latest setting (clients, rate, size, duration) are shown together.

import { el, formatCount, plural, scrollRegion } from './dom.mjs';
import { comparisonColumns, TECHNIQUE_NAMES, TECHNIQUES } from './realtime-columns.mjs';

export class ComparisonRuns {
  #setting = null; // {key, clients, rate, size, ms}
  #runs = new Map(); // technique -> metrics

  clear() {
    this.#setting = null;
    this.#runs.clear();
  }

  // A `compare` step's result: {ms, clients, rate, size, runs: [metrics, metrics]}.
  add(result) {
    const key = [result.clients, result.rate, result.size, result.ms].join('|');
    if (this.#setting?.key !== key) {
      this.#runs.clear();
      this.#setting = { key, clients: result.clients, rate: result.rate, size: result.size, ms: result.ms };
    }
    for (const run of result.runs) this.#runs.set(run.technique, run);
  }

  get setting() {
    return this.#setting;
  }

  // The techniques compared so far, in the usual order.
  get rows() {
    return TECHNIQUES.filter((t) => this.#runs.has(t)).map((t) => [t, this.#runs.get(t)]);
  }
}

// Fills `host` with the table (or a line saying how to get one).
export function drawComparison(host, runs, seed) {
  const setting = runs.setting;
  if (!setting) {
    host.replaceChildren(el('p', { class: 'note', text: 'No comparison yet: pick two techniques and press Compare, or compare all five. Each run starts fresh from this seed with the current clients and event stream.' }));
    return;
  }
  const columns = comparisonColumns(setting.ms / 1000);
  const rows = runs.rows;
  const missing = TECHNIQUES.filter((t) => !rows.some(([r]) => r === t)).map((t) => TECHNIQUE_NAMES[t]);
  host.replaceChildren(
    el('p', { class: 'note', text: `Seed ${seed}, ${plural(setting.clients, 'client')}, ${setting.rate} events/s of ${formatCount(setting.size)} bytes, ${formatCount(setting.ms / 1000)} simulated s per run; open connections and memory are the peak.${missing.length ? ` Not run yet: ${missing.join(', ')}.` : ''}` }),
    scrollRegion('div', 'Techniques compared', { class: 'table-scroll' }, el('table', { class: 'compare' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'technique' }), ...columns.map((c) => el('th', { scope: 'col', text: c.head })))),
      el('tbody', {}, ...rows.map(([technique, metrics]) => el('tr', {},
        el('th', { scope: 'row', text: TECHNIQUE_NAMES[technique] }), ...columns.map((c) => el('td', { text: c.cell(metrics) }))))))));
}

export const compareCss = `
.table-scroll { overflow-x: auto; }
table.compare { border-collapse: collapse; font-size: 0.85rem; font-variant-numeric: tabular-nums; margin-top: 4px; }
table.compare th, table.compare td { border-bottom: 1px solid var(--sdp-line); padding: 3px 8px; text-align: right; }
table.compare thead th { color: var(--sdp-muted); font-weight: 600; vertical-align: bottom; }
table.compare tbody th { text-align: left; font-weight: 600; white-space: nowrap; }
`;

// What <sdp-estimator> draws from a snapshot: the derived numbers grouped as
// the worksheet reads (each beside its formula), the byte sizes side by side
// on a log scale, the ~2012 latency numbers against the p99 budget, and the
// worksheet as Markdown. Renderers only read the snapshot.

import { el, formatCount } from './dom.mjs';

const BYTE_BARS = [
  ['cache_memory', 'Cache memory'],
  ['storage_per_day', 'Storage per day'],
  ['storage_per_year', 'Storage per year'],
  ['storage_total', 'Storage over the retention'],
];

// Groups in worksheet order, each with its outputs in the sim's order.
function groups(snap) {
  const out = new Map();
  for (const key of snap.order) {
    const o = snap.outputs[key];
    if (!out.has(o.group)) out.set(o.group, []);
    out.get(o.group).push([key, o]);
  }
  return out;
}

// An input's byte count as the outputs show theirs: 3 significant digits,
// decimal prefixes (the sim's ValueText does the same for outputs).
export function bytesText(n) {
  const prefixes = ['', 'K', 'M', 'G', 'T', 'P', 'E'];
  let e = 0;
  while (e < prefixes.length - 1 && n >= 1000 ** (e + 1)) e += 1;
  const x = n / 1000 ** e;
  return `${e === 0 ? String(x) : x.toPrecision(3)} ${prefixes[e]}B`;
}

function exact(o) {
  return `${typeof o.value === 'number' ? o.value.toLocaleString('en-US', { maximumFractionDigits: 3 }) : o.value} ${o.unit}`;
}

export function drawOutputs(host, snap) {
  const sections = [];
  for (const [group, rows] of groups(snap)) {
    sections.push(el('table', { class: 'outputs' },
      el('caption', { text: group }),
      el('thead', {}, el('tr', {}, el('th', { text: 'Quantity' }), el('th', { text: 'Value' }), el('th', { text: 'Formula' }))),
      el('tbody', {}, ...rows.map(([key, o]) => el('tr', { 'data-key': key },
        el('th', { scope: 'row', text: o.label }),
        el('td', { class: 'value', title: `exactly ${exact(o)}`, text: o.text }),
        el('td', {}, el('code', { text: o.formula })))))));
  }
  host.replaceChildren(...sections);
}

// Set through the CSSOM: the pages' CSP (style-src 'self') refuses style attributes.
function barOf(fraction) {
  const bar = el('span', { class: 'bar' });
  bar.style.width = `${(fraction * 100).toFixed(1)}%`;
  return bar;
}

// Horizontal bars on a log10 scale: rows [{label, value, text, className}].
function logBars(rows, { floor, title }) {
  const logs = rows.map((r) => Math.log10(Math.max(r.value, floor)));
  const lo = Math.log10(floor);
  const hi = Math.max(lo + 1, ...logs);
  return el('div', { class: 'log-bars', role: 'list', 'aria-label': title },
    ...rows.map((r, i) => el('div', { class: `log-bar ${r.className ?? ''}`, role: 'listitem' },
      el('span', { class: 'bar-label', text: r.label }),
      el('span', { class: 'bar-track' }, barOf((logs[i] - lo) / (hi - lo))),
      el('span', { class: 'bar-value', text: r.text }))));
}

export function drawMagnitudes(host, snap) {
  const rows = BYTE_BARS.map(([key, label]) => ({ label, value: snap.outputs[key].value, text: snap.outputs[key].text }));
  rows.push({ label: 'One shard holds', value: snap.inputs.per_shard_bytes, text: bytesText(snap.inputs.per_shard_bytes), className: 'reference' });
  host.replaceChildren(el('h3', { text: 'Sizes side by side (log scale: each step is ×10)' }),
    logBars(rows, { floor: 1, title: 'Byte sizes on a log scale' }));
}

export function drawLatency(host, snap) {
  const budgetNs = snap.inputs.p99_ms * 1e6;
  const rows = snap.latency.map((l) => ({ label: l.label, value: l.ns, text: l.text, fits: l.fits_in_p99 }));
  const table = el('table', { class: 'latency' },
    el('thead', {}, el('tr', {}, el('th', { text: 'Operation (~2012)' }), el('th', { text: 'Latency' }),
      el('th', { text: `In one p99 of ${formatCount(snap.inputs.p99_ms)} ms` }))),
    el('tbody', {}, ...rows.map((r) => el('tr', { class: r.value > budgetNs ? 'over' : '' },
      el('th', { scope: 'row', text: r.label }), el('td', { class: 'value', text: r.text }),
      el('td', { class: 'value', text: r.fits === 0 ? 'none: over budget' : `${formatCount(r.fits)} in series` })))));
  const bars = logBars([...rows, { label: 'Your p99 budget', value: budgetNs, text: `${formatCount(snap.inputs.p99_ms)} ms`, className: 'reference' }],
    { floor: 0.1, title: 'Latencies on a log scale, in nanoseconds' });
  host.replaceChildren(el('h3', { text: 'Latency numbers every programmer should know' }),
    el('p', { class: 'note', text: `~2012 figures (Jeff Dean, after Peter Norvig): orders of magnitude, not today's hardware. Source: ${snap.latency_source}.` }),
    el('div', { class: 'columns' }, el('div', { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': 'Latency table' }, table), bars));
}

function cell(text) {
  return String(text).replaceAll('|', '\\|');
}

// The worksheet as Markdown: inputs, every output with its formula, the
// latency budget; the same text the page shows.
export function worksheetMarkdown(snap) {
  const lines = ['# Back-of-the-envelope estimate', '',
    'Decimal units: 1 KB = 1,000 B; a day is 86,400 s, a year 365 days.', '',
    '## Inputs', '', '| Input | Value |', '|---|---|'];
  for (const [field, value] of Object.entries(snap.inputs)) {
    lines.push(`| ${field} | ${cell(value)}${snap.defaulted.includes(field) ? ' (default)' : ''} |`);
  }
  for (const [group, rows] of groups(snap)) {
    lines.push('', `## ${group}`, '', '| Quantity | Value | Exactly | Formula |', '|---|---|---|---|');
    for (const [, o] of rows) lines.push(`| ${cell(o.label)} | ${cell(o.text)} | ${cell(exact(o))} | \`${cell(o.formula)}\` |`);
  }
  lines.push('', `## Latency numbers (~2012) against a p99 of ${snap.inputs.p99_ms} ms`, '', '| Operation | Latency | Fit in the p99 |', '|---|---|---|');
  for (const l of snap.latency) lines.push(`| ${cell(l.label)} | ${l.text} | ${l.fits_in_p99} |`);
  lines.push('', `Source: ${snap.latency_source}.`, '');
  return lines.join('\n');
}

export const panelsCss = `
.outputs { border-collapse: collapse; width: 100%; margin: 0 0 10px; font-size: 0.88rem; }
.outputs caption { text-align: left; font-weight: 600; color: var(--sdp-muted); padding: 4px 0; }
.outputs th, .outputs td, .latency th, .latency td { text-align: left; padding: 3px 6px; border-bottom: 1px solid var(--sdp-line); vertical-align: top; }
.outputs thead th, .latency thead th { color: var(--sdp-muted); font-weight: 600; font-size: 0.8rem; }
.outputs tbody th, .latency tbody th { font-weight: 400; }
.outputs .value, .latency .value { white-space: nowrap; font-variant-numeric: tabular-nums; font-weight: 600; }
.outputs code { font-size: 0.8rem; color: var(--sdp-muted); overflow-wrap: anywhere; }
.latency { border-collapse: collapse; width: 100%; font-size: 0.85rem; }
.latency tr.over td, .latency tr.over th { color: var(--sdp-error); }
.log-bars { display: grid; gap: 3px; margin: 8px 0; font-size: 0.8rem; }
.log-bar { display: grid; grid-template-columns: minmax(6em, 14em) minmax(3em, 1fr) 6.5em; gap: 6px; align-items: center; }
.bar-track { background: var(--sdp-panel); border-radius: 3px; height: 12px; overflow: hidden; }
.bar { display: block; height: 100%; background: var(--sdp-accent); }
.log-bar.reference .bar { background: var(--sdp-warn); }
.log-bar.reference .bar-label { font-weight: 600; }
.bar-value { font-variant-numeric: tabular-nums; white-space: nowrap; }
.scroll { overflow-x: auto; }
/* Narrow (a phone): each output's formula goes under its name and value
   instead of a third column a few characters wide. */
@container (max-width: 520px) {
  .outputs thead { display: none; }
  .outputs tr { display: grid; grid-template-columns: minmax(0, 1fr) auto; border-bottom: 1px solid var(--sdp-line); }
  .outputs th, .outputs td { border-bottom: none; }
  .outputs td:last-child { grid-column: 1 / -1; padding-top: 0; }
}
.note { color: var(--sdp-muted); font-size: 0.82rem; margin: 2px 0 4px; }
h3 { font-size: 0.92rem; margin: 10px 0 4px; color: var(--sdp-muted); font-weight: 600; }
`;

// Steps 3, 9 and 10 of <sdp-design> (the estimate, the verification against
// the run, what would page) and the worksheet as Markdown. Only reads the
// `architecture` sim's snapshot.

import { el, formatCount, plural, scrollRegion } from './dom.mjs';
import { STEPS } from './design-problems.mjs';

// The estimator's outputs step 3 shows (keys of estimator/estimate.h).
const SHOWN = ['avg_qps', 'peak_qps', 'peak_read_qps', 'peak_write_qps', 'storage_per_day', 'storage_total', 'peak_egress', 'cache_memory', 'servers'];
const LABELS = {
  avg_qps: 'Average QPS', peak_qps: 'Peak QPS', peak_read_qps: 'Peak reads', peak_write_qps: 'Peak writes',
  storage_per_day: 'Storage a day', storage_total: 'Storage over the retention', peak_egress: 'Peak egress',
  cache_memory: 'Cache memory', servers: 'Servers',
};

export const panelsCss = `
.numbers { border-collapse: collapse; font-size: 0.88rem; }
.numbers th, .numbers td { padding: 3px 8px; border-bottom: 1px solid var(--sdp-line); text-align: left; vertical-align: top; }
.numbers td.num { text-align: right; white-space: nowrap; }
.numbers td.formula { color: var(--sdp-muted); font-size: 0.82rem; }
.pass { color: var(--sdp-ok); font-weight: 600; }
.fail { color: var(--sdp-error); font-weight: 600; }
.alerts { margin: 4px 0; padding-left: 20px; }
.alerts li { color: var(--sdp-error); }
.quiet { color: var(--sdp-ok); }
`;

function table(label, head, rows) {
  return scrollRegion('div', label, { class: 'table-scroll' },
    el('table', { class: 'numbers' }, el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { text: h })))),
      el('tbody', {}, ...rows)));
}

export function drawEstimate(host, snap) {
  host.replaceChildren();
  const est = snap.estimate;
  if (!est) {
    host.append(el('p', { class: 'empty-note', text: 'No estimate yet: fill in the inputs and press Estimate (or load the worked problem).' }));
    return;
  }
  host.append(table('Estimates', ['number', 'value', 'formula'], SHOWN.map((key) => el('tr', {},
    el('td', { text: LABELS[key] }), el('td', { class: 'num', text: est.text[key] }), el('td', { class: 'formula', text: est.formula[key] })))));
}

// Bytes in the estimator's decimal units (1 MB = 10^6 B), 3 significant digits.
function bytesText(b) {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let i = 0;
  while (b >= 1000 && i < units.length - 1) { b /= 1000; i += 1; }
  return `${b.toPrecision(3)} ${units[i]}`;
}

function measuredText(check) {
  const v = check.measured;
  const sample = check.sample !== undefined ? ` (${plural(check.sample, 'write')} counted)` : '';
  return (check.unit === 'B' ? `${bytesText(v)}/day` : `${formatCount(v)} ${check.unit}`) + sample;
}

export function drawVerify(host, snap) {
  host.replaceChildren();
  if (!snap.verify) {
    host.append(el('p', { class: 'empty-note', text: 'Estimate (step 3) and run (step 6) first: then each estimated number stands beside the measured one.' }));
    return;
  }
  host.append(el('p', { text: `Measured over the last run window (${formatCount(snap.window_ms)} ms at ${formatCount(snap.traffic.rps)} req/s offered).` }),
    table('Verification', ['check', 'estimate', 'measured', ''], snap.verify.map((c) => el('tr', {},
      el('td', { text: c.label }),
      el('td', { class: 'num', text: c.key in (snap.estimate?.text ?? {}) ? snap.estimate.text[c.key] : `${formatCount(c.estimate)} ${c.unit}` }),
      el('td', { class: 'num', text: measuredText(c) }),
      el('td', { class: c.pass ? 'pass' : 'fail', text: c.pass ? 'holds' : 'does not hold' })))));
}

export function drawAlerts(host, snap) {
  host.replaceChildren();
  if (!snap.window_ms) {
    host.append(el('p', { class: 'empty-note', text: 'Run the architecture first; the alert rules are evaluated on each run.' }));
    return;
  }
  host.append(el('p', { text: 'Rules: utilization over 80 %, errors over 1 % (a component or end to end), p99 over the SLO, queue consumers more than 10 s behind.' }));
  if (snap.alerts.length === 0) host.append(el('p', { class: 'quiet', text: 'Nothing would page in the last window.' }));
  else host.append(el('ul', { class: 'alerts', 'aria-label': 'What would page' }, ...snap.alerts.map((a) => el('li', { text: a.message }))));
  host.append(el('p', { text: `${plural(snap.pages_total, 'page')} over the whole run.` }));
}

// The worksheet as a Markdown document: the problem, every step's answer,
// the estimate, the architecture's numbers, the verification and the alerts.
export function designMarkdown(snap, title) {
  const cell = (t) => String(t).replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [`# Design worksheet: ${title}`, ''];
  STEPS.forEach(([name, question], i) => {
    lines.push(`## ${i + 1}. ${name}`, '', `*${question}*`, '', snap.worksheet[i] || '_(not answered)_', '');
    if (i === 2 && snap.estimate) {
      lines.push('| number | value | formula |', '|---|---|---|');
      for (const key of SHOWN) lines.push(`| ${LABELS[key]} | ${snap.estimate.text[key]} | ${cell(snap.estimate.formula[key])} |`);
      lines.push('');
    }
    if (i === 5 && snap.components.length) {
      lines.push(`Traffic ${snap.traffic.rps} req/s, ${snap.traffic.mix * 100} % reads; last window ${snap.window_ms} ms.`, '',
        '| component | kind | to | req/s | p99 ms | busy | errors |', '|---|---|---|---|---|---|---|');
      for (const c of snap.components) {
        const s = c.stats;
        lines.push(`| ${cell(c.id)} | ${c.kind} | ${cell(c.to.join(', '))} | ${s.throughput_rps} | ${s.p99_ms} | ${s.utilization ?? ''} | ${s.errors} |`);
      }
      const e = snap.end_to_end;
      lines.push('', `End to end: ${e.throughput_rps} req/s, p50 ${e.p50_ms} ms, p99 ${e.p99_ms} ms, error rate ${e.error_rate}.`, '');
    }
    if (i === 8 && snap.verify) {
      lines.push('| check | estimate | measured | holds |', '|---|---|---|---|');
      for (const c of snap.verify) lines.push(`| ${c.label} | ${c.estimate} ${c.unit} | ${c.measured} ${c.unit} | ${c.pass ? 'yes' : 'no'} |`);
      lines.push('');
    }
    if (i === 9 && snap.window_ms) {
      lines.push(snap.alerts.length ? snap.alerts.map((a) => `- ${a.message}`).join('\n') : 'Nothing would page in the last window.', '');
    }
  });
  return `${lines.join('\n')}\n`;
}

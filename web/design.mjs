// <sdp-design>: the ten steps of the design method as a guided worksheet
// for a built-in problem (URL shortener, chat, news feed) or your own, on
// the `architecture` sim. Every step asks its question and keeps the answer
// (a `worksheet` step, so links, undo and export carry it; "Show worked
// answer" fills in the problem's); step 3 is the estimator's numbers (an
// `estimate` step: the estimator's own code, no copy of its formulas),
// step 6 the runnable architecture (web/design-architecture.mjs), step 9
// the estimate against the run and step 10 faults and what would page
// (web/design-panels.mjs). Download > Worksheet (Markdown) and Results
// (JSON) come from the base's export panel.
// Attributes: problem (custom | url_shortener | chat | news_feed), seed,
// sync-url, state-key.

import { el, NumberFields, selectBox, setSelect, showNumber } from './dom.mjs';
import { sheetFrom } from './theme.mjs';
import { SdpWidget } from './sdp-widget.mjs';
import { scenarioAt } from './tours.mjs';
import { PROBLEMS, problemSteps, STEPS } from './design-problems.mjs';
import { architectureCss, drawGraph, drawStats, resultsDocument } from './design-architecture.mjs';
import { designMarkdown, drawAlerts, drawEstimate, drawVerify, panelsCss } from './design-panels.mjs';

const KINDS = ['client', 'dns', 'cdn', 'api_gateway', 'load_balancer', 'service', 'cache', 'database', 'queue', 'search_index'];
const FAULTS = [['kill_replica', 'kill a replica'], ['partition', 'partition'], ['slow', 'slow down (x10)'], ['spike', 'spike traffic (x5)'], ['heal', 'heal']];
const ESTIMATE_FIELDS = [
  ['dau', 'Daily users', 'daily active users'],
  ['requests_per_user_per_day', 'Requests / user / day', 'reads and writes together'],
  ['peak_factor', 'Peak factor', 'peak QPS / average QPS'],
  ['object_bytes', 'Object bytes', 'bytes one write stores'],
  ['retention_days', 'Retention days', 'days the data is kept'],
  ['replication', 'Replicas', 'copies of every byte'],
  ['per_server_qps', 'QPS per server', 'what one server sustains'],
];

const styles = sheetFrom(`
.top { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 8px; }
.step { border: 1px solid var(--sdp-line); border-radius: var(--sdp-radius); padding: 8px 12px; margin: 8px 0; min-width: 0; }
.step h3 { margin: 0 0 4px; font-size: 1rem; }
.step .question { margin: 0 0 4px; color: var(--sdp-muted); }
.step .links { margin: 0 0 6px; font-size: 0.88rem; display: flex; flex-wrap: wrap; align-items: center; gap: 0 12px; }
.step .links a { color: var(--sdp-accent); display: inline-flex; align-items: center; min-height: 40px; min-width: 40px; }
.step textarea { width: 100%; min-height: 64px; font: inherit; color: var(--sdp-fg); background: var(--sdp-bg); border: 1px solid var(--sdp-line); border-radius: 6px; padding: 6px; }
.step .panel-area { margin-top: 8px; min-width: 0; }
.controls { display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: flex-start; margin-top: 6px; }
.controls label { display: inline-flex; flex-direction: column; font-size: 0.82rem; color: var(--sdp-muted); gap: 2px; }
.controls input[type=number] { width: 9em; }
.controls input.params { width: 16em; }
${architectureCss}
${panelsCss}
`);

export class DesignElement extends SdpWidget {
  static sim = 'architecture';
  static title = 'The design method: a worksheet you can run';
  static subtitle = 'Ten steps from requirements to monitoring for a built-in problem or your own: estimates from the estimator, an architecture that runs, the estimate checked against the run, and faults that page.';
  static styles = [styles];
  static attributes = { problem: { config: 'problem', default: 'custom' } };

  #v = {};

  markdown() {
    const snap = this.session.snapshot();
    return designMarkdown(snap, PROBLEMS[snap.problem]?.title ?? 'your own problem');
  }

  // Download > Results (JSON): the architecture and what the last run measured.
  resultsJson() {
    return resultsDocument(this.session.snapshot());
  }

  describe(step, r) {
    switch (step.op) {
      case 'advance': return `Ran ${step.ms} ms: ${Math.round(r.throughput_rps)} req/s served, p99 ${r.p99_ms} ms${r.alerts.length ? `; paging: ${r.alerts.join('; ')}` : ', nothing pages'}.`;
      case 'estimate': return `Estimated ${r.text.avg_qps} on average, ${r.text.peak_qps} at peak, ${r.text.storage_per_day} stored a day.`;
      case 'component_add': return `Added ${r.kind} ${r.id}.`;
      case 'connect': return `Connected ${r.from} to ${r.to}.`;
      case 'disconnect': return `Disconnected ${r.from} from ${r.to}.`;
      case 'traffic': return `Traffic: ${r.rps} req/s, ${Math.round(r.mix * 100)} % reads.`;
      case 'fault': return `Fault: ${r.kind} on ${r.component}. Run to see what pages.`;
      case 'worksheet': return `Step ${r.step} answered.`;
      default: return '';
    }
  }

  buildBody(body) {
    const v = this.#v;
    v.problem = selectBox('Problem', [['custom', 'Your own problem'], ...Object.entries(PROBLEMS).map(([k, p]) => [k, p.title])]);
    v.problem.addEventListener('change', () => this.setConfig({ problem: v.problem.value }, v.problem));
    v.load = el('button', { type: 'button', class: 'primary', text: 'Load the worked problem',
      title: 'Apply the worked estimate and architecture of this problem (its guided tour, step by step)',
      onclick: (e) => this.#loadWorked(e.currentTarget) });
    body.append(el('div', { class: 'top' }, this.controlGroup(el('label', {}, 'Problem ', v.problem), v.load)));
    v.answers = [];
    v.workedButtons = [];
    STEPS.forEach(([title, question, links], i) => {
      const area = el('textarea', { 'aria-label': `Step ${i + 1} answer: ${title}`, maxlength: 4000 });
      const save = el('button', { type: 'button', text: 'Save answer', onclick: (e) => this.act({ op: 'worksheet', step: i + 1, text: area.value }, e.currentTarget) });
      const worked = el('button', { type: 'button', text: 'Show worked answer', onclick: (e) => this.#showWorked(i, e.currentTarget) });
      v.answers.push(area);
      v.workedButtons.push(worked);
      const section = el('section', { class: 'step', 'aria-labelledby': `step-${i + 1}` },
        el('h3', { id: `step-${i + 1}`, text: `${i + 1}. ${title}` }),
        el('p', { class: 'question', text: question }),
        el('p', { class: 'links' }, 'Explore: ', ...links.map(([id, what]) => el('a', { href: `topic.html?t=${id}`, text: what }))),
        area, this.controlGroup(save, worked));
      const panel = this.#panel(i);
      if (panel) section.append(el('div', { class: 'panel-area' }, panel));
      body.append(section);
    });
  }

  #panel(i) {
    const v = this.#v;
    if (i === 2) {
      v.estimateFields = new NumberFields(ESTIMATE_FIELDS);
      v.ratio = el('input', { type: 'text', 'aria-label': 'Reads:writes', size: 8 });
      const go = el('button', { type: 'button', class: 'primary', text: 'Estimate', onclick: (e) => this.#estimate(e.currentTarget) });
      v.estimate = el('div');
      return el('div', {}, el('div', { class: 'controls' }, ...v.estimateFields.labels(), el('label', { title: 'reads to writes as r:w' }, 'Reads:writes', v.ratio)),
        this.controlGroup(go), v.estimate);
    }
    if (i === 5) {
      v.graph = el('div');
      v.stats = el('div');
      v.kind = selectBox('Kind', KINDS.map((k) => [k, k.replace('_', ' ')]));
      v.id = el('input', { type: 'text', 'aria-label': 'Component id', size: 10, placeholder: 'id' });
      v.params = el('input', { type: 'text', class: 'params', 'aria-label': 'Params (JSON)', placeholder: '{"replicas": 2}' });
      v.from = selectBox('From', []);
      v.to = selectBox('To', []);
      v.rps = el('input', { type: 'number', 'aria-label': 'Requests per second', min: 0, step: 1 });
      v.mix = el('input', { type: 'number', 'aria-label': 'Share of reads', min: 0, max: 1, step: 0.01 });
      v.runMs = selectBox('Run for', [[1000, '1 s'], [5000, '5 s'], [10000, '10 s']]);
      v.runMs.value = '5000';
      return el('div', {}, v.graph,
        el('div', { class: 'controls' },
          this.controlGroup(el('label', {}, 'Kind', v.kind), el('label', {}, 'Id', v.id), el('label', {}, 'Params (JSON)', v.params),
            el('button', { type: 'button', text: 'Add', onclick: (e) => this.#add(e.currentTarget) })),
          this.controlGroup(el('label', {}, 'From', v.from), el('label', {}, 'To', v.to),
            el('button', { type: 'button', text: 'Connect', onclick: (e) => this.act({ op: 'connect', from: v.from.value, to: v.to.value }, e.currentTarget) }),
            el('button', { type: 'button', text: 'Disconnect', onclick: (e) => this.act({ op: 'disconnect', from: v.from.value, to: v.to.value }, e.currentTarget) }))),
        el('div', { class: 'controls' },
          this.controlGroup(el('label', {}, 'Requests/s', v.rps), el('label', {}, 'Share of reads', v.mix),
            el('button', { type: 'button', text: 'Set traffic', onclick: (e) => this.act({ op: 'traffic', rps: this.#num(v.rps), mix: this.#num(v.mix) }, e.currentTarget) })),
          this.controlGroup(el('label', {}, 'Run for', v.runMs), this.#runButton())),
        v.stats);
    }
    if (i === 8) return (v.verify = el('div'));
    if (i === 9) {
      v.faultOn = selectBox('Fault on', []);
      v.faultKind = selectBox('Fault', FAULTS);
      v.alerts = el('div');
      return el('div', {}, el('div', { class: 'controls' },
        this.controlGroup(el('label', {}, 'Component', v.faultOn), el('label', {}, 'Fault', v.faultKind),
          el('button', { type: 'button', text: 'Inject', onclick: (e) => this.act({ op: 'fault', component: v.faultOn.value, kind: v.faultKind.value }, e.currentTarget) }),
          this.#runButton('Run with the fault'))), v.alerts);
    }
    return null;
  }

  #runButton(text = 'Run') {
    return el('button', { type: 'button', class: 'primary', text, title: 'Advance simulated time by the span chosen in step 6',
      onclick: (e) => this.act({ op: 'advance', ms: Number(this.#v.runMs.value) }, e.currentTarget) });
  }

  // An empty box goes as null, so the sim refuses it by name.
  #num(input) {
    return input.value.trim() === '' ? null : Number(input.value);
  }

  #slot(source) {
    return source.closest('.control')?.querySelector('.field-error');
  }

  #add(source) {
    const v = this.#v;
    let params = {};
    if (v.params.value.trim() !== '') {
      try {
        params = JSON.parse(v.params.value);
      } catch {
        this.#slot(source).textContent = 'Params must be a JSON object such as {"replicas": 2}; the component was not added.';
        return;
      }
    }
    if (this.act({ op: 'component_add', id: v.id.value.trim(), kind: v.kind.value, params }, source) !== null) {
      v.id.value = '';
      v.params.value = '';
    }
  }

  #estimate(source) {
    const v = this.#v;
    const inputs = {};
    for (const [field, value] of Object.entries(v.estimateFields.values())) if (value !== null) inputs[field] = value;
    if (v.ratio.value.trim() !== '') inputs.read_write_ratio = v.ratio.value.trim();
    this.act({ op: 'estimate', inputs }, source);
  }

  #showWorked(i, source) {
    const problem = PROBLEMS[this.config.problem];
    if (!problem) return;
    this.#v.answers[i].value = problem.answers[i];
    this.act({ op: 'worksheet', step: i + 1, text: problem.answers[i] }, source);
  }

  async #loadWorked(source) {
    const steps = problemSteps(scenarioAt, this.config.problem);
    if (steps.length === 0) {
      this.#slot(source).textContent = 'Choose one of the built-in problems first; your own problem starts empty.';
      return;
    }
    // The worked problem's SLO too (a config field: the log replays under it).
    const slo = scenarioAt(PROBLEMS[this.config.problem].scenario).config?.slo_ms;
    if (slo !== undefined && slo !== this.config.slo_ms) await this.setConfig({ slo_ms: slo }, source);
    this.actAll(steps, source, (results) => `Loaded the worked ${PROBLEMS[this.config.problem].title}: ${results.length} steps (estimate, architecture, runs and faults).`);
  }

  render(snap) {
    const v = this.#v;
    setSelect(v.problem, snap.problem);
    const worked = snap.problem in PROBLEMS;
    v.load.disabled = !worked;
    for (const b of v.workedButtons) b.disabled = !worked;
    snap.worksheet.forEach((text, i) => {
      const area = v.answers[i];
      if (area.getRootNode().activeElement !== area) area.value = text;
    });
    const inputs = snap.estimate?.inputs ?? {};
    v.estimateFields.show(inputs);
    if (v.ratio.getRootNode().activeElement !== v.ratio) v.ratio.value = inputs.read_write_ratio ?? '';
    showNumber(v.rps, snap.traffic.rps);
    showNumber(v.mix, snap.traffic.mix);
    const ids = snap.components.map((c) => [c.id, c.id]);
    for (const select of [v.from, v.to, v.faultOn]) {
      const keep = select.value;
      select.replaceChildren(...ids.map(([value, text]) => el('option', { value, text })));
      if (ids.some(([id]) => id === keep)) select.value = keep;
    }
    drawEstimate(v.estimate, snap);
    drawGraph(v.graph, snap);
    drawStats(v.stats, snap);
    drawVerify(v.verify, snap);
    drawAlerts(v.alerts, snap);
  }
}

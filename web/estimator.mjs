// <sdp-estimator>: back-of-the-envelope estimates as a worksheet (the
// `estimator` sim). The user fills in the inputs (web/estimator-worksheet.mjs)
// and presses Estimate; every derived number appears beside its formula, the
// byte sizes side by side on a log scale, and the ~2012 latency numbers
// against the p99 budget (web/estimator-panels.mjs). Download > Worksheet
// saves it all as Markdown. Each Estimate is one action, so undo, the
// timeline, share links and Compare A/B work as in every widget.
// Attributes: dau, requests-per-user, p99-ms, seed, sync-url, state-key.

import { el } from './dom.mjs';
import { sheetFrom } from './theme.mjs';
import { SdpWidget } from './sdp-widget.mjs';
import { Worksheet, worksheetCss } from './estimator-worksheet.mjs';
import { drawLatency, drawMagnitudes, drawOutputs, panelsCss, worksheetMarkdown } from './estimator-panels.mjs';

// The sim's defaults for the inputs the attributes set (estimator/estimate.h).
const DEFAULTS = { dau: 100000000, 'requests-per-user': 10, 'p99-ms': 200 };

const styles = sheetFrom(`
:host { container-type: inline-size; }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(380px, 100%), 1fr)); gap: 8px 20px; align-items: start; }
.actions { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.card { min-width: 0; }
${worksheetCss}
${panelsCss}
`);

export class EstimatorElement extends SdpWidget {
  static sim = 'estimator';
  static title = 'Back-of-the-envelope estimates';
  static subtitle = 'Fill in users, requests, sizes and retention: see average and peak QPS, storage with replication, bandwidth, cache memory, servers and shards, each beside its formula, and what fits in your p99.';
  static styles = [styles];
  static attributes = {
    dau: { type: 'integer', min: 0, max: 10000000000, default: DEFAULTS.dau },
    'requests-per-user': { type: 'integer', min: 0, max: 1000000, default: DEFAULTS['requests-per-user'] },
    'p99-ms': { type: 'integer', min: 1, max: 3600000, default: DEFAULTS['p99-ms'] },
  };

  #v = {};

  // A fresh sim already holds the estimate of the defaults; attributes that
  // differ become the first estimate.
  initialSteps(values) {
    const inputs = {};
    if (values.dau !== DEFAULTS.dau) inputs.dau = values.dau;
    if (values['requests-per-user'] !== DEFAULTS['requests-per-user']) inputs.requests_per_user_per_day = values['requests-per-user'];
    if (values['p99-ms'] !== DEFAULTS['p99-ms']) inputs.p99_ms = values['p99-ms'];
    return Object.keys(inputs).length ? [{ op: 'estimate', inputs }] : [];
  }

  describe(step, r) {
    if (step.op !== 'estimate') return '';
    const t = r.text;
    return `Estimated: ${t.avg_qps} on average, ${t.peak_qps} at peak (${t.servers}); ${t.storage_total} stored over the retention; ${t.cache_memory} of cache; ${t.disk_seeks_in_p99} fit in the p99.`;
  }

  // Download > Worksheet (Markdown): the export panel offers it for any
  // widget with this method.
  markdown() {
    return worksheetMarkdown(this.session.snapshot());
  }

  buildBody(body) {
    const v = this.#v;
    v.sheet = new Worksheet();
    v.estimate = el('button', { type: 'button', class: 'primary', text: 'Estimate', title: 'Derive every number from these inputs (Enter in any box does the same)',
      onclick: (e) => this.#estimate(e.currentTarget) });
    v.defaults = el('button', { type: 'button', text: 'Defaults', title: 'Estimate with every input at its default',
      onclick: (e) => this.#estimate(e.currentTarget, {}) });
    const form = el('form', { class: 'worksheet', 'aria-label': 'Worksheet inputs' }, ...v.sheet.groups,
      el('div', { class: 'control' }, el('div', { class: 'actions' }, v.estimate, v.defaults), el('div', { class: 'field-error', role: 'alert' })));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.#estimate(v.estimate);
    });
    // Enter in a box submits the form (a form with no submit button would not).
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && e.target instanceof HTMLInputElement) {
        e.preventDefault();
        this.#estimate(v.estimate);
      }
    });
    // The inputs and the sizes on the left, the long list of outputs on the
    // right; the latency reference spans the width below.
    body.append(el('div', { class: 'columns' },
      el('div', { class: 'card' },
        el('section', { 'aria-label': 'Inputs' }, form),
        v.magnitudes = el('section', { 'aria-label': 'Sizes' })),
      el('section', { class: 'card', 'aria-label': 'Estimates' }, v.outputs = el('div'))),
    v.latency = el('section', { class: 'card', 'aria-label': 'Latency numbers' }));
  }

  // One estimate step; a refusal that names an input is shown beside its box.
  #estimate(source, inputs = this.#v.sheet.inputs()) {
    const v = this.#v;
    v.sheet.clearErrors();
    if (this.act({ op: 'estimate', inputs }, source) !== null) return;
    const slot = source.closest('.control')?.querySelector('.field-error');
    if (slot && v.sheet.placeError(slot.textContent)) slot.textContent = '';
  }

  render(snap) {
    const v = this.#v;
    v.sheet.show(snap.inputs);
    drawOutputs(v.outputs, snap);
    drawMagnitudes(v.magnitudes, snap);
    drawLatency(v.latency, snap);
  }
}

// The estimator's input form: one labelled box per input of the `estimate`
// op, each in its own control row so that a refusal naming the field is shown
// beside that box. The sim checks every value (estimator_sim_info.cpp has the
// ranges); the boxes' min/max only hint.

import { el, numberBox, numberValue, showNumber } from './dom.mjs';

// [field, label, unit shown after the box, box props]; grouped as the
// worksheet reads: who uses it, what it stores, what one machine holds.
export const INPUT_GROUPS = [
  ['Traffic', [
    ['dau', 'Daily active users', 'users', { min: 0, max: 10000000000 }],
    ['requests_per_user_per_day', 'Requests per user per day', 'req', { min: 0, max: 1000000 }],
    ['read_write_ratio', 'Reads : writes', 'r:w', { text: true }],
    ['peak_factor', 'Peak / average', '×', { min: 1, max: 1000, step: 0.1 }],
  ]],
  ['Data', [
    ['object_bytes', 'Bytes per object', 'B', { min: 1, max: 1000000000000 }],
    ['retention_days', 'Retention', 'days', { min: 1, max: 36500 }],
    ['replication', 'Replication factor', 'copies', { min: 1, max: 10 }],
    ['cache_share', 'Cache share of daily reads', '0-1', { min: 0, max: 1, step: 0.05 }],
  ]],
  ['Capacity', [
    ['per_server_qps', 'QPS one server sustains', 'req/s', { min: 1, max: 1000000000 }],
    ['per_shard_bytes', 'Bytes one shard holds', 'B', { min: 1, max: 1000000000000000000 }],
    ['p99_ms', 'p99 latency budget', 'ms', { min: 1, max: 3600000 }],
  ]],
];

const FIELD_IN_MESSAGE = /field "([a-z0-9_]+)"/;

export class Worksheet {
  constructor() {
    this.boxes = {};
    this.errors = {};
    this.groups = INPUT_GROUPS.map(([title, rows]) => el('fieldset', { class: 'inputs' },
      el('legend', { text: title }),
      ...rows.map(([field, label, unit, props]) => this.#row(field, label, unit, props))));
  }

  #row(field, label, unit, { text, ...props }) {
    const box = text
      ? el('input', { type: 'text', 'aria-label': label, size: 9, spellcheck: 'false', autocomplete: 'off' })
      : numberBox(label, props);
    box.name = field;
    this.boxes[field] = box;
    this.errors[field] = el('div', { class: 'field-error', role: 'alert' });
    return el('div', { class: 'control input-row' },
      el('label', { title: field }, el('span', { class: 'input-label', text: label }), box, el('span', { class: 'unit', text: unit })),
      this.errors[field]);
  }

  // The `inputs` object of an estimate step: every box, as typed (an empty
  // box goes as null so the sim refuses it by name).
  inputs() {
    return Object.fromEntries(Object.entries(this.boxes).map(([field, box]) =>
      [field, box.type === 'text' ? box.value.trim() : numberValue(box)]));
  }

  show(inputs) {
    for (const [field, box] of Object.entries(this.boxes)) {
      if (box.type === 'text') {
        if (box.getRootNode().activeElement !== box) box.value = inputs[field];
      } else showNumber(box, inputs[field]);
    }
  }

  // Moves a refusal that names an input next to that input's box; false if it names none.
  placeError(message) {
    const field = FIELD_IN_MESSAGE.exec(message)?.[1];
    if (!field || !this.boxes[field]) return false;
    this.errors[field].textContent = message;
    this.boxes[field].setAttribute('aria-invalid', 'true');
    this.boxes[field].focus();
    return true;
  }

  clearErrors() {
    for (const [field, slot] of Object.entries(this.errors)) {
      slot.textContent = '';
      this.boxes[field].removeAttribute('aria-invalid');
    }
  }
}

export const worksheetCss = `
.inputs { border: 1px solid var(--sdp-line); border-radius: var(--sdp-radius); margin: 0 0 8px; padding: 4px 10px 6px; min-width: 0; }
.inputs legend { color: var(--sdp-muted); font-size: 0.85rem; font-weight: 600; padding: 0 4px; }
.input-row { margin: 4px 0; }
.input-row label { display: grid; grid-template-columns: minmax(0, 1fr) minmax(6.5em, 9.5em) 3.2em; gap: 6px; align-items: center; }
.input-row input { width: 100%; box-sizing: border-box; }
.input-row .unit { color: var(--sdp-muted); font-size: 0.82rem; }
.input-row input[aria-invalid="true"] { border-color: var(--sdp-error); }
`;

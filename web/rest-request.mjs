// The request builder of <sdp-rest>: method, path (the API's four resource
// shapes one click away), the request headers a lesson needs, each switched
// on or off (Authorization on by default: statelessness means every request
// carries it), and a body box. It only writes the `request` step; the sim
// checks everything and refuses what HTTP would not send, naming the field,
// so that its words, not ours, appear under the controls.

import { el, selectBox } from './dom.mjs';

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
// The API's resources (docs/rest.md): a click puts one in the path box.
export const PATH_SHAPES = ['/users', '/users/1', '/users/1/orders', '/orders/1'];
// Methods whose request carries a body here (RFC 9110 gives GET and DELETE
// bodies no meaning: the box is disabled for them).
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

export const requestCss = `
.request .row { flex-wrap: wrap; }
.request input.path { width: 13em; font-family: ui-monospace, monospace; }
.request .shapes button { font-family: ui-monospace, monospace; font-size: 0.8rem; padding: 2px 8px; min-height: 26px; }
.request .headers { display: grid; grid-template-columns: auto 1fr; gap: 4px 8px; align-items: center; width: 100%; }
.request .headers label.check { display: flex; gap: 6px; align-items: center; white-space: nowrap; font-family: ui-monospace, monospace; font-size: 0.82rem; color: var(--sdp-fg); }
.request .headers input[type=text], .request .headers select { font-family: ui-monospace, monospace; font-size: 0.82rem; min-width: 0; width: 100%; box-sizing: border-box; }
.request .headers input:disabled, .request .headers select:disabled, .request textarea:disabled { opacity: 0.55; }
.request textarea { width: 100%; box-sizing: border-box; font: 0.82rem ui-monospace, monospace; color: inherit; background: var(--sdp-bg);
  border: 1px solid var(--sdp-line); border-radius: 6px; padding: 4px 6px; min-height: 3.4em; resize: vertical; }
.request .hint { color: var(--sdp-muted); font-size: 0.8rem; margin: 2px 0; }
`;

// One optional header: a checkbox that switches it on and its value box.
function headerRow(name, input, on) {
  const check = el('input', { type: 'checkbox', 'aria-label': `Send ${name}`, checked: on });
  const sync = () => { input.disabled = !check.checked; };
  check.addEventListener('change', sync);
  sync();
  return { name, check, input, sync, label: el('label', { class: 'check' }, check, `${name}:`) };
}

export class RequestForm {
  constructor() {
    this.method = selectBox('Method', METHODS.map((m) => [m, m]));
    this.path = el('input', { type: 'text', class: 'path', value: '/users/1', 'aria-label': 'Path', spellcheck: 'false' });
    this.shapes = el('div', { class: 'row shapes', role: 'group', 'aria-label': 'Resource shapes' },
      el('span', { class: 'hint', text: 'Resources:' }),
      ...PATH_SHAPES.map((p) => el('button', { type: 'button', text: p, title: `Put ${p} in the path box`,
        'aria-label': `Path ${p}`, onclick: () => { this.path.value = p; } })));
    const text = (label, value) => el('input', { type: 'text', 'aria-label': label, value, spellcheck: 'false' });
    this.headers = [
      headerRow('Authorization', text('Authorization value', 'Bearer alice'), true),
      headerRow('If-None-Match', text('If-None-Match value', ''), false),
      headerRow('Idempotency-Key', text('Idempotency-Key value', '"order-1"'), false),
      headerRow('Cache-Control', selectBox('Cache-Control value', [['no-cache', 'no-cache (revalidate first)'], ['no-store', 'no-store (do not keep it)']]), false),
    ];
    this.body = el('textarea', { 'aria-label': 'Body', rows: 3, spellcheck: 'false' });
    this.body.value = '{"name": "Ada", "city": "London"}';
    this.bodyHint = el('p', { class: 'hint' });
    this.method.addEventListener('change', () => this.#syncBody());
    this.#syncBody();
  }

  header(name) {
    return this.headers.find((h) => h.name === name);
  }

  // The form as the sim's `request` step. The body goes as the raw text
  // typed (a string): text that is not JSON reaches the API, which answers
  // 400, as a real one would.
  step() {
    const headers = {};
    for (const h of this.headers) if (h.check.checked) headers[h.name] = h.input.value;
    const step = { op: 'request', method: this.method.value, path: this.path.value, headers };
    if (WITH_BODY.has(this.method.value)) step.body = this.body.value;
    return step;
  }

  // The header rows, for a grid of [label, value box].
  headerCells() {
    return el('div', { class: 'headers' }, ...this.headers.flatMap((h) => [h.label, h.input]));
  }

  // Puts a header's value in its box and switches it on (the last ETag
  // into If-None-Match).
  use(name, value) {
    const h = this.header(name);
    h.input.value = value;
    h.check.checked = true;
    h.sync();
  }

  #syncBody() {
    const has = WITH_BODY.has(this.method.value);
    this.body.disabled = !has;
    this.bodyHint.textContent = has
      ? 'Sent as typed: a JSON object (PATCH: a merge patch, null removes a member); anything else gets 400 from the API.'
      : `${this.method.value} sends no body.`;
  }
}

// Tiny DOM/SVG builders. Text always goes through textContent, never
// innerHTML: user-entered ids and keys must render as text.

const SVG_NS = 'http://www.w3.org/2000/svg';

function applyProps(node, props) {
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') node.textContent = String(value);
    // Styles go through the CSSOM: a style *attribute* is inline style, which
    // the pages' Content-Security-Policy (style-src 'self') refuses.
    else if (name === 'style') for (const [prop, v] of Object.entries(value)) node.style.setProperty(prop, String(v));
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
}

// el('button', {class: 'primary', onclick: fn, text: 'Add'}, ...children)
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  applyProps(node, props);
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

export function svg(tag, props = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  applyProps(node, props);
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

export function formatCount(n) {
  return Number(n).toLocaleString('en-US');
}

export function formatPercent(fraction, digits = 1) {
  return `${(fraction * 100).toFixed(digits)}%`;
}

export function plural(n, noun) {
  return `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;
}

// A button that acts on one of several things (a server, a consumer): its
// accessible name is the visible text followed by the thing ("Kill broker 2"),
// so speech users can say what they see (WCAG 2.5.3, label in name).
export function actionButton(text, subject, onclick, props = {}) {
  return el('button', { type: 'button', text, 'aria-label': `${text} ${subject}`, onclick, ...props });
}

// A box whose content scrolls: keyboard users must be able to focus it to
// scroll it (WCAG 2.1.1), and a focusable box needs a name and a role.
export function scrollRegion(tag, label, props = {}, ...children) {
  const { class: extra = '', ...rest } = props;
  return el(tag, { role: 'group', ...rest, class: `scroll-region ${extra}`.trim(), tabindex: 0, 'aria-label': label }, ...children);
}

// A diagram drawn in an SVG viewBox shrinks with the widget: on a phone
// (about 350 px) a 760-unit diagram would draw its 11 px labels at 5 px.
// wideDiagram keeps the SVG at least as wide as its smallest labels
// (labelPx, in viewBox units) need to be MIN_LABEL_PX on screen, and puts it
// in a named scroll region: below that width the region scrolls sideways
// inside the widget (the page never does); above it nothing changes.
export const MIN_LABEL_PX = 10;
export function readableWidth(svgEl, units, labelPx = 11) {
  svgEl.style.minWidth = `${Math.ceil((units * MIN_LABEL_PX) / labelPx)}px`;
}
export function wideDiagram(svgEl, label, { units, labelPx = 11, class: extra = '' }) {
  readableWidth(svgEl, units, labelPx);
  return scrollRegion('div', label, { class: `diagram-scroll ${extra}`.trim() }, svgEl);
}

// An on/off button (play a tour, run live): its label stays put and
// aria-pressed says the state, so a screen reader announces "Run live,
// toggle button, pressed" rather than a label that changes under the focus.
// The icon (▶ off, ⏸ on) is for the eye only.
export function toggleButton(label, onclick, props = {}) {
  const button = el('button', { type: 'button', ...props, 'aria-pressed': 'false', onclick },
    el('span', { class: 'icon', 'aria-hidden': 'true', text: '▶' }), label);
  return button;
}

export function setPressed(button, pressed) {
  button.setAttribute('aria-pressed', String(pressed));
  button.querySelector('.icon').textContent = pressed ? '⏸' : '▶';
}

// A labelled select of [value, text] options. `format` gives the text for a
// value the options do not list, which a link, a tour, an exercise or an
// attribute may have chosen (see setSelect).
export function selectBox(label, options, format = String) {
  const select = el('select', { 'aria-label': label },
    ...options.map(([value, text]) => el('option', { value: String(value), text })));
  select.format = format;
  return select;
}

// Shows `value` in a select, adding it as an option first when it is not one
// of them: a select set to a missing value shows blank, and reading it back
// would send "" (a tour at 320 req/s once left the load balancer's rate box
// blank, and the next traffic change sent 0).
export function setSelect(select, value, text = select.format ? select.format(value) : String(value)) {
  const v = String(value);
  if (![...select.options].some((o) => o.value === v)) select.append(el('option', { value: v, text }));
  select.value = v;
}

// A number box for a field the sim checks. min/max/step only hint (and give
// the arrows their range): the sim is what refuses a value, naming the field
// and what it allows, and the widget base shows that next to the control.
export function numberBox(label, props = {}) {
  return el('input', { type: 'number', step: 1, 'aria-label': label, ...props });
}

// A number box's value for a step: an empty box (and text that is not a
// number, which a number box reports as "") is sent as null, so that the sim
// refuses it by name instead of reading it as 0.
export function numberValue(input) {
  return input.value.trim() === '' ? null : Number(input.value);
}

// Shows a value in a number box, unless the user is typing in it.
export function showNumber(input, value) {
  if (input.getRootNode().activeElement !== input) input.value = String(value);
}

// A group of number boxes from rows of [field, label, title]: the boxes
// (`inputs[field]`), their labels for the page, the values for a step or a
// config patch (numberValue: an empty box is null), and shown from the state.
export class NumberFields {
  constructor(rows, props = {}) {
    this.rows = rows;
    this.inputs = Object.fromEntries(rows.map(([field, label]) => [field, numberBox(label, props)]));
  }

  labels() {
    return this.rows.map(([field, label, title]) => el('label', { title }, label, this.inputs[field]));
  }

  values() {
    return Object.fromEntries(this.rows.map(([field]) => [field, numberValue(this.inputs[field])]));
  }

  show(values) {
    for (const [field] of this.rows) showNumber(this.inputs[field], values[field] ?? '');
  }
}

// Scrolls `box` to its end (the newest line or operation) in the next
// frame's animation callbacks instead of at once: reading scrollHeight right
// after a redraw lays the page out in the middle of the click, and the frame
// then lays it out again (issue #24). There the layout is the frame's own.
// axis: 'block' (scrollTop) or 'inline' (scrollLeft).
const endScrolls = new Map();
function scrollPendingToEnd() {
  for (const [box, axis] of endScrolls) {
    if (axis === 'inline') box.scrollLeft = box.scrollWidth;
    else box.scrollTop = box.scrollHeight;
  }
  endScrolls.clear();
}
export function scrollToEnd(box, axis = 'block') {
  const first = endScrolls.size === 0;
  endScrolls.set(box, axis);
  if (typeof requestAnimationFrame !== 'function') scrollPendingToEnd();
  else if (first) requestAnimationFrame(scrollPendingToEnd);
}

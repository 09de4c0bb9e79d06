// The "add a node / take one away" controls every cluster widget has: an id
// box (its placeholder is the next free name), a weight box, and a select of
// current nodes with one button per removal op (remove, fail, ...).

import { el } from './dom.mjs';

export function nodeName(i) {
  const letter = String.fromCharCode(65 + (i % 26));
  return i < 26 ? letter : `${letter}${Math.floor(i / 26) + 1}`;
}

export function nextNodeName(ids) {
  const taken = new Set(ids);
  for (let i = 0; ; i += 1) if (!taken.has(nodeName(i))) return nodeName(i);
}

// add_node steps for a widget's starting cluster: A, B, C, ...
export function initialNodeSteps(count) {
  return Array.from({ length: count }, (_, i) => ({ op: 'add_node', id: nodeName(i) }));
}

// widget: an SdpWidget; removals: [{op, label}]. Returns {groups, update(ids)}.
export function buildNodeControls(widget, { maxWeight = 100, removals = [{ op: 'remove_node', label: 'Remove node' }] } = {}) {
  const id = el('input', { type: 'text', maxlength: 64, 'aria-label': 'New node id' });
  const weight = el('input', { type: 'number', min: 0.01, max: maxWeight, step: 'any', value: 1, 'aria-label': 'Weight of the new node' });
  const add = el('button', { type: 'button', class: 'primary', text: 'Add node' });
  add.addEventListener('click', () => {
    const step = { op: 'add_node', id: id.value.trim() === '' ? id.placeholder : id.value };
    // An empty or non-numeric box is sent as typed, so the sim names the problem.
    const number = Number(weight.value);
    step.weight = weight.value.trim() === '' || Number.isNaN(number) ? weight.value : number;
    if (widget.act(step, add)) id.value = '';
  });
  const select = el('select', { 'aria-label': 'Node to remove' });
  const buttons = removals.map(({ op, label }) => {
    const button = el('button', { type: 'button', text: label });
    button.addEventListener('click', () => widget.act({ op, id: select.value }, button));
    return button;
  });
  return {
    groups: [
      widget.controlGroup(el('label', {}, 'Node ', id), el('label', {}, 'weight ', weight), add),
      widget.controlGroup(select, ...buttons),
    ],
    update(ids) {
      id.placeholder = nextNodeName(ids);
      select.replaceChildren(...ids.map((n) => el('option', { value: n, text: n })));
      select.disabled = ids.length === 0;
      for (const b of buttons) b.disabled = ids.length === 0;
    },
  };
}

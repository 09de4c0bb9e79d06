// The node grid <sdp-gossip> draws for both of its modes: one cell per node
// up to 2,500 nodes; beyond that each cell stands for several nodes and
// blends their colours by count, so a half-informed (or half-suspecting)
// block is visibly half-way.

import { formatCount, svg, el } from './dom.mjs';

const MAX_CELLS = 2500;

export const rgb = ([r, g, b]) => `rgb(${r} ${g} ${b})`;

function blend(palette, counts, total) {
  const mix = [0, 0, 0];
  counts.forEach((c, state) => {
    for (let i = 0; i < 3; i += 1) mix[i] += (c / total) * palette[state].rgb[i];
  });
  return rgb(mix.map(Math.round));
}

// A legend row: one swatch + label per palette entry; returns the label spans.
export function legend(palette) {
  const labels = [];
  const row = el('div', { class: 'legend' }, ...palette.map((s, i) => el('span', {},
    el('span', { class: 'swatch', style: { background: rgb(s.rgb) } }), labels[i] = el('span', { text: s.label }))));
  return { row, labels };
}

export class StateGrid {
  constructor(label) {
    this.element = svg('svg', { class: 'grid', role: 'img', 'aria-label': label });
    this.note = el('p', { class: 'note' });
    this.cells = [];
    this.key = '';
  }

  // states: one palette index per node.
  draw(states, palette) {
    const n = states.length;
    const per = Math.max(1, Math.ceil(n / MAX_CELLS));
    const cells = Math.ceil(n / per);
    const cols = Math.max(1, Math.ceil(Math.sqrt(cells * 1.6)));
    const rows = Math.ceil(cells / cols);
    const key = `${n}`;
    if (this.key !== key) {
      this.key = key;
      this.element.setAttribute('viewBox', `0 0 ${cols} ${Math.max(rows, 1)}`);
      this.cells = Array.from({ length: cells }, (_, i) => svg('rect', { x: i % cols, y: Math.floor(i / cols), width: 0.9, height: 0.9 }));
      this.element.replaceChildren(...this.cells);
      this.note.textContent = per === 1 ? `${formatCount(n)} nodes, one cell each.`
        : `${formatCount(n)} nodes, ${per} per cell: a cell's colour mixes its nodes' states.`;
    }
    const counts = new Array(palette.length).fill(0);
    for (let cell = 0; cell < cells; cell += 1) {
      counts.fill(0);
      const end = Math.min(n, (cell + 1) * per);
      for (let i = cell * per; i < end; i += 1) counts[states[i]] += 1;
      this.cells[cell].setAttribute('fill', per === 1 ? rgb(palette[states[cell]].rgb) : blend(palette, counts, end - cell * per));
    }
  }
}

// The partition line of <sdp-cap>'s cluster picture: a straight cut the user
// drags across the ring. Its handle sets both where the line is and which
// way it faces: the line passes through the handle, at right angles to the
// centre-to-handle direction, and the replicas beyond it (farther out than
// the handle in that direction) are split off from the rest. A straight
// line can cut off any run of neighbours on the circle, one replica or
// half the ring, which is what the tick-box picker expresses too.
//
// The keyboard alternative is a pair of real range inputs (the line's
// direction and its distance from the centre) and a "Cut along the line"
// button under the picture, not a focusable handle inside the picture: the
// picture is one role="img" graphic, whose children assistive technology
// does not expose. The inputs and the handle move the same line.

import { el, svg } from './dom.mjs';

// REQUIRES: angle in radians, distance in the picture's units.
// Which replicas lie beyond the line, given the replicas' positions.
export function beyondLine(points, centre, angle, distance) {
  const [ux, uy] = [Math.cos(angle), Math.sin(angle)];
  return points.flatMap(([x, y], i) => ((x - centre) * ux + (y - centre) * uy > distance ? [i] : []));
}

// The line through (hx, hy) along (dx, dy), cut to the picture's square
// [0, size]²: its ends. Drawn any longer, its box would reach over the text
// beside the picture, and axe's contrast check (which stacks element boxes,
// clipped or not) would call that text overlapped. REQUIRES: (hx, hy) inside.
export function lineInSquare(hx, hy, dx, dy, size) {
  let lo = -Infinity;
  let hi = Infinity;
  for (const [p, d] of [[hx, dx], [hy, dy]]) {
    if (Math.abs(d) < 1e-12) continue;
    const [a, b] = [(0 - p) / d, (size - p) / d].sort((x, y) => x - y);
    lo = Math.max(lo, a);
    hi = Math.min(hi, b);
  }
  return [hx + lo * dx, hy + lo * dy, hx + hi * dx, hy + hi * dy];
}

// Degrees as the range shows them: 0 towards r1 (the top), clockwise.
const toDegrees = (angle) => Math.round((((angle * 180) / Math.PI + 90) % 360 + 360) % 360);
const toAngle = (degrees) => ((degrees - 90) * Math.PI) / 180;

export class PartitionKnife {
  #line;
  #handle;
  #label;
  #angle = toAngle(0);
  #distance;
  #points = [];
  #centre;
  #ring;
  #reach; // how far out the handle may go
  #onCut;
  #onPreview;
  #direction;
  #offset;
  #status;

  // onCut(beyond indices, rest indices), onPreview(beyond indices | null).
  constructor({ size, ring, onCut, onPreview }) {
    this.#centre = size / 2;
    this.#ring = ring;
    this.#reach = size / 2 - 10;
    this.#onCut = onCut;
    this.#onPreview = onPreview;
    // Towards r1, a little more than half way out: r1 alone, on any N.
    this.#distance = ring * 0.55;
    this.#line = svg('line', { class: 'knife-line' });
    this.#label = svg('text', { class: 'knife-label', 'text-anchor': 'middle' });
    this.#handle = svg('circle', { class: 'knife-handle', r: 9 },
      svg('title', { text: 'Drag me: the replicas beyond the dashed line are split off when you let go' }));
    this.node = svg('g', { class: 'knife' }, this.#line, this.#label, this.#handle);
    this.#direction = el('input', { type: 'range', min: 0, max: 355, step: 5, 'aria-label': 'Partition line: direction, degrees clockwise from r1' });
    this.#offset = el('input', { type: 'range', min: 0, max: 100, step: 5, 'aria-label': 'Partition line: distance from the centre, % of the ring' });
    this.#status = el('output', { class: 'knife-status' });
    const preview = () => {
      this.#angle = toAngle(Number(this.#direction.value));
      this.#distance = (Number(this.#offset.value) / 100) * this.#ring;
      this.#draw();
      this.#preview(this.beyond());
    };
    this.#direction.addEventListener('input', preview);
    this.#offset.addEventListener('input', preview);
    this.#direction.addEventListener('blur', () => this.#preview(null));
    this.#offset.addEventListener('blur', () => this.#preview(null));
    this.cutButton = el('button', { type: 'button', text: 'Cut along the line', onclick: () => this.#cut() });
    this.controls = [el('label', {}, 'direction ', this.#direction), el('label', {}, 'distance ', this.#offset), this.cutButton, this.#status];
    this.#wirePointer();
  }

  // While the line moves it is drawn in full, with what it would split off
  // written beside the handle; at rest it fades and the label goes, so it
  // does not cover the values (the status line under the picture keeps it).
  #preview(beyond) {
    this.node.classList.toggle('active', beyond !== null);
    this.#onPreview(beyond);
  }

  // The replicas' positions change with N: the widget passes them after each draw.
  setReplicas(points) {
    this.#points = points;
    this.#draw();
  }

  beyond() { return beyondLine(this.#points, this.#centre, this.#angle, this.#distance); }

  #describe() {
    const beyond = this.beyond();
    if (beyond.length === 0 || beyond.length === this.#points.length) return 'cuts nothing off';
    return `splits off ${beyond.map((i) => `r${i + 1}`).join(', ')}`;
  }

  #draw() {
    const c = this.#centre;
    const [ux, uy] = [Math.cos(this.#angle), Math.sin(this.#angle)];
    const [hx, hy] = [c + ux * this.#distance, c + uy * this.#distance];
    const attrs = (node, values) => Object.entries(values).forEach(([k, v]) => node.setAttribute(k, v.toFixed(1)));
    const [x1, y1, x2, y2] = lineInSquare(hx, hy, -uy, ux, 2 * c);
    attrs(this.#line, { x1, y1, x2, y2 });
    attrs(this.#handle, { cx: hx, cy: hy });
    // The label sits beyond the handle, on the split-off side.
    attrs(this.#label, { x: hx + ux * 18, y: hy + uy * 18 + 4 });
    const text = this.#describe();
    this.#label.textContent = `✂ ${text}`;
    this.#status.textContent = `The line ${text}.`;
    this.#direction.value = String(toDegrees(this.#angle));
    this.#offset.value = String(Math.round((100 * this.#distance) / this.#ring));
  }

  #cut() {
    const beyond = this.beyond();
    const rest = this.#points.map((_, i) => i).filter((i) => !beyond.includes(i));
    this.#preview(null);
    this.#onCut(beyond, rest);
  }

  #moveTo(x, y) {
    const dx = x - this.#centre;
    const dy = y - this.#centre;
    const distance = Math.hypot(dx, dy);
    if (distance > 1) this.#angle = Math.atan2(dy, dx);
    this.#distance = Math.min(distance, this.#reach);
    this.#draw();
    this.#preview(this.beyond());
  }

  #wirePointer() {
    const toPicture = (e) => {
      const ctm = this.#handle.ownerSVGElement?.getScreenCTM();
      if (!ctm) return null;
      const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm.inverse());
      return [p.x, p.y];
    };
    this.#handle.addEventListener('pointerdown', (e) => {
      e.preventDefault();
      this.#handle.setPointerCapture(e.pointerId);
      this.#handle.classList.add('dragging');
    });
    this.#handle.addEventListener('pointermove', (e) => {
      if (!this.#handle.hasPointerCapture(e.pointerId)) return;
      const p = toPicture(e);
      if (p) this.#moveTo(...p);
    });
    this.#handle.addEventListener('pointerup', (e) => {
      if (!this.#handle.hasPointerCapture(e.pointerId)) return;
      this.#handle.releasePointerCapture(e.pointerId);
      this.#handle.classList.remove('dragging');
      this.#cut();
    });
  }
}

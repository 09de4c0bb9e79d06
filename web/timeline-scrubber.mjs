// The timeline under every widget (issue #22, point 3): a range over the
// action log, 0 (the starting state) .. its length, with Step back / Step
// forward. Dragging shows each moment as it passes; the log is kept, so the
// user can go forward again; acting in the past discards the later actions
// (the widget base says so in its narration). The base owns the state and
// the session (SdpWidget.goTo); this module is only the controls.
//
// Moving is synchronous (the session replays from its nearest checkpoint,
// core/include/sdp/sim_session.h), but a drag fires input events faster
// than frames: only the newest position is shown, once per animation frame.

import { el, plural } from './dom.mjs';
import { sheetFrom } from './theme.mjs';

// Labels never overlap (axe must be able to judge their contrast, and a
// reader to read them): one per LABEL_PX of track at most, the width read
// by a ResizeObserver, never inside a click. Unknown width: the ends only.
const LABEL_PX = 90;
// Tick marks (unlabelled) for up to this many actions.
const MAX_TICKS = 120;

export const timelineSheet = sheetFrom(`
.timeline[hidden] { display: none; }
.timeline { margin: 10px 0; padding: 6px 8px 2px; background: var(--sdp-panel); border-radius: var(--sdp-radius); }
.timeline .timeline-row { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 8px; }
/* On a phone the track takes a line of its own, under the buttons. */
.timeline .timeline-track { position: relative; flex: 1 1 220px; order: 0; }
.timeline input[type="range"] { width: 100%; margin: 0; min-height: 40px; display: block; }
.timeline .ticks { position: relative; height: calc(8px + 1.3em); margin: 0 8px; font-size: 0.75rem; color: var(--sdp-muted); }
.timeline .tick { position: absolute; top: 0; width: 1px; height: 5px; background: var(--sdp-muted); }
.timeline .tick-label { position: absolute; top: 8px; line-height: 1.2; transform: translateX(-50%); white-space: nowrap; }
.timeline .tick-label.first { transform: none; }
.timeline .tick-label.last { transform: translateX(-100%); }
.timeline .tick-label.current { color: var(--sdp-fg); font-weight: 600; }
.timeline .where { font-size: 0.85rem; color: var(--sdp-muted); min-width: 8.5em; text-align: right; font-variant-numeric: tabular-nums; }
.timeline .where.past { color: var(--sdp-fg); font-weight: 600; }
.timeline button { min-height: 40px; white-space: nowrap; }
`);

// What a tick under the track says: "+5 s" for a wait, else the op.
function tickLabel(step) {
  if (step?.op === 'advance' && Number.isFinite(step.ms)) {
    return step.ms % 1000 === 0 ? `+${step.ms / 1000} s` : `+${step.ms} ms`;
  }
  return String(step?.op ?? 'step').slice(0, 12);
}

// A short name for a step: its op and its first fields ("advance 500 ms").
export function stepLabel(step) {
  if (!step || typeof step !== 'object') return 'step';
  const fields = Object.entries(step).filter(([k]) => k !== 'op').slice(0, 2)
    .map(([k, v]) => (k === 'ms' ? `${v} ms` : `${k} ${typeof v === 'object' ? '…' : String(v).slice(0, 24)}`));
  return [String(step.op ?? 'step'), ...fields].join(' ');
}

export class TimelineScrubber {
  #goTo;
  #input;
  #back;
  #forward;
  #where;
  #ticks;
  #tickKey = '';
  #width = 0; // of the tick row, px (0: not laid out yet)
  #pending = null;
  #frame = 0;
  #view = { position: 0, length: 0, steps: [] };

  // goTo(position, {final}) moves the widget; final is true when the user
  // lets go (change, a button, a key), false while dragging.
  constructor({ goTo }) {
    this.#goTo = goTo;
    this.#input = el('input', { type: 'range', min: 0, max: 0, step: 1, value: 0,
      'aria-label': 'Timeline: the state after how many actions',
      oninput: () => this.#drag(Number(this.#input.value)),
      onchange: () => this.#settle(Number(this.#input.value)) });
    // The arrows are for the eye: the names are the visible words (WCAG 2.5.3).
    const arrow = (text) => el('span', { 'aria-hidden': 'true', text });
    this.#back = el('button', { type: 'button', title: 'Step back one action',
      onclick: () => this.#settle(this.#view.position - 1) }, arrow('◀ '), 'Step back');
    this.#forward = el('button', { type: 'button', title: 'Step forward one action',
      onclick: () => this.#settle(this.#view.position + 1) }, 'Step forward', arrow(' ▶'));
    this.#where = el('span', { class: 'where', 'aria-hidden': 'true' });
    this.#ticks = el('div', { class: 'ticks', 'aria-hidden': 'true' });
    // .control: the base shows this group's errors in its .field-error.
    this.element = el('div', { class: 'timeline control', role: 'group', 'aria-label': 'Timeline' },
      el('div', { class: 'timeline-row' }, this.#back,
        el('div', { class: 'timeline-track' }, this.#input, this.#ticks), this.#forward, this.#where),
      el('div', { class: 'field-error', role: 'alert' }));
    if (typeof ResizeObserver === 'function') {
      new ResizeObserver((entries) => {
        const width = Math.round(entries[0].contentRect.width);
        if (width === this.#width) return;
        this.#width = width;
        this.#drawTicks(this.#view);
      }).observe(this.#ticks);
    }
  }

  // Shows {position, length, steps}: the widget is after `position` of the
  // `length` actions `steps`.
  update(view) {
    this.#view = view;
    const { position, length } = view;
    this.#input.max = String(length);
    this.#input.value = String(position);
    this.#input.setAttribute('aria-valuetext', this.#valueText(position));
    this.#back.disabled = position <= 0;
    this.#forward.disabled = position >= length;
    this.#where.textContent = position < length ? `${position} of ${length} · past` : `${length} of ${length}`;
    this.#where.classList.toggle('past', position < length);
    this.#drawTicks(view);
  }

  // The input's name for position p, as a screen reader says it.
  #valueText(p) {
    const { length, steps } = this.#view;
    if (length === 0) return 'No actions yet';
    if (p === 0) return `Start, before ${plural(length, 'action')}`;
    return `After action ${p} of ${length}: ${stepLabel(steps[p - 1])}`;
  }

  #drag(position) {
    this.#pending = position;
    this.#input.setAttribute('aria-valuetext', this.#valueText(position));
    if (this.#frame) return;
    const show = () => {
      this.#frame = 0;
      const p = this.#pending;
      this.#pending = null;
      if (p !== null) this.#goTo(p, { final: false });
    };
    this.#frame = typeof requestAnimationFrame === 'function' ? requestAnimationFrame(show) : setTimeout(show, 0);
  }

  #settle(position) {
    if (this.#frame) {
      (typeof cancelAnimationFrame === 'function' ? cancelAnimationFrame : clearTimeout)(this.#frame);
      this.#frame = 0;
      this.#pending = null;
    }
    const { length } = this.#view;
    this.#goTo(Math.max(0, Math.min(length, position)), { final: true });
  }

  // Tick marks at each action (up to MAX_TICKS), the op's name under a few.
  #drawTicks({ position, length, steps }) {
    const slots = Math.max(1, Math.floor(this.#width / LABEL_PX)); // label gaps that fit
    const perAction = length <= slots;
    const key = `${length}:${position}:${this.#width}:${perAction ? steps.map(tickLabel).join() : ''}`;
    if (key === this.#tickKey) return;
    this.#tickKey = key;
    const parts = [];
    const at = (p) => `${length ? (p / length) * 100 : 0}%`;
    if (length <= MAX_TICKS) {
      for (let p = 0; p <= length; p++) parts.push(el('span', { class: 'tick', style: { left: at(p) } }));
    }
    const labelled = new Set([0, length]);
    const every = Math.max(1, Math.ceil(length / slots));
    // Inner labels at least one gap away from the end's (right-aligned) one.
    if (this.#width > 0) for (let p = every; p + every <= length; p += every) labelled.add(p);
    for (const p of [...labelled].sort((a, b) => a - b)) {
      // A label names the action that ends at this tick (0: the start).
      const text = p === 0 ? 'start' : perAction ? tickLabel(steps[p - 1]) : String(p);
      const cls = ['tick-label', p === 0 ? 'first' : '', p === length && p > 0 ? 'last' : '', p === position ? 'current' : '']
        .filter(Boolean).join(' ');
      parts.push(el('span', { class: cls, style: { left: at(p) }, text }));
    }
    this.#ticks.replaceChildren(...parts);
  }
}

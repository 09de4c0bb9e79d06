// Replays without freezing the page. A share link, a state attribute or a
// scenario file can hold 100,000 steps, and each step may use up to its work
// budget (about 1 s natively: core/include/sdp/step_budget.h); applied in
// one task, such a replay froze the tab for as long as it took, and a link
// posted in a workshop chat froze every attendee's tab. So a replay:
//   - gives the page back between slices of steps (SLICE_MS each), so the
//     tab answers between steps; only a single step still blocks, and the
//     step budget bounds that (a Web Worker would lift it: docs/step_budget.md);
//   - shows its progress, with a Cancel button, once it takes SHOW_AFTER_MS;
//   - is refused as a whole once its steps together pass the scenario work
//     budget, counted in the same deterministic units as `sdp run` counts
//     them (core/src/scenario.cpp), so a link is refused in every browser
//     alike, at the same step, before the widget shows any of it.
// The widget keeps showing its old state until the replay ends (the base
// swaps sessions only then), and its controls are inert meanwhile, so no
// click lands on a state about to be replaced.

import { SdpError } from '../wasm/sdp.mjs';
import { el, plural } from './dom.mjs';

const SLICE_MS = 30;
const SHOW_AFTER_MS = 250;

// A replay the user cancelled or the budget refused: the widget keeps the
// state it had, and says why.
export class ReplayRefused extends SdpError {
  constructor(message, { cancelled = false } = {}) {
    super(message);
    this.replayRefused = true;
    this.cancelled = cancelled;
  }
}

export function isReplayRefusal(error) {
  return error instanceof SdpError && error.replayRefused === true;
}

// Gives the page a turn: a message-channel task, not setTimeout, which the
// browser delays to 4 ms or more after a few nested calls.
function nextTask() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

// One replay at a time on the page, in the order asked: replays that ran
// side by side, a slice each, all grew their sessions at once, and on a
// page of many widgets the memory budget then refused nearly all of them
// part-way, where one after another the first ones finished and fitted.
let lastTurn = Promise.resolve();

// Waits for the page's turn; returns the function that ends it.
export async function replayTurn() {
  let end;
  const turn = new Promise((resolve) => { end = resolve; });
  const before = lastTurn;
  lastTurn = lastTurn.then(() => turn);
  await before;
  return end;
}

export class ReplayRunner {
  #run = null;
  #inertParts;
  #text = el('span', { class: 'replay-text' });
  #bar = el('progress', { max: 1, value: 0, 'aria-label': 'Replay progress' });
  #cancel = el('button', { type: 'button', text: 'Cancel', onclick: () => this.cancel() });

  // inertParts(): the widget's controls, made inert while a long replay runs.
  constructor({ inertParts }) {
    this.#inertParts = inertParts;
    this.element = el('div', { class: 'replay-progress', role: 'status', hidden: true },
      this.#text, this.#bar, this.#cancel);
  }

  // The units one replay may use (the engine's scenario work budget; tests
  // lower it to keep cheap steps over it).
  static units = null;

  get running() {
    return this.#run !== null;
  }

  // Starts the replay of `total` steps; one still running is cancelled (its
  // next slice throws). Returns the run: await run.before(i) before step i,
  // run.spent(units, i) after it, and run.end() in a finally.
  begin(total, limit) {
    this.#run?.stop();
    const run = new ReplayRun(this, total, ReplayRunner.units ?? limit);
    this.#run = run;
    return run;
  }

  cancel() {
    this.#run?.stop(true);
  }

  // ---- what a run calls ----

  shown(run, done) {
    if (run !== this.#run) return;
    this.element.hidden = false;
    for (const part of this.#inertParts()) part.inert = true;
    this.#text.textContent = `Replaying step ${(done + 1).toLocaleString('en-US')} of ${plural(run.total, 'step')}…`;
    this.#bar.max = run.total;
    this.#bar.value = done;
  }

  ended(run) {
    if (run !== this.#run) return;
    this.#run = null;
    if (this.element.hidden) return;
    this.element.hidden = true;
    for (const part of this.#inertParts()) part.inert = false;
  }
}

class ReplayRun {
  #runner;
  #started = performance.now();
  #sliceStart = this.#started;
  #units = 0;
  #limit;
  #stopped = null; // null, or {cancelled}

  constructor(runner, total, limit) {
    this.#runner = runner;
    this.total = total;
    this.#limit = limit;
  }

  stop(cancelled = false) {
    this.#stopped ??= { cancelled };
  }

  // Before step `done` (0-based): ends the slice when its time is up.
  async before(done) {
    this.#check(done);
    const now = performance.now();
    if (now - this.#sliceStart < SLICE_MS) return;
    if (now - this.#started >= SHOW_AFTER_MS) this.#runner.shown(this, done);
    await nextTask();
    this.#sliceStart = performance.now();
    this.#check(done);
  }

  // After step `done` (0-based), which used `units` (accepted or refused).
  spent(units, done) {
    this.#units += units;
    if (this.#limit !== null && this.#units >= this.#limit && done + 1 < this.total) {
      throw new ReplayRefused(`replaying its ${plural(this.total, 'step')} needs more than ${this.#limit.toLocaleString('en-US')} units of work `
        + `(the first ${plural(done + 1, 'step')} used ${this.#units.toLocaleString('en-US')}), the most one link or file may ask for, as for \`sdp run\`; `
        + 'split it, or lower its rates and durations');
    }
  }

  end() {
    this.#runner.ended(this);
  }

  #check(done) {
    if (!this.#stopped) return;
    throw new ReplayRefused(this.#stopped.cancelled
      ? `its replay was cancelled at step ${(done + 1).toLocaleString('en-US')} of ${this.total.toLocaleString('en-US')}`
      : 'another replay replaced it', { cancelled: this.#stopped.cancelled });
  }
}

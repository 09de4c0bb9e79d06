// The base every widget is built on. It owns what all widgets share:
// the session with the wasm simulation, the action log (and so undo, reset,
// seed changes and share links, which are all "replay the log"), guided tours
// with play / pause / step / speed, narration through an aria-live region,
// errors shown next to the control that caused them, pausing off-screen,
// resizing, and freeing the wasm session when the element is removed.
//
// A widget subclass supplies (all optional but `sim`):
//   static sim, static title, static subtitle
//   configFromAttributes()         -> config object for the sim
//   initialSteps()                 -> steps a fresh widget starts with
//   tours()                        -> [{title, description, seed, config, steps}]
//                                     (default: the sim's titled scenarios)
//   buildBody(body)                -> create its view and controls
//   render(snapshot, lastResult)   -> draw (a renderer only reads snapshots)
//   describe(step, result)         -> one sentence for the narration
//   stepApplied(step, result)      -> bookkeeping that must replay (colours)
//   replayStarted()                -> clear that bookkeeping before a replay
// It changes the simulation only through this.act(step, controlElement).
//
// Long logs: the log compacts itself (web/action-log.mjs), the URL is
// written lazily and incrementally (a burst of actions costs one write), a
// note warns before the link grows too long to open, and Export / Import
// move the state through a scenario file instead (web/link-panel.mjs).

import { loadSdp, SdpError, SimSession } from '../wasm/sdp.mjs';
import { ActionLog, findLoneSurrogate, loneSurrogateMessage, parseScenarioFile, scenarioFileName, scenarioFileText } from './action-log.mjs';
import { el } from './dom.mjs';
import { downloadText, LIMIT_TEXT, LinkPanel } from './link-panel.mjs';
import { themeSheet } from './theme.mjs';
import { toursFor } from './tours.mjs';
import { LinkWriter } from './link-writer.mjs';
import { decodeState, linkStatus, readStateParam } from './url-state.mjs';

const SPEEDS = [0.5, 1, 2, 4];
const TOUR_STEP_MS = 1400;
const NARRATION_LINES = 6;
const MAX_SEED = 4294967295;
export class SdpWidget extends HTMLElement {
  static sim = '';
  static title = '';
  static subtitle = '';

  session = null;
  seed = 1;
  config = {};

  #built = false;
  #tour = null;
  #tourPosition = 0;
  #timer = null;
  #playing = false;
  #onScreen = true;
  #speed = 1;
  #observers = [];
  #ui = {};
  #lastResult = null;
  #actions = new ActionLog(this.constructor.sim);
  #linkPanel = new LinkPanel({
    onExport: () => this.exportFile(),
    onImport: (text, button) => this.#importFile(text, button),
  });
  #link = new LinkWriter({
    state: () => ({ key: this.stateKey, synced: this.hasAttribute('sync-url'), seed: this.seed, config: this.config, actions: this.#actions }),
    onLength: (status, chars) => this.#linkPanel.update(status, chars),
  });

  // ---- lifecycle -----------------------------------------------------------

  async connectedCallback() {
    if (!this.#built) this.#buildFrame();
    this.#observe();
    if (this.session) return; // moved within the page: nothing to redo
    try {
      await loadSdp();
    } catch (error) {
      this.#showLoadError(error);
      return;
    }
    if (!this.isConnected || this.session) return;
    await this.#start();
  }

  disconnectedCallback() {
    this.pause();
    this.#link.flush();
    for (const observer of this.#observers) observer.disconnect();
    this.#observers = [];
    // A move (remove + insert in one task) must not lose the session.
    queueMicrotask(() => {
      if (!this.isConnected && this.session) {
        this.session.delete();
        this.session = null;
      }
    });
  }

  // The action log: the steps that rebuild the state (read-only).
  get log() {
    return this.#actions.steps;
  }

  get stateKey() {
    return this.getAttribute('state-key') || this.id || this.localName.replace(/^sdp-/, '');
  }

  // ---- what subclasses call ------------------------------------------------

  // Applies one step. On success logs it, narrates, re-renders and returns
  // the result; on failure shows the message next to `source` and returns null.
  act(step, source = null) {
    this.#clearError(source);
    if (!this.session) return null;
    const surrogate = findLoneSurrogate(step);
    if (surrogate) {
      this.#showError(source, loneSurrogateMessage(surrogate));
      return null;
    }
    let result;
    try {
      result = this.session.apply(step);
    } catch (error) {
      this.#showError(source, error instanceof SdpError ? error.message : String(error));
      return null;
    }
    this.#actions.push(step);
    this.stepApplied(step, result);
    this.#clearAllErrors(); // old complaints no longer describe the new state
    this.narrate(this.describe(step, result));
    this.#syncUrl();
    this.refresh(result);
    return result;
  }

  // Re-creates the simulation with a changed config and replays the log.
  async setConfig(patch, source = null) {
    const previous = this.config;
    this.#clearError(source);
    try {
      await this.#replay({ seed: this.seed, config: { ...previous, ...patch }, steps: this.log });
      const changed = Object.entries(patch).map(([k, v]) => `${k} = ${v}`).join(', ');
      this.narrate(`Config ${changed}: the same ${this.log.length} actions replayed from the start.`);
      this.#syncUrl();
    } catch (error) {
      this.#showError(source, error.message);
      await this.#replay({ seed: this.seed, config: previous, steps: this.log });
    }
  }

  // Re-renders; the last result (a lookup's walk, the keys that moved) stays
  // on screen until the next action, also across resizes.
  refresh(lastResult = this.#lastResult) {
    if (!this.session) return;
    this.#lastResult = lastResult;
    this.render(this.session.snapshot(), lastResult);
  }

  narrate(text) {
    if (!text) return;
    this.#ui.live.textContent = text;
    const list = this.#ui.narration;
    list.prepend(el('li', { text }));
    while (list.children.length > NARRATION_LINES) list.lastElementChild.remove();
  }

  // A labelled group: the control(s) plus the place where their errors go.
  controlGroup(...children) {
    return el('div', { class: 'control' }, el('div', { class: 'row' }, ...children),
      el('div', { class: 'field-error', role: 'alert' }));
  }

  // ---- defaults for the hooks ------------------------------------------------

  configFromAttributes() { return {}; }
  initialSteps() { return []; }
  tours() { return toursFor(this.constructor.sim); }
  buildBody() {}
  render() {}
  describe() { return ''; }
  stepApplied() {}
  replayStarted() {}

  // ---- toolbar actions ---------------------------------------------------------

  async undo() {
    if (this.log.length === 0) return;
    const steps = this.log.slice(0, -1);
    await this.#replay({ seed: this.seed, config: this.config, steps });
    this.narrate('Undid the last action.');
    this.#syncUrl();
  }

  async reset() {
    this.pause();
    this.#tourPosition = 0;
    await this.#replay({ seed: this.seed, config: this.configFromAttributes(), steps: this.initialSteps() });
    this.narrate('Reset to the starting state.');
    this.#syncUrl();
  }

  shareUrl() {
    return this.#link.url();
  }

  // The state as the scenario `sdp run` replays: {sim, seed, config, steps}.
  scenario() {
    return { sim: this.constructor.sim, seed: this.seed, config: this.config, steps: this.log };
  }

  exportFile() {
    const { sim, ...state } = this.scenario();
    downloadText(scenarioFileName(sim, this.log.length), scenarioFileText(sim, state));
    this.narrate(`Exported ${this.log.length} steps as a scenario file.`);
  }

  // Replaces the state with {seed, config, steps} (an imported file); on a
  // config the sim refuses, keeps the current state and says why.
  async loadState(state, source = null) {
    const previous = { seed: this.seed, config: this.config, steps: this.log };
    this.pause();
    try {
      await this.#replay(state);
      this.narrate(`Loaded ${state.steps.length} steps.`);
    } catch (error) {
      this.#showError(source, `That state could not be loaded: ${error.message}.`);
      await this.#replay(previous);
    }
    this.#syncUrl();
  }

  // Writes a pending URL update now (tests; the page does it on Share and
  // when hidden).
  flushLink() {
    this.#link.flush();
  }

  async stepTour() {
    if (!this.#tour) return;
    if (this.#tourPosition === 0) {
      await this.#replay({ seed: this.#tour.seed ?? 1, config: this.#tour.config ?? {}, steps: [] });
      this.narrate(`Tour: ${this.#tour.title}.`);
    }
    const step = this.#tour.steps[this.#tourPosition];
    this.#tourPosition += 1;
    this.act(step, this.#ui.stepButton);
    this.#syncUrl();
    this.#updateTourUi();
    if (this.#tourPosition >= this.#tour.steps.length) {
      this.pause();
      this.narrate('End of the tour: try the controls yourself.');
    }
  }

  play() {
    if (!this.#tour || this.#playing) return;
    if (this.#tourPosition >= this.#tour.steps.length) this.#tourPosition = 0;
    this.#playing = true;
    this.#updateTourUi();
    this.#schedule();
  }

  pause() {
    this.#playing = false;
    clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#built) this.#updateTourUi();
  }

  get playing() {
    return this.#playing;
  }

  // ---- internals -----------------------------------------------------------------

  #schedule() {
    clearTimeout(this.#timer);
    if (!this.#playing || !this.#onScreen) return;
    this.#timer = setTimeout(async () => {
      await this.stepTour();
      this.#schedule();
    }, TOUR_STEP_MS / this.#speed);
  }

  async #start() {
    let state = null;
    const encoded = this.hasAttribute('sync-url') ? readStateParam(this.stateKey) : null;
    if (encoded) {
      try {
        state = decodeState(encoded);
      } catch (error) {
        this.narrate(error.message);
      }
    }
    const fresh = { seed: Number(this.getAttribute('seed') ?? 1), config: this.configFromAttributes(), steps: this.initialSteps() };
    try {
      await this.#replay(state ?? fresh);
      const ready = this.tours().length ? 'Ready: use the controls, or play a guided tour.' : 'Ready: use the controls.';
      this.narrate(state ? 'Restored the shared state.' : ready);
    } catch (error) {
      this.narrate(`The shared state could not be restored (${error.message}); starting fresh.`);
      await this.#replay(fresh);
    }
  }

  // Builds a new session from seed + config and applies the steps. Steps that
  // fail (only possible with a hand-edited link) are dropped and reported.
  async #replay({ seed, config, steps }) {
    const safeSeed = Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED ? seed : 1;
    const session = await SimSession.create(this.constructor.sim, { seed: safeSeed, config });
    this.session?.delete();
    this.session = session;
    this.seed = safeSeed;
    this.config = config;
    this.#actions.reset();
    this.replayStarted();
    let skipped = 0;
    let lastResult = null;
    for (const step of steps) {
      try {
        lastResult = session.apply(step);
        this.#actions.push(step);
        this.stepApplied(step, lastResult);
      } catch (error) {
        skipped += 1;
        if (!(error instanceof SdpError)) throw error;
      }
    }
    if (skipped) this.narrate(`${skipped} step(s) of the saved state were invalid and skipped.`);
    this.#ui.seed.value = String(this.seed);
    this.refresh(lastResult);
    this.#updateTourUi();
    this.#link.measure();
  }

  #syncUrl() {
    this.#link.changed();
  }

  #errorSlot(source) {
    return source?.closest?.('.control')?.querySelector('.field-error') ?? this.#ui.toolbarError;
  }

  #showError(source, message) {
    this.#errorSlot(source).textContent = message;
    this.#ui.live.textContent = `Error: ${message}`;
  }

  #clearError(source) {
    this.#errorSlot(source).textContent = '';
  }

  #clearAllErrors() {
    for (const slot of this.shadowRoot.querySelectorAll('.field-error')) slot.textContent = '';
  }

  #showLoadError(error) {
    // Nothing in the toolbar can work without the engine: hide it.
    this.shadowRoot.querySelector('.toolbar').hidden = true;
    this.shadowRoot.querySelector('.narration-panel').hidden = true;
    this.#ui.body.replaceChildren(el('p', { class: 'load-error', role: 'alert',
      text: `This simulation could not start: ${error.message}. It needs a browser with WebAssembly; if you opened the file directly, serve it over http instead.` }));
  }

  #observe() {
    if (typeof IntersectionObserver === 'function') {
      const visibility = new IntersectionObserver((entries) => {
        this.#onScreen = entries.some((e) => e.isIntersecting);
        if (this.#onScreen) this.#schedule();
        else clearTimeout(this.#timer);
      });
      visibility.observe(this);
      this.#observers.push(visibility);
    }
    if (typeof ResizeObserver === 'function') {
      let lastWidth = 0;
      const resize = new ResizeObserver((entries) => {
        const width = Math.round(entries[0].contentRect.width);
        if (width !== lastWidth && this.session) {
          lastWidth = width;
          this.refresh();
        }
      });
      resize.observe(this);
      this.#observers.push(resize);
    }
  }

  #buildFrame() {
    this.#built = true;
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [themeSheet(), ...(this.constructor.styles ?? [])];
    const ui = this.#ui;
    ui.live = el('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
    ui.narration = el('ul', { class: 'narration', 'aria-label': 'What happened' });
    ui.body = el('div', { class: 'body' });
    ui.toolbarError = el('div', { class: 'field-error', role: 'alert' });
    root.append(el('div', { class: 'frame' },
      el('header', {}, el('h2', { text: this.constructor.title }),
        el('p', { class: 'subtitle', text: this.constructor.subtitle })),
      this.#buildToolbar(),
      ui.body,
      el('div', { class: 'panel narration-panel' }, el('h3', { text: 'What happened' }), ui.narration),
      ui.live));
    this.buildBody(ui.body);
  }

  #buildToolbar() {
    const ui = this.#ui;
    const tours = this.tours();
    ui.playButton = el('button', { type: 'button', class: 'primary', 'aria-pressed': 'false',
      onclick: () => (this.#playing ? this.pause() : this.play()) });
    ui.stepButton = el('button', { type: 'button', text: 'Step', title: 'Apply the next step of the tour',
      onclick: () => { this.pause(); this.stepTour(); } });
    ui.speed = el('select', { 'aria-label': 'Tour speed',
      onchange: () => { this.#speed = Number(ui.speed.value); this.#schedule(); } },
    ...SPEEDS.map((s) => el('option', { value: s, selected: s === 1, text: `${s}×` })));
    ui.tourSelect = el('select', { 'aria-label': 'Guided tour',
      onchange: () => this.#selectTour(Number(ui.tourSelect.value)) },
    ...tours.map((t, i) => el('option', { value: i, text: t.title })));
    ui.tourText = el('p', { class: 'tour-text' });
    ui.seed = el('input', { type: 'number', min: 0, max: MAX_SEED, step: 1, value: 1,
      'aria-label': 'Seed', title: 'Seed: the same seed and actions always give the same result',
      onchange: () => this.#changeSeed() });
    ui.shareInput = el('input', { type: 'text', readonly: true, 'aria-label': 'Link to this exact state' });
    ui.shareStatus = el('span', { class: 'share-status', 'aria-live': 'polite' });
    ui.shareBox = el('div', { class: 'share-box', hidden: true }, ui.shareInput, ui.shareStatus);
    const files = this.#linkPanel;
    const tourControls = tours.length
      ? [ui.playButton, ui.stepButton, ui.speed, ui.tourSelect, el('span', { class: 'sep' })]
      : [];
    const toolbar = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Simulation controls' },
      ...tourControls,
      el('label', {}, 'Seed ', ui.seed),
      el('button', { type: 'button', text: 'Undo', onclick: () => this.undo() }),
      el('button', { type: 'button', text: 'Reset', onclick: () => this.reset() }),
      el('button', { type: 'button', text: 'Share', onclick: () => this.#share() }),
      files.exportButton, files.importButton, files.fileInput,
      tours.length ? ui.tourText : null, ui.shareBox, files.note, ui.toolbarError);
    if (tours.length) this.#selectTour(0);
    return toolbar;
  }

  #selectTour(index) {
    this.pause();
    this.#tour = this.tours()[index] ?? null;
    this.#tourPosition = 0;
    this.#updateTourUi();
  }

  #updateTourUi() {
    const ui = this.#ui;
    if (!this.#tour || !ui.playButton) return;
    ui.playButton.textContent = this.#playing ? 'Pause' : 'Play tour';
    ui.playButton.setAttribute('aria-pressed', String(this.#playing));
    const total = this.#tour.steps.length;
    ui.tourText.textContent = `${this.#tour.description} (step ${this.#tourPosition} of ${total})`;
  }

  async #changeSeed() {
    const input = this.#ui.seed;
    const value = Number(input.value);
    if (!Number.isInteger(value) || value < 0 || value > MAX_SEED) {
      this.#showError(input, `Seed must be a whole number from 0 to ${MAX_SEED}.`);
      input.value = String(this.seed);
      return;
    }
    this.#clearError(input);
    await this.#replay({ seed: value, config: this.config, steps: this.log });
    this.narrate(`Seed ${value}: the same actions replayed with new random draws.`);
    this.#syncUrl();
  }

  async #importFile(text, button) {
    this.#clearError(button);
    let state;
    try {
      state = parseScenarioFile(text, this.constructor.sim);
    } catch (error) {
      this.#showError(button, error.message);
      return;
    }
    await this.loadState(state, button);
  }

  async #share() {
    this.#link.flush();
    const url = this.shareUrl();
    const ui = this.#ui;
    ui.shareBox.hidden = false;
    const over = linkStatus(url.length) === 'over';
    ui.shareInput.hidden = over;
    if (over) {
      ui.shareInput.value = '';
      ui.shareStatus.textContent = `Too long for a link (over ${LIMIT_TEXT}): use Export to save it as a file.`;
      return;
    }
    ui.shareInput.value = url;
    ui.shareInput.select();
    try {
      await navigator.clipboard.writeText(url);
      ui.shareStatus.textContent = 'Link copied';
    } catch {
      ui.shareStatus.textContent = 'Copy this link';
    }
  }
}

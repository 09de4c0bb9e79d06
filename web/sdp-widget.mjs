// The base every widget is built on. It owns what all widgets share:
// the session with the wasm simulation, the action log (and so undo, reset,
// seed changes and share links, which are all "replay the log"), guided tours
// with play / pause / step / speed, narration through an aria-live region,
// errors shown next to the control that caused them, pausing off-screen,
// resizing, and freeing the wasm session when the element is removed. It
// checks the attributes before the widget starts: a refused one falls back to
// its default and says so (attributes.mjs), and the widget always starts.
//
// A widget subclass supplies (all optional but `sim`):
//   static sim, static title, static subtitle
//   static attributes              -> {name: declaration} (see attributes.mjs)
//   baseConfig()                   -> the sim config before config attributes
//   initialSteps(values)           -> steps a fresh widget starts with; values
//                                     holds each declared attribute's value
//                                     (as given, or its default)
//   tours()                        -> [{title, description, seed, config, steps}]
//                                     (default: the sim's titled scenarios;
//                                     playTour(i) starts one from outside)
//   buildBody(body)                -> create its view and controls
//   render(snapshot, lastResult)   -> draw (a renderer only reads snapshots)
//   static fullSnapshot = true     -> render gets the sim's full snapshot
//                                     (record texts, every op): one snapshot
//                                     per draw, never a second one
//   describe(step, result)         -> one sentence for the narration
//   stepApplied(step, result)      -> bookkeeping that must replay (colours)
//   replayStarted()                -> clear that bookkeeping before a replay
// It changes the simulation only through this.act(step, controlElement).
//
// Long logs: the log compacts itself (web/action-log.mjs), no click writes
// the URL (web/link-writer.mjs says when it is written), a note warns
// before the link grows too long to open, and Export / Import move the
// state through a scenario file instead (web/link-panel.mjs).
//
// Time travel: a timeline under every widget (web/timeline-scrubber.mjs)
// moves the session to the state after any action (goTo) and back; the log
// is kept until the next action, which discards the later ones (a branch).
// The session replays from its nearest checkpoint, so Undo and the timeline
// cost the same at any log length (core/include/sdp/sim_session.h).
//
// Embed and Download (web/embed-panel.mjs, web/export.mjs) work for every
// widget from what it already has; a widget with time series names them for
// its CSV: static csvColumns (see export.mjs). A `state` attribute (what the
// Embed snippet writes: the share link's encoding) starts the widget in that
// exact state; a sync-url link, when there is one, wins over it.
//
// Compare (web/compare-lanes.mjs) works for every widget too: a second
// element of the same class runs as lane B, slaved to this one (lane A). The
// base only routes: lane A tells it what it applied, replayed and drew; on
// lane B, act / actAll / setConfig become lane B's own edits and drawing
// waits for the next frame.

import { listSims, loadSdp, scenarioWorkBudget, SdpError, SimSession } from '../wasm/sdp.mjs';
import { ActionLog, findLoneSurrogate, loneSurrogateMessage, parseScenarioFile, scenarioFileName, scenarioFileText } from './action-log.mjs';
import {
  attributeSpec, fallbackText, MAX_SEED, parseAttribute, parseSeed, refusedMessage, SEED_ALLOWED, shown,
} from './attributes.mjs';
import { el, plural, setPressed, toggleButton } from './dom.mjs';
import { CompareLanes } from './compare-lanes.mjs';
import { EmbedPanel } from './embed-panel.mjs';
import { ExportPanel } from './export.mjs';
import { downloadText, LinkPanel } from './link-panel.mjs';
import { LinkWriter } from './link-writer.mjs';
import { isReplayRefusal, ReplayRunner, replayTurn } from './replay-runner.mjs';
import { darkScheme, themeSheet } from './theme.mjs';
import { TimelineScrubber, timelineSheet } from './timeline-scrubber.mjs';
import { toursFor } from './tours.mjs';
import { decodeState, positionOf, readStateParam } from './url-state.mjs';

const SPEEDS = [0.5, 1, 2, 4];
const TOUR_STEP_MS = 1400;
const NARRATION_LINES = 6;
const DEFAULT_SEED = 1;
// The narration kept for the text export (the panel shows the last few).
const NARRATION_KEPT = 1000;

// A session or step refused for memory (the page's budget, or the browser):
// such a refusal is about the page, never a bad value or step to drop.
function isMemoryRefusal(error) {
  return error instanceof SdpError && error.memory === true;
}

// Which widget keeps its state in the URL under which key: a second widget
// with the same key would overwrite the first one's link.
const urlKeyOwners = new Map();

// The sims' field specs (listSims), fetched once per page.
let simInfos = null;
async function simInfo(sim) {
  simInfos ??= listSims().then(({ sims }) => new Map(sims.map((info) => [info.sim, info])));
  return (await simInfos).get(sim);
}

// session.apply, but a lone UTF-16 surrogate (pasted half of an emoji) is
// refused in a sentence before the engine's JSON parser refuses it with
// "[json.exception.parse_error.101] ...".
function applyStep(session, step) {
  const surrogate = findLoneSurrogate(step);
  if (surrogate) throw new SdpError(loneSurrogateMessage(surrogate));
  return session.apply(step);
}

export class SdpWidget extends HTMLElement {
  static sim = '';
  static title = '';
  static subtitle = '';
  static attributes = {};
  static fullSnapshot = false;

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
  #seenWidth = null; // the width the ResizeObserver last reported, px
  #drawnWidth = null; // the width when the widget last drew (as the observer knew it)
  #ui = {};
  #lastResult = null;
  #urlKey = null; // the URL parameter this widget owns (sync-url), or null
  #attributes = null; // {seed, accepted}: the attributes as checked at the start
  #fresh = null; // the starting state the sim accepted (what Reset returns to)
  #actions = new ActionLog(this.constructor.sim);
  #linkPanel = new LinkPanel({
    shareUrl: () => {
      this.#link.flush(); // the address bar gets it too
      return this.shareUrl();
    },
    onExport: () => this.exportFile(),
    onImport: (text, button) => this.#importFile(text, button),
  });
  #narrationLog = []; // oldest first, for Download > Log
  #at = null; // how many actions the widget shows when moved back in time; null: all
  #scrubber = new TimelineScrubber({ goTo: (position, { final }) => this.#scrub(position, final) });
  #embedPanel = new EmbedPanel(this);
  #replays = new ReplayRunner({ inertParts: () => this.#controlParts() });
  #exportPanel = new ExportPanel(this, () => this.#narrationLog);
  #compare = new CompareLanes(this, { changed: () => this.#syncUrl() });
  // On a lane B element: lane A's CompareLanes, which owns this element.
  compareLane = null;
  #link = new LinkWriter({
    state: () => ({ key: this.#urlKey ?? this.stateKey, synced: this.#urlKey !== null, seed: this.seed, config: this.config, actions: this.#actions,
      extras: this.#compare.linkState(), at: this.#at }),
    onLength: (status, chars) => this.#linkPanel.update(status, chars),
  });

  // ---- lifecycle -----------------------------------------------------------

  // Whatever goes wrong is said in the widget: no rejection escapes.
  async connectedCallback() {
    try {
      if (!this.#built) this.#buildFrame();
      if (this.compareLane) return; // lane B: lane A's CompareLanes loads and draws it
      this.#observe();
      if (this.session) return; // moved within the page: nothing to redo
      this.#clearNotes();
      this.#claimUrlKey();
      try {
        await loadSdp();
      } catch (error) {
        this.#showLoadError(error);
        return;
      }
      if (!this.isConnected || this.session) return;
      await this.#start();
    } catch (error) {
      this.#showFatalError(error);
    }
  }

  disconnectedCallback() {
    this.pause();
    this.#link.flush();
    for (const observer of this.#observers) observer.disconnect();
    this.#observers = [];
    // A move (remove + insert in one task) must not lose the session.
    queueMicrotask(() => {
      if (this.isConnected) return;
      if (this.#urlKey && urlKeyOwners.get(this.#urlKey) === this) urlKeyOwners.delete(this.#urlKey);
      this.#urlKey = null;
      if (this.session) {
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
    if (this.compareLane) return this.compareLane.edit([step], source);
    this.#clearError(source);
    if (!this.session) return null;
    const applied = this.#applyLogged([step], source);
    if (applied.length === 0) return null;
    const result = applied[0];
    this.#clearAllErrors(); // old complaints no longer describe the new state
    this.narrate(this.#branchText(this.describe(step, result)));
    this.#syncUrl();
    this.refresh(result);
    return result;
  }

  // Applies several steps as one action (load a corpus: hundreds of steps):
  // each is logged as act() would, but the widget narrates and redraws once.
  // Stops at the first refusal, shown next to `source`; the steps before it
  // stay applied. Returns the results of the applied steps.
  actAll(steps, source = null, describe = null) {
    if (this.compareLane) return this.compareLane.edit(steps, source) ?? [];
    this.#clearError(source);
    if (!this.session) return [];
    const results = this.#applyLogged(steps, source);
    if (results.length === 0) return results;
    if (results.length === steps.length) this.#clearAllErrors();
    this.narrate(this.#branchText(describe ? describe(results) : `${plural(results.length, 'step')} applied.`));
    this.#syncUrl();
    this.refresh(results.at(-1));
    return results;
  }

  // Applies steps in order, logging each that succeeds; at the first refusal
  // shows its message next to `source` and stops. Returns the results.
  #applyLogged(steps, source) {
    const results = [];
    this.#discarded = 0;
    for (const step of steps) {
      let result;
      try {
        result = applyStep(this.session, step);
      } catch (error) {
        this.#showError(source, error instanceof SdpError ? error.message : String(error));
        break;
      }
      this.#branch();
      this.#actions.push(step, result);
      this.stepApplied(step, result);
      results.push(result);
    }
    if (results.length) this.#compare.mirror(steps.slice(0, results.length));
    return results;
  }

  // Re-creates the simulation with a changed config and replays the log.
  async setConfig(patch, source = null) {
    if (this.compareLane) return this.compareLane.editConfig(patch, source);
    const previous = this.config;
    this.#clearError(source);
    try {
      await this.#replayActions({ seed: this.seed, config: { ...previous, ...patch }, steps: this.log });
      const changed = Object.entries(patch).map(([k, v]) => `${k} = ${v}`).join(', ');
      this.narrate(`Config ${changed}: the same ${this.log.length} actions replayed from the start.`);
      this.#syncUrl();
    } catch (error) {
      this.#showError(source, error.message);
      // The old session is untouched: redraw its controls.
      if (isMemoryRefusal(error) || isReplayRefusal(error)) this.refresh();
      else await this.#replayActions({ seed: this.seed, config: previous, steps: this.log });
    }
  }

  // Re-renders; the last result (a lookup's walk, the keys that moved) stays
  // on screen until the next action, also across resizes.
  refresh(lastResult = this.#lastResult) {
    if (!this.session) return;
    this.#lastResult = lastResult;
    if (this.compareLane) {
      this.compareLane.drawSoon();
      return;
    }
    // Reading the state needs memory too: when the page has none left (a
    // redraw for a resize or a theme change, not a step), the picture stays
    // as it was and the widget says why, instead of an uncaught error.
    let snapshot;
    try {
      snapshot = this.#drawSnapshot();
    } catch (error) {
      if (!(error instanceof SdpError)) throw error;
      this.#showError(undefined, error.message);
      return;
    }
    this.#drawnWidth = this.#seenWidth;
    this.render(snapshot, lastResult);
    // The compare table reads the ordinary snapshot: it fetches its own when
    // this one is the full one.
    this.#compare.laneAChanged(this.constructor.fullSnapshot ? null : snapshot);
    this.#scrubber.update(this.timeline);
  }

  // ---- time travel (the timeline) --------------------------------------------

  // {position, length, steps}: the widget shows the state after `position`
  // of its `length` logged actions.
  get timeline() {
    const length = this.#actions.length;
    return { position: this.#at ?? length, length, steps: this.#actions.steps };
  }

  // Shows the state after the first `position` actions, keeping the log
  // (the timeline's Step back / forward and drag; tests). Returns whether
  // it moved; a refusal (memory) is shown at the timeline.
  goTo(position, { narrate = true } = {}) {
    if (!this.#travel(position)) return false;
    this.refresh(position > 0 ? this.#actions.resultAt(position - 1) : null);
    if (narrate) this.narrate(this.#positionText(position, this.#actions.length));
    this.#syncUrl();
    return true;
  }

  // Moves the session and the bookkeeping to `position`, without drawing
  // (goTo draws; Undo draws once, after it has also cut the log).
  #travel(position) {
    if (!this.session) return false;
    const { length } = this.timeline;
    const source = this.#scrubber.element;
    this.#clearError(source);
    if (!Number.isSafeInteger(position) || position < 0 || position > length) {
      this.#showError(source, `Position ${shown(String(position))} refused: must be an integer in [0, ${length}], the number of actions.`);
      return false;
    }
    const from = this.timeline.position;
    try {
      this.session.goTo(this.#actions.sessionSteps(position));
    } catch (error) {
      if (!(error instanceof SdpError)) throw error;
      this.#showError(source, error.message);
      return false;
    }
    this.#at = position < length ? position : null;
    this.#redoBookkeeping(from, position);
    return true;
  }

  #scrub(position, final) {
    this.pause();
    this.goTo(position, { narrate: final });
  }

  #positionText(position, length) {
    if (position === length) return `Back at the latest state: all ${plural(length, 'action')}.`;
    const what = position === 0 ? 'the starting state' : `the state after action ${position} of ${length}`;
    return `Showing ${what}; acting now discards the ${plural(length - position, 'later action')}.`;
  }

  // stepApplied is a fold over the log (colours, transcripts): moving
  // forward continues it, moving back starts it again.
  #redoBookkeeping(from, to) {
    let start = from;
    if (to < from) {
      this.replayStarted();
      start = 0;
    }
    const steps = this.#actions.steps;
    for (let i = start; i < to; i++) this.stepApplied(steps[i], this.#actions.resultAt(i));
  }

  #discarded = 0; // actions the last act() discarded by acting in the past

  // Called once the session accepted a step: if the widget was in the past,
  // the session has dropped the later steps, and so does the log.
  #branch() {
    if (this.#at === null) return;
    this.#discarded = this.#actions.length - this.#at;
    this.#actions.truncate(this.#at);
    this.#at = null;
    this.#compare.rebuild(); // lane B follows lane A's new history
  }

  #branchText(text) {
    if (this.#discarded === 0) return text;
    return `Branched: ${plural(this.#discarded, 'later action')} discarded. ${text}`.trim();
  }

  narrate(text) {
    if (!text) return;
    this.#ui.live.textContent = text;
    this.#narrationLog.push(text);
    if (this.#narrationLog.length > NARRATION_KEPT) this.#narrationLog.shift();
    this.#embedPanel.update(); // every change of state is narrated
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

  baseConfig() { return {}; }
  initialSteps() { return []; }
  tours() { return toursFor(this.constructor.sim); }
  buildBody() {}
  render() {}
  describe() { return ''; }
  stepApplied() {}
  replayStarted() {}

  // ---- toolbar actions ---------------------------------------------------------

  // Takes back the action before the shown state and discards the ones
  // after it: from its nearest checkpoint, not a replay of the log.
  async undo() {
    const { position } = this.timeline;
    if (position === 0) return;
    if (!this.#travel(position - 1)) return;
    const lastResult = position > 1 ? this.#actions.resultAt(position - 2) : null;
    this.#actions.truncate(position - 1);
    this.#at = null;
    this.#compare.rebuild();
    this.refresh(lastResult); // once: the state and the timeline after the cut
    this.narrate('Undid the last action.');
    this.#syncUrl();
  }

  async reset() {
    if (!this.#attributes) return; // not started yet
    this.pause();
    this.#tourPosition = 0;
    const notes = [];
    if (!(await this.#withinMemory(() => this.#startFresh(this.seed, notes)))) return;
    this.#addNotes(notes);
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

  // The scenario of what the widget shows: the log up to the timeline's
  // position (all of it at the end). Exercises grade this, so a learner who
  // stepped back is graded on the moment on screen.
  shownScenario() {
    const { position, length } = this.timeline;
    const scenario = this.scenario();
    return position < length ? { ...scenario, steps: scenario.steps.slice(0, position) } : scenario;
  }

  exportFile() {
    const { sim, ...state } = this.scenario();
    downloadText(scenarioFileName(sim, this.log.length), scenarioFileText(sim, state));
    this.narrate(`Exported ${this.log.length} steps as a scenario file.`);
  }

  // Replaces the state with {seed, config, steps} (an imported file). A
  // config the sim refuses leaves the current state as it was (#replay
  // swaps the session only once the new one is built); refused steps are
  // skipped, and said.
  async loadState(state, source = null) {
    this.pause();
    let skipped;
    try {
      skipped = await this.#replay(state);
    } catch (error) {
      if (!(error instanceof SdpError)) throw error;
      this.#showError(source, `That state could not be loaded (${error.message}); the widget kept its state.`);
      return;
    }
    const refused = skipped.length ? `; ${plural(skipped.length, 'step')} refused and skipped (the first: ${skipped[0]})` : '';
    this.narrate(`Loaded ${plural(state.steps.length - skipped.length, 'step')}${refused}.`);
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
      const tourStart = { seed: this.#tour.seed ?? 1, config: this.#tour.config ?? {}, steps: [] };
      // Not drawn here: the tour's first step, applied below, draws it once.
      if (!(await this.#withinMemory(() => this.#replay(tourStart, { draw: false }), this.#ui.stepButton))) {
        this.pause();
        return;
      }
      this.narrate(`Tour: ${this.#tour.title}.`);
    }
    const step = this.#tour.steps[this.#tourPosition];
    const first = this.#tourPosition === 0;
    this.#tourPosition += 1;
    if (this.act(step, this.#ui.stepButton) === null && first) this.refresh(); // refused: draw the tour's start
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

  // Selects the guided tour `index` and plays it from its start: what a
  // topic page's list of tours calls (web/topic-extras.mjs).
  playTour(index) {
    if (!this.#ui.tourSelect || !this.tours()[index]) return;
    this.#ui.tourSelect.value = String(index);
    this.#selectTour(index);
    this.play();
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

  // ---- compare mode: what lane A's CompareLanes calls on lane B ------------------

  // Rebuilds lane B from {seed, config, steps}; a refusal among the first
  // strictSteps steps (B's own edits) throws and leaves it as it was.
  laneLoad(state, strictSteps) {
    return this.#replay(state, { strict: strictSteps });
  }

  // Applies lane A's steps to lane B; a step B refuses is skipped, as a
  // replay would skip it. Returns the refusals' messages.
  laneApply(steps) {
    const refused = [];
    let last = null;
    for (const step of steps) {
      try {
        last = applyStep(this.session, step);
      } catch (error) {
        if (!(error instanceof SdpError) || isMemoryRefusal(error)) throw error;
        refused.push(error.message);
        continue;
      }
      this.#actions.push(step);
      this.stepApplied(step, last);
    }
    if (refused.length < steps.length) this.refresh(last);
    return refused;
  }

  laneError(source, message) {
    if (message) this.#showError(source, message);
    else this.#clearError(source);
  }

  // Draws now (lane B draws once a frame at most, when it is seen); returns
  // the snapshot drawn.
  laneDraw() {
    if (!this.session) return null;
    const snapshot = this.#drawSnapshot();
    this.render(snapshot, this.#lastResult);
    return this.constructor.fullSnapshot ? null : snapshot;
  }

  // What render gets: the full snapshot for a widget that asks for it, so
  // that no render reads a second one (the full one is the larger JSON).
  #drawSnapshot() {
    return this.constructor.fullSnapshot ? this.session.snapshot({ full: true }) : this.session.snapshot();
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
    const notes = [];
    this.#fresh = null;
    try {
      this.#attributes = await this.#readAttributes(notes);
      const restored = (this.#urlKey !== null && await this.#restoreEncoded(readStateParam(this.#urlKey), notes, "The link's"))
        || (this.hasAttribute('state') && await this.#restoreEncoded(this.getAttribute('state'), notes, 'The state attribute\'s'));
      if (!restored) await this.#startFresh(this.#attributes.seed, notes);
      const ready = this.tours().length ? 'Ready: use the controls, or play a guided tour.' : 'Ready: use the controls.';
      this.narrate(restored ? 'Restored the shared state.' : ready);
    } catch (error) {
      if (isMemoryRefusal(error)) {
        this.#addNotes(notes);
        this.#showMemoryRefusal(error);
        return;
      }
      // A bug, not a refused value (those are caught above): still start, and say why.
      notes.push(`This widget could not start as configured (${error.message}); it starts from the simulation's defaults.`);
      this.#attributes ??= { seed: DEFAULT_SEED, accepted: {} };
      this.#fresh = { config: {}, steps: [] };
      await this.#replay({ seed: DEFAULT_SEED, ...this.#fresh });
    }
    this.#addNotes(notes);
  }

  // The seed and the declared attributes, each checked against what is
  // allowed: {seed, accepted: {name: value}}; every refusal goes to notes.
  async #readAttributes(notes) {
    let seed = DEFAULT_SEED;
    if (this.hasAttribute('seed')) {
      const text = this.getAttribute('seed');
      const value = parseSeed(text);
      if (value === null) notes.push(refusedMessage('seed', text, `must be ${SEED_ALLOWED}`, fallbackText(DEFAULT_SEED)));
      else seed = value;
    }
    const accepted = {};
    const given = Object.entries(this.constructor.attributes).filter(([name]) => this.hasAttribute(name));
    if (given.length === 0) return { seed, accepted };
    const info = await simInfo(this.constructor.sim);
    for (const [name, declaration] of given) {
      const text = this.getAttribute(name);
      const spec = attributeSpec(name, declaration, info);
      const value = parseAttribute(text, spec);
      if (value === null) notes.push(refusedMessage(name, text, `must be ${spec.allowed}`, this.#fallback(name)));
      else accepted[name] = value;
    }
    return { seed, accepted };
  }

  #defaultOf(name) {
    const declaration = this.constructor.attributes[name];
    return declaration.default ?? (declaration.config ? this.baseConfig()[declaration.config] : undefined);
  }

  #fallback(name) {
    return fallbackText(this.#defaultOf(name));
  }

  // The starting config and steps from the accepted attribute values.
  #freshState(accepted) {
    const config = this.baseConfig();
    const values = {};
    for (const [name, declaration] of Object.entries(this.constructor.attributes)) {
      values[name] = name in accepted ? accepted[name] : this.#defaultOf(name);
      if (declaration.config && name in accepted) config[declaration.config] = accepted[name];
    }
    return { config, steps: this.initialSteps(values) };
  }

  // Starts from the attributes. The sim may still refuse a value its field
  // spec allows (more partitions than this sim holds, a combination): then
  // the attributes are added back one at a time, and each one the sim refuses
  // is dropped and reported in the sim's words.
  async #startFresh(seed, notes) {
    if (this.#fresh) {
      await this.#replay({ seed, ...this.#fresh });
      return;
    }
    const { accepted } = this.#attributes;
    let fresh = this.#freshState(accepted);
    try {
      await this.#replay({ seed, ...fresh }, { strict: true });
    } catch (error) {
      if (!(error instanceof SdpError) || isMemoryRefusal(error) || Object.keys(accepted).length === 0) throw error;
      let kept = {};
      let running = false;
      for (const [name, value] of Object.entries(accepted)) {
        const trial = this.#freshState({ ...kept, [name]: value });
        try {
          await this.#replay({ seed, ...trial }, { strict: true });
          kept = { ...kept, [name]: value };
          running = true;
        } catch (refusal) {
          if (!(refusal instanceof SdpError) || isMemoryRefusal(refusal)) throw refusal;
          notes.push(refusedMessage(name, this.getAttribute(name), refusal.message, this.#fallback(name)));
          running = false;
        }
      }
      fresh = this.#freshState(kept);
      if (!running) await this.#replay({ seed, ...fresh }, { strict: true });
    }
    this.#fresh = fresh;
  }

  // Restores an encoded state (the URL's, or the state attribute's: `whose`
  // names it in notes); false (and a note saying why) when there is none or
  // the sim refuses it. Steps the sim refuses are skipped, and said.
  async #restoreEncoded(encoded, notes, whose) {
    if (!encoded) return false;
    let state;
    try {
      state = decodeState(encoded);
    } catch (error) {
      const why = whose === "The link's" ? error.message : error.message.replace('the shared link', 'the state attribute');
      notes.push(`${why[0].toUpperCase()}${why.slice(1)}.`);
      return false;
    }
    let seed = parseSeed(state.seed);
    if (seed === null) {
      seed = this.#attributes.seed;
      notes.push(`${whose} seed ${shown(JSON.stringify(state.seed) ?? 'undefined')} refused: must be ${SEED_ALLOWED}; ${fallbackText(seed)}.`);
    }
    let at = null;
    try {
      at = positionOf(state);
    } catch (error) {
      notes.push(`${error.message[0].toUpperCase()}${error.message.slice(1)}; showing its latest state.`);
    }
    try {
      const skipped = await this.#replay({ seed, config: state.config, steps: state.steps });
      if (skipped.length) {
        notes.push(`${plural(skipped.length, 'step')} of ${whose.toLowerCase()} ${state.steps.length} refused and skipped (the first: ${skipped[0]}).`);
      }
      if (state.compare !== undefined) await this.#compare.restore(state.compare, notes, whose);
      if (at !== null) this.goTo(Math.min(at, this.#actions.length), { narrate: false });
      return true;
    } catch (error) {
      // Memory is the page's fault, not the link's: the widget waits for Try
      // again with the link intact (started fresh, its first action would
      // overwrite the link).
      if (isMemoryRefusal(error)) throw error;
      notes.push(`${whose} state could not be restored (${error.message}); starting fresh.`);
      return false;
    }
  }

  // Replays the action log (after undo, a seed or config change); an action
  // the sim now refuses is dropped, and said.
  async #replayActions(state) {
    const skipped = await this.#replay(state);
    if (skipped.length) this.narrate(`${plural(skipped.length, 'action')} could not be replayed and were dropped (the first: ${skipped[0]}).`);
  }

  // Builds a new session from seed + config and applies the steps; only then
  // replaces the current one. Returns the messages of the steps the sim
  // refused (skipped); with strict, the first refusal throws instead and the
  // widget is left as it was (strict: a number: only among the first so many steps).
  // With draw false the caller draws (it acts next, which draws).
  async #replay({ seed, config, steps }, { strict = false, draw = true } = {}) {
    const strictSteps = strict === true ? Infinity : Number(strict) || 0;
    const limit = await scenarioWorkBudget();
    const run = this.#replays.begin(steps.length, limit);
    const endTurn = await replayTurn();
    const applied = [];
    const skipped = [];
    let session = null;
    try {
      session = await SimSession.create(this.constructor.sim, { seed, config, owner: () => this.#memoryOwner() });
      for (const [done, step] of steps.entries()) {
        await run.before(done);
        try {
          applied.push({ step, result: applyStep(session, step) });
        } catch (error) {
          if (applied.length + skipped.length < strictSteps || !(error instanceof SdpError) || isMemoryRefusal(error)) throw error;
          skipped.push(error.message);
        }
        run.spent(session.lastStepUnits(), done);
      }
    } catch (error) {
      session?.delete();
      throw error;
    } finally {
      run.end();
      endTurn();
    }
    this.session?.delete();
    this.session = session;
    this.seed = seed;
    this.config = config;
    this.#actions.reset(applied.map((a) => a.step), applied.map((a) => a.result));
    this.#at = null;
    this.replayStarted();
    for (const { step, result } of applied) this.stepApplied(step, result);
    this.#ui.seed.value = String(this.seed);
    if (draw) this.refresh(applied.at(-1)?.result ?? null);
    else this.#lastResult = null;
    this.#updateTourUi();
    this.#link.measure();
    this.#compare.rebuild();
    return skipped;
  }

  // A second widget with sync-url and the same key would overwrite the
  // first one's state in the URL: the first (in page order) keeps the key.
  #claimUrlKey() {
    if (!this.hasAttribute('sync-url') || this.#urlKey) return;
    const key = this.stateKey;
    const owner = urlKeyOwners.get(key);
    if (owner && owner !== this && owner.isConnected) {
      this.#addNotes([`state-key "${shown(key)}" is already used by another widget on this page (an earlier <${owner.localName}>): this one does not keep its state in the URL, so that neither overwrites the other's. Give each widget its own state-key.`]);
      return;
    }
    urlKeyOwners.set(key, this);
    this.#urlKey = key;
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

  // Notes on what the widget did not use as given (refused attributes, a
  // link's bad seed, a taken state-key): they stay until dismissed.
  #addNotes(notes) {
    if (notes.length === 0) return;
    const ui = this.#ui;
    ui.noticeList.append(...notes.map((text) => el('li', { text })));
    ui.notice.hidden = false;
  }

  #clearNotes() {
    this.#ui.notice.hidden = true;
    this.#ui.noticeList.replaceChildren();
  }

  // ---- the page's memory budget (wasm/sdp.mjs) --------------------------------

  // How memory messages name this widget: its title and tag, and its id or
  // else its place among the page's widgets of its kind.
  #memoryOwner() {
    const tag = this.localName;
    const place = [...document.querySelectorAll(tag)].indexOf(this) + 1;
    const which = this.id ? ` id="${this.id}"` : place > 0 ? ` #${place}` : '';
    return `${this.constructor.title || tag} <${tag}${which}>`;
  }

  // Runs a replay unless the memory budget refuses it (or the work budget,
  // or the user cancels it); a refusal leaves the widget as it was and is
  // shown at `source` (or the toolbar). Returns whether it ran.
  async #withinMemory(replay, source = null) {
    try {
      await replay();
      return true;
    } catch (error) {
      if (!isMemoryRefusal(error) && !isReplayRefusal(error)) throw error;
      this.#showError(source, error.message);
      return false;
    }
  }

  // The widget could not start within the budget: it says so in its place
  // and offers to try again (after other widgets were removed, say).
  #showMemoryRefusal(error) {
    const ui = this.#ui;
    const frame = this.shadowRoot.querySelector('.frame');
    const parts = [frame.querySelector('.toolbar'), ui.body, this.#scrubber.element, frame.querySelector('.narration-panel')];
    for (const part of parts) part.hidden = true;
    const owner = this.#memoryOwner();
    const why = error.message.startsWith(`${owner}: `) ? error.message.slice(owner.length + 2) : error.message;
    const retry = el('button', { type: 'button', text: 'Try again' });
    const refusal = el('div', { class: 'memory-refusal load-error', role: 'alert' },
      el('p', { text: `${owner} was not started: this page does not have enough memory left for it.` }),
      el('p', { text: `Why: ${why}.` }),
      el('p', { text: 'Close or remove other simulations on this page, then try again.' }),
      retry);
    retry.addEventListener('click', async () => {
      refusal.remove();
      for (const part of parts) part.hidden = false;
      if (this.session) return;
      this.#clearNotes();
      try {
        await this.#start(); // says itself if the budget refuses it again
      } catch (failure) {
        this.#showFatalError(failure);
      }
    });
    ui.body.before(refusal);
  }

  #showFatalError(error) {
    try {
      this.#showLoadError(error, 'Reload the page; if it happens again, please report it.');
    } catch {
      console.error(error); // the frame itself is broken: the console is all that is left
    }
  }

  #showLoadError(error, hint = 'It needs a browser with WebAssembly; if you opened the file directly, serve it over http instead.') {
    // Nothing in the toolbar can work without the engine: hide it.
    this.shadowRoot.querySelector('.toolbar').hidden = true;
    this.shadowRoot.querySelector('.narration-panel').hidden = true;
    this.#scrubber.element.hidden = true;
    this.#ui.body.replaceChildren(el('p', { class: 'load-error', role: 'alert',
      text: `This simulation could not start: ${error?.message ?? error}. ${hint}` }));
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
    // Redraw when the width changed since the widget last drew. The
    // observer's first report comes after the first layout: a widget that
    // drew before it drew at that width already (its charts read it), so it
    // is not drawn a second time on load.
    if (typeof ResizeObserver === 'function') {
      const resize = new ResizeObserver((entries) => {
        const width = Math.round(entries[0].contentRect.width);
        const first = this.#seenWidth === null;
        this.#seenWidth = width;
        if (!this.session) return;
        if (first && this.#drawnWidth === null) this.#drawnWidth = width;
        if (width !== this.#drawnWidth) this.refresh();
      });
      resize.observe(this);
      this.#observers.push(resize);
    }
    // Charts and canvases read the theme's colours when they draw: draw
    // again when the OS switches between light and dark.
    if (darkScheme) {
      const redraw = () => this.refresh();
      darkScheme.addEventListener('change', redraw);
      this.#observers.push({ disconnect: () => darkScheme.removeEventListener('change', redraw) });
    }
  }

  #buildFrame() {
    this.#built = true;
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [themeSheet(), timelineSheet, ...(this.constructor.styles ?? [])];
    const ui = this.#ui;
    ui.live = el('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
    ui.narration = el('ul', { class: 'narration', 'aria-label': 'What happened' });
    ui.body = el('div', { class: 'body' });
    ui.toolbarError = el('div', { class: 'field-error', role: 'alert' });
    ui.noticeList = el('ul');
    ui.notice = el('div', { class: 'notice', role: 'alert', hidden: true }, ui.noticeList,
      el('button', { type: 'button', text: 'Dismiss', onclick: () => this.#clearNotes() }));
    root.append(el('div', { class: 'frame' },
      el('header', {}, el('h2', { text: this.constructor.title }),
        el('p', { class: 'subtitle', text: this.constructor.subtitle })),
      ui.notice,
      this.#replays.element,
      this.#buildToolbar(),
      ui.body,
      ...this.#compare.parts,
      this.#scrubber.element,
      el('div', { class: 'panel narration-panel' }, el('h3', { text: 'What happened' }), ui.narration),
      ui.live));
    this.buildBody(ui.body);
  }

  // What a long replay makes inert: everything that acts on the state.
  #controlParts() {
    const frame = this.shadowRoot.querySelector('.frame');
    return [frame.querySelector('.toolbar'), this.#ui.body, this.#scrubber.element, ...this.#compare.parts];
  }

  #buildToolbar() {
    const ui = this.#ui;
    const tours = this.tours();
    ui.playButton = toggleButton('Play tour', () => (this.#playing ? this.pause() : this.play()), { class: 'primary' });
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
    const links = this.#linkPanel;
    const tourControls = tours.length
      ? [ui.playButton, ui.stepButton, ui.speed, ui.tourSelect, el('span', { class: 'sep' })]
      : [];
    // A group, not role=toolbar: a toolbar promises one tab stop and arrow
    // keys between its items, which would take the arrow keys from the seed
    // box, the speed and tour selects and the share link inside it.
    const toolbar = el('div', { class: 'toolbar', role: 'group', 'aria-label': 'Simulation controls' },
      ...tourControls,
      el('label', {}, 'Seed ', ui.seed),
      el('button', { type: 'button', text: 'Undo', onclick: () => this.undo() }),
      el('button', { type: 'button', text: 'Reset', onclick: () => this.reset() }),
      ...links.buttons, ...this.#embedPanel.buttons, ...this.#exportPanel.buttons, this.#compare.button,
      tours.length ? ui.tourText : null, ...links.rows, ...this.#embedPanel.rows, ...this.#exportPanel.rows, ui.toolbarError);
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
    setPressed(ui.playButton, this.#playing);
    const total = this.#tour.steps.length;
    ui.tourText.textContent = `${this.#tour.description} (step ${this.#tourPosition} of ${total})`;
  }

  async #changeSeed() {
    const input = this.#ui.seed;
    if (!this.session) return; // not started yet
    const value = parseSeed(input.value);
    if (value === null) {
      // A number box holds "" for text that is not a number.
      const given = input.validity?.badInput ? '(not a number)' : `"${shown(input.value)}"`;
      this.#showError(input, `Seed ${given} refused: must be ${SEED_ALLOWED}; kept seed ${this.seed}.`);
      input.value = String(this.seed);
      return;
    }
    this.#clearError(input);
    if (!(await this.#withinMemory(() => this.#replayActions({ seed: value, config: this.config, steps: this.log }), input))) {
      input.value = String(this.seed);
      return;
    }
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
}

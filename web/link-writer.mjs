// When a widget's state is written into the page URL (issue #25: writing
// it on every click cost 1.75 s per click with a 1.7 MB log).
//
// history.replaceState costs time in proportion to the URL, and encoding
// the state in proportion to the log, so no click writes the URL itself:
// - a short link (url-state's linkStatus 'ok') is written once actions
//   pause for WRITE_IDLE_MS, and at least every WRITE_MAX_WAIT_MS while they
//   go on (a live run acts every 500 ms), so the address bar is never far
//   behind;
// - a long one waits for Share, or for the page to be hidden or left
//   (visibilitychange / pagehide), where a slow write goes unnoticed;
// - one too long to open takes the widget's parameter out of the URL, so
//   that it does not break the link for the other widgets of the page.
// The length is estimated in O(1) per action (ActionLog keeps its JSON
// size), so the widget can warn about it without encoding anything.

import { utf8Length } from './action-log.mjs';
import { atText, encodedLength, linkStatus, StateEncoder, statePrefix, urlWithoutState, urlWithState } from './url-state.mjs';

const WRITE_IDLE_MS = 750;
const WRITE_MAX_WAIT_MS = 2000;

// Writers with something not written yet, flushed when the page is hidden.
const pending = new Set();
let watchingPage = false;
function flushAll() {
  const before = location.href;
  for (const writer of [...pending]) writer.flush();
  if (location.href !== before) rememberForReload(before, location.href);
}

// A reload opens the address the page had when the reload began: Chromium
// fixes it before visibilitychange and pagehide run, so the write above
// comes too late for it
// (tests/e2e/long-logs.test.mjs: clicks made less than WRITE_IDLE_MS before
// a reload were lost). The tab's sessionStorage carries the newer address
// over to the next load of the same address, which takes it before any
// widget reads the URL (this module runs before the widgets are defined).
const RELOAD_KEY = 'sdp-link-written-on-pagehide';
function rememberForReload(before, after) {
  try {
    sessionStorage.setItem(RELOAD_KEY, JSON.stringify({ before, after }));
  } catch {
    // Storage full or refused: the reload shows the last written link.
  }
}
function adoptLinkWrittenOnPagehide() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(RELOAD_KEY));
    sessionStorage.removeItem(RELOAD_KEY);
    // Only a reload or Back/Forward to the very address that was left: a
    // link opened afresh in this tab stays what it says.
    const how = performance.getEntriesByType?.('navigation')?.[0]?.type;
    if (saved?.before === location.href && (how === 'reload' || how === 'back_forward')) {
      history.replaceState(null, '', saved.after);
    }
  } catch {
    // No storage (sandboxed frame, private mode): nothing to adopt.
  }
}
if (typeof window !== 'undefined') adoptLinkWrittenOnPagehide();
function watchPage() {
  if (watchingPage) return;
  watchingPage = true;
  window.addEventListener('pagehide', flushAll);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flushAll();
  });
}

export class LinkWriter {
  #state;
  #onLength;
  #encoder = new StateEncoder();
  #timer = null;
  #firstPendingAt = 0;
  #baseChars = null;   // the URL without this widget's parameter's value

  // state() -> {key, synced, seed, config, actions, extras, at}: key is the
  // widget's URL parameter, synced whether it keeps its state there
  // (sync-url, and the key is its own), actions its ActionLog, extras what
  // else the link holds (url-state.mjs statePrefix), at its position on the
  // timeline (null at the end).
  // onLength(status, chars) hears the link's length after every change.
  constructor({ state, onLength }) {
    this.#state = state;
    this.#onLength = onLength;
  }

  // The link with the current state (Share): encodes only the steps added
  // since the last call.
  url() {
    const { key, seed, config, actions, extras, at } = this.#state();
    return urlWithState(key, this.#encoder.encode(seed, config, actions, extras, at ?? null));
  }

  // Reports the link's length (after a replay that is no user action).
  measure() {
    const chars = this.estimatedChars();
    this.#onLength(linkStatus(chars), chars);
    return chars;
  }

  // The state changed: report the link's length; schedule the write.
  changed() {
    const chars = this.measure();
    if (!this.#state().synced) return;
    pending.add(this);
    watchPage();
    if (linkStatus(chars) !== 'ok') {
      this.#cancelTimer();
      return;
    }
    const now = performance.now();
    if (this.#timer === null) this.#firstPendingAt = now;
    else if (now - this.#firstPendingAt > WRITE_MAX_WAIT_MS - WRITE_IDLE_MS) return; // due soon: do not postpone it again
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.flush(), WRITE_IDLE_MS);
  }

  // Writes what is pending now (Share, the page hidden, the widget removed).
  flush() {
    if (!pending.delete(this)) return;
    this.#cancelTimer();
    const { key, synced } = this.#state();
    if (!synced) return;
    const url = this.url();
    try {
      if (linkStatus(url.length) !== 'over') {
        history.replaceState(null, '', url);
      } else {
        const without = urlWithoutState(key);
        if (without !== location.href) history.replaceState(null, '', without);
      }
    } catch {
      // Sandboxed frames may refuse; Share and Export still work.
    }
    this.#baseChars = url.length - this.#paramChars();
    this.#onLength(linkStatus(url.length), url.length);
  }

  // Forgets a pending write without making it (the widget no longer owns
  // its parameter).
  cancel() {
    pending.delete(this);
    this.#cancelTimer();
  }

  // The link's length without encoding it: the URL's other parts (as seen at
  // the last write: other widgets' parameters change it) plus the base64url
  // length of this state's JSON.
  estimatedChars() {
    this.#baseChars ??= urlWithState(this.#state().key, '').length;
    return this.#baseChars + this.#paramChars();
  }

  #paramChars() {
    const { seed, config, actions, extras, at } = this.#state();
    return encodedLength(utf8Length(statePrefix(seed, config, extras)) + actions.jsonBytes + atText(at).length);
  }

  #cancelTimer() {
    clearTimeout(this.#timer);
    this.#timer = null;
  }
}

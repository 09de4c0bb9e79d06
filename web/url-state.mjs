// A widget's whole state as a link: seed + config + the action log, as
// base64url JSON in the URL fragment (never sent to a server), one parameter
// per widget so that several widgets can share a page. A widget moved back
// in time adds "at": how many of the steps it shows (the timeline,
// web/timeline-scrubber.mjs); at the end of its log there is no "at", so
// such links are what they always were.
//
// Long logs: StateEncoder encodes a log incrementally (a new step costs its
// own size, not the log's), hashWithParam swaps one parameter without
// re-encoding the others, and linkStatus says when a link gets too long to
// open (Chromium refuses URLs over 2 MiB: the page then opens without its
// fragment, and every widget on it starts fresh).

// Chromium's url::kMaxURLChars: a longer URL does not open.
export const LINK_LIMIT_CHARS = 2 * 1024 * 1024;
// Warn from here on, while the link still works.
export const LINK_WARN_CHARS = Math.floor(LINK_LIMIT_CHARS * 0.75);
// Encoding the state and history.replaceState cost time in proportion to
// the URL (bench/widget_log.mjs measures both), so from this length on the
// address bar is written only when asked (Share) or when the page is
// hidden or left, never after an ordinary click (web/link-writer.mjs).
export const LINK_LAZY_CHARS = 128 * 1024;

// 'ok' | 'lazy' (written on Share / when leaving) | 'warn' (still opens,
// getting close to the limit) | 'over' (will not open).
export function linkStatus(chars) {
  if (chars > LINK_LIMIT_CHARS) return 'over';
  if (chars >= LINK_WARN_CHARS) return 'warn';
  return chars >= LINK_LAZY_CHARS ? 'lazy' : 'ok';
}

function bytesToBase64Url(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function toBase64Url(text) {
  return bytesToBase64Url(new TextEncoder().encode(text));
}

function fromBase64Url(encoded) {
  const padded = encoded.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(padded + '='.repeat((4 - (padded.length % 4)) % 4));
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

// base64url length (no padding) of `bytes` bytes.
export function encodedLength(bytes) {
  return Math.ceil((bytes * 4) / 3);
}

export function encodeState(state) {
  return toBase64Url(JSON.stringify(state));
}

// Returns the decoded state, or throws an Error saying why the link is broken.
export function decodeState(encoded) {
  let state;
  try {
    state = JSON.parse(fromBase64Url(encoded));
  } catch {
    throw new Error('the shared link is damaged (not valid state); starting fresh');
  }
  if (typeof state !== 'object' || state === null || !Array.isArray(state.steps)) {
    throw new Error('the shared link has no action log; starting fresh');
  }
  return state;
}

// The link's "at" as a position in [0, steps]; null when absent (the end).
// Throws a sentence for anything else.
export function positionOf(state, steps = state.steps.length) {
  if (state.at === undefined) return null;
  if (!Number.isSafeInteger(state.at) || state.at < 0 || state.at > steps) {
    throw new Error(`the shared link's position "at" (${JSON.stringify(state.at)?.slice(0, 40)}) must be an integer in [0, ${steps}], the number of its steps`);
  }
  return state.at;
}

// The JSON text of {seed, config, ...extras, steps} up to the first step:
// JSON.stringify of the whole state is statePrefix + steps joined by ',' +
// ']}' (plus the position, atText, when there is one). extras: more of the
// state than the log (compare mode's lane B), or null; a state without them
// encodes exactly as before they existed.
export function statePrefix(seed, config, extras = null) {
  const more = Object.entries(extras ?? {}).map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)},`).join('');
  return `{"seed":${JSON.stringify(seed)},"config":${JSON.stringify(config)},${more}"steps":[`;
}

// encodeState({seed, config, ...extras, steps: log.steps, at}), byte for
// byte (no "at" when it is null), kept up to date incrementally from an
// ActionLog (web/action-log.mjs): the log's stable steps are encoded once,
// in whole 3-byte groups; only the newest steps (which may still merge) and
// the position are encoded on every call.
export class StateEncoder {
  #prefix = null;
  #generation = -1;
  #done = 0;            // steps already in #head
  #head = '';           // base64url of whole 3-byte groups
  #carry = new Uint8Array(0);  // the 0-2 bytes after them
  #encoder = new TextEncoder();

  encode(seed, config, log, extras = null, at = null) {
    const prefix = statePrefix(seed, config, extras);
    if (prefix !== this.#prefix || log.generation !== this.#generation) {
      this.#prefix = prefix;
      this.#generation = log.generation;
      this.#done = 0;
      this.#head = '';
      this.#carry = new Uint8Array(0);
      this.#add(prefix);
    }
    const steps = log.steps;
    const stable = log.stableLength;
    if (this.#done < stable) {
      this.#add((this.#done ? ',' : '') + steps.slice(this.#done, stable).map((s) => JSON.stringify(s)).join(','));
      this.#done = stable;
    }
    const rest = steps.slice(this.#done).map((s) => JSON.stringify(s)).join(',');
    const tail = `${this.#done && rest ? ',' : ''}${rest}]${atText(at)}}`;
    return this.#head + bytesToBase64Url(concat(this.#carry, this.#encoder.encode(tail)));
  }

  #add(text) {
    const bytes = concat(this.#carry, this.#encoder.encode(text));
    const whole = bytes.length - (bytes.length % 3);
    this.#head += bytesToBase64Url(bytes.subarray(0, whole));
    this.#carry = bytes.slice(whole);
  }
}

// The position's JSON after the steps: ,"at":N (nothing at the end).
export function atText(at) {
  return at === null || at === undefined ? '' : `,"at":${at}`;
}

function concat(a, b) {
  if (!a.length) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function fragmentParams(hash) {
  return new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
}

export function readStateParam(key, location = window.location) {
  return fragmentParams(location.hash).get(key);
}

// The current URL with this widget's parameter set to `encoded`.
export function urlWithState(key, encoded, location = window.location) {
  const url = location.href.replace(/#.*$/s, '');
  return `${url}#${hashWithParam(location.hash, key, encoded)}`;
}

// The current URL without this widget's parameter.
export function urlWithoutState(key, location = window.location) {
  const url = location.href.replace(/#.*$/s, '');
  const hash = hashWithParam(location.hash, key, null);
  return hash ? `${url}#${hash}` : url;
}

// `hash` (with or without '#') with parameter `key` set to `value` (null:
// removed), as URLSearchParams would write it for a base64url value, but
// leaving the other parameters' text as it is (no decoding and re-encoding
// of megabytes of other widgets' state).
export function hashWithParam(hash, key, value) {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  const name = new URLSearchParams([[key, '']]).toString().slice(0, -1);
  const parts = text ? text.split('&') : [];
  const out = [];
  let placed = false;
  for (const part of parts) {
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    if (rawKey === name || decodeKey(rawKey) === key) {
      if (!placed && value !== null) out.push(`${name}=${value}`);
      placed = true;
    } else if (part) {
      out.push(part);
    }
  }
  if (!placed && value !== null) out.push(`${name}=${value}`);
  return out.join('&');
}

function decodeKey(raw) {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

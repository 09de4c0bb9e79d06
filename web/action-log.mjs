// A widget's action log: the steps that rebuild its state from seed + config.
// Plain JS (no DOM), so node tests check it directly.
//
// - Compaction. Consecutive steps merge where the merge provably gives the
//   same state, for every seed and config (a seed or config change replays
//   the log, and must replay the same history): MERGE_RULES below, each with
//   the reason it is exact. The newest step is never merged, so Undo takes
//   back exactly the last action (a step merges into the one before it when
//   the next one arrives); an Undo after that may take back several merged
//   waits at once.
// - Size. The log's JSON size is kept per step (O(1) per action), so the
//   widget can tell how long its link is without encoding it.
// - Time travel. Each kept step remembers how many session steps it stands
//   for (a merge adds them up) and its result, so the widget base can move
//   the session to the state after any kept step (sessionSteps) and redo
//   the widget's bookkeeping up to there (resultAt); truncate drops the
//   steps after a point when the user acts in the past (a branch).
// - Files. {sim, seed, config, steps}: the scenario `sdp run` replays.
// - Text. A lone UTF-16 surrogate cannot reach the engine (its JSON parser
//   refuses it with "[json.exception.parse_error.101] ..."): say so first.

import { parseSeed, SEED_ALLOWED } from './attributes.mjs';

// ---- merge rules -------------------------------------------------------------
//
// A rule is {start(), observe(ctx, step), merge: {op: (a, b, ctx) => step | null}}.
// `ctx` is what the rule needs to know about the history before b (observe
// folds each kept step into it); merge returns the single step that replaces
// a followed by b, or null.
//
// Sims without a rule here keep every step. In particular:
// - load_balancer `advance`: its snapshot reports the last advance on its own
//   ("assigned_recent", the recent utilisation: step_start_ and step_area in
//   load_balancer_ops.cpp), so two advances do not equal one; and at the
//   largest rps (1e6) one step may cover only 1 s (kMaxRequestsPerStep), less
//   than the widget's +5 s.
// - redis_persistence `advance`: each advance ends with UpdateSeries(), a
//   sample of the at-risk levels; whether every event that changes them
//   samples them too is not proven here, so an extra boundary could show.
// - every other op stays as it is: none has been shown to merge exactly
//   (most are counted or shown in the snapshot one by one, e.g. redis's
//   "commands" and "error_replies").

// `advance {ms}` on a sim whose advance only moves a clock: now_ms_ += ms
// after checking now_ms_ + ms <= kMaxTimeMs (RateLimiterSim::Advance,
// ApiGatewaySim::Advance; the result's "peek" is read-only). a then b moves
// the clock by a.ms + b.ms, as one advance does; b was accepted, so
// now + a.ms + b.ms <= kMaxTimeMs and the merged step is accepted too (and
// its ms stays within the field's maximum, kMaxTimeMs).
const clockAdvance = (maxMs) => ({
  start: () => null,
  observe: (ctx) => ctx,
  merge: {
    advance: (a, b) => (isAdvance(a) && isAdvance(b) && a.ms + b.ms <= maxMs ? { op: 'advance', ms: a.ms + b.ms } : null),
  },
});

// Kafka `advance {ms}` is KafkaModel::Advance: EventQueue::AdvanceTo(now + ms)
// and nothing else (AdvanceOp only reads counters for the result). AdvanceTo
// runs every event due by the target in (time, sequence) order and then sets
// the clock, so AdvanceTo(t1) then AdvanceTo(t2) runs the same events in the
// same order as AdvanceTo(t2). What can differ is acceptance: CheckAdvance
// caps records (sum of stream rates x time <= 5e6) and periodic events per
// step, and depends on the state. At the worst any state allows (8 topics,
// each streaming at 1e6 records/s) 625 ms gives exactly 5e6 records and
// ~7,000 periodic events (< 2e7), so a merged step of at most 625 ms is
// accepted in every state.
const KAFKA_ALWAYS_ACCEPTED_MS = 625;
const kafka = {
  start: () => null,
  observe: (ctx) => ctx,
  merge: {
    advance: (a, b) => (isAdvance(a) && isAdvance(b) && a.ms + b.ms <= KAFKA_ALWAYS_ACCEPTED_MS ? { op: 'advance', ms: a.ms + b.ms } : null),
  },
};

// Circuit breaker `advance {ms}` (CircuitBreakerSim::Advance): events up to
// now + ms, the series advanced to the same time, then RecordLevels(). The
// events run exactly as in one advance (see kafka above), and
// TimeSeries::AdvanceTo closes the same buckets however its target is split
// (its skip-ahead too: the skipped buckets are empty either way). So a then b
// equals one advance except for the RecordLevels() at the boundary, which
// samples queue, busy, breaker state and dependency capacity. Queue, busy and
// state change only in events and ops that call RecordLevels / AfterBreaker
// right away, so sampling them again writes the values already held (a no-op
// for max and last levels alike). Capacity is constant too, except during a
// warm-up: after `dependency {down: false}` brings the dependency back,
// CapacityNow() grows with time for warmup_ms (at most 3,600,000 ms, the
// field's maximum), and a boundary sample inside that window would be a new
// value. Hence: merge only when no dependency came up in the last 3,600,000
// ms of advances before the boundary (other time passing is not counted,
// which only makes the rule stricter).
// Acceptance: a step may ask for at most 5e6 client attempts (rps x tries x
// s); with rps <= 1e5 and tries <= 11 (max_retries 10) any step of at most
// 4,545 ms is accepted in every state.
const BREAKER_ALWAYS_ACCEPTED_MS = 4545;
const BREAKER_MAX_WARMUP_MS = 3600000;
const breaker = {
  start: () => ({ msSinceUp: Infinity }),
  observe(ctx, step) {
    if (step.op === 'dependency' && step.down === false) return { msSinceUp: 0 };
    if (step.op === 'dependency' && step.down === true) return { msSinceUp: Infinity };  // recovered_at_ = -1
    if (step.op === 'advance') return { msSinceUp: ctx.msSinceUp + step.ms };
    return ctx;
  },
  merge: {
    advance: (a, b, ctx) => (isAdvance(a) && isAdvance(b) && ctx.msSinceUp >= BREAKER_MAX_WARMUP_MS
      && a.ms + b.ms <= BREAKER_ALWAYS_ACCEPTED_MS ? { op: 'advance', ms: a.ms + b.ms } : null),
  },
};

export const MERGE_RULES = {
  rate_limiter: clockAdvance(4000000000),
  api_gateway: clockAdvance(4000000000),
  kafka,
  circuit_breaker: breaker,
};

// An advance step exactly as the rules merge it: {op, ms} and nothing else.
function isAdvance(step) {
  return step.op === 'advance' && Number.isSafeInteger(step.ms) && step.ms > 0 && Object.keys(step).length === 2;
}

const NO_RULE = { start: () => null, observe: (ctx) => ctx, merge: {} };

// ---- the log ---------------------------------------------------------------------

export class ActionLog {
  #rule;
  #steps = [];
  #counts = [];        // session steps each kept step stands for
  #results = [];       // the result of each kept step (a merge keeps the later one)
  #bytes = 0;          // UTF-8 bytes of the steps' JSON joined by commas
  #ctxBeforeLast;      // the rule's context before the newest step
  #ctx;                // ... and after it
  #generation = 0;     // bumped whenever a step before stableLength changes

  constructor(sim) {
    this.#rule = MERGE_RULES[sim] ?? NO_RULE;
    this.reset();
  }

  // The steps, oldest first. Read-only: change them through push/reset.
  get steps() { return this.#steps; }
  get length() { return this.#steps.length; }
  // Size of JSON.stringify(steps) in UTF-8 bytes.
  get jsonBytes() { return this.#steps.length ? this.#bytes + 2 : 2; }
  // Steps before this index stay as they are until generation changes
  // (the newest two may still merge): what an incremental encoder may keep.
  get stableLength() { return Math.max(0, this.#steps.length - 2); }
  get generation() { return this.#generation; }

  // results[i] (optional) is steps[i]'s result.
  reset(steps = [], results = []) {
    this.#clear();
    steps.forEach((step, i) => this.push(step, results[i] ?? null));
  }

  // Empty, the merge rule's context fresh, a new generation.
  #clear() {
    this.#steps = [];
    this.#counts = [];
    this.#results = [];
    this.#bytes = 0;
    this.#ctx = this.#rule.start();
    this.#ctxBeforeLast = this.#ctx;
    this.#generation += 1;
  }

  // Appends a step that the session accepted; first merges the step before
  // it into its predecessor where a rule allows.
  push(step, result = null) {
    this.#mergeNewest();
    this.#append(step, result);
  }

  // Keeps the first `length` steps only (they are as they were: a kept
  // step is never split), and the rule's context as after them.
  truncate(length) {
    if (length >= this.#steps.length) return;
    const steps = this.#steps.slice(0, length);
    const counts = this.#counts.slice(0, length);
    const results = this.#results.slice(0, length);
    this.#clear();
    // Appended, not pushed: pushing would try the merges again.
    steps.forEach((step, i) => this.#append(step, results[i], counts[i]));
  }

  // How many session steps the first `length` kept steps stand for.
  sessionSteps(length) {
    let total = 0;
    for (let i = 0; i < length && i < this.#counts.length; i++) total += this.#counts[i];
    return total;
  }

  resultAt(index) { return this.#results[index] ?? null; }

  #append(step, result = null, count = 1) {
    this.#bytes += jsonBytes(step) + (this.#steps.length ? 1 : 0);
    this.#steps.push(step);
    this.#counts.push(count);
    this.#results.push(result);
    this.#ctxBeforeLast = this.#ctx;
    this.#ctx = this.#rule.observe(this.#ctx, step);
  }

  // Merges the newest step into the one before it, if a rule says so. The
  // context the rule sees is the history before the newest step.
  #mergeNewest() {
    const n = this.#steps.length;
    if (n < 2) return;
    const a = this.#steps[n - 2];
    const b = this.#steps[n - 1];
    const rule = this.#rule.merge[b.op];
    const merged = rule && a.op === b.op ? rule(a, b, this.#ctxBeforeLast) : null;
    if (!merged) return;
    this.#bytes += jsonBytes(merged) - jsonBytes(a) - jsonBytes(b) - 1;
    this.#steps[n - 2] = merged;
    this.#steps.pop();
    this.#counts[n - 2] += this.#counts.pop();
    this.#results[n - 2] = this.#results.pop();
    // The context after the merged step is the one after b: observe is a
    // fold, and every rule's fold of the merged step equals that of a then b.
  }
}

// Compacts a whole log (what ActionLog would keep after pushing each step).
export function compactSteps(sim, steps) {
  const log = new ActionLog(sim);
  for (const step of steps) log.push(step);
  return log.steps;
}

// UTF-8 length of JSON.stringify(value), without allocating the bytes.
export function jsonBytes(value) {
  return utf8Length(JSON.stringify(value));
}

export function utf8Length(text) {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2;  // a pair: 4 bytes for 2 code units
      i += 1;
    } else bytes += 2;  // 3 bytes (a lone surrogate becomes U+FFFD, also 3)
  }
  return bytes;
}

// ---- scenario files ------------------------------------------------------------

// The file `sdp run` replays: exactly {sim, seed, config, steps}.
export function scenarioFileText(sim, { seed, config, steps }) {
  return `${JSON.stringify({ sim, seed, config, steps })}\n`;
}

export function scenarioFileName(sim, stepCount) {
  return `${sim}-${stepCount}-steps.json`;
}

// Reads a scenario file for `sim`; returns {seed, config, steps} or throws
// an Error whose message is a sentence for the user.
export function parseScenarioFile(text, sim) {
  let file;
  try {
    file = JSON.parse(text);
  } catch {
    throw new Error('That file is not a scenario: it is not valid JSON.');
  }
  if (typeof file !== 'object' || file === null || Array.isArray(file)) {
    throw new Error('That file is not a scenario: expected a JSON object with sim, seed, config and steps.');
  }
  if (file.sim !== sim) {
    const named = typeof file.sim === 'string' ? `"${file.sim.slice(0, 40)}"` : 'no sim';
    throw new Error(`That file is for ${named}; this widget runs "${sim}".`);
  }
  if (file.steps !== undefined && !Array.isArray(file.steps)) {
    throw new Error('That file\'s "steps" is not a list of steps.');
  }
  if (file.config !== undefined && (typeof file.config !== 'object' || file.config === null || Array.isArray(file.config))) {
    throw new Error('That file\'s "config" is not an object.');
  }
  // A number, as `sdp run` requires (parseSeed also reads attribute text).
  const seed = file.seed === undefined ? 1 : typeof file.seed === 'number' ? parseSeed(file.seed) : null;
  if (seed === null) throw new Error(`That file's "seed" is refused: it must be ${SEED_ALLOWED}.`);
  return { seed, config: file.config ?? {}, steps: file.steps ?? [] };
}

// ---- text the engine cannot take ------------------------------------------------

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// The first string field of `step` holding a lone surrogate, as
// {field, index}, or null.
export function findLoneSurrogate(step) {
  for (const [field, value] of Object.entries(step ?? {})) {
    if (typeof value !== 'string') continue;
    const index = value.search(LONE_SURROGATE);
    if (index >= 0) return { field, index };
  }
  return null;
}

export function loneSurrogateMessage({ field, index }) {
  return `The text has a broken character (position ${index + 1} of "${field}"): half of an emoji or other `
    + 'character written as two UTF-16 units, without its other half. It cannot be sent; delete it and type the character again.';
}

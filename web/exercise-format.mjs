// The exercise format (docs/exercises.md) and its validator. Pure JS, for
// the browser (exercises page), node (tests, scripts/check-exercise.mjs).
//
// An exercise is a starting scenario the learner changes within stated
// limits, a goal over the engine's output, and hidden seeds the goal must
// hold on. Everything that needs the engine takes `run(scenario) -> output`
// ({results, snapshot}, as `sdp run` prints it), so this file never loads
// the wasm module itself.

// Which sim each widget shows: the one table the format checks `widget`
// against (tests/js/exercises.test.mjs checks it against web/widgets.mjs).
export const WIDGET_SIMS = {
  'sdp-hash-ring': 'hash_ring',
  'sdp-hash-lab': 'hash_lab',
  'sdp-circuit-breaker': 'circuit_breaker',
  'sdp-rate-limiter': 'rate_limiter',
  'sdp-api-gateway': 'api_gateway',
  'sdp-load-balancer': 'load_balancer',
  'sdp-kafka': 'kafka',
  'sdp-redis-zset': 'redis_zset',
  'sdp-redis-geo': 'redis_geo',
  'sdp-redis-persistence': 'redis_persistence',
  'sdp-gossip': 'gossip',
  'sdp-tcp-connection': 'tcp',
  'sdp-tcp-vs-udp': 'transport',
  'sdp-cap': 'cap',
  'sdp-layers': 'layers',
  'sdp-http-vs-https': 'https',
  'sdp-search-index': 'search_index',
  'sdp-search-cluster': 'search_cluster',
  'sdp-realtime': 'realtime',
  'sdp-rest': 'rest',
  'sdp-estimator': 'estimator',
  'sdp-design': 'architecture',
};

export const DIFFICULTIES = ['easy', 'medium', 'hard'];
export const COMPARISONS = ['<', '<=', '>', '>=', '==', '!='];
// Over the values a `*` in a metric path selects.
export const AGGREGATIONS = ['max', 'min', 'sum', 'mean', 'count'];
export const MIN_HIDDEN_SEEDS = 5;
const MAX_SEED = 2 ** 32 - 1;
const ROOTS = ['snapshot', 'result', 'results'];

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isSeed = (v) => Number.isInteger(v) && v >= 0 && v <= MAX_SEED;
const show = (v) => JSON.stringify(v);

// ---- metric paths ----------------------------------------------------------

// "snapshot.lanes.0.latency.p99_ms": `snapshot`, `result` (the last step's
// result) or `results` (every step's, by index: results.-2 is the one
// before the last), then object keys and array indexes (negative from the
// end); `*` takes every element, and then the metric needs `agg`.
export function parseMetricPath(path) {
  if (typeof path !== 'string' || path === '') return { error: 'must be a path such as "snapshot.load.max_over_mean"' };
  const parts = path.split('.');
  if (!ROOTS.includes(parts[0])) return { error: `must start with ${ROOTS.map((r) => `"${r}."`).join(', ')} (got ${show(path)})` };
  if (parts.some((p) => p === '')) return { error: `has an empty segment (${show(path)})` };
  return { parts };
}

// The values a path selects in an output: {values} or {error} saying where
// it stopped and which names were there.
export function selectMetric(output, path) {
  const parsed = parseMetricPath(path);
  if (parsed.error) return { error: `metric path ${parsed.error}` };
  const [root, ...rest] = parsed.parts;
  const roots = { snapshot: output.snapshot, result: output.results?.at(-1), results: output.results };
  let current = [roots[root]];
  let walked = root;
  for (const part of rest) {
    const next = [];
    for (const value of current) {
      if (part === '*' && (Array.isArray(value) || isObject(value))) next.push(...Object.values(value));
      else if (Array.isArray(value) && /^-?\d+$/.test(part) && value.at(Number(part)) !== undefined) next.push(value.at(Number(part)));
      else if (isObject(value) && Object.hasOwn(value, part)) next.push(value[part]);
      else return { error: `unknown metric path ${show(path)}: ${walked} has no ${show(part)} (${describeNode(value)})` };
    }
    current = next;
    walked += `.${part}`;
  }
  return { values: current };
}

function describeNode(value) {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (isObject(value)) {
    const keys = Object.keys(value);
    return `has: ${keys.slice(0, 12).join(', ')}${keys.length > 12 ? ', ...' : ''}`;
  }
  return `it is ${show(value)}`;
}

// One number (or string/boolean for == and !=) for a goal's metric.
export function measure(output, { metric, agg }) {
  const selected = selectMetric(output, metric);
  if (selected.error) return selected;
  const { values } = selected;
  if (!agg) {
    if (values.length !== 1) return { error: `metric ${show(metric)} selects ${values.length} values: give "agg"` };
    return { value: values[0] };
  }
  if (agg === 'count') return { value: values.length };
  if (values.length === 0 || values.some((v) => typeof v !== 'number')) {
    return { error: `metric ${show(metric)}: "${agg}" needs numbers, got ${show(values.slice(0, 3))}` };
  }
  if (agg === 'max') return { value: Math.max(...values) };
  if (agg === 'min') return { value: Math.min(...values) };
  const sum = values.reduce((a, b) => a + b, 0);
  return { value: agg === 'sum' ? sum : sum / values.length };
}

const COMPARE = {
  '<': (a, b) => a < b, '<=': (a, b) => a <= b, '>': (a, b) => a > b, '>=': (a, b) => a >= b,
  '==': (a, b) => a === b, '!=': (a, b) => a !== b,
};

// ---- the goal ----------------------------------------------------------------

// {all: [goal...]} | {any: [goal...]} | {metric, op, value, agg?}
// -> {pass, checks: [{metric, agg, op, value, measured, pass, error?}]}
export function evaluateGoal(goal, output) {
  if (goal.all || goal.any) {
    const parts = (goal.all ?? goal.any).map((g) => evaluateGoal(g, output));
    const pass = goal.all ? parts.every((p) => p.pass) : parts.some((p) => p.pass);
    return { pass, checks: parts.flatMap((p) => p.checks) };
  }
  const { metric, agg, op, value } = goal;
  const got = measure(output, goal);
  if (got.error) return { pass: false, checks: [{ metric, agg, op, value, measured: null, pass: false, error: got.error }] };
  const ordered = ['<', '<=', '>', '>='].includes(op);
  if (ordered && typeof got.value !== 'number') {
    const error = `metric ${show(metric)} is ${show(got.value)}, not a number`;
    return { pass: false, checks: [{ metric, agg, op, value, measured: got.value, pass: false, error }] };
  }
  const pass = COMPARE[op](got.value, value);
  return { pass, checks: [{ metric, agg, op, value, measured: got.value, pass }] };
}

// Every leaf of a goal, with its field path ("goal.all[1]").
function goalLeaves(goal, field, out = []) {
  if (!isObject(goal)) {
    out.push({ field, error: `${field} must be an object: {"all": [...]}, {"any": [...]}, or {"metric", "op", "value"}` });
    return out;
  }
  const list = goal.all ?? goal.any;
  if (list !== undefined) {
    const key = goal.all !== undefined ? 'all' : 'any';
    if (!Array.isArray(list) || list.length === 0) out.push({ field: `${field}.${key}`, error: `${field}.${key} must be a non-empty array of goals` });
    else list.forEach((g, i) => goalLeaves(g, `${field}.${key}[${i}]`, out));
    return out;
  }
  out.push({ field, leaf: goal });
  return out;
}

// ---- what the learner may change ------------------------------------------

function rangeProblem(value, range) {
  if (range === true || (isObject(range) && Object.keys(range).length === 0)) return null;
  if (range.one_of && !range.one_of.some((v) => v === value)) return `must be one of ${range.one_of.map(show).join(', ')}`;
  if (range.min !== undefined || range.max !== undefined) {
    if (typeof value !== 'number') return `must be a number in [${range.min ?? '-inf'}, ${range.max ?? 'inf'}]`;
    if ((range.min !== undefined && value < range.min) || (range.max !== undefined && value > range.max)) {
      return `must be in [${range.min ?? '-inf'}, ${range.max ?? 'inf'}]`;
    }
  }
  return null;
}

const sameValue = (a, b) => show(a) === show(b);

// The learner's state ({config, steps}) against the exercise's start: one
// problem per change the exercise does not allow, each naming the field.
export function checkChanges(exercise, state) {
  const problems = [];
  const allowConfig = exercise.allow?.config ?? {};
  const allowOps = exercise.allow?.ops ?? {};
  const start = exercise.start;
  const config = state.config ?? {};
  for (const name of new Set([...Object.keys(start.config ?? {}), ...Object.keys(config)])) {
    const was = start.config?.[name];
    const now = config[name];
    if (sameValue(was, now)) continue;
    if (!Object.hasOwn(allowConfig, name)) {
      problems.push({ field: `config.${name}`, error: `config.${name} changed (${show(was)} -> ${show(now)}), but this exercise does not let you change it` });
      continue;
    }
    const why = now === undefined ? 'must be set' : rangeProblem(now, allowConfig[name]);
    if (why) problems.push({ field: `config.${name}`, error: `config.${name} = ${show(now)}: ${why}` });
  }
  const steps = state.steps ?? [];
  const startSteps = start.steps ?? [];
  for (let i = 0; i < startSteps.length; i += 1) {
    if (!sameValue(steps[i], startSteps[i])) {
      problems.push({ field: `steps[${i}]`, error: `steps[${i}]: the starting steps must stay as they were (expected ${show(startSteps[i])}, got ${show(steps[i] ?? null)}); press Reset exercise to go back to the start` });
      return problems;
    }
  }
  for (let i = startSteps.length; i < steps.length; i += 1) {
    const { op, ...fields } = steps[i] ?? {};
    if (!Object.hasOwn(allowOps, op)) {
      const allowed = Object.keys(allowOps);
      problems.push({ field: `steps[${i}]`, error: `steps[${i}]: op ${show(op)} is not allowed here (allowed: ${allowed.length ? allowed.join(', ') : 'none'})` });
      continue;
    }
    for (const [name, range] of Object.entries(allowOps[op] ?? {})) {
      if (!(name in fields)) continue;
      const why = rangeProblem(fields[name], range);
      if (why) problems.push({ field: `steps[${i}].${name}`, error: `steps[${i}] (${op}).${name} = ${show(fields[name])}: ${why}` });
    }
  }
  return problems;
}

// ---- scenarios the engine runs ----------------------------------------------

// A change set ({config: patch, steps: added}, as `reference` and `wrong`
// are written) as the learner's full state.
export function applyChanges(exercise, changes = {}) {
  return {
    config: { ...(exercise.start.config ?? {}), ...(changes.config ?? {}) },
    steps: [...(exercise.start.steps ?? []), ...(changes.steps ?? [])],
  };
}

// What runs on one hidden seed: the learner's config and steps, then the
// exercise's `check` steps (the traffic, crash or wait the goal is about).
export function gradingScenario(exercise, state, seed) {
  return { sim: exercise.start.sim, seed, config: state.config ?? {}, steps: [...(state.steps ?? []), ...(exercise.check?.steps ?? [])] };
}

// Runs a state on one seed and evaluates the goal: {seed, pass, checks, error?}.
// A step the sim refuses fails the seed, naming the step.
export async function evaluateOnSeed(exercise, state, seed, run) {
  const scenario = gradingScenario(exercise, state, seed);
  let output;
  try {
    output = await run(scenario);
  } catch (error) {
    return { seed, pass: false, checks: [], error: `the engine refused this scenario: ${error.message}` };
  }
  const refused = output.results.findIndex((r) => r && typeof r === 'object' && 'error' in r);
  if (refused >= 0) {
    const where = refused < (state.steps ?? []).length ? `steps[${refused}]` : `check.steps[${refused - state.steps.length}]`;
    return { seed, pass: false, checks: [], error: `${where} was refused: ${output.results[refused].error}` };
  }
  return { seed, ...evaluateGoal(exercise.goal, output) };
}

// ---- the validator -------------------------------------------------------------

const REQUIRED_TEXT = ['id', 'title', 'topic', 'task'];

// Checks without the engine: {field, error} per mistake.
export function checkShape(exercise) {
  const problems = [];
  const add = (field, error) => problems.push({ field, error });
  if (!isObject(exercise)) return [{ field: '(file)', error: 'an exercise must be a JSON object' }];
  for (const name of REQUIRED_TEXT) {
    if (typeof exercise[name] !== 'string' || exercise[name].trim() === '') add(name, `${name} must be a non-empty string`);
  }
  if (!DIFFICULTIES.includes(exercise.difficulty)) add('difficulty', `difficulty ${show(exercise.difficulty)} must be one of ${DIFFICULTIES.join(', ')}`);
  const sim = WIDGET_SIMS[exercise.widget];
  if (!sim) add('widget', `unknown widget ${show(exercise.widget)}; known: ${Object.keys(WIDGET_SIMS).join(', ')}`);
  const start = exercise.start;
  if (!isObject(start)) add('start', 'start must be an object {sim, seed, config, steps}');
  else {
    if (typeof start.sim !== 'string' || !Object.values(WIDGET_SIMS).includes(start.sim)) {
      add('start.sim', `unknown sim ${show(start.sim)}; known: ${[...new Set(Object.values(WIDGET_SIMS))].join(', ')}`);
    } else if (sim && start.sim !== sim) add('start.sim', `start.sim ${show(start.sim)} is not the sim of ${exercise.widget} (${sim})`);
    if (!isSeed(start.seed)) add('start.seed', `start.seed must be an integer in [0, ${MAX_SEED}]`);
    if (start.config !== undefined && !isObject(start.config)) add('start.config', 'start.config must be an object');
    if (start.steps !== undefined && !Array.isArray(start.steps)) add('start.steps', 'start.steps must be an array of steps');
  }
  const allow = exercise.allow;
  if (!isObject(allow) || (!isObject(allow.config) && !isObject(allow.ops))) {
    add('allow', 'allow must name what the learner may change: {"config": {field: range}, "ops": {op: {field: range}}}');
  } else {
    for (const [name, range] of Object.entries(allow.config ?? {})) {
      if (range !== true && !isObject(range)) add(`allow.config.${name}`, `allow.config.${name} must be true, {"min", "max"} or {"one_of": [...]}`);
    }
    for (const [op, fields] of Object.entries(allow.ops ?? {})) {
      if (!isObject(fields)) add(`allow.ops.${op}`, `allow.ops.${op} must be an object of field ranges ({} for any values)`);
    }
  }
  if (exercise.check !== undefined && (!isObject(exercise.check) || !Array.isArray(exercise.check.steps))) {
    add('check', 'check must be {"steps": [...]}, the steps run after the learner\'s');
  }
  for (const leaf of goalLeaves(exercise.goal, 'goal')) {
    if (leaf.error) { add(leaf.field, leaf.error); continue; }
    const { metric, op, value, agg } = leaf.leaf;
    const path = parseMetricPath(metric);
    if (path.error) add(`${leaf.field}.metric`, `${leaf.field}.metric ${path.error}`);
    if (!COMPARISONS.includes(op)) add(`${leaf.field}.op`, `${leaf.field}.op ${show(op)} is not a comparison; use one of ${COMPARISONS.join(' ')}`);
    else if (['<', '<=', '>', '>='].includes(op) && typeof value !== 'number') add(`${leaf.field}.value`, `${leaf.field}.value must be a number for ${op}`);
    else if (value === undefined) add(`${leaf.field}.value`, `${leaf.field}.value is missing`);
    if (agg !== undefined && !AGGREGATIONS.includes(agg)) add(`${leaf.field}.agg`, `${leaf.field}.agg ${show(agg)} must be one of ${AGGREGATIONS.join(', ')}`);
    if (!path.error && path.parts.includes('*') && agg === undefined) add(`${leaf.field}.agg`, `${leaf.field}.metric has a "*": give "agg" (${AGGREGATIONS.join(', ')})`);
  }
  if (!Array.isArray(exercise.hints) || exercise.hints.some((h) => typeof h !== 'string' || h.trim() === '')) add('hints', 'hints must be an array of non-empty strings (revealed one by one)');
  const seeds = exercise.hidden_seeds;
  if (!Array.isArray(seeds) || seeds.length < MIN_HIDDEN_SEEDS) {
    add('hidden_seeds', `hidden_seeds must list at least ${MIN_HIDDEN_SEEDS} seeds (got ${Array.isArray(seeds) ? seeds.length : 'none'}), so that a lucky seed cannot pass`);
  } else if (seeds.some((s) => !isSeed(s)) || new Set(seeds).size !== seeds.length) {
    add('hidden_seeds', `hidden_seeds must be distinct integers in [0, ${MAX_SEED}]`);
  }
  for (const name of ['reference', 'wrong']) {
    const changes = exercise[name];
    if (changes === undefined && name === 'wrong') continue;
    if (!isObject(changes)) add(name, `${name} must be {"config": {...changes}, "steps": [...added steps]}`);
    else {
      if (changes.config !== undefined && !isObject(changes.config)) add(`${name}.config`, `${name}.config must be an object`);
      if (changes.steps !== undefined && !Array.isArray(changes.steps)) add(`${name}.steps`, `${name}.steps must be an array`);
    }
  }
  return problems;
}

// Everything: the shape, then with the engine (`run`, and `sims` =
// listSims().sims for op names): the metrics exist in a real output, the
// reference stays within `allow` and passes on every hidden seed, the start
// fails (else the exercise is solved before it begins), and `wrong`, when
// given, fails on some seed. Returns {field, error} per mistake.
export async function validateExercise(exercise, { run, sims }) {
  const problems = checkShape(exercise);
  if (problems.length) return problems;
  const add = (field, error) => problems.push({ field, error });
  const info = sims.find((s) => s.sim === exercise.start.sim);
  const ops = new Set(info.ops.map((o) => o.op));
  const fields = new Set(info.config.map((c) => c.name));
  for (const name of Object.keys(exercise.allow.config ?? {})) {
    if (!fields.has(name)) add(`allow.config.${name}`, `allow.config: ${exercise.start.sim} has no config field ${show(name)}`);
  }
  for (const op of Object.keys(exercise.allow.ops ?? {})) {
    if (!ops.has(op)) add(`allow.ops.${op}`, `allow.ops: ${exercise.start.sim} has no op ${show(op)}`);
  }
  // A metric must exist in a real output: the start's, or (for what only
  // the right change creates, such as a new member's score) the reference's.
  const start = applyChanges(exercise);
  const reference = applyChanges(exercise, exercise.reference);
  const startOutput = await runOrProblem(run, gradingScenario(exercise, start, exercise.start.seed), 'start', add);
  if (!startOutput) return problems;
  let referenceOutput;
  for (const leaf of goalLeaves(exercise.goal, 'goal')) {
    const got = measure(startOutput, leaf.leaf);
    if (!got.error) continue;
    referenceOutput ??= await runOrProblem(run, gradingScenario(exercise, reference, exercise.start.seed), 'reference', add) ?? {};
    if (!referenceOutput.snapshot || measure(referenceOutput, leaf.leaf).error) add(`${leaf.field}.metric`, `${leaf.field}.metric: ${got.error}`);
  }
  if (problems.length) return problems;
  for (const p of checkChanges(exercise, reference)) add(`reference.${p.field}`, `reference: ${p.error}`);
  for (const seed of exercise.hidden_seeds) {
    const graded = await evaluateOnSeed(exercise, reference, seed, run);
    if (!graded.pass) add('reference', `reference does not meet the goal on hidden seed ${seed}: ${summary(graded)}`);
    const unchanged = await evaluateOnSeed(exercise, start, seed, run);
    if (unchanged.pass) add('start', `the starting scenario already meets the goal on hidden seed ${seed} (${summary(unchanged)}): nothing to do`);
  }
  if (exercise.wrong) {
    const wrong = applyChanges(exercise, exercise.wrong);
    for (const p of checkChanges(exercise, wrong)) add(`wrong.${p.field}`, `wrong must stay within allow: ${p.error}`);
    const results = [];
    for (const seed of exercise.hidden_seeds) results.push(await evaluateOnSeed(exercise, wrong, seed, run));
    if (results.every((r) => r.pass)) add('wrong', `wrong (a plausible wrong answer) passes on every hidden seed: the goal does not tell it apart`);
  }
  return problems;
}

async function runOrProblem(run, scenario, field, add) {
  try {
    const output = await run(scenario);
    const refused = output.results.findIndex((r) => r && typeof r === 'object' && 'error' in r);
    if (refused >= 0) {
      add(`${field}.steps`, `${field}: step ${refused} (${show(scenario.steps[refused])}) was refused: ${output.results[refused].error}`);
      return null;
    }
    return output;
  } catch (error) {
    add(`${field}.config`, `${field}: the engine refused it: ${error.message}`);
    return null;
  }
}

// "p99_ms = 262.1 (needs < 200)" for each check of a graded seed.
export function summary(graded) {
  if (graded.error) return graded.error;
  return graded.checks.map((c) => c.error ?? `${c.agg ? `${c.agg}(${c.metric})` : c.metric} = ${formatValue(c.measured)} (needs ${c.op} ${formatValue(c.value)})`).join('; ');
}

export function formatValue(value) {
  if (typeof value !== 'number') return show(value);
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}

// The exercises (exercises/<widget>/NN-slug.json, docs/exercises.md): every
// file validates in the wasm engine of the site build, its reference passes
// on every hidden seed through the grader, its start and its plausible wrong
// answer fail; each kind of mistake is refused naming its field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listSims, runScenario } from '../../dist/wasm/sdp.mjs';
import { applyChanges, evaluateGoal, gradingScenario, validateExercise, WIDGET_SIMS } from '../../web/exercise-format.mjs';
import { gradeScenario } from '../../web/exercise-grader.mjs';
import { markPassed, PROGRESS_KEY, readProgress } from '../../web/exercise-progress.mjs';

const run = async (scenario) => JSON.parse(await runScenario(scenario));
const { sims } = await listSims();
const DIR = 'exercises';
const files = readdirSync(DIR).flatMap((widget) => readdirSync(join(DIR, widget)).map((name) => join(DIR, widget, name)));
const load = (file) => JSON.parse(readFileSync(file, 'utf8'));
const scenarioOf = (exercise, changes) => ({ sim: exercise.start.sim, seed: exercise.start.seed, ...applyChanges(exercise, changes) });

test('WIDGET_SIMS names every registered widget and the sim it shows', () => {
  const registry = readFileSync('web/widgets.mjs', 'utf8');
  const tags = [...registry.matchAll(/'(sdp-[a-z-]+)': (\w+)/g)].map((m) => m[1]);
  assert.deepEqual(Object.keys(WIDGET_SIMS).sort(), tags.sort());
  for (const tag of tags) {
    const source = readFileSync(`web/${tag.slice(4)}.mjs`, 'utf8');
    assert.equal(source.match(/static sim = '([a-z_]+)'/)[1], WIDGET_SIMS[tag], tag);
  }
});

test('exercise files live under their widget, named NN-slug.json, with their id as path', () => {
  assert.ok(files.length >= 3);
  for (const file of files) {
    const exercise = load(file);
    const [, widget, name] = file.split('/');
    assert.match(name, /^\d\d-[a-z0-9-]+\.json$/, file);
    assert.equal(exercise.widget, `sdp-${widget}`, file);
    assert.equal(exercise.id, `${widget}/${name.replace(/\.json$/, '')}`, file);
  }
});

test('every widget with exercises has at least three, from easy to hard', () => {
  const byWidget = new Map();
  for (const e of files.map(load)) byWidget.set(e.widget, [...(byWidget.get(e.widget) ?? []), e]);
  for (const [widget, list] of byWidget) {
    assert.ok(list.length >= 3, `${widget}: ${list.length} exercises`);
    assert.deepEqual([...new Set(list.map((e) => e.difficulty))].sort(), ['easy', 'hard', 'medium'], widget);
  }
});

for (const file of files) {
  test(`${file}: validates; the reference passes on every hidden seed, the start and the wrong answer fail`, async () => {
    const exercise = load(file);
    assert.deepEqual(await validateExercise(exercise, { run, sims }), []);
    const reference = await gradeScenario(exercise, scenarioOf(exercise, exercise.reference), { run });
    assert.deepEqual(reference.refused, []);
    assert.equal(reference.seeds.length, exercise.hidden_seeds.length);
    for (const seed of reference.seeds) assert.ok(seed.pass, `seed ${seed.seed}: ${JSON.stringify(seed.checks)}`);
    const start = await gradeScenario(exercise, scenarioOf(exercise, {}), { run });
    assert.equal(start.pass, false);
    assert.ok(start.seeds.some((s) => !s.pass));
    assert.ok(exercise.wrong, 'every exercise names a plausible wrong answer');
    const wrong = await gradeScenario(exercise, scenarioOf(exercise, exercise.wrong), { run });
    assert.deepEqual(wrong.refused, []);
    assert.equal(wrong.pass, false);
  });
}

test('docs/exercises.md lists each sim\'s snapshot names as the engine gives them', async () => {
  const docs = readFileSync('docs/exercises.md', 'utf8');
  const table = docs.slice(docs.indexOf('<!-- metric-roots:start -->'), docs.indexOf('<!-- metric-roots:end -->'));
  const documented = Object.fromEntries([...table.matchAll(/^\| `([a-z_]+)` \| (.*) \|$/gm)]
    .map(([, sim, names]) => [sim, [...names.matchAll(/`([a-z_]+)`/g)].map((m) => m[1])]));
  const actual = {};
  for (const exercise of files.map(load)) {
    const output = await run(gradingScenario(exercise, applyChanges(exercise), exercise.start.seed));
    actual[exercise.start.sim] = [...new Set([...(actual[exercise.start.sim] ?? []), ...Object.keys(output.snapshot)])].sort();
  }
  assert.deepEqual(documented, actual);
});

// ---- malformed exercises: one mistake each, refused naming the field ----

const base = load('exercises/load-balancer/01-half-speed-server.json');
const broken = (mutate) => {
  const copy = structuredClone(base);
  mutate(copy);
  return copy;
};
const fieldsOf = async (exercise) => (await validateExercise(exercise, { run, sims })).map((p) => p.field);

test('a valid exercise has no mistakes; each mistake below is one refusal naming its field', async () => {
  assert.deepEqual(await fieldsOf(base), []);
  const cases = [
    ['unknown widget', (e) => { e.widget = 'sdp-nope'; }, 'widget', /unknown widget "sdp-nope"/],
    ['unknown sim', (e) => { e.start.sim = 'load_balancr'; }, 'start.sim', /unknown sim "load_balancr"/],
    ['unknown metric path', (e) => { e.goal.all[0].metric = 'snapshot.lanes.0.latency.p999_ms'; }, 'goal.all[0].metric', /snapshot\.lanes\.0\.latency has no "p999_ms" \(has: .*p99_ms/],
    ['a metric outside snapshot/result', (e) => { e.goal.all[0].metric = 'lanes.0.latency.p99_ms'; }, 'goal.all[0].metric', /must start with "snapshot\.", "result\.", "results\."/],
    ['bad comparison', (e) => { e.goal.all[0].op = '=<'; }, 'goal.all[0].op', /"=<" is not a comparison/],
    ['a non-number threshold for <', (e) => { e.goal.all[0].value = '300'; }, 'goal.all[0].value', /must be a number/],
    ['unknown aggregation', (e) => { e.goal.all[0].agg = 'median'; }, 'goal.all[0].agg', /"median" must be one of/],
    ['no hidden seeds', (e) => { delete e.hidden_seeds; }, 'hidden_seeds', /at least 5 seeds \(got none\)/],
    ['too few hidden seeds', (e) => { e.hidden_seeds = [1, 2]; }, 'hidden_seeds', /at least 5 seeds \(got 2\)/],
    ['bad difficulty', (e) => { e.difficulty = 'expert'; }, 'difficulty', /easy, medium, hard/],
    ['an allowed op the sim does not have', (e) => { e.allow.ops.teleport = {}; }, 'allow.ops.teleport', /has no op "teleport"/],
    ['an allowed config field the sim does not have', (e) => { e.allow.config = { warp: true }; }, 'allow.config.warp', /has no config field "warp"/],
  ];
  for (const [what, mutate, field, message] of cases) {
    const problems = await validateExercise(broken(mutate), { run, sims });
    assert.deepEqual(problems.map((p) => p.field), [field], what);
    assert.match(problems[0].error, message, what);
  }
});

test('a reference outside the allowed changes, or one that misses the goal, is refused', async () => {
  const outside = await validateExercise(broken((e) => { e.reference.config = { rps: 100 }; }), { run, sims });
  assert.equal(outside[0].field, 'reference.config.rps');
  assert.match(outside[0].error, /config\.rps changed \(300 -> 100\), but this exercise does not let you change it/);
  const misses = await validateExercise(broken((e) => { e.reference.steps = [{ op: 'algorithm', name: 'random' }]; }), { run, sims });
  assert.equal(misses.length, base.hidden_seeds.length);
  for (const p of misses) {
    assert.equal(p.field, 'reference');
    assert.match(p.error, /reference does not meet the goal on hidden seed \d+: snapshot\.lanes\.0\.latency\.p99_ms = [\d.]+ \(needs < 300\)/);
  }
});

test('a start that already meets the goal is a useless exercise, and a wrong answer that passes is refused', async () => {
  const easy = await validateExercise(broken((e) => { e.goal.all[0].value = 100000; }), { run, sims });
  assert.ok(easy.length > 0);
  assert.ok(easy.every((p) => p.field === 'start' || p.field === 'wrong'), JSON.stringify(easy));
  assert.match(easy.find((p) => p.field === 'start').error, /already meets the goal on hidden seed/);
  const lenient = await validateExercise(broken((e) => { e.wrong.steps = e.reference.steps; }), { run, sims });
  assert.deepEqual(lenient.map((p) => p.field), ['wrong']);
});

test('the grader refuses changes the exercise does not allow, without running a seed', async () => {
  const changedStart = await gradeScenario(base, { ...scenarioOf(base, {}), steps: [] }, { run });
  assert.equal(changedStart.pass, false);
  assert.deepEqual(changedStart.seeds, []);
  assert.equal(changedStart.refused[0].field, 'steps[0]');
  const configChange = await gradeScenario(base, scenarioOf(base, { config: { servers: 8 } }), { run });
  assert.deepEqual(configChange.refused.map((r) => r.field), ['config.servers']);
  const opOutside = await gradeScenario(base, scenarioOf(base, { steps: [{ op: 'server_slow', id: 's1', factor: 1 }] }), { run });
  assert.deepEqual(opOutside.refused.map((r) => r.field), ['steps[1]']);
  assert.match(opOutside.refused[0].error, /op "server_slow" is not allowed here \(allowed: algorithm, advance\)/);
  const otherSim = await gradeScenario(base, { ...scenarioOf(base, {}), sim: 'hash_ring' }, { run });
  assert.deepEqual(otherSim.refused.map((r) => r.field), ['sim']);
});

test('a grade gives per seed the measured numbers beside the thresholds; one failing seed fails it', async () => {
  // Grading is per seed: a goal met on some seeds only does not pass.
  const exercise = structuredClone(base);
  const reference = scenarioOf(exercise, exercise.reference);
  const graded = await gradeScenario(exercise, reference, { run });
  const measured = graded.seeds.map((s) => s.checks[0].measured);
  exercise.goal.all[0].value = (Math.min(...measured) + Math.max(...measured)) / 2;
  assert.ok(Math.min(...measured) < Math.max(...measured), 'the hidden seeds give different numbers');
  const progress = [];
  const split = await gradeScenario(exercise, reference, { run, onSeed: (i, n) => progress.push(`${i + 1}/${n}`) });
  assert.deepEqual(progress, exercise.hidden_seeds.map((_, i) => `${i + 1}/${exercise.hidden_seeds.length}`));
  assert.equal(split.pass, false);
  assert.ok(split.seeds.some((s) => s.pass) && split.seeds.some((s) => !s.pass));
  for (const seed of split.seeds) {
    assert.equal(seed.checks[0].value, exercise.goal.all[0].value);
    assert.equal(seed.checks[0].pass, seed.checks[0].measured < exercise.goal.all[0].value);
  }
});

test('metric paths: indexes from the end, * with an aggregation, result = the last step, results by index', () => {
  const output = { results: [{ a: 1 }, { lost: 3 }], snapshot: { nodes: [{ keys: 5 }, { keys: 9 }, { keys: 7 }], flag: true } };
  const goal = (g) => evaluateGoal(g, output).checks[0];
  assert.equal(goal({ metric: 'snapshot.nodes.-1.keys', op: '==', value: 7 }).pass, true);
  assert.equal(goal({ metric: 'snapshot.nodes.*.keys', agg: 'max', op: '==', value: 9 }).measured, 9);
  assert.equal(goal({ metric: 'snapshot.nodes.*.keys', agg: 'mean', op: '==', value: 7 }).measured, 7);
  assert.equal(goal({ metric: 'snapshot.nodes.*.keys', agg: 'count', op: '==', value: 3 }).pass, true);
  assert.equal(goal({ metric: 'result.lost', op: '<', value: 1 }).pass, false);
  assert.equal(goal({ metric: 'results.-2.a', op: '==', value: 1 }).pass, true);
  assert.equal(goal({ metric: 'results.0.a', op: '==', value: 1 }).pass, true);
  assert.match(goal({ metric: 'snapshot.nodes.*.keys', op: '<', value: 1 }).error, /selects 3 values: give "agg"/);
  assert.match(goal({ metric: 'snapshot.flag', op: '<', value: 1 }).error, /is true, not a number/);
  assert.equal(evaluateGoal({ any: [{ metric: 'snapshot.flag', op: '==', value: false }, { metric: 'result.lost', op: '==', value: 3 }] }, output).pass, true);
});

test('progress: kept under one key; corrupt or foreign values read as nothing passed', () => {
  const store = new Map();
  const storage = { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => store.set(k, String(v)) };
  assert.deepEqual(readProgress(storage), {});
  markPassed('load-balancer/01-half-speed-server', storage);
  assert.deepEqual(readProgress(storage), { 'load-balancer/01-half-speed-server': { passed: true } });
  for (const junk of ['{', '[1,2]', 'null', '42', '"text"', '{"a": 1, "b": {"passed": "yes"}}']) {
    store.set(PROGRESS_KEY, junk);
    assert.deepEqual(readProgress(storage), {}, junk);
  }
  store.set(PROGRESS_KEY, '{"x": {"passed": true}, "y": 7}');
  assert.deepEqual(readProgress(storage), { x: { passed: true } });
  const full = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); } };
  assert.deepEqual(markPassed('x', full), { x: { passed: true } });
  assert.deepEqual(readProgress(undefined), {});
});

// Grades the learner's work: the widget's current scenario ({config, steps},
// what Export saves and `sdp run` replays) is checked against what the
// exercise allows, then re-run on every hidden seed in the wasm engine,
// followed by the exercise's check steps. It passes only if every seed
// passes; each seed reports its measured numbers beside the thresholds.

import { checkChanges, evaluateOnSeed } from './exercise-format.mjs';

// The engine's runner: the same runScenario the widgets' module uses,
// loaded only when grading (the node tests hand in their own).
async function wasmRun(scenario) {
  const { runScenario } = await import('../wasm/sdp.mjs');
  return JSON.parse(await runScenario(scenario));
}

// Lets the page paint between seeds: one seed of a big exercise takes up
// to about a second of engine time (the hashing lab's 20,000 requests).
const nextTask = () => new Promise((resolve) => { setTimeout(resolve, 0); });

// -> {pass, refused: [{field, error}], seeds: [{seed, pass, checks, error?}]}
// With refused changes no seed is run: the learner is told what to undo.
// onSeed(index, count) is called before each seed runs (progress).
export async function gradeScenario(exercise, scenario, { run = wasmRun, onSeed = () => {} } = {}) {
  if (scenario.sim !== undefined && scenario.sim !== exercise.start.sim) {
    return { pass: false, refused: [{ field: 'sim', error: `this exercise is about ${exercise.start.sim}, not ${scenario.sim}` }], seeds: [] };
  }
  const state = { config: scenario.config ?? {}, steps: scenario.steps ?? [] };
  const refused = checkChanges(exercise, state);
  if (refused.length) return { pass: false, refused, seeds: [] };
  const seeds = [];
  for (const [index, seed] of exercise.hidden_seeds.entries()) {
    onSeed(index, exercise.hidden_seeds.length);
    await nextTask();
    seeds.push(await evaluateOnSeed(exercise, state, seed, run));
  }
  return { pass: seeds.every((s) => s.pass), refused, seeds };
}

#!/usr/bin/env node
// Validates exercise files (docs/exercises.md) in the wasm engine and shows,
// per hidden seed, what the start, the reference and the wrong answer measure:
//   node scripts/check-exercise.mjs exercises/load-balancer/01-half-speed-server.json [...]
//   node scripts/check-exercise.mjs exercises        (every file below a folder)
// Exits 1 if any file has a mistake (one line per mistake, naming the field).
// The engine: build/wasm (bash scripts/build.sh site), or SDP_WASM_DIR.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { applyChanges, evaluateOnSeed, summary, validateExercise } from '../web/exercise-format.mjs';

process.env.SDP_WASM_DIR ??= resolve(new URL('..', import.meta.url).pathname, 'build/wasm');
const { listSims, runScenario } = await import('../wasm/sdp.mjs');
const run = async (scenario) => JSON.parse(await runScenario(scenario));

function files(path) {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).sort().flatMap((name) => files(join(path, name))).filter((f) => f.endsWith('.json'));
}

const args = process.argv.slice(2);
if (args.length === 0) {
  console.error('usage: node scripts/check-exercise.mjs FILE.json|FOLDER ...');
  process.exit(2);
}
const { sims } = await listSims();
let failed = 0;
for (const file of args.flatMap(files)) {
  let exercise;
  try {
    exercise = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.log(`${file}: not valid JSON: ${error.message}`);
    failed += 1;
    continue;
  }
  const problems = await validateExercise(exercise, { run, sims });
  console.log(`${file}: ${problems.length ? `${problems.length} mistake(s)` : 'ok'}`);
  for (const p of problems) console.log(`  ${p.field}: ${p.error}`);
  if (problems.length) failed += 1;
  if (problems.some((p) => !['reference', 'start', 'wrong'].includes(p.field))) continue;
  for (const [name, changes] of [['start', {}], ['reference', exercise.reference], ['wrong', exercise.wrong]]) {
    if (!changes) continue;
    const state = applyChanges(exercise, changes);
    for (const seed of exercise.hidden_seeds) {
      const graded = await evaluateOnSeed(exercise, state, seed, run);
      console.log(`    ${name.padEnd(9)} seed ${String(seed).padEnd(6)} ${graded.pass ? 'pass' : 'FAIL'}  ${summary(graded)}`);
    }
  }
}
process.exit(failed ? 1 : 0);

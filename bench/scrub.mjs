// Scrub and undo latency through the wasm module (node) and in Chromium (a
// real widget: goTo + the frame it draws), on bench/scrub_workloads.json.
// The native numbers come from bench/scrub_bench.cpp; bench/scrub.md has
// all three side by side. Reports timings, judges none.
//   node bench/scrub.mjs [WIDGET...]   wasm under node (needs dist/); only the named workloads when given
import { SimSession } from '../dist/wasm/sdp.mjs';
import { stepsOf, workloads } from './scrub_workloads.mjs';

const only = process.argv.slice(2);
const chosen = workloads.filter((w) => only.length === 0 || only.includes(w.widget));
const positions = (n) => Array.from({ length: 40 }, (_, i) => (i * 7919 + 13) % (n + 1));
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const fmt = (ms) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));

async function run(w, steps) {
  const session = await SimSession.create(w.sim, { seed: w.seed, config: w.config });
  for (const step of steps) session.apply(step);
  return session;
}

async function replayMs(w, steps) {
  const start = performance.now();
  const fresh = await run(w, steps);
  const ms = performance.now() - start;
  fresh.delete();
  return ms;
}

console.log('scrub, wasm (node, through wasm/sdp.mjs): ms\n');
console.log('| widget | steps | build | checkpoints | go to: median | go to: worst | replay: median | replay: worst |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const w of chosen) {
  const steps = stepsOf(w);
  const built = performance.now();
  const session = await run(w, steps);
  const build = performance.now() - built;
  const go = [];
  const replay = [];
  for (const [i, p] of positions(steps.length).entries()) {
    let best = Infinity; // of 3, from the latest state each time: the machine is shared
    for (let r = 0; r < 3; r += 1) {
      session.goTo(steps.length);
      const start = performance.now();
      session.goTo(p);
      best = Math.min(best, performance.now() - start);
    }
    go.push(best);
    if (i % 5 === 0) replay.push(await replayMs(w, steps.slice(0, p)));
  }
  console.log(`| ${w.widget} | ${steps.length} | ${build.toFixed(0)} | ${session.timeline().checkpoints} | ${fmt(median(go))} | ${fmt(Math.max(...go))} | ${fmt(median(replay))} | ${fmt(Math.max(...replay))} |`);
  session.delete();
}

console.log('\nundo the last of n steps, wasm (node): replay from the seed (before) vs goTo from a checkpoint (after)\n');
console.log('| widget | n | before | after |\n|---|---:|---:|---:|');
for (const w of chosen) {
  for (const n of [30, 1000]) {
    const steps = stepsOf(w, n);
    const session = await run(w, steps);
    let before = Infinity;
    let after = Infinity;
    for (let r = 0; r < 3; r += 1) {
      before = Math.min(before, await replayMs(w, steps.slice(0, n - 1)));
      session.goTo(n);
      const start = performance.now();
      session.goTo(n - 1);
      after = Math.min(after, performance.now() - start);
    }
    console.log(`| ${w.widget} | ${n} | ${fmt(before)} | ${fmt(after)} |`);
    session.delete();
  }
}

// The linearizability checker of the `cap` sim on 1,000-operation histories
// through the site's wasm module under node: the histories of
// bench/cap_bench.cpp (5 clients, 3 keys, N = 3; 500 operations, partition
// r1 | r2,r3, 250, heal, 250), 100 seeds per stance, only the `check` op
// timed (best of 3). The native figures come from build/native/sdp_cap_bench
// on the same histories; bench/cap_checker.md has both. Reports timings,
// judges none; the step totals are the checksum against the native run.
//   node bench/cap_checker.mjs          (needs dist/, from scripts/build.sh site)
import { SimSession } from '../dist/wasm/sdp.mjs';

const SEEDS = 100;
const RUNS = 3;

async function history(mode, seed) {
  const session = await SimSession.create('cap', { seed, config: { mode, clients: 5 } });
  const workload = (ops) => session.apply({ op: 'workload', ops, keys: 3, gap_ms: 5 });
  workload(500);
  session.apply({ op: 'partition', groups: [['r1'], ['r2', 'r3']] });
  workload(250);
  session.apply({ op: 'heal' });
  workload(250);
  return session;
}

console.log(`cap checker, wasm (node ${process.version}, dist/wasm/sdp.mjs), best of ${RUNS} per history, ${SEEDS} seeds per stance\n`);
console.log('| stance | checked ops (mean) | median ms | p90 ms | worst ms (seed) | linearizable / not / unknown | steps total |');
console.log('|---|---:|---:|---:|---:|---|---:|');
for (const mode of ['cp', 'ap']) {
  const times = [];
  const verdicts = { linearizable: 0, not_linearizable: 0, unknown: 0 };
  let steps = 0;
  let ops = 0;
  let worst = { ms: -1, seed: 0 };
  for (let seed = 1; seed <= SEEDS; seed += 1) {
    const session = await history(mode, seed);
    let best = Infinity;
    let result;
    for (let run = 0; run < RUNS; run += 1) {
      const start = performance.now();
      result = session.apply({ op: 'check' });
      best = Math.min(best, performance.now() - start);
    }
    session.delete();
    times.push(best);
    if (best > worst.ms) worst = { ms: best, seed };
    verdicts[result.verdict] += 1;
    steps += result.steps;
    ops += result.checked_ops;
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`| ${mode} | ${(ops / SEEDS).toFixed(0)} | ${sorted[49].toFixed(3)} | ${sorted[89].toFixed(3)} | ${worst.ms.toFixed(3)} (${worst.seed}) | ${verdicts.linearizable} / ${verdicts.not_linearizable} / ${verdicts.unknown} | ${steps} |`);
}

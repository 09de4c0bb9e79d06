// Per-call overhead of a circuit breaker: ours (native C++, wasm in-module,
// and wasm called from JS once per decision) vs the npm `opossum` and
// `cockatiel` breakers in this node process, plus the whole circuit_breaker
// simulation (1M calls). Prints one markdown table to stdout; timings are
// reported, never judged.
//
// How each is measured (CLOSED breaker, 1% of calls failing, the call
// itself a no-op):
//   ours          TryAcquirePermission + OnResult: a synchronous decision.
//   opossum       breaker.fire() around a synchronous function. fire() always
//                 returns a promise, so the cost includes a promise and its
//                 settling; calls are awaited in batches of 1000
//                 (Promise.all) so that the event loop does not dominate.
//                 With its default rollingPercentilesEnabled, opossum keeps
//                 every latency of the current 1 s bucket and sorts them,
//                 so a call costs more the more calls share the bucket
//                 (9 -> 28 us per call from 10k to 40k calls here); we turn
//                 that off, and the per-call timeout timer too
//                 (timeout: false), to time the breaker itself.
//   cockatiel     policy.execute() with a SamplingBreaker (50% over 10 s,
//                 like our default threshold); also promise-based, batched
//                 the same way.
// Usage, from the repo root after building: node bench/compare_breakers.mjs
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadSdp } from '../wasm/sdp.mjs';
import { runCpp as runCppIn } from './run-cpp.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
process.env.SDP_WASM_DIR ??= path.join(root, 'build/wasm');
const require = createRequire(import.meta.url);
const CircuitBreaker = require('opossum');
const { circuitBreaker, handleAll, SamplingBreaker } = require('cockatiel');

const CALLS = 1_000_000;
const BATCH = 1000;
const RUNS = 3;

const runCpp = (command, args) => runCppIn(command, args, root);
const native = runCpp(path.join(root, 'build/native/sdp_breaker_bench'), []);
const wasm = runCpp(process.execPath, [path.join(root, 'build/wasm/sdp_breaker_bench.js')]);

async function bestNsPerCall(fn) {
  await fn(); // warm-up: lets V8 tier up
  let best = Infinity;
  for (let run = 0; run < RUNS; run++) {
    const start = process.hrtime.bigint();
    await fn();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / CALLS);
  }
  return best;
}

const sdp = await loadSdp();
const viaJs = await bestNsPerCall(() => {
  const breaker = new sdp.Breaker();
  let permitted = 0;
  for (let i = 0; i < CALLS; i++) {
    const now = i / 1000;
    if (breaker.tryAcquire(now) === 0) {
      permitted++;
      breaker.onResult(now, 1, i % 100 === 0);
    }
  }
  breaker.delete();
  if (permitted !== CALLS) throw new Error(`ours via JS: ${permitted} permitted`);
});

const work = (i) => { if (i % 100 === 0) throw new Error('fail'); return i; };
async function batched(call) {
  for (let start = 0; start < CALLS; start += BATCH) {
    const batch = [];
    for (let i = start; i < start + BATCH; i++) batch.push(call(i).catch(() => 0));
    await Promise.all(batch);
  }
}

const opossumNs = await bestNsPerCall(async () => {
  const breaker = new CircuitBreaker(work, {
    errorThresholdPercentage: 50, resetTimeout: 60000, volumeThreshold: 100, timeout: false, rollingPercentilesEnabled: false,
  });
  await batched((i) => breaker.fire(i));
  breaker.shutdown();
});

const cockatielNs = await bestNsPerCall(async () => {
  const policy = circuitBreaker(handleAll, {
    halfOpenAfter: 60000,
    breaker: new SamplingBreaker({ threshold: 0.5, duration: 10000, minimumRps: 10 }),
  });
  await batched((i) => policy.execute(() => work(i)));
});

const ns = (v) => `${v.toFixed(1)} ns`;
console.log(`node ${process.version}, ${CALLS.toLocaleString('en-US')} calls, best of ${RUNS}\n`);
console.log('| workload | native C++ | wasm (in-module loop) | wasm via JS call | opossum 10.0.0 | cockatiel 4.0.0 |');
console.log('|---|---:|---:|---:|---:|---:|');
console.log(`| breaker decision + record, per call | ${ns(native.decision_ns)} | ${ns(wasm.decision_ns)} | ${ns(viaJs)} | ${ns(opossumNs)} | ${ns(cockatielNs)} |`);
console.log(`| circuit_breaker sim, ${native.sim_calls.toLocaleString('en-US')} calls (100 s at 10k rps) | ${native.sim_s.toFixed(3)} s | ${wasm.sim_s.toFixed(3)} s | — | — | — |`);
const same = native.sim_calls === wasm.sim_calls && native.sim_ok === wasm.sim_ok;
console.log(`\nsim outcome: native ${native.sim_ok} ok of ${native.sim_calls}, wasm ${wasm.sim_ok} ok of ${wasm.sim_calls} — ${same ? 'identical' : 'MISMATCH'}`);
if (!same) process.exitCode = 1;

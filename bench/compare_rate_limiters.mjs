// Compares our rate limiters with the npm packages people use, on one trace
// of 1,000,000 hits from 1000 keys (bench/rate_limiter_bench.cpp makes it and
// writes it to a file; this script reads the same hits):
//
//   limiter 4.1.0                TokenBucket.tryRemoveTokens(1) and
//                                RateLimiter.tryRemoveTokens(1), one per key
//                                in a Map; both synchronous
//   rate-limiter-flexible 11.4.0 RateLimiterMemory({points: 10, duration: 1})
//                                .consume(key): promise-based, measured twice:
//                                awaiting every call (what a request handler
//                                does), and issuing calls back to back with
//                                then/catch counters, draining every 10,000
//
// Every limiter is 10 per second. The trace's times are simulated: both
// packages read the clock themselves, so we hand them the trace's time
// (rate-limiter-flexible reads Date.now(), limiter its clock module's
// getMilliseconds(); both are replaced for the run). rate-limiter-flexible
// also arms a real setTimeout per new window to delete the key; the timed
// loops never yield to the event loop, so none of those fires mid-run.
//
// Our numbers come from the C++ bench natively (decisions/s) and, if
// build/wasm/sdp_rl_bench.js exists, as wasm in node; we do not build it.
// Prints one markdown table; timings are reported, never judged. Our token
// bucket's decisions are compared hit by hit with limiter's TokenBucket.
//
// Usage, from the repo root: node bench/compare_rate_limiters.mjs
// (SDP_NATIVE_DIR picks the native build dir; default build/native).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { runCpp as runCppIn } from './run-cpp.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const nativeDir = process.env.SDP_NATIVE_DIR ?? path.join(root, 'build/native');
const wasmBench = path.join(root, 'build/wasm/sdp_rl_bench.js');
const RUNS = 3;
const KEYS = 1000;

const runCpp = (command, args) => runCppIn(command, args, root);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'sdp-rl-'));
const tracePath = path.join(tmp, 'trace.bin');
const native = runCpp(path.join(nativeDir, 'sdp_rl_bench'), ['--write-trace', tracePath]);
const wasm = existsSync(wasmBench) ? runCpp(process.execPath, [wasmBench]) : null;

// --- the trace: uint32 LE (at_ms, key) per hit, then our token bucket's bits
const bytes = readFileSync(tracePath);
rmSync(tmp, { recursive: true, force: true });
const N = native.hits;
if (bytes.length !== N * 9) throw new Error(`trace file has ${bytes.length} bytes, expected ${N * 9}`);
const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
const times = new Float64Array(N);
const keyOf = new Uint32Array(N);
for (let i = 0; i < N; i++) {
  times[i] = view.getUint32(8 * i, true);
  keyOf[i] = view.getUint32(8 * i + 4, true);
}
const ourTokenBucket = bytes.subarray(8 * N, 9 * N);
const keyNames = Array.from({ length: KEYS }, (_, k) => `user:${k}`);

// --- simulated clocks -------------------------------------------------------
const EPOCH = 1_700_000_000_000; // any instant; trace times are offsets from it
let fakeNow = EPOCH;
const realDateNow = Date.now;
Date.now = () => fakeNow;
const limiterClock = require(path.join(root, 'node_modules/limiter/dist/cjs/clock.js'));
limiterClock.getMilliseconds = () => fakeNow;
const { TokenBucket, RateLimiter } = require('limiter');
const { RateLimiterMemory, RateLimiterRes } = require('rate-limiter-flexible');

const seconds = () => Number(process.hrtime.bigint()) / 1e9;

// One untimed warm-up, then the fastest of RUNS; each run starts from fresh
// limiters. Returns {perSecond, allowed}.
async function bestOf(run) {
  await run();
  let best = Infinity;
  let allowed = 0;
  for (let r = 0; r < RUNS; r++) {
    const start = seconds();
    allowed = await run();
    best = Math.min(best, seconds() - start);
  }
  return { perSecond: N / best, allowed };
}

function perKey(make) {
  const map = new Map();
  return (name) => {
    let limiter = map.get(name);
    if (limiter === undefined) {
      limiter = make();
      map.set(name, limiter);
    }
    return limiter;
  };
}

function newTokenBucket() {
  const bucket = new TokenBucket({ bucketSize: 10, tokensPerInterval: 10, interval: 1000 });
  bucket.content = 10; // TokenBucket starts empty; ours (and limiter's RateLimiter) start full
  return bucket;
}

let tokenBucketBits = null;
const js = {};
js.tokenBucket = await bestOf(() => {
  const get = perKey(newTokenBucket);
  const bits = new Uint8Array(N);
  let allowed = 0;
  for (let i = 0; i < N; i++) {
    fakeNow = EPOCH + times[i];
    const ok = get(keyNames[keyOf[i]]).tryRemoveTokens(1);
    bits[i] = ok ? 1 : 0;
    allowed += bits[i];
  }
  tokenBucketBits = bits;
  return allowed;
});

js.rateLimiter = await bestOf(() => {
  const get = perKey(() => new RateLimiter({ tokensPerInterval: 10, interval: 1000 }));
  let allowed = 0;
  for (let i = 0; i < N; i++) {
    fakeNow = EPOCH + times[i];
    if (get(keyNames[keyOf[i]]).tryRemoveTokens(1)) allowed++;
  }
  return allowed;
});

js.flexibleAwait = await bestOf(async () => {
  const limiter = new RateLimiterMemory({ points: 10, duration: 1 });
  let allowed = 0;
  for (let i = 0; i < N; i++) {
    fakeNow = EPOCH + times[i];
    try {
      await limiter.consume(keyNames[keyOf[i]]);
      allowed++;
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
    }
  }
  return allowed;
});

js.flexibleBatched = await bestOf(async () => {
  const limiter = new RateLimiterMemory({ points: 10, duration: 1 });
  let allowed = 0;
  const ok = () => { allowed++; };
  const refused = (e) => { if (!(e instanceof RateLimiterRes)) throw e; };
  for (let i = 0; i < N; i++) {
    fakeNow = EPOCH + times[i];
    // consume() decides synchronously inside its Promise executor, so the
    // clock is right here; the handlers run when we drain.
    limiter.consume(keyNames[keyOf[i]]).then(ok, refused);
    if (i % 10000 === 9999) await null;
  }
  await null;
  return allowed;
});
Date.now = realDateNow;

let same = 0;
for (let i = 0; i < N; i++) same += tokenBucketBits[i] === ourTokenBucket[i] ? 1 : 0;

// --- report -------------------------------------------------------------------
function cpuModel() {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1].trim();
  } catch { /* not Linux */ }
  return os.cpus()[0]?.model ?? 'unknown';
}
const rate = (v) => (v === undefined ? '—' : `${(v / 1e6).toFixed(2)} M/s`);
console.log(`node ${process.version}, ${cpuModel()} (${os.cpus().length} cores), ` +
            `${N} hits, ${KEYS} keys, 10 per second each, best of ${RUNS}\n`);
console.log('| limiter | native C++, key index | native C++, string key (std::map) | wasm, key index | wasm, string key | allowed |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const [name, value] of Object.entries(native.algorithms)) {
  const w = wasm?.algorithms[name];
  console.log(`| ours: ${name} | ${rate(value.per_s)} | ${rate(value.per_s_string_keys)} | ` +
              `${w ? rate(w.per_s) : '(not built)'} | ${w ? rate(w.per_s_string_keys) : '(not built)'} | ${value.allowed} |`);
}
console.log('\n| npm package, call | decisions/s (string keys, Map) | allowed |');
console.log('|---|---:|---:|');
console.log(`| limiter TokenBucket.tryRemoveTokens(1) | ${rate(js.tokenBucket.perSecond)} | ${js.tokenBucket.allowed} |`);
console.log(`| limiter RateLimiter.tryRemoveTokens(1) | ${rate(js.rateLimiter.perSecond)} | ${js.rateLimiter.allowed} |`);
console.log(`| rate-limiter-flexible RateLimiterMemory.consume, await each | ${rate(js.flexibleAwait.perSecond)} | ${js.flexibleAwait.allowed} |`);
console.log(`| rate-limiter-flexible RateLimiterMemory.consume, then/catch, drained per 10k | ${rate(js.flexibleBatched.perSecond)} | ${js.flexibleBatched.allowed} |`);
console.log(`\nour token bucket vs limiter's TokenBucket: same decision on ${same} of ${N} hits` +
            ` (${(100 * same / N).toFixed(4)}%)`);
if (wasm) {
  const agree = Object.keys(native.algorithms).every((k) => native.algorithms[k].allowed === wasm.algorithms[k].allowed);
  console.log(`native and wasm allowed counts: ${agree ? 'identical' : 'MISMATCH'}`);
  if (!agree) process.exitCode = 1;
}

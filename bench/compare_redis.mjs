// Compares our Redis sorted set and geohash code (C++ natively and as wasm)
// with the npm packages people use in node: redis-sorted-set (a skip list
// after Redis's) and ngeohash. Same inputs as bench/redis_bench.cpp. Prints
// one markdown table to stdout (progress goes to stderr). Timings are
// reported, never judged; only a checksum mismatch between native and wasm,
// or a different ZPOPMIN order in redis-sorted-set, fails.
//
// Usage, from the repo root after building: node bench/compare_redis.mjs
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { runCpp as runCppIn } from './run-cpp.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const SortedSet = require('redis-sorted-set');
const ngeohash = require('ngeohash');

const N = 1_000_000;
const RUNS = 3;
const runCpp = (command, args) => runCppIn(command, args, root);
const native = runCpp(path.join(root, 'build/native/sdp_redis_bench'), []);
const wasm = runCpp(process.execPath, [path.join(root, 'build/wasm/sdp_redis_bench.js')]);
if (native.pop_checksum !== wasm.pop_checksum || native.hash_checksum !== wasm.hash_checksum) {
  throw new Error(`native and wasm disagree: ${JSON.stringify(native)} vs ${JSON.stringify(wasm)}`);
}

// Same formulas as redis_bench.cpp (BigInt-free: the products stay below 2^53).
const score = (i) => Number((BigInt(i) * 2654435761n) % 1000003n);
const lon = (i) => ((i * 7919) % 360000) / 1000 - 180;
const lat = (i) => ((i * 104729) % 170000) / 1000 - 85;
const members = Array.from({ length: N }, (_, i) => `job:${i}`);
const scores = Array.from({ length: N }, (_, i) => score(i));

function time(fn) {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const js = { zadd_s: Infinity, zpopmin_s: Infinity, geo_int_s: Infinity, geohash_s: Infinity };
let order = 0n;
for (let run = 0; run < RUNS; run++) {
  const z = new SortedSet();
  js.zadd_s = Math.min(js.zadd_s, time(() => { for (let i = 0; i < N; i++) z.add(members[i], scores[i]); }));
  js.zpopmin_s = Math.min(js.zpopmin_s, time(() => {
    let sum = 0n;
    for (let i = 0; i < N; i++) {
      const [[member, value]] = z.range(0, 0, { withScores: true });
      if (i < 10) sum = BigInt.asUintN(64, sum * 1000003n + BigInt(value));  // uint64 wrap, as in C++
      z.rem(member);
    }
    order = sum;
  }));
  js.geo_int_s = Math.min(js.geo_int_s, time(() => { let x = 0; for (let i = 0; i < N; i++) x ^= ngeohash.encode_int(lat(i), lon(i), 52); return x; }));
  js.geohash_s = Math.min(js.geohash_s, time(() => { let x = 0; for (let i = 0; i < N; i++) x += ngeohash.encode(lat(i), lon(i), 11).charCodeAt(3); return x; }));
}
if (String(order) !== native.pop_checksum) throw new Error(`redis-sorted-set popped another order: ${order} vs ${native.pop_checksum}`);

const rate = (s) => `${(N / s / 1e6).toFixed(2)} M/s`;
console.log(`| ${N / 1e6}M items | ours, native | ours, wasm | npm package in node |`);
console.log('|---|---:|---:|---:|');
console.log(`| ZADD | ${rate(native.zadd_s)} | ${rate(wasm.zadd_s)} | ${rate(js.zadd_s)} (redis-sorted-set add) |`);
console.log(`| ZPOPMIN | ${rate(native.zpopmin_s)} | ${rate(wasm.zpopmin_s)} | ${rate(js.zpopmin_s)} (redis-sorted-set range(0,0) + rem) |`);
console.log(`| geohash to a 52-bit integer | ${rate(native.geo_score_s)} | ${rate(wasm.geo_score_s)} | ${rate(js.geo_int_s)} (ngeohash encode_int, ±90° latitude) |`);
console.log(`| geohash to 11 characters | ${rate(native.geohash_s)} | ${rate(wasm.geohash_s)} | ${rate(js.geohash_s)} (ngeohash encode) |`);

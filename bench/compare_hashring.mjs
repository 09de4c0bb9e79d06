// Compares our consistent-hash ring with the npm `hashring` package on the
// same 1M keys ("key:" + i). Runs the C++ benchmark natively and as wasm (their
// `JSON {...}` lines), then, in this node process, times our wasm Ring called
// from JS once per key and hashring. Prints one markdown table to stdout
// (progress goes to stderr). Timings are reported, never judged; only a
// checksum mismatch (native, wasm and JS must agree on every owner) fails.
//
// Usage, from the repo root after building: node bench/compare_hashring.mjs
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadSdp } from '../wasm/sdp.mjs';
import { runCpp as runCppIn } from './run-cpp.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
// sdp.mjs reads this when loadSdp() runs, so setting it here is early enough.
process.env.SDP_WASM_DIR ??= path.join(root, 'build/wasm');
const HashRing = createRequire(import.meta.url)('hashring');

const KEYS = 1_000_000;
const RUNS = 3;

// --- the C++ benchmark, native and wasm ---------------------------------------
const runCpp = (command, args) => runCppIn(command, args, root);
const native = runCpp(path.join(root, 'build/native/sdp_bench'), []);
const wasm = runCpp(process.execPath, [path.join(root, 'build/wasm/sdp_bench.js')]);

// --- JS-side measurements -----------------------------------------------------
// One untimed warm-up (lets V8 tier up the loop and hashring's code), then the
// fastest of RUNS, in ms.
function bestOf(fn) {
  fn();
  let best = Infinity;
  for (let run = 0; run < RUNS; run++) {
    const start = process.hrtime.bigint();
    fn();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return best;
}
const perSecond = (ms) => (KEYS / ms) * 1e3;
const nodeIds = (n) => Array.from({ length: n }, (_, i) => `node-${i}`);
const keys = Array.from({ length: KEYS }, (_, i) => `key:${i}`);

const sdp = await loadSdp();
function buildOurs(nodes, vnodes) {
  const ring = new sdp.Ring(vnodes);
  for (const id of nodeIds(nodes)) {
    const added = ring.addNode(id, 1);
    if (!added.ok) throw new Error(added.error);
  }
  return ring;
}

// hashring places `vnode count` MD5 digests per server (scaled by weight) and
// takes 4 points from each digest, ketama-style: 40 x 4 = 160 by default.
function buildHashring(nodes, pointsPerNode) {
  const ring = new HashRing(nodeIds(nodes), 'md5', { 'vnode count': pointsPerNode / 4 });
  if (ring.size !== nodes * pointsPerNode) throw new Error(`hashring built ${ring.size} points`);
  return ring;
}

const js = {};
js.build_100x160_ms = bestOf(() => buildOurs(100, 160).delete());
js.build_1000x1000_ms = bestOf(() => buildOurs(1000, 1000).delete());
const hr = {};
hr.build_100x160_ms = bestOf(() => buildHashring(100, 160));
hr.build_1000x1000_ms = bestOf(() => buildHashring(1000, 1000));

// Same weighted sum as ring_bench.cpp: below 2^53, so exact in a double.
const ours = buildOurs(100, 160);
let checksum = 0;
js.full_lookups_per_s = perSecond(bestOf(() => {
  let sum = 0;
  for (let i = 0; i < KEYS; i++) sum += ours.lookup(keys[i]) * (i + 1);
  checksum = sum;
}));
ours.delete();

// hashring.get keeps a 5000-entry LRU cache (its default). With 1M distinct
// keys every get misses, so each call pays for the cache insert and eviction
// as well as MD5 and the search; that is how the package runs out of the box.
const ring = buildHashring(100, 160);
let sink = 0; // hashring's owners differ from ours; this only keeps the work live
hr.full_lookups_per_s = perSecond(bestOf(() => {
  for (let i = 0; i < KEYS; i++) sink += ring.get(keys[i]).length;
}));
// The search alone, like the C++ hash-only row: find() is public, hashValue()
// (MD5 of the key) is internal and only used here to precompute positions.
const hashValues = keys.map((k) => ring.hashValue(k));
hr.hash_only_lookups_per_s = perSecond(bestOf(() => {
  for (let i = 0; i < KEYS; i++) sink += ring.ring[ring.find(hashValues[i])].server.length;
}));

// The same ketama ring as ring_bench.cpp's KetamaRing, by hashring itself:
// owner index by server name, so its checksum must equal ours.
let ketamaChecksum = 0;
for (let i = 0; i < KEYS; i++) ketamaChecksum += Number(ring.get(keys[i]).slice('node-'.length)) * (i + 1);
hr.ketama_lookups_per_s = hr.full_lookups_per_s;

// --- report -------------------------------------------------------------------
function cpuModel() {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1].trim();
  } catch { /* not Linux */ }
  return os.cpus()[0]?.model ?? 'unknown';
}
const ms = (v) => (v === undefined ? '—' : `${v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)} ms`);
const rate = (v) => (v === undefined ? '—' : `${(v / 1e6).toFixed(2)} M/s`);
const rows = [
  ['build ring, 100 nodes × 160 vnodes', 'build_100x160_ms', ms],
  ['lookup, precomputed hash (search only)', 'hash_only_lookups_per_s', rate],
  ['lookup, hash the key + search', 'full_lookups_per_s', rate],
  ['build ring, 1000 nodes × 1000 vnodes', 'build_1000x1000_ms', ms],
  ['  the same, bulk AddNodes (one sort)', 'build_1000x1000_bulk_ms', ms],
  ['ketama lookup, MD5 + search (hashring: get)', 'ketama_lookups_per_s', rate],
  ['jump hash, 100 buckets, precomputed 64-bit key', 'jump_lookups_per_s', rate],
  ['jump hash, 100 buckets, 8 keys in flight (JumpConsistentHashMany)', 'jump_many_lookups_per_s', rate],
  ['jump hash, xxHash64 of the key + jump', 'jump_full_lookups_per_s', rate],
];

console.log(`node ${process.version}, ${cpuModel()} (${os.cpus().length} cores), ` +
            `${KEYS} keys, best of ${RUNS}\n`);
console.log('| workload | native C++ | wasm (in-module loop) | wasm via JS call per key | hashring (npm) | wasm via JS / hashring |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const [label, field, fmt] of rows) {
  const ratio = js[field] !== undefined && hr[field] !== undefined
    ? `${(js[field] / hr[field]).toFixed(2)}×` : '—';
  console.log(`| ${label} | ${fmt(native[field])} | ${fmt(wasm[field])} | ${fmt(js[field])} | ${fmt(hr[field])} | ${ratio} |`);
}
console.log('\nratio: in the row\'s unit, so above 1 is faster for lookups/s and below 1 is faster for build ms.');

const same = native.checksum === wasm.checksum && wasm.checksum === checksum &&
             native.checksum_hash_only === native.checksum && wasm.checksum_hash_only === wasm.checksum &&
             native.checksum_jump === wasm.checksum_jump;
const ketamaSame = native.checksum_ketama === ketamaChecksum && wasm.checksum_ketama === ketamaChecksum;
console.log(`ketama owners: native ${native.checksum_ketama}, wasm ${wasm.checksum_ketama}, hashring.get ${ketamaChecksum}` +
            ` — ${ketamaSame ? 'identical: every key on the same server' : 'MISMATCH'}`);
if (!ketamaSame) process.exitCode = 1;
console.log(`checksums: native ${native.checksum}, wasm ${wasm.checksum}, wasm via JS ${checksum}` +
            ` — ${same ? 'identical' : 'MISMATCH'} (sink ${sink})`);
if (!same) process.exitCode = 1;

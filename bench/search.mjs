// Issue #20's search benchmark: index 100,000 short documents and run
// 10,000 queries with our search engine (the search_index sim's core) as
// wasm in node and natively, and with the npm packages
// people use for in-browser search: minisearch, lunr and flexsearch, on the
// same corpus and queries. Prints a markdown table: documents/s, queries/s,
// memory (bench/search.md says what each number includes). Times are CPU
// seconds of this process (process.cpuUsage; the native row std::clock):
// on a machine shared with builds, wall time measures the neighbours.
//
// Corpus: product titles from web/search-index-corpus.mjs's generator
// (productDoc(n) for n < 100,000: 2-7 words, a tag and a price), no
// downloaded data. Queries: 1-3 words taken from other titles, lowercased,
// with an OR between words (a `match` query), top 10 hits.
//
// Usage, after building build/native/sdp_search_bench and
// build/wasm/sdp_search_bench.js (scripts/bench.sh):
//   node --expose-gc bench/search.mjs [docs] [queries]
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { productDoc } from '../web/search-index-corpus.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const MiniSearch = require('minisearch');
const lunr = require('lunr');
const { Index: FlexIndex } = require('flexsearch');

const DOCS = Number(process.argv[2] ?? 100000);
const QUERIES = Number(process.argv[3] ?? 10000);
const REFRESH_EVERY = 10000; // documents per refresh (segment) in our index

// A 32-bit mix (Murmur3's finaliser): the same queries everywhere.
const mix = (x) => {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};

const docs = Array.from({ length: DOCS }, (_, n) => ({ id: `d${n}`, ...productDoc(n) }));
const queries = Array.from({ length: QUERIES }, (_, i) => {
  const words = docs[mix(i * 3 + 1) % DOCS].title.toLowerCase().split(/[^a-z0-9']+/).filter(Boolean);
  const k = 1 + (mix(i * 3 + 2) % 3);
  const start = mix(i * 3 + 3) % words.length;
  return words.slice(start, start + k).join(' ');
});

const cpuNow = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const seconds = (t0) => cpuNow() - t0;
const gc = () => globalThis.gc?.();
const heapUsed = () => { gc(); gc(); return process.memoryUsage().heapUsed; };
const mb = (bytes) => (bytes / 1048576).toFixed(0);

function measure(name, build, search, memory) {
  const before = heapUsed();
  let t0 = cpuNow();
  const index = build();
  const indexSeconds = seconds(t0);
  const bytes = memory ? memory() : heapUsed() - before;
  let hits = 0;
  t0 = cpuNow();
  for (const q of queries) hits += search(index, q);
  const querySeconds = seconds(t0);
  console.error(`${name}: index ${indexSeconds.toFixed(2)} s, ${QUERIES} queries ${querySeconds.toFixed(2)} s`);
  return { name, indexSeconds, querySeconds, bytes, hits };
}

const rows = [];

// Ours: bench/search_bench.cpp, the engine without the sim's JSON ops
// (search::ParseDocument, Index::Put with a refresh every 10,000 documents,
// search::Search of a `match` query, top 10) on the same corpus, ported to
// C++; natively and as wasm under node (build/wasm/sdp_search_bench.js).
// Both must find the same summed total hits. The wasm row's CPU seconds come
// from bash's `time` of two runs (0 queries, then all): emscripten's clock()
// is wall time there.
function cpuOf(command, args) {
  const quoted = [command, ...args].map((a) => `"${a}"`).join(' ');
  const out = execFileSync('bash', ['-c', `TIMEFORMAT='%U %S'; { time ${quoted} > /tmp/sdp_search_bench.out; } 2>&1`], { encoding: 'utf8' });
  const [user, sys] = out.trim().split(/\s+/).slice(-2).map(Number);
  const json = execFileSync('cat', ['/tmp/sdp_search_bench.out'], { encoding: 'utf8' });
  return { cpu: user + sys, result: JSON.parse(json.split('\n').find((l) => l.startsWith('JSON ')).slice(5)) };
}
const nativeBench = path.join(root, 'build/native/sdp_search_bench');
const native = cpuOf(nativeBench, [DOCS, QUERIES]).result;
rows.push({ name: 'ours, native C++ (bench/search_bench.cpp)', indexSeconds: native.index_s, querySeconds: native.query_s, bytes: native.memory_bytes, hits: native.total_hits });
const wasmBench = [process.execPath, path.join(root, 'build/wasm/sdp_search_bench.js')];
const wasmIndex = cpuOf(wasmBench[0], [wasmBench[1], DOCS, 0]);
const wasmAll = cpuOf(wasmBench[0], [wasmBench[1], DOCS, QUERIES]);
if (wasmAll.result.total_hits !== native.total_hits) {
  throw new Error(`wasm found ${wasmAll.result.total_hits} hits in total, native ${native.total_hits}`);
}
rows.push({ name: 'ours, wasm in node (the same C++)', indexSeconds: wasmIndex.cpu, querySeconds: wasmAll.cpu - wasmIndex.cpu, bytes: wasmAll.result.memory_bytes, hits: native.total_hits });
console.error(`ours: native ${native.index_s} + ${native.query_s} CPU s; wasm ${wasmIndex.cpu} + ${(wasmAll.cpu - wasmIndex.cpu).toFixed(2)} CPU s`);

rows.push(measure('minisearch 7.2.0', () => {
  const ms = new MiniSearch({ fields: ['title'], storeFields: [] });
  ms.addAll(docs);
  return ms;
}, (ms, q) => ms.search(q).slice(0, 10).length));

rows.push(measure('lunr 2.3.9', () => lunr(function build() {
  this.ref('id');
  this.field('title');
  for (const d of docs) this.add(d);
}), (idx, q) => idx.search(q).slice(0, 10).length));

rows.push(measure('flexsearch 0.8.212', () => {
  const fx = new FlexIndex({ tokenize: 'strict' });
  docs.forEach((d, i) => fx.add(i, d.title));
  return fx;
}, (fx, q) => fx.search(q, { limit: 10 }).length));

console.log(`${DOCS.toLocaleString('en')} documents, ${QUERIES.toLocaleString('en')} queries (node ${process.version})\n`);
console.log('| engine | index CPU s | docs/s | queries CPU s | queries/s | memory MB |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.name} | ${r.indexSeconds.toFixed(2)} | ${Math.round(DOCS / r.indexSeconds).toLocaleString('en')} | ` +
    `${r.querySeconds.toFixed(2)} | ${Math.round(QUERIES / r.querySeconds).toLocaleString('en')} | ${r.bytes === null ? '–' : mb(r.bytes)} |`);
}

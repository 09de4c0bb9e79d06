// Kafka: murmur2 partitioning of 1M keys, ours (C++ natively and as wasm)
// against kafkajs's DefaultPartitioner in node on the same keys, plus the
// simulation of 1M messages (bench/kafka_bench.cpp). Prints one markdown
// table; only a checksum mismatch (the three must put every key in the same
// partition) fails.
//
// Usage, from the repo root after building: node bench/compare_kafka.mjs
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { runCpp as runCppIn } from './run-cpp.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { Partitioners } = createRequire(import.meta.url)('kafkajs');

const N = 1_000_000;
const RUNS = 3;
const runCpp = (command, args) => runCppIn(command, args, root);
const native = runCpp(path.join(root, 'build/native/sdp_kafka_bench'), []);
const wasm = runCpp(process.execPath, [path.join(root, 'build/wasm/sdp_kafka_bench.js')]);

const keys = Array.from({ length: N }, (_, i) => `key-${i}`);
const partitionMetadata = Array.from({ length: 12 }, (_, p) => ({ partitionId: p, leader: 1 }));
let best = Infinity;
let checksum = 0;
for (let run = 0; run < RUNS; run++) {
  const partitioner = Partitioners.DefaultPartitioner();
  const start = process.hrtime.bigint();
  let sum = 0;
  for (let i = 0; i < N; i++) sum = (sum + partitioner({ topic: 't', partitionMetadata, message: { key: keys[i] } }) * (i + 1)) >>> 0;
  best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  checksum = sum;
}
for (const [name, r] of [['native', native], ['wasm', wasm]]) {
  if (r.checksum !== checksum) throw new Error(`${name} checksum ${r.checksum} != kafkajs ${checksum}`);
}

const ns = (s) => `${(s * 1e9 / N).toFixed(1)} ns/key`;
console.log('| murmur2 partition of 1M keys (12 partitions) | time |');
console.log('|---|---:|');
console.log(`| ours, native | ${ns(native.hash_s)} |`);
console.log(`| ours, wasm | ${ns(wasm.hash_s)} |`);
console.log(`| kafkajs DefaultPartitioner, node | ${ns(best)} |`);
console.log('');
console.log('| 1M messages, 3 brokers, 12 partitions x 3 replicas, 4 consumers | native | wasm |');
console.log('|---|---:|---:|');
for (let i = 0; i < native.runs.length; i++) {
  console.log(`| ${native.runs[i].name} | ${native.runs[i].s.toFixed(3)} s | ${wasm.runs[i].s.toFixed(3)} s |`);
}

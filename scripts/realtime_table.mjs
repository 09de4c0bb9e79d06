#!/usr/bin/env node
// The table of docs/realtime.md, from runs of the native CLI: every
// technique at 1 and 100 events/s with 1000 clients for 60 simulated
// seconds (seed 1, the sim's default network: 50 ms +- 10 ms one way).
//   node scripts/realtime_table.mjs            prints the markdown table
// Needs build/native/sdp (cmake --build build/native --target sdp).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('../', import.meta.url));
const sdp = join(root, 'build/native/sdp');
const techniques = ['short_polling', 'long_polling', 'sse', 'websocket', 'webrtc'];
const rates = [1, 100];
const clients = 1000;
const seconds = 60;

function run(technique, rate) {
  const scenario = {
    sim: 'realtime', seed: 1,
    config: { technique, clients, rate, size: 100 },
    steps: [{ op: 'advance', ms: seconds * 1000 }],
  };
  const out = JSON.parse(execFileSync(sdp, ['run', '-'], { input: JSON.stringify(scenario), encoding: 'utf8' }));
  if (out.results[0].error || out.results[0].stopped) throw new Error(`${technique} @ ${rate}: ${JSON.stringify(out.results[0])}`);
  return out.snapshot.metrics;
}

const ms = (us) => (us / 1000).toFixed(us < 10000 ? 1 : 0);
const mb = (bytes) => (bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1);
console.log(`| events/s | technique | latency p50 ms | p99 ms | requests/s at server | MB on the wire (${seconds} s) | bytes per delivery | open connections | server memory MiB |`);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const rate of rates) {
  for (const technique of techniques) {
    const m = run(technique, rate);
    console.log(`| ${rate} | ${technique} | ${ms(m.latency_p50_us)} | ${ms(m.latency_p99_us)} | ${m.requests_per_s.toFixed(1)} | ` +
      `${mb(m.bytes_total)} | ${m.bytes_per_delivery} | ${m.peak_open_connections} | ${(m.peak_memory_bytes / 1048576).toFixed(1)} |`);
  }
}

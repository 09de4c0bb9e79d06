#!/usr/bin/env node
// The table of docs/realtime.md, from runs of the native CLI: every
// technique at 1 and 100 events/s with 1000 clients for 60 simulated
// seconds (seed 1, the sim's default network: 50 ms +- 10 ms one way).
//   node scripts/realtime_table.mjs            prints the markdown table
// Needs build/native/sdp (cmake --build build/native --target sdp).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { comparisonColumns, TECHNIQUES } from '../web/realtime-columns.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const sdp = join(root, 'build/native/sdp');
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

const columns = comparisonColumns(seconds);
console.log(`| events/s | technique | ${columns.map((c) => c.head).join(' | ')} |`);
console.log(`|---|---|${columns.map(() => '---|').join('')}`);
for (const rate of rates) {
  for (const technique of TECHNIQUES) {
    const m = run(technique, rate);
    console.log(`| ${rate} | ${technique} | ${columns.map((c) => c.cell(m)).join(' | ')} |`);
  }
}

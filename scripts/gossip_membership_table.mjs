#!/usr/bin/env node
// The membership table of docs/gossip.md, from runs of the native CLI: SWIM
// and heartbeat gossip (the sim's defaults: memberlist's for SWIM; every
// 1 s to 1 member with T_fail = 15 s for heartbeats, and again with
// T_fail = 20 s) on 100 and 1,000
// nodes at 1% and 10% message loss. Each run: 10 s to settle, node 1 is
// killed, 60 s more; three seeds, averaged.
//   node scripts/gossip_membership_table.mjs      prints the markdown table
// Needs build/native/sdp (cmake --build build/native --target sdp).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('../', import.meta.url));
const sdp = join(root, 'build/native/sdp');
const SEEDS = [1, 2, 3];
const SETTLE_MS = 10000;
const AFTER_MS = 60000;
const CHUNK_MS = 5000; // below the per-step work limit for heartbeat at 1,000 nodes

function run({ protocol, ...params }, nodes, loss, seed) {
  const advance = (ms) => Array.from({ length: ms / CHUNK_MS }, () => ({ op: 'advance', ms: CHUNK_MS }));
  const scenario = {
    sim: 'gossip', seed, config: { nodes },
    steps: [{ op: 'loss', p: loss }, { op: 'membership', protocol, ...params }, ...advance(SETTLE_MS), { op: 'kill', node: 1 }, ...advance(AFTER_MS)],
  };
  const out = JSON.parse(execFileSync(sdp, ['run', '-'], { input: JSON.stringify(scenario), encoding: 'utf8', maxBuffer: 1 << 28 }));
  for (const r of out.results) {
    if (r.error || (r.stopped && r.stopped !== 'done')) throw new Error(`${JSON.stringify(detector)} n=${nodes} loss=${loss}: ${JSON.stringify(r).slice(0, 200)}`);
  }
  return out.snapshot.membership;
}

const mean = (xs) => (xs.some((x) => x === null) ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
const secs = (ms) => (ms === null ? 'not all in 60 s' : `${(ms / 1000).toFixed(1)} s`);

console.log('| detector | nodes | loss | first detection | all live members declared it dead | false positives: live members declared dead (declarations) | messages / member / s | bytes / member / s |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
const DETECTORS = [
  { name: 'SWIM', protocol: 'swim' },
  { name: 'heartbeat, T_fail 15 s', protocol: 'heartbeat' },
  { name: 'heartbeat, T_fail 20 s', protocol: 'heartbeat', fail_ms: 20000 },
];
for (const { name, ...detector } of DETECTORS) {
  for (const nodes of [100, 1000]) {
    for (const loss of [0.01, 0.1]) {
      const runs = SEEDS.map((seed) => run(detector, nodes, loss, seed));
      const k = runs.map((m) => m.killed[0]);
      const fpMembers = mean(runs.map((m) => m.false_positives.members));
      const fpDecl = mean(runs.map((m) => m.false_positives.declarations));
      const all = k.filter((x) => x.all_declared_ms !== null).length;
      const allText = all === runs.length ? secs(mean(k.map((x) => x.all_declared_ms))) : `${all} of ${runs.length} runs; ${Math.round(mean(k.map((x) => x.declared)))} of ${runs[0].live} on average`;
      console.log(`| ${name} | ${nodes.toLocaleString('en')} | ${loss * 100}% | ${secs(mean(k.map((x) => x.first_detection_ms)))} | ${allText} | ${fpMembers.toFixed(1)} (${fpDecl.toFixed(1)}) | ${mean(runs.map((m) => m.messages_per_member_per_second)).toFixed(2)} | ${Math.round(mean(runs.map((m) => m.bytes_per_member_per_second))).toLocaleString('en')} |`);
    }
  }
}
console.log(`\nMeans of seeds ${SEEDS.join(', ')}; loads over the whole ${(SETTLE_MS + AFTER_MS) / 1000} s run.`);
